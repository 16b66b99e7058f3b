"""Render the model to files in memory, each checked against the Metadata API schema. No I/O
beyond reading templates."""

from __future__ import annotations

from sfauthgen.files.layout import MDAPI, Layout
from sfauthgen.files.xmlcheck import check_files
from sfauthgen.model import Spec
from sfauthgen.templating import PACKAGE_XML, GeneratedFile, package_xml, render_template


def render(spec: Spec, layout: Layout, *, check_schema: bool = True) -> tuple[GeneratedFile, ...]:
    """Every file the spec produces, validated against the Metadata API schema, sorted by path.

    `check_schema=False` leaves the validation to the caller: a plan checks only the files it would
    write (a file already in the folder byte for byte is not written again)."""
    files = []
    for component in spec.components:
        kind, name = component.metadata_type, component.name
        content = render_template(component.template, component=component)
        if component.meta_template is None:
            files.append(GeneratedFile(layout.metadata_path(kind, name), content, kind, name))
            continue
        meta = render_template(component.meta_template, component=component)
        files.append(GeneratedFile(layout.content_path(kind, name), content, kind, name, xml=False))
        files.append(GeneratedFile(layout.metadata_path(kind, name), meta, kind, name))
    if layout.format == MDAPI:
        members = {(f.metadata_type, f.member) for f in files if f.metadata_type and f.member}
        files.append(GeneratedFile(PACKAGE_XML, package_xml(members, spec.api_version), None, None))
    if check_schema:
        check_files(files)
    return tuple(sorted(files, key=lambda f: f.path))
