"""The published schema (`sfauthgen schema`): draft-07 by default, as editors' YAML language servers read it;
it accepts every bundled spec and `${var.NAME}` where a string goes, and rejects what sfauthgen rejects."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from sfauthgen.commands import schema as schema_command
from sfauthgen.spec.schema import spec_schema
from sfauthgen.spec.schema_export import SCHEMA_ID, ExportError, _draft7, exported, exported_text

from conftest import REPO, SPECS, write_spec

INVALID = Path(__file__).parent / "cases" / "invalid"


class _EditorYaml(yaml.SafeLoader):
    """YAML as the YAML language server reads it (1.2): a date is a string, not a datetime.date."""


_EditorYaml.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(text: str) -> Any:
    return yaml.load(text, _EditorYaml)


@pytest.fixture(scope="module")
def draft7() -> Any:
    return Draft7Validator(exported("07"))


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in ("enum", "const", "examples", "default"):
                yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def test_default_output_is_the_shipped_draft7_schema(capsys):
    assert schema_command.schema() == 0
    out = capsys.readouterr().out
    assert out == exported_text("07")
    assert out == (REPO / "generator" / "sfauthgen" / "data" / "spec.schema.json").read_text("utf-8")
    data = json.loads(out)
    Draft7Validator.check_schema(data)
    assert data["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert data["$id"] == SCHEMA_ID and SCHEMA_ID.startswith("https://")


def test_2020_12_export_is_a_valid_schema():
    data = exported("2020-12")
    Draft202012Validator.check_schema(data)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_export_is_deterministic_and_leaves_the_internal_schema_alone():
    before = json.dumps(spec_schema())
    assert exported_text("07") == exported_text("07")
    assert json.dumps(spec_schema()) == before
    assert exported_text("07").endswith("}\n")


@pytest.mark.parametrize("draft", ["07", "2020-12"])
def test_no_sfauthgen_keywords_or_formats_remain(draft):
    nodes = list(_walk(exported(draft)))
    # Keys of `properties` are spec keys, not keywords: none starts with x-.
    assert [k for node in nodes for k in node if k.startswith("x-")] == []
    assert [n["format"] for n in nodes if isinstance(n.get("format"), str) and n["format"] != "date"] == []


def test_draft7_has_no_2020_12_keywords_and_every_ref_resolves():
    data = exported("07")
    nodes = list(_walk(data))
    assert not any(k in node for node in nodes for k in ("$defs", "prefixItems", "dependentRequired",
                                                        "dependentSchemas", "unevaluatedProperties", "$anchor"))
    refs = [node["$ref"] for node in nodes if isinstance(node.get("$ref"), str)]
    assert refs
    for ref in refs:
        assert ref.startswith("#/definitions/"), ref
        target: Any = data
        for part in ref.removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        assert isinstance(target, dict), ref
    # Draft-07 ignores keywords beside $ref: a $ref stands alone.
    assert [node for node in nodes if "$ref" in node and len(node) > 1] == []


def test_every_property_keeps_its_description():
    missing = [name for node in _walk(exported("07")) for name, prop in node.get("properties", {}).items()
               if isinstance(prop, dict) and not prop.get("description")]
    assert missing == []


def test_a_2020_12_keyword_without_a_draft7_form_stops_the_export():
    with pytest.raises(ExportError, match="unevaluatedProperties"):
        _draft7({"type": "object", "unevaluatedProperties": False})
    assert _draft7({"prefixItems": [{"type": "string"}], "items": False, "dependentRequired": {"a": ["b"]}}) == {
        "items": [{"type": "string"}], "additionalItems": False, "dependencies": {"a": ["b"]}}


@pytest.mark.parametrize("spec", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_bundled_specs_validate_under_both_drafts(spec, draft7):
    data = _load((SPECS / spec).read_text("utf-8"))
    assert [e.message for e in draft7.iter_errors(data)] == []
    assert [e.message for e in Draft202012Validator(exported("2020-12")).iter_errors(data)] == []


VARIABLES = """\
version: 1
variables:
  integration_user: {default: integration@example.com}
  host: {}
  status: {}
connected_apps:
  - name: Data_Migration
    label: Data Migration
    contact_email: ${var.team}@example.com
    info_url: https://${var.host}/migration
    status: ${var.status}
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api]
      client_credentials:
        run_as: ${var.integration_user}
"""


def test_variables_are_accepted_where_a_string_goes(draft7):
    # spec/variables.py substitutes ${var.NAME} in any string, also inside a longer one.
    assert [e.message for e in draft7.iter_errors(_load(VARIABLES))] == []


@pytest.mark.parametrize("before, after", [
    ("${var.integration_user}", "${var.integration-user}"),  # not a variable name
    ("${var.integration_user}", "integration"),  # no variable, not a username
    ("scopes: [api]", "scopes: [bulk_api]"),
    ("status: ${var.status}", "status: retird"),
    ("    label: Data Migration", "    label: Data Migration\n    lable: typo"),
    ("version: 1", "version: ${var.version}"),  # only strings take variables
    ("  host: {}", "  host: {value: x}"),  # the variables section itself is never substituted
])
def test_invalid_specs_still_fail_under_draft7(draft7, before, after):
    assert before in VARIABLES
    assert not draft7.is_valid(_load(VARIABLES.replace(before, after)))


@pytest.mark.parametrize("case", sorted(p.name for p in INVALID.glob("*.yaml") if p.stem != "invalid_yaml"))
def test_draft7_rejects_what_the_internal_schema_rejects_at_the_same_places(case, draft7):
    data = _load((INVALID / case).read_text("utf-8"))
    internal = Draft202012Validator(spec_schema())
    assert {tuple(e.absolute_path) for e in draft7.iter_errors(data)} == {
        tuple(e.absolute_path) for e in internal.iter_errors(data)}


def test_one_of_stays_exclusive_for_a_variable():
    """Each oneOf branch accepting "${var.x}" would make a variable match two branches, and fail."""
    data = exported("07")
    for node in _walk(data):
        branches = [{**branch, "definitions": data["definitions"]} for branch in node.get("oneOf", [])]
        assert sum(Draft7Validator(b).is_valid("${var.x}") for b in branches) <= 1, node


def test_write_creates_the_folder_and_prints_the_first_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    assert schema_command.schema(draft="07", write_dir=Path(".sfauthgen")) == 0
    written = tmp_path / ".sfauthgen" / "sfauthgen.schema.json"
    assert written.read_text("utf-8") == exported_text("07")
    out = capsys.readouterr().out
    assert "# yaml-language-server: $schema=../.sfauthgen/sfauthgen.schema.json" in out
    assert [p.name for p in written.parent.iterdir()] == ["sfauthgen.schema.json"]  # no temporary file left


def test_write_refuses_a_symlink(tmp_path, cli):
    target = tmp_path / "elsewhere.json"
    target.write_text("keep", encoding="utf-8")
    folder = tmp_path / "schema"
    folder.mkdir()
    try:
        os.symlink(target, folder / "sfauthgen.schema.json")
    except OSError:
        pytest.skip("cannot create symbolic links here")
    result = cli("schema", "--write", folder)
    assert result.code == 1 and "symbolic link" in result.err
    assert target.read_text("utf-8") == "keep"


def test_json_is_one_object_with_status_0(cli, tmp_path):
    printed = cli("schema", "--json", "--draft", "2020-12")
    data = json.loads(printed.out)
    assert printed.code == data["status"] == 0 and data["result"] == exported("2020-12")
    written = cli("schema", "--json", "--write", tmp_path)
    result = json.loads(written.out)["result"]
    assert written.code == 0 and Path(result["path"]) == tmp_path / "sfauthgen.schema.json"
    assert result["first_line"].startswith("# yaml-language-server: $schema=")


def test_a_spec_pointing_at_a_written_schema_validates(tmp_path, cli, draft7):
    spec = write_spec(tmp_path, "# yaml-language-server: $schema=.sfauthgen/sfauthgen.schema.json\n" + VARIABLES)
    assert cli("schema", "--write", tmp_path / ".sfauthgen").code == 0
    schema = json.loads((tmp_path / ".sfauthgen" / "sfauthgen.schema.json").read_text("utf-8"))
    assert Draft7Validator(schema).is_valid(_load(spec.read_text("utf-8")))
