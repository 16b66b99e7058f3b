"""The loader reads libyaml's event stream and finds positions only when asked: checked against the
node graph `yaml.compose` builds from the same text (values, and where each value and key starts)."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sfauthgen.diagnostics import Location, SpecError
from sfauthgen.spec import loader
from sfauthgen.spec.loader import load_file

SCALARS = ["a", "x y", "'q'", '"d"', "1", "0o7", "yes", "~", "2020-01-01", "''", "3.5", "1.5e+3", "-3", "n"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Flow and block YAML with anchors and aliases (never recursive), plain string keys only."""
    anchors: list[str] = []  # defined (complete) anchors: aliases only refer back to these
    names = iter(range(1000))

    def node(depth: int) -> str:
        if anchors and draw(st.integers(0, 9)) == 0:
            return "*" + draw(st.sampled_from(anchors))
        anchor = ""
        if draw(st.integers(0, 6)) == 0:
            anchor = f"&n{next(names)} "
        kind = draw(st.integers(0, 3)) if depth < 3 else 0
        if kind <= 1:
            value = anchor + draw(st.sampled_from(SCALARS))
        elif kind == 2:
            value = anchor + "[" + ", ".join(node(depth + 1) for _ in range(draw(st.integers(0, 3)))) + "]"
        else:
            keys = draw(st.lists(st.sampled_from(["k1", "k2", "name", "oauth", "'quoted'"]), max_size=3,
                                 unique=True))
            value = anchor + "{" + ", ".join(f"{k}: {node(depth + 1)}" for k in keys) + "}"
        if anchor:
            anchors.append(anchor[1:].strip())
        return value

    lines = [f"top{i}: {node(0)}" for i in range(draw(st.integers(1, 4)))]
    return "\n".join(lines) + "\n"


def reference(text: str) -> tuple[object, dict, dict]:
    """Values and positions by walking the composed node graph (what the loader did before events)."""
    values: dict = {}
    keys: dict = {}

    def walk(node: yaml.Node, path: tuple) -> object:
        values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                keys[path + (key_node.value,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key_node.value] = walk(value_node, path + (key_node.value,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, path + (i,)) for i, item in enumerate(node.value)]
        return yaml.SafeLoader("").construct_object(node) if node.tag != "tag:yaml.org,2002:timestamp" \
            else node.value

    data = walk(yaml.compose(text, Loader=yaml.CSafeLoader), ())
    return data, values, keys


@settings(max_examples=150, deadline=None)
@given(text=documents())
def test_values_and_positions_match_the_node_graph(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("y") / "s.yaml"
    path.write_text(text)
    doc = load_file(path, display="s.yaml")
    data, values, keys = reference(text)
    assert doc.data == data
    assert {p: (loc.line, loc.column) for p in doc.value_marks for loc in [doc.locate(p)]} == values
    assert {p: (loc.line, loc.column) for p in doc.key_marks for loc in [doc.locate(p, key=True)]} == keys


def load(tmp_path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return load_file(path, display="s.yaml")


def test_positions_are_found_only_when_asked_for(tmp_path):
    doc = load(tmp_path, "version: 1\nconnected_apps:\n  - name: A\n")
    assert doc._positions is None
    assert doc.locate(("connected_apps", 0, "name")) == Location("s.yaml", 3, 11)
    assert doc._positions is not None


def test_an_alias_repeats_the_positions_of_its_anchor(tmp_path):
    doc = load(tmp_path, "a: &s\n  scopes: [api, web]\nb: *s\n")
    assert doc.data["b"] == {"scopes": ["api", "web"]}
    assert doc.locate(("b", "scopes", 1)) == doc.locate(("a", "scopes", 1)) == Location("s.yaml", 2, 17)
    assert doc.locate(("b", "scopes"), key=True) == Location("s.yaml", 2, 3)
    doc.data["b"]["scopes"].append("x")
    assert doc.data["a"]["scopes"] == ["api", "web"]  # a copy, not the anchor's own list


def test_an_anchored_key_can_be_repeated_as_a_key_or_a_value(tmp_path):
    doc = load(tmp_path, "&k name: 1\nother:\n  *k : 2\nthird: *k\n")
    assert doc.data == {"name": 1, "other": {"name": 2}, "third": "name"}


def test_alias_expansion_is_bounded_where_the_limit_is_crossed(tmp_path, monkeypatch):
    text = "a: &a [x, x, x, x, x]\nb: [*a, *a, *a]\n"
    # Counted as the node graph is walked: the root, a (6), b (1), then 6 for each *a.
    monkeypatch.setattr(loader, "MAX_NODES", 18)
    with pytest.raises(SpecError) as info:
        load(tmp_path, text)
    assert str(info.value).startswith("s.yaml:1:17: SFY104 spec expands to more than 18 YAML nodes")
    monkeypatch.setattr(loader, "MAX_NODES", 20)
    with pytest.raises(SpecError) as info:
        load(tmp_path, text)
    assert str(info.value).startswith("s.yaml:1:4: SFY104 spec expands to more than 20 YAML nodes")


def test_a_problem_inside_an_anchor_is_reported_once(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "a: &a {x: !foo y}\nb: *a\nc: *a\n")
    assert str(info.value).count("unsupported YAML tag '!foo'") == 1


def test_duplicate_anchor_and_undefined_alias_are_syntax_errors(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "a: &x 1\nb: &x 2\n")
    assert str(info.value) == ("s.yaml:2:4: SFY102 invalid YAML: second occurrence\n"
                               "    hint: found duplicate anchor; first occurrence that starts at line 1")
    with pytest.raises(SpecError) as info:
        load(tmp_path, "a: *nope\n")
    assert str(info.value) == "s.yaml:1:4: SFY102 invalid YAML: found undefined alias"


def test_a_second_document_is_refused(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "a: 1\n---\nb: 2\n")
    assert str(info.value) == ("s.yaml:2:1: SFY102 invalid YAML: but found another document\n"
                               "    hint: expected a single document in the stream that starts at line 1")


def test_characters_are_checked_when_an_escape_could_write_one(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, 'a: "x\\x01y"\n')
    assert "U+0001" in str(info.value)
    assert load(tmp_path, "a: 'x\\x01y'\n").data == {"a": "x\\x01y"}  # single quotes: no escapes


def test_an_alias_cannot_nest_deeper_than_the_limit(tmp_path):
    """An anchor 40 levels deep, aliased 40 levels deep: 80 levels, refused where the node graph would be."""
    deep = "[" * 40 + "x" + "]" * 40
    with pytest.raises(SpecError) as info:
        load(tmp_path, f"a: &d {deep}\nb: {'[' * 40}*d{']' * 40}\n")
    assert str(info.value).startswith("s.yaml:1:31: SFY104 spec is nested more than 64 levels deep")


def test_refused_keys_count_their_depth(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "? " * 300 + "a\n")
    assert "nested more than 64 levels deep" in str(info.value)


def test_numbers_written_too_long_are_refused_quickly(tmp_path):
    """YAML 1.1 reads 1:2:3 as base 60; thousands of parts would take minutes to add up."""
    with pytest.raises(SpecError) as info:
        load(tmp_path, "label: " + ":".join(["1"] * 100_000) + "\n")
    assert str(info.value).startswith("s.yaml:1:8: SFS203 the number 1:1:... is too large")

