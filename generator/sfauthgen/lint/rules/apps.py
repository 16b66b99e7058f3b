"""Connected apps and external client apps: scopes, approval, run-as users, network and tokens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sfauthgen.diagnostics import Severity
from sfauthgen.kinds.app import AppEntry, refresh_token
from sfauthgen.lint.rule import Finding, LintContext, Rule
from sfauthgen.vocabulary import scope_enum

SERVER_TO_SERVER = "client credentials or JWT bearer"
PRIVILEGED_WORDS = ("admin", "administrator", "sysadmin", "root", "superuser")


def apps(ctx: LintContext) -> Iterator[tuple[str, AppEntry]]:
    for kind in ("connected_app", "external_client_app"):
        for app in ctx.spec.of(kind):
            yield kind.replace("_", " "), app


def live_apps(ctx: LintContext) -> Iterator[tuple[str, AppEntry]]:
    """Apps the org still uses: a retired app is written locked down, so its settings are not what runs."""
    for kind, app in apps(ctx):
        if app.status != "retired":
            yield kind, app


def server_to_server(app: AppEntry) -> bool:
    """An app a machine uses without a person: the client credentials or the JWT bearer flow."""
    return app.oauth is not None and (app.oauth.run_as is not None or app.oauth.jwt_certificate is not None)


def _scopes(ctx: LintContext, wanted: set[str]) -> Iterator[tuple[AppEntry, int, str]]:
    for _, app in live_apps(ctx):
        for index, scope in enumerate(app.oauth.scopes if app.oauth else ()):
            if scope_enum(scope) in wanted:
                yield app, index, scope


def full_scope(ctx: LintContext) -> Iterator[Finding]:
    for app, index, scope in _scopes(ctx, {"Full"}):
        yield Finding(app.name, app.oauth.source.locate("scopes", index),  # type: ignore[union-attr]
                      f"'{app.name}' asks for the '{scope}' scope: everything the user can do, web sessions included")


def web_scopes_headless(ctx: LintContext) -> Iterator[Finding]:
    for app, index, scope in _scopes(ctx, {"Web", "CustomApplications"}):
        if server_to_server(app):
            yield Finding(app.name, app.oauth.source.locate("scopes", index),  # type: ignore[union-attr]
                          f"'{app.name}' is a server-to-server app but asks for the browser scope '{scope}'")


def refresh_without_refresh(ctx: LintContext) -> Iterator[Finding]:
    for app, index, scope in _scopes(ctx, {"RefreshToken"}):
        oauth = app.oauth
        if oauth is not None and oauth.run_as is not None and oauth.jwt_certificate is None:
            yield Finding(app.name, oauth.source.locate("scopes", index),
                          f"'{app.name}' asks for '{scope}', but the client credentials flow issues no refresh token")


def not_admin_approved(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        if server_to_server(app) and not app.policies.admin_approved:
            where = app.policies.source.locate("permitted_users") if app.policies.permitted_users else \
                app.source.locate("name")
            yield Finding(app.name, where, f"'{app.name}' uses {SERVER_TO_SERVER} but every user may self-authorize")


def nobody_can_use(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        policies = app.policies
        if policies.admin_approved and not policies.permission_sets and not policies.profiles:
            yield Finding(app.name, policies.source.locate("permitted_users"),
                          f"'{app.name}' is admin-approved but grants no permission set or profile: nobody can use it")


def jwt_without_approval(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        if app.oauth is not None and app.oauth.jwt_certificate is not None and not app.policies.admin_approved:
            yield Finding(app.name, app.oauth.source.locate("jwt_bearer", key=True),
                          f"'{app.name}' uses jwt_bearer without permitted_users: admin_approved: the flow fails with "
                          "\"user hasn't approved this consumer\"")


def privileged_run_as(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        run_as = app.oauth.run_as if app.oauth else None
        if run_as is None:
            continue
        local = run_as.split("@")[0].lower().replace("-", ".").replace("_", ".")
        if any(word in local.split(".") for word in PRIVILEGED_WORDS):
            yield Finding(app.name, app.oauth.source.locate("client_credentials", "run_as"),  # type: ignore[union-attr]
                          f"'{app.name}' runs as '{run_as}', which looks like an administrator")


def shared_run_as(ctx: LintContext) -> Iterator[Finding]:
    users: dict[str, list[AppEntry]] = defaultdict(list)
    for _, app in live_apps(ctx):
        if app.oauth is not None and app.oauth.run_as is not None:
            users[app.oauth.run_as.lower()].append(app)
    for same in users.values():
        for app in same[1:]:
            yield Finding(app.name, app.oauth.source.locate("client_credentials", "run_as"),  # type: ignore[union-attr]
                          f"'{app.name}' runs as the same user as '{same[0].name}'")


def relax_without_ranges(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        if app.oauth is not None and app.policies.ip_relaxation == "relax" and not app.ip_ranges:
            yield Finding(app.name, app.policies.source.locate("ip_relaxation"),
                          f"'{app.name}' relaxes IP restrictions without ip_ranges: tokens work from anywhere")


def second_factor_headless(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        if app.policies.ip_relaxation == "relax_with_second_factor" and server_to_server(app):
            yield Finding(app.name, app.policies.source.locate("ip_relaxation"),
                          f"'{app.name}' relaxes IP restrictions with a second factor, which a machine never gives")


def endless_refresh_tokens(ctx: LintContext) -> Iterator[Finding]:
    for kind, app in live_apps(ctx):
        if not server_to_server(app):
            continue
        if kind == "connected app" and refresh_token(app.policies).policy == "never_expires":
            where = app.policies.source.locate("refresh_token") if app.policies.refresh_token else \
                app.source.locate("name")
            yield Finding(app.name, where, f"'{app.name}' uses {SERVER_TO_SERVER} and its refresh tokens never expire")
        elif kind == "external client app" and app.policies.refresh_token is not None \
                and app.policies.refresh_token.policy == "never_expires":
            yield Finding(app.name, app.policies.source.locate("refresh_token"),
                          f"'{app.name}' uses {SERVER_TO_SERVER} and its refresh tokens never expire")


def no_session_timeout(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        if app.oauth is not None and app.policies.admin_approved and app.policies.session_timeout_minutes is None:
            yield Finding(app.name, app.policies.source.locate("permitted_users"),
                          f"'{app.name}' is admin-approved but sets no session_timeout_minutes")


def pinned_consumer_key(ctx: LintContext) -> Iterator[Finding]:
    for _, app in live_apps(ctx):
        if app.oauth is not None and app.oauth.consumer_key is not None:
            yield Finding(app.name, app.oauth.source.locate("consumer_key"),
                          f"'{app.name}' pins its consumer key: deploying it to an org where another app has the key "
                          "fails")


RULES = (
    Rule("SFA001", "FullScope", Severity.WARNING, "An app asks for the full scope.",
         "The article's advice: avoid broader scopes like full. `full` grants everything the user can do, "
         "including web sessions; an integration rarely needs more than `api`.",
         "Replace `full` with the scopes the integration uses (usually `api`).", full_scope),
    Rule("SFA002", "BrowserScopeOnServerApp", Severity.NOTE, "A server-to-server app asks for `web` or "
         "`visualforce`.", "Those scopes serve browser sessions; a client credentials or JWT bearer app has none.",
         "Remove `web` and `visualforce` from the app's scopes.", web_scopes_headless),
    Rule("SFA003", "RefreshScopeWithoutRefresh", Severity.NOTE, "`refresh_token` on an app that only uses the "
         "client credentials flow.", "The client credentials flow issues no refresh token; the scope grants "
         "nothing and suggests long-lived access that does not exist.",
         "Remove `refresh_token`/`offline_access`, or add the flow that uses it.", refresh_without_refresh),
    Rule("SFA004", "ServerAppNotAdminApproved", Severity.WARNING, "A server-to-server app lets every user "
         "self-authorize.", "The article: lock permitted users to the integration user. With all_users any user "
         "who can log in may authorize the app.",
         "Set `policies.permitted_users: admin_approved` and grant the integration's permission set.",
         not_admin_approved),
    Rule("SFA005", "RelaxedIpWithoutRanges", Severity.WARNING, "IP relaxation `relax` without `ip_ranges`.",
         "Relaxing IP restrictions without trusted ranges lets a stolen token work from anywhere.",
         "List the integration's addresses under `ip_ranges`, or use `enforce`.", relax_without_ranges),
    Rule("SFA006", "NobodyCanUseApp", Severity.WARNING, "An admin-approved app grants no permission set or "
         "profile.", "With admin-approved users only the users of the listed permission sets and profiles can "
         "authorize: with none, nobody can use the app.",
         "List the integration's permission set under `policies.permission_sets`.", nobody_can_use),
    Rule("SFA008", "JwtWithoutAdminApproval", Severity.ERROR, "The JWT bearer flow without admin approval.",
         "The JWT bearer flow has no consent screen: unless users are admin-approved it fails with \"user "
         "hasn't approved this consumer\".", "Set `policies.permitted_users: admin_approved`.", jwt_without_approval),
    Rule("SFA009", "PrivilegedRunAsUser", Severity.WARNING, "The client credentials run-as user looks like an "
         "administrator.", "The article asks for a dedicated integration user with minimal permissions; a "
         "token of the client credentials flow acts as that user.",
         "Create a dedicated integration user (API Only, the integration's permission set only).", privileged_run_as),
    Rule("SFA011", "SharedRunAsUser", Severity.WARNING, "Several apps run as the same user.",
         "A dedicated user per integration keeps its access minimal, its audit trail readable and its "
         "retirement clean.", "Give each integration its own run-as user.", shared_run_as),
    Rule("SFA012", "SecondFactorOnServerApp", Severity.NOTE, "`relax_with_second_factor` on a server-to-server "
         "app.", "A machine never passes a second factor, so the relaxation never applies.",
         "Use `enforce` with `ip_ranges`, or `relax` with `ip_ranges`.", second_factor_headless),
    Rule("SFA013", "EndlessRefreshTokens", Severity.WARNING, "Refresh tokens that never expire on a "
         "server-to-server app.", "A leaked refresh token of a machine user then works until someone notices.",
         "Set `policies.refresh_token: {expire_after: 90 days}` (or shorter).", endless_refresh_tokens),
    Rule("SFA014", "NoSessionTimeout", Severity.NOTE, "An admin-approved app without a session timeout.",
         "Without one, access tokens live as long as the org's default session.",
         "Set `policies.session_timeout_minutes`.", no_session_timeout),
    Rule("SFA027", "PinnedConsumerKey", Severity.NOTE, "An app pins its consumer key.",
         "A consumer key is unique per org: a pinned key fails to deploy where another app has it, and it ties "
         "every org to one client id.", "Leave `oauth.consumer_key` out unless the app is adopted from an org "
         "(import writes it) or the key is pinned on purpose.", pinned_consumer_key),
)
