"""NamedCredential and ExternalCredential files -> `named_credentials` / `external_credentials` entries."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from sfauthgen.importer.elements import Loss, Reader
from sfauthgen.importer.read import MetadataFile
from sfauthgen.secrets import redact, secret_in_value
from sfauthgen.vocabulary import (
    CLIENT_SECRET_IN_VARIANT,
    LEGACY_PRINCIPAL_TYPES,
    LEGACY_PROTOCOLS,
    LEGACY_REQUIRED_KEYS,
    PRINCIPAL_TYPES,
    PROTOCOL_REQUIRED_KEYS,
)

_LEGACY_PRINCIPALS = {v: k for k, v in LEGACY_PRINCIPAL_TYPES.items()}
_LEGACY_PROTOCOLS = {v: k for k, v in LEGACY_PROTOCOLS.items()}
_PRINCIPAL_KINDS = {v: k for k, v in PRINCIPAL_TYPES.items()}
_VARIANT_SECRET_IN = {v: k for k, v in CLIENT_SECRET_IN_VARIANT.items()}
_AUTH_PARAMETERS = {"Scope": "scope", "AwsRegion": "aws_region", "AwsService": "aws_service",
                    "AwsAccountId": "aws_account_id"}
_LEGACY_FIELDS = (("authProvider", "auth_provider"), ("oauthScope", "oauth_scope"), ("username", "username"),
                  ("awsRegion", "aws_region"), ("awsService", "aws_service"),
                  ("jwtSigningCertificate", "signing_certificate"), ("jwtIssuer", "jwt_issuer"),
                  ("jwtTextSubject", "jwt_subject"), ("jwtAudience", "jwt_audience"))


def _secret_header(reader: Reader, element: etree._Element, name: str, value: str) -> bool:
    reason = secret_in_value(value, header=True)
    if reason:
        reader.lose(element, f"header {name} looks like {reason} ({redact(value)}); secrets are never imported, "
                             "rotate it and reference it with a formula")
        return True
    return False


def _sequenced(reader: Reader, params: list[etree._Element]) -> list[etree._Element]:
    def number(p: etree._Element) -> int:
        text = reader.peek("sequenceNumber", p)
        return int(text) if text else 0

    return sorted(params, key=number)


def _is_url(value: str | None) -> bool:
    return bool(value) and re.match(r"^https?://\S+$", value or "") is not None


def named_credential(meta: MetadataFile) -> tuple[dict[str, Any] | None, Reader]:
    """The entry, or None when the file cannot be one (reported)."""
    reader = Reader(meta.shown, meta.root)
    entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member}
    description = reader.take("description")
    if description is not None:
        entry["description"] = description
    # Written only where they differ from the spec's defaults (true, false, false).
    if not reader.flag("generateAuthorizationHeader"):
        entry["generate_authorization_header"] = False
    for key, element in (("allow_merge_fields_in_header", "allowMergeFieldsInHeader"),
                         ("allow_merge_fields_in_body", "allowMergeFieldsInBody")):
        if reader.flag(element):
            entry[key] = True
    status = reader.take("calloutStatus")
    if status == "Disabled":
        entry["callouts_enabled"] = False
    kind = reader.find("namedCredentialType")
    params = reader.children(name="namedCredentialParameters")
    if kind is not None and kind.text == "SecuredEndpoint" or (kind is None and params):
        if kind is not None:
            reader.mark(kind)
        _new_model(reader, entry, params)
        target = entry.get("url")
    elif kind is None:
        _legacy(reader, entry)
        target = entry.get("legacy", {}).get("endpoint")
    else:
        target = None
    if not _is_url(target):
        reader.losses.append(Loss(reader.file, 1, "endpoint", f"'{target or ''}' is not an http(s) URL (a template "
                                  "to fill in the org?); the named credential was not imported"))
        for child in reader.children():
            reader.mark(child)
        return None, reader
    return entry, reader


def _new_model(reader: Reader, entry: dict[str, Any], params: list[etree._Element]) -> None:
    headers: dict[str, str] = {}
    namespaces: list[str] = []
    for param in _sequenced(reader, params):
        kind_text = reader.peek("parameterType", param)
        value = reader.peek("parameterValue", param) or ""
        name = reader.peek("parameterName", param) or ""
        if kind_text == "Url" and "url" not in entry:
            entry["url"] = value
        elif kind_text == "Authentication" and reader.peek("externalCredential", param) is not None:
            entry["external_credential"] = reader.peek("externalCredential", param)
        elif kind_text == "HttpHeader":
            if _secret_header(reader, param, name, value):
                continue
            headers[name] = value
        elif kind_text == "AllowedManagedPackageNamespaces":
            namespaces.append(value)
        else:
            reader.lose(param, f"{kind_text} parameters have no key in the spec language")
            continue
        reader.mark(param)
    if headers:
        entry["headers"] = headers
    if namespaces:
        entry["allowed_namespaces"] = sorted(set(namespaces))


def _legacy(reader: Reader, entry: dict[str, Any]) -> None:
    legacy: dict[str, Any] = {"endpoint": reader.take("endpoint") or ""}
    principal = reader.take("principalType") or "Anonymous"
    protocol = reader.take("protocol") or "NoAuthentication"
    if principal not in _LEGACY_PRINCIPALS or protocol not in _LEGACY_PROTOCOLS:
        reader.losses.append(Loss(reader.file, 1, "principalType/protocol",
                                  f"{principal}/{protocol} has no legacy equivalent in the spec language"))
        return
    legacy["principal_type"] = _LEGACY_PRINCIPALS[principal]
    legacy["protocol"] = _LEGACY_PROTOCOLS[protocol]
    for element, key in _LEGACY_FIELDS:
        value = reader.take(element)
        if value:
            legacy[key] = value
    validity = reader.take("jwtValidityPeriodSeconds")
    if validity is not None:
        legacy["jwt_validity_seconds"] = int(validity)
    missing = [k for k in LEGACY_REQUIRED_KEYS[legacy["protocol"]] if k not in legacy]
    if missing:
        reader.losses.append(Loss(reader.file, 1, "protocol", f"{protocol} without {', '.join(missing)}: "
                                  "imported as no_authentication; set the protocol in the spec"))
        legacy = {k: legacy[k] for k in ("endpoint", "principal_type")}
        legacy["protocol"] = "no_authentication"
    entry["legacy"] = legacy


def external_credential(meta: MetadataFile) -> tuple[dict[str, Any], Reader]:
    reader = Reader(meta.shown, meta.root)
    entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member}
    description = reader.take("description")
    if description is not None:
        entry["description"] = description
    authentication = reader.take("authenticationProtocol") or ""
    found: dict[str, Any] = {}
    variant: str | None = None
    headers: dict[str, str] = {}
    claims: dict[str, str] = {}
    header_claims: dict[str, str] = {}
    refresh: list[int] = []
    principals: list[dict[str, Any]] = []
    for param in _sequenced(reader, reader.children(name="externalCredentialParameters")):
        kind = reader.peek("parameterType", param) or ""
        name = reader.peek("parameterName", param) or ""
        group = reader.peek("parameterGroup", param)
        value = reader.peek("parameterValue", param) or ""
        if kind in _PRINCIPAL_KINDS:
            if group not in (None, name):
                reader.lose(param, f"principal {name} has its own parameterGroup {group}")
                continue
            item: dict[str, Any] = {"name": name}
            if kind != "NamedPrincipal":
                item["type"] = _PRINCIPAL_KINDS[kind]
            principals.append(item)
        elif group not in (None, "DefaultGroup"):
            reader.lose(param, f"parameter {name} is in group {group}, not DefaultGroup")
            continue
        elif kind == "AuthProtocolVariant" and name == authentication:
            variant = value
        elif kind == "AuthProvider" and reader.peek("authProvider", param) is not None:
            found["auth_provider"] = reader.peek("authProvider", param)
        elif kind == "AuthProviderUrl":
            found["token_url"] = value
        elif kind == "AuthParameter" and name in _AUTH_PARAMETERS:
            found[_AUTH_PARAMETERS[name]] = value
        elif kind == "SigningCertificate" and reader.peek("certificate", param) is not None:
            found["signing_certificate"] = reader.peek("certificate", param)
        elif kind == "JwtBodyClaim":
            claims[name] = value
        elif kind == "JwtHeaderClaim":
            header_claims[name] = value
        elif kind == "AuthHeader":
            if _secret_header(reader, param, name, value):
                continue
            headers[name] = value
        elif kind == "AdditionalRefreshStatusCode" and value.isdigit():
            refresh.append(int(value))
        else:
            reader.lose(param, f"{kind} parameter {name} has no key in the spec language")
            continue
        reader.mark(param)
    protocol = _protocol(authentication, variant, found)
    if claims:
        found["claims"] = claims
    if header_claims:
        found["header_claims"] = header_claims
    if protocol is None or any(k not in found for k in PROTOCOL_REQUIRED_KEYS[protocol]):
        reader.losses.append(Loss(reader.file, 1, "authenticationProtocol",
                                  f"{authentication} with variant {variant} and parameters {sorted(found)} is not a "
                                  "protocol the spec language describes; declared as existing (not managed)"))
        for child in reader.children():
            reader.mark(child)
        return {"name": meta.member, "existing": True, "principals": principals}, reader
    entry["protocol"] = protocol
    if variant in _VARIANT_SECRET_IN and _VARIANT_SECRET_IN[variant] != "body":
        found["client_secret_in"] = _VARIANT_SECRET_IN[variant]
    entry.update(found)
    if headers:
        entry["headers"] = headers
    if refresh:
        entry["refresh_on_status"] = refresh
    if principals:
        entry["principals"] = principals
    return entry, reader


def _protocol(authentication: str, variant: str | None, found: dict[str, Any]) -> str | None:
    if authentication == "Oauth":
        if variant in _VARIANT_SECRET_IN:
            return "oauth_client_credentials"
        if variant == "JwtBearer":
            return "oauth_jwt_bearer"
        if variant is None and "auth_provider" in found:
            return "oauth_browser"
        return None
    if variant is not None and not (authentication == "Custom" and variant == "NoAuthentication"):
        return None
    return {"Custom": "no_auth" if variant else "custom", "Basic": "basic", "AwsSv4": "aws_sigv4",
            "Jwt": "jwt"}.get(authentication)
