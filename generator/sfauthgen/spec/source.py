"""Where a typed spec entry was written: its file and path, for positioned diagnostics."""

from __future__ import annotations

from pathlib import Path

from sfauthgen.diagnostics import Location
from sfauthgen.records import record
from sfauthgen.spec.loader import JsonPath, SpecDocument


@record(eq=False)
class Source:
    doc: SpecDocument
    path: JsonPath

    def locate(self, *sub: str | int, key: bool = False) -> Location:
        """The position of a value below this one (or of its key), else of its nearest ancestor."""
        return self.doc.locate(self.path + sub, key=key)

    def at(self, *sub: str | int) -> Source:
        return Source(self.doc, self.path + sub)

    @property
    def base_dir(self) -> Path:
        """The folder of the spec file: relative paths (certificates) start here."""
        return self.doc.base_dir
