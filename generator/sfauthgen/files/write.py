"""Apply a plan to the output folder so that a killed run leaves the old output or the new one.

1. Every new content is staged beside its target under a unique temporary name; a failure here
   (disk full, file size limit) removes what was staged and changes nothing.
2. A journal listing the renames and deletes is written (itself by an atomic rename).
3. The renames, then the deletes, then the manifest's rename, then the journal's removal.
A run killed before step 2 leaves only temporary files, which the next generate removes; killed
after it, the next generate replays the journal first (replaying is idempotent), and `plan` and
`generate --check` report the unfinished run. A journal may also have come with a commit: before a
replay it is checked whole against what generate itself would do (`_parse_journal`, `_check_replay`).
Everything goes through `Folder`, so nothing is written, read or deleted through a symbolic link or
outside the folder.
"""

from __future__ import annotations

import json
from typing import Any

from sfauthgen.diagnostics import OutputError
from sfauthgen.files.folder import TEMP_NAME, Folder, is_safe
from sfauthgen.files.layout import generated_file
from sfauthgen.files.manifest import JOURNAL_FILE, MANIFEST_FILE, ownable, read_manifest
from sfauthgen.files.plan import Action, Plan
from sfauthgen.files.project import PROJECT_FILE
from sfauthgen.inputs import shown
from sfauthgen.templating import DESTRUCTIVE_CHANGES_XML

JOURNAL_FORMAT = 1


def apply(plan: Plan) -> None:
    folder = plan.folder
    writes = [(f.path, f.new) for f in plan.files if f.action in (Action.CREATE, Action.UPDATE) and f.new is not None]
    if plan.manifest is not None and plan.manifest.new is not None:
        writes.append((plan.manifest.path, plan.manifest.new))  # last: it lists the new files once they are in place
    deletes = [f.path for f in plan.files if f.action is Action.DELETE]
    staged, created = folder.stage_all(writes)
    try:
        folder.write_files({JOURNAL_FILE: _journal_text(staged, deletes)})
    except (OSError, OutputError) as exc:
        folder.discard([t for t, _ in staged], created)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"cannot write into {shown(str(folder.root))}: {exc.strerror or exc}; "
                          "nothing was changed") from None
    _replay(folder, staged, deletes)


def recover(folder: Folder, *, force: bool = False) -> bool:
    """Finish a generate that was killed after writing its journal (True when there was one), and
    remove the temporary files of one killed before."""
    if not folder.exists():
        return False
    raw = folder.read(JOURNAL_FILE)
    if raw is not None:
        renames, deletes = _parse_journal(folder, raw)
        _check_replay(folder, renames, deletes, force)
        _replay(folder, renames, deletes)
    folder.remove_temporaries()
    return raw is not None


def _replay(folder: Folder, renames: list[tuple[str, str]], deletes: list[str]) -> None:
    # The manifest goes in place last, after the deletes: until then it is the old one, which lists every
    # file a delete removes (what `_check_replay` holds a journal to).
    manifest = [(t, p) for t, p in renames if p == MANIFEST_FILE]
    folder.replace_all([(t, p) for t, p in renames if p != MANIFEST_FILE])
    for path in deletes:
        folder.unlink(path)
    folder.replace_all(manifest)
    folder.unlink_quietly(JOURNAL_FILE)


def _check_replay(folder: Folder, renames: list[tuple[str, str]], deletes: list[str], force: bool) -> None:
    """A journal found in the folder may have come with a commit: it may only do what generate does, and
    is checked whole before anything happens. What is already done (a temporary file renamed, a file
    deleted) does nothing again and is not looked at. What is left: a rename may create a file generate
    writes, or replace one the manifest lists (or the manifest, or destructiveChangesPost.xml: each as
    untrusted as a journal); a delete may only remove a file the manifest lists. No rename may replace
    sfdx-project.json, which generate only ever creates. With `force` (generate --force run again after
    one was interrupted), a rename may also replace a metadata file sfauthgen did not write."""
    where = shown(str(folder.root / JOURNAL_FILE))
    owned = read_manifest(folder)
    replaceable = {MANIFEST_FILE, DESTRUCTIVE_CHANGES_XML}

    def kind(path: str) -> str:
        try:
            return folder.kind(path)
        except OutputError as exc:  # a name too long, a link on the way: not a path generate wrote
            raise OutputError(f"{exc}; this journal was not written by sfauthgen: restore the output folder "
                              "from version control and delete the journal") from None

    for temporary, target in renames:
        if temporary.split("/")[:-1] != target.split("/")[:-1]:
            raise _foreign(where, temporary)  # generate stages a file beside its target, always
        there, staged = kind(target), kind(temporary)
        if staged == "missing":
            if there != "file":
                raise _foreign(where, temporary)  # neither staged nor in place: not a rename generate made
            continue  # renamed already
        if staged != "file":
            raise _foreign(where, temporary)
        replaceable_here = target in owned or target in replaceable or (force and generated_file(target))
        if not (there == "missing" or (there == "file" and replaceable_here)):
            raise _foreign(where, target)
    for path in deletes:
        there = kind(path)
        if there != "missing" and not (there == "file" and (path in owned or path == DESTRUCTIVE_CHANGES_XML)):
            raise _foreign(where, path)


def _foreign(where: str, path: str) -> OutputError:
    return OutputError(f"{where}: '{shown(path)[:200]}' is not a file this journal may change; this journal was "
                       "not written by sfauthgen (if a generate --force was interrupted here, run it again with "
                       "--force): restore the output folder from version control and delete the journal")


def _journal_text(renames: list[tuple[str, str]], deletes: list[str]) -> str:
    data = {"format": JOURNAL_FORMAT, "renames": [list(pair) for pair in renames], "deletes": deletes}
    return json.dumps(data) + "\n"  # no indent: the C encoder, for a journal nobody reads by eye


def _parse_journal(folder: Folder, raw: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """The journal is in the (untrusted) output folder too: every path in it must be a plain path inside."""
    where = shown(str(folder.root / JOURNAL_FILE))
    try:
        data: Any = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != JOURNAL_FORMAT:
            raise ValueError("unknown format")
        listed, deletes = data["renames"], data["deletes"]
        if not (isinstance(listed, list) and isinstance(deletes, list)
                and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in listed)
                and all(isinstance(p, str) for p in deletes)):
            raise ValueError("renames must be [temporary, path] pairs and deletes paths")
        renames = [(t, p) for t, p in listed]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise OutputError(f"{where}: the journal of an interrupted generate is damaged ({shown(str(exc))[:200]}); "
                          "restore the output folder from version control and delete the journal") from None
    for temporary, target in renames:
        if not (is_safe(temporary) and is_safe(target) and TEMP_NAME.match(temporary.rsplit("/", 1)[-1])):
            raise OutputError(f"{where}: '{shown(temporary)[:200]}' is not a temporary file of sfauthgen's; "
                              "restore the output folder from version control and delete the journal")
    # A journal committed to the repository is as untrusted as the rest of the folder: it may only name the
    # kinds of file generate writes (metadata files by layout and suffix, package.xml, its manifest, a new
    # sfdx-project.json), never a README, a script or anything under .git; `_check_replay` then looks at
    # what is on disk.
    for path in [target for _, target in renames] + deletes:
        if not (is_safe(path) and _generate_writes(path)):
            raise OutputError(f"{where}: '{shown(path)[:200]}' is not a file sfauthgen writes; this journal was not "
                              "written by sfauthgen: restore the output folder from version control and delete "
                              "the journal")
    return renames, deletes


def _generate_writes(path: str) -> bool:
    return path in (MANIFEST_FILE, DESTRUCTIVE_CHANGES_XML, PROJECT_FILE) or ownable(path)
