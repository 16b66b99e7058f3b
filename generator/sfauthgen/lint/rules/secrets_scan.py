"""The repository scan: secrets in any file beside the specs, or in the output folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from sfauthgen.diagnostics import Location, Severity
from sfauthgen.inputs import InputProblem, read_input
from sfauthgen.lint.rule import Finding, LintContext, Rule
from sfauthgen.secretpatterns import (
    CONSUMER_SECRET,
    KNOWN_TOKENS,
    PRIVATE_KEY,
    SAS_SIGNATURE,
    URL_PASSWORD,
    is_secret_name,
    random_token,
    redact,
)

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
            else:
                named = _named_secret(line)
                if named is not None:
                    name, start, value = named
                    yield Finding(str(path), Location(str(path), number, start + 1),
                                  f"{path.name} holds a secret, the value of {name} ({redact(value)}); rotate it and "
                                  "remove it from the repository and its history")


# `client_secret: ...`, `export AWS_SECRET_ACCESS_KEY=...`, also commented out (`# password = ...`): a name that
# says secret, and a value random enough to be one (not `changeme`, not ${{ secrets.X }}, not an env var's name).
_ASSIGNMENT = re.compile(r"^\s*(?:#+\s*)?(?:export\s+)?([A-Za-z_][\w.-]*)\s*[:=]\s*['\"]?([^\s'\"#]+)")


def _named_secret(line: str) -> tuple[str, int, str] | None:
    match = _ASSIGNMENT.match(line)
    if match is None or not is_secret_name(match.group(1)) or match.group(2)[:1] in "$<{%":
        return None
    value = match.group(2)
    if random_token(value, min_length=32, min_entropy=4.2, mixed_case=True) is None \
            and random_token(value, min_length=24, min_entropy=3.5, mixed_case=False) is None:
        return None
    return match.group(1), match.start(2), value


RULES = (
    Rule("SFA026", "SecretInRepository", Severity.ERROR, "A file beside the specs (or in the output folder) "
         "holds a secret.", "The article: no secrets in repositories. Whatever reached git stays in its history "
         "and in every clone.", "Rotate the secret, delete the file or the line, and keep the value in a "
         "secret manager (CI secrets, the org).", repository_secrets),
)
