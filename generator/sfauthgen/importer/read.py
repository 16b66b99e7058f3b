"""Find and read existing metadata files (SFDX source or Metadata API format) for import."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from lxml import etree

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, Location, SpecError, error
from sfauthgen.files.xmlcheck import metadata_schema
from sfauthgen.importer.elements import SECRETS, local
from sfauthgen.inputs import InputProblem, each_file_once, read_input
from sfauthgen.inputs import shown as display
from sfauthgen.kinds.registry import KINDS
from sfauthgen.metadata import API_NAME, registry
from sfauthgen.metadata import METADATA_NS as MD
from sfauthgen.packagedata import data_file
from sfauthgen.records import field, record

# The types of every kind that imports.
IMPORTED_TYPES = tuple(t for kind in KINDS if kind.import_files is not None for t in kind.metadata_types)
MAX_BYTES = 8 * 1024 * 1024


@record
class MetadataFile:
    path: Path
    shown: str
    metadata_type: str
    member: str
    root: etree._Element
    # Elements of older API versions that the current schema rejects, taken out before validation:
    # parameter name -> values (External Credentials written at API 56-57 carry <principal>).
    lifted: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _type_of(path: Path) -> tuple[str, str] | None:
    """(metadata type, member) from a file name: Name.suffix-meta.xml (source) or Name.suffix (mdapi)."""
    name = path.name
    for kind in IMPORTED_TYPES:
        suffix = registry()[kind]["suffix"]
        for ending in (f".{suffix}-meta.xml", f".{suffix}"):
            if name.endswith(ending) and len(name) > len(ending):
                return kind, name[: -len(ending)]
    return None


def discover(paths: list[Path]) -> list[Path]:
    """Metadata files under the given folders (sorted), and the given files; an error for a given file
    sfauthgen does not import."""
    found, problems = find(paths)
    if problems:
        raise SpecError(problems)
    return found


def find(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Metadata files under the given folders (sorted) and the given files, and a problem for each given
    file that sfauthgen does not import (by its name)."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            inside: list[Path] = []
            # Never through a symbolic link: a link in a project (a pull request's, say) may point anywhere.
            for folder, folders, names in os.walk(path):
                folders[:] = [d for d in folders if d not in ("node_modules", ".sfdx")]
                for name in names:
                    candidate = Path(folder, name)
                    if _type_of(candidate) is None:
                        continue
                    if candidate.is_symlink() or not candidate.is_file():
                        what = ("a symbolic link: import reads no metadata through one" if candidate.is_symlink()
                                else "not a regular file: import reads only files")
                        problems.append(error(Location(display(str(candidate)), 1, 1), codes.IMPORT_FILE, what,
                                              "copy the file itself into the folder"))
                    else:
                        inside.append(candidate)
            found += sorted(inside)
        elif _type_of(path) is None:
            problems.append(error(Location(display(str(path)), 1, 1), codes.IMPORT_FILE,
                                       "not a file sfauthgen imports (by its name)",
                                       "import reads *.connectedApp-meta.xml, *.namedCredential-meta.xml, "
                                       "*.externalCredential-meta.xml, *.permissionset-meta.xml and the "
                                       "External Client App files (or their Metadata API names)"))
        else:
            found.append(path)
    return list(each_file_once(found)), problems


def package_version(paths: list[Path]) -> str | None:
    """The <version> of a Metadata API folder's package.xml, for the spec's api_version."""
    for path in paths:
        package = path / "package.xml" if path.is_dir() else None
        if package is None or not package.is_file():
            continue
        try:
            root = etree.fromstring(read_input(package, MAX_BYTES), _parser())
        except (etree.XMLSyntaxError, InputProblem):
            continue
        version = str(root.findtext(f"{{{MD}}}version") or "").strip()
        if re.fullmatch(r"[1-9][0-9]\.0", version):
            return version
    return None


def _parser() -> etree.XMLParser:
    """No DTD, no entities, no network: metadata files never need them, and hostile files use them."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read(path: Path) -> MetadataFile:
    shown = display(str(path))
    kind_member = _type_of(path)
    assert kind_member is not None
    kind, member = kind_member
    if not API_NAME.match(member) or len(member) > 80:
        raise SpecError([error(Location(shown, 1, 1), codes.IMPORT_FILE,
                               f"'{display(member)}' is not a Salesforce API name",
                               "metadata file names are API names: letters, digits and single underscores")])
    try:
        data = read_input(path, MAX_BYTES)
    except InputProblem as problem:
        raise SpecError([error(Location(shown, 1, 1), codes.IMPORT_FILE, f"cannot read it: it {problem}")]) \
            from None
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
        if tree.docinfo.doctype:
            at = data.find(b"<!DOCTYPE")
            line = data.count(b"\n", 0, at) + 1 if at >= 0 else 1
            raise SpecError([error(Location(shown, line, 1), codes.IMPORT_FILE,
                                   "a DOCTYPE (with its entities) is not allowed in a metadata file",
                                   "Salesforce never writes one; remove it")])
        root = tree.getroot()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 1)
        message = re.sub(r", line \d+, column \d+$", "", str(exc.msg))
        raise SpecError([error(Location(shown, line or 1, max(column or 1, 1)), codes.IMPORT_FILE,
                               f"not well-formed XML: {display(message)}")]) from None
    if local(root) == kind and not str(root.tag).startswith(f"{{{MD}}}"):
        raise SpecError([error(
            Location(shown, root.sourceline or 1, 1), codes.IMPORT_FILE,
            f"root element <{kind}> is not in the Metadata API namespace",
            f'write <{kind} xmlns="{MD}">',
        )])
    if not str(root.tag).startswith(f"{{{MD}}}") or local(root) != kind:
        raise SpecError([error(
            Location(shown, root.sourceline or 1, 1), codes.IMPORT_FILE,
            f"root element is <{local(root)}>, but a {registry()[kind]['suffix']} file holds <{kind}>",
            f"the root element must be {kind} in the namespace {MD}",
        )])
    # A comment or processing instruction inside a value would cut its text at `.text`: they go, their
    # surrounding text joins (what Salesforce itself keeps of the value).
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    lifted = _lift_old_elements(root, kind)
    schema = metadata_schema()
    if not schema.validate(root.getroottree()):
        problems = [error(Location(shown, e.line or 1, 1), codes.IMPORT_FILE, _schema_message(e.message))
                    for e in schema.error_log]
        # A secret in a file that cannot be imported was in source control all the same.
        problems += [error(Location(shown, e.sourceline or 1, 1), codes.IMPORT_FILE,
                           f"{local(e)}: {SECRETS[local(e)]} is never imported; rotate it, it was in source control")
                     for e in root.iter() if isinstance(e.tag, str) and local(e) in SECRETS and (e.text or "").strip()]
        raise SpecError(problems)
    _canonical_booleans(root)
    return MetadataFile(path, shown, kind, member, root, lifted)


def _canonical_booleans(root: etree._Element) -> None:
    """xsd:boolean also takes 1, 0 and surrounding spaces; the converters read `true` and `false` only."""
    names = _boolean_elements()
    for element in root.iter():
        if isinstance(element.tag, str) and len(element) == 0 and local(element) in names:
            text = (element.text or "").strip()
            element.text = {"1": "true", "0": "false"}.get(text, text)


@cache
def _boolean_elements() -> frozenset[str]:
    """Names of the Metadata API's boolean elements (no name is a boolean in one type and not in another)."""
    xsd = etree.fromstring(data_file("data/metadata-subset.xsd").read_bytes())
    return frozenset(str(e.get("name")) for e in xsd.iter("{http://www.w3.org/2001/XMLSchema}element")
                     if e.get("type") == "xsd:boolean")


def _lift_old_elements(root: etree._Element, kind: str) -> dict[str, tuple[str, ...]]:
    """Take out what API 56-57 External Credentials wrote inside a principal: <principal>Set</principal>."""
    if kind != "ExternalCredential":
        return {}
    lifted: dict[str, list[str]] = {}
    for param in root.findall(f"{{{MD}}}externalCredentialParameters"):
        for old in param.findall(f"{{{MD}}}principal"):
            name = param.findtext(f"{{{MD}}}parameterName") or ""
            lifted.setdefault(name, []).append(old.text or "")
            param.remove(old)
    return {name: tuple(values) for name, values in lifted.items()}


def _schema_message(message: str) -> str:
    cleaned = message.replace(f"{{{MD}}}", "")
    return f"not valid Metadata API XML: {cleaned}"
