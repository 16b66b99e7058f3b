"""Spec values and the Salesforce values they stand for.

Every table here comes from the Metadata API WSDL (v66.0) or, where the WSDL
only says `xsd:string`, from the sources in the README's reference section. The JSON
Schema's enums are checked against these tables by the tests, so the two cannot drift.
Import reads the same tables backwards through `inverse`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache


def inverse(table: Mapping[str, str]) -> dict[str, str]:
    """Salesforce value -> spec value."""
    return {value: spec for spec, value in table.items()}


def inverse_column(table: Mapping[str, tuple[str, ...]], column: int) -> dict[str, str]:
    """Salesforce value (in `column` of the table's tuples) -> spec value; where several spec
    values share one (a unit singular and plural), the last listed wins."""
    return {value[column]: spec for spec, value in table.items()}

# ConnectedAppOauthAccessScope, in WSDL enumeration order. Salesforce writes
# scopes in this order (every retrieved file does), not alphabetically.
SCOPE_ENUM_ORDER: tuple[str, ...] = (
    "Basic",
    "Api",
    "Web",
    "Full",
    "Chatter",
    "CustomApplications",
    "RefreshToken",
    "OpenID",
    "Profile",
    "Email",
    "Address",
    "Phone",
    "OfflineAccess",
    "CustomPermissions",
    "Wave",
    "Eclair",
    "Pardot",
    "Lightning",
    "Content",
    "CDPIngest",
    "CDPProfile",
    "CDPQuery",
    "Chatbot",
    "CDPSegment",
    "CDPIdentityResolution",
    "CDPCalculatedInsight",
    "ForgotPassword",
    "UserRegistration",
    "SFAP",
    "Interaction",
    "CDP",
    "EinsteinGPT",
    "PwdlessLogin",
    "MCP",
    "SCRT",
)

# OAuth token name (what a client sends in `scope=`) -> enum name (README reference: OAuth scopes).
SCOPE_TOKENS: dict[str, str] = {
    "api": "Api",
    "web": "Web",
    "full": "Full",
    "chatter_api": "Chatter",
    "visualforce": "CustomApplications",
    "refresh_token": "RefreshToken",
    "offline_access": "RefreshToken",
    "id": "Basic",
    "profile": "Profile",
    "email": "Email",
    "address": "Address",
    "phone": "Phone",
    "openid": "OpenID",
    "custom_permissions": "CustomPermissions",
    "wave_api": "Wave",
    "eclair_api": "Eclair",
    "pardot_api": "Pardot",
    "lightning": "Lightning",
    "content": "Content",
    "cdp_ingest_api": "CDPIngest",
    "cdp_profile_api": "CDPProfile",
    "cdp_query_api": "CDPQuery",
    "cdp_segment_api": "CDPSegment",
    "cdp_identityresolution_api": "CDPIdentityResolution",
    "cdp_calculated_insight_api": "CDPCalculatedInsight",
    "cdp_api": "CDP",
    "chatbot_api": "Chatbot",
    "forgot_password": "ForgotPassword",
    "user_registration_api": "UserRegistration",
    "pwdless_login_api": "PwdlessLogin",
    "sfap_api": "SFAP",
    "interaction_api": "Interaction",
    "einstein_gpt_api": "EinsteinGPT",
    "mcp_api": "MCP",
    "scrt_api": "SCRT",
}

# Scope names people write that Salesforce does not have, with what to write instead.
SCOPE_MISTAKES: dict[str, str] = {
    "bulk_api": "bulk_api is not a Salesforce OAuth scope; Bulk API 2.0 is covered by 'api'",
    "bulk": "bulk is not a Salesforce OAuth scope; Bulk API 2.0 is covered by 'api'",
    "rest_api": "rest_api is not a Salesforce OAuth scope; the REST API is covered by 'api'",
    "offline": "use 'refresh_token' (or its alias 'offline_access')",
}


_SCOPE_RANK = {scope: rank for rank, scope in enumerate(SCOPE_ENUM_ORDER)}


def scope_enum(value: str) -> str | None:
    """The ConnectedAppOauthAccessScope for a token or enum name, or None. The tokens refresh_token and
    offline_access are both RefreshToken (FACTS); the enum name OfflineAccess, which the WSDL also lists, is
    kept as written, so a file that has it imports and regenerates unchanged."""
    if value in SCOPE_TOKENS:
        return SCOPE_TOKENS[value]
    if value in SCOPE_ENUM_ORDER:
        return value
    return None


def scopes_in_wsdl_order(values: list[str]) -> tuple[str, ...]:
    """Resolve, fold duplicates (refresh_token == offline_access) and order as the WSDL does."""
    resolved = {scope_enum(v) for v in values}
    return tuple(sorted((s for s in resolved if s in _SCOPE_RANK), key=_SCOPE_RANK.__getitem__))


def scope_tokens(enums: list[str]) -> list[str]:
    """Enum names as a spec writes them: the token name (the first listed for each enum), in WSDL order."""
    token_for = {enum: token for token, enum in reversed(SCOPE_TOKENS.items())}
    present = set(enums)
    return [token_for.get(s, s) for s in SCOPE_ENUM_ORDER if s in present]


# policies.ip_relaxation -> ConnectedApp oauthPolicy/ipRelaxation, ECA ipRelaxationPolicyType.
IP_RELAXATION: dict[str, tuple[str, str]] = {
    "enforce": ("ENFORCE", "Enforce"),
    "enforce_relax_refresh": ("ENFORCE_RELAXREFRESH", "Enforce_RelaxRefresh"),
    "relax_with_second_factor": ("BYPASS_2FACTOR", "Bypass_2factor"),
    "relax": ("BYPASS", "Bypass"),
}

# policies.refresh_token simple values -> ConnectedApp refreshTokenPolicy, ECA refreshTokenPolicyType.
REFRESH_TOKEN_SIMPLE: dict[str, tuple[str, str]] = {
    "never_expires": ("infinite", "Infinite"),
    "expire_immediately": ("zero", "Zero"),
}
# policies.refresh_token mapping keys -> (ConnectedApp prefix, ECA policy type).
REFRESH_TOKEN_PERIODIC: dict[str, tuple[str, str]] = {
    "expire_after": ("specific_lifetime", "SpecificLifetime"),
    "expire_if_unused_for": ("specific_inactivity", "SpecificInactivity"),
}
# Period units (singular and plural accepted) -> (ConnectedApp unit, ECA unit).
PERIOD_UNITS: dict[str, tuple[str, str]] = {
    "hour": ("HOURS", "Hours"),
    "hours": ("HOURS", "Hours"),
    "day": ("DAYS", "Days"),
    "days": ("DAYS", "Days"),
    "month": ("MONTHS", "Months"),
    "months": ("MONTHS", "Months"),
}

PERMITTED_USERS = ("all_users", "admin_approved")
# policies.permitted_users -> ECA permittedUsersPolicyType (a ConnectedApp writes isAdminApproved).
PERMITTED_USERS_POLICY = {"all_users": "AllSelfAuthorized", "admin_approved": "AdminApprovedPreAuthorized"}


@cache
def salesforce_value_hints() -> dict[str, dict[str, str]]:
    """For each spec field with an enum: Salesforce spellings -> the spec value to write instead."""
    ip = {**inverse_column(IP_RELAXATION, 0), **inverse_column(IP_RELAXATION, 1)}
    refresh = {**inverse_column(REFRESH_TOKEN_SIMPLE, 0), **inverse_column(REFRESH_TOKEN_SIMPLE, 1)}
    return {
        "ip_relaxation": ip,
        "refresh_token": refresh,
        "protocol": {
            "Oauth": "oauth_client_credentials', 'oauth_jwt_bearer' or 'oauth_browser",
            "AwsSv4": "aws_sigv4",
            "Custom": "custom' or 'no_auth",
            "Basic": "basic",
            "Jwt": "jwt",
            "NoAuthentication": "no_auth",
        },
        "legacy.protocol": inverse(LEGACY_PROTOCOLS),
        "legacy.principal_type": inverse(LEGACY_PRINCIPAL_TYPES),
        "type": inverse(PRINCIPAL_TYPES),
        "permitted_users": {
            **inverse(PERMITTED_USERS_POLICY),
            "true": "admin_approved",
            "false": "all_users",
        },
    }


# external_credentials[].protocol -> (authenticationProtocol, AuthProtocolVariant or None).
# The variant parameter is named after the protocol (retrieves: <parameterName>Custom</parameterName>
# with NoAuthentication; ConnectApi.CredentialAuthenticationProtocolVariant for the OAuth ones).
EXTERNAL_CREDENTIAL_PROTOCOLS: dict[str, tuple[str, str | None]] = {
    "oauth_client_credentials": ("Oauth", "ClientCredentialsClientSecret"),
    "oauth_jwt_bearer": ("Oauth", "JwtBearer"),
    "oauth_browser": ("Oauth", None),
    "jwt": ("Jwt", None),
    "aws_sigv4": ("AwsSv4", None),
    "custom": ("Custom", None),
    "basic": ("Basic", None),
    "no_auth": ("Custom", "NoAuthentication"),
}
CLIENT_SECRET_IN_VARIANT = {
    "body": "ClientCredentialsClientSecret",
    "basic_header": "ClientCredentialsClientSecretBasic",
}

# Keys each protocol needs, and keys that only some protocols take.
PROTOCOL_REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "oauth_client_credentials": ("token_url",),
    "oauth_jwt_bearer": ("token_url", "signing_certificate", "claims"),
    "oauth_browser": ("auth_provider",),
    "jwt": ("signing_certificate", "claims"),
    "aws_sigv4": ("aws_region", "aws_service"),
    "custom": (),
    "basic": (),
    "no_auth": (),
}
PROTOCOL_OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {
    "oauth_client_credentials": ("scope", "client_secret_in", "refresh_on_status"),
    "oauth_jwt_bearer": ("scope", "header_claims", "refresh_on_status"),
    "oauth_browser": ("scope", "refresh_on_status"),
    "jwt": ("header_claims",),
    "aws_sigv4": ("aws_account_id",),
    "custom": (),
    "basic": (),
    "no_auth": (),
}
PROTOCOL_SPECIFIC_KEYS = frozenset(
    key for keys in (*PROTOCOL_REQUIRED_KEYS.values(), *PROTOCOL_OPTIONAL_KEYS.values()) for key in keys
)

PRINCIPAL_TYPES = {"named": "NamedPrincipal", "per_user": "PerUserPrincipal"}

# named_credentials[].legacy
LEGACY_PRINCIPAL_TYPES = {"anonymous": "Anonymous", "named_user": "NamedUser", "per_user": "PerUser"}
LEGACY_PROTOCOLS = {
    "no_authentication": "NoAuthentication",
    "password": "Password",
    "oauth": "Oauth",
    "aws_sigv4": "AwsSv4",
    "jwt": "Jwt",
    "jwt_exchange": "JwtExchange",
}
LEGACY_REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "no_authentication": (),
    "password": ("username",),
    "oauth": ("auth_provider",),
    "aws_sigv4": ("aws_region", "aws_service"),
    "jwt": ("signing_certificate", "jwt_issuer", "jwt_audience"),
    "jwt_exchange": ("signing_certificate", "jwt_issuer", "jwt_audience"),
}
LEGACY_OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {
    "no_authentication": (),
    "password": (),
    "oauth": ("oauth_scope",),
    "aws_sigv4": (),
    "jwt": ("jwt_subject", "jwt_validity_seconds"),
    "jwt_exchange": ("jwt_subject", "jwt_validity_seconds"),
}
LEGACY_SPECIFIC_KEYS = frozenset(
    key for keys in (*LEGACY_REQUIRED_KEYS.values(), *LEGACY_OPTIONAL_KEYS.values()) for key in keys
)

# JWT header claim `alg`: what Salesforce signs with (README reference: External Credential parameters).
JWT_ALGORITHMS = ("RS256", "RS512")
