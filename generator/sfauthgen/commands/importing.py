"""`sfauthgen import`: existing metadata -> a spec (and its certificates); with --adopt, the files the spec
regenerates byte for byte recorded as sfauthgen's own in the project's manifest.

Exit 1 when no file could be imported (then nothing is written) or when some file was not adopted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfauthgen import codes
from sfauthgen.commands import ui
from sfauthgen.diagnostics import OutputError, SpecError
from sfauthgen.inputs import shown
from sfauthgen.records import field, record
from sfauthgen.secretpatterns import scrub
from sfauthgen.words import plural

if TYPE_CHECKING:
    from sfauthgen.files.folder import Folder
    from sfauthgen.importer import ImportedFile, ImportResult


@record(frozen=False)
class _Outcome:
    """What the run did: printed as text as it goes, or as one JSON object at the end."""

    as_json: bool
    spec: str | None = None
    entries: int = 0
    not_imported: list[dict[str, Any]] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    not_adopted: list[dict[str, str]] = field(default_factory=list)
    to_create: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str | None = None  # why it failed, for --json

    def result(self) -> dict[str, Any]:
        return {"spec": self.spec, "entries": self.entries, "not_imported": self.not_imported,
                "certificates": self.certificates, "adopted": self.adopted, "not_adopted": self.not_adopted,
                "to_create": self.to_create}

    def out(self, text: str) -> None:
        if not self.as_json:
            ui.out(text)

    def err(self, text: str) -> None:
        if not self.as_json:
            ui.err(text)


def import_metadata(paths: list[Path], output: Path, *, force: bool = False, adopt_dir: Path | None = None,
                    as_json: bool = False) -> int:
    outcome = _Outcome(as_json)
    try:
        code = _import(paths, output, force, adopt_dir, outcome)
    except (SpecError, OutputError) as exc:
        if not as_json:
            raise
        problems = [d.format() for d in exc.diagnostics] if isinstance(exc, SpecError) else [scrub(str(exc))]
        ui.json_out(exc.exit_code, outcome.result(), outcome.warnings, message="\n".join(problems))
        return exc.exit_code
    if as_json:
        ui.json_out(code, outcome.result(), outcome.warnings, message=outcome.message)
    return code


def _import(paths: list[Path], output: Path, force: bool, adopt_dir: Path | None, outcome: _Outcome) -> int:
    # The importer (lxml, the regenerating comparison) loads only when this command runs.
    from sfauthgen.files.adopt import ready
    from sfauthgen.files.folder import Folder
    from sfauthgen.importer import import_metadata as convert
    from sfauthgen.importer.write import write_import

    project = Folder(adopt_dir) if adopt_dir is not None else None
    if project is not None:
        ready(project)  # a folder that cannot take the adoption stops the run before anything is written
    result = convert(paths)
    outcome.not_imported = [{"file": n.file, "line": n.line, "column": n.column, "code": n.code, "reason": n.reason}
                            for n in result.not_imported]
    outcome.warnings = [loss.format() for loss in result.losses]
    for text in outcome.warnings + [d.format() for d in result.failures]:
        outcome.err(text)
    if result.imported_nothing:
        outcome.message = (f"nothing could be imported from {plural(len(result.not_imported), 'file')}; "
                           "nothing was written")
        outcome.err(outcome.message)
        return 1
    write_import(result, Folder(output.parent), output.name, force=force)
    outcome.spec, outcome.entries = str(output), result.components
    outcome.certificates = [str(output.parent / relative) for relative in result.certificates]
    summary = f"imported {plural(result.components, 'entry', 'entries')} into {shown(str(output))}"
    if result.not_imported:
        summary += f"; {plural(len(result.not_imported), 'file')} not imported (listed above)"
    if result.losses:
        summary += f"; {plural(len(result.losses), 'item')} not imported (listed above and in the spec's header)"
    outcome.out(summary)
    return 0 if project is None else _adopt(result, output, project, outcome)


def _adopt(result: ImportResult, spec_path: Path, folder: Folder, outcome: _Outcome) -> int:
    from sfauthgen import pipeline
    from sfauthgen.files.adopt import DIFFERS, adopt
    from sfauthgen.files.layout import Layout
    from sfauthgen.files.manifest import MANIFEST_FILE
    from sfauthgen.files.project import Project
    from sfauthgen.render import render
    from sfauthgen.templating import GeneratedFile

    checked = pipeline.load_and_check([spec_path])

    def rendering(project: Project) -> tuple[GeneratedFile, ...]:
        """What generate would render into the folder (its package directory and API version)."""
        return render(pipeline.model(checked, project.source_api_version), Layout(project.package_dir))

    adoption = adopt(folder, rendering, _located(result.sources, folder.root))

    def where(path: str) -> str:
        return str(folder.root / path)

    hint = f" (run `sfauthgen plan {shown(str(spec_path))} -d {shown(str(folder.root))}` to see how)"
    outcome.adopted = [where(path) for path in adoption.adopted]
    outcome.to_create = [where(path) for path in adoption.missing]
    outcome.not_adopted = [{"path": where(path), "reason": why + (hint if why == DIFFERS else "")}
                           for path, why in adoption.not_adopted]
    for item in outcome.not_adopted:
        outcome.err(f"{shown(item['path'])}: {codes.NOT_ADOPTED} not adopted: {item['reason']}")
    summary = (f"adopted {plural(len(adoption.adopted), 'file')} into {shown(where(MANIFEST_FILE))}: the next generate "
               "updates them in place")
    if adoption.missing:
        summary += (f"; {plural(len(adoption.missing), 'file')} the spec generates not there yet (generate "
                    f"creates {'it' if len(adoption.missing) == 1 else 'them'})")
    if adoption.not_adopted:
        summary += f"; {plural(len(adoption.not_adopted), 'file')} not adopted (listed above)"
        outcome.message = f"{plural(len(adoption.not_adopted), 'file')} not adopted"
    outcome.out(summary)
    return 1 if adoption.not_adopted else 0


def _located(sources: tuple[ImportedFile, ...], root: Path) -> dict[tuple[str, str], str]:
    """Where each imported component is in the project folder (components imported from elsewhere: absent)."""
    found = {}
    base = root.resolve()
    for source in sources:
        try:
            found[(source.metadata_type, source.member)] = source.path.resolve().relative_to(base).as_posix()
        except ValueError:
            continue
    return found
