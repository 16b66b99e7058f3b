"""The SFDX project around the output: read an existing sfdx-project.json, or describe a new one."""

from __future__ import annotations

import json
import re

from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import Folder, is_safe
from sfauthgen.files.layout import DEFAULT_PACKAGE_DIR
from sfauthgen.inputs import shown
from sfauthgen.records import record

PROJECT_FILE = "sfdx-project.json"
_API_VERSION = re.compile(r"^[1-9][0-9]\.0\Z")


@record
class Project:
    exists: bool
    package_dir: str
    source_api_version: str | None


def read_project(folder: Folder) -> Project:
    """The existing sfdx-project.json (committed, so untrusted): its default package directory must be a
    plain relative path inside the folder, and sourceApiVersion a quoted version such as "66.0"."""
    where = shown(str(folder.root / PROJECT_FILE))
    raw = folder.read(PROJECT_FILE)
    if raw is None:
        return Project(exists=False, package_dir=DEFAULT_PACKAGE_DIR, source_api_version=None)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise OutputError(f"{where}: cannot read the existing SFDX project file: {shown(str(exc))[:200]}") from None
    directories = data.get("packageDirectories") if isinstance(data, dict) else None
    if not isinstance(directories, list) or not directories:
        raise OutputError(f"{where}: packageDirectories is missing or empty")
    default = next((d for d in directories if isinstance(d, dict) and d.get("default") is True), directories[0])
    written = default.get("path") if isinstance(default, dict) else None
    package_dir = written.rstrip("/").removeprefix("./") if isinstance(written, str) else ""
    if not is_safe(package_dir):
        raise OutputError(f"{where}: the default package directory '{shown(str(written))[:200]}' is not a relative "
                          "path inside the output folder")
    if any(part.startswith(".") for part in package_dir.split("/")):
        raise OutputError(f"{where}: the default package directory '{shown(package_dir)[:200]}' is hidden; sfauthgen "
                          "writes into plain folders only (a hidden one is where .git and tools' state live)")
    version = data.get("sourceApiVersion")
    if version is not None and not (isinstance(version, str) and _API_VERSION.match(version)):
        raise OutputError(f"{where}: sourceApiVersion {shown(json.dumps(version))[:60]} is not a quoted API "
                          'version such as "66.0"')
    return Project(exists=True, package_dir=package_dir, source_api_version=version)


def new_project_file(api_version: str) -> str:
    """sfdx-project.json as `sf project generate` lays it out, for a folder that has none."""
    data = {
        "packageDirectories": [{"path": DEFAULT_PACKAGE_DIR, "default": True}],
        "namespace": "",
        "sfdcLoginUrl": "https://login.salesforce.com",
        "sourceApiVersion": api_version,
    }
    return json.dumps(data, indent=2) + "\n"
