"""The Jinja environments: one for XML (retrieve-style escaping), one for Apex (Apex
string-literal escaping only), both strict. Templates do layout; every value is resolved
by the model before it gets here.
"""

from __future__ import annotations

import keyword
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfauthgen.diagnostics import InternalError
from sfauthgen.packagedata import PACKAGE_DIR
from sfauthgen.records import record

if TYPE_CHECKING:
    import jinja2
    import jinja2.compiler

_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
_APEX_STRING = str.maketrans({"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_APEX_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\Z")

PACKAGE_XML = "package.xml"
# Post: deletions run after the updates of the same deploy, so a permission set that stops naming a
# removed credential is updated before the credential goes (README reference: Metadata API deploy).
DESTRUCTIVE_CHANGES_XML = "destructiveChangesPost.xml"
# The version of `_code_generator`'s output: templates compiled ahead by an older one are not used.
CODE_GENERATOR = "model-2"


@record
class GeneratedFile:
    path: str  # relative to the output folder, '/'-separated
    content: str
    metadata_type: str | None  # None for package.xml
    member: str | None
    xml: bool = True  # False for content files (Apex source), which the XSD does not cover


def xml_text(value: Any) -> str:
    """Escape as a Salesforce retrieve does: &quot; and &apos; too, booleans as true/false.

    The XML environment's finalize: Jinja passes every printed value through it, so escaping does not
    depend on autoescape (whose Markup objects were most of the time spent rendering). Nothing printed
    is trusted as already escaped, not even a `|safe`.
    """
    if value is None:
        raise InternalError("a template printed None; the model should have left the element out")
    if value is True or value is False:
        return "true" if value else "false"
    return str(value).translate(_XML_TEXT)


class ApexCode(str):
    """Text that an Apex filter made safe to print into a .cls file."""


def apex_string(value: Any) -> ApexCode:
    """An Apex string literal, quotes included."""
    return ApexCode("'" + str(value).translate(_APEX_STRING) + "'")


def apex_identifier(value: Any) -> ApexCode:
    """A name printed as Apex code; the model validated it, this makes a slip loud."""
    if not _APEX_IDENTIFIER.match(str(value)):
        raise InternalError(f"{value!r} is not an Apex identifier")
    return ApexCode(str(value))


def apex_type(value: Any) -> ApexCode:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_<>, ]*", str(value)):
        raise InternalError(f"{value!r} is not an Apex type")
    return ApexCode(str(value))


def apex_comment(value: Any) -> ApexCode:
    """Text inside a /** */ comment: one line, and never the comment's end."""
    return ApexCode(" ".join(str(value).split()).replace("*/", "* /"))


def apex_integer(value: Any) -> ApexCode:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InternalError(f"{value!r} is not an integer")
    return ApexCode(str(value))


def apex_parameters(parameters: Any) -> ApexCode:
    """A method's parameter list from the model's (type, name) pairs."""
    return ApexCode(", ".join(f"{apex_type(p.type)} {apex_identifier(p.name)}" for p in parameters))


def apex_arguments(arguments: Any) -> ApexCode:
    """A call's argument list from the model's values: string literals or variables."""
    return ApexCode(", ".join(
        apex_string(a.literal) if a.literal is not None else apex_identifier(a.variable) for a in arguments
    ))


def _apex_finalize(value: Any) -> str:
    """Everything printed into Apex must have passed an Apex filter: a bare {{ x }} is a bug."""
    if isinstance(value, ApexCode):
        return value
    raise InternalError(f"an Apex template printed {value!r} without an Apex filter")


APEX_FILTERS = {
    "apex_arguments": apex_arguments,
    "apex_comment": apex_comment,
    "apex_identifier": apex_identifier,
    "apex_integer": apex_integer,
    "apex_parameters": apex_parameters,
    "apex_string": apex_string,
}


def templates_dir() -> Path:
    """Templates ship inside the wheel as sfauthgen/templates; in a checkout they sit at the top."""
    packaged = PACKAGE_DIR / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def templates_digest() -> str:
    """A digest of every template's name and text: compiled templates are used only for these."""
    import hashlib  # here: only rendering needs it

    digest = hashlib.sha256()
    for path in sorted(templates_dir().glob("*.j2")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _loader() -> jinja2.BaseLoader:
    """The templates compiled ahead (scripts/compile_templates.py) when they were compiled from these very
    templates by this Jinja version, which spares every run Jinja's parser and code generator; else the
    templates themselves."""
    import jinja2  # here, not at the top: `validate` renders nothing and need not import Jinja

    try:
        from sfauthgen import compiled_templates
    except ImportError:
        compiled_templates = None  # type: ignore[assignment]
    if compiled_templates is not None and jinja2.__version__ == compiled_templates.JINJA2_VERSION \
            and getattr(compiled_templates, "CODE_GENERATOR", None) == CODE_GENERATOR \
            and templates_digest() == compiled_templates.TEMPLATES_DIGEST:
        return jinja2.ModuleLoader(str(Path(compiled_templates.__file__).parent))
    return jinja2.FileSystemLoader(str(templates_dir()))


def _environment(loader: jinja2.BaseLoader | None = None, **options: Any) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=loader or _loader(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change while a run renders them: no stat per use
        **options,
    )
    env.code_generator_class = _code_generator()
    return env


@cache
def _code_generator() -> type[jinja2.compiler.CodeGenerator]:
    from jinja2 import nodes
    from jinja2.compiler import CodeGenerator, Frame

    class ModelCodeGenerator(CodeGenerator):
        """Jinja's code generator, with `a.b` and `x is none` compiled to Python's own operations.

        Jinja compiles `a.b` to `environment.getattr(a, "b")` (which falls back to `a["b"]`) and a test to a
        call: a function call per dot and per test, a fifth of rendering. Every value a template reads is an
        attribute of a model record, so plain attribute access is the same value; a missing one still fails
        (AttributeError, or StrictUndefined's error). `CODE_GENERATOR` names this for compiled templates.
        """

        def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
            if not node.attr.isidentifier() or keyword.iskeyword(node.attr):
                super().visit_Getattr(node, frame)
                return
            self.write("(")
            self.visit(node.node, frame)
            self.write(f").{node.attr}")

        def visit_Test(self, node: nodes.Test, frame: Frame) -> None:
            if node.name != "none" or node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
                super().visit_Test(node, frame)
                return
            self.write("(")
            self.visit(node.node, frame)
            self.write(" is None)")

    return ModelCodeGenerator


@cache
def xml_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    return _environment(loader, autoescape=False, finalize=xml_text)


@cache
def apex_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    env = _environment(loader, autoescape=False, finalize=_apex_finalize)
    env.filters.update(APEX_FILTERS)
    return env


@cache
def template(name: str) -> jinja2.Template:
    """The compiled template: Apex sources (*.cls.j2) in the Apex environment, the rest in the XML one."""
    env = apex_environment() if name.endswith(".cls.j2") else xml_environment()
    return env.get_template(name)


def render_template(name: str, **values: Any) -> str:
    """`template(name).render(**values)`, in a context without Jinja's globals (range, dict, ...), which no
    template uses (StrictUndefined would say so): copying them into every context was a fifth of the time
    of rendering a small file."""
    compiled = template(name)
    context = compiled.new_context(values, shared=True)
    try:
        return compiled.environment.concat(compiled.root_render_func(context))
    except Exception:
        compiled.environment.handle_exception()  # what Template.render does: errors point at template lines


@record
class PackageType:
    name: str
    members: tuple[str, ...]


def package_xml(components: set[tuple[str, str]], api_version: str) -> str:
    """A package.xml (or destructiveChangesPost.xml): every member by type, both sorted."""
    by_type: dict[str, set[str]] = {}
    for kind, member in components:
        by_type.setdefault(kind, set()).add(member)
    types = [PackageType(kind, tuple(sorted(members))) for kind, members in sorted(by_type.items())]
    return render_template("package.xml.j2", types=types, api_version=api_version)
