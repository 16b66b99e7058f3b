"""Write an imported spec and its certificates, refusing to overwrite without --force."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sfauthgen.errors import OutputError
from sfauthgen.importer import ImportResult


def write_import(result: ImportResult, output: Path, *, force: bool) -> None:
    targets = {output: result.spec_text}
    targets.update({output.parent / relative: pem for relative, pem in result.certificates.items()})
    existing = [p for p, text in targets.items() if p.exists() and p.read_text("utf-8", "replace") != text]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(f"refusing to overwrite {names}; pass --force to replace")
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in targets.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".sfauthgen-tmp")
            tmp.write_text(text, encoding="utf-8")
            staged.append((tmp, path))
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise OutputError(f"cannot write {output}: {exc}") from None
    for tmp, path in staged:
        os.replace(tmp, path)
