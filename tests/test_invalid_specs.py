"""Every bad spec under cases/invalid/ fails with exactly the diagnostics in its .expected file."""

from __future__ import annotations

from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases" / "invalid"


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.yaml")))
def test_invalid_spec_reports_exact_diagnostics(case, cli, monkeypatch):
    monkeypatch.chdir(CASES)
    result = cli("validate", f"{case}.yaml")
    assert result.code == 1
    assert result.err == (CASES / f"{case}.expected").read_text("utf-8")
    assert "Traceback" not in result.err


@pytest.mark.parametrize("case", ["bad_scope", "bad_certificate", "wrong_types"])
def test_generate_with_invalid_spec_writes_nothing(case, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(CASES)
    out = tmp_path / "out"
    result = cli("generate", f"{case}.yaml", "-d", out)
    assert result.code == 1
    assert not out.exists()


def test_every_error_kind_has_a_case():
    # The kinds the spine must report with exact messages (issue 2).
    required = {
        "bad_scope", "salesforce_value", "unknown_key", "duplicate_key", "bad_names",
        "bad_certificate", "admin_only", "wrong_types",
    }
    assert required <= {p.stem for p in CASES.glob("*.yaml")}
    for stem in required:
        assert (CASES / f"{stem}.expected").read_text("utf-8").strip(), stem


def test_secrets_are_never_echoed_in_full(cli, monkeypatch):
    monkeypatch.chdir(CASES)
    result = cli("validate", "secret_values.yaml")
    for secret in ("4f9a2c7e1b8d6a3f0e5c9b2a7d4f1e8c", "sk-proj-Abc123Def456Ghi789Jkl012", "AKIAIOSFODNN7EXAMPLE",
                   "ghp_0123456789abcdefghijABCDEFGHIJ012345", "Zx8Qp2Lm9Vt4Rb7Nc1Kd6Hf3Jw5Ys0Ga",
                   "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"):
        assert secret not in result.err
    keys = cli("validate", "secret_keys.yaml")
    assert "hunter2" not in keys.err and "8D1F0A77E2C94B5D" not in keys.err


NUMBER_SPEC = ("version: 1\nconnected_apps:\n  - name: A\n    label: A\n    contact_email: a@example.com\n"
               "    policies: {{session_timeout_minutes: {}}}\n")


@pytest.mark.parametrize(("written", "read"), [("017", "15"), ("0x1e", "30"), ("0b1", "1"), ("1:30", "90"),
                                               ("6:43", "403"), ("1_000", "1000")])
def test_yaml_1_1_number_forms_are_refused_not_guessed(cli, tmp_path, written, read):
    spec = tmp_path / "spec.yaml"
    spec.write_text(NUMBER_SPEC.format(written))
    result = cli("validate", spec)
    assert result.code == 1
    assert result.err == (f"{spec}:6:41: SFS203 YAML 1.1 reads {written} as the number {read}\n"
                          "    hint: write the number in decimal digits, or quote it if it is text\n"
                          "1 error; nothing was written\n")


@pytest.mark.parametrize("written", ["30", "+30", "030.0e+0"])
def test_decimal_numbers_are_numbers(cli, tmp_path, written):
    spec = tmp_path / "spec.yaml"
    spec.write_text(NUMBER_SPEC.format(written))
    assert "YAML 1.1 reads" not in cli("validate", spec).err
