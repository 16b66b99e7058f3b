"""Permission sets: `permission_sets` entries -> PermissionSet metadata, with the principal and
Apex class access other kinds grant them; and back by import.

A deploy replaces a whole permission set, so sfauthgen owns every set declared here; import
reports whatever a set holds that the spec cannot carry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from sfauthgen.diagnostics import Diagnostic, warning
from sfauthgen.kinds.base import APEX_CLASS, PRINCIPAL, BuildContext, Check, CheckContext, Kind
from sfauthgen.model import Component
from sfauthgen.spec.source import Source

if TYPE_CHECKING:
    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.elements import Reader
    from sfauthgen.importer.read import MetadataFile

SECTION = "permission_sets"


@dataclass(frozen=True)
class PermissionSetEntry:
    source: Source
    name: str
    label: str
    description: str | None
    user_permissions: tuple[str, ...]
    apex_classes: tuple[str, ...]


def parse(source: Source, data: dict[str, Any]) -> PermissionSetEntry:
    return PermissionSetEntry(
        source=source,
        name=data["name"],
        label=data["label"],
        description=data.get("description"),
        user_permissions=tuple(data.get("user_permissions") or ()),
        apex_classes=tuple(data.get("apex_classes") or ()),
    )


@dataclass(frozen=True)
class PermissionSet(Component):
    metadata_type: ClassVar[str] = "PermissionSet"
    template: ClassVar[str] = "permissionset.xml.j2"

    label: str
    description: str | None
    class_accesses: tuple[str, ...]  # Apex class names, sorted
    principal_accesses: tuple[str, ...]  # "<ExternalCredential>-<Principal>", sorted
    user_permissions: tuple[str, ...]


def build(entry: PermissionSetEntry, ctx: BuildContext) -> Iterator[Component]:
    mine = ctx.grants.to(entry.name)
    yield PermissionSet(
        name=entry.name,
        label=entry.label,
        description=entry.description,
        class_accesses=tuple(sorted({g.value for g in mine if g.access == APEX_CLASS} | set(entry.apex_classes))),
        principal_accesses=tuple(sorted({g.value for g in mine if g.access == PRINCIPAL})),
        user_permissions=tuple(sorted(set(entry.user_permissions))),
    )


_BOTH_HINT = ("a set carrying both has failed to deploy (sf CLI issue 1781); "
              "grant the class through a separate permission set")


def _access_kinds_separate(entry: PermissionSetEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """A set with both principal access and Apex class access has failed to deploy (sf CLI issue 1781)."""
    mine = ctx.grants.to(entry.name)
    if not any(g.access == PRINCIPAL for g in mine):
        return
    message = f"permission set '{entry.name}' gets both principal access and Apex class access"
    for grant in mine:
        if grant.access == APEX_CLASS:
            yield warning(grant.location, "", message, _BOTH_HINT)
    if entry.apex_classes:
        yield warning(entry.source.locate("apex_classes", key=True), "", message, _BOTH_HINT)


CHECKS = (
    Check("SFC401", "PrincipalAndClassAccess", "One permission set gets both principal access and Apex class "
          "access.", _access_kinds_separate),
)


# Import: only what sfauthgen manages (principal access, Apex class access, user permissions).

GRANT_ELEMENTS = ("classAccesses", "userPermissions", "externalCredentialPrincipalAccesses")


def import_files(files: list[MetadataFile], ctx: ImportContext) -> None:
    for meta in files:
        reader = ctx.reader(meta)
        entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member}
        description = reader.take("description")
        if description is not None:
            entry["description"] = description
        classes, permissions = [], []
        for element in reader.children(name="classAccesses"):
            if reader.peek("enabled", element) == "true":
                classes.append(reader.peek("apexClass", element) or "")
                reader.mark(element)
        for element in reader.children(name="userPermissions"):
            if reader.peek("enabled", element) == "true":
                permissions.append(reader.peek("name", element) or "")
                reader.mark(element)
        for element in reader.children(name="externalCredentialPrincipalAccesses"):
            if reader.peek("enabled", element) != "true":
                continue
            value = reader.peek("externalCredentialPrincipal", element) or ""
            credential, dash, principal = value.partition("-")
            if dash and credential and principal:
                ctx.grant_principal(credential, principal, meta.member, meta.shown)
                reader.mark(element)
        flag = reader.find("hasActivationRequired")
        if flag is not None and flag.text == "false":
            reader.mark(flag)
        if classes:
            entry["apex_classes"] = sorted(set(classes))
        if permissions:
            entry["user_permissions"] = sorted(set(permissions))
        _summarize_others(reader)
        ctx.add(SECTION, entry, [reader])


def _summarize_others(reader: Reader) -> None:
    """One loss line per kind of permission the spec does not carry, not one per element."""
    local = reader.name_of
    others = []
    for element in reader.children():
        if element in reader.taken or (len(element) == 0 and (element.text or "") == "false"):
            continue
        if local(element) in GRANT_ELEMENTS and reader.peek("enabled", element) == "false":
            reader.mark(element)  # a disabled grant is the same as none
            continue
        others.append(element)
    counts = Counter(local(e) for e in others)
    for name, count in sorted(counts.items()):
        first = next(e for e in others if local(e) == name)
        reader.note(name, f"{count} {name} entr{'y' if count == 1 else 'ies'} not imported; a deploy replaces the "
                          "whole permission set, so keep integration grants in a dedicated set or leave this set out "
                          "of the spec", first.sourceline or 1)
    for element in others:
        reader.mark(element)


KIND = Kind(
    name="permission_set",
    noun="permission set",
    section=SECTION,
    schema=("permission_set.json",),
    metadata_types=("PermissionSet",),
    parse=parse,
    checks=CHECKS,
    build=build,
    import_files=import_files,
)
