"""Links inside a student's folder: a module that is a link to the solutions, a sub-folder that is
a link to the solutions, and a student whose only content is a linked sub-folder (the "unzipped
one level too deep" case, through a link). Nothing is read through any of them."""
STUDENTS = ["linda", "nina"]


def plant(root, kit):
    import os

    kit.solutions(root / "linda", ["perceptron"])
    os.symlink(kit.solutions_dir / "layers.py", root / "linda" / "layers.py")
    os.symlink(kit.solutions_dir, root / "linda" / "extra")
    (root / "nina").mkdir()
    os.symlink(kit.solutions_dir, root / "nina" / "nina")


def verify(run):
    assert run.module_score("linda", "layers") == 0
    assert run.module_score("linda", "perceptron") == run.module_points("perceptron")
    assert run.total("linda") == run.module_points("perceptron")
    assert "symbolic link" in run.feedback("linda") and "extra" in run.feedback("linda")
    assert run.total("nina") == 0 and "symbolic link" in run.feedback("nina")
