"""What a plan changes per component and setting, for a reviewer: "Data_Migration: oauthPolicy/ipRelaxation
ENFORCE -> BYPASS" before the diffs.

The old file comes from the output folder, which a pull request may have edited: it is parsed without
DTDs, entities or network, and what is shown of it is scrubbed, control characters escaped and cut short.
"""

from __future__ import annotations

from sfauthgen.inputs import shown
from sfauthgen.records import record
from sfauthgen.secretpatterns import scrub

MAX_VALUE = 80
MAX_CHANGES_PER_FILE = 40


@record
class SettingChange:
    setting: str  # element path below the root, such as oauthPolicy/ipRelaxation
    old: tuple[str, ...]
    new: tuple[str, ...]

    def describe(self) -> str:
        if len(self.old) <= 1 and len(self.new) <= 1:
            before = _value(self.old[0]) if self.old else "(none)"
            after = _value(self.new[0]) if self.new else "(none)"
            return f"{self.setting} {before} -> {after}"
        added = [v for v in self.new if v not in self.old]
        removed = [v for v in self.old if v not in self.new]
        parts = [f"+{_value(v)}" for v in added] + [f"-{_value(v)}" for v in removed]
        return f"{self.setting} {' '.join(parts) or '(reordered)'}"


def _value(text: str) -> str:
    text = shown(scrub(text))
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def setting_changes(old: str | None, new: str | None) -> list[SettingChange] | None:
    """The leaf settings that differ, in the new file's order; None when either side is not XML we can read."""
    before, after = _leaves(old or ""), _leaves(new or "")
    if before is None or after is None:
        return None
    changes = [SettingChange(path, before.get(path, ()), values) for path, values in after.items()
               if before.get(path, ()) != values]
    changes += [SettingChange(path, values, ()) for path, values in before.items() if path not in after]
    return changes


def _leaves(text: str) -> dict[str, tuple[str, ...]] | None:
    """Element path -> the texts of the leaf elements at that path, in document order."""
    if not text:
        return {}
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    found: dict[str, list[str]] = {}

    def walk(element: object, prefix: str) -> None:
        for child in element:  # type: ignore[attr-defined]
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            path = f"{prefix}/{name}" if prefix else name
            if len(child):
                walk(child, path)
            else:
                found.setdefault(path, []).append((child.text or "").strip())

    walk(root, "")
    return {path: tuple(values) for path, values in found.items()}
