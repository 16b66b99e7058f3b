"""Reading one metadata file element by element, remembering what was used.

Whatever a converter does not take is reported as not imported, so nothing is lost
silently; `false` booleans are the exception (false and absent mean the same).
"""

from __future__ import annotations

from lxml import etree

from sfauthgen import codes
from sfauthgen.inputs import shown
from sfauthgen.metadata import METADATA_NS
from sfauthgen.records import field, record
from sfauthgen.secretpatterns import scrub

NS = f"{{{METADATA_NS}}}"

# Values that belong to one org or are secrets: never imported, always reported.
ORG_SPECIFIC = {
    "oauthLink": "org-specific link to the org's OAuth consumer",
    "orgScopedExternalApp": "org-specific app id",
}
SECRETS = {
    "consumerSecret": "a consumer secret",
    "password": "a password",
    "awsAccessKey": "an AWS access key",
    "awsAccessSecret": "an AWS secret",
    "oauthToken": "an OAuth token",
    "oauthRefreshToken": "an OAuth refresh token",
    "ecKey": "a private key (an Apple provider's signing key)",
}


@record
class Loss:
    """Something in a source file that the spec does not carry."""

    file: str
    line: int
    what: str  # element path, such as oauthConfig/consumerKey
    why: str

    def format(self) -> str:
        return shown(scrub(f"{self.file}:{self.line}: {codes.NOT_IMPORTED} not imported: {self.what}: {self.why}"))


def local(element: etree._Element) -> str:
    return str(element.tag)[len(NS):] if str(element.tag).startswith(NS) else str(element.tag)


@record(frozen=False)
class Reader:
    """The elements of one file; `take*` marks what the spec carries."""

    file: str
    root: etree._Element
    taken: set[etree._Element] = field(default_factory=set)
    losses: list[Loss] = field(default_factory=list)

    def children(self, parent: etree._Element | None = None, name: str | None = None) -> list[etree._Element]:
        base = self.root if parent is None else parent
        return [c for c in base if isinstance(c.tag, str) and (name is None or local(c) == name)]

    def find(self, name: str, parent: etree._Element | None = None) -> etree._Element | None:
        found = self.children(parent, name)
        return found[0] if found else None

    def peek(self, name: str, parent: etree._Element | None = None) -> str | None:
        """The text of child `name` without marking it used."""
        element = self.find(name, parent)
        return None if element is None else element.text or ""

    def take(self, name: str, parent: etree._Element | None = None) -> str | None:
        """The text of child `name` (and mark it used), or None when absent."""
        element = self.find(name, parent)
        if element is None:
            return None
        self.taken.add(element)
        return element.text or ""

    def take_all(self, name: str, parent: etree._Element | None = None) -> list[str]:
        elements = self.children(parent, name)
        self.taken.update(elements)
        return [e.text or "" for e in elements]

    def flag(self, name: str, parent: etree._Element | None = None) -> bool:
        return self.take(name, parent) == "true"

    def mark(self, element: etree._Element) -> None:
        """Mark a whole subtree as carried by the spec."""
        self.taken.update(e for e in element.iter() if isinstance(e.tag, str))

    @staticmethod
    def name_of(element: etree._Element) -> str:
        """An element's name without the metadata namespace."""
        return local(element)

    def note(self, what: str, why: str, line: int = 1) -> None:
        """Report something the spec does not carry that is not one element (a setting, a protocol)."""
        self.losses.append(Loss(self.file, line, what, why))

    def lose(self, element: etree._Element, why: str) -> None:
        self.mark(element)
        self.losses.append(Loss(self.file, element.sourceline or 1, _path(self.root, element), why))

    def finish(self) -> list[Loss]:
        """Report every element no converter took (a partly used container reports its unused parts)."""
        for element in self.root.iter():
            if element is self.root or not isinstance(element.tag, str) or element in self.taken:
                continue
            if len(element) == 0 and (element.text or "").strip() == "false":
                continue
            if any(d in self.taken for d in element.iterdescendants()):
                continue
            name = local(element)
            if name in SECRETS:
                self.lose(element, f"{SECRETS[name]} is never imported; rotate it, it was in source control")
            elif name in ORG_SPECIFIC:
                self.lose(element, ORG_SPECIFIC[name])
            else:
                self.lose(element, "the spec language has no key for it")
        return self.losses


def _path(root: etree._Element, element: etree._Element) -> str:
    parts = [local(element)]
    for ancestor in element.iterancestors():
        if ancestor is root:
            break
        parts.append(local(ancestor))
    return "/".join(reversed(parts))
