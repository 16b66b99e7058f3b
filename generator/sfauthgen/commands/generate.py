"""`sfauthgen generate` and `sfauthgen plan`: one plan, applied or shown."""

from __future__ import annotations

from pathlib import Path

from sfauthgen import pipeline, report
from sfauthgen.commands import ui
from sfauthgen.diagnostics import OutputError
from sfauthgen.files.layout import SOURCE
from sfauthgen.files.write import apply
from sfauthgen.nextsteps import next_steps


def generate(specs: list[Path], output_dir: Path, *, output_format: str = SOURCE, eca_global_oauth: bool = True,
             check: bool = False, force: bool = False, quiet: bool = False,
             overrides: dict[str, str] | None = None, environment: str | None = None) -> int:
    checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
    ui.diagnostics(checked.warnings)
    plan, spec = pipeline.plan_output(checked, output_dir, output_format=output_format,
                                      eca_global_oauth=eca_global_oauth)
    if check:
        lines = report.check_lines(plan)
        for line in lines:
            ui.out(line)
        if lines:
            ui.err(f"{output_dir} is not up to date; run 'sfauthgen generate' without --check")
            return 1
        ui.out(f"{output_dir}: up to date ({len(plan.files)} files)")
        return 0
    if plan.conflicts and not force:
        raise OutputError(report.conflict_message(plan))
    apply(plan)
    if not quiet:
        lines = report.written_lines(plan) + report.removed_lines(plan, output_format)
        lines += next_steps(checked.spec, spec.api_version, eca_global_oauth=eca_global_oauth)
        ui.out("\n".join(lines))
    return 0


def plan(specs: list[Path], output_dir: Path, *, output_format: str = SOURCE, eca_global_oauth: bool = True,
         as_json: bool = False, overrides: dict[str, str] | None = None, environment: str | None = None) -> int:
    checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
    ui.diagnostics(checked.warnings)
    planned, _ = pipeline.plan_output(checked, output_dir, output_format=output_format,
                                      eca_global_oauth=eca_global_oauth)
    render_plan = report.plan_json if as_json else report.plan_text
    ui.out(render_plan(planned, output_format), nl=False)
    return 0
