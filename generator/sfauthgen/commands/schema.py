"""`sfauthgen schema`: the spec language's JSON Schema, for editors and other tools."""

from __future__ import annotations

from sfauthgen.commands import ui
from sfauthgen.spec.schema import schema_text


def schema(*, as_json: bool = False) -> int:
    if as_json:
        import json

        ui.json_out(0, json.loads(schema_text()))
        return 0
    ui.out(schema_text(), nl=False)
    return 0
