"""A module that is a hard link to a file outside the class folder (the instructor's copy of the
solutions): the same inode, so no symbolic link to see. Refused because st_nlink > 1."""
STUDENTS = ["hardy"]


def plant(root, kit):
    import os
    import shutil

    kit.solutions(root / "hardy", ["perceptron"])
    shutil.copy(kit.solutions_dir / "layers.py", kit.outside / "layers.py")
    os.link(kit.outside / "layers.py", root / "hardy" / "layers.py")


def verify(run):
    assert run.module_score("hardy", "layers") == 0
    assert "hard link" in run.feedback("hardy")
    assert run.total("hardy") == run.module_points("perceptron")
