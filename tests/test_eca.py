"""External Client Apps: the connected-app entry rendered as Salesforce's ECA file set."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from conftest import SPECS, shared_path, tree, write_spec
from helpers import render_text

NS = "{http://soap.sforce.com/2006/04/metadata}"

APP = """\
  - name: Orders_Client
    label: Orders Client
    contact_email: orders@example.com
    description: Order sync
    oauth:
      callback_urls: [https://login.salesforce.com/services/oauth2/success, https://app.example.com/cb]
      scopes: [refresh_token, api, openid]
      client_credentials: {run_as: orders.integration@example.com}
    policies:
      permitted_users: admin_approved
      permission_sets: [Orders_Integration, Another_Set]
      profiles: [System Administrator, Integration User]
      ip_relaxation: enforce_relax_refresh
      refresh_token: {expire_if_unused_for: 12 hours}
      session_timeout_minutes: 30
    ip_ranges:
      - {start: 198.51.100.1, end: 198.51.100.9, description: workers}
"""
PERMISSION_SETS = """\
permission_sets:
  - {name: Orders_Integration, label: Orders Integration}
  - {name: Another_Set, label: Another Set}
"""

TYPES = {
    "ExternalClientApplication": "Orders_Client",
    "ExtlClntAppOauthSettings": "Orders_Client_oauth",
    "ExtlClntAppGlobalOauthSettings": "Orders_Client_glbloauth",
    "ExtlClntAppOauthConfigurablePolicies": "Orders_Client_oauthPlcy",
    "ExtlClntAppConfigurablePolicies": "Orders_Client_plcy",
}


def values(xml: str) -> dict[str, str]:
    root = etree.fromstring(xml.encode())
    return {child.tag[len(NS):]: child.text for child in root if len(child) == 0}


def eca_files(tmp_path, app: str = APP) -> dict[str, dict[str, str]]:
    files = render_text(tmp_path, "version: 1\nexternal_client_apps:\n" + app + PERMISSION_SETS)
    return {kind: values(files[f"{kind}:{name}"].content) for kind, name in TYPES.items()}


def test_five_files_named_as_salesforce_names_them(cli, tmp_path):
    out = tmp_path / "out"
    spec = write_spec(tmp_path, "version: 1\nexternal_client_apps:\n" + APP + PERMISSION_SETS)
    assert cli("generate", spec, "-d", out, "-q").code == 0
    base = out / "force-app/main/default"
    assert {p.relative_to(base).as_posix() for p in base.glob("e*/*")} == {
        "extlClntAppGlobalOauthSets/Orders_Client_glbloauth.ecaGlblOauth-meta.xml",
        "extlClntAppOauthPolicies/Orders_Client_oauthPlcy.ecaOauthPlcy-meta.xml",
        "extlClntAppOauthSettings/Orders_Client_oauth.ecaOauth-meta.xml",
        "extlClntAppPolicies/Orders_Client_plcy.ecaPlcy-meta.xml",
        "externalClientApps/Orders_Client.eca-meta.xml",
    }


def test_header(tmp_path):
    assert eca_files(tmp_path)["ExternalClientApplication"] == {
        "contactEmail": "orders@example.com",
        "description": "Order sync",
        "distributionState": "Local",
        "isProtected": "false",
        "label": "Orders Client",
    }


def test_oauth_settings(tmp_path):
    files = render_text(tmp_path, "version: 1\nexternal_client_apps:\n" + APP + PERMISSION_SETS)
    xml = files["ExtlClntAppOauthSettings:Orders_Client_oauth"].content
    assert values(xml) == {
        "commaSeparatedOauthScopes": "Api, RefreshToken, OpenID",
        "externalClientApplication": "Orders_Client",
        "isFirstPartyAppEnabled": "false",
        "label": "Orders_Client_oauth",
    }
    ranges = etree.fromstring(xml.encode()).findall(f"{NS}trustedIpRanges")
    assert [{c.tag[len(NS):]: c.text for c in r} for r in ranges] == [
        {"description": "workers", "endIpAddress": "198.51.100.9", "startIpAddress": "198.51.100.1"}
    ]


def test_global_oauth_settings(tmp_path):
    assert eca_files(tmp_path)["ExtlClntAppGlobalOauthSettings"] == {
        "callbackUrl": "https://login.salesforce.com/services/oauth2/success\nhttps://app.example.com/cb",
        "externalClientApplication": "Orders_Client",
        "isClientCredentialsFlowEnabled": "true",
        # The headless Authorization Code and Credentials flow stays off (orgs block it by default).
        "isCodeCredFlowEnabled": "false",
        "isCodeCredPostOnly": "false",
        "isConsumerSecretOptional": "false",
        "isDeviceFlowEnabled": "false",
        "isIntrospectAllTokens": "false",
        "isNamedUserJwtEnabled": "false",
        "isPkceRequired": "true",
        "isRefreshTokenRotationEnabled": "false",
        "isSecretRequiredForRefreshToken": "true",
        "isSecretRequiredForTokenExchange": "true",
        "isTokenExchangeEnabled": "false",
        "label": "Orders_Client_glbloauth",
        "shouldRotateConsumerKey": "false",
        "shouldRotateConsumerSecret": "false",
    }


def test_oauth_policies(tmp_path):
    assert eca_files(tmp_path)["ExtlClntAppOauthConfigurablePolicies"] == {
        "clientCredentialsFlowUser": "orders.integration@example.com",
        "commaSeparatedPermissionSet": "Orders_Integration,Another_Set",
        "commaSeparatedProfile": "System Administrator,Integration User",
        "externalClientApplication": "Orders_Client",
        "ipRelaxationPolicyType": "Enforce_RelaxRefresh",
        "isClientCredentialsFlowEnabled": "true",
        "isGuestCodeCredFlowEnabled": "false",
        "isTokenExchangeFlowEnabled": "false",
        "label": "Orders_Client_oauthPlcy",
        "permittedUsersPolicyType": "AdminApprovedPreAuthorized",
        "refreshTokenPolicyType": "SpecificInactivity",
        "refreshTokenValidityPeriod": "12",
        "refreshTokenValidityUnit": "Hours",
        "requiredSessionLevel": "STANDARD",
        "sessionTimeoutInMinutes": "30",
    }


def test_policies(tmp_path):
    assert eca_files(tmp_path)["ExtlClntAppConfigurablePolicies"] == {
        "externalClientApplication": "Orders_Client",
        "isEnabled": "true",
        "isOauthPluginEnabled": "true",
        "label": "Orders_Client_plcy",
        "startPage": "None",
    }


def facts_mapping() -> dict[str, str]:
    """ConnectedApp -> ECA values as FACTS.md states them ("ENFORCE/.../BYPASS -> Enforce/.../Bypass")."""
    text = shared_path("reference", "FACTS.md").read_text("utf-8")
    line = next(li for li in text.splitlines() if li.startswith("- ConnectedApp -> ECA"))
    left, right = re.search(r"`ipRelaxation` ([A-Z_0-9/]+) -> ([A-Za-z_0-9/]+)", line).groups()
    mapping = dict(zip(left.split("/"), right.split("/"), strict=True))
    lifetime = re.search(r"`specific_lifetime:90:DAYS` -> (\w+) \+ (\d+) \+ (\w+)", line).groups()
    mapping["specific_lifetime:90:DAYS"] = " + ".join(lifetime)
    return mapping


@pytest.mark.parametrize("spec_value", ["enforce", "enforce_relax_refresh", "relax_with_second_factor", "relax"])
def test_ip_relaxation_maps_as_facts_say(tmp_path, spec_value):
    app = APP.replace("ip_relaxation: enforce_relax_refresh", f"ip_relaxation: {spec_value}")
    files = render_text(tmp_path, "version: 1\nconnected_apps:\n" + app + "external_client_apps:\n" + app
                        + PERMISSION_SETS)
    ca = etree.fromstring(files["ConnectedApp:Orders_Client"].content.encode())
    ca_value = ca.findtext(f"{NS}oauthPolicy/{NS}ipRelaxation")
    eca_value = values(files["ExtlClntAppOauthConfigurablePolicies:Orders_Client_oauthPlcy"].content)[
        "ipRelaxationPolicyType"]
    assert facts_mapping()[ca_value] == eca_value


def test_refresh_token_lifetime_maps_as_facts_say(tmp_path):
    app = APP.replace("{expire_if_unused_for: 12 hours}", "{expire_after: 90 days}")
    files = render_text(tmp_path, "version: 1\nconnected_apps:\n" + app + "external_client_apps:\n" + app
                        + PERMISSION_SETS)
    ca = etree.fromstring(files["ConnectedApp:Orders_Client"].content.encode())
    policy = values(files["ExtlClntAppOauthConfigurablePolicies:Orders_Client_oauthPlcy"].content)
    eca = " + ".join([policy["refreshTokenPolicyType"], policy["refreshTokenValidityPeriod"],
                      policy["refreshTokenValidityUnit"]])
    assert facts_mapping()[ca.findtext(f"{NS}oauthPolicy/{NS}refreshTokenPolicy")] == eca


@pytest.mark.parametrize(("spec_value", "eca_value"), [("never_expires", "Infinite"), ("expire_immediately", "Zero")])
def test_refresh_token_simple_values(tmp_path, spec_value, eca_value):
    app = APP.replace("{expire_if_unused_for: 12 hours}", spec_value)
    policy = eca_files(tmp_path, app)["ExtlClntAppOauthConfigurablePolicies"]
    assert policy["refreshTokenPolicyType"] == eca_value
    assert "refreshTokenValidityPeriod" not in policy and "refreshTokenValidityUnit" not in policy


def test_defaults_for_a_plain_app(tmp_path):
    app = APP.split("    policies:")[0].replace("      client_credentials: {run_as: orders.integration@example.com}\n",
                                                 "")
    files = eca_files(tmp_path, app)
    assert files["ExtlClntAppGlobalOauthSettings"]["isPkceRequired"] == "true"
    assert files["ExtlClntAppGlobalOauthSettings"]["isClientCredentialsFlowEnabled"] == "false"
    policy = files["ExtlClntAppOauthConfigurablePolicies"]
    assert policy["permittedUsersPolicyType"] == "AllSelfAuthorized"
    assert policy["ipRelaxationPolicyType"] == "Enforce"
    # What Salesforce writes for a new External Client App: refresh tokens expire after 365 days.
    assert (policy["refreshTokenPolicyType"], policy["refreshTokenValidityPeriod"],
            policy["refreshTokenValidityUnit"]) == ("SpecificLifetime", "365", "Days")
    assert "clientCredentialsFlowUser" not in policy and "commaSeparatedPermissionSet" not in policy


def test_org_specific_values_are_never_written(tmp_path):
    files = render_text(tmp_path, "version: 1\nexternal_client_apps:\n" + APP + PERMISSION_SETS)
    for generated in files.values():
        for element in ("consumerKey", "consumerSecret", "oauthLink", "orgScopedExternalApp"):
            assert f"<{element}>" not in generated.content


def test_same_entry_as_connected_app_and_eca_is_consistent(tmp_path):
    """Walk both renderings of one entry and compare every setting through the FACTS mapping."""
    files = render_text(tmp_path, "version: 1\nconnected_apps:\n" + APP + "external_client_apps:\n" + APP
                        + PERMISSION_SETS)
    ca = etree.fromstring(files["ConnectedApp:Orders_Client"].content.encode())
    oauth = {c.tag[len(NS):]: c.text for c in ca.find(f"{NS}oauthConfig") if c.tag != f"{NS}scopes"}
    scopes = [s.text for s in ca.findall(f"{NS}oauthConfig/{NS}scopes")]
    glbl = values(files["ExtlClntAppGlobalOauthSettings:Orders_Client_glbloauth"].content)
    oauth_settings = values(files["ExtlClntAppOauthSettings:Orders_Client_oauth"].content)
    policy = values(files["ExtlClntAppOauthConfigurablePolicies:Orders_Client_oauthPlcy"].content)
    header = values(files["ExternalClientApplication:Orders_Client"].content)

    assert header["label"] == ca.findtext(f"{NS}label")
    assert header["contactEmail"] == ca.findtext(f"{NS}contactEmail")
    assert header["description"] == ca.findtext(f"{NS}description")
    assert oauth_settings["commaSeparatedOauthScopes"] == ", ".join(scopes)
    assert glbl["callbackUrl"] == oauth["callbackUrl"]
    for flag in ("isConsumerSecretOptional", "isIntrospectAllTokens", "isSecretRequiredForRefreshToken"):
        assert glbl[flag] == oauth[flag], flag
    assert glbl["isClientCredentialsFlowEnabled"] == oauth["isClientCredentialEnabled"]
    assert policy["isClientCredentialsFlowEnabled"] == oauth["isClientCredentialEnabled"]
    assert policy["clientCredentialsFlowUser"] == oauth["oauthClientCredentialUser"]
    admin = {"true": "AdminApprovedPreAuthorized", "false": "AllSelfAuthorized"}
    assert policy["permittedUsersPolicyType"] == admin[oauth["isAdminApproved"]]
    assert policy["ipRelaxationPolicyType"] == facts_mapping()[ca.findtext(f"{NS}oauthPolicy/{NS}ipRelaxation")]
    assert policy["commaSeparatedProfile"] == ",".join(p.text for p in ca.findall(f"{NS}profileName"))
    # Connected apps store permission set labels, ECAs their API names.
    assert [p.text for p in ca.findall(f"{NS}permissionSetName")] == ["Orders Integration", "Another Set"]
    assert policy["commaSeparatedPermissionSet"] == "Orders_Integration,Another_Set"
    assert policy["sessionTimeoutInMinutes"] == ca.findtext(f"{NS}sessionPolicy/{NS}sessionTimeout")
    # The one deliberate difference: PKCE defaults differ (false for connected apps, true for ECAs).
    assert (oauth["isPkceRequired"], glbl["isPkceRequired"]) == ("false", "true")
    ca_ranges = [(r.findtext(f"{NS}start"), r.findtext(f"{NS}end"), r.findtext(f"{NS}description"))
                 for r in ca.findall(f"{NS}ipRanges")]
    settings = etree.fromstring(files["ExtlClntAppOauthSettings:Orders_Client_oauth"].content.encode())
    eca_ranges = [(r.findtext(f"{NS}startIpAddress"), r.findtext(f"{NS}endIpAddress"), r.findtext(f"{NS}description"))
                  for r in settings.findall(f"{NS}trustedIpRanges")]
    assert ca_ranges == eca_ranges


def test_no_eca_global_oauth_leaves_that_file_out(cli, tmp_path):
    out = tmp_path / "out"
    spec = write_spec(tmp_path, "version: 1\nexternal_client_apps:\n" + APP + PERMISSION_SETS)
    assert cli("generate", spec, "-d", out, "-q", "--no-eca-global-oauth").code == 0
    base = out / "force-app/main/default"
    assert not (base / "extlClntAppGlobalOauthSets").exists()
    assert (base / "extlClntAppOauthSettings/Orders_Client_oauth.ecaOauth-meta.xml").is_file()
    # Turning it back on adds it; the other files are unchanged.
    result = cli("generate", spec, "-d", out)
    assert "1 created, 0 updated" in result.out


def test_example_migration_matches_the_connected_app(tmp_path):
    """specs/data_migration_eca.yaml is data_migration.yaml's app moved to the other list."""
    import yaml

    migration = yaml.safe_load((SPECS / "data_migration.yaml").read_text())
    ca = migration["connected_apps"][0]
    run_as = migration["variables"]["integration_user"]["default"]
    ca["oauth"]["client_credentials"]["run_as"] = run_as  # the ECA example spells the default out
    eca = yaml.safe_load((SPECS / "data_migration_eca.yaml").read_text())["external_client_apps"][0]
    for key in ("contact_email", "description", "retire_after", "ip_ranges"):
        assert eca[key] == ca[key], key
    for key in ("callback_urls", "scopes", "client_credentials", "jwt_bearer"):
        assert eca["oauth"][key] == ca["oauth"][key], key
    assert eca["policies"]["permission_sets"] == ca["policies"]["permission_sets"]


def test_a_switched_off_app_is_imported_retired_and_stays_off(cli, tmp_path):
    """An app someone switched off (policies isEnabled false) must not come back on at the next deploy."""
    project = tmp_path / "p"
    (project / "externalClientApps").mkdir(parents=True)
    (project / "extlClntAppPolicies").mkdir()
    (project / "externalClientApps" / "Old_App.eca-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <contactEmail>x@example.com</contactEmail>\n    <distributionState>Local</distributionState>\n"
        "    <label>Old App</label>\n</ExternalClientApplication>\n")
    policies = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ExtlClntAppConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <externalClientApplication>Old_App</externalClientApplication>\n    <isEnabled>false</isEnabled>\n"
        "    <isOauthPluginEnabled>false</isOauthPluginEnabled>\n    <label>Old_App_plcy</label>\n"
        "    <startPage>None</startPage>\n</ExtlClntAppConfigurablePolicies>\n")
    (project / "extlClntAppPolicies" / "Old_App_plcy.ecaPlcy-meta.xml").write_text(policies)
    spec = tmp_path / "spec.yaml"
    result = cli("import", project, "--output-file", spec)
    assert result.code == 0, result.err
    assert "the app is switched off (isEnabled false): imported as status: retired" in result.err
    assert "  status: retired\n" in spec.read_text()
    out = tmp_path / "out"
    assert cli("generate", spec, "-d", out, "-q").code == 0
    assert tree(out)["force-app/main/default/extlClntAppPolicies/Old_App_plcy.ecaPlcy-meta.xml"] == policies.encode()
