"""The two server-to-server token requests an app can be checked with, and what the answer means.

Client credentials: POST grant_type=client_credentials with client_id and client_secret in the form body.
JWT bearer: POST grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer with an RS256 assertion whose
iss is the consumer key, sub the username, aud the login URL and exp a few minutes ahead (Salesforce
accepts an exp at most 3 minutes in the future; see the README's reference section).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from sfauthgen.diagnostics import UsageProblem
from sfauthgen.org.http import Http, NetworkError, check_url
from sfauthgen.records import record

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME_SECONDS = 170  # under Salesforce's 3 minutes, so a slow clock still passes


@record
class Token:
    """A granted token: the access token itself is kept only to make the one API call, never shown."""

    access_token: str
    instance_url: str
    org_id: str | None
    user_id: str | None
    scopes: tuple[str, ...] | None  # None: the response did not say
    issued_at: str | None
    expires_in: int | None


@record
class Refusal:
    """The OAuth error Salesforce answered with."""

    status: int
    error: str
    description: str


def token_url(login_url: str) -> str:
    return f"{login_url}/services/oauth2/token"


def client_credentials(http: Http, login_url: str, client_id: str, client_secret: str) -> Token | Refusal:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
    return _token(http, login_url, form)


def assertion(client_id: str, username: str, audience: str, private_key_pem: bytes) -> str:
    """The signed JWT: itself a credential for its few minutes, so callers mask it too."""
    import jwt

    now = int(time.time())
    claims = {"iss": client_id, "sub": username, "aud": audience, "exp": now + ASSERTION_LIFETIME_SECONDS}
    return jwt.encode(claims, private_key_pem, algorithm="RS256")


def jwt_bearer(http: Http, login_url: str, signed: str) -> Token | Refusal:
    return _token(http, login_url, {"grant_type": JWT_GRANT, "assertion": signed})


def _token(http: Http, login_url: str, form: dict[str, str]) -> Token | Refusal:
    response = http.send("POST", token_url(login_url), "token request", data=form)
    body = response.json()
    if response.status != 200:
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            return Refusal(response.status, body["error"], str(body.get("error_description") or ""))
        raise NetworkError(f"token request: {urlsplit(login_url).netloc} answered HTTP {response.status} without an "
                           "OAuth error (is the login URL a Salesforce login or My Domain URL?)")
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str) \
            or not isinstance(body.get("instance_url"), str):
        raise NetworkError("token request: the answer has no access_token or instance_url")
    try:
        instance = check_url(body["instance_url"], "instance_url")
    except UsageProblem:
        raise NetworkError("token request: the answer's instance_url is not an https URL sfauthgen can call") from None
    org_id, user_id = identity(body.get("id"))
    scope = body.get("scope")
    return Token(
        access_token=body["access_token"], instance_url=instance, org_id=org_id, user_id=user_id,
        scopes=tuple(scope.split()) if isinstance(scope, str) else None,
        issued_at=body.get("issued_at") if isinstance(body.get("issued_at"), str) else None,
        expires_in=_seconds(body.get("expires_in")),
    )


def _seconds(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value < 10**9:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def identity(id_url: object) -> tuple[str | None, str | None]:
    """The org and user ids from the identity URL (…/id/<org id>/<user id>)."""
    if not isinstance(id_url, str):
        return None, None
    try:
        parts = urlsplit(id_url).path.rstrip("/").split("/")
    except ValueError:
        return None, None
    if len(parts) >= 3 and parts[-3] == "id":
        # Only what a Salesforce id can be (15 or 18 letters and digits; orgs 00D, users 005): a server that
        # answers with something else there (a secret echoed back) is not quoted.
        org, user = parts[-2], parts[-1]
        return (org if _SALESFORCE_ID.match(org) and org.startswith("00D") else None,
                user if _SALESFORCE_ID.match(user) and user.startswith("005") else None)
    return None, None


_SALESFORCE_ID = re.compile(r"[A-Za-z0-9]{15}([A-Za-z0-9]{3})?\Z")


def limits(http: Http, token: Token, api_version: str) -> dict[str, object]:
    """GET /services/data/v<api>/limits: the one API call that proves the token works."""
    url = f"{token.instance_url}/services/data/v{api_version}/limits"
    response = http.send("GET", url, "API call", headers={"Authorization": f"Bearer {token.access_token}"})
    body = response.json()
    if response.status != 200:
        detail = ""
        if isinstance(body, list) and body and isinstance(body[0], dict):
            detail = f": {body[0].get('errorCode', '')} {body[0].get('message', '')}".rstrip()
        raise NetworkError(f"the API call GET /services/data/v{api_version}/limits failed with HTTP "
                           f"{response.status}{detail}")
    if not isinstance(body, dict):
        raise NetworkError("the API call GET /limits answered with something that is not JSON")
    return body
