"""sfauthgen import: existing metadata in, a spec out, nothing lost silently."""

from __future__ import annotations

import collections
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from sfauthgen import pipeline
from sfauthgen.files.layout import Layout
from sfauthgen.importer import import_metadata
from sfauthgen.importer.elements import ORG_SPECIFIC, SECRETS
from sfauthgen.importer.read import discover, read
from sfauthgen.render import render
from sfauthgen.spec.schema import spec_schema

from conftest import REPO, shared_path, tree

CASES = Path(__file__).parent / "cases" / "import"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_import_golden(case, cli, tmp_path, monkeypatch):
    """Refresh: cd tests/cases/import/<case> &&
    sfauthgen import . --output-file expected.yaml --force 2> expected.stderr"""
    monkeypatch.chdir(CASES / case)
    spec = tmp_path / "spec.yaml"
    result = cli("import", ".", "--output-file", spec)
    assert result.code == 0, result.err
    assert spec.read_text() == (CASES / case / "expected.yaml").read_text()
    assert result.err == (CASES / case / "expected.stderr").read_text()
    jsonschema.Draft202012Validator(spec_schema()).validate(yaml.safe_load(spec.read_text()))
    assert cli("validate", spec).code == 0


def test_secrets_are_reported_not_imported(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(CASES / "legacy")
    result = cli("import", ".", "--output-file", tmp_path / "spec.yaml")
    assert "password: a password is never imported; rotate it" in result.err
    assert "hunter2" not in result.err and "hunter2" not in (tmp_path / "spec.yaml").read_text()
    monkeypatch.chdir(CASES / "mixed")
    mixed = cli("import", ".", "--output-file", tmp_path / "mixed.yaml")
    assert "sk-live-0123456789abcdefXYZ" not in mixed.err + (tmp_path / "mixed.yaml").read_text()
    assert "3MVG9EXAMPLEKEY" not in (tmp_path / "mixed.yaml").read_text()


def test_generated_output_round_trips_byte_for_byte(cli, tmp_path):
    spec = tmp_path / "spec.yaml"
    result = cli("import", REPO / "output" / "force-app", "--output-file", spec)
    assert result.code == 0, result.err
    assert result.err == ""
    assert (tmp_path / "certs" / "Data_Migration.crt").is_file()
    assert cli("generate", spec, "-d", tmp_path / "regen", "-q").code == 0
    original = {p: c for p, c in tree(REPO / "output").items() if p.startswith("force-app/") and "/classes/" not in p}
    regenerated = {p: c for p, c in tree(tmp_path / "regen").items() if p.startswith("force-app/")}
    assert regenerated == original


def test_certificates_become_pem_files_next_to_the_spec(cli, tmp_path):
    from cryptography import x509

    spec = tmp_path / "sub" / "spec.yaml"
    source = REPO / "output" / "force-app" / "main" / "default" / "connectedApps"
    assert cli("import", source, "--output-file", spec).code == 0
    pem = (tmp_path / "sub" / "certs" / "Data_Migration.crt").read_bytes()
    certificate = x509.load_pem_x509_certificate(pem)
    assert certificate.subject.rfc4514_string() == "CN=data-migration.example.com,O=Example Corp,C=US"
    assert "certificate: certs/Data_Migration.crt" in spec.read_text()


def test_existing_spec_is_not_overwritten_without_force(cli, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("# mine\n")
    source = REPO / "output" / "force-app" / "main" / "default" / "permissionsets"
    refused = cli("import", source, "--output-file", spec)
    assert refused.code == 1
    assert f"refusing to overwrite {spec}; pass --force to replace" in refused.err
    assert spec.read_text() == "# mine\n"
    assert cli("import", source, "--output-file", spec, "--force").code == 0
    assert spec.read_text().startswith("# Imported by sfauthgen")


BAD_FILES = {
    "doctype": ("Bad.namedCredential-meta.xml",
                '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n'
                '<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata"><label>&a;</label></NamedCredential>\n',
                "Bad.namedCredential-meta.xml:2:1: SFI501 a DOCTYPE (with its entities) is not allowed in a metadata "
                "file\n    hint: Salesforce never writes one; remove it\n"),
    "not_xml": ("Bad.connectedApp-meta.xml", "<ConnectedApp><label>x</ConnectedApp>",
                "Bad.connectedApp-meta.xml:1:38: SFI501 not well-formed XML: Opening and ending tag mismatch: "
                "label line 1 and ConnectedApp\n"),
    "wrong_root": ("Bad.connectedApp-meta.xml",
                   '<?xml version="1.0"?>\n<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata"/>\n',
                   "Bad.connectedApp-meta.xml:2:1: SFI501 root element is <NamedCredential>, but a connectedApp file "
                   "holds <ConnectedApp>\n    hint: the root element must be ConnectedApp in the namespace "
                   "http://soap.sforce.com/2006/04/metadata\n"),
    "unknown_element": ("Bad.namedCredential-meta.xml",
                        '<?xml version="1.0"?>\n<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">\n'
                        "    <label>x</label>\n    <colour>blue</colour>\n</NamedCredential>\n",
                        "Bad.namedCredential-meta.xml:4:1: SFI501 not valid Metadata API XML: Element 'colour': This "
                        "element is not expected. Expected is one of ( namedCredentialParameters, "
                        "namedCredentialType, oauthRefreshToken, oauthScope, oauthToken, outboundNetworkConnection, "
                        "password, principalType, protocol, username ).\n"),
    "bad_enum": ("Bad.connectedApp-meta.xml",
                 '<?xml version="1.0"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n'
                 "    <contactEmail>a@example.com</contactEmail>\n    <label>x</label>\n    <oauthConfig>\n"
                 "        <callbackUrl>https://x.example.com</callbackUrl>\n        <scopes>BulkApi</scopes>\n"
                 "    </oauthConfig>\n</ConnectedApp>\n",
                 "Bad.connectedApp-meta.xml:7:1: SFI501 not valid Metadata API XML: Element 'scopes': [facet "
                 "'enumeration'] The value 'BulkApi' is not an element of the set {'Basic', 'Api', 'Web', 'Full', "
                 "'Chatter', 'CustomApplications', 'RefreshToken', 'OpenID', 'Profile', 'Email', 'Address', 'Phone', "
                 "'OfflineAccess', 'CustomPermissions', 'Wave', 'Eclair', 'Pardot', 'Lightning', 'Content', "
                 "'CDPIngest', 'CDPProfile', 'CDPQuery', 'Chatbot', 'CDPSegment', 'CDPIdentityResolution', "
                 "'CDPCalculatedInsight', 'ForgotPassword', 'UserRegistration', 'SFAP', 'Interaction', 'CDP', "
                 "'EinsteinGPT', 'PwdlessLogin', 'MCP', 'SCRT'}.\n"),
    "bad_ip_relaxation": ("Bad.connectedApp-meta.xml",
                          '<?xml version="1.0"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n'
                          "    <contactEmail>a@example.com</contactEmail>\n    <label>x</label>\n    <oauthConfig>\n"
                          "        <callbackUrl>https://x.example.com</callbackUrl>\n        <scopes>Api</scopes>\n"
                          "    </oauthConfig>\n    <oauthPolicy>\n"
                          "        <ipRelaxation>ENFORCE_ACTIVATED_DEVICES</ipRelaxation>\n"
                          "        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n"
                          "</ConnectedApp>\n",
                          "Bad.connectedApp-meta.xml:10:1: SFI502 ipRelaxation 'ENFORCE_ACTIVATED_DEVICES' is not "
                          "a value "
                          "Salesforce accepts\n    hint: ENFORCE, ENFORCE_RELAXREFRESH, BYPASS_2FACTOR or BYPASS\n"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_invalid_input_is_an_error_with_file_and_line(case, cli, tmp_path, monkeypatch):
    name, content, expected = BAD_FILES[case]
    (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    result = cli("import", name, "--output-file", "spec.yaml")
    assert result.code == 1
    assert result.err == expected + "nothing could be imported from 1 file; nothing was written\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_unsupported_file_name(cli, tmp_path, monkeypatch):
    (tmp_path / "notes.xml").write_text("<x/>")
    monkeypatch.chdir(tmp_path)
    result = cli("import", "notes.xml", "--output-file", "spec.yaml")
    assert result.code == 1
    assert result.err.startswith("notes.xml:1:1: SFI501 not a file sfauthgen imports (by its name)\n")


def _corpus_groups() -> dict[tuple[str, str], list[tuple[str, str]]]:
    corpus = shared_path("corpus")
    groups: dict[tuple[str, str], list[tuple[str, str]]] = collections.defaultdict(list)
    for line in (corpus / "PROVENANCE.tsv").read_text("utf-8").splitlines()[1:]:
        kind, saved, repo, path, *_, valid = line.split("\t")[:7]
        if line.split("\t")[6] != "valid" or kind == "PermissionSet":
            continue
        eca = kind.startswith(("ExternalClient", "ExtlClnt"))
        groups[("ExternalClientApp" if eca else kind, repo if eca else saved)].append((saved, path))
    return groups


def test_corpus_round_trip(tmp_path):
    """Every XSD-valid ConnectedApp, NamedCredential, ExternalCredential and ECA set of the corpus:
    import, generate, compare. At least 90% reproduce exactly (org-specific keys and secrets aside,
    which import always reports); every other one reports its losses."""
    corpus = shared_path("corpus")
    outcome: collections.Counter[str] = collections.Counter()
    for index, (_, items) in enumerate(sorted(_corpus_groups().items())):
        folder = tmp_path / str(index)
        for saved, path in items:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(corpus / saved, folder / path)
        result = import_metadata([folder])
        real = [loss for loss in result.losses
                if loss.what.split("/")[-1] not in ORG_SPECIFIC and loss.what.split("/")[-1] not in SECRETS]
        outcome["exact" if not real else "reported"] += 1
        jsonschema.Draft202012Validator(spec_schema()).validate(yaml.safe_load(result.spec_text))
    total = sum(outcome.values())
    print(f"round trip by meaning: {dict(outcome)} of {total}")
    assert total >= 160
    assert outcome["exact"] / total >= 0.9, outcome


def test_mdapi_folder_round_trips_with_its_api_version(cli, tmp_path):
    md = tmp_path / "md"
    spec = tmp_path / "in.yaml"
    spec.write_text('version: 1\napi_version: "64.0"\npermission_sets:\n  - {name: P, label: P}\n'
                    "connected_apps:\n  - {name: A, label: A, contact_email: a@example.com}\n")
    assert cli("generate", spec, "-d", md, "--format", "mdapi", "-q").code == 0
    imported = tmp_path / "out.yaml"
    assert cli("import", md, "--output-file", imported).code == 0
    expected = yaml.safe_load(spec.read_text())
    expected["connected_apps"][0]["exists_in_org"] = True  # import knows the app exists in the org it came from
    assert yaml.safe_load(imported.read_text()) == expected
    assert cli("generate", imported, "-d", tmp_path / "md2", "--format", "mdapi", "-q").code == 0
    assert tree(tmp_path / "md2") == tree(md)


def test_import_of_generated_output_is_a_fixed_point(cli, tmp_path):
    """import(generate(import(x))) == import(x): the spec an import writes is stable."""
    first = tmp_path / "a" / "spec.yaml"
    assert cli("import", REPO / "output" / "force-app", "--output-file", first).code == 0
    assert cli("generate", first, "-d", tmp_path / "out", "-q").code == 0
    second = tmp_path / "b" / "spec.yaml"
    assert cli("import", tmp_path / "out" / "force-app", "--output-file", second).code == 0
    body = lambda path: path.read_text().split("\n", 1)[1]  # noqa: E731 (the first line names the source)
    assert body(second) == body(first)


_FLAG_LINE = re.compile(r"\s*<\w+>(false|true|STANDARD|Enabled|ENFORCE|infinite)</\w+>|\s*</?oauthPolicy>")


def _byte_outcome(original: str, generated: str, reported: set[str]) -> str:
    """exact; newer (generated adds only flags and defaults a newer API version writes); reported
    (what it drops was reported by import); or other (formatting, names Salesforce ignores)."""
    if original == generated:
        return "exact"
    old, new = original.splitlines(), generated.splitlines()
    removed = [line for line in old if line not in new and line.strip() and not line.startswith("<?xml")]
    added = [line for line in new if line not in old and not line.startswith("<?xml")]
    if not removed and all(_FLAG_LINE.fullmatch(line) for line in added):
        return "newer"
    names = {m.group(1) for line in removed if (m := re.match(r"\s*<(\w+)>", line))}
    if names and names <= reported | {"parameterName", "parameterType", "parameterValue", "parameterGroup"}:
        return "reported"
    return "other"


def test_corpus_regenerates_byte_for_byte_but_for_newer_flags(tmp_path):
    """Import each corpus file, generate from the spec, compare bytes. Most come back identical, or
    identical but for the flags a newer API version writes (false booleans, defaults); what else
    differs is what import reported (secrets, org ids) or formatting."""
    corpus = shared_path("corpus")
    outcome: collections.Counter[str] = collections.Counter()
    for index, (_, items) in enumerate(sorted(_corpus_groups().items())):
        folder = tmp_path / str(index)
        for saved, path in items:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(corpus / saved, folder / path)
        result = import_metadata([folder])
        spec = tmp_path / f"spec{index}" / "spec.yaml"
        spec.parent.mkdir()
        spec.write_text(result.spec_text)
        for relative, pem in result.certificates.items():
            (spec.parent / relative).parent.mkdir(parents=True, exist_ok=True)
            (spec.parent / relative).write_text(pem)
        generated = {(g.metadata_type, g.member): g.content
                     for g in render(pipeline.model(pipeline.load_and_check([spec])), Layout()) if g.xml}
        for path in discover([folder]):
            meta = read(path)
            twin = generated.get((meta.metadata_type, meta.member))
            if twin is None:
                outcome["not generated (reported)"] += 1
                continue
            reported = {part for loss in result.losses if loss.file == str(path) for part in loss.what.split("/")}
            outcome[_byte_outcome(path.read_text("utf-8"), twin, reported)] += 1
    total = sum(outcome.values())
    identical = outcome["exact"] + outcome["newer"]
    print(f"byte round trip: {dict(outcome)}; identical but for newer flags: {identical}/{total}")
    assert identical / total >= 0.8, outcome
    assert outcome["other"] / total <= 0.06, outcome


NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'
OUTPUT_APPS = REPO / "output" / "force-app" / "main" / "default" / "connectedApps"


def _import(cli, folder: Path, tmp_path: Path):
    spec = tmp_path / "spec.yaml"
    result = cli("import", folder, "--output-file", spec)
    return result, (yaml.safe_load(spec.read_text()) if spec.exists() else None)


def test_boolean_forms_and_comments_inside_values_read_as_salesforce_reads_them(cli, tmp_path):
    """xsd:boolean's 1 and ' true ' are true; a comment inside a value does not cut it."""
    source = next(OUTPUT_APPS.glob("*.connectedApp-meta.xml"))
    text = source.read_text()
    assert "<isAdminApproved>true</isAdminApproved>" in text
    folder = tmp_path / "apps"
    folder.mkdir()
    label = re.search(r"<label>(.*)</label>", text).group(1)
    mangled = text.replace("<isAdminApproved>true</isAdminApproved>", "<isAdminApproved> 1 </isAdminApproved>")
    mangled = mangled.replace(f"<label>{label}</label>", f"<label>{label[:2]}<!-- c -->{label[2:]}<?pi x?></label>")
    (folder / source.name).write_text(mangled)
    result, spec = _import(cli, folder, tmp_path)
    assert result.code == 0, result.err
    app = spec["connected_apps"][0]
    assert app["label"] == label
    assert app["policies"]["permitted_users"] == "admin_approved"


def test_invalid_principals_or_a_non_ascii_digit_are_reported_not_a_crash(cli, tmp_path):
    folder = tmp_path / "ec"
    folder.mkdir()
    parameter = ("<externalCredentialParameters><parameterName>{}</parameterName><parameterType>{}</parameterType>"
                 "{}<sequenceNumber>{}</sequenceNumber></externalCredentialParameters>")
    (folder / "Dup.externalCredential-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ExternalCredential {NS}>'
        "<authenticationProtocol>Custom</authenticationProtocol>"
        + parameter.format("P", "NamedPrincipal", "", 1) + parameter.format("P", "NamedPrincipal", "", 2)
        + "<label>Dup</label></ExternalCredential>\n")
    result, _ = _import(cli, folder, tmp_path)
    assert result.code == 1, result.err
    assert "duplicate principal 'P' in Dup (also defined at another place in this import)" in result.err
    assert "sfauthgen-import-" not in result.err and "internal error" not in result.err
    (folder / "Dup.externalCredential-meta.xml").unlink()
    (folder / "Code.externalCredential-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ExternalCredential {NS}>'
        "<authenticationProtocol>Custom</authenticationProtocol>"
        + parameter.format("P", "NamedPrincipal", "", 1)
        + parameter.format("AdditionalRefreshStatusCode", "AdditionalRefreshStatusCode",
                           "<parameterValue>\u00b2</parameterValue>", 2)
        + "<label>Code</label></ExternalCredential>\n")
    result, _ = _import(cli, folder, tmp_path)
    assert result.code == 0, result.err
    assert "AdditionalRefreshStatusCode parameter" in result.err  # reported, not imported


def test_a_literal_token_inside_a_formula_is_never_imported(cli, tmp_path):
    folder = tmp_path / "ec"
    folder.mkdir()
    token = "q8ZrT2mK9vLp4XwN7bYc3HdF6gJ1sQ0e"
    (folder / "Tok.externalCredential-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ExternalCredential {NS}>'
        "<authenticationProtocol>Custom</authenticationProtocol>"
        "<externalCredentialParameters><parameterName>Authorization</parameterName>"
        f"<parameterType>AuthHeader</parameterType><parameterValue>{{!'Bearer ' &amp; '{token}'}}</parameterValue>"
        "<sequenceNumber>1</sequenceNumber></externalCredentialParameters>"
        "<externalCredentialParameters><parameterName>P</parameterName><parameterType>NamedPrincipal</parameterType>"
        "<sequenceNumber>1</sequenceNumber></externalCredentialParameters>"
        "<label>Tok</label></ExternalCredential>\n")
    result, _ = _import(cli, folder, tmp_path)
    written = (tmp_path / "spec.yaml").read_text() if (tmp_path / "spec.yaml").exists() else ""
    assert token not in written and token[:12] not in result.err + result.out


def test_symbolic_links_in_a_project_are_not_read(cli, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    source = next(OUTPUT_APPS.glob("*.connectedApp-meta.xml"))
    shutil.copy(source, outside / "Out.connectedApp-meta.xml")
    folder = tmp_path / "project"
    (folder / "linked").mkdir(parents=True)
    (folder / "Out.connectedApp-meta.xml").symlink_to(outside / "Out.connectedApp-meta.xml")
    (folder / "linked" / "dir").symlink_to(outside, target_is_directory=True)
    result, _ = _import(cli, folder, tmp_path)
    assert result.code == 1
    assert f"{folder / 'Out.connectedApp-meta.xml'}:1:1: SFI501 a symbolic link: import reads no metadata " \
           "through one" in result.err
    assert "dir/Out" not in result.err


def test_a_permission_set_whose_generation_would_drop_access_is_imported_as_existing(cli, tmp_path):
    folder = tmp_path / "sets"
    folder.mkdir()
    access = ("<externalCredentialPrincipalAccesses><enabled>true</enabled>"
              "<externalCredentialPrincipal>Api-P</externalCredentialPrincipal></externalCredentialPrincipalAccesses>")
    for name, before, after in (
            ("Activated", "<hasActivationRequired>true</hasActivationRequired>", ""),
            ("Fields", "", "<objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete>"
                           "<allowEdit>false</allowEdit><allowRead>true</allowRead>"
                           "<modifyAllRecords>false</modifyAllRecords><object>UserExternalCredential</object>"
                           "<viewAllFields>true</viewAllFields><viewAllRecords>false</viewAllRecords>"
                           "</objectPermissions>")):
        (folder / f"{name}.permissionset-meta.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet {NS}>{access}{before}<label>{name}</label>'
            f"{after}</PermissionSet>\n")
    result, spec = _import(cli, folder, tmp_path)
    assert result.code == 0, result.err
    assert spec["permission_sets"] == [{"name": "Activated", "existing": True}, {"name": "Fields", "existing": True}]


def test_a_package_version_older_than_the_files_need_is_raised_and_reported(cli, tmp_path):
    md = tmp_path / "md"
    spec = tmp_path / "in.yaml"
    spec.write_text('version: 1\napi_version: "64.0"\nexternal_credentials:\n'
                    "  - {name: Api, label: Api, protocol: custom, principals: [{name: P}]}\n")
    assert cli("generate", spec, "-d", md, "--format", "mdapi", "-q").code == 0
    package = md / "package.xml"
    package.write_text(package.read_text().replace("<version>64.0</version>", "<version>55.0</version>"))
    result, imported = _import(cli, md, tmp_path)
    assert result.code == 0, result.err
    assert "package.xml's version 55.0 is older than the 56.0 these files need; the spec uses 56.0" in result.err
    assert imported["api_version"] == "56.0"


def test_import_messages_for_a_missing_namespace_a_refused_file_with_a_password_and_a_file_named_twice(
        cli, tmp_path):
    folder = tmp_path / "nc"
    folder.mkdir()
    (folder / "Bare.namedCredential-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<NamedCredential><label>Bare</label></NamedCredential>\n')
    (folder / "Pw.namedCredential-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<NamedCredential {NS}>\n<label>Pw</label>\n'
        "<password>hunter2hunter2</password>\n<bogus>1</bogus>\n</NamedCredential>\n")
    result, _ = _import(cli, folder, tmp_path)
    assert result.code == 1
    assert f"{folder / 'Bare.namedCredential-meta.xml'}:2:1: SFI501 root element <NamedCredential> is not in the " \
           "Metadata API namespace" in result.err
    assert f"{folder / 'Pw.namedCredential-meta.xml'}:4:1: SFI501 password: a password is never imported; rotate " \
           "it, it was in source control" in result.err
    assert "hunter2" not in result.err
    source = next(OUTPUT_APPS.glob("*.connectedApp-meta.xml"))
    twice = cli("import", source, source.parent, "--output-file", tmp_path / "twice.yaml")
    assert twice.code == 0, twice.err
    assert "is also in" not in twice.err


def test_an_entry_too_large_for_a_spec_file_is_a_failure_naming_its_file(cli, tmp_path):
    folder = tmp_path / "ps"
    folder.mkdir()
    (folder / "Big.permissionset-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet {NS}><description>{"word " * 500_000}</description>'
        "<label>Big</label></PermissionSet>\n")
    (folder / "Small.permissionset-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet {NS}><label>Small</label></PermissionSet>\n')
    result, spec = _import(cli, folder, tmp_path)
    assert result.code == 0, result.err
    assert f"{folder / 'Big.permissionset-meta.xml'}:1:1: SFI502 Big: could not be imported: its values would make " \
           "the spec larger than 2048 KiB, the most a spec file may hold" in result.err
    assert "sfauthgen-import-" not in result.err
    assert spec["permission_sets"] == [{"name": "Small", "label": "Small"}]


def test_two_settings_files_of_one_kind_for_one_app_are_not_imported(cli, tmp_path):
    """Which of the two the org holds is not known; importing either would decide it silently."""
    default = REPO / "output" / "force-app" / "main" / "default"
    folder = tmp_path / "eca"
    shutil.copytree(default, folder)
    policies = next(folder.glob("extlClntAppOauthPolicies/*.ecaOauthPlcy-meta.xml"))
    app = policies.name.split("_oauthPlcy")[0]
    shutil.copy(policies, policies.with_name(f"{app}_other.ecaOauthPlcy-meta.xml"))
    result, spec = _import(cli, folder, tmp_path)
    assert f"{app} has two ExtlClntAppOauthConfigurablePolicies files" in result.err
    assert app not in {e["name"] for e in (spec or {}).get("external_client_apps", [])}


@pytest.mark.parametrize("character", ["&#x200B;", "&#x202E;", "&#x7F;", "&#x90;"])
def test_a_value_with_a_character_a_spec_refuses_fails_its_file_only(cli, tmp_path, character):
    """An invisible or control character in one file's label: that file is listed, the rest imported."""
    folder = tmp_path / "connectedApps"
    folder.mkdir()
    app = ('<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp ' + NS + '>\n'
           "    <contactEmail>a@example.com</contactEmail>\n    <label>{label}</label>\n</ConnectedApp>\n")
    (folder / "Good.connectedApp-meta.xml").write_text(app.format(label="Good"))
    (folder / "Zw.connectedApp-meta.xml").write_text(app.format(label=f"Zero{character}Width"))
    result, spec = _import(cli, tmp_path, tmp_path)
    assert result.code == 0, result.err
    assert [entry["name"] for entry in spec["connected_apps"]] == ["Good"]
    assert f"{folder / 'Zw.connectedApp-meta.xml'}:1:1: SFY105 Zw: could not be imported: contains " in result.err
    assert "sfauthgen-import-" not in result.err


def test_private_keys_and_query_credentials_are_reported_as_secrets_never_imported(cli, tmp_path):
    """A private key pasted where the certificate belongs, an Apple provider's ecKey, and a password in an
    endpoint's query are secrets: reported with the advice to rotate them, never written, never shown."""
    key = "-----BEGIN PRIVATE KEY-----MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgFakeKeyBody" \
          "-----END PRIVATE KEY-----"
    (tmp_path / "connectedApps").mkdir()
    (tmp_path / "connectedApps" / "Jwt_App.connectedApp-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp ' + NS + '>\n'
        "    <contactEmail>a@example.com</contactEmail>\n    <label>Jwt App</label>\n    <oauthConfig>\n"
        "        <callbackUrl>https://app.example.com/cb</callbackUrl>\n"
        f"        <certificate>{key}</certificate>\n        <scopes>Api</scopes>\n    </oauthConfig>\n"
        "</ConnectedApp>\n")
    (tmp_path / "authproviders").mkdir()
    (tmp_path / "authproviders" / "Apple_Login.authprovider-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<AuthProvider ' + NS + '>\n'
        "    <authorizeUrl>https://idp.example.com/a</authorizeUrl>\n"
        "    <consumerKey>com.example.service</consumerKey>\n"
        f"    <ecKey>{key}</ecKey>\n    <friendlyName>Apple Login</friendlyName>\n"
        "    <providerType>OpenIdConnect</providerType>\n    <tokenUrl>https://idp.example.com/t</tokenUrl>\n"
        "</AuthProvider>\n")
    (tmp_path / "namedCredentials").mkdir()
    (tmp_path / "namedCredentials" / "Pw_Url.namedCredential-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<NamedCredential ' + NS + '>\n'
        "    <endpoint>https://api.example.com/v1?user=svc&amp;password=Winter2024!</endpoint>\n"
        "    <label>Pw Url</label>\n    <principalType>Anonymous</principalType>\n"
        "    <protocol>NoAuthentication</protocol>\n</NamedCredential>\n")
    result, spec = _import(cli, tmp_path, tmp_path)
    assert "oauthConfig/certificate: holds a private key, which is never imported; rotate it" in result.err
    assert "ecKey: a private key (an Apple provider's signing key) is never imported; rotate it" in result.err
    assert (f"{tmp_path / 'namedCredentials' / 'Pw_Url.namedCredential-meta.xml'}:1: SFI503 not imported: endpoint: "
            "looks like a credential in a URL's query") in result.err
    written = (tmp_path / "spec.yaml").read_text() + "".join(p.read_text() for p in tmp_path.rglob("*.crt"))
    for secret in ("FakeKeyBody", "Winter2024"):
        assert secret not in result.err and secret not in result.out and secret not in written


def test_a_loss_inside_an_element_does_not_hide_another_loss_beside_it(cli, tmp_path):
    """sessionLevel is reported as carried by no key; the session timeout lost beside it (an app without
    oauthConfig has no home for it) is still reported, not excused by the first."""
    (tmp_path / "connectedApps").mkdir()
    (tmp_path / "connectedApps" / "Sess.connectedApp-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp ' + NS + '>\n'
        "    <contactEmail>a@example.com</contactEmail>\n    <label>Sess</label>\n    <sessionPolicy>\n"
        "        <sessionLevel>HIGH_ASSURANCE</sessionLevel>\n        <sessionTimeout>15</sessionTimeout>\n"
        "    </sessionPolicy>\n</ConnectedApp>\n")
    result, _ = _import(cli, tmp_path, tmp_path)
    assert result.code == 0, result.err
    assert "sessionPolicy/sessionLevel: the spec language has no key for it" in result.err
    assert ('sessionPolicy: not reproduced by generate: sessionPolicy: {"sessionTimeout": ["15"]} became (absent)'
            in result.err)


def test_a_credential_whose_principals_fail_stays_declared_for_its_named_credential(cli, tmp_path):
    """Two principals named alike ('Main', 'main'): the external credential is declared by name only
    (existing), so the named credential that uses it is still imported."""
    (tmp_path / "externalCredentials").mkdir()
    (tmp_path / "namedCredentials").mkdir()
    principal = ("<externalCredentialParameters><parameterName>{}</parameterName><parameterType>NamedPrincipal"
                 "</parameterType><sequenceNumber>{}</sequenceNumber></externalCredentialParameters>")
    (tmp_path / "externalCredentials" / "Case_EC.externalCredential-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ExternalCredential {NS}>'
        "<authenticationProtocol>Custom</authenticationProtocol>" + principal.format("Main", 1)
        + principal.format("main", 2) + "<label>Case EC</label></ExternalCredential>\n")
    (tmp_path / "namedCredentials" / "Case_NC.namedCredential-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<NamedCredential {NS}>'
        "<allowMergeFieldsInBody>false</allowMergeFieldsInBody><allowMergeFieldsInHeader>false"
        "</allowMergeFieldsInHeader><calloutStatus>Enabled</calloutStatus><generateAuthorizationHeader>true"
        "</generateAuthorizationHeader><label>Case NC</label><namedCredentialParameters><parameterName>Url"
        "</parameterName><parameterType>Url</parameterType><parameterValue>https://api.example.com</parameterValue>"
        "</namedCredentialParameters><namedCredentialParameters><externalCredential>Case_EC</externalCredential>"
        "<parameterName>ExternalCredential</parameterName><parameterType>Authentication</parameterType>"
        "</namedCredentialParameters><namedCredentialType>SecuredEndpoint</namedCredentialType></NamedCredential>\n")
    result, spec = _import(cli, tmp_path, tmp_path)
    assert result.code == 0, result.err
    assert spec["external_credentials"] == [{"name": "Case_EC", "existing": True}]
    assert [n["name"] for n in spec["named_credentials"]] == ["Case_NC"]
    assert "duplicate principal 'main' in Case_EC (also defined at another place in this import)" in result.err


def test_a_private_endpoint_named_credential_is_reported_for_what_it_is(cli, tmp_path):
    (tmp_path / "namedCredentials").mkdir()
    (tmp_path / "namedCredentials" / "Private_NC.namedCredential-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<NamedCredential {NS}>'
        "<label>Private NC</label><namedCredentialParameters><parameterName>Url</parameterName><parameterType>Url"
        "</parameterType><parameterValue>https://api.example.com</parameterValue></namedCredentialParameters>"
        "<namedCredentialType>PrivateEndpoint</namedCredentialType></NamedCredential>\n")
    result, _ = _import(cli, tmp_path, tmp_path)
    assert result.code == 1
    assert ("namedCredentialType: a PrivateEndpoint named credential has no spec form (the spec writes "
            "SecuredEndpoint and legacy ones); the named credential was not imported") in result.err
    assert "is not an http(s) URL" not in result.err


def test_the_spec_writer_keeps_every_line_break_character():
    """YAML folds a line break inside a plain or single-quoted scalar, and reads U+0085, U+2028 and U+2029
    as line breaks: values holding any are written double-quoted, and read back as they were."""
    from sfauthgen.importer.emit import spec_text

    entry = {"name": "A", "label": "A", "description": "one\ntwo\r\nthree\x85four\u2028five\u2029six"}
    text = spec_text({"version": 1, "permission_sets": [entry]}, ["src"], [])
    assert yaml.safe_load(text)["permission_sets"] == [entry]


def test_a_connected_apps_permission_sets_keep_their_order_through_import(cli, tmp_path):
    """permissionSetName lists labels; import names the declared sets by API name, in the source's order, so
    generate writes the file back byte for byte."""
    source = tmp_path / "src"
    (source / "connectedApps").mkdir(parents=True)
    (source / "permissionsets").mkdir()
    app = ('<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n'
           "    <contactEmail>a@example.com</contactEmail>\n    <label>Orders</label>\n    <oauthConfig>\n"
           "        <callbackUrl>https://app.example.com/cb</callbackUrl>\n"
           "        <isAdminApproved>true</isAdminApproved>\n        <scopes>Api</scopes>\n    </oauthConfig>\n"
           "    <oauthPolicy>\n        <ipRelaxation>ENFORCE</ipRelaxation>\n"
           "        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n"
           "    <permissionSetName>Zeta Users</permissionSetName>\n"
           "    <permissionSetName>Alpha Users</permissionSetName>\n"
           "</ConnectedApp>\n")
    (source / "connectedApps" / "Orders.connectedApp-meta.xml").write_text(app)
    for name, label in (("Z_Zeta", "Zeta Users"), ("A_Alpha", "Alpha Users")):
        (source / "permissionsets" / f"{name}.permissionset-meta.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n'
            f"    <hasActivationRequired>false</hasActivationRequired>\n    <label>{label}</label>\n</PermissionSet>\n")
    result, spec = _import(cli, source, tmp_path)
    assert result.code == 0, result.err
    assert spec["connected_apps"][0]["policies"]["permission_sets"] == ["Z_Zeta", "A_Alpha"]  # not sorted
    out = tmp_path / "out"
    assert cli("generate", tmp_path / "spec.yaml", "-d", out, "-q").code == 0
    generated = (out / "force-app/main/default/connectedApps/Orders.connectedApp-meta.xml").read_text()
    assert generated.index("Zeta Users") < generated.index("Alpha Users")
