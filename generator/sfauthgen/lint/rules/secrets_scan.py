"""The repository scan: secrets in any file beside the specs, or in the output folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sfauthgen.diagnostics import Location, Severity
from sfauthgen.inputs import InputProblem, read_input
from sfauthgen.lint.rule import Finding, LintContext, Rule
from sfauthgen.secretpatterns import CONSUMER_SECRET, KNOWN_TOKENS, PRIVATE_KEY, SAS_SIGNATURE, URL_PASSWORD, redact

MAX_FILE_BYTES = 2 * 1024 * 1024
SKIPPED = {".git", "node_modules", ".venv", ".sfdx", ".sf"}
_PATTERNS = (("a private key", PRIVATE_KEY), ("a credential of a well-known format", KNOWN_TOKENS),
             ("a shared access signature", SAS_SIGNATURE), ("a password in a URL", URL_PASSWORD),
             ("a consumer secret", CONSUMER_SECRET))


def _files(roots: tuple[Path, ...]) -> Iterator[Path]:
    seen: set[Path] = set()
    for root in roots:
        for folder, dirs, names in os.walk(root):  # never follows links to folders
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
            for name in sorted(names):
                path = Path(folder) / name
                if path not in seen and not path.is_symlink():
                    seen.add(path)
                    yield path


def repository_secrets(ctx: LintContext) -> Iterator[Finding]:
    for path in _files(ctx.scan_roots):
        try:
            data = read_input(path, MAX_FILE_BYTES)
        except InputProblem:
            continue
        if b"\0" in data:
            continue  # binary
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
            for what, pattern in _PATTERNS:
                match = pattern.search(line)
                if match:
                    yield Finding(str(path), Location(str(path), number, match.start() + 1),
                                  f"{path.name} holds {what} ({redact(match.group())}); rotate it and remove it from "
                                  "the repository and its history")
                    break


RULES = (
    Rule("SFA026", "SecretInRepository", Severity.ERROR, "A file beside the specs (or in the output folder) "
         "holds a secret.", "The article: no secrets in repositories. Whatever reached git stays in its history "
         "and in every clone.", "Rotate the secret, delete the file or the line, and keep the value in a "
         "secret manager (CI secrets, the org).", repository_secrets),
)
