"""Write an imported spec: keys in schema order, a header saying where it came from and what was left out."""

from __future__ import annotations

from typing import Any

import yaml

from sfauthgen.importer.elements import Loss
from sfauthgen.inputs import shown
from sfauthgen.spec.schema import spec_schema


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = spec_schema()
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _properties(schema: dict[str, Any]) -> list[str]:
    schema = _resolve(schema)
    names = list(schema.get("properties", {}))
    for branch in ("then", "else"):
        names += [n for n in schema.get(branch, {}).get("properties", {}) if n not in names]
    return names


def _child_schema(schema: dict[str, Any], key: str | None) -> dict[str, Any]:
    schema = _resolve(schema)
    if key is None:
        return _resolve(schema.get("items", {}))
    if key in schema.get("properties", {}):
        return _resolve(schema["properties"][key])
    extra = schema.get("additionalProperties")
    return _resolve(extra) if isinstance(extra, dict) else {}


def ordered(value: Any, schema: dict[str, Any]) -> Any:
    """The value with every mapping's keys in the order the schema lists them (free mappings keep theirs)."""
    if isinstance(value, list):
        return [ordered(v, _child_schema(schema, None)) for v in value]
    if not isinstance(value, dict):
        return value
    order = _properties(schema)
    keys = sorted(value, key=lambda k: (order.index(k) if k in order else len(order), 0))
    return {k: ordered(value[k], _child_schema(schema, k)) for k in keys}


class _Dumper(yaml.SafeDumper):
    pass


def _indent_lists(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, (str, int)) and len(str(v)) < 40 for v in data) and len(data) <= 6
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _indent_lists)

# YAML reads U+0085, U+2028 and U+2029 as line breaks, and folds a line break inside a plain or single-quoted
# scalar into a space: a value holding one is written double-quoted, where each is an escape and reads back.
_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if any(mark in data for mark in _BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def spec_text(spec: dict[str, Any], sources: list[str], losses: list[Loss]) -> str:
    header = [
        shown("# Imported by sfauthgen from: " + ", ".join(sources)),
        "# Review it like any other change before generating and deploying from it.",
    ]
    if losses:
        header.append("# Not imported (the same list was printed when importing):")
        # shown(): a value with a line break (or a YAML line separator) must not become live YAML.
        header += [shown(f"#   {loss.file}:{loss.line}: {loss.what}: {loss.why}") for loss in losses]
    body = yaml.dump(ordered(spec, spec_schema()), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=4096, default_flow_style=False)
    return "\n".join(header) + "\n" + body
