"""PermissionSet files -> `permission_sets` entries and principal access on external credentials.

Only what sfauthgen manages is imported (principal access, Apex class access, user
permissions). Everything else is reported: a deploy replaces the whole set, so deploying
the generated set would remove those permissions from the org.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sfauthgen.importer.elements import Loss, Reader, local
from sfauthgen.importer.read import MetadataFile


def permission_set(meta: MetadataFile) -> tuple[dict[str, Any], list[tuple[str, str]], Reader]:
    """The entry, and the (external credential, principal) pairs it grants."""
    reader = Reader(meta.shown, meta.root)
    entry: dict[str, Any] = {"name": meta.member, "label": reader.take("label") or meta.member}
    description = reader.take("description")
    if description is not None:
        entry["description"] = description
    classes, permissions, grants = [], [], []
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
            grants.append((credential, principal))
            reader.mark(element)
    flag = reader.find("hasActivationRequired")
    if flag is not None and flag.text == "false":
        reader.mark(flag)
    if classes:
        entry["apex_classes"] = sorted(set(classes))
    if permissions:
        entry["user_permissions"] = sorted(set(permissions))
    _summarize_others(reader, meta)
    return entry, grants, reader


def _summarize_others(reader: Reader, meta: MetadataFile) -> None:
    """One loss line per kind of permission the spec does not carry, not one per element."""
    grants = ("classAccesses", "userPermissions", "externalCredentialPrincipalAccesses")
    others = []
    for element in reader.children():
        if element in reader.taken or (len(element) == 0 and (element.text or "") == "false"):
            continue
        if local(element) in grants and reader.peek("enabled", element) == "false":
            reader.mark(element)  # a disabled grant is the same as none
            continue
        others.append(element)
    counts = Counter(local(e) for e in others)
    for name, count in sorted(counts.items()):
        first = next(e for e in others if local(e) == name)
        reader.losses.append(Loss(
            meta.shown, first.sourceline or 1, name,
            f"{count} {name} entr{'y' if count == 1 else 'ies'} not imported; a deploy replaces the whole permission "
            "set, so keep integration grants in a dedicated set or leave this set out of the spec",
        ))
    for element in others:
        reader.mark(element)
