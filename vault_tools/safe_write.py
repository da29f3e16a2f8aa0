"""Writing files without ever leaving a half-written one, and without touching unchanged ones.

Content goes to a temporary file in the target's folder (so the final rename stays on one file
system and is atomic), then replaces the target only if the bytes differ. An existing target
keeps its permission bits. If anything fails on the way, the target is as it was and the
temporary file is gone.
"""

from __future__ import annotations

import contextlib
import filecmp
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_text_output(target: Path, newline: str = "", errors: str = "strict"
                       ) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces `target` on success, only if it changed;
    `errors` is the encoding error handler."""
    folder = target.parent if str(target.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        with open(handle, "w", encoding="utf-8", newline=newline, errors=errors) as stream:
            yield stream
        commit(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def commit(temp: Path, target: Path) -> bool:
    """Move `temp` over `target` unless they hold the same bytes; True when `target` changed."""
    if target.exists() and filecmp.cmp(temp, target, shallow=False):
        return False
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _default_mode()
    os.chmod(temp, mode)
    os.replace(temp, target)
    return True


def write_bytes(target: Path, data: bytes) -> bool:
    """Atomically replace `target` with `data` if it differs; True when it was written."""
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    with atomic_binary(target) as stream:
        stream.write(data)
    return True


@contextlib.contextmanager
def atomic_binary(target: Path) -> Iterator[io.BufferedWriter]:
    folder = target.parent if str(target.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        with open(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        commit(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


class FileChangedError(OSError):
    """The file no longer holds the bytes it was read from (edited meanwhile)."""


def rewrite_bytes(target: Path, data: bytes, expected: bytes) -> bool:
    """Replace the content of `target`, read earlier as `expected`, with `data`, atomically;
    True when it was written. A symbolic link is followed, so the link stays a link and the
    file it points to changes. Raises FileChangedError when the file no longer holds
    `expected` (someone saved it in between), leaving it alone."""
    real = Path(os.path.realpath(target))
    if real.read_bytes() != expected:
        raise FileChangedError(f"{target} changed since it was read")
    if data == expected:
        return False
    with atomic_binary(real) as stream:
        stream.write(data)
    return True
