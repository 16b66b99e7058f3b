"""What connected apps and external client apps share: the entry shape, its checks, the
header and IP range output, and the import of those parts. The two kinds are one entry
shape written as different metadata (see `connected_app.py` and `external_client_app.py`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sfauthgen import records
from sfauthgen.certificates import CertificateProblem, read_certificate_body
from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.kinds.base import Check, CheckContext
from sfauthgen.records import record
from sfauthgen.secretpatterns import PRIVATE_KEY
from sfauthgen.spec.source import Source

if TYPE_CHECKING:
    from lxml import etree

    from sfauthgen.importer.elements import Reader

# Defaults of the entry shape (the PKCE default differs per kind and is passed to `parse_app`).
DEFAULT_PERMITTED_USERS = "all_users"
DEFAULT_IP_RELAXATION = "enforce"
DEFAULT_REFRESH_TOKEN = "never_expires"
ADMIN_APPROVED = "admin_approved"
DEFAULT_STATUS = "active"
RETIRED = "retired"
# oauth flags -> default (`require_pkce` is per kind: `pkce_default`).
OAUTH_FLAG_DEFAULTS = {
    "require_secret_for_web_server_flow": True,
    "require_secret_for_refresh_token_flow": True,
    "introspect_all_tokens": False,
}


def oauth_flags(found: dict[str, bool], *, pkce_default: bool) -> dict[str, bool]:
    """The flags an imported app sets to something other than their defaults (the spec leaves defaults out)."""
    defaults = {**OAUTH_FLAG_DEFAULTS, "require_pkce": pkce_default}
    return {key: value for key, value in found.items() if value != defaults[key]}


@record
class JwtCertificate:
    """`jwt_bearer.certificate`: the file is read once, here; checks report `problem`."""

    written: str
    body: str | None  # base64 DER on one line, as Salesforce stores it
    problem: CertificateProblem | None


@record
class OAuth:
    source: Source
    callback_urls: tuple[str, ...]
    scopes: tuple[str, ...]  # as written
    require_secret_for_web_server_flow: bool
    require_secret_for_refresh_token_flow: bool
    require_pkce: bool
    introspect_all_tokens: bool
    run_as: str | None  # client_credentials.run_as; None: the flow is off
    jwt_certificate: JwtCertificate | None
    consumer_key: str | None  # an existing app's client id (not a secret)


@record
class RefreshToken:
    policy: str  # never_expires | expire_immediately | expire_after | expire_if_unused_for
    amount: int | None = None
    unit: str | None = None  # a PERIOD_UNITS key


@record
class Policies:
    """`policies`; None where the spec does not set a value (see the defaults above)."""

    source: Source
    permitted_users: str | None
    permission_sets: tuple[str, ...]
    profiles: tuple[str, ...]
    ip_relaxation: str | None
    refresh_token: RefreshToken | None
    session_timeout_minutes: int | None

    @property
    def admin_approved(self) -> bool:
        return (self.permitted_users or DEFAULT_PERMITTED_USERS) == ADMIN_APPROVED


@record
class IpRangeEntry:
    source: Source
    start: str
    end: str
    description: str | None


@record
class AppEntry:
    """The entry shape both app kinds share; `extra` holds the keys only one kind has (see its module)."""

    source: Source
    name: str
    label: str
    contact_email: str
    contact_phone: str | None
    description: str | None
    icon_url: str | None
    info_url: str | None
    logo_url: str | None
    start_url: str | None
    retire_after: str | None
    status: str  # active | retired
    oauth: OAuth | None
    policies: Policies
    ip_ranges: tuple[IpRangeEntry, ...] | None
    # Connected apps only.
    mobile_start_url: str | None = None
    exists_in_org: bool = False
    # External client apps only.
    distribution_state: str = "local"
    component_names: tuple[tuple[str, str], ...] = ()


def _certificate(source: Source, written: str) -> JwtCertificate:
    try:
        return JwtCertificate(written, read_certificate_body(source.base_dir / written), None)
    except CertificateProblem as problem:
        return JwtCertificate(written, None, problem)


def _refresh_token(value: Any) -> RefreshToken | None:
    if value is None:
        return None
    if isinstance(value, str):
        return RefreshToken(value)
    ((key, period),) = value.items()
    amount, unit = period.split()
    return RefreshToken(key, int(amount), unit)


def _oauth(source: Source, data: dict[str, Any], pkce_default: bool) -> OAuth:
    client_credentials = data.get("client_credentials")
    jwt = data.get("jwt_bearer")
    return OAuth(
        source=source,
        callback_urls=tuple(data["callback_urls"]),
        scopes=tuple(data["scopes"]),
        require_secret_for_web_server_flow=data.get("require_secret_for_web_server_flow",
                                                    OAUTH_FLAG_DEFAULTS["require_secret_for_web_server_flow"]),
        require_secret_for_refresh_token_flow=data.get("require_secret_for_refresh_token_flow",
                                                       OAUTH_FLAG_DEFAULTS["require_secret_for_refresh_token_flow"]),
        require_pkce=data.get("require_pkce", pkce_default),
        introspect_all_tokens=data.get("introspect_all_tokens", OAUTH_FLAG_DEFAULTS["introspect_all_tokens"]),
        run_as=client_credentials["run_as"] if client_credentials is not None else None,
        jwt_certificate=_certificate(source, jwt["certificate"]) if jwt is not None else None,
        consumer_key=data.get("consumer_key"),
    )


def parse_app(source: Source, data: dict[str, Any], *, pkce_default: bool, **extra: Any) -> AppEntry:
    policies = data.get("policies") or {}
    ranges = data.get("ip_ranges")
    return AppEntry(
        source=source,
        name=data["name"],
        label=data["label"],
        contact_email=data["contact_email"],
        contact_phone=data.get("contact_phone"),
        description=data.get("description"),
        icon_url=data.get("icon_url"),
        info_url=data.get("info_url"),
        logo_url=data.get("logo_url"),
        start_url=data.get("start_url"),
        retire_after=data.get("retire_after"),
        status=data.get("status", DEFAULT_STATUS),
        oauth=_oauth(source.at("oauth"), data["oauth"], pkce_default) if data.get("oauth") is not None else None,
        policies=Policies(
            source=source.at("policies"),
            permitted_users=policies.get("permitted_users"),
            permission_sets=tuple(policies.get("permission_sets") or ()),
            profiles=tuple(policies.get("profiles") or ()),
            ip_relaxation=policies.get("ip_relaxation"),
            refresh_token=_refresh_token(policies.get("refresh_token")),
            session_timeout_minutes=policies.get("session_timeout_minutes"),
        ),
        ip_ranges=None if ranges is None else tuple(
            IpRangeEntry(source.at("ip_ranges", i), r["start"], r["end"], r.get("description"))
            for i, r in enumerate(ranges)
        ),
        **extra,
    )


# Output parts both kinds write.

@record
class AppHeader:
    """What a Connected App and an External Client App say about themselves."""

    label: str
    contact_email: str
    contact_phone: str | None
    description: str | None
    icon_url: str | None
    info_url: str | None
    logo_url: str | None


@record
class IpRange:
    start: str
    end: str
    description: str | None


def app_header(app: AppEntry) -> AppHeader:
    return AppHeader(app.label, app.contact_email, app.contact_phone, app.description, app.icon_url,
                     app.info_url, app.logo_url)


def ip_ranges(app: AppEntry) -> tuple[IpRange, ...]:
    """In the order written (SPEC_LANGUAGE: lists keep the order written in the spec)."""
    return tuple(IpRange(r.start, r.end, r.description) for r in app.ip_ranges or ())


def in_order(values: Iterable[str]) -> tuple[str, ...]:
    """Values in the order written, each once."""
    return tuple(dict.fromkeys(values))


def refresh_token(policies: Policies, default: RefreshToken | None = None) -> RefreshToken:
    return policies.refresh_token or default or RefreshToken(DEFAULT_REFRESH_TOKEN)


def ip_relaxation(policies: Policies) -> str:
    return policies.ip_relaxation or DEFAULT_IP_RELAXATION


def effective(app: AppEntry) -> tuple[Policies, str | None]:
    """The policies and run-as user an app is written with. A retired app ("deactivate, don't
    delete") stays in the org but nobody can get a token: admin-approved users only, no permission
    set or profile granted, no client credentials flow."""
    run_as = app.oauth.run_as if app.oauth is not None else None
    if app.status != RETIRED:
        return app.policies, run_as
    locked = records.replace(app.policies, permitted_users=ADMIN_APPROVED, permission_sets=(), profiles=())
    return locked, None


def certificate_body(app: AppEntry) -> str | None:
    certificate = app.oauth.jwt_certificate if app.oauth is not None else None
    return certificate.body if certificate is not None else None


# Checks both kinds run.

def _policies_need_oauth(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    if app.oauth is not None:
        return
    policies = app.policies
    written = {"permitted_users": policies.permitted_users, "ip_relaxation": policies.ip_relaxation,
               "refresh_token": policies.refresh_token}
    for key, value in written.items():
        if value is not None:
            yield error(policies.source.locate(key, key=True), "", f"policies.{key} needs an oauth block",
                        "these are OAuth policies; add oauth with callback_urls and scopes")


def _admin_only_settings(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    policies = app.policies
    if policies.admin_approved:
        return
    for key, values in (("permission_sets", policies.permission_sets), ("profiles", policies.profiles)):
        if values:
            yield error(
                policies.source.locate(key, key=True), "",
                f"policies.{key} requires permitted_users: admin_approved",
                "Salesforce grants access by permission set or profile only when admin-approved "
                "users are pre-authorized; add 'permitted_users: admin_approved'",
            )


def _certificate_readable(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    certificate = app.oauth.jwt_certificate if app.oauth is not None else None
    if certificate is not None and certificate.problem is not None:
        problem = certificate.problem
        yield error(app.oauth.source.locate("jwt_bearer", "certificate"), "",  # type: ignore[union-attr]
                    problem.message, problem.hint)


def _ip_ranges_valid(app: AppEntry, ctx: CheckContext) -> Iterator[Diagnostic]:
    for item in app.ip_ranges or ():
        addresses = {}
        for end, written in (("start", item.start), ("end", item.end)):
            try:
                addresses[end] = ipaddress.ip_address(written)
            except ValueError:
                yield error(item.source.locate(end), "", f"'{written}' is not an IP address")
        if len(addresses) < 2:
            continue
        start, stop = addresses["start"], addresses["end"]
        if start.version != stop.version:
            yield error(item.source.locate(), "", "ip range mixes IPv4 and IPv6 addresses")
        elif start > stop:  # type: ignore[operator]
            yield error(item.source.locate("start"), "", f"ip range starts at {start}, after its end {stop}",
                        "swap start and end")


APP_CHECKS: tuple[Check, ...] = (
    Check("SFC101", "PoliciesNeedOauth", "OAuth policies set on an app without an oauth block.", _policies_need_oauth),
    Check("SFC102", "AdminApprovalNeeded", "Permission sets or profiles granted without admin-approved users.",
          _admin_only_settings),
    Check("SFC105", "CertificateUnreadable", "jwt_bearer.certificate is missing, not a PEM X.509 certificate, "
          "or holds a private key.", _certificate_readable),
    Check("SFC106", "BadIpRange", "An IP range with an invalid address, mixed IP versions, or start after end.",
          _ip_ranges_valid),
)


# Import of the parts both kinds share.

def pem(body: str) -> str:
    import textwrap

    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(body, 64)) + "\n-----END CERTIFICATE-----\n"


def import_certificate(reader: Reader, element_name: str, parent: etree._Element | None, member: str,
                       certificates: dict[str, str]) -> dict[str, str] | None:
    """`{certificate: certs/<member>.crt}` for a valid certificate element (its PEM goes to `certificates`)."""
    import base64

    from cryptography import x509

    element = reader.find(element_name, parent)
    if element is None:
        return None
    if PRIVATE_KEY.search(element.text or ""):
        reader.lose(element, "holds a private key, which is never imported; rotate it, it was in source control "
                             "(the certificate is the public half: upload that one and reference its PEM file)")
        return None
    body = re.sub(r"\s+", "", element.text or "")
    try:
        x509.load_der_x509_certificate(base64.b64decode(body, validate=True))
    except ValueError:
        reader.lose(element, "not a valid X.509 certificate; upload a valid one and reference its PEM file")
        return None
    reader.mark(element)
    path = f"certs/{member}.crt"
    certificates[path] = pem(body)
    return {"certificate": path}


CONSUMER_KEY = re.compile(r"^[A-Za-z0-9._=+/-]{8,256}\Z")  # as the schema's oauth.consumer_key


def import_consumer_key(reader: Reader, parent: etree._Element | None, oauth: dict[str, Any]) -> None:
    element = reader.find("consumerKey", parent)
    if element is None:
        return
    if CONSUMER_KEY.match(element.text or ""):
        reader.mark(element)
        oauth["consumer_key"] = element.text
    else:
        reader.lose(element, "not a consumer key (a placeholder to fill in?); left out, so the org keeps its own")


def import_header(reader: Reader, entry: dict[str, Any]) -> None:
    for key, element in (("contact_phone", "contactPhone"), ("description", "description"),
                         ("info_url", "infoUrl"), ("icon_url", "iconUrl"), ("logo_url", "logoUrl")):
        value = reader.take(element)
        if value is not None:
            entry[key] = value


def import_ip_ranges(reader: Reader, name: str, start: str, end: str,
                     parent: etree._Element | None = None) -> list[dict[str, str]]:
    ranges = []
    for element in reader.children(parent, name):
        reader.mark(element)
        item = {"start": reader.take(start, element) or "", "end": reader.take(end, element) or ""}
        description = reader.take("description", element)
        if description is not None:
            item["description"] = description
        ranges.append(item)
    return ranges

