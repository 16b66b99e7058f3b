from __future__ import annotations

from collections.abc import Iterator

from sfauthgen.checks.context import CheckContext
from sfauthgen.errors import Diagnostic
from sfauthgen.merge import SECTION_NOUNS, SECTIONS, Entry


def unique_names(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Names are unique per metadata type; an external and a named credential may share one."""
    for section in SECTIONS:
        seen: dict[str, Entry] = {}
        for entry in ctx.spec.entries(section):
            first = seen.setdefault(entry.name, entry)
            if first is not entry:
                yield Diagnostic(
                    entry.locate("name"),
                    f"duplicate {SECTION_NOUNS[section]} name '{entry.name}' "
                    f"(also defined at {first.locate('name')})",
                    "names are unique per metadata type: each becomes one file",
                )
