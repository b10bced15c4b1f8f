"""`tutor notebooks`: one line naming the install command when the Jupyter extra is missing."""
from __future__ import annotations

import sys

from tutor.cli import main


def test_without_nbformat_one_line_names_the_install_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "nbformat", None)   # what `import nbformat` meets when missing
    assert main(["notebooks", str(tmp_path / "nb")]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        'tutor notebooks needs the Jupyter extra: pip install "nn-tutor[classroom]"']
    assert not (tmp_path / "nb").exists()
