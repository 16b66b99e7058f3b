"""What a lint rule is, and what it finds."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

from sfauthgen.diagnostics import Location, Severity
from sfauthgen.kinds.base import Grants, SpecEntries
from sfauthgen.records import record


@record
class LintContext:
    spec: SpecEntries
    today: datetime.date
    grants: Grants
    scan_roots: tuple[Path, ...]  # folders the secret scan reads (the spec files' and the output's)


@record
class Finding:
    """One problem a rule found: about `target` (an entry's name, or a file), at `location`."""

    target: str
    location: Location
    message: str
    severity: Severity | None = None  # None: the rule's own severity


@record
class Rule:
    """A lint rule. `summary` is one line; `rationale` and `fix` are its documentation."""

    id: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    fix: str
    check: Callable[[LintContext], Iterator[Finding]]
