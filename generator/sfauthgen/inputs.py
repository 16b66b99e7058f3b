"""Reading input files (specs, certificates, metadata to import) without hanging or exhausting memory.

A FIFO, a device such as /dev/zero or a folder is refused before anything is read (the open
does not block), and no more than `limit` bytes are ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class InputProblem(Exception):
    """Why a file cannot be read, in words for a message."""


def read_input(path: Path, limit: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputProblem("does not exist") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise InputProblem(getattr(exc, "strerror", None) or str(exc)) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise InputProblem("is a folder")
        if not stat.S_ISREG(mode):
            raise InputProblem("is not a regular file (a pipe, socket or device)")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputProblem(f"is larger than {limit // 1024} KiB")
    return data
