"""After generate: which secrets to set and which permission sets to assign."""

from __future__ import annotations

from conftest import write_spec

SPEC = """\
version: 1
external_credentials:
  - name: Migration_API_Auth
    label: Migration API Auth
    protocol: oauth_client_credentials
    token_url: https://auth.example.com/token
    principals:
      - {name: Migration_Service, access: [Migration_Access]}
  - name: Search_Auth
    label: Search Auth
    protocol: custom
    headers:
      Authorization: "{!'Bearer ' & $Credential.Search_Auth.ApiKey}"
    principals:
      - {name: Search Key, access: [Migration_Access]}
  - name: Public_Auth
    label: Public
    protocol: no_auth
named_credentials:
  - name: Partner_Legacy
    label: Partner
    legacy: {endpoint: https://partner.example.com, principal_type: named_user, protocol: password, username: svc}
permission_sets:
  - {name: Migration_Access, label: Migration Access}
"""


def test_next_steps_name_secrets_and_assignments(cli, tmp_path):
    spec = write_spec(tmp_path, SPEC)
    result = cli("generate", spec, "-d", tmp_path / "out")
    assert result.code == 0, result.err
    steps = result.out.split("next steps in the org after deploy:\n")[1].splitlines()
    assert steps == [
        "  - Migration_API_Auth / Migration_Service (named principal): enter the client ID and client secret",
        "  - Search_Auth / Search Key (named principal): enter the authentication parameter(s) ApiKey",
        "  - Partner_Legacy (legacy): enter the password of svc in Setup > Named Credentials",
        "  - assign permission set Migration_Access to the users who call Migration_API_Auth "
        "(principal Migration_Service)",
        "  - assign permission set Migration_Access to the users who call Search_Auth (principal Search Key)",
        "  secrets are entered in Setup > Named Credentials > External Credentials > Principals, or with "
        "`sfauthgen secrets set SPEC --credential EC --principal NAME` (the Connect API's "
        "/services/data/v66.0/named-credentials/credential)",
    ]


def test_quiet_silences_next_steps(cli, tmp_path):
    spec = write_spec(tmp_path, SPEC)
    result = cli("generate", spec, "-d", tmp_path / "out", "--quiet")
    assert result.code == 0
    assert result.out == ""


def test_no_next_steps_when_nothing_to_do(cli, tmp_path):
    spec = write_spec(tmp_path, "version: 1\npermission_sets:\n  - {name: A, label: A}\n")
    result = cli("generate", spec, "-d", tmp_path / "out")
    assert "next steps" not in result.out


def test_eca_global_oauth_prerequisites(cli, tmp_path):
    spec = write_spec(tmp_path, (
        "version: 1\nexternal_client_apps:\n  - name: App\n    label: App\n    contact_email: a@example.com\n"
        "    oauth:\n      callback_urls: [https://a.example.com/cb]\n      scopes: [api]\n"
    ))
    with_file = cli("generate", spec, "-d", tmp_path / "a")
    assert "turn on the org setting 'Allow access to OAuth consumer secrets via Metadata API'" in with_file.out
    without = cli("generate", spec, "-d", tmp_path / "b", "--no-eca-global-oauth")
    assert "Allow access to OAuth consumer secrets" not in without.out
