"""Counted nouns in messages: "1 file", "2 files"."""

from __future__ import annotations


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def noun(count: int, singular: str, many: str | None = None) -> str:
    """The noun alone, agreeing with count: "app" or "apps"."""
    return singular if count == 1 else (many or singular + "s")
