"""`sfauthgen validate`: load, schema-check and cross-check; write nothing."""

from __future__ import annotations

from pathlib import Path

from sfauthgen import __version__, pipeline, report
from sfauthgen.commands import ui
from sfauthgen.diagnostics import Diagnostic, SpecError

FORMATS = ("text", "json", "github", "sarif")


def _formatted(output_format: str, found: list[Diagnostic], valid: bool) -> str:
    if output_format == "json":
        return report.diagnostics_json(found, valid)
    if output_format == "sarif":
        return report.diagnostics_sarif(found, __version__)
    return report.diagnostics_github(found)


def validate(specs: list[Path], *, output_format: str = "text", as_json: bool = False,
             overrides: dict[str, str] | None = None, environment: str | None = None) -> int:
    if as_json:  # failures reach the CLI's one JSON error object
        checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
        model = pipeline.model(checked)
        ui.json_out(0, {"valid": True, "files": [d.path for d in checked.spec.documents],
                        "components": len(model.components),
                        "diagnostics": report.diagnostics_data(checked.warnings)},
                    [d.format() for d in checked.warnings])
        return 0
    if output_format != "text":
        try:
            checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
            pipeline.model(checked)
        except SpecError as exc:
            ui.out(_formatted(output_format, exc.diagnostics, valid=False), nl=False)
            return 1
        ui.out(_formatted(output_format, checked.warnings, valid=True), nl=False)
        return 0
    checked = pipeline.load_and_check(specs, overrides=overrides, environment=environment)
    model = pipeline.model(checked)
    ui.diagnostics(checked.warnings)
    files = len(checked.spec.documents)
    ui.out(f"valid: {files} spec file{'s' if files != 1 else ''}, {len(model.components)} components")
    return 0
