#!/usr/bin/env python3
"""Write docs/rules.md, the lint rule reference, from the rules themselves."""

from __future__ import annotations

from pathlib import Path

from sfauthgen.lint.docs import rules_markdown

TARGET = Path(__file__).resolve().parent.parent / "docs" / "rules.md"

if __name__ == "__main__":
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(rules_markdown(), encoding="utf-8")
    print(f"wrote {TARGET}")
