"""`sfauthgen lint`: output formats, waivers, the rule reference, and the lifecycle it goes with.
Each rule's own triggering and clean fixtures are in cases/lint/ (test_lint_rules.py)."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from lxml import etree

from sfauthgen.lint.docs import rules_markdown

from conftest import REPO, SPECS, write_spec

TODAY = "2026-12-02"
APP = """\
version: 1
connected_apps:
  - name: Legacy_App
    label: Legacy App
    contact_email: a@example.com
    exists_in_org: true
    retire_after: 2027-06-30
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api, full]
      client_credentials: {run_as: legacy.integration@example.com}
    policies:
      permitted_users: admin_approved
      permission_sets: [Legacy_Set]
      ip_relaxation: relax
      refresh_token: {expire_after: 30 days}
      session_timeout_minutes: 15
permission_sets:
  - {name: Legacy_Set, label: Legacy Set}
"""


def test_bundled_specs_lint_clean(cli):
    result = cli("lint", SPECS, "--today", TODAY, "--fail-on", "note")
    assert result.code == 0, result.err
    assert result.out == "lint: 0 errors, 0 warnings, 0 notes (2 waived)\n"


def test_text_output_and_fail_on(cli, tmp_path):
    spec = write_spec(tmp_path, APP)
    result = cli("lint", spec, "--today", TODAY)
    assert result.code == 0  # warnings only: the default --fail-on is error
    assert f"{spec}:10:21: SFA001 warning: 'Legacy_App' asks for the 'full' scope" in result.err
    assert f"{spec}:15:22: SFA005 warning: 'Legacy_App' relaxes IP restrictions without ip_ranges" in result.err
    assert result.out == "lint: 0 errors, 2 warnings, 0 notes\n"
    assert cli("lint", spec, "--today", TODAY, "--fail-on", "warning").code == 1


def test_waivers_suppress_expire_and_go_unused(cli, tmp_path):
    waived = APP + """\
waivers:
  - {rule: SFA005, target: Legacy_App, reason: the vendor rotates its addresses, expires: 2027-01-31}
  - {rule: SFA001, target: Legacy_App, reason: needed once, expires: 2026-11-30}
  - {rule: SFA013, target: "*", reason: nothing to waive, expires: 2027-01-31}
"""
    result = cli("lint", write_spec(tmp_path, waived), "--today", TODAY, "--format", "json")
    findings = json.loads(result.out)["findings"]
    by_code = {f["code"]: f for f in findings}
    assert by_code["SFA005"]["suppressed"].startswith("the vendor rotates its addresses (until 2027-01-31")
    assert "suppressed" not in by_code["SFA001"]  # an expired waiver waives nothing ...
    assert by_code["SFA000"]["severity"] == "error"  # ... and is an error of its own
    assert by_code["SFA000"]["message"] == "the waiver of SFA001 for 'Legacy_App' expired on 2026-11-30"
    assert by_code["SFA099"]["message"] == "the waiver of SFA013 for '*' matches no finding"
    assert result.code == 1 and json.loads(result.out)["failing"] == 1


def test_sarif_is_valid_sarif_2_1_0(cli, tmp_path, monkeypatch):
    waived = APP + "waivers:\n  - {rule: SFA005, target: Legacy_App, reason: vendor ranges, expires: 2027-01-31}\n"
    write_spec(tmp_path, waived)
    monkeypatch.chdir(tmp_path)
    result = cli("lint", "spec.yaml", "--today", TODAY, "--format", "sarif")
    sarif = json.loads(result.out)
    schema = json.loads((REPO / "tests" / "data" / "sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {"SFA001", "SFA005", "SFA026"} <= {rule["id"] for rule in rules}
    assert all(rule["help"]["text"] and rule["fullDescription"]["text"] for rule in rules)
    results = {r["ruleId"]: r for r in run["results"]}
    assert results["SFA005"]["suppressions"] == [
        {"kind": "inSource", "justification": "vendor ranges (until 2027-01-31, spec.yaml:21:5)"}]
    assert results["SFA001"]["level"] == "warning"
    assert results["SFA001"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "spec.yaml"
    assert rules[results["SFA001"]["ruleIndex"]]["id"] == "SFA001"


def test_github_annotations_list_waived_findings_as_notices(cli, tmp_path):
    """SPEC_LANGUAGE: a waived finding is still listed; in a workflow it is a notice, with the reason."""
    waived = APP + "waivers:\n  - {rule: SFA005, target: Legacy_App, reason: vendor ranges, expires: 2027-01-31}\n"
    result = cli("lint", write_spec(tmp_path, waived), "--today", TODAY, "--format", "github")
    assert "title=SFA001::" in result.out
    notice = next(line for line in result.out.splitlines() if "SFA005" in line)
    assert notice.startswith("::notice ") and ",title=SFA005 waived::" in notice
    assert notice.endswith("spec.yaml:21:5))") and "(waived: vendor ranges (until 2027-01-31, " in notice


def test_repository_scan_finds_secrets_beside_the_spec_and_in_the_output(cli, tmp_path):
    spec = write_spec(tmp_path, APP)
    (tmp_path / "notes.txt").write_text("deploy token: ghp_" + "a1B2c3D4e5" * 4 + "\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "leftover.env").write_text("AWS_KEY=AKIA" + "ABCDEFGHIJKLMNOP" + "\n")
    result = cli("lint", spec, "-d", out, "--today", TODAY)
    assert result.code == 1
    assert f"{tmp_path / 'notes.txt'}:1:15: SFA026 notes.txt holds a credential of a well-known format (ghp_…)" \
        in result.err
    assert "leftover.env holds a credential of a well-known format (AKIA…)" in result.err
    assert "a1B2c3D4e5" not in result.err


def test_rule_reference_is_current():
    assert (REPO / "docs" / "rules.md").read_text("utf-8") == rules_markdown(), "run: python scripts/rules_doc.py"


def test_list_rules_needs_no_spec_and_gives_each_rules_rationale_and_fix(cli):
    from sfauthgen.lint.registry import all_rules

    result = cli("lint", "--list-rules")
    assert result.code == 0 and result.out.startswith("SFA000  error    ExpiredWaiver:")
    rule = all_rules()["SFA001"]
    assert f"SFA001  warning  FullScope: {rule.summary}\n    why: {rule.rationale}\n    fix: {rule.fix}\n" in result.out
    listed = json.loads(cli("lint", "--list-rules", "--json").out)["result"]
    assert {"id": "SFA001", "name": "FullScope", "severity": "warning", "summary": rule.summary,
            "rationale": rule.rationale, "fix": rule.fix} in listed


# The lifecycle ("deactivate, don't delete").

RETIRED = APP.replace("    retire_after: 2027-06-30\n", "    status: retired\n")


def test_a_retired_connected_app_is_locked_down(tmp_path):
    from helpers import render_text

    root = etree.fromstring(render_text(tmp_path, RETIRED)["ConnectedApp:Legacy_App"].content.encode())
    ns = "{http://soap.sforce.com/2006/04/metadata}"
    assert root.findtext(f"{ns}oauthConfig/{ns}isAdminApproved") == "true"
    assert root.findtext(f"{ns}oauthConfig/{ns}isClientCredentialEnabled") == "false"
    assert root.find(f"{ns}oauthConfig/{ns}oauthClientCredentialUser") is None
    assert root.findall(f"{ns}permissionSetName") == []


def test_a_retired_app_is_linted_as_written_not_as_specified(cli, tmp_path):
    """The retired app goes out locked down: only the lifecycle rule about its leftover grants may speak."""
    spec = write_spec(tmp_path, RETIRED.replace("permission_sets: [Legacy_Set]", "profiles: []"))
    result = cli("lint", spec, "--today", TODAY, "--fail-on", "note", "--format", "json")
    found = sorted({f["rule"] for f in json.loads(result.out)["findings"]})
    assert found == [], result.out
    assert result.code == 0


def test_an_uppercase_http_scheme_is_a_url_and_still_plain_http(cli, tmp_path):
    spec = write_spec(tmp_path, """\
version: 1
external_credentials:
  - {name: Partner, label: Partner, protocol: no_auth, principals: [{name: Anyone}]}
named_credentials:
  - {name: Partner, label: Partner, url: HTTP://partner.example.com, external_credential: Partner}
""")
    assert cli("validate", spec).code == 0
    result = cli("lint", spec, "--today", TODAY)
    assert "SFA020 'Partner' calls 'HTTP://partner.example.com' over plain http" in result.err


def test_a_retired_external_client_app_is_disabled(tmp_path):
    from helpers import render_text

    spec = RETIRED.replace("connected_apps:", "external_client_apps:").replace("    exists_in_org: true\n", "")
    files = render_text(tmp_path, spec)
    ns = "{http://soap.sforce.com/2006/04/metadata}"
    policies = etree.fromstring(files["ExtlClntAppConfigurablePolicies:Legacy_App_plcy"].content.encode())
    assert (policies.findtext(f"{ns}isEnabled"), policies.findtext(f"{ns}isOauthPluginEnabled")) == ("false", "false")
    oauth = etree.fromstring(files["ExtlClntAppOauthConfigurablePolicies:Legacy_App_oauthPlcy"].content.encode())
    assert oauth.findtext(f"{ns}permittedUsersPolicyType") == "AdminApprovedPreAuthorized"
    assert oauth.find(f"{ns}commaSeparatedPermissionSet") is None


@pytest.mark.parametrize("command", ["generate", "plan"])
def test_removing_an_app_needs_allow_delete(cli, tmp_path, command):
    spec = write_spec(tmp_path, APP)
    out = tmp_path / "out"
    assert cli("generate", spec, "-d", out, "-q").code == 0
    data = yaml.safe_load(APP)
    del data["connected_apps"]
    spec.write_text(yaml.safe_dump(data))
    refused = cli(command, spec, "-d", out)
    assert refused.code == 1
    assert "removing an app deletes it with its audit history" in refused.err
    assert "set status: retired" in refused.err
    assert (out / "force-app/main/default/connectedApps/Legacy_App.connectedApp-meta.xml").exists()
    assert cli(command, spec, "-d", out, "--allow-delete").code == 0


def test_a_spec_that_does_not_validate_is_reported_in_the_format_asked_for(cli, tmp_path, monkeypatch):
    """A CI step uploading lint's SARIF (or reading its annotations) sees why lint failed; file names are
    URI references, percent-encoded."""
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path, "version: 1\npermission_sets: 5\n", name="a b#1:x.yaml")
    result = cli("lint", "a b#1:x.yaml", "--format", "sarif")
    assert result.code == 1
    sarif = json.loads(result.out)
    jsonschema.Draft4Validator(json.loads((REPO / "tests" / "data" / "sarif-2.1.0.json").read_text())).validate(sarif)
    [found] = sarif["runs"][0]["results"]
    assert found["ruleId"] == "SFS203" and found["level"] == "error"
    assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b%231%3Ax.yaml"
    github = cli("lint", "a b#1:x.yaml", "--format", "github")
    assert github.code == 1
    assert github.out.startswith("::error file=a b#1%3Ax.yaml,line=2,col=18,title=SFS203::")
    data = json.loads(cli("lint", "a b#1:x.yaml", "--format", "json").out)
    assert data["failing"] == 1 and data["findings"][0]["code"] == "SFS203"


def test_repository_scan_finds_secrets_by_their_name_also_commented_out(cli, tmp_path):
    """`KEY=value` and `key: value` lines whose name says secret and whose value is random enough; not
    placeholders, references or the names of environment variables."""
    commented = "# client_secret: 7278833964061c770de0aa5f3c3a0ef6ab12cd34ef56ab78cd90ef12ab34cd56\n"
    spec = write_spec(tmp_path, APP + commented)
    (tmp_path / "creds.env").write_text(
        "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY\npassword=changeme\n"
        "client_secret=${{ secrets.X }}\nCLIENT_SECRET_ENV=SFAUTHGEN_CLIENT_SECRET\n")
    result = cli("lint", spec, "--today", TODAY)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if "SFA026" in line]
    assert lines == [
        f"{tmp_path / 'creds.env'}:1:30: SFA026 creds.env holds a secret, the value of AWS_SECRET_ACCESS_KEY (wJal…); "
        "rotate it and remove it from the repository and its history",
        f"{spec}:{APP.count(chr(10)) + 1}:18: SFA026 spec.yaml holds a secret, the value of client_secret (7278…); "
        "rotate it and remove it from the repository and its history"]
