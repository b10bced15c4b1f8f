"""A notebook nested so deeply that json.loads raises RecursionError (it once stopped the class)."""
STUDENTS = ["deepjson"]


def plant(root, kit):
    folder = root / "deepjson" / "01_perceptron"
    folder.mkdir(parents=True)
    (folder / "perceptron.ipynb").write_text("[" * 200_000 + "]" * 200_000)


def verify(run):
    assert run.total("deepjson") == 0
    assert "nested too deeply" in run.feedback("deepjson")
