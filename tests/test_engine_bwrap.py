"""tutor/engine/bwrap.py: what the zygote sees under bubblewrap."""
import sys
from pathlib import Path

import numpy as np

from tutor.engine import bwrap

WORKER = Path(__file__).resolve().parents[1] / "tutor" / "engine" / "worker" / "zygote.py"


def test_new_namespaces_a_clean_environment_and_the_command_last():
    argv = bwrap.argv(sys.executable, WORKER, {"PATH": "/usr/bin", "SECRET_TOKEN": "x"})
    assert argv[0] == "bwrap" and argv[-1] == "--"
    for flag in ("--unshare-net", "--unshare-ipc", "--unshare-pid", "--clearenv"):
        assert flag in argv
    settings = {argv[i + 1]: argv[i + 2] for i, a in enumerate(argv) if a == "--setenv"}
    assert settings["PATH"] == "/usr/bin" and settings["SECRET_TOKEN"] == "x"   # only what it is given


def test_numpy_and_the_worker_folder_are_bound_and_tutor_is_not():
    argv = bwrap.argv(sys.executable, WORKER, {})
    bound = {argv[i + 2] for i, a in enumerate(argv) if a in ("--ro-bind", "--ro-bind-try")}
    assert str(WORKER.parent) in bound
    assert str(Path(np.__file__).parent) in bound
    tutor_package = str(Path(bwrap.__file__).resolve().parents[1])
    assert not any(path == tutor_package or path.startswith(tutor_package + "/engine/") and
                   path != str(WORKER.parent) for path in bound)
    assert "--tmpfs" in argv      # every site folder is emptied before NumPy is put back
