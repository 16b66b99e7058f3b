"""Property tests: any text a user may write survives escaping into XML and Apex."""

from __future__ import annotations

import string

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from sfauthgen.templating import apex_comment, apex_string

from helpers import render_text

# XML 1.0 allows no control characters but tab, newline and carriage return; labels are one line.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029\ufeff"),
    min_size=1, max_size=60,
).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(label=TEXT, description=TEXT)
def test_labels_and_descriptions_round_trip_through_xml(tmp_path_factory, label, description):
    spec = {"version": 1, "permission_sets": [{"name": "P", "label": label[:80], "description": description}]}
    files = render_text(tmp_path_factory.mktemp("p"), yaml.safe_dump(spec, allow_unicode=True))
    root = etree.fromstring(files["PermissionSet:P"].content.encode("utf-8"))
    ns = "{http://soap.sforce.com/2006/04/metadata}"
    assert root.findtext(f"{ns}label") == label[:80]
    assert root.findtext(f"{ns}description") == description


@given(st.text(alphabet=string.printable, max_size=80))
def test_apex_string_literals_decode_to_the_original(value):
    literal = str(apex_string(value))
    assert literal.startswith("'") and literal.endswith("'")
    body = literal[1:-1]
    # Every quote and backslash inside is escaped, so the literal cannot end early.
    decoded, i = [], 0
    escapes = {"n": "\n", "r": "\r", "t": "\t", "'": "'", "\\": "\\"}
    while i < len(body):
        if body[i] == "\\":
            decoded.append(escapes[body[i + 1]])
            i += 2
        else:
            assert body[i] != "'"
            decoded.append(body[i])
            i += 1
    assert "".join(decoded) == value


@given(st.text(max_size=80))
def test_apex_comments_never_close_early(value):
    text = str(apex_comment(value))
    assert "*/" not in text and "\n" not in text
