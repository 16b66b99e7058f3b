"""The record of what sfauthgen wrote into an output folder: paths and content hashes.

It is what lets a later run delete files whose entries are gone, and refuse to
overwrite a file someone edited by hand, while never touching files it did not write.
"""

from __future__ import annotations

import json
import re

from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import Folder, is_safe
from sfauthgen.files.layout import generated_file
from sfauthgen.inputs import shown
from sfauthgen.templating import DESTRUCTIVE_CHANGES_XML, PACKAGE_XML

MANIFEST_FILE = ".sfauthgen-manifest.json"
# sfauthgen's own bookkeeping (see files/write.py): never a generated file.
JOURNAL_FILE = ".sfauthgen-journal.json"
FORMAT = 1


def content_hash(data: bytes) -> str:
    import hashlib  # here: `validate` hashes nothing

    return "sha256:" + hashlib.sha256(data).hexdigest()


_HASH = re.compile(r"^sha256:[0-9a-f]{64}\Z")


def ownable(path: str) -> bool:
    """What the manifest may list: what generate writes. A manifest that came with a commit must not make
    generate delete a README, .git/config or sfdx-project.json as "a file it wrote earlier"."""
    return path in (PACKAGE_XML, DESTRUCTIVE_CHANGES_XML) or generated_file(path)


def read_manifest(folder: Folder) -> dict[str, str]:
    """Path -> content hash of every file sfauthgen wrote. The manifest is committed, so it is
    untrusted: an entry that is not a plain relative path inside the folder stops the run."""
    shown_path = shown(str(folder.root / MANIFEST_FILE))
    raw = folder.read(MANIFEST_FILE)
    if raw is None:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(files, dict):
            raise ValueError("unknown manifest format")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise OutputError(f"{shown_path}: cannot read sfauthgen's manifest ({shown(str(exc))[:200]}); "
                          "restore it from version control") from None
    for path, digest in files.items():
        if not (is_safe(path) and ownable(path)) or not isinstance(digest, str) or not _HASH.match(digest):
            raise OutputError(f"{shown_path}: entry '{shown(str(path))[:200]}' is not a metadata file inside the "
                              "output folder with a sha256 hash; nothing was changed (restore the manifest from "
                              "version control)")
    return dict(files)


_COMMENT = "Written by sfauthgen: the files it owns in this folder. Commit it with them."


def manifest_text(files: dict[str, str]) -> str:
    """The manifest as `json.dumps(..., indent=2)` writes it. json's indenting encoder is written in Python;
    its C encoder, which indents nothing, writes the entries with the line breaks as separators: a manifest
    of 10,000 files is compared on every plan."""
    head = f'{{\n  "comment": {json.dumps(_COMMENT)},\n  "format": {FORMAT},\n  "files": '
    if not files:
        return head + "{}\n}\n"
    entries = json.dumps(dict(sorted(files.items())), separators=(",\n    ", ": "))[1:-1]
    return f"{head}{{\n    {entries}\n  }}\n}}\n"
