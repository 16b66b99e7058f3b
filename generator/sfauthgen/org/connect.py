"""The Connect REST API credential resource: read a principal's credentials, then create or update them.

/services/data/v<api>/named-credentials/credential: GET with externalCredential, principalName and
principalType; POST creates, PUT updates, both with a Credential Input body (see the README's
reference section). Secret values are sent with encrypted: true, and never read back.
"""

from __future__ import annotations

from typing import Any

from sfauthgen import codes
from sfauthgen.diagnostics import SfauthgenError
from sfauthgen.org.http import Http, NetworkError
from sfauthgen.org.login import OrgSession
from sfauthgen.org.mask import Masker, server_text
from sfauthgen.records import record


class CredentialApiError(SfauthgenError):
    """The org refused a read or write of the credential (no such credential, no permission...)."""

    code = codes.CREDENTIAL_API


@record
class Field:
    name: str
    encrypted: bool


@record
class CredentialShape:
    """What one protocol stores per principal in the Connect API's terms."""

    protocol: str  # authenticationProtocol
    variant: str | None  # authenticationProtocolVariant
    fields: tuple[Field, ...]


PRINCIPAL_TYPES = {"named": "NamedPrincipal", "per_user": "PerUserPrincipal"}


def resource(session: OrgSession, api_version: str) -> str:
    return f"{session.instance_url}/services/data/v{api_version}/named-credentials/credential"


def read(http: Http, session: OrgSession, api_version: str, credential: str, principal: str,
         principal_type: str, masker: Masker) -> dict[str, Any] | None:
    """The stored credential (values masked by Salesforce), or None when the principal has none yet."""
    params = {"externalCredential": credential, "principalName": principal, "principalType": principal_type}
    response = http.send("GET", resource(session, api_version), "reading the credential", params=params,
                         headers=_auth(session))
    body = response.json()
    if response.status == 404 and not _names_credential(body):
        return None
    if response.status != 200:
        raise CredentialApiError(_refused("reading", credential, principal, response.status, body, masker))
    if not isinstance(body, dict):
        raise NetworkError("reading the credential: the answer is not a JSON object")
    credentials = body.get("credentials")
    return body if isinstance(credentials, dict) and credentials else None


def write(http: Http, session: OrgSession, api_version: str, credential: str, principal: str, principal_type: str,
          shape: CredentialShape, values: dict[str, str], masker: Masker, *, update: bool) -> None:
    body: dict[str, Any] = {
        "externalCredential": credential,
        "principalName": principal,
        "principalType": principal_type,
        "authenticationProtocol": shape.protocol,
        "credentials": {f.name: {"value": values[f.name], "encrypted": f.encrypted} for f in shape.fields
                        if f.name in values},
    }
    if shape.variant:
        body["authenticationProtocolVariant"] = shape.variant
    method = "PUT" if update else "POST"
    response = http.send(method, resource(session, api_version), "storing the credential", json=body,
                         headers=_auth(session))
    if method == "POST" and response.status == 409:
        # Credentials appeared since the read (or the read cannot see them): Salesforce asks for PUT.
        response = http.send("PUT", resource(session, api_version), "storing the credential", json=body,
                             headers=_auth(session))
    if response.status not in (200, 201, 204):
        raise CredentialApiError(_refused("storing", credential, principal, response.status, response.json(),
                                          masker))


def _auth(session: OrgSession) -> dict[str, str]:
    return {"Authorization": f"Bearer {session.access_token}"}


def _names_credential(body: object) -> bool:
    """A 404 about the external credential itself (not about the principal's missing values)."""
    return any("external credential" in str(item.get("message", "")).lower() for item in _errors(body))


def _errors(body: object) -> list[dict[str, Any]]:
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    if isinstance(body, dict):
        return [body]
    return []


def _refused(doing: str, credential: str, principal: str, status: int, body: object, masker: Masker) -> str:
    said = server_text("; ".join(f"{e.get('errorCode', '')}: {e.get('message', '')}".strip(": ")
                                 for e in _errors(body)), masker)
    if status == 401:
        advice = "the org session expired: log in again (sf org login web) or refresh SF_ACCESS_TOKEN"
    elif status == 403:
        advice = "the user needs access to the external credential (a permission set with its principal) and " \
                 "the Manage Named Credentials permission"
    elif status == 404:
        advice = f"is '{credential}' deployed, with a principal named '{principal}'?"
    elif status == 400:
        advice = "check that the deployed external credential matches the spec (protocol, principal names)"
    else:
        advice = "try again; if it persists, the org's answer above says why"
    return f"{doing} the credential '{credential}' / '{principal}' failed with HTTP {status}" \
           f"{': ' + said if said else ''}; {advice}"
