"""Printing for the commands: results on stdout, problems on stderr."""

from __future__ import annotations

import click

from sfauthgen.diagnostics import Diagnostic


def out(text: str = "", *, nl: bool = True) -> None:
    click.echo(text, nl=nl)


def err(text: str) -> None:
    click.echo(text, err=True)


def diagnostics(found: list[Diagnostic]) -> None:
    for diagnostic in found:
        err(diagnostic.format())


# Warnings about the command line itself (a deprecated option), found while click parses it: printed at
# once, and carried into the JSON object of the run (`reset` starts each run without them).
_command_line_warnings: list[str] = []


def command_line_warning(text: str) -> None:
    err(f"sfauthgen: warning: {text}")
    _command_line_warnings.append(text)


def reset() -> None:
    _command_line_warnings.clear()


def json_out(status: int, result: object, warnings: list[str] | None = None, message: str | None = None,
             code: str | None = None) -> None:
    """The one JSON object a command prints with --json, shaped like the sf CLI's."""
    import json

    body: dict[str, object] = {"status": status, "result": result,
                               "warnings": [*_command_line_warnings, *(warnings or [])]}
    if message is not None:
        body["message"] = message
    if code is not None:
        body["code"] = code
    out(json.dumps(body, indent=2, sort_keys=False))
