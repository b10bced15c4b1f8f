"""A student folder that is a symbolic link to the course's solutions (outside the class folder):
it once scored full marks; it is refused, with a warning naming it, and gets no grades at all."""
STUDENTS = []


def plant(root, kit):
    import os

    os.symlink(kit.solutions_dir, root / "mallory")
    os.symlink(kit.outside, root / "outsider")


def verify(run):
    students = {row[0] for row in run.raw_rows[1:]}
    assert "mallory" not in students and "outsider" not in students
    assert "mallory/" in run.stderr and "outsider/" in run.stderr and "symbolic link" in run.stderr
