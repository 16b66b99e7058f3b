"""The life of an app: retire dates, retired apps, and Connected Apps that cannot be created any more."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from sfauthgen.diagnostics import Severity
from sfauthgen.lint.rule import Finding, LintContext, Rule
from sfauthgen.lint.rules.apps import apps

SOON = datetime.timedelta(days=30)


def retire_after(ctx: LintContext) -> Iterator[Finding]:
    for _, app in apps(ctx):
        if app.retire_after is None or app.status == "retired":
            continue
        due = datetime.date.fromisoformat(app.retire_after)
        where = app.source.locate("retire_after")
        if due < ctx.today:
            yield Finding(app.name, where, f"'{app.name}' was due to be retired on {due}", Severity.ERROR)
        elif due - ctx.today <= SOON:
            yield Finding(app.name, where, f"'{app.name}' is due to be retired on {due}")


def no_retire_date(ctx: LintContext) -> Iterator[Finding]:
    for _, app in apps(ctx):
        if app.retire_after is None and app.status != "retired":
            yield Finding(app.name, app.source.locate("name"), f"'{app.name}' has no retire_after date")


def retired_still_granted(ctx: LintContext) -> Iterator[Finding]:
    for _, app in apps(ctx):
        if app.status == "retired" and (app.policies.permission_sets or app.policies.profiles):
            key = "permission_sets" if app.policies.permission_sets else "profiles"
            yield Finding(app.name, app.policies.source.locate(key, key=True),
                          f"'{app.name}' is retired but still lists {key.replace('_', ' ')} (they are not written)")


def connected_app_not_in_org(ctx: LintContext) -> Iterator[Finding]:
    for app in ctx.spec.of("connected_app"):
        if not app.exists_in_org:
            yield Finding(app.name, app.source.locate("name"),
                          f"connected app '{app.name}' is not marked exists_in_org: true; creating it fails in most "
                          "orgs, and rolls back the whole deploy")


RULES = (
    Rule("SFA007", "RetireDate", Severity.WARNING, "An app's retire_after date is within 30 days (warning) or past "
         "(error).", "The article: document the expiry and plan a post-cutover task to deactivate the app. A "
         "date that passes unnoticed leaves a migration's access open.",
         "Set `status: retired` (deactivate, don't delete), or move the date.", retire_after),
    Rule("SFA010", "ConnectedAppNotInOrg", Severity.WARNING, "A connected app without `exists_in_org: true`.",
         "Since Spring '26 the Metadata API cannot create new Connected Apps in most orgs, and one failing "
         "component rolls back the whole deploy.", "Move new integrations to `external_client_apps`; mark apps "
         "that already exist in every target org with `exists_in_org: true`.", connected_app_not_in_org),
    Rule("SFA015", "NoRetireDate", Severity.NOTE, "An app without retire_after.",
         "Temporary integrations outlive their purpose when nobody writes down when they end.",
         "Set `retire_after: YYYY-MM-DD`, or waive the rule for a permanent integration.", no_retire_date),
    Rule("SFA016", "RetiredAppStillGranted", Severity.WARNING, "A retired app still lists permission sets or "
         "profiles.", "A retired app is written without them; the spec should say what the org has.",
         "Remove `policies.permission_sets` and `profiles` from the retired app.", retired_still_granted),
)
