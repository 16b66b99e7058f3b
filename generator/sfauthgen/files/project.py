"""The SFDX project around the output: read an existing sfdx-project.json, or describe a new one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sfauthgen.diagnostics import OutputError
from sfauthgen.files.layout import DEFAULT_PACKAGE_DIR

PROJECT_FILE = "sfdx-project.json"


@dataclass(frozen=True)
class Project:
    exists: bool
    package_dir: str
    source_api_version: str | None


def read_project(out_dir: Path) -> Project:
    path = out_dir / PROJECT_FILE
    if not path.is_file():
        return Project(exists=False, package_dir=DEFAULT_PACKAGE_DIR, source_api_version=None)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"{path}: cannot read the existing SFDX project file: {exc}") from None
    directories = data.get("packageDirectories") if isinstance(data, dict) else None
    if not isinstance(directories, list) or not directories:
        raise OutputError(f"{path}: packageDirectories is missing or empty")
    default = next((d for d in directories if isinstance(d, dict) and d.get("default")), directories[0])
    package_dir = str(default.get("path", "")).strip("/") if isinstance(default, dict) else ""
    if not package_dir or ".." in Path(package_dir).parts:
        raise OutputError(f"{path}: the default package directory has no usable path")
    version = data.get("sourceApiVersion")
    return Project(exists=True, package_dir=package_dir, source_api_version=str(version) if version else None)


def new_project_file(api_version: str) -> str:
    """sfdx-project.json as `sf project generate` lays it out, for a folder that has none."""
    data = {
        "packageDirectories": [{"path": DEFAULT_PACKAGE_DIR, "default": True}],
        "namespace": "",
        "sfdcLoginUrl": "https://login.salesforce.com",
        "sourceApiVersion": api_version,
    }
    return json.dumps(data, indent=2) + "\n"
