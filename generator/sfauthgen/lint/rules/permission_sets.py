"""Permission sets that grant credential access: what else they carry."""

from __future__ import annotations

from collections.abc import Iterator

from sfauthgen.diagnostics import Severity
from sfauthgen.kinds.base import APEX_CLASS, PRINCIPAL
from sfauthgen.lint.rule import Finding, LintContext, Rule

BROAD = ("ModifyAllData", "ViewAllData", "ManageUsers", "AuthorApex")


def broad_permissions(ctx: LintContext) -> Iterator[Finding]:
    for entry in ctx.spec.of("permission_set"):
        if entry.existing or not any(g.access == PRINCIPAL for g in ctx.grants.to(entry.name)):
            continue
        for index, permission in enumerate(entry.user_permissions):
            if permission in BROAD:
                yield Finding(entry.name, entry.source.locate("user_permissions", index),
                              f"permission set '{entry.name}' grants credential access and {permission}")


def both_access_kinds(ctx: LintContext) -> Iterator[Finding]:
    for entry in ctx.spec.of("permission_set"):
        mine = ctx.grants.to(entry.name)
        if not any(g.access == PRINCIPAL for g in mine):
            continue
        message = f"permission set '{entry.name}' gets both principal access and Apex class access"
        for grant in mine:
            if grant.access == APEX_CLASS:
                yield Finding(entry.name, grant.location, message)
        if entry.apex_classes:
            yield Finding(entry.name, entry.source.locate("apex_classes", key=True), message)


RULES = (
    Rule("SFA024", "BroadPermissionsWithCredentials", Severity.WARNING, "A set with principal access also grants "
         "ModifyAllData, ViewAllData, ManageUsers or AuthorApex.", "The article: grant only the permissions the "
         "migration needs. Whoever holds the credential should not also hold the org.",
         "Move the broad permission to another set, or drop it.", broad_permissions),
    Rule("SFA025", "PrincipalAndClassAccess", Severity.WARNING, "One permission set gets both principal access "
         "and Apex class access.", "A set carrying both has failed to deploy (sf CLI issue 1781).",
         "Grant the Apex class through a separate permission set.", both_access_kinds),
)
