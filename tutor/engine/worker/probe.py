"""What a hardened child can do on this machine, as JSON. Standard library only.

    python -I probe.py --probe [PATH...]

Started by tutor/engine/sandbox.py inside each candidate tier (bubblewrap, namespaces, none)
exactly as the zygote would be: it forks a child, confines it with isolation.harden_child
and lets it look around (PIDs, network, capabilities, the PATHs given, process limit...).
sandbox.py chooses the tier and words isolation_level() from the report.
"""
from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # -I leaves the script's folder out

import isolation  # noqa: E402,F401 - imported first: it brings its siblings
import filesystem  # noqa: E402
import syscalls  # noqa: E402
from constants import MODE_ENV, MODE_NONE  # noqa: E402
from isolation import CLONE_NEWUSER, harden_child  # noqa: E402


def probe(secret_paths: list[str]) -> dict:
    """Harden a forked child as for a submission and report what it can and cannot do."""
    report: dict = {"mode": os.environ.get(MODE_ENV, MODE_NONE), "platform": sys.platform}
    try:
        import numpy  # noqa: F401 - the sandbox must let NumPy in

        report["numpy"] = True
    except ImportError as error:
        report["numpy"] = False
        report["numpy_error"] = str(error)
    workdir = filesystem.new_job_folder("tutor-probe-")
    with open(os.path.join(workdir, "probe_module.py"), "w") as f:
        f.write("VALUE = 42\n")
    sibling = filesystem.new_job_folder("tutor-probe-other-")   # as another job of the same zygote
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        result: dict = {}
        try:
            harden_child(workdir, {"memory_bytes": 1 << 30, "cpu_seconds": 5, "file_bytes": 1 << 20,
                                   "processes": 8, "output_bytes": 1 << 16})
            result = _self_check(workdir, sibling, secret_paths)
        except BaseException as error:  # noqa: BLE001
            result = {"error": f"{type(error).__name__}: {error}"}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    try:
        report.update(json.loads(b"".join(chunks) or b"{}"))
    except ValueError:
        report["error"] = "the probe child sent garbage"
    if status != 0 and "error" not in report:
        report["error"] = f"the probe child ended with status {status}"
    report["workdir_left"] = os.path.exists(workdir) and os.listdir(workdir) != ["probe_module.py"]

    shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(sibling, ignore_errors=True)
    return report


def _capabilities() -> str:
    """The effective and permitted capability sets as hex (capget), "unknown" if unreadable."""
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    try:
        if syscalls.libc().capget(ctypes.byref(header), ctypes.byref(data)) != 0:
            return "unknown"
    except (AttributeError, OSError):
        return "unknown"
    effective = data[0] | (data[3] << 32)
    permitted = data[1] | (data[4] << 32)
    return f"{effective | permitted:016x}"


def _userns_blocked() -> bool:
    """Can this process make a user namespace of its own (in a throwaway child)?"""
    pid = os.fork()
    if pid == 0:
        os._exit(0 if syscalls.libc().unshare(CLONE_NEWUSER) != 0 else 1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def _nproc_enforced(limit: int) -> bool:
    """Fork past the process limit (a few, short-lived): does the kernel say no?"""

    if limit > 64:
        return False
    children = []
    refused = False
    try:
        for _ in range(limit + 2):
            try:
                pid = os.fork()
            except OSError:
                refused = True
                break
            if pid == 0:
                time.sleep(2)
                os._exit(0)
            children.append(pid)
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
    return refused


def _self_check(workdir: str, sibling: str, secret_paths: list[str]) -> dict:

    out: dict = {}
    out["pid"] = os.getpid()
    procs = [p for p in os.listdir("/proc") if p.isdigit()] if os.path.isdir("/proc") else []
    out["visible_pids"] = len(procs)
    out["own_files"] = os.path.exists(os.path.join(workdir, "probe_module.py"))
    out["sibling_visible"] = os.path.exists(sibling)
    out["secrets_visible"] = [p for p in secret_paths if os.path.exists(p)]
    out["capabilities"] = _capabilities()
    try:
        interfaces = sorted(name for _, name in socket.if_nameindex())
    except OSError:
        interfaces = []
    out["interfaces"] = interfaces
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect(("192.0.2.1", 9))     # TEST-NET-1: only a route is needed, nothing is sent
        routed = True
    except OSError:
        routed = False
    # Isolated: no interface but loopback (its own namespace) and no route anywhere.
    out["network"] = "unreachable" if set(interfaces) <= {"lo"} and not routed else f"reachable ({interfaces})"
    try:
        socket.getaddrinfo("pypi.org", 443)
        out["dns"] = True
    except OSError:
        out["dns"] = False
    out["rlimit_as"] = resource.getrlimit(resource.RLIMIT_AS)[0]
    out["userns_blocked"] = _userns_blocked()
    out["rlimit_nproc"] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
    out["nproc_enforced"] = _nproc_enforced(out["rlimit_nproc"])
    probe_file = os.path.join(workdir, "written")
    try:
        with open(probe_file, "w") as f:
            f.write("x")
        out["workdir_writable"] = True
    except OSError:
        out["workdir_writable"] = False
    try:
        with open(os.path.join(os.path.dirname(os.path.dirname(os.__file__)), "tutor-probe"), "w"):
            pass
        out["stdlib_writable"] = True
    except OSError:
        out["stdlib_writable"] = False
    return out


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--probe":

        print(json.dumps(probe(sys.argv[2:])), flush=True)
        sys.exit(0)
    print("usage: probe.py --probe [PATH...]", file=sys.stderr)
    sys.exit(2)
