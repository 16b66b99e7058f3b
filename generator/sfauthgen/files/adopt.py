"""Adopt files a spec regenerates: record them in the folder's manifest as sfauthgen's own.

`import --adopt` imports an SFDX project's metadata into a spec, then hands here what the spec
renders for that project. A rendered file that is already in the folder byte for byte is
recorded in the manifest with the hash generate records, so the next generate leaves it as
it is, and updates it in place (without --force) after a spec change. A file that differs, or
that generate would write somewhere else, is listed and not recorded; a rendered file that is
not in the folder is not recorded either (generate creates it). Nothing but the manifest is
written, through the same lock, staging and journal as generate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sfauthgen import records
from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import Folder
from sfauthgen.files.manifest import MANIFEST_FILE, content_hash, manifest_text, read_manifest
from sfauthgen.files.plan import Action, Plan, PlannedFile, unfinished
from sfauthgen.files.project import PROJECT_FILE, Project, read_project
from sfauthgen.files.write import apply
from sfauthgen.inputs import shown
from sfauthgen.templating import GeneratedFile

DIFFERS = "differs from what the spec generates"


@records.record
class Adoption:
    adopted: tuple[str, ...]  # recorded in the manifest
    not_adopted: tuple[tuple[str, str], ...]  # path, why
    missing: tuple[str, ...]  # rendered, not in the folder: generate will create them


def ready(folder: Folder) -> Project:
    """The folder's SFDX project, once the folder can be adopted into: it exists, has an sfdx-project.json,
    no interrupted generate, and a manifest (if any) that is a plain file sfauthgen can read."""
    where = shown(str(folder.root))
    if not folder.exists():
        raise OutputError(f"{where} does not exist; --adopt records files already in an SFDX project folder")
    project = read_project(folder)
    if not project.exists:
        raise OutputError(f"{where} has no {PROJECT_FILE}; give --adopt the SFDX project folder that holds the "
                          "imported files")
    if unfinished(folder):
        raise OutputError(f"{where}: an interrupted generate has not finished; run 'sfauthgen generate' to complete "
                          "it, then adopt")
    read_manifest(folder)
    return project


def adopt(
    folder: Folder, rendering: Callable[[Project], Sequence[GeneratedFile]],
    located: Mapping[tuple[str, str], str] | None = None,
) -> Adoption:
    """Record the rendered files the folder holds byte for byte. `rendering` gives what the spec renders for
    the folder's project; `located` is where each imported component (type, member) is in the folder."""
    with folder.locked(exclusive=True):
        project = ready(folder)
        rendered = rendering(project)
        adoption = compare(folder, rendered, located or {})
        content = {generated.path: generated.content for generated in rendered}
        # The hash generate records for a file it wrote (the bytes are the same).
        record(folder, {path: content_hash(content[path].encode("utf-8")) for path in adoption.adopted})
    return adoption


def compare(folder: Folder, rendered: Sequence[GeneratedFile],
            located: Mapping[tuple[str, str], str]) -> Adoption:
    adopted: list[str] = []
    refused: list[tuple[str, str]] = []
    missing: list[str] = []
    for generated in rendered:
        elsewhere = located.get((generated.metadata_type or "", generated.member or "")) if generated.xml else None
        if elsewhere is not None and elsewhere != generated.path:
            # Adopting it would make generate write a second copy of the component beside it.
            refused.append((elsewhere, f"generate writes {generated.metadata_type} {generated.member} to "
                                       f"{generated.path}, not here; move the file there first"))
            continue
        try:
            existing = folder.read(generated.path)
        except OutputError as exc:
            refused.append((generated.path, str(exc)))
            continue
        if existing is None:
            missing.append(generated.path)
        elif existing == generated.content.encode("utf-8"):
            adopted.append(generated.path)
        else:
            refused.append((generated.path, DIFFERS))
    return Adoption(tuple(sorted(adopted)), tuple(sorted(refused)), tuple(sorted(missing)))


def record(folder: Folder, files: Mapping[str, str]) -> None:
    """Merge path -> hash into the manifest (its other entries stay), written as generate writes it."""
    if not files:
        return
    merged = {**read_manifest(folder), **files}
    text = manifest_text(merged)
    existing = folder.read(MANIFEST_FILE)
    if existing == text.encode("utf-8"):
        return
    old = existing.decode("utf-8", "replace") if existing is not None else None
    action = Action.CREATE if existing is None else Action.UPDATE
    apply(Plan(folder, (), PlannedFile(MANIFEST_FILE, action, text, old)))
