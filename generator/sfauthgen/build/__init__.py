"""Turn a checked spec into the model: spec values become Salesforce values here, once."""

from __future__ import annotations

from sfauthgen.build.apex import callout_classes, class_accesses
from sfauthgen.build.apps import connected_app
from sfauthgen.build.credentials import external_credential, named_credential, principal_accesses
from sfauthgen.build.eca import external_client_app
from sfauthgen.checks import CheckResult
from sfauthgen.merge import Entry, MergedSpec
from sfauthgen.model import Component, PermissionSet, Spec

DEFAULT_API_VERSION = "66.0"


def _permission_set(entry: Entry, accesses: dict[str, set[str]], classes: dict[str, set[str]]) -> PermissionSet:
    return PermissionSet(
        name=entry.name,
        label=entry.data["label"],
        description=entry.get("description"),
        class_accesses=tuple(sorted(classes.get(entry.name, set()) | set(entry.get("apex_classes") or []))),
        principal_accesses=tuple(sorted(accesses.get(entry.name, ()))),
        user_permissions=tuple(sorted(set(entry.get("user_permissions") or []))),
    )


def build(
    spec: MergedSpec, checked: CheckResult, project_api_version: str | None = None, *, eca_global_oauth: bool = True
) -> Spec:
    """The model for a checked spec; `project_api_version` is sfdx-project.json's sourceApiVersion.

    `eca_global_oauth=False` leaves out the ExtlClntAppGlobalOauthSettings files, for teams
    that manage them in the org (Salesforce advises keeping them out of packages).
    """
    api_version = spec.api_version or project_api_version or DEFAULT_API_VERSION
    labels = {e.name: e.data["label"] for e in spec.entries("permission_sets")}
    accesses = principal_accesses(spec.entries("external_credentials"))
    classes = class_accesses(spec.entries("named_credentials"))
    components: list[Component] = []
    components += [connected_app(e, checked, labels) for e in spec.entries("connected_apps")]
    for entry in spec.entries("external_client_apps"):
        components += external_client_app(entry, checked, global_oauth=eca_global_oauth)
    components += [external_credential(e) for e in spec.entries("external_credentials") if not e.get("existing")]
    for entry in spec.entries("named_credentials"):
        components.append(named_credential(entry))
        if entry.get("apex") is not None:
            components.extend(callout_classes(entry, api_version))
    components += [_permission_set(e, accesses, classes) for e in spec.entries("permission_sets")]
    components.sort(key=lambda c: (c.metadata_type, c.name))
    return Spec(api_version=api_version, components=tuple(components))


__all__ = ["DEFAULT_API_VERSION", "build"]
