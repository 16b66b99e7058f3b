"""Schema-valid spec files -> typed entries of every kind, merged across files (the `model` of
the spec as written; `kinds/*.build` turns it into the output model)."""

from __future__ import annotations

import datetime

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, Location, SpecError, error
from sfauthgen.kinds.base import Entry, SpecEntries, Waiver
from sfauthgen.kinds.registry import KINDS
from sfauthgen.spec.loader import SpecDocument
from sfauthgen.spec.source import Source


def typed_entries(documents: list[SpecDocument],
                  skip: frozenset[tuple[str, str, int]] = frozenset()) -> SpecEntries:
    """`skip` holds (file, section, index) of entries left out: the schema rejected them, and the
    rest is typed anyway so one run reports every problem it can."""
    by_kind: dict[str, list[Entry]] = {kind.name: [] for kind in KINDS}
    waivers: list[Waiver] = []
    api_version: tuple[str, Location] | None = None
    problems: list[Diagnostic] = []
    for doc in documents:
        data = doc.data or {}
        for kind in KINDS:
            if kind.section is None or kind.parse is None:
                continue
            for index, item in enumerate(data.get(kind.section) or []):
                if (doc.path, kind.section, index) not in skip:
                    by_kind[kind.name].append(kind.parse(Source(doc, (kind.section, index)), item))
        for index, item in enumerate(data.get("waivers") or []):
            if (doc.path, "waivers", index) in skip:
                continue
            waivers.append(Waiver(Source(doc, ("waivers", index)), item["rule"], item["target"], item["reason"],
                                  datetime.date.fromisoformat(item["expires"])))
        if "api_version" in data:
            here = doc.locate(("api_version",))
            if api_version is None:
                api_version = (data["api_version"], here)
            elif api_version[0] != data["api_version"]:
                problems.append(error(
                    here, codes.API_VERSION_CONFLICT,
                    f"api_version '{data['api_version']}' differs from '{api_version[0]}' set at {api_version[1]}",
                    "set api_version in one file only, or the same everywhere",
                ))
    if problems:
        raise SpecError(problems)
    spec = SpecEntries(tuple(documents), api_version[0] if api_version else None,
                       {name: tuple(entries) for name, entries in by_kind.items()}, tuple(waivers))
    for kind in KINDS:
        if kind.derive is not None:
            spec.by_kind[kind.name] = kind.derive(spec)
    return spec
