# target: param_count.dense_params | expect: mismatch exception timeout
"""A 64 MB environment variable and argument, then exec a program with them and spawn a
shell: nothing of the grader must notice."""
import os
import subprocess


def dense_params(layer_sizes):
    os.environ["HUGE"] = "x" * (64 << 20)
    try:
        subprocess.run(["/bin/sh", "-c", "echo", "y" * (64 << 20)], timeout=2)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    try:
        subprocess.run(["/bin/true"], timeout=2)
    except (OSError, subprocess.SubprocessError):
        pass
    return -1
