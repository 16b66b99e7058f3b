"""Each Connected App setting of the spec language maps to the element and value FACTS.md gives."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from conftest import MINIMAL_APP
from helpers import render_text

NS = {"m": "http://soap.sforce.com/2006/04/metadata"}

OAUTH = """\
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success]
      scopes: [api]
"""


def app_xml(tmp_path, extra: str = "", oauth: str = OAUTH, name: str = "Minimal") -> etree._Element:
    files = render_text(tmp_path, MINIMAL_APP + oauth + extra)
    return etree.fromstring(files[f"ConnectedApp:{name}"].content.encode())


def texts(root, xpath: str) -> list[str]:
    return [e.text for e in root.xpath(xpath, namespaces=NS)]


def test_minimal_app_without_oauth(tmp_path):
    files = render_text(tmp_path, MINIMAL_APP)
    assert files["ConnectedApp:Minimal"].content == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <contactEmail>team@example.com</contactEmail>\n"
        "    <label>Minimal</label>\n"
        "</ConnectedApp>\n"
    )


def test_oauth_defaults(tmp_path):
    root = app_xml(tmp_path)
    oauth = {e.tag.split("}")[1]: e.text for e in root.find("m:oauthConfig", NS)}
    assert oauth == {
        "callbackUrl": "https://login.salesforce.com/services/oauth2/success",
        "isAdminApproved": "false",
        "isClientCredentialEnabled": "false",
        "isCodeCredentialEnabled": "false",
        "isCodeCredentialPostOnly": "false",
        "isConsumerSecretOptional": "false",
        "isIntrospectAllTokens": "false",
        "isNamedUserJwtEnabled": "false",
        "isPkceRequired": "false",
        "isRefreshTokenRotationEnabled": "false",
        "isSecretRequiredForRefreshToken": "true",
        "isSecretRequiredForTokenExchange": "false",
        "isTokenExchangeEnabled": "false",
        "scopes": "Api",
    }
    # Every boolean the WSDL defines is there, as a retrieve writes them, so a retrieve shows no difference.
    assert texts(root, "m:oauthPolicy/m:isTokenExchangeFlowEnabled") == ["false"]
    assert texts(root, "m:oauthPolicy/m:ipRelaxation") == ["ENFORCE"]
    assert texts(root, "m:oauthPolicy/m:refreshTokenPolicy") == ["infinite"]


def test_scopes_fold_aliases_and_follow_wsdl_order(tmp_path):
    oauth = OAUTH.replace("[api]", "[openid, refresh_token, Api, offline_access, id, full, visualforce]")
    root = app_xml(tmp_path, oauth=oauth)
    assert texts(root, "m:oauthConfig/m:scopes") == [
        "Basic", "Api", "Full", "CustomApplications", "RefreshToken", "OpenID",
    ]


def test_several_callback_urls_share_one_element(tmp_path):
    oauth = OAUTH.replace(
        "[https://login.salesforce.com/services/oauth2/success]",
        "[https://a.example.com/cb, https://b.example.com/cb]",
    )
    root = app_xml(tmp_path, oauth=oauth)
    assert texts(root, "m:oauthConfig/m:callbackUrl") == ["https://a.example.com/cb\nhttps://b.example.com/cb"]


@pytest.mark.parametrize(
    ("spec", "salesforce"),
    [
        ("enforce", "ENFORCE"),
        ("enforce_relax_refresh", "ENFORCE_RELAXREFRESH"),
        ("relax_with_second_factor", "BYPASS_2FACTOR"),
        ("relax", "BYPASS"),
    ],
)
def test_ip_relaxation(tmp_path, spec, salesforce):
    root = app_xml(tmp_path, f"    policies:\n      ip_relaxation: {spec}\n")
    assert texts(root, "m:oauthPolicy/m:ipRelaxation") == [salesforce]


@pytest.mark.parametrize(
    ("spec", "salesforce"),
    [
        ("never_expires", "infinite"),
        ("expire_immediately", "zero"),
        ("{expire_after: 90 days}", "specific_lifetime:90:DAYS"),
        ("{expire_after: 1 month}", "specific_lifetime:1:MONTHS"),
        ("{expire_if_unused_for: 12 hours}", "specific_inactivity:12:HOURS"),
        ('{expire_if_unused_for: "1 day"}', "specific_inactivity:1:DAYS"),
    ],
)
def test_refresh_token_policy(tmp_path, spec, salesforce):
    root = app_xml(tmp_path, f"    policies:\n      refresh_token: {spec}\n")
    assert texts(root, "m:oauthPolicy/m:refreshTokenPolicy") == [salesforce]


def test_secret_and_flow_flags(tmp_path):
    oauth = OAUTH + (
        "      require_secret_for_web_server_flow: false\n"
        "      require_secret_for_refresh_token_flow: false\n"
        "      require_pkce: true\n"
        "      introspect_all_tokens: true\n"
        "      client_credentials:\n"
        "        run_as: integration@example.com\n"
    )
    root = app_xml(tmp_path, oauth=oauth)
    config = root.find("m:oauthConfig", NS)
    values = {e.tag.split("}")[1]: e.text for e in config}
    assert values["isConsumerSecretOptional"] == "true"
    assert values["isSecretRequiredForRefreshToken"] == "false"
    assert values["isPkceRequired"] == "true"
    assert values["isIntrospectAllTokens"] == "true"
    assert values["isClientCredentialEnabled"] == "true"
    assert values["oauthClientCredentialUser"] == "integration@example.com"


def test_admin_approved_with_permission_sets_by_label_and_profiles(tmp_path):
    extra = (
        "    policies:\n"
        "      permitted_users: admin_approved\n"
        "      permission_sets: [Zeta_Access, Declared_Set, Managed_Elsewhere]\n"
        "      profiles: [System Administrator, Integration User]\n"
        "      session_timeout_minutes: 15\n"
        "permission_sets:\n"
        "  - name: Declared_Set\n"
        "    label: Declared Set Label\n"
    )
    root = app_xml(tmp_path, extra)
    assert texts(root, "m:oauthConfig/m:isAdminApproved") == ["true"]
    # In the order written (SPEC_LANGUAGE: lists keep the order written in the spec).
    assert texts(root, "m:permissionSetName") == ["Zeta_Access", "Declared Set Label", "Managed_Elsewhere"]
    assert texts(root, "m:profileName") == ["System Administrator", "Integration User"]
    assert texts(root, "m:sessionPolicy/m:sessionTimeout") == ["15"]


def test_ip_ranges_in_the_order_written(tmp_path):
    extra = (
        "    ip_ranges:\n"
        "      - {start: 203.0.113.100, end: 203.0.113.120}\n"
        "      - {start: 203.0.113.9, end: 203.0.113.20, description: migration servers}\n"
    )
    root = app_xml(tmp_path, extra)
    assert texts(root, "m:ipRanges/m:start") == ["203.0.113.100", "203.0.113.9"]
    assert texts(root, "m:ipRanges/m:description") == ["migration servers"]


def test_jwt_certificate_body_from_pem(tmp_path):
    from conftest import SPECS

    pem = (SPECS / "certs" / "data_migration.crt").read_text()
    (tmp_path / "app.crt").write_text(pem)
    oauth = OAUTH + "      jwt_bearer:\n        certificate: app.crt\n"
    extra = "    policies:\n      permitted_users: admin_approved\n      profiles: [Integration User]\n"
    root = app_xml(tmp_path, extra, oauth=oauth)
    body = "".join(pem.strip().splitlines()[1:-1])
    assert texts(root, "m:oauthConfig/m:certificate") == [body]


def test_consumer_key_and_secret_are_never_written(cli, tmp_path):
    """Secrets and org links never; a consumer key only where the spec names one (auth providers' client ids)."""
    from conftest import SPECS, tree

    assert cli("generate", SPECS, "-d", tmp_path / "out", "-q").code == 0
    for path, content in tree(tmp_path / "out").items():
        assert not re.search(rb"consumerSecret|oauthLink", content), path
        assert ("/authproviders/" in path) == (b"consumerKey" in content), path


def test_escaping_of_markup_characters(tmp_path):
    text = (
        "version: 1\n"
        "connected_apps:\n"
        "  - name: Escaped\n"
        "    label: R&D <Ops> \"quoted\" 'single'\n"
        "    contact_email: team@example.com\n"
        "    description: a & b < c > d \" e ' f\n"
        "permission_sets:\n"
        "  - name: Escaped_Set\n"
        "    label: Tom's \"R&D\" <set>\n"
    )
    files = render_text(tmp_path, text)
    app = files["ConnectedApp:Escaped"].content
    assert "<label>R&amp;D &lt;Ops&gt; &quot;quoted&quot; &apos;single&apos;</label>" in app
    assert "<description>a &amp; b &lt; c &gt; d &quot; e &apos; f</description>" in app
    perm = files["PermissionSet:Escaped_Set"].content
    assert "<label>Tom&apos;s &quot;R&amp;D&quot; &lt;set&gt;</label>" in perm
    for generated in files.values():
        assert etree.fromstring(generated.content.encode()) is not None
