"""Render the model to files in memory. No I/O beyond reading templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.errors import InternalError
from generator.layout import Layout
from generator.model import Spec
from generator.xmlcheck import schema_errors

_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative to the output folder, '/'-separated
    content: str
    metadata_type: str
    member: str


def xml_text(value: Any) -> Markup:
    """Escape as a Salesforce retrieve does: &quot; and &apos; too, booleans as true/false."""
    if isinstance(value, Markup):
        return value
    if value is None:
        raise InternalError("a template printed None; the model should have left the element out")
    if isinstance(value, bool):
        return Markup("true" if value else "false")
    return Markup(str(value).translate(_XML_TEXT))


def templates_dir() -> Path:
    """Templates ship inside the wheel as generator/templates; in a checkout they sit at the top."""
    packaged = resources.files("generator").joinpath("templates")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "templates"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=xml_text,
    )


def render(spec: Spec, layout: Layout) -> tuple[GeneratedFile, ...]:
    """Every file the spec produces, validated against the Metadata API schema, sorted by path."""
    env = environment()
    files = []
    for component in spec.components:
        content = env.get_template(component.template).render(component=component, spec=spec)
        path = layout.metadata_path(component.metadata_type, component.name)
        files.append(GeneratedFile(path, content, component.metadata_type, component.name))
    for generated in files:
        if generated.path.endswith(".xml"):
            problems = schema_errors(generated.content)
            if problems:
                raise InternalError(
                    f"sfauthgen rendered {generated.path}, which the Metadata API schema rejects "
                    f"({problems[0]}); nothing was written"
                )
    return tuple(sorted(files, key=lambda f: f.path))
