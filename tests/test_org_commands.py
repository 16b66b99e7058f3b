"""auth check and secrets set against the strict fake Salesforce (tests/fakesf.py): every diagnosis,
create-then-update of credentials, and no secret, key or token in any output."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from fakesf import FakeApp, FakeSalesforce

from conftest import write_spec

CLIENT_ID = "3MVG9fakeConsumerKeyForTests"
SECRET = "s3cr3t-client-value-4242"
RUN_AS = "migration.integration@example.com"
JWT_USER = "jwt.integration@example.com"

SPEC = """\
version: 1
connected_apps:
  - name: Data_Migration
    label: Data Migration
    contact_email: team@example.com
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api]
      client_credentials: {{run_as: {run_as}}}
      jwt_bearer: {{certificate: certs/Data_Migration.crt}}
    policies:
      permitted_users: admin_approved
      permission_sets: [Migration]
      session_timeout_minutes: 15
permission_sets:
  - {{name: Migration, label: Migration}}
external_credentials:
  - name: Partner_OAuth
    label: Partner OAuth
    protocol: oauth_client_credentials
    token_url: https://auth.partner.example.com/token
    principals: [{{name: Partner_Service}}]
  - name: Partner_Basic
    label: Partner Basic
    protocol: basic
    principals: [{{name: Basic_User}}]
  - name: Partner_Key
    label: Partner Key
    protocol: custom
    headers:
      X-Api-Key: "{{!$Credential.Partner_Key.ApiKey}}"
    principals: [{{name: Key_Holder}}]
  - name: Partner_Aws
    label: Partner AWS
    protocol: aws_sigv4
    aws_region: eu-west-1
    aws_service: execute-api
    principals: [{{name: Aws_Caller}}]
  - name: Partner_Jwt
    label: Partner JWT
    protocol: jwt
    signing_certificate: Partner_Signing
    claims: {{iss: sfauthgen, sub: partner, aud: https://partner.example.com}}
    principals: [{{name: Signer}}]
"""


@pytest.fixture
def world(tmp_path, monkeypatch, cli):
    """A spec with a certificate from `cert new`, its key, and a fake org that knows the app."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    spec_dir = tmp_path / "specs"
    spec_dir.mkdir()
    made = cli("cert", "new", "Data_Migration", "--cert-dir", spec_dir / "certs", "--key-file", tmp_path / "k.key")
    assert made.code == 0, made.err
    spec = write_spec(spec_dir, SPEC.format(run_as=RUN_AS))
    certificate = (spec_dir / "certs" / "Data_Migration.crt").read_text()
    with FakeSalesforce() as sf:
        sf.add_user(RUN_AS)
        sf.add_user(JWT_USER)
        app = FakeApp(CLIENT_ID, consumer_secret=SECRET, certificate_pem=certificate, run_as=RUN_AS,
                      preauthorized={RUN_AS, JWT_USER})
        sf.add_app(app)
        for name, protocol, principal in (("Partner_OAuth", "OAuth", "Partner_Service"),
                                          ("Partner_Basic", "Basic", "Basic_User"),
                                          ("Partner_Key", "Custom", "Key_Holder"),
                                          ("Partner_Aws", "AwsSv4", "Aws_Caller")):
            variant = "ClientCredentialsClientSecret" if protocol == "OAuth" else None
            sf.add_external_credential(name, protocol, {principal: "NamedPrincipal"}, variant)
        monkeypatch.setenv("SFAUTHGEN_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("SFAUTHGEN_CLIENT_SECRET", SECRET)
        monkeypatch.setenv("SFAUTHGEN_JWT_KEY_FILE", str(tmp_path / "k.key"))
        monkeypatch.setenv("SF_ACCESS_TOKEN", sf.admin_token)
        monkeypatch.setenv("SF_INSTANCE_URL", sf.url)
        yield {"sf": sf, "app": app, "spec": spec, "key": (tmp_path / "k.key").read_text(), "tmp": tmp_path}


def _no_secrets(world, *outputs: str) -> None:
    sf = world["sf"]
    forbidden = [SECRET, world["key"].splitlines()[1], sf.admin_token, *sf.issued_tokens]
    for text in outputs:
        for secret in forbidden:
            assert secret not in text


def _check(cli, world, *extra: str):
    return cli("auth", "check", world["spec"], "--app", "Data_Migration", "--login-url", world["sf"].url, *extra)


def test_client_credentials_passes_and_reports(cli, world):
    result = _check(cli, world)
    assert result.code == 0, result.err
    sf = world["sf"]
    assert f"auth check: 'Data_Migration' (client_credentials) against {sf.url}: ok" in result.out
    assert f"org id:       {sf.org_id}" in result.out
    assert f"user id:      {sf.user_id(RUN_AS)}" in result.out
    assert "scopes:       api (spec: api)" in result.out
    assert "of 15000 left today" in result.out
    assert "15 minutes of inactivity" in result.out
    _no_secrets(world, result.out, result.err)
    token_calls = [r for r in sf.requests if r.path == "/services/oauth2/token"]
    assert len(token_calls) == 1 and SECRET not in str(token_calls[0].query)


def test_jwt_bearer_with_a_certificate_from_cert_new(cli, world):
    result = _check(cli, world, "--flow", "jwt_bearer", "--username", JWT_USER)
    assert result.code == 0, result.err
    assert f"user id:      {world['sf'].user_id(JWT_USER)}" in result.out
    _no_secrets(world, result.out, result.err)


def test_json_report(cli, world):
    result = _check(cli, world, "--json")
    data = json.loads(result.out)
    assert data["status"] == 0 and data["result"]["ok"] is True
    assert data["result"]["org_id"] == world["sf"].org_id
    assert data["result"]["daily_api_requests"]["max"] == 15000
    failed = _check(cli, world, "--json", "--flow", "jwt_bearer", "--username", "nobody@example.com")
    data = json.loads(failed.out)
    assert data["status"] == 1 and data["result"]["findings"][0]["code"].startswith("SFO")
    _no_secrets(world, result.out, failed.out, failed.err)


def _break(world, how: str) -> tuple[list[str], dict[str, str]]:
    """Change the fake org (or the environment) so the check fails one way; the extra CLI arguments."""
    app, sf = world["app"], world["sf"]
    jwt = ["--flow", "jwt_bearer", "--username", JWT_USER]
    env: dict[str, str] = {}
    if how == "unknown_client":
        env["SFAUTHGEN_CLIENT_ID"] = "3MVG9someOtherKey"
        return [], env
    if how == "not_propagated":
        app.propagated = False
        return [], env
    if how == "bad_secret":
        env["SFAUTHGEN_CLIENT_SECRET"] = "wrong-secret-value"
        return [], env
    if how == "no_run_as":
        app.run_as = None
        return [], env
    if how == "not_approved":
        app.admin_approved = False
        return jwt, env
    if how == "not_permitted":
        app.preauthorized = {RUN_AS}
        return jwt, env
    if how == "inactive":
        sf.set_user_active(JWT_USER, False)
        return jwt, env
    if how == "ip":
        app.allowed_ips_only = True
        return [], env
    if how == "audience":
        return ["--login-url", sf.url.replace("127.0.0.1", "localhost"), *jwt], env
    if how == "other_certificate":
        import datetime

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "other")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                .sign(key, hashes.SHA256()))
        app.certificate_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
        return jwt, env
    raise AssertionError(how)


@pytest.mark.parametrize("how, code, words", [
    ("unknown_client", "SFO601", "invalid_client_id"),
    ("not_propagated", "SFO601", "up to 10 minutes"),
    ("bad_secret", "SFO602", "invalid_client"),
    ("no_run_as", "SFO603", "client_credentials.run_as"),
    ("not_approved", "SFO604", "permitted_users: admin_approved"),
    ("not_permitted", "SFO605", "policies.permission_sets"),
    ("inactive", "SFO606", "inactive"),
    ("ip", "SFO607", "ip_relaxation"),
    ("audience", "SFO608", "https://test.salesforce.com"),
    ("other_certificate", "SFO609", "jwt_bearer.certificate"),
])
def test_each_refusal_names_the_error_and_the_spec_change(cli, world, monkeypatch, how, code, words):
    extra, env = _break(world, how)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if "--login-url" in extra:
        at = extra.index("--login-url")
        url, extra = extra[at + 1], extra[:at] + extra[at + 2:]
        result = cli("auth", "check", world["spec"], "--app", "Data_Migration", "--login-url", url, *extra)
    else:
        result = _check(cli, world, *extra)
    assert result.code == 1, result.out + result.err
    spec = str(world["spec"])
    assert f"{spec}:" in result.err and f" {code} " in result.err, result.err
    assert words in result.err, result.err
    _no_secrets(world, result.out, result.err)


def test_an_expired_assertion_points_at_the_clock(cli, world, monkeypatch):
    import time
    import types

    import sfauthgen.org.oauth

    # The fake org runs in this process: shift only the clock the assertion is made with.
    monkeypatch.setattr(sfauthgen.org.oauth, "time", types.SimpleNamespace(time=lambda: time.time() - 3600))
    result = _check(cli, world, "--flow", "jwt_bearer", "--username", JWT_USER)
    assert result.code == 1
    assert " SFO609 " in result.err and "clock" in result.err


def test_a_key_that_is_not_the_certificates_is_caught_before_any_request(cli, world, tmp_path, monkeypatch):
    assert cli("cert", "new", "Other", "--cert-dir", tmp_path / "o", "--key-file", tmp_path / "o.key").code == 0
    monkeypatch.setenv("SFAUTHGEN_JWT_KEY_FILE", str(tmp_path / "o.key"))
    before = len(world["sf"].requests)
    result = _check(cli, world, "--flow", "jwt_bearer", "--username", JWT_USER)
    assert result.code == 1 and "does not belong to 'certs/Data_Migration.crt'" in result.err
    assert len(world["sf"].requests) == before


def test_a_scope_the_token_lacks_is_a_finding(cli, world):
    world["spec"].write_text(world["spec"].read_text().replace("scopes: [api]", "scopes: [api, chatter_api]"))
    result = _check(cli, world)
    assert result.code == 1
    assert " SFO611 the token lacks the scope 'chatter_api'" in result.err


def test_one_retry_on_5xx_then_a_clear_network_error(cli, world):
    sf = world["sf"]
    sf.fail_next(1)
    assert _check(cli, world).code == 0
    sf.fail_next(2)
    result = _check(cli, world)
    assert result.code == 1 and "token request" in result.err and "HTTP 503" in result.err
    _no_secrets(world, result.out, result.err)


def test_plain_http_to_another_host_is_refused(cli, world):
    result = cli("auth", "check", world["spec"], "--app", "Data_Migration", "--login-url", "http://login.example.com")
    assert result.code == 2 and "plain http" in result.err


def test_missing_secret_is_a_usage_error_that_names_the_variable(cli, world, monkeypatch):
    monkeypatch.delenv("SFAUTHGEN_CLIENT_SECRET")
    result = _check(cli, world)
    assert result.code == 2 and "SFAUTHGEN_CLIENT_SECRET" in result.err


# ------------------------------------------------------------------------------------------- secrets set

def _set(cli, world, credential: str, principal: str, *extra: str):
    return cli("secrets", "set", world["spec"], "--credential", credential, "--principal", principal, *extra)


def test_client_credentials_secret_is_created_then_updated(cli, world, monkeypatch):
    sf = world["sf"]
    monkeypatch.setenv("PARTNER_ID", "partner-client-id")
    monkeypatch.setenv("PARTNER_SECRET", "partner-secret-one")
    args = ("--from-env", "clientId=PARTNER_ID", "--from-env", "clientSecret=PARTNER_SECRET")
    first = _set(cli, world, "Partner_OAuth", "Partner_Service", *args)
    assert first.code == 0, first.err
    assert "created the credential of 'Partner_OAuth' / 'Partner_Service'" in first.out
    assert sf.stored("Partner_OAuth", "Partner_Service") == {
        "clientId": {"value": "partner-client-id", "encrypted": False},
        "clientSecret": {"value": "partner-secret-one", "encrypted": True}}
    monkeypatch.setenv("PARTNER_SECRET", "partner-secret-two")
    second = _set(cli, world, "Partner_OAuth", "Partner_Service", *args, "--json")
    data = json.loads(second.out)
    assert data["status"] == 0 and data["result"]["action"] == "updated"
    assert sf.stored("Partner_OAuth", "Partner_Service")["clientSecret"]["value"] == "partner-secret-two"
    methods = [r.method for r in sf.requests if r.path.endswith("/named-credentials/credential")]
    assert methods == ["GET", "POST", "GET", "PUT"]
    for text in (first.out, first.err, second.out, second.err):
        assert "partner-secret" not in text and sf.admin_token not in text


def test_basic_from_stdin(cli, world, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("username=svc-user\npassword=pa55-word=with=equals\n"))
    result = _set(cli, world, "Partner_Basic", "Basic_User")
    assert result.code == 0, result.err
    assert world["sf"].stored("Partner_Basic", "Basic_User") == {
        "username": {"value": "svc-user", "encrypted": False},
        "password": {"value": "pa55-word=with=equals", "encrypted": True}}
    assert "pa55" not in result.out + result.err


def test_custom_takes_the_names_the_formulas_read(cli, world, monkeypatch):
    monkeypatch.setenv("KEY", "k-123456")
    assert _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY").code == 0
    assert world["sf"].stored("Partner_Key", "Key_Holder") == {"ApiKey": {"value": "k-123456", "encrypted": True}}
    wrong = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "Token=KEY")
    assert wrong.code == 2 and "'Token' is not a credential of this protocol (Custom: ApiKey)" in wrong.err


def test_aws(cli, world, monkeypatch):
    monkeypatch.setenv("AK", "AKIAEXAMPLEEXAMPLE12")
    monkeypatch.setenv("SK", "aws-secret-value-000")
    result = _set(cli, world, "Partner_Aws", "Aws_Caller", "--from-env", "awsAccessKeyId=AK",
                  "--from-env", "awsSecretAccessKey=SK")
    assert result.code == 0, result.err
    assert world["sf"].stored("Partner_Aws", "Aws_Caller")["awsSecretAccessKey"]["encrypted"] is True


def test_jwt_has_nothing_to_store_and_says_so(cli, world):
    before = len(world["sf"].requests)
    result = _set(cli, world, "Partner_Jwt", "Signer")
    assert result.code == 0 and "no secret to store" in result.out and "Partner_Signing" in result.out
    assert len(world["sf"].requests) == before


def test_missing_values_unknown_principal_and_no_permission(cli, world, monkeypatch):
    monkeypatch.setenv("PARTNER_ID", "partner-client-id")
    missing = _set(cli, world, "Partner_OAuth", "Partner_Service", "--from-env", "clientId=PARTNER_ID")
    assert missing.code == 2 and "no value for clientSecret" in missing.err
    unset = _set(cli, world, "Partner_OAuth", "Partner_Service", "--from-env", "clientId=NOT_SET_ANYWHERE")
    assert unset.code == 2 and "NOT_SET_ANYWHERE is not set" in unset.err
    unknown = _set(cli, world, "Partner_OAuth", "Nobody", "--from-env", "clientId=PARTNER_ID")
    assert unknown.code == 2 and "principals: Partner_Service" in unknown.err
    monkeypatch.setenv("PARTNER_SECRET", "partner-secret-one")
    monkeypatch.setenv("SF_ACCESS_TOKEN", world["sf"].limited_token)
    denied = _set(cli, world, "Partner_OAuth", "Partner_Service", "--from-env", "clientId=PARTNER_ID",
                  "--from-env", "clientSecret=PARTNER_SECRET")
    assert denied.code == 1 and "HTTP 403" in denied.err and "permission" in denied.err
    assert "partner-secret-one" not in denied.err and world["sf"].limited_token not in denied.err


def test_a_principal_the_org_does_not_have(cli, world, monkeypatch):
    world["sf"].add_external_credential("Partner_OAuth", "OAuth", {"Someone_Else": "NamedPrincipal"},
                                        "ClientCredentialsClientSecret")
    monkeypatch.setenv("PARTNER_ID", "partner-client-id")
    monkeypatch.setenv("PARTNER_SECRET", "partner-secret-one")
    result = _set(cli, world, "Partner_OAuth", "Partner_Service", "--from-env", "clientId=PARTNER_ID",
                  "--from-env", "clientSecret=PARTNER_SECRET")
    assert result.code == 1 and "Partner_OAuth" in result.err
    assert "partner-secret-one" not in result.err


def test_org_session_from_the_sf_cli(cli, world, monkeypatch, tmp_path):
    monkeypatch.delenv("SF_ACCESS_TOKEN")
    monkeypatch.delenv("SF_INSTANCE_URL")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    sf = fake_bin / "sf"
    answer = {"status": 0, "result": {"accessToken": world["sf"].admin_token, "instanceUrl": world["sf"].url,
                                      "username": "admin@fakesf.example"}}
    sf.write_text("#!/bin/sh\n"
                  f"[ \"$4\" = \"--target-org\" ] && [ \"$5\" = \"uat\" ] && echo '{json.dumps(answer)}' && exit 0\n"
                  "echo '{\"status\": 1, \"message\": \"No authorization information found for nope.\"}'; exit 1\n")
    sf.chmod(sf.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("KEY", "k-123456")
    ok = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY", "-o", "uat")
    assert ok.code == 0, ok.err
    nope = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY", "-o", "nope")
    assert nope.code == 1 and "No authorization information found" in nope.err
    assert world["sf"].admin_token not in ok.out + ok.err + nope.err


def test_values_never_come_from_arguments(cli, world):
    result = _set(cli, world, "Partner_Key", "Key_Holder", "--value", "x")
    assert result.code == 2


def test_a_spec_path_never_reaches_the_network_unvalidated(cli, world, tmp_path):
    Path(tmp_path / "bad.yaml").write_text("version: 1\nconnected_apps: [{name: 'no good'}]\n")
    result = cli("secrets", "set", tmp_path / "bad.yaml", "--credential", "X", "--principal", "Y")
    assert result.code == 1 and len(world["sf"].requests) == 0


# ------------------------------------------------------------------------ hostile or mistaken inputs

class _Hostile:
    """A server on 127.0.0.1 that answers every request with one canned response."""

    def __init__(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        import http.server
        import threading

        answer = (status, body, content_type)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("content-length", 0)))
                self.send_response(answer[0])
                self.send_header("content-type", answer[2])
                self.send_header("content-length", str(len(answer[1])))
                self.end_headers()
                self.wfile.write(answer[1])

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self) -> _Hostile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("body, words", [
    ({"access_token": "tok", "instance_url": "https://u:p@evil.example.com"}, "instance_url is not an https URL"),
    ({"access_token": "tok", "instance_url": "http://evil.example.com"}, "instance_url is not an https URL"),
    ({"access_token": "tok", "instance_url": "https://h\tx.example.com"}, "instance_url is not an https URL"),
    ({"error": "invalid_grant", "error_description": f"bad secret {SECRET} / {SECRET.replace('-', '%2D')}"},
     "SFO610"),
])
def test_a_hostile_token_answer_is_a_finding_never_a_crash_or_a_leak(cli, world, body, words):
    with _Hostile(200 if "access_token" in body else 400, json.dumps(body).encode()) as evil:
        result = cli("auth", "check", world["spec"], "--app", "Data_Migration", "--login-url", evil.url, "--json")
    assert result.code == 1, result.err
    assert words in result.err + result.out
    assert SECRET not in result.err + result.out
    assert len([line for line in result.out.splitlines() if line == "{"]) == 1  # one JSON object


def test_an_oversized_answer_is_refused(cli, world):
    with _Hostile(400, b"x" * (2 * 1024 * 1024), "text/plain") as evil:
        result = cli("auth", "check", world["spec"], "--app", "Data_Migration", "--login-url", evil.url)
    assert result.code == 1 and "more than 1 MiB" in result.err


def test_masking_covers_the_encoded_forms_of_a_secret():
    from sfauthgen.org.mask import Masker

    mask = Masker("a+b/c=d&e\"f")
    for form in ("a+b/c=d&e\"f", "a%2Bb%2Fc%3Dd%26e%22f", "a+b/c=d&e\\\"f"):
        assert "****" in mask(f"echo {form} done") and "c=d" not in mask(f"echo {form} done")


def test_client_credentials_is_refused_on_the_shared_login_hosts(cli, world):
    result = cli("auth", "check", world["spec"], "--app", "Data_Migration", "--login-url",
                 "https://test.salesforce.com")
    assert result.code == 2 and "My Domain" in result.err


def test_salesforces_wrong_domain_answer_is_diagnosed():
    from types import SimpleNamespace

    from sfauthgen.org.diagnose import WRONG_DOMAIN, diagnose
    from sfauthgen.org.oauth import Refusal

    here = SimpleNamespace(locate=lambda *a, **k: "spec.yaml:1:1")
    app = SimpleNamespace(name="A", oauth=SimpleNamespace(source=here), source=here,
                          policies=SimpleNamespace(source=here, permitted_users=None, ip_relaxation=None))
    found = diagnose(Refusal(400, "invalid_grant", "request not supported on this domain"), app,  # type: ignore[arg-type]
                     "client_credentials", "https://login.salesforce.com", None)
    assert found.code == WRONG_DOMAIN and "My Domain" in found.hint


def test_username_is_for_jwt_only(cli, world):
    assert _check(cli, world, "--username", JWT_USER).code == 2


def test_a_non_rsa_key_or_a_fifo_is_a_usage_error(cli, world, tmp_path, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ec.key"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    monkeypatch.setenv("SFAUTHGEN_JWT_KEY_FILE", str(path))
    result = _check(cli, world, "--flow", "jwt_bearer", "--username", JWT_USER)
    assert result.code == 2 and "RSA" in result.err
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    monkeypatch.setenv("SFAUTHGEN_JWT_KEY_FILE", str(fifo))
    result = _check(cli, world, "--flow", "jwt_bearer", "--username", JWT_USER)
    assert result.code == 2 and "not a regular file" in result.err


def test_an_explicit_org_and_a_session_in_the_environment_conflict(cli, world, monkeypatch):
    monkeypatch.setenv("KEY", "k-123456")
    result = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY", "-o", "uat")
    assert result.code == 2 and "both name an org" in result.err
    assert world["sf"].stored("Partner_Key", "Key_Holder") is None


def test_an_update_never_drops_a_stored_value(cli, world, monkeypatch):
    """A PUT replaces the whole set; a value stored in the org but not given would be lost for good."""
    sf = world["sf"]
    sf._stored[("Partner_Key", "Key_Holder")] = {"ApiKey": {"value": "old-key", "encrypted": True},
                                                  "SigningSalt": {"value": "salt-value", "encrypted": True}}
    monkeypatch.setenv("KEY", "k-123456")
    result = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY")
    assert result.code == 1 and "SFO618 " in result.err and "also holds SigningSalt" in result.err
    assert "nothing was changed" in result.err
    assert sf.stored("Partner_Key", "Key_Holder")["ApiKey"]["value"] == "old-key"
    assert "salt-value" not in result.err


def test_stdin_lines_are_checked_and_never_echoed(cli, world, monkeypatch):
    import io

    for text, words in (("username=svc\npassword=\n", "the value of password is empty"),
                        ("username=a\nusername=b\npassword=p\n", "username is given twice"),
                        ("dGhpcyBpcyBzZWNyZXQ=\n", "(the line is not shown)")):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        result = _set(cli, world, "Partner_Basic", "Basic_User")
        assert result.code == 2 and words in result.err, result.err
        assert "dGhpcyBpcyBzZWNyZXQ" not in result.err
    assert world["sf"].stored("Partner_Basic", "Basic_User") is None


def test_a_server_that_drips_its_answer_hits_the_deadline(monkeypatch):
    """The per-read timeout never trips on a byte every second; the whole answer has a deadline."""
    import http.server
    import threading
    import time

    from sfauthgen.org import http as org_http
    from sfauthgen.org.http import Http, NetworkError

    class Drip(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("content-length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(org_http, "DEADLINE_SECONDS", 0.5)
    try:
        with Http() as client, pytest.raises(NetworkError, match="took more than"):
            client.send("GET", f"http://127.0.0.1:{server.server_address[1]}/", "test call")
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_that_is_wrong_is_never_quoted_whole(cli, world, monkeypatch):
    """Swapped variables put a token where the URL goes; a user name or query may hold a password."""
    token = world["sf"].admin_token
    monkeypatch.setenv("SF_INSTANCE_URL", token)
    monkeypatch.setenv("SF_ACCESS_TOKEN", world["sf"].url)
    monkeypatch.setenv("KEY", "k-123456")
    for extra in ((), ("--json",)):
        result = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY", *extra)
        assert result.code == 2
        assert "SF_INSTANCE_URL is not an https URL" in result.err + result.out
        _no_secrets(world, result.out, result.err)
    for url in ("https://admin:S3cretPass@x.my.salesforce.com", "https://x.my.salesforce.com/?client_secret=QSECRET"):
        result = cli("auth", "check", world["spec"], "--app", "Data_Migration", "--login-url", url)
        assert result.code == 2
        assert "(https://x.my.salesforce.com) has a query, fragment or user name" in result.err
        assert "S3cretPass" not in result.err and "QSECRET" not in result.err


def test_half_an_org_session_in_the_environment_is_a_usage_error(cli, world, monkeypatch):
    monkeypatch.delenv("SF_INSTANCE_URL")
    monkeypatch.setenv("KEY", "k-123456")
    result = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY")
    assert result.code == 2
    assert "SF_ACCESS_TOKEN and SF_INSTANCE_URL go together: SF_INSTANCE_URL is not set" in result.err


def test_a_name_given_twice_in_from_env_and_a_secret_that_is_not_text_are_usage_errors(cli, world, monkeypatch):
    monkeypatch.setenv("KEY", "k-123456")
    result = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY", "--from-env", "ApiKey=KEY")
    assert result.code == 2 and "ApiKey is given twice" in result.err
    monkeypatch.setenv("SFAUTHGEN_CLIENT_SECRET", "abc\udcffdefgh")
    result = _check(cli, world, "--flow", "client_credentials")
    assert result.code == 2 and "SFAUTHGEN_CLIENT_SECRET is not valid text (UTF-8)" in result.err


def test_ids_in_the_identity_url_are_quoted_only_when_they_are_salesforce_ids():
    from sfauthgen.org.oauth import identity

    assert identity("https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA") == (
        "00D000000000001EAA", "005000000000001AAA")
    secret = "7278833964061c770de0aa5f3c3a0ef6"
    assert identity(f"https://x/id/{secret}/005") == (None, None)


def test_a_host_that_looks_like_a_secret_is_masked(cli, world, monkeypatch):
    secret = "cd53a66d0b8609ff9b1dcf1ea9f5977353e051c82133103234d549748f0cb453"
    monkeypatch.setenv("SF_INSTANCE_URL", f"http://{secret}")
    monkeypatch.setenv("KEY", "k-123456")
    result = _set(cli, world, "Partner_Key", "Key_Holder", "--from-env", "ApiKey=KEY", "--json")
    assert result.code == 2
    assert "SF_INSTANCE_URL (http://****) is plain http" in result.out
    assert secret not in result.out + result.err


def test_a_browser_principal_has_no_secret_to_store_and_says_so_with_a_code(cli, tmp_path):
    from conftest import SPECS

    result = cli("secrets", "set", SPECS / "partner_oauth.yaml", "--credential", "Google_Drive_Auth",
                 "--principal", "Per User", "--json")
    assert result.code == 1
    answer = json.loads(result.out)
    assert answer["code"] == "SFO617" and "authenticates through the browser" in answer["message"]
