"""Keep secrets out of specs (and so out of generated metadata and git history).

Runs on the raw YAML before the schema, so `client_secret:` is reported as a
secret with advice on where it belongs, not as an unknown key. A secret is
never echoed back in full: messages show at most its first four characters.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sfauthgen import codes
from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.spec.loader import JsonPath, SpecDocument

WHERE_SECRETS_GO = (
    "secrets never go in a spec: set them in the org after deploy (Setup > Named Credentials > "
    "External Credentials > the principal's authentication parameters, or the Connect REST API resource "
    "/services/data/vXX.X/named-credentials/credential) and reference them in formulas such as "
    "{!$Credential.My_Credential.ApiKey}"
)

# Key names (lower case, '-' read as '_') that only ever hold a secret. `token_url` is fine.
_SECRET_KEY = re.compile(
    r"^(.*_)?(client_secret|consumer_secret|secret|secret_key|secret_access_key|password|passwd|pwd|"
    r"api_key|apikey|access_token|auth_token|bearer_token|refresh_token_value|private_key|session_token|"
    r"consumer_key|access_key_secret)$"
)

# Mappings whose keys are names the user picks (header and claim names), not spec keys.
_FREE_KEY_PARENTS = {"headers", "claims", "header_claims", "variables", "environments"}

PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_KNOWN_PREFIXES = re.compile(
    r"(?<![A-Za-z0-9])("
    r"sk-[A-Za-z0-9_-]{16,}|sk_live_[A-Za-z0-9]{16,}|rk_live_[A-Za-z0-9]{16,}|"
    r"(AKIA|ASIA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|"
    r"xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}|"
    r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+"
    r")"
)
_BEARER_LITERAL = re.compile(r"^\s*(bearer|basic|token)\s+(?P<token>[A-Za-z0-9._~+/=-]{8,})\s*$", re.I)


def redact(value: str) -> str:
    shown = value.strip()[:4]
    return f"{shown}…" if len(value.strip()) > 4 else "…"


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _looks_random(value: str) -> bool:
    """A long token of letters and digits with high entropy, such as an API key (URLs and words are not)."""
    if len(value) < 24 or not re.fullmatch(r"[A-Za-z0-9+/=_-]+", value):
        return False
    if not (re.search(r"[0-9]", value) and re.search(r"[A-Za-z]", value)):
        return False
    return _entropy(value) >= 3.5


def secret_in_value(value: str, *, header: bool) -> str | None:
    """Why `value` looks like a secret, or None. Formulas ({!...}) are references, never secrets."""
    if PRIVATE_KEY.search(value):
        return "a private key"
    if "{!" in value:
        return None
    if _KNOWN_PREFIXES.search(value):
        return "a credential of a well-known format"
    if _BEARER_LITERAL.match(value):
        return "a literal token"
    if header and _looks_random(value):
        return "a long random string"
    return None


def _walk(node: Any, path: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


def find_secrets(doc: SpecDocument) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for path, value in _walk(doc.data, ()):
        parent = path[-2] if len(path) > 1 else None
        key = path[-1] if path else None
        free_key = parent in _FREE_KEY_PARENTS
        if isinstance(key, str) and not free_key and _SECRET_KEY.match(key.lower().replace("-", "_")):
            found.append(error(
                doc.locate(path, key=True), codes.SECRET_KEY,
                f"'{key}' holds a secret; secrets are never written in a spec",
                WHERE_SECRETS_GO,
            ))
            continue
        if isinstance(value, str):
            reason = secret_in_value(value, header=parent in ("headers",))
            if reason:
                found.append(error(
                    doc.locate(path), codes.SECRET_VALUE,
                    f"this value looks like {reason} ({redact(value)}); secrets are never written in a spec",
                    WHERE_SECRETS_GO,
                ))
    return found
