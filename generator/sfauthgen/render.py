"""Render the model to files in memory. No I/O beyond reading templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sfauthgen.errors import InternalError
from sfauthgen.layout import MDAPI, Layout
from sfauthgen.model import Spec
from sfauthgen.xmlcheck import schema_errors

_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
_APEX_STRING = str.maketrans({"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_APEX_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


PACKAGE_XML = "package.xml"
DESTRUCTIVE_CHANGES_XML = "destructiveChanges.xml"


@dataclass(frozen=True)
class PackageType:
    name: str
    members: tuple[str, ...]


def package_xml(components: set[tuple[str, str]], api_version: str) -> str:
    """A package.xml (or destructiveChanges.xml): every member by type, both sorted."""
    by_type: dict[str, set[str]] = {}
    for kind, member in components:
        by_type.setdefault(kind, set()).add(member)
    types = [PackageType(kind, tuple(sorted(members))) for kind, members in sorted(by_type.items())]
    return environment().get_template("package.xml.j2").render(types=types, api_version=api_version)


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative to the output folder, '/'-separated
    content: str
    metadata_type: str | None  # None for package.xml
    member: str | None
    xml: bool = True  # False for content files (Apex source), which the XSD does not cover


def xml_text(value: Any) -> Markup:
    """Escape as a Salesforce retrieve does: &quot; and &apos; too, booleans as true/false."""
    if isinstance(value, Markup):
        return value
    if value is None:
        raise InternalError("a template printed None; the model should have left the element out")
    if isinstance(value, bool):
        return Markup("true" if value else "false")
    return Markup(str(value).translate(_XML_TEXT))


def apex_string(value: Any) -> Markup:
    """An Apex string literal, quotes included."""
    return Markup("'" + str(value).translate(_APEX_STRING) + "'")


def apex_identifier(value: Any) -> Markup:
    """A name printed as Apex code; the model validated it, this makes a slip loud."""
    if not _APEX_IDENTIFIER.match(str(value)):
        raise InternalError(f"{value!r} is not an Apex identifier")
    return Markup(str(value))


def apex_comment(value: Any) -> Markup:
    """Text inside a /** */ comment: one line, and never the comment's end."""
    return Markup(" ".join(str(value).split()).replace("*/", "* /"))


def apex_integer(value: Any) -> Markup:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InternalError(f"{value!r} is not an integer")
    return Markup(str(value))


FILTERS = {
    "apex_comment": apex_comment,
    "apex_identifier": apex_identifier,
    "apex_integer": apex_integer,
    "apex_string": apex_string,
}


def templates_dir() -> Path:
    """Templates ship inside the wheel as sfauthgen/templates; in a checkout they sit at the top."""
    packaged = resources.files("sfauthgen").joinpath("templates")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=xml_text,
    )
    env.filters.update(FILTERS)
    return env


def render(spec: Spec, layout: Layout) -> tuple[GeneratedFile, ...]:
    """Every file the spec produces, validated against the Metadata API schema, sorted by path."""
    env = environment()
    files = []
    for component in spec.components:
        kind, name = component.metadata_type, component.name
        content = env.get_template(component.template).render(component=component, spec=spec)
        if component.meta_template is None:
            files.append(GeneratedFile(layout.metadata_path(kind, name), content, kind, name))
            continue
        meta = env.get_template(component.meta_template).render(component=component, spec=spec)
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
