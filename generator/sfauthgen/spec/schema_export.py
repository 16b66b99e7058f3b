"""The spec language's JSON Schema as editors and other tools read it (`sfauthgen schema`).

The schema sfauthgen validates with (`spec/schema.py`) is draft 2020-12 and carries sfauthgen's own
keywords (`x-error`, `x-hint`, the `sfauthgen-url` format). The published form drops those and
accepts `${var.NAME}` in every string (an editor checks a spec before variables are substituted).
By default it is draft-07, which the YAML language server reads; it does not support 2020-12
(https://github.com/redhat-developer/yaml-language-server/issues/856).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from sfauthgen.spec.schema import spec_schema

SCHEMA_ID = "https://raw.githubusercontent.com/sfauthgen/sfauthgen/main/generator/sfauthgen/data/spec.schema.json"
DRAFTS = {
    "07": "http://json-schema.org/draft-07/schema#",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}
VARIABLE = "variableReference"
_VARIABLE_SCHEMA = {
    "type": "string",
    # spec/variables.py substitutes every ${var.NAME} in a string, also inside a longer one
    # (https://${var.host}/v1), so a string containing one is checked only after substitution.
    "pattern": r"\$\{var\.[A-Za-z_][A-Za-z0-9_]*\}",
    "description": "A string using a variable, ${var.NAME}: sfauthgen substitutes the variable's value before "
                   "it checks the spec.",
}
# Top-level sections whose strings are never substituted (spec/variables.py): no variables there.
_NOT_SUBSTITUTED = ("variables", "environments")
# Where a subschema checks the literal text, not a value: keys (never substituted) and conditions.
_LITERAL = ("propertyNames", "if", "not")
_CUSTOM_FORMATS = ("sfauthgen-url",)  # checked by spec/schema.py; editors do not know it (the pattern stays)
_ANNOTATIONS = ("title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment")
_STRING_RULES = ("pattern", "format", "minLength", "maxLength")

_ONE = ("items", "additionalItems", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else",
        "unevaluatedProperties", "unevaluatedItems")
_LIST = ("items", "allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies")

_DRAFT7_KEYWORDS = frozenset({
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "readOnly", "writeOnly", "examples",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties", "minProperties",
    "required", "additionalProperties", "definitions", "properties", "patternProperties", "dependencies",
    "propertyNames", "const", "enum", "type", "format", "contentMediaType", "contentEncoding", "if", "then", "else",
    "allOf", "anyOf", "oneOf", "not",
})
# 2020-12 keywords with an exact draft-07 form; any other keyword outside draft-07 stops the export.
_CONVERTED = frozenset({"$defs", "dependentRequired", "dependentSchemas", "prefixItems"})


class ExportError(Exception):
    """The internal schema uses a keyword with no faithful form in the requested draft."""


def exported(draft: str) -> dict[str, Any]:
    """The published schema in `draft` ("07" or "2020-12")."""
    if draft not in DRAFTS:
        raise ValueError(f"unknown JSON Schema draft {draft!r}; expected one of {', '.join(DRAFTS)}")
    schema = _accept_variables(_plain(copy.deepcopy(spec_schema())))
    if draft == "07":
        schema = _draft7(schema)
    return {"$schema": DRAFTS[draft], "$id": SCHEMA_ID,
            **{key: value for key, value in schema.items() if key not in ("$schema", "$id")}}


def exported_text(draft: str) -> str:
    return json.dumps(exported(draft), indent=2, ensure_ascii=False) + "\n"


def _subschemas(node: dict[str, Any], change: Callable[[str, Any], Any]) -> dict[str, Any]:
    """`node` with `change(keyword, subschema)` applied to each of its direct subschemas."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _ONE and isinstance(value, dict):
            out[key] = change(key, value)
        elif key in _LIST and isinstance(value, list):
            out[key] = [change(key, item) for item in value]
        elif key in _MAP and isinstance(value, dict):
            # dependencies (draft-07) also maps to lists of names, which stay as they are.
            out[key] = {name: change(key, item) if isinstance(item, dict) else item for name, item in value.items()}
        else:
            out[key] = value
    return out


def _plain(node: Any) -> Any:
    """Without sfauthgen's own keywords (x-error, x-hint, ...) and formats."""
    if not isinstance(node, dict):
        return node
    kept = {key: value for key, value in node.items()
            if not key.startswith("x-") and not (key == "format" and value in _CUSTOM_FORMATS)}
    return _subschemas(kept, lambda _, sub: _plain(sub))


def _accept_variables(schema: dict[str, Any]) -> dict[str, Any]:
    if VARIABLE in schema["$defs"]:
        raise ExportError(f"$defs/{VARIABLE} is taken; rename the schema export's variable definition")
    own = {name: schema["properties"][name] for name in _NOT_SUBSTITUTED if name in schema["properties"]}
    out: dict[str, Any] = _with_variables(schema)
    out["properties"].update(own)
    out["$defs"][VARIABLE] = dict(_VARIABLE_SCHEMA)
    return out


def _with_variables(node: Any) -> Any:
    """A string rule (pattern, format, length, enum, const) becomes "that, or a string using a variable";
    annotations stay on the outer node, where editors show them."""
    if not isinstance(node, dict):
        return node
    node = _subschemas(node, lambda keyword, sub: sub if keyword in _LITERAL else _with_variables(sub))
    if not _restricts_string(node):
        return node
    outer = {key: node[key] for key in _ANNOTATIONS if key in node}
    rule = {key: value for key, value in node.items() if key not in _ANNOTATIONS}
    return {**outer, "anyOf": [rule, {"$ref": f"#/$defs/{VARIABLE}"}]}


def _restricts_string(node: dict[str, Any]) -> bool:
    types = node.get("type")
    if types is not None and "string" not in ([types] if isinstance(types, str) else types):
        return False
    if any(key in node for key in _STRING_RULES):
        return True
    return isinstance(node.get("const"), str) or any(isinstance(value, str) for value in node.get("enum", []))


def _draft7(node: Any) -> Any:
    """The 2020-12 schema `node` in draft-07 terms; refuses keywords it cannot carry over exactly."""
    if not isinstance(node, dict):
        return node
    unknown = sorted(key for key in node if key not in _DRAFT7_KEYWORDS | _CONVERTED and not key.startswith("x-"))
    if unknown:
        raise ExportError(f"no draft-07 form for {', '.join(unknown)}; teach spec/schema_export.py to convert it")
    if "prefixItems" in node and "additionalItems" in node:
        raise ExportError("prefixItems beside additionalItems has no draft-07 form")
    node = _subschemas(node, lambda _, sub: _draft7(sub))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            out["definitions"] = value
        elif key == "$ref":
            out["$ref"] = _ref7(value)
        elif key in ("dependentRequired", "dependentSchemas"):
            out.setdefault("dependencies", {}).update(value)
        elif key == "prefixItems":
            out["items"] = value
        elif key == "items" and "prefixItems" in node:
            out["additionalItems"] = value  # 2020-12 items after prefixItems = draft-07 additionalItems
        else:
            out[key] = value
    if "$ref" in out and len(out) > 1:
        # Draft-07 ignores every keyword beside $ref: keep descriptions and rules by moving $ref into allOf.
        ref = {"$ref": out.pop("$ref")}
        out["allOf"] = [ref, *out.get("allOf", [])]
    return out


def _ref7(ref: str) -> str:
    if ref.startswith("#/$defs/"):
        return "#/definitions/" + ref.removeprefix("#/$defs/")
    if ref == "#" or (ref.startswith("#/") and "$defs" not in ref):
        return ref
    raise ExportError(f"$ref {ref!r} has no draft-07 form here; use #/$defs/NAME")
