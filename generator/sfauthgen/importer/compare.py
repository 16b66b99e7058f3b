"""Compare metadata files by meaning: what a round trip through a spec must preserve.

Ignored, as documented: element order Salesforce does not care about (repeated elements
compare as multisets, sequence numbers as ranks), booleans that are false (absent means
false), defaults Salesforce applies to absent elements, Salesforce-generated names of
namespace parameters, and org-specific values and secrets (import reports those).
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from sfauthgen.importer.elements import ORG_SPECIFIC, SECRETS, local

# Absent element -> the value Salesforce uses, per metadata type.
DEFAULTS: dict[str, dict[str, str]] = {
    "NamedCredential": {"calloutStatus": "Enabled"},
    "ExtlClntAppGlobalOauthSettings": {"isSecretRequiredForTokenExchange": "true"},
    "ExtlClntAppOauthConfigurablePolicies": {"requiredSessionLevel": "STANDARD"},
    "ExtlClntAppConfigurablePolicies": {"startPage": "None"},
}
_COMMA_LISTS = {"commaSeparatedOauthScopes", "commaSeparatedPermissionSet", "commaSeparatedProfile"}
_PARAMETER_LISTS = {"externalCredentialParameters", "namedCredentialParameters"}


def _leaf(name: str, text: str) -> Any:
    if name in _COMMA_LISTS:
        return sorted(v.strip() for v in text.split(",") if v.strip())
    return text


def _canonical(element: etree._Element, path: tuple[str, ...] = (),
               ignored: frozenset[tuple[str, ...]] = frozenset()) -> Any:
    if len(element) == 0:
        return _leaf(local(element), element.text or "")
    fields: dict[str, list[Any]] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = local(child)
        if name in ORG_SPECIFIC or name in SECRETS or path + (name,) in ignored:
            continue
        if len(child) == 0 and (child.text or "") == "false":
            continue
        fields.setdefault(name, []).append(_canonical(child, path + (name,), ignored))
    return fields


def _rank_parameters(fields: dict[str, list[Any]]) -> None:
    """Sequence numbers order parameters of one type; only their ranks matter."""
    for name in _PARAMETER_LISTS & set(fields):
        params = fields[name]
        by_type: dict[str, list[dict[str, Any]]] = {}
        for param in params:
            by_type.setdefault(str(param.get("parameterType")), []).append(param)
            if param.get("parameterType") in (["Url"], ["Authentication"], ["ClientCertificate"]):
                # Names that only identify a parameter: a credential has one Url, one Authentication and
                # one ClientCertificate whatever they are called.
                param.pop("parameterName", None)
        for group in by_type.values():
            numbered = [p for p in group if "sequenceNumber" in p]
            for rank, param in enumerate(sorted(numbered, key=lambda p: int(p["sequenceNumber"][0])), start=1):
                param["sequenceNumber"] = [str(rank)]


def canonical(root: etree._Element, metadata_type: str,
              ignored: frozenset[tuple[str, ...]] = frozenset()) -> dict[str, Any]:
    fields = _canonical(root, (), ignored)
    for name, value in DEFAULTS.get(metadata_type, {}).items():
        fields.setdefault(name, [value])
    if metadata_type == "ConnectedApp" and "oauthConfig" in fields and "oauthPolicy" not in fields:
        fields["oauthPolicy"] = [{"ipRelaxation": ["ENFORCE"], "refreshTokenPolicy": ["infinite"]}]
    _rank_parameters(fields)
    return {name: sorted(json.dumps(v, sort_keys=True) for v in values) for name, values in fields.items()}


def differences(original: etree._Element, generated: etree._Element, metadata_type: str,
                ignored: frozenset[tuple[str, ...]] = frozenset()) -> list[str]:
    """Elements whose meaning differs, with both sides (shortened); the `ignored` element paths (what import
    already reported, such as ('sessionPolicy', 'sessionLevel')) are left out on both sides."""
    left, right = canonical(original, metadata_type, ignored), canonical(generated, metadata_type, ignored)
    found = []
    for name in sorted(set(left) | set(right)):
        if left.get(name) != right.get(name):
            found.append(f"{name}: {_short(left.get(name))} became {_short(right.get(name))}")
    return found


def _short(values: list[str] | None) -> str:
    if not values:
        return "(absent)"
    text = ", ".join(values)
    return text if len(text) <= 120 else text[:117] + "..."
