"""Compare rendered files with the output folder: what generate would create, update or delete.

`generate` is this plan applied; `--check` and `plan` print it. Files sfauthgen did
not write are never planned for deletion, and overwriting one, or a file edited by
hand since sfauthgen wrote it, is a conflict that needs --force.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from sfauthgen import codes
from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import Folder
from sfauthgen.files.layout import MDAPI, SOURCE, Layout, component_of
from sfauthgen.files.manifest import JOURNAL_FILE, MANIFEST_FILE, content_hash, manifest_text, read_manifest
from sfauthgen.files.project import PROJECT_FILE, Project, new_project_file
from sfauthgen.files.xmlcheck import check_files
from sfauthgen.inputs import shown
from sfauthgen.metadata import METADATA_NS, registry
from sfauthgen.records import record
from sfauthgen.templating import DESTRUCTIVE_CHANGES_XML, GeneratedFile, package_xml
from sfauthgen.words import noun


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    UNCHANGED = "unchanged"


class Conflict(str, Enum):
    HAND_EDITED = "edited by hand since sfauthgen wrote it"
    NOT_OWNED = "exists but was not written by sfauthgen"


@record
class PlannedFile:
    path: str
    action: Action
    new: str | None  # None for deletes
    old: str | None  # None for creates
    metadata_type: str | None = None
    member: str | None = None
    conflict: Conflict | None = None


@record
class Plan:
    folder: Folder
    files: tuple[PlannedFile, ...]
    manifest: PlannedFile | None  # None when the manifest is already current
    # Components whose files this plan deletes: gone from the spec, still in the org.
    removed_components: tuple[tuple[str, str], ...] = ()

    @property
    def out_dir(self) -> Path:
        return self.folder.root

    @property
    def changes(self) -> tuple[PlannedFile, ...]:
        return tuple(f for f in self.files if f.action is not Action.UNCHANGED)

    @property
    def conflicts(self) -> tuple[PlannedFile, ...]:
        return tuple(f for f in self.files if f.conflict is not None)


def unfinished(folder: Folder) -> bool:
    """A killed generate left its journal: the folder is between the old and the new output."""
    return folder.exists() and folder.kind(JOURNAL_FILE) != "missing"


# What the folder may hold at a generated path (at least; four times what would be written there), and what
# the files a plan deletes may add up to: sfauthgen's own output is far smaller.
COMPARE_FLOOR_BYTES = 256 * 1024
DELETED_BUDGET_BYTES = 64 * 1024 * 1024
# What the files compared in one call may add up to, at least (else four times what would be written).
COMPARE_BUDGET_FLOOR_BYTES = 4 * 1024 * 1024
# The deletion queue: ten thousand removals take about 600 KiB.
MAX_QUEUE_BYTES = 4 * 1024 * 1024

# Removing these deletes the app and its audit history: refused unless asked for ("deactivate, don't delete").
APP_TYPES = ("ConnectedApp", "ExternalClientApplication")
# Removing these takes an External Client App's OAuth settings (its consumer key and secret) or policies
# out of the org: guarded like the apps.
GUARDED_TYPES = (*APP_TYPES, "ExtlClntAppGlobalOauthSettings", "ExtlClntAppOauthSettings",
                 "ExtlClntAppOauthConfigurablePolicies", "ExtlClntAppConfigurablePolicies")
OTHER_DESTRUCTIVE_FILES = ("destructiveChanges.xml", "destructiveChangesPre.xml")


@record
class Compared:
    """A rendered file beside what the output folder holds at its path."""

    file: GeneratedFile
    digest: str  # content_hash of the file as generate would write it
    same: bool  # the folder holds exactly these bytes
    old: bytes | None  # what the folder holds when it differs; None when nothing is there (or `same`)


def compare(folder: Folder, files: list[GeneratedFile]) -> list[Compared]:
    """Each file beside what the folder holds at its path, in the order given. Every file that is not there
    byte for byte passes the schema first (an error, a bug, otherwise); one already there is not written,
    so rendering it again the same proves nothing new. Runs in worker processes for large specs: what it
    returns carries no bytes the parent already has."""
    # A file at a generated path far larger than what would be written there is not read whole (a pull request
    # can commit thousands of them): it is an error, as the folder cannot be sfauthgen's output.
    existing = folder.read_many((g.path for g in files), limits={
        g.path: max(COMPARE_FLOOR_BYTES, 4 * len(g.content)) for g in files},
        budget=max(COMPARE_BUDGET_FLOOR_BYTES, 4 * sum(len(g.content) for g in files)))
    compared = []
    for generated in files:
        new, old = generated.content.encode("utf-8"), existing[generated.path]
        same = old == new
        compared.append(Compared(generated, content_hash(new), same, None if same else old))
    check_files(c.file for c in compared if not c.same)
    return compared


def refuse_unfinished(folder: Folder) -> None:
    if unfinished(folder):
        raise OutputError(f"{shown(str(folder.root / JOURNAL_FILE))}: an interrupted generate has not finished; "
                          "run 'sfauthgen generate' to complete it (a journal never belongs in version control: "
                          "if this one came with a commit, delete it and restore the folder instead)")


def make_plan(
    folder: Folder, compared: list[Compared], layout: Layout, project: Project, api_version: str,
    *, allow_delete: bool = False, left_to_org: frozenset[tuple[str, str]] = frozenset(),
) -> Plan:
    """What generate would do: the rendered files as `compare` found them, the files the manifest lists that
    the spec no longer has, the deletions queued for the org, the project file and the manifest.
    `left_to_org`: components the spec keeps but does not write this run; they are never queued. The caller
    has refused an unfinished folder (`refuse_unfinished`) before comparing anything with it."""
    owned = read_manifest(folder)
    rendered = [c.file for c in compared]
    planned = [_plan_one(c, owned) for c in compared]
    wanted = {g.path for g in rendered}
    # The deletion queue the manifest lists is planned on its own (below), not as a file the spec dropped.
    gone = sorted(set(owned) - wanted - {DESTRUCTIVE_CHANGES_XML})
    for path, old_bytes in folder.read_many(gone, budget=DELETED_BUDGET_BYTES).items():
        if old_bytes is None:
            continue
        edited = content_hash(old_bytes) != owned[path]
        kind, member = component_of(path) or (None, None)
        planned.append(PlannedFile(path, Action.DELETE, None, old_bytes.decode("utf-8", "replace"), kind, member,
                                   conflict=Conflict.HAND_EDITED if edited else None))
    # Salesforce API names are case-insensitive: Orders and ORDERS are one component.
    kept = {_folded((g.metadata_type, g.member)) for g in rendered if g.metadata_type and g.member}
    kept |= {_folded(c) for c in left_to_org}
    deleted = {(f.metadata_type, f.member) for f in planned
               if f.action is Action.DELETE and f.metadata_type and f.member}
    removed = {c for c in deleted if _folded(c) not in kept}
    # The deletions an earlier generate queued in destructiveChangesPost.xml are carried on. The file is in
    # the (untrusted) folder: only the types sfauthgen writes may be queued, and a queued app (or an app's
    # settings) needs --allow-delete as one removed now does, so a pull request cannot slip a deletion past
    # the guard; a component the spec still has leaves the queue, whatever its case.
    existing_destructive, pending, standing = _pending_deletions(folder, owned, metadata_format=layout.format == MDAPI)
    pending = {c for c in pending if _folded(c) not in kept}
    removed_now = {_folded(c) for c in removed}
    queued = sorted(c for c in pending if c[0] in GUARDED_TYPES and _folded(c) not in removed_now)
    if queued and not allow_delete:
        raise OutputError(
            f"{DESTRUCTIVE_CHANGES_XML} in the folder queues the deletion of {_guarded_names(queued)}, which "
            f"{_what_deleting_does(queued)} when this folder is deployed\n    hint: pass --allow-delete to "
            "confirm it, or delete the file once the deploy that applied it is done", code=codes.APP_DELETION)
    guarded = sorted(c for c in removed if c[0] in GUARDED_TYPES)
    if guarded and not allow_delete:
        apps = any(c[0] in APP_TYPES for c in guarded)
        hint = ("set status: retired on the entry instead (the app stays, issuing no tokens), or pass --allow-delete "
                "to remove it") if apps else "pass --allow-delete to remove them"
        raise OutputError(f"the spec no longer has {_guarded_names(guarded)}, and "
                          f"{'removing an app' if apps else 'removing them'} {_what_deleting_does(guarded)}\n"
                          f"    hint: {hint}", code=codes.APP_DELETION)
    if layout.format == SOURCE and not project.exists:
        planned.append(PlannedFile(PROJECT_FILE, Action.CREATE, new_project_file(api_version), None))
    destructive = _plan_destructive_changes(existing_destructive, pending | removed, api_version, standing)
    new_owned = {c.file.path: c.digest for c in compared}
    if destructive is not None:
        planned.append(destructive)
        if destructive.new is not None:
            new_owned[destructive.path] = content_hash(destructive.new.encode("utf-8"))
    manifest = _plan_manifest(folder, new_owned)
    return Plan(folder, tuple(sorted(planned, key=lambda p: p.path)), manifest,
                removed_components=tuple(sorted(removed)))


def _pending_deletions(
    folder: Folder, owned: dict[str, str], *, metadata_format: bool,
) -> tuple[bytes | None, set[tuple[str, str]], Conflict | None]:
    """destructiveChangesPost.xml as it is, the (type, member) pairs it queues that are carried on, and the
    conflict of changing it (None: it is sfauthgen's, as the manifest records it).

    The queue is read and checked whoever wrote it: a deploy applies it (Metadata API format: every deletion
    file beside package.xml; source format: the file the deploy command names, as generate's message says),
    so a type sfauthgen never writes is an error and a queued app needs --allow-delete either way. Changing a
    file the manifest does not record, or one that differs from its recorded hash, is a conflict (--force),
    and so is leaving it as it is: `--check` fails on it. The other deletion files are refused in Metadata
    API format only: a source deploy never applies them unasked."""
    for other in OTHER_DESTRUCTIVE_FILES if metadata_format else ():
        if folder.kind(other) != "missing":
            raise OutputError(f"{shown(str(folder.root / other))}: sfauthgen never writes {other}, and a deploy of "
                              f"this folder would apply it; remove it (sfauthgen queues deletions in "
                              f"{DESTRUCTIVE_CHANGES_XML})")
    existing = folder.read(DESTRUCTIVE_CHANGES_XML, limit=MAX_QUEUE_BYTES)
    if existing is None:
        return None, set(), None
    recorded = owned.get(DESTRUCTIVE_CHANGES_XML)
    standing = None if recorded == content_hash(existing) else (
        Conflict.HAND_EDITED if recorded is not None else Conflict.NOT_OWNED)
    pending = _members(existing, folder)
    types = registry()
    foreign = sorted(f"{kind} {member}" for kind, member in pending if kind not in types)
    if foreign:
        raise OutputError(f"{shown(str(folder.root / DESTRUCTIVE_CHANGES_XML))} queues the deletion of "
                          f"{shown(', '.join(foreign))[:300]}, which sfauthgen never writes: sfauthgen did not write "
                          "this file; restore it from version control")
    return existing, pending, standing


def _folded(component: tuple[str, str]) -> tuple[str, str]:
    return component[0], component[1].lower()


def _guarded_names(components: list[tuple[str, str]]) -> str:
    apps = [member for kind, member in components if kind in APP_TYPES]
    others = [f"{kind} {member}" for kind, member in components if kind not in APP_TYPES]
    named = ([f"the {noun(len(apps), 'app')} {', '.join(apps)}"] if apps else []) + others
    return shown(", ".join(named))[:300]


def _what_deleting_does(components: list[tuple[str, str]]) -> str:
    if any(kind in APP_TYPES for kind, _ in components):
        return "deletes it with its audit history"
    return "takes an External Client App's OAuth settings (its consumer key and secret) or policies out of the org"


def _plan_destructive_changes(existing: bytes | None, wanted: set[tuple[str, str]], api_version: str,
                              standing: Conflict | None) -> PlannedFile | None:
    """destructiveChangesPost.xml collects removed components until someone deletes the file after the
    deploy that applied it; a component generated again has already left `wanted`. A file that is not
    sfauthgen's as recorded (`standing`) is changed only with --force, and one left as it is becomes
    sfauthgen's through the manifest: either way the run is not a quiet no-op."""
    old = existing.decode("utf-8", "replace") if existing is not None else None
    if not wanted:
        if existing is None:
            return None
        return PlannedFile(DESTRUCTIVE_CHANGES_XML, Action.DELETE, None, old, conflict=standing)
    content = package_xml(wanted, api_version)
    if len(content) > MAX_QUEUE_BYTES:
        raise OutputError(f"{DESTRUCTIVE_CHANGES_XML} would queue {len(wanted)} deletions, more than "
                          f"{MAX_QUEUE_BYTES // (1024 * 1024)} MiB; deploy the ones it holds and delete it first")
    if existing is not None and existing == content.encode("utf-8"):
        return PlannedFile(DESTRUCTIVE_CHANGES_XML, Action.UNCHANGED, content, old)
    action = Action.CREATE if existing is None else Action.UPDATE
    return PlannedFile(DESTRUCTIVE_CHANGES_XML, action, content, old, conflict=standing)


def _members(data: bytes, folder: Folder) -> set[tuple[str, str]]:
    """The (type, member) pairs of a deletion manifest, read strictly: a Package in the metadata namespace
    holding only <types> (each one <name> and its <members>) and <version>. Anything else is refused, not
    read as queueing nothing: what the Metadata API would make of it is not for sfauthgen to guess."""
    from lxml import etree  # here, not at the top: `validate` imports this module but reads no XML

    where = shown(str(folder.root / DESTRUCTIVE_CHANGES_XML))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OutputError(f"{where}: not readable XML ({shown(str(exc))[:200]})") from None
    if root.getroottree().docinfo.doctype:
        raise OutputError(f"{where}: a DOCTYPE is not allowed in metadata files")
    ns = f"{{{METADATA_NS}}}"

    def refuse(what: str) -> OutputError:
        return OutputError(f"{where}: {what}, not a deletion manifest as sfauthgen writes one; restore it from "
                           "version control")

    if root.tag != f"{ns}Package":
        raise refuse(f"its root is {shown(str(root.tag))[:100]}")
    found: set[tuple[str, str]] = set()
    for child in root:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        if child.tag == f"{ns}version":
            continue
        if child.tag != f"{ns}types":
            raise refuse(f"it holds <{shown(str(child.tag))[:100]}>")
        parts = [c for c in child if isinstance(c.tag, str)]
        names = [c for c in parts if c.tag == f"{ns}name"]
        if len(names) != 1 or any(c.tag not in (f"{ns}name", f"{ns}members") or len(c) for c in parts):
            raise refuse("a <types> that is not one <name> and its <members>")
        found |= {(str(names[0].text), str(m.text)) for m in parts if m.tag == f"{ns}members"}
    return found


def _plan_one(compared: Compared, owned: dict[str, str]) -> PlannedFile:
    generated, existing = compared.file, compared.old
    conflict: Conflict | None = None
    if compared.same:
        action, old = Action.UNCHANGED, generated.content  # the same text: no need to decode it
    elif existing is None:
        action, old = Action.CREATE, None
    else:
        old = existing.decode("utf-8", "replace")
        action = Action.UPDATE
        if generated.path not in owned:
            conflict = Conflict.NOT_OWNED
        elif content_hash(existing) != owned[generated.path]:
            conflict = Conflict.HAND_EDITED
    return PlannedFile(
        generated.path, action, generated.content, old, generated.metadata_type, generated.member, conflict
    )


def _plan_manifest(folder: Folder, owned: dict[str, str]) -> PlannedFile | None:
    text = manifest_text(owned)
    existing = folder.read(MANIFEST_FILE)
    if existing is not None and existing == text.encode("utf-8"):
        return None
    old = existing.decode("utf-8", "replace") if existing is not None else None
    return PlannedFile(MANIFEST_FILE, Action.UPDATE if old is not None else Action.CREATE, text, old)
