"""sfauthgen import: files that cannot be imported, `--adopt -d DIR`, and `--json`.

Adoption records, in DIR's manifest, the files the imported spec regenerates byte for byte: the
next generate is then a no-op, and after a spec change it updates them in place without --force.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml

from sfauthgen.files.manifest import MANIFEST_FILE, content_hash

from conftest import REPO, shared_path, tree

OUT = "-d"  # generate's and plan's output folder flag
NS = "http://soap.sforce.com/2006/04/metadata"
PROJECT_FILE = '{"packageDirectories": [{"path": "force-app", "default": true}], "sourceApiVersion": "62.0"}\n'
DEFAULT = "force-app/main/default"

CERT = (Path(__file__).parent / "hostile" / "cert.crt").read_text("utf-8")
CERT_BODY = "".join(CERT.strip().splitlines()[1:-1])


def app_xml(label: str = "Good", email: str = "team@example.com", certificate: bool = False) -> str:
    cert = f"        <certificate>{CERT_BODY}</certificate>\n" if certificate else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="{NS}">\n'
            f"    <contactEmail>{email}</contactEmail>\n    <label>{label}</label>\n    <oauthConfig>\n"
            "        <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>\n"
            f"{cert}        <scopes>Api</scopes>\n    </oauthConfig>\n</ConnectedApp>\n")


# Files import cannot take, each with the start of the line that says why.
UNIMPORTABLE = {
    "Bad-Name.connectedApp-meta.xml": (app_xml(), "Bad-Name.connectedApp-meta.xml:1:1: SFI501 'Bad-Name' is not a "
                                                   "Salesforce API name"),
    "Broken.connectedApp-meta.xml": ("<ConnectedApp><label>x</ConnectedApp>",
                                     "Broken.connectedApp-meta.xml:1:38: SFI501 not well-formed XML"),
    "Wrong_Root.connectedApp-meta.xml": (f'<?xml version="1.0"?>\n<NamedCredential xmlns="{NS}"/>\n',
                                         "Wrong_Root.connectedApp-meta.xml:2:1: SFI501 root element is "
                                         "<NamedCredential>"),
    "Bad_Mail.connectedApp-meta.xml": (app_xml(email="nope", certificate=True),
                                       "Bad_Mail.connectedApp-meta.xml:1:1: SFS206 Bad_Mail: could not be imported: "
                                       "contact_email: 'nope' is not an email address"),
}


def listing(root: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every entry under root, without following links: folders, files with their bytes, links with targets."""
    found: dict[str, tuple[str, bytes | str]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            mode = os.lstat(path).st_mode
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                found[key] = ("dir", b"")
            else:
                found[key] = ("file", path.read_bytes())
    return found


def write_files(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")


# --- Files that cannot be imported -------------------------------------------------------------

def test_nothing_importable_writes_nothing(cli, tmp_path, monkeypatch):
    write_files(tmp_path / "src", {name: text for name, (text, _) in UNIMPORTABLE.items()})
    monkeypatch.chdir(tmp_path / "src")
    before = listing(tmp_path)
    result = cli("import", ".", "--output-file", tmp_path / "specs" / "sub" / "spec.yaml")
    assert result.code == 1
    assert listing(tmp_path) == before  # no spec, no certs/, no folders
    lines = result.err.splitlines()
    for _, expected in UNIMPORTABLE.values():
        assert any(line.startswith(expected) for line in lines), (expected, result.err)
    assert lines[-1] == "nothing could be imported from 4 files; nothing was written"
    assert result.out == ""


def test_a_file_a_kind_chooses_not_to_import_alone_is_a_failure(cli, tmp_path):
    """A connected app with SAML settings is left out on purpose (its losses say why): alone, nothing is imported."""
    saml = app_xml().replace("</ConnectedApp>", "    <samlConfig>\n        <acsUrl>https://x.example.com/saml</acsUrl>\n"
                             "        <entityUrl>https://x.example.com</entityUrl>\n"
                             "        <samlSubjectType>Username</samlSubjectType>\n    </samlConfig>\n</ConnectedApp>")
    write_files(tmp_path / "src", {"Saml_App.connectedApp-meta.xml": saml})
    before = listing(tmp_path)
    result = cli("import", tmp_path / "src", "--output-file", tmp_path / "spec.yaml")
    assert result.code == 1, result.err
    assert listing(tmp_path) == before
    assert "Saml_App.connectedApp-meta.xml:1: SFI503 not imported: ConnectedApp: not imported" in result.err


def test_partial_import_writes_what_imports_and_lists_the_rest(cli, tmp_path, monkeypatch):
    write_files(tmp_path / "src", {name: text for name, (text, _) in UNIMPORTABLE.items()})
    write_files(tmp_path / "src", {"Good.connectedApp-meta.xml": app_xml(certificate=True)})
    monkeypatch.chdir(tmp_path / "src")
    spec = tmp_path / "specs" / "spec.yaml"
    result = cli("import", ".", "--output-file", spec)
    assert result.code == 0, result.err
    for _, expected in UNIMPORTABLE.values():
        assert any(line.startswith(expected) for line in result.err.splitlines()), expected
    assert result.out == f"imported 1 entry into {spec}; 4 files not imported (listed above)\n"
    data = yaml.safe_load(spec.read_text())
    assert [app["name"] for app in data["connected_apps"]] == ["Good"]
    # Certificates only of entries in the spec: not the one of Bad_Mail, which was left out.
    assert sorted(p.name for p in (tmp_path / "specs" / "certs").iterdir()) == ["Good.crt"]
    header = spec.read_text().split("version: 1")[0]
    assert "Broken.connectedApp-meta.xml:1: SFI501: not well-formed XML" in header
    assert cli("validate", spec).code == 0


def test_a_value_salesforce_rejects_leaves_the_other_files_imported(cli, tmp_path):
    bad = app_xml().replace("</oauthConfig>\n", "</oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>"
                            "ENFORCE_ACTIVATED_DEVICES</ipRelaxation>\n        <refreshTokenPolicy>infinite"
                            "</refreshTokenPolicy>\n    </oauthPolicy>\n")
    write_files(tmp_path / "src", {"Bad_Policy.connectedApp-meta.xml": bad, "Good.connectedApp-meta.xml": app_xml()})
    spec = tmp_path / "spec.yaml"
    result = cli("import", tmp_path / "src", "--output-file", spec)
    assert result.code == 0, result.err
    assert "Bad_Policy.connectedApp-meta.xml:10:1: SFI502 ipRelaxation 'ENFORCE_ACTIVATED_DEVICES'" in result.err
    assert [app["name"] for app in yaml.safe_load(spec.read_text())["connected_apps"]] == ["Good"]


def test_a_component_in_two_files_keeps_the_first(cli, tmp_path):
    write_files(tmp_path / "src", {"a/Good.connectedApp-meta.xml": app_xml(), "b/Good.connectedApp": app_xml("B")})
    spec = tmp_path / "spec.yaml"
    result = cli("import", tmp_path / "src", "--output-file", spec)
    assert result.code == 0, result.err
    assert "b/Good.connectedApp:1:1: SFI501 ConnectedApp Good is also in" in result.err
    assert yaml.safe_load(spec.read_text())["connected_apps"][0]["label"] == "Good"


# --- Adoption: three projects built from corpus files ------------------------------------------

# Connected apps (Tableau has SAML settings: not imported, listed); an external credential and the
# named credentials that use it; apps, a credential pair and a permission set that holds more than
# the spec carries (imported as existing: declared, never generated, so never adopted).
SAMPLES = {
    "connected_apps": ("jeannberrioss/Regeneron-ProductionOrg", ()),
    "credentials": ("cmac08/InsightsCurator", ()),
    "apps_credentials_permission_set": ("awadke-debug/HamiltonAscend", (
        "Postman.connectedApp", "Veeam_Backup_for_Salesforce.connectedApp", "Geocoding_API_Ext_Cred.",
        "Geocoding_API_Named_Cred.", "HAM_Biographic_Data_Manager.permissionset")),
}


def corpus_project(folder: Path, repo: str, only: tuple[str, ...] = ()) -> Path:
    """An SFDX project holding a corpus repository's files (those whose names start with `only`) at their paths."""
    corpus = shared_path("corpus")
    rows = [line.split("\t") for line in (corpus / "PROVENANCE.tsv").read_text("utf-8").splitlines()[1:]]
    for _, saved, source_repo, path, *rest in rows:
        if source_repo != repo or rest[2] != "valid" or (only and not Path(path).name.startswith(only)):
            continue
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / saved, folder / path)
    (folder / "sfdx-project.json").write_text(PROJECT_FILE)
    return folder


def adopt(cli, spec: Path, project: Path, *extra: str):
    return cli("import", project / "force-app", "--output-file", spec, "--adopt", OUT, project, *extra)


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_adopted_project_regenerates_as_a_no_op_then_updates_in_place(sample, cli, tmp_path):
    repo, only = SAMPLES[sample]
    project = corpus_project(tmp_path / "project", repo, only)
    metadata = {p: c for p, c in tree(project).items() if p.startswith("force-app/")}
    spec = tmp_path / "specs" / "imported.yaml"

    result = adopt(cli, spec, project)
    assert result.code == 0, result.err
    assert "not adopted" not in result.err
    manifest = json.loads((project / MANIFEST_FILE).read_text())["files"]
    assert manifest and set(manifest) <= set(metadata)
    assert all(manifest[p] == content_hash(metadata[p]) for p in manifest)
    assert {p: c for p, c in tree(project).items() if p != MANIFEST_FILE} == {**metadata, "sfdx-project.json":
                                                                             PROJECT_FILE.encode()}

    before = tree(project)
    assert cli("plan", spec, OUT, project).out.endswith(f"plan: no changes ({len(manifest)} files up to date)\n")
    assert cli("generate", spec, OUT, project, "--check").code == 0
    generated = cli("generate", spec, OUT, project)
    assert generated.code == 0, generated.err
    assert tree(project) == before

    data = yaml.safe_load(spec.read_text())
    entry = next(e for section in data.values() if isinstance(section, list) for e in section if "label" in e)
    entry["label"] = "Relabelled By Spec"
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    updated = cli("generate", spec, OUT, project)  # no --force: the file is sfauthgen's now
    assert updated.code == 0, updated.err
    after = tree(project)
    changed = sorted(p for p in before if after.get(p) != before[p] and p != MANIFEST_FILE)
    assert len(changed) == 1 and changed[0] in manifest
    assert b"<label>Relabelled By Spec</label>" in after[changed[0]]
    assert set(after) == set(before)  # updated in place: nothing created beside it


def test_a_file_that_differs_is_listed_and_not_adopted(cli, tmp_path):
    """A retrieved permission set granting principal access lacks the UserExternalCredential read that
    generate adds: it is listed; the credentials are still adopted."""
    project = corpus_project(tmp_path / "project", "somnath77/Salesforce-Integration")
    before = {p: c for p, c in tree(project).items()}
    spec = tmp_path / "imported.yaml"
    result = adopt(cli, spec, project)
    assert result.code == 1
    differs = project / DEFAULT / "permissionsets" / "Integration_User.permissionset-meta.xml"
    assert (f"{differs}: SFI504 not adopted: differs from what the spec generates (run `sfauthgen plan {spec} -d "
            f"{project}` to see how)") in result.err
    manifest = json.loads((project / MANIFEST_FILE).read_text())["files"]
    assert sorted(manifest) == [f"{DEFAULT}/externalCredentials/Gemini.externalCredential-meta.xml",
                                f"{DEFAULT}/externalCredentials/Geoapify.externalCredential-meta.xml",
                                f"{DEFAULT}/namedCredentials/Gemini.namedCredential-meta.xml",
                                f"{DEFAULT}/namedCredentials/Geoapify.namedCredential-meta.xml"]
    assert {p: c for p, c in tree(project).items() if p != MANIFEST_FILE} == before  # metadata untouched
    refused = cli("generate", spec, OUT, project)  # not adopted: still not sfauthgen's to overwrite
    assert refused.code == 1 and "Integration_User" in refused.err


# --- Adoption: self-contained projects ---------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example output: an SFDX project sfauthgen generated (without its manifest)."""
    target = tmp_path / "project"
    shutil.copytree(REPO / "output", target, ignore=shutil.ignore_patterns(MANIFEST_FILE, ".sfauthgen-*"))
    return target


def test_existing_manifest_is_merged(cli, tmp_path, project):
    other = {"force-app/main/default/classes/Other.cls": content_hash(b"other\n")}
    manifest = project / MANIFEST_FILE
    manifest.write_text(json.dumps({"format": 1, "files": other}))
    result = adopt(cli, tmp_path / "spec.yaml", project)
    assert result.code == 0, result.err
    files = json.loads(manifest.read_text())["files"]
    assert files["force-app/main/default/classes/Other.cls"] == other["force-app/main/default/classes/Other.cls"]
    assert f"{DEFAULT}/connectedApps/Data_Migration.connectedApp-meta.xml" in files
    again = adopt(cli, tmp_path / "spec.yaml", project)
    assert again.code == 0 and json.loads(manifest.read_text())["files"] == files


def test_files_generate_would_write_elsewhere_are_not_adopted(cli, tmp_path, project):
    moved = project / "force-app" / "main" / "apps" / "connectedApps"
    moved.parent.mkdir(parents=True)
    (project / DEFAULT / "connectedApps").rename(moved)
    result = adopt(cli, tmp_path / "spec.yaml", project)
    assert result.code == 1
    assert (f"{moved}/Data_Migration.connectedApp-meta.xml: SFI504 not adopted: generate writes ConnectedApp "
            f"Data_Migration to {DEFAULT}/connectedApps/Data_Migration.connectedApp-meta.xml, not here") in result.err
    files = json.loads((project / MANIFEST_FILE).read_text())["files"]
    assert not [p for p in files if "connectedApps" in p]


def test_files_not_in_the_project_are_left_to_generate(cli, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "sfdx-project.json").write_text(PROJECT_FILE)
    result = cli("import", REPO / "output" / "force-app", "--output-file", tmp_path / "spec.yaml", "--adopt",
                 OUT, project, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)["result"]
    assert data["adopted"] == [] and data["not_adopted"] == []
    assert str(project / DEFAULT / "connectedApps" / "Data_Migration.connectedApp-meta.xml") in data["to_create"]
    assert sorted(p.name for p in project.iterdir()) == ["sfdx-project.json"]  # no empty manifest


# --- --json ------------------------------------------------------------------------------------

def test_json_on_success(cli, tmp_path, project):
    spec = tmp_path / "spec.yaml"
    result = adopt(cli, spec, project, "--json")
    assert result.code == 0 and result.err == "", result.err
    body = json.loads(result.out)
    assert body["status"] == 0 and body["warnings"] == []
    data = body["result"]
    assert data["spec"] == str(spec) and data["entries"] > 0 and data["not_imported"] == []
    assert str(tmp_path / "certs" / "Data_Migration.crt") in data["certificates"]
    assert all(Path(path).is_file() for path in data["certificates"])
    assert str(project / DEFAULT / "connectedApps" / "Data_Migration.connectedApp-meta.xml") in data["adopted"]
    assert data["not_adopted"] == []


def test_json_when_nothing_imports(cli, tmp_path):
    write_files(tmp_path / "src", {"Broken.connectedApp-meta.xml": UNIMPORTABLE["Broken.connectedApp-meta.xml"][0]})
    result = cli("import", tmp_path / "src", "--output-file", tmp_path / "spec.yaml", "--json")
    assert result.code == 1 and result.err == ""
    body = json.loads(result.out)
    assert body["status"] == 1 and body["result"]["spec"] is None
    assert body["result"]["not_imported"] == [{
        "file": str(tmp_path / "src" / "Broken.connectedApp-meta.xml"), "line": 1, "column": 38, "code": "SFI501",
        "reason": "not well-formed XML: Opening and ending tag mismatch: label line 1 and ConnectedApp"}]
    assert body["message"] == "nothing could be imported from 1 file; nothing was written"


def test_json_when_an_error_stops_the_run(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("import", tmp_path / "empty", "--output-file", tmp_path / "spec.yaml", "--json")
    assert result.code == 1
    body = json.loads(result.out)
    assert body["status"] == 1 and "SFI501 no metadata files to import found" in body["message"]
    not_a_project = tmp_path / "plain"
    not_a_project.mkdir()
    refused = cli("import", REPO / "output" / "force-app", "--output-file", tmp_path / "spec.yaml", "--adopt", OUT,
                  not_a_project, "--json")
    assert refused.code == 1
    assert "has no sfdx-project.json" in json.loads(refused.out)["message"]
    assert not (tmp_path / "spec.yaml").exists()


def test_json_lists_files_not_adopted(cli, tmp_path, project):
    path = project / DEFAULT / "permissionsets" / "Data_Migration_Integration.permissionset-meta.xml"
    path.write_text(path.read_text().replace("</PermissionSet>", "    <!-- edited -->\n</PermissionSet>"))
    result = adopt(cli, tmp_path / "spec.yaml", project, "--json")
    assert result.code == 1
    body = json.loads(result.out)
    assert body["status"] == 1
    assert body["result"]["not_adopted"] == [{"path": str(path), "reason": (
        f"differs from what the spec generates (run `sfauthgen plan {tmp_path / 'spec.yaml'} -d {project}` to see "
        "how)")}]


# --- Hostile project folders -------------------------------------------------------------------

def _symlinked_manifest(project: Path, victim: Path) -> None:
    (project / MANIFEST_FILE).symlink_to(victim / "manifest.json")


def _garbage_manifest(project: Path, victim: Path) -> None:
    (project / MANIFEST_FILE).write_text("{not json")


def _escaping_manifest(project: Path, victim: Path) -> None:
    (project / MANIFEST_FILE).write_text(json.dumps({"format": 1, "files": {"../victim/x.txt": "sha256:" + "0" * 64}}))


def _symlinked_folder(project: Path, victim: Path) -> None:
    real = project.with_name("real-project")
    project.rename(real)
    project.symlink_to(real, target_is_directory=True)


def _journal(project: Path, victim: Path) -> None:
    (project / ".sfauthgen-journal.json").write_text('{"format": 1, "renames": [], "deletes": []}\n')


HOSTILE = {
    "manifest-symlink": (_symlinked_manifest, "is not a regular file"),
    "manifest-garbage": (_garbage_manifest, "cannot read sfauthgen's manifest"),
    "manifest-path-outside": (_escaping_manifest, "is not a metadata file inside the output folder"),
    "folder-symlink": (_symlinked_folder, "is a symbolic link"),
    "unfinished-generate": (_journal, "an interrupted generate has not finished"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_project_that_cannot_be_adopted_into_changes_nothing(case, cli, tmp_path, project):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "manifest.json").write_text('{"format": 1, "files": {}}\n')
    (victim / "x.txt").write_text("victim\n")
    setup, message = HOSTILE[case]
    setup(project, victim)
    before = listing(tmp_path)
    result = adopt(cli, tmp_path / "specs" / "spec.yaml", project)
    assert result.code == 1
    assert message in result.err and "Traceback" not in result.err
    assert listing(tmp_path) == before  # not even the spec


def test_a_symlinked_metadata_file_is_not_adopted(cli, tmp_path, project):
    victim = tmp_path / "victim"
    victim.mkdir()
    target = project / DEFAULT / "permissionsets" / "Data_Migration_Integration.permissionset-meta.xml"
    shutil.move(target, victim / target.name)
    target.symlink_to(victim / target.name)
    before = listing(victim)
    result = adopt(cli, tmp_path / "spec.yaml", project)
    # Import reads no metadata through a link: the file is listed as not imported, the rest is adopted.
    assert result.code == 0
    assert f"{target}:1:1: SFI501 a symbolic link: import reads no metadata through one" in result.err
    assert target.name not in "".join(json.loads((project / MANIFEST_FILE).read_text())["files"])
    assert listing(victim) == before and target.is_symlink()
