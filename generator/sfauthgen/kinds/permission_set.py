"""Permission sets: `permission_sets` entries -> PermissionSet metadata, with the principal and
Apex class access other kinds grant them; and back by import.

A deploy replaces a whole permission set, so sfauthgen owns every set declared here; import
reports whatever a set holds that the spec cannot carry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.kinds.base import APEX_CLASS, PRINCIPAL, BuildContext, Check, CheckContext, Grant, Kind
from sfauthgen.model import Component
from sfauthgen.records import record
from sfauthgen.spec.source import Source

if TYPE_CHECKING:
    from sfauthgen.importer.context import ImportContext
    from sfauthgen.importer.elements import Reader
    from sfauthgen.importer.read import MetadataFile

SECTION = "permission_sets"


@record
class PermissionSetEntry:
    source: Source
    written: frozenset[str]
    existing: bool  # a set sfauthgen does not own: declared, never generated
    name: str
    label: str
    description: str | None
    user_permissions: tuple[str, ...]
    apex_classes: tuple[str, ...]


def parse(source: Source, data: dict[str, Any]) -> PermissionSetEntry:
    return PermissionSetEntry(
        source=source,
        written=frozenset(data),
        existing=bool(data.get("existing")),
        name=data["name"],
        label=data.get("label", data["name"]),
        description=data.get("description"),
        user_permissions=tuple(data.get("user_permissions") or ()),
        apex_classes=tuple(data.get("apex_classes") or ()),
    )


@record
class PermissionSet(Component):
    metadata_type: ClassVar[str] = "PermissionSet"
    template: ClassVar[str] = "permissionset.xml.j2"

    label: str
    description: str | None
    class_accesses: tuple[str, ...]  # Apex class names, sorted
    principal_accesses: tuple[str, ...]  # "<ExternalCredential>-<Principal>", sorted
    object_permissions: tuple[ObjectPermission, ...]
    user_permissions: tuple[str, ...]


@record
class ObjectPermission:
    """One objectPermissions element; fields in WSDL order."""

    object: str
    allow_create: bool = False
    allow_delete: bool = False
    allow_edit: bool = False
    allow_read: bool = False
    modify_all_records: bool = False
    view_all_fields: bool = False
    view_all_records: bool = False


USER_EXTERNAL_CREDENTIAL = "UserExternalCredential"


def user_external_credential_access(grants: tuple[Grant, ...]) -> ObjectPermission | None:
    """The access to stored credentials that principal access needs (README reference: User External
    Credentials): per-user principals read, create, edit and delete their own; a named principal of an
    OAuth protocol needs Modify All so Salesforce can store refreshed tokens during a user's callout;
    other named principals are read."""
    principals = [g for g in grants if g.access == PRINCIPAL]
    if not principals:
        return None
    per_user = any(g.principal_type == "per_user" for g in principals)
    refreshing = any(g.principal_type != "per_user" and g.refreshes_tokens for g in principals)
    return ObjectPermission(
        USER_EXTERNAL_CREDENTIAL,
        allow_create=per_user,
        allow_delete=per_user or refreshing,
        allow_edit=per_user or refreshing,
        allow_read=True,
        modify_all_records=refreshing,
        view_all_records=refreshing,
    )


def build(entry: PermissionSetEntry, ctx: BuildContext) -> Iterator[Component]:
    if entry.existing:
        return
    mine = ctx.grants.to(entry.name)
    stored = user_external_credential_access(mine)
    yield PermissionSet(
        name=entry.name,
        label=entry.label,
        description=entry.description,
        class_accesses=tuple(sorted({g.value for g in mine if g.access == APEX_CLASS} | set(entry.apex_classes))),
        principal_accesses=tuple(sorted({g.value for g in mine if g.access == PRINCIPAL})),
        object_permissions=(stored,) if stored is not None else (),
        user_permissions=tuple(sorted(set(entry.user_permissions))),
    )


def _existing_only_declares(entry: PermissionSetEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    if not entry.existing:
        return
    for key in sorted(entry.written - {"name", "existing", "label"}):
        yield error(entry.source.locate(key, key=True), "", f"'{key}' cannot be set on an existing permission set",
                    "existing: true declares a set sfauthgen does not write; give only its name")
    for grant in ctx.grants.to(entry.name):
        yield error(grant.location, "", f"permission set '{entry.name}' is existing: sfauthgen does not write it, "
                                        "so it cannot grant it access",
                    "grant the access through a permission set the spec owns (declared without existing)")


CHECKS = (
    Check("SFC402", "ExistingPermissionSet", "An existing permission set with settings, or granted access by the "
          "spec.", _existing_only_declares),
)


# Import: only what sfauthgen manages (principal access, Apex class access, user permissions).

GRANT_ELEMENTS = ("classAccesses", "userPermissions", "externalCredentialPrincipalAccesses")


def import_files(files: list[MetadataFile], ctx: ImportContext) -> None:
    for meta in files:
        _import_one(meta, ctx)


def _import_one(meta: MetadataFile, ctx: ImportContext) -> None:
    reader = ctx.reader(meta)
    others = _unmodeled(reader)
    if others:
        _import_existing(meta, reader, others, ctx)
        return
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
    for element in reader.children(name="objectPermissions"):
        if reader.peek("object", element) == USER_EXTERNAL_CREDENTIAL:
            reader.mark(element)  # derived from the principal access; the comparison shows any difference
    if classes:
        entry["apex_classes"] = sorted(set(classes))
    if permissions:
        entry["user_permissions"] = sorted(set(permissions))
    ctx.add(SECTION, entry, [reader])


def _unmodeled(reader: Reader) -> list[Any]:
    """Elements of a set that the spec language does not model (object, field, tab access...)."""
    local = reader.name_of
    modeled = ("label", "description", "hasActivationRequired", *GRANT_ELEMENTS)
    others = []
    grants_principals = any(reader.peek("enabled", e) == "true"
                            for e in reader.children(name="externalCredentialPrincipalAccesses"))
    for element in reader.children():
        name = local(element)
        if name == "hasActivationRequired" and (element.text or "") == "true":
            others.append(element)  # generating the set would drop the activation requirement
            continue
        if name in modeled or (len(element) == 0 and (element.text or "") == "false"):
            continue
        if name == "objectPermissions" and reader.peek("object", element) == USER_EXTERNAL_CREDENTIAL \
                and grants_principals and _derivable(reader, element):
            continue
        others.append(element)
    return others


def _derivable(reader: Reader, element: Any) -> bool:
    """Object access on UserExternalCredential that principal access can give
    (`user_external_credential_access`); view all fields is more than any principal gets, and generation
    would drop it. (Flags that only another principal type gets are left to the import's comparison,
    which reports them.)"""
    granted = {reader.name_of(flag) for flag in reader.children(element) if (flag.text or "") == "true"}
    return granted <= {"allowRead", "allowCreate", "allowEdit", "allowDelete", "modifyAllRecords", "viewAllRecords"}


def _import_existing(meta: MetadataFile, reader: Reader, others: list[Any], ctx: ImportContext) -> None:
    """A set holding what the spec cannot carry is declared `existing` (never generated, so a deploy
    never strips it); the integration grants it holds are reported, to move to a dedicated set."""
    local = reader.name_of
    counts = Counter(local(e) for e in others)
    for name, count in sorted(counts.items()):
        first = next(e for e in others if local(e) == name)
        reader.note(name, f"{count} {name} entr{'y' if count == 1 else 'ies'}: the spec does not carry them, so "
                          "the set is imported as existing (declared, never generated)", first.sourceline or 1)
    for element in reader.children():
        name = local(element)
        if name in GRANT_ELEMENTS and reader.peek("enabled", element) == "true":
            granted = reader.peek("externalCredentialPrincipal", element) or reader.peek("apexClass", element) \
                or reader.peek("name", element)
            if name != "userPermissions":
                reader.note(name, f"{granted}: granted by a set sfauthgen does not own; move it to a dedicated set "
                                  "in the spec", element.sourceline or 1)
        reader.mark(element)
    ctx.add(SECTION, {"name": meta.member, "existing": True}, [reader])
    ctx.skip_comparison([meta.shown])


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
