"""Cross-checks of `apex` blocks: names Apex accepts, paths, bodies, grants."""

from __future__ import annotations

from collections.abc import Iterator

from sfauthgen.build.apex import PATH_PARAMETER
from sfauthgen.checks.context import CheckContext, did_you_mean, warning
from sfauthgen.errors import Diagnostic
from sfauthgen.merge import Entry

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
BODY_METHODS = ("POST", "PUT", "PATCH")


def _with_apex(ctx: CheckContext) -> Iterator[Entry]:
    for entry in ctx.spec.entries("named_credentials"):
        if entry.get("apex") is not None:
            yield entry


def _reserved(name: str) -> bool:
    return name.lower() in RESERVED


def class_names(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Class names are valid, not reserved, and unique (Apex compares them case-insensitively)."""
    seen: dict[str, Entry] = {}
    for entry in _with_apex(ctx):
        name = entry.data["apex"]["class"]
        here = entry.locate("apex", "class")
        if _reserved(name):
            yield Diagnostic(here, f"'{name}' is an Apex reserved word", "choose another class name")
        for generated in (name, f"{name}Test"):
            first = seen.get(generated.lower())
            if first is not None:
                yield Diagnostic(
                    here,
                    f"Apex class '{generated}' is generated twice (also by {first.locate('apex', 'class')})",
                    "Apex class names are case-insensitive; each apex block needs its own class (and its Test)",
                )
            seen.setdefault(generated.lower(), entry)


def operations(ctx: CheckContext) -> Iterator[Diagnostic]:
    for entry in _with_apex(ctx):
        seen: dict[str, int] = {}
        for index, op in enumerate(entry.data["apex"]["operations"]):
            name = op["name"]
            here = entry.locate("apex", "operations", index, "name")
            if _reserved(name):
                yield Diagnostic(here, f"operation name '{name}' is an Apex reserved word",
                                 f"choose another method name, such as '{name}Request'")
            elif name.lower() in GENERATED_MEMBERS:
                yield Diagnostic(here, f"operation name '{name}' is used by the generated class",
                                 "choose another method name")
            if name.lower() in seen:
                first = entry.locate("apex", "operations", seen[name.lower()], "name")
                yield Diagnostic(here, f"duplicate operation '{name}' (also defined at {first})",
                                 "operation names are unique within a class, ignoring case")
            seen.setdefault(name.lower(), index)
            yield from _path(entry, index, op)
            if op.get("body") == "json" and op["method"] not in BODY_METHODS:
                yield Diagnostic(
                    entry.locate("apex", "operations", index, "body"),
                    f"body: json needs POST, PUT or PATCH, not {op['method']}",
                    "remove the body, or change the method",
                )


def _path(entry: Entry, index: int, op: dict[str, str]) -> Iterator[Diagnostic]:
    here = entry.locate("apex", "operations", index, "path")
    path = op["path"]
    names = PATH_PARAMETER.findall(path)
    leftover = PATH_PARAMETER.sub("", path)
    if "{" in leftover or "}" in leftover:
        yield Diagnostic(here, f"unbalanced braces in path '{path}'", "write path parameters as {name}")
        return
    seen: set[str] = set()
    for name in names:
        if not name or not name[0].isalpha() or not name.replace("_", "a").isalnum() or "__" in name:
            yield Diagnostic(here, f"path parameter '{{{name}}}' is not an Apex identifier",
                             "a letter first, then letters, digits and single underscores")
        elif _reserved(name) or name.lower() == "body":
            yield Diagnostic(here, f"path parameter '{{{name}}}' cannot be an Apex parameter name",
                             "rename it; it is reserved in Apex or taken by the JSON body parameter")
        elif name.lower() in seen:
            yield Diagnostic(here, f"path parameter '{{{name}}}' appears twice",
                             "each path parameter becomes one method parameter; give them distinct names")
        seen.add(name.lower())


def grants_declared(ctx: CheckContext) -> Iterator[Diagnostic]:
    declared = ctx.declared("permission_sets")
    for entry in _with_apex(ctx):
        for index, name in enumerate(entry.data["apex"].get("grant_to") or []):
            if name not in declared:
                yield Diagnostic(
                    entry.locate("apex", "grant_to", index),
                    f"permission set '{name}' is not declared under permission_sets",
                    did_you_mean(name, declared, "permission sets"),
                )


def access_kinds_separate(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A set with both principal access and Apex class access has failed to deploy (sf CLI issue 1781)."""
    principal_sets = {
        name
        for entry in ctx.spec.entries("external_credentials")
        for principal in entry.get("principals") or []
        for name in principal.get("access") or []
    }
    hint = ("a set carrying both has failed to deploy (sf CLI issue 1781); "
            "grant the class through a separate permission set")
    for entry in _with_apex(ctx):
        for index, name in enumerate(entry.data["apex"].get("grant_to") or []):
            if name in principal_sets:
                yield warning(entry.locate("apex", "grant_to", index),
                              f"permission set '{name}' gets both principal access and Apex class access", hint)
    for entry in ctx.spec.entries("permission_sets"):
        if entry.name in principal_sets and entry.get("apex_classes"):
            yield warning(entry.locate("apex_classes", key=True),
                          f"permission set '{entry.name}' gets both principal access and Apex class access", hint)
