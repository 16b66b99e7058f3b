"""The metadata kinds, in the order the spec language lists them. Every stage loops over this.

Adding a kind: its module under kinds/, its template(s), its schema fragment under
data/schema/, and one line here (see ARCHITECTURE.md).
"""

from __future__ import annotations

from functools import cache

from sfauthgen.kinds import (
    apex_callout,
    auth_provider,
    connected_app,
    external_client_app,
    external_credential,
    named_credential,
    permission_set,
)
from sfauthgen.kinds.base import Kind

KINDS: tuple[Kind, ...] = (
    connected_app.KIND,
    external_client_app.KIND,
    external_credential.KIND,
    named_credential.KIND,
    apex_callout.KIND,
    auth_provider.KIND,
    permission_set.KIND,
)


def sectioned() -> tuple[Kind, ...]:
    """Kinds with a top-level list of their own."""
    return tuple(kind for kind in KINDS if kind.section is not None)


@cache
def section_nouns() -> dict[str, str]:
    return {kind.section: kind.noun for kind in KINDS if kind.section is not None}


@cache
def kind_of_type(metadata_type: str) -> Kind | None:
    return next((kind for kind in KINDS if metadata_type in kind.metadata_types), None)


def metadata_types() -> tuple[str, ...]:
    return tuple(t for kind in KINDS for t in kind.metadata_types)
