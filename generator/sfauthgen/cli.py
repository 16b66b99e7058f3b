"""The `sfauthgen` command: thin click commands and the one place errors become exit codes.

Exit codes: 0 ok, 1 findings (invalid spec, stale output under --check, refused
overwrite), 2 usage, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import gc
import signal
import sys
from pathlib import Path
from typing import Any

import click

from sfauthgen import __version__, codes
from sfauthgen.commands import lint as lint_command
from sfauthgen.commands import ui
from sfauthgen.commands import validate as validate_command
from sfauthgen.diagnostics import InternalError, SfauthgenError, SpecError, UsageProblem
from sfauthgen.files.layout import FORMATS, SOURCE
from sfauthgen.secretpatterns import scrub

EXAMPLES = """\b
Examples:
  sfauthgen validate specs/data_migration.yaml
  sfauthgen generate specs -d output
  sfauthgen generate specs -d output --check     # in CI: exit 1 if output/ is stale
  sfauthgen plan specs -d output                 # what would change, with diffs
  sfauthgen generate specs -d uat-md --format mdapi --env uat
  sfauthgen lint specs --format sarif > lint.sarif
  sfauthgen import force-app --output-file specs/imported.yaml --adopt -d .
  sfauthgen schema --write .sfauthgen              # for your editor's YAML language server
  sf project deploy start --source-dir output/force-app
  sfauthgen cert new Data_Migration                # key pair for jwt_bearer
  sfauthgen auth check specs/data_migration.yaml --app Data_Migration --login-url https://test.salesforce.com
  sfauthgen secrets set specs/partner.yaml --credential Partner_Key --principal Key_Holder --from-env ApiKey=KEY
"""

_debug = False


class _Folder(click.Path):
    """A folder option: an empty value (an unset `-d "$OUT"` in a pipeline) is an error, not the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path names no folder (give . for the current folder)", param, ctx)
        return super().convert(value, param, ctx)


FOLDER = _Folder(file_okay=False, path_type=Path)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    global _debug
    _debug = _debug or value


json_option = click.option(
    "--json", "as_json", is_flag=True,
    help="Print one JSON object on stdout, shaped like the sf CLI's: status, result, warnings (also on failure).")


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


def _parse_env_pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """--from-env NAME=ENV_VAR pairs; a NAME given twice is a mistake (which one was meant to be secret?)."""
    parsed: dict[str, str] = {}
    for item in values:
        name = item.partition("=")[0]
        if name in parsed:
            raise click.BadParameter(f"{name} is given twice", ctx=ctx, param=param)
        parsed.update(_parse_vars(ctx, param, (item,)))
    return parsed


def variable_options(command: Any) -> Any:
    """--var and --env, shared by every command that reads a spec."""
    command = click.option("--env", "environment", metavar="ENV",
                           help="Take variable values from this environment of the spec.")(command)
    return click.option("--var", "overrides", multiple=True, metavar="NAME=VALUE", callback=_parse_vars,
                        help="Set a variable (wins over --env and defaults). Repeatable.")(command)


def output_options(command: Any) -> Any:
    """-o, --format and --no-eca-global-oauth, shared by generate and plan."""
    command = click.option("--allow-delete", "allow_delete", is_flag=True,
                           help="Allow removing apps that are gone from the spec (else: set status: retired).")(command)
    command = click.option("--no-eca-global-oauth", "no_eca_global_oauth", is_flag=True,
                           help="Leave out External Client Apps' global OAuth settings files (managed in the org).")(
        command)
    command = click.option("--format", "output_format", type=click.Choice(FORMATS), default=SOURCE,
                           show_default=True, help="source: an SFDX project; mdapi: Metadata API with package.xml.")(
        command)
    command = click.option("-o", "old_output_dir", type=FOLDER, hidden=True,
                           expose_value=False, callback=_old_output_dir)(command)
    return click.option("-d", "--output-dir", "output_dir", type=FOLDER,
                        callback=_output_dir, help="The folder to write (an SFDX project).")(command)


def _old_output_dir(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """-o was the output folder before it became the sf CLI's --target-org; accepted for one release."""
    if value is not None:
        ui.command_line_warning("-o for the output folder is deprecated: use -d/--output-dir (in the sf CLI, "
                                "-o names an org)")
        ctx.meta["old_output_dir"] = value


def _output_dir(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    old = ctx.meta.get("old_output_dir")
    if value is not None and old is not None:
        raise click.UsageError("give the output folder once: -d/--output-dir (-o is its old spelling)")
    found = value if value is not None else old
    if found is None:
        raise click.MissingParameter(ctx=ctx, param=param)
    return found


def _call(command: Any, *args: Any, **options: Any) -> int:
    """Run a command function; a --var or --env naming nothing in the spec is a usage error, shown with
    the command's usage line as click shows its own."""
    try:
        code: int = command(*args, **options)
    except UsageProblem as exc:
        raise click.UsageError(scrub(str(exc))) from None  # it may quote a value, which may be a secret
    return code


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


@cli.command()
@spec_arguments
@click.option("--format", "output_format", type=click.Choice(validate_command.FORMATS), default="text",
              show_default=True, help="json: the diagnostics as data on stdout, for tools; github: workflow "
              "annotations; sarif: SARIF 2.1.0 for code scanning.")
@json_option
@variable_options
def validate(specs: tuple[Path, ...], output_format: str, as_json: bool, overrides: dict[str, str],
             environment: str | None) -> int:
    """Check SPEC against the schema and its cross-references; write nothing."""
    return _call(validate_command.validate, list(specs), output_format=output_format, as_json=as_json,
                 overrides=overrides, environment=environment)


@cli.command()
@spec_arguments
@output_options
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output is missing, stale, extra or edited.")
@click.option("--force", is_flag=True, help="Overwrite files edited by hand or not written by sfauthgen.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@json_option
@variable_options
def generate(
    specs: tuple[Path, ...], output_dir: Path, output_format: str, no_eca_global_oauth: bool, allow_delete: bool,
    check: bool, force: bool, quiet: bool, as_json: bool, overrides: dict[str, str], environment: str | None,
) -> int:
    """Render SPEC into --output-dir (an SFDX project, or Metadata API format)."""
    from sfauthgen.commands import generate as generate_commands

    return _call(generate_commands.generate, list(specs), output_dir, output_format=output_format,
                 eca_global_oauth=not no_eca_global_oauth, check=check, force=force, quiet=quiet,
                 allow_delete=allow_delete, as_json=as_json, overrides=overrides, environment=environment)


@cli.command()
@spec_arguments
@output_options
@json_option
@click.option("--detailed-exitcode", "detailed_exitcode", is_flag=True,
              help="Exit 0 when there are no changes, 1 on error, 2 when there are changes (as Terraform).")
@variable_options
def plan(
    specs: tuple[Path, ...], output_dir: Path, output_format: str, no_eca_global_oauth: bool, allow_delete: bool,
    as_json: bool, detailed_exitcode: bool, overrides: dict[str, str], environment: str | None,
) -> int:
    """Show what generate would change, per component and setting, then the diffs; write nothing."""
    from sfauthgen.commands import generate as generate_commands

    return _call(generate_commands.plan, list(specs), output_dir, output_format=output_format,
                 eca_global_oauth=not no_eca_global_oauth, as_json=as_json, detailed_exitcode=detailed_exitcode,
                 allow_delete=allow_delete, overrides=overrides, environment=environment)


@cli.command(name="lint")
@click.argument("specs", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="SPEC...")
@click.option("-d", "--output-dir", "output_dir", type=FOLDER,
              help="The output folder: the secret scan reads it too.")
@click.option("--format", "output_format", type=click.Choice(lint_command.FORMATS), default="text", show_default=True,
              help="json: findings as data; github: workflow annotations; sarif: SARIF 2.1.0 for code scanning.")
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning", "note"]), default="error",
              show_default=True, help="Exit 1 when an unwaived finding is at least this severe.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date for date-based rules (default: today, UTC).")
@click.option("--list-rules", "list_rules", is_flag=True, help="List the rules and exit (needs no spec).")
@json_option
@variable_options
def lint(specs: tuple[Path, ...], output_dir: Path | None, output_format: str, fail_on: str, today: Any,
         list_rules: bool, as_json: bool, overrides: dict[str, str], environment: str | None) -> int:
    """Check SPEC against the security checklist (rules SFA000-SFA099); waive findings in the spec."""
    if list_rules:
        return lint_command.list_rules(as_json=as_json)
    if not specs:
        raise click.UsageError("give a SPEC (or --list-rules)")
    return _call(lint_command.lint, list(specs), output_dir=output_dir, output_format=output_format,
                 fail_on=fail_on, today=today.date() if today else None, as_json=as_json, overrides=overrides,
                 environment=environment)


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="PATH...")
@click.option("--output-file", "output_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The spec file to write (certificates go to certs/ beside it).")
@click.option("-o", "--output", "old_output", type=click.Path(dir_okay=False, path_type=Path), hidden=True)
@click.option("--adopt", is_flag=True, help="Also record the imported files as sfauthgen's own in --output-dir "
              "(after proving the spec regenerates them), so the next generate updates them in place.")
@click.option("-d", "--output-dir", "output_dir", type=FOLDER,
              help="With --adopt: the output folder (the SFDX project) that holds the imported files.")
@click.option("--force", is_flag=True, help="Overwrite an existing spec file and certificates.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def import_command(paths: tuple[Path, ...], output_file: Path | None, old_output: Path | None, adopt: bool,
                   output_dir: Path | None, force: bool, as_json: bool) -> int:
    """Read existing metadata (source or Metadata API format) into a spec."""
    from sfauthgen.commands import importing

    if old_output is not None:
        if output_file is not None:
            raise click.UsageError("give --output-file only (-o/--output is its old name)")
        ui.command_line_warning("import -o/--output is deprecated: use --output-file")
        output_file = old_output
    if output_file is None:
        raise click.UsageError("Missing option '--output-file'.")
    if adopt and output_dir is None:
        raise click.UsageError("--adopt needs -d/--output-dir: the project folder whose files become sfauthgen's")
    if output_dir is not None and not adopt:
        raise click.UsageError("-d/--output-dir is only used with --adopt")
    return _call(importing.import_metadata, list(paths), output_file, force=force,
                 adopt_dir=output_dir if adopt else None, as_json=as_json)


@cli.command(name="schema")
@click.option("--draft", type=click.Choice(["07", "2020-12"]), default="07", show_default=True,
              help="07: what editors' YAML language servers read; 2020-12: the schema sfauthgen validates with.")
@click.option("--write", "write_dir", type=FOLDER,
              help="Write sfauthgen.schema.json into this folder instead of printing it.")
@json_option
def schema(draft: str, write_dir: Path | None, as_json: bool) -> int:
    """Print the JSON Schema of the spec language (for editors and other tools)."""
    from sfauthgen.commands import schema as schema_command

    return schema_command.schema(draft=draft, write_dir=write_dir, as_json=as_json)


@cli.group(name="cert")
def cert() -> None:
    """Certificates for the JWT bearer flow."""


@cert.command(name="new")
@click.argument("name")
@click.option("--days", type=click.IntRange(1, 3650), default=365, show_default=True,
              help="How long the certificate is valid.")
@click.option("--cert-dir", "cert_dir", type=FOLDER,
              help="Where the certificate goes (default: specs/certs when ./specs exists, else certs).")
@click.option("--key-file", "key_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where the private key goes (default: outside the repository, in the user's config folder).")
@click.option("--force", is_flag=True, help="Allow the private key inside a git work tree.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def cert_new(name: str, days: int, cert_dir: Path | None, key_file: Path | None, force: bool, as_json: bool) -> int:
    """Create an RSA 2048 key pair and a self-signed certificate for jwt_bearer.certificate."""
    from sfauthgen.commands import cert as cert_command

    return _call(cert_command.cert_new, name, days=days, cert_dir=cert_dir, key_file=key_file, force=force,
                 as_json=as_json)


@cli.group(name="auth")
def auth() -> None:
    """Check an app against a real org before cutover."""


@auth.command(name="check")
@click.argument("spec", type=click.Path(exists=True, path_type=Path), metavar="SPEC")
@click.option("--app", "app", required=True, help="The connected app or external client app in SPEC.")
@click.option("--login-url", "login_url", required=True,
              help="The org's My Domain URL (client_credentials needs it), or https://login.salesforce.com / "
              "https://test.salesforce.com (jwt_bearer).")
@click.option("--flow", type=click.Choice(["client_credentials", "jwt_bearer"]),
              help="The flow to test (default: the one the app enables; client_credentials when both).")
@click.option("--username", help="The user for jwt_bearer (default: the app's client_credentials.run_as).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@variable_options
def auth_check(spec: Path, app: str, login_url: str, flow: str | None, username: str | None, as_json: bool,
               overrides: dict[str, str], environment: str | None) -> int:
    """Request a token for APP and make one API call with it (secrets from SFAUTHGEN_* variables)."""
    from sfauthgen.commands import auth_check as auth_command

    return _call(auth_command.auth_check, spec, app=app, login_url=login_url, flow=flow, username=username,
                 as_json=as_json, overrides=overrides, environment=environment)


@cli.group(name="secrets")
def secrets() -> None:
    """Store credentials in the org after deploy (never in the spec or the output)."""


@secrets.command(name="set")
@click.argument("spec", type=click.Path(exists=True, path_type=Path), metavar="SPEC")
@click.option("--credential", required=True, help="The external credential in SPEC.")
@click.option("--principal", required=True, help="The principal of that credential.")
@click.option("-o", "--target-org", "target_org", help="An sf CLI alias or username (default: SF_ACCESS_TOKEN "
              "and SF_INSTANCE_URL, else the sf CLI's default org).")
@click.option("--from-env", "from_env", multiple=True, metavar="NAME=ENV_VAR", callback=_parse_env_pairs,
              help="Take credential NAME from environment variable ENV_VAR. Repeatable. Without it: stdin.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@variable_options
def secrets_set(spec: Path, credential: str, principal: str, target_org: str | None, from_env: dict[str, str],
                as_json: bool, overrides: dict[str, str], environment: str | None) -> int:
    """Create or update a principal's credentials through the Connect REST API."""
    from sfauthgen.commands import secrets as secrets_command

    return _call(secrets_command.secrets_set, spec, credential=credential, principal=principal,
                 target_org=target_org, from_env=from_env, as_json=as_json, overrides=overrides,
                 environment=environment)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command and map every outcome to one exit code."""
    # A run is one short process that builds large, long-lived and acyclic trees (spec values, the model,
    # the rendered files). The cycle collector walks each object two or three times as it ages, whatever
    # the thresholds: a tenth of a 10,000-component run, and nothing to collect (peak memory of that
    # generate is the same with it off, see README "Performance"). Process entry point only: `run`
    # (tests, scripts) leaves the caller's collector alone.
    gc.disable()
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGXFSZ"):
        # Past the file size limit a write then fails with EFBIG (reported, nothing changed) instead of
        # the signal killing the process half-way.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    args = list(sys.argv[1:] if argv is None else argv)
    # --json promises one object on stdout whatever happens, usage errors included, so the flag is read
    # from the raw arguments (click may fail before it parses it).
    options = args[: args.index("--")] if "--" in args else args
    wants_json = "--json" in options
    global _debug
    _debug = False  # each run its own: a caller's earlier `run(["--debug", ...])` does not carry over
    ui.reset()
    if "--debug" in options[1:]:
        # --debug is accepted after the subcommand too, where people add it when a run goes wrong.
        _debug = True
        args = [options[0], *[a for a in options[1:] if a != "--debug"], *args[len(options):]]
    if wants_json and ("--help" in options or "-h" in options):
        return _json_help(args)
    try:
        result: Any = cli.main(args=args, prog_name="sfauthgen", standalone_mode=False)
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        count = len([d for d in exc.diagnostics if d.severity.value == "error"])
        summary = f"{count} error{'s' if count != 1 else ''}; nothing was written"
        click.echo(summary, err=True)
        if wants_json:
            from sfauthgen.report import diagnostics_data

            _json_failure(exc.exit_code, summary, {"diagnostics": diagnostics_data(exc.diagnostics)})
        return exc.exit_code
    except InternalError as exc:
        click.echo(f"sfauthgen: internal error: {exc}", err=True)
        click.echo("please report this at the sfauthgen issue tracker with the spec that caused it", err=True)
        if _debug:
            import traceback  # here: only --debug prints one

            traceback.print_exc()
        if wants_json:
            _json_failure(exc.exit_code, f"internal error: {scrub(str(exc))}")
        return exc.exit_code
    except SfauthgenError as exc:
        click.echo(f"sfauthgen: {exc.code} {scrub(str(exc))}" if exc.code else f"sfauthgen: {scrub(str(exc))}",
                   err=True)
        if wants_json:
            _json_failure(exc.exit_code, scrub(str(exc)), code=exc.code or None)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        if wants_json:
            _json_failure(130, "interrupted")
        return 130
    except click.ClickException as exc:
        exc.show()
        # --detailed-exitcode keeps 2 for "changes" (as Terraform): a usage error is then an error, 1.
        code = 1 if exc.exit_code == 2 and "--detailed-exitcode" in options else exc.exit_code
        if wants_json:
            _json_failure(code, exc.format_message(), code=codes.USAGE if exc.exit_code == 2 else None)
        return code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        if wants_json:
            _json_failure(130, "interrupted")
        return 130
    except Exception as exc:  # the one boundary where a bug becomes exit code 3
        click.echo(f"sfauthgen: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("please report this at the sfauthgen issue tracker (rerun with --debug for a traceback)",
                   err=True)
        if _debug:
            import traceback  # here: only --debug prints one

            traceback.print_exc()
        if wants_json:
            _json_failure(3, f"internal error: {type(exc).__name__}")
        return 3
    return result if isinstance(result, int) else 0


def _json_help(args: list[str]) -> int:
    """--help with --json: the help text inside the one JSON object."""
    import contextlib
    import io

    from sfauthgen.commands import ui

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = run([a for a in args if a != "--json"])
    ui.json_out(code, {"help": buffer.getvalue()})
    return code


def _json_failure(status: int, message: str, result: object = None, code: str | None = None) -> None:
    ui.json_out(status, result, message=message, code=code)
