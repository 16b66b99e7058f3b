"""Every lint rule, listed explicitly (never registered by import side effects)."""

from __future__ import annotations

from functools import cache

from sfauthgen.diagnostics import Severity
from sfauthgen.lint.rule import Rule
from sfauthgen.lint.rules import apps, certificates, credentials, lifecycle, permission_sets, secrets_scan

EXPIRED_WAIVER = "SFA000"
UNUSED_WAIVER = "SFA099"
RULES: tuple[Rule, ...] = tuple(sorted(
    (*apps.RULES, *lifecycle.RULES, *certificates.RULES, *credentials.RULES, *permission_sets.RULES,
     *secrets_scan.RULES),
    key=lambda rule: rule.id,
))
# Rules about waivers themselves: the engine reports them after matching waivers, and no waiver can hide them
# (a waiver of the waiver check would let a stale exception live forever).
WAIVER_RULES: tuple[Rule, ...] = (
    Rule(EXPIRED_WAIVER, "ExpiredWaiver", Severity.ERROR, "A waiver's expiry date has passed.",
         "A waiver is a decision with an end date; past it, the finding it hid needs a fresh look. "
         "Waiver findings cannot themselves be waived.",
         "Fix what the waived rule reports, or renew the waiver with a new reason and date.", lambda ctx: iter(())),
    Rule(UNUSED_WAIVER, "UnusedWaiver", Severity.WARNING, "A waiver matches no finding.",
         "A waiver that waives nothing hides nothing today, but would silently hide a future finding. "
         "Waiver findings cannot themselves be waived.",
         "Remove the waiver, or correct its rule or target.", lambda ctx: iter(())),
)


@cache
def all_rules() -> dict[str, Rule]:
    return {rule.id: rule for rule in sorted((*RULES, *WAIVER_RULES), key=lambda r: r.id)}
