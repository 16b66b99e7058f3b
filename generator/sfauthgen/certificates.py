"""Read the X.509 certificates a spec points at (JWT bearer, "use digital signatures")."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from sfauthgen.inputs import InputProblem, read_input, shown
from sfauthgen.spec.secrets import PRIVATE_KEY

_CERT_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
MAX_BYTES = 256 * 1024


class CertificateProblem(Exception):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def read_certificate_body(path: Path) -> str:
    """The certificate's base64 DER body on one line, as Salesforce stores it in <certificate>."""
    try:
        text = read_input(path, MAX_BYTES).decode("ascii", errors="replace")
    except InputProblem as problem:
        hint = "the path is relative to the spec file" if str(problem) == "does not exist" else None
        raise CertificateProblem(f"certificate file '{shown(str(path))}' {problem}", hint) from None
    if PRIVATE_KEY.search(text):
        raise CertificateProblem(
            f"'{path}' contains a private key",
            "point jwt_bearer.certificate at the public certificate only; keep the private key "
            "in your secret manager and out of the repository (rotate it if it was committed)",
        )
    blocks = _CERT_BLOCK.findall(text)
    if len(blocks) != 1:
        found = "no" if not blocks else str(len(blocks))
        raise CertificateProblem(
            f"'{path}' is not a PEM X.509 certificate ({found} CERTIFICATE blocks)",
            "give one PEM certificate (-----BEGIN CERTIFICATE-----), such as the output of "
            "'openssl req -x509 ... -out server.crt'",
        )
    # cryptography is imported here, not at start-up: most specs have no certificate.
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        cert = x509.load_pem_x509_certificate(blocks[0].encode("ascii"))
    except ValueError as exc:
        raise CertificateProblem(f"'{path}' is not a valid PEM X.509 certificate: {exc}") from None
    return base64.b64encode(cert.public_bytes(Encoding.DER)).decode("ascii")
