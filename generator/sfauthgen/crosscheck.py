"""Checks across kinds: names unique per metadata type, and references to declared entries.

Each kind's own checks live in its module; these two need every kind at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from sfauthgen.codes import Code
from sfauthgen.diagnostics import Diagnostic, error, warning
from sfauthgen.kinds.base import CheckContext, Entry
from sfauthgen.kinds.registry import KINDS, section_nouns
from sfauthgen.suggest import did_you_mean, did_you_mean_or_list

DUPLICATE_NAME = "SFC001"
UNDECLARED = "SFC002"
ORG_PROVIDER = "SFC004"
CODES = {
    DUPLICATE_NAME: Code(DUPLICATE_NAME, "DuplicateName", "Two entries of one metadata type share a name."),
    UNDECLARED: Code(UNDECLARED, "UndeclaredReference", "A reference to an entry the spec does not declare."),
    ORG_PROVIDER: Code(ORG_PROVIDER, "UndeclaredAuthProvider", "An auth provider the spec does not declare, named "
                                                               "like one it does (a typo?)."),
}
# References that may also name a component that exists only in the org, undeclared (SPEC_LANGUAGE: an
# `auth_provider:` "may name a provider declared here or one that exists in the org").
ORG_SECTIONS = ("auth_providers",)


def unique_names(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Names are unique per metadata type; an external and a named credential may share one."""
    for kind in KINDS:
        if kind.section is None:
            continue
        seen: dict[str, Entry] = {}
        for entry in ctx.spec.of(kind.name):
            # Salesforce API names are case-insensitive (and so are some file systems): Orders = ORDERS.
            first = seen.get(entry.name.lower())
            seen.setdefault(entry.name.lower(), entry)
            if first is not None:
                also = first.name if first.name != entry.name else None
                yield error(
                    entry.source.locate("name"), DUPLICATE_NAME,
                    f"duplicate {kind.noun} name '{entry.name}' (also defined at {first.source.locate('name')}"
                    + (f" as '{also}')" if also else ")"),
                    "names are unique per metadata type, ignoring case: each becomes one file"
                    if also else "names are unique per metadata type: each becomes one file",
                )


# Sections whose entries can stand for a component that already exists in the org (`existing: true`).
SECTIONS_WITH_EXISTING = ("external_credentials", "permission_sets")


def references_declared(ctx: CheckContext) -> Iterator[Diagnostic]:
    nouns = section_nouns()
    for kind in KINDS:
        for entry in ctx.spec.of(kind.name):
            for reference in kind.references(entry):
                declared = ctx.declared.get(reference.section, ())
                if reference.name in declared:
                    continue
                noun = nouns[reference.section]
                if reference.section in ORG_SECTIONS:
                    near = did_you_mean(reference.name, declared)
                    if near:  # one declared here under a close name: most likely a typo, deployed as is otherwise
                        yield warning(reference.location, ORG_PROVIDER,
                                      f"{noun} '{reference.name}' is not declared under {reference.section}, which "
                                      "declares a close name; it must exist in the org", near)
                    continue
                hint = did_you_mean_or_list(reference.name, declared, noun + "s")
                if reference.section in SECTIONS_WITH_EXISTING and not did_you_mean(reference.name, declared):
                    hint += (f"; if it already exists in the org, declare it as {{name: {reference.name}, "
                             "existing: true}")
                yield error(
                    reference.location, UNDECLARED,
                    f"{noun} '{reference.name}' is not declared under {reference.section}", hint,
                )
