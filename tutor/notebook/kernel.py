"""A Jupyter kernelspec for *this* interpreter, so notebooks run with the Python tutor is in.

The exported notebooks name the kernel "python3". Jupyter resolves that name through its
kernelspec search path, which may point at another Python (one without tutor or torch).
`install_kernelspec(prefix)` writes a "python3" kernelspec whose argv is sys.executable
under PREFIX/share/jupyter/kernels/, and `kernel_env(prefix)` returns an environment with
PREFIX/share/jupyter first on JUPYTER_PATH: nbgrader, nbclient and Jupyter started with it
run tutor's notebooks on this interpreter.

    python -m tutor.notebook.kernel PREFIX     # prints the export line to use
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

NAME = "python3"


def install_kernelspec(prefix: Path, name: str = NAME) -> Path:
    folder = Path(prefix) / "share" / "jupyter" / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python 3 (tutor, {Path(sys.executable).parent.parent.name})",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return folder


def kernel_env(prefix: Path, base: dict | None = None) -> dict:
    install_kernelspec(prefix)
    env = dict(os.environ if base is None else base)
    data = str(Path(prefix) / "share" / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join([data] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    # a child Python must find the same tutor (a checkout used without installing it)
    root = str(Path(__file__).resolve().parents[2])
    if (Path(root) / "pyproject.toml").is_file() and (Path(root) / "tutor").is_dir():
        env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".jupyter-tutor").resolve()
    install_kernelspec(target)
    print(f"export JUPYTER_PATH={target / 'share' / 'jupyter'}{os.pathsep}$JUPYTER_PATH")
