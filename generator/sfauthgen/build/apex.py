"""Apex callout classes: a named credential's `apex` block becomes a client class and its test."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus

from sfauthgen.merge import Entry
from sfauthgen.model import CalloutClass, CalloutClassTest, CalloutOperation, PathPart

PATH_PARAMETER = re.compile(r"\{([^{}]*)\}")
DEFAULT_TIMEOUT_SECONDS = 30


def split_path(path: str) -> tuple[PathPart, ...]:
    parts: list[PathPart] = []
    position = 0
    for match in PATH_PARAMETER.finditer(path):
        if match.start() > position:
            parts.append(PathPart(literal=path[position:match.start()]))
        parts.append(PathPart(parameter=match.group(1)))
        position = match.end()
    if position < len(path):
        parts.append(PathPart(literal=path[position:]))
    return tuple(parts)


def apex_path_encode(value: str) -> str:
    """What EncodingUtil.urlEncode(value, 'UTF-8').replace('+', '%20') returns (for letters,
    digits, spaces and slashes, where Java's and Python's form encoders agree)."""
    return quote_plus(value, safe="").replace("+", "%20")


def _operation(named_credential: str, data: dict[str, Any]) -> CalloutOperation:
    parts = split_path(data["path"])
    parameters = tuple(p.parameter for p in parts if p.parameter is not None)
    samples = tuple(f"{name} 1/2" for name in parameters)
    by_name = dict(zip(parameters, samples, strict=True))
    endpoint = "".join(
        apex_path_encode(by_name[p.parameter]) if p.parameter is not None else str(p.literal) for p in parts
    )
    return CalloutOperation(
        name=data["name"],
        method=data["method"],
        path_parts=parts,
        parameters=parameters,
        has_body=data.get("body", "none") == "json",
        sample_values=samples,
        sample_endpoint=f"callout:{named_credential}{endpoint}",
    )


def callout_classes(entry: Entry, api_version: str) -> tuple[CalloutClass, CalloutClassTest]:
    apex = entry.data["apex"]
    operations = tuple(_operation(entry.name, op) for op in apex["operations"])
    callout = CalloutClass(
        name=apex["class"],
        api_version=api_version,
        named_credential=entry.name,
        named_credential_label=entry.data["label"],
        timeout_ms=apex.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS) * 1000,
        operations=operations,
        uses_path_parameters=any(op.parameters for op in operations),
    )
    return callout, CalloutClassTest(name=f"{apex['class']}Test", api_version=api_version, target=callout)


def class_accesses(entries: tuple[Entry, ...]) -> dict[str, set[str]]:
    """Permission set name -> Apex classes it grants (the callout classes, not their tests)."""
    grants: dict[str, set[str]] = {}
    for entry in entries:
        apex = entry.get("apex")
        for permission_set in (apex or {}).get("grant_to") or []:
            grants.setdefault(permission_set, set()).add(apex["class"])
    return grants
