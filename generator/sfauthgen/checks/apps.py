"""Cross-checks of connected apps."""

from __future__ import annotations

import datetime
import ipaddress
import re
from collections.abc import Iterator

from sfauthgen.certificates import CertificateProblem, read_certificate_body
from sfauthgen.checks.context import CheckContext, warning
from sfauthgen.errors import Diagnostic
from sfauthgen.merge import Entry

# A permission set API name, optionally with a managed package namespace (ns__Name).
_API_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__)?[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$")


def _apps(ctx: CheckContext) -> Iterator[Entry]:
    """Connected apps and external client apps: one entry shape, one set of checks."""
    yield from ctx.spec.entries("connected_apps")
    yield from ctx.spec.entries("external_client_apps")


def eca_settings_need_oauth(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An ECA keeps IP ranges and session timeout in its OAuth files: without oauth they have no home."""
    for app in ctx.spec.entries("external_client_apps"):
        if app.get("oauth") is not None:
            continue
        for path in (("ip_ranges",), ("policies", "session_timeout_minutes")):
            if app.get(*path) is not None:
                yield Diagnostic(
                    app.locate(*path, key=True),
                    f"'{path[-1]}' has no External Client App equivalent without an oauth block",
                    "External Client Apps keep it in their OAuth settings and policies; add oauth or remove it",
                )


def eca_name_length(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The settings files are named <App>_glbloauth etc., and those names have 80 characters too."""
    longest = max(len(suffix) for suffix in ("_oauth", "_glbloauth", "_oauthPlcy", "_plcy"))
    for app in ctx.spec.entries("external_client_apps"):
        if len(app.name) + longest > 80:
            yield Diagnostic(
                app.locate("name"),
                f"external client app name '{app.name}' is longer than {80 - longest} characters",
                f"its settings files are named '{app.name}_glbloauth' and so on, which must fit in 80 characters",
            )


def eca_permission_set_names(ctx: CheckContext) -> Iterator[Diagnostic]:
    """ECAs list permission sets by API name and profiles comma separated (FACTS.md)."""
    for app in ctx.spec.entries("external_client_apps"):
        for index, name in enumerate(app.get("policies", "permission_sets") or []):
            if not _API_NAME.match(name):
                yield Diagnostic(
                    app.locate("policies", "permission_sets", index),
                    f"'{name}' is not a permission set API name",
                    "external client apps list permission sets by API name (Data_Migration_Integration), "
                    "not by label",
                )
        for index, name in enumerate(app.get("policies", "profiles") or []):
            if "," in name:
                yield Diagnostic(
                    app.locate("policies", "profiles", index),
                    f"profile name '{name}' contains a comma",
                    "external client apps store profiles as one comma-separated list",
                )


def policies_need_oauth(ctx: CheckContext) -> Iterator[Diagnostic]:
    for app in _apps(ctx):
        if app.get("oauth") is not None:
            continue
        for key in ("permitted_users", "ip_relaxation", "refresh_token"):
            if app.get("policies", key) is not None:
                yield Diagnostic(
                    app.locate("policies", key, key=True),
                    f"policies.{key} needs an oauth block",
                    "these are OAuth policies; add oauth with callback_urls and scopes",
                )


def admin_only_settings(ctx: CheckContext) -> Iterator[Diagnostic]:
    for app in _apps(ctx):
        if app.get("policies", "permitted_users") == "admin_approved":
            continue
        for key in ("permission_sets", "profiles"):
            if app.get("policies", key):
                yield Diagnostic(
                    app.locate("policies", key, key=True),
                    f"policies.{key} requires permitted_users: admin_approved",
                    "Salesforce grants access by permission set or profile only when admin-approved "
                    "users are pre-authorized; add 'permitted_users: admin_approved'",
                )


def admin_approved_reachable(ctx: CheckContext) -> Iterator[Diagnostic]:
    for app in _apps(ctx):
        if app.get("policies", "permitted_users") != "admin_approved":
            continue
        if not app.get("policies", "permission_sets") and not app.get("policies", "profiles"):
            yield warning(
                app.locate("policies", "permitted_users"),
                f"'{app.name}' is admin-approved but no permission set or profile is granted: nobody can use it",
                "list the permission sets (or profiles) of the integration users under policies",
            )


def jwt_needs_admin_approval(ctx: CheckContext) -> Iterator[Diagnostic]:
    for app in _apps(ctx):
        if app.get("oauth", "jwt_bearer") is None:
            continue
        if app.get("policies", "permitted_users") != "admin_approved":
            yield warning(
                app.locate("oauth", "jwt_bearer", key=True),
                f"'{app.name}' uses jwt_bearer without permitted_users: admin_approved",
                "the JWT bearer flow fails with \"user hasn't approved this consumer\" unless each user "
                "pre-authorizes interactively; set policies.permitted_users: admin_approved",
            )


def certificates_readable(ctx: CheckContext) -> Iterator[Diagnostic]:
    for app in _apps(ctx):
        written = app.get("oauth", "jwt_bearer", "certificate")
        if written is None:
            continue
        try:
            body = read_certificate_body(app.base_dir / written)
        except CertificateProblem as problem:
            yield Diagnostic(app.locate("oauth", "jwt_bearer", "certificate"), problem.message, problem.hint)
        else:
            ctx.certificates[(app.doc.path, written)] = body


def ip_ranges_valid(ctx: CheckContext) -> Iterator[Diagnostic]:
    for app in _apps(ctx):
        for index, item in enumerate(app.get("ip_ranges") or []):
            addresses = {}
            for end in ("start", "end"):
                try:
                    addresses[end] = ipaddress.ip_address(item[end])
                except ValueError:
                    yield Diagnostic(
                        app.locate("ip_ranges", index, end), f"'{item[end]}' is not an IP address"
                    )
            if len(addresses) < 2:
                continue
            start, stop = addresses["start"], addresses["end"]
            if start.version != stop.version:
                yield Diagnostic(app.locate("ip_ranges", index), "ip range mixes IPv4 and IPv6 addresses")
            elif start > stop:  # type: ignore[operator]
                yield Diagnostic(
                    app.locate("ip_ranges", index, "start"),
                    f"ip range starts at {start}, after its end {stop}",
                    "swap start and end",
                )


def retire_after_passed(ctx: CheckContext) -> Iterator[Diagnostic]:
    for app in _apps(ctx):
        written = app.get("retire_after")
        if written is None:
            continue
        if datetime.date.fromisoformat(written) < ctx.today:
            yield warning(
                app.locate("retire_after"),
                f"'{app.name}' was due to be retired on {written}",
                "deactivate the app in the org and remove it from the spec, or move the date",
            )
