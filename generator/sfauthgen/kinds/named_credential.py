"""Named credentials: `named_credentials` entries -> NamedCredential metadata (new model or legacy), and back.

An entry's `apex` block is the Apex callout kind's (`apex_callout.py`); it rides on the
named credential it calls through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from sfauthgen.diagnostics import Diagnostic, error, warning
from sfauthgen.kinds import apex_callout
from sfauthgen.kinds.apex_callout import ApexCallout
from sfauthgen.kinds.base import BuildContext, Check, CheckContext, Kind, Phase, Reference, Step, StepContext
from sfauthgen.kinds.external_credential import (
    duplicate_headers,
    in_sequence,
    insecure_url,
    is_secure_url,
    secret_header,
)
from sfauthgen.model import Component
from sfauthgen.records import record
from sfauthgen.spec.source import Source
from sfauthgen.vocabulary import (
    LEGACY_OPTIONAL_KEYS,
    LEGACY_PRINCIPAL_TYPES,
    LEGACY_PROTOCOLS,
    LEGACY_REQUIRED_KEYS,
    LEGACY_SPECIFIC_KEYS,
    inverse,
)

if TYPE_CHECKING:
    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.elements import Reader
    from sfauthgen.importer.read import MetadataFile

SECTION = "named_credentials"
# Flags -> default.
DEFAULTS = {
    "generate_authorization_header": True,
    "allow_merge_fields_in_header": False,
    "allow_merge_fields_in_body": False,
    "callouts_enabled": True,
}
NEW_MODEL_KEYS = ("url", "external_credential", "headers", "allowed_namespaces")  # client_certificate: both


@record
class Legacy:
    """The pre-Winter '23 model, as written: `written` holds the keys the block sets."""

    source: Source
    written: frozenset[str]
    endpoint: str
    principal_type: str
    protocol: str
    username: str | None
    auth_provider: str | None
    oauth_scope: str | None
    aws_region: str | None
    aws_service: str | None
    signing_certificate: str | None
    jwt_issuer: str | None
    jwt_subject: str | None
    jwt_audience: str | None
    jwt_validity_seconds: int | None

    def applies(self, key: str) -> bool:
        """Whether a protocol-specific key belongs to this block's protocol (others are warned and not written)."""
        return key not in LEGACY_SPECIFIC_KEYS or key in LEGACY_REQUIRED_KEYS[self.protocol] \
            or key in LEGACY_OPTIONAL_KEYS[self.protocol]


@record
class NamedCredentialEntry:
    source: Source
    written: frozenset[str]
    name: str
    label: str
    description: str | None
    url: str | None
    external_credential: str | None
    generate_authorization_header: bool
    allow_merge_fields_in_header: bool
    allow_merge_fields_in_body: bool
    callouts_enabled: bool
    headers: tuple[tuple[str, str], ...]
    allowed_namespaces: tuple[tuple[str, str | None], ...]  # (namespace, the parameter name an org assigned)
    client_certificate: str | None
    legacy: Legacy | None
    apex: ApexCallout | None


def parse(source: Source, data: dict[str, Any]) -> NamedCredentialEntry:
    legacy = data.get("legacy")
    apex = data.get("apex")
    return NamedCredentialEntry(
        source=source,
        written=frozenset(data),
        name=data["name"],
        label=data["label"],
        description=data.get("description"),
        url=data.get("url"),
        external_credential=data.get("external_credential"),
        generate_authorization_header=data.get("generate_authorization_header",
                                               DEFAULTS["generate_authorization_header"]),
        allow_merge_fields_in_header=data.get("allow_merge_fields_in_header", DEFAULTS["allow_merge_fields_in_header"]),
        allow_merge_fields_in_body=data.get("allow_merge_fields_in_body", DEFAULTS["allow_merge_fields_in_body"]),
        callouts_enabled=data.get("callouts_enabled", DEFAULTS["callouts_enabled"]),
        headers=tuple((data.get("headers") or {}).items()),
        allowed_namespaces=tuple(
            (item, None) if isinstance(item, str) else (item["namespace"], item.get("parameter_name"))
            for item in data.get("allowed_namespaces") or ()
        ),
        client_certificate=data.get("client_certificate"),
        legacy=None if legacy is None else _parse_legacy(source.at("legacy"), legacy),
        apex=None if apex is None else apex_callout.parse_apex(source.at("apex"), apex, data["name"], data["label"]),
    )


def _parse_legacy(source: Source, data: dict[str, Any]) -> Legacy:
    block = Legacy(source, frozenset(data), data["endpoint"], data["principal_type"], data["protocol"],
                   username=data.get("username"), auth_provider=data.get("auth_provider"),
                   oauth_scope=data.get("oauth_scope"), aws_region=data.get("aws_region"),
                   aws_service=data.get("aws_service"), signing_certificate=data.get("signing_certificate"),
                   jwt_issuer=data.get("jwt_issuer"), jwt_subject=data.get("jwt_subject"),
                   jwt_audience=data.get("jwt_audience"), jwt_validity_seconds=data.get("jwt_validity_seconds"))
    return block


@record
class NamedCredentialParameter:
    """One namedCredentialParameters element; fields in WSDL order."""

    parameter_name: str
    parameter_type: str
    certificate: str | None = None
    external_credential: str | None = None
    parameter_value: str | None = None
    sequence_number: int | None = None


@record
class LegacySettings:
    """The pre-Winter '23 named credential fields, as Salesforce stores them."""

    auth_provider: str | None
    aws_region: str | None
    aws_service: str | None
    endpoint: str
    jwt_audience: str | None
    jwt_subject: str | None
    jwt_issuer: str | None
    jwt_signing_certificate: str | None
    jwt_validity_period_seconds: int | None
    oauth_scope: str | None
    principal_type: str
    protocol: str
    username: str | None


@record
class NamedCredential(Component):
    metadata_type: ClassVar[str] = "NamedCredential"
    template: ClassVar[str] = "namedCredential.xml.j2"

    label: str
    description: str | None
    allow_merge_fields_in_body: bool
    allow_merge_fields_in_header: bool
    callout_status: str
    certificate: str | None  # legacy model: the client certificate for mutual TLS
    generate_authorization_header: bool
    parameters: tuple[NamedCredentialParameter, ...]
    named_credential_type: str | None  # None for the legacy model, which Salesforce writes without it
    legacy: LegacySettings | None


def _legacy_settings(legacy: Legacy) -> LegacySettings:
    def only(key: str, value: Any) -> Any:
        return value if legacy.applies(key) else None

    return LegacySettings(
        auth_provider=only("auth_provider", legacy.auth_provider),
        aws_region=only("aws_region", legacy.aws_region),
        aws_service=only("aws_service", legacy.aws_service),
        endpoint=legacy.endpoint,
        jwt_audience=only("jwt_audience", legacy.jwt_audience),
        jwt_subject=only("jwt_subject", legacy.jwt_subject),
        jwt_issuer=only("jwt_issuer", legacy.jwt_issuer),
        jwt_signing_certificate=only("signing_certificate", legacy.signing_certificate),
        jwt_validity_period_seconds=only("jwt_validity_seconds", legacy.jwt_validity_seconds),
        oauth_scope=only("oauth_scope", legacy.oauth_scope),
        principal_type=LEGACY_PRINCIPAL_TYPES[legacy.principal_type],
        protocol=LEGACY_PROTOCOLS[legacy.protocol],
        username=only("username", legacy.username),
    )


def build(entry: NamedCredentialEntry, ctx: BuildContext) -> Iterator[Component]:
    params: list[NamedCredentialParameter] = []
    if entry.legacy is None:
        params.append(NamedCredentialParameter("Url", "Url", parameter_value=entry.url))
        params.append(NamedCredentialParameter("ExternalCredential", "Authentication",
                                               external_credential=entry.external_credential))
        if entry.client_certificate is not None:
            params.append(NamedCredentialParameter("ClientCertificate", "ClientCertificate",
                                                   certificate=entry.client_certificate))
        for number, (header, value) in enumerate(entry.headers, start=1):
            params.append(NamedCredentialParameter(header, "HttpHeader", parameter_value=value,
                                                   sequence_number=number))
        for namespace, parameter_name in entry.allowed_namespaces:  # in the order written
            params.append(NamedCredentialParameter(parameter_name or namespace, "AllowedManagedPackageNamespaces",
                                                   parameter_value=namespace))
    yield NamedCredential(
        name=entry.name,
        label=entry.label,
        description=entry.description,
        allow_merge_fields_in_body=entry.allow_merge_fields_in_body,
        allow_merge_fields_in_header=entry.allow_merge_fields_in_header,
        callout_status="Enabled" if entry.callouts_enabled else "Disabled",
        certificate=entry.client_certificate if entry.legacy is not None else None,
        generate_authorization_header=entry.generate_authorization_header,
        parameters=tuple(params),
        named_credential_type=None if entry.legacy is not None else "SecuredEndpoint",
        legacy=_legacy_settings(entry.legacy) if entry.legacy is not None else None,
    )


def references(entry: NamedCredentialEntry) -> Iterator[Reference]:
    if entry.external_credential is not None:
        yield Reference("external_credentials", entry.external_credential,
                        entry.source.locate("external_credential"))
    legacy = entry.legacy
    if legacy is not None and legacy.auth_provider is not None and legacy.applies("auth_provider"):
        yield Reference("auth_providers", legacy.auth_provider, legacy.source.locate("auth_provider"))


def next_steps(entry: NamedCredentialEntry, ctx: StepContext) -> Iterator[Step]:
    legacy = entry.legacy
    if legacy is None:
        return
    per_user = legacy.principal_type == "per_user"
    if legacy.protocol == "password":
        who = "each user enters their own" if per_user else f"enter the password of {legacy.username}"
        yield Step(Phase.CREDENTIALS, f"{entry.name} (legacy): {who} in Setup > Named Credentials")
    elif legacy.protocol == "oauth":
        who = ("each user authenticates under Settings > Authentication Settings for External Systems" if per_user
               else "authenticate once in Setup > Named Credentials")
        yield Step(Phase.CREDENTIALS, f"{entry.name} (legacy): {who}")
    elif legacy.protocol == "aws_sigv4":
        yield Step(Phase.CREDENTIALS,
                   f"{entry.name} (legacy): enter the AWS access key ID and secret in Setup > Named Credentials")


# Checks.

def _model(entry: NamedCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """A named credential is either the new model (url + external_credential) or legacy, not both."""
    if entry.legacy is not None:
        for key in NEW_MODEL_KEYS:
            if key in entry.written:
                yield error(entry.source.locate(key, key=True), "",
                            f"'{key}' belongs to the new named credential model; {entry.name} uses 'legacy'",
                            "remove the legacy block to use an external credential, or remove this key")
        return
    for key, value in (("url", entry.url), ("external_credential", entry.external_credential)):
        if value is None:
            yield error(entry.source.locate("name"), "", f"named credential '{entry.name}' needs '{key}'",
                        "the new model needs url and external_credential; the old one a 'legacy' block")


def _legacy_keys(entry: NamedCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """Keys a legacy protocol needs; keys of other protocols are ignored with a warning (the spec
    language's own legacy example lists the keys of several protocols side by side)."""
    legacy = entry.legacy
    if legacy is None:
        return
    protocol = legacy.protocol
    for key in LEGACY_REQUIRED_KEYS[protocol]:
        if key not in legacy.written:
            yield error(legacy.source.locate("protocol"), "", f"protocol {protocol} needs '{key}'",
                        f"add '{key}' to {entry.name}")
    allowed = set(LEGACY_REQUIRED_KEYS[protocol]) | set(LEGACY_OPTIONAL_KEYS[protocol])
    for key in sorted((LEGACY_SPECIFIC_KEYS - allowed) & legacy.written):
        takers = sorted(p for p in LEGACY_REQUIRED_KEYS
                        if key in LEGACY_REQUIRED_KEYS[p] or key in LEGACY_OPTIONAL_KEYS[p])
        yield warning(legacy.source.locate(key, key=True), "",
                      f"'{key}' is ignored for protocol {protocol} and not written",
                      "it is used by: " + ", ".join(takers))


def _sends_no_credentials(entry: NamedCredentialEntry, ctx: CheckContext) -> bool:
    if entry.legacy is not None and entry.legacy.protocol == "no_authentication":
        return True
    credential = ctx.spec.named("external_credential").get(entry.external_credential or "")
    return credential is not None and credential.protocol == "no_auth"


def _secure_urls(entry: NamedCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """Endpoints that receive credentials must be https (http only for localhost tests)."""
    if _sends_no_credentials(entry, ctx):
        return
    if entry.url is not None and not is_secure_url(entry.url):
        yield insecure_url(entry.source.locate("url"), entry.url)
    if entry.legacy is not None and not is_secure_url(entry.legacy.endpoint):
        yield insecure_url(entry.legacy.source.locate("endpoint"), entry.legacy.endpoint)


def _headers_unique(entry: NamedCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    yield from duplicate_headers(entry.headers, entry.source)


def _namespaces_unique(entry: NamedCredentialEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """Each allowed namespace is one parameter, named by `parameter_name` or the namespace: a name or a
    namespace given twice (namespaces are case-insensitive) writes two parameters for one thing."""
    names: dict[str, int] = {}
    namespaces: dict[str, int] = {}
    for index, (namespace, parameter_name) in enumerate(entry.allowed_namespaces):
        name = parameter_name or namespace
        for seen, key, what in ((names, name.lower(), f"parameter name '{name}'"),
                                (namespaces, namespace.lower(), f"namespace '{namespace}'")):
            first = seen.setdefault(key, index)
            if first != index:
                yield error(entry.source.locate("allowed_namespaces", index), "",
                            f"allowed_namespaces item {index + 1} repeats the {what} of item {first + 1}",
                            "keep one of them")
                break  # one message per item


CHECKS = (
    Check("SFC214", "DuplicateHeader", "Two headers whose names differ only in case.", _headers_unique),
    Check("SFC215", "DuplicateNamespace", "Two allowed_namespaces items with one namespace or parameter name.",
          _namespaces_unique),
    Check("SFC211", "NamedCredentialModel", "A named credential mixes the new model and legacy, or lacks url or "
          "external_credential.", _model),
    Check("SFC212", "LegacyProtocolKeys", "A legacy protocol misses a key it needs, or sets another protocol's.",
          _legacy_keys),
    Check("SFC213", "InsecureCalloutEndpoint", "A named credential that sends credentials to a non-https URL.",
          _secure_urls),
)


# Import.

_LEGACY_PRINCIPALS = inverse(LEGACY_PRINCIPAL_TYPES)
_LEGACY_PROTOCOLS = inverse(LEGACY_PROTOCOLS)
_LEGACY_FIELDS = (("authProvider", "auth_provider"), ("oauthScope", "oauth_scope"), ("username", "username"),
                  ("awsRegion", "aws_region"), ("awsService", "aws_service"),
                  ("jwtSigningCertificate", "signing_certificate"), ("jwtIssuer", "jwt_issuer"),
                  ("jwtTextSubject", "jwt_subject"), ("jwtAudience", "jwt_audience"))


def _is_url(value: str | None) -> bool:
    return bool(value) and re.match(r"^https?://\S+\Z", value or "", re.IGNORECASE) is not None


def import_files(files: list[MetadataFile], ctx: ImportContext) -> None:
    for meta in files:
        entry, reader = _import_one(meta, ctx)
        if entry is None:
            ctx.add_reader(reader)
            ctx.skip_comparison([meta.shown])
        else:
            ctx.add(SECTION, entry, [reader])


def _import_one(meta: MetadataFile, ctx: ImportContext) -> tuple[dict[str, Any] | None, Reader]:
    """The entry, or None when the file cannot be one (reported)."""
    reader = ctx.reader(meta)
    entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member}
    description = reader.take("description")
    if description is not None:
        entry["description"] = description
    found = {
        "generate_authorization_header": reader.flag("generateAuthorizationHeader"),
        "allow_merge_fields_in_header": reader.flag("allowMergeFieldsInHeader"),
        "allow_merge_fields_in_body": reader.flag("allowMergeFieldsInBody"),
        "callouts_enabled": reader.take("calloutStatus") != "Disabled",
    }
    entry.update({key: value for key, value in found.items() if value != DEFAULTS[key]})  # the spec leaves defaults out
    kind = reader.find("namedCredentialType")
    params = reader.children(name="namedCredentialParameters")
    if kind is not None and kind.text == "SecuredEndpoint" or (kind is None and params):
        if kind is not None:
            reader.mark(kind)
        _import_new_model(reader, entry, params)
        target = entry.get("url")
    elif kind is None:
        _import_legacy(reader, entry)
        target = entry.get("legacy", {}).get("endpoint")
    else:
        # PrivateEndpoint (through an outbound network connection) and types to come: none has a spec form.
        reader.note("namedCredentialType", f"a {kind.text or 'blank'} named credential has no spec form (the spec "
                                           "writes SecuredEndpoint and legacy ones); the named credential was not "
                                           "imported")
        for child in reader.children():
            reader.mark(child)
        return None, reader
    if not _is_url(target):
        reader.note("endpoint", f"'{target or ''}' is not an http(s) URL (a template to fill in the org?); "
                                "the named credential was not imported")
        for child in reader.children():
            reader.mark(child)
        return None, reader
    return entry, reader


def _import_new_model(reader: Reader, entry: dict[str, Any], params: list[Any]) -> None:
    headers: dict[str, str] = {}
    namespaces: list[Any] = []
    for param in in_sequence(reader, params):
        kind_text = reader.peek("parameterType", param)
        value = reader.peek("parameterValue", param) or ""
        name = reader.peek("parameterName", param) or ""
        if kind_text == "Url" and "url" not in entry:
            entry["url"] = value
        elif kind_text == "Authentication" and reader.peek("externalCredential", param) is not None:
            entry["external_credential"] = reader.peek("externalCredential", param)
        elif kind_text == "HttpHeader":
            if secret_header(reader, param, name, value):
                continue
            headers[name] = value
        elif kind_text == "AllowedManagedPackageNamespaces":
            # Keep the name the org assigned (AllowedNamespace_<random>) so the file regenerates as it is.
            namespaces.append(value if name == value else {"namespace": value, "parameter_name": name})
        elif kind_text == "ClientCertificate" and reader.peek("certificate", param):
            entry["client_certificate"] = reader.peek("certificate", param)
        else:
            reader.lose(param, f"{kind_text} parameters have no key in the spec language")
            continue
        reader.mark(param)
    if headers:
        entry["headers"] = headers
    if namespaces:
        entry["allowed_namespaces"] = namespaces


def _import_legacy(reader: Reader, entry: dict[str, Any]) -> None:
    legacy: dict[str, Any] = {"endpoint": reader.take("endpoint") or ""}
    certificate = reader.take("certificate")
    if certificate:
        entry["client_certificate"] = certificate
    principal = reader.take("principalType") or "Anonymous"
    protocol = reader.take("protocol") or "NoAuthentication"
    if principal not in _LEGACY_PRINCIPALS or protocol not in _LEGACY_PROTOCOLS:
        reader.note("principalType/protocol", f"{principal}/{protocol} has no legacy equivalent in the spec language")
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
        reader.note("protocol", f"{protocol} without {', '.join(missing)}: imported as no_authentication; "
                                "set the protocol in the spec")
        legacy = {k: legacy[k] for k in ("endpoint", "principal_type")}
        legacy["protocol"] = "no_authentication"
    entry["legacy"] = legacy


def minimum_api(entry: NamedCredentialEntry) -> Iterator[tuple[str, Any, str]]:
    if entry.legacy is None:
        yield "56.0", entry.source.locate("name"), f"named credential '{entry.name}' (the model with an external " \
                                                   "credential)"


KIND = Kind(
    name="named_credential",
    minimum_api=minimum_api,
    noun="named credential",
    section=SECTION,
    schema=("named_credential.json",),
    metadata_types=("NamedCredential",),
    parse=parse,
    checks=CHECKS,
    build=build,
    references=references,
    next_steps=next_steps,
    import_files=import_files,
)
