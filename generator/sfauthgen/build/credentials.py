"""External and named credentials: spec settings become parameters as Salesforce writes them."""

from __future__ import annotations

from sfauthgen.merge import Entry
from sfauthgen.model import (
    ExternalCredential,
    ExternalCredentialParameter,
    LegacySettings,
    NamedCredential,
    NamedCredentialParameter,
)
from sfauthgen.vocabulary import (
    CLIENT_SECRET_IN_VARIANT,
    EXTERNAL_CREDENTIAL_PROTOCOLS,
    LEGACY_OPTIONAL_KEYS,
    LEGACY_PRINCIPAL_TYPES,
    LEGACY_PROTOCOLS,
    LEGACY_REQUIRED_KEYS,
    LEGACY_SPECIFIC_KEYS,
    PRINCIPAL_TYPES,
)

DEFAULT_GROUP = "DefaultGroup"

# Non-principal parameters in one fixed order (Salesforce itself keeps none), so output is
# deterministic; sequence numbers follow the order written in the spec.
_AUTH_PARAMETERS = (("scope", "Scope"), ("aws_region", "AwsRegion"), ("aws_service", "AwsService"),
                    ("aws_account_id", "AwsAccountId"))


def external_credential(entry: Entry) -> ExternalCredential:
    protocol = entry.data["protocol"]
    authentication_protocol, variant = EXTERNAL_CREDENTIAL_PROTOCOLS[protocol]
    if protocol == "oauth_client_credentials":
        variant = CLIENT_SECRET_IN_VARIANT[entry.get("client_secret_in", default="body")]
    params: list[ExternalCredentialParameter] = []

    def add(name: str, kind: str, **fields: str | int | None) -> None:
        params.append(ExternalCredentialParameter(name, kind, DEFAULT_GROUP, **fields))  # type: ignore[arg-type]

    if variant is not None:
        add(authentication_protocol, "AuthProtocolVariant", parameter_value=variant)
    if entry.get("auth_provider") is not None:
        add("AuthProvider", "AuthProvider", auth_provider=entry.get("auth_provider"))
    if entry.get("token_url") is not None:
        add("AuthProviderUrl", "AuthProviderUrl", parameter_value=entry.get("token_url"))
    for key, name in _AUTH_PARAMETERS:
        if entry.get(key) is not None:
            add(name, "AuthParameter", parameter_value=entry.get(key))
    if entry.get("signing_certificate") is not None:
        add("SigningCertificate", "SigningCertificate", certificate=entry.get("signing_certificate"))
    for claim, value in sorted((entry.get("claims") or {}).items()):
        add(claim, "JwtBodyClaim", parameter_value=value)
    for claim, value in sorted((entry.get("header_claims") or {}).items()):
        add(claim, "JwtHeaderClaim", parameter_value=value)
    for number, (header, value) in enumerate((entry.get("headers") or {}).items(), start=1):
        add(header, "AuthHeader", parameter_value=value, sequence_number=number)
    for code in entry.get("refresh_on_status") or []:
        add(str(code), "AdditionalRefreshStatusCode", parameter_value=str(code))
    for number, principal in enumerate(entry.get("principals") or [], start=1):
        name = principal["name"]
        kind = PRINCIPAL_TYPES[principal.get("type", "named")]
        params.append(ExternalCredentialParameter(name, kind, name, sequence_number=number))
    return ExternalCredential(
        name=entry.name,
        label=entry.data["label"],
        description=entry.get("description"),
        authentication_protocol=authentication_protocol,
        parameters=tuple(params),
    )


def principal_accesses(entries: tuple[Entry, ...]) -> dict[str, set[str]]:
    """Permission set name -> '<ExternalCredential>-<Principal>' it grants."""
    grants: dict[str, set[str]] = {}
    for entry in entries:
        for principal in entry.get("principals") or []:
            for permission_set in principal.get("access") or []:
                grants.setdefault(permission_set, set()).add(f"{entry.name}-{principal['name']}")
    return grants


def named_credential(entry: Entry) -> NamedCredential:
    legacy = entry.get("legacy")
    params: list[NamedCredentialParameter] = []
    if legacy is None:
        params.append(NamedCredentialParameter("Url", "Url", parameter_value=entry.data["url"]))
        params.append(NamedCredentialParameter(
            "ExternalCredential", "Authentication", external_credential=entry.data["external_credential"]
        ))
        for number, (header, value) in enumerate((entry.get("headers") or {}).items(), start=1):
            params.append(NamedCredentialParameter(header, "HttpHeader", parameter_value=value,
                                                   sequence_number=number))
        for namespace in sorted(entry.get("allowed_namespaces") or []):
            params.append(NamedCredentialParameter(namespace, "AllowedManagedPackageNamespaces",
                                                   parameter_value=namespace))
    return NamedCredential(
        name=entry.name,
        label=entry.data["label"],
        description=entry.get("description"),
        allow_merge_fields_in_body=entry.get("allow_merge_fields_in_body", default=False),
        allow_merge_fields_in_header=entry.get("allow_merge_fields_in_header", default=False),
        callout_status="Enabled" if entry.get("callouts_enabled", default=True) else "Disabled",
        generate_authorization_header=entry.get("generate_authorization_header", default=True),
        parameters=tuple(params),
        named_credential_type=None if legacy is not None else "SecuredEndpoint",
        legacy=_legacy(legacy) if legacy is not None else None,
    )


def _legacy(block: dict[str, object]) -> LegacySettings:
    protocol = str(block["protocol"])
    applicable = set(LEGACY_REQUIRED_KEYS[protocol]) | set(LEGACY_OPTIONAL_KEYS[protocol])

    def text(key: str) -> str | None:
        value = block.get(key)
        if value is None or (key in LEGACY_SPECIFIC_KEYS and key not in applicable):
            return None
        return str(value)

    validity = block.get("jwt_validity_seconds") if "jwt_validity_seconds" in applicable else None
    return LegacySettings(
        auth_provider=text("auth_provider"),
        aws_region=text("aws_region"),
        aws_service=text("aws_service"),
        endpoint=str(block["endpoint"]),
        jwt_audience=text("jwt_audience"),
        jwt_subject=text("jwt_subject"),
        jwt_issuer=text("jwt_issuer"),
        jwt_signing_certificate=text("signing_certificate"),
        jwt_validity_period_seconds=int(validity) if isinstance(validity, int) else None,
        oauth_scope=text("oauth_scope"),
        principal_type=LEGACY_PRINCIPAL_TYPES[str(block["principal_type"])],
        protocol=LEGACY_PROTOCOLS[protocol],
        username=text("username"),
    )
