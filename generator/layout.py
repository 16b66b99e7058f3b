"""Where files go: folders and suffixes from the sf CLI's metadata registry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_PACKAGE_DIR = "force-app"


@cache
def registry() -> dict[str, dict[str, Any]]:
    text = resources.files("generator").joinpath("data/registry.json").read_text("utf-8")
    types: dict[str, dict[str, Any]] = json.loads(text)["types"]
    return types


@dataclass(frozen=True)
class Layout:
    """An SFDX project's package directory (source format)."""

    package_dir: str = DEFAULT_PACKAGE_DIR

    def metadata_path(self, metadata_type: str, name: str) -> str:
        entry = registry()[metadata_type]
        return f"{self.package_dir}/main/default/{entry['directoryName']}/{name}.{entry['suffix']}-meta.xml"

    def content_path(self, metadata_type: str, name: str) -> str:
        """The content file of a matchingContentFile type (an Apex class's .cls)."""
        entry = registry()[metadata_type]
        return f"{self.package_dir}/main/default/{entry['directoryName']}/{name}.{entry['suffix']}"
