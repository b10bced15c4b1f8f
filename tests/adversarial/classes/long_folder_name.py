"""Student folder names at NAME_MAX (255 bytes, ASCII and multi-byte): `<name>.md` and any
temporary name derived from it would not fit; the feedback file gets a short name with a hash,
listed in OUT/feedback-index.csv, and the student is graded like anyone else."""
STUDENTS = ["l" * 255, "é" * 127 + "x"]


def plant(root, kit):
    for name in STUDENTS:
        kit.solutions(root / name)


def verify(run):
    for name in STUDENTS:
        assert run.total(name) == run.possible
        assert "Total:" in run.feedback(name)
        assert len(run.feedback_file(name).name.encode()) < 255
