"""Checks the JSON Schema cannot express: names across files, references, files on disk.

Each check is a small function from the context to diagnostics, and `CHECKS`
lists them explicitly. Certificates are read here once and handed on, so the
model never touches the disk.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from sfauthgen.checks import apex, apps, credentials, names
from sfauthgen.checks.context import CheckContext, CheckResult
from sfauthgen.errors import Diagnostic
from sfauthgen.merge import MergedSpec

Check = Callable[[CheckContext], Iterator[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    names.unique_names,
    apps.policies_need_oauth,
    apps.admin_only_settings,
    apps.admin_approved_reachable,
    apps.jwt_needs_admin_approval,
    apps.certificates_readable,
    apps.ip_ranges_valid,
    apps.retire_after_passed,
    apps.eca_settings_need_oauth,
    apps.eca_permission_set_names,
    apps.eca_name_length,
    credentials.protocol_keys,
    credentials.existing_only_declares,
    credentials.secure_urls,
    credentials.principals_unique,
    credentials.access_declared,
    credentials.jwt_bearer_claims,
    credentials.jwt_algorithm,
    credentials.named_credential_model,
    credentials.external_credential_declared,
    apex.class_names,
    apex.operations,
    apex.grants_declared,
    apex.access_kinds_separate,
)


def check(spec: MergedSpec, today: datetime.date | None = None) -> CheckResult:
    ctx = CheckContext(spec=spec, today=today or datetime.date.today())
    diagnostics = [d for rule in CHECKS for d in rule(ctx)]
    return CheckResult(tuple(sorted(diagnostics, key=Diagnostic.sort_key)), ctx.certificates)


__all__ = ["CHECKS", "CheckContext", "CheckResult", "check"]
