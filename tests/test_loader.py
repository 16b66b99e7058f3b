"""YAML loading: positions, duplicate keys, aliases, YAML 1.1 scalars kept honest."""

from __future__ import annotations

import pytest

from sfauthgen.diagnostics import Location, SpecError
from sfauthgen.spec.loader import YamlTimestamp, load_file, spec_files


def load(tmp_path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return load_file(path, display="s.yaml")


def test_positions_of_keys_and_values(tmp_path):
    doc = load(tmp_path, "version: 1\nconnected_apps:\n  - name: A\n    label:   L\n")
    assert doc.locate(("connected_apps", 0, "label")) == Location("s.yaml", 4, 14)
    assert doc.locate(("connected_apps", 0, "label"), key=True) == Location("s.yaml", 4, 5)
    # A path that does not exist reports its nearest ancestor.
    assert doc.locate(("connected_apps", 0, "oauth", "scopes")) == Location("s.yaml", 3, 5)


def test_duplicate_keys_are_rejected(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "version: 1\nversion: 1\n")
    assert str(info.value) == "s.yaml:2:1: SFY103 duplicate key 'version' (first defined at line 1)"


def test_aliases_are_expanded_within_bounds(tmp_path):
    doc = load(tmp_path, "a: &s [api, web]\nb: *s\n")
    assert doc.data == {"a": ["api", "web"], "b": ["api", "web"]}


def test_recursive_alias_is_rejected(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "a: &x\n  - *x\n")
    assert "recursive YAML alias" in str(info.value)


def test_merge_keys_are_rejected(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "merge keys" in str(info.value)


def test_timestamps_keep_their_text(tmp_path):
    doc = load(tmp_path, "d: 2027-03-31\n")
    assert doc.data["d"] == "2027-03-31"
    assert isinstance(doc.data["d"], YamlTimestamp)


def test_non_string_scalars_remember_what_was_written(tmp_path):
    doc = load(tmp_path, "id: 012345670123\nflag: no\n")
    assert doc.data == {"id": 1402433619, "flag": False}
    assert doc.raw_scalars[("id",)] == "012345670123"
    assert doc.raw_scalars[("flag",)] == "no"


def test_non_string_keys_are_rejected(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "1: a\n")
    assert "keys must be plain strings" in str(info.value)


def test_custom_tags_are_rejected(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "a: !!python/object:os.system x\n")
    assert "unsupported YAML tag" in str(info.value)


def test_multiple_documents_are_rejected(tmp_path):
    with pytest.raises(SpecError) as info:
        load(tmp_path, "a: 1\n---\nb: 2\n")
    assert "invalid YAML" in str(info.value)


def test_empty_file_loads_as_nothing(tmp_path):
    assert load(tmp_path, "").data is None


def test_not_utf8(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(SpecError) as info:
        load_file(path, display="s.yaml")
    assert str(info.value) == "s.yaml:1:4: SFY101 spec is not UTF-8 text (byte 3)\n    hint: save the file as UTF-8"


def test_a_character_yaml_refuses_is_located_without_libyaml_text(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes(b"version: 1\nx: a\x00b\n")
    with pytest.raises(SpecError) as info:
        load_file(path, display="s.yaml")
    assert str(info.value) == ("s.yaml:2:5: SFY105 contains the character U+0000, which YAML does not allow\n"
                               "    hint: remove it")


def test_spec_folders_expand_to_sorted_yaml_files(tmp_path):
    (tmp_path / "b.yml").write_text("")
    (tmp_path / "a.yaml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yaml").write_text("")
    assert [p.relative_to(tmp_path).as_posix() for p in spec_files([tmp_path])] == [
        "a.yaml", "b.yml", "sub/c.yaml",
    ]


def test_bidirectional_and_zero_width_characters_are_refused_emoji_joiners_are_not(tmp_path):
    """A reviewer does not see them, and they can make a value read as another ("Trojan Source")."""
    path = tmp_path / "s.yaml"
    path.write_text('a: "Admin\u202e gnp.exe"\nb: "\U0001f469\u200d\U0001f4bb"\n', encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_file(path, display="s.yaml")
    assert str(info.value) == ("s.yaml:1:4: SFY105 contains the invisible character U+202E, which hides or reorders "
                               "text in a review\n    hint: remove it")
    path.write_text('b: "\U0001f469\u200d\U0001f4bb"\n', encoding="utf-8-sig")  # a BOM before the text is fine
    assert load_file(path).data == {"b": "\U0001f469\u200d\U0001f4bb"}
