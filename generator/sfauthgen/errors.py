"""Diagnostics and the exceptions that stop a run.

Stages report problems as `Diagnostic` records with a 1-based file position;
only the CLI prints them. A stage that cannot go on raises `SpecError` with all
the diagnostics it found, so the user sees every problem in one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a spec file."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.message)

    def format(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        text = f"{self.location}: {prefix}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class SfauthgenError(Exception):
    """Base of every error sfauthgen reports without a traceback."""

    exit_code = 1


class SpecError(SfauthgenError):
    """The spec is invalid; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class OutputError(SfauthgenError):
    """The output folder cannot be written as asked (refused overwrite, unreadable project file)."""


class InternalError(SfauthgenError):
    """A bug in sfauthgen, such as a template that renders schema-invalid XML."""

    exit_code = 3
