"""Merge schema-valid spec files into one spec whose entries remember where they came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sfauthgen.errors import Diagnostic, Location, SpecError
from sfauthgen.loader import JsonPath, SpecDocument

# Top-level lists, in the order the spec language documents them.
SECTIONS = ("connected_apps", "external_client_apps", "external_credentials", "named_credentials", "permission_sets")

# Human names for messages.
SECTION_NOUNS = {
    "connected_apps": "connected app",
    "external_client_apps": "external client app",
    "external_credentials": "external credential",
    "named_credentials": "named credential",
    "permission_sets": "permission set",
}


@dataclass(frozen=True)
class Entry:
    """One item of a top-level list, with its file and path for positions."""

    doc: SpecDocument
    path: JsonPath
    data: dict[str, Any]

    @property
    def name(self) -> str:
        name: str = self.data["name"]
        return name

    def locate(self, *sub: str | int, key: bool = False) -> Location:
        return self.doc.locate(self.path + sub, key=key)

    def get(self, *keys: str, default: Any = None) -> Any:
        value: Any = self.data
        for k in keys:
            if not isinstance(value, dict) or k not in value:
                return default
            value = value[k]
        return value

    @property
    def base_dir(self) -> Path:
        return self.doc.base_dir


@dataclass(frozen=True)
class MergedSpec:
    documents: tuple[SpecDocument, ...]
    sections: dict[str, tuple[Entry, ...]]
    api_version: str | None

    def entries(self, section: str) -> tuple[Entry, ...]:
        return self.sections.get(section, ())


def merge(documents: list[SpecDocument]) -> MergedSpec:
    sections: dict[str, list[Entry]] = {s: [] for s in SECTIONS}
    api_version: tuple[str, Location] | None = None
    problems: list[Diagnostic] = []
    for doc in documents:
        data = doc.data
        for section in SECTIONS:
            for index, item in enumerate(data.get(section) or []):
                sections[section].append(Entry(doc, (section, index), item))
        if "api_version" in data:
            here = doc.locate(("api_version",))
            if api_version is None:
                api_version = (data["api_version"], here)
            elif api_version[0] != data["api_version"]:
                problems.append(
                    Diagnostic(
                        here,
                        f"api_version '{data['api_version']}' differs from '{api_version[0]}' "
                        f"set at {api_version[1]}",
                        "set api_version in one file only, or the same everywhere",
                    )
                )
    if problems:
        raise SpecError(problems)
    return MergedSpec(
        documents=tuple(documents),
        sections={k: tuple(v) for k, v in sections.items()},
        api_version=api_version[0] if api_version else None,
    )
