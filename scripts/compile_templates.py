#!/usr/bin/env python3
"""Compile templates/*.j2 ahead, into generator/sfauthgen/compiled_templates (committed, shipped in the wheel).

Each run of sfauthgen then imports the compiled templates instead of parsing and compiling them (tens of
milliseconds per run). They are used only while they match the templates and the installed Jinja version
(see `templating._loader`); tests/test_templates_compiled.py fails when they are stale.
Run: python scripts/compile_templates.py [--check]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import jinja2

from sfauthgen import templating

TARGET = Path(__file__).resolve().parent.parent / "generator" / "sfauthgen" / "compiled_templates"


def compile_into(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    source = jinja2.FileSystemLoader(str(templating.templates_dir()))
    # Each template in the environment it renders in: the compiled code holds its escaping and filters.
    templating.xml_environment(source).compile_templates(
        str(target), zip=None, filter_func=lambda name: not name.endswith(".cls.j2"), ignore_errors=False)
    templating.apex_environment(source).compile_templates(
        str(target), zip=None, filter_func=lambda name: name.endswith(".cls.j2"), ignore_errors=False)
    (target / "__init__.py").write_text(
        '"""Templates compiled ahead by scripts/compile_templates.py: do not edit."""\n\n'
        f"JINJA2_VERSION = {jinja2.__version__!r}\n"
        f"CODE_GENERATOR = {templating.CODE_GENERATOR!r}\n"
        f"TEMPLATES_DIGEST = {templating.templates_digest()!r}\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="Exit 1 when the committed modules are stale.")
    args = parser.parse_args()
    if not args.check:
        shutil.rmtree(TARGET, ignore_errors=True)
        compile_into(TARGET)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        compile_into(fresh)
        stale = sorted({p.name for p in fresh.iterdir()} ^ {p.name for p in TARGET.glob("*.py")}
                       | {p.name for p in fresh.iterdir() if (TARGET / p.name).is_file()
                          and (TARGET / p.name).read_bytes() != p.read_bytes()})
    if stale:
        print(f"stale compiled templates: {', '.join(stale)}; run python scripts/compile_templates.py",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
