"""The output model templates render: every value already resolved to what Salesforce stores.

Each kind module defines its component classes (frozen records naming their metadata
type and template); this module holds what they share. Lists are ordered here or in the
kind modules, never in templates.
"""

from __future__ import annotations

from typing import ClassVar

from sfauthgen.records import record


@record
class Component:
    """A metadata component: one file (or a content file and its -meta.xml) in the output."""

    metadata_type: ClassVar[str]
    template: ClassVar[str]
    # Types whose content is a separate file (Apex) render their -meta.xml from this.
    meta_template: ClassVar[str | None] = None
    name: str


@record
class Spec:
    """What one run generates."""

    api_version: str
    components: tuple[Component, ...]
    left_to_org: tuple[tuple[str, str], ...] = ()  # see Kind.left_to_org
