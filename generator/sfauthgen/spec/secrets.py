"""Keep secrets out of specs (and so out of generated metadata and git history).

Runs on the raw YAML before the schema, so `client_secret:` is reported as a
secret with advice on where it belongs, not as an unknown key. A secret is
never echoed back in full: messages show at most its first four characters.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from sfauthgen import codes, records
from sfauthgen.diagnostics import Diagnostic, error
from sfauthgen.secretpatterns import IDENTIFIER_NAMES, PRIVATE_KEY, is_secret_name, redact, scrub, secret_in_value
from sfauthgen.spec.loader import JsonPath, SpecDocument

__all__ = ["PRIVATE_KEY", "WHERE_SECRETS_GO", "Redactor", "find_secrets", "redact", "secret_in_value"]

WHERE_SECRETS_GO = (
    "secrets never go in a spec: set them in the org after deploy (Setup > Named Credentials > "
    "External Credentials > the principal's authentication parameters, or the Connect REST API resource "
    "/services/data/vXX.X/named-credentials/credential) and reference them in formulas such as "
    "{!$Credential.My_Credential.ApiKey}"
)
# Where a secret belongs instead, by the section it was written in (SPEC_LANGUAGE: the error "says where the
# secret belongs instead"); any other place gets WHERE_SECRETS_GO.
_WHERE_BY_SECTION = {
    "auth_providers": "secrets never go in a spec: an auth provider's consumer secret is entered in Setup > Auth. "
                      "Providers > Edit after the first deploy",
    "connected_apps": "secrets never go in a spec: Salesforce generates an app's consumer secret; read it in Setup "
                      "(App Manager > the app > View > Manage Consumer Details) and keep it in the client's secret "
                      "store",
    "external_client_apps": "secrets never go in a spec: Salesforce generates an app's consumer secret; read it in "
                            "External Client App Manager > the app > Settings > OAuth Settings and keep it in the "
                            "client's secret store",
}
_LEGACY_PASSWORD = ("secrets never go in a spec: a legacy named credential's password is entered in Setup > Named "
                    "Credentials > the credential > Edit after deploy (a new-model credential keeps its secrets in "
                    "its external credential's principal: sfauthgen secrets set)")


def where_secrets_go(path: JsonPath) -> str:
    """The hint for a secret found at `path` of a spec."""
    if path[:1] == ("named_credentials",) and "legacy" in path:
        return _LEGACY_PASSWORD
    return _WHERE_BY_SECTION.get(str(path[0]) if path else "", WHERE_SECRETS_GO)


# Key names (lower case, '-' read as '_') that only ever hold a secret. `token_url` is fine.
_SECRET_KEY = re.compile(
    r"^(.*_)?(client_secret|consumer_secret|secret|secret_key|secret_access_key|password|passwd|pwd|"
    r"api_key|apikey|access_token|auth_token|bearer_token|refresh_token_value|private_key|session_token|"
    r"access_key_secret)$"
)

# Mappings whose keys are names the user picks (header and claim names, variables), not spec keys.
_FREE_KEY_PARENTS = {"headers", "claims", "header_claims", "variables", "environments"}


class Redactor:
    """The secrets found in a run: every message printed afterwards shows them redacted."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()

    def add(self, value: str) -> None:
        if len(value.strip()) >= 4:
            self.secrets.add(value)
            self.secrets.update(part for part in re.split(r"[\s'\"]+", value) if len(part) >= 12)

    def text(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, redact(secret))
        return scrub(text)

    def clean(self, diagnostic: Diagnostic) -> Diagnostic:
        hint = self.text(diagnostic.hint) if diagnostic.hint else diagnostic.hint
        return records.replace(diagnostic, message=self.text(diagnostic.message), hint=hint)


@functools.lru_cache(maxsize=4096)
def _secret_key(key: str) -> bool:
    """Whether a spec key only ever holds a secret (spec keys repeat: each is matched once)."""
    return _SECRET_KEY.match(key.lower().replace("-", "_")) is not None


def find_secrets(doc: SpecDocument, redactor: Redactor | None = None) -> list[Diagnostic]:
    """Every secret in the spec, keys included; each is also handed to `redactor`."""
    found: list[Diagnostic] = []
    redactor = redactor if redactor is not None else Redactor()
    if isinstance(doc.data, str):
        _check_text(doc, doc.data, (), False, None, found, redactor)
    else:
        _visit(doc, doc.data, (), found, redactor)
    return found


def _visit(doc: SpecDocument, value: Any, path: JsonPath, found: list[Diagnostic], redactor: Redactor) -> None:
    """Check everything below `value` (a mapping or a list), keys included.

    A string is checked knowing the name it is written under, when the user chose that name (a header,
    claim or variable) or it names an identifier (consumer_key): see `secret_in_value`.
    """
    parent = path[-1] if path else None
    header = parent == "headers"
    section = path[0] if len(path) == 2 else None  # variables.NAME, environments.NAME
    if isinstance(value, dict):
        free_keys = parent in _FREE_KEY_PARENTS
        for key, item in value.items():
            if (path == ("variables",) or (len(path) == 2 and path[0] == "environments")) and isinstance(key, str) \
                    and (_secret_key(key) or is_secret_name(key)):
                # SPEC_LANGUAGE: secrets are never variables, and a key named like a secret is an error.
                found.append(error(doc.locate(path + (key,), key=True), codes.SECRET_KEY,
                                   f"variable '{key}' is named like a secret; secrets are never variables",
                                   WHERE_SECRETS_GO))
                if isinstance(item, str):
                    redactor.add(item)
                elif isinstance(item, dict) and isinstance(item.get("default"), str):
                    redactor.add(item["default"])
                continue
            if free_keys and isinstance(key, str):
                reason = secret_in_value(key)
                if reason:
                    redactor.add(key)
                    found.append(error(
                        doc.locate(path + (key,), key=True), codes.SECRET_VALUE,
                        f"this name looks like {reason} ({redact(key)}); secrets are never written in a spec",
                        where_secrets_go(path),
                    ))
                    if isinstance(item, (dict, list)):
                        _visit(doc, item, path + (key,), found, redactor)
                    continue  # reported by its name: the value is not reported again
            elif not free_keys and isinstance(key, str) and _secret_key(key):
                found.append(error(
                    doc.locate(path + (key,), key=True), codes.SECRET_KEY,
                    f"'{key}' holds a secret; secrets are never written in a spec",
                    where_secrets_go(path),
                ))
                if isinstance(item, str):
                    redactor.add(item)
                    continue
            if isinstance(item, str):
                if key in IDENTIFIER_NAMES or (free_keys and isinstance(key, str)):
                    name: str | None = str(key)
                elif section == "variables" and key == "default":
                    name = str(path[1])
                elif section == "environments":
                    name = str(key)
                else:
                    name = None
                _check_text(doc, item, path + (key,), header, name, found, redactor)
            elif isinstance(item, (dict, list)):
                _visit(doc, item, path + (key,), found, redactor)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                _check_text(doc, item, path + (index,), header, str(index) if section == "environments" else None,
                            found, redactor)
            elif isinstance(item, (dict, list)):
                _visit(doc, item, path + (index,), found, redactor)


def _check_text(doc: SpecDocument, value: str, path: JsonPath, header: bool, name: str | None,
                found: list[Diagnostic], redactor: Redactor) -> None:
    reason = secret_in_value(value, header, name)
    if reason:
        redactor.add(value)
        found.append(error(
            doc.locate(path), codes.SECRET_VALUE,
            f"this value looks like {reason} ({redact(value)}); secrets are never written in a spec",
            WHERE_SECRETS_GO,  # where it belongs depends on what it is, which a value does not say
        ))
