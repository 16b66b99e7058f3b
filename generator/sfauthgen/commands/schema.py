"""`sfauthgen schema`: the spec language's JSON Schema, for editors and other tools."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from sfauthgen.commands import ui
from sfauthgen.diagnostics import OutputError
from sfauthgen.inputs import shown
from sfauthgen.spec.schema_export import exported, exported_text

FILE_NAME = "sfauthgen.schema.json"


def schema(*, draft: str = "07", write_dir: Path | None = None, as_json: bool = False) -> int:
    if write_dir is None:
        if as_json:
            ui.json_out(0, exported(draft))
        else:
            ui.out(exported_text(draft), nl=False)
        return 0
    path = write(write_dir, exported_text(draft))
    base, line = first_line(path)
    if as_json:
        ui.json_out(0, {"path": str(path), "first_line": line})
    else:
        ui.out(f"wrote {shown(str(path))}\nfirst line of a spec in {shown(base)} (the path is relative to the spec):"
               f"\n{shown(line)}")
    return 0


def write(folder: Path, text: str) -> Path:
    """Write `folder`/sfauthgen.schema.json whole (a temporary file, then a rename), never through a link."""
    path = folder / FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{shown(str(folder))}: cannot create the folder: {exc.strerror}") from None
    if path.is_symlink():
        raise OutputError(f"{shown(str(path))} is a symbolic link; sfauthgen does not write through a link\n"
                          "    hint: remove the link, or give --write another folder")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{FILE_NAME}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{shown(str(path))}: cannot write the schema: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.chmod(temp, 0o644)  # an ordinary readable file; mkstemp made it 0600
        # os.replace renames over the path itself: a link created since the check is replaced, not followed.
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise OutputError(f"{shown(str(path))}: cannot write the schema: {exc.strerror}") from None
    return path


def first_line(path: Path) -> tuple[str, str]:
    """The folder specs live in (./specs when it exists, else the current one) and the modeline a spec there
    needs: the YAML language server resolves a relative $schema from the spec file's folder."""
    base = Path("specs") if Path("specs").is_dir() else Path(".")
    try:
        reference = Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        reference = path.resolve().as_posix()
    return base.as_posix() + "/", f"# yaml-language-server: $schema={reference}"
