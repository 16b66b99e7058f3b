"""Apex callouts: a named credential's `apex` block -> a client class and its test class.

The block is written inside a `named_credentials` entry; this kind derives its entries
from those and owns everything else about them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote_plus

from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.kinds.base import (
    APEX_CLASS,
    BuildContext,
    Check,
    CheckContext,
    Grant,
    Kind,
    Phase,
    Reference,
    SpecEntries,
    Step,
    StepContext,
)
from sfauthgen.model import Component
from sfauthgen.records import record
from sfauthgen.spec.source import Source

PATH_PARAMETER = re.compile(r"\{([^{}]*)\}")
DEFAULT_TIMEOUT_SECONDS = 30
DEFAULT_BODY = "none"
BODY_METHODS = ("POST", "PUT", "PATCH")
# Names the generated operation method already declares (see templates/calloutClass.cls.j2).
METHOD_LOCALS = frozenset({"body", "request"})

# Apex reserved keywords (Apex Developer Guide, "Reserved Keywords"); Apex is case-insensitive.
RESERVED = frozenset(
    [
        "abstract", "activate", "and", "any", "array", "as", "asc", "autonomous", "begin", "bigdecimal", "blob",
        "boolean", "break", "bulk", "by", "byte", "case", "cast", "catch", "char", "class", "collect", "commit",
        "const", "continue", "currency", "date", "datetime", "decimal", "default", "delete", "desc", "do",
        "double", "else", "end", "enum", "exception", "exit", "export", "extends", "false", "final", "finally",
        "float", "for", "from", "global", "goto", "group", "having", "hint", "if", "implements", "import", "in",
        "inner", "insert", "instanceof", "int", "integer", "interface", "into", "join", "last_90_days",
        "last_month", "last_n_days", "last_week", "like", "limit", "list", "long", "loop", "map", "merge",
        "new", "next_90_days", "next_month", "next_n_days", "next_week", "not", "null", "nulls", "number",
        "object", "of", "on", "or", "outer", "override", "package", "parallel", "pragma", "private",
        "protected", "public", "retrieve", "return", "rollback", "select", "set", "short", "sharing", "sobject",
        "static", "string", "super", "switch", "synchronized", "system", "testmethod", "then", "this",
        "this_month", "this_week", "throw", "time", "today", "tolower", "tomorrow", "transaction", "trigger",
        "true", "try", "undelete", "update", "upsert", "using", "virtual", "void", "webservice", "when",
        "where", "while", "yesterday"
    ]
)
# Members of the generated class that an operation name must not shadow.
GENERATED_MEMBERS = frozenset(
    {"newrequest", "send", "encodepathsegment", "named_credential", "timeout_ms", "max_error_body_length",
     "calloutresponseexception"}
)


@record
class Operation:
    source: Source
    name: str
    method: str
    path: str
    body: str  # json | none


@record
class ApexCallout:
    source: Source  # the apex block
    name: str  # the class
    named_credential: str
    named_credential_label: str
    timeout_seconds: int
    grant_to: tuple[str, ...]
    operations: tuple[Operation, ...]


def parse_apex(source: Source, data: dict[str, Any], named_credential: str, label: str) -> ApexCallout:
    return ApexCallout(
        source=source,
        name=data["class"],
        named_credential=named_credential,
        named_credential_label=label,
        timeout_seconds=data.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS),
        grant_to=tuple(data.get("grant_to") or ()),
        operations=tuple(
            Operation(source.at("operations", i), op["name"], op["method"], op["path"], op.get("body", DEFAULT_BODY))
            for i, op in enumerate(data["operations"])
        ),
    )


def derive(spec: SpecEntries) -> tuple[ApexCallout, ...]:
    return tuple(entry.apex for entry in spec.of("named_credential") if entry.apex is not None)


# The output model: everything the templates print, resolved.

@record
class PathPart:
    """A piece of an operation's path: literal text, or a {parameter}."""

    literal: str | None = None
    parameter: str | None = None


@record
class ApexParameter:
    type: str
    name: str


@record
class ApexValue:
    """An argument in generated Apex: a string literal (`literal`) or a variable (`variable`)."""

    literal: str | None = None
    variable: str | None = None


@record
class CalloutOperation:
    name: str
    method: str
    path_parts: tuple[PathPart, ...]
    parameters: tuple[ApexParameter, ...]  # the method's signature: path parameters, then the JSON body
    has_body: bool
    # For the test class: the arguments of a sample call, the endpoint Apex builds from them,
    # and the JSON the mock endpoint answers.
    sample_arguments: tuple[ApexValue, ...]
    sample_endpoint: str
    mock_response: str


@record
class ApexClass(Component):
    """An Apex class: `template` renders the .cls, `meta_template` its .cls-meta.xml."""

    metadata_type: ClassVar[str] = "ApexClass"
    meta_template: ClassVar[str | None] = "apexClass.cls-meta.xml.j2"

    api_version: str


@record
class CalloutClass(ApexClass):
    template: ClassVar[str] = "calloutClass.cls.j2"

    named_credential: str
    named_credential_label: str
    endpoint_prefix: str  # callout:<Named_Credential>
    timeout_ms: int
    operations: tuple[CalloutOperation, ...]
    uses_path_parameters: bool


@record
class CalloutClassTest(ApexClass):
    template: ClassVar[str] = "calloutClassTest.cls.j2"

    target: CalloutClass


def split_path(path: str) -> tuple[PathPart, ...]:
    parts: list[PathPart] = []
    position = 0
    for match in PATH_PARAMETER.finditer(path):
        if match.start() > position:
            parts.append(PathPart(literal=path[position:match.start()]))
        parts.append(PathPart(parameter=match.group(1)))
        position = match.end()
    if position < len(path):
        parts.append(PathPart(literal=path[position:]))
    return tuple(parts)


def apex_path_encode(value: str) -> str:
    """What EncodingUtil.urlEncode(value, 'UTF-8').replace('+', '%20') returns (for letters,
    digits, spaces and slashes, where Java's and Python's form encoders agree)."""
    return quote_plus(value, safe="").replace("+", "%20")


def _operation(named_credential: str, op: Operation) -> CalloutOperation:
    parts = split_path(op.path)
    names = tuple(p.parameter for p in parts if p.parameter is not None)
    samples = {name: f"{name} 1/2" for name in names}
    endpoint = "".join(
        apex_path_encode(samples[p.parameter]) if p.parameter is not None else str(p.literal) for p in parts
    )
    has_body = op.body == "json"
    parameters = tuple(ApexParameter("String", name) for name in names)
    arguments = tuple(ApexValue(literal=samples[name]) for name in names)
    if has_body:
        parameters += (ApexParameter("Map<String, Object>", "body"),)
        arguments += (ApexValue(variable="body"),)
    return CalloutOperation(
        name=op.name,
        method=op.method,
        path_parts=parts,
        parameters=parameters,
        has_body=has_body,
        sample_arguments=arguments,
        sample_endpoint=f"callout:{named_credential}{endpoint}",
        mock_response=json.dumps({"operation": op.name}, separators=(",", ":")),
    )


def build(apex: ApexCallout, ctx: BuildContext) -> Iterator[Component]:
    operations = tuple(_operation(apex.named_credential, op) for op in apex.operations)
    callout = CalloutClass(
        name=apex.name,
        api_version=ctx.api_version,
        named_credential=apex.named_credential,
        named_credential_label=apex.named_credential_label,
        endpoint_prefix=f"callout:{apex.named_credential}",
        timeout_ms=apex.timeout_seconds * 1000,
        operations=operations,
        uses_path_parameters=any(p.parameter is not None for op in operations for p in op.path_parts),
    )
    yield callout
    yield CalloutClassTest(name=f"{apex.name}Test", api_version=ctx.api_version, target=callout)


def grants(apex: ApexCallout) -> Iterator[Grant]:
    for index, permission_set in enumerate(apex.grant_to):
        yield Grant(permission_set, APEX_CLASS, apex.name, apex.source.locate("grant_to", index))


def references(apex: ApexCallout) -> Iterator[Reference]:
    for grant in grants(apex):
        yield Reference("permission_sets", grant.permission_set, grant.location)


def next_steps(apex: ApexCallout, ctx: StepContext) -> Iterator[Step]:
    for permission_set in apex.grant_to:
        yield Step(Phase.ACCESS, f"assign permission set {permission_set} to the users who run {apex.name}")


# Checks.

def _reserved(name: str) -> bool:
    return name.lower() in RESERVED


def _class_names(apex: ApexCallout, ctx: CheckContext) -> Iterator[Diagnostic]:
    """Class names are valid, not reserved, and unique (Apex compares them case-insensitively)."""
    here = apex.source.locate("class")
    if _reserved(apex.name):
        yield error(here, "", f"'{apex.name}' is an Apex reserved word", "choose another class name")
    first_of = ctx.spec.index("apex classes", _class_owners)
    for generated in (apex.name, f"{apex.name}Test"):
        first = first_of[generated.lower()]
        if first is not apex:
            yield error(here, "",
                        f"Apex class '{generated}' is generated twice (also by {first.source.locate('class')})",
                        "Apex class names are case-insensitive; each apex block needs its own class (and its Test)")


def _class_owners(spec: SpecEntries) -> dict[str, ApexCallout]:
    """Each generated class name (lower case) -> the first apex block, in spec order, that generates it."""
    owners: dict[str, ApexCallout] = {}
    for apex in spec.of("apex_callout"):
        for generated in (apex.name, f"{apex.name}Test"):
            owners.setdefault(generated.lower(), apex)
    return owners


def _operation_names(apex: ApexCallout, ctx: CheckContext) -> Iterator[Diagnostic]:
    seen: dict[str, Operation] = {}
    for op in apex.operations:
        here = op.source.locate("name")
        if _reserved(op.name):
            yield error(here, "", f"operation name '{op.name}' is an Apex reserved word",
                        f"choose another method name, such as '{op.name}Request'")
        elif op.name.lower() in GENERATED_MEMBERS:
            yield error(here, "", f"operation name '{op.name}' is used by the generated class",
                        "choose another method name")
        first = seen.setdefault(op.name.lower(), op)
        if first is not op:
            yield error(here, "", f"duplicate operation '{op.name}' (also defined at {first.source.locate('name')})",
                        "operation names are unique within a class, ignoring case")


def _paths(apex: ApexCallout, ctx: CheckContext) -> Iterator[Diagnostic]:
    for op in apex.operations:
        here = op.source.locate("path")
        leftover = PATH_PARAMETER.sub("", op.path)
        if "{" in leftover or "}" in leftover:
            yield error(here, "", f"unbalanced braces in path '{op.path}'", "write path parameters as {name}")
            continue
        seen: set[str] = set()
        for name in PATH_PARAMETER.findall(op.path):
            if not name or not name[0].isalpha() or not name.replace("_", "a").isalnum() or "__" in name:
                yield error(here, "", f"path parameter '{{{name}}}' is not an Apex identifier",
                            "a letter first, then letters, digits and single underscores")
            elif _reserved(name) or name.lower() in METHOD_LOCALS:
                yield error(here, "", f"path parameter '{{{name}}}' cannot be an Apex parameter name",
                            "rename it; it is reserved in Apex, or taken by the generated method's JSON body "
                            "parameter or its request variable")
            elif name.lower() in seen:
                yield error(here, "", f"path parameter '{{{name}}}' appears twice",
                            "each path parameter becomes one method parameter; give them distinct names")
            seen.add(name.lower())


def _body_methods(apex: ApexCallout, ctx: CheckContext) -> Iterator[Diagnostic]:
    for op in apex.operations:
        if op.body == "json" and op.method not in BODY_METHODS:
            yield error(op.source.locate("body"), "", f"body: json needs POST, PUT or PATCH, not {op.method}",
                        "remove the body, or change the method")


CHECKS = (
    Check("SFC301", "ApexClassName", "An Apex class name that is reserved or generated twice.", _class_names),
    Check("SFC302", "ApexOperationName", "An operation name that is reserved, taken by the generated class, or "
          "repeated.", _operation_names),
    Check("SFC303", "ApexPathParameter", "A path with unbalanced braces, or a parameter Apex cannot take.", _paths),
    Check("SFC304", "BodyNeedsMethod", "body: json on a method without a body.", _body_methods),
)

KIND = Kind(
    name="apex_callout",
    noun="Apex callout",
    section=None,
    schema=("apex_callout.json",),
    metadata_types=("ApexClass",),
    derive=derive,
    checks=CHECKS,
    build=build,
    references=references,
    grants=grants,
    next_steps=next_steps,
)
