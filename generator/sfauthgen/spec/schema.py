"""JSON Schema validation of a loaded spec, with errors a person can act on.

jsonschema reports what failed in schema terms; this module turns each failure
into one `Diagnostic` at the spec position of the offending key or value, with a
hint where one helps ("did you mean", the spec value for a Salesforce value,
"quote it" for YAML 1.1 traps).

Each document is first checked by jsonschema-rs (when installed), about a hundred times faster;
only a document it does not pass goes through the Python `jsonschema` validator, the reference,
which finds the errors the messages are built from (issue 18). `fast_verdict` says when the fast
answer can be trusted.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.kinds.registry import KINDS, section_nouns
from sfauthgen.packagedata import data_file
from sfauthgen.spec.loader import JsonPath, SpecDocument, YamlTimestamp
from sfauthgen.suggest import did_you_mean
from sfauthgen.vocabulary import SCOPE_MISTAKES, salesforce_value_hints
from sfauthgen.words import plural

if TYPE_CHECKING:
    from jsonschema import ValidationError


def _fragment(name: str) -> dict[str, Any]:
    text = data_file(f"data/schema/{name}").read_text("utf-8")
    fragment: dict[str, Any] = json.loads(text)
    return fragment


@cache
def spec_schema() -> dict[str, Any]:
    """The spec language's JSON Schema: the top level (spec.json) plus each kind's fragment, in registry order."""
    schema = _fragment("spec.json")
    seen: set[str] = set()
    for kind in KINDS:
        for name in kind.schema:
            if name in seen:
                continue
            seen.add(name)
            fragment = _fragment(name)
            schema["properties"].update(fragment.get("properties", {}))
            schema["$defs"].update(fragment.get("$defs", {}))
    for name, definition in list(schema["$defs"].items()):
        if "x-extends" in definition:
            schema["$defs"][name] = _extended(schema["$defs"][definition["x-extends"]], definition)
    return schema


def _extended(base: dict[str, Any], extension: dict[str, Any]) -> dict[str, Any]:
    """A kind's entry shape that adds keys to a shared one (connected apps and external client apps share
    `app`): the shared definition with the extra properties, resolved here so the published schema is plain."""
    merged = copy.deepcopy(base)
    merged["properties"] = {**base["properties"], **extension.get("properties", {})}
    for key, value in extension.items():
        if key not in ("x-extends", "properties"):
            merged[key] = value
    return merged


def schema_text() -> str:
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"


def _type_with_yaml_dates(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    from jsonschema import Draft202012Validator, ValidationError

    wanted = types if isinstance(types, list) else [types]
    if isinstance(instance, float) and "integer" in wanted and "number" not in wanted:
        # JSON Schema counts 403.0 as an integer; a spec must not, or "403.0" reaches the metadata.
        yield ValidationError(f"{instance!r} is not a whole number", validator="type", validator_value=types,
                              instance=instance, schema=schema)
        return
    yield from Draft202012Validator.VALIDATORS["type"](validator, types, instance, schema)
    wants_string = types == "string" or (isinstance(types, list) and "string" in types)
    if wants_string and isinstance(instance, YamlTimestamp) and schema.get("format") != "date":
        yield ValidationError(f"{instance} is a date to YAML", validator="yaml_date", instance=instance)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """`pattern` as JSON Schema (ECMA-262) reads it: `$` ends the string. Python's `$` also matches before a
    final newline, so `jsonschema` let a name such as "Books\n" through, which no file path may hold."""
    from jsonschema import ValidationError

    if isinstance(instance, str) and not _python_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _python_pattern(pattern: str) -> re.Pattern[str]:
    # The schema's patterns end with an unescaped `$` or have none (tests/test_schema_agreement.py).
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


@cache
def _validator() -> Any:
    """The reference validator (imported on first use: a valid spec never needs it when jsonschema-rs is there)."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    formats = FormatChecker()
    formats.checks("sfauthgen-url")(is_url)
    for name, check in Draft202012Validator.FORMAT_CHECKER.checkers.items():
        formats.checkers.setdefault(name, check)
    extended = validators.extend(Draft202012Validator,
                                 validators={"type": _type_with_yaml_dates, "pattern": _ecma_pattern})
    return extended(spec_schema(), format_checker=formats)


def is_url(value: object) -> bool:
    """A URL Salesforce can call: it parses, has a host, and a port (if any) in 1-65535."""
    if not isinstance(value, str):
        return True
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # https://[::1, https://host:99999, https://host:abc
        return False
    return bool(parts.hostname) and (port is None or 0 < port < 65536)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_date(value: object) -> bool:
    """The `date` format exactly as jsonschema checks it (its `is_date`), for jsonschema-rs."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and datetime.date.fromisoformat(value))
    except ValueError:
        return False


@cache
def _fast_validator() -> Any:
    """A jsonschema-rs validator of the same schema, or None when jsonschema-rs is not installed."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.Draft202012Validator(spec_schema(), formats={"sfauthgen-url": is_url, "date": _is_date},
                                              validate_formats=True)


# Where the two validators could differ, a document goes to the reference one: regular expressions
# read \s, `.` and `$` differently in Python and in jsonschema-rs (ECMA 262) for these characters.
_REGEX_DIFFERENCES = re.compile("[\x1c-\x1f\x85\n\r\u2028\u2029\ufeff]")
_SAFE_INTEGER = 2**53


def _fast_form(value: Any) -> Any:
    """The document as jsonschema-rs takes it (YAML dates as plain strings: it refuses str subclasses), or
    None when its verdict could differ from the reference validator's: 403.0 (an integer to JSON Schema,
    not to a spec), YAML dates outside date keys (only the reference validator tells them from strings),
    integers beyond double precision, and strings with characters from `_REGEX_DIFFERENCES`."""
    strings: list[str] = []
    if not _plain_values(value, strings) or _REGEX_DIFFERENCES.search("".join(strings)) is not None:
        return None
    if any(type(text) is YamlTimestamp for text in strings):
        return _without_dates(value)
    return value


def _without_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_dates(item) for item in value]
    return str(value) if type(value) is YamlTimestamp else value


def _plain_values(value: Any, strings: list[str]) -> bool:
    """Whether every value below `value` is one both validators judge alike; the strings (keys
    included) are collected to be searched at once. A YAML date under a key that is a date wherever the
    schema has it (`retire_after`, `expires`) is judged alike too: only elsewhere is it an error."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return False
            strings.append(key)
            if type(item) is str or (type(item) is YamlTimestamp and key in _date_keys()):
                strings.append(item)
            elif not _plain_values(item, strings):
                return False
        return True
    if kind is list:
        for item in value:
            if type(item) is str:
                strings.append(item)
            elif not _plain_values(item, strings):
                return False
        return True
    if kind is str:
        strings.append(value)
        return True
    if kind is int:
        return bool(-_SAFE_INTEGER < value < _SAFE_INTEGER)
    if kind is float:
        return not float(value).is_integer()
    return value is None or kind is bool


@cache
def _date_keys() -> frozenset[str]:
    """Property names whose schema is a date everywhere the schema uses them."""
    dates: set[str] = set()
    others: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                is_date = isinstance(sub, dict) and (sub.get("$ref") == "#/$defs/date" or sub.get("format") == "date")
                (dates if is_date else others).add(name)
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec_schema())
    return frozenset(dates - others)


def fast_verdict(data: Any) -> bool | None:
    """Whether the document is valid, by jsonschema-rs; None when that cannot be trusted to match the
    reference validator (not installed, or a value `_fast_form` refuses)."""
    validator = _fast_validator()
    form = None if validator is None else _fast_form(data)
    if form is None:
        return None
    try:
        return bool(validator.is_valid(form))
    except (ValueError, TypeError, OverflowError):
        return None


def validate_document(doc: SpecDocument) -> list[Diagnostic]:
    """All schema problems of one spec file, one diagnostic each."""
    if fast_verdict(doc.data):
        return _number_forms(doc, set())
    diagnostics: list[Diagnostic] = []
    for failure in _validator().iter_errors(doc.data):
        diagnostics.extend(_diagnose(doc, _leaf(failure)))
    diagnostics += _number_forms(doc, {d.location for d in diagnostics})
    unique = {(d.location, d.message): d for d in diagnostics}
    return sorted(unique.values(), key=Diagnostic.sort_key)


# Numbers as a spec writes them: decimal digits. YAML 1.1 also reads 017 (octal), 0x1e, 0b1, 1:30 (base 60),
# 1_000, .inf and .nan as numbers, which nobody means in a spec: refused, not guessed (SPEC_LANGUAGE).
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*|([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+][0-9]+)?)\Z")


def _number_forms(doc: SpecDocument, reported: set[Any]) -> list[Diagnostic]:
    """A number written in another form than decimal digits, where the schema has not already said more."""
    found = []
    for path, raw in doc.raw_scalars.items():
        if raw[:1] not in "0123456789+-." or _DECIMAL.match(raw):
            continue  # true, no, ~, and every decimal number: most of what is here
        value: Any = doc.data
        try:
            for part in path:
                value = value[part]
        except (KeyError, IndexError, TypeError):
            continue  # below a value refused before this
        if type(value) not in (int, float):
            continue
        here = doc.locate(path)
        if here not in reported:
            found.append(error(here, codes.WRONG_TYPE, f"YAML 1.1 reads {raw} as the number {value!r}",
                               "write the number in decimal digits, or quote it if it is text"))
    return found


def invalid_items(doc: SpecDocument) -> set[tuple[str, int]] | None:
    """The (section, index) of every list entry with a schema problem; None when the problem is the
    document's own (a missing version, an unknown top-level key, a section that is not a list), where
    nothing after the schema can be trusted."""
    found: set[tuple[str, int]] = set()
    for failure in _validator().iter_errors(doc.data):
        path = tuple(failure.absolute_path)
        if len(path) < 2 or not isinstance(path[0], str) or not isinstance(path[1], int):
            return None
        found.add((path[0], path[1]))
    return found


def _leaf(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf, descend into the branch written for the value's shape."""
    while error.validator in ("oneOf", "anyOf") and error.context and "x-error" not in error.schema:
        branches = error.validator_value
        fitting = [
            e for e in error.context
            if _shape_fits(branches[e.relative_schema_path[0]], error.instance)
        ]
        if not fitting:
            return error
        error = min(fitting, key=lambda e: (-len(e.absolute_path), str(e.validator)))
    return error


_PY_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def _shape_fits(branch: dict[str, Any], instance: Any) -> bool:
    if "type" in branch:
        return any(isinstance(instance, _PY_TYPES[t]) for t in _schema_types(branch["type"]))
    if "enum" in branch or "const" in branch:
        return not isinstance(instance, (dict, list))
    return True


def _field(path: JsonPath) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "spec"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a string"


def _schema_types(types: Any) -> list[str]:
    return [types] if isinstance(types, str) else list(types)


_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
}


def _diagnose(doc: SpecDocument, failure: ValidationError) -> list[Diagnostic]:
    path: JsonPath = tuple(failure.absolute_path)
    here = doc.locate(path)
    field = _field(path)
    value = failure.instance
    schema = failure.schema if isinstance(failure.schema, dict) else {}
    kind = failure.validator

    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        out = []
        for key in sorted(k for k in value if k not in schema.get("properties", {})):
            suggestion = did_you_mean(key, allowed) or "allowed keys: " + ", ".join(allowed)
            where = "at the top level" if not path else f"in {_where_entry(doc, path)}"
            out.append(error(doc.locate(path + (key,), key=True), codes.UNKNOWN_KEY, f"unknown key '{key}' {where}",
                             suggestion))
        return out
    if kind == "required":
        missing = failure.message.split("'")[1]
        where = "at the top level" if not path else f"in {_where_entry(doc, path)}"
        return [error(here, codes.MISSING_KEY, f"missing required key '{missing}' {where}")]
    if kind == "yaml_date":
        return [error(here, codes.WRONG_TYPE, f"{field}: expected a string, but YAML reads {value} as a date",
                      "quote it")]
    if kind == "type":
        expected = " or ".join(_TYPE_WORDS.get(t, t) for t in _schema_types(failure.validator_value))
        hint = None
        if "string" in _schema_types(failure.validator_value) and isinstance(value, (bool, int, float)):
            raw = doc.raw_scalars.get(path, str(value))
            hint = f"quote it: YAML reads {raw} as {_describe(value)}"
        got = _describe(value)
        if isinstance(value, float) and "integer" in _schema_types(failure.validator_value):
            got = doc.raw_scalars.get(path, repr(value))
        return [error(here, codes.WRONG_TYPE, f"{field}: expected {expected}, got {got}", hint)]
    if kind == "enum":
        return [_enum_diagnostic(doc, path, field, value, list(failure.validator_value))]
    if kind == "const":
        return [error(here, codes.NOT_ALLOWED, _custom(schema, value) or f"{field} must be {failure.validator_value!r}",
                           schema.get("x-hint"))]
    if kind in ("pattern", "format") and "x-error" in schema:
        if "propertyNames" in failure.schema_path:
            # A bad key (header or claim name): point at the key itself.
            return [error(doc.locate(path + (value,), key=True), codes.BAD_FORMAT, _custom(schema, value),
                          schema.get("x-hint"))]
        return [error(here, codes.BAD_FORMAT, f"{field}: {_custom(schema, value)}", schema.get("x-hint"))]
    if kind == "uniqueItems":
        repeated = next(v for i, v in enumerate(value) if v in value[:i])
        return [error(here, codes.BAD_SIZE, f"{field} lists {json.dumps(repeated)} more than once")]
    if kind == "minItems":
        return [error(here, codes.BAD_SIZE, f"{field} needs at least {plural(failure.validator_value, 'item')}")]
    if kind == "minLength":
        return [error(here, codes.BAD_SIZE, f"{field} must not be empty")]
    if kind == "maxLength":
        return [error(here, codes.BAD_SIZE, f"{field} is longer than {failure.validator_value} characters",
                      schema.get("x-hint"))]
    if kind == "minimum":
        return [error(here, codes.BAD_SIZE, f"{field} must be at least {failure.validator_value}, got {value}")]
    if kind == "maximum":
        return [error(here, codes.BAD_SIZE, f"{field} must be at most {failure.validator_value}, got {value}")]
    if kind in ("minProperties", "maxProperties", "oneOf", "anyOf") and "x-error" in schema:
        return [error(here, codes.SCHEMA_OTHER, _custom(schema, value), schema.get("x-hint"))]
    return [error(here, codes.SCHEMA_OTHER, f"{field}: {failure.message}")]


def _where(path: JsonPath) -> str:
    field = _field(path)
    if isinstance(path[-1], int):
        return f"{field}[{path[-1]}]"
    return field


def _where_entry(doc: SpecDocument, path: JsonPath) -> str:
    """'connected app 'X'' for a top-level list item that has a name, else the path."""
    nouns = section_nouns()
    if len(path) == 2 and path[0] in nouns:
        entry = doc.data[path[0]][path[1]]
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            return f"{nouns[str(path[0])]} '{entry['name']}'"
    return _where(path)


def _custom(schema: dict[str, Any], value: Any) -> str:
    template: str = schema.get("x-error", "")
    return template.format(value=value)


def _enum_diagnostic(doc: SpecDocument, path: JsonPath, field: str, value: Any, allowed: list[Any]) -> Diagnostic:
    here = doc.locate(path)
    shown = value if isinstance(value, str) else json.dumps(value)
    if field == "scopes":
        hint = SCOPE_MISTAKES.get(str(value))
        if hint is None:
            hint = did_you_mean(str(value), [str(a) for a in allowed])
        return error(here, codes.UNKNOWN_SCOPE, f"unknown OAuth scope '{shown}'", hint)
    hints = salesforce_value_hints().get("legacy." + field if "legacy" in path else field, {})
    hint = None
    if isinstance(value, (str, bool)) and str(value).lower() in {k.lower(): v for k, v in hints.items()}:
        spec_value = {k.lower(): v for k, v in hints.items()}[str(value).lower()]
        hint = f"'{shown}' is the Salesforce value; in a spec write '{spec_value}'"
    periodic = re.fullmatch(r"(specific_lifetime|specific_inactivity):([0-9]+):(hours|days|months)",
                            value.strip(), re.I) if field == "refresh_token" and isinstance(value, str) else None
    if hint is None and periodic is not None:
        key = "expire_after" if periodic.group(1).lower() == "specific_lifetime" else "expire_if_unused_for"
        hint = (f"'{shown}' is the Salesforce value; in a spec write "
                f"{{{key}: {int(periodic.group(2))} {periodic.group(3).lower()}}}")
    if hint is None and field == "refresh_token" and isinstance(value, str) and re.fullmatch(
            r"[1-9][0-9]* ?(hours?|days?|months?)", value.strip()):
        hint = f"a lifetime is a mapping: write {{expire_after: {value.strip()}}} (from issue) or " \
               f"{{expire_if_unused_for: {value.strip()}}} (since last use)"
    if hint is None and isinstance(value, str):
        hint = did_you_mean(value, [str(a) for a in allowed])
    choices = ", ".join(str(a) for a in allowed)
    return error(here, codes.NOT_ALLOWED, f"'{shown}' is not a valid {field}; expected one of: {choices}", hint)
