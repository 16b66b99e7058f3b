"""Auth. Providers: `auth_providers` entries -> AuthProvider metadata, and back by import.

The identity providers that OAuth browser-flow credentials (and legacy oauth named credentials)
log in through. The consumer secret is never written: Salesforce does not update it from a
deploy, and it belongs in Setup (README reference: AuthProvider).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.kinds.base import BuildContext, Check, CheckContext, Kind, Phase, Step, StepContext
from sfauthgen.model import Component
from sfauthgen.records import record
from sfauthgen.spec.source import Source
from sfauthgen.vocabulary import inverse

if TYPE_CHECKING:
    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.read import MetadataFile

SECTION = "auth_providers"
# provider_type -> the WSDL's AuthProviderType.
PROVIDER_TYPES = {
    "salesforce": "Salesforce",
    "open_id_connect": "OpenIdConnect",
    "google": "Google",
    "microsoft": "Microsoft",
    "github": "GitHub",
    "slack": "Slack",
    "custom": "Custom",
}
_ENDPOINTS = ("authorize_url", "token_url", "user_info_url")
# Keys each type needs, and the type-specific keys it may take (all take label, the registration
# handler and its execution user, icon, logout and error URLs).
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "salesforce": (),
    "open_id_connect": ("consumer_key", "authorize_url", "token_url"),
    "google": (),
    "microsoft": ("consumer_key",),
    "github": ("consumer_key",),
    "slack": ("consumer_key",),
    "custom": ("plugin",),
}
OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {
    "salesforce": ("consumer_key", *_ENDPOINTS, "default_scopes", "include_org_id", "require_pkce"),
    "open_id_connect": ("user_info_url", "default_scopes", "id_token_issuer", "send_client_credentials_in_header",
                        "send_access_token_in_header", "require_pkce"),
    "google": ("consumer_key", "default_scopes"),
    "microsoft": (*_ENDPOINTS, "default_scopes", "require_pkce"),
    "github": ("default_scopes",),
    "slack": (*_ENDPOINTS, "default_scopes", "require_pkce"),
    "custom": ("custom_metadata_record",),
}
TYPE_SPECIFIC_KEYS = frozenset(k for keys in (*REQUIRED_KEYS.values(), *OPTIONAL_KEYS.values()) for k in keys)
# Types whose consumer key and secret Salesforce can supply itself (Salesforce-managed providers).
MANAGED_TYPES = ("salesforce", "google")
FLAG_DEFAULTS = {"send_client_credentials_in_header": False, "send_access_token_in_header": False,
                 "require_pkce": False, "include_org_id": False}


@record
class AuthProviderEntry:
    source: Source
    written: frozenset[str]
    name: str
    existing: bool
    label: str
    provider_type: str
    consumer_key: str | None
    authorize_url: str | None
    token_url: str | None
    user_info_url: str | None
    default_scopes: str | None
    id_token_issuer: str | None
    send_client_credentials_in_header: bool
    send_access_token_in_header: bool
    require_pkce: bool
    include_org_id: bool
    registration_handler: str | None
    execution_user: str | None
    plugin: str | None
    custom_metadata_record: str | None
    icon_url: str | None
    logout_url: str | None
    error_url: str | None


def parse(source: Source, data: dict[str, Any]) -> AuthProviderEntry:
    flags = {key: data.get(key, default) for key, default in FLAG_DEFAULTS.items()}
    return AuthProviderEntry(
        source=source, written=frozenset(data), name=data["name"], existing=bool(data.get("existing")),
        label=data.get("label", data["name"]), provider_type=data.get("provider_type", ""),
        consumer_key=data.get("consumer_key"), authorize_url=data.get("authorize_url"),
        token_url=data.get("token_url"), user_info_url=data.get("user_info_url"),
        default_scopes=data.get("default_scopes"), id_token_issuer=data.get("id_token_issuer"),
        registration_handler=data.get("registration_handler"), execution_user=data.get("execution_user"),
        plugin=data.get("plugin"), custom_metadata_record=data.get("custom_metadata_record"),
        icon_url=data.get("icon_url"), logout_url=data.get("logout_url"), error_url=data.get("error_url"),
        **flags,
    )


@record
class AuthProvider(Component):
    """Fields in WSDL order; every boolean written, as a retrieve writes them."""

    metadata_type: ClassVar[str] = "AuthProvider"
    template: ClassVar[str] = "authProvider.xml.j2"

    authorize_url: str | None
    consumer_key: str | None
    custom_metadata_record: str | None
    default_scopes: str | None
    error_url: str | None
    execution_user: str | None
    friendly_name: str
    icon_url: str | None
    id_token_issuer: str | None
    include_org_id_in_identifier: bool
    is_pkce_enabled: bool
    logout_url: str | None
    plugin: str | None
    provider_type: str
    registration_handler: str | None
    send_access_token_in_header: bool
    send_client_credentials_in_header: bool
    token_url: str | None
    user_info_url: str | None
    require_mfa: bool = False
    send_secret_in_apis: bool = True


def build(entry: AuthProviderEntry, ctx: BuildContext) -> Iterator[Component]:
    if entry.existing:
        return
    yield AuthProvider(
        name=entry.name,
        authorize_url=entry.authorize_url,
        consumer_key=entry.consumer_key,
        custom_metadata_record=entry.custom_metadata_record,
        default_scopes=entry.default_scopes,
        error_url=entry.error_url,
        execution_user=entry.execution_user,
        friendly_name=entry.label,
        icon_url=entry.icon_url,
        id_token_issuer=entry.id_token_issuer,
        include_org_id_in_identifier=entry.include_org_id,
        is_pkce_enabled=entry.require_pkce,
        logout_url=entry.logout_url,
        plugin=entry.plugin,
        provider_type=PROVIDER_TYPES[entry.provider_type],
        registration_handler=entry.registration_handler,
        send_access_token_in_header=entry.send_access_token_in_header,
        send_client_credentials_in_header=entry.send_client_credentials_in_header,
        token_url=entry.token_url,
        user_info_url=entry.user_info_url,
    )


def next_steps(entry: AuthProviderEntry, ctx: StepContext) -> Iterator[Step]:
    if entry.existing or (entry.consumer_key is None and entry.provider_type in MANAGED_TYPES):
        return
    yield Step(Phase.CREDENTIALS, f"auth provider {entry.name}: enter the consumer secret in Setup > Auth. Providers "
                                  f"> {entry.label} (a deploy never sets it)")


# Checks.

def _type_keys(entry: AuthProviderEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    if entry.existing:
        for key in sorted(entry.written - {"name", "existing"}):
            yield error(entry.source.locate(key, key=True), "", f"'{key}' cannot be set on an existing auth provider",
                        "existing: true declares a provider managed in the org; give only its name")
        return
    kind = entry.provider_type
    for key in REQUIRED_KEYS[kind]:
        if key not in entry.written:
            yield error(entry.source.locate("provider_type"), "", f"provider_type {kind} needs '{key}'",
                        f"add '{key}' to {entry.name}")
    allowed = set(REQUIRED_KEYS[kind]) | set(OPTIONAL_KEYS[kind])
    for key in sorted((TYPE_SPECIFIC_KEYS - allowed) & entry.written):
        takers = sorted(t for t in REQUIRED_KEYS if key in REQUIRED_KEYS[t] or key in OPTIONAL_KEYS[t])
        yield error(entry.source.locate(key, key=True), "", f"'{key}' does not apply to provider_type {kind}",
                    "it is used by: " + ", ".join(takers))
    if entry.registration_handler is not None and entry.execution_user is None:
        yield error(entry.source.locate("registration_handler", key=True), "",
                    "a registration handler needs execution_user", "the user the handler runs as")


CHECKS = (
    Check("SFC501", "AuthProviderKeys", "A key the provider type needs is missing, or a key of another type is set.",
          _type_keys),
)


# Import.

_TYPES = inverse(PROVIDER_TYPES)
_FIELDS = (("consumerKey", "consumer_key"), ("authorizeUrl", "authorize_url"), ("tokenUrl", "token_url"),
           ("userInfoUrl", "user_info_url"), ("defaultScopes", "default_scopes"),
           ("idTokenIssuer", "id_token_issuer"), ("registrationHandler", "registration_handler"),
           ("executionUser", "execution_user"), ("plugin", "plugin"),
           ("customMetadataTypeRecord", "custom_metadata_record"), ("iconUrl", "icon_url"),
           ("logoutUrl", "logout_url"), ("errorUrl", "error_url"))
_FLAGS = (("sendClientCredentialsInHeader", "send_client_credentials_in_header"),
          ("sendAccessTokenInHeader", "send_access_token_in_header"), ("isPkceEnabled", "require_pkce"),
          ("includeOrgIdInIdentifier", "include_org_id"))


def import_files(files: list[MetadataFile], ctx: ImportContext) -> None:
    for meta in files:
        reader = ctx.reader(meta)
        kind = _TYPES.get(reader.peek("providerType") or "")
        if kind is None:
            reader.note("providerType", f"{reader.peek('providerType')} providers are not described by the spec "
                                        "language; declared as existing (not managed)")
            for child in reader.children():
                reader.mark(child)
            ctx.skip_comparison([meta.shown])
            ctx.add(SECTION, {"name": meta.member, "existing": True}, [reader])
            continue
        reader.take("providerType")
        entry: dict[str, Any] = {"name": meta.member, "label": reader.take("friendlyName") or meta.member,
                                 "provider_type": kind}
        for element, key in _FIELDS:
            value = reader.take(element)
            if value:
                entry[key] = value
        for element, key in _FLAGS:
            flag = reader.flag(element)
            if flag != FLAG_DEFAULTS[key]:
                entry[key] = flag
        for constant, expected in (("sendSecretInApis", "true"), ("requireMfa", "false")):
            found = reader.find(constant)
            if found is not None and found.text == expected:
                reader.mark(found)
        ctx.add(SECTION, entry, [reader])


KIND = Kind(
    name="auth_provider",
    noun="auth provider",
    section=SECTION,
    schema=("auth_provider.json",),
    metadata_types=("AuthProvider",),
    parse=parse,
    checks=CHECKS,
    build=build,
    next_steps=next_steps,
    import_files=import_files,
)
