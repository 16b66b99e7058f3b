"""A strict fake Salesforce for tests of ``sfauthgen auth check`` and ``sfauthgen secrets set``.

``with FakeSalesforce() as sf:`` runs a ``http.server.ThreadingHTTPServer`` on 127.0.0.1 (port 0, daemon
thread).  ``sf.url`` is both the login URL and the instance URL.  Only the standard library, PyJWT and
cryptography are used.  The fake is meant to be *at least as strict* as a real org: a client that passes
against it should pass against Salesforce.  Where the real behaviour could not be confirmed the fake picks
the stricter or the more plausible answer and says so below ("unconfirmed").

Sources (all looked up with the research tool; "third-party" = not Salesforce documentation)
-------------------------------------------------------------------------------------------
[CC]   OAuth 2.0 Client Credentials Flow for Server-to-Server Integration
       https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_client_credentials_flow_ca.htm&type=5
[CCS]  Sample client-credentials token response (includes "scope", no "expires_in")
       https://help.salesforce.com/apex/HTViewHelpDoc?id=service.conversation_transcript_api_sample1.htm
[PM]   Salesforce Platform APIs Postman collection, request "Client Credentials Flow - basic authorization
       header" (client_id:client_secret in an HTTP Basic header)  https://github.com/forcedotcom/postman-salesforce-apis
[JWT]  OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration (iss/aud/sub/exp, RS256, exp "within 3 minutes")
       https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm&type=5
[ERR]  OAuth 2.0 Authorization Errors (JWT errors: HTTP 400, JSON {"error","error_description"},
       Cache-Control: no-store; table entry "invalid_grant - IP restricted or invalid login hours")
       https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm&type=5
[AUD]  "audience is invalid" (third-party)
       https://www.useparagon.com/integration-error-solutions/salesforce-invalid-grant-audience-is-invalid
[EXP]  "expired authorization code" for an expired JWT (third-party)
       https://salesforce.stackexchange.com/questions/282513/specifying-an-expiration-date-time-when-creating-a-jwt
[ASN]  "invalid assertion" for a JWT signed with a key that doesn't match the certificate (third-party)
       https://github.com/frankkessler/salesforce-laravel-oauth2-rest/issues/68
[ISS]  wrong iss -> {"error":"invalid_client_id","error_description":"client identifier invalid"} (third-party)
       https://github.com/arthurimirzian/salesforce-jwt-bearer-token-flow/issues/4
[APR]  "user hasn't approved this consumer" (Salesforce Help knowledge article; third-party issue)
       https://help.salesforce.com/s/articleView?id=001121341&language=en_US&type=1
       https://github.com/omniphx/forrest/issues/278
[INA]  "invalid_grant: inactive user" (third-party)  https://github.com/restforce/restforce/issues/303
[UGT]  {"error":"unsupported_grant_type","error_description":"grant type not supported"} (third-party)
       https://github.com/aaronhuggins/sf-jwt-token/issues/1
[NCC]  {"error":"invalid_grant","error_description":"no client credentials user enabled"} (third-party)
       https://striim.com/docs/platform/en/salesforce-troubleshooting.html
[NOEXP] the JWT bearer response has no "expires_in" (third-party)  https://github.com/amp-labs/connectors/pull/2859
[JWTS] the JWT bearer response carries "scope" (third-party)
       https://www.npmjs.com/package/salesforce-jwt-bearer-token-flow
[REST] REST API status codes  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
[SESS] [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}],
       [{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}],
       [{"message":"INVALID_HEADER_TYPE","errorCode":"INVALID_AUTH_HEADER"}] (Salesforce/Heroku code comments)
       https://github.com/heroku/sf-functions-python
[RSID] "This session is not valid for use with the REST API" (third-party)
       https://nango.dev/blog/fix-salesforce-invalid-session-id-error
[LIM]  Limits resource (GET /vXX.X/limits, API 29.0+)
       https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
[LHDR] Sforce-Limit-Info: api-usage=N/M
       https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
[CRED] Connect REST API "Credential" resource /named-credentials/credential (56.0+; GET, POST, PUT, PATCH 59.0+
       custom only, DELETE -> 204; GET/DELETE query externalCredential, principalName (required if
       NamedPrincipal), principalType in AwsStsPrincipal|NamedPrincipal|PerUserPrincipal; DELETE
       authenticationParameters 59.0+ custom only)
       https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/connect_resources_named_credential.htm
[CIN]  Credential Input (authenticationProtocol AwsSv4|Basic|Custom|Jwt|OAuth; authenticationProtocolVariant "must
       match the actual protocol variant"; allowlists: AwsSv4 awsAccessKeyId (not encrypted), awsSecretAccessKey
       (encrypted), awsRoleArn (not encrypted); Custom any name, user sets encryption)
       https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/connect_requests_credential_input.htm
       https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apex/apex_connectapi_input_credential.htm
[COUT] Credential output (authenticationProtocol, authenticationProtocolVariant, authenticationStatus, credentials
       Map<String, Credential Value{encrypted, revision, value}>, externalCredential, principalName, principalType)
       https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/connect_responses_credential.htm
       https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-credential-value.html
[CERR] Connect REST API status codes (201 POST, 204 DELETE, 401, 403, 404, 409 conflict)
       https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/connect_error_responses.htm
[3P]   Third-party setup scripts in public GitHub repositories found by code search (no stable URL): POST on a
       configured principal -> errorCode CONFLICT 'Authentication credentials for the principal "<p>" already
       exist. Use the PUT method to overwrite them.'; "Oauth" instead of "OAuth" -> INVALID_API_INPUT; OAuth client
       credentials are clientId (encrypted false) + clientSecret (encrypted true) and clientId with encrypted
       true is rejected; a Custom principal reports authenticationStatus "Unknown", OAuth "Configured"; GET
       "returns the names but never the values" of encrypted credentials; JWT invalid_app_access /
       "user is not admin approved to access this app" for admin-approved apps.

Token endpoint  POST /services/oauth2/token  (all errors: HTTP 400, application/json, Cache-Control: no-store [ERR])
------------------------------------------------------------------------------------------------------------------
* Method other than POST: 400 invalid_request / "must use HTTP POST".  Unconfirmed (mirrors the documented
  authorize-endpoint "invalid_request - Must use HTTP GET" [ERR]).
* The body must be application/x-www-form-urlencoded.  Any other Content-Type is not parsed, so grant_type is
  missing -> unsupported_grant_type / "grant type not supported" [UGT] (inferred).  Salesforce also reads
  parameters from the query string; the fake deliberately does not (stricter: send them in the body).
* Missing or unknown grant_type -> unsupported_grant_type / "grant type not supported" [UGT].
* client_credentials [CC]: client_id + client_secret in the body, or HTTP Basic ``base64(id:secret)`` [PM].
  Both at once -> invalid_request / "multiple client credentials" (unconfirmed; RFC 6749 2.3 forbids it).
  - missing/unknown client_id, or app not yet propagated -> invalid_client_id / "client identifier invalid" [ISS]
  - missing/wrong secret (or app has no secret) -> invalid_client / "invalid client credentials" (third-party [3P])
  - flow not enabled, no run-as user, or run-as user unknown -> invalid_grant /
    "no client credentials user enabled" [NCC] (one message for all three: unconfirmed for "not enabled")
  - run-as user inactive -> invalid_grant / "inactive user" [INA] (seen for other flows; unconfirmed here)
  - app with no scopes -> invalid_grant / "no valid scopes defined" (third-party [3P], Winter '26; unconfirmed)
  - IP restricted -> invalid_grant / "ip restricted or invalid login hours" [ERR] (casing unconfirmed: the Help
    table capitalises "IP"; Salesforce Mobile SDK code matches the lower-case string. Compare case-insensitively.)
  - "Permitted users" is not checked for this flow (sources disagree; unconfirmed).
* urn:ietf:params:oauth:grant-type:jwt-bearer with ``assertion`` [JWT].  Checks, in this order:
  - malformed/missing assertion -> invalid_grant / "invalid assertion" [ASN]
  - iss unknown or not propagated -> invalid_client_id / "client identifier invalid" [ISS]
  - app without a certificate (digital signatures off) -> invalid_grant / "invalid assertion" (unconfirmed)
  - alg other than RS256, or signature not made by the certificate's key -> invalid_grant / "invalid assertion" [ASN]
  - aud not exactly ``sf.url`` -> invalid_grant / "audience is invalid" [AUD]
  - exp missing/not a number -> invalid_grant / "invalid assertion" (unconfirmed);
    exp <= now -> invalid_grant / "expired authorization code" [EXP];
    exp > now + 180 s + 30 s skew -> invalid_grant / "invalid assertion" (docs: "within 3 minutes" [JWT]; the
    real server's enforcement and message are unconfirmed - many clients use 5 minutes; the fake is stricter)
  - sub unknown -> invalid_grant / "user hasn't approved this consumer" (unconfirmed; Salesforce does not
    disclose whether a username exists, and wrong-org logins report this message [APR])
  - sub inactive -> invalid_grant / "inactive user" [INA];  IP restricted -> as above
  - admin-approved app and sub not pre-authorized -> invalid_app_access / "user is not admin approved to access
    this app" [3P]; self-authorize app and sub never approved, or the app lacks the refresh_token/offline_access
    scope (prior approval only counts with it [JWT]) -> invalid_grant / "user hasn't approved this consumer" [APR]
* Success (200): {"access_token","signature","scope","instance_url","id","token_type":"Bearer","issued_at"} in
  that order [CCS].  ``scope`` = space-separated FakeApp.scopes [CCS][JWTS]; no ``expires_in`` and no
  ``refresh_token`` [NOEXP].  ``id`` = ``<url>/id/<orgId>/<userId>``; ``issued_at`` = epoch milliseconds as a
  string; ``signature`` = base64 HMAC-SHA256(key=consumer secret, msg=id + issued_at) (a random key when the app
  has no secret).  ``access_token`` = ``<15-char org id>!<random>``, new for every request.  Newer orgs may add
  ``api_instance_url`` [PM]; the fake does not (clients must not rely on it).

REST API  /services/data/vNN.0/...
----------------------------------
* Versions 20.0..67.0 exist (``GET /services/data/`` lists them, no auth).  An unknown version, a resource older
  than its version (limits < 29.0 [LIM], credential < 56.0 [CRED]) or an unknown path -> 404
  [{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}] [SESS].  The version is checked
  before the session (unconfirmed ordering).
* ``Authorization: Bearer <token>`` (or ``OAuth <token>``).  Missing header or unknown token -> 401
  [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}] [SESS]; another scheme -> 401
  [{"message":"INVALID_HEADER_TYPE","errorCode":"INVALID_AUTH_HEADER"}] [SESS]; a token whose scopes include
  neither "api" nor "full" -> 401 [{"message":"This session is not valid for use with the REST API",
  "errorCode":"INVALID_SESSION_ID"}] [RSID].  Tokens from the token endpoint, admin_token and limited_token are valid.
* GET/HEAD /limits -> 200 {"DailyApiRequests": {"Max","Remaining"}, ...} [LIM]; every authorised REST call counts
  one API request and carries ``Sforce-Limit-Info: api-usage=<used>/<max>`` [LHDR].  Other methods -> 405
  [{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'POST' not allowed. Allowed are GET,HEAD"}]
  (message from memory; unconfirmed).  limited_token may read limits (it models an API user without
  access to credentials).

Connect REST API  /services/data/vNN.0/named-credentials/credential  [CRED][CIN][COUT][CERR]
------------------------------------------------------------------------------------------
Errors are Connect's list body ``[{"errorCode": ..., "message": ...}]``; the error codes below are from the
sources, the message texts are the fake's own unless a source is given.
* limited_token -> 403 [{"errorCode":"INSUFFICIENT_ACCESS","message":"You do not have the level of access
  necessary to perform the operation you requested. ..."}] (status per [CERR]; errorCode/message unconfirmed).
* GET/DELETE query: externalCredential (required), principalType (required; AwsStsPrincipal | NamedPrincipal |
  PerUserPrincipal), principalName (required if NamedPrincipal; otherwise the single principal of that type).
* POST (create, 201) / PUT (replace, 200) / PATCH (59.0+, Custom only, merge, 200) take Credential Input JSON:
  {"externalCredential","principalName","principalType","authenticationProtocol",
   "authenticationProtocolVariant"?, "credentials": {name: {"value": str, "encrypted": bool, "revision"?: int}}}.
  Content-Type must be application/json (else 415 UNSUPPORTED_MEDIA_TYPE, unconfirmed); malformed JSON or an
  unknown field -> 400 JSON_PARSER_ERROR (unconfirmed); ``?action=Refresh`` is not modelled (400).
* Unknown external credential -> 404 NOT_FOUND.  Principal not on the credential, wrong principalType, bad
  enum value, protocol different from the credential's, a protocol spelt wrong ("Oauth") [3P], a variant
  different from the credential's [CIN] -> 400 INVALID_API_INPUT.
* Credential names and encryption (400 INVALID_API_INPUT when violated):
  AwsSv4: awsAccessKeyId (plain), awsSecretAccessKey (encrypted), awsRoleArn (plain, optional) [CIN];
  OAuth: clientId (plain), clientSecret (encrypted) [3P];  Basic: username (plain), password (encrypted)
  (unconfirmed: not in the allowlist docs);  Custom: any names, encryption as sent [CIN];  Jwt: treated like
  Custom (unconfirmed).  A secret sent with encrypted false, or a plain field sent with encrypted true, is
  rejected; for AwsSv4/OAuth/Basic the non-optional names are required on POST/PUT.
* POST when credentials exist -> 409 CONFLICT 'Authentication credentials for the principal "<p>" already
  exist. Use the PUT method to overwrite them.' [3P].  PUT/PATCH/DELETE when none exist -> 404 NOT_FOUND
  (unconfirmed).  Robust clients POST and fall back to PUT on CONFLICT.
* Output (POST/PUT/PATCH/GET): {"authenticationProtocol","authenticationProtocolVariant" (null when none),
  "authenticationStatus","credentials","externalCredential","principalName","principalType"} [COUT].
  Encrypted values are never echoed: ``{"encrypted": true, "value": null}`` (sources say the names come back
  but not the values [3P]; null-vs-absent unconfirmed).  Plain values are echoed.  authenticationStatus is
  "Configured" once set ("Unknown" for Custom and Jwt [3P]).
* GET of a principal that was never set -> 200 with authenticationStatus "NotConfigured" and "credentials": {}
  (unconfirmed: a third-party script also handles a 404 NOT_FOUND here, and another suggests the real API may
  list the protocol's credential names without values).  ``stored()`` returns None for it.
* PerUserPrincipal credentials are stored per principal, not per user (simplification).

fail_next(count, status=503): the next ``count`` requests, whatever the path, get ``status`` with an HTML body
(token endpoint and non-REST paths) or a JSON list body (REST paths).  Every request, failed or not, is
appended to ``requests``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_public_key

__all__ = ["FakeApp", "FakeSalesforce", "Recorded", "salesforce_id"]

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JWT_MAX_LIFETIME = 180  # seconds: "within 3 minutes" [JWT]
CLOCK_SKEW = 30  # seconds allowed beyond JWT_MAX_LIFETIME
MIN_API_VERSION = 20
MAX_API_VERSION = 67
LIMITS_SINCE = 29
CREDENTIAL_SINCE = 56
PATCH_SINCE = 59

PROTOCOLS = ("AwsSv4", "Basic", "Custom", "Jwt", "OAuth")
VARIANTS = (
    "AwsSv4_STS",
    "ClientCredentialsClientSecret",
    "ClientCredentialsClientSecretBasic",
    "ClientCredentialsJwtAssertion",
    "JwtBearer",
    "NoAuthentication",
    "RolesAnywhere",
)
PRINCIPAL_TYPES = ("AwsStsPrincipal", "NamedPrincipal", "PerUserPrincipal")
# name -> must be encrypted; protocols missing here accept any name with any encryption.
ALLOWLISTS: dict[str, dict[str, bool]] = {
    "AwsSv4": {"awsAccessKeyId": False, "awsSecretAccessKey": True, "awsRoleArn": False},
    "OAuth": {"clientId": False, "clientSecret": True},
    "Basic": {"username": False, "password": True},
}
REQUIRED_NAMES: dict[str, set[str]] = {
    "AwsSv4": {"awsAccessKeyId", "awsSecretAccessKey"},
    "OAuth": {"clientId", "clientSecret"},
    "Basic": {"username", "password"},
}
INPUT_FIELDS = {
    "externalCredential",
    "principalName",
    "principalType",
    "authenticationProtocol",
    "authenticationProtocolVariant",
    "credentials",
}
VALUE_FIELDS = {"value", "encrypted", "revision"}

NOT_FOUND = [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
INVALID_HEADER = [{"message": "INVALID_HEADER_TYPE", "errorCode": "INVALID_AUTH_HEADER"}]
NOT_FOR_REST = [{"message": "This session is not valid for use with the REST API", "errorCode": "INVALID_SESSION_ID"}]
INSUFFICIENT_ACCESS = [
    {
        "errorCode": "INSUFFICIENT_ACCESS",
        "message": "You do not have the level of access necessary to perform the operation you requested. "
        "Please contact the owner of the record or your administrator if access is necessary.",
    }
]

_ALNUM = string.ascii_letters + string.digits
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_id(prefix: str) -> str:
    """A random 18-character Salesforce id with the given 3-character key prefix and a correct checksum."""
    short = prefix + "0" * 2 + "".join(secrets.choice(_ALNUM) for _ in range(10))
    return short + _checksum(short)


def _checksum(short: str) -> str:
    out = ""
    for chunk in range(3):
        bits = sum(1 << i for i, ch in enumerate(short[chunk * 5 : chunk * 5 + 5]) if ch.isupper())
        out += _SUFFIX[bits]
    return out


@dataclass
class FakeApp:
    consumer_key: str
    consumer_secret: str | None = None  # client credentials needs it
    certificate_pem: str | None = None  # JWT bearer: the app's uploaded certificate (PEM); None = signatures off
    run_as: str | None = None  # client credentials run-as username; None = flow not enabled for a user
    client_credentials_enabled: bool = True  # the app's "Enable Client Credentials Flow"
    admin_approved: bool = True  # permitted users: admin approved users are pre-authorized
    preauthorized: set[str] = field(default_factory=set)  # usernames given access by permission set/profile
    self_approved: set[str] = field(default_factory=set)  # usernames who approved an all-users app (refresh_token)
    scopes: tuple[str, ...] = ("api",)  # scope token names granted (returned in the token response's "scope")
    propagated: bool = True  # False: a just-deployed app not yet known to the login server
    allowed_ips_only: bool = False  # True: IP restrictions enforced and 127.0.0.1 not in range -> the IP error


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]  # first value of each parameter
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass
class _User:
    user_id: str
    username: str
    active: bool
    can_manage_credentials: bool


@dataclass
class _Session:
    user_id: str
    scopes: tuple[str, ...]
    consumer_key: str | None


@dataclass
class _ExternalCredential:
    name: str
    protocol: str
    variant: str | None
    principals: dict[str, str]  # name -> principal type


class _HttpError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _oauth_error(error: str, description: str) -> _HttpError:
    return _HttpError(400, {"error": error, "error_description": description}, {"Cache-Control": "no-store"})


def _api_error(status: int, code: str, message: str) -> _HttpError:
    return _HttpError(status, [{"errorCode": code, "message": message}])


def _invalid_input(message: str) -> _HttpError:
    return _api_error(400, "INVALID_API_INPUT", message)


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> _Response:
    return _Response(status, json.dumps(body).encode(), "application/json;charset=UTF-8", dict(headers or {}))


class FakeSalesforce:
    """A fake org: login server, REST API (limits) and the Connect credential resource. See the module doc."""

    def __init__(self, *, daily_api_max: int = 15000) -> None:
        self.org_id = salesforce_id("00D")
        self.url = ""  # set when the server starts
        self.requests: list[Recorded] = []
        self.daily_api_max = daily_api_max
        self.api_used = 0
        self._lock = threading.RLock()
        self._apps: dict[str, FakeApp] = {}
        self._users: dict[str, _User] = {}  # lower-case username -> user
        self._sessions: dict[str, _Session] = {}
        self._external: dict[str, _ExternalCredential] = {}
        self._stored: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._fail_count = 0
        self._fail_status = 503
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.admin_username = "admin@fakesf.example"
        self.limited_username = "limited@fakesf.example"
        admin = self.add_user(self.admin_username)
        limited = self.add_user(self.limited_username, can_manage_credentials=False)
        self.admin_token = self._new_session(admin, ("api", "full"), None)
        self.limited_token = self._new_session(limited, ("api",), None)

    # ----------------------------------------------------------------- lifecycle
    def __enter__(self) -> FakeSalesforce:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self._server is not None:
            return
        fake = self

        class Handler(_Handler):
            owner = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fakesf", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    # ----------------------------------------------------------------- setup API
    def add_app(self, app: FakeApp) -> None:
        """Register a connected app / external client app.  The object is kept, so later edits (for example
        ``app.propagated = True``) take effect on the next request."""
        with self._lock:
            self._apps[app.consumer_key] = app

    def add_user(self, username: str, *, active: bool = True, can_manage_credentials: bool = True) -> str:
        """Create a user and return its 18-character id (005...).  ``can_manage_credentials=False`` makes
        tokens issued for the user get 403 on the credential resource, like ``limited_token``."""
        with self._lock:
            key = username.lower()
            if key in self._users:
                raise ValueError(f"user {username!r} already exists")
            user = _User(salesforce_id("005"), username, active, can_manage_credentials)
            self._users[key] = user
            return user.user_id

    def set_user_active(self, username: str, active: bool) -> None:
        with self._lock:
            self._users[username.lower()].active = active

    def user_id(self, username: str) -> str:
        return self._users[username.lower()].user_id

    def add_external_credential(
        self, name: str, protocol: str, principals: dict[str, str], variant: str | None = None
    ) -> None:
        """protocol: AwsSv4 | Basic | Custom | Jwt | OAuth (the Connect API's exact casing);
        principals: principal name -> AwsStsPrincipal | NamedPrincipal | PerUserPrincipal."""
        if protocol not in PROTOCOLS:
            raise ValueError(f"unknown authenticationProtocol {protocol!r}; expected one of {PROTOCOLS}")
        if variant is not None and variant not in VARIANTS:
            raise ValueError(f"unknown authenticationProtocolVariant {variant!r}; expected one of {VARIANTS}")
        for principal, kind in principals.items():
            if kind not in PRINCIPAL_TYPES:
                raise ValueError(f"principal {principal!r}: unknown type {kind!r}; expected one of {PRINCIPAL_TYPES}")
        with self._lock:
            self._external[name] = _ExternalCredential(name, protocol, variant, dict(principals))

    def stored(self, external_credential: str, principal: str) -> dict[str, dict[str, Any]] | None:
        """Credential name -> {"value": ..., "encrypted": bool} as last written, or None when never set."""
        with self._lock:
            values = self._stored.get((external_credential, principal))
            return None if values is None else {k: dict(v) for k, v in values.items()}

    def fail_next(self, count: int, status: int = 503) -> None:
        """The next ``count`` requests (any path) get ``status`` with an HTML or JSON error body."""
        with self._lock:
            self._fail_count = count
            self._fail_status = status

    def revoke(self, token: str) -> None:
        """Invalidate one access token (as if the session expired or was revoked)."""
        with self._lock:
            self._sessions.pop(token, None)

    @property
    def issued_tokens(self) -> list[str]:
        """Access tokens issued by the token endpoint (not admin_token/limited_token), oldest first."""
        with self._lock:
            return [t for t, s in self._sessions.items() if s.consumer_key is not None]

    # ----------------------------------------------------------------- plumbing
    def _new_session(self, user_id: str, scopes: tuple[str, ...], consumer_key: str | None) -> str:
        token = f"{self.org_id[:15]}!AQ{secrets.token_urlsafe(72)}"
        with self._lock:
            self._sessions[token] = _Session(user_id, tuple(scopes), consumer_key)
        return token

    def _user_by_id(self, user_id: str) -> _User:
        return next(u for u in self._users.values() if u.user_id == user_id)

    def _record(self, req: Recorded) -> None:
        with self._lock:
            self.requests.append(req)

    def _take_failure(self) -> int | None:
        with self._lock:
            if self._fail_count <= 0:
                return None
            self._fail_count -= 1
            return self._fail_status

    def _dispatch(self, req: Recorded) -> _Response:
        self._record(req)
        failing = self._take_failure()
        if failing is not None:
            return self._failure(failing, req.path)
        try:
            if req.path == "/services/oauth2/token":
                return self._token(req)
            if req.path == "/services/data" or req.path.startswith("/services/data/"):
                return self._rest(req)
            return _Response(404, b"<html><body><h1>Not Found</h1></body></html>", "text/html;charset=UTF-8")
        except _HttpError as err:
            return _json_response(err.status, err.body, err.headers)

    @staticmethod
    def _failure(status: int, path: str) -> _Response:
        if path.startswith("/services/data"):
            code = "SERVER_UNAVAILABLE" if status == 503 else "UNKNOWN_EXCEPTION"
            return _json_response(status, [{"errorCode": code, "message": f"Fake failure ({status})"}])
        html = (
            f"<html><head><title>{status}</title></head><body><h1>Service Unavailable</h1>"
            f"<p>The server is temporarily unable to service your request ({status}).</p></body></html>"
        )
        return _Response(status, html.encode(), "text/html;charset=UTF-8")

    # ----------------------------------------------------------------- token endpoint
    def _token(self, req: Recorded) -> _Response:
        if req.method != "POST":
            raise _oauth_error("invalid_request", "must use HTTP POST")
        content_type = req.headers.get("content-type", "").split(";")[0].strip().lower()
        params: dict[str, str] = {}
        if content_type == "application/x-www-form-urlencoded":
            for key, value in parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True):
                params.setdefault(key, value)
        grant = params.get("grant_type")
        if grant == "client_credentials":
            return self._client_credentials(req, params)
        if grant == JWT_GRANT:
            return self._jwt_bearer(params)
        raise _oauth_error("unsupported_grant_type", "grant type not supported")

    def _app(self, consumer_key: str | None) -> FakeApp:
        app = self._apps.get(consumer_key or "")
        if app is None or not app.propagated:
            raise _oauth_error("invalid_client_id", "client identifier invalid")
        return app

    def _client_credentials(self, req: Recorded, params: dict[str, str]) -> _Response:
        auth = req.headers.get("authorization")
        client_id = params.get("client_id")
        client_secret = params.get("client_secret")
        if auth is not None:
            scheme, _, value = auth.partition(" ")
            if scheme.lower() != "basic":
                raise _oauth_error("invalid_client_id", "client identifier invalid")
            if client_id is not None or client_secret is not None:
                raise _oauth_error("invalid_request", "multiple client credentials")
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise _oauth_error("invalid_client_id", "client identifier invalid") from None
            client_id, sep, client_secret = decoded.partition(":")
            if not sep:
                client_secret = None
        app = self._app(client_id)
        if not app.consumer_secret or not client_secret or not hmac.compare_digest(app.consumer_secret, client_secret):
            raise _oauth_error("invalid_client", "invalid client credentials")
        user = self._users.get((app.run_as or "").lower())
        if not app.client_credentials_enabled or user is None:
            raise _oauth_error("invalid_grant", "no client credentials user enabled")
        if not user.active:
            raise _oauth_error("invalid_grant", "inactive user")
        if app.allowed_ips_only:
            raise _oauth_error("invalid_grant", "ip restricted or invalid login hours")
        if not app.scopes:
            raise _oauth_error("invalid_grant", "no valid scopes defined")
        return self._grant(app, user)

    def _jwt_bearer(self, params: dict[str, str]) -> _Response:
        assertion = params.get("assertion", "")
        try:
            header = jwt.get_unverified_header(assertion)
            claims = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise _oauth_error("invalid_grant", "invalid assertion") from None
        if not isinstance(claims, dict):
            raise _oauth_error("invalid_grant", "invalid assertion")
        iss = claims.get("iss")
        app = self._app(iss if isinstance(iss, str) else None)
        if app.certificate_pem is None or header.get("alg") != "RS256":
            raise _oauth_error("invalid_grant", "invalid assertion")
        try:
            jwt.decode(
                assertion,
                key=_public_key(app.certificate_pem),
                algorithms=["RS256"],
                options={
                    "verify_exp": False,
                    "verify_aud": False,
                    "verify_iss": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except (jwt.PyJWTError, ValueError, TypeError):
            raise _oauth_error("invalid_grant", "invalid assertion") from None
        if claims.get("aud") != self.url:
            raise _oauth_error("invalid_grant", "audience is invalid")
        exp = claims.get("exp")
        if isinstance(exp, bool) or not isinstance(exp, (int, float)):
            raise _oauth_error("invalid_grant", "invalid assertion")
        now = time.time()
        if exp <= now:
            raise _oauth_error("invalid_grant", "expired authorization code")
        if exp > now + JWT_MAX_LIFETIME + CLOCK_SKEW:
            raise _oauth_error("invalid_grant", "invalid assertion")
        sub = claims.get("sub")
        user = self._users.get(sub.lower()) if isinstance(sub, str) else None
        if user is None:
            raise _oauth_error("invalid_grant", "user hasn't approved this consumer")
        if not user.active:
            raise _oauth_error("invalid_grant", "inactive user")
        if app.allowed_ips_only:
            raise _oauth_error("invalid_grant", "ip restricted or invalid login hours")
        lowered = user.username.lower()
        if app.admin_approved:
            if lowered not in {u.lower() for u in app.preauthorized}:
                raise _oauth_error("invalid_app_access", "user is not admin approved to access this app")
        elif lowered not in {u.lower() for u in app.self_approved} or not (
            {"refresh_token", "offline_access"} & set(app.scopes)
        ):
            raise _oauth_error("invalid_grant", "user hasn't approved this consumer")
        return self._grant(app, user)

    def _grant(self, app: FakeApp, user: _User) -> _Response:
        token = self._new_session(user.user_id, app.scopes, app.consumer_key)
        issued_at = str(int(time.time() * 1000))
        identity = f"{self.url}/id/{self.org_id}/{user.user_id}"
        key = (app.consumer_secret or secrets.token_hex(16)).encode()
        signature = base64.b64encode(hmac.new(key, (identity + issued_at).encode(), hashlib.sha256).digest())
        body = {
            "access_token": token,
            "signature": signature.decode(),
            "scope": " ".join(app.scopes),
            "instance_url": self.url,
            "id": identity,
            "token_type": "Bearer",
            "issued_at": issued_at,
        }
        return _json_response(200, body, {"Cache-Control": "no-cache,must-revalidate,max-age=0,no-store,private"})

    # ----------------------------------------------------------------- REST API
    def _rest(self, req: Recorded) -> _Response:
        if req.path in ("/services/data", "/services/data/"):
            versions = [
                {"label": f"v{v}.0", "url": f"/services/data/v{v}.0", "version": f"{v}.0"}
                for v in range(MIN_API_VERSION, MAX_API_VERSION + 1)
            ]
            return _json_response(200, versions)
        match = re.fullmatch(r"/services/data/v(\d+)\.0(/.*)?", req.path)
        if match is None or not MIN_API_VERSION <= int(match.group(1)) <= MAX_API_VERSION:
            raise _HttpError(404, NOT_FOUND)
        version = int(match.group(1))
        resource = (match.group(2) or "/").rstrip("/") or "/"
        if resource == "/limits" and version >= LIMITS_SINCE:
            handler = self._limits
        elif resource == "/named-credentials/credential" and version >= CREDENTIAL_SINCE:
            handler = self._credential
        else:
            raise _HttpError(404, NOT_FOUND)
        session = self._authenticate(req)
        with self._lock:
            self.api_used += 1
            usage = {"Sforce-Limit-Info": f"api-usage={self.api_used}/{self.daily_api_max}"}
        try:
            response = handler(req, session, version)
        except _HttpError as err:
            err.headers.update(usage)
            raise
        response.headers.update(usage)
        return response

    def _authenticate(self, req: Recorded) -> _Session:
        auth = req.headers.get("authorization")
        if not auth:
            raise _HttpError(401, INVALID_SESSION)
        scheme, _, token = auth.strip().partition(" ")
        if scheme.lower() not in ("bearer", "oauth"):
            raise _HttpError(401, INVALID_HEADER)
        with self._lock:
            session = self._sessions.get(token.strip())
        if session is None or not self._user_by_id(session.user_id).active:
            raise _HttpError(401, INVALID_SESSION)
        if not {"api", "full"} & set(session.scopes):
            raise _HttpError(401, NOT_FOR_REST)
        return session

    def _limits(self, req: Recorded, session: _Session, version: int) -> _Response:
        if req.method not in ("GET", "HEAD"):
            raise _api_error(405, "METHOD_NOT_ALLOWED", f"HTTP Method '{req.method}' not allowed. Allowed are GET,HEAD")
        with self._lock:
            remaining = max(self.daily_api_max - self.api_used, 0)
        body = {
            "ConcurrentAsyncGetReportInstances": {"Max": 200, "Remaining": 200},
            "DailyApiRequests": {"Max": self.daily_api_max, "Remaining": remaining},
            "DailyAsyncApexExecutions": {"Max": 250000, "Remaining": 250000},
            "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000},
            "DataStorageMB": {"Max": 5, "Remaining": 5},
            "FileStorageMB": {"Max": 20, "Remaining": 20},
            "SingleEmail": {"Max": 15, "Remaining": 15},
        }
        return _json_response(200, body)

    # ----------------------------------------------------------------- Connect: credential
    def _credential(self, req: Recorded, session: _Session, version: int) -> _Response:
        if not self._user_by_id(session.user_id).can_manage_credentials:
            raise _HttpError(403, INSUFFICIENT_ACCESS)
        method = req.method
        if method in ("GET", "HEAD", "DELETE"):
            ec, principal = self._principal(
                req.query.get("externalCredential"), req.query.get("principalName"), req.query.get("principalType")
            )
            if method == "DELETE":
                return self._delete(req, ec, principal, version)
            return _json_response(200, self._output(ec, principal))
        if method not in ("POST", "PUT", "PATCH"):
            allowed = "GET,HEAD,POST,PUT,DELETE" + (",PATCH" if version >= PATCH_SINCE else "")
            raise _api_error(405, "METHOD_NOT_ALLOWED", f"HTTP Method '{method}' not allowed. Allowed are {allowed}")
        if method == "PATCH" and version < PATCH_SINCE:
            raise _api_error(
                405, "METHOD_NOT_ALLOWED", "HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD,POST,PUT,DELETE"
            )
        if "action" in req.query:
            raise _invalid_input("The fake Salesforce does not model action=Refresh.")
        content_type = req.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise _api_error(415, "UNSUPPORTED_MEDIA_TYPE", f"Unsupported Content-Type: {content_type or 'none'}")
        body = _parse_input(req.body)
        ec, principal = self._principal(
            body.get("externalCredential"), body.get("principalName"), body.get("principalType")
        )
        protocol = body.get("authenticationProtocol")
        if protocol not in PROTOCOLS:
            raise _invalid_input(f"Invalid authenticationProtocol: {protocol!r}. Valid values: {', '.join(PROTOCOLS)}")
        if protocol != ec.protocol:
            raise _invalid_input(
                f"The authentication protocol {protocol} doesn't match the protocol of external credential {ec.name}."
            )
        variant = body.get("authenticationProtocolVariant")
        if variant is not None and (variant not in VARIANTS or variant != ec.variant):
            raise _invalid_input(
                f"The authentication protocol variant {variant} doesn't match the variant of "
                f"external credential {ec.name}."
            )
        credentials = _check_credentials(ec.protocol, body.get("credentials"), partial=method == "PATCH")
        key = (ec.name, principal)
        with self._lock:
            existing = self._stored.get(key)
            if method == "POST":
                if existing is not None:
                    raise _api_error(
                        409,
                        "CONFLICT",
                        f'Authentication credentials for the principal "{principal}" already exist. '
                        "Use the PUT method to overwrite them.",
                    )
                self._stored[key] = credentials
                return _json_response(201, self._output(ec, principal))
            if existing is None:
                raise _api_error(
                    404,
                    "NOT_FOUND",
                    f'Authentication credentials for the principal "{principal}" don\'t exist. '
                    "Use the POST method to create them.",
                )
            if method == "PATCH":
                if ec.protocol != "Custom":
                    raise _invalid_input("PATCH is supported only for credentials that use a custom protocol.")
                self._stored[key] = {**existing, **credentials}
            else:
                self._stored[key] = credentials
            return _json_response(200, self._output(ec, principal))

    def _principal(self, ec_name: Any, principal_name: Any, principal_type: Any) -> tuple[_ExternalCredential, str]:
        if not isinstance(ec_name, str) or not ec_name:
            raise _invalid_input("Missing required parameter: externalCredential")
        if not isinstance(principal_type, str) or not principal_type:
            raise _invalid_input("Missing required parameter: principalType")
        if principal_type not in PRINCIPAL_TYPES:
            raise _invalid_input(f"Invalid principalType: {principal_type}. Valid values: {', '.join(PRINCIPAL_TYPES)}")
        if principal_name is not None and not isinstance(principal_name, str):
            raise _invalid_input("principalName must be a string")
        with self._lock:
            ec = self._external.get(ec_name)
        if ec is None:
            raise _api_error(404, "NOT_FOUND", f"External credential {ec_name} doesn't exist or isn't accessible.")
        if principal_name:
            kind = ec.principals.get(principal_name)
            if kind is None:
                raise _invalid_input(f"The principal {principal_name} doesn't exist on external credential {ec_name}.")
            if kind != principal_type:
                raise _invalid_input(
                    f"The principal {principal_name} on external credential {ec_name} is a {kind}, "
                    f"not a {principal_type}."
                )
            return ec, principal_name
        if principal_type == "NamedPrincipal":
            raise _invalid_input("principalName is required when principalType is NamedPrincipal.")
        matching = [name for name, kind in ec.principals.items() if kind == principal_type]
        if len(matching) != 1:
            raise _invalid_input(
                f"Specify principalName: external credential {ec_name} has {len(matching)} {principal_type}s."
            )
        return ec, matching[0]

    def _output(self, ec: _ExternalCredential, principal: str) -> dict[str, Any]:
        with self._lock:
            values = self._stored.get((ec.name, principal))
        status = "Configured"
        if values is None:
            status = "NotConfigured"
        elif ec.protocol in ("Custom", "Jwt"):
            status = "Unknown"
        credentials = {
            name: {"encrypted": v["encrypted"], "value": None if v["encrypted"] else v["value"]}
            for name, v in (values or {}).items()
        }
        return {
            "authenticationProtocol": ec.protocol,
            "authenticationProtocolVariant": ec.variant,
            "authenticationStatus": status,
            "credentials": credentials,
            "externalCredential": ec.name,
            "principalName": principal,
            "principalType": ec.principals[principal],
        }

    def _delete(self, req: Recorded, ec: _ExternalCredential, principal: str, version: int) -> _Response:
        key = (ec.name, principal)
        names = [n for n in req.query.get("authenticationParameters", "").split(",") if n]
        with self._lock:
            existing = self._stored.get(key)
            if existing is None:
                raise _api_error(
                    404, "NOT_FOUND", f'Authentication credentials for the principal "{principal}" don\'t exist.'
                )
            if names:
                if version < PATCH_SINCE or ec.protocol != "Custom":
                    raise _invalid_input("authenticationParameters is supported only for custom protocols (59.0+).")
                left = {k: v for k, v in existing.items() if k not in names}
                self._stored[key] = left
                if not left:
                    del self._stored[key]
            else:
                del self._stored[key]
        return _Response(204, b"", "application/json;charset=UTF-8")


def _public_key(pem: str) -> Any:
    data = pem.encode()
    if b"BEGIN CERTIFICATE" in data:
        return x509.load_pem_x509_certificate(data).public_key()
    return load_pem_public_key(data)


def _parse_input(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _api_error(400, "JSON_PARSER_ERROR", f"Invalid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise _api_error(400, "JSON_PARSER_ERROR", "The request body must be a JSON object (<credential>).")
    unknown = sorted(set(body) - INPUT_FIELDS)
    if unknown:
        raise _api_error(400, "JSON_PARSER_ERROR", f'Unrecognized field "{unknown[0]}"')
    return body


def _check_credentials(protocol: str, credentials: Any, *, partial: bool) -> dict[str, dict[str, Any]]:
    if not isinstance(credentials, dict) or not credentials:
        raise _invalid_input("credentials is required and must map credential names to {value, encrypted}.")
    allow = ALLOWLISTS.get(protocol)
    out: dict[str, dict[str, Any]] = {}
    for name, entry in credentials.items():
        if not isinstance(entry, dict):
            raise _api_error(400, "JSON_PARSER_ERROR", f"credentials.{name} must be an object")
        unknown = sorted(set(entry) - VALUE_FIELDS)
        if unknown:
            raise _api_error(400, "JSON_PARSER_ERROR", f'Unrecognized field "{unknown[0]}"')
        value, encrypted = entry.get("value"), entry.get("encrypted")
        if not isinstance(value, str):
            raise _invalid_input(f"credentials.{name}.value is required and must be a string.")
        if not isinstance(encrypted, bool):
            raise _invalid_input(f"credentials.{name}.encrypted is required and must be a boolean.")
        revision = entry.get("revision")
        if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int)):
            raise _invalid_input(f"credentials.{name}.revision must be an integer.")
        if allow is not None:
            if name not in allow:
                raise _invalid_input(
                    f"{name} isn't a valid credential for the {protocol} protocol. "
                    f"Valid credentials: {', '.join(allow)}"
                )
            if encrypted != allow[name]:
                state = "encrypted" if allow[name] else "not encrypted"
                raise _invalid_input(f"The {name} credential for the {protocol} protocol must be {state}.")
        out[name] = {"value": value, "encrypted": encrypted}
    missing = sorted(REQUIRED_NAMES.get(protocol, set()) - set(out))
    if missing and not partial:
        raise _invalid_input(f"Missing required credentials for the {protocol} protocol: {', '.join(missing)}")
    return out


class _Handler(BaseHTTPRequestHandler):
    owner: FakeSalesforce
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server_version = "FakeSalesforce/1.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        return

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        query: dict[str, str] = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            query.setdefault(key, value)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            lower = name.lower()
            headers[lower] = f"{headers[lower]}, {value}" if lower in headers else value
        request = Recorded(self.command, parts.path, query, headers, self._read_body())
        response = self.owner._dispatch(request)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle
