"""--json on every command: one JSON object on stdout, shaped like the sf CLI's, on success and on failure."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SPECS, write_spec

GOOD = SPECS / "data_migration.yaml"
BAD = """\
version: 1
connected_apps:
  - name: Bad App
    label: Bad
"""


def _one_object(out: str) -> dict:
    data = json.loads(out)
    assert isinstance(data, dict) and set(data) >= {"status", "result", "warnings"}, out
    assert isinstance(data["warnings"], list)
    return data


@pytest.mark.parametrize("argv", [
    ["validate", "{good}"],
    ["generate", "{good}", "-d", "{out}"],
    ["generate", "{good}", "-d", "{out}", "--check"],
    ["plan", "{good}", "-d", "{out}"],
    ["lint", "{good}", "--today", "2026-12-02"],
    ["lint", "--list-rules"],
    ["schema"],
])
def test_success_is_one_object_with_status_0(cli, tmp_path, argv):
    if "--check" in argv:
        assert cli("generate", GOOD, "-d", tmp_path / "out", "-q").code == 0
    args = [a.format(good=GOOD, out=tmp_path / "out") for a in argv]
    result = cli(*args, "--json")
    data = _one_object(result.out)
    assert data["status"] == result.code == 0, result.err


@pytest.mark.parametrize("argv, code", [
    (["validate", "{bad}"], 1),
    (["generate", "{bad}", "-d", "{out}"], 1),
    (["plan", "{bad}", "-d", "{out}"], 1),
    (["lint", "{bad}"], 1),
    (["generate", "{good}", "-d", "{out}", "--check"], 1),
    (["generate", "{good}"], 2),  # no output folder: a usage error
    (["validate", "{good}", "--var", "nope=1"], 2),
    (["import", "{bad}", "--output-file", "{out}/spec.yaml"], 1),
    (["cert", "new", "9bad"], 2),
    (["auth", "check", "{good}", "--app", "Nope", "--login-url", "https://login.salesforce.com"], 2),
    (["secrets", "set", "{good}", "--credential", "Nope", "--principal", "x"], 2),
])
def test_failure_is_one_object_with_the_exit_code(cli, tmp_path, argv, code):
    bad = write_spec(tmp_path, BAD, "bad.yaml")
    args = [a.format(good=GOOD, bad=bad, out=tmp_path / "out") for a in argv]
    result = cli(*args, "--json")
    assert result.code == code, result.err
    data = _one_object(result.out)
    assert data["status"] == code
    assert data.get("message"), data


def test_validate_failure_lists_the_diagnostics(cli, tmp_path):
    bad = write_spec(tmp_path, BAD, "bad.yaml")
    data = _one_object(cli("validate", bad, "--json").out)
    found = data["result"]["diagnostics"]
    assert {d["code"] for d in found} >= {"SFS206", "SFS202"}, found
    assert all(d["path"] == str(bad) and d["line"] >= 1 for d in found)


def test_generate_check_names_the_command_that_fixes_it(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("generate", GOOD, "-d", out, "-q").code == 0
    first = next(out.rglob("*.connectedApp-meta.xml"))
    first.write_text(first.read_text().replace("<label>", "<label>X"))
    result = cli("generate", GOOD, "-d", out, "--check")
    assert result.code == 1
    assert f"run: sfauthgen generate {GOOD} -d {out}" in result.err


def test_help_with_json_is_one_object(cli):
    result = cli("auth", "check", "--help", "--json")
    data = _one_object(result.out)
    assert data["status"] == result.code == 0 and "--login-url" in data["result"]["help"]


def test_the_deprecated_output_flags_warn_on_stderr_and_in_the_json_warnings(cli, tmp_path):
    """-o (now the sf CLI's --target-org) still names the output folder for one release, with a warning that
    --json carries too; the next run starts without it."""
    spec = SPECS / "data_migration.yaml"
    result = cli("generate", spec, "-o", tmp_path / "out", "--json")
    assert result.code == 0
    warning = "-o for the output folder is deprecated: use -d/--output-dir (in the sf CLI, -o names an org)"
    assert json.loads(result.out)["warnings"] == [warning]
    assert f"sfauthgen: warning: {warning}" in result.err
    assert (tmp_path / "out" / "sfdx-project.json").exists()
    assert json.loads(cli("generate", spec, "-d", tmp_path / "out", "--json").out)["warnings"] == []
    assert cli("generate", spec, "-o", tmp_path / "out", "-d", tmp_path / "out").code == 2
    result = cli("import", tmp_path / "out", "-o", tmp_path / "spec.yaml", "--json")
    assert result.code == 0
    assert json.loads(result.out)["warnings"][0] == "import -o/--output is deprecated: use --output-file"


def test_every_reported_problem_carries_a_code(cli, tmp_path):
    """SPEC_LANGUAGE: every problem any command reports carries a code: output folder problems, refused
    overwrites, app deletions and usage errors too, in text and in --json."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "sfdx-project.json").write_text("{bad json")
    result = cli("generate", GOOD, "-d", out)
    assert result.code == 1 and result.err.startswith(f"sfauthgen: SFD701 {out / 'sfdx-project.json'}: ")
    answer = json.loads(cli("generate", GOOD, "-d", out, "--json").out)
    assert (answer["status"], answer["code"]) == (1, "SFD701")
    (out / "sfdx-project.json").unlink()
    assert cli("generate", GOOD, "-d", out, "-q").code == 0
    edited = next(out.rglob("*.permissionset-meta.xml"))
    edited.write_text(edited.read_text() + "<!-- by hand -->\n")
    shutil.copytree(SPECS / "certs", tmp_path / "certs")
    spec = write_spec(tmp_path, GOOD.read_text().replace("label: Data Migration Integration",
                                                           "label: Data Migration Integration v2"))
    assert cli("generate", spec, "-d", out).err.startswith("sfauthgen: SFD703 refusing to change")
    result = cli("generate", write_spec(tmp_path, "version: 1\n", name="empty.yaml"), "-d", out)
    assert result.code == 1 and result.err.startswith("sfauthgen: SFD704 the spec no longer has the app")
    usage = json.loads(cli("generate", GOOD, "--json").out)
    assert (usage["status"], usage["code"]) == (2, "SFU801")
