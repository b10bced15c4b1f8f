# target: rnn.softmax | expect: mismatch | needs: bwrap
"""Read what a sandbox should not show: the host's users and hashes, kernel memory and log,
disks, the network and cgroup setup in /sys."""
import os
import sys

import numpy as np


def _attack():
    seen = []
    for path in ("/etc/shadow", "/etc/passwd", "/etc/hostname", "/dev/mem", "/dev/kmem", "/dev/kmsg", "/dev/sda",
                 "/dev/vda", "/dev/nvme0n1", "/sys/class/net", "/sys/fs/cgroup", "/sys/kernel", "/root", "/home"):
        # Only the folders that lead to the Python installation may show (bound read-only).
        python_home = (sys.base_prefix + "/", sys.prefix + "/")
        try:
            if os.path.isdir(path):
                if any(not any(p.startswith(os.path.join(path, n) + "/") for p in python_home) for n in os.listdir(path)):
                    seen.append(path)
            else:
                with open(path, "rb") as f:
                    if f.read(16):
                        seen.append(path)
        except OSError:
            pass
    return bool(seen)


_real = softmax


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def softmax(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
