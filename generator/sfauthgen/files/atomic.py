"""Write a set of files all or nothing, as far as a filesystem allows.

Every new content is first written to a temporary file beside its target; only when all of
them are on disk are they renamed into place, so a failure while writing leaves the previous
files untouched. `generate` and `import` both write through here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

_TMP_SUFFIX = ".sfauthgen-tmp"


def write_all(targets: Mapping[Path, str]) -> None:
    """Write every target (creating folders), or raise OSError having changed nothing."""
    staged: list[tuple[Path, Path]] = []
    created_dirs: list[Path] = []
    try:
        for target, text in targets.items():
            staged.append(_stage(target, text, created_dirs))
    except OSError:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for directory in reversed(created_dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def _stage(target: Path, text: str, created_dirs: list[Path]) -> tuple[Path, Path]:
    missing = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    for directory in reversed(missing):
        directory.mkdir()
        created_dirs.append(directory)
    tmp = target.with_name(target.name + _TMP_SUFFIX)
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return tmp, target
