"""The per-setting summary of plan: right for ordinary edits, safe on a hostile old file."""

from __future__ import annotations

from sfauthgen.plansummary import setting_changes

NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def _app(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp {NS}>{body}</ConnectedApp>\n'


def test_a_changed_setting_and_a_changed_list():
    old = _app("<label>A</label><oauthConfig><scopes>Api</scopes><scopes>Web</scopes></oauthConfig>"
               "<oauthPolicy><ipRelaxation>ENFORCE</ipRelaxation></oauthPolicy>")
    new = _app("<label>A</label><oauthConfig><scopes>Api</scopes><scopes>RefreshToken</scopes></oauthConfig>"
               "<oauthPolicy><ipRelaxation>BYPASS</ipRelaxation></oauthPolicy>")
    described = [c.describe() for c in setting_changes(old, new) or []]
    assert described == ["oauthConfig/scopes +RefreshToken -Web", "oauthPolicy/ipRelaxation ENFORCE -> BYPASS"]


def test_removed_settings_are_listed_after_the_new_files_order():
    old = _app("<label>A</label><description>gone</description>")
    new = _app("<label>B</label>")
    assert [c.describe() for c in setting_changes(old, new) or []] == ["label A -> B", "description gone -> (none)"]


def test_entities_are_not_expanded_and_garbage_is_not_xml():
    hostile = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               f'<ConnectedApp {NS}><label>&e;</label></ConnectedApp>')
    changes = setting_changes(hostile, _app("<label>A</label>")) or []
    assert all("root:" not in c.describe() for c in changes)
    assert setting_changes("<<<not xml", _app("<label>A</label>")) is None


def test_secrets_and_control_characters_in_an_old_value_are_not_shown():
    old = _app("<label>ghp_abcdefghijklmnopqrstuvwxyz0123456789 &#x85;next</label>")
    shown = setting_changes(old, _app("<label>A</label>"))[0].describe()  # type: ignore[index]
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" not in shown
    assert "\x85" not in shown
    assert setting_changes(_app("<label>\u001b[2J</label>"), _app("<label>A</label>")) is None
