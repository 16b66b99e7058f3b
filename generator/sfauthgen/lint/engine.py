"""Run every rule, then the waivers: findings become diagnostics with the rule's code."""

from __future__ import annotations

import datetime
from pathlib import Path

from sfauthgen.check import all_grants
from sfauthgen.diagnostics import Diagnostic, Location, Severity
from sfauthgen.kinds.base import SpecEntries, Waiver
from sfauthgen.lint.registry import EXPIRED_WAIVER, RULES, UNUSED_WAIVER, all_rules
from sfauthgen.lint.rule import Finding, LintContext
from sfauthgen.records import record


@record
class LintResult:
    diagnostics: tuple[Diagnostic, ...]  # waived ones included, marked suppressed

    def failing(self, threshold: Severity) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.suppressed is None and d.severity.rank >= threshold.rank]


def lint(spec: SpecEntries, today: datetime.date, scan_roots: tuple[Path, ...]) -> LintResult:
    ctx = LintContext(spec=spec, today=today, grants=all_grants(spec), scan_roots=scan_roots)
    found: list[tuple[str, Finding]] = [(rule.id, finding) for rule in RULES for finding in rule.check(ctx)]
    diagnostics, used = _waive(found, spec.waivers, today)
    diagnostics += _waiver_problems(spec.waivers, used, today)
    return LintResult(tuple(sorted(diagnostics, key=lambda d: (*d.sort_key(), d.code))))


def _matches(waiver: Waiver, rule: str, finding: Finding) -> bool:
    return waiver.rule == rule and waiver.target in ("*", finding.target)


def _waive(found: list[tuple[str, Finding]], waivers: tuple[Waiver, ...], today: datetime.date,
           ) -> tuple[list[Diagnostic], set[int]]:
    rules = all_rules()
    used: set[int] = set()
    out = []
    for rule_id, finding in found:
        rule = rules[rule_id]
        severity = finding.severity or rule.severity
        waiver = next((w for w in waivers if _matches(w, rule_id, finding)), None)
        suppressed = None
        if waiver is not None:
            used.add(id(waiver))
            if waiver.expires >= today:  # an expired waiver waives nothing (and is an error of its own)
                suppressed = f"{waiver.reason} (until {waiver.expires}, {waiver.source.locate()})"
        out.append(Diagnostic(finding.location, finding.message, rule.fix, severity, rule_id, suppressed))
    return out, used


def _waiver_problems(waivers: tuple[Waiver, ...], used: set[int], today: datetime.date) -> list[Diagnostic]:
    rules = all_rules()
    out = []
    for waiver in waivers:
        here: Location = waiver.source.locate("expires")
        if waiver.expires < today:
            rule = rules[EXPIRED_WAIVER]
            out.append(Diagnostic(here, f"the waiver of {waiver.rule} for '{waiver.target}' expired on "
                                        f"{waiver.expires}", rule.fix, rule.severity, EXPIRED_WAIVER))
        elif id(waiver) not in used:
            rule = rules[UNUSED_WAIVER]
            known = waiver.rule in rules
            message = (f"the waiver of {waiver.rule} for '{waiver.target}' matches no finding" if known else
                       f"the waiver names {waiver.rule}, which is no lint rule")
            out.append(Diagnostic(waiver.source.locate("rule"), message, rule.fix, rule.severity, UNUSED_WAIVER))
    return out
