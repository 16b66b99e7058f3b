"""Connected apps: spec settings become ConnectedApp values."""

from __future__ import annotations

import ipaddress
from typing import Any

from sfauthgen.checks import CheckResult
from sfauthgen.merge import Entry
from sfauthgen.model import AppHeader, ConnectedApp, ConnectedAppOauthConfig, ConnectedAppOauthPolicy, IpRange
from sfauthgen.vocabulary import (
    IP_RELAXATION,
    PERIOD_UNITS,
    REFRESH_TOKEN_PERIODIC,
    REFRESH_TOKEN_SIMPLE,
    scopes_in_wsdl_order,
)


def refresh_token_parts(value: Any) -> tuple[str, int | None, str | None]:
    """A spec refresh_token as (policy key, amount, unit key); default never_expires."""
    if value is None:
        return "never_expires", None, None
    if isinstance(value, str):
        return value, None, None
    ((key, period),) = value.items()
    amount, unit = period.split()
    return key, int(amount), unit


def refresh_token_policy(value: Any) -> str:
    """ConnectedApp refreshTokenPolicy for a spec value (default never_expires -> infinite)."""
    key, amount, unit = refresh_token_parts(value)
    if amount is None or unit is None:
        return REFRESH_TOKEN_SIMPLE[key][0]
    return f"{REFRESH_TOKEN_PERIODIC[key][0]}:{amount}:{PERIOD_UNITS[unit][0]}"


def app_header(entry: Entry) -> AppHeader:
    return AppHeader(
        label=entry.data["label"],
        contact_email=entry.data["contact_email"],
        contact_phone=entry.get("contact_phone"),
        description=entry.get("description"),
        icon_url=entry.get("icon_url"),
        info_url=entry.get("info_url"),
        logo_url=entry.get("logo_url"),
    )


def certificate_body(entry: Entry, checked: CheckResult) -> str | None:
    written = entry.get("oauth", "jwt_bearer", "certificate")
    return None if written is None else checked.certificates[(entry.doc.path, written)]


def ip_ranges(entry: Entry) -> tuple[IpRange, ...]:
    ranges = [IpRange(r["start"], r["end"], r.get("description")) for r in entry.get("ip_ranges") or []]
    return tuple(sorted(ranges, key=lambda r: (ipaddress.ip_address(r.start), ipaddress.ip_address(r.end))))


def connected_app(entry: Entry, checked: CheckResult, labels: dict[str, str]) -> ConnectedApp:
    oauth = entry.get("oauth")
    policies = entry.get("policies") or {}
    admin_approved = policies.get("permitted_users") == "admin_approved"
    oauth_config = oauth_policy = None
    if oauth is not None:
        certificate = certificate_body(entry, checked)
        client_credentials = oauth.get("client_credentials")
        oauth_config = ConnectedAppOauthConfig(
            callback_url="\n".join(oauth["callback_urls"]),
            certificate=certificate,
            is_admin_approved=admin_approved,
            is_client_credential_enabled=client_credentials is not None,
            is_consumer_secret_optional=not oauth.get("require_secret_for_web_server_flow", True),
            is_introspect_all_tokens=oauth.get("introspect_all_tokens", False),
            is_pkce_required=oauth.get("require_pkce", False),
            is_secret_required_for_refresh_token=oauth.get("require_secret_for_refresh_token_flow", True),
            oauth_client_credential_user=client_credentials["run_as"] if client_credentials else None,
            scopes=scopes_in_wsdl_order(oauth["scopes"]),
        )
        oauth_policy = ConnectedAppOauthPolicy(
            ip_relaxation=IP_RELAXATION[policies.get("ip_relaxation", "enforce")][0],
            refresh_token_policy=refresh_token_policy(policies.get("refresh_token")),
        )
    # Salesforce stores a permission set's label in permissionSetName (FACTS.md).
    permission_sets = {labels.get(name, name) for name in policies.get("permission_sets") or []}
    return ConnectedApp(
        name=entry.name,
        header=app_header(entry),
        start_url=entry.get("start_url"),
        ip_ranges=ip_ranges(entry),
        oauth_config=oauth_config,
        oauth_policy=oauth_policy,
        permission_set_names=tuple(sorted(permission_sets)),
        profile_names=tuple(sorted(set(policies.get("profiles") or []))),
        session_timeout=policies.get("session_timeout_minutes"),
    )
