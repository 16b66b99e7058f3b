"""The `sfauthgen` command: thin click commands and the one place errors become exit codes.

Exit codes: 0 ok, 1 findings (invalid spec, stale output under --check, refused
overwrite), 2 usage, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import click

from generator import __version__, pipeline, schema
from generator.errors import Diagnostic, InternalError, OutputError, SfauthgenError, SpecError
from generator.nextsteps import next_steps
from generator.plan import Action, Plan
from generator.write import apply

EXAMPLES = """\b
Examples:
  sfauthgen validate specs/data_migration.yaml
  sfauthgen generate specs -o output
  sfauthgen generate specs -o output --check     # in CI: exit 1 if output/ is stale
  sfauthgen schema > spec.schema.json
  sf project deploy start --source-dir output/force-app
"""

_debug = False


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    global _debug
    _debug = _debug or value


spec_arguments = click.argument(
    "specs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="SPEC..."
)


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sfauthgen")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
              help="Show a traceback for internal errors.")
def cli() -> None:
    """Generate Salesforce authentication metadata (Connected Apps, permission sets) from a YAML spec.

    SPEC is a spec file or a folder of *.yaml/*.yml spec files.
    """


def _print_warnings(warnings: list[Diagnostic]) -> None:
    for warning in warnings:
        click.echo(warning.format(), err=True)


@cli.command()
@spec_arguments
def validate(specs: tuple[Path, ...]) -> int:
    """Check SPEC against the schema and its cross-references; write nothing."""
    checked = pipeline.load_and_check(list(specs))
    model = pipeline.model(checked)
    _print_warnings(checked.warnings)
    files = len(checked.merged.documents)
    click.echo(f"valid: {files} spec file{'s' if files != 1 else ''}, {len(model.components)} components")
    return 0


@cli.command()
@spec_arguments
@click.option("-o", "--output-dir", "output_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="The SFDX project folder to write.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output is missing, stale or extra.")
@click.option("--force", is_flag=True, help="Overwrite files edited by hand or not written by sfauthgen.")
@click.option("--no-eca-global-oauth", "no_eca_global_oauth", is_flag=True,
              help="Leave out External Client Apps' global OAuth settings files (managed in the org).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def generate(
    specs: tuple[Path, ...], output_dir: Path, check: bool, force: bool, no_eca_global_oauth: bool, quiet: bool
) -> int:
    """Render SPEC into an SFDX project at --output-dir."""
    checked = pipeline.load_and_check(list(specs))
    _print_warnings(checked.warnings)
    plan, spec = pipeline.plan_output(checked, output_dir, eca_global_oauth=not no_eca_global_oauth)
    if check:
        return _report_check(plan)
    if plan.conflicts and not force:
        raise OutputError(_conflict_message(plan))
    apply(plan)
    if not quiet:
        _report_written(plan)
        for line in next_steps(checked.merged, spec.api_version):
            click.echo(line)
    return 0


@cli.command(name="schema")
def schema_command() -> int:
    """Print the JSON Schema of the spec language (for editors and other tools)."""
    click.echo(schema.schema_text(), nl=False)
    return 0


_CHECK_WORDS = {Action.CREATE: "missing", Action.UPDATE: "stale", Action.DELETE: "extra"}


def _report_check(plan: Plan) -> int:
    changes = plan.changes
    if not changes and plan.manifest is None:
        click.echo(f"{plan.out_dir}: up to date ({len(plan.files)} files)")
        return 0
    for planned in changes:
        note = f" ({planned.conflict.value})" if planned.conflict else ""
        click.echo(f"{_CHECK_WORDS[planned.action]}: {plan.out_dir / planned.path}{note}")
    if plan.manifest is not None and not changes:
        click.echo(f"stale: {plan.out_dir / plan.manifest.path}")
    click.echo(f"{plan.out_dir} is not up to date; run 'sfauthgen generate' without --check", err=True)
    return 1


def _conflict_message(plan: Plan) -> str:
    lines = [f"refusing to change {len(plan.conflicts)} file(s) in {plan.out_dir}:"]
    lines += [f"  {plan.out_dir / f.path}: {f.conflict.value}" for f in plan.conflicts if f.conflict]
    lines.append("    hint: move your edits into the spec, or pass --force to overwrite")
    return "\n".join(lines)


def _report_written(plan: Plan) -> None:
    counts = {action: 0 for action in Action}
    for planned in plan.files:
        counts[planned.action] += 1
        if planned.action is not Action.UNCHANGED:
            click.echo(f"{planned.action.value:>9}  {plan.out_dir / planned.path}")
    click.echo(
        f"{plan.out_dir}: {counts[Action.CREATE]} created, {counts[Action.UPDATE]} updated, "
        f"{counts[Action.DELETE]} deleted, {counts[Action.UNCHANGED]} unchanged"
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command and map every outcome to one exit code."""
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    try:
        result: Any = cli.main(args=argv, prog_name="sfauthgen", standalone_mode=False)
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        count = len([d for d in exc.diagnostics if d.severity.value == "error"])
        click.echo(f"{count} error{'s' if count != 1 else ''}; nothing was written", err=True)
        return exc.exit_code
    except InternalError as exc:
        click.echo(f"sfauthgen: internal error: {exc}", err=True)
        click.echo("please report this at the sfauthgen issue tracker with the spec that caused it", err=True)
        if _debug:
            traceback.print_exc()
        return exc.exit_code
    except SfauthgenError as exc:
        click.echo(f"sfauthgen: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as exc:  # the one boundary where a bug becomes exit code 3
        click.echo(f"sfauthgen: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("please report this at the sfauthgen issue tracker (rerun with --debug for a traceback)",
                   err=True)
        if _debug:
            traceback.print_exc()
        return 3
    return result if isinstance(result, int) else 0
