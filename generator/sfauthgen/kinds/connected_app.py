"""Connected apps: `connected_apps` entries -> ConnectedApp metadata, and back by import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from sfauthgen.kinds import app as common
from sfauthgen.kinds.app import AppEntry, AppHeader, IpRange
from sfauthgen.kinds.base import BuildContext, Kind, Phase, Step, StepContext
from sfauthgen.model import Component
from sfauthgen.records import record
from sfauthgen.spec.source import Source
from sfauthgen.vocabulary import (
    IP_RELAXATION,
    PERIOD_UNITS,
    REFRESH_TOKEN_PERIODIC,
    REFRESH_TOKEN_SIMPLE,
    inverse_column,
    scope_tokens,
    scopes_in_wsdl_order,
)

if TYPE_CHECKING:
    from lxml import etree

    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.elements import Reader
    from sfauthgen.importer.read import MetadataFile

SECTION = "connected_apps"
DEFAULT_REQUIRE_PKCE = False


def parse(source: Source, data: dict[str, Any]) -> AppEntry:
    return common.parse_app(source, data, pkce_default=DEFAULT_REQUIRE_PKCE,
                            mobile_start_url=data.get("mobile_start_url"),
                            exists_in_org=data.get("exists_in_org", False))


@record
class ConnectedAppOauthConfig:
    """Every boolean the WSDL defines is written, as a retrieve writes them (false where the spec has
    no key for it), so a retrieve after deploy shows no difference."""

    callback_url: str
    certificate: str | None
    consumer_key: str | None
    is_admin_approved: bool
    is_client_credential_enabled: bool
    is_consumer_secret_optional: bool
    is_introspect_all_tokens: bool
    is_pkce_required: bool
    is_secret_required_for_refresh_token: bool
    oauth_client_credential_user: str | None
    scopes: tuple[str, ...]
    # Flows the spec language does not turn on (the headless code-and-credentials flow, token exchange...).
    is_code_credential_enabled: bool = False
    is_code_credential_post_only: bool = False
    is_named_user_jwt_enabled: bool = False
    is_refresh_token_rotation_enabled: bool = False
    is_secret_required_for_token_exchange: bool = False
    is_token_exchange_enabled: bool = False


@record
class ConnectedAppOauthPolicy:
    ip_relaxation: str
    refresh_token_policy: str
    is_token_exchange_flow_enabled: bool = False


@record
class ConnectedApp(Component):
    metadata_type: ClassVar[str] = "ConnectedApp"
    template: ClassVar[str] = "connectedApp.xml.j2"

    header: AppHeader
    start_url: str | None
    mobile_start_url: str | None
    ip_ranges: tuple[IpRange, ...]
    oauth_config: ConnectedAppOauthConfig | None
    oauth_policy: ConnectedAppOauthPolicy | None
    permission_set_names: tuple[str, ...]
    profile_names: tuple[str, ...]
    session_timeout: int | None


def refresh_token_policy(token: common.RefreshToken) -> str:
    """ConnectedApp refreshTokenPolicy: infinite, zero, specific_lifetime:90:DAYS, ..."""
    if token.amount is None or token.unit is None:
        return REFRESH_TOKEN_SIMPLE[token.policy][0]
    return f"{REFRESH_TOKEN_PERIODIC[token.policy][0]}:{token.amount}:{PERIOD_UNITS[token.unit][0]}"


def build(app: AppEntry, ctx: BuildContext) -> Iterator[Component]:
    oauth = app.oauth
    policies, run_as = common.effective(app)
    oauth_config = oauth_policy = None
    if oauth is not None:
        oauth_config = ConnectedAppOauthConfig(
            callback_url="\n".join(oauth.callback_urls),
            certificate=common.certificate_body(app),
            consumer_key=oauth.consumer_key,
            is_admin_approved=policies.admin_approved,
            is_client_credential_enabled=run_as is not None,
            is_consumer_secret_optional=not oauth.require_secret_for_web_server_flow,
            is_introspect_all_tokens=oauth.introspect_all_tokens,
            is_pkce_required=oauth.require_pkce,
            is_secret_required_for_refresh_token=oauth.require_secret_for_refresh_token_flow,
            oauth_client_credential_user=run_as,
            scopes=scopes_in_wsdl_order(list(oauth.scopes)),
        )
        oauth_policy = ConnectedAppOauthPolicy(
            ip_relaxation=IP_RELAXATION[common.ip_relaxation(policies)][0],
            refresh_token_policy=refresh_token_policy(common.refresh_token(policies)),
        )
    # Salesforce stores a permission set's label in permissionSetName (README reference: ConnectedApp).
    declared = ctx.spec.named("permission_set")
    permission_sets = common.in_order(declared[name].label if name in declared else name
                                      for name in policies.permission_sets)
    yield ConnectedApp(
        name=app.name,
        header=common.app_header(app),
        start_url=app.start_url,
        mobile_start_url=app.mobile_start_url,
        ip_ranges=common.ip_ranges(app),
        oauth_config=oauth_config,
        oauth_policy=oauth_policy,
        permission_set_names=permission_sets,
        profile_names=common.in_order(policies.profiles),
        session_timeout=policies.session_timeout_minutes,
    )


def next_steps(app: AppEntry, ctx: StepContext) -> Iterator[Step]:
    policies, run_as = common.effective(app)
    for permission_set in policies.permission_sets:
        yield Step(Phase.APPS, f"assign permission set {permission_set} to the users of connected app {app.name}")
    if run_as is not None:
        yield Step(Phase.APPS, f"{app.name}: check the client credentials run-as user in Setup after the first "
                               "deploy (Salesforce may need the app's consumer key to set it through the Metadata API)")


# Import.

_CA_IP = inverse_column(IP_RELAXATION, 0)
_CA_REFRESH = inverse_column(REFRESH_TOKEN_SIMPLE, 0)
_CA_PERIODIC = inverse_column(REFRESH_TOKEN_PERIODIC, 0)
_CA_UNITS = inverse_column(PERIOD_UNITS, 0)


def _refresh(meta: MetadataFile, element: etree._Element | None, value: str, ctx: ImportContext) -> Any:
    if value in _CA_REFRESH:
        return _CA_REFRESH[value]
    match = re.fullmatch(r"(specific_lifetime|specific_inactivity):(\d+):(HOURS|DAYS|MONTHS)", value)
    if not match:
        raise ctx.invalid(meta, element, f"refreshTokenPolicy '{value}' is not a value Salesforce accepts",
                          "infinite, zero, specific_lifetime:<n>:<HOURS|DAYS|MONTHS> or specific_inactivity:...")
    return {_CA_PERIODIC[match.group(1)]: f"{int(match.group(2))} {_CA_UNITS[match.group(3)]}"}


# Features of a Connected App that the spec language does not carry. Generating the app would remove
# them from the org (a deploy replaces the whole app), so an app that has any is left out of the spec.
OUT_OF_SCOPE = ("attributes", "canvas", "canvasConfig", "mobileAppConfig", "plugin", "pluginExecutionUser",
                "samlConfig")


def import_files(files: list[MetadataFile], ctx: ImportContext) -> None:
    for meta in files:
        reader = ctx.reader(meta)
        features = [e for name in OUT_OF_SCOPE for e in reader.children(name=name)]
        if features:
            for element in features:
                reader.lose(element, "the spec language does not carry it")
            reader.note("ConnectedApp", "not imported: it has settings the spec language does not carry (listed "
                                        "for this file), which generating it would remove from the org; keep "
                                        "managing it in Setup (adding it to the spec by hand, with exists_in_org: "
                                        "true, would replace them with sfauthgen's version)")
            for child in reader.children():
                reader.mark(child)
            ctx.add_reader(reader)
            ctx.skip_comparison([meta.shown])
            continue
        entry, reader = _import_one(meta, ctx, reader)
        ctx.add(SECTION, entry, [reader])


def _import_one(meta: MetadataFile, ctx: ImportContext, reader: Reader) -> tuple[dict[str, Any], Reader]:
    entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member,
                             "contact_email": reader.take("contactEmail") or ""}
    common.import_header(reader, entry)
    start = reader.take("startUrl")
    mobile_start = reader.take("mobileStartUrl")
    config = reader.find("oauthConfig")
    policy = reader.find("oauthPolicy")
    policies: dict[str, Any] = {}
    if config is not None:
        oauth: dict[str, Any] = {
            "callback_urls": [u for u in (reader.take("callbackUrl", config) or "").split("\n") if u.strip()],
            "scopes": scope_tokens(reader.take_all("scopes", config)),
        }
        oauth.update(common.oauth_flags({
            "require_secret_for_web_server_flow": reader.take("isConsumerSecretOptional", config) != "true",
            "require_secret_for_refresh_token_flow": reader.flag("isSecretRequiredForRefreshToken", config),
            "require_pkce": reader.flag("isPkceRequired", config),
            "introspect_all_tokens": reader.flag("isIntrospectAllTokens", config),
        }, pkce_default=DEFAULT_REQUIRE_PKCE))
        enabled = reader.find("isClientCredentialEnabled", config)
        user = reader.find("oauthClientCredentialUser", config)
        if enabled is not None and enabled.text == "true" and user is not None:
            reader.mark(enabled)
            reader.mark(user)
            oauth["client_credentials"] = {"run_as": user.text or ""}
        elif enabled is not None and enabled.text == "true":
            reader.lose(enabled, "the client credentials flow is on without a run-as user; "
                                 "set client_credentials.run_as")
        jwt = common.import_certificate(reader, "certificate", config, meta.member, ctx.certificates)
        if jwt:
            oauth["jwt_bearer"] = jwt
        common.import_consumer_key(reader, config, oauth)
        if reader.flag("isAdminApproved", config):
            policies["permitted_users"] = common.ADMIN_APPROVED
        entry["oauth"] = oauth
        if not oauth["callback_urls"] or not oauth["scopes"]:
            reader.lose(config, "OAuth settings without a callback URL or scopes")
            del entry["oauth"]
    if policy is not None and "oauth" in entry:
        ip = reader.take("ipRelaxation", policy)
        if ip is not None and ip not in _CA_IP:
            raise ctx.invalid(meta, reader.find("ipRelaxation", policy), f"ipRelaxation '{ip}' is not a value "
                              "Salesforce accepts", "ENFORCE, ENFORCE_RELAXREFRESH, BYPASS_2FACTOR or BYPASS")
        if ip is not None and _CA_IP[ip] != common.DEFAULT_IP_RELAXATION:
            policies["ip_relaxation"] = _CA_IP[ip]
        refresh = reader.take("refreshTokenPolicy", policy)
        if refresh is not None:
            value = _refresh(meta, reader.find("refreshTokenPolicy", policy), refresh, ctx)
            if value != common.DEFAULT_REFRESH_TOKEN:
                policies["refresh_token"] = value
    elif policy is not None:
        reader.lose(policy, "OAuth policies without OAuth settings have no effect")
    grants = {"permission_sets": reader.children(name="permissionSetName"),
              "profiles": reader.children(name="profileName")}
    for key, elements in grants.items():
        if not elements:
            continue
        if policies.get("permitted_users") != common.ADMIN_APPROVED:
            for element in elements:
                reader.lose(element, "granted without admin-approved users, where Salesforce ignores it")
            continue
        for element in elements:
            reader.mark(element)
        policies[key] = list(common.in_order(e.text or "" for e in elements))
    session = reader.find("sessionPolicy")
    if session is not None:
        timeout = reader.take("sessionTimeout", session)
        if timeout is not None and "oauth" in entry:
            policies["session_timeout_minutes"] = int(timeout)
    if policies:
        entry["policies"] = policies
    ranges = common.import_ip_ranges(reader, "ipRanges", "start", "end")
    if ranges:
        entry["ip_ranges"] = ranges
    if start is not None:
        entry["start_url"] = start
    if mobile_start is not None:
        entry["mobile_start_url"] = mobile_start
    # An imported app exists in the org it came from: deploys update it (and never try to create it).
    entry["exists_in_org"] = True
    return entry, reader


KIND = Kind(
    name="connected_app",
    noun="connected app",
    section=SECTION,
    schema=("app.json", "connected_app.json"),
    metadata_types=("ConnectedApp",),
    parse=parse,
    checks=common.APP_CHECKS,
    build=build,
    next_steps=next_steps,
    import_files=import_files,
)
