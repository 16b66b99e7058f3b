"""`sfauthgen auth check`: the checklist's test token acquisition and single test API call, before cutover.

Nothing secret is printed: the client secret, the private key and the access token are only sent to
Salesforce, and every message is masked against them in case an answer echoes one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sfauthgen import pipeline
from sfauthgen.commands import ui
from sfauthgen.diagnostics import Diagnostic, Severity, SpecError, UsageProblem, error
from sfauthgen.inputs import shown
from sfauthgen.kinds.app import AppEntry
from sfauthgen.kinds.base import SpecEntries
from sfauthgen.modelbuild import DEFAULT_API_VERSION
from sfauthgen.org import diagnose as org_codes
from sfauthgen.org.diagnose import Diagnosis, diagnose
from sfauthgen.org.http import Http, NetworkError, check_url
from sfauthgen.org.mask import Masker, server_text
from sfauthgen.org.oauth import Refusal, Token, assertion, client_credentials, jwt_bearer, limits
from sfauthgen.records import record
from sfauthgen.vocabulary import scope_enum

CLIENT_ID = "SFAUTHGEN_CLIENT_ID"
CLIENT_SECRET = "SFAUTHGEN_CLIENT_SECRET"
JWT_KEY_FILE = "SFAUTHGEN_JWT_KEY_FILE"
FLOWS = ("client_credentials", "jwt_bearer")
# Salesforce refuses the client credentials flow on these shared login hosts: it needs the My Domain.
SHARED_LOGIN_HOSTS = ("login.salesforce.com", "test.salesforce.com")
# Server-to-server flows never issue a refresh token, so a token without that scope is expected.
NOT_EXPECTED_IN_TOKEN = frozenset({"RefreshToken"})


@record
class Attempt:
    app: AppEntry
    flow: str
    login_url: str
    client_id: str
    username: str | None
    secrets: tuple[str, ...]  # values no output may contain


def auth_check(spec: Path, *, app: str, login_url: str, flow: str | None = None, username: str | None = None,
               as_json: bool = False, overrides: dict[str, str] | None = None, environment: str | None = None,
               http: Http | None = None) -> int:
    checked = pipeline.load_and_check([spec], overrides=overrides, environment=environment)
    entry = _find_app(checked.spec, app)
    attempt, key_pem, secret = _prepare(entry, flow, check_url(login_url, "--login-url"), username)
    api_version = checked.spec.api_version or DEFAULT_API_VERSION
    masker = Masker(*attempt.secrets)
    with http or Http() as client:
        try:
            if attempt.flow == "client_credentials":
                answer = client_credentials(client, attempt.login_url, attempt.client_id, secret or "")
            else:
                signed = assertion(attempt.client_id, attempt.username or "", attempt.login_url, key_pem or b"")
                masker.add(signed)
                answer = jwt_bearer(client, attempt.login_url, signed)
            if isinstance(answer, Refusal):
                answer = Refusal(answer.status, server_text(answer.error, masker),
                                 server_text(answer.description, masker))
                found = diagnose(answer, entry, attempt.flow, attempt.login_url, attempt.username)
                return _failed(attempt, [_as_diagnostic(found)], as_json, masker, refusal=answer)
            masker.add(answer.access_token)
            try:
                numbers = limits(client, answer, api_version)
            except NetworkError as exc:
                where = entry.source.locate("name")
                found = Diagnosis(org_codes.API_CALL, where,
                                  f"the token works but the API call failed: {server_text(exc, masker)}",
                                  "the user needs the API Enabled permission, and the app the 'api' scope")
                return _failed(attempt, [_as_diagnostic(found)], as_json, masker, token=answer)
        except NetworkError as exc:
            raise NetworkError(server_text(exc, masker)) from None
    return _report(attempt, answer, numbers, api_version, as_json, masker)


def _find_app(spec: SpecEntries, name: str) -> AppEntry:
    apps = {**spec.named("connected_app"), **spec.named("external_client_app")}
    found = apps.get(name)
    if not isinstance(found, AppEntry):
        known = ", ".join(sorted(apps)) or "none"
        raise UsageProblem(f"--app '{name}' is not a connected app or external client app of the spec "
                           f"(apps: {known})")
    return found


def _prepare(app: AppEntry, flow: str | None, login_url: str,
             username: str | None) -> tuple[Attempt, bytes | None, str | None]:
    oauth = app.oauth
    if oauth is None:
        raise UsageProblem(f"'{app.name}' has no oauth section: there is no token to request")
    enabled = [f for f, on in (("client_credentials", oauth.run_as is not None),
                               ("jwt_bearer", oauth.jwt_certificate is not None)) if on]
    chosen = flow or (enabled[0] if enabled else None)
    if chosen is None:
        raise UsageProblem(f"'{app.name}' enables neither client_credentials nor jwt_bearer: add one to its oauth "
                           "section to test it here")
    if chosen not in enabled:
        raise UsageProblem(f"'{app.name}' does not enable {chosen} (add oauth.{chosen} to the spec and deploy)")
    if chosen == "client_credentials" and username:
        raise UsageProblem("--username is for jwt_bearer: the client credentials flow runs as "
                           "oauth.client_credentials.run_as")
    from urllib.parse import urlsplit

    if chosen == "client_credentials" and urlsplit(login_url).hostname in SHARED_LOGIN_HOSTS:
        raise UsageProblem("the client credentials flow is not accepted on login.salesforce.com or "
                           "test.salesforce.com: give the org's My Domain URL as --login-url "
                           "(https://<my-domain>.my.salesforce.com)")
    client_id = _text_from_env(CLIENT_ID) or oauth.consumer_key
    if not client_id:
        raise UsageProblem(f"set {CLIENT_ID} to the app's consumer key (App Manager > View > Manage Consumer "
                           "Details)")
    if chosen == "client_credentials":
        secret = _text_from_env(CLIENT_SECRET)
        if not secret:
            raise UsageProblem(f"set {CLIENT_SECRET} to the app's consumer secret (never pass it as an argument)")
        return Attempt(app, chosen, login_url, client_id, oauth.run_as, (secret,)), None, secret
    user = username or oauth.run_as
    if not user:
        raise UsageProblem(f"give --username: the user the JWT is for ('{app.name}' has no client_credentials.run_as)")
    key = _read_key(app)
    return Attempt(app, chosen, login_url, client_id, user, (key.decode("ascii", "replace"),)), key, None


def _text_from_env(name: str) -> str | None:
    """An environment variable's value, which must be text: bytes that are not UTF-8 reach Python as lone
    surrogates, which no request can send."""
    value = os.environ.get(name)
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageProblem(f"{name} is not valid text (UTF-8)") from None
    return value


def _read_key(app: AppEntry) -> bytes:
    """The private key from SFAUTHGEN_JWT_KEY_FILE, proven to belong to the spec's certificate."""
    import base64

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    path = os.environ.get(JWT_KEY_FILE)
    if not path:
        raise UsageProblem(f"set {JWT_KEY_FILE} to the private key file of jwt_bearer.certificate "
                           "(made by `sfauthgen cert new`)")
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        # Non-blocking, so a FIFO cannot hang the run; then only a regular file is read.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise UsageProblem(f"{JWT_KEY_FILE}: '{shown(path)}' is not a regular file")
            pem = os.read(fd, 64 * 1024)
        finally:
            os.close(fd)
        key = serialization.load_pem_private_key(pem, password=None)
    except OSError as exc:
        raise UsageProblem(f"{JWT_KEY_FILE}: cannot read '{shown(path)}': {exc.strerror}") from None
    except (ValueError, TypeError):
        raise UsageProblem(f"{JWT_KEY_FILE}: '{shown(path)}' is not an unencrypted PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UsageProblem(f"{JWT_KEY_FILE}: the JWT bearer flow signs with RS256, which needs an RSA key "
                           f"(this is {type(key).__name__.removeprefix('_')}); make one with `sfauthgen cert new`")
    certificate = app.oauth.jwt_certificate if app.oauth else None
    if certificate is not None and certificate.body is not None:
        public = x509.load_der_x509_certificate(base64.b64decode(certificate.body)).public_key()
        raw = serialization.PublicFormat.SubjectPublicKeyInfo
        if public.public_bytes(serialization.Encoding.DER, raw) != key.public_key().public_bytes(
                serialization.Encoding.DER, raw):
            where = app.oauth.source.locate("jwt_bearer", "certificate")  # type: ignore[union-attr]
            raise SpecError([error(where, org_codes.BAD_ASSERTION,
                                   f"the key in {JWT_KEY_FILE} does not belong to '{certificate.written}'",
                                   "Salesforce would refuse every JWT it signs: use the key made with this "
                                   "certificate, or make a new pair with `sfauthgen cert new` and deploy it")])
    return pem


def _as_diagnostic(found: Diagnosis) -> Diagnostic:
    return error(found.location, found.code, found.message, found.hint)


def _failed(attempt: Attempt, found: list[Diagnostic], as_json: bool, masker: Masker, *,
            refusal: Refusal | None = None, token: Token | None = None) -> int:
    found = [Diagnostic(d.location, masker(d.message), d.hint, d.severity, d.code) for d in found]
    if as_json:
        result: dict[str, object] = {**_basics(attempt), "ok": False, "findings": [_finding(d) for d in found]}
        if refusal is not None:
            result["oauth_error"] = {"error": refusal.error, "error_description": refusal.description}
        if token is not None:
            result["instance_url"] = server_text(token.instance_url, masker)
        ui.json_out(1, result, message=found[0].message)
    else:
        ui.diagnostics(found)
        ui.err(f"auth check: '{attempt.app.name}' ({attempt.flow}) against {attempt.login_url}: failed")
    return 1


def _basics(attempt: Attempt) -> dict[str, object]:
    return {"app": attempt.app.name, "flow": attempt.flow, "login_url": attempt.login_url,
            "username": attempt.username}


def _finding(d: Diagnostic) -> dict[str, object]:
    loc = d.location
    return {"code": d.code, "severity": d.severity.value, "file": loc.path, "line": loc.line, "column": loc.column,
            "message": d.message, "hint": d.hint}


def _report(attempt: Attempt, token: Token, numbers: dict[str, object], api_version: str, as_json: bool,
            masker: Masker) -> int:
    app = attempt.app
    wanted = [s for s in (app.oauth.scopes if app.oauth else ())]
    findings: list[Diagnostic] = []
    granted = token.scopes
    if granted is None:
        findings.append(Diagnostic(app.source.locate("name"), "the token response lists no scopes: not compared",
                                   None, Severity.NOTE, org_codes.SCOPE_MISSING))
    else:
        have = {scope_enum(s) or s for s in granted}
        for index, scope in enumerate(wanted):
            enum = scope_enum(scope) or scope
            if enum not in have and enum not in NOT_EXPECTED_IN_TOKEN:
                findings.append(error(app.oauth.source.locate("scopes", index),  # type: ignore[union-attr]
                                      org_codes.SCOPE_MISSING, f"the token lacks the scope '{scope}' the spec asks for",
                                      "deploy the spec (the org's app has other scopes), or for jwt_bearer have the "
                                      "user approve the app again"))
    requests = numbers.get("DailyApiRequests")
    remaining = maximum = None
    if isinstance(requests, dict):
        remaining, maximum = _count(requests.get("Remaining")), _count(requests.get("Max"))
    granted = tuple(server_text(s, masker) for s in granted) if granted is not None else None
    instance = server_text(token.instance_url, masker)
    lifetime = _lifetime(app, token)
    failed = any(d.severity is Severity.ERROR for d in findings)
    if as_json:
        result = {**_basics(attempt), "ok": not failed, "instance_url": instance, "org_id": token.org_id,
                  "user_id": token.user_id, "scopes_granted": list(granted) if granted is not None else None,
                  "scopes_in_spec": wanted, "api_version": api_version,
                  "daily_api_requests": {"remaining": remaining, "max": maximum}, "token_lifetime": lifetime,
                  "findings": [_finding(d) for d in findings]}
        ui.json_out(1 if failed else 0, result, [d.message for d in findings if d.severity is not Severity.ERROR])
        return 1 if failed else 0
    ui.diagnostics(findings)
    state = "failed" if failed else "ok"
    ui.out(f"auth check: '{app.name}' ({attempt.flow}) against {attempt.login_url}: {state}")
    ui.out(f"  token:        granted{' for ' + attempt.username if attempt.username else ''}")
    ui.out(f"  instance:     {instance}")
    ui.out(f"  org id:       {token.org_id or 'not in the response'}")
    ui.out(f"  user id:      {token.user_id or 'not in the response'}")
    shown_granted = " ".join(granted) if granted is not None else "not in the response"
    ui.out(f"  scopes:       {shown_granted} (spec: {' '.join(wanted) or 'none'})")
    if remaining is not None and maximum is not None:
        ui.out(f"  API requests: {remaining} of {maximum} left today (GET /services/data/v{api_version}/limits)")
    ui.out(f"  token life:   {lifetime}")
    return 1 if failed else 0


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _lifetime(app: AppEntry, token: Token) -> str:
    if token.expires_in is not None:
        return f"{token.expires_in} seconds (expires_in)"
    if app.policies.session_timeout_minutes:
        return f"{app.policies.session_timeout_minutes} minutes of inactivity (the app's session_timeout_minutes)"
    return "the org's session timeout (Setup > Session Settings); the response does not say"

