"""Render the model to files in memory, each checked against the Metadata API schema. No I/O
beyond reading templates."""

from __future__ import annotations

from collections.abc import Iterable

from sfauthgen.files.layout import MDAPI, Layout
from sfauthgen.files.xmlcheck import check_files
from sfauthgen.model import Component, Spec
from sfauthgen.templating import PACKAGE_XML, GeneratedFile, package_xml, render_template, template


def render(spec: Spec, layout: Layout) -> tuple[GeneratedFile, ...]:
    """Every file the spec produces, validated against the Metadata API schema, sorted by path. (A plan
    renders through `component_files` and checks only the files it would write: `files.plan.compare`.)"""
    files = component_files(spec.components, layout)
    if layout.format == MDAPI:
        files.append(package_file(files, spec.api_version))
    check_files(files)
    return tuple(sorted(files, key=lambda f: f.path))


def component_files(components: Iterable[Component], layout: Layout) -> list[GeneratedFile]:
    """The files of these components (an Apex class has two: its source and its metadata), in their order."""
    files = []
    for component in components:
        kind, name = component.metadata_type, component.name
        content = render_template(component.template, component=component)
        if component.meta_template is None:
            files.append(GeneratedFile(layout.metadata_path(kind, name), content, kind, name))
            continue
        meta = render_template(component.meta_template, component=component)
        files.append(GeneratedFile(layout.content_path(kind, name), content, kind, name, xml=False))
        files.append(GeneratedFile(layout.metadata_path(kind, name), meta, kind, name))
    return files


def package_file(files: Iterable[GeneratedFile], api_version: str) -> GeneratedFile:
    """package.xml of the Metadata API format: every component of these files."""
    members = {(f.metadata_type, f.member) for f in files if f.metadata_type and f.member}
    return GeneratedFile(PACKAGE_XML, package_xml(members, api_version), None, None)


def load_templates(components: Iterable[Component]) -> None:
    """Compile (or load) the templates these components use now, so worker processes forked next share
    them instead of each loading Jinja and the templates again."""
    for name in {n for c in components for n in (c.template, c.meta_template) if n is not None}:
        template(name)
