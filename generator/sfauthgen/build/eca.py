"""External Client Apps: the connected-app entry shape rendered as Salesforce's five ECA files.

The mapping of each setting is FACTS.md's ConnectedApp -> ECA table; the consumer key and
secret, `oauthLink` and `orgScopedExternalApp` are org-specific and never written.
"""

from __future__ import annotations

from sfauthgen.build.apps import app_header, certificate_body, ip_ranges, refresh_token_parts
from sfauthgen.checks import CheckResult
from sfauthgen.merge import Entry
from sfauthgen.model import (
    Component,
    EcaGlobalOauthSettings,
    EcaOauthPolicies,
    EcaOauthSettings,
    EcaPolicies,
    ExternalClientApplication,
)
from sfauthgen.vocabulary import (
    IP_RELAXATION,
    PERIOD_UNITS,
    REFRESH_TOKEN_PERIODIC,
    REFRESH_TOKEN_SIMPLE,
    scopes_in_wsdl_order,
)

# File name suffixes Salesforce gives the settings of app <App> (corpus: Postman_oauth, ...).
OAUTH_SETTINGS, GLOBAL_OAUTH, OAUTH_POLICIES, POLICIES = "_oauth", "_glbloauth", "_oauthPlcy", "_plcy"


def _joined(values: list[str] | None) -> str | None:
    return ",".join(sorted(set(values))) if values else None


def external_client_app(entry: Entry, checked: CheckResult, *, global_oauth: bool = True) -> list[Component]:
    name = entry.name
    oauth = entry.get("oauth")
    components: list[Component] = [
        ExternalClientApplication(name=name, header=app_header(entry)),
        EcaPolicies(name=name + POLICIES, app=name, is_oauth_plugin_enabled=oauth is not None,
                    start_url=entry.get("start_url")),
    ]
    if oauth is None:
        return components
    policies = entry.get("policies") or {}
    run_as = (oauth.get("client_credentials") or {}).get("run_as")
    components.append(EcaOauthSettings(
        name=name + OAUTH_SETTINGS,
        app=name,
        scopes=", ".join(scopes_in_wsdl_order(oauth["scopes"])),
        trusted_ip_ranges=ip_ranges(entry),
    ))
    if global_oauth:
        components.append(EcaGlobalOauthSettings(
            name=name + GLOBAL_OAUTH,
            app=name,
            callback_url="\n".join(oauth["callback_urls"]),
            certificate=certificate_body(entry, checked),
            is_client_credentials_flow_enabled=run_as is not None,
            # A connected app with OAuth always allows the web server (authorization code) flow.
            is_code_cred_flow_enabled=True,
            is_consumer_secret_optional=not oauth.get("require_secret_for_web_server_flow", True),
            is_introspect_all_tokens=oauth.get("introspect_all_tokens", False),
            is_pkce_required=oauth.get("require_pkce", True),
            is_secret_required_for_refresh_token=oauth.get("require_secret_for_refresh_token_flow", True),
        ))
    key, amount, unit = refresh_token_parts(policies.get("refresh_token"))
    policy_type = (REFRESH_TOKEN_SIMPLE.get(key) or REFRESH_TOKEN_PERIODIC[key])[1]
    admin_approved = policies.get("permitted_users") == "admin_approved"
    components.append(EcaOauthPolicies(
        name=name + OAUTH_POLICIES,
        app=name,
        client_credentials_flow_user=run_as,
        permission_sets=_joined(policies.get("permission_sets")),
        profiles=_joined(policies.get("profiles")),
        ip_relaxation_policy_type=IP_RELAXATION[policies.get("ip_relaxation", "enforce")][1],
        is_client_credentials_flow_enabled=run_as is not None,
        permitted_users_policy_type="AdminApprovedPreAuthorized" if admin_approved else "AllSelfAuthorized",
        refresh_token_policy_type=policy_type,
        refresh_token_validity_period=amount,
        refresh_token_validity_unit=PERIOD_UNITS[unit][1] if unit else None,
        session_timeout_in_minutes=policies.get("session_timeout_minutes"),
    ))
    return components
