"""What makes output right in a real org, not only schema-valid (issue 13): Salesforce's defaults,
the access principal access needs, minimum API versions, and real-world settings import carries."""

from __future__ import annotations

import pytest
import yaml
from lxml import etree

from sfauthgen.importer import import_metadata

from conftest import write_spec
from helpers import render_text

NS = "{http://soap.sforce.com/2006/04/metadata}"


def xml(files, key: str) -> etree._Element:
    return etree.fromstring(files[key].content.encode())


def object_access(root: etree._Element) -> dict[str, str]:
    (element,) = root.findall(f"{NS}objectPermissions")
    return {child.tag[len(NS):]: child.text for child in element}


def credential(protocol_body: str, principal_type: str = "named") -> str:
    return f"""\
version: 1
external_credentials:
  - name: Cred
    label: Cred
{protocol_body}    principals:
      - {{name: Main, type: {principal_type}, access: [Callers]}}
permission_sets:
  - {{name: Callers, label: Callers}}
"""


OAUTH = "    protocol: oauth_client_credentials\n    token_url: https://auth.example.com/token\n"
CUSTOM = "    protocol: custom\n"


@pytest.mark.parametrize(("body", "principal_type", "expected"), [
    # Per-user principals keep their own credentials: read, create, edit, delete.
    (CUSTOM, "per_user", dict(allowCreate="true", allowDelete="true", allowEdit="true", allowRead="true",
                              modifyAllRecords="false", viewAllRecords="false")),
    # A named principal of an OAuth protocol: Salesforce stores refreshed tokens during a user's callout.
    (OAUTH, "named", dict(allowCreate="false", allowDelete="true", allowEdit="true", allowRead="true",
                          modifyAllRecords="true", viewAllRecords="true")),
    (CUSTOM, "named", dict(allowCreate="false", allowDelete="false", allowEdit="false", allowRead="true",
                           modifyAllRecords="false", viewAllRecords="false")),
])
def test_principal_access_brings_user_external_credential_access(tmp_path, body, principal_type, expected):
    root = xml(render_text(tmp_path, credential(body, principal_type)), "PermissionSet:Callers")
    assert object_access(root) == {**expected, "object": "UserExternalCredential", "viewAllFields": "false"}


def test_no_object_access_without_principal_access(tmp_path):
    files = render_text(tmp_path, "version: 1\npermission_sets:\n  - {name: P, label: P}\n")
    assert xml(files, "PermissionSet:P").findall(f"{NS}objectPermissions") == []


@pytest.mark.parametrize(("spec", "location", "minimum"), [
    (credential(CUSTOM).replace("version: 1\n", 'version: 1\napi_version: "55.0"\n'), ":4:11:", "56.0"),
    ('version: 1\napi_version: "58.0"\nexternal_client_apps:\n  - {name: App, label: App, contact_email: a@b.co}\n',
     ":4:12:", "59.0"),
])
def test_api_version_below_a_types_first_version_is_an_error(cli, tmp_path, spec, location, minimum):
    result = cli("validate", write_spec(tmp_path, spec))
    assert result.code == 1
    assert f"{location} SFC003 " in result.err and f"needs API version {minimum} or later" in result.err
    assert "(api_version in the spec)" in result.err


def test_api_version_from_the_project_file_is_checked_too(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}], '
                                           '"sourceApiVersion": "55.0"}')
    result = cli("generate", write_spec(tmp_path, credential(CUSTOM)), "-d", out)
    assert result.code == 1
    assert "sourceApiVersion of the output's sfdx-project.json" in result.err
    assert sorted(p.name for p in out.iterdir()) == ["sfdx-project.json"]


def test_ipv4_and_ipv6_ranges_together(tmp_path):
    spec = """\
version: 1
connected_apps:
  - name: App
    label: App
    contact_email: a@example.com
    ip_ranges:
      - {start: "2001:db8::1", end: "2001:db8::ff"}
      - {start: 10.0.0.1, end: 10.0.0.9}
"""
    root = xml(render_text(tmp_path, spec), "ConnectedApp:App")
    assert [r.findtext(f"{NS}start") for r in root.findall(f"{NS}ipRanges")] == ["2001:db8::1", "10.0.0.1"]


APP = """\
  - name: App
    label: App
    contact_email: a@example.com
    start_url: /apex/Start
    oauth:
      callback_urls: ["myapp://callback"]
      scopes: [api]
      consumer_key: 3MVG9example.Key_1234567890
"""


def test_connected_app_real_world_settings(tmp_path):
    spec = "version: 1\nconnected_apps:\n" + APP + "    mobile_start_url: myapp://start\n    exists_in_org: true\n"
    root = xml(render_text(tmp_path, spec), "ConnectedApp:App")
    assert root.findtext(f"{NS}startUrl") == "/apex/Start"
    assert root.findtext(f"{NS}mobileStartUrl") == "myapp://start"
    assert root.findtext(f"{NS}oauthConfig/{NS}consumerKey") == "3MVG9example.Key_1234567890"


def test_external_client_app_real_world_settings(tmp_path):
    spec = ("version: 1\nexternal_client_apps:\n" + APP + "    distribution_state: packaged\n"
            "    component_names: {global_oauth_settings: App_glbloauth2, policies: App_Policies}\n")
    files = render_text(tmp_path, spec)
    assert xml(files, "ExternalClientApplication:App").findtext(f"{NS}distributionState") == "Packaged"
    assert xml(files, "ExtlClntAppGlobalOauthSettings:App_glbloauth2").findtext(f"{NS}consumerKey") \
        == "3MVG9example.Key_1234567890"
    policies = xml(files, "ExtlClntAppConfigurablePolicies:App_Policies")
    assert (policies.findtext(f"{NS}startPage"), policies.findtext(f"{NS}label")) == ("Custom", "App_Policies")
    assert "ExtlClntAppOauthSettings:App_oauth" in files  # names not listed keep Salesforce's pattern


def test_per_principal_scope(tmp_path):
    body = "    protocol: oauth_browser\n    auth_provider: Idp\n"
    spec = (credential(body) + "auth_providers:\n  - {name: Idp, existing: true}\n").replace(
        "{name: Main, type: named, access: [Callers]}",
        "{name: Main, type: named, access: [Callers], scope: read write}")
    root = xml(render_text(tmp_path, spec), "ExternalCredential:Cred")
    params = [{c.tag[len(NS):]: c.text for c in p} for p in root.findall(f"{NS}externalCredentialParameters")]
    assert {"parameterGroup": "Main", "parameterName": "Scope", "parameterType": "AuthParameter",
            "parameterValue": "read write"} in params


def test_claims_keep_their_order_and_descriptions(tmp_path):
    body = ("    protocol: jwt\n    signing_certificate: Cert\n"
            "    claims:\n      sub: {value: svc, description: Subject}\n      iss: crm\n")
    root = xml(render_text(tmp_path, credential(body)), "ExternalCredential:Cred")
    claims = [(p.findtext(f"{NS}parameterName"), p.findtext(f"{NS}description"))
              for p in root.findall(f"{NS}externalCredentialParameters")
              if p.findtext(f"{NS}parameterType") == "JwtBodyClaim"]
    assert claims == [("sub", "Subject"), ("iss", None)]


def test_existing_permission_sets_are_declared_never_written(cli, tmp_path):
    spec = "version: 1\npermission_sets:\n  - {name: Legacy_Set, existing: true}\n  - {name: P, label: P}\n"
    assert "PermissionSet:Legacy_Set" not in render_text(tmp_path, spec)
    granted = credential(CUSTOM).replace("  - {name: Callers, label: Callers}", "  - {name: Callers, existing: true}")
    result = cli("validate", write_spec(tmp_path, granted, "granted.yaml"))
    assert result.code == 1 and "SFC402 permission set 'Callers' is existing" in result.err


# Import of what real orgs hold.

def _write(folder, relative: str, body: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + body)


def test_import_api_57_principals_become_access(tmp_path):
    _write(tmp_path, "externalCredentials/Old.externalCredential-meta.xml", f"""\
<ExternalCredential xmlns="{NS[1:-1]}">
    <authenticationProtocol>Custom</authenticationProtocol>
    <externalCredentialParameters>
        <parameterName>Main</parameterName>
        <parameterType>NamedPrincipal</parameterType>
        <principal>Callers</principal>
        <sequenceNumber>1</sequenceNumber>
    </externalCredentialParameters>
    <label>Old</label>
</ExternalCredential>
""")
    _write(tmp_path, "permissionsets/Callers.permissionset-meta.xml",
           f'<PermissionSet xmlns="{NS[1:-1]}">\n    <label>Callers</label>\n</PermissionSet>\n')
    spec = yaml.safe_load(import_metadata([tmp_path]).spec_text)
    assert spec["external_credentials"][0]["principals"] == [{"name": "Main", "access": ["Callers"]}]


def test_import_leaves_out_apps_it_would_strip(tmp_path):
    _write(tmp_path, "connectedApps/Saml.connectedApp-meta.xml", f"""\
<ConnectedApp xmlns="{NS[1:-1]}">
    <contactEmail>a@example.com</contactEmail>
    <label>Saml</label>
    <samlConfig>
        <acsUrl>https://sp.example.com/acs</acsUrl>
        <certificate>Cert</certificate>
        <encryptionType>AES_128</encryptionType>
        <entityUrl>https://sp.example.com</entityUrl>
        <issuer>https://idp.example.com</issuer>
        <samlNameIdFormat>Unspecified</samlNameIdFormat>
        <samlSigningAlgoType>SHA256</samlSigningAlgoType>
        <samlSubjectType>Username</samlSubjectType>
    </samlConfig>
</ConnectedApp>
""")
    result = import_metadata([tmp_path])
    assert "connected_apps" not in yaml.safe_load(result.spec_text)
    assert any(loss.what == "samlConfig" for loss in result.losses)
    assert any("generating it would remove from the org" in loss.why for loss in result.losses)


def test_import_declares_sets_with_other_permissions_existing(tmp_path):
    _write(tmp_path, "permissionsets/Sales.permissionset-meta.xml", f"""\
<PermissionSet xmlns="{NS[1:-1]}">
    <externalCredentialPrincipalAccesses>
        <enabled>true</enabled>
        <externalCredentialPrincipal>Cred-Main</externalCredentialPrincipal>
    </externalCredentialPrincipalAccesses>
    <label>Sales</label>
    <objectPermissions>
        <allowCreate>true</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Account</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
</PermissionSet>
""")
    result = import_metadata([tmp_path])
    assert yaml.safe_load(result.spec_text)["permission_sets"] == [{"name": "Sales", "existing": True}]
    assert any("Cred-Main: granted by a set sfauthgen does not own" in loss.why for loss in result.losses)


def test_import_reports_the_code_credentials_flow_it_turns_off(tmp_path):
    app = f'<ExternalClientApplication xmlns="{NS[1:-1]}">\n    <contactEmail>a@b.co</contactEmail>\n' \
          "    <distributionState>Local</distributionState>\n    <label>App</label>\n</ExternalClientApplication>\n"
    _write(tmp_path, "externalClientApps/App.eca-meta.xml", app)
    _write(tmp_path, "extlClntAppGlobalOauthSets/App_glbloauth.ecaGlblOauth-meta.xml", f"""\
<ExtlClntAppGlobalOauthSettings xmlns="{NS[1:-1]}">
    <callbackUrl>https://a.example.com/cb</callbackUrl>
    <externalClientApplication>App</externalClientApplication>
    <isCodeCredFlowEnabled>true</isCodeCredFlowEnabled>
    <label>App_glbloauth</label>
</ExtlClntAppGlobalOauthSettings>
""")
    result = import_metadata([tmp_path])
    assert any(loss.what == "isCodeCredFlowEnabled" and "always writes it off" in loss.why for loss in result.losses)


ROUND_TRIP = """\
version: 1
connected_apps:
  - name: Mobile_App
    label: Mobile App
    contact_email: a@example.com
    start_url: /apex/Start
    mobile_start_url: myapp://start
    exists_in_org: true
    oauth:
      callback_urls: ['myapp://callback']
      scopes: [api]
      consumer_key: 3MVG9example.Key_1234567890==
external_client_apps:
  - name: Partner
    label: Partner
    contact_email: a@example.com
    distribution_state: packaged
    component_names: {global_oauth_settings: Partner_glbloauth2, oauth_policies: Partner_Plcy}
    oauth:
      callback_urls: ['https://partner.example.com/cb']
      scopes: [api]
    policies:
      refresh_token: never_expires
external_credentials:
  - name: Idp_Auth
    label: Idp Auth
    protocol: oauth_browser
    auth_provider: Idp
    principals:
      - {name: Main, access: [Callers], scope: read write}
named_credentials:
  - name: Partner_Api
    label: Partner Api
    url: https://api.example.com
    external_credential: Idp_Auth
    client_certificate: Partner_Cert
    allowed_namespaces: [zns, {namespace: ans, parameter_name: AllowedNamespace_x7Q1}]
permission_sets:
  - {name: Callers, label: Callers}
auth_providers:
  - {name: Idp, existing: true}
"""


def test_new_keys_round_trip_through_import(cli, tmp_path):
    spec = write_spec(tmp_path, ROUND_TRIP)
    assert cli("generate", spec, "-d", tmp_path / "out", "-q").code == 0
    imported = tmp_path / "imported.yaml"
    result = cli("import", tmp_path / "out" / "force-app", "--output-file", imported)
    assert result.code == 0, result.err
    assert yaml.safe_load(imported.read_text()) == yaml.safe_load(ROUND_TRIP)
