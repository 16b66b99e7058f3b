"""`sfauthgen import`: existing metadata -> a spec (and its certificates)."""

from __future__ import annotations

from pathlib import Path

from sfauthgen.commands import ui


def import_metadata(paths: list[Path], output: Path, *, force: bool = False) -> int:
    # The importer (lxml, the regenerating comparison) loads only when this command runs.
    from sfauthgen.files.folder import Folder
    from sfauthgen.importer import import_metadata as convert
    from sfauthgen.importer.write import write_import

    result = convert(paths)
    write_import(result, Folder(output.parent), output.name, force=force)
    for loss in result.losses:
        ui.err(loss.format())
    ui.out(f"imported {result.components} entries into {output}"
           + (f"; {len(result.losses)} item(s) not imported (listed above and in the spec's header)"
              if result.losses else ""))
    return 0
