"""Every generated file is valid against the Metadata API schema, checked two ways.

lxml with the packaged subset XSD is what sfauthgen itself runs before writing;
xmlschema, a second implementation, checks the same files so a bug in one
validator (or in the subset) cannot hide an invalid file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema

from sfauthgen.files.xmlcheck import schema_errors

from conftest import REPO, SPECS, shared_path

XSD = REPO / "generator" / "sfauthgen" / "data" / "metadata-subset.xsd"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    from sfauthgen.cli import run

    out = tmp_path_factory.mktemp("xsd") / "out"
    assert run(["generate", str(SPECS), "-d", str(out), "-q"]) == 0
    files = sorted(p for p in out.rglob("*-meta.xml"))
    assert files
    return files


def test_generated_files_are_schema_valid_with_lxml(generated):
    for path in generated:
        assert schema_errors(path.read_text("utf-8")) == [], path


def test_generated_files_are_schema_valid_with_xmlschema(generated):
    schema = xmlschema.XMLSchema(str(XSD))
    for path in generated:
        schema.validate(str(path))


def test_validator_rejects_wrong_element_order():
    bad = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <label>A</label>\n"
        "    <contactEmail>a@example.com</contactEmail>\n"
        "</ConnectedApp>\n"
    )
    problems = schema_errors(bad)
    assert problems and "contactEmail" in problems[0]


def test_validator_rejects_invented_scope():
    bad = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <contactEmail>a@example.com</contactEmail>\n"
        "    <label>A</label>\n"
        "    <oauthConfig>\n"
        "        <callbackUrl>https://example.com</callbackUrl>\n"
        "        <scopes>BulkApi</scopes>\n"
        "    </oauthConfig>\n"
        "</ConnectedApp>\n"
    )
    assert schema_errors(bad)


def test_subset_xsd_is_derived_from_the_current_wsdl(tmp_path):
    wsdl = shared_path("reference", "metadata-v66.0.wsdl")
    out = tmp_path / "subset.xsd"
    subprocess.run([sys.executable, str(REPO / "scripts" / "derive_xsd.py"), str(wsdl), str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == XSD.read_bytes(), "run scripts/derive_xsd.py and commit the result"


def test_subset_xsd_accepts_the_valid_corpus():
    corpus = shared_path("corpus")
    valid = []
    for line in (corpus / "PROVENANCE.tsv").read_text("utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if cols[6] == "valid":
            valid.append(corpus / cols[1])
    assert len(valid) > 100
    for path in valid:
        assert schema_errors(path.read_text("utf-8")) == [], path
