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


def json_out(status: int, result: object, warnings: list[str] | None = None, message: str | None = None) -> None:
    """The one JSON object a command prints with --json, shaped like the sf CLI's."""
    import json

    body: dict[str, object] = {"status": status, "result": result, "warnings": warnings or []}
    if message is not None:
        body["message"] = message
    out(json.dumps(body, indent=2, sort_keys=False))
