"""tutor/engine/reference_process.py: a class's reference answers are computed in a process of their own."""
import subprocess
import sys
import textwrap
from pathlib import Path

from tutor import manifest
from tutor.engine import cache, plan, reference_process

ROOT = Path(__file__).resolve().parents[1]


def test_a_class_grader_never_imports_torch_itself(tmp_path):
    """The reference comes from a child process through the cache folder; the grading process
    judges (a wrong backward included, whose reference forward out is prepared too) without torch."""
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from tutor import manifest
        from tutor.engine import Grader
        from tutor.engine.run import read_sources
        sources = read_sources(Path({str(ROOT / "solutions")!r}))
        sources["layers"] = sources["layers"].replace("return x @ w + b, (x, w)", "return 2 * (x @ w + b), (2 * x, w)", 1)
        exercises = [manifest.by_id("layers.affine_forward"), manifest.by_id("layers.affine_backward")]
        with Grader(exercises, reference_cache=Path({str(tmp_path)!r})) as grader:
            forward, backward = grader.grade(sources)
        print(forward.passed, backward.diagnosis, "torch" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "wrong_forward", "False"], done.stdout
    assert cache.entry_path("tutor.reference", "layers.affine_backward", tmp_path).is_file()


def test_only_what_is_missing_is_asked_for(tmp_path):
    exercises = [manifest.by_id("optim.sgd_step"), manifest.by_id("perceptron.step")]
    plan.forget()
    ids = lambda: [e.id for e in reference_process.missing(tmp_path, "tutor.reference", exercises)]  # noqa: E731
    assert ids() == ["optim.sgd_step", "perceptron.step"]
    reference_process.prepare_into(tmp_path, "tutor.reference", exercises[:1])
    assert ids() == ["perceptron.step"]
    loaded = cache.load("tutor.reference", exercises[0], plan.from_cache, tmp_path)
    assert loaded is not None and loaded.cases[0].expected is not None


def test_when_the_child_cannot_run_the_grader_prepares_in_process(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no python here")

    monkeypatch.setattr(reference_process.subprocess, "run", broken)
    plan.forget()
    from tutor.engine import Grader
    from tutor.engine.run import read_sources

    with Grader([manifest.by_id("optim.sgd_step")], reference_cache=tmp_path) as grader:
        (result,) = grader.grade(read_sources(ROOT / "solutions"))
    assert result.passed, result.message
