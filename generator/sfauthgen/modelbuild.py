"""The model stage: checked typed entries -> the output model, each kind building its own components."""

from __future__ import annotations

from sfauthgen import codes
from sfauthgen.check import CheckResult
from sfauthgen.diagnostics import SpecError, error
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
    source = ("api_version in the spec" if spec.api_version else
              "sourceApiVersion of the output's sfdx-project.json" if project_api_version else "the default")
    too_old = [
        error(where, codes.API_TOO_LOW, f"{what} needs API version {minimum} or later; this run uses {api_version} "
                                  f"({source})", f'set api_version: "{minimum}" (or later) in the spec')
        for kind in KINDS for entry in spec.of(kind.name)
        for minimum, where, what in kind.minimum_api(entry)
        if float(minimum) > float(api_version)
    ]
    if too_old:
        raise SpecError(too_old)
    ctx = BuildContext(spec=spec, api_version=api_version, grants=checked.grants, eca_global_oauth=eca_global_oauth)
    components: list[Component] = [
        component for kind in KINDS for entry in spec.of(kind.name) for component in kind.build(entry, ctx)
    ]
    components.sort(key=lambda c: (c.metadata_type, c.name))
    left = sorted(pair for kind in KINDS for entry in spec.of(kind.name) for pair in kind.left_to_org(entry, ctx))
    return Spec(api_version=api_version, components=tuple(components), left_to_org=tuple(left))
