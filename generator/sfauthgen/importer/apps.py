"""ConnectedApp and External Client App files -> `connected_apps` / `external_client_apps` entries."""

from __future__ import annotations

import base64
import re
import textwrap
from typing import Any

from cryptography import x509
from lxml import etree

from sfauthgen.errors import Diagnostic, Location, SpecError
from sfauthgen.importer.elements import Loss, Reader
from sfauthgen.importer.read import MetadataFile
from sfauthgen.vocabulary import (
    IP_RELAXATION,
    PERIOD_UNITS,
    REFRESH_TOKEN_PERIODIC,
    REFRESH_TOKEN_SIMPLE,
    SCOPE_ENUM_ORDER,
    SCOPE_TOKENS,
)

# Enum name -> the token name a spec writes (the first token FACTS lists for it).
_TOKEN_FOR: dict[str, str] = {}
for _token, _enum in SCOPE_TOKENS.items():
    _TOKEN_FOR.setdefault(_enum, _token)

_CA_IP = {ca: spec for spec, (ca, _) in IP_RELAXATION.items()}
_ECA_IP = {eca: spec for spec, (_, eca) in IP_RELAXATION.items()}
_CA_REFRESH = {ca: spec for spec, (ca, _) in REFRESH_TOKEN_SIMPLE.items()}
_ECA_REFRESH = {eca: spec for spec, (_, eca) in {**REFRESH_TOKEN_SIMPLE, **REFRESH_TOKEN_PERIODIC}.items()}
_CA_PERIODIC = {ca: spec for spec, (ca, _) in REFRESH_TOKEN_PERIODIC.items()}
_CA_UNITS = {ca: spec for spec, (ca, _) in PERIOD_UNITS.items() if spec.endswith("s")}
_ECA_UNITS = {eca: spec for spec, (_, eca) in PERIOD_UNITS.items() if spec.endswith("s")}


def _invalid(meta: MetadataFile, element: etree._Element | None, message: str, hint: str) -> SpecError:
    line = element.sourceline if element is not None and element.sourceline else 1
    return SpecError([Diagnostic(Location(meta.shown, line, 1), message, hint)])


def scope_tokens(enums: list[str]) -> list[str]:
    ordered = [s for s in SCOPE_ENUM_ORDER if s in set(enums)]
    return [_TOKEN_FOR.get(s, s) for s in ordered]


def pem(body: str) -> str:
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(body, 64)) + "\n-----END CERTIFICATE-----\n"


def _certificate(reader: Reader, element_name: str, parent: etree._Element | None, member: str,
                 certificates: dict[str, str]) -> dict[str, str] | None:
    element = reader.find(element_name, parent)
    if element is None:
        return None
    body = re.sub(r"\s+", "", element.text or "")
    try:
        x509.load_der_x509_certificate(base64.b64decode(body, validate=True))
    except ValueError:
        reader.lose(element, "not a valid X.509 certificate; upload a valid one and reference its PEM file")
        return None
    reader.mark(element)
    path = f"certs/{member}.crt"
    certificates[path] = pem(body)
    return {"certificate": path}


def _header(reader: Reader, entry: dict[str, Any]) -> None:
    for key, element in (("contact_phone", "contactPhone"), ("description", "description"),
                         ("info_url", "infoUrl"), ("icon_url", "iconUrl"), ("logo_url", "logoUrl")):
        value = reader.take(element)
        if value is not None:
            entry[key] = value


def _refresh_from_connected_app(meta: MetadataFile, element: etree._Element | None, value: str) -> Any:
    if value in _CA_REFRESH:
        return _CA_REFRESH[value]
    match = re.fullmatch(r"(specific_lifetime|specific_inactivity):(\d+):(HOURS|DAYS|MONTHS)", value)
    if not match:
        raise _invalid(meta, element, f"refreshTokenPolicy '{value}' is not a value Salesforce accepts",
                       "infinite, zero, specific_lifetime:<n>:<HOURS|DAYS|MONTHS> or specific_inactivity:...")
    return {_CA_PERIODIC[match.group(1)]: f"{int(match.group(2))} {_CA_UNITS[match.group(3)]}"}


def connected_app(meta: MetadataFile, certificates: dict[str, str]) -> tuple[dict[str, Any], Reader]:
    reader = Reader(meta.shown, meta.root)
    entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member,
                             "contact_email": reader.take("contactEmail") or ""}
    _header(reader, entry)
    start = reader.take("startUrl")
    config = reader.find("oauthConfig")
    policy = reader.find("oauthPolicy")
    policies: dict[str, Any] = {}
    if config is not None:
        oauth: dict[str, Any] = {
            "callback_urls": [u for u in (reader.take("callbackUrl", config) or "").split("\n") if u.strip()],
            "scopes": scope_tokens(reader.take_all("scopes", config)),
        }
        if reader.take("isConsumerSecretOptional", config) == "true":
            oauth["require_secret_for_web_server_flow"] = False
        if not reader.flag("isSecretRequiredForRefreshToken", config):
            oauth["require_secret_for_refresh_token_flow"] = False
        if reader.flag("isPkceRequired", config):
            oauth["require_pkce"] = True
        if reader.flag("isIntrospectAllTokens", config):
            oauth["introspect_all_tokens"] = True
        enabled = reader.find("isClientCredentialEnabled", config)
        user = reader.find("oauthClientCredentialUser", config)
        if enabled is not None and enabled.text == "true" and user is not None:
            reader.mark(enabled)
            reader.mark(user)
            oauth["client_credentials"] = {"run_as": user.text or ""}
        elif enabled is not None and enabled.text == "true":
            reader.lose(enabled, "the client credentials flow is on without a run-as user; "
                                 "set client_credentials.run_as")
        jwt = _certificate(reader, "certificate", config, meta.member, certificates)
        if jwt:
            oauth["jwt_bearer"] = jwt
        if reader.flag("isAdminApproved", config):
            policies["permitted_users"] = "admin_approved"
        entry["oauth"] = oauth
        if not oauth["callback_urls"] or not oauth["scopes"]:
            reader.lose(config, "OAuth settings without a callback URL or scopes")
            del entry["oauth"]
    if policy is not None and "oauth" in entry:
        ip = reader.take("ipRelaxation", policy)
        if ip is not None and ip not in _CA_IP:
            raise _invalid(meta, reader.find("ipRelaxation", policy), f"ipRelaxation '{ip}' is not a value Salesforce "
                           "accepts", "ENFORCE, ENFORCE_RELAXREFRESH, BYPASS_2FACTOR or BYPASS")
        if ip is not None and _CA_IP[ip] != "enforce":
            policies["ip_relaxation"] = _CA_IP[ip]
        refresh = reader.take("refreshTokenPolicy", policy)
        if refresh is not None:
            value = _refresh_from_connected_app(meta, reader.find("refreshTokenPolicy", policy), refresh)
            if value != "never_expires":
                policies["refresh_token"] = value
    elif policy is not None:
        reader.lose(policy, "OAuth policies without OAuth settings have no effect")
    grants = {"permission_sets": reader.children(name="permissionSetName"),
              "profiles": reader.children(name="profileName")}
    for key, elements in grants.items():
        if not elements:
            continue
        if policies.get("permitted_users") != "admin_approved":
            for element in elements:
                reader.lose(element, "granted without admin-approved users, where Salesforce ignores it")
            continue
        for element in elements:
            reader.mark(element)
        policies[key] = sorted({e.text or "" for e in elements})
    session = reader.find("sessionPolicy")
    if session is not None:
        timeout = reader.take("sessionTimeout", session)
        if timeout is not None and "oauth" in entry:
            policies["session_timeout_minutes"] = int(timeout)
    if policies:
        entry["policies"] = policies
    ranges = _ip_ranges(reader, "ipRanges", "start", "end")
    if ranges:
        entry["ip_ranges"] = ranges
    if start is not None:
        entry["start_url"] = start
    return entry, reader


def _ip_ranges(reader: Reader, name: str, start: str, end: str,
               parent: etree._Element | None = None) -> list[dict[str, str]]:
    ranges = []
    for element in reader.children(parent, name):
        reader.mark(element)
        item = {"start": reader.take(start, element) or "", "end": reader.take(end, element) or ""}
        description = reader.take("description", element)
        if description is not None:
            item["description"] = description
        ranges.append(item)
    return ranges


def external_client_app(files: dict[str, MetadataFile], app: str, certificates: dict[str, str]
                        ) -> tuple[dict[str, Any], list[Reader]]:
    """One entry from an app's ECA files (any of them may be missing)."""
    readers: list[Reader] = []
    entry: dict[str, Any] = {"name": app}
    header = files.get("ExternalClientApplication")
    if header is not None:
        reader = Reader(header.shown, header.root)
        readers.append(reader)
        entry["label"] = reader.take("label") or app
        entry["contact_email"] = reader.take("contactEmail") or ""
        _header(reader, entry)
        state = reader.find("distributionState")
        if state is not None and state.text == "Local":
            reader.mark(state)
    settings, global_oauth = files.get("ExtlClntAppOauthSettings"), files.get("ExtlClntAppGlobalOauthSettings")
    oauth: dict[str, Any] = {}
    policies: dict[str, Any] = {}
    if global_oauth is not None:
        reader = _settings_reader(global_oauth, readers)
        oauth["callback_urls"] = [u for u in (reader.take("callbackUrl") or "").split("\n") if u.strip()]
        if reader.take("isConsumerSecretOptional") == "true":
            oauth["require_secret_for_web_server_flow"] = False
        if not reader.flag("isSecretRequiredForRefreshToken"):
            oauth["require_secret_for_refresh_token_flow"] = False
        if not reader.flag("isPkceRequired"):
            oauth["require_pkce"] = False
        if reader.flag("isIntrospectAllTokens"):
            oauth["introspect_all_tokens"] = True
        for default_true in ("isCodeCredFlowEnabled", "isSecretRequiredForTokenExchange"):
            element = reader.find(default_true)
            if element is not None and element.text == "true":
                reader.mark(element)
        reader.take("isClientCredentialsFlowEnabled")
        jwt = _certificate(reader, "certificate", None, app, certificates)
        if jwt:
            oauth["jwt_bearer"] = jwt
    if settings is not None:
        reader = _settings_reader(settings, readers)
        scopes = [s.strip() for s in (reader.take("commaSeparatedOauthScopes") or "").split(",") if s.strip()]
        oauth["scopes"] = scope_tokens(scopes)
        ranges = _ip_ranges(reader, "trustedIpRanges", "startIpAddress", "endIpAddress")
        if ranges:
            entry["ip_ranges"] = ranges
    oauth_policies = files.get("ExtlClntAppOauthConfigurablePolicies")
    if oauth_policies is not None:
        reader = _settings_reader(oauth_policies, readers)
        _eca_policies(reader, oauth, policies, oauth_policies)
    plugin = files.get("ExtlClntAppConfigurablePolicies")
    if plugin is not None:
        reader = _settings_reader(plugin, readers)
        enabled = reader.find("isEnabled")
        if enabled is not None and enabled.text == "true":
            reader.mark(enabled)
        reader.take("isOauthPluginEnabled")
        page = reader.find("startPage")
        url = reader.take("startUrl")
        if page is not None and page.text == "None":
            reader.mark(page)
        elif page is not None and page.text == "Custom" and url:
            reader.mark(page)
            entry["start_url"] = url
    if oauth.get("callback_urls") and oauth.get("scopes"):
        entry["oauth"] = oauth
        if policies:
            entry["policies"] = policies
    elif oauth or policies:
        for reader in readers:
            reader.losses.append(_missing_oauth(reader))
    return entry, readers


def _missing_oauth(reader: Reader) -> Loss:
    return Loss(reader.file, 1, "OAuth settings",
                "callback URLs and scopes need both the global OAuth settings and the OAuth settings files; "
                "the OAuth parts of this app were not imported")


def _settings_reader(meta: MetadataFile, readers: list[Reader]) -> Reader:
    """A reader for one of an app's settings files, which name their app and are labelled with their own name."""
    reader = Reader(meta.shown, meta.root)
    readers.append(reader)
    reader.take("externalClientApplication")
    label = reader.find("label")
    if label is not None and label.text == meta.member:
        reader.mark(label)
    return reader


def _eca_policies(reader: Reader, oauth: dict[str, Any], policies: dict[str, Any], meta: MetadataFile) -> None:
    if reader.take("permittedUsersPolicyType") == "AdminApprovedPreAuthorized":
        policies["permitted_users"] = "admin_approved"
    for key, element in (("permission_sets", "commaSeparatedPermissionSet"), ("profiles", "commaSeparatedProfile")):
        text = reader.take(element)
        if text:
            policies[key] = sorted({v.strip() for v in text.split(",") if v.strip()})
    ip = reader.take("ipRelaxationPolicyType")
    if ip is not None:
        if ip not in _ECA_IP:
            raise _invalid(meta, reader.find("ipRelaxationPolicyType"), f"ipRelaxationPolicyType '{ip}' is not a "
                           "value Salesforce accepts", "Enforce, Enforce_RelaxRefresh, Bypass_2factor or Bypass")
        if _ECA_IP[ip] != "enforce":
            policies["ip_relaxation"] = _ECA_IP[ip]
    kind = reader.take("refreshTokenPolicyType")
    period, unit = reader.take("refreshTokenValidityPeriod"), reader.take("refreshTokenValidityUnit")
    if kind is not None:
        spec = _ECA_REFRESH[kind]
        if spec in REFRESH_TOKEN_PERIODIC:
            if not period or unit not in _ECA_UNITS:
                raise _invalid(meta, reader.find("refreshTokenPolicyType"), f"{kind} needs a validity period and unit",
                               "refreshTokenValidityPeriod and refreshTokenValidityUnit (Hours, Days, Months)")
            policies["refresh_token"] = {spec: f"{int(period)} {_ECA_UNITS[unit]}"}
        elif spec != "never_expires":
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
