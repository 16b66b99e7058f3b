"""Pipelines: plan, a sequence of edits, Metadata API format, variables and environments."""

from __future__ import annotations

import json
import os

import pytest
from lxml import etree

from sfauthgen.cli import run
from sfauthgen.files.xmlcheck import schema_errors

from conftest import SPECS, tree, write_spec
from tools import sf

BASE = """\
version: 1
connected_apps:
  - name: Orders
    label: Orders
    contact_email: team@example.com
permission_sets:
  - {name: Keep_Set, label: Keep}
  - {name: Drop_Set, label: Drop}
"""
EDITED = """\
version: 1
connected_apps:
  - name: Orders
    label: Orders v2
    contact_email: team@example.com
permission_sets:
  - {name: Keep_Set, label: Keep}
  - {name: New_Set, label: New}
"""
DEFAULT = "force-app/main/default"


def test_plan_and_generate_through_a_sequence_of_edits(cli, tmp_path):
    out = tmp_path / "out"
    spec = write_spec(tmp_path, BASE)
    first = cli("plan", spec, "-d", out)
    assert first.code == 0
    assert first.out == (
        "changes:\n"
        "  Orders (ConnectedApp): new\n"
        "  Drop_Set (PermissionSet): new\n"
        "  Keep_Set (PermissionSet): new\n"
        f"   create  {out}/{DEFAULT}/connectedApps/Orders.connectedApp-meta.xml  (ConnectedApp Orders)\n"
        f"   create  {out}/{DEFAULT}/permissionsets/Drop_Set.permissionset-meta.xml  (PermissionSet Drop_Set)\n"
        f"   create  {out}/{DEFAULT}/permissionsets/Keep_Set.permissionset-meta.xml  (PermissionSet Keep_Set)\n"
        f"   create  {out}/sfdx-project.json\n"
        "plan: 4 to create, 0 to update, 0 to delete, 0 edited by hand or not owned, 0 unchanged\n"
    )
    assert not out.exists(), "plan writes nothing"
    assert cli("generate", spec, "-d", out, "-q").code == 0

    spec.write_text(EDITED)
    before = tree(out)
    second = cli("plan", spec, "-d", out)
    assert second.out == (
        "changes:\n"
        "  Orders (ConnectedApp): label Orders -> Orders v2\n"
        "  Drop_Set (PermissionSet): deleted\n"
        "  New_Set (PermissionSet): new\n"
        f"   create  {out}/destructiveChangesPost.xml\n"
        f"   update  {out}/{DEFAULT}/connectedApps/Orders.connectedApp-meta.xml  (ConnectedApp Orders)\n"
        f"   delete  {out}/{DEFAULT}/permissionsets/Drop_Set.permissionset-meta.xml  (PermissionSet Drop_Set)\n"
        f"   create  {out}/{DEFAULT}/permissionsets/New_Set.permissionset-meta.xml  (PermissionSet New_Set)\n"
        f"--- a/{DEFAULT}/connectedApps/Orders.connectedApp-meta.xml\n"
        f"+++ b/{DEFAULT}/connectedApps/Orders.connectedApp-meta.xml\n"
        "@@ -1,5 +1,5 @@\n"
        ' <?xml version="1.0" encoding="UTF-8"?>\n'
        ' <ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "     <contactEmail>team@example.com</contactEmail>\n"
        "-    <label>Orders</label>\n"
        "+    <label>Orders v2</label>\n"
        " </ConnectedApp>\n"
        "plan: 2 to create, 1 to update, 1 to delete, 0 edited by hand or not owned, 1 unchanged\n"
        "removed from the spec: PermissionSet Drop_Set; destructiveChangesPost.xml lists them: deleting the files does "
        "not delete them from the org; deploy with a manifest ('sf project generate manifest --source-dir <package "
        "dir>'), then 'sf project deploy start --manifest package.xml --post-destructive-changes "
        f"{out}/destructiveChangesPost.xml', and delete that file once the deploy has applied it\n"
    )
    assert tree(out) == before, "plan writes nothing"
    assert cli("generate", spec, "-d", out, "-q").code == 0
    assert sorted(tree(out)) == [
        ".sfauthgen-manifest.json",
        "destructiveChangesPost.xml",
        f"{DEFAULT}/connectedApps/Orders.connectedApp-meta.xml",
        f"{DEFAULT}/permissionsets/Keep_Set.permissionset-meta.xml",
        f"{DEFAULT}/permissionsets/New_Set.permissionset-meta.xml",
        "sfdx-project.json",
    ]
    assert "<label>Orders v2</label>" in (out / DEFAULT / "connectedApps/Orders.connectedApp-meta.xml").read_text()
    third = cli("plan", spec, "-d", out)
    assert third.out == "plan: no changes (4 files up to date)\n"
    assert cli("plan", spec, "-d", out, "--detailed-exitcode").code == 0
    spec.write_text(BASE)
    assert cli("plan", spec, "-d", out, "--detailed-exitcode").code == 2
    assert cli("plan", spec, "-d", out).code == 0


def test_plan_json(cli, tmp_path):
    out = tmp_path / "out"
    spec = write_spec(tmp_path, BASE)
    assert cli("generate", spec, "-d", out, "-q").code == 0
    (out / DEFAULT / "permissionsets/Keep_Set.permissionset-meta.xml").write_text("<PermissionSet/>\n")
    spec.write_text(EDITED)
    answer = json.loads(cli("plan", spec, "-d", out, "--json").out)
    assert (answer["status"], answer["warnings"]) == (0, [])
    data = answer["result"]
    for entry in data["files"]:
        entry.pop("diff", None)
    assert data == {
        "output_dir": str(out),
        "format": "source",
        "changes": True,
        "files": [
            {"path": "destructiveChangesPost.xml", "action": "create", "type": None, "member": None,
             "conflict": None},
            {"path": f"{DEFAULT}/connectedApps/Orders.connectedApp-meta.xml", "action": "update",
             "type": "ConnectedApp", "member": "Orders", "conflict": None,
             "settings": [{"setting": "label", "old": ["Orders"], "new": ["Orders v2"]}]},
            {"path": f"{DEFAULT}/permissionsets/Drop_Set.permissionset-meta.xml", "action": "delete",
             "type": "PermissionSet", "member": "Drop_Set", "conflict": None},
            {"path": f"{DEFAULT}/permissionsets/Keep_Set.permissionset-meta.xml", "action": "update",
             "type": "PermissionSet", "member": "Keep_Set", "conflict": "hand_edited",
             "settings": [{"setting": "hasActivationRequired", "old": [], "new": ["false"]},
                          {"setting": "label", "old": [], "new": ["Keep"]}]},
            {"path": f"{DEFAULT}/permissionsets/New_Set.permissionset-meta.xml", "action": "create",
             "type": "PermissionSet", "member": "New_Set", "conflict": None},
        ],
        "summary": {"create": 2, "update": 2, "delete": 1, "unchanged": 0},
        "removed_components": [{"type": "PermissionSet", "member": "Drop_Set"}],
    }
    text = cli("plan", spec, "-d", out)
    assert f"   edited  {out}/{DEFAULT}/permissionsets/Keep_Set.permissionset-meta.xml  (PermissionSet Keep_Set)" \
           "  [edited by hand since sfauthgen wrote it]" in text.out


def test_manifest_is_deterministic_and_sorted(cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("generate", SPECS, "-d", a, "-q").code == 0
    assert cli("generate", SPECS, "-d", b, "-q").code == 0
    text = (a / ".sfauthgen-manifest.json").read_text()
    assert text == (b / ".sfauthgen-manifest.json").read_text()
    files = json.loads(text)["files"]
    assert list(files) == sorted(files)
    assert all(v.startswith("sha256:") and len(v) == 71 for v in files.values())
    assert set(files) == set(tree(a)) - {".sfauthgen-manifest.json", "sfdx-project.json"}


def test_mdapi_format(cli, tmp_path):
    out = tmp_path / "md"
    spec = write_spec(tmp_path, BASE)
    assert cli("generate", spec, "-d", out, "--format", "mdapi", "-q").code == 0
    assert sorted(tree(out)) == [
        ".sfauthgen-manifest.json",
        "connectedApps/Orders.connectedApp",
        "package.xml",
        "permissionsets/Drop_Set.permissionset",
        "permissionsets/Keep_Set.permissionset",
    ]
    assert (out / "package.xml").read_text() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <types>\n"
        "        <members>Orders</members>\n"
        "        <name>ConnectedApp</name>\n"
        "    </types>\n"
        "    <types>\n"
        "        <members>Drop_Set</members>\n"
        "        <members>Keep_Set</members>\n"
        "        <name>PermissionSet</name>\n"
        "    </types>\n"
        "    <version>66.0</version>\n"
        "</Package>\n"
    )
    spec.write_text(EDITED)
    result = cli("generate", spec, "-d", out, "--format", "mdapi")
    assert result.code == 0
    assert "removed from the spec: PermissionSet Drop_Set; destructiveChangesPost.xml lists them" in result.out
    destructive = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <types>\n"
        "        <members>Drop_Set</members>\n"
        "        <name>PermissionSet</name>\n"
        "    </types>\n"
        "    <version>66.0</version>\n"
        "</Package>\n"
    )
    assert (out / "destructiveChangesPost.xml").read_text() == destructive
    assert "<members>New_Set</members>" in (out / "package.xml").read_text()
    # A second run keeps the pending deletion; adding the component back takes it off the list.
    assert cli("generate", spec, "-d", out, "--format", "mdapi", "-q").code == 0
    assert (out / "destructiveChangesPost.xml").read_text() == destructive
    spec.write_text(EDITED + "  - {name: Drop_Set, label: Drop}\n")
    assert cli("generate", spec, "-d", out, "--format", "mdapi", "-q").code == 0
    assert not (out / "destructiveChangesPost.xml").exists()


def test_mdapi_output_of_the_examples_is_schema_valid(cli, tmp_path):
    out = tmp_path / "md"
    assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "-q").code == 0
    files = tree(out)
    assert "classes/MigrationValidatorCallout.cls" in files
    assert "classes/MigrationValidatorCallout.cls-meta.xml" in files
    for path, content in files.items():
        if path.endswith(".cls") or path.endswith(".json"):
            continue
        assert schema_errors(content.decode()) == [], path
    package = etree.fromstring(files["package.xml"])
    ns = {"m": "http://soap.sforce.com/2006/04/metadata"}
    names = [t.findtext("m:name", namespaces=ns) for t in package.findall("m:types", ns)]
    assert names == sorted(names)
    for t in package.findall("m:types", ns):
        members = [m.text for m in t.findall("m:members", ns)]
        assert members == sorted(members)


def test_sf_accepts_the_mdapi_output(tmp_path):
    md = tmp_path / "md"
    assert run(["generate", str(SPECS), "-d", str(md), "--format", "mdapi", "-q"]) == 0
    project = tmp_path / "project"
    project.mkdir()
    (project / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}], '
                                               '"sourceApiVersion": "66.0"}')
    result = sf("project", "convert", "mdapi", "--root-dir", str(md), "--output-dir", "force-app", "--json",
                cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    converted = {p.relative_to(project).as_posix() for p in (project / "force-app").rglob("*") if p.is_file()}
    source = tmp_path / "source"
    assert run(["generate", str(SPECS), "-d", str(source), "-q"]) == 0
    expected = {p for p in tree(source) if p.startswith("force-app/")}
    assert converted == expected
    for path in expected:
        assert (project / path).read_bytes() == (source / path).read_bytes(), path


VARIABLES = """\
version: 1
variables:
  run_as:
    default: default@example.com
    description: run-as user
  host: {}
environments:
  uat:
    run_as: uat@example.com
    host: uat.example.com
  prod:
    host: example.com
connected_apps:
  - name: Orders
    label: Orders
    contact_email: team@example.com
    oauth:
      callback_urls: ["https://${var.host}/callback"]
      scopes: [api]
      client_credentials:
        run_as: ${var.run_as}
"""


@pytest.mark.parametrize(
    ("args", "run_as", "host"),
    [
        (["--env", "prod"], "default@example.com", "example.com"),
        (["--env", "uat"], "uat@example.com", "uat.example.com"),
        (["--env", "uat", "--var", "run_as=cli@example.com"], "cli@example.com", "uat.example.com"),
        (["--var", "host=cli.example.com"], "default@example.com", "cli.example.com"),
    ],
)
def test_variable_precedence(cli, tmp_path, args, run_as, host):
    spec = write_spec(tmp_path, VARIABLES)
    out = tmp_path / "out"
    result = cli("generate", spec, "-d", out, "-q", *args)
    assert result.code == 0, result.err
    app = (out / DEFAULT / "connectedApps/Orders.connectedApp-meta.xml").read_text()
    assert f"<oauthClientCredentialUser>{run_as}</oauthClientCredentialUser>" in app
    assert f"<callbackUrl>https://{host}/callback</callbackUrl>" in app


def test_unset_and_unknown_variables_are_errors_where_used(cli, tmp_path):
    spec = write_spec(tmp_path, VARIABLES.replace("run_as: ${var.run_as}", "run_as: ${var.runas}"))
    result = cli("validate", spec)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{spec}:18:23: SFV302 variable 'host' has no value",
        "    hint: pass --var host=VALUE, choose an environment that sets it with --env, or give it a default",
        f"{spec}:21:17: SFV301 unknown variable 'runas'",
        "    hint: did you mean 'run_as'?",
        "2 errors; nothing was written",
    ]


def test_environment_naming_an_undeclared_variable(cli, tmp_path):
    spec = write_spec(tmp_path, VARIABLES.replace("    host: example.com", "    hots: example.com"))
    result = cli("validate", spec, "--env", "uat")
    assert result.code == 1
    assert f"{spec}:12:5: SFV304 environment 'prod' sets 'hots', which is not declared under variables" in result.err


def test_unknown_environment_or_variable_on_the_command_line_is_a_usage_error(cli, tmp_path):
    spec = write_spec(tmp_path, VARIABLES)
    unknown_env = cli("validate", spec, "--env", "staging")
    assert unknown_env.code == 2
    assert "--env staging: no such environment in the spec (declared: prod, uat)" in unknown_env.err
    unknown_var = cli("validate", spec, "--env", "uat", "--var", "nope=1")
    assert unknown_var.code == 2
    assert cli("validate", spec, "--var", "novalue").code == 2


def test_a_variable_cannot_smuggle_a_secret_into_the_output(cli, tmp_path):
    spec = write_spec(tmp_path, VARIABLES + """\
external_credentials:
  - name: Api_Auth
    label: Api
    protocol: custom
    headers:
      Authorization: "${var.host}"
""")
    result = cli("validate", spec, "--env", "uat", "--var", "host=Bearer 4f9a2c7e1b8d6a3f0e5c9b2a7d4f1e8c")
    assert result.code == 1
    assert "variable 'host' holds a literal token (Bear…); secrets are never variables" in result.err
    assert "4f9a2c7e1b8d6a3f0e5c9b2a7d4f1e8c" not in result.err


def test_validate_json(cli, tmp_path):
    spec = write_spec(tmp_path, BASE.replace("label: Orders", "label: Orders\n    lable: x"))
    result = cli("validate", spec, "--format", "json")
    assert result.code == 1
    assert json.loads(result.out) == {
        "valid": False,
        "diagnostics": [{
            "path": str(spec), "line": 5, "column": 5, "severity": "error", "code": "SFS201",
            "message": "unknown key 'lable' in connected app 'Orders'", "hint": "did you mean 'label'?",
        }],
    }
    ok = cli("validate", write_spec(tmp_path, BASE, "ok.yaml"), "--format", "json")
    assert ok.code == 0 and json.loads(ok.out) == {"valid": True, "diagnostics": []}


def test_validate_sarif(cli, tmp_path):
    spec = write_spec(tmp_path, BASE.replace("label: Orders", "label: Orders\n    lable: x"))
    result = cli("validate", spec, "--format", "sarif")
    assert result.code == 1
    sarif = json.loads(result.out)
    assert sarif["version"] == "2.1.0"
    (finding,) = sarif["runs"][0]["results"]
    assert finding["level"] == "error"
    assert finding["ruleId"] == "SFS201"
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules[finding["ruleIndex"]] == {"id": "SFS201", "name": "UnknownKey",
                                           "shortDescription": {"text": "A key the spec language does not have."}}
    assert finding["message"]["text"] == "unknown key 'lable' in connected app 'Orders' (hint: did you mean 'label'?)"
    # A file outside the current folder is a file:// URI; inside it, a relative path (see test_lint).
    assert finding["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": spec.resolve().as_uri()}, "region": {"startLine": 5, "startColumn": 5}}


def test_validate_github_annotations(cli, tmp_path):
    spec = write_spec(tmp_path, BASE.replace("label: Orders", "label: Orders\n    lable: x"))
    result = cli("validate", spec, "--format", "github")
    assert result.code == 1
    assert result.out == (f"::error file={spec},line=5,col=5,title=SFS201::unknown key 'lable' in connected app "
                          "'Orders' "
                          "(hint: did you mean 'label'?)\n")


def test_validate_reports_schema_and_cross_check_problems_in_one_run(cli, tmp_path):
    """A schema error in one entry no longer hides a missing certificate or an undeclared
    permission set in others; a reference to the broken entry itself is not reported twice."""
    spec = write_spec(tmp_path, """\
version: 1
connected_apps:
  - name: Bad App
    label: Bad
    contact_email: a@example.com
  - name: Good_App
    label: Good
    contact_email: a@example.com
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api]
      jwt_bearer: {certificate: certs/missing.crt}
permission_sets:
  - {name: Broken_Set, label: Broken, colour: red}
external_credentials:
  - name: EC
    label: EC
    protocol: custom
    principals: [{name: P, access: [Missing_PS, Broken_Set]}]
""")
    result = cli("validate", spec)
    assert result.code == 1
    codes = [line.split()[1] for line in result.err.splitlines() if line.startswith(str(spec))]
    assert codes == ["SFS206", "SFC105", "SFS201", "SFC002"], result.err
    assert "'Missing_PS' is not declared" in result.err
    assert "'Broken_Set' is not declared" not in result.err
    assert result.err.endswith("4 errors; nothing was written\n")


def test_a_document_level_schema_error_stops_before_cross_checks(cli, tmp_path):
    spec = write_spec(tmp_path, "connected_apps: []\nexternal_credentials:\n"
                                "  - {name: EC, label: EC, protocol: custom,\n"
                                "     principals: [{name: P, access: [Missing_PS]}]}\n")
    result = cli("validate", spec)
    assert result.code == 1 and "SFS202" in result.err and "Missing_PS" not in result.err


def test_messages_say_what_to_write(cli, tmp_path):
    spec = write_spec(tmp_path, """\
version: 1
connected_apps:
  - name: A
    label: A
    contact_email: a@example.com
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api]
    policies:
      refresh_token: 90 days
named_credentials:
  - {name: N, label: N, url: "https://x.example.com", external_credential: Partner_EC}
""")
    result = cli("validate", spec, "--debug")  # accepted after the subcommand too
    assert result.code == 1
    assert "hint: a lifetime is a mapping: write {expire_after: 90 days}" in result.err
    assert "declare it as {name: Partner_EC, existing: true}" in result.err
    assert result.err.endswith("2 errors; nothing was written\n")


def test_hostile_variable_values_are_errors_not_crashes(cli, tmp_path):
    """Reported before any value is used: an environment value YAML reads as a boolean, a --var value with a
    character metadata cannot hold (or invalid text), and references that would grow the spec by gigabytes."""
    spec = tmp_path / "env.yaml"
    spec.write_text("version: 1\nvariables:\n  u: {default: a@example.com}\nenvironments:\n  uat: {u: no}\n"
                    'permission_sets:\n  - {name: PS, label: "${var.u}"}\n')
    result = cli("validate", spec, "--env", "uat")
    assert result.code == 1
    assert f"{spec}:5:12: SFS203 u: expected a string, got a boolean" in result.err
    spec.write_text("version: 1\nvariables: {n: {}}\n"
                    'permission_sets: [{name: PS, label: PS, description: "x ${var.n}"}]\n')
    for value, shown in (("a\x1bb", "U+001B"), ("a\udcedb", "U+DCED"), ("a\u202eb", "U+202E")):
        for command in (("validate",), ("generate", "-d", tmp_path / "out")):
            result = cli(*command, spec, "--var", f"n={value}")
            assert result.code == 2, result.err
            assert f"--var n: the value contains the character {shown}, which metadata files cannot hold or " \
                "which hides text" in result.err
    assert not (tmp_path / "out").exists()
    spec.write_text("version: 1\nvariables:\n  a: {default: " + "x" * 500_000 + "}\npermission_sets:\n"
                    '  - name: A\n    label: A\n    description: "' + "${var.a}" * 20_000 + '"\n')
    result = cli("validate", spec)
    assert result.code == 1
    assert f"{spec}:7:18: SFS207 the variables used here would make the spec more than 8 million characters " \
           "longer" in result.err


def test_a_spec_file_named_twice_is_read_once(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    write_spec(tmp_path / "specs", "version: 1\npermission_sets:\n  - {name: B, label: B}\n", name="b.yaml")
    for arguments in (("specs/b.yaml", "specs/b.yaml"), ("specs", "specs/b.yaml"), ("specs/b.yaml", "./specs/b.yaml")):
        result = cli("validate", *arguments)
        assert result.code == 0, result.err
        assert result.out == "valid: 1 spec file, 1 components\n"


def test_a_hand_written_destructive_changes_file_cannot_slip_a_deletion_past_check(cli, tmp_path):
    """destructiveChangesPost.xml lies in the (untrusted) output folder: a type sfauthgen never writes is an
    error, and a queued app needs --allow-delete, as an app removed from the spec does."""
    from sfauthgen.templating import package_xml

    out = tmp_path / "md"
    assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "-q").code == 0
    destructive = out / "destructiveChangesPost.xml"
    destructive.write_text(package_xml({("ConnectedApp", "Prod_SSO"), ("Profile", "Admin")}, "66.0"))
    result = cli("generate", SPECS, "-d", out, "--format", "mdapi", "--check")
    assert result.code == 1
    assert f"{destructive} queues the deletion of Profile Admin, which sfauthgen never writes" in result.err
    for queued in ({("ConnectedApp", "Prod_SSO")}, {("ExternalClientApplication", "Prod_Eca")}):
        destructive.write_text(package_xml(queued, "66.0"))
        member = next(iter(queued))[1]
        for command in (("generate", "--check"), ("plan",)):
            result = cli(*command, SPECS, "-d", out, "--format", "mdapi")
            assert result.code == 1
            assert f"destructiveChangesPost.xml in the folder queues the deletion of the app {member}" in result.err
            assert "pass --allow-delete to confirm it" in result.err
        # Confirmed, it is still a change a reviewer sees: the manifest does not record this queue yet.
        assert "stale: " in cli("generate", SPECS, "-d", out, "--format", "mdapi", "--check", "--allow-delete").out
        assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "--allow-delete", "-q").code == 0
        assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "--check", "--allow-delete").code == 0
    destructive.unlink()
    (out / "destructiveChanges.xml").write_text(package_xml({("ConnectedApp", "Prod_SSO")}, "66.0"))
    result = cli("generate", SPECS, "-d", out, "--format", "mdapi", "--check", "--allow-delete")
    assert result.code == 1
    assert "sfauthgen never writes destructiveChanges.xml, and a deploy of this folder would apply it" in result.err


def test_a_pipe_or_dangling_link_in_a_spec_folder_is_reported_not_skipped(cli, tmp_path):
    folder = tmp_path / "specs"
    folder.mkdir()
    write_spec(folder, "version: 1\npermission_sets:\n  - {name: B, label: B}\n", name="b.yaml")
    os.mkfifo(folder / "p.yaml")
    (folder / "d.yaml").symlink_to(tmp_path / "missing.yaml")
    result = cli("validate", folder)
    assert result.code == 1
    assert result.err == (f"{folder / 'd.yaml'}:1:1: SFY101 cannot read spec: it does not exist\n"
                          f"{folder / 'p.yaml'}:1:1: SFY101 cannot read spec: it is not a regular file (a pipe, socket "
                          "or device)\n2 errors; nothing was written\n")


def test_the_substitution_budget_is_for_the_whole_run_and_messages_are_cut(cli, tmp_path):
    """Many files each under the limit add up; and a message never quotes a megabyte value whole."""
    folder = tmp_path / "specs"
    folder.mkdir()
    write_spec(folder, "version: 1\nvariables:\n  big: {default: '" + "x" * 1_000_000 + " '}\n", name="a.yaml")
    for index in range(10):
        write_spec(folder, f"version: 1\npermission_sets:\n  - name: P{index}\n    label: P\n"
                           '    description: "${var.big}"\n', name=f"p{index}.yaml")
    result = cli("validate", folder)
    assert result.code == 1
    assert "would make the spec more than 8 million characters longer" in result.err
    assert len(result.err) < 20_000


@pytest.mark.parametrize("fmt", ["source", "mdapi"])
def test_leaving_out_the_eca_global_settings_never_queues_their_deletion(cli, tmp_path, fmt):
    """--no-eca-global-oauth leaves the global OAuth settings to the org: their files leave the folder, but
    they are never queued for deletion (deploying that would take the consumer key and secret away)."""
    out = tmp_path / "out"
    assert cli("generate", SPECS, "-d", out, "--format", fmt, "-q").code == 0
    assert cli("generate", SPECS, "-d", out, "--format", fmt, "--no-eca-global-oauth", "-q").code == 0
    assert not (out / "destructiveChangesPost.xml").exists()
    assert not list(out.rglob("*.ecaGlblOauth*"))
    for command in (("generate", "-q"), ("generate", "--check")):
        result = cli(*command, SPECS, "-d", out, "--format", fmt, "--no-eca-global-oauth")
        assert result.code == 0, result.err


def test_queued_deletions_of_an_apps_settings_are_guarded_and_names_fold_case(cli, tmp_path):
    """A pull request queuing an External Client App's settings (or a component the spec still has, in another
    case) cannot slip it past --check: settings are guarded like the app, and a name the spec generates in
    any case leaves the queue."""
    from sfauthgen.templating import package_xml

    out = tmp_path / "md"
    assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "-q").code == 0
    destructive = out / "destructiveChangesPost.xml"
    destructive.write_text(package_xml({("ExtlClntAppGlobalOauthSettings", "data_migration_client_glbloauth")},
                                       "66.0"))
    assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "--check").code == 1  # the queue is stale
    result = cli("generate", SPECS, "-d", out, "--format", "mdapi", "-q")
    assert result.code == 1 and "SFD703" in result.err, "a queue sfauthgen did not write changes with --force only"
    assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "-q", "--force").code == 0
    assert not destructive.exists(), "the spec generates it (in another case): it leaves the queue"
    destructive.write_text(package_xml({("ExtlClntAppOauthSettings", "Gone_App_oauth")}, "66.0"))
    result = cli("generate", SPECS, "-d", out, "--format", "mdapi", "--check")
    assert result.code == 1
    assert ("queues the deletion of ExtlClntAppOauthSettings Gone_App_oauth, which takes an External Client App's "
            "OAuth settings (its consumer key and secret) or policies out of the org") in result.err
    # Byte for byte what sfauthgen would write: confirmed, it becomes sfauthgen's (the manifest records it).
    assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "--allow-delete", "-q").code == 0
    assert cli("generate", SPECS, "-d", out, "--format", "mdapi", "--check", "--allow-delete").code == 0


def test_source_format_queues_removals_in_destructive_changes_too(cli, tmp_path):
    """SPEC_LANGUAGE: removed components go to destructiveChangesPost.xml, in either format. A source-format
    deploy applies only the deletion files named on its command line, so one sfauthgen never writes (a team's
    own destructiveChanges.xml) is left alone there; a queued app still needs --allow-delete."""
    from sfauthgen.templating import package_xml

    out = tmp_path / "out"
    spec = write_spec(tmp_path, BASE)
    assert cli("generate", spec, "-d", out, "-q").code == 0
    (out / "destructiveChanges.xml").write_text(package_xml({("CustomObject", "Legacy__c")}, "66.0"))
    spec.write_text(EDITED)
    result = cli("generate", spec, "-d", out)
    assert result.code == 0, result.err
    assert "--post-destructive-changes" in result.out
    assert "<members>Drop_Set</members>" in (out / "destructiveChangesPost.xml").read_text()
    assert cli("generate", spec, "-d", out, "--check").code == 0
    (out / "destructiveChangesPost.xml").write_text(package_xml({("ConnectedApp", "Orders_Old")}, "66.0"))
    result = cli("plan", spec, "-d", out)
    assert result.code == 1
    assert "queues the deletion of the app Orders_Old" in result.err


def test_a_deletion_queue_a_pull_request_adds_is_guarded_in_source_format_and_read_strictly(cli, tmp_path):
    """The queue is read whoever wrote it (a deploy that names it applies it): an app queued by a pull request
    needs --allow-delete in source format too; a queue sfauthgen did not write is changed only with --force; and
    a file that is not a deletion manifest as sfauthgen writes one is refused, not read as queueing nothing."""
    from sfauthgen.templating import package_xml

    out = tmp_path / "out"
    spec = write_spec(tmp_path, BASE)
    assert cli("generate", spec, "-d", out, "-q").code == 0
    queue = out / "destructiveChangesPost.xml"
    queue.write_text(package_xml({("ConnectedApp", "Prod_App")}, "66.0"))
    for command in (("plan",), ("generate", "--check"), ("generate",)):
        result = cli(*command, spec, "-d", out)
        assert result.code == 1 and "SFD704" in result.err and "the app Prod_App" in result.err, command
    queue.write_text(package_xml({("PermissionSet", "Old_Set")}, "58.0"))  # a team's own, not sfauthgen's
    result = cli("generate", spec, "-d", out)
    assert result.code == 1 and "SFD703 refusing to change" in result.err
    assert "58.0" in queue.read_text()
    assert cli("generate", spec, "-d", out, "--force", "-q").code == 0
    assert "<members>Old_Set</members>" in queue.read_text() and "66.0" in queue.read_text()
    for text in ('<Package><types><members>Prod_App</members><name>ConnectedApp</name></types></Package>',
                 '<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><name>PermissionSet</name>'
                 '<name>ConnectedApp</name><members>Prod_App</members></types></Package>',
                 '<Package xmlns="http://soap.sforce.com/2006/04/metadata"><x><types><members>Prod_App</members>'
                 '<name>ConnectedApp</name></types></x></Package>'):
        queue.write_text(text)
        result = cli("plan", spec, "-d", out)
        assert result.code == 1 and "SFD701" in result.err and "not a deletion manifest as sfauthgen writes one" \
            in result.err, text


def test_an_unowned_queue_of_components_the_spec_keeps_is_never_a_quiet_no_op(cli, tmp_path):
    """A pull request's queue naming the spec's own app (in any case) leaves nothing to queue; the file is
    still not sfauthgen's, so --check fails and generate removes it only with --force."""
    from sfauthgen.templating import package_xml

    out = tmp_path / "out"
    spec = write_spec(tmp_path, BASE)
    assert cli("generate", spec, "-d", out, "-q").code == 0
    queue = out / "destructiveChangesPost.xml"
    queue.write_text(package_xml({("ConnectedApp", "ORDERS")}, "66.0"))
    assert cli("generate", spec, "-d", out, "--check").code == 1
    result = cli("generate", spec, "-d", out)
    assert result.code == 1 and "SFD703" in result.err and queue.exists()
    assert cli("generate", spec, "-d", out, "--force", "-q").code == 0
    assert not queue.exists()
    assert cli("generate", spec, "-d", out, "--check").code == 0
