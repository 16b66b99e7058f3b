"""The record of what sfauthgen wrote into an output folder: paths and content hashes.

It is what lets a later run delete files whose entries are gone, and refuse to
overwrite a file someone edited by hand, while never touching files it did not write.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sfauthgen.diagnostics import OutputError

MANIFEST_FILE = ".sfauthgen-manifest.json"
FORMAT = 1


def content_hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read_manifest(out_dir: Path) -> dict[str, str]:
    path = out_dir / MANIFEST_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
        files = data["files"]
        if data.get("format") != FORMAT or not isinstance(files, dict):
            raise ValueError("unknown manifest format")
        return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutputError(
            f"{path}: cannot read sfauthgen's manifest ({exc}); restore it from version control"
        ) from None


def manifest_text(files: dict[str, str]) -> str:
    data = {
        "comment": "Written by sfauthgen: the files it owns in this folder. Commit it with them.",
        "format": FORMAT,
        "files": dict(sorted(files.items())),
    }
    return json.dumps(data, indent=2) + "\n"
