"""What both sides of the pipe agree on: defined once, imported by the grader (as
tutor.engine.worker.constants) and by the worker (as a sibling module, by path). Standard
library only: this file runs next to learner code.
"""

# The sandbox's mode, chosen by the parent (tutor/engine/sandbox.py) and read in the child
# (isolation.py), through the environment the worker is started with.
MODE_ENV = "TUTOR_SANDBOX_MODE"
MODE_NAMESPACES = "namespaces"
MODE_NONE = "none"
UID_ENV = "TUTOR_SANDBOX_UID"       # the unprivileged uid learner code runs as when the grader is root
NETNS_ENV = "TUTOR_SANDBOX_NETNS"   # "zygote": the zygote already has a network namespace of its own
# Where the zygote makes each job's folder when its /tmp is its own (bubblewrap's): each child
# covers this folder alone with its private tmpfs, so that the rest of /tmp (a venv or a
# checkout that lies there, bound read-only) stays visible to it (worker/filesystem.py).
JOBS_ENV = "TUTOR_SANDBOX_JOBS"

# The limits of one submission's processes, unless the grader asks for others; the parent
# also sizes the worker's cgroup by them (tutor/engine/pool.py).
DEFAULT_LIMITS = {
    "memory_bytes": 2 << 30,
    "cpu_seconds": 60,
    "file_bytes": 16 << 20,
    "processes": 64,
    "output_bytes": 1 << 20,
}

# The reproducibility check of a random function: the same seed again, then this far from it.
OTHER_SEED_OFFSET = 7919

# Exit statuses of a child that never ran learner code.
CHILD_FAILED_STATUS = 70     # the worker could not start the learner's code (a bug in tutor)
SANDBOX_FAILED_STATUS = 71   # the sandbox could not confine it, so it did not run
