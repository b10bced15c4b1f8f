"""A module whose expression is nested too deeply to compile: only that module scores 0."""
STUDENTS = ["deepmod"]


def plant(root, kit):
    kit.solutions(root / "deepmod")
    with open(root / "deepmod" / "layers.py", "a") as f:
        f.write("\n_deep = " + "-" * 100_000 + "1\n_deeper = " + "1+" * 90_000 + "1\n")


def verify(run):
    assert run.module_score("deepmod", "layers") == 0
    assert run.total("deepmod") == run.possible - run.module_points("layers")
