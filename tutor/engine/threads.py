"""The grading process's own maths on one thread.

The parent of the sandboxed workers does little arithmetic of its own (comparing arrays,
the capstone's held-out accuracy, a known mistake recomputed), but NumPy's OpenBLAS and
torch's OpenMP start a thread per core for it, and those threads spin-wait for the next
call: on 2 cores they took about half a core from the children that run the students' code
(a class of 60 through the engine, 2 workers: 15.8 -> 23.1 students/s with one thread).
"""
from __future__ import annotations

import sys

_limited: list = []


def one_math_thread() -> None:
    """Limit BLAS and OpenMP thread pools in this process to one thread, for good.

    For a process that grades (the class grader, a cluster worker); a learner's notebook
    kernel keeps its threads. threadpoolctl comes with scikit-learn; without it, nothing
    changes but the speed. torch, when imported later, is limited by reference.torch().
    """
    if _limited:
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        _limited.append(None)
        return
    _limited.append(threadpool_limits(limits=1))
    if "torch" in sys.modules:
        limit_torch(sys.modules["torch"])


def limit_torch(torch) -> None:
    """torch's own intra-op threads, once one_math_thread() was asked for."""
    if _limited:
        torch.set_num_threads(1)
