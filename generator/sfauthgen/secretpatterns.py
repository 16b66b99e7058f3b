"""What a secret looks like, and how it is shown: never whole, at most its first four characters.

Used on every string a spec can carry (keys included), on imported metadata, and as the last
line of defence on every message sfauthgen prints (`scrub`).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

# PEM private keys of every kind and case (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK).
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----", re.I)
_PRIVATE_KEY_BLOCK = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----.*?(-----END [A-Z0-9 ]*-----|$)",
                                re.I | re.S)

# Credentials whose format gives them away.
KNOWN_TOKENS = re.compile(
    r"(?<![A-Za-z0-9])("
    r"sk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}|"  # OpenAI
    r"(sk|rk|pk)_(live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{16,}|"  # Stripe
    r"(AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}|"  # AWS access key ids
    r"gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|"  # GitHub
    r"xox[abeprs]-[A-Za-z0-9-]{10,}|https://hooks\.slack\.com/services/[A-Za-z0-9/]+|"  # Slack
    r"AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|"  # Google, GitLab, npm
    r"SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|"  # SendGrid
    r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*|"  # JWTs
    r"00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}"  # Salesforce session ids / access tokens
    r")"
)
# Azure (and other) shared access signatures in a URL or text.
SAS_SIGNATURE = re.compile(r"[?&]sig=[A-Za-z0-9%+/=]{16,}", re.I)
# scheme://user:password@host
URL_PASSWORD = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://[^/\s:@]{0,256}:[^/\s@]{1,256}@")
# A credential passed in a URL's query (?password=..., &api_key=..., ;token=...); a formula ({!...}) is not one.
QUERY_SECRET = re.compile(r"[?&;](?:password|passwd|pwd|passphrase|secret|client_?secret|api[_-]?key|key|"
                          r"access_?token|auth_?token|token|sig|signature|subscription-key)=(?!\{!)[^&#\s]{4,}", re.I)
# A Salesforce consumer secret: 64 upper-case hexadecimal digits.
CONSUMER_SECRET = re.compile(r"(?<![0-9A-Za-z])[0-9A-F]{64}(?![0-9A-Za-z])")
_BEARER_LITERAL = re.compile(r"^\s*(bearer|basic|token)\s+(?P<token>[A-Za-z0-9._~+/=-]{8,})\s*$", re.I)
# Runs of base64 characters (as AWS secret keys are written); dots, dashes and underscores split host
# names, UUIDs and identifiers into short words.
_TOKEN = re.compile(r"[A-Za-z0-9+/=]{16,}")
_WORD = re.compile(r"[A-Za-z0-9+=_~-]{16,}")  # no '/': in a header, paths fall apart into their segments
# What any of the checks of an unnamed value needs to find at least: a PEM armour line, a run of 13
# token characters (every known format and every random token has one), the Slack hook host, a URL
# with an '@' in its authority, a bearer literal, or a query parameter named like a secret. A value
# with none of these is not a secret, and most values (names, labels, e-mail addresses, scopes) are
# cleared by this one search.
_CANDIDATE = re.compile(r"-----|[A-Za-z0-9_%+/=-]{13}|hooks\.slack\.com|://[^/\s]*@|(?:bearer|basic|token)\s|"
                        r"(?:pwd|passwd|password|secret|key|token|sig|signature)=", re.I)
# Names of identifiers that look random but are not secret (a Salesforce consumer key is 3MVG9...).
IDENTIFIER_NAMES = frozenset({"consumer_key", "client_id", "kid", "x5t"})
# Names (of headers, claims, variables) whose value is a secret when it is written literally: a secret word
# anywhere in the name (X-Api-Key-V2, db_password), unless the name ends in what names a place or a setting
# about the secret rather than the secret (token_url, password_reset_url, client_secret_in, secret_type).
SECRET_NAME = re.compile(
    r"(^|_)(password|passwd|pwd|passphrase|secret|client_secret|secret_key|api_key|apikey|access_key|"
    r"private_key|auth_token|access_token|refresh_token|session_token|bearer_token|token)(_|$)"
)
_NOT_A_SECRET_NAME = re.compile(r"_(url|uri|endpoint|host|in|type|name|id|hint|header|location|policy|length)$")


def redact(value: str) -> str:
    shown = value.strip()[:4]
    return f"{shown}…" if len(value.strip()) > 4 else "…"


# A formula, its string literals (with backslash escapes, as Salesforce formulas write a quote) and its
# references ($Credential.Name.Parameter, $User.Email).
_FORMULA = re.compile(r"\{!((?:'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|[^}'\"])*)\}")
_LITERAL = re.compile(r"'((?:\\.|[^'\\])*)'|\"((?:\\.|[^\"\\])*)\"")
_UNESCAPE = re.compile(r"\\(.)")
_REFERENCE = re.compile(r"\$[A-Za-z_][\w.]*")


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def random_token(value: str, *, min_length: int, min_entropy: float, mixed_case: bool) -> str | None:
    """A token of letters and digits (and base64 punctuation) long and random enough to be a key."""
    for match in (_TOKEN if mixed_case else _WORD).finditer(value):
        token = match.group().strip("/")
        if len(token) < min_length or not re.search(r"[0-9]", token) or not re.search(r"[A-Za-z]", token):
            continue
        if mixed_case and not (re.search(r"[a-z]", token) and re.search(r"[A-Z]", token)):
            continue
        if _entropy(token) >= min_entropy:
            return token
    return None


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _normal(name: str) -> str:
    """snake_case: clientSecret, X-Api-Key and 'Api Key' all read as their words joined by '_'."""
    return _CAMEL.sub("_", name).lower().replace("-", "_").replace(" ", "_")


def is_secret_name(name: str) -> bool:
    normal = _normal(name)
    return SECRET_NAME.search(normal) is not None and _NOT_A_SECRET_NAME.search(normal) is None


@functools.lru_cache(maxsize=16384)
def secret_in_value(value: str, header: bool = False, name: str | None = None) -> str | None:
    """Why `value` looks like a secret, or None. `header`: the value of an HTTP header; `name`: the key,
    header or claim it is written under. A formula's references ({!$Credential...}) are never secrets.

    Cached (call it with positional arguments where it is called for every value: keyword arguments
    make the cache slower to consult): a spec repeats its scopes, URLs and names many times over."""
    if name is None and not header and _CANDIDATE.search(value) is None:
        return None
    if PRIVATE_KEY.search(value):
        return "a private key"
    if KNOWN_TOKENS.search(value):
        return "a credential of a well-known format"
    if SAS_SIGNATURE.search(value):
        return "a shared access signature"
    if "@" in value and URL_PASSWORD.search(value):
        return "a password in a URL"
    if "=" in value and QUERY_SECRET.search(value):
        return "a credential in a URL's query"
    if CONSUMER_SECRET.search(value):
        return "a consumer secret"
    if name is not None and _normal(name) in IDENTIFIER_NAMES:
        return None
    if "{!" in value and _FORMULA.search(value):
        # A formula's references ({!$Credential.X.Key}) are not secrets, but its string literals, the rest of
        # its text and the text around it are written as they stand: each is judged as a value, and so are
        # the literals joined. Not by the name it is written under: 'Token token=' & $Credential.X.Key is
        # a prefix, and the secret is the reference's.
        formulas = _FORMULA.findall(value)
        literals = [_UNESCAPE.sub(r"\1", a or b) for formula in formulas for a, b in _LITERAL.findall(formula)]
        rest = [_REFERENCE.sub(" ", _LITERAL.sub(" ", formula)) for formula in formulas]
        parts = [_FORMULA.sub(" ", value), *literals, "".join(literals), *rest]
        return next((found for part in parts if part.strip() and "{!" not in part
                     and (found := secret_in_value(part, header, None))), None)
    if _BEARER_LITERAL.match(value):
        return "a literal token"
    if random_token(value, min_length=32, min_entropy=4.2, mixed_case=True):
        return "a long random string"
    if (header or name is not None) and random_token(value, min_length=24, min_entropy=3.5, mixed_case=False):
        return "a long random string"
    if name is not None and is_secret_name(name) and len(value.strip()) >= 8:
        return f"a secret (it is the value of '{name}')"
    return None


def scrub(text: str) -> str:
    """`text` with anything that looks like a secret replaced by its redacted form."""
    text = _PRIVATE_KEY_BLOCK.sub(lambda m: redact(m.group()), text)
    for pattern in (KNOWN_TOKENS, SAS_SIGNATURE, URL_PASSWORD, QUERY_SECRET, CONSUMER_SECRET):
        text = pattern.sub(lambda m: redact(m.group()), text)
    return text
