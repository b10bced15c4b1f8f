"""Reading a messy class folder: what is graded, what is ignored, and the message for each."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.classroom import submissions as subs
from tutor.classroom.submissions import SubmissionsError, discover

MODULES = ["perceptron", "layers", "cnn"]
GOOD = "def f(x):\n    return x\n"


def write(path: Path, text: str | bytes = GOOD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    root = tmp_path / "class"
    for module in MODULES:
        write(root / "alice" / f"{module}.py", f"# alice {module}\n")
    write(root / "bob" / "layers.py", "def affine_forward(:\n")          # syntax error: still graded
    write(root / "carol" / "layers.py", b"x = '\xe9t\xe9'\n")               # Latin-1, not UTF-8
    write(root / "carol" / "cnn.py")
    write(root / "dave" / "dave" / "layers.py")                            # one level too deep
    write(root / "dave" / "dave" / "cnn.py")
    write(root / "erin" / "Layers.py")                                     # wrong case
    write(root / "erin" / "perceptron (1).py")                             # browser duplicate
    write(root / "erin" / "notes.txt", "my notes")
    write(root / "erin" / "helpers.py")
    write(root / "erin" / "cnn.ipynb", "{}")
    write(root / "erin" / "__pycache__" / "layers.cpython-311.pyc", b"\0")
    write(root / "erin" / ".DS_Store", b"\0")
    (root / "frank").mkdir()                                               # empty folder
    write(root / "README.txt", "instructions")
    write(root / ".DS_Store", b"\0")
    write(root / "__MACOSX" / "alice" / "._layers.py", b"\0")
    write(root / "late.zip", b"PK")
    write(root / "gina" / "layers.py", "\ufeffdef f():\n    return 1\n")  # UTF-8 with a BOM is fine
    return root


def test_students_are_the_folders_sorted(messy: Path):
    found = discover(messy, MODULES)
    assert list(found.students) == ["alice", "bob", "carol", "dave", "erin", "frank", "gina"]
    assert found.sources()["alice"] == {m: f"# alice {m}\n" for m in MODULES}
    assert found.students["alice"].warnings == []


def test_syntax_error_is_left_to_the_grader(messy: Path):
    bob = discover(messy, MODULES).students["bob"]
    assert bob.sources == {"layers": "def affine_forward(:\n"}
    assert bob.missing(MODULES) == ["perceptron", "cnn"]


def test_non_utf8_module_is_a_problem_for_that_module_only(messy: Path):
    carol = discover(messy, MODULES).students["carol"]
    assert "layers" not in carol.sources and "cnn" in carol.sources
    message = carol.problems["layers"]
    assert "not UTF-8" in message and "0xe9" in message and "line 1" in message and "Save it as UTF-8" in message
    assert any("not UTF-8" in w for w in carol.warnings)


def test_read_class_short_form(messy: Path):
    sources, problems = subs.read_class(messy, MODULES)
    assert sources["alice"]["layers"] == "# alice layers\n" and sources["frank"] == {}
    assert list(problems) == ["carol"] and "not UTF-8" in problems["carol"]["layers"]


def test_bom_is_stripped(messy: Path):
    assert discover(messy, MODULES).students["gina"].sources["layers"].startswith("def f")


def test_nested_one_level_too_deep_is_graded_with_a_warning(messy: Path):
    dave = discover(messy, MODULES).students["dave"]
    assert set(dave.sources) == {"layers", "cnn"}
    assert dave.files["layers"] == messy / "dave" / "dave" / "layers.py"
    assert any("dave/dave/" in w and "Move them up" in w for w in dave.warnings)


def test_stray_files_get_a_message_each(messy: Path):
    erin = discover(messy, MODULES).students["erin"]
    assert erin.sources == {"layers": GOOD}           # Layers.py used, with a warning
    text = "\n".join(erin.warnings)
    assert "graded Layers.py as layers.py" in text
    assert "perceptron (1).py" in text and "did you mean perceptron.py" in text
    assert "notes.txt" in text and "helpers.py" in text and "nbconvert" in text
    assert "__pycache__" not in text and ".DS_Store" not in text    # junk is skipped quietly


def test_empty_student_folder(messy: Path):
    frank = discover(messy, MODULES).students["frank"]
    assert frank.sources == {} and frank.missing(MODULES) == MODULES
    assert any("empty" in w for w in frank.warnings)


def test_class_level_warnings(messy: Path):
    found = discover(messy, MODULES)
    text = "\n".join(found.all_warnings())
    assert "README.txt" in text
    assert "late.zip is an archive" in text and "unpack" in text
    assert ".DS_Store" in text and "__MACOSX" in text       # counted once, in one line
    assert "__MACOSX" not in found.students


def test_content_hash_tracks_only_graded_content(messy: Path):
    before = discover(messy, MODULES).students
    write(messy / "erin" / "more-notes.txt", "x")
    write(messy / "alice" / "layers.py", "# alice layers, changed\n")
    after = discover(messy, MODULES).students
    assert after["erin"].content_hash(MODULES) == before["erin"].content_hash(MODULES)
    assert after["alice"].content_hash(MODULES) != before["alice"].content_hash(MODULES)
    assert after["bob"].content_hash(MODULES) == before["bob"].content_hash(MODULES)
    # a missing module and an empty one differ
    write(messy / "frank" / "layers.py", "")
    assert discover(messy, MODULES).students["frank"].content_hash(MODULES) != before["frank"].content_hash(MODULES)


def test_symlinks_fifos_and_huge_files_are_refused(tmp_path: Path):
    root = tmp_path / "class"
    secret = write(tmp_path / "secret.txt", "instructor only")
    (root / "mallory").mkdir(parents=True)
    os.symlink(secret, root / "mallory" / "layers.py")
    os.mkfifo(root / "mallory" / "cnn.py")
    write(root / "mallory" / "perceptron.py", "#" * (subs.MAX_SOURCE_BYTES + 10))
    mallory = discover(root, MODULES).students["mallory"]
    assert mallory.sources == {}
    assert "symbolic link" in mallory.problems["layers"]
    assert "not a regular file" in mallory.problems["cnn"]
    assert "MB" in mallory.problems["perceptron"]
    assert "instructor only" not in repr(mallory)


def test_instructor_mistakes_raise_with_advice(tmp_path: Path):
    with pytest.raises(SubmissionsError, match="no such folder"):
        discover(tmp_path / "nope", MODULES)
    afile = write(tmp_path / "class.zip", b"PK")
    with pytest.raises(SubmissionsError, match="is a file, not a folder"):
        discover(afile, MODULES)
    one = tmp_path / "alice"
    write(one / "layers.py")
    with pytest.raises(SubmissionsError, match="one student's folder"):
        discover(one, MODULES)
    nested = tmp_path / "wrapped"
    write(nested / "class" / "a" / "layers.py")
    write(nested / "class" / "b" / "layers.py")
    with pytest.raises(SubmissionsError, match="give .*class instead"):
        discover(nested, MODULES)


def test_empty_class_is_empty(tmp_path: Path):
    (tmp_path / "class").mkdir()
    assert discover(tmp_path / "class", MODULES).students == {}


def test_output_folder_inside_the_class_is_skipped(messy: Path):
    out = messy / "out"
    write(out / "grades.csv", "student,exercise,score,max_score\n")
    found = discover(messy, MODULES, skip=[out])
    assert "out" not in found.students
    assert any("output folder" in w for w in found.warnings)


def test_odd_student_folder_names(tmp_path: Path):
    root = tmp_path / "class"
    write(root / "bad\nname" / "layers.py")
    write(root / ".hidden" / "layers.py")
    write(root / "Zoë Åberg, Jr." / "layers.py")
    write(root / "adam" / "layers.py")
    found = discover(root, MODULES)
    assert list(found.students) == ["adam", "Zoë Åberg, Jr."]      # sorted, case-insensitively
    text = "\n".join(found.warnings)
    assert "control characters" in text and ".hidden" in text


def test_a_registered_reader_claims_its_layout(tmp_path: Path, monkeypatch):
    """The nbgrader seam: a reader recognises its own layout before the plain .py reader."""
    root = tmp_path / "submitted"
    write(root / "alice" / "ps1" / "layers.ipynb", "{}")
    write(root / "bob" / "layers.py")

    def notebook_reader(folder: Path, modules):
        notebooks = list(folder.glob("*/*.ipynb"))
        if not notebooks:
            return None
        return subs.Student(name=folder.name, folder=folder, sources={"layers": "# from the notebook\n"},
                            meta={"assignment": notebooks[0].parent.name})

    monkeypatch.setattr(subs, "_READERS", [])
    subs.register_reader(notebook_reader)
    found = discover(root, MODULES)
    assert found.students["alice"].sources == {"layers": "# from the notebook\n"}
    assert found.students["alice"].meta == {"assignment": "ps1"}
    assert found.students["bob"].sources == {"layers": GOOD}


def test_hostile_file_names_are_shown_escaped(tmp_path: Path):
    root = tmp_path / "class"
    write(root / "mallory" / "layers.py")
    write(root / "mallory" / "evil\x1b[2J\u202egnp.py")
    write(Path(os.fsdecode(os.fsencode(root / "mallory") + b"/caf\xe9.txt")))
    for i in range(30):
        write(root / "mallory" / f"junk{i:02d}.txt", "x")
    found = discover(root, MODULES)
    lines = found.all_warnings()
    text = "\n".join(lines)
    text.encode("utf-8")                                   # no lone surrogates left
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[2J\\u202egnp.py" in text and "caf\\udce9.txt" in text
    assert len(found.students["mallory"].warnings) == subs.MAX_WARNINGS + 1
    assert "more warnings" in found.students["mallory"].warnings[-1]


def test_student_folder_links_outside_the_class_are_refused(tmp_path: Path):
    root = tmp_path / "class"
    write(tmp_path / "solutions" / "layers.py", "# the instructor's solutions\n")
    write(root / "alice" / "layers.py")
    os.symlink(tmp_path / "solutions", root / "mallory")     # outside: refused
    os.symlink(root, root / "loop")                            # the class folder itself: refused
    os.symlink(root / "alice", root / "alice-again")          # inside: graded (the instructor's link)
    found = discover(root, MODULES)
    assert set(found.students) == {"alice", "alice-again"}
    assert any("mallory/" in w and "symbolic link" in w for w in found.warnings)
    assert any("loop/" in w for w in found.warnings)


def test_links_inside_a_student_folder_are_never_followed(tmp_path: Path):
    root = tmp_path / "class"
    write(tmp_path / "solutions" / "layers.py", "# the instructor's solutions\n")
    write(root / "nina" / "cnn.py")
    os.symlink(tmp_path / "solutions", root / "nina" / "sub")
    os.link(tmp_path / "solutions" / "layers.py", root / "nina" / "layers.py")
    nina = discover(root, MODULES).students["nina"]
    assert "hard link" in nina.problems["layers"] and set(nina.sources) == {"cnn"}
    assert any("sub" in w and "symbolic link" in w for w in nina.warnings)
    assert "instructor" not in repr(nina.sources)


def test_a_failing_reader_is_that_students_problem(tmp_path: Path):
    root = tmp_path / "class"
    write(root / "alice" / "layers.py")
    write(root / "zoe" / "layers.py")

    def fragile(folder: Path, modules):
        if folder.name == "zoe":
            raise RecursionError("maximum recursion depth exceeded")
        return None

    subs.register_reader(fragile)
    try:
        found = discover(root, MODULES)
    finally:
        subs.unregister_reader(fragile)
    assert found.students["alice"].sources == {"layers": GOOD}
    zoe = found.students["zoe"]
    assert zoe.sources == {} and set(zoe.problems) == set(MODULES)
    assert "nested too deeply" in zoe.problems["layers"]


def test_lookalike_names_are_flagged(tmp_path: Path):
    root = tmp_path / "class"
    for name in ("José", "Jose\u0301", "ALICE", "alice"):
        write(root / name / "layers.py")
    found = discover(root, MODULES)
    assert len(found.students) == 4
    assert sum("differ only in case or Unicode form" in w for w in found.warnings) == 2
