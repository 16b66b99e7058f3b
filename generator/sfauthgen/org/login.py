"""The org session `secrets set` uses: SF_ACCESS_TOKEN + SF_INSTANCE_URL, else the sf CLI's login.

The sf CLI is the login every Salesforce developer already has; `sf org display --json` prints the
session of an alias or username (or of the default org) without sfauthgen ever seeing a password.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from sfauthgen import codes
from sfauthgen.diagnostics import SfauthgenError, UsageProblem
from sfauthgen.org.http import check_url
from sfauthgen.records import record

ACCESS_TOKEN = "SF_ACCESS_TOKEN"
INSTANCE_URL = "SF_INSTANCE_URL"
SF_TIMEOUT_SECONDS = 120


class OrgLoginError(SfauthgenError):
    """No org session could be found."""

    code = codes.ORG_LOGIN


@record
class OrgSession:
    instance_url: str
    access_token: str
    source: str  # where the session came from, for messages
    username: str | None = None


def org_session(target_org: str | None) -> OrgSession:
    token, instance = os.environ.get(ACCESS_TOKEN), os.environ.get(INSTANCE_URL)
    if bool(token) != bool(instance):
        # One of the two without the other is a mistake: the sf CLI's default org would be a guess.
        missing = INSTANCE_URL if token else ACCESS_TOKEN
        raise UsageProblem(f"{ACCESS_TOKEN} and {INSTANCE_URL} go together: {missing} is not set (unset both to "
                           "use the sf CLI's login)")
    if token and instance:
        if target_org is not None:
            # Either could be meant; guessing could store production secrets in another org.
            raise UsageProblem(f"-o {target_org} and {ACCESS_TOKEN}/{INSTANCE_URL} both name an org: unset the "
                               "variables to use the sf CLI's login, or drop -o")
        if not token.isascii() or not token.isprintable():
            raise UsageProblem(f"{ACCESS_TOKEN} has characters an access token never has")
        return OrgSession(check_url(instance, INSTANCE_URL), token, f"{ACCESS_TOKEN} and {INSTANCE_URL}")
    return _from_sf_cli(target_org)


def _from_sf_cli(target_org: str | None) -> OrgSession:
    sf = shutil.which("sf")
    if sf is None:
        raise OrgLoginError(f"no org session: set {ACCESS_TOKEN} and {INSTANCE_URL}, or install the sf CLI and log "
                            "in (sf org login web --alias ORG), then pass -o ORG")
    command = [sf, "org", "display", "--json"] + (["--target-org", target_org] if target_org else [])
    env = {**os.environ, "SF_DISABLE_TELEMETRY": "true", "SF_SKIP_NEW_VERSION_CHECK": "true"}
    try:
        done = subprocess.run(command, capture_output=True, timeout=SF_TIMEOUT_SECONDS, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OrgLoginError(f"the sf CLI did not answer ({type(exc).__name__})") from None
    try:
        answer = json.loads(done.stdout.decode("utf-8", "replace"))
    except ValueError:
        answer = None
    who = f"'{target_org}'" if target_org else "the default org"
    if not isinstance(answer, dict) or answer.get("status") != 0 or not isinstance(answer.get("result"), dict):
        said = answer.get("message") if isinstance(answer, dict) and isinstance(answer.get("message"), str) else ""
        raise OrgLoginError(f"the sf CLI has no session for {who}{': ' + said if said else ''} "
                            f"(log in with: sf org login web --alias ORG)")
    result = answer["result"]
    token, instance = result.get("accessToken"), result.get("instanceUrl")
    if not isinstance(token, str) or not isinstance(instance, str) or not token or not instance:
        raise OrgLoginError(f"the sf CLI's session for {who} has no access token (log in again)")
    username = result.get("username") if isinstance(result.get("username"), str) else None
    return OrgSession(check_url(instance, "the org's instance URL"), token, f"the sf CLI ({who})", username)
