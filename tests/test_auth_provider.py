"""Auth. Providers: one of each type generates schema-valid files the sf CLI accepts, import reads
them back exactly, credentials resolve their references, and the consumer secret stays out."""

from __future__ import annotations

import json

import pytest
import yaml
from lxml import etree

from sfauthgen.files.xmlcheck import schema_errors
from sfauthgen.importer import import_metadata

from conftest import tree, write_spec
from helpers import render_text
from tools import sf

NS = "{http://soap.sforce.com/2006/04/metadata}"

ONE_OF_EACH = """\
version: 1
auth_providers:
  - name: Sf_Login
    label: Salesforce Login
    provider_type: salesforce
    include_org_id: true
    default_scopes: api refresh_token
  - name: Okta
    label: Okta
    provider_type: open_id_connect
    consumer_key: 0oa1example
    authorize_url: https://example.okta.com/oauth2/v1/authorize
    token_url: https://example.okta.com/oauth2/v1/token
    user_info_url: https://example.okta.com/oauth2/v1/userinfo
    default_scopes: openid email offline_access
    id_token_issuer: https://example.okta.com
    send_client_credentials_in_header: true
    send_access_token_in_header: true
    require_pkce: true
  - name: Google_Login
    label: Google
    provider_type: google
    consumer_key: 1234-abc.apps.googleusercontent.com
    default_scopes: openid email
  - name: Entra
    label: Microsoft Entra ID
    provider_type: microsoft
    consumer_key: 11111111-2222-3333-4444-555555555555
    authorize_url: https://login.microsoftonline.com/tenant/oauth2/v2.0/authorize
    token_url: https://login.microsoftonline.com/tenant/oauth2/v2.0/token
  - name: GitHub_Login
    label: GitHub
    provider_type: github
    consumer_key: Iv1.0123456789abcdef
    default_scopes: read:user
  - name: Slack_Login
    label: Slack
    provider_type: slack
    consumer_key: "1234567890.0987654321"
  - name: Legacy_Idp
    label: Legacy IdP
    provider_type: custom
    plugin: LegacyIdpPlugin
    custom_metadata_record: Legacy_Idp_Config
    registration_handler: LegacyIdpRegistration
    execution_user: integration@example.com
"""
TYPES = {"Sf_Login": "Salesforce", "Okta": "OpenIdConnect", "Google_Login": "Google", "Entra": "Microsoft",
         "GitHub_Login": "GitHub", "Slack_Login": "Slack", "Legacy_Idp": "Custom"}


def test_one_of_each_type_is_schema_valid(tmp_path):
    files = render_text(tmp_path, ONE_OF_EACH)
    for name, provider_type in TYPES.items():
        content = files[f"AuthProvider:{name}"].content
        assert schema_errors(content) == []
        root = etree.fromstring(content.encode())
        assert root.findtext(f"{NS}providerType") == provider_type
        assert root.find(f"{NS}consumerSecret") is None
    okta = etree.fromstring(files["AuthProvider:Okta"].content.encode())
    assert {e.tag[len(NS):]: e.text for e in okta if e.text in ("true", "false")} == {
        "includeOrgIdInIdentifier": "false", "isPkceEnabled": "true", "requireMfa": "false",
        "sendAccessTokenInHeader": "true", "sendClientCredentialsInHeader": "true", "sendSecretInApis": "true"}


def test_sf_cli_accepts_and_import_round_trips(cli, tmp_path):
    spec = write_spec(tmp_path, ONE_OF_EACH)
    project = tmp_path / "project"
    assert cli("generate", spec, "-d", project, "-q").code == 0
    imported = tmp_path / "imported.yaml"
    result = cli("import", project / "force-app", "--output-file", imported)
    assert result.code == 0 and result.err == "", result.err
    by_name = lambda spec: {p["name"]: p for p in spec["auth_providers"]}  # noqa: E731 (import sorts by name)
    assert by_name(yaml.safe_load(imported.read_text())) == by_name(yaml.safe_load(ONE_OF_EACH))
    converted = sf("project", "convert", "source", "--source-dir", "force-app", "--output-dir",
                   str(tmp_path / "mdapi"), "--json", cwd=project)
    assert converted.returncode == 0, converted.stdout + converted.stderr
    assert json.loads(converted.stdout)["status"] == 0
    assert sorted(p.name for p in (tmp_path / "mdapi" / "authproviders").iterdir()) == sorted(
        f"{name}.authprovider" for name in TYPES)


def test_credentials_resolve_their_provider(cli, tmp_path):
    spec = ONE_OF_EACH + """\
external_credentials:
  - name: Okta_Auth
    label: Okta Auth
    protocol: oauth_browser
    auth_provider: Oktta
named_credentials:
  - name: Old
    label: Old
    legacy: {endpoint: "https://x.example.com", principal_type: per_user, protocol: oauth, auth_provider: In_Org}
"""
    # SPEC_LANGUAGE: an auth_provider "may name a provider declared here or one that exists in the org";
    # one named like a declared one is most likely a typo, and gets a warning.
    result = cli("validate", write_spec(tmp_path, spec))
    assert result.code == 0, result.err
    assert "SFC004 warning: auth provider 'Oktta' is not declared under auth_providers, which declares a close " \
           "name; it must exist in the org\n    hint: did you mean 'Okta'?" in result.err
    assert "In_Org" not in result.err
    fixed = spec.replace("Oktta", "Okta")
    result = cli("validate", write_spec(tmp_path, fixed, "fixed.yaml"))
    assert (result.code, result.err) == (0, "")


@pytest.mark.parametrize(("entry", "message"), [
    ("{name: P, label: P, provider_type: open_id_connect, consumer_key: k}", "provider_type open_id_connect needs "
                                                                            "'authorize_url'"),
    ("{name: P, label: P, provider_type: custom}", "provider_type custom needs 'plugin'"),
    ("{name: P, label: P, provider_type: github, consumer_key: k, plugin: X}",
     "'plugin' does not apply to provider_type github"),
    ("{name: P, label: P, provider_type: salesforce, registration_handler: Handler}",
     "a registration handler needs execution_user"),
    ("{name: P, existing: true, label: P}", "'label' cannot be set on an existing auth provider"),
    ("{name: P, label: P, provider_type: facebook}", "'facebook' is not a valid provider_type"),
])
def test_bad_providers_are_positioned_errors(cli, tmp_path, entry, message):
    result = cli("validate", write_spec(tmp_path, f"version: 1\nauth_providers:\n  - {entry}\n"))
    assert result.code == 1
    assert message in result.err and ":3:" in result.err


def test_the_consumer_secret_is_never_in_a_spec(cli, tmp_path):
    spec = "version: 1\nauth_providers:\n  - {name: P, label: P, provider_type: github, consumer_key: k,\n" \
           "     consumer_secret: s3cr3tvalue}\n"
    result = cli("validate", write_spec(tmp_path, spec))
    assert result.code == 1 and "SFK401 'consumer_secret' holds a secret" in result.err
    assert "s3cr3tvalue" not in result.err


def test_next_steps_say_where_the_secret_goes(cli, tmp_path):
    result = cli("generate", write_spec(tmp_path, ONE_OF_EACH), "-d", tmp_path / "out")
    assert "auth provider Okta: enter the consumer secret in Setup > Auth. Providers > Okta" in result.out
    assert "auth provider Sf_Login" not in result.out  # Salesforce-managed: Salesforce supplies key and secret


def test_import_drops_the_secret_and_declares_other_types_existing(tmp_path):
    folder = tmp_path / "force-app" / "main" / "default" / "authproviders"
    folder.mkdir(parents=True)
    (folder / "Okta.authprovider-meta.xml").write_text(f"""\
<?xml version="1.0" encoding="UTF-8"?>
<AuthProvider xmlns="{NS[1:-1]}">
    <authorizeUrl>https://example.okta.com/authorize</authorizeUrl>
    <consumerKey>0oa1example</consumerKey>
    <consumerSecret>Yz0vYblsJ9u5oFoH0wMlBXhNtzvgXsoydf5n0/fGKnPg1g/xs41EqA==</consumerSecret>
    <friendlyName>Okta</friendlyName>
    <providerType>OpenIdConnect</providerType>
    <tokenUrl>https://example.okta.com/token</tokenUrl>
</AuthProvider>
""")
    (folder / "Fb.authprovider-meta.xml").write_text(f"""\
<?xml version="1.0" encoding="UTF-8"?>
<AuthProvider xmlns="{NS[1:-1]}">
    <friendlyName>Facebook</friendlyName>
    <providerType>Facebook</providerType>
</AuthProvider>
""")
    result = import_metadata([tmp_path])
    spec = yaml.safe_load(result.spec_text)
    assert spec["auth_providers"] == [
        {"name": "Fb", "existing": True},
        {"name": "Okta", "label": "Okta", "provider_type": "open_id_connect", "consumer_key": "0oa1example",
         "authorize_url": "https://example.okta.com/authorize", "token_url": "https://example.okta.com/token"},
    ]
    assert any(loss.what == "consumerSecret" and "never imported" in loss.why for loss in result.losses)
    assert "Yz0vYbls" not in result.spec_text and all("Yz0vYbls" not in loss.why for loss in result.losses)
    assert tree(tmp_path)  # the source files are untouched
