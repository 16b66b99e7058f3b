from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field

from sfauthgen.errors import Diagnostic, Location, Severity
from sfauthgen.merge import MergedSpec


@dataclass
class CheckContext:
    spec: MergedSpec
    today: datetime.date
    # (spec file, path as written) -> base64 certificate body
    certificates: dict[tuple[str, str], str] = field(default_factory=dict)

    def declared(self, section: str) -> list[str]:
        return [entry.name for entry in self.spec.entries(section)]


@dataclass(frozen=True)
class CheckResult:
    diagnostics: tuple[Diagnostic, ...]
    certificates: dict[tuple[str, str], str]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def warning(location: Location, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(location, message, hint, Severity.WARNING)


def did_you_mean(value: str, choices: list[str], what: str) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if choices:
        return f"declared {what}: " + ", ".join(sorted(choices))
    return f"no {what} is declared in the spec"
