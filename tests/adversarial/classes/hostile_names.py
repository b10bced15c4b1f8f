"""Student folder names that attack whatever handles them next: leading dashes (read as options by
shell tools), a newline, an escape sequence, bytes that are not UTF-8, a leading dot, and two
names that differ only in Unicode form. Dash names are graded (feedback under a safe file name);
the unusable ones are skipped with a warning that shows them escaped; look-alikes are flagged."""
import os

STUDENTS = ["-rf", "--help", "José", "Jose\u0301"]


def plant(root, kit):
    for name in STUDENTS:
        kit.solutions(root / name, ["perceptron"])
    for raw in (b"new\nline", b"esc\x1b[31mred", b"bad\xff\xfename", b".hidden"):
        os.makedirs(os.path.join(os.fsencode(root), raw))


def verify(run):
    for name in STUDENTS:
        assert run.total(name) == run.module_points("perceptron")
        assert not run.feedback_file(name).name.startswith("-")
    assert "new\\nline" in run.stderr and "\x1b[31m" not in run.stderr and "esc\\x1b" in run.stderr
    assert "bad\\udcff" in run.stderr or "not valid UTF-8" in run.stderr
    assert "differ only in case or Unicode form" in run.stderr
