"""Apply a plan to the output folder: new contents through `atomic.write_all`, then deletes."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sfauthgen.diagnostics import OutputError
from sfauthgen.files.atomic import write_all
from sfauthgen.files.plan import Action, Plan


def apply(plan: Plan) -> None:
    writes = [f for f in plan.files if f.action in (Action.CREATE, Action.UPDATE)]
    if plan.manifest is not None:
        writes.append(plan.manifest)
    try:
        write_all({plan.out_dir / f.path: f.new for f in writes if f.new is not None})
    except OSError as exc:
        raise OutputError(f"cannot write into {plan.out_dir}: {exc}; nothing was changed") from None
    for planned in plan.files:
        if planned.action is not Action.DELETE:
            continue
        target = plan.out_dir / planned.path
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        _prune_empty_dirs(plan.out_dir, target.parent)


def _prune_empty_dirs(root: Path, directory: Path) -> None:
    root = root.resolve()
    current = directory.resolve()
    while current != root and root in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent
