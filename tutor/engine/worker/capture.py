"""Learner prints, kept in memory and capped: the child's sys.stdout and sys.stderr. Standard library only."""
from __future__ import annotations

import io

MAX_TEXT = 3000               # characters of captured output or traceback kept


class CappedText(io.TextIOBase):
    """Stands in for sys.stdout/sys.stderr: keeps the first MAX_TEXT characters.

    Looks enough like a real text stream for learner code: .buffer takes bytes (decoded as
    UTF-8 into the same capped text), .encoding/.errors are set, isatty() is False, and
    fileno() raises io.UnsupportedOperation (there is no file descriptor to write to).
    """

    encoding = "utf-8"
    errors = "replace"
    newlines = None
    line_buffering = False

    def __init__(self):
        self.parts, self.size = [], 0
        self.buffer = CappedBytes(self)

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        text = str(text)
        if self.size < MAX_TEXT:
            self.parts.append(text[:MAX_TEXT - self.size])
        self.size += len(text)
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        if self.size > MAX_TEXT:
            text += f"\n... ({self.size - MAX_TEXT} more characters not shown)"
        self.parts, self.size = [], 0
        return text


class CappedBytes(io.BufferedIOBase):
    """The bytes side of a CappedText (sys.stdout.buffer): same cap, decoded as UTF-8."""

    def __init__(self, text: CappedText):
        self._text = text
        self.raw = None

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, data):
        if isinstance(data, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        view = memoryview(data)
        size = view.nbytes
        if self._text.size < MAX_TEXT:
            head = view.cast("B")[:4 * MAX_TEXT].tobytes() if view.c_contiguous else view.tobytes()[:4 * MAX_TEXT]
            self._text.write(head.decode("utf-8", "replace"))
        else:
            self._text.size += size
        return size

    def detach(self):
        raise io.UnsupportedOperation("detach")
