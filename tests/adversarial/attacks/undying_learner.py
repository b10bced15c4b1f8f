# target: layers.affine_forward | expect: timeout | needs: namespaces
"""The learner's own process makes itself hard to kill: clears its parent-death signal, leaves
its session and process group, ignores every signal it can, starts threads, and runs a
helper by exec that does the same (named and marked __MARK__), then never returns."""
import ctypes
import os
import signal
import threading
import time


def affine_forward(x, w, b):
    libc = ctypes.CDLL(None)
    libc.prctl(1, 0, 0, 0, 0)                   # PR_SET_PDEATHSIG: none
    libc.prctl(15, b"__MARK__", 0, 0, 0)
    for sig in range(1, 65):
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (OSError, ValueError, RuntimeError):
            pass
    try:
        os.setsid()
    except OSError:
        os.setpgid(0, 0)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execve("/bin/sh", ["/bin/sh", "-c", "trap '' 1 2 15; while :; do sleep 1; done", "__MARK__"],
                      {"MARK": "__MARK__"})
        os._exit(0)
    for _ in range(4):
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
    while True:
        time.sleep(1)
