"""Load spec files: safe YAML with a position for every key and value.

PyYAML's constructors drop positions, keep the last of duplicate keys and
expand aliases without limit. We compose the node graph instead and build
plain Python values from it ourselves, which fixes all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, Location, SpecError, error
from sfauthgen.inputs import InputProblem, read_input

JsonPath = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
# A spec is configuration: anchors may share a scope list, never build a bomb.
MAX_NODES = 200_000
MAX_DEPTH = 64
# Characters XML 1.0 cannot hold (C0 controls but tab and line ends, surrogates, U+FFFE, U+FFFF), and
# the DEL and C1 controls no label or URL has:
# every string may end up in a metadata file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# libyaml parses ~10x faster; positions are identical, wording of syntax errors differs slightly.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class YamlTimestamp(str):
    """A scalar YAML 1.1 reads as a date, kept as the text written.

    The schema accepts it only where it expects a date; anywhere else a string
    is expected it is reported with "quote it" (see `schema.py`).
    """


@dataclass
class SpecDocument:
    """One loaded spec file."""

    path: str
    base_dir: Path
    data: Any
    value_marks: dict[JsonPath, Location] = field(default_factory=dict)
    key_marks: dict[JsonPath, Location] = field(default_factory=dict)
    # The text written for scalars YAML did not read as a string, for "quote it" hints.
    raw_scalars: dict[JsonPath, str] = field(default_factory=dict)

    def locate(self, path: JsonPath, *, key: bool = False) -> Location:
        """Position of the value (or key) at `path`, else of its nearest ancestor."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        probe = path
        while probe:
            if probe in self.value_marks:
                return self.value_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), Location(self.path, 1, 1))


def _location(path: str, mark: yaml.Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, doc: SpecDocument) -> None:
        self.doc = doc
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def error(self, node: yaml.Node, message: str, hint: str | None = None, code: str = codes.YAML_FEATURE) -> None:
        self.diagnostics.append(error(_location(self.doc.path, node.start_mark), code, message, hint))

    def build(self, node: yaml.Node, path: JsonPath, active: frozenset[int]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge(node)
        if len(path) > MAX_DEPTH:
            raise _TooDeep(node)
        self.doc.value_marks[path] = _location(self.doc.path, node.start_mark)
        if id(node) in active:
            self.error(node, "recursive YAML alias")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, active | {id(node)})
        if isinstance(node, yaml.SequenceNode):
            inner = active | {id(node)}
            return [self.build(item, path + (i,), inner) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath, active: frozenset[int]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, "YAML merge keys ('<<') are not supported", "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self.error(key_node, "keys must be plain strings", "quote the key")
                continue
            key = key_node.value
            if not self._clean(key_node, key):
                continue
            if key in seen:
                first = _location(self.doc.path, seen[key].start_mark)
                self.error(key_node, f"duplicate key '{key}' (first defined at line {first.line})",
                           code=codes.DUPLICATE_KEY)
                continue
            seen[key] = key_node
            self.doc.key_marks[path + (key,)] = _location(self.doc.path, key_node.start_mark)
            result[key] = self.build(value_node, path + (key,), active)
        return result

    def _clean(self, node: yaml.Node, text: str) -> bool:
        bad = _NOT_XML.search(text)
        if bad is None:
            return True
        self.error(node, f"contains the character U+{ord(bad.group()):04X}, which metadata files cannot hold",
                   "remove it (write line breaks as real line breaks)", code=codes.BAD_CHARACTER)
        return False

    def _scalar(self, node: yaml.Node, path: JsonPath) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            return node.value if self._clean(node, node.value) else None
        self.doc.raw_scalars[path] = node.value
        if tag == "tag:yaml.org,2002:timestamp":
            return YamlTimestamp(node.value)
        if tag in _SCALAR_TAGS:
            try:
                return self.constructor.construct_object(node)
            except ValueError:  # Python refuses integers of more than 4,300 digits
                self.error(node, f"the number {node.value[:12]}... is too large", "write a number Salesforce "
                           "accepts, or quote it if it is text", code=codes.WRONG_TYPE)
                return None
        self.error(node, f"unsupported YAML tag '{tag}'", "remove the tag; specs use plain YAML values")
        return None


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooDeep(_TooLarge):
    pass


def load_file(path: Path, display: str | None = None) -> SpecDocument:
    """Load one spec file; raise SpecError on anything that is not a clean YAML document."""
    shown = display or str(path)
    start = Location(shown, 1, 1)
    try:
        raw = read_input(path, MAX_FILE_BYTES)
    except InputProblem as unreadable:
        raise SpecError([error(start, codes.FILE, f"cannot read spec: it {unreadable}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError([error(start, codes.FILE, f"spec is not UTF-8 text (byte {exc.start})")]) from None
    doc = SpecDocument(path=shown, base_dir=path.parent, data=None)
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except RecursionError:
        raise SpecError([error(start, codes.YAML_FEATURE, f"spec is nested more than {MAX_DEPTH} levels deep",
                               "specs are a few levels deep; flatten it")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in str(exc.problem) and "quoted scalar" in str(exc.context):
            # An unclosed quote: point at where it opens, not at the end of the file.
            raise SpecError([error(_location(shown, exc.context_mark), codes.YAML_SYNTAX,
                                   "invalid YAML: this quoted string is never closed",
                                   "add the closing quote")]) from None
        loc = _location(shown, mark) if mark else start
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None
        if exc.context and exc.context_mark and exc.problem:
            hint = f"{exc.context} that starts at line {exc.context_mark.line + 1}"
        raise SpecError([error(loc, codes.YAML_SYNTAX, f"invalid YAML: {problem}", hint)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([error(start, codes.YAML_SYNTAX, f"invalid YAML: {exc}")]) from None
    if root is None:
        doc.value_marks[()] = start
        return doc
    builder = _Builder(doc)
    try:
        doc.data = builder.build(root, (), frozenset())
    except _TooDeep as exc:
        loc = _location(shown, exc.node.start_mark)
        raise SpecError([error(loc, codes.YAML_FEATURE, f"spec is nested more than {MAX_DEPTH} levels deep",
                               "specs are a few levels deep; flatten it")]) from None
    except _TooLarge as exc:
        loc = _location(shown, exc.node.start_mark)
        raise SpecError(
            [error(loc, codes.YAML_FEATURE, f"spec expands to more than {MAX_NODES} YAML nodes", "reduce alias use")]
        ) from None
    if builder.diagnostics:
        raise SpecError(builder.diagnostics)
    return doc


def spec_files(arguments: list[Path]) -> Iterator[Path]:
    """Expand SPEC arguments: files as given, folders to their *.yaml/*.yml files, sorted, leaving out
    hidden files and folders (.git, .github, editor backups)."""
    for arg in arguments:
        if arg.is_dir():
            yield from sorted(
                p for p in arg.rglob("*")
                if p.suffix in (".yaml", ".yml") and not any(part.startswith(".") for part in p.relative_to(arg).parts)
                and p.is_file()
            )
        else:
            yield arg
