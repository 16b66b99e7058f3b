"""generate end to end: the SFDX project, --check, ownership of files, atomic writes, exit codes."""

from __future__ import annotations

import json

from conftest import MINIMAL_APP, SPECS, tree, write_spec

PERMSET = "force-app/main/default/permissionsets/Data_Migration_Integration.permissionset-meta.xml"
APP = "force-app/main/default/connectedApps/Data_Migration.connectedApp-meta.xml"


def test_generate_writes_an_sfdx_project(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("generate", SPECS / "data_migration.yaml", "-d", out)
    assert result.code == 0, result.err
    assert set(tree(out)) == {
        ".sfauthgen-manifest.json", "sfdx-project.json", APP, PERMSET,
        "force-app/main/default/permissionsets/Data_Migration_Access.permissionset-meta.xml",
        "force-app/main/default/externalCredentials/Migration_API_Auth.externalCredential-meta.xml",
        "force-app/main/default/namedCredentials/Migration_Orchestration_API.namedCredential-meta.xml",
        "force-app/main/default/permissionsets/Data_Migration_Apex.permissionset-meta.xml",
        "force-app/main/default/classes/MigrationValidatorCallout.cls",
        "force-app/main/default/classes/MigrationValidatorCallout.cls-meta.xml",
        "force-app/main/default/classes/MigrationValidatorCalloutTest.cls",
        "force-app/main/default/classes/MigrationValidatorCalloutTest.cls-meta.xml",
    }
    project = json.loads((out / "sfdx-project.json").read_text())
    assert project["sourceApiVersion"] == "66.0"
    assert project["packageDirectories"] == [{"path": "force-app", "default": True}]
    assert f"create  {out / APP}" in result.out


def test_existing_project_file_is_left_alone_and_its_package_dir_used(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    project = {"packageDirectories": [{"path": "other"}, {"path": "auth-pkg", "default": True}],
               "sourceApiVersion": "64.0", "name": "mine"}
    text = json.dumps(project, indent=4)
    (out / "sfdx-project.json").write_text(text)
    spec = write_spec(tmp_path, MINIMAL_APP)
    assert cli("generate", spec, "-d", out).code == 0
    assert (out / "sfdx-project.json").read_text() == text
    assert (out / "auth-pkg/main/default/connectedApps/Minimal.connectedApp-meta.xml").is_file()


def test_api_version_defaults_to_the_projects(cli, tmp_path):
    from sfauthgen import pipeline
    from sfauthgen.files.folder import Folder
    from sfauthgen.files.project import read_project

    out = tmp_path / "out"
    out.mkdir()
    (out / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app"}], '
                                           '"sourceApiVersion": "64.0"}')
    checked = pipeline.load_and_check([write_spec(tmp_path, MINIMAL_APP)])
    assert pipeline.model(checked, read_project(Folder(out)).source_api_version).api_version == "64.0"
    assert pipeline.model(checked).api_version == "66.0"


def test_broken_project_file_is_an_error(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "sfdx-project.json").write_text("{not json")
    result = cli("generate", write_spec(tmp_path, MINIMAL_APP), "-d", out)
    assert result.code == 1
    assert "cannot read the existing SFDX project file" in result.err


APP_AND_SETS = MINIMAL_APP + """\
permission_sets:
  - name: Keep_Set
    label: Keep
  - name: Drop_Set
    label: Drop
"""
MINIMAL = "force-app/main/default/connectedApps/Minimal.connectedApp-meta.xml"
DROP = "force-app/main/default/permissionsets/Drop_Set.permissionset-meta.xml"


def without_drop_set(text: str) -> str:
    return text.replace("  - name: Drop_Set\n    label: Drop\n", "")


def test_check_reports_missing_stale_and_extra(cli, tmp_path):
    out = tmp_path / "out"
    spec = write_spec(tmp_path, APP_AND_SETS)
    missing = cli("generate", spec, "-d", out, "--check")
    assert missing.code == 1
    assert f"missing: {out / MINIMAL}" in missing.out
    assert not out.exists()

    assert cli("generate", spec, "-d", out, "-q").code == 0
    assert cli("generate", spec, "-d", out, "--check").code == 0

    spec.write_text(APP_AND_SETS.replace("label: Minimal", "label: Minimal v2"))
    stale = cli("generate", spec, "-d", out, "--check")
    assert stale.code == 1
    assert stale.out.splitlines() == [f"stale: {out / MINIMAL}"]

    spec.write_text(without_drop_set(APP_AND_SETS))
    extra = cli("generate", spec, "-d", out, "--check")
    assert extra.code == 1
    assert extra.out.splitlines() == [f"missing: {out / 'destructiveChangesPost.xml'}", f"extra: {out / DROP}"]


def test_removed_entries_are_deleted_and_foreign_files_survive(cli, tmp_path):
    out = tmp_path / "out"
    spec = write_spec(tmp_path, APP_AND_SETS)
    assert cli("generate", spec, "-d", out, "-q").code == 0
    foreign = out / "force-app/main/default/permissionsets/Hand_Made.permissionset-meta.xml"
    foreign.write_text("<PermissionSet/>")
    spec.write_text(without_drop_set(APP_AND_SETS))
    result = cli("generate", spec, "-d", out)
    assert result.code == 0, result.err
    assert f"delete  {out / DROP}" in result.out
    assert not (out / DROP).exists()
    assert foreign.read_text() == "<PermissionSet/>"
    manifest = json.loads((out / ".sfauthgen-manifest.json").read_text())
    assert list(manifest["files"]) == ["destructiveChangesPost.xml", MINIMAL,
                                       "force-app/main/default/permissionsets/Keep_Set.permissionset-meta.xml"]


def test_hand_edited_file_is_protected_until_force(cli, tmp_path, spec_dir):
    out = tmp_path / "out"
    spec = spec_dir / "data_migration.yaml"
    assert cli("generate", spec, "-d", out, "-q").code == 0
    edited = (out / APP).read_text().replace("BYPASS", "ENFORCE")
    (out / APP).write_text(edited)
    spec.write_text(spec.read_text().replace("label: Data Migration\n", "label: Data Migration v2\n"))

    refused = cli("generate", spec, "-d", out)
    assert refused.code == 1
    assert f"{out / APP}: edited by hand since sfauthgen wrote it" in refused.err
    assert (out / APP).read_text() == edited

    check = cli("generate", spec, "-d", out, "--check")
    assert check.out.splitlines() == [f"edited by hand: {out / APP}"]

    forced = cli("generate", spec, "-d", out, "--force")
    assert forced.code == 0
    assert "<label>Data Migration v2</label>" in (out / APP).read_text()


def test_file_not_written_by_sfauthgen_is_not_overwritten(cli, tmp_path):
    out = tmp_path / "out"
    target = out / "force-app/main/default/connectedApps/Minimal.connectedApp-meta.xml"
    target.parent.mkdir(parents=True)
    target.write_text("<ConnectedApp/>")
    spec = write_spec(tmp_path, MINIMAL_APP)
    refused = cli("generate", spec, "-d", out)
    assert refused.code == 1
    assert "exists but was not written by sfauthgen" in refused.err
    assert target.read_text() == "<ConnectedApp/>"
    assert cli("generate", spec, "-d", out, "--force").code == 0
    assert "<label>Minimal</label>" in target.read_text()


def test_failed_write_leaves_previous_output_untouched(cli, tmp_path, spec_dir, monkeypatch):
    out = tmp_path / "out"
    spec = spec_dir / "data_migration.yaml"
    assert cli("generate", spec, "-d", out, "-q").code == 0
    before = tree(out)
    spec.write_text(spec.read_text().replace("Data Migration", "Data Migration v2"))

    from sfauthgen.files.folder import Folder

    real_stage = Folder._stage_in
    calls = []

    def failing_stage(self, dir_fd, parts, text):
        calls.append(parts)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_stage(self, dir_fd, parts, text)

    monkeypatch.setattr(Folder, "_stage_in", failing_stage)
    result = cli("generate", spec, "-d", out)
    assert result.code == 1
    assert "No space left on device" in result.err and "nothing was changed" in result.err
    assert tree(out) == before


def test_advice_is_lint_not_validate(cli, tmp_path):
    """validate reports only what makes generation impossible; the checklist's advice comes from lint."""
    spec = write_spec(tmp_path, MINIMAL_APP + (
        "    retire_after: 2020-01-31\n"
        "    oauth:\n"
        "      callback_urls: [https://login.salesforce.com/services/oauth2/success]\n"
        "      scopes: [api]\n"
        "    policies:\n"
        "      permitted_users: admin_approved\n"
    ))
    result = cli("validate", spec)
    assert result.code == 0 and result.err == ""
    linted = cli("lint", spec, "--today", "2026-12-02")
    assert linted.code == 1
    assert f"{spec}:6:19: SFA007 'Minimal' was due to be retired on 2020-01-31" in linted.err
    assert f"{spec}:11:24: SFA006 warning: 'Minimal' is admin-approved but grants no permission set" in linted.err


def test_jwt_without_admin_approval_is_a_lint_error(cli, tmp_path):
    (tmp_path / "a.crt").write_text((SPECS / "certs" / "data_migration.crt").read_text())
    spec = write_spec(tmp_path, MINIMAL_APP + (
        "    oauth:\n"
        "      callback_urls: [https://login.salesforce.com/services/oauth2/success]\n"
        "      scopes: [api]\n"
        "      jwt_bearer: {certificate: a.crt}\n"
    ))
    assert cli("validate", spec).code == 0
    result = cli("lint", spec, "--today", "2026-12-02")
    assert result.code == 1
    assert f"{spec}:9:7: SFA008 'Minimal' uses jwt_bearer without permitted_users: admin_approved" in result.err


def test_duplicate_names_across_files_name_both(cli, tmp_path):
    folder = tmp_path / "specs"
    folder.mkdir()
    write_spec(folder, MINIMAL_APP, "a.yaml")
    write_spec(folder, MINIMAL_APP, "b.yaml")
    result = cli("validate", folder)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{folder / 'b.yaml'}:3:11: SFC001 duplicate connected app name 'Minimal' "
        f"(also defined at {folder / 'a.yaml'}:3:11)"
    )


def test_conflicting_api_versions_across_files(cli, tmp_path):
    write_spec(tmp_path, 'version: 1\napi_version: "65.0"\n', "a.yaml")
    write_spec(tmp_path, 'version: 1\napi_version: "66.0"\n', "b.yaml")
    result = cli("validate", tmp_path)
    assert result.code == 1
    assert "api_version '66.0' differs from '65.0'" in result.err


def test_folder_without_specs(cli, tmp_path):
    result = cli("validate", tmp_path)
    assert result.code == 1
    assert "no *.yaml or *.yml spec files found" in result.err


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli("generate", SPECS).code == 2  # no -o
    assert cli("validate", tmp_path / "missing.yaml").code == 2
    assert cli("frobnicate").code == 2


def test_internal_error_exits_3_without_traceback(cli, tmp_path, monkeypatch):
    import sfauthgen.render as render

    def boom(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(render, "component_files", boom)
    result = cli("generate", SPECS, "-d", tmp_path / "out")
    assert result.code == 3
    assert "internal error: RuntimeError: template exploded" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_schema_invalid_render_is_an_internal_error_and_writes_nothing(cli, tmp_path, monkeypatch):
    import sfauthgen.files.xmlcheck as xmlcheck

    real = xmlcheck.schema_errors
    monkeypatch.setattr(xmlcheck, "schema_errors", lambda content: ["line 3: invented"] + real(content))
    result = cli("generate", SPECS, "-d", tmp_path / "out")
    assert result.code == 3
    assert "which the Metadata API schema rejects (line 3: invented); nothing was written" in result.err
    assert not (tmp_path / "out").exists()


def test_the_schema_checks_every_file_a_run_would_write(cli, tmp_path, spec_dir, monkeypatch):
    """Files already in the folder byte for byte are not written again, nor checked again; a changed one is."""
    import sfauthgen.files.xmlcheck as xmlcheck

    out = tmp_path / "out"
    spec = spec_dir / "data_migration.yaml"
    assert cli("generate", spec, "-d", out, "-q").code == 0
    checked: list[str] = []
    real = xmlcheck.schema_errors
    monkeypatch.setattr(xmlcheck, "schema_errors", lambda content: checked.append(content) or real(content))
    assert cli("generate", spec, "-d", out, "--check").code == 0
    assert checked == []
    spec.write_text(spec.read_text().replace("Data Migration", "Data Migration v2"))
    monkeypatch.setattr(xmlcheck, "schema_errors", lambda content: ["line 3: invented"])
    result = cli("plan", spec, "-d", out)
    assert result.code == 3
    assert "which the Metadata API schema rejects (line 3: invented)" in result.err


def test_schema_command_prints_the_json_schema(cli):
    import jsonschema

    result = cli("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"  # what editors read
    jsonschema.Draft7Validator.check_schema(schema)
    newer = json.loads(cli("schema", "--draft", "2020-12").out)
    assert newer["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(newer)


def test_version_and_help(cli):
    from sfauthgen import __version__

    version = cli("--version")
    assert version.code == 0 and __version__ in version.out
    helped = cli("--help")
    assert helped.code == 0
    assert "sfauthgen generate specs -d output --check" in helped.out
    for command in ("validate", "generate", "schema"):
        assert command in helped.out


def test_python_dash_m():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "sfauthgen", "validate", str(SPECS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid: 4 spec files, ")


def test_an_empty_output_folder_is_a_usage_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("generate", SPECS, "-d", "")
    assert result.code == 2
    assert "an empty path names no folder (give . for the current folder)" in result.err
    assert list(tmp_path.iterdir()) == []


def test_plan_detailed_exitcode_keeps_2_for_changes_and_a_usage_error_is_1(cli, tmp_path):
    assert cli("plan", SPECS, "-d", tmp_path / "out", "--detailed-exitcode").code == 2  # everything to create
    assert cli("plan", SPECS, "-d", tmp_path / "out", "--detailed-exitcode", "--format", "bogus").code == 1
    assert cli("plan", SPECS, "-d", tmp_path / "out", "--format", "bogus").code == 2


def test_plan_diffs_escape_what_the_folder_holds(cli, tmp_path):
    """The old side of a diff is the folder's text: no terminal escape reaches the screen."""
    out = tmp_path / "out"
    assert cli("generate", SPECS, "-d", out, "-q").code == 0
    target = next((out / "force-app/main/default/connectedApps").glob("*.xml"))
    target.write_text(target.read_text() + "\x1b]0;PWN\x07\x1b[31mRED\x1b[0m\r\n")
    result = cli("plan", SPECS, "-d", out)
    assert "\x1b" not in result.out and "\r" not in result.out
    assert "-\\x1b]0;PWN\\x07\\x1b[31mRED\\x1b[0m\\x0d" in result.out


def test_descriptions_may_hold_line_breaks_and_import_keeps_them(cli, tmp_path):
    """A description is a text area in Setup: its lines are written as they are, and read back; a label is
    one line, and neither may start or end with white space."""
    spec = write_spec(tmp_path, """\
version: 1
permission_sets:
  - name: Multi
    label: Multi
    description: |-
      Integration user.
      Deactivate after cutover.
""")
    out = tmp_path / "out"
    assert cli("generate", spec, "-d", out, "-q").code == 0
    xml = (out / "force-app/main/default/permissionsets/Multi.permissionset-meta.xml").read_text()
    assert "<description>Integration user.\nDeactivate after cutover.</description>" in xml
    imported = tmp_path / "imported.yaml"
    assert cli("import", out, "--output-file", imported).code == 0
    assert "Deactivate after cutover." in imported.read_text()
    again = tmp_path / "again"
    assert cli("generate", imported, "-d", again, "-q").code == 0
    assert tree(again)["force-app/main/default/permissionsets/Multi.permissionset-meta.xml"] == xml.encode()
    bad = write_spec(tmp_path, 'version: 1\npermission_sets:\n  - {name: L, label: "two\\nlines", '
                               'description: "ends with a break\\n"}\n', name="bad.yaml")
    result = cli("validate", bad)
    assert result.code == 1
    assert "bad.yaml:3:22: SFS206 label: 'two\\x0alines' must be one line, not empty, and not start or end with " \
           "white space" in result.err
    assert "SFS206 description: 'ends with a break\\x0a' must not be empty" in result.err
    # A carriage return: XML reads it back as a line break, so a description cannot round-trip one.
    crlf = write_spec(tmp_path, 'version: 1\npermission_sets:\n  - {name: C, label: C, description: "a\\r\\nb"}\n',
                      name="crlf.yaml")
    assert "or hold a carriage return (XML reads it as a line break)" in cli("validate", crlf).err
