"""The typed model templates render: every value already resolved to what Salesforce stores.

Built once from a checked spec by `build.py`. Each component class names its
metadata type and its template; lists are sorted (or kept in the order the
Metadata API needs) here, never in templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class IpRange:
    start: str
    end: str
    description: str | None


@dataclass(frozen=True)
class ConnectedAppOauthConfig:
    callback_url: str
    certificate: str | None
    is_admin_approved: bool
    is_client_credential_enabled: bool
    is_consumer_secret_optional: bool
    is_introspect_all_tokens: bool
    is_pkce_required: bool
    is_secret_required_for_refresh_token: bool
    oauth_client_credential_user: str | None
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class ConnectedAppOauthPolicy:
    ip_relaxation: str
    refresh_token_policy: str


@dataclass(frozen=True)
class Component:
    """A metadata component: one file (or a file and its -meta.xml) in the output."""

    metadata_type: ClassVar[str]
    template: ClassVar[str]
    # Types whose content is a separate file (Apex) render their -meta.xml from this.
    meta_template: ClassVar[str | None] = None
    name: str


@dataclass(frozen=True)
class AppHeader:
    """What a Connected App and an External Client App say about themselves."""

    label: str
    contact_email: str
    contact_phone: str | None
    description: str | None
    icon_url: str | None
    info_url: str | None
    logo_url: str | None


@dataclass(frozen=True)
class ConnectedApp(Component):
    metadata_type: ClassVar[str] = "ConnectedApp"
    template: ClassVar[str] = "connectedApp.xml.j2"

    header: AppHeader
    start_url: str | None
    ip_ranges: tuple[IpRange, ...]
    oauth_config: ConnectedAppOauthConfig | None
    oauth_policy: ConnectedAppOauthPolicy | None
    permission_set_names: tuple[str, ...]
    profile_names: tuple[str, ...]
    session_timeout: int | None


@dataclass(frozen=True)
class ExternalClientApplication(Component):
    metadata_type: ClassVar[str] = "ExternalClientApplication"
    template: ClassVar[str] = "eca.xml.j2"

    header: AppHeader


@dataclass(frozen=True)
class EcaOauthSettings(Component):
    metadata_type: ClassVar[str] = "ExtlClntAppOauthSettings"
    template: ClassVar[str] = "ecaOauth.xml.j2"

    app: str
    scopes: str  # enum names in WSDL order, ", " separated
    trusted_ip_ranges: tuple[IpRange, ...]


@dataclass(frozen=True)
class EcaGlobalOauthSettings(Component):
    metadata_type: ClassVar[str] = "ExtlClntAppGlobalOauthSettings"
    template: ClassVar[str] = "ecaGlblOauth.xml.j2"

    app: str
    callback_url: str
    certificate: str | None
    is_client_credentials_flow_enabled: bool
    is_code_cred_flow_enabled: bool
    is_consumer_secret_optional: bool
    is_introspect_all_tokens: bool
    is_pkce_required: bool
    is_secret_required_for_refresh_token: bool


@dataclass(frozen=True)
class EcaOauthPolicies(Component):
    metadata_type: ClassVar[str] = "ExtlClntAppOauthConfigurablePolicies"
    template: ClassVar[str] = "ecaOauthPlcy.xml.j2"

    app: str
    client_credentials_flow_user: str | None
    permission_sets: str | None  # API names, "," separated
    profiles: str | None
    ip_relaxation_policy_type: str
    is_client_credentials_flow_enabled: bool
    permitted_users_policy_type: str
    refresh_token_policy_type: str
    refresh_token_validity_period: int | None
    refresh_token_validity_unit: str | None
    session_timeout_in_minutes: int | None


@dataclass(frozen=True)
class EcaPolicies(Component):
    metadata_type: ClassVar[str] = "ExtlClntAppConfigurablePolicies"
    template: ClassVar[str] = "ecaPlcy.xml.j2"

    app: str
    is_oauth_plugin_enabled: bool
    start_url: str | None  # startPage Custom with this URL; else startPage None


@dataclass(frozen=True)
class ExternalCredentialParameter:
    """One externalCredentialParameters element; fields in WSDL order."""

    parameter_name: str
    parameter_type: str
    parameter_group: str
    auth_provider: str | None = None
    certificate: str | None = None
    parameter_value: str | None = None
    sequence_number: int | None = None


@dataclass(frozen=True)
class ExternalCredential(Component):
    metadata_type: ClassVar[str] = "ExternalCredential"
    template: ClassVar[str] = "externalCredential.xml.j2"

    label: str
    description: str | None
    authentication_protocol: str
    parameters: tuple[ExternalCredentialParameter, ...]


@dataclass(frozen=True)
class NamedCredentialParameter:
    """One namedCredentialParameters element; fields in WSDL order."""

    parameter_name: str
    parameter_type: str
    external_credential: str | None = None
    parameter_value: str | None = None
    sequence_number: int | None = None


@dataclass(frozen=True)
class LegacySettings:
    """The pre-Winter '23 named credential fields, as Salesforce stores them."""

    auth_provider: str | None
    aws_region: str | None
    aws_service: str | None
    endpoint: str
    jwt_audience: str | None
    jwt_subject: str | None
    jwt_issuer: str | None
    jwt_signing_certificate: str | None
    jwt_validity_period_seconds: int | None
    oauth_scope: str | None
    principal_type: str
    protocol: str
    username: str | None


@dataclass(frozen=True)
class NamedCredential(Component):
    metadata_type: ClassVar[str] = "NamedCredential"
    template: ClassVar[str] = "namedCredential.xml.j2"

    label: str
    description: str | None
    allow_merge_fields_in_body: bool
    allow_merge_fields_in_header: bool
    callout_status: str
    generate_authorization_header: bool
    parameters: tuple[NamedCredentialParameter, ...]
    named_credential_type: str | None  # None for the legacy model, which Salesforce writes without it
    legacy: LegacySettings | None


@dataclass(frozen=True)
class PathPart:
    """A piece of an operation's path: literal text, or a {parameter}."""

    literal: str | None = None
    parameter: str | None = None


@dataclass(frozen=True)
class CalloutOperation:
    name: str
    method: str
    path_parts: tuple[PathPart, ...]
    parameters: tuple[str, ...]  # the path parameters, in path order
    has_body: bool
    # For the test class: a value per parameter, and the endpoint Apex builds from them.
    sample_values: tuple[str, ...]
    sample_endpoint: str


@dataclass(frozen=True)
class ApexClass(Component):
    """An Apex class: `template` renders the .cls, `meta_template` its .cls-meta.xml."""

    metadata_type: ClassVar[str] = "ApexClass"
    meta_template: ClassVar[str | None] = "apexClass.cls-meta.xml.j2"

    api_version: str


@dataclass(frozen=True)
class CalloutClass(ApexClass):
    template: ClassVar[str] = "calloutClass.cls.j2"

    named_credential: str
    named_credential_label: str
    timeout_ms: int
    operations: tuple[CalloutOperation, ...]
    uses_path_parameters: bool


@dataclass(frozen=True)
class CalloutClassTest(ApexClass):
    template: ClassVar[str] = "calloutClassTest.cls.j2"

    target: CalloutClass


@dataclass(frozen=True)
class PermissionSet(Component):
    metadata_type: ClassVar[str] = "PermissionSet"
    template: ClassVar[str] = "permissionset.xml.j2"

    label: str
    description: str | None
    class_accesses: tuple[str, ...]  # Apex class names, sorted
    principal_accesses: tuple[str, ...]  # "<ExternalCredential>-<Principal>", sorted
    user_permissions: tuple[str, ...]


@dataclass(frozen=True)
class Spec:
    """What one run generates."""

    api_version: str
    components: tuple[Component, ...]
