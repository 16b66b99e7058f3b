"""The model stage: checked typed entries -> the output model, each kind building its own components."""

from __future__ import annotations

from sfauthgen.check import CheckResult
from sfauthgen.kinds.base import BuildContext, SpecEntries
from sfauthgen.kinds.registry import KINDS
from sfauthgen.model import Component, Spec

DEFAULT_API_VERSION = "66.0"


def build_model(
    spec: SpecEntries, checked: CheckResult, project_api_version: str | None = None, *, eca_global_oauth: bool = True
) -> Spec:
    """The model for a checked spec; `project_api_version` is sfdx-project.json's sourceApiVersion.

    `eca_global_oauth=False` leaves out the ExtlClntAppGlobalOauthSettings files, for teams
    that manage them in the org (Salesforce advises keeping them out of packages).
    """
    api_version = spec.api_version or project_api_version or DEFAULT_API_VERSION
    ctx = BuildContext(spec=spec, api_version=api_version, grants=checked.grants, eca_global_oauth=eca_global_oauth)
    components: list[Component] = [
        component for kind in KINDS for entry in spec.of(kind.name) for component in kind.build(entry, ctx)
    ]
    components.sort(key=lambda c: (c.metadata_type, c.name))
    return Spec(api_version=api_version, components=tuple(components))
