"""Files: replacing one atomically, and how large a learner's source file may be.

    atomic_write(path, data)    data is str (written as UTF-8, newlines as given) or bytes
    MAX_SOURCE_BYTES            the one size limit of an exercise module, for `tutor check`
                                and `tutor grade` alike (SOURCE_LIMIT says it in words)

atomic_write: a reader sees the old file or the new one, never half of one, even after a
crash. The data goes to a temporary file in the same folder (so the rename stays on one file
system, where it is atomic), is flushed to disk, and is renamed over PATH; then the folder
is flushed too, so that the rename itself survives a crash. On any failure the temporary
file is removed and the error raised.

A symbolic link at PATH is replaced by the new file, never followed: writing through a link
planted at a report's or a progress file's name could land anywhere. The new file has the
usual permissions (0666 less the umask), as open() would give it, not mkstemp's 0600.

Standard library only: the engine imports this.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

MAX_SOURCE_BYTES = 1 << 20    # an exercise module is a few kB; anything this big is a mistake
SOURCE_LIMIT = f"{MAX_SOURCE_BYTES >> 20} MB ({MAX_SOURCE_BYTES:,} bytes)"


def atomic_write(path: Path | str, data: str | bytes) -> None:
    """Replace PATH by a file holding DATA, atomically and durably."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = _new_temporary(path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(path.parent)


def _new_temporary(folder: Path) -> tuple[int, Path]:
    """A new, empty file of our own in FOLDER: like mkstemp, but with the usual permissions."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        # A short name of its own, whatever the target's: a long student name must not overflow it.
        temporary = folder / f".tmp-{secrets.token_hex(8)}"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue


def _sync_folder(folder: Path) -> None:
    """Flush FOLDER's entries (the rename) to disk, where the system allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass    # some file systems cannot flush a folder; the file itself is on disk
    finally:
        os.close(fd)
