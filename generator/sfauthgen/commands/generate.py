"""`sfauthgen generate` and `sfauthgen plan`: one plan, applied or shown."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sfauthgen import codes, pipeline, report
from sfauthgen.commands import ui
from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import Folder
from sfauthgen.files.layout import SOURCE
from sfauthgen.files.write import apply, recover
from sfauthgen.inputs import shown
from sfauthgen.nextsteps import next_steps


def generate(specs: list[Path], output_dir: Path, *, output_format: str = SOURCE, eca_global_oauth: bool = True,
             check: bool = False, force: bool = False, quiet: bool = False, allow_delete: bool = False,
             as_json: bool = False, overrides: dict[str, str] | None = None, environment: str | None = None) -> int:
    checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
    ui.diagnostics(checked.warnings)
    warnings = [d.format() for d in checked.warnings]
    folder = Folder(output_dir)
    if check:
        with folder.locked(exclusive=False):
            plan, _ = pipeline.plan_output(checked, folder, output_format=output_format,
                                           eca_global_oauth=eca_global_oauth, allow_delete=allow_delete)
        lines = report.check_lines(plan)
        rerun = _rerun_command(specs, output_dir, output_format, eca_global_oauth, environment, overrides)
        if as_json:
            status = 1 if lines else 0
            ui.json_out(status, {**report.plan_data(plan, output_format), "up_to_date": not lines,
                                 "problems": lines, "fix": rerun if lines else None}, warnings,
                        message=f"{shown(str(output_dir))} is not up to date; run: {rerun}" if lines else None)
            return status
        for line in lines:
            ui.out(line)
        if lines:
            ui.err(f"{shown(str(output_dir))} is not up to date; run: {rerun}")
            return 1
        ui.out(f"{shown(str(output_dir))}: up to date ({len(plan.files)} files)")
        return 0
    created = folder.create_root()
    try:
        with folder.locked(exclusive=True):
            recover(folder, force=force)
            plan, spec = pipeline.plan_output(checked, folder, output_format=output_format,
                                              eca_global_oauth=eca_global_oauth, allow_delete=allow_delete)
            if plan.conflicts and not force:
                raise OutputError(report.conflict_message(plan), code=codes.REFUSED_OVERWRITE)
            apply(plan)
    except BaseException:
        for directory in reversed(created):  # a failed first run leaves no empty output folder behind
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    if as_json:
        ui.json_out(0, {**report.plan_data(plan, output_format),
                        "next_steps": next_steps(checked.spec, spec.api_version, eca_global_oauth=eca_global_oauth)},
                    warnings)
    elif not quiet:
        lines = report.written_lines(plan) + report.removed_lines(plan, output_format)
        lines += next_steps(checked.spec, spec.api_version, eca_global_oauth=eca_global_oauth)
        ui.out("\n".join(lines))
    return 0


def plan(specs: list[Path], output_dir: Path, *, output_format: str = SOURCE, eca_global_oauth: bool = True,
         as_json: bool = False, detailed_exitcode: bool = False, allow_delete: bool = False,
         overrides: dict[str, str] | None = None, environment: str | None = None) -> int:
    checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
    ui.diagnostics(checked.warnings)
    folder = Folder(output_dir)
    with folder.locked(exclusive=False):
        planned, _ = pipeline.plan_output(checked, folder, output_format=output_format,
                                          eca_global_oauth=eca_global_oauth, allow_delete=allow_delete)
    status = 2 if detailed_exitcode and report.plan_has_changes(planned) else 0
    if as_json:
        ui.json_out(status, report.plan_data(planned, output_format), [d.format() for d in checked.warnings])
    else:
        ui.out(report.plan_text(planned, output_format), nl=False)
    return status


def _rerun_command(specs: list[Path], output_dir: Path, output_format: str, eca_global_oauth: bool,
                   environment: str | None, overrides: dict[str, str] | None) -> str:
    """The generate command that brings the folder up to date, as the user would type it."""
    import shlex

    words = ["sfauthgen", "generate", *[str(s) for s in specs], "-d", str(output_dir)]
    if output_format != SOURCE:
        words += ["--format", output_format]
    if not eca_global_oauth:
        words.append("--no-eca-global-oauth")
    if environment:
        words += ["--env", environment]
    for name, value in (overrides or {}).items():
        words += ["--var", f"{name}={value}"]
    return shown(" ".join(shlex.quote(w) for w in words))
