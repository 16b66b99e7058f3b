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
