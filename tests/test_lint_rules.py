"""Every lint rule against its fixture in tests/cases/lint/: a spec it fires on, and a near twin it stays quiet on.

A fixture `SFAnnn.yaml` holds:
  rule: SFAnnn
  today: 2026-12-02        # optional, the --today to lint with (default below)
  severity: error          # optional, when the trigger's finding is not at the rule's own severity
  trigger: {...}           # a complete spec on which the rule reports at least one finding
  expect: ["..."]          # substrings every finding of the rule must contain in its message
  files: {path: text}      # optional, written beside the trigger spec (and the clean one, unless clean_files)
  clean: {...}             # a complete spec, as close to trigger as possible, on which the rule reports nothing
  clean_files: {path: text}   # optional, written beside the clean spec instead of `files`
  variants: [...]          # optional, more triggers: each {trigger, expect, severity?, files?}

A file's text "@cert:KIND" becomes a PEM certificate made here (nothing private is committed):
expired, expiring (10 days left), weak_key (RSA 1024), sha1 (SHA-1 signature), good (RSA 2048, SHA-256, 2 years),
each dated from the fixture's today.

`waived.yaml` (rule, today, spec, reason) is a spec whose only finding is waived.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from sfauthgen.lint.registry import all_rules

CASES = Path(__file__).resolve().parent / "cases" / "lint"
FIXTURES = sorted(CASES.glob("SFA*.yaml"))
DEFAULT_TODAY = "2026-12-02"
CERT_MARKER = "@cert:"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: a fixture is a mapping"
    return data


def triggers(fixture: dict[str, Any]) -> list[dict[str, Any]]:
    """The main trigger, then its variants (each inherits today and files it does not set)."""
    main = {key: fixture[key] for key in ("trigger", "expect", "severity", "files") if key in fixture}
    return [main] + [{**{"files": fixture.get("files", {})}, **variant} for variant in fixture.get("variants", [])]


def cases() -> list[Any]:
    out = []
    for path in FIXTURES:
        fixture = load(path)
        for number, _ in enumerate(triggers(fixture)):
            out.append(pytest.param(path, number, id=path.stem if number == 0 else f"{path.stem}-variant{number}"))
    return out


# ---------------------------------------------------------------- certificates


@cache
def _key(bits: int) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def certificate(kind: str, today: datetime.date) -> str:
    """A self-signed PEM certificate of `kind`, dated from `today`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    midnight = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    starts, ends = {
        "expired": (midnight - 400 * day, midnight - 10 * day),
        "expiring": (midnight - 355 * day, midnight + 10 * day),
    }.get(kind, (midnight - day, midnight + 730 * day))
    if kind not in ("expired", "expiring", "weak_key", "sha1", "good"):
        raise ValueError(f"unknown certificate kind {kind!r}")
    key = _key(1024 if kind == "weak_key" else 2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"sfauthgen lint fixture ({kind})"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(starts).not_valid_after(ends)
            .sign(key, hashes.SHA256()))
    if kind != "sha1":
        return cert.public_bytes(Encoding.PEM).decode("ascii")
    # cryptography no longer signs with SHA-1: swap the algorithm identifier (same length) and re-sign by hand.
    sha256_rsa, sha1_rsa = bytes.fromhex("2a864886f70d01010b"), bytes.fromhex("2a864886f70d010105")
    der = cert.public_bytes(Encoding.DER)
    assert der.count(sha256_rsa) == 2
    tbs = cert.tbs_certificate_bytes.replace(sha256_rsa, sha1_rsa)
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    der = der.replace(sha256_rsa, sha1_rsa)[: -len(signature)] + signature
    sha1_cert = x509.load_der_x509_certificate(der)
    assert isinstance(sha1_cert.signature_hash_algorithm, hashes.SHA1)
    return sha1_cert.public_bytes(Encoding.PEM).decode("ascii")


# ---------------------------------------------------------------- running lint


def write_case(folder: Path, spec: dict[str, Any], files: dict[str, str], today: str) -> tuple[Path, list[Path]]:
    """The spec as folder/spec.yaml with its files beside it; the paths of the files."""
    folder.mkdir(parents=True)
    planted = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if text.startswith(CERT_MARKER):
            text = certificate(text[len(CERT_MARKER):], datetime.date.fromisoformat(today))
        path.write_text(text, encoding="utf-8")
        planted.append(path)
    spec_path = folder / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return spec_path, planted


def lint_json(cli: Any, spec: Path, today: str) -> list[dict[str, Any]]:
    result = cli("lint", spec, "--today", today, "--format", "json", "--fail-on", "error")
    assert result.code in (0, 1) and result.out.strip(), f"lint failed (exit {result.code}):\n{result.err}{result.out}"
    data = json.loads(result.out)
    assert set(data) == {"failing", "findings"}
    return data["findings"]


def today_of(fixture: dict[str, Any]) -> str:
    return str(fixture.get("today", DEFAULT_TODAY))


# ---------------------------------------------------------------- tests


def test_every_rule_has_a_fixture():
    have = {path.stem for path in FIXTURES}
    assert sorted(set(all_rules()) - have) == [], "every lint rule needs tests/cases/lint/<rule>.yaml"
    assert sorted(have - set(all_rules())) == [], "a fixture names no lint rule"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_shape(path):
    fixture = load(path)
    assert fixture["rule"] == path.stem
    assert set(fixture) <= {"rule", "today", "severity", "trigger", "expect", "files", "clean", "clean_files",
                            "variants"}
    for variant in fixture.get("variants", []):
        assert set(variant) <= {"trigger", "expect", "severity", "files"}
    for case in triggers(fixture):
        assert isinstance(case["trigger"], dict) and case["trigger"].get("version") == 1
        assert case["expect"] and all(isinstance(s, str) and s for s in case["expect"])
    assert isinstance(fixture["clean"], dict) and fixture["clean"].get("version") == 1


@pytest.mark.parametrize(("path", "number"), cases())
def test_trigger_reports_the_rule(cli, tmp_path, path, number):
    fixture = load(path)
    rule_id, today = fixture["rule"], today_of(fixture)
    case = triggers(fixture)[number]
    spec, planted = write_case(tmp_path / "trigger", case["trigger"], case.get("files", {}), today)
    findings = lint_json(cli, spec, today)
    mine = [f for f in findings if f["code"] == rule_id]
    assert mine, f"{rule_id} reported nothing on the trigger; found: {[(f['code'], f['message']) for f in findings]}"
    severity = case.get("severity", all_rules()[rule_id].severity.value)
    for finding in mine:
        for substring in case["expect"]:
            assert substring in finding["message"], finding
        assert finding["severity"] == severity, finding
        assert "suppressed" not in finding, finding


@pytest.mark.parametrize(("path", "number"), cases())
def test_trigger_findings_have_a_real_position(cli, tmp_path, path, number):
    fixture = load(path)
    rule_id, today = fixture["rule"], today_of(fixture)
    case = triggers(fixture)[number]
    spec, planted = write_case(tmp_path / "trigger", case["trigger"], case.get("files", {}), today)
    mine = [f for f in lint_json(cli, spec, today) if f["code"] == rule_id]
    assert mine
    allowed = {spec.resolve()} | ({p.resolve() for p in planted} if rule_id == "SFA026" else set())
    for finding in mine:
        assert Path(finding["path"]).resolve() in allowed, finding
        assert finding["line"] >= 1 and finding["column"] >= 1, finding
        where = Path(finding["path"]).read_text(encoding="utf-8").splitlines()
        assert finding["line"] <= len(where), finding
        assert finding["column"] <= len(where[finding["line"] - 1]) + 1, finding


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_clean_does_not_report_the_rule(cli, tmp_path, path):
    fixture = load(path)
    rule_id, today = fixture["rule"], today_of(fixture)
    files = fixture.get("clean_files", fixture.get("files", {}))
    spec, _ = write_case(tmp_path / "clean", fixture["clean"], files, today)
    mine = [f for f in lint_json(cli, spec, today) if f["code"] == rule_id]
    assert mine == []


# ---------------------------------------------------------------- waivers


@pytest.fixture
def waived(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    fixture = load(CASES / "waived.yaml")
    spec, _ = write_case(tmp_path / "waived", fixture["spec"], fixture.get("files", {}), today_of(fixture))
    return fixture, spec


def test_waived_finding_is_listed_as_suppressed(cli, waived):
    fixture, spec = waived
    result = cli("lint", spec, "--today", today_of(fixture), "--format", "json", "--fail-on", "note")
    assert result.code == 0, result.out + result.err
    data = json.loads(result.out)
    assert data["failing"] == 0
    mine = [f for f in data["findings"] if f["code"] == fixture["rule"]]
    assert mine
    for finding in mine:
        assert fixture["reason"] in finding["suppressed"]
    # the waiver is what keeps the exit code at 0: the finding is the spec's only one
    assert [f for f in data["findings"] if "suppressed" not in f] == []


def test_waived_finding_fails_without_its_waiver(cli, tmp_path):
    fixture = load(CASES / "waived.yaml")
    bare = {key: value for key, value in fixture["spec"].items() if key != "waivers"}
    spec, _ = write_case(tmp_path / "bare", bare, fixture.get("files", {}), today_of(fixture))
    result = cli("lint", spec, "--today", today_of(fixture), "--format", "json", "--fail-on", "note")
    assert result.code == 1
    data = json.loads(result.out)
    assert {f["code"] for f in data["findings"]} == {fixture["rule"]}
    assert data["failing"] == len(data["findings"])


def test_waived_finding_is_suppressed_in_sarif(cli, waived):
    fixture, spec = waived
    result = cli("lint", spec, "--today", today_of(fixture), "--format", "sarif", "--fail-on", "note")
    assert result.code == 0, result.out + result.err
    (run,) = json.loads(result.out)["runs"]
    mine = [r for r in run["results"] if r["ruleId"] == fixture["rule"]]
    assert mine
    for result_ in mine:
        (suppression,) = result_["suppressions"]
        assert suppression["kind"] == "inSource"
        assert fixture["reason"] in suppression["justification"]
