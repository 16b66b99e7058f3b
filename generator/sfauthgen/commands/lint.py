"""`sfauthgen lint`: the spec against the security checklist; exit 1 on findings at or above --fail-on."""

from __future__ import annotations

import datetime
from pathlib import Path

from sfauthgen import __version__, pipeline, report
from sfauthgen.commands import ui
from sfauthgen.diagnostics import Severity, SpecError
from sfauthgen.spec.loader import spec_files

FORMATS = ("text", "json", "github", "sarif")


def lint(specs: list[Path], *, output_dir: Path | None = None, output_format: str = "text",
         fail_on: str = "error", today: datetime.date | None = None, as_json: bool = False,
         overrides: dict[str, str] | None = None, environment: str | None = None) -> int:
    from sfauthgen.lint.engine import lint as run_lint  # the rules load only when lint runs (not for validate)

    day = today or datetime.datetime.now(datetime.timezone.utc).date()
    try:
        checked = pipeline.load_and_check(specs, today=day, overrides=overrides, environment=environment)
    except SpecError as exc:
        if as_json or output_format == "text":
            raise
        # A spec that does not validate is reported in the format asked for: a CI step that uploads the
        # SARIF file, or reads the annotations, sees why lint failed.
        errors = list(exc.diagnostics)
        if output_format == "json":
            ui.out(report.lint_json(errors, len([d for d in errors if d.severity is Severity.ERROR])), nl=False)
        elif output_format == "sarif":
            ui.out(report.lint_sarif(errors, __version__), nl=False)
        else:
            ui.out(report.diagnostics_github(errors), nl=False)
        return 1
    roots = {path.parent for path in spec_files(specs)}
    if output_dir is not None and output_dir.is_dir():
        roots.add(output_dir)
    result = run_lint(checked.spec, day, tuple(sorted(roots)))
    found = list(result.diagnostics)
    failing = result.failing(Severity(fail_on))
    if as_json:
        status = 1 if failing else 0
        ui.json_out(status, {"failing": len(failing), "findings": report.diagnostics_data(found)},
                    [d.format() for d in found if d.suppressed is None and d not in failing])
        return status
    if output_format == "json":
        ui.out(report.lint_json(found, len(failing)), nl=False)
    elif output_format == "sarif":
        ui.out(report.lint_sarif(found, __version__), nl=False)
    elif output_format == "github":
        ui.out(report.diagnostics_github(found), nl=False)
    else:
        ui.diagnostics(found)
        ui.out(report.lint_summary(found))
    return 1 if failing else 0


def list_rules(*, as_json: bool = False) -> int:
    if as_json:
        from sfauthgen.lint.registry import all_rules

        ui.json_out(0, [{"id": r.id, "name": r.name, "severity": r.severity.value, "summary": r.summary,
                         "rationale": r.rationale, "fix": r.fix} for r in all_rules().values()])
        return 0
    from sfauthgen.lint.docs import rules_text

    ui.out(rules_text(), nl=False)
    return 0
