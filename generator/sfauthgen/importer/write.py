"""Write an imported spec and its certificates, refusing to overwrite without --force."""

from __future__ import annotations

from pathlib import Path

from sfauthgen.diagnostics import OutputError
from sfauthgen.files.atomic import write_all
from sfauthgen.importer import ImportResult


def write_import(result: ImportResult, output: Path, *, force: bool) -> None:
    targets = {output: result.spec_text}
    targets.update({output.parent / relative: pem for relative, pem in result.certificates.items()})
    existing = [p for p, text in targets.items() if p.exists() and p.read_text("utf-8", "replace") != text]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(f"refusing to overwrite {names}; pass --force to replace")
    try:
        write_all(targets)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc}") from None
