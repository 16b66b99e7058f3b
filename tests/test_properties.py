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


# Mostly text a spec may hold (any letters, symbols, quotes, markup), sometimes any code point at all.
ANY_TEXT = st.one_of(TEXT, TEXT, TEXT, TEXT, st.text(max_size=40))
NAME = st.from_regex(r"\A[A-Za-z][A-Za-z0-9]{0,10}(_[A-Za-z0-9]{1,5}){0,2}\Z")


@st.composite
def any_spec(draw: st.DrawFn) -> dict:
    """A spec whose shape is right and whose texts are anything at all."""
    ps = draw(NAME)
    ec = draw(NAME)
    headers = draw(st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=3))
    return {
        "version": 1,
        "permission_sets": [{"name": ps, "label": draw(ANY_TEXT), "description": draw(ANY_TEXT)}],
        "external_client_apps": [{
            "name": draw(NAME), "label": draw(ANY_TEXT), "contact_email": "a@example.com",
            "description": draw(ANY_TEXT),
            "oauth": {"callback_urls": [draw(st.sampled_from(["https://a.example.com/cb", "myapp://cb"]))],
                      "scopes": ["api"]},
            "ip_ranges": [{"start": "10.0.0.1", "end": "10.0.0.9", "description": draw(ANY_TEXT)}],
        }],
        "external_credentials": [{
            "name": ec, "label": draw(ANY_TEXT), "protocol": "custom", "headers": headers,
            "principals": [{"name": draw(ANY_TEXT), "access": [ps]}],
        }],
        "named_credentials": [{"name": draw(NAME), "label": draw(ANY_TEXT), "external_credential": ec,
                               "url": "https://api.example.com", "headers": headers}],
    }


@settings(max_examples=120, deadline=None)
@given(spec=any_spec())
def test_every_spec_that_validates_renders_schema_valid_xml(tmp_path_factory, spec):
    from sfauthgen import pipeline
    from sfauthgen.diagnostics import SpecError
    from sfauthgen.files.layout import Layout
    from sfauthgen.files.xmlcheck import schema_errors
    from sfauthgen.render import render

    path = tmp_path_factory.mktemp("any") / "spec.yaml"
    try:
        path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot even be written as UTF-8
        return
    try:
        checked = pipeline.load_and_check([path])
    except SpecError as exc:
        assert exc.diagnostics and all(d.code for d in exc.diagnostics)
        return
    for generated in render(pipeline.model(checked), Layout()):  # raises InternalError on invalid XML
        if generated.xml:
            assert schema_errors(generated.content) == [], generated.path


@settings(max_examples=100, deadline=None)
@given(files=st.dictionaries(st.text(min_size=1, max_size=30), st.text(alphabet="0123456789abcdef", min_size=64,
                                                                          max_size=64).map("sha256:".__add__),
                             max_size=6))
def test_the_manifest_is_written_as_json_indents_it(files):
    """manifest_text writes what json.dumps(indent=2) would, quickly (committed manifests stay
    byte for byte as earlier versions wrote them)."""
    import json

    from sfauthgen.files.manifest import _COMMENT, FORMAT, manifest_text

    expected = json.dumps({"comment": _COMMENT, "format": FORMAT, "files": dict(sorted(files.items()))}, indent=2)
    assert manifest_text(files) == expected + "\n"
