"""What a metadata kind provides to the stages, and the contexts the stages hand it.

A kind module defines its typed spec entry, its checks (each with a code), how an entry
becomes output components, its references and grants to other kinds, its next steps and
its import, and ends with one `KIND = Kind(...)` that `registry.py` lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from enum import IntEnum
from typing import TYPE_CHECKING, Any, TypeVar

from sfauthgen.diagnostics import Diagnostic, Location
from sfauthgen.records import field, record
from sfauthgen.spec.loader import SpecDocument
from sfauthgen.spec.source import Source

if TYPE_CHECKING:
    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.read import MetadataFile
    from sfauthgen.model import Component

T = TypeVar("T")

# A typed spec entry: a frozen record with at least `name` and `source`.
Entry = Any


@record
class Waiver:
    """A lint finding accepted on purpose (the spec's `waivers`)."""

    source: Source
    rule: str
    target: str  # an entry's name, or "*"
    reason: str
    expires: datetime.date


@record
class SpecEntries:
    """Every typed entry of a run, by kind name, in spec order."""

    documents: tuple[SpecDocument, ...]
    api_version: str | None
    by_kind: dict[str, tuple[Entry, ...]]
    waivers: tuple[Waiver, ...] = ()
    _names: dict[str, dict[str, Entry]] = field(default_factory=dict, compare=False, repr=False)
    _indexes: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def of(self, kind: str) -> tuple[Entry, ...]:
        return self.by_kind.get(kind, ())

    def named(self, kind: str) -> dict[str, Entry]:
        """A kind's entries by name (the first of a duplicated name), built once per run."""
        if kind not in self._names:
            index: dict[str, Entry] = {}
            for entry in self.of(kind):
                index.setdefault(entry.name, entry)
            self._names[kind] = index
        return self._names[kind]

    def index(self, key: str, build: Callable[[SpecEntries], T]) -> T:
        """`build(self)`, built once per run under `key`: what a check of each entry looks up across all of them
        (checking each entry against every other would be quadratic in a spec of thousands)."""
        if key not in self._indexes:
            self._indexes[key] = build(self)
        found: T = self._indexes[key]
        return found


@record
class Reference:
    """An entry naming an entry of another section, which must be declared there."""

    section: str
    name: str
    location: Location


@record
class Grant:
    """Access an entry gives a permission set: a principal ('<EC>-<Principal>') or an Apex class."""

    permission_set: str
    access: str  # PRINCIPAL or APEX_CLASS
    value: str
    location: Location
    principal_type: str | None = None  # per_user or named, for principal access
    refreshes_tokens: bool = False  # an OAuth principal, whose tokens Salesforce refreshes on callouts


PRINCIPAL, APEX_CLASS = "principal", "apex_class"


@record
class Grants:
    """Every grant of a run, and the grants of each permission set."""

    all: tuple[Grant, ...]
    by_set: dict[str, tuple[Grant, ...]]

    @classmethod
    def of(cls, grants: tuple[Grant, ...]) -> Grants:
        by_set: dict[str, list[Grant]] = {}
        for grant in grants:
            by_set.setdefault(grant.permission_set, []).append(grant)
        return cls(grants, {name: tuple(found) for name, found in by_set.items()})

    def to(self, permission_set: str) -> tuple[Grant, ...]:
        return self.by_set.get(permission_set, ())


@record
class CheckContext:
    spec: SpecEntries
    today: datetime.date
    grants: Grants
    declared: dict[str, tuple[str, ...]]  # section -> names declared there


CheckFunction = Callable[[Entry, CheckContext], Iterator[Diagnostic]]


@record
class Check:
    """A check of one entry. Its function yields diagnostics; the runner gives them `code`."""

    code: str
    name: str
    summary: str
    run: CheckFunction


@record
class BuildContext:
    spec: SpecEntries
    api_version: str
    grants: Grants
    eca_global_oauth: bool = True


class Phase(IntEnum):
    """Next steps are listed phase by phase, each phase in registry order."""

    BEFORE_DEPLOY = 0
    CREDENTIALS = 1
    ACCESS = 2
    APPS = 3


@record
class Step:
    phase: Phase
    text: str


@record
class StepContext:
    api_version: str
    eca_global_oauth: bool = True


def _nothing(entry: Entry, *_: Any) -> Iterator[Any]:
    return iter(())


@record
class Kind:
    name: str
    noun: str  # for messages: "connected app"
    section: str | None  # the spec's top-level list; None for a kind carried inside another's entries
    schema: tuple[str, ...]  # fragments under data/schema/
    metadata_types: tuple[str, ...]  # what it writes and imports (also the XSD subset's roots)
    build: Callable[[Entry, BuildContext], Iterable[Component]]
    parse: Callable[[Source, dict[str, Any]], Entry] | None = None
    derive: Callable[[SpecEntries], tuple[Entry, ...]] | None = None
    checks: tuple[Check, ...] = ()
    references: Callable[[Entry], Iterable[Reference]] = _nothing
    grants: Callable[[Entry], Iterable[Grant]] = _nothing
    next_steps: Callable[[Entry, StepContext], Iterable[Step]] = _nothing
    # (type, name) of components the entry describes but leaves to the org this run (not written, never
    # queued for deletion): an ECA's global OAuth settings under --no-eca-global-oauth.
    left_to_org: Callable[[Entry, BuildContext], Iterable[tuple[str, str]]] = _nothing
    # (API version, where, what needs it): the first version in which Salesforce has what an entry uses.
    minimum_api: Callable[[Entry], Iterable[tuple[str, Location, str]]] = _nothing
    import_files: Callable[[list[MetadataFile], ImportContext], None] | None = None
