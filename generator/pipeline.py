"""The stages wired together: load -> validate -> model -> render -> plan. Commands call these."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from generator import build, checks, loader, merge, schema, secrets
from generator.errors import Diagnostic, Location, SpecError
from generator.layout import Layout
from generator.model import Spec
from generator.plan import Plan, make_plan
from generator.project import read_project
from generator.render import render


@dataclass(frozen=True)
class Checked:
    """A spec that passed every check, with its warnings."""

    merged: merge.MergedSpec
    result: checks.CheckResult

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.result.warnings


def load_and_check(arguments: list[Path], today: datetime.date | None = None) -> Checked:
    """Load every spec file, validate each against the schema, merge, cross-check."""
    files = list(loader.spec_files(arguments))
    if not files:
        shown = ", ".join(str(a) for a in arguments)
        raise SpecError([Diagnostic(Location(shown, 1, 1), "no *.yaml or *.yml spec files found")])
    documents, problems = [], []
    for path in files:
        try:
            doc = loader.load_file(path, display=str(path))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
            continue
        leaks = secrets.find_secrets(doc)
        leaked_keys = {d.location for d in leaks}
        problems.extend(leaks)
        problems.extend(d for d in schema.validate_document(doc) if d.location not in leaked_keys)
        documents.append(doc)
    if problems:
        raise SpecError(problems)
    merged = merge.merge(documents)
    result = checks.check(merged, today)
    if result.errors:
        raise SpecError(result.errors)
    return Checked(merged, result)


def model(checked: Checked, project_api_version: str | None = None, *, eca_global_oauth: bool = True) -> Spec:
    return build.build(checked.merged, checked.result, project_api_version, eca_global_oauth=eca_global_oauth)


def plan_output(checked: Checked, out_dir: Path, *, eca_global_oauth: bool = True) -> tuple[Plan, Spec]:
    """What generate would do in out_dir, and the model it renders."""
    project = read_project(out_dir)
    spec = model(checked, project.source_api_version, eca_global_oauth=eca_global_oauth)
    rendered = render(spec, Layout(project.package_dir))
    return make_plan(out_dir, rendered, project, spec.api_version), spec
