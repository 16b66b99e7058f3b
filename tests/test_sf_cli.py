"""The sf CLI itself accepts the generated project (offline: `sf project convert source`)."""

from __future__ import annotations

import json

from lxml import etree

from sfauthgen.cli import run
from sfauthgen.metadata import registry

from conftest import SPECS
from tools import sf

NS = {"m": "http://soap.sforce.com/2006/04/metadata"}


def test_sf_project_convert_source_lists_every_component(tmp_path):
    project = tmp_path / "project"
    assert run(["generate", str(SPECS), "-d", str(project), "-q"]) == 0
    manifest = json.loads((project / ".sfauthgen-manifest.json").read_text())
    result = sf("project", "convert", "source", "--source-dir", "force-app", "--output-dir",
                str(tmp_path / "mdapi"), "--json", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    package = etree.parse(str(tmp_path / "mdapi" / "package.xml"))
    listed = {
        (t.findtext("m:name", namespaces=NS), m.text)
        for t in package.findall("m:types", NS)
        for m in t.findall("m:members", NS)
    }
    by_folder = {entry["directoryName"]: kind for kind, entry in registry().items()}
    expected = set()
    for path in manifest["files"]:
        folder, filename = path.split("/")[-2:]
        expected.add((by_folder[folder], filename.split(".")[0]))
    assert listed == expected
    assert {kind for kind, _ in listed} == {
        "ApexClass", "AuthProvider", "ConnectedApp", "ExternalClientApplication", "ExternalCredential",
        "ExtlClntAppConfigurablePolicies", "ExtlClntAppGlobalOauthSettings", "ExtlClntAppOauthConfigurablePolicies",
        "ExtlClntAppOauthSettings", "NamedCredential", "PermissionSet",
    }
    assert package.findtext("m:version", namespaces=NS) == "66.0"
