"""One student of a class, as a reader of a class folder returns them (submissions.py for plain
folders, tutor/nbgrader/notebooks.py for nbgrader's submitted/ layout): data only, so that
either reader can make one without importing the other.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

# Files and folders that operating systems, editors and archivers leave behind: skipped
# quietly (only counted), wherever they are.
JUNK = {
    ".DS_Store", "Thumbs.db", "desktop.ini", "__pycache__", "__MACOSX", ".ipynb_checkpoints",
    ".git", ".svn", ".hg", ".idea", ".vscode", ".mypy_cache", ".pytest_cache", ".Trash",
}

@dataclass
class Student:
    name: str
    folder: Path
    sources: dict[str, str] = field(default_factory=dict)    # module -> source text
    problems: dict[str, str] = field(default_factory=dict)   # module -> why it scores 0
    files: dict[str, Path] = field(default_factory=dict)     # module -> the file it came from
    warnings: list[str] = field(default_factory=list)        # about this folder, for both audiences
    meta: dict = field(default_factory=dict)                 # free for readers (nbgrader: assignment)

    def missing(self, modules: Iterable[str]) -> list[str]:
        return [m for m in modules if m not in self.sources and m not in self.problems]

    def content_hash(self, modules: Sequence[str]) -> str:
        """What the grade depends on: each module's source text, or its problem. Any change
        to a submitted module changes it; a stray notes.txt does not."""
        h = hashlib.sha256()
        for module in modules:
            if module in self.sources:
                tag, body = b"source", self.sources[module].encode("utf-8", "surrogatepass")
            elif module in self.problems:
                tag, body = b"problem", self.problems[module].encode("utf-8", "surrogatepass")
            else:
                tag, body = b"missing", b""
            for part in (module.encode(), tag, hashlib.sha256(body).digest()):
                h.update(len(part).to_bytes(8, "big"))
                h.update(part)
        return h.hexdigest()
