"""Apply a plan to disk, all or nothing as far as a filesystem allows.

Every new content is first written to a temporary file beside its target; only
when all of them are on disk are they renamed into place, so a failure while
writing leaves the previous output untouched.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sfauthgen.errors import OutputError
from sfauthgen.plan import Action, Plan, PlannedFile

_TMP_SUFFIX = ".sfauthgen-tmp"


def apply(plan: Plan) -> None:
    writes = [f for f in plan.files if f.action in (Action.CREATE, Action.UPDATE)]
    if plan.manifest is not None:
        writes.append(plan.manifest)
    deletes = [f for f in plan.files if f.action is Action.DELETE]
    staged: list[tuple[Path, Path]] = []
    created_dirs: list[Path] = []
    try:
        for planned in writes:
            staged.append(_stage(plan.out_dir, planned, created_dirs))
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for directory in reversed(created_dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise OutputError(f"cannot write into {plan.out_dir}: {exc}; nothing was changed") from None
    for tmp, target in staged:
        os.replace(tmp, target)
    for planned in deletes:
        target = plan.out_dir / planned.path
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        _prune_empty_dirs(plan.out_dir, target.parent)


def _stage(out_dir: Path, planned: PlannedFile, created_dirs: list[Path]) -> tuple[Path, Path]:
    assert planned.new is not None
    target = out_dir / planned.path
    missing = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    for directory in reversed(missing):
        directory.mkdir()
        created_dirs.append(directory)
    tmp = target.with_name(target.name + _TMP_SUFFIX)
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(planned.new)
    return tmp, target


def _prune_empty_dirs(root: Path, directory: Path) -> None:
    root = root.resolve()
    current = directory.resolve()
    while current != root and root in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent
