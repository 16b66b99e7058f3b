"""Validate rendered metadata against the Metadata API schema before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from sfauthgen.diagnostics import InternalError
from sfauthgen.packagedata import data_file

if TYPE_CHECKING:
    from lxml import etree

    from sfauthgen.templating import GeneratedFile

# lxml is imported on first use: `validate` imports the renderer (through the pipeline) but renders nothing.


@cache
def metadata_schema() -> etree.XMLSchema:
    from lxml import etree

    source = data_file("data/metadata-subset.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(source))


def schema_errors(content: str) -> list[str]:
    """Problems of one XML document against the derived Metadata API XSD; empty when valid."""
    from lxml import etree

    try:
        document = etree.fromstring(content.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    schema = metadata_schema()
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def check_files(files: Iterable[GeneratedFile]) -> None:
    """Stop the run (nothing written) at the first XML file the Metadata API schema rejects: a bug."""
    for generated in files:
        if generated.xml:
            problems = schema_errors(generated.content)
            if problems:
                raise InternalError(
                    f"sfauthgen rendered {generated.path}, which the Metadata API schema rejects "
                    f"({problems[0]}); nothing was written"
                )
