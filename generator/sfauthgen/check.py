"""The check stage: every kind's checks over its entries, then the checks across kinds."""

from __future__ import annotations

import datetime

from sfauthgen import crosscheck, records
from sfauthgen.diagnostics import Diagnostic, Severity
from sfauthgen.kinds.base import CheckContext, Grants, SpecEntries
from sfauthgen.kinds.registry import KINDS
from sfauthgen.records import record


@record
class CheckResult:
    diagnostics: tuple[Diagnostic, ...]
    grants: Grants

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def all_grants(spec: SpecEntries) -> Grants:
    return Grants.of(tuple(grant for kind in KINDS for entry in spec.of(kind.name) for grant in kind.grants(entry)))


def check(spec: SpecEntries, today: datetime.date | None = None) -> CheckResult:
    grants = all_grants(spec)
    declared = {kind.section: tuple(e.name for e in spec.of(kind.name)) for kind in KINDS if kind.section}
    ctx = CheckContext(spec=spec, today=today or datetime.date.today(), grants=grants, declared=declared)
    found: list[Diagnostic] = []
    for kind in KINDS:
        for rule in kind.checks:
            for entry in spec.of(kind.name):
                found += [records.replace(d, code=d.code or rule.code) for d in rule.run(entry, ctx)]
    found += crosscheck.unique_names(ctx)
    found += crosscheck.references_declared(ctx)
    return CheckResult(tuple(sorted(found, key=Diagnostic.sort_key)), grants)
