"""External credentials: `external_credentials` entries -> ExternalCredential metadata, and back.

Each protocol is an authenticationProtocol plus parameters, written as Salesforce writes
them (README reference: External Credential parameters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.kinds.base import (
    PRINCIPAL,
    BuildContext,
    Check,
    CheckContext,
    Grant,
    Kind,
    Phase,
    Reference,
    Step,
    StepContext,
)
from sfauthgen.model import Component
from sfauthgen.records import record
from sfauthgen.spec.secrets import redact, secret_in_value
from sfauthgen.spec.source import Source
from sfauthgen.vocabulary import (
    CLIENT_SECRET_IN_VARIANT,
    EXTERNAL_CREDENTIAL_PROTOCOLS,
    JWT_ALGORITHMS,
    PRINCIPAL_TYPES,
    PROTOCOL_OPTIONAL_KEYS,
    PROTOCOL_REQUIRED_KEYS,
    PROTOCOL_SPECIFIC_KEYS,
    inverse,
)

if TYPE_CHECKING:
    from lxml import etree

    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.elements import Reader
    from sfauthgen.importer.read import MetadataFile

SECTION = "external_credentials"
DEFAULT_GROUP = "DefaultGroup"
REFRESH_STATUS = "AdditionalRefreshStatusCode"
DEFAULT_CLIENT_SECRET_IN = "body"
DEFAULT_PRINCIPAL_TYPE = "named"
# Keys an entry with `existing: true` may have: it only names a credential managed in the org.
EXISTING_KEYS = frozenset({"name", "existing", "principals"})


@record
class Principal:
    source: Source
    name: str
    type: str  # named | per_user
    access: tuple[str, ...]  # permission sets
    scope: str | None = None  # OAuth: this principal's own scope


@record
class Claim:
    name: str
    value: str
    description: str | None  # what Setup shows beside it (Issuer, Subject...)


@record
class ExternalCredentialEntry:
    source: Source
    written: frozenset[str]  # the keys the entry sets, for the protocol checks
    name: str
    existing: bool
    label: str
    description: str | None
    protocol: str
    token_url: str | None
    scope: str | None
    client_secret_in: str
    auth_provider: str | None
    signing_certificate: str | None
    claims: tuple[Claim, ...]
    header_claims: tuple[Claim, ...]
    headers: tuple[tuple[str, str], ...]
    refresh_on_status: tuple[int, ...]
    aws_region: str | None
    aws_service: str | None
    aws_account_id: str | None
    principals: tuple[Principal, ...]


def parse(source: Source, data: dict[str, Any]) -> ExternalCredentialEntry:
    principals = tuple(
        Principal(source.at("principals", i), p["name"], p.get("type", DEFAULT_PRINCIPAL_TYPE),
                  tuple(p.get("access") or ()), p.get("scope"))
        for i, p in enumerate(data.get("principals") or ())
    )
    return ExternalCredentialEntry(
        source=source,
        written=frozenset(data),
        name=data["name"],
        existing=bool(data.get("existing")),
        label=data.get("label", data["name"]),
        description=data.get("description"),
        protocol=data.get("protocol", ""),
        token_url=data.get("token_url"),
        scope=data.get("scope"),
        client_secret_in=data.get("client_secret_in", DEFAULT_CLIENT_SECRET_IN),
        auth_provider=data.get("auth_provider"),
        signing_certificate=data.get("signing_certificate"),
        claims=_claims(data.get("claims")),
        header_claims=_claims(data.get("header_claims")),
        headers=tuple((data.get("headers") or {}).items()),
        refresh_on_status=tuple(data.get("refresh_on_status") or ()),
        aws_region=data.get("aws_region"),
        aws_service=data.get("aws_service"),
        aws_account_id=data.get("aws_account_id"),
        principals=principals,
    )


def _claims(written: Any) -> tuple[Claim, ...]:
    """Claims in the order written: a value, or {value, description}."""
    if not isinstance(written, dict):
        return ()
    return tuple(Claim(name, value, None) if isinstance(value, str) else
                 Claim(name, value["value"], value.get("description")) for name, value in written.items())


@record
class ExternalCredentialParameter:
    """One externalCredentialParameters element; fields in WSDL order."""

    parameter_name: str
    parameter_type: str
    parameter_group: str | None
    auth_provider: str | None = None
    certificate: str | None = None
    description: str | None = None
    parameter_value: str | None = None
    sequence_number: int | None = None


@record
class ExternalCredential(Component):
    metadata_type: ClassVar[str] = "ExternalCredential"
    template: ClassVar[str] = "externalCredential.xml.j2"

    label: str
    description: str | None
    authentication_protocol: str
    parameters: tuple[ExternalCredentialParameter, ...]


def build(entry: ExternalCredentialEntry, ctx: BuildContext) -> Iterator[Component]:
    if entry.existing:
        return
    protocol, variant = EXTERNAL_CREDENTIAL_PROTOCOLS[entry.protocol]
    if entry.protocol == "oauth_client_credentials":
        variant = CLIENT_SECRET_IN_VARIANT[entry.client_secret_in]
    params: list[ExternalCredentialParameter] = []

    def add(name: str, kind: str, **fields: Any) -> None:
        params.append(ExternalCredentialParameter(name, kind, DEFAULT_GROUP, **fields))

    # Non-principal parameters in one fixed order (Salesforce keeps none), so output is
    # deterministic; sequence numbers follow the order written in the spec.
    if variant is not None:
        add(protocol, "AuthProtocolVariant", parameter_value=variant)
    if entry.auth_provider is not None:
        add("AuthProvider", "AuthProvider", auth_provider=entry.auth_provider)
    if entry.token_url is not None:
        add("AuthProviderUrl", "AuthProviderUrl", parameter_value=entry.token_url)
    for name, value in (("Scope", entry.scope), ("AwsRegion", entry.aws_region), ("AwsService", entry.aws_service),
                        ("AwsAccountId", entry.aws_account_id)):
        if value is not None:
            add(name, "AuthParameter", parameter_value=value)
    if entry.signing_certificate is not None:
        add("SigningCertificate", "SigningCertificate", certificate=entry.signing_certificate)
    for claim in entry.claims:  # in the order written: Salesforce keeps creation order
        add(claim.name, "JwtBodyClaim", description=claim.description, parameter_value=claim.value)
    for claim in entry.header_claims:
        add(claim.name, "JwtHeaderClaim", description=claim.description, parameter_value=claim.value)
    for number, (header, value) in enumerate(entry.headers, start=1):
        add(header, "AuthHeader", parameter_value=value, sequence_number=number)
    for code in entry.refresh_on_status:
        # One parameter per code, all named AdditionalRefreshStatusCode, in no group (as Salesforce writes them).
        params.append(ExternalCredentialParameter(REFRESH_STATUS, REFRESH_STATUS, None, parameter_value=str(code)))
    for number, principal in enumerate(entry.principals, start=1):
        params.append(ExternalCredentialParameter(principal.name, PRINCIPAL_TYPES[principal.type], principal.name,
                                                  sequence_number=number))
        if principal.scope is not None:
            params.append(ExternalCredentialParameter("Scope", "AuthParameter", principal.name,
                                                      parameter_value=principal.scope))
    yield ExternalCredential(name=entry.name, label=entry.label, description=entry.description,
                             authentication_protocol=protocol, parameters=tuple(params))


def grants(entry: ExternalCredentialEntry) -> Iterator[Grant]:
    for principal in entry.principals:
        for index, permission_set in enumerate(principal.access):
            yield Grant(permission_set, PRINCIPAL, f"{entry.name}-{principal.name}",
                        principal.source.locate("access", index), principal.type,
                        refreshes_tokens=entry.protocol.startswith("oauth_"))


def references(entry: ExternalCredentialEntry) -> Iterator[Reference]:
    for grant in grants(entry):
        yield Reference("permission_sets", grant.permission_set, grant.location)
    if entry.auth_provider is not None:
        yield Reference("auth_providers", entry.auth_provider, entry.source.locate("auth_provider"))


# Next steps.

_PRINCIPAL_SECRETS = {
    "oauth_client_credentials": "enter the client ID and client secret",
    "aws_sigv4": "enter the AWS access key ID and secret access key",
    "basic": "enter the user name and password",
}


def formula_parameters(entry: ExternalCredentialEntry,
                       more_headers: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Authentication parameters the header formulas read: {!$Credential.<EC>.<Parameter>}, in the order
    written; `more_headers` are other headers that may read them (those of named credentials using it)."""
    pattern = re.compile(rf"\$Credential\.{re.escape(entry.name)}\.([A-Za-z_][A-Za-z0-9_]*)")
    found: dict[str, None] = {}
    for _, value in (*entry.headers, *more_headers):
        found.update(dict.fromkeys(pattern.findall(value)))
    return list(found)


def _principal_step(entry: ExternalCredentialEntry, principal: Principal) -> str | None:
    where = f"{entry.name} / {principal.name} ({principal.type.replace('_', '-')} principal)"
    if entry.protocol == "oauth_browser":
        if principal.type == "per_user":
            return f"{where}: each user authenticates under Settings > External Credentials"
        return f"{where}: authenticate once in Setup (External Credentials > {entry.label} > Principals)"
    if entry.protocol == "custom":
        parameters = formula_parameters(entry)
        return f"{where}: enter the authentication parameter(s) {', '.join(parameters)}" if parameters else None
    action = _PRINCIPAL_SECRETS.get(entry.protocol)
    return f"{where}: {action}" if action else None


def next_steps(entry: ExternalCredentialEntry, ctx: StepContext) -> Iterator[Step]:
    if not entry.existing:
        if entry.signing_certificate:
            yield Step(Phase.CREDENTIALS, f"{entry.name}: certificate {entry.signing_certificate} must exist in "
                                          "Certificate and Key Management")
        for principal in entry.principals:
            step = _principal_step(entry, principal)
            if step:
                yield Step(Phase.CREDENTIALS, step)
    for principal in entry.principals:
        for permission_set in principal.access:
            yield Step(Phase.ACCESS, f"assign permission set {permission_set} to the users who call {entry.name} "
                                     f"(principal {principal.name})")


# Checks.

def _protocol_keys(entry: ExternalCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """Each protocol gets the keys it needs, and no keys of other protocols."""
    if entry.existing:
        return
    protocol = entry.protocol
    for key in PROTOCOL_REQUIRED_KEYS[protocol]:
        if key not in entry.written:
            yield error(entry.source.locate("protocol"), "", f"protocol {protocol} needs '{key}'",
                        f"add '{key}' to {entry.name}")
    allowed = set(PROTOCOL_REQUIRED_KEYS[protocol]) | set(PROTOCOL_OPTIONAL_KEYS[protocol])
    for key in sorted((PROTOCOL_SPECIFIC_KEYS - allowed) & entry.written):
        takers = sorted(p for p in PROTOCOL_REQUIRED_KEYS
                        if key in PROTOCOL_REQUIRED_KEYS[p] or key in PROTOCOL_OPTIONAL_KEYS[p])
        yield error(entry.source.locate(key, key=True), "", f"'{key}' does not apply to protocol {protocol}",
                    "it is used by: " + ", ".join(takers))
    if not protocol.startswith("oauth_"):
        # A principal's own scope is an OAuth scope (SPEC_LANGUAGE: principals[].scope, OAuth).
        for principal in entry.principals:
            if principal.scope is not None:
                yield error(principal.source.locate("scope", key=True), "",
                            f"principal '{principal.name}': 'scope' does not apply to protocol {protocol}",
                            "a principal's scope is an OAuth scope: oauth_client_credentials, oauth_jwt_bearer "
                            "or oauth_browser")


def _existing_only_declares(entry: ExternalCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """An existing external credential is only named (with its principals); sfauthgen writes nothing of it."""
    if not entry.existing:
        return
    for key in sorted(entry.written - EXISTING_KEYS):
        yield error(entry.source.locate(key, key=True), "",
                    f"'{key}' cannot be set on an existing external credential",
                    "existing: true declares a credential managed in the org; give only its name and principals")


def is_secure_url(url: str) -> bool:
    """https, or http to this machine only (for tests against a local endpoint)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1"))


def insecure_url(location: Any, url: str) -> Diagnostic:
    return error(location, "", f"'{url}' is not an https URL",
                 "Salesforce sends credentials to this endpoint: use https (http only for localhost tests)")


def _secure_token_url(entry: ExternalCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    if entry.token_url is not None and not is_secure_url(entry.token_url):
        yield insecure_url(entry.source.locate("token_url"), entry.token_url)


def duplicate_headers(headers: tuple[tuple[str, str], ...], source: Source) -> Iterator[Diagnostic]:
    """HTTP header names are case-insensitive: X-Tenant and x-tenant are one header."""
    seen: dict[str, str] = {}
    for name, _ in headers:
        first = seen.setdefault(name.lower(), name)
        if first != name:
            yield error(source.locate("headers", name, key=True), "",
                        f"header '{name}' repeats header '{first}' (header names are case-insensitive)",
                        "keep one of them")


def _headers_unique(entry: ExternalCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    yield from duplicate_headers(entry.headers, entry.source)


def _principals_unique(entry: ExternalCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    seen: dict[str, Principal] = {}
    for principal in entry.principals:
        first = seen.setdefault(principal.name.lower(), principal)
        if first is not principal:
            yield error(principal.source.locate("name"), "",
                        f"duplicate principal '{principal.name}' in {entry.name} "
                        f"(also defined at {first.source.locate('name')})")


def _jwt_bearer_claims(entry: ExternalCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """The JWT bearer grant needs issuer, subject and audience (RFC 7523, section 3)."""
    if entry.protocol != "oauth_jwt_bearer" or "claims" not in entry.written:
        return
    names = {claim.name for claim in entry.claims}
    missing = [claim for claim in ("iss", "sub", "aud") if claim not in names]
    if missing:
        yield error(entry.source.locate("claims"), "", f"the JWT bearer flow needs the claim(s) {', '.join(missing)}",
                    "iss: the client id the token endpoint knows, sub: the user, aud: the authorization server")


def _jwt_algorithm(entry: ExternalCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    alg = next((claim.value for claim in entry.header_claims if claim.name == "alg"), None)
    if alg is not None and alg not in JWT_ALGORITHMS:
        yield error(entry.source.locate("header_claims", "alg"), "",
                    f"JWT algorithm '{alg}' is not one Salesforce signs with", "use " + " or ".join(JWT_ALGORITHMS))


CHECKS = (
    Check("SFC201", "ProtocolKeys", "A key the protocol needs is missing, or a key of another protocol is set.",
          _protocol_keys),
    Check("SFC202", "ExistingCredentialKeys", "An existing external credential sets more than name and principals.",
          _existing_only_declares),
    Check("SFC203", "InsecureEndpoint", "An endpoint that receives credentials is not https.", _secure_token_url),
    Check("SFC204", "DuplicatePrincipal", "Two principals of one external credential share a name.",
          _principals_unique),
    Check("SFC205", "JwtBearerClaims", "The JWT bearer flow without iss, sub or aud.", _jwt_bearer_claims),
    Check("SFC206", "JwtAlgorithm", "A JWT alg Salesforce does not sign with.", _jwt_algorithm),
    Check("SFC207", "DuplicateHeader", "Two headers whose names differ only in case.", _headers_unique),
)


# Import.

_PRINCIPAL_KINDS = inverse(PRINCIPAL_TYPES)
_VARIANT_SECRET_IN = inverse(CLIENT_SECRET_IN_VARIANT)
_AUTH_PARAMETERS = {"Scope": "scope", "AwsRegion": "aws_region", "AwsService": "aws_service",
                    "AwsAccountId": "aws_account_id"}


def secret_header(reader: Reader, element: etree._Element, name: str, value: str) -> bool:
    """A header (name or value) that looks like a secret is never imported (reported, redacted)."""
    if secret_in_value(name):
        reader.lose(element, f"a header name looks like {secret_in_value(name)} ({redact(name)}); secrets are "
                             "never imported, rotate it")
        return True
    reason = secret_in_value(value, header=True, name=name)
    if reason:
        reader.lose(element, f"header {name} looks like {reason} ({redact(value)}); secrets are never imported, "
                             "rotate it and reference it with a formula")
        return True
    return False


def in_sequence(reader: Reader, params: list[etree._Element]) -> list[etree._Element]:
    def number(p: etree._Element) -> int:
        text = reader.peek("sequenceNumber", p)
        return int(text) if text else 0

    return sorted(params, key=number)


def import_files(files: list[MetadataFile], ctx: ImportContext) -> None:
    for meta in files:
        entry, reader = _import_one(meta, ctx)
        if entry.get("existing"):
            ctx.skip_comparison([meta.shown])
        ctx.add(SECTION, entry, [reader])


def _import_one(meta: MetadataFile, ctx: ImportContext) -> tuple[dict[str, Any], Reader]:
    reader = ctx.reader(meta)
    entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member}
    description = reader.take("description")
    if description is not None:
        entry["description"] = description
    authentication = reader.take("authenticationProtocol") or ""
    found: dict[str, Any] = {}
    variant: str | None = None
    headers: dict[str, str] = {}
    claims: dict[str, Any] = {}
    header_claims: dict[str, Any] = {}
    refresh: list[int] = []
    principals: list[dict[str, Any]] = []
    scopes: dict[str, tuple[Any, str]] = {}  # principal -> (its Scope parameter, the scope)
    for param in in_sequence(reader, reader.children(name="externalCredentialParameters")):
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
            for permission_set in meta.lifted.get(name, ()):
                # API 56-57 wrote a principal's access on the principal itself: <principal>Set</principal>.
                ctx.grant_principal(meta.member, name, permission_set, meta.shown)
        elif kind == "AuthParameter" and name == "Scope" and group not in (None, DEFAULT_GROUP):
            scopes[group] = (param, value)
            continue
        elif group not in (None, DEFAULT_GROUP):
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
        elif kind in ("JwtBodyClaim", "JwtHeaderClaim"):
            described = reader.peek("description", param)
            target = claims if kind == "JwtBodyClaim" else header_claims
            target[name] = value if described is None else {"value": value, "description": described}
        elif kind == "AuthHeader":
            if secret_header(reader, param, name, value):
                continue
            headers[name] = value
        elif kind == REFRESH_STATUS and value.isascii() and value.isdigit():
            refresh.append(int(value))
        else:
            reader.lose(param, f"{kind} parameter {name} has no key in the spec language")
            continue
        reader.mark(param)
    for item in principals:
        if item["name"] in scopes:
            param, value = scopes.pop(item["name"])
            item["scope"] = value
            reader.mark(param)
    for param, _ in scopes.values():
        reader.lose(param, "a Scope parameter in a group that is no principal's")
    protocol = _protocol(authentication, variant, found)
    if claims:
        found["claims"] = claims
    if header_claims:
        found["header_claims"] = header_claims
    if protocol is None or any(k not in found for k in PROTOCOL_REQUIRED_KEYS[protocol]):
        reader.note("authenticationProtocol",
                    f"{authentication} with variant {variant} and parameters {sorted(found)} is not a "
                    "protocol the spec language describes; declared as existing (not managed)")
        for child in reader.children():
            reader.mark(child)
        return {"name": meta.member, "existing": True, "principals": principals}, reader
    entry["protocol"] = protocol
    if variant in _VARIANT_SECRET_IN and _VARIANT_SECRET_IN[variant] != DEFAULT_CLIENT_SECRET_IN:
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


def minimum_api(entry: ExternalCredentialEntry) -> Iterator[tuple[str, Any, str]]:
    if not entry.existing:
        yield "56.0", entry.source.locate("name"), f"external credential '{entry.name}'"


KIND = Kind(
    name="external_credential",
    minimum_api=minimum_api,
    noun="external credential",
    section=SECTION,
    schema=("external_credential.json",),
    metadata_types=("ExternalCredential",),
    parse=parse,
    checks=CHECKS,
    build=build,
    references=references,
    grants=grants,
    next_steps=next_steps,
    import_files=import_files,
)
