"""Child-side confinement, called in the worker right after it forks for one submission.

Standard library only: this file runs inside the sandbox, next to learner code, and must
not import tutor, torch or anything that could hold expected values.

    harden_child(workdir: str, limits: dict, report_pid: int | None = None, files=None) -> None
        Called in the freshly forked child before any learner code is imported. May fork
        again internally (to become PID 1 of a new PID namespace) and return only in the
        process that should go on to run the learner's code; every other process it makes
        exits without returning. limits: {"memory_bytes", "cpu_seconds", "file_bytes",
        "processes", "output_bytes"}. report_pid: a pipe's write end on which the pid of the
        process that runs learner code is written (4 bytes), for end_run. files: the job's
        files as filesystem.snapshot() gives them, or a function called in the child that
        returns them (or None), when they are not in workdir (namespaces only).
    end_run(pid: int, reported_pid: int | None) -> int
        In the zygote, once a run is over (or past its time): kill the learner's process by
        the pid report_pid gave, then the forked child's process group, and reap the child;
        returns its wait status.

How (see docs/SANDBOX.md). The parent side (tutor/engine/sandbox.py) probes once what the
machine allows and tells this side through the environment variable TUTOR_SANDBOX_MODE:

"namespaces"  (Linux with user namespaces; normally inside bubblewrap, which already gave
    the zygote a filesystem view of the standard library, NumPy and the worker only)
    The forked child A becomes a session leader, reads the submission's files, drops to an
    unprivileged uid (when the grader is root), unshares user, mount, PID, IPC, UTS and
    cgroup namespaces (and network, outside bubblewrap; uid 0 inside = that uid outside),
    then forks D, tells the zygote D's pid (report_pid) and waits. D is PID 1 of the new PID
    namespace: while it still runs trusted code it remounts every inherited mount read-only,
    hides /proc (or mounts its own), mounts a private size-limited tmpfs over the temporary
    folder holding a copy of `workdir` and a private /dev/shm (filesystem.py), sets the
    rlimits, scrubs the environment, drops every capability, sets no_new_privs and the
    seccomp filter (seccomp.py), and returns: only then does learner code run, in D.
    A ends the way D ended, for the zygote to see.
    The zygote ends a run by killing D by pid (see end_run): D is PID 1, so the kernel then
    kills every process left in its namespace, whatever they did (setsid, double forks,
    ignored signals). D also dies with A (PR_SET_PDEATHSIG, which the seccomp filter keeps
    learner code from clearing).
    If any step fails the child exits with status 71 and a message on fd 2: it never runs
    learner code with less isolation than the parent promised.

"none"  (macOS, or Linux without user namespaces): own session (the zygote kills the
    process group), rlimits, working directory, a scrubbed environment.

probe.py, next to it, reports as JSON what a hardened child can do on this machine;
sandbox.py uses that to choose the mode and to word isolation_level(). Its siblings, one
concern each: syscalls.py (the libc calls), filesystem.py (the child's view of the files),
seccomp.py (the system call filter).
"""
from __future__ import annotations

import ctypes
import os
import resource
import select
import signal
import sys

# Siblings in the worker folder (on sys.path: the zygote and probe.py put it there).
import filesystem
import seccomp
from constants import MODE_ENV, MODE_NAMESPACES, MODE_NONE, NETNS_ENV, SANDBOX_FAILED_STATUS, UID_ENV
from syscalls import (CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID,  # noqa: F401
                      CLONE_NEWUSER, CLONE_NEWUTS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, PR_CAPBSET_DROP,
                      PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_SET_PDEATHSIG, SandboxError, check, libc, prctl,
                      write)


# The uid learner code runs as, outside its user namespace, when the grader runs as root
# inside bubblewrap (sandbox.py sets it then): an unprivileged uid that owns nothing, so
# that RLIMIT_NPROC applies (it never does for real root) and no file is writable. Without
# bubblewrap the child keeps the grader's uid (the Python installation may sit in /root).
# "zygote": the zygote already has a network namespace of its own (bubblewrap's: a loopback
# and nothing else), so a child needs none: each zygote runs one child at a time and a
# child's processes all die with it. That saves the costliest part of a child's set-up and
# tear-down (a network namespace). Otherwise every child gets its own, loopback down.

FAILED_STATUS = SANDBOX_FAILED_STATUS   # harden_child could not confine the child: nothing ran
KEEP_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", MODE_ENV, UID_ENV, NETNS_ENV)

# -- public ------------------------------------------------------------------------

def harden_child(workdir: str, limits: dict, report_pid: int | None = None, files=None) -> None:
    workdir = os.path.abspath(workdir)
    mode = os.environ.get(MODE_ENV, MODE_NONE)
    zygote = os.getppid()
    _first_to_go_when_out_of_memory()
    try:
        os.setsid()
    except OSError:
        pass  # already a session leader
    if sys.platform.startswith("linux"):
        try:
            _die_with_parent(parent=zygote)   # the zygote killed: this child goes too
        except (SandboxError, OSError, AttributeError) as error:
            if mode == MODE_NAMESPACES:
                _die(f"sandbox: could not confine the submission: {error}")
    if mode == MODE_NAMESPACES:
        try:
            _enter_namespaces(workdir, limits, report_pid, files)      # returns only in D
        except BaseException as error:  # noqa: BLE001 - fail closed, never run unconfined
            _die(f"sandbox: could not confine the submission: {error}")
    else:
        _basic(workdir, limits)
        if report_pid is not None:   # without namespaces the learner's process is this one
            os.close(report_pid)


def end_run(pid: int, reported_pid: int | None = None) -> int:
    """Kill a run's processes and reap the forked child; its wait status.

    reported_pid: the read end of the pipe given to harden_child as report_pid. The learner's
    process (PID 1 of its namespace) is killed by that pid first: the kernel then kills every
    process left in the namespace, whatever learner code did to its session, process group or
    parent-death signal. Then the child's process group, for the fallback without namespaces.
    """
    learner = _read_pid(reported_pid) if reported_pid is not None else None
    # Only while A still runs: A reaps D before it ends, and a reaped pid may be reused.
    if learner and os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        _kill(lambda: os.kill(learner, signal.SIGKILL))
    _kill(lambda: os.killpg(pid, signal.SIGKILL))
    _kill(lambda: os.kill(pid, signal.SIGKILL))
    _, status = os.waitpid(pid, 0)
    return status


def _kill(send) -> None:
    try:
        send()
    except (ProcessLookupError, PermissionError):
        pass


def _read_pid(fd: int) -> int | None:
    """The pid A wrote on report_pid, if it got that far (never blocks)."""
    if not select.select([fd], [], [], 0)[0]:
        return None
    try:
        data = os.read(fd, 4)
    except OSError:
        return None
    return int.from_bytes(data, "little") if len(data) == 4 else None


def preload() -> None:
    """Load now, in the zygote, what harden_child needs (libc), so that nothing is looked up
    on sys.path while a child is being confined."""
    libc()


def _first_to_go_when_out_of_memory() -> None:
    """Under the worker's memory cgroup (tutor/engine/cgroup.py) the OOM killer takes this
    submission's processes, never its zygote. Raising one's own score needs no privilege."""
    try:
        write("/proc/self/oom_score_adj", "1000")
    except OSError:
        pass


# -- the fallback ----------------------------------------------------------------------

def _basic(workdir: str, limits: dict) -> None:
    os.chdir(workdir)
    _set_limits(limits, namespaced=False)
    _scrub_environment(workdir, tmp=workdir)   # temporary files go with the job's folder


# -- namespaces --------------------------------------------------------------------------

def _die_with_parent(alive_fd: int | None = None, parent: int | None = None) -> None:
    """SIGKILL when the parent dies; exit now if it already has. Call after every credential change."""
    check(prctl(PR_SET_PDEATHSIG, signal.SIGKILL), "prctl(PDEATHSIG)")
    if parent is not None and os.getppid() != parent:
        os._exit(FAILED_STATUS)
    if alive_fd is not None:
        if select.select([alive_fd], [], [], 0)[0]:   # EOF: the parent is gone
            os._exit(FAILED_STATUS)


def _enter_namespaces(workdir: str, limits: dict, report_pid: int | None, files) -> None:
    zygote = os.getppid()
    files = files() if callable(files) else files
    if files is None:
        files = filesystem.snapshot(workdir)   # read now: the unprivileged uid may not enter the zygote's tmp
    _no_core_dumps()
    # A: drop to the sandbox uid (when root), then new user/mount/PID/net/IPC/UTS/cgroup
    # namespaces, mapping uid 0 inside to that uid outside.
    if os.geteuid() == 0 and os.environ.get(UID_ENV, "").isdigit():
        uid = int(os.environ[UID_ENV])
        os.setgroups([])          # root's supplementary groups would stay otherwise
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    elif os.geteuid() == 0:
        try:
            os.setgroups([])
        except OSError:
            pass
    uid, gid = os.geteuid(), os.getegid()
    prctl(PR_SET_DUMPABLE, 1)    # a uid change made /proc/self root's: we must write our maps
    # Inside bubblewrap (NETNS_ENV "zygote") a child shares the zygote's network namespace (a
    # loopback only): a fresh one per child halves class throughput on 2 cores (the kernel's
    # clean-up of a network namespace). Nothing crosses through it: every process of a run is
    # dead before the zygote forks the next (D, PID 1, is killed by pid and takes them all),
    # and a socket, abstract or not, is gone with the last process that held it.
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    if os.environ.get(NETNS_ENV) != "zygote":
        flags |= CLONE_NEWNET
    if libc().unshare(flags | CLONE_NEWCGROUP) != 0:
        check(libc().unshare(flags), "unshare")
    write("/proc/self/setgroups", "deny")
    write("/proc/self/uid_map", f"0 {uid} 1\n")
    write("/proc/self/gid_map", f"0 {gid} 1\n")
    prctl(PR_SET_DUMPABLE, 0)
    _die_with_parent(parent=zygote)   # credentials changed: set again
    alive_r, alive_w = os.pipe()
    d_pid = os.fork()
    if d_pid:
        # A stays outside the new PID namespace: it tells the zygote D's pid (the zygote kills
        # D by it), waits for D and ends the way D ended, so that the zygote sees the learner
        # process's exit status or signal.
        os.close(alive_r)
        if report_pid is not None:
            os.write(report_pid, d_pid.to_bytes(4, "little"))
            os.close(report_pid)
        _relay(d_pid)
    # D: PID 1 of the new namespaces. Trusted code until _restrict returns ----------------
    try:
        os.close(alive_w)
        if report_pid is not None:
            os.close(report_pid)
        _confine(workdir, files, limits, alive_r)
        _restrict(workdir, limits, alive_r)
        os.close(alive_r)
    except BaseException as error:  # noqa: BLE001 - never return unconfined
        _die(f"sandbox: could not confine the submission: {error}")


def _confine(workdir: str, files: list, limits: dict, alive_fd: int) -> None:
    """In D (PID 1 of the new namespaces), still trusted: the filesystem view."""
    _die_with_parent(alive_fd=alive_fd)
    _no_nested_user_namespaces()
    filesystem.confine_filesystem(workdir, files, int(limits.get("file_bytes") or (16 << 20)))
    os.chdir(workdir)
    try:
        check(libc().sethostname(b"sandbox", 7), "sethostname")
    except SandboxError:
        pass


def _restrict(workdir: str, limits: dict, alive_fd: int) -> None:
    """In D, last of all before learner code: limits, environment, capabilities, seccomp."""
    _set_limits(limits, namespaced=True)
    _scrub_environment(workdir)
    _die_with_parent(alive_fd=alive_fd)     # once the filter is on, PR_SET_PDEATHSIG is refused
    _drop_capabilities()                    # (a subset of capabilities keeps the signal)
    if select.select([alive_fd], [], [], 0)[0]:   # A is gone already
        os._exit(FAILED_STATUS)


def _no_nested_user_namespaces() -> None:
    """Learner code may not make user namespaces of its own (the way back to capabilities and
    to much of the kernel's attack surface): the limit is per user namespace, set in ours."""
    try:
        write("/proc/sys/user/max_user_namespaces", "0")
    except OSError:
        pass   # best effort: without it, nested namespaces still grant nothing outside ours


def _drop_capabilities() -> None:
    last = 63
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            last = int(f.read())
    except (OSError, ValueError):
        pass
    for cap in range(last + 1):
        prctl(PR_CAPBSET_DROP, cap)       # EINVAL past the last one is fine
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)     # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()                    # effective, permitted, inheritable x 2: none
    check(libc().capset(ctypes.byref(header), ctypes.byref(data)), "capset")
    check(prctl(PR_SET_NO_NEW_PRIVS, 1), "prctl(NO_NEW_PRIVS)")
    prctl(PR_SET_DUMPABLE, 0)
    if not seccomp.install():
        pass   # an unknown machine: the per-namespace sysctl (_no_nested_user_namespaces) still applies


def _no_core_dumps() -> None:
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


def _relay(pid: int) -> None:
    """A: wait for D and end this process the same way the learner's process ended."""
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            os._exit(FAILED_STATUS)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            prctl(PR_SET_DUMPABLE, 0)
            if number not in (signal.SIGKILL, signal.SIGSTOP):
                signal.signal(number, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, [number])
            os.kill(os.getpid(), number)
        finally:
            os._exit(128 + number)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _die(message: str) -> None:
    try:
        os.write(2, (message + "\n").encode(errors="replace"))
    finally:
        os._exit(FAILED_STATUS)


# -- shared by both modes ----------------------------------------------------------------

def _set_limits(limits: dict, namespaced: bool) -> None:
    def cap(name, soft, hard=None):
        if soft is None or not hasattr(resource, name):
            return
        which = getattr(resource, name)
        soft = int(soft)
        hard = soft if hard is None else int(hard)
        try:
            _, old_hard = resource.getrlimit(which)
            if old_hard != resource.RLIM_INFINITY:
                soft, hard = min(soft, old_hard), min(hard, old_hard)
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):
            if namespaced or name not in ("RLIMIT_AS", "RLIMIT_NPROC"):
                raise
            # macOS refuses RLIMIT_AS below the current size and counts NPROC per user.

    memory = limits.get("memory_bytes")
    if memory:
        cap("RLIMIT_AS", max(int(memory), 256 << 20))
    cpu = limits.get("cpu_seconds")
    if cpu:
        cap("RLIMIT_CPU", max(1, int(cpu)), max(1, int(cpu)) + 1)   # SIGXCPU, then SIGKILL
    if limits.get("file_bytes"):
        cap("RLIMIT_FSIZE", limits["file_bytes"])
    if limits.get("processes") and (namespaced or os.geteuid() != 0):
        # In its own user namespace the count is this submission's processes only; outside
        # one it is every process of the user, so the fallback keeps some headroom.
        processes = int(limits["processes"])
        # +1: A, outside the PID namespace, waits under the same uid.
        cap("RLIMIT_NPROC", processes + 1 if namespaced else processes + _count_own_processes())
    cap("RLIMIT_CORE", 0)
    cap("RLIMIT_NOFILE", 256)
    cap("RLIMIT_MEMLOCK", 0)
    cap("RLIMIT_MSGQUEUE", 0)


def _count_own_processes() -> int:
    try:
        uid = os.getuid()
        return sum(1 for pid in os.listdir("/proc") if pid.isdigit() and os.stat(f"/proc/{pid}").st_uid == uid)
    except OSError:
        return 256


def _scrub_environment(workdir: str, tmp: str | None = None) -> None:
    """Learner code sees no tokens, paths or settings of the grader's environment."""
    tmp = tmp or filesystem.tmp_root(workdir)     # read before the grader's variables go
    keep = {k: v for k, v in os.environ.items() if k in KEEP_ENV}
    os.environ.clear()
    os.environ.update(keep)
    os.environ.setdefault("PATH", "/usr/bin:/bin")
    os.environ["HOME"] = workdir
    os.environ["TMPDIR"] = tmp
    tempfile = sys.modules.get("tempfile")
    if tempfile is not None:
        tempfile.tempdir = os.environ["TMPDIR"]   # the zygote's cached choice is not the child's
