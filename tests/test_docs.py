"""The spec reference page is current, every property of the schema is described, and every example the
schema gives is valid where it stands."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from sfauthgen.spec.schema import is_url, spec_schema

from conftest import REPO


def _spec_doc() -> ModuleType:
    spec = importlib.util.spec_from_file_location("spec_doc", REPO / "scripts" / "spec_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spec_reference_is_current():
    page = (REPO / "docs" / "spec-reference.md").read_text("utf-8")
    assert page == _spec_doc().render(), "run: python scripts/spec_doc.py"


def test_spec_reference_renders_the_same_twice():
    module = _spec_doc()
    assert module.render() == module.render()


def _pointer(parts: tuple[str, ...]) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _target(root: dict[str, Any], ref: str) -> tuple[tuple[str, ...], Any]:
    assert ref.startswith("#/"), ref
    parts = tuple(p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/"))
    node: Any = root
    for part in parts:
        node = node[part]
    return parts, node


_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMAS = ("items", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else")


def _properties() -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON pointer, schema) of every property in the assembled schema: from the root, following `$ref`s
    into `$defs`, and every definition besides (each visited once)."""
    root = spec_schema()
    seen: set[tuple[str, ...]] = set()
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, dict) or path in seen:
            return
        seen.add(path)
        if isinstance(node.get("$ref"), str):
            target_path, target = _target(root, node["$ref"])
            walk(target, target_path)
        for name, child in node.get("properties", {}).items():
            found.append((_pointer((*path, "properties", name)), child))
            walk(child, (*path, "properties", name))
        for key in _SUBSCHEMAS:
            if isinstance(node.get(key), dict):
                walk(node[key], (*path, key))
        for key in _SUBSCHEMA_LISTS:
            for index, child in enumerate(node.get(key, [])):
                walk(child, (*path, key, str(index)))

    walk(root, ())
    for name, definition in root.get("$defs", {}).items():
        walk(definition, ("$defs", name))
    return iter(found)


def test_the_walk_finds_the_nested_properties():
    pointers = {pointer for pointer, _ in _properties()}
    assert "/properties/version" in pointers
    assert "/$defs/connectedApp/properties/oauth/properties/jwt_bearer/properties/certificate" in pointers
    assert "/$defs/operation/properties/path" in pointers
    assert len(pointers) > 150


def test_every_property_has_a_description():
    missing = [pointer for pointer, schema in _properties()
               if not isinstance(schema.get("description"), str) or not schema["description"].strip()]
    assert missing == [], "describe these in generator/sfauthgen/data/schema/*.json"


def _examples() -> list[Any]:
    return [pytest.param(pointer, example, id=f"{pointer}[{index}]") for pointer, schema in _properties()
            for index, example in enumerate(schema.get("examples", []))]


def test_examples_are_lists():
    wrong = [pointer for pointer, schema in _properties()
             if "examples" in schema and not (isinstance(schema["examples"], list) and schema["examples"])]
    assert wrong == []


@pytest.mark.parametrize(("pointer", "example"), _examples())
def test_every_example_validates_against_its_property(pointer, example):
    root = spec_schema()
    registry = Registry().with_resource(root["$id"], Resource.from_contents(root))
    formats = FormatChecker()
    formats.checks("sfauthgen-url")(is_url)
    validator = Draft202012Validator({"$ref": root["$id"] + "#" + pointer}, registry=registry,
                                     format_checker=formats)
    assert [e.message for e in validator.iter_errors(example)] == []


def test_an_invalid_example_would_be_caught():
    root = spec_schema()
    registry = Registry().with_resource(root["$id"], Resource.from_contents(root))
    validator = Draft202012Validator({"$ref": root["$id"] + "#/$defs/apex/properties/timeout_seconds"},
                                     registry=registry)
    assert not validator.is_valid(121)
