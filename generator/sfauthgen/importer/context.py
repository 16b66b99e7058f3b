"""What a kind's import hands back: entries, the readers that saw its files, certificates, grants.

The links across kinds (principal access from permission sets, credentials that named
credentials reference, permission sets a connected app names by label) are made here
once every kind has imported its files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from lxml import etree

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, Location, SpecError, error
from sfauthgen.importer.elements import Loss, Reader
from sfauthgen.importer.read import MetadataFile
from sfauthgen.spec.secrets import Redactor


class ImportContext:
    def __init__(self) -> None:
        self.sections: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.certificates: dict[str, str] = {}  # path relative to the spec -> PEM text
        self.readers: list[Reader] = []
        self.losses: list[Loss] = []
        self.not_compared: set[str] = set()
        self.origins: dict[tuple[str, str], list[str]] = defaultdict(list)  # entry -> the files it came from
        self._grants: list[tuple[str, str, str, str]] = []  # credential, principal, permission set, file
        self.redactor = Redactor()  # every secret met: no report shows one whole
        self.failures: list[Diagnostic] = []  # files that could not be imported at all, and why

    def reader(self, meta: MetadataFile) -> Reader:
        return Reader(meta.shown, meta.root)

    def add(self, section: str, entry: dict[str, Any], readers: list[Reader]) -> None:
        self.sections[section].append(entry)
        self.readers += readers
        self.origins[(section, entry["name"])] += [reader.file for reader in readers]

    def add_reader(self, reader: Reader) -> None:
        """A reader whose file gave no entry: its losses are still reported."""
        self.readers.append(reader)

    def lose(self, file: str, line: int, what: str, why: str) -> None:
        self.losses.append(Loss(file, line, what, why))

    def skip_comparison(self, files: Iterable[str]) -> None:
        """Files the spec does not regenerate on purpose (reported already): not compared."""
        self.not_compared.update(files)

    def invalid(self, meta: MetadataFile, element: etree._Element | None, message: str, hint: str) -> SpecError:
        line = element.sourceline if element is not None and element.sourceline else 1
        return SpecError([error(Location(meta.shown, line, 1), codes.IMPORT_VALUE, message, hint)])

    def grant_principal(self, credential: str, principal: str, permission_set: str, file: str) -> None:
        self._grants.append((credential, principal, permission_set, file))

    def link(self) -> None:
        self._link_grants()
        self._drop_access_to_unowned_sets()
        for entry in self.sections["named_credentials"]:
            if "external_credential" in entry:
                self._credential(entry["external_credential"])
        # Providers the credentials log in through, when their files are not imported: declared existing.
        providers = {entry["name"] for entry in self.sections["auth_providers"]}
        used = [e.get("auth_provider") for e in self.sections["external_credentials"]]
        used += [e.get("legacy", {}).get("auth_provider") for e in self.sections["named_credentials"]]
        for name in sorted({n for n in used if n} - providers):
            self.sections["auth_providers"].append({"name": name, "existing": True})
        # A connected app lists permission sets by label; name the imported ones by API name.
        by_label = {ps["label"]: ps["name"] for ps in self.sections["permission_sets"] if "label" in ps}
        for app in self.sections["connected_apps"]:
            names = app.get("policies", {}).get("permission_sets")
            if names:
                app["policies"]["permission_sets"] = list(dict.fromkeys(by_label.get(n, n) for n in names))

    def _drop_access_to_unowned_sets(self) -> None:
        """Principal access goes to permission sets the spec writes; a set that is not imported, or is
        imported as existing (it holds what the spec cannot carry), cannot receive it from sfauthgen."""
        owned = {ps["name"] for ps in self.sections["permission_sets"] if not ps.get("existing")}
        for entry in self.sections["external_credentials"]:
            for principal in entry.get("principals", []):
                for name in [n for n in principal.get("access", []) if n not in owned]:
                    principal["access"].remove(name)
                    self.lose(self.origins.get(("external_credentials", entry["name"]), ["(import)"])[0], 1,
                              "principal access", f"{entry['name']}-{principal['name']} for permission set {name}: "
                              "the set is not imported (or holds permissions the spec does not carry); "
                              "grant it in the org, or move the access to a dedicated set")
                if not principal.get("access"):
                    principal.pop("access", None)

    def _credential(self, name: str) -> dict[str, Any]:
        for entry in self.sections["external_credentials"]:
            if entry["name"] == name:
                return entry
        entry = {"name": name, "existing": True}
        self.sections["external_credentials"].append(entry)
        return entry

    def _link_grants(self) -> None:
        """Principal access lives on the external credential's principals in a spec."""
        for credential, principal, permission_set, file in self._grants:
            entry = self._credential(credential)
            principals = entry.setdefault("principals", [])
            match = next((p for p in principals if p["name"] == principal), None)
            if match is None and entry.get("existing"):
                match = {"name": principal}
                principals.append(match)
            if match is None:
                self.lose(file, 1, "externalCredentialPrincipalAccesses",
                          f"{credential} has no principal '{principal}'; access not imported")
                continue
            access = match.setdefault("access", [])
            if permission_set not in access:
                access.append(permission_set)
        for entry in self.sections["external_credentials"]:
            for item in entry.get("principals", []):
                if "access" in item:
                    item["access"] = sorted(item["access"])
            if "principals" in entry and not entry["principals"]:
                del entry["principals"]
