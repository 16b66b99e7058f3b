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

from sfauthgen import __version__, pipeline, report, schema
from sfauthgen.errors import Diagnostic, InternalError, OutputError, SfauthgenError, SpecError
from sfauthgen.layout import FORMATS, SOURCE
from sfauthgen.nextsteps import next_steps
from sfauthgen.variables import UsageProblem
from sfauthgen.write import apply

EXAMPLES = """\b
Examples:
  sfauthgen validate specs/data_migration.yaml
  sfauthgen generate specs -o output
  sfauthgen generate specs -o output --check     # in CI: exit 1 if output/ is stale
  sfauthgen plan specs -o output                 # what would change, with diffs
  sfauthgen generate specs -o uat-md --format mdapi --env uat
  sfauthgen import force-app -o specs/imported.yaml
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


def _parse_vars(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"'{item}' is not NAME=VALUE", ctx=ctx, param=param)
        parsed[name] = value
    return parsed


def variable_options(command: Any) -> Any:
    """--var and --env, shared by every command that reads a spec."""
    command = click.option("--env", "environment", metavar="ENV",
                           help="Take variable values from this environment of the spec.")(command)
    return click.option("--var", "overrides", multiple=True, metavar="NAME=VALUE", callback=_parse_vars,
                        help="Set a variable (wins over --env and defaults). Repeatable.")(command)


def _load(specs: tuple[Path, ...], overrides: dict[str, str], environment: str | None) -> pipeline.Checked:
    try:
        return pipeline.load_and_check(list(specs), overrides=overrides, environment=environment)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sfauthgen")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
              help="Show a traceback for internal errors.")
def cli() -> None:
    """Generate Salesforce authentication metadata from a reviewed YAML spec: Connected Apps,
    External Client Apps, External and Named Credentials with Apex callout classes, and the
    permission sets that grant access to them.

    SPEC is a spec file or a folder of *.yaml/*.yml spec files.
    """


def _print_warnings(warnings: list[Diagnostic]) -> None:
    for warning in warnings:
        click.echo(warning.format(), err=True)


@cli.command()
@spec_arguments
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True, help="json: the diagnostics as data on stdout, for tools; github: workflow "
              "annotations; sarif: SARIF 2.1.0 for code scanning.")
@variable_options
def validate(specs: tuple[Path, ...], output_format: str, overrides: dict[str, str], environment: str | None) -> int:
    """Check SPEC against the schema and its cross-references; write nothing."""
    if output_format != "text":
        def formatted(diagnostics: list[Diagnostic], valid: bool) -> str:
            if output_format == "json":
                return report.diagnostics_json(diagnostics, valid)
            if output_format == "sarif":
                return report.diagnostics_sarif(diagnostics, __version__)
            return report.diagnostics_github(diagnostics)

        try:
            checked = _load(specs, overrides, environment)
            pipeline.model(checked)
        except SpecError as exc:
            click.echo(formatted(exc.diagnostics, valid=False), nl=False)
            return 1
        click.echo(formatted(checked.warnings, valid=True), nl=False)
        return 0
    checked = _load(specs, overrides, environment)
    model = pipeline.model(checked)
    _print_warnings(checked.warnings)
    files = len(checked.merged.documents)
    click.echo(f"valid: {files} spec file{'s' if files != 1 else ''}, {len(model.components)} components")
    return 0


def output_options(command: Any) -> Any:
    """-o, --format and --no-eca-global-oauth, shared by generate and plan."""
    command = click.option("--no-eca-global-oauth", "no_eca_global_oauth", is_flag=True,
                           help="Leave out External Client Apps' global OAuth settings files (managed in the org).")(
        command)
    command = click.option("--format", "output_format", type=click.Choice(FORMATS), default=SOURCE,
                           show_default=True, help="source: an SFDX project; mdapi: Metadata API with package.xml.")(
        command)
    return click.option("-o", "--output-dir", "output_dir", required=True,
                        type=click.Path(file_okay=False, path_type=Path), help="The folder to write.")(command)


@cli.command()
@spec_arguments
@output_options
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output is missing, stale, extra or edited.")
@click.option("--force", is_flag=True, help="Overwrite files edited by hand or not written by sfauthgen.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@variable_options
def generate(
    specs: tuple[Path, ...], output_dir: Path, output_format: str, no_eca_global_oauth: bool, check: bool,
    force: bool, quiet: bool, overrides: dict[str, str], environment: str | None,
) -> int:
    """Render SPEC into --output-dir (an SFDX project, or Metadata API format)."""
    checked = _load(specs, overrides, environment)
    _print_warnings(checked.warnings)
    plan, spec = pipeline.plan_output(checked, output_dir, output_format=output_format,
                                      eca_global_oauth=not no_eca_global_oauth)
    if check:
        lines = report.check_lines(plan)
        for line in lines:
            click.echo(line)
        if lines:
            click.echo(f"{output_dir} is not up to date; run 'sfauthgen generate' without --check", err=True)
            return 1
        click.echo(f"{output_dir}: up to date ({len(plan.files)} files)")
        return 0
    if plan.conflicts and not force:
        raise OutputError(report.conflict_message(plan))
    apply(plan)
    if not quiet:
        lines = report.written_lines(plan) + report.removed_lines(plan, output_format)
        lines += next_steps(checked.merged, spec.api_version, eca_global_oauth=not no_eca_global_oauth)
        click.echo("\n".join(lines))
    return 0


@cli.command()
@spec_arguments
@output_options
@click.option("--json", "as_json", is_flag=True, help="The plan as data: path, action, type, member per file.")
@variable_options
def plan(
    specs: tuple[Path, ...], output_dir: Path, output_format: str, no_eca_global_oauth: bool, as_json: bool,
    overrides: dict[str, str], environment: str | None,
) -> int:
    """Show what generate would create, update and delete, and files edited by hand; write nothing."""
    checked = _load(specs, overrides, environment)
    _print_warnings(checked.warnings)
    planned, _ = pipeline.plan_output(checked, output_dir, output_format=output_format,
                                      eca_global_oauth=not no_eca_global_oauth)
    render_plan = report.plan_json if as_json else report.plan_text
    click.echo(render_plan(planned, output_format), nl=False)
    return 0


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="PATH...")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The spec file to write (certificates go to certs/ beside it).")
@click.option("--force", is_flag=True, help="Overwrite an existing spec file and certificates.")
def import_command(paths: tuple[Path, ...], output: Path, force: bool) -> int:
    """Read existing metadata (source or Metadata API format) into a spec."""
    from sfauthgen.importer import import_metadata
    from sfauthgen.importer.write import write_import

    result = import_metadata(list(paths))
    write_import(result, output, force=force)
    for loss in result.losses:
        click.echo(loss.format(), err=True)
    click.echo(f"imported {result.components} entries into {output}"
               + (f"; {len(result.losses)} item(s) not imported (listed above and in the spec's header)"
                  if result.losses else ""))
    return 0


@cli.command(name="schema")
def schema_command() -> int:
    """Print the JSON Schema of the spec language (for editors and other tools)."""
    click.echo(schema.schema_text(), nl=False)
    return 0


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
