"""Import existing metadata into a spec, and prove the spec reproduces it.

`import_metadata` reads the files, converts each to spec entries (reporting whatever the
spec language cannot carry), then generates from the resulting spec in memory and compares
every original file with its regenerated twin by meaning. Any difference that no earlier
report explains is reported too, so nothing is ever lost silently.

A file that cannot be imported (unreadable, not valid metadata, a value Salesforce or the spec
does not accept) is left out with its diagnostic, and the other files are imported without it;
the result lists every input file no entry comes from, and says when that is all of them.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from sfauthgen import codes, pipeline, records
from sfauthgen.diagnostics import Diagnostic, InternalError, Location, SpecError, error
from sfauthgen.files.layout import Layout
from sfauthgen.importer.compare import differences
from sfauthgen.importer.context import ImportContext
from sfauthgen.importer.elements import Loss
from sfauthgen.importer.emit import spec_text
from sfauthgen.importer.read import MetadataFile, find, package_version, read
from sfauthgen.kinds.registry import KINDS, kind_of_type
from sfauthgen.records import record
from sfauthgen.render import render
from sfauthgen.secretpatterns import IDENTIFIER_NAMES, scrub
from sfauthgen.spec.loader import MAX_FILE_BYTES
from sfauthgen.spec.secrets import redact, secret_in_value
from sfauthgen.templating import GeneratedFile

SPEC_FILE_NAME = "imported.yaml"
# Mappings whose keys are names a user picks (header and claim names): a secret may hide in those too.
_FREE_NAME_PARENTS = frozenset({"headers", "claims", "header_claims"})


@record
class ImportedFile:
    """A metadata file an entry of the spec comes from."""

    path: Path
    metadata_type: str
    member: str


@record
class NotImported:
    """An input file no entry of the spec comes from, and why: where and with which code when it could not
    be read, converted or validated; else what the losses listed for it say."""

    file: str
    line: int
    column: int
    code: str | None
    reason: str


@record
class ImportResult:
    spec_text: str
    certificates: dict[str, str]  # path relative to the spec -> PEM text, of the spec's entries only
    losses: tuple[Loss, ...]
    components: int
    failures: tuple[Diagnostic, ...] = ()  # why files could not be imported at all
    not_imported: tuple[NotImported, ...] = ()  # every input file no entry comes from
    sources: tuple[ImportedFile, ...] = ()  # every input file an entry comes from

    @property
    def imported_nothing(self) -> bool:
        return not self.sources


def _read_all(paths: list[Path]) -> tuple[list[MetadataFile], list[Diagnostic]]:
    """The files that can be read, and why each other one cannot (the second file of a component too)."""
    found, problems = find(paths)
    files = []
    for path in found:
        try:
            files.append(read(path))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    seen: dict[tuple[str, str], MetadataFile] = {}
    kept = []
    for meta in files:
        first = seen.setdefault((meta.metadata_type, meta.member), meta)
        if first is not meta:
            problems.append(error(Location(meta.shown, 1, 1), codes.IMPORT_FILE,
                                  f"{meta.metadata_type} {meta.member} is also in {first.shown}"))
        else:
            kept.append(meta)
    if not kept and not problems:
        shown = ", ".join(str(p) for p in paths)
        raise SpecError([error(Location(shown, 1, 1), codes.IMPORT_FILE, "no metadata files to import found")])
    return kept, problems


def _convert(files: list[MetadataFile], failures: list[Diagnostic]) -> tuple[ImportContext, list[MetadataFile]]:
    """Every file a kind can convert; one it cannot (a value Salesforce does not accept) joins `failures`,
    and the others are converted again without it."""
    while True:
        try:
            return _convert_all(files), files
        except SpecError as exc:
            failed = {d.location.path for d in exc.diagnostics}
            left = [meta for meta in files if meta.shown not in failed]
            if len(left) == len(files):
                raise
            failures.extend(exc.diagnostics)
            files = left


def _convert_all(files: list[MetadataFile]) -> ImportContext:
    """Each kind imports its files (in registry order), then the links across kinds are made."""
    ctx = ImportContext()
    by_kind: dict[str, list[MetadataFile]] = defaultdict(list)
    for meta in files:
        kind = kind_of_type(meta.metadata_type)
        if kind is not None:
            by_kind[kind.name].append(meta)
    for kind in KINDS:
        if kind.import_files is not None and by_kind[kind.name]:
            kind.import_files(by_kind[kind.name], ctx)
    ctx.link()
    return ctx


def _sweep_secrets(ctx: ImportContext, spec: dict[str, Any]) -> None:
    """A value or name that looks like a secret is never imported (headers were checked while converting)."""
    def walk(node: Any, owner: dict[str, Any] | list[Any], key: Any, where: str, parent: Any) -> None:
        name = key if isinstance(key, str) and (parent in _FREE_NAME_PARENTS or key in IDENTIFIER_NAMES) else None
        if isinstance(node, dict):
            for k, v in list(node.items()):
                walk(v, node, k, where, key)
            for free in [k for k in node if key in _FREE_NAME_PARENTS and secret_in_value(k)]:
                ctx.redactor.add(free)
                ctx.lose(where, 1, str(key), f"a name looks like {secret_in_value(free)} ({redact(free)}); never "
                                             "imported, rotate it")
                del node[free]
        elif isinstance(node, list):
            for i, v in reversed(list(enumerate(node))):
                walk(v, node, i, where, key)
        elif isinstance(node, str) and secret_in_value(node, name=name):
            ctx.redactor.add(node)
            ctx.lose(where, 1, str(key), f"looks like {secret_in_value(node, name=name)} "
                                         f"({redact(node)}); never imported, rotate it")
            del owner[key]

    for section, entries in spec.items():
        if isinstance(entries, list):
            for entry in entries:
                # Reported against the file the entry comes from (its first, for an app of several files).
                origins = ctx.origins.get((section, entry.get("name")), [])
                walk(entry, spec, section, origins[0] if origins else f"{section} {entry.get('name')}", None)
            # An entry whose very name looked like a secret is gone as a whole.
            entries[:] = [entry for entry in entries if "name" in entry]


def _spec(ctx: ImportContext) -> dict[str, Any]:
    spec: dict[str, Any] = {"version": 1}
    for kind in KINDS:
        if kind.section is not None and ctx.sections.get(kind.section):
            spec[kind.section] = sorted(ctx.sections[kind.section], key=lambda e: e["name"])
    return spec


def import_metadata(paths: list[Path]) -> ImportResult:
    """The spec for the files under `paths`. A file that cannot be imported is left out and reported
    (`failures`, `not_imported`); when no file can be, the result says so (`imported_nothing`)."""
    files, failures = _read_all(paths)
    work, files = _convert(files, failures)
    work.failures = failures
    spec = _spec(work)
    version = package_version(paths)
    if version is not None:
        spec = {"version": 1, "api_version": version, **{k: v for k, v in spec.items() if k != "version"}}
    _sweep_secrets(work, spec)
    for reader in work.readers:
        work.losses += reader.finish()
    sources = [str(p) for p in paths]
    text, generated = _valid_spec_text(spec, sources, work)
    unexplained = _verify(generated, work, files)
    losses = sorted({Loss(loss.file, loss.line, work.redactor.text(loss.what), work.redactor.text(loss.why))
                     for loss in work.losses + unexplained}, key=_loss_key)
    failed = sorted({records.replace(d, message=scrub(work.redactor.text(d.message)))
                     for d in work.failures}, key=Diagnostic.sort_key)
    if unexplained:
        text = spec_text(spec, sources, _listed(losses, failed))
    components = sum(len(v) for k, v in spec.items() if isinstance(v, list))
    entries = {(section, e["name"]) for section, v in spec.items() if isinstance(v, list) for e in v}
    imported = {origin for key, origins in work.origins.items() if key in entries for origin in origins}
    inputs = {meta.shown for meta in files} | {d.location.path for d in failed}
    certificates = {path: pem for path, pem in sorted(work.certificates.items()) if path in _certificates_of(spec)}
    return ImportResult(
        text, certificates, tuple(losses), components, tuple(failed),
        _not_imported(sorted(inputs - imported), failed, losses),
        tuple(ImportedFile(m.path, m.metadata_type, m.member) for m in files if m.shown in imported),
    )


def _listed(losses: list[Loss], failures: list[Diagnostic]) -> list[Loss]:
    """What the spec's header lists as not imported: the losses, and the files that could not be imported."""
    whole = [Loss(d.location.path, d.location.line, d.code or "file", scrub(d.message)) for d in failures]
    return sorted(set(losses) | set(whole), key=_loss_key)


def _not_imported(files: list[str], failures: list[Diagnostic], losses: list[Loss]) -> tuple[NotImported, ...]:
    found = []
    for file in files:
        failure = next((d for d in failures if d.location.path == file), None)
        if failure is not None:
            where = failure.location
            found.append(NotImported(file, where.line, where.column, failure.code or None, failure.message))
            continue
        # A file a kind chose not to import (settings the spec cannot carry, a template): its losses say why.
        mine = [loss for loss in losses if loss.file == file]
        why = next((loss for loss in mine if "not imported" in loss.why), mine[0] if mine else None)
        found.append(NotImported(file, why.line, 1, None, f"{why.what}: {why.why}") if why is not None
                     else NotImported(file, 1, 1, None, "no entry of the spec comes from it"))
    return tuple(found)


def _certificates_of(spec: dict[str, Any]) -> set[str]:
    """The certificate files the spec's entries name: only those are written."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "certificate" and isinstance(value, str):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def _check_text(text: str, certificates: dict[str, str], folder: Path) -> pipeline.Checked | SpecError:
    (folder / SPEC_FILE_NAME).write_text(text, encoding="utf-8")
    for relative, pem in certificates.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(pem, encoding="ascii")
    try:
        return pipeline.load_and_check([folder / SPEC_FILE_NAME])
    except SpecError as exc:
        return exc


def _valid_spec_text(
    spec: dict[str, Any], sources: list[str], work: ImportContext
) -> tuple[str, tuple[GeneratedFile, ...]]:
    """The spec text, after taking out entries that valid metadata gives but the spec cannot hold
    (a missing contact email, say): each is reported, external credentials stay declared as existing."""
    # Each round takes out at least one entry, raises api_version (once), or declares an external credential
    # existing (which a later round may still take out): at most two rounds per entry, and two more.
    for _ in range(2 * sum(len(v) for v in spec.values() if isinstance(v, list)) + 2):
        # A spec file holds at most MAX_FILE_BYTES: the entry that overflows goes. Measured as JSON first,
        # since PyYAML's emitter takes seconds per megabyte.
        if _too_large(len(json.dumps(spec, default=str)), spec):
            _drop_largest(spec, work)
            continue
        text = spec_text(spec, sources, _listed(work.losses, work.failures))
        if _too_large(len(text.encode("utf-8")), spec):
            _drop_largest(spec, work)
            continue
        with tempfile.TemporaryDirectory(prefix="sfauthgen-import-") as tmp:
            outcome = _check_text(text, work.certificates, Path(tmp))
            if not isinstance(outcome, SpecError):
                needed = _needed_api_version(outcome)
                if needed is None:
                    return text, render(pipeline.model(outcome), Layout())
                # package.xml's version predates a type or setting the files use: the spec takes the
                # version they need (the files came from an org that has it), and says so.
                work.losses.append(Loss(sources[0], 1, "api_version",
                                        f"package.xml's version {spec['api_version']} is older than the "
                                        f"{needed} these files need; the spec uses {needed}"))
                spec["api_version"] = needed
                continue
            # A message may point at another entry of the spec being built, which the user never sees.
            elsewhere = re.compile(re.escape(str(Path(tmp) / SPEC_FILE_NAME)) + r":\d+:\d+")
        starts = _entry_lines(text)
        culprits: dict[tuple[str, int], list[Diagnostic]] = defaultdict(list)
        for diagnostic in outcome.diagnostics:
            owner = [path for line, path in starts if line <= diagnostic.location.line]
            if owner:
                culprits[owner[-1]].append(diagnostic)
        if not culprits:
            detail = "; ".join(d.message for d in outcome.diagnostics[:5])
            raise InternalError(f"import produced a spec that does not validate: {detail}")
        for (section, index), found in sorted(culprits.items(), key=lambda c: -c[0][1]):
            entry = spec[section][index]
            why = "could not be imported: " + "; ".join(elsewhere.sub("another place in this import", d.message)
                                                         for d in found)
            origins = work.origins.get((section, entry["name"]), []) or ["(import)"]
            work.not_compared.update(origins)
            used = any(isinstance(n, dict) and n.get("external_credential") == entry["name"]
                       for n in spec.get("named_credentials", []))
            if section == "external_credentials" and (not entry.get("existing") or ("principals" in entry and used)):
                # Still declared (existing), so the named credentials that use it stay: a loss, not a failure.
                # Its principals go too when they are what fails (two named alike): then it is only named.
                work.losses += [Loss(origin, 1, entry["name"], why) for origin in origins]
                keep = ("name", "principals") if not entry.get("existing") else ("name",)
                spec[section][index] = {k: v for k, v in entry.items() if k in keep}
                spec[section][index]["existing"] = True
            else:
                code = next((d.code for d in found if d.code), codes.IMPORT_VALUE)
                work.failures += [error(Location(origin, 1, 1), code, f"{entry['name']}: {why}") for origin in origins]
                del spec[section][index]
        for section in [s for s, v in spec.items() if isinstance(v, list) and not v]:
            del spec[section]
    raise InternalError("import could not produce a valid spec")


def _entry_lines(text: str) -> list[tuple[int, tuple[str, int]]]:
    """Where each entry of the spec text starts (1-based line, (section, index)), in order. Read with YAML's own
    composer, not the spec loader: the loader refuses a file whose values hold a character a spec may not (an
    invisible one copied from a label), and which entry holds it is what is asked here."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    starts = []
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if isinstance(value, yaml.SequenceNode):
            starts += [(item.start_mark.line + 1, (key.value, index)) for index, item in enumerate(value.value)]
    return sorted(starts)


def _too_large(size: int, spec: dict[str, Any]) -> bool:
    return size > MAX_FILE_BYTES and any(isinstance(v, list) and v for v in spec.values())


def _drop_largest(spec: dict[str, Any], work: ImportContext) -> None:
    """Take out the entry with the most text (a label of megabytes, 100,000 callback URLs), as a failure."""
    section, index = max(((s, i) for s, v in spec.items() if isinstance(v, list) for i in range(len(v))),
                         key=lambda at: len(json.dumps(spec[at[0]][at[1]], default=str)))
    entry = spec[section].pop(index)
    if not spec[section]:
        del spec[section]
    origins = work.origins.get((section, entry["name"]), []) or ["(import)"]
    work.not_compared.update(origins)
    work.failures += [error(Location(origin, 1, 1), codes.IMPORT_VALUE,
                            f"{entry['name']}: could not be imported: its values would make the spec larger than "
                            f"{MAX_FILE_BYTES // 1024} KiB, the most a spec file may hold") for origin in origins]


def _needed_api_version(checked: pipeline.Checked) -> str | None:
    """The API version the entries need, when the spec's api_version is older; else None."""
    current = checked.spec.api_version
    needed = [minimum for kind in KINDS for entry in checked.spec.of(kind.name)
              for minimum, _, _ in kind.minimum_api(entry)]
    highest = max(needed, key=float, default=None)
    return highest if current is not None and highest is not None and float(highest) > float(current) else None


def _loss_key(loss: Loss) -> tuple[str, int, str]:
    return (loss.file, loss.line, loss.what)


def _verify(generated: tuple[GeneratedFile, ...], work: ImportContext, files: list[MetadataFile]) -> list[Loss]:
    """Compare every original file with what the spec generates; report unexplained differences."""
    by_member = {(g.metadata_type, g.member): g for g in generated if g.xml}
    # What import reported already: a top-level element stands explained as a whole; an element inside one
    # (sessionPolicy/sessionLevel) is left out of the comparison, so a loss beside it is still reported.
    explained: dict[str, set[str]] = defaultdict(set)
    inside: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for loss in work.losses:
        parts = tuple(loss.what.split("/"))
        if len(parts) == 1:
            explained[loss.file].add(parts[0])
        else:
            inside[loss.file].add(parts)
    found = []
    for meta in files:
        if meta.shown in work.not_compared:
            continue
        twin = by_member.get((meta.metadata_type, meta.member))
        if twin is None:
            found.append(Loss(meta.shown, 1, meta.metadata_type, "no file is generated for it from the spec"))
            continue
        root = etree.fromstring(twin.content.encode("utf-8"))
        for difference in differences(meta.root, root, meta.metadata_type, frozenset(inside[meta.shown])):
            element = difference.split(":")[0]
            if element in explained[meta.shown]:
                continue
            found.append(Loss(meta.shown, 1, element, f"not reproduced by generate: {difference}"))
    return found
