"""Write an imported spec and its certificates, refusing to overwrite without --force."""

from __future__ import annotations

from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import Folder
from sfauthgen.importer import ImportResult
from sfauthgen.inputs import shown


def write_import(result: ImportResult, folder: Folder, name: str, *, force: bool) -> None:
    """The spec `name` and its certificates (certs/...) into `folder`, through no symbolic link."""
    targets = {name: result.spec_text}
    targets.update(result.certificates)
    existing = []
    for relative, text in targets.items():
        current = folder.read(relative)
        if current is not None and current != text.encode("utf-8"):
            existing.append(shown(str(folder.root / relative)))
    if existing and not force:
        raise OutputError(f"refusing to overwrite {', '.join(existing)}; pass --force to replace")
    created = folder.create_root()
    try:
        folder.write_files(targets)
    except OutputError:
        for directory in reversed(created):
            directory.rmdir()
        raise
