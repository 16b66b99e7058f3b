"""Import existing metadata into a spec, and prove the spec reproduces it.

`import_metadata` reads the files, converts each to spec entries (reporting whatever the
spec language cannot carry), then generates from the resulting spec in memory and compares
every original file with its regenerated twin by meaning. Any difference that no earlier
report explains is reported too, so nothing is ever lost silently.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from sfauthgen import pipeline
from sfauthgen.errors import Diagnostic, InternalError, Location, SpecError
from sfauthgen.importer import apps, credentials, permissions
from sfauthgen.importer.compare import differences
from sfauthgen.importer.elements import Loss, Reader
from sfauthgen.importer.emit import spec_text
from sfauthgen.importer.read import MetadataFile, discover, package_version, read
from sfauthgen.layout import Layout
from sfauthgen.loader import load_file
from sfauthgen.render import GeneratedFile, render
from sfauthgen.secrets import redact, secret_in_value

ECA_SETTINGS = ("ExtlClntAppOauthSettings", "ExtlClntAppGlobalOauthSettings",
                "ExtlClntAppOauthConfigurablePolicies", "ExtlClntAppConfigurablePolicies")
SPEC_FILE_NAME = "imported.yaml"


@dataclass(frozen=True)
class ImportResult:
    spec_text: str
    certificates: dict[str, str]  # path relative to the spec -> PEM text
    losses: tuple[Loss, ...]
    components: int


def _read_all(paths: list[Path]) -> list[MetadataFile]:
    files, problems = [], []
    for path in discover(paths):
        try:
            files.append(read(path))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    seen: dict[tuple[str, str], MetadataFile] = {}
    for meta in files:
        first = seen.setdefault((meta.metadata_type, meta.member), meta)
        if first is not meta:
            problems.append(Diagnostic(Location(meta.shown, 1, 1),
                                       f"{meta.metadata_type} {meta.member} is also in {first.shown}"))
    if problems:
        raise SpecError(problems)
    if not files:
        shown = ", ".join(str(p) for p in paths)
        raise SpecError([Diagnostic(Location(shown, 1, 1), "no metadata files to import found")])
    return files


def _eca_app(meta: MetadataFile) -> str:
    if meta.metadata_type == "ExternalClientApplication":
        return meta.member
    element = meta.root.find("{http://soap.sforce.com/2006/04/metadata}externalClientApplication")
    if element is None or not element.text:
        return meta.member
    return str(element.text)


class _Import:
    def __init__(self, files: list[MetadataFile]) -> None:
        self.files = files
        self.sections: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.certificates: dict[str, str] = {}
        self.readers: list[Reader] = []
        self.losses: list[Loss] = []
        self.not_compared: set[str] = set()
        self.origins: dict[tuple[str, str], list[str]] = defaultdict(list)  # entry -> the files it came from

    def convert(self) -> None:
        ecas: dict[str, dict[str, MetadataFile]] = defaultdict(dict)
        grants: list[tuple[str, str, str, MetadataFile]] = []
        for meta in self.files:
            kind = meta.metadata_type
            if kind == "ConnectedApp":
                entry, reader = apps.connected_app(meta, self.certificates)
                self._add("connected_apps", entry, reader)
            elif kind == "ExternalClientApplication" or kind in ECA_SETTINGS:
                ecas[_eca_app(meta)][kind] = meta
            elif kind == "NamedCredential":
                named, reader = credentials.named_credential(meta)
                if named is None:
                    self.readers.append(reader)
                    self.not_compared.add(meta.shown)
                else:
                    self._add("named_credentials", named, reader)
            elif kind == "ExternalCredential":
                entry, reader = credentials.external_credential(meta)
                if entry.get("existing"):
                    self.not_compared.add(meta.shown)
                self._add("external_credentials", entry, reader)
            elif kind == "PermissionSet":
                entry, pairs, reader = permissions.permission_set(meta)
                self._add("permission_sets", entry, reader)
                grants += [(credential, principal, meta.member, meta) for credential, principal in pairs]
        for app, files in sorted(ecas.items()):
            entry, readers = apps.external_client_app(files, app, self.certificates)
            if "label" not in entry:
                first = next(iter(files.values()))
                self.losses.append(Loss(first.shown, 1, "ExternalClientApplication",
                                        f"the header file {app}.eca is not among the imported files; "
                                        "its settings were not imported"))
                self.not_compared.update(f.shown for f in files.values())
                continue
            self.sections["external_client_apps"].append(entry)
            self.readers += readers
            self.origins[("external_client_apps", app)] += [f.shown for f in files.values()]
        self._grant(grants)
        self._declare_referenced_credentials()
        self._permission_set_names()

    def _add(self, section: str, entry: dict[str, Any], reader: Reader) -> None:
        self.sections[section].append(entry)
        self.readers.append(reader)
        self.origins[(section, entry["name"])].append(reader.file)

    def _credential(self, name: str) -> dict[str, Any]:
        for entry in self.sections["external_credentials"]:
            if entry["name"] == name:
                return entry
        entry = {"name": name, "existing": True}
        self.sections["external_credentials"].append(entry)
        return entry

    def _grant(self, grants: list[tuple[str, str, str, MetadataFile]]) -> None:
        """Principal access lives on the external credential's principals in a spec."""
        for credential, principal, permission_set, meta in grants:
            entry = self._credential(credential)
            principals = entry.setdefault("principals", [])
            match = next((p for p in principals if p["name"] == principal), None)
            if match is None and entry.get("existing"):
                match = {"name": principal}
                principals.append(match)
            if match is None:
                self.losses.append(Loss(meta.shown, 1, "externalCredentialPrincipalAccesses",
                                        f"{credential} has no principal '{principal}'; access not imported"))
                continue
            access = match.setdefault("access", [])
            if permission_set not in access:
                access.append(permission_set)
        for entry in self.sections["external_credentials"]:
            for principal in entry.get("principals", []):
                if "access" in principal:
                    principal["access"] = sorted(principal["access"])
            if "principals" in entry and not entry["principals"]:
                del entry["principals"]

    def _declare_referenced_credentials(self) -> None:
        for entry in self.sections["named_credentials"]:
            if "external_credential" in entry:
                self._credential(entry["external_credential"])

    def _permission_set_names(self) -> None:
        """A connected app lists permission sets by label; name the imported ones by API name."""
        by_label = {ps["label"]: ps["name"] for ps in self.sections["permission_sets"]}
        for app in self.sections["connected_apps"]:
            names = app.get("policies", {}).get("permission_sets")
            if names:
                app["policies"]["permission_sets"] = sorted(by_label.get(n, n) for n in names)

    def sweep_secrets(self, spec: dict[str, Any]) -> None:
        """A value that looks like a secret is never imported (headers were checked while converting)."""
        def walk(node: Any, owner: dict[str, Any] | list[Any], key: Any, where: str) -> None:
            if isinstance(node, dict):
                for k, v in list(node.items()):
                    walk(v, node, k, where)
            elif isinstance(node, list):
                for i, v in reversed(list(enumerate(node))):
                    walk(v, node, i, where)
            elif isinstance(node, str) and secret_in_value(node, header=False):
                self.losses.append(Loss(where, 1, str(key), f"looks like {secret_in_value(node, header=False)} "
                                        f"({redact(node)}); never imported, rotate it"))
                del owner[key]

        for section, entries in spec.items():
            if isinstance(entries, list):
                for entry in entries:
                    walk(entry, spec, section, f"{section} {entry.get('name')}")
                # An entry whose very name looked like a secret is gone as a whole.
                entries[:] = [entry for entry in entries if "name" in entry]

    def spec(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"version": 1}
        for section in ("connected_apps", "external_client_apps", "external_credentials", "named_credentials",
                        "permission_sets"):
            if self.sections.get(section):
                spec[section] = sorted(self.sections[section], key=lambda e: e["name"])
        return spec


def import_metadata(paths: list[Path]) -> ImportResult:
    files = _read_all(paths)
    work = _Import(files)
    work.convert()
    spec = work.spec()
    version = package_version(paths)
    if version is not None:
        spec = {"version": 1, "api_version": version, **{k: v for k, v in spec.items() if k != "version"}}
    work.sweep_secrets(spec)
    for reader in work.readers:
        work.losses += reader.finish()
    sources = [str(p) for p in paths]
    text, generated = _valid_spec_text(spec, sources, work)
    unexplained = _verify(generated, work, files)
    losses = sorted(set(work.losses + unexplained), key=_loss_key)
    if unexplained:
        text = spec_text(spec, sources, losses)
    components = sum(len(v) for k, v in spec.items() if isinstance(v, list))
    return ImportResult(text, dict(sorted(work.certificates.items())), tuple(losses), components)


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
    spec: dict[str, Any], sources: list[str], work: _Import
) -> tuple[str, tuple[GeneratedFile, ...]]:
    """The spec text, after taking out entries that valid metadata gives but the spec cannot hold
    (a missing contact email, say): each is reported, external credentials stay declared as existing."""
    for _ in range(sum(len(v) for v in spec.values() if isinstance(v, list)) + 1):
        text = spec_text(spec, sources, sorted(set(work.losses), key=_loss_key))
        with tempfile.TemporaryDirectory(prefix="sfauthgen-import-") as tmp:
            outcome = _check_text(text, work.certificates, Path(tmp))
            if not isinstance(outcome, SpecError):
                return text, render(pipeline.model(outcome), Layout())
            document = load_file(Path(tmp) / SPEC_FILE_NAME)
        starts = sorted(
            (mark.line, path) for path, mark in document.value_marks.items()
            if len(path) == 2 and isinstance(path[1], int)
        )
        culprits: dict[tuple[str, int], list[str]] = defaultdict(list)
        for diagnostic in outcome.diagnostics:
            owner = [path for line, path in starts if line <= diagnostic.location.line]
            if owner:
                culprits[owner[-1]].append(diagnostic.message)  # type: ignore[index]
        if not culprits:
            detail = "; ".join(d.message for d in outcome.diagnostics[:5])
            raise InternalError(f"import produced a spec that does not validate: {detail}")
        for (section, index), messages in sorted(culprits.items(), key=lambda c: -c[0][1]):
            entry = spec[section][index]
            origins = work.origins.get((section, entry["name"]), []) or ["(import)"]
            for origin in origins:
                work.losses.append(Loss(origin, 1, entry["name"], "could not be imported: " + "; ".join(messages)))
                work.not_compared.add(origin)
            if section == "external_credentials" and not entry.get("existing"):
                spec[section][index] = {k: v for k, v in entry.items() if k in ("name", "principals")}
                spec[section][index]["existing"] = True
            else:
                del spec[section][index]
        for section in [s for s, v in spec.items() if isinstance(v, list) and not v]:
            del spec[section]
    raise InternalError("import could not produce a valid spec")


def _loss_key(loss: Loss) -> tuple[str, int, str]:
    return (loss.file, loss.line, loss.what)


def _verify(generated: tuple[GeneratedFile, ...], work: _Import, files: list[MetadataFile]) -> list[Loss]:
    """Compare every original file with what the spec generates; report unexplained differences."""
    by_member = {(g.metadata_type, g.member): g for g in generated if g.xml}
    explained: dict[str, set[str]] = defaultdict(set)
    for loss in work.losses:
        explained[loss.file].add(loss.what.split("/")[0])
    found = []
    for meta in files:
        if meta.shown in work.not_compared:
            continue
        twin = by_member.get((meta.metadata_type, meta.member))
        if twin is None:
            found.append(Loss(meta.shown, 1, meta.metadata_type, "no file is generated for it from the spec"))
            continue
        root = etree.fromstring(twin.content.encode("utf-8"))
        for difference in differences(meta.root, root, meta.metadata_type):
            element = difference.split(":")[0]
            if element in explained[meta.shown]:
                continue
            found.append(Loss(meta.shown, 1, element, f"not reproduced by generate: {difference}"))
    return found
