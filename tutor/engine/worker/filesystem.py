"""The child's view of the filesystem, set up in C (PID 1 of its namespaces). Standard library only.

    confine_filesystem(workdir, files, file_bytes)   every inherited mount read-only, /proc
        hidden, a private size-limited tmpfs over the temporary folder holding a copy of the
        job's files (no other job's files are visible), a private /dev/shm
    snapshot(workdir) -> files                       read before the namespaces are made
    new_job_folder(prefix) -> path                   where the zygote puts a job's files
    private_jobs_folder() -> path or None            the folder holding every job's folder, when
                                                     the zygote's /tmp is its own (bubblewrap)
"""
from __future__ import annotations

import os
import re
import tempfile

from constants import JOBS_ENV
from syscalls import SandboxError, mount

MAX_WORKDIR_BYTES = 64 << 20  # what is copied into the private tmp (module sources)
# <sys/mount.h>
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 1 << 14, 1 << 18, 1 << 21, 1 << 24
MOUNT_OPTION_FLAGS = {"ro": MS_RDONLY, "nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC,
                      "noatime": MS_NOATIME, "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME,
                      "strictatime": MS_STRICTATIME}


def confine_filesystem(workdir: str, files: list, file_bytes: int) -> None:
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    remount_all_read_only()
    try:
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except SandboxError:
        # Inside bubblewrap a fresh /proc is refused (its /proc has read-only submounts, which
        # a user namespace may not uncover): hide the zygote's instead (it shows other PIDs).
        mount("tmpfs", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=555")
    mount("tmpfs", tmp_root(workdir), "tmpfs", MS_NOSUID | MS_NODEV,
          f"size={file_bytes + (16 << 20)},nr_inodes=4096,mode=1777")
    if os.path.isdir("/dev/shm") and not os.path.islink("/dev/shm"):
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              f"size={file_bytes},nr_inodes=64,mode=1777")
    restore(workdir, files)


def private_jobs_folder() -> str | None:
    """Inside bubblewrap the zygote's /tmp is its own, and its jobs go into one folder of it
    (JOBS_ENV): a child's private tmpfs covers that folder alone. Elsewhere /tmp is shared with
    the machine (other graders' jobs live there), and the whole of it is covered."""
    folder = os.environ.get(JOBS_ENV)
    return os.path.realpath(folder) if folder and os.path.isabs(folder) else None


def new_job_folder(prefix: str) -> str:
    """A fresh folder for one job's files (the zygote's, or the probe's)."""
    jobs = private_jobs_folder()
    if jobs:
        os.makedirs(jobs, mode=0o700, exist_ok=True)
    return tempfile.mkdtemp(prefix=prefix, dir=jobs)


def tmp_root(workdir: str) -> str:
    """The folder to cover with the private tmpfs: the jobs folder, else the temporary directory
    holding workdir."""
    jobs = private_jobs_folder()
    if jobs and workdir.startswith(jobs.rstrip("/") + "/"):
        return jobs
    for candidate in (tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"):
        candidate = os.path.realpath(candidate)
        if workdir.startswith(candidate.rstrip("/") + "/"):
            return candidate
    return os.path.dirname(workdir)


def snapshot(workdir: str) -> list[tuple[str, bytes | None, int]]:
    """(relative path, content or None for a folder, mode) of everything in workdir."""
    items, total = [], 0
    def fail(error):
        raise SandboxError(f"cannot read the submission: {error}")

    for root, dirs, names in os.walk(workdir, onerror=fail):
        rel_root = os.path.relpath(root, workdir)
        for name in dirs:
            items.append((os.path.normpath(os.path.join(rel_root, name)), None, 0o755))
        for name in names:
            path = os.path.join(root, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                data = f.read(MAX_WORKDIR_BYTES - total + 1)
            total += len(data)
            if total > MAX_WORKDIR_BYTES:
                raise SandboxError("the submission is too large")
            items.append((os.path.normpath(os.path.join(rel_root, name)), data, 0o644))
    return items


def restore(workdir: str, items) -> None:
    os.makedirs(workdir, mode=0o755, exist_ok=True)
    for rel, data, mode in items:
        path = os.path.join(workdir, rel)
        if data is None:
            os.makedirs(path, mode=mode, exist_ok=True)
        else:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)


def unescape(path: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), path)


def remount_all_read_only() -> None:
    """Every inherited mount becomes read-only (new ones are added afterwards)."""
    with open("/proc/self/mountinfo") as f:
        lines = f.read().splitlines()
    problems = []
    for line in lines:
        fields = line.split(" ")
        mount_point, options = unescape(fields[4]), fields[5].split(",")
        if "ro" in options:
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for option in options:
            flags |= MOUNT_OPTION_FLAGS.get(option, 0)
        try:
            mount(None, mount_point, None, flags)
        except SandboxError as error:
            problems.append(f"{mount_point} ({error})")
    # Mounts under the paths we cover next do not matter; anything else left writable does.
    covered = ("/proc", "/tmp", "/dev/shm", "/sys")
    left = [p for p in problems if not p.split(" ")[0].startswith(covered)]
    if left:
        raise SandboxError("could not make read-only: " + ", ".join(left[:5]))
