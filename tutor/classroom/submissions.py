"""Reading a class folder: SUBMISSIONS/<student>/<module>.py -> {student: {module: source}}.

    read_class(root, modules=None) -> ({student: {module: source}}, {student: {module: problem}})
    discover(root, modules=None, skip=()) -> ClassFolder
        .students      {name: Student}, sorted by name
        .sources()     {student: {module: source text}}   what the engine grades
        .problems()    {student: {module: message}}       files that are there but unusable
        .warnings      messages about the class folder itself (stray files, archives...)

A Student knows, per exercise module, either its source text (`sources`), or why the file
that is there cannot be graded (`problems`: not UTF-8, too large, a symbolic link), or
nothing (the module is missing). Anything odd in the student's folder becomes a warning
that names the file and says what to do. Nothing here raises for a student's mistake;
`SubmissionsError` is for the instructor's (no such folder, a file given as the folder,
one student's folder given as the class).

The nbgrader seam. A *reader* is a function `(folder: Path, modules: list[str]) ->
Student | None` that recognises its own layout in one student's folder and returns None
otherwise. Readers are tried in order before the plain `.py` reader: those passed to
`register_reader`, then `read_student` of the optional module
tutor/nbgrader/notebooks.py (an nbgrader submitted/<student>/<assignment>/
<notebook>.ipynb reader; it may keep e.g. the assignment name in `Student.meta`).
"""
from __future__ import annotations

import difflib
import importlib
import os
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from tutor.classroom.student import JUNK, Student  # noqa: F401 - what a reader returns
from tutor.files import MAX_SOURCE_BYTES, SOURCE_LIMIT
from tutor.safe_text import one_line

ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".7z", ".rar", ".gz")


class SubmissionsError(Exception):
    """The class folder cannot be used at all (an instructor's mistake); str() says what to do."""


@dataclass
class ClassFolder:
    root: Path
    modules: list[str]
    students: dict[str, Student]
    warnings: list[str] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)   # junk names skipped quietly -> count

    def sources(self) -> dict[str, dict[str, str]]:
        return {name: dict(s.sources) for name, s in self.students.items()}

    def problems(self) -> dict[str, dict[str, str]]:
        return {name: dict(s.problems) for name, s in self.students.items() if s.problems}

    def all_warnings(self) -> list[str]:
        """Every warning, the class folder's first, then each student's prefixed with the name."""
        lines = list(self.warnings)
        for name, student in self.students.items():
            lines += [one_line(f"{name}: {w}") for w in student.warnings]
        if self.ignored:
            names = ", ".join(f"{n} ({c})" if c > 1 else n for n, c in sorted(self.ignored.items()))
            lines.append(one_line(f"skipped system files and folders: {names}"))
        return lines


Reader = Callable[[Path, Sequence[str]], "Student | None"]
_READERS: list[Reader] = []


def register_reader(reader: Reader) -> None:
    """Add a reader for another layout (tried before the plain .py reader)."""
    if reader not in _READERS:
        _READERS.append(reader)


def unregister_reader(reader: Reader) -> None:
    if reader in _READERS:
        _READERS.remove(reader)


def _readers() -> list[Reader]:
    readers = list(_READERS)
    try:
        plugin = importlib.import_module("tutor.nbgrader.notebooks")
    except ModuleNotFoundError as exc:
        if exc.name != "tutor.nbgrader.notebooks":
            raise
    else:
        reader = getattr(plugin, "read_student", None)
        if reader is not None and reader not in readers:
            readers.append(reader)
    return readers


def default_modules() -> list[str]:
    from tutor.paths import exercise_modules

    return exercise_modules()


def _is_junk(name: str) -> bool:
    return name in JUNK or name.startswith("._") or name.startswith("~$") or name.endswith("~")


MAX_WARNINGS = 20   # per student folder; the rest are counted


def _bad_name(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "its name contains control characters"
    return None


def discover(root: Path, modules: Sequence[str] | None = None, skip: Iterable[Path] = ()) -> ClassFolder:
    """Read the class folder. `skip`: folders inside it that are not students (e.g. --out)."""
    modules = list(default_modules() if modules is None else modules)
    root = Path(root)
    top = _sort_class_folder(root, _class_entries(root), modules, skip)
    warnings = top.warnings + _misplaced_class_warnings(root, top, modules)
    students = _read_students(top.student_dirs, modules)
    warnings += _lookalike_names(students)
    for student in students.values():
        _cap_warnings(student)
    return ClassFolder(root=root, modules=modules, students=dict(sorted(students.items(), key=lambda kv: (kv[0].casefold(), kv[0]))),
                       warnings=[one_line(w) for w in warnings], ignored=top.ignored)


def _class_entries(root: Path) -> list[os.DirEntry]:
    """The class folder's entries by name; an instructor's mistake about the folder itself raises."""
    if not root.exists():
        raise SubmissionsError(
            f"{root}: no such folder. Give the folder that holds one sub-folder per student "
            f"(SUBMISSIONS/<student>/<module>.py).")
    if not root.is_dir():
        raise SubmissionsError(
            f"{root} is a file, not a folder. Give the folder that holds one sub-folder per "
            f"student (SUBMISSIONS/<student>/<module>.py); unpack an archive first.")
    try:
        return sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise SubmissionsError(f"{root}: cannot read the folder ({exc.strerror}).") from None


@dataclass
class _TopLevel:
    """The class folder's entries, sorted out: what is graded, what is not and why."""
    student_dirs: list[os.DirEntry] = field(default_factory=list)
    loose_modules: list[str] = field(default_factory=list)   # <module>.py directly in the class folder
    warnings: list[str] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)


def _sort_class_folder(root: Path, entries: list[os.DirEntry], modules: Sequence[str],
                       skip: Iterable[Path]) -> _TopLevel:
    skip = {Path(p).resolve() for p in skip}
    module_files = {f"{m}.py" for m in modules}
    top = _TopLevel()
    for entry in entries:
        kind, warning = _top_level_entry(entry, root, module_files, skip)
        if kind == "junk":
            top.ignored[entry.name] += 1
        elif kind == "student":
            top.student_dirs.append(entry)
        elif kind == "module":
            top.loose_modules.append(entry.name)
        else:
            top.warnings.append(warning)
    return top


def _top_level_entry(entry: os.DirEntry, root: Path, module_files: set[str],
                     skip: set[Path]) -> tuple[str, str | None]:
    """What one entry of the class folder is: ("junk" | "student" | "module", None) or
    ("skipped", the warning that says why)."""
    name = entry.name
    if _is_junk(name):
        return "junk", None
    problem = _bad_name(name)
    if problem:
        return "skipped", f"skipped {name!r}: {problem}; rename it and run again."
    if name.startswith("."):
        return "skipped", f"skipped hidden {name}; a student folder's name must not start with a dot."
    if _is_folder(entry):
        return _top_level_folder(entry, root, skip)
    if name in module_files:
        return "module", None
    if name.lower().endswith(ARCHIVES):
        return "skipped", (f"{name} is an archive, not a student folder: unpack it into "
                           f"{root / Path(name).name.split('.')[0]}/ and run again; it was not graded.")
    return "skipped", f"ignored the file {name}: only sub-folders (one per student) are graded."


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()   # follows a link: _top_level_folder checks where it leads
    except OSError:
        return False


def _top_level_folder(entry: os.DirEntry, root: Path, skip: set[Path]) -> tuple[str, str | None]:
    name = entry.name
    if entry.is_symlink() and not _inside(Path(entry.path), root):
        return "skipped", (f"skipped {name}/: it is a symbolic link to a folder outside the class folder "
                           f"({os.path.realpath(entry.path)}), which is never graded (it could be anyone's "
                           f"files); copy the student's folder in instead.")
    if Path(entry.path).resolve() in skip:
        return "skipped", f"skipped {name}/: it is the output folder, not a student."
    return "student", None


def _misplaced_class_warnings(root: Path, top: _TopLevel, modules: Sequence[str]) -> list[str]:
    """Raises when `root` is one student's folder, or a folder around the class; warns about
    modules left directly in the class folder."""
    loose, student_dirs = top.loose_modules, top.student_dirs
    if loose and not student_dirs:
        raise SubmissionsError(
            f"{root} looks like one student's folder (it holds {', '.join(loose)}), not a class: "
            f"give the folder above it, which holds one sub-folder per student.")
    if len(student_dirs) == 1:
        only = Path(student_dirs[0].path)
        inner = _subfolders_with_modules(only, modules)
        if len(inner) >= 2 and not _holds_modules(only, modules):
            raise SubmissionsError(
                f"{root} holds a single folder, {only.name}/, whose sub-folders ({', '.join(inner[:3])}"
                f"{', ...' if len(inner) > 3 else ''}) look like the students: give {only} instead.")
    if not loose:
        return []
    return [f"ignored {', '.join(loose)} directly in {root}: a submission belongs "
            f"in a student's sub-folder ({root}/<student>/{loose[0]})."]


def _read_students(student_dirs: list[os.DirEntry], modules: Sequence[str]) -> dict[str, Student]:
    students: dict[str, Student] = {}
    readers = _readers()
    for entry in student_dirs:
        student = _read_one(Path(entry.path), modules, readers)
        students[student.name] = student
    return students


def _cap_warnings(student: Student) -> None:
    """At most MAX_WARNINGS lines per student (the rest counted), each safe to print."""
    extra = len(student.warnings) - MAX_WARNINGS
    if extra > 0:
        student.warnings[MAX_WARNINGS:] = [f"... and {extra} more warnings like these."]
    student.warnings = [one_line(w) for w in student.warnings]


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, links resolved, is a folder strictly inside the class folder `root`."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real != top and real.startswith(top.rstrip(os.sep) + os.sep)


def _read_one(folder: Path, modules: Sequence[str], readers: Sequence[Reader]) -> Student:
    """One student's folder, through the first reader that knows its layout. Anything unexpected
    while reading it is this student's problem, never the class's: every module scores 0 with a
    line naming the internal error (its traceback is kept, see tutor.classroom.incidents)."""
    try:
        for reader in readers:
            student = reader(folder, modules)
            if student is not None:
                return student
        return read_student(folder, modules)
    except Exception as exc:  # noqa: BLE001 - one student's data must not stop the class
        from tutor.classroom.incidents import report

        line = report(exc, folder.name)
        student = Student(name=folder.name, folder=folder)
        why = f"the submission could not be read ({line}); ask your instructor, who can see the details."
        if isinstance(exc, (RecursionError, MemoryError)):
            why = ("the submission could not be read: a file in it is nested too deeply to be parsed "
                   f"({type(exc).__name__}). Simplify it and hand it in again.")
        student.problems = {m: why for m in modules}
        student.warnings.append(why)
        return student


def _lookalike_names(students: dict[str, Student]) -> list[str]:
    """Student folders whose names differ only in case or Unicode form (alice / Alice, an é
    composed or not): both are graded, but a reader of grades.csv cannot tell them apart."""
    groups: dict[str, list[str]] = {}
    for name in students:
        groups.setdefault(unicodedata.normalize("NFKC", name).casefold(), []).append(name)
    return [f"the student folders {', '.join(repr(n) for n in names)} differ only in case or Unicode form: "
            f"each is graded separately; check they are different students (grades.csv shows them alike)."
            for names in groups.values() if len(names) > 1]


def read_class(root: Path, modules: Sequence[str] | None = None
               ) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The short form: ({student: {module: source}}, {student: {module: problem}})."""
    found = discover(root, modules)
    return found.sources(), found.problems()


def read_source(path: Path) -> tuple[str | None, str | None]:
    """(source, None) or (None, problem) for one module file: regular file, size, UTF-8."""
    name = path.name
    try:
        st = os.lstat(path)
    except OSError as exc:
        return None, f"{name} cannot be read ({exc.strerror}); fix the file's permissions and grade again."
    if stat.S_ISLNK(st.st_mode):
        return None, (f"{name} is a symbolic link, which is not graded: put the file itself "
                      f"in the folder.")
    if not stat.S_ISREG(st.st_mode):
        return None, f"{name} is not a regular file; put the module's source file there."
    if st.st_nlink > 1:
        return None, (f"{name} is a hard link (the same file as another one elsewhere), which is not graded: "
                      f"put a copy of the file itself in the folder.")
    if st.st_size > MAX_SOURCE_BYTES:
        return None, (f"{name} is {st.st_size:,} bytes, over the limit of {SOURCE_LIMIT}: an exercise "
                      f"module is a few kB. Hand in the source file only.")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            opened = os.fstat(f.fileno())
            if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(opened.st_mode):
                return None, f"{name} changed while it was being read; grade again."
            data = f.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        return None, f"{name} cannot be read ({exc.strerror}); fix the file and grade again."
    if len(data) > MAX_SOURCE_BYTES:
        return None, f"{name} is over the limit of {SOURCE_LIMIT}; hand in the source file only."
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, (f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line} cannot be "
                      f"decoded), so it was not run. Save it as UTF-8 (most editors: 'Save with "
                      f"encoding') and hand it in again.")


def read_student(folder: Path, modules: Sequence[str]) -> Student:
    """The plain layout: <folder>/<module>.py. Handles the usual slips helpfully."""
    student = Student(name=folder.name, folder=folder)
    modules = list(modules)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        return _unreadable_folder(student, modules, exc)
    files, subdirs = _files_and_subdirs(entries, student)
    where, files, subdirs, top_level_strays = _find_module_folder(student, files, subdirs, modules)
    used = _read_modules(student, where, files, modules)
    expected = [f"{m}.py" for m in modules]
    for name in top_level_strays + [n for n in files if n not in used]:
        student.warnings.append(_stray_file_message(name, expected, modules))
    for entry in subdirs:
        student.warnings.append(f"ignored the sub-folder {entry.name}/: only {folder.name}/<module>.py "
                                f"files are graded.")
    if not files and not subdirs:
        student.warnings.append("the folder is empty; every exercise scores 0.")
    elif not student.sources and not student.problems:
        student.warnings.append(f"none of the exercise modules ({', '.join(expected)}) is there; "
                                f"every exercise scores 0.")
    return student


def _unreadable_folder(student: Student, modules: Sequence[str], exc: OSError) -> Student:
    for module in modules:
        student.problems[module] = (f"the folder {student.folder.name}/ cannot be read ({exc.strerror}); "
                                    f"fix its permissions and grade again.")
    student.warnings.append(f"cannot read the folder ({exc.strerror}); every exercise scores 0 "
                            f"until its permissions are fixed.")
    return student


def _files_and_subdirs(entries: list[os.DirEntry], student: Student
                       ) -> tuple[dict[str, os.DirEntry], list[os.DirEntry]]:
    """A student folder's files by name and its sub-folders; links (other than a module's,
    which read_source refuses with a message) are never followed, only warned about."""
    files: dict[str, os.DirEntry] = {}
    subdirs: list[os.DirEntry] = []
    for entry in entries:
        if _is_junk(entry.name) or entry.name == "timestamp.txt":   # the submission time (classroom/late.py)
            continue
        kind = _student_entry_kind(entry)
        if kind == "link":
            student.warnings.append(f"ignored {entry.name}: a symbolic link, which is never followed; "
                                    f"put the file or folder itself there.")
        elif kind == "folder":
            subdirs.append(entry)
        else:
            files[entry.name] = entry
    return files, subdirs


def _student_entry_kind(entry: os.DirEntry) -> str:
    """"link", "folder" or "file" (also what an entry that cannot be examined counts as)."""
    try:
        if entry.is_symlink() and not entry.name.endswith(".py"):
            return "link"
        if entry.is_dir(follow_symlinks=False):
            return "folder"
    except OSError:
        pass
    return "file"


def _find_module_folder(student: Student, files: dict[str, os.DirEntry], subdirs: list[os.DirEntry],
                        modules: Sequence[str]
                        ) -> tuple[Path, dict[str, os.DirEntry], list[os.DirEntry], list[str]]:
    """Where the modules are: (folder, its files, sub-folders left to warn about, files left
    behind at the top). SUBMISSIONS/alice/alice/layers.py, SUBMISSIONS/alice/submission/layers.py:
    an unzip one level too deep. Use the one sub-folder that holds the modules, and say so."""
    folder = student.folder
    lowered = {name.lower() for name in files}
    if any(f"{m}.py".lower() in lowered for m in modules):
        return folder, files, subdirs, []
    nested = [d for d in subdirs if _holds_modules(Path(d.path), modules)]
    if len(nested) > 1:
        names = ", ".join(f"{d.name}/" for d in nested)
        student.warnings.append(
            f"modules were found in several sub-folders ({names}) and none directly in "
            f"{folder.name}/, so none were graded: keep one set of modules directly in {folder.name}/.")
        return folder, files, [], []
    if not nested:
        return folder, files, subdirs, []
    inner = nested[0]
    where = Path(inner.path)
    student.warnings.append(
        f"the modules are in the sub-folder {folder.name}/{inner.name}/ rather than directly "
        f"in {folder.name}/; graded them there. Move them up one level to silence this warning.")
    return where, _files_in(where, student), [d for d in subdirs if d is not inner], list(files)


def _files_in(where: Path, student: Student) -> dict[str, os.DirEntry]:
    try:
        return {e.name: e for e in sorted(os.scandir(where), key=lambda e: e.name)
                if not _is_junk(e.name) and not e.is_dir(follow_symlinks=False)}
    except OSError as exc:
        student.warnings.append(f"cannot read {where} ({exc.strerror}).")
        return {}


def _read_modules(student: Student, where: Path, files: dict[str, os.DirEntry],
                  modules: Sequence[str]) -> set[str]:
    """Read each module's file into the student's sources or problems; the file names used."""
    used: set[str] = set()
    lower = {name.lower(): name for name in files}
    for module in modules:
        filename = _module_file(student, module, files, lower, used)
        if filename is None:
            continue
        used.add(filename)
        path = where / filename
        student.files[module] = path
        source, problem = read_source(path)
        if problem is None:
            student.sources[module] = source
        else:
            student.problems[module] = problem
            student.warnings.append(problem)
    return used


def _module_file(student: Student, module: str, files: dict[str, os.DirEntry],
                 lower: dict[str, str], used: set[str]) -> str | None:
    """The file name that holds `module`; one that differs only in case is taken, with a warning."""
    filename = f"{module}.py"
    if filename not in files and filename.lower() in lower and lower[filename.lower()] not in used:
        actual = lower[filename.lower()]
        student.warnings.append(f"graded {actual} as {filename}; rename it to {filename} "
                                f"(names are case-sensitive on Linux and macOS).")
        filename = actual
    return filename if filename in files else None


def _holds_modules(folder: Path, modules: Sequence[str]) -> bool:
    try:
        return any((folder / f"{m}.py").is_file() or (folder / f"{m}.py").is_symlink() for m in modules)
    except OSError:
        return False


def _subfolders_with_modules(folder: Path, modules: Sequence[str]) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(folder)
                      if e.is_dir() and not _is_junk(e.name) and _holds_modules(Path(e.path), modules))
    except OSError:
        return []


def _stray_file_message(name: str, expected: list[str], modules: Sequence[str]) -> str:
    if name.endswith(".ipynb"):
        return (f"ignored the notebook {name}: tutor grade reads .py modules (export it with "
                f"`jupyter nbconvert --to script`, or grade an nbgrader submitted/ folder).")
    stem = name.split(".")[0].split(" ")[0].split("(")[0].strip().lower()
    close = difflib.get_close_matches(name, expected, n=1, cutoff=0.75)
    if not close and stem in modules:
        close = [f"{stem}.py"]
    if close:
        return (f"ignored {name}: did you mean {close[0]}? Rename it to {close[0]} and grade again; "
                f"until then {close[0]} counts as missing.")
    if name.endswith(".py"):
        return (f"ignored {name}: it is not one of the exercise modules, and the grader does not put it "
                f"on the import path (a module that imports it will fail).")
    return f"ignored {name}: not an exercise module."


def read_submitted_folder(path: Path, modules: Sequence[str] | None = None) -> dict[str, dict[str, str]]:
    """{student: {module: source}} for an nbgrader submitted/ folder (or a plain class folder)."""
    return discover(Path(path), modules).sources()
