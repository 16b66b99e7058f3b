"""Reading input files (specs, certificates, metadata to import) without hanging or exhausting memory.

A FIFO, a device such as /dev/zero or a folder is refused before anything is read (the open
does not block), and no more than `limit` bytes are ever read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path


def shown(text: str) -> str:
    """A path or value as printed in messages: control characters escaped, so it cannot inject lines or
    terminal escapes."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                   for c in text)


class InputProblem(Exception):
    """Why a file cannot be read, in words for a message."""


def _refuse(mode: int) -> InputProblem:
    return InputProblem("is a folder" if stat.S_ISDIR(mode) else "is not a regular file (a pipe, socket or device)")


def read_input(path: Path, limit: int) -> bytes:
    try:
        # Looked at before it is opened, so a FIFO is never opened at all; checked again on the open file.
        before = os.stat(path).st_mode
        if not stat.S_ISREG(before):
            raise _refuse(before)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputProblem("does not exist") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise InputProblem(f"cannot be opened ({getattr(exc, 'strerror', None) or exc})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _refuse(mode)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputProblem(f"is larger than {limit // 1024} KiB")
    return data


def each_file_once(paths: Iterable[Path]) -> Iterator[Path]:
    """`paths` without the ones that name a file already named (`specs specs/a.yaml`, `a.yaml ./a.yaml`),
    each where it is first named: a file given twice is not its own duplicate."""
    seen: set[Path] = set()
    for path in paths:
        try:
            key = path.resolve()
        except (OSError, RuntimeError, ValueError):
            key = path  # reading it reports what is wrong with it
        if key not in seen:
            seen.add(key)
            yield path
