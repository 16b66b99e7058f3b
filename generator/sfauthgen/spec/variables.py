"""Variables and environments: `${var.NAME}` in any string, valued per run.

Precedence: `--var NAME=VALUE`, then the `--env` environment, then the variable's
`default`. An unknown or unset variable is an error at the place it is used. Values
are substituted into the loaded documents before the schema sees them, so every
check applies to what will be generated; positions stay those of the spec text.
"""

from __future__ import annotations

import re
from typing import Any

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, Location, UsageProblem, error
from sfauthgen.records import field, record
from sfauthgen.spec.loader import HIDDEN, NOT_XML, JsonPath, SpecDocument
from sfauthgen.spec.secrets import WHERE_SECRETS_GO, Redactor, redact, secret_in_value
from sfauthgen.suggest import did_you_mean

REFERENCE = re.compile(r"\$\{var\.([^}]*)\}")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
_OWN_SECTIONS = ("variables", "environments")


@record(frozen=False)
class Declarations:
    variables: dict[str, tuple[Location, str | None]] = field(default_factory=dict)  # name -> (where, default)
    environments: dict[str, dict[str, tuple[Location, str | None]]] = field(default_factory=dict)


def collect(documents: list[SpecDocument]) -> tuple[Declarations, list[Diagnostic]]:
    """Variables and environments of all files (each declared once), and what is wrong with them."""
    found = Declarations()
    problems: list[Diagnostic] = []
    for doc in documents:
        data = doc.data if isinstance(doc.data, dict) else {}
        # Malformed sections are the schema's to report; here they only must not crash.
        declared = _mapping(data.get("variables"))
        environments = _mapping(data.get("environments"))
        for name, spec in declared.items():
            here = doc.locate(("variables", name), key=True)
            if name in found.variables:
                problems.append(error(here, codes.VARIABLE_TWICE, f"variable '{name}' is declared twice "
                                                 f"(also at {found.variables[name][0]})"))
                continue
            default = spec.get("default") if isinstance(spec, dict) else None
            found.variables[name] = (here, default if isinstance(default, str) else None)
        for env, values in environments.items():
            target = found.environments.setdefault(env, {})
            for name, value in (values or {}).items() if isinstance(values, dict) else ():
                here = doc.locate(("environments", env, name), key=True)
                if name in target:
                    problems.append(error(here, codes.VARIABLE_TWICE,
                                          f"variable '{name}' is set twice for environment '{env}' "
                                                     f"(also at {target[name][0]})"))
                    continue
                # A value that is not text (`no`, 5, a list) is reported by the schema, where it is;
                # substitution leaves the variable unset rather than guess its text.
                target[name] = (here, value if isinstance(value, str) else None)
    for env, values in found.environments.items():
        for name, (here, _) in values.items():
            if name not in found.variables:
                problems.append(error(
                    here, codes.UNDECLARED_IN_ENVIRONMENT,
                    f"environment '{env}' sets '{name}', which is not declared under variables",
                    _suggest(name, list(found.variables)),
                ))
    return found, problems


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _suggest(name: str, choices: list[str]) -> str:
    return did_you_mean(name, choices) or "declare it under variables (with a description, and a default where " \
        "one makes sense)"


def resolve(found: Declarations, overrides: dict[str, str], environment: str | None) -> dict[str, str | None]:
    """The value of every declared variable for this run (None when unset)."""
    for name, value in overrides.items():
        if name not in found.variables:
            raise UsageProblem(f"--var {name}: no variable '{name}' is declared in the spec")
        bad = NOT_XML.search(value) or HIDDEN.search(value)
        if bad is not None:
            raise UsageProblem(f"--var {name}: the value contains the character U+{ord(bad.group()):04X}, "
                               "which metadata files cannot hold or which hides text")
    if environment is not None and environment not in found.environments:
        declared = ", ".join(sorted(found.environments)) or "none"
        raise UsageProblem(f"--env {environment}: no such environment in the spec (declared: {declared})")
    chosen = found.environments.get(environment, {}) if environment else {}
    values: dict[str, str | None] = {}
    for name, (_, default) in found.variables.items():
        if name in overrides:
            values[name] = overrides[name]
        elif name in chosen:
            values[name] = chosen[name][1]
        else:
            values[name] = default
    return values


def _references(node: Any, path: JsonPath, found: list[tuple[JsonPath, str]]) -> None:
    """Append the strings below `node` that may refer to a variable (hold '${'), with their paths."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not path and key in _OWN_SECTIONS:
                continue
            if isinstance(value, str):
                if "${" in value:
                    found.append((path + (key,), value))
            else:
                _references(value, path + (key,), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                if "${" in value:
                    found.append((path + (index,), value))
            else:
                _references(value, path + (index,), found)
    elif isinstance(node, str) and "${" in node:
        found.append((path, node))


def has_references(doc: SpecDocument) -> bool:
    """Whether any value refers to a variable (holds '${'): substituting changes nothing in one without."""
    found: list[tuple[JsonPath, str]] = []
    _references(doc.data, (), found)
    return bool(found)


# What substitution may add to a run's spec files in all: far more than any real spec needs (a spec file is
# at most 2 MiB), far less than what exhausts memory.
MAX_SUBSTITUTED_CHARS = 8 * 1024 * 1024


def _assign(data: Any, path: JsonPath, value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


@record(frozen=False)
class Budget:
    """What substitution may still add in this run (all spec files together)."""

    left: int = field(default=MAX_SUBSTITUTED_CHARS)


def substitute(doc: SpecDocument, values: dict[str, str | None], redactor: Redactor | None = None,
               budget: Budget | None = None) -> list[Diagnostic]:
    """Replace every ${var.NAME} in doc (in place); report unknown and unset variables where used."""
    problems: list[Diagnostic] = []
    references: list[tuple[JsonPath, str]] = []
    _references(doc.data, (), references)
    budget = budget or Budget()
    for path, text in references:
        # Measured before anything is built: 20,000 references to a 200 KB value would be 4 GB of text.
        growth = sum(len(values.get(m.group(1)) or "") for m in REFERENCE.finditer(text))
        budget.left -= growth
        if budget.left < 0:
            problems.append(error(doc.locate(path), codes.BAD_SIZE,
                                  f"the variables used here would make the spec more than "
                                  f"{MAX_SUBSTITUTED_CHARS // (1024 * 1024)} million characters longer",
                                  "a variable holds a short value (a URL, a name, an address)"))
            break

        def replace(match: re.Match[str], path: JsonPath = path) -> str:
            name = match.group(1)
            here = doc.locate(path)
            if not _NAME.match(name) or name not in values:
                problems.append(error(here, codes.UNKNOWN_VARIABLE, f"unknown variable '{name}'",
                                      _suggest(name, list(values))))
                return match.group(0)
            value = values[name]
            reason = secret_in_value(value, name=name) if value is not None else None
            if reason and redactor is not None:
                redactor.add(value or "")
            if reason:
                problems.append(error(
                    here, codes.SECRET_VARIABLE,
                    f"variable '{name}' holds {reason} ({redact(value or '')}); secrets are never variables",
                    WHERE_SECRETS_GO,
                ))
                return match.group(0)
            if value is None:
                problems.append(error(
                    here, codes.UNSET_VARIABLE, f"variable '{name}' has no value",
                    f"pass --var {name}=VALUE, choose an environment that sets it with --env, or give it a default",
                ))
                return match.group(0)
            if "${" in value:
                problems.append(error(
                    here, codes.NESTED_VARIABLE, f"the value of variable '{name}' contains '${{'",
                    "variable values are used as written and cannot refer to other variables",
                ))
                return match.group(0)
            return value

        leftover = REFERENCE.sub("", text)
        if "${var." in leftover:
            fragment = leftover[leftover.index("${var."):][:40]
            problems.append(error(doc.locate(path), codes.UNKNOWN_VARIABLE, f"'{fragment}' is not closed",
                                  "write ${var.NAME}"))
            continue
        replaced = REFERENCE.sub(replace, text)
        if replaced != text:
            reason = secret_in_value(replaced, header="headers" in path)
            if reason and redactor is not None:
                redactor.add(replaced)
            if reason:
                problems.append(error(
                    doc.locate(path), codes.SECRET_VARIABLE,
                    f"a variable put {reason} here ({redact(replaced)}); secrets are never variables",
                    WHERE_SECRETS_GO,
                ))
            _assign(doc.data, path, replaced)
    return problems
