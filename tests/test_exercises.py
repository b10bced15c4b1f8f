"""The stubs a learner starts from: every function is there, documented, and unsolved.

In the learner's workspace the exercise modules sit side by side as plain files and are
imported one by one, so each must stand alone and need nothing but NumPy.
"""
import ast
import importlib.util
import inspect
import pathlib
import subprocess
import sys

import pytest

EXERCISES = pathlib.Path(__file__).resolve().parents[1] / "exercises"
MODULES = sorted(p.stem for p in EXERCISES.glob("*.py") if p.stem != "__init__")


def load(name, folder=EXERCISES):
    """Import one exercise file on its own, as the learner's workspace does."""
    spec = importlib.util.spec_from_file_location(f"stub_{name}", folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Helpers a stub provides that are not exercises: train.py's report(), which draws progress
# in the tutor (the sandbox provides the module tutor_progress) and does nothing elsewhere.
HELPERS = {"report"}
PROVIDED_MODULES = {"tutor_progress"}


def functions(module):
    return [f for _, f in inspect.getmembers(module, inspect.isfunction)
            if f.__module__ == module.__name__ and f.__name__ not in HELPERS]


def test_there_are_fourteen_modules_and_59_functions():
    assert len(MODULES) == 14       # 11 of the first release + resnet, autoencoder, train
    assert sum(len(functions(load(name))) for name in MODULES) == 59


@pytest.mark.parametrize("name", MODULES)
def test_module_introduces_its_topic(name):
    assert len((load(name).__doc__ or "").strip()) > 80


@pytest.mark.parametrize("name", MODULES)
def test_every_stub_is_documented_and_raises(name):
    for fn in functions(load(name)):
        assert fn.__doc__ and len(fn.__doc__.strip()) > 30, f"{name}.{fn.__name__} needs a docstring that teaches"
        required = [p for p in inspect.signature(fn).parameters.values() if p.default is p.empty]
        with pytest.raises(NotImplementedError):
            fn(*[None] * len(required))


@pytest.mark.parametrize("name", MODULES)
def test_imports_numpy_only(name):
    tree = ast.parse((EXERCISES / f"{name}.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"numpy", "__future__"} | PROVIDED_MODULES, imported
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree)), "no relative imports"


def test_stubs_import_side_by_side_without_torch(tmp_path):
    """Copied into a bare folder, every module imports, and torch is never loaded."""
    for name in MODULES:
        (tmp_path / f"{name}.py").write_text((EXERCISES / f"{name}.py").read_text())
    script = (f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
              f"for name in {MODULES!r}: __import__(name)\n"
              "assert 'torch' not in sys.modules\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
