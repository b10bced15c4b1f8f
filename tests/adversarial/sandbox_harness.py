"""A minimal zygote for tests/test_sandbox.py: the sandbox primitives without the engine.

Started with sandbox.worker_command(python, <a copy of this file>) next to a copy of
isolation.py, exactly as the engine starts its zygote. argv[1] is a JSON spec in the same
folder:
    {"runs": [{"code": PYTHON, "limits": {...}, "files": {name: text}, "kill_after": s,
               "kill_child_only": bool, "plant_sibling": bool}]}
It first prints {"zygote_env": [names]}, then for each run it makes a workdir in its tmp, forks, hardens the child with
isolation.harden_child, runs CODE there (CODE fills the dict R), and prints one JSON line:
    {"result": R or null, "status": waitpid status, "exit": ..., "signal": ...,
     "workdir_after": [names], "seconds": float}
A run with kill_after is killed the zygote's way (isolation.end_run: the learner's process by
the pid the sandbox reported, then the child's process group) after that many seconds; with
"kill_child_only" too, by the child's process group only. Standard library only (NumPy is imported, as the zygote does).
"""
import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy  # noqa: E402,F401

import filesystem  # noqa: E402
import isolation  # noqa: E402


def run_one(spec: dict) -> dict:
    workdir = filesystem.new_job_folder("tutor-job-")    # where the zygote puts a job
    if spec.get("plant_sibling"):    # another job's folder of the same zygote, left with a file in it
        with open(os.path.join(filesystem.new_job_folder("tutor-job-"), "secret.py"), "w") as f:
            f.write("ANSWER = 42\n")
    for name, text in spec.get("files", {}).items():
        with open(os.path.join(workdir, name), "w") as f:
            f.write(text)
    read_end, write_end = os.pipe()
    pid_read, pid_write = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.close(pid_read)
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1):
                os.dup2(devnull, fd)
            isolation.harden_child(workdir, spec.get("limits", {}), report_pid=pid_write)
            hardened = time.monotonic()
            namespace = {"R": {}, "WORKDIR": workdir, "RESULT_FD": write_end}
            try:
                exec(compile(spec["code"], "<attack>", "exec"), namespace)
            except BaseException as error:  # noqa: BLE001
                namespace["R"]["exception"] = f"{type(error).__name__}: {error}"
            namespace["R"]["harden_seconds"] = hardened - started
            os.write(write_end, json.dumps(namespace["R"], default=str).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    os.close(pid_write)
    kill_after = spec.get("kill_after")
    status = None
    if kill_after:
        time.sleep(kill_after)
        # kill_child_only: as a zygote that never learnt the learner's pid would (its process
        # group only): the learner's process must still go, by its parent-death signal.
        status = isolation.end_run(pid, None if spec.get("kill_child_only") else pid_read)
    chunks = []
    while True:
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    if status is None:
        status = isolation.end_run(pid, pid_read)
    os.close(pid_read)
    os.close(read_end)
    try:
        result = json.loads(b"".join(chunks)) if chunks else None
    except ValueError:
        result = {"garbage": b"".join(chunks)[:200].decode(errors="replace")}
    after = sorted(os.listdir(workdir))
    shutil.rmtree(workdir, ignore_errors=True)
    return {"result": result, "status": status,
            "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "workdir_after": after, "seconds": time.monotonic() - started}


def main() -> None:
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    print(json.dumps({"zygote_env": sorted(os.environ)}), flush=True)
    for run in spec["runs"]:
        print(json.dumps(run_one(run)), flush=True)


if __name__ == "__main__":
    main()
