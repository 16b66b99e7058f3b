"""The contract: every YAML example in ../shared/SPEC_LANGUAGE.md validates and generates as written."""

from __future__ import annotations

import re
import shutil

import yaml

from sfauthgen.files.xmlcheck import schema_errors

from conftest import SPECS, merge_documents, shared_path, tree


def _examples() -> dict:
    text = shared_path("SPEC_LANGUAGE.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    return merge_documents([yaml.safe_load(block) for block in blocks])


def test_every_spec_language_example_generates(cli, tmp_path):
    _generate(cli, tmp_path, _examples())


def _generate(cli, tmp_path, merged: dict) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(merged, sort_keys=False))
    (tmp_path / "certs").mkdir()
    shutil.copy(SPECS / "certs" / "data_migration.crt", tmp_path / "certs" / "data_migration.crt")
    result = cli("generate", spec, "-d", tmp_path / "out", "-q")
    assert result.code == 0, result.err
    files = tree(tmp_path / "out")
    for section, folder in (("connected_apps", "connectedApps"), ("external_credentials", "externalCredentials"),
                            ("named_credentials", "namedCredentials"), ("permission_sets", "permissionsets")):
        for entry in merged[section]:
            assert any(f"/{folder}/{entry['name']}." in path for path in files), (section, entry["name"])
    for path, content in files.items():
        if path.endswith("-meta.xml"):
            assert schema_errors(content.decode()) == [], path
