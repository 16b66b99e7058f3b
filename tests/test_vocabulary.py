"""The spec vocabulary agrees with the WSDL, FACTS.md and the JSON Schema."""

from __future__ import annotations

import re

from lxml import etree

from sfauthgen import vocabulary
from sfauthgen.spec.schema import spec_schema

from conftest import shared_path

XSD_NS = {"xsd": "http://www.w3.org/2001/XMLSchema"}


def wsdl_enum(name: str) -> list[str]:
    tree = etree.parse(str(shared_path("reference", "metadata-v66.0.wsdl")))
    values = tree.xpath(
        f"//xsd:simpleType[@name='{name}']/xsd:restriction/xsd:enumeration/@value", namespaces=XSD_NS
    )
    assert values, name
    return [str(v) for v in values]


def facts() -> str:
    return shared_path("reference", "FACTS.md").read_text("utf-8")


def test_scope_order_is_the_wsdl_enumeration():
    assert list(vocabulary.SCOPE_ENUM_ORDER) == wsdl_enum("ConnectedAppOauthAccessScope")


def test_scope_token_names_match_facts():
    pairs = dict(re.findall(r"`([a-z_]+)`->([A-Za-z]+)", facts()))
    # "`refresh_token` and `offline_access`->RefreshToken" names two tokens for one value.
    pairs["refresh_token"] = "RefreshToken"
    assert pairs == vocabulary.SCOPE_TOKENS


def test_ip_relaxation_values_match_facts():
    text = facts()
    for ca, eca in vocabulary.IP_RELAXATION.values():
        assert f"`{ca}`" in text
        assert eca in text


def test_refresh_token_values_match_facts():
    text = facts()
    for ca, eca in vocabulary.REFRESH_TOKEN_SIMPLE.values():
        assert f"`{ca}`" in text and eca in text
    for ca, eca in vocabulary.REFRESH_TOKEN_PERIODIC.values():
        assert f"`{ca}:<n>:<HOURS|DAYS|MONTHS>`" in text and eca in text


def test_schema_enums_match_vocabulary():
    defs = spec_schema()["$defs"]
    assert defs["scope"]["enum"] == list(vocabulary.SCOPE_TOKENS) + list(vocabulary.SCOPE_ENUM_ORDER)
    policies = defs["app"]["properties"]["policies"]["properties"]
    assert policies["ip_relaxation"]["enum"] == list(vocabulary.IP_RELAXATION)
    assert policies["permitted_users"]["enum"] == list(vocabulary.PERMITTED_USERS)
    assert policies["refresh_token"]["oneOf"][0]["enum"] == list(vocabulary.REFRESH_TOKEN_SIMPLE)
    periodic = policies["refresh_token"]["oneOf"][1]["properties"]
    assert sorted(periodic) == sorted(vocabulary.REFRESH_TOKEN_PERIODIC)
    units = re.search(r"\((.*)\)", defs["period"]["pattern"]).group(1).split("|")
    assert sorted(units) == sorted(vocabulary.PERIOD_UNITS)


def test_bulk_api_is_not_a_scope():
    assert vocabulary.scope_enum("bulk_api") is None
    assert "bulk_api" in vocabulary.SCOPE_MISTAKES


def test_packaged_registry_matches_shared():
    import json

    from sfauthgen.metadata import registry

    shared = json.loads(shared_path("reference", "registry.json").read_text("utf-8"))["types"]
    assert registry() == shared


def test_refresh_token_and_offline_access_are_one_scope_and_the_enum_name_offline_access_stays():
    from sfauthgen.vocabulary import scopes_in_wsdl_order

    assert scopes_in_wsdl_order(["offline_access", "refresh_token", "RefreshToken"]) == ("RefreshToken",)
    assert scopes_in_wsdl_order(["OfflineAccess", "Api"]) == ("Api", "OfflineAccess")
