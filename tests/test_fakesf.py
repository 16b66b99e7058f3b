"""Pins the strictness of tests/fakesf.py: each error path of the token endpoint, the REST API and the Connect
credential resource, driven with httpx directly."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from fakesf import JWT_GRANT, FakeApp, FakeSalesforce, Recorded

KEY = "3MVG9fake.consumer.key"
SECRET = "F4K3SECRET0123456789"
RUN_AS = "integration@fakesf.example"


def _certificate(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fakesf-test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    """One RSA key pair with its certificate, plus a second key that the app doesn't know."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {"key": key, "other": other, "cert": _certificate(key)}


@pytest.fixture
def sf(keys: dict[str, Any]) -> Iterator[FakeSalesforce]:
    with FakeSalesforce() as fake:
        fake.add_user(RUN_AS)
        fake.add_app(
            FakeApp(
                consumer_key=KEY,
                consumer_secret=SECRET,
                certificate_pem=keys["cert"],
                run_as=RUN_AS,
                preauthorized={RUN_AS},
            )
        )
        yield fake


@pytest.fixture
def client(sf: FakeSalesforce) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sf.url, timeout=10) as c:
        yield c


def _cc(client: httpx.Client, **overrides: str | None) -> httpx.Response:
    data = {"grant_type": "client_credentials", "client_id": KEY, "client_secret": SECRET, **overrides}
    return client.post("/services/oauth2/token", data={k: v for k, v in data.items() if v is not None})


def _assertion(sf: FakeSalesforce, key: rsa.RSAPrivateKey, **claims: Any) -> str:
    payload = {"iss": KEY, "sub": RUN_AS, "aud": sf.url, "exp": int(time.time()) + 170, **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, key, algorithm="RS256")


def _jwt(client: httpx.Client, assertion: str) -> httpx.Response:
    return client.post("/services/oauth2/token", data={"grant_type": JWT_GRANT, "assertion": assertion})


def _oauth_error(response: httpx.Response) -> tuple[int, str, str]:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "error_description"}
    return response.status_code, body["error"], body["error_description"]


def _api_error(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"errorCode", "message"}
    return response.status_code, body[0]["errorCode"]


# ---------------------------------------------------------------------------- ids


def test_ids_are_18_characters_with_the_right_prefix_and_checksum(sf: FakeSalesforce) -> None:
    user_id = sf.add_user("someone@fakesf.example")
    for value, prefix in ((sf.org_id, "00D"), (user_id, "005")):
        assert re.fullmatch(prefix + r"[0-9A-Za-z]{15}", value)
        suffix = ""
        for chunk in range(3):
            bits = sum(1 << i for i, ch in enumerate(value[chunk * 5 : chunk * 5 + 5]) if ch.isupper())
            suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
        assert value[15:] == suffix
    with pytest.raises(ValueError):
        sf.add_user("SOMEONE@fakesf.example")  # usernames are case-insensitive


# ---------------------------------------------------------------------------- token endpoint: shape


def test_client_credentials_success_has_salesforce_shape(sf: FakeSalesforce, client: httpx.Client) -> None:
    first, second = _cc(client), _cc(client)
    assert first.status_code == 200
    body = first.json()
    assert list(body) == ["access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"]
    assert "expires_in" not in body and "refresh_token" not in body
    assert body["scope"] == "api" and body["token_type"] == "Bearer" and body["instance_url"] == sf.url
    assert body["id"] == f"{sf.url}/id/{sf.org_id}/{sf.user_id(RUN_AS)}"
    assert body["issued_at"].isdigit() and abs(int(body["issued_at"]) - time.time() * 1000) < 60_000
    expected = hmac.new(SECRET.encode(), (body["id"] + body["issued_at"]).encode(), hashlib.sha256).digest()
    assert base64.b64decode(body["signature"]) == expected
    assert body["access_token"].startswith(sf.org_id[:15] + "!")
    assert body["access_token"] != second.json()["access_token"]
    assert sf.issued_tokens == [body["access_token"], second.json()["access_token"]]
    limits = client.get("/services/data/v62.0/limits", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert limits.status_code == 200


def test_scope_lists_every_granted_scope(sf: FakeSalesforce, client: httpx.Client) -> None:
    sf.add_app(FakeApp("k2", consumer_secret="s2", run_as=RUN_AS, scopes=("api", "refresh_token", "web")))
    response = _cc(client, client_id="k2", client_secret="s2")
    assert response.json()["scope"] == "api refresh_token web"


def test_client_credentials_in_a_basic_header(client: httpx.Client) -> None:
    basic = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    headers = {"Authorization": f"Basic {basic}"}
    ok = client.post("/services/oauth2/token", data={"grant_type": "client_credentials"}, headers=headers)
    assert ok.status_code == 200
    both = client.post(
        "/services/oauth2/token", data={"grant_type": "client_credentials", "client_id": KEY}, headers=headers
    )
    assert _oauth_error(both) == (400, "invalid_request", "multiple client credentials")
    wrong = base64.b64encode(f"{KEY}:nope".encode()).decode()
    bad = client.post(
        "/services/oauth2/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {wrong}"}
    )
    assert _oauth_error(bad) == (400, "invalid_client", "invalid client credentials")


def test_token_endpoint_needs_post_and_a_form_body(client: httpx.Client) -> None:
    assert _oauth_error(client.get("/services/oauth2/token")) == (400, "invalid_request", "must use HTTP POST")
    as_json = client.post(
        "/services/oauth2/token", json={"grant_type": "client_credentials", "client_id": KEY, "client_secret": SECRET}
    )
    assert _oauth_error(as_json) == (400, "unsupported_grant_type", "grant type not supported")
    in_query = client.post(
        "/services/oauth2/token",
        params={"grant_type": "client_credentials", "client_id": KEY, "client_secret": SECRET},
    )
    assert _oauth_error(in_query) == (400, "unsupported_grant_type", "grant type not supported")
    assert in_query.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("grant", [None, "password", "authorization_code", ""])
def test_missing_or_unsupported_grant_type(client: httpx.Client, grant: str | None) -> None:
    data = {"client_id": KEY, "client_secret": SECRET}
    if grant is not None:
        data["grant_type"] = grant
    response = client.post("/services/oauth2/token", data=data)
    assert _oauth_error(response) == (400, "unsupported_grant_type", "grant type not supported")


# ---------------------------------------------------------------------------- client credentials errors


def test_unknown_client_id(client: httpx.Client) -> None:
    assert _oauth_error(_cc(client, client_id="nope")) == (400, "invalid_client_id", "client identifier invalid")
    no_id = client.post("/services/oauth2/token", data={"grant_type": "client_credentials", "client_secret": SECRET})
    assert _oauth_error(no_id) == (400, "invalid_client_id", "client identifier invalid")


def test_app_not_yet_propagated_then_propagated(sf: FakeSalesforce, client: httpx.Client) -> None:
    app = FakeApp("fresh", consumer_secret="s", run_as=RUN_AS, propagated=False)
    sf.add_app(app)
    assert _oauth_error(_cc(client, client_id="fresh", client_secret="s"))[1:] == (
        "invalid_client_id",
        "client identifier invalid",
    )
    app.propagated = True
    assert _cc(client, client_id="fresh", client_secret="s").status_code == 200


def test_wrong_or_missing_secret(client: httpx.Client) -> None:
    assert _oauth_error(_cc(client, client_secret="wrong")) == (400, "invalid_client", "invalid client credentials")
    assert _oauth_error(_cc(client, client_secret=None)) == (400, "invalid_client", "invalid client credentials")


@pytest.mark.parametrize(
    "app",
    [
        FakeApp("cc", consumer_secret="s", run_as=None),
        FakeApp("cc", consumer_secret="s", run_as=RUN_AS, client_credentials_enabled=False),
        FakeApp("cc", consumer_secret="s", run_as="ghost@fakesf.example"),
    ],
)
def test_no_client_credentials_user(sf: FakeSalesforce, client: httpx.Client, app: FakeApp) -> None:
    sf.add_app(app)
    response = _cc(client, client_id="cc", client_secret="s")
    assert _oauth_error(response) == (400, "invalid_grant", "no client credentials user enabled")


def test_inactive_run_as_user(sf: FakeSalesforce, client: httpx.Client) -> None:
    sf.set_user_active(RUN_AS, False)
    assert _oauth_error(_cc(client)) == (400, "invalid_grant", "inactive user")


def test_ip_restricted(sf: FakeSalesforce, client: httpx.Client) -> None:
    sf.add_app(FakeApp("ip", consumer_secret="s", run_as=RUN_AS, allowed_ips_only=True))
    response = _cc(client, client_id="ip", client_secret="s")
    assert _oauth_error(response) == (400, "invalid_grant", "ip restricted or invalid login hours")


# ---------------------------------------------------------------------------- JWT bearer


def test_jwt_success(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    response = _jwt(client, _assertion(sf, keys["key"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert "expires_in" not in body and body["scope"] == "api"
    assert body["id"] == f"{sf.url}/id/{sf.org_id}/{sf.user_id(RUN_AS)}"


def test_jwt_signed_with_another_key(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    assert _oauth_error(_jwt(client, _assertion(sf, keys["other"]))) == (400, "invalid_grant", "invalid assertion")


def test_jwt_not_rs256(sf: FakeSalesforce, client: httpx.Client) -> None:
    claims = {"iss": KEY, "sub": RUN_AS, "aud": sf.url, "exp": int(time.time()) + 100}
    forged = jwt.encode(claims, "x" * 32, algorithm="HS256")
    assert _oauth_error(_jwt(client, forged)) == (400, "invalid_grant", "invalid assertion")
    for garbage in ("", "not.a.jwt", "abc"):
        assert _oauth_error(_jwt(client, garbage)) == (400, "invalid_grant", "invalid assertion")


def test_jwt_app_without_certificate(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    sf.add_app(FakeApp("nocert", preauthorized={RUN_AS}))
    response = _jwt(client, _assertion(sf, keys["key"], iss="nocert"))
    assert _oauth_error(response) == (400, "invalid_grant", "invalid assertion")


def test_jwt_iss_must_be_a_known_consumer_key(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    for iss in ("unknown-key", None):
        response = _jwt(client, _assertion(sf, keys["key"], iss=iss))
        assert _oauth_error(response) == (400, "invalid_client_id", "client identifier invalid")


@pytest.mark.parametrize("aud", ["https://login.salesforce.com", "{url}/", "{url}/services/oauth2/token", None])
def test_jwt_audience(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any], aud: str | None) -> None:
    value = aud.format(url=sf.url) if aud else None
    response = _jwt(client, _assertion(sf, keys["key"], aud=value))
    assert _oauth_error(response) == (400, "invalid_grant", "audience is invalid")


def test_jwt_expiry(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    now = int(time.time())
    expired = _jwt(client, _assertion(sf, keys["key"], exp=now - 5))
    assert _oauth_error(expired) == (400, "invalid_grant", "expired authorization code")
    too_far = _jwt(client, _assertion(sf, keys["key"], exp=now + 3600))
    assert _oauth_error(too_far) == (400, "invalid_grant", "invalid assertion")
    in_ms = _jwt(client, _assertion(sf, keys["key"], exp=now * 1000))
    assert _oauth_error(in_ms) == (400, "invalid_grant", "invalid assertion")
    missing = jwt.encode({"iss": KEY, "sub": RUN_AS, "aud": sf.url}, keys["key"], algorithm="RS256")
    assert _oauth_error(_jwt(client, missing)) == (400, "invalid_grant", "invalid assertion")
    assert _jwt(client, _assertion(sf, keys["key"], exp=now + 180)).status_code == 200


def test_jwt_sub(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    unknown = _jwt(client, _assertion(sf, keys["key"], sub="ghost@fakesf.example"))
    assert _oauth_error(unknown) == (400, "invalid_grant", "user hasn't approved this consumer")
    sf.set_user_active(RUN_AS, False)
    inactive = _jwt(client, _assertion(sf, keys["key"]))
    assert _oauth_error(inactive) == (400, "invalid_grant", "inactive user")


def test_jwt_admin_approved_needs_preauthorization(
    sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]
) -> None:
    sf.add_user("other@fakesf.example")
    response = _jwt(client, _assertion(sf, keys["key"], sub="other@fakesf.example"))
    assert _oauth_error(response) == (400, "invalid_app_access", "user is not admin approved to access this app")


def test_jwt_self_approval(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    cert = keys["cert"]
    sf.add_app(FakeApp("self", certificate_pem=cert, admin_approved=False, preauthorized={RUN_AS}))
    never = _jwt(client, _assertion(sf, keys["key"], iss="self"))
    assert _oauth_error(never) == (400, "invalid_grant", "user hasn't approved this consumer")
    sf.add_app(FakeApp("self2", certificate_pem=cert, admin_approved=False, self_approved={RUN_AS}))
    no_refresh_scope = _jwt(client, _assertion(sf, keys["key"], iss="self2"))
    assert _oauth_error(no_refresh_scope) == (400, "invalid_grant", "user hasn't approved this consumer")
    sf.add_app(
        FakeApp(
            "self3", certificate_pem=cert, admin_approved=False, self_approved={RUN_AS}, scopes=("api", "refresh_token")
        )
    )
    assert _jwt(client, _assertion(sf, keys["key"], iss="self3")).status_code == 200


def test_jwt_ip_restricted(sf: FakeSalesforce, client: httpx.Client, keys: dict[str, Any]) -> None:
    sf.add_app(FakeApp("ipj", certificate_pem=keys["cert"], preauthorized={RUN_AS}, allowed_ips_only=True))
    response = _jwt(client, _assertion(sf, keys["key"], iss="ipj"))
    assert _oauth_error(response) == (400, "invalid_grant", "ip restricted or invalid login hours")


# ---------------------------------------------------------------------------- REST API: limits


def test_limits(sf: FakeSalesforce, client: httpx.Client) -> None:
    response = client.get("/services/data/v62.0/limits", headers={"Authorization": f"Bearer {sf.admin_token}"})
    assert response.status_code == 200
    daily = response.json()["DailyApiRequests"]
    assert daily["Max"] == sf.daily_api_max and daily["Remaining"] == sf.daily_api_max - 1
    assert response.headers["sforce-limit-info"] == f"api-usage=1/{sf.daily_api_max}"
    again = client.get("/services/data/v62.0/limits/", headers={"Authorization": f"OAuth {sf.limited_token}"})
    assert again.status_code == 200 and again.json()["DailyApiRequests"]["Remaining"] == sf.daily_api_max - 2


def test_limits_without_a_valid_session(sf: FakeSalesforce, client: httpx.Client) -> None:
    expected = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer"}):
        response = client.get("/services/data/v62.0/limits", headers=headers)
        assert (response.status_code, response.json()) == (401, expected)
    basic = client.get("/services/data/v62.0/limits", headers={"Authorization": "Basic eDp5"})
    assert (basic.status_code, basic.json()) == (
        401,
        [{"message": "INVALID_HEADER_TYPE", "errorCode": "INVALID_AUTH_HEADER"}],
    )
    token = _cc(client).json()["access_token"]
    sf.revoke(token)
    revoked = client.get("/services/data/v62.0/limits", headers={"Authorization": f"Bearer {token}"})
    assert (revoked.status_code, revoked.json()) == (401, expected)


def test_token_without_api_scope_is_refused_by_rest(sf: FakeSalesforce, client: httpx.Client) -> None:
    sf.add_app(FakeApp("webonly", consumer_secret="s", run_as=RUN_AS, scopes=("web",)))
    token = _cc(client, client_id="webonly", client_secret="s").json()["access_token"]
    response = client.get("/services/data/v62.0/limits", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json() == [
        {"message": "This session is not valid for use with the REST API", "errorCode": "INVALID_SESSION_ID"}
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/services/data/v99.0/limits",
        "/services/data/v62.1/limits",
        "/services/data/v28.0/limits",
        "/services/data/62.0/limits",
        "/services/data/v62.0/nope",
    ],
)
def test_unknown_version_or_resource(sf: FakeSalesforce, client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"Authorization": f"Bearer {sf.admin_token}"})
    assert (response.status_code, response.json()) == (
        404,
        [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}],
    )


def test_versions_and_method_not_allowed(sf: FakeSalesforce, client: httpx.Client) -> None:
    versions = client.get("/services/data/").json()
    assert {"label": "v62.0", "url": "/services/data/v62.0", "version": "62.0"} in versions
    post = client.post("/services/data/v62.0/limits", headers={"Authorization": f"Bearer {sf.admin_token}"})
    assert _api_error(post) == (405, "METHOD_NOT_ALLOWED")


# ---------------------------------------------------------------------------- Connect: credential

CRED = "/services/data/v62.0/named-credentials/credential"


@pytest.fixture
def admin(sf: FakeSalesforce, client: httpx.Client) -> httpx.Client:
    sf.add_external_credential("Aws_EC", "AwsSv4", {"AwsPrincipal": "NamedPrincipal"})
    sf.add_external_credential("Api_EC", "Custom", {"Svc": "NamedPrincipal", "Mine": "PerUserPrincipal"})
    sf.add_external_credential(
        "OAuth_EC", "OAuth", {"Client": "NamedPrincipal"}, variant="ClientCredentialsClientSecret"
    )
    sf.add_external_credential("Basic_EC", "Basic", {"Login": "NamedPrincipal"})
    client.headers["Authorization"] = f"Bearer {sf.admin_token}"
    return client


def _aws(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "externalCredential": "Aws_EC",
        "principalName": "AwsPrincipal",
        "principalType": "NamedPrincipal",
        "authenticationProtocol": "AwsSv4",
        "credentials": {
            "awsAccessKeyId": {"value": "AKIAFAKE", "encrypted": False},
            "awsSecretAccessKey": {"value": "aws-secret", "encrypted": True},
        },
    }
    body.update(changes)
    return body


def _get(client: httpx.Client, ec: str, principal: str | None, kind: str = "NamedPrincipal") -> httpx.Response:
    params = {"externalCredential": ec, "principalType": kind}
    if principal is not None:
        params["principalName"] = principal
    return client.get(CRED, params=params)


def test_credential_get_before_set(sf: FakeSalesforce, admin: httpx.Client) -> None:
    response = _get(admin, "Aws_EC", "AwsPrincipal")
    assert response.status_code == 200
    assert response.json() == {
        "authenticationProtocol": "AwsSv4",
        "authenticationProtocolVariant": None,
        "authenticationStatus": "NotConfigured",
        "credentials": {},
        "externalCredential": "Aws_EC",
        "principalName": "AwsPrincipal",
        "principalType": "NamedPrincipal",
    }
    assert sf.stored("Aws_EC", "AwsPrincipal") is None


def test_credential_create_masks_and_stores(sf: FakeSalesforce, admin: httpx.Client) -> None:
    created = admin.post(CRED, json=_aws())
    assert created.status_code == 201
    assert created.json()["credentials"] == {
        "awsAccessKeyId": {"encrypted": False, "value": "AKIAFAKE"},
        "awsSecretAccessKey": {"encrypted": True, "value": None},
    }
    assert created.json()["authenticationStatus"] == "Configured"
    assert sf.stored("Aws_EC", "AwsPrincipal") == {
        "awsAccessKeyId": {"value": "AKIAFAKE", "encrypted": False},
        "awsSecretAccessKey": {"value": "aws-secret", "encrypted": True},
    }
    got = _get(admin, "Aws_EC", "AwsPrincipal")
    assert "aws-secret" not in got.text and got.json()["credentials"]["awsSecretAccessKey"] == {
        "encrypted": True,
        "value": None,
    }


def test_credential_post_twice_conflicts_and_put_replaces(sf: FakeSalesforce, admin: httpx.Client) -> None:
    assert admin.post(CRED, json=_aws()).status_code == 201
    again = admin.post(CRED, json=_aws())
    assert _api_error(again) == (409, "CONFLICT")
    assert again.json()[0]["message"] == (
        'Authentication credentials for the principal "AwsPrincipal" already exist. '
        "Use the PUT method to overwrite them."
    )
    role = {"awsRoleArn": {"value": "arn:aws:iam::1:role/x", "encrypted": False}}
    replaced = admin.put(CRED, json=_aws(credentials={**_aws()["credentials"], **role}))
    assert replaced.status_code == 200
    assert set(sf.stored("Aws_EC", "AwsPrincipal") or {}) == {"awsAccessKeyId", "awsSecretAccessKey", "awsRoleArn"}


def test_credential_put_before_create(admin: httpx.Client) -> None:
    assert _api_error(admin.put(CRED, json=_aws())) == (404, "NOT_FOUND")


def test_credential_unknown_external_credential(admin: httpx.Client) -> None:
    assert _api_error(_get(admin, "Nope_EC", "AwsPrincipal")) == (404, "NOT_FOUND")
    assert _api_error(admin.post(CRED, json=_aws(externalCredential="Nope_EC"))) == (404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("principal", "kind"),
    [
        ("Other", "NamedPrincipal"),
        ("AwsPrincipal", "PerUserPrincipal"),
        (None, "NamedPrincipal"),
        ("AwsPrincipal", "Bogus"),
    ],
)
def test_credential_bad_principal(admin: httpx.Client, principal: str | None, kind: str) -> None:
    assert _api_error(_get(admin, "Aws_EC", principal, kind)) == (400, "INVALID_API_INPUT")
    body = _aws(principalType=kind)
    if principal is None:
        del body["principalName"]
    else:
        body["principalName"] = principal
    assert _api_error(admin.post(CRED, json=body)) == (400, "INVALID_API_INPUT")


def test_credential_per_user_principal_without_name(sf: FakeSalesforce, admin: httpx.Client) -> None:
    body = {
        "externalCredential": "Api_EC",
        "principalType": "PerUserPrincipal",
        "authenticationProtocol": "Custom",
        "credentials": {"token": {"value": "t", "encrypted": True}},
    }
    assert admin.post(CRED, json=body).status_code == 201
    assert sf.stored("Api_EC", "Mine") == {"token": {"value": "t", "encrypted": True}}


@pytest.mark.parametrize("protocol", ["Oauth", "Custom", "awssv4", None])
def test_credential_protocol_must_match(admin: httpx.Client, protocol: str | None) -> None:
    assert _api_error(admin.post(CRED, json=_aws(authenticationProtocol=protocol))) == (400, "INVALID_API_INPUT")


def test_credential_variant_must_match(admin: httpx.Client) -> None:
    body = {
        "externalCredential": "OAuth_EC",
        "principalName": "Client",
        "principalType": "NamedPrincipal",
        "authenticationProtocol": "OAuth",
        "authenticationProtocolVariant": "JwtBearer",
        "credentials": {
            "clientId": {"value": "id", "encrypted": False},
            "clientSecret": {"value": "sec", "encrypted": True},
        },
    }
    assert _api_error(admin.post(CRED, json=body)) == (400, "INVALID_API_INPUT")
    body["authenticationProtocolVariant"] = "ClientCredentialsClientSecret"
    created = admin.post(CRED, json=body)
    assert created.status_code == 201
    assert created.json()["authenticationProtocolVariant"] == "ClientCredentialsClientSecret"
    del body["authenticationProtocolVariant"]
    assert admin.put(CRED, json=body).status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {
            "awsAccessKeyId": {"value": "a", "encrypted": False},
            "awsSecretAccessKey": {"value": "s", "encrypted": False},
        },
        {"awsAccessKeyId": {"value": "a", "encrypted": True}, "awsSecretAccessKey": {"value": "s", "encrypted": True}},
        {"awsAccessKeyId": {"value": "a", "encrypted": False}},
        {
            "awsAccessKeyId": {"value": "a", "encrypted": False},
            "awsSecretAccessKey": {"value": "s", "encrypted": True},
            "apiKey": {"value": "x", "encrypted": True},
        },
        {"awsAccessKeyId": {"value": 5, "encrypted": False}, "awsSecretAccessKey": {"value": "s", "encrypted": True}},
        {"awsAccessKeyId": {"value": "a"}, "awsSecretAccessKey": {"value": "s", "encrypted": True}},
        {},
    ],
)
def test_credential_allowlist_and_encryption(admin: httpx.Client, credentials: dict[str, Any]) -> None:
    assert _api_error(admin.post(CRED, json=_aws(credentials=credentials))) == (400, "INVALID_API_INPUT")


@pytest.mark.parametrize(
    ("ec", "principal", "protocol", "good", "bad"),
    [
        (
            "OAuth_EC",
            "Client",
            "OAuth",
            {"clientId": False, "clientSecret": True},
            {"clientId": True, "clientSecret": True},
        ),
        ("Basic_EC", "Login", "Basic", {"username": False, "password": True}, {"username": False, "password": False}),
    ],
)
def test_credential_oauth_and_basic_rules(
    admin: httpx.Client, ec: str, principal: str, protocol: str, good: dict[str, bool], bad: dict[str, bool]
) -> None:
    def body(spec: dict[str, bool]) -> dict[str, Any]:
        return {
            "externalCredential": ec,
            "principalName": principal,
            "principalType": "NamedPrincipal",
            "authenticationProtocol": protocol,
            "credentials": {name: {"value": "v", "encrypted": enc} for name, enc in spec.items()},
        }

    assert _api_error(admin.post(CRED, json=body(bad))) == (400, "INVALID_API_INPUT")
    created = admin.post(CRED, json=body(good))
    assert created.status_code == 201 and created.json()["authenticationStatus"] == "Configured"


def test_credential_custom_any_names_patch_and_delete(sf: FakeSalesforce, admin: httpx.Client) -> None:
    body = {
        "externalCredential": "Api_EC",
        "principalName": "Svc",
        "principalType": "NamedPrincipal",
        "authenticationProtocol": "Custom",
        "credentials": {"ApiKey": {"value": "k1", "encrypted": True}, "Region": {"value": "eu", "encrypted": False}},
    }
    created = admin.post(CRED, json=body)
    assert created.status_code == 201 and created.json()["authenticationStatus"] == "Unknown"
    patched = admin.patch(CRED, json={**body, "credentials": {"ApiKey": {"value": "k2", "encrypted": True}}})
    assert patched.status_code == 200
    assert sf.stored("Api_EC", "Svc") == {
        "ApiKey": {"value": "k2", "encrypted": True},
        "Region": {"value": "eu", "encrypted": False},
    }
    old = admin.patch(CRED.replace("v62.0", "v58.0"), json=body)
    assert _api_error(old) == (405, "METHOD_NOT_ALLOWED")
    params = {"externalCredential": "Api_EC", "principalName": "Svc", "principalType": "NamedPrincipal"}
    assert admin.delete(CRED, params={**params, "authenticationParameters": "Region"}).status_code == 204
    assert sf.stored("Api_EC", "Svc") == {"ApiKey": {"value": "k2", "encrypted": True}}
    assert admin.delete(CRED, params=params).status_code == 204
    assert sf.stored("Api_EC", "Svc") is None
    assert _api_error(admin.delete(CRED, params=params)) == (404, "NOT_FOUND")


def test_credential_patch_is_custom_only(admin: httpx.Client) -> None:
    assert admin.post(CRED, json=_aws()).status_code == 201
    assert _api_error(admin.patch(CRED, json=_aws())) == (400, "INVALID_API_INPUT")


def test_credential_body_must_be_json_without_unknown_fields(admin: httpx.Client) -> None:
    form = admin.post(CRED, data={"externalCredential": "Aws_EC"})
    assert _api_error(form) == (415, "UNSUPPORTED_MEDIA_TYPE")
    broken = admin.post(CRED, content=b"{not json", headers={"Content-Type": "application/json"})
    assert _api_error(broken) == (400, "JSON_PARSER_ERROR")
    extra = admin.post(CRED, json=_aws(principal="oops"))
    assert _api_error(extra) == (400, "JSON_PARSER_ERROR")
    refresh = admin.post(CRED, params={"action": "Refresh"}, json=_aws())
    assert _api_error(refresh) == (400, "INVALID_API_INPUT")


def test_credential_needs_permission_and_session(sf: FakeSalesforce, admin: httpx.Client) -> None:
    limited = {"Authorization": f"Bearer {sf.limited_token}"}
    for response in (
        admin.post(CRED, json=_aws(), headers=limited),
        admin.get(CRED, params={"externalCredential": "Aws_EC"}, headers=limited),
    ):
        assert _api_error(response) == (403, "INSUFFICIENT_ACCESS")
    none = admin.post(CRED, json=_aws(), headers={"Authorization": ""})
    assert (none.status_code, none.json()[0]["errorCode"]) == (401, "INVALID_SESSION_ID")
    assert sf.stored("Aws_EC", "AwsPrincipal") is None
    too_old = admin.get(CRED.replace("v62.0", "v55.0"), params={"externalCredential": "Aws_EC"})
    assert _api_error(too_old) == (404, "NOT_FOUND")


def test_user_without_credential_access_gets_403_with_its_issued_token(
    sf: FakeSalesforce, client: httpx.Client
) -> None:
    sf.add_user("reader@fakesf.example", can_manage_credentials=False)
    sf.add_app(FakeApp("reader", consumer_secret="s", run_as="reader@fakesf.example"))
    sf.add_external_credential("Aws_EC", "AwsSv4", {"AwsPrincipal": "NamedPrincipal"})
    token = _cc(client, client_id="reader", client_secret="s").json()["access_token"]
    response = client.post(CRED, json=_aws(), headers={"Authorization": f"Bearer {token}"})
    assert _api_error(response) == (403, "INSUFFICIENT_ACCESS")


def test_add_external_credential_validates(sf: FakeSalesforce) -> None:
    with pytest.raises(ValueError):
        sf.add_external_credential("X", "Oauth", {"P": "NamedPrincipal"})
    with pytest.raises(ValueError):
        sf.add_external_credential("X", "OAuth", {"P": "Named"})
    with pytest.raises(ValueError):
        sf.add_external_credential("X", "OAuth", {"P": "NamedPrincipal"}, variant="ClientSecret")


# ---------------------------------------------------------------------------- fail_next and recording


def test_fail_next_counts_down_on_any_path(sf: FakeSalesforce, client: httpx.Client) -> None:
    sf.fail_next(2)
    first, second, third = _cc(client), _cc(client), _cc(client)
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.headers["content-type"].startswith("text/html")
    sf.fail_next(1, status=500)
    auth = {"Authorization": f"Bearer {sf.admin_token}"}
    failed = client.get("/services/data/v62.0/limits", headers=auth)
    assert failed.status_code == 500 and isinstance(failed.json(), list)
    assert client.get("/services/data/v62.0/limits", headers=auth).status_code == 200
    assert len(sf.requests) == 5


def test_every_request_is_recorded(sf: FakeSalesforce, client: httpx.Client) -> None:
    _cc(client, client_secret="wrong")
    client.get("/services/data/v62.0/limits", params={"a": "1"}, headers={"X-Custom": "Yes"})
    token_request, limits_request = sf.requests
    assert isinstance(token_request, Recorded)
    assert (token_request.method, token_request.path) == ("POST", "/services/oauth2/token")
    assert b"client_secret=wrong" in token_request.body
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert (limits_request.method, limits_request.query, limits_request.body) == ("GET", {"a": "1"}, b"")
    assert limits_request.headers["x-custom"] == "Yes"
    assert all(name == name.lower() for name in limits_request.headers)
