"""jsonschema-rs, the fast path of spec/schema.py, against the reference `jsonschema` validator.

A document jsonschema-rs passes gets no further check, so its verdict must be the reference's wherever
`fast_verdict` gives one (None sends the document to the reference validator). Run on every spec we ship,
every bad-spec case, every lint fixture's specs, and mutations of a valid spec.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfauthgen.diagnostics import SpecError
from sfauthgen.spec import schema
from sfauthgen.spec.loader import load_file

from conftest import REPO

pytest.importorskip("jsonschema_rs")

CASES = REPO / "tests" / "cases"


def reference_verdict(data: Any) -> bool:
    return next(iter(schema._validator().iter_errors(data)), None) is None


def _loaded(path: Path) -> Any:
    try:
        return load_file(path).data
    except SpecError:
        return None  # a YAML problem: the schema never sees it


def _corpus(tmp: Path) -> list[tuple[str, Any]]:
    found = [(str(p), _loaded(p)) for p in sorted((REPO / "specs").glob("*.yaml"))]
    found += [(str(p), _loaded(p)) for p in sorted((CASES / "invalid").glob("*.yaml"))]
    for path in sorted((CASES / "lint").glob("*.yaml")):
        fixture = yaml.safe_load(path.read_text("utf-8"))
        for key in ("trigger", "clean", "spec"):
            specs = fixture.get(key)
            for index, spec in enumerate(specs if isinstance(specs, list) else [specs]):
                if isinstance(spec, dict):
                    written = tmp / f"{path.stem}-{key}-{index}.yaml"
                    written.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "utf-8")
                    found.append((f"{path.name} {key}[{index}]", _loaded(written)))
    return [(name, data) for name, data in found if data is not None]


def test_fast_validator_agrees_on_every_fixture(tmp_path):
    corpus = _corpus(tmp_path)
    decided = 0
    for name, data in corpus:
        fast = schema.fast_verdict(data)
        if fast is not None:
            decided += 1
            assert fast == reference_verdict(data), name
    # The fast path must actually be taken for most fixtures, or this test proves little.
    assert len(corpus) > 50
    assert decided > len(corpus) // 3, (decided, len(corpus))


def _base() -> dict[str, Any]:
    data = load_file(REPO / "specs" / "service_keys.yaml").data
    assert isinstance(data, dict)
    return data


BASE = _base()


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, path + (index,))
    return found


PATHS = [p for p in _paths(BASE) if p]

odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(-70000, 70000), st.sampled_from([403.0, 1.5, 90.0, -0.0, 2**60, 2**70]),
    st.sampled_from(["", " ", "https://host:99999", "https://[::1", "http://example.com", "https://", "ftp://x",
                     "relax", "Relax", "admin_approved", "api", "refresh_token", "full", "90 days", "2026-02-30",
                     "2026-12-01", "Bad Name", "a\nb", "a\x1cb", "trailing\n", "x" * 300, "user@", "@x.com"]),
    st.text(max_size=12),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2),
)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            current = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, (dict, list)):
            continue  # an earlier mutation put a string where the path expects a mapping or list
        action = draw(st.sampled_from(["replace", "drop", "unknown_key", "float"]))
        if action == "drop" and isinstance(parent, (dict, list)):
            del parent[path[-1]]
        elif action == "unknown_key" and isinstance(current, dict):
            current[draw(st.sampled_from(["nmae", "labels", "extra", "oauth"]))] = draw(odd_values)
        elif action == "float" and isinstance(current, int) and not isinstance(current, bool):
            parent[path[-1]] = float(current)
        else:
            parent[path[-1]] = draw(odd_values)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fast_validator_agrees_on_mutated_specs(data):
    fast = schema.fast_verdict(data)
    if fast is not None:
        assert fast == reference_verdict(data)


def test_the_mutation_base_is_decided_by_the_fast_path():
    assert schema.fast_verdict(BASE) is True
    assert reference_verdict(BASE)


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


def test_patterns_end_the_string_as_json_schema_does():
    """Python's `$` matches before a final newline; the reference validator reads it as ECMA-262 does, which
    holds while every pattern's `$` is its last character (or it has none)."""
    patterns = _patterns(schema.spec_schema())
    assert patterns
    for pattern in patterns:
        assert "$" not in pattern.replace("\\$", "").rstrip("$").replace("!$&", ""), pattern
    validator = schema._validator()
    for name in ("Books\n", "Books\n\n"):
        document = {"version": 1, "named_credentials": [{"name": name, "label": "Books",
                                                          "url": "https://example.com"}]}
        assert [e.validator for e in validator.iter_errors(document)] == ["pattern"], repr(name)


@pytest.mark.parametrize(("text", "valid"), [
    ("version: 1\npermission_sets:\n  - {name: P, label: P}\nwaivers:\n"
     "  - {rule: SFA001, target: P, reason: r, expires: 2027-06-30}\n", True),
    ("version: 1\npermission_sets:\n  - {name: P, label: P}\nwaivers:\n"
     "  - {rule: SFA001, target: P, reason: r, expires: 2027-02-30}\n", False),
])
def test_yaml_dates_under_date_keys_take_the_fast_path_and_agree(tmp_path, text, valid):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    data = load_file(path).data
    assert schema.fast_verdict(data) is valid
    assert (not list(schema._validator().iter_errors(data))) is valid


def test_a_yaml_date_where_a_string_goes_is_left_to_the_reference_validator(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("version: 1\npermission_sets:\n  - {name: P, label: 2027-06-30}\n")
    data = load_file(path).data
    assert schema.fast_verdict(data) is None
    assert [e.validator for e in schema._validator().iter_errors(data)] == ["yaml_date"]
