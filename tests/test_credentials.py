"""External and named credentials: parameters exactly as Salesforce writes them."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from conftest import shared_path
from helpers import render_text

NS = "{http://soap.sforce.com/2006/04/metadata}"


def parameters(xml: str, element: str) -> list[dict[str, str]]:
    root = etree.fromstring(xml.encode())
    return [{child.tag[len(NS):]: child.text for child in p} for p in root.iter(f"{NS}{element}")]


def scalars(xml: str) -> dict[str, str]:
    root = etree.fromstring(xml.encode())
    return {child.tag[len(NS):]: child.text for child in root if len(child) == 0}


def providers(text: str) -> str:
    """The auth providers a spec names, declared as managed in the org."""
    names = sorted(set(re.findall(r"auth_provider: (\w+)", text)))
    return "".join(f"auth_providers:\n  - {{name: {n}, existing: true}}\n" for n in names[:1]) + "".join(
        f"  - {{name: {n}, existing: true}}\n" for n in names[1:])


def ec(tmp_path, body: str, name: str = "Cred") -> str:
    text = f"version: 1\nexternal_credentials:\n  - name: {name}\n    label: {name}\n" + body
    files = render_text(tmp_path, text + providers(text))
    return files[f"ExternalCredential:{name}"].content


def param(name, kind, group="DefaultGroup", **extra):
    found = {"parameterGroup": group, "parameterName": name, "parameterType": kind, **extra}
    return {k: v for k, v in found.items() if v is not None}


PROTOCOL_CASES = {
    "oauth_client_credentials": (
        "    protocol: oauth_client_credentials\n"
        "    token_url: https://auth.example.com/oauth2/token\n"
        "    scope: read write\n"
        "    refresh_on_status: [403, 401]\n",
        "Oauth",
        [
            param("Oauth", "AuthProtocolVariant", parameterValue="ClientCredentialsClientSecret"),
            param("AuthProviderUrl", "AuthProviderUrl", parameterValue="https://auth.example.com/oauth2/token"),
            param("Scope", "AuthParameter", parameterValue="read write"),
            # As Salesforce writes them: one per code, all named AdditionalRefreshStatusCode, in no group.
            param("AdditionalRefreshStatusCode", "AdditionalRefreshStatusCode", None, parameterValue="403"),
            param("AdditionalRefreshStatusCode", "AdditionalRefreshStatusCode", None, parameterValue="401"),
        ],
    ),
    "oauth_client_credentials_basic": (
        "    protocol: oauth_client_credentials\n"
        "    token_url: https://auth.example.com/token\n"
        "    client_secret_in: basic_header\n",
        "Oauth",
        [
            param("Oauth", "AuthProtocolVariant", parameterValue="ClientCredentialsClientSecretBasic"),
            param("AuthProviderUrl", "AuthProviderUrl", parameterValue="https://auth.example.com/token"),
        ],
    ),
    "oauth_jwt_bearer": (
        "    protocol: oauth_jwt_bearer\n"
        "    token_url: https://auth.example.com/token\n"
        "    signing_certificate: My_Cert\n"
        "    claims: {sub: integration@example.com, iss: my-client, aud: https://auth.example.com}\n"
        "    header_claims: {kid: k1, alg: RS512}\n",
        "Oauth",
        [
            param("Oauth", "AuthProtocolVariant", parameterValue="JwtBearer"),
            param("AuthProviderUrl", "AuthProviderUrl", parameterValue="https://auth.example.com/token"),
            param("SigningCertificate", "SigningCertificate", certificate="My_Cert"),
            # Claims in the order written (Salesforce keeps creation order).
            param("sub", "JwtBodyClaim", parameterValue="integration@example.com"),
            param("iss", "JwtBodyClaim", parameterValue="my-client"),
            param("aud", "JwtBodyClaim", parameterValue="https://auth.example.com"),
            param("kid", "JwtHeaderClaim", parameterValue="k1"),
            param("alg", "JwtHeaderClaim", parameterValue="RS512"),
        ],
    ),
    "oauth_browser": (
        "    protocol: oauth_browser\n    auth_provider: Google\n    scope: openid email\n",
        "Oauth",
        [
            param("AuthProvider", "AuthProvider", authProvider="Google"),
            param("Scope", "AuthParameter", parameterValue="openid email"),
        ],
    ),
    "jwt": (
        "    protocol: jwt\n    signing_certificate: My_Cert\n    claims: {iss: crm}\n",
        "Jwt",
        [
            param("SigningCertificate", "SigningCertificate", certificate="My_Cert"),
            param("iss", "JwtBodyClaim", parameterValue="crm"),
        ],
    ),
    "aws_sigv4": (
        "    protocol: aws_sigv4\n    aws_region: us-east-1\n    aws_service: s3\n"
        '    aws_account_id: "012345670123"\n',
        "AwsSv4",
        [
            param("AwsRegion", "AuthParameter", parameterValue="us-east-1"),
            param("AwsService", "AuthParameter", parameterValue="s3"),
            param("AwsAccountId", "AuthParameter", parameterValue="012345670123"),
        ],
    ),
    "custom": (
        "    protocol: custom\n    headers:\n"
        "      X-Api-Key: \"{!$Credential.Cred.Key}\"\n"
        "      Authorization: \"{!'Bearer ' & $Credential.Cred.Token}\"\n",
        "Custom",
        [
            param("X-Api-Key", "AuthHeader", parameterValue="{!$Credential.Cred.Key}", sequenceNumber="1"),
            param("Authorization", "AuthHeader", parameterValue="{!'Bearer ' & $Credential.Cred.Token}",
                  sequenceNumber="2"),
        ],
    ),
    "basic": ("    protocol: basic\n", "Basic", []),
    "no_auth": (
        "    protocol: no_auth\n",
        "Custom",
        [param("Custom", "AuthProtocolVariant", parameterValue="NoAuthentication")],
    ),
}


@pytest.mark.parametrize("case", sorted(PROTOCOL_CASES))
def test_protocol_parameters(tmp_path, case):
    body, protocol, expected = PROTOCOL_CASES[case]
    xml = ec(tmp_path, body)
    assert scalars(xml) == {"authenticationProtocol": protocol, "label": "Cred"}
    assert parameters(xml, "externalCredentialParameters") == expected


def test_principals_follow_spec_order_with_sequence_numbers(tmp_path):
    xml = ec(tmp_path, (
        "    protocol: basic\n"
        "    principals:\n"
        "      - {name: Per User, type: per_user}\n"
        "      - {name: Client Credential}\n"
    ))
    assert parameters(xml, "externalCredentialParameters") == [
        param("Per User", "PerUserPrincipal", group="Per User", sequenceNumber="1"),
        param("Client Credential", "NamedPrincipal", group="Client Credential", sequenceNumber="2"),
    ]


def test_principal_access_aggregates_across_credentials(tmp_path):
    text = """\
version: 1
external_credentials:
  - name: Zeta_Auth
    label: Zeta
    protocol: basic
    principals:
      - {name: Service, access: [Callouts, Other]}
  - name: Alpha_Auth
    label: Alpha
    protocol: custom
    principals:
      - {name: Team Key, access: [Callouts]}
      - {name: Admin Key, access: [Callouts]}
permission_sets:
  - {name: Callouts, label: Callouts}
  - {name: Other, label: Other}
  - {name: Unrelated, label: Unrelated}
"""
    files = render_text(tmp_path, text)
    accesses = {
        name: [p["externalCredentialPrincipal"] for p in parameters(files[f"PermissionSet:{name}"].content,
                                                                     "externalCredentialPrincipalAccesses")]
        for name in ("Callouts", "Other", "Unrelated")
    }
    assert accesses == {
        "Callouts": ["Alpha_Auth-Admin Key", "Alpha_Auth-Team Key", "Zeta_Auth-Service"],
        "Other": ["Zeta_Auth-Service"],
        "Unrelated": [],
    }
    for p in parameters(files["PermissionSet:Callouts"].content, "externalCredentialPrincipalAccesses"):
        assert p["enabled"] == "true"


def test_named_credential_new_model(tmp_path):
    text = """\
version: 1
external_credentials:
  - {name: Api_Auth, label: Api Auth, protocol: basic}
named_credentials:
  - name: Api
    label: Api
    url: https://api.example.com/v1
    external_credential: Api_Auth
    generate_authorization_header: false
    allow_merge_fields_in_header: true
    callouts_enabled: false
    headers: {X-Client: salesforce, Accept: application/json}
    allowed_namespaces: [zns, {namespace: ans, parameter_name: AllowedNamespace_x7Q1}]
    client_certificate: Partner_Client_Cert
"""
    xml = render_text(tmp_path, text)["NamedCredential:Api"].content
    assert scalars(xml) == {
        "allowMergeFieldsInBody": "false",
        "allowMergeFieldsInHeader": "true",
        "calloutStatus": "Disabled",
        "generateAuthorizationHeader": "false",
        "label": "Api",
        "namedCredentialType": "SecuredEndpoint",
    }
    assert parameters(xml, "namedCredentialParameters") == [
        {"parameterName": "Url", "parameterType": "Url", "parameterValue": "https://api.example.com/v1"},
        {"externalCredential": "Api_Auth", "parameterName": "ExternalCredential", "parameterType": "Authentication"},
        {"certificate": "Partner_Client_Cert", "parameterName": "ClientCertificate",
         "parameterType": "ClientCertificate"},
        {"parameterName": "X-Client", "parameterType": "HttpHeader", "parameterValue": "salesforce",
         "sequenceNumber": "1"},
        {"parameterName": "Accept", "parameterType": "HttpHeader", "parameterValue": "application/json",
         "sequenceNumber": "2"},
        # In the order written; an org-assigned parameter name is kept.
        {"parameterName": "zns", "parameterType": "AllowedManagedPackageNamespaces", "parameterValue": "zns"},
        {"parameterName": "AllowedNamespace_x7Q1", "parameterType": "AllowedManagedPackageNamespaces",
         "parameterValue": "ans"},
    ]


def test_legacy_named_credential_client_certificate(tmp_path):
    text = ("version: 1\nnamed_credentials:\n  - name: Old\n    label: Old\n    client_certificate: Partner_Cert\n"
            "    legacy: {endpoint: https://p.example.com, principal_type: anonymous, protocol: no_authentication}\n")
    assert scalars(render_text(tmp_path, text)["NamedCredential:Old"].content)["certificate"] == "Partner_Cert"


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("{endpoint: https://p.example.com, principal_type: named_user, protocol: password, username: svc}",
         {"endpoint": "https://p.example.com", "principalType": "NamedUser", "protocol": "Password",
          "username": "svc"}),
        ("{endpoint: https://p.example.com, principal_type: per_user, protocol: oauth, auth_provider: P,"
         " oauth_scope: api refresh_token}",
         {"endpoint": "https://p.example.com", "principalType": "PerUser", "protocol": "Oauth",
          "authProvider": "P", "oauthScope": "api refresh_token"}),
        ("{endpoint: https://p.example.com, principal_type: anonymous, protocol: no_authentication}",
         {"endpoint": "https://p.example.com", "principalType": "Anonymous", "protocol": "NoAuthentication"}),
        ("{endpoint: https://s3.example.com, principal_type: named_user, protocol: aws_sigv4,"
         " aws_region: us-east-1, aws_service: s3}",
         {"endpoint": "https://s3.example.com", "principalType": "NamedUser", "protocol": "AwsSv4",
          "awsRegion": "us-east-1", "awsService": "s3"}),
    ],
)
def test_named_credential_legacy_model(tmp_path, legacy, expected):
    text = f"version: 1\nnamed_credentials:\n  - name: Old\n    label: Old\n    legacy: {legacy}\n"
    xml = render_text(tmp_path, text + providers(text))["NamedCredential:Old"].content
    common = {"allowMergeFieldsInBody": "false", "allowMergeFieldsInHeader": "false", "calloutStatus": "Enabled",
              "generateAuthorizationHeader": "true", "label": "Old"}
    assert scalars(xml) == {**common, **expected}
    assert "namedCredentialType" not in xml and "namedCredentialParameters" not in xml


# Specs equivalent to real files Salesforce wrote; the parameters must come out the same.
CORPUS_TWINS = {
    "ExternalCredential/trailheadapps__coral-cloud__RewardAPI.externalCredential-meta.xml":
        ("ExternalCredential", "    protocol: no_auth\n"),
    "ExternalCredential/iamSoham01__Salesforce-Integration__ServicenowCredential.externalCredential-meta.xml":
        ("ExternalCredential", "    protocol: basic\n    principals: [{name: Client Credential}]\n"),
    "ExternalCredential/iamSoham01__Salesforce-Integration__GoogleCredential.externalCredential-meta.xml":
        ("ExternalCredential", "    protocol: oauth_browser\n    auth_provider: Google_Auth_Provider\n"
                               "    principals: [{name: Client Credential}]\n"),
    "ExternalCredential/awadke-debug__HamiltonAscend__ascend_Salesforce_API.externalCredential-meta.xml":
        ("ExternalCredential", "    protocol: oauth_browser\n    auth_provider: ascend_Salesforce_API\n"
                               "    scope: full refresh_token offline_access\n    principals: [{name: ascend}]\n"),
    "ExternalCredential/mrhewbuc__mrflow__OpenAI.externalCredential-meta.xml":
        ("ExternalCredential", "    protocol: custom\n    principals: [{name: token}]\n    headers:\n"
                               "      Authorization: \"{!'Bearer ' & $Credential.OpenAI.apiKey}\"\n"),
    "NamedCredential/trailheadapps__coral-cloud__RewardAPI.namedCredential-meta.xml":
        ("NamedCredential", None),
}


def _canonical(params: list[dict[str, str]]) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted(p.items())) for p in params)


@pytest.mark.parametrize("corpus_file", sorted(CORPUS_TWINS))
def test_parameters_match_what_salesforce_wrote(tmp_path, corpus_file):
    original = shared_path("corpus", corpus_file).read_text("utf-8")
    kind, body = CORPUS_TWINS[corpus_file]
    if kind == "NamedCredential":
        params = parameters(original, "namedCredentialParameters")
        url = next(p["parameterValue"] for p in params if p["parameterType"] == "Url")
        ec_name = next(p["externalCredential"] for p in params if p["parameterType"] == "Authentication")
        text = (f"version: 1\nexternal_credentials:\n  - {{name: {ec_name}, label: x, protocol: no_auth}}\n"
                f"named_credentials:\n  - name: N\n    label: N\n    url: {url}\n"
                f"    external_credential: {ec_name}\n")
        generated = render_text(tmp_path, text)["NamedCredential:N"].content
        assert _canonical(parameters(generated, "namedCredentialParameters")) == _canonical(params)
        return
    generated = ec(tmp_path, body)
    assert scalars(generated)["authenticationProtocol"] == scalars(original)["authenticationProtocol"]
    assert _canonical(parameters(generated, "externalCredentialParameters")) == _canonical(
        parameters(original, "externalCredentialParameters"))


def test_legacy_keys_of_other_protocols_warn_and_are_not_written(cli, tmp_path):
    from conftest import write_spec

    spec = write_spec(tmp_path, (
        "version: 1\nnamed_credentials:\n  - name: Old\n    label: Old\n    legacy:\n"
        "      endpoint: https://p.example.com\n      principal_type: named_user\n      protocol: password\n"
        "      username: svc\n      auth_provider: P\n"
    ))
    result = cli("generate", spec, "-d", tmp_path / "out", "-q")
    assert result.code == 0
    assert result.err.splitlines() == [
        f"{spec}:10:7: SFC212 warning: 'auth_provider' is ignored for protocol password and not written",
        "    hint: it is used by: oauth",
    ]
    xml = (tmp_path / "out/force-app/main/default/namedCredentials/Old.namedCredential-meta.xml").read_text()
    assert "<authProvider>" not in xml and "<username>svc</username>" in xml


def test_allowed_namespaces_repeating_a_parameter_name_or_namespace_are_errors(cli, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nexternal_credentials:\n  - {name: E, label: E, protocol: custom, principals: [{name: P}]}\n"
        "named_credentials:\n  - name: N\n    label: N\n    url: https://example.com\n    external_credential: E\n"
        "    allowed_namespaces: [{namespace: ab, parameter_name: P1}, {namespace: cd, parameter_name: P1}, "
        "ns, NS, ef]\n")
    result = cli("validate", spec)
    assert result.code == 1
    assert result.err == (
        f"{spec}:9:63: SFC215 allowed_namespaces item 2 repeats the parameter name 'P1' of item 1\n"
        "    hint: keep one of them\n"
        f"{spec}:9:104: SFC215 allowed_namespaces item 4 repeats the parameter name 'NS' of item 3\n"
        "    hint: keep one of them\n2 errors; nothing was written\n")
    spec.write_text(spec.read_text().replace("ns, NS, ef", "ns, ef").replace("cd, parameter_name: P1", "cd"))
    assert cli("validate", spec).code == 0
