"""`sfauthgen schema`: the spec language's JSON Schema, for editors and other tools."""

from __future__ import annotations

from sfauthgen.commands import ui
from sfauthgen.spec.schema import schema_text


def schema() -> int:
    ui.out(schema_text(), nl=False)
    return 0
