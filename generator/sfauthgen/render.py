"""Render the model to files in memory, each checked against the Metadata API schema. No I/O
beyond reading templates."""

from __future__ import annotations

from sfauthgen.diagnostics import InternalError
from sfauthgen.files.layout import MDAPI, Layout
from sfauthgen.files.xmlcheck import schema_errors
from sfauthgen.model import Spec
from sfauthgen.templating import PACKAGE_XML, GeneratedFile, package_xml, template


def render(spec: Spec, layout: Layout) -> tuple[GeneratedFile, ...]:
    """Every file the spec produces, validated against the Metadata API schema, sorted by path."""
    files = []
    for component in spec.components:
        kind, name = component.metadata_type, component.name
        content = template(component.template).render(component=component)
        if component.meta_template is None:
            files.append(GeneratedFile(layout.metadata_path(kind, name), content, kind, name))
            continue
        meta = template(component.meta_template).render(component=component)
        files.append(GeneratedFile(layout.content_path(kind, name), content, kind, name, xml=False))
        files.append(GeneratedFile(layout.metadata_path(kind, name), meta, kind, name))
    if layout.format == MDAPI:
        members = {(f.metadata_type, f.member) for f in files if f.metadata_type and f.member}
        files.append(GeneratedFile(PACKAGE_XML, package_xml(members, spec.api_version), None, None))
    for generated in files:
        if generated.xml:
            problems = schema_errors(generated.content)
            if problems:
                raise InternalError(
                    f"sfauthgen rendered {generated.path}, which the Metadata API schema rejects "
                    f"({problems[0]}); nothing was written"
                )
    return tuple(sorted(files, key=lambda f: f.path))
