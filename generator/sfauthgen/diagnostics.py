"""Diagnostics and the exceptions that stop a run.

Stages report problems as `Diagnostic` records with a 1-based file position and a stable
code (see `codes.py`); only the commands print them. A stage that cannot go on raises
`SpecError` with all the diagnostics it found, so the user sees every problem in one run.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from sfauthgen import codes
from sfauthgen.inputs import shown
from sfauthgen.records import record
from sfauthgen.secretpatterns import scrub


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@record(order=True)
class Location:
    """A 1-based position in a spec (or metadata) file."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{shown(self.path)}:{self.line}:{self.column}"


@record
class Diagnostic:
    location: Location
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR
    code: str = ""
    suppressed: str | None = None  # a lint waiver's reason: still listed, never counted

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.message)

    def format(self) -> str:
        """`path:line:col: CODE message` (`CODE warning: message` for warnings), then the hint."""
        code = f"{self.code} " if self.code else ""
        prefix = "" if self.severity is Severity.ERROR else f"{self.severity.value}: "
        text = f"{self.location}: {code}{prefix}{shown(scrub(self.message))}"
        if self.hint:
            text += f"\n    hint: {shown(scrub(self.hint))}"
        if self.suppressed:
            text += f"\n    waived: {shown(scrub(self.suppressed))}"
        return text


# A message quotes what it is about, and a value can be megabytes long (a variable used many times): past
# this many characters the message is cut, so a thousand such errors are not gigabytes of output.
MAX_MESSAGE_CHARS = 1000


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + "... (cut)"


def error(location: Location, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(location, _cut(message), hint, Severity.ERROR, code)


def warning(location: Location, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(location, _cut(message), hint, Severity.WARNING, code)


class SfauthgenError(Exception):
    """Base of every error sfauthgen reports without a traceback, printed with its code (every problem a
    command reports carries one); `code=` picks a more precise one than the class's."""

    exit_code = 1
    code = ""

    def __init__(self, *args: object, code: str | None = None) -> None:
        super().__init__(*args)
        if code is not None:
            self.code = code

    def __reduce__(self) -> Any:
        return _rebuilt, (type(self), self.args, self.code)  # code= survives a worker process


class SpecError(SfauthgenError):
    """The spec (or a metadata file being imported) is invalid; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[SpecError], tuple[list[Diagnostic]]]:
        return type(self), (self.diagnostics,)  # rebuilt from its diagnostics, not from its message


def _rebuilt(kind: type[SfauthgenError], args: tuple[object, ...], code: str) -> SfauthgenError:
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.code = code
    return error


class OutputError(SfauthgenError):
    """The output folder cannot be written as asked (refused overwrite, unreadable project file)."""

    code = codes.OUTPUT_FOLDER


class UsageProblem(SfauthgenError):
    """A command-line value that names nothing in the spec (--var, --env): exit 2."""

    exit_code = 2
    code = codes.USAGE


class InternalError(SfauthgenError):
    """A bug in sfauthgen, such as a template that renders schema-invalid XML."""

    exit_code = 3
