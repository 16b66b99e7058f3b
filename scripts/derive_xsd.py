#!/usr/bin/env python3
"""Derive the compact XSD that sfauthgen validates its output against.

The Metadata API WSDL holds one XML Schema with ~2,700 types. sfauthgen emits a
handful of them, so this script keeps only the types reachable from the root
types below, and adds a global element for each root (the WSDL declares none,
because SOAP wraps metadata in `<metadata xsi:type=...>`). The result ships in
the package; `tests/test_xsd.py` checks it is current.

Usage: python scripts/derive_xsd.py [WSDL] [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

from sfauthgen.kinds.registry import metadata_types
from sfauthgen.metadata import METADATA_NS as MD

XSD = "http://www.w3.org/2001/XMLSchema"


# Root element name -> complexType: every type a kind writes, and package.xml's root `Package`.
ROOTS = tuple(sorted({*metadata_types(), "Package"}))

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WSDL = REPO.parent / "shared" / "reference" / "metadata-v66.0.wsdl"
DEFAULT_OUT = REPO / "generator" / "sfauthgen" / "data" / "metadata-subset.xsd"


def _referenced_types(node: etree._Element) -> set[str]:
    names = set()
    for el in node.iter():
        for attr in ("type", "base"):
            value = el.get(attr)
            if value and value.startswith("tns:"):
                names.add(value[4:])
    return names


def derive(wsdl_path: Path) -> bytes:
    tree = etree.parse(str(wsdl_path))
    schema = tree.find(f".//{{{XSD}}}schema")
    if schema is None:
        raise SystemExit(f"{wsdl_path}: no xsd:schema found")
    types = {
        el.get("name"): el
        for el in schema
        if el.tag in (f"{{{XSD}}}complexType", f"{{{XSD}}}simpleType")
    }
    wanted: set[str] = set()
    todo = list(ROOTS)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in types:
            raise SystemExit(f"{wsdl_path}: type {name} not found")
        wanted.add(name)
        todo.extend(_referenced_types(types[name]) - wanted)

    out = etree.Element(
        f"{{{XSD}}}schema",
        nsmap={"xsd": XSD, "tns": MD},
        attrib={"targetNamespace": MD, "elementFormDefault": "qualified"},
    )
    out.text = "\n"
    comment = etree.Comment(
        " Derived by scripts/derive_xsd.py from the Salesforce Metadata API WSDL "
        f"({wsdl_path.name}): the types sfauthgen emits and everything they reference. "
        "Do not edit by hand. "
    )
    out.append(comment)
    # WSDL order is kept so the file diffs cleanly when the WSDL is updated.
    for el in schema:
        if el.get("name") in wanted and el.tag != f"{{{XSD}}}element":
            copy = etree.fromstring(etree.tostring(el))
            out.append(copy)
    for root in ROOTS:
        etree.SubElement(out, f"{{{XSD}}}element", name=root, type=f"tns:{root}")
    etree.cleanup_namespaces(out, top_nsmap={"xsd": XSD, "tns": MD}, keep_ns_prefixes=["tns"])
    etree.indent(out, space=" ")
    return etree.tostring(out, xml_declaration=True, encoding="UTF-8") + b"\n"


def main(argv: list[str]) -> int:
    wsdl = Path(argv[1]) if len(argv) > 1 else DEFAULT_WSDL
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    out.write_bytes(derive(wsdl))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
