"""The stages wired together: load -> validate -> model -> render -> plan. Commands call these."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sfauthgen import codes, workers
from sfauthgen.check import CheckResult, check
from sfauthgen.diagnostics import Diagnostic, Location, SpecError, error
from sfauthgen.files.layout import MDAPI, SOURCE, Layout
from sfauthgen.kinds.base import SpecEntries
from sfauthgen.model import Spec
from sfauthgen.modelbuild import build_model
from sfauthgen.records import record
from sfauthgen.spec import loader, schema, secrets, variables
from sfauthgen.spec.entries import typed_entries
from sfauthgen.spec.loader import SpecDocument

if TYPE_CHECKING:  # the output folder's modules are imported by the stages that use them: validate does not
    from sfauthgen.files.folder import Folder
    from sfauthgen.files.plan import Compared, Plan


@record
class Checked:
    """A spec that passed every check: its typed entries, and the warnings."""

    spec: SpecEntries
    result: CheckResult

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.result.warnings


def load_and_check(
    arguments: list[Path],
    today: datetime.date | None = None,
    overrides: dict[str, str] | None = None,
    environment: str | None = None,
) -> Checked:
    """Load every spec file, substitute variables, validate each against the schema, type and merge, cross-check."""
    files = list(loader.spec_files(arguments))
    if not files:
        shown = ", ".join(str(a) for a in arguments)
        raise SpecError([error(Location(shown, 1, 1), codes.FILE, "no *.yaml or *.yml spec files found")])
    reads = workers.map_in_order(_read_spec, files, [_size(path) for path in files])
    problems = [problem for read in reads for problem in read.problems]
    if problems:
        raise SpecError(problems)
    documents = [read.document for read in reads if read.document is not None]
    declarations, problems = variables.collect(documents)
    values = variables.resolve(declarations, overrides or {}, environment)
    redactor = secrets.Redactor()
    for read in reads:
        redactor.secrets.update(read.secrets)
    budget = variables.Budget()
    for read in reads:
        doc = read.document
        assert doc is not None  # no read problems
        problems.extend(read.secret_findings)
        if read.schema_findings is not None:
            problems.extend(read.schema_findings)
            continue
        reported = variables.substitute(doc, values, redactor, budget)
        problems.extend(reported)
        seen = {d.location for d in read.secret_findings} | {d.location for d in reported}
        problems.extend(d for d in schema.validate_document(doc) if d.location not in seen)
    if problems:
        problems.extend(_checks_of_valid_entries(documents, problems))
        # No message echoes a secret found anywhere in the run (a bad header name that is a token...).
        raise SpecError([redactor.clean(d) for d in problems])
    spec = typed_entries(documents)
    result = check(spec, today)
    if result.errors:
        raise SpecError(result.errors)
    return Checked(spec, result)


@record
class _SpecRead:
    """One spec file read: its document, or why it cannot be loaded; and the secrets written in it."""

    document: SpecDocument | None
    problems: tuple[Diagnostic, ...]
    secret_findings: tuple[Diagnostic, ...]
    secrets: frozenset[str]
    # Its schema problems, found at once when no value refers to a variable; None when one does (it is
    # validated once the variables, declared in any file, are substituted).
    schema_findings: tuple[Diagnostic, ...] | None = None


def _read_spec(path: Path) -> _SpecRead:
    """What a worker process does for each spec file: load it, look for secrets, and validate it against
    the schema unless it waits for variables."""
    try:
        document = loader.load_file(path, display=str(path))
    except SpecError as exc:
        return _SpecRead(None, tuple(exc.diagnostics), (), frozenset())
    redactor = secrets.Redactor()
    findings = secrets.find_secrets(document, redactor)
    schema_findings = None
    if not variables.has_references(document):
        # The schema would repeat (and echo) what the secret check already reported at the same place.
        seen = {d.location for d in findings}
        schema_findings = tuple(d for d in schema.validate_document(document) if d.location not in seen)
    return _SpecRead(document, (), tuple(findings), frozenset(redactor.secrets), schema_findings)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except (OSError, ValueError):
        return 0  # the load reports it


def _checks_of_valid_entries(documents: list[SpecDocument], reported: list[Diagnostic]) -> list[Diagnostic]:
    """The cross-checks of the entries the schema accepted, so one run reports every problem it can.

    Entries with a schema problem are left out; a check that names one of them (a reference to a
    permission set whose entry is broken) is dropped, since the entry's own problem comes first.
    """
    skip: set[tuple[str, str, int]] = set()
    broken_names: set[str] = set()
    for doc in documents:
        items = schema.invalid_items(doc)
        if items is None:
            return []
        for section, index in items:
            skip.add((doc.path, section, index))
            entry = (doc.data or {}).get(section, [None] * (index + 1))[index]
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                broken_names.add(entry["name"])
    if any(d.code.startswith(("SFY", "SFV")) for d in reported):
        return []  # a file or a variable is wrong: the typed entries would mislead
    try:
        spec = typed_entries(documents, frozenset(skip))
        found = check(spec).errors
    except SpecError as exc:
        found = exc.diagnostics
    except (KeyError, TypeError, ValueError, AttributeError):
        return []  # an entry the schema let through only partly: its own problem is already reported
    seen = {(d.location, d.message) for d in reported}
    return [d for d in found if (d.location, d.message) not in seen
            and not any(f"'{name}'" in d.message for name in broken_names)]


def model(checked: Checked, project_api_version: str | None = None, *, eca_global_oauth: bool = True) -> Spec:
    return build_model(checked.spec, checked.result, project_api_version, eca_global_oauth=eca_global_oauth)


def plan_output(
    checked: Checked, folder: Folder, *, output_format: str = SOURCE, eca_global_oauth: bool = True,
    allow_delete: bool = False,
) -> tuple[Plan, Spec]:
    """What generate would do in the folder, and the model it renders. `generate` applies this plan."""
    from sfauthgen.files.plan import compare, make_plan, refuse_unfinished
    from sfauthgen.files.project import read_project
    from sfauthgen.render import package_file

    project = read_project(folder)
    spec = model(checked, project.source_api_version, eca_global_oauth=eca_global_oauth)
    layout = Layout(project.package_dir, output_format)
    refuse_unfinished(folder)
    compared = _rendered_and_compared(spec, layout, folder)
    if layout.format == MDAPI:
        compared += compare(folder, [package_file((c.file for c in compared), spec.api_version)])
    return make_plan(folder, compared, layout, project, spec.api_version, allow_delete=allow_delete,
                     left_to_org=frozenset(spec.left_to_org)), spec


# Components rendered and compared with the folder per worker task, and about how many bytes each renders
# (what `workers.jobs_for` weighs: a plan of a thousand components or more is shared out).
COMPONENTS_PER_TASK = 500
_COMPONENT_BYTES = 1024


def _rendered_and_compared(spec: Spec, layout: Layout, folder: Folder) -> list[Compared]:
    """Every component's files beside what the folder holds, in the order of the components: rendered,
    read and compared in worker processes for large specs (each a run of components), here otherwise."""
    from sfauthgen.files.plan import compare
    from sfauthgen.render import component_files, load_templates

    components = spec.components
    bounds = [(start, min(start + COMPONENTS_PER_TASK, len(components)))
              for start in range(0, len(components), COMPONENTS_PER_TASK)]

    def render_and_compare(run: tuple[int, int]) -> list[Compared]:
        return compare(folder, component_files(components[run[0]:run[1]], layout))

    load_templates(components)  # once, before any worker is forked
    runs = workers.map_in_order(render_and_compare, bounds, [(stop - start) * _COMPONENT_BYTES
                                                             for start, stop in bounds])
    return [compared for run in runs for compared in run]
