"""The certificates apps sign JWT bearer tokens with: expiry, key size, signature hash."""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterator

from sfauthgen.diagnostics import Location, Severity
from sfauthgen.lint.rule import Finding, LintContext, Rule
from sfauthgen.lint.rules.apps import live_apps

SOON = datetime.timedelta(days=30)


def _certificates(ctx: LintContext) -> Iterator[tuple[str, Location, object]]:
    from cryptography import x509

    for _, app in live_apps(ctx):
        certificate = app.oauth.jwt_certificate if app.oauth else None
        if certificate is None or certificate.body is None:
            continue
        where = app.oauth.source.locate("jwt_bearer", "certificate")  # type: ignore[union-attr]
        yield app.name, where, x509.load_der_x509_certificate(base64.b64decode(certificate.body))


def expiry(ctx: LintContext) -> Iterator[Finding]:
    for name, where, cert in _certificates(ctx):
        ends = cert.not_valid_after_utc.date()  # type: ignore[attr-defined]
        if ends < ctx.today:
            yield Finding(name, where, f"the certificate of '{name}' expired on {ends}", Severity.ERROR)
        elif ends - ctx.today <= SOON:
            yield Finding(name, where, f"the certificate of '{name}' expires on {ends}")


def weak(ctx: LintContext) -> Iterator[Finding]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    for name, where, cert in _certificates(ctx):
        key = cert.public_key()  # type: ignore[attr-defined]
        if isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
            yield Finding(name, where, f"the certificate of '{name}' has a {key.key_size}-bit RSA key")
        algorithm = cert.signature_hash_algorithm  # type: ignore[attr-defined]
        if isinstance(algorithm, hashes.SHA1):
            yield Finding(name, where, f"the certificate of '{name}' is signed with SHA-1")


RULES = (
    Rule("SFA017", "CertificateExpiry", Severity.WARNING, "A JWT signing certificate expires within 30 days "
         "(warning) or has expired (error).", "When the certificate expires, the JWT bearer flow stops and the "
         "integration with it.", "Create a new key pair (`sfauthgen cert new`), deploy its certificate, then "
         "switch the client to the new key.", expiry),
    Rule("SFA019", "WeakCertificate", Severity.WARNING, "A JWT signing certificate with a key under 2048 bits or "
         "a SHA-1 signature.", "Short RSA keys and SHA-1 are no longer considered safe.",
         "Create a new RSA 2048 (or larger) key pair signed with SHA-256.", weak),
)
