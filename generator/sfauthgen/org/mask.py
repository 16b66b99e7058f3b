"""Masking the secrets of a run in everything shown, and making server text safe to print.

A server may echo what it was sent, in another encoding than it was sent in: the form-encoded body
of a token request, the JSON of a credential. Every form a secret can come back in is masked.
"""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

from sfauthgen.inputs import shown
from sfauthgen.secretpatterns import scrub

MASK = "****"
MAX_SERVER_TEXT = 300  # characters of an org's message worth showing


def _forms(secret: str) -> set[str]:
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1],
            json.dumps(secret, ensure_ascii=False)[1:-1]}


class Masker:
    def __init__(self, *secrets: str) -> None:
        self._forms: list[str] = []
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        for secret in secrets:
            if secret and len(secret) >= 3:  # a three-letter password is still one; shorter would mask every "a"
                self._forms.extend(_forms(secret))
        self._forms = sorted(set(self._forms), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, MASK)
        return scrub(text)


def server_text(value: object, masker: Masker, *, limit: int | None = MAX_SERVER_TEXT) -> str:
    """An org's message, safe for a terminal or a CI log: masked, control characters escaped, cut short
    (after masking, so a cut never leaves part of a secret)."""
    text = shown(masker(str(value)))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
