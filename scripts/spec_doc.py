#!/usr/bin/env python3
"""Write docs/spec-reference.md, the spec language reference, from the assembled JSON Schema.

`render()` returns the page; tests compare it with the committed file, so edit the descriptions in
`generator/sfauthgen/data/schema/*.json`, never the page, and run `python scripts/spec_doc.py`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sfauthgen.spec.schema import spec_schema

TARGET = Path(__file__).resolve().parent.parent / "docs" / "spec-reference.md"

Schema = dict[str, Any]

# A sentence ends at ". " before a capital, except after "Auth" (Salesforce's "Auth. Provider").
_FIRST_SENTENCE = re.compile(r"(?<!\bAuth)\.\s+(?=[A-Z])")

_TYPE_WORDS = {
    "string": "string",
    "integer": "whole number",
    "number": "number",
    "boolean": "boolean",
    "array": "list",
    "object": "mapping",
}


def _resolve(schema: Schema, root: Schema) -> Schema:
    """The schema a `$ref` chain ends at (internal references only: `#/...`)."""
    seen: set[str] = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen or not ref.startswith("#/"):
            break
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = target
    return schema


def _merged(schema: Schema, root: Schema) -> Schema:
    """The property's own keywords over its `$ref` target's, with `allOf` parts folded in."""
    merged: Schema = {}
    for part in schema.get("allOf", []):
        merged.update(_merged(part, root))
    target = _resolve(schema, root) if "$ref" in schema else {}
    if target is not schema:
        merged.update(_merged(target, root) if ("$ref" in target or "allOf" in target) else target)
    merged.update({k: v for k, v in schema.items() if k not in ("$ref", "allOf")})
    return merged


def _type(schema: Schema, root: Schema) -> str:
    """A short type phrase: `string`, `list of string`, `mapping`, `one of ...`."""
    schema = _merged(schema, root)
    if "const" in schema:
        return f"`{_yaml(schema['const'])}`"
    if "enum" in schema:
        return "string" if all(isinstance(v, str) for v in schema["enum"]) else "one of the values below"
    branches = schema.get("oneOf", schema.get("anyOf", []))
    if branches and "type" not in schema:
        return " or ".join(dict.fromkeys(_type(branch, root) for branch in branches))
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_TYPE_WORDS.get(k, k) for k in kind)
    if kind == "array":
        return "list of " + _type(schema.get("items", {}), root)
    if kind == "object" and "properties" not in schema and isinstance(schema.get("additionalProperties"), dict):
        return "mapping of name to " + _type(schema["additionalProperties"], root)
    return _TYPE_WORDS.get(kind, kind) if isinstance(kind, str) else "any"


def _constraints(schema: Schema, root: Schema) -> list[str]:
    schema = _merged(schema, root)
    found = []
    if "minLength" in schema and "maxLength" in schema:
        found.append(f"{schema['minLength']} to {schema['maxLength']} characters")
    elif "maxLength" in schema:
        found.append(f"at most {schema['maxLength']} characters")
    elif schema.get("minLength") == 1:
        found.append("not empty")
    if "minimum" in schema and "maximum" in schema:
        found.append(f"{schema['minimum']} to {schema['maximum']}")
    if schema.get("minItems"):
        found.append(f"at least {schema['minItems']} item{'s' if schema['minItems'] > 1 else ''}")
    if schema.get("uniqueItems"):
        found.append("no duplicates")
    return found


def _yaml(value: Any) -> str:
    """A value as it is written in a spec (YAML flow style), for inline code."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
    text = text.strip()
    return text[: -len("...")].strip() if text.endswith("\n...") or text.endswith("...") else text


def _text(description: str) -> str:
    """Plain schema text as Markdown: angle brackets and asterisks shown, not interpreted."""
    return description.replace("\\", "\\\\").replace("<", "&lt;").replace("*", "\\*")


def _allowed(schema: Schema, root: Schema) -> list[Any]:
    schema = _merged(schema, root)
    if "enum" in schema:
        return list(schema["enum"])
    if schema.get("type") == "array":
        return _allowed(schema.get("items", {}), root)
    values: list[Any] = []
    for branch in schema.get("oneOf", []):
        values += _allowed(branch, root)
    return values


def _children(schema: Schema, root: Schema, via: tuple[str, ...] = ()) -> tuple[tuple[str, ...], Schema] | None:
    """The mapping whose keys are listed below a property (its own, its items', its values', or an object
    branch's), with the way there: "item", "value", "branch"."""
    schema = _merged(schema, root)
    if "properties" in schema:
        return via, schema
    if schema.get("type") == "array":
        return _children(schema.get("items", {}), root, (*via, "item"))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return _children(extra, root, (*via, "value"))
    for branch in schema.get("oneOf", []):
        found = _children(branch, root, (*via, "branch"))
        if found:
            return found
    return None


_INTROS = {
    (): "",
    ("item",): "Each item:",
    ("value",): "Each value:",
    ("branch",): "Or a mapping:",
    ("item", "branch"): "An item may also be a mapping:",
    ("value", "branch"): "A value may also be a mapping:",
}


def _required_words(name: str, parent: Schema) -> str:
    if name in parent.get("required", []):
        return "**required**"
    condition = parent.get("if", {}).get("required", [])
    if name in parent.get("else", {}).get("required", []) and condition:
        return "**required** unless " + " and ".join(f"`{c}`" for c in condition) + " is given"
    if name in parent.get("then", {}).get("required", []) and condition:
        return "**required** when " + " and ".join(f"`{c}`" for c in condition) + " is given"
    return "optional"


def _property(name: str, schema: Schema, parent: Schema, root: Schema, depth: int) -> list[str]:
    indent = "  " * depth
    merged = _merged(schema, root)
    facts = [_type(schema, root), _required_words(name, parent), *_constraints(schema, root)]
    lines = [f"{indent}- **`{name}`** ({', '.join(facts)})"]
    more = indent + "  "
    description = schema.get("description") or merged.get("description")
    if description:
        lines[0] += ": " + _text(description)
    allowed = _allowed(schema, root)
    if allowed:
        lines.append(f"{more}Allowed values: " + ", ".join(f"`{_yaml(v)}`" for v in allowed) + ".")
    examples = schema.get("examples") or merged.get("examples")
    if examples:
        lines.append(f"{more}Example{'s' if len(examples) > 1 else ''}: "
                     + ", ".join(f"`{_yaml(v)}`" for v in examples) + ".")
    nested = _children(schema, root)
    if nested is not None and depth < 6:
        via, mapping = nested
        if _INTROS[via]:
            lines.append(f"{more}{_INTROS[via]}")
        lines += _properties(mapping, root, depth + 1)
    return lines


def _properties(schema: Schema, root: Schema, depth: int) -> list[str]:
    lines = []
    for name, child in schema.get("properties", {}).items():
        lines += _property(name, child, schema, root, depth)
    condition = schema.get("if", {}).get("required", [])
    for branch, words in (("then", "with"), ("else", "without")):
        overrides = schema.get(branch, {}).get("properties", {})
        if condition and overrides:
            keys = " and ".join(f"`{c}`" for c in condition)
            lines.append(f"{'  ' * depth}- {words.capitalize()} {keys}:")
            for name, child in overrides.items():
                lines += _property(name, child, schema, root, depth + 1)
    return lines


def render(schema: Schema | None = None) -> str:
    """The whole page, from the assembled schema (the one `sfauthgen schema` prints)."""
    root = schema if schema is not None else spec_schema()
    out = [
        "# Spec reference",
        "",
        "Generated by `python scripts/spec_doc.py` from the spec language's JSON Schema (`sfauthgen schema`, "
        "assembled from `generator/sfauthgen/data/schema/*.json`); edit the schema's descriptions, not this page. "
        "A test fails when the page is stale.",
        "",
        "A spec is one YAML file or a folder of them; top-level lists from all files are merged. Unknown keys are "
        "errors. The README's Spec reference shows how each setting lands in the metadata; the workflow pages in "
        "[workflows/](workflows/) walk through whole tasks.",
        "",
        "| key | type | | summary |",
        "|---|---|---|---|",
    ]
    top = root["properties"]
    for name, child in top.items():
        summary = _text(_FIRST_SENTENCE.split(child.get("description") or "")[0].rstrip("."))
        out.append(f"| [`{name}`](#{name.lower()}) | {_type(child, root)} | "
                   f"{_required_words(name, root).replace('**', '')} | {summary.replace('|', '&#124;')} |")
    for name, child in top.items():
        out += ["", f"## `{name}`", ""]
        facts = [_type(child, root), _required_words(name, root), *_constraints(child, root)]
        out.append("(" + ", ".join(facts) + ")")
        if child.get("description"):
            out += ["", _text(child["description"])]
        allowed = _allowed(child, root)
        if allowed:
            out += ["", "Allowed values: " + ", ".join(f"`{_yaml(v)}`" for v in allowed) + "."]
        for example in child.get("examples", []):
            out += ["", "Example:", "", "```yaml", yaml.safe_dump({name: example}, allow_unicode=True,
                                                                   sort_keys=False, width=100).rstrip(), "```"]
        nested = _children(child, root)
        if nested is not None:
            via, mapping = nested
            out += ["", _INTROS[via].replace("Each item:", "Each entry:") or "Keys:", ""]
            out += _properties(mapping, root, 0)
    return "\n".join(out) + "\n"


def main() -> None:
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
