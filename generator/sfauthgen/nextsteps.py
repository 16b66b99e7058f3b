"""What to do in the org after a deploy, so it is not a dead end.

Secrets and certificates are not metadata, and principal access only works for
users who hold the permission set: this lists exactly those steps for a spec.
"""

from __future__ import annotations

import re

from sfauthgen.merge import Entry, MergedSpec

_PRINCIPAL_SECRETS = {
    "oauth_client_credentials": "enter the client ID and client secret",
    "aws_sigv4": "enter the AWS access key ID and secret access key",
    "basic": "enter the user name and password",
}


def _formula_parameters(entry: Entry) -> list[str]:
    """Authentication parameters the header formulas read: {!$Credential.<EC>.<Parameter>}."""
    pattern = re.compile(rf"\$Credential\.{re.escape(entry.name)}\.([A-Za-z_][A-Za-z0-9_]*)")
    found: dict[str, None] = {}
    for value in (entry.get("headers") or {}).values():
        found.update(dict.fromkeys(pattern.findall(value)))
    return list(found)


def _principal_step(entry: Entry, principal: dict[str, str]) -> str | None:
    protocol = entry.data["protocol"]
    kind = principal.get("type", "named")
    where = f"{entry.name} / {principal['name']} ({kind.replace('_', '-')} principal)"
    if protocol == "oauth_browser":
        if kind == "per_user":
            return f"{where}: each user authenticates under Settings > External Credentials"
        return f"{where}: authenticate once in Setup (External Credentials > {entry.data['label']} > Principals)"
    if protocol == "custom":
        parameters = _formula_parameters(entry)
        if parameters:
            return f"{where}: enter the authentication parameter(s) {', '.join(parameters)}"
        return None
    action = _PRINCIPAL_SECRETS.get(protocol)
    return f"{where}: {action}" if action else None


def _legacy_step(entry: Entry) -> str | None:
    legacy = entry.get("legacy")
    if legacy is None:
        return None
    protocol, per_user = legacy["protocol"], legacy["principal_type"] == "per_user"
    if protocol == "password":
        who = "each user enters their own" if per_user else f"enter the password of {legacy['username']}"
        return f"{entry.name} (legacy): {who} in Setup > Named Credentials"
    if protocol == "oauth":
        who = "each user authenticates under Settings > Authentication Settings for External Systems"
        return f"{entry.name} (legacy): " + (who if per_user else "authenticate once in Setup > Named Credentials")
    if protocol == "aws_sigv4":
        return f"{entry.name} (legacy): enter the AWS access key ID and secret in Setup > Named Credentials"
    return None


def next_steps(spec: MergedSpec, api_version: str, *, eca_global_oauth: bool = True) -> list[str]:
    steps: list[str] = []
    if eca_global_oauth and any(app.get("oauth") for app in spec.entries("external_client_apps")):
        steps.append(
            "before deploying External Client App global OAuth settings: turn on the org setting 'Allow access "
            "to OAuth consumer secrets via Metadata API' and give the deploying user 'View External Client Apps "
            "Consumer Secrets in Metadata' (or generate with --no-eca-global-oauth)"
        )
    for entry in spec.entries("external_credentials"):
        if entry.get("existing"):
            continue
        certificate = entry.get("signing_certificate")
        if certificate:
            steps.append(f"{entry.name}: certificate {certificate} must exist in Certificate and Key Management")
        for principal in entry.get("principals") or []:
            step = _principal_step(entry, principal)
            if step:
                steps.append(step)
    for entry in spec.entries("named_credentials"):
        step = _legacy_step(entry)
        if step:
            steps.append(step)
    for entry in spec.entries("external_credentials"):
        for principal in entry.get("principals") or []:
            for permission_set in principal.get("access") or []:
                steps.append(
                    f"assign permission set {permission_set} to the users who call {entry.name} "
                    f"(principal {principal['name']})"
                )
    for entry in spec.entries("named_credentials"):
        apex = entry.get("apex") or {}
        for permission_set in apex.get("grant_to") or []:
            steps.append(f"assign permission set {permission_set} to the users who run {apex['class']}")
    for app in spec.entries("connected_apps"):
        for permission_set in app.get("policies", "permission_sets") or []:
            steps.append(f"assign permission set {permission_set} to the users of connected app {app.name}")
        if app.get("oauth", "client_credentials") is not None:
            steps.append(
                f"{app.name}: check the client credentials run-as user in Setup after the first deploy "
                "(Salesforce may need the app's consumer key to set it through the Metadata API)"
            )
    for app in spec.entries("external_client_apps"):
        for permission_set in app.get("policies", "permission_sets") or []:
            steps.append(f"assign permission set {permission_set} to the users of external client app {app.name}")
        if app.get("oauth") is not None:
            steps.append(
                f"{app.name}: hand its new consumer key and secret to the client (External Client App Manager > "
                f"{app.data['label']} > Settings > OAuth Settings)"
            )
    if not steps:
        return []
    lines = ["next steps in the org after deploy:"] + [f"  - {step}" for step in steps]
    if any("enter the" in step for step in steps):
        lines.append(
            "  secrets are entered in Setup > Named Credentials > External Credentials > Principals, "
            f"or with POST /services/data/v{api_version}/named-credentials/credential"
        )
    return lines
