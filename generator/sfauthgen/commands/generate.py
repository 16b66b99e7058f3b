"""`sfauthgen generate` and `sfauthgen plan`: one plan, applied or shown."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sfauthgen import pipeline, report
from sfauthgen.commands import ui
from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import Folder
from sfauthgen.files.layout import SOURCE
from sfauthgen.files.write import apply, recover
from sfauthgen.inputs import shown
from sfauthgen.nextsteps import next_steps


def generate(specs: list[Path], output_dir: Path, *, output_format: str = SOURCE, eca_global_oauth: bool = True,
             check: bool = False, force: bool = False, quiet: bool = False, allow_delete: bool = False,
             overrides: dict[str, str] | None = None, environment: str | None = None) -> int:
    checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
    ui.diagnostics(checked.warnings)
    folder = Folder(output_dir)
    if check:
        with folder.locked(exclusive=False):
            plan, _ = pipeline.plan_output(checked, folder, output_format=output_format,
                                           eca_global_oauth=eca_global_oauth, allow_delete=allow_delete)
        lines = report.check_lines(plan)
        for line in lines:
            ui.out(line)
        if lines:
            ui.err(f"{shown(str(output_dir))} is not up to date; run 'sfauthgen generate' without --check")
            return 1
        ui.out(f"{shown(str(output_dir))}: up to date ({len(plan.files)} files)")
        return 0
    created = folder.create_root()
    try:
        with folder.locked(exclusive=True):
            recover(folder)
            plan, spec = pipeline.plan_output(checked, folder, output_format=output_format,
                                              eca_global_oauth=eca_global_oauth, allow_delete=allow_delete)
            if plan.conflicts and not force:
                raise OutputError(report.conflict_message(plan))
            apply(plan)
    except BaseException:
        for directory in reversed(created):  # a failed first run leaves no empty output folder behind
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    if not quiet:
        lines = report.written_lines(plan) + report.removed_lines(plan, output_format)
        lines += next_steps(checked.spec, spec.api_version, eca_global_oauth=eca_global_oauth)
        ui.out("\n".join(lines))
    return 0


def plan(specs: list[Path], output_dir: Path, *, output_format: str = SOURCE, eca_global_oauth: bool = True,
         as_json: bool = False, allow_delete: bool = False, overrides: dict[str, str] | None = None,
         environment: str | None = None) -> int:
    checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
    ui.diagnostics(checked.warnings)
    folder = Folder(output_dir)
    with folder.locked(exclusive=False):
        planned, _ = pipeline.plan_output(checked, folder, output_format=output_format,
                                          eca_global_oauth=eca_global_oauth, allow_delete=allow_delete)
    render_plan = report.plan_json if as_json else report.plan_text
    ui.out(render_plan(planned, output_format), nl=False)
    return 0
