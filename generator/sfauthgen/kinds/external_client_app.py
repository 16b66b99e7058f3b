"""External Client Apps: the connected-app entry shape written as Salesforce's ECA file set.

An app <App> is five components: the ExternalClientApplication header and its settings
<App>_oauth, <App>_glbloauth, <App>_oauthPlcy and <App>_plcy (README reference: External
Client Apps). Consumer key and secret, `oauthLink` and `orgScopedExternalApp` are
org-specific and never written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.kinds import app as common
from sfauthgen.kinds.app import AppEntry, AppHeader, IpRange
from sfauthgen.kinds.base import BuildContext, Check, CheckContext, Kind, Phase, SpecEntries, Step, StepContext
from sfauthgen.metadata import API_NAME, METADATA_NS
from sfauthgen.model import Component
from sfauthgen.records import record
from sfauthgen.spec.source import Source
from sfauthgen.vocabulary import (
    IP_RELAXATION,
    PERIOD_UNITS,
    PERMITTED_USERS_POLICY,
    REFRESH_TOKEN_PERIODIC,
    REFRESH_TOKEN_SIMPLE,
    inverse,
    inverse_column,
    scope_tokens,
    scopes_in_wsdl_order,
)

if TYPE_CHECKING:
    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.elements import Reader
    from sfauthgen.importer.read import MetadataFile

SECTION = "external_client_apps"
DEFAULT_REQUIRE_PKCE = True
HEADER = "ExternalClientApplication"
OAUTH_SETTINGS = "ExtlClntAppOauthSettings"
GLOBAL_OAUTH = "ExtlClntAppGlobalOauthSettings"
OAUTH_POLICIES = "ExtlClntAppOauthConfigurablePolicies"
POLICIES = "ExtlClntAppConfigurablePolicies"
# Settings component of app <App> -> the name Salesforce gives it, <App><suffix>.
SUFFIXES = {OAUTH_SETTINGS: "_oauth", GLOBAL_OAUTH: "_glbloauth", OAUTH_POLICIES: "_oauthPlcy", POLICIES: "_plcy"}
MAX_NAME = 80 - max(len(suffix) for suffix in SUFFIXES.values())


# component_names keys -> the settings type they name.
COMPONENT_KEYS = {"global_oauth_settings": GLOBAL_OAUTH, "oauth_settings": OAUTH_SETTINGS,
                  "oauth_policies": OAUTH_POLICIES, "policies": POLICIES}
DISTRIBUTION_STATES = {"local": "Local", "packaged": "Packaged"}
# What Salesforce writes for a new External Client App (README reference: External Client Apps).
DEFAULT_REFRESH_TOKEN = common.RefreshToken("expire_after", 365, "days")


def parse(source: Source, data: dict[str, Any]) -> AppEntry:
    return common.parse_app(source, data, pkce_default=DEFAULT_REQUIRE_PKCE,
                            distribution_state=data.get("distribution_state", "local"),
                            component_names=tuple((data.get("component_names") or {}).items()))


def component_name(app: AppEntry, metadata_type: str) -> str:
    """The name of one of the app's settings components: <App>_oauth and so on, unless the org's differs."""
    written = {COMPONENT_KEYS[key]: name for key, name in app.component_names}
    return written.get(metadata_type, app.name + SUFFIXES[metadata_type])


@record
class ExternalClientApplication(Component):
    metadata_type: ClassVar[str] = HEADER
    template: ClassVar[str] = "eca.xml.j2"

    header: AppHeader
    distribution_state: str


@record
class EcaOauthSettings(Component):
    metadata_type: ClassVar[str] = OAUTH_SETTINGS
    template: ClassVar[str] = "ecaOauth.xml.j2"

    app: str
    scopes: str  # enum names in WSDL order, ", " separated
    trusted_ip_ranges: tuple[IpRange, ...]
    is_first_party_app_enabled: bool = False


@record
class EcaGlobalOauthSettings(Component):
    metadata_type: ClassVar[str] = GLOBAL_OAUTH
    template: ClassVar[str] = "ecaGlblOauth.xml.j2"

    app: str
    callback_url: str
    certificate: str | None
    consumer_key: str | None
    is_client_credentials_flow_enabled: bool
    is_consumer_secret_optional: bool
    is_introspect_all_tokens: bool
    is_pkce_required: bool
    is_secret_required_for_refresh_token: bool
    # Written as a retrieve writes them. The headless Authorization Code and Credentials flow stays off:
    # it widens the attack surface and orgs block it by default (README reference: External Client Apps).
    is_code_cred_flow_enabled: bool = False
    is_code_cred_post_only: bool = False
    is_device_flow_enabled: bool = False
    is_named_user_jwt_enabled: bool = False
    is_refresh_token_rotation_enabled: bool = False
    is_secret_required_for_token_exchange: bool = True
    is_token_exchange_enabled: bool = False
    should_rotate_consumer_key: bool = False
    should_rotate_consumer_secret: bool = False


@record
class EcaOauthPolicies(Component):
    metadata_type: ClassVar[str] = OAUTH_POLICIES
    template: ClassVar[str] = "ecaOauthPlcy.xml.j2"

    app: str
    client_credentials_flow_user: str | None
    permission_sets: str | None  # API names, "," separated
    profiles: str | None
    ip_relaxation_policy_type: str
    is_client_credentials_flow_enabled: bool
    permitted_users_policy_type: str
    refresh_token_policy_type: str
    refresh_token_validity_period: int | None
    refresh_token_validity_unit: str | None
    session_timeout_in_minutes: int | None
    is_guest_code_cred_flow_enabled: bool = False
    is_token_exchange_flow_enabled: bool = False
    required_session_level: str = "STANDARD"


@record
class EcaPolicies(Component):
    metadata_type: ClassVar[str] = POLICIES
    template: ClassVar[str] = "ecaPlcy.xml.j2"

    app: str
    is_enabled: bool
    is_oauth_plugin_enabled: bool
    start_page: str  # Custom (with start_url) or None
    start_url: str | None


def _joined(values: tuple[str, ...]) -> str | None:
    return ",".join(common.in_order(values)) if values else None


def build(app: AppEntry, ctx: BuildContext) -> Iterator[Component]:
    name, oauth = app.name, app.oauth
    policies, run_as = common.effective(app)
    retired = app.status == common.RETIRED
    yield ExternalClientApplication(name=name, header=common.app_header(app),
                                    distribution_state=DISTRIBUTION_STATES[app.distribution_state])
    yield EcaPolicies(name=component_name(app, POLICIES), app=name, is_enabled=not retired,
                      is_oauth_plugin_enabled=oauth is not None and not retired,
                      start_page="Custom" if app.start_url is not None else "None", start_url=app.start_url)
    if oauth is None:
        return
    yield EcaOauthSettings(
        name=component_name(app, OAUTH_SETTINGS),
        app=name,
        scopes=", ".join(scopes_in_wsdl_order(list(oauth.scopes))),
        trusted_ip_ranges=common.ip_ranges(app),
    )
    if ctx.eca_global_oauth:
        yield EcaGlobalOauthSettings(
            name=component_name(app, GLOBAL_OAUTH),
            app=name,
            callback_url="\n".join(oauth.callback_urls),
            certificate=common.certificate_body(app),
            consumer_key=oauth.consumer_key,
            is_client_credentials_flow_enabled=run_as is not None,
            is_consumer_secret_optional=not oauth.require_secret_for_web_server_flow,
            is_introspect_all_tokens=oauth.introspect_all_tokens,
            is_pkce_required=oauth.require_pkce,
            is_secret_required_for_refresh_token=oauth.require_secret_for_refresh_token_flow,
        )
    token = common.refresh_token(policies, DEFAULT_REFRESH_TOKEN)
    policy_type = (REFRESH_TOKEN_SIMPLE.get(token.policy) or REFRESH_TOKEN_PERIODIC[token.policy])[1]
    yield EcaOauthPolicies(
        name=component_name(app, OAUTH_POLICIES),
        app=name,
        client_credentials_flow_user=run_as,
        permission_sets=_joined(policies.permission_sets),
        profiles=_joined(policies.profiles),
        ip_relaxation_policy_type=IP_RELAXATION[common.ip_relaxation(policies)][1],
        is_client_credentials_flow_enabled=run_as is not None,
        permitted_users_policy_type=PERMITTED_USERS_POLICY[common.ADMIN_APPROVED if policies.admin_approved
                                                           else common.DEFAULT_PERMITTED_USERS],
        refresh_token_policy_type=policy_type,
        refresh_token_validity_period=token.amount,
        refresh_token_validity_unit=PERIOD_UNITS[token.unit][1] if token.unit else None,
        session_timeout_in_minutes=policies.session_timeout_minutes,
    )


def next_steps(app: AppEntry, ctx: StepContext) -> Iterator[Step]:
    if ctx.eca_global_oauth and app.oauth is not None:
        yield Step(Phase.BEFORE_DEPLOY,
                   "before deploying External Client App global OAuth settings: turn on the org setting 'Allow "
                   "access to OAuth consumer secrets via Metadata API' and give the deploying user 'View External "
                   "Client Apps Consumer Secrets in Metadata' (or generate with --no-eca-global-oauth)")
    for permission_set in common.effective(app)[0].permission_sets:
        yield Step(Phase.APPS,
                   f"assign permission set {permission_set} to the users of external client app {app.name}")
    if app.oauth is not None and app.status != common.RETIRED:
        yield Step(Phase.APPS, f"{app.name}: hand its new consumer key and secret to the client (External Client "
                               f"App Manager > {app.label} > Settings > OAuth Settings)")


# Checks of ECAs only.

def _settings_need_oauth(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """An ECA keeps IP ranges and session timeout in its OAuth files: without oauth they have no home."""
    if app.oauth is not None:
        return
    for key, written, where in (("ip_ranges", app.ip_ranges, app.source),
                                ("session_timeout_minutes", app.policies.session_timeout_minutes,
                                 app.policies.source)):
        if written is not None:
            yield error(where.locate(key, key=True), "",
                        f"'{key}' has no External Client App equivalent without an oauth block",
                        "External Client Apps keep it in their OAuth settings and policies; add oauth or remove it")


def _name_length(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    if len(app.name) > MAX_NAME:
        yield error(app.source.locate("name"), "",
                    f"external client app name '{app.name}' is longer than {MAX_NAME} characters",
                    f"its settings files are named '{app.name}{SUFFIXES[GLOBAL_OAUTH]}' and so on, which must fit in "
                    "80 characters")


def _settings_owners(spec: SpecEntries) -> dict[tuple[str, str], AppEntry]:
    """(settings type, name ignoring case) -> the first app, in spec order, whose settings component it is."""
    owners: dict[tuple[str, str], AppEntry] = {}
    for app in spec.of("external_client_app"):
        for metadata_type in SUFFIXES:
            owners.setdefault((metadata_type, component_name(app, metadata_type).lower()), app)
    return owners


def _settings_names_unique(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """Each settings component is a file named after it: two apps whose settings of one type share a name
    (through component_names, or one app's name where another app's default falls) would write one file."""
    owners = ctx.spec.index("eca settings owners", _settings_owners)
    written = dict(app.component_names)
    for metadata_type in SUFFIXES:
        key = _KEY_OF[metadata_type]
        name = component_name(app, metadata_type)
        other = owners[(metadata_type, name.lower())]
        if other is not app:
            where = app.source.locate("component_names", key) if key in written else app.source.locate("name")
            yield error(where, "", f"the {metadata_type} of external client app '{app.name}' is named '{name}', as "
                                   f"that of '{other.name}' is (at {other.source.locate('name')})",
                        "each app's settings components need their own names: each becomes one file")


def _permission_set_names(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """ECAs list permission sets by API name and profiles comma separated."""
    policies = app.policies
    by_label = ctx.spec.index("permission sets by label",
                              lambda spec: {entry.label: entry.name for entry in spec.of("permission_set")})
    for index, name in enumerate(policies.permission_sets):
        if not API_NAME.match(name):
            api_name = by_label.get(name)
            yield error(policies.source.locate("permission_sets", index), "",
                        f"'{name}' is not a permission set API name",
                        f"write its API name, {api_name}: external client apps list permission sets by API name, "
                        "not by label" if api_name else
                        "external client apps list permission sets by API name (such as Data_Migration_Integration), "
                        "not by label")
    for index, name in enumerate(policies.profiles):
        if "," in name:
            yield error(policies.source.locate("profiles", index), "", f"profile name '{name}' contains a comma",
                        "external client apps store profiles as one comma-separated list")


CHECKS = common.APP_CHECKS + (
    Check("SFC111", "EcaSettingNeedsOauth", "ip_ranges or session_timeout_minutes on an ECA without oauth.",
          _settings_need_oauth),
    Check("SFC112", "EcaNameTooLong", "An ECA name too long for its settings components' names.", _name_length),
    Check("SFC113", "EcaPermissionSetName", "An ECA permission set that is not an API name, or a profile with a "
          "comma.", _permission_set_names),
    Check("SFC114", "EcaSettingsNameTaken", "Two ECAs whose settings components of one type share a name.",
          _settings_names_unique),
)


# Import: an app's files (any of them may be missing) become one entry.

_ECA_IP = inverse_column(IP_RELAXATION, 1)
_ECA_REFRESH = {**inverse_column(REFRESH_TOKEN_SIMPLE, 1), **inverse_column(REFRESH_TOKEN_PERIODIC, 1)}
_ECA_UNITS = inverse_column(PERIOD_UNITS, 1)
_ECA_PERMITTED = inverse(PERMITTED_USERS_POLICY)
_STATES = inverse(DISTRIBUTION_STATES)
_KEY_OF = inverse(COMPONENT_KEYS)


def _app_of(meta: MetadataFile) -> str:
    if meta.metadata_type == HEADER:
        return meta.member
    element = meta.root.find(f"{{{METADATA_NS}}}externalClientApplication")
    if element is None or not element.text:
        return meta.member
    return str(element.text)


def import_files(files: list[MetadataFile], ctx: ImportContext) -> None:
    apps: dict[str, dict[str, MetadataFile]] = defaultdict(dict)
    doubled: dict[str, list[MetadataFile]] = defaultdict(list)
    for meta in files:
        first = apps[_app_of(meta)].setdefault(meta.metadata_type, meta)
        if first is not meta:
            doubled[_app_of(meta)] += [first, meta]
    for app, by_type in sorted(apps.items()):
        if app in doubled:
            # Two settings files of one kind for one app (another name, another folder): which one the org
            # holds is not known, and importing either would decide it silently.
            shown_files = sorted({f.shown for f in doubled[app]})
            for meta in doubled[app]:
                ctx.lose(meta.shown, 1, meta.metadata_type,
                         f"{app} has two {meta.metadata_type} files ({', '.join(shown_files)}): keep the one the org "
                         "has; the app was not imported")
            ctx.skip_comparison(f.shown for f in [*by_type.values(), *doubled[app]])
            continue
        if not API_NAME.match(app):
            first = next(iter(by_type.values()))
            ctx.lose(first.shown, 1, "externalClientApplication",
                     f"'{app[:80]}' is not an External Client App API name; these settings were not imported")
            ctx.skip_comparison(f.shown for f in by_type.values())
            continue
        if HEADER not in by_type:
            first = next(iter(by_type.values()))
            ctx.lose(first.shown, 1, HEADER, f"the header file {app}.eca is not among the imported files; "
                                             "its settings were not imported")
            ctx.skip_comparison(f.shown for f in by_type.values())
            continue
        entry, readers = _import_app(by_type, app, ctx)
        ctx.add(SECTION, entry, readers)


def _import_app(files: dict[str, MetadataFile], app: str, ctx: ImportContext) -> tuple[dict[str, Any], list[Reader]]:
    readers: list[Reader] = []
    header = files[HEADER]
    reader = ctx.reader(header)
    readers.append(reader)
    entry: dict[str, Any] = {"name": app, "label": reader.take("label") or app,
                             "contact_email": reader.take("contactEmail") or ""}
    common.import_header(reader, entry)
    state = reader.find("distributionState")
    if state is not None and state.text in _STATES:
        reader.mark(state)
        if _STATES[state.text] != "local":
            entry["distribution_state"] = _STATES[state.text]
    oauth: dict[str, Any] = {}
    policies: dict[str, Any] = {}
    names: dict[str, str] = {}
    if GLOBAL_OAUTH in files:
        reader = _settings_reader(files[GLOBAL_OAUTH], readers, ctx, names)
        oauth["callback_urls"] = [u for u in (reader.take("callbackUrl") or "").split("\n") if u.strip()]
        oauth.update(common.oauth_flags({
            "require_secret_for_web_server_flow": reader.take("isConsumerSecretOptional") != "true",
            "require_secret_for_refresh_token_flow": reader.flag("isSecretRequiredForRefreshToken"),
            "require_pkce": reader.flag("isPkceRequired"),
            "introspect_all_tokens": reader.flag("isIntrospectAllTokens"),
        }, pkce_default=DEFAULT_REQUIRE_PKCE))
        element = reader.find("isSecretRequiredForTokenExchange")
        if element is not None and element.text == "true":
            reader.mark(element)
        element = reader.find("isCodeCredFlowEnabled")
        if element is not None and element.text == "true":
            reader.lose(element, "the headless Authorization Code and Credentials flow is on; sfauthgen always "
                                 "writes it off (it widens the attack surface, and orgs block it by default)")
        reader.take("isClientCredentialsFlowEnabled")
        jwt = common.import_certificate(reader, "certificate", None, app, ctx.certificates)
        if jwt:
            oauth["jwt_bearer"] = jwt
        common.import_consumer_key(reader, None, oauth)
    if OAUTH_SETTINGS in files:
        reader = _settings_reader(files[OAUTH_SETTINGS], readers, ctx, names)
        scopes = [s.strip() for s in (reader.take("commaSeparatedOauthScopes") or "").split(",") if s.strip()]
        oauth["scopes"] = scope_tokens(scopes)
        ranges = common.import_ip_ranges(reader, "trustedIpRanges", "startIpAddress", "endIpAddress")
        if ranges:
            entry["ip_ranges"] = ranges
    if OAUTH_POLICIES in files:
        reader = _settings_reader(files[OAUTH_POLICIES], readers, ctx, names)
        _import_policies(reader, oauth, policies, files[OAUTH_POLICIES], ctx)
    switched_off: list[str] = []
    if POLICIES in files:
        reader = _settings_reader(files[POLICIES], readers, ctx, names)
        enabled = reader.find("isEnabled")
        if enabled is not None and enabled.text == "true":
            reader.mark(enabled)
        elif enabled is not None and enabled.text == "false":
            switched_off.append("isEnabled false")
        if reader.take("isOauthPluginEnabled") == "false":
            switched_off.append("isOauthPluginEnabled false")
        page = reader.find("startPage")
        url = reader.take("startUrl")
        if page is not None and page.text == "None":
            reader.mark(page)
        elif page is not None and page.text == "Custom" and url:
            reader.mark(page)
            entry["start_url"] = url
    if names:
        entry["component_names"] = dict(sorted(names.items()))
    if oauth.get("callback_urls") and oauth.get("scopes"):
        entry["oauth"] = oauth
        if policies:
            entry["policies"] = policies
    else:
        # An app without OAuth has its OAuth plugin off as a matter of course.
        switched_off = [reason for reason in switched_off if not reason.startswith("isOauthPlugin")]
        if oauth or policies:
            for reader in readers:
                reader.note("OAuth settings", "callback URLs and scopes need both the global OAuth settings and the "
                                              "OAuth settings files; the OAuth parts of this app were not imported")
    if switched_off:
        # Generated as an active app, it would be switched back on by the next deploy.
        entry["status"] = common.RETIRED
        readers[-1].note("isEnabled", f"the app is switched off ({', '.join(switched_off)}): imported as status: "
                                      "retired, which keeps it off (and grants it to nobody)")
    return entry, readers


def _settings_reader(meta: MetadataFile, readers: list[Reader], ctx: ImportContext,
                     names: dict[str, str]) -> Reader:
    """A reader for one of an app's settings files, which name their app and are labelled with their own name."""
    app = _app_of(meta)
    if meta.member != app + SUFFIXES[meta.metadata_type]:
        names[_KEY_OF[meta.metadata_type]] = meta.member
    reader = ctx.reader(meta)
    readers.append(reader)
    reader.take("externalClientApplication")
    label = reader.find("label")
    if label is not None and label.text == meta.member:
        reader.mark(label)
    return reader


def _import_policies(reader: Reader, oauth: dict[str, Any], policies: dict[str, Any], meta: MetadataFile,
                     ctx: ImportContext) -> None:
    if _ECA_PERMITTED.get(reader.take("permittedUsersPolicyType") or "") == common.ADMIN_APPROVED:
        policies["permitted_users"] = common.ADMIN_APPROVED
    for key, element in (("permission_sets", "commaSeparatedPermissionSet"), ("profiles", "commaSeparatedProfile")):
        text = reader.take(element)
        if text:
            policies[key] = list(common.in_order(v.strip() for v in text.split(",") if v.strip()))
    ip = reader.take("ipRelaxationPolicyType")
    if ip is not None:
        if ip not in _ECA_IP:
            raise ctx.invalid(meta, reader.find("ipRelaxationPolicyType"), f"ipRelaxationPolicyType '{ip}' is not a "
                              "value Salesforce accepts", "Enforce, Enforce_RelaxRefresh, Bypass_2factor or Bypass")
        if _ECA_IP[ip] != common.DEFAULT_IP_RELAXATION:
            policies["ip_relaxation"] = _ECA_IP[ip]
    kind = reader.take("refreshTokenPolicyType")
    period, unit = reader.take("refreshTokenValidityPeriod"), reader.take("refreshTokenValidityUnit")
    if kind is not None:
        spec = _ECA_REFRESH[kind]
        if spec in REFRESH_TOKEN_PERIODIC:
            if not period or unit not in _ECA_UNITS:
                raise ctx.invalid(meta, reader.find("refreshTokenPolicyType"),
                                  f"{kind} needs a validity period and unit",
                                  "refreshTokenValidityPeriod and refreshTokenValidityUnit (Hours, Days, Months)")
            found = common.RefreshToken(spec, int(period), _ECA_UNITS[unit])
            if found != DEFAULT_REFRESH_TOKEN:
                policies["refresh_token"] = {spec: f"{found.amount} {found.unit}"}
        else:
            policies["refresh_token"] = spec
    enabled = reader.flag("isClientCredentialsFlowEnabled")
    user = reader.take("clientCredentialsFlowUser")
    if enabled and user:
        oauth["client_credentials"] = {"run_as": user}
    timeout = reader.take("sessionTimeoutInMinutes")
    if timeout is not None:
        policies["session_timeout_minutes"] = int(timeout)
    level = reader.find("requiredSessionLevel")
    if level is not None and level.text == "STANDARD":
        reader.mark(level)


def left_to_org(app: AppEntry, ctx: BuildContext) -> Iterator[tuple[str, str]]:
    """Under --no-eca-global-oauth the global OAuth settings stay the org's: never queued for deletion."""
    if not ctx.eca_global_oauth and app.oauth is not None:
        yield GLOBAL_OAUTH, component_name(app, GLOBAL_OAUTH)


def minimum_api(app: AppEntry) -> Iterator[tuple[str, Any, str]]:
    yield "59.0", app.source.locate("name"), f"external client app '{app.name}'"
    if app.oauth is not None and app.oauth.jwt_certificate is not None:
        yield "60.0", app.oauth.source.locate("jwt_bearer", "certificate"), \
            f"a certificate on external client app '{app.name}'"


KIND = Kind(
    name="external_client_app",
    minimum_api=minimum_api,
    noun="external client app",
    section=SECTION,
    schema=("app.json", "external_client_app.json"),
    metadata_types=(HEADER, OAUTH_SETTINGS, GLOBAL_OAUTH, OAUTH_POLICIES, POLICIES),
    parse=parse,
    checks=CHECKS,
    build=build,
    next_steps=next_steps,
    left_to_org=left_to_org,
    import_files=import_files,
)
