"""Load spec files: safe YAML with a position for every key and value.

PyYAML's constructors drop positions, keep the last of duplicate keys and
expand aliases without limit. We compose the node graph instead and build
plain Python values from it ourselves, which fixes all three.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, Location, SpecError, error
from sfauthgen.inputs import InputProblem, each_file_once, read_input
from sfauthgen.records import field, record

JsonPath = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
# A spec is configuration: anchors may share a scope list, never build a bomb.
MAX_NODES = 200_000
MAX_DEPTH = 64
# No number a metadata file holds is written in more characters (a 64-bit integer takes 20).
MAX_NUMBER_CHARS = 100
# Characters XML 1.0 cannot hold (C0 controls but tab and line ends, surrogates, U+FFFE, U+FFFF), and
# the DEL and C1 controls no label or URL has:
# every string may end up in a metadata file.
# Bidirectional controls and zero-width characters: a reviewer reading the pull request does not see them,
# and they can make a value read as something else ("Trojan Source"). Joiners inside emoji stay allowed.
HIDDEN = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# libyaml parses ~10x faster; positions are identical, wording of syntax errors differs slightly.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# libyaml's marks are its own class (yaml._yaml.Mark), PyYAML's are yaml.Mark: both have line and column.
_Mark = Any

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


# A position packed in one int (0-based line above, column below): a spec has hundreds of
# thousands of values, and a Location object for each would be most of the loader's time and memory.
_LINE_SHIFT = 22
_COLUMN_MASK = (1 << _LINE_SHIFT) - 1


def _packed(mark: _Mark) -> int:
    line: int = mark.line
    column: int = mark.column
    return line << _LINE_SHIFT | column


@record(frozen=False)
class SpecDocument:
    """One loaded spec file."""

    path: str
    base_dir: Path
    data: Any
    # The text written for scalars YAML did not read as a string, for "quote it" hints.
    raw_scalars: dict[JsonPath, str] = field(default_factory=dict)
    # What it was loaded from: positions are read again from it when first asked for (an error, a
    # warning, a lint finding), as most runs report nothing and need none.
    text: str = field(default="", repr=False)
    _positions: tuple[dict[JsonPath, int], dict[JsonPath, int]] | None = field(default=None, repr=False)

    @property
    def value_marks(self) -> dict[JsonPath, int]:
        """Positions of values by path, packed (see `_packed`); read them through `locate`."""
        return self._marks()[0]

    @property
    def key_marks(self) -> dict[JsonPath, int]:
        return self._marks()[1]

    def _marks(self) -> tuple[dict[JsonPath, int], dict[JsonPath, int]]:
        if self._positions is None:
            self._positions = _positions_of(self.path, self.text)
        return self._positions

    def locate(self, path: JsonPath, *, key: bool = False) -> Location:
        """Position of the value (or key) at `path`, else of its nearest ancestor."""
        value_marks, key_marks = self._marks()
        if key and path in key_marks:
            return self._location(key_marks[path])
        probe = path
        while probe:
            if probe in value_marks:
                return self._location(value_marks[probe])
            probe = probe[:-1]
        if () in value_marks:
            return self._location(value_marks[()])
        return Location(self.path, 1, 1)

    def line_of(self, path: JsonPath) -> int:
        """The 1-based line where the value at `path` starts."""
        return self.locate(path).line

    def _location(self, packed: int) -> Location:
        return Location(self.path, (packed >> _LINE_SHIFT) + 1, (packed & _COLUMN_MASK) + 1)


def _location(path: str, mark: _Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# First characters of the plain scalars YAML 1.1 may read as something other than a string.
_RESOLVED_FIRST = frozenset(first for first in yaml.resolver.Resolver.yaml_implicit_resolvers if first)
_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MappingStart, _MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStart, _SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent


@record(frozen=False)
class _Anchor:
    """A value written once under `&name`, for the aliases that repeat it."""

    value: Any
    mark: _Mark
    path: JsonPath
    key: str | None  # the text, when the value can be a mapping key (a plain string)
    # The slices of the builder's position lists written below the value; None while it is built.
    values: slice | None = None
    keys: slice | None = None
    raws: slice | None = None
    problems: tuple[Diagnostic, ...] = ()  # found in the value: an alias reports them too
    size: int = 0  # values below it, each counted again by every alias
    height: int = 0  # how many levels below it they reach: an alias must stay within MAX_DEPTH


class _Builder:
    """Plain values from libyaml's event stream, recording where each value and key starts.

    Events rather than `yaml.compose`: no node graph is built (a third of the time, and memory).
    An alias repeats its anchor's value and positions (as the node graph would) within MAX_NODES.
    `check_characters` is off when the text holds no character XML refuses and no backslash (the
    only way a double-quoted scalar writes one), so no scalar can hold one either.
    """

    def __init__(self, path: str, parser: Any, check_characters: bool, positions: bool) -> None:
        self.path = path
        self.positions = positions  # record where values and keys are (see SpecDocument.text)
        # Typed loosely: libyaml's events and marks are Cython and Python classes alike.
        self.next: Callable[[], Any] = parser.get_event
        self.resolve: Callable[..., str] = parser.resolve
        self.parser = parser
        self.check_characters = check_characters
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, _Anchor] = {}
        # Positions as appended; what an anchor's value holds is a slice of these, which aliases copy.
        self.values: list[tuple[JsonPath, int]] = []
        self.keys: list[tuple[JsonPath, int]] = []
        self.raws: list[tuple[JsonPath, str]] = []
        self.count = 0  # values built or copied, never lowered (skipped values count too)
        self.deepest = 0  # the longest path so far (within the anchor being built: see `build`)

    def document(self) -> Any:
        self.next()  # stream start
        if self.next().__class__ is yaml.StreamEndEvent:
            return None
        root = self.next()
        data = self.build(root, ())
        self.next()  # document end
        after = self.next()
        if after.__class__ is not yaml.StreamEndEvent:
            raise yaml.composer.ComposerError("expected a single document in the stream", root.start_mark,
                                              "but found another document", after.start_mark)
        return data

    def error(self, mark: _Mark, message: str, hint: str | None = None, code: str = codes.YAML_FEATURE) -> None:
        self.diagnostics.append(error(_location(self.path, mark), code, message, hint))

    def build(self, event: Any, path: JsonPath) -> Any:
        self.count += 1
        kind = event.__class__
        if self.count > MAX_NODES or len(path) > MAX_DEPTH:
            # An alias stands for its anchor's node (so the node graph would have said).
            anchor = self.anchors.get(event.anchor) if kind is _Alias else None
            mark = anchor.mark if anchor is not None else event.start_mark
            raise _TooLarge(mark) if self.count > MAX_NODES else _TooDeep(mark)
        if len(path) > self.deepest:
            self.deepest = len(path)
        if kind is _Alias:
            return self._alias(event, path)
        if self.positions:
            self.values.append((path, _packed(event.start_mark)))
        if event.anchor is None:
            return self._value(event, kind, path)
        anchor = self._anchor(event, path)
        firsts = len(self.values), len(self.keys), len(self.raws), len(self.diagnostics), self.count
        outer, self.deepest = self.deepest, len(path)
        anchor.value = self._value(event, kind, path)
        anchor.size = self.count - firsts[4]
        anchor.height = self.deepest - len(path)
        self.deepest = max(outer, self.deepest)
        anchor.problems = tuple(self.diagnostics[firsts[3]:])
        if kind is _Scalar and isinstance(anchor.value, str) and not isinstance(anchor.value, YamlTimestamp):
            anchor.key = anchor.value
        anchor.values = slice(firsts[0], len(self.values))
        anchor.keys = slice(firsts[1], len(self.keys))
        anchor.raws = slice(firsts[2], len(self.raws))
        return anchor.value

    def _anchor(self, event: Any, path: JsonPath) -> _Anchor:
        earlier = self.anchors.get(event.anchor)
        if earlier is not None:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence", earlier.mark,
                                              "second occurrence", event.start_mark)
        anchor = self.anchors[event.anchor] = _Anchor(None, event.start_mark, path, None)
        return anchor

    def _value(self, event: Any, kind: type, path: JsonPath) -> Any:
        if kind is _Scalar:
            return self._scalar(event, path)
        if kind is _MappingStart:
            return self._mapping(path)
        items: list[Any] = []
        plain = self._plain_text
        while (item := self.next()).__class__ is not _SequenceEnd:
            below = path + (len(items),)
            text = plain(item, below)
            items.append(self.build(item, below) if text is None else text)
        return items

    def _plain_text(self, event: Any, path: JsonPath) -> str | None:
        """The common case, taken without the general route through `build`: a string with no anchor,
        no tag and nothing YAML 1.1 could read as another type. None for anything else."""
        if event.__class__ is not _Scalar or event.anchor is not None or event.tag is not None \
                or self.check_characters or len(path) > MAX_DEPTH:
            return None
        text = event.value
        if event.implicit[0] and (not text or text[0] in _RESOLVED_FIRST):
            return None  # plain, and YAML 1.1 may read it as a number, boolean, date or null
        self.count += 1
        mark: _Mark = event.start_mark
        if self.count > MAX_NODES:
            raise _TooLarge(mark)
        if len(path) > self.deepest:
            self.deepest = len(path)
        if self.positions:
            self.values.append((path, mark.line << _LINE_SHIFT | mark.column))
        return text

    def _alias(self, event: Any, path: JsonPath) -> Any:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        mark = anchor.mark
        if self.positions:
            self.values.append((path, _packed(mark)))
        if anchor.values is None or anchor.keys is None or anchor.raws is None:
            self.error(mark, "recursive YAML alias")
            return None
        cut = len(anchor.path)
        if len(path) + anchor.height > MAX_DEPTH:
            # The first value of the repeated one that would be too deep, as the node graph would say
            # (found when positions are recorded: load_file then loads again to say where).
            too_deep = [packed for below, packed in self.values[anchor.values]
                        if len(path) + len(below) - cut > MAX_DEPTH]
            raise _TooDeep(too_deep[0] if too_deep else None)
        if self.count + anchor.size > MAX_NODES:
            # Where the node graph would have crossed the limit, walking the repeated value in order.
            copied, crossing = self.values[anchor.values], MAX_NODES - self.count
            raise _TooLarge(copied[crossing][1] if crossing < len(copied) else None)
        self.count += anchor.size
        self.deepest = max(self.deepest, len(path) + anchor.height)
        # Reported once, even where the anchor itself sits in a value that is skipped.
        self.diagnostics.extend(anchor.problems)
        if self.positions:
            self.values.extend((path + below[cut:], packed) for below, packed in self.values[anchor.values])
            self.keys.extend((path + below[cut:], packed) for below, packed in self.keys[anchor.keys])
        self.raws.extend((path + below[cut:], raw) for below, raw in self.raws[anchor.raws])
        return _copy(anchor.value)

    def _key(self, event: Any, path: JsonPath) -> tuple[str | None, _Mark]:
        """The text of a mapping key and where it is written (an alias key: where its anchor is)."""
        mark: _Mark = event.start_mark
        name: Any = event.anchor
        if event.__class__ is _Alias:
            anchor = self.anchors.get(name)
            if anchor is None:
                raise yaml.composer.ComposerError(None, None, "found undefined alias", mark)
            if anchor.key is None:
                self.error(anchor.mark, "keys must be plain strings", "quote the key")
            return anchor.key, anchor.mark
        if event.__class__ is not _Scalar:
            self._skip(event, path)
            self.error(mark, "keys must be plain strings", "quote the key")
            return None, mark
        tag = self._tag(event)
        text = event.value
        if name is not None:
            # An anchored key may be repeated by an alias, as a key or as a value.
            anchor = self._anchor(event, ())
            anchor.value = anchor.key = text if tag == _STR else None
            anchor.values, anchor.keys, anchor.raws = slice(0, 0), slice(0, 0), slice(0, 0)
        if tag != _STR:
            self.error(mark, *(("YAML merge keys ('<<') are not supported", "write the keys out") if tag == _MERGE
                               else ("keys must be plain strings", "quote the key")))
            return None, mark
        if self.check_characters and not self._clean(mark, text):
            return None, mark
        return text, mark

    def _mapping(self, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_marks: dict[str, _Mark] = {}
        next_event, plain, keys = self.next, self._plain_text, self.keys
        key: str | None
        mark: _Mark
        while (event := next_event()).__class__ is not _MappingEnd:
            if event.__class__ is _Scalar and event.anchor is None and event.tag is None \
                    and not self.check_characters and (not event.implicit[0] or (
                        event.value and event.value[0] not in _RESOLVED_FIRST)):
                key, mark = event.value, event.start_mark  # a plain string, as in `_plain_text`
            else:
                key, mark = self._key(event, path)
            value_event = next_event()
            if key is None:
                self._skip(value_event, path)
                continue
            if key in first_marks:
                self.error(mark, f"duplicate key '{key}' (first defined at line {first_marks[key].line + 1})",
                           code=codes.DUPLICATE_KEY)
                self._skip(value_event, path)
                continue
            first_marks[key] = mark
            below = path + (key,)
            if self.positions:
                keys.append((below, mark.line << _LINE_SHIFT | mark.column))
            text = plain(value_event, below)
            result[key] = self.build(value_event, below) if text is None else text
        return result

    def _skip(self, event: Any, path: JsonPath) -> None:
        """Read past a value that is not kept, as its key is refused or repeated (which is reported, not
        what the value holds). Anchors in it still count, and so do its values towards MAX_NODES."""
        saved = len(self.values), len(self.keys), len(self.raws), len(self.diagnostics)
        self.build(event, path + ("(skipped)",))  # as deep as it is written: MAX_DEPTH holds
        del self.values[saved[0]:], self.keys[saved[1]:], self.raws[saved[2]:], self.diagnostics[saved[3]:]

    def _tag(self, event: Any) -> str:
        tag: str | None = event.tag
        if tag is not None and tag != "!":
            return tag
        value = event.value
        if event.implicit[0] and (not value or value[0] in _RESOLVED_FIRST):
            return self.resolve(yaml.ScalarNode, value, event.implicit)
        return _STR

    def _clean(self, mark: _Mark, text: str) -> bool:
        bad = NOT_XML.search(text)
        if bad is not None:
            self.error(mark, f"contains the character U+{ord(bad.group()):04X}, which metadata files cannot hold",
                       "remove it (write line breaks as real line breaks)", code=codes.BAD_CHARACTER)
            return False
        hidden = HIDDEN.search(text)
        if hidden is not None:
            self.error(mark, f"contains the invisible character U+{ord(hidden.group()):04X}, which hides or reorders "
                             "text in a review", "remove it", code=codes.BAD_CHARACTER)
            return False
        return True

    def _scalar(self, event: Any, path: JsonPath) -> Any:
        value = event.value
        tag = self._tag(event)
        if tag == _STR:
            return value if not self.check_characters or self._clean(event.start_mark, value) else None
        self.raws.append((path, value))
        if tag == _TIMESTAMP:
            return YamlTimestamp(value)
        if tag in _SCALAR_TAGS:
            try:
                if len(value) > MAX_NUMBER_CHARS:
                    raise ValueError("too long")  # and YAML 1.1's base 60 (1:2:3) would take quadratic time
                # The safe constructors themselves: construct_object would keep every node it made.
                return self.parser.yaml_constructors[tag](self.parser, yaml.ScalarNode(tag, value, event.start_mark))
            except ValueError:  # Python refuses integers of more than 4,300 digits
                # Four characters at most: a long number may be a secret (a key written without quotes).
                self.error(event.start_mark, f"the number {value[:4]}... is too large", "write a number "
                           "Salesforce accepts, or quote it if it is text", code=codes.WRONG_TYPE)
                return None
        self.error(event.start_mark, f"unsupported YAML tag '{tag}'", "remove the tag; specs use plain YAML values")
        return None


def _copy(value: Any) -> Any:
    """A fresh copy of an aliased value, so no later step changes two places at once."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


class _TooLarge(Exception):
    def __init__(self, where: _Mark | int | None) -> None:
        self.packed = where if where is None or isinstance(where, int) else _packed(where)


class _TooDeep(_TooLarge):
    pass


def _offset_location(shown: str, before: str) -> Location:
    """The 1-based line and column just after the text `before`."""
    return Location(shown, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


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
        where = _offset_location(shown, raw[:exc.start].decode("utf-8", "replace"))
        raise SpecError([error(where, codes.FILE, f"spec is not UTF-8 text (byte {exc.start})",
                               "save the file as UTF-8")]) from None
    doc = SpecDocument(path=shown, base_dir=path.parent, data=None, text=text)
    try:
        doc.data, doc.raw_scalars = _build(shown, text, positions=False)[:2]
    except _TooLarge as exc:
        if exc.packed is None:  # where the limit was crossed is known once positions are recorded
            try:
                _build(shown, text, positions=True)
            except _TooLarge as located:
                exc = located
        message = (f"spec is nested more than {MAX_DEPTH} levels deep" if isinstance(exc, _TooDeep)
                   else f"spec expands to more than {MAX_NODES} YAML nodes")
        hint = "specs are a few levels deep; flatten it" if isinstance(exc, _TooDeep) else "reduce alias use"
        where = doc._location(exc.packed) if exc.packed is not None else start
        raise SpecError([error(where, codes.YAML_FEATURE, message, hint)]) from None
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
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: where it is, not libyaml's own text
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise SpecError([error(_offset_location(shown, text[:exc.position]), codes.BAD_CHARACTER,
                               f"contains the character U+{character:04X}, which YAML does not allow",
                               "remove it")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([error(start, codes.YAML_SYNTAX, f"invalid YAML: {exc}")]) from None
    return doc


def _build(shown: str, text: str, *, positions: bool) -> tuple[Any, dict[JsonPath, str], _Builder]:
    """The values of a spec's text and the raw text of its non-string scalars (and, with `positions`,
    the builder holding where each value and key is); SpecError for what the builder found wrong."""
    parser = _COMPOSER(text)
    suspect = "\\" in text or NOT_XML.search(text) is not None or HIDDEN.search(text) is not None
    builder = _Builder(shown, parser, suspect, positions)
    try:
        data = builder.document()
    finally:
        parser.dispose()
    if builder.diagnostics:
        raise SpecError(list(dict.fromkeys(builder.diagnostics)))
    return data, dict(builder.raws), builder


def _positions_of(shown: str, text: str) -> tuple[dict[JsonPath, int], dict[JsonPath, int]]:
    """Where each value and key of a loaded spec is: its text loaded again, recording positions."""
    if not text:
        return {}, {}
    builder = _build(shown, text, positions=True)[2]
    return dict(builder.values), dict(builder.keys)


def spec_files(arguments: list[Path]) -> Iterator[Path]:
    """Expand SPEC arguments: files as given, folders to their *.yaml/*.yml files, sorted, leaving out
    hidden files and folders (.git, .github, editor backups). A file reached twice (`specs specs/a.yaml`,
    `a.yaml ./a.yaml`) is read once, where it is first named: it is not its own duplicate."""
    return each_file_once(path for arg in arguments for path in _expanded(arg))


def _expanded(arg: Path) -> list[Path]:
    if not arg.is_dir():
        return [arg]
    return sorted(
        p for p in arg.rglob("*")
        if p.suffix in (".yaml", ".yml") and not any(part.startswith(".") for part in p.relative_to(arg).parts)
        and not p.is_dir()  # a pipe or a dangling link named *.yaml is listed, and the load says why
    )
