"""Secret detection: what is flagged, what is not."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sfauthgen import secretpatterns
from sfauthgen.spec.secrets import redact, secret_in_value


@pytest.mark.parametrize(
    "value",
    [
        "{!$Credential.Search_Key.ApiKey}",
        "{!'Bearer ' & $Credential.OpenAI.apiKey}",
        "Bearer {!$Credential.Slack_Bot.Token}",
        "application/json",
        "acme-production",
        "https://login.salesforce.com/services/oauth2/token",
        "migration.integration@example.com",
        "batches.read batches.validate",
        "salesforce-crm-integration-client",
        "https://api.example.com/v1/items?key={!$Credential.Search_Key.ApiKey}",
        "https://api.example.com/v1/items?page=2&sort=name",
        "https://api.example.com/token?grant_type=client_credentials",
        "https://orders.example.com/v1/items?sort_key=created_at&page_token=next",
    ],
)
def test_legitimate_values_pass(value):
    assert secret_in_value(value, header=True) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----", "a private key"),
        ("Bearer 4f9a2c7e1b8d6a3f0e5c9b2a", "a literal token"),
        ("sk-live-0123456789abcdefXYZ", "a credential of a well-known format"),
        ("sk_live_0123456789abcdefXYZ", "a credential of a well-known format"),
        ("AKIAIOSFODNN7EXAMPLE", "a credential of a well-known format"),
        ("xoxb-123456789012-abcdefghij", "a credential of a well-known format"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.signature", "a credential of a well-known format"),
        ("Zx8Qp2Lm9Vt4Rb7Nc1Kd6Hf3Jw5Ys0Ga", "a long random string"),
        ("https://api.example.com/v1?user=svc&password=Winter2024!", "a credential in a URL's query"),
        ("https://api.example.com/v1?pwd=abcd", "a credential in a URL's query"),
        ("https://maps.example.com/geo?x=1&api_key=9f8e7d6c", "a credential in a URL's query"),
        ("https://hooks.example.com/in;token=abcd1234", "a credential in a URL's query"),
    ],
)
def test_secret_values_are_flagged(value, reason):
    assert secret_in_value(value, header=True) == reason


def test_random_strings_count_in_headers_and_anywhere_when_long():
    assert secret_in_value("Zx8Qp2Lm9Vt4Rb7Nc1Kd6H", header=False) is None
    assert secret_in_value("Zx8Qp2Lm9Vt4Rb7Nc1Kd6Hf3Jw5", header=True) == "a long random string"
    assert secret_in_value("Zx8Qp2Lm9Vt4Rb7Nc1Kd6Hf3Jw5Ys0Ga", header=False) == "a long random string"
    assert secret_in_value("Zx8Qp2Lm9Vt4Rb7Nc1Kd6Hf3Jw5Ys0Ga", name="consumer_key") is None


def test_redaction_shows_at_most_four_characters():
    assert redact("sk-proj-secret") == "sk-p…"
    assert redact("abc") == "…"


def test_token_url_is_not_a_secret_key(cli, tmp_path):
    from conftest import write_spec

    spec = write_spec(tmp_path, (
        "version: 1\nexternal_credentials:\n  - name: A\n    label: A\n    protocol: oauth_client_credentials\n"
        "    token_url: https://auth.example.com/token\n"
    ))
    assert cli("validate", spec).code == 0


# Fragments of every format the patterns know, mixed with the characters that break runs apart.
_FRAGMENTS = ["-----BEGIN ", "RSA PRIVATE KEY-----", "sk-", "sk_live_", "whsec_", "AKIA", "ghp_", "github_pat_",
              "xoxb-", "https://hooks.slack.com/services/", "AIza", "glpat-", "npm_", "SG.", "eyJ", "00D", "!",
              "?sig=", "&SIG=", "https://", "user:", "pw@", "Bearer ", "basic\t", "TOKEN ", "{!", "A1b2C3d4",
              "Zx8Qp2Lm9Vt4", "0123456789ABCDEF", "%2B", "/", ".", " ", "-", "_", "=", "+", "@", ":", "~"]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(_FRAGMENTS), max_size=14))
@example(parts=["Bearer ", "A1b2C3d4"])
@example(parts=["https://", "user:", "pw@"])
@example(parts=["-----BEGIN ", "RSA PRIVATE KEY-----"])
def test_the_candidate_search_clears_only_what_no_pattern_flags(parts):
    """The quick search that clears most values first must never clear one the full checks flag."""
    value = "".join(parts)
    if secretpatterns._CANDIDATE.search(value) is None:
        for pattern in (secretpatterns.PRIVATE_KEY, secretpatterns.KNOWN_TOKENS, secretpatterns.SAS_SIGNATURE,
                        secretpatterns.URL_PASSWORD, secretpatterns.CONSUMER_SECRET):
            assert pattern.search(value) is None
        assert secretpatterns._BEARER_LITERAL.match(value) is None
        assert secretpatterns.random_token(value, min_length=32, min_entropy=0, mixed_case=True) is None


KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY9"


@pytest.mark.parametrize("value", [
    "{!'Bearer ' & 'q8ZrT2mK9vLp4XwN7bYc3HdF6gJ1sQ0e'}",  # a literal token
    "{!'k\\' " + KEY + " \\''}",  # inside a literal with escaped quotes
    "{!" + KEY + "}",  # bare in the formula
    "{!''}" + KEY,  # after the formula
])
def test_a_secret_inside_a_formula_is_found(value):
    assert secret_in_value(value, True, "Authorization") is not None


@pytest.mark.parametrize(("value", "name"), [
    ("{!'Bearer ' & $Credential.X.Token}", "Authorization"),
    ("{!'Token token=' & $Credential.Legacy_Auth.Key}", "X-Auth-Token"),
    ("{!$Credential.X.Key}", "X-Api-Key"),
    ("{!'Basic ' & BASE64ENCODE(BLOB($Credential.X.User & ':' & $Credential.X.Password))}", "Authorization"),
    ("{!$Credential.OpenAI_Credential_Long_Name_123.ApiKeyParameter}", "Authorization"),
])
def test_formulas_that_only_refer_to_credentials_are_not_secrets(value, name):
    assert secret_in_value(value, True, name) is None


def test_a_variable_named_like_a_secret_is_an_error_and_names_merely_containing_one_are_not(cli, tmp_path):
    """SPEC_LANGUAGE: secrets are never variables. A name ending in a secret word is one; token_url is not."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nvariables:\n  client_secret: {default: abcdef}\n"
                    "  token_url: {default: 'https://auth.example.com/oauth2/token'}\n"
                    "  password_reset_url: {default: 'https://auth.example.com/reset'}\n"
                    "environments:\n  uat:\n    token_url: https://auth.uat.example.com/oauth2/token\n"
                    "permission_sets:\n  - {name: P, label: '${var.token_url}',\n"
                    "     description: '${var.password_reset_url}'}\n")
    result = cli("validate", spec)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if not line.startswith("    hint")]
    assert lines == [f"{spec}:3:3: SFK401 variable 'client_secret' is named like a secret; secrets are never "
                     "variables", "1 error; nothing was written"]
    assert "abcdef" not in result.err


@pytest.mark.parametrize(("name", "secret"), [
    ("X-Api-Key-V2", True), ("X-Password-Plain", True), ("dbPassword", True), ("clientSecret", True),
    ("slack_token", True), ("passphrase", True), ("Client Secret", True),
    ("token_url", False), ("password_reset_url", False), ("client_secret_in", False), ("Client Id", False),
    ("secret_type", False),
])
def test_secret_names_are_words_anywhere_but_not_names_of_places_or_settings(name, secret):
    assert secretpatterns.is_secret_name(name) is secret
    assert (secret_in_value("hunter2hunter2", name=name) is not None) is secret


@pytest.mark.parametrize("variable", ["token", "slack_token", "passphrase", "refresh_token", "dbPassword",
                                      "clientSecret", "db_password"])
def test_every_variable_named_like_a_secret_is_refused_before_its_value_is_written(cli, tmp_path, variable):
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"version: 1\nvariables:\n  {variable}: {{description: x}}\nexternal_credentials:\n"
                    "  - name: E\n    label: E\n    protocol: custom\n    headers: {X-Partner: '${var." + variable
                    + "}'}\n")
    result = cli("generate", spec, "-d", tmp_path / "out", "--var", f"{variable}=hunter2")
    assert result.code == 1
    assert f"SFK401 variable '{variable}' is named like a secret" in result.err
    assert not (tmp_path / "out").exists()
