"""Whatever YAML a user writes, sfauthgen answers with diagnostics, never a crash."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sfauthgen import pipeline
from sfauthgen.diagnostics import SpecError
from sfauthgen.spec.schema import spec_schema


def _keys() -> list[str]:
    """Every key the schema knows, so random documents get deep into the checks."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    found.update(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec_schema())
    return sorted(found)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.sampled_from(
    ["api", "relax", "BYPASS", "https://x.example.com", "a@example.com", "Name_1", "${var.x}", "", "90 days",
     "oauth_client_credentials", "named", "GET", "/v1/{id}", "json", "{!$Credential.A.B}", "sk-live-0123456789abcdef"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(_keys()), inner, max_size=4),
), max_leaves=12)
DOCUMENTS = st.dictionaries(st.sampled_from(_keys()), VALUES, max_size=5).map(lambda d: {"version": 1, **d})


def assert_only_diagnostics(spec) -> None:
    try:
        checked = pipeline.load_and_check([spec])
        pipeline.model(checked)
    except SpecError as exc:
        assert exc.diagnostics


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS)
def test_random_specs_never_crash(tmp_path_factory, document):
    spec = tmp_path_factory.mktemp("fuzz") / "spec.yaml"
    spec.write_text(yaml.safe_dump(document))
    assert_only_diagnostics(spec)


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, path + (index,))
    return found


def _example() -> dict:
    from conftest import SPECS, merge_documents

    return merge_documents([yaml.safe_load(spec.read_text()) for spec in sorted(SPECS.glob("*.yaml"))])


EXAMPLE = _example()
EXAMPLE_PATHS = _paths(EXAMPLE)[1:]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_examples_never_crash(tmp_path_factory, data):
    """One value of a valid spec replaced by anything: cross-checks see near-valid input."""
    import copy

    from conftest import SPECS

    document = copy.deepcopy(EXAMPLE)
    path = data.draw(st.sampled_from(EXAMPLE_PATHS))
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = data.draw(VALUES)
    folder = tmp_path_factory.mktemp("mutated")
    (folder / "certs").mkdir()
    (folder / "certs" / "data_migration.crt").write_text((SPECS / "certs" / "data_migration.crt").read_text())
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(document))
    assert_only_diagnostics(spec)


def _output_files() -> list:
    from conftest import REPO

    base = REPO / "output" / "force-app" / "main" / "default"
    return sorted(p for p in base.rglob("*-meta.xml") if "/classes/" not in p.as_posix())


OUTPUT_FILES = _output_files()


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_import_of_damaged_metadata_never_crashes(tmp_path_factory, data):
    """A generated file with one element removed or one value replaced: import reports, never crashes."""
    from lxml import etree

    from sfauthgen.diagnostics import SfauthgenError
    from sfauthgen.importer import import_metadata

    source = data.draw(st.sampled_from(OUTPUT_FILES))
    root = etree.parse(str(source)).getroot()
    elements = [e for e in root.iter() if e is not root]
    victim = data.draw(st.sampled_from(elements))
    if data.draw(st.booleans()):
        victim.getparent().remove(victim)
    elif len(victim) == 0:
        victim.text = data.draw(st.sampled_from(["", "true", "false", "x", "BYPASS", "0", "https://a.example.com",
                                                 "Bearer abcdefghijklmnopqrstuvwxyz123456", "a,b", "-1"]))
    folder = tmp_path_factory.mktemp("damaged")
    target = folder / source.parent.name / source.name
    target.parent.mkdir()
    target.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    try:
        result = import_metadata([folder])
    except SfauthgenError as exc:
        assert exc.exit_code == 1, str(exc)
    else:
        assert result.spec_text.startswith("# Imported by sfauthgen")
