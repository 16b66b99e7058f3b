"""New key pairs for the JWT bearer flow: an RSA key and the self-signed certificate Salesforce checks
assertions against (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm).

Pure functions: nothing here touches the file system; `commands/cert.py` decides where the PEM goes.
"""

from __future__ import annotations

import datetime
import re

from sfauthgen.diagnostics import UsageProblem
from sfauthgen.inputs import shown
from sfauthgen.records import field, record

KEY_SIZE = 2048
PUBLIC_EXPONENT = 65537
# The certificate is valid a little before "now", so a verifier whose clock lags ours accepts it at once.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# A file stem on every platform and a valid NAME in the spec's paths: no dots, slashes or spaces.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,79}")


@record
class KeyPair:
    certificate_pem: bytes
    key_pem: bytes = field(repr=False)  # never in a repr, so a log line or traceback cannot show the key
    fingerprint_sha256: str  # the DER's SHA-256 as colon-separated hex, as `openssl x509 -fingerprint` prints
    not_valid_after: datetime.datetime


def check_name(name: str) -> str:
    """NAME names the certificate and key files, so it must be a safe file stem."""
    if not _NAME.fullmatch(name):
        raise UsageProblem(f"'{shown(name)[:100]}' is not a usable NAME: use 1-80 letters, digits, '_' and '-', "
                           "starting with a letter (it names the .crt and .key files)")
    return name


def new_key_pair(name: str, days: int, now: datetime.datetime | None = None) -> KeyPair:
    """An RSA 2048 key and a self-signed SHA-256 certificate with CN=NAME, valid for `days` days."""
    check_name(name)
    if days < 1:
        raise UsageProblem(f"--days must be at least 1, not {days}")
    # cryptography is imported here, not at start-up: only this command creates keys.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    # Whole seconds: a certificate holds no fractions, so the expiry reported is the one it carries.
    start = (now or datetime.datetime.now(datetime.timezone.utc)).replace(microsecond=0)
    key = rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_SIZE)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    ends = start + datetime.timedelta(days=days)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)  # self-signed: Salesforce only compares the public key, no chain is checked
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - CLOCK_SKEW)
        .not_valid_after(ends)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    digest = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return KeyPair(
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM),
        # Unencrypted PKCS#8: the CI secret store protects it, and the JWT client reads it without a passphrase.
        key_pem=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()),
        fingerprint_sha256=":".join(digest[i:i + 2] for i in range(0, len(digest), 2)),
        not_valid_after=ends,
    )
