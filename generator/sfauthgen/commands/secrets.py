"""`sfauthgen secrets set`: a principal's credentials into the org after deploy, never into a file.

Values come from environment variables (--from-env NAME=ENV_VAR) or stdin (NAME=value lines, or a
hidden prompt on a terminal); never from arguments, which shells keep in their history and `ps` shows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from sfauthgen import codes, pipeline
from sfauthgen.commands import ui
from sfauthgen.diagnostics import SfauthgenError, UsageProblem
from sfauthgen.kinds.base import SpecEntries
from sfauthgen.kinds.external_credential import ExternalCredentialEntry, Principal, formula_parameters
from sfauthgen.modelbuild import DEFAULT_API_VERSION
from sfauthgen.org import connect
from sfauthgen.org.connect import CredentialShape, Field
from sfauthgen.org.http import Http
from sfauthgen.org.login import org_session
from sfauthgen.org.mask import Masker, server_text

# Protocols whose principals hold nothing sfauthgen can set: what to tell the user instead.
NOTHING_TO_SET = {
    "oauth_jwt_bearer": "signs its JWT with the certificate '{certificate}' in the org: there is no secret to store",
    "jwt": "signs its JWT with the certificate '{certificate}' in the org: there is no secret to store",
    "no_auth": "sends no credentials: there is no secret to store",
}
BROWSER = "oauth_browser"
MAX_STDIN = 64 * 1024


def shape_of(entry: ExternalCredentialEntry, spec: SpecEntries) -> CredentialShape | None:
    """The credential fields of this protocol in the Connect API's names; None when there is nothing to set."""
    if entry.protocol == "oauth_client_credentials":
        variant = "ClientCredentialsClientSecretBasic" if entry.client_secret_in == "basic_header" \
            else "ClientCredentialsClientSecret"
        return CredentialShape("OAuth", variant, (Field("clientId", False), Field("clientSecret", True)))
    if entry.protocol == "basic":
        return CredentialShape("Basic", None, (Field("username", False), Field("password", True)))
    if entry.protocol == "aws_sigv4":
        return CredentialShape("AwsSv4", None, (Field("awsAccessKeyId", False), Field("awsSecretAccessKey", True)))
    if entry.protocol == "custom":
        return CredentialShape("Custom", None, tuple(Field(name, True) for name in custom_parameters(entry, spec)))
    return None


def custom_parameters(entry: ExternalCredentialEntry, spec: SpecEntries) -> list[str]:
    """The parameters the spec's header formulas read, its named credentials' headers included."""
    named = [getattr(nc, "headers", ()) for nc in spec.of("named_credential")
             if getattr(nc, "external_credential", None) == entry.name]
    return formula_parameters(entry, [header for headers in named for header in headers])


def secrets_set(spec: Path, *, credential: str, principal: str, target_org: str | None = None,
                from_env: dict[str, str] | None = None, as_json: bool = False,
                overrides: dict[str, str] | None = None, environment: str | None = None,
                http: Http | None = None) -> int:
    checked = pipeline.load_and_check([spec], overrides=overrides, environment=environment)
    entry, who = _find(checked.spec, credential, principal)
    if entry.protocol in NOTHING_TO_SET:
        text = f"'{entry.name}' " + NOTHING_TO_SET[entry.protocol].format(certificate=entry.signing_certificate)
        return _done(as_json, 0, {"credential": entry.name, "principal": who.name, "action": "none"}, text)
    if entry.protocol == BROWSER:
        raise SfauthgenError(f"'{entry.name}' authenticates through the browser (auth provider "
                             f"'{entry.auth_provider}'): authenticate '{who.name}' in Setup (External Credentials > "
                             f"{entry.label} > Principals > Authenticate); there is no secret to store",
                             code=codes.BROWSER_PRINCIPAL)
    shape = shape_of(entry, checked.spec)
    assert shape is not None
    values = _values(shape, from_env or {})
    if shape.protocol == "Custom" and not shape.fields:
        shape = CredentialShape("Custom", None, tuple(Field(name, True) for name in values))
    principal_type = connect.PRINCIPAL_TYPES[who.type]
    session = org_session(target_org)
    api_version = checked.spec.api_version or DEFAULT_API_VERSION
    masker = Masker(*values.values(), session.access_token)
    with http or Http() as client:
        try:
            existing = connect.read(client, session, api_version, entry.name, who.name, principal_type, masker)
            _refuse_dropping(existing, values, entry.name, who.name)
            connect.write(client, session, api_version, entry.name, who.name, principal_type, shape, values,
                          masker, update=existing is not None)
        except SfauthgenError as exc:
            raise type(exc)(server_text(exc, masker, limit=None), code=exc.code) from None
    action = "updated" if existing is not None else "created"
    names = [f.name for f in shape.fields if f.name in values]
    text = (f"{action} the credential of '{entry.name}' / '{who.name}' ({principal_type}) in {session.instance_url}"
            f": {', '.join(names)} (secret values encrypted; none shown)")
    return _done(as_json, 0, {"credential": entry.name, "principal": who.name, "principal_type": principal_type,
                              "action": action, "names": names, "instance_url": session.instance_url}, text)


def _find(spec: SpecEntries, credential: str, principal: str) -> tuple[ExternalCredentialEntry, Principal]:
    credentials = spec.named("external_credential")
    entry = credentials.get(credential)
    if not isinstance(entry, ExternalCredentialEntry):
        known = ", ".join(sorted(credentials)) or "none"
        raise UsageProblem(f"--credential '{credential}' is not an external credential of the spec "
                           f"(external credentials: {known})")
    for candidate in entry.principals:
        if candidate.name == principal:
            return entry, candidate
    known = ", ".join(p.name for p in entry.principals) or "none"
    raise UsageProblem(f"--principal '{principal}' is not a principal of '{credential}' (principals: {known})")


def _values(shape: CredentialShape, from_env: dict[str, str]) -> dict[str, str]:
    wanted = [f.name for f in shape.fields]
    open_names = shape.protocol == "Custom" and not wanted  # no formula names them: take what is given
    if from_env:
        values = {}
        for name, variable in from_env.items():
            value = os.environ.get(variable)
            if not value:
                raise UsageProblem(f"--from-env {name}={variable}: the environment variable {variable} is not set "
                                   "or empty")
            values[name] = value
    else:
        values = _from_stdin(wanted)
    for name, value in values.items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageProblem(f"the value of {name} is not valid text (UTF-8)") from None
    unknown = [name for name in values if name not in wanted and not open_names]
    if unknown:
        raise UsageProblem(f"'{unknown[0]}' is not a credential of this protocol ({shape.protocol}: "
                           f"{', '.join(wanted) or 'any name'})")
    missing = [name for name in wanted if name not in values]
    if missing:
        raise UsageProblem(f"no value for {', '.join(missing)}: give --from-env NAME=ENV_VAR for each, or NAME=value "
                           "lines on stdin")
    if not values:
        raise UsageProblem("no values given: --from-env NAME=ENV_VAR, or NAME=value lines on stdin")
    return {name: values[name] for name in [*wanted, *[n for n in values if n not in wanted]]}


def _from_stdin(wanted: list[str]) -> dict[str, str]:
    stream = sys.stdin
    if stream.isatty():
        return {name: click.prompt(name, hide_input=True, err=True) for name in wanted}
    text = stream.read(MAX_STDIN + 1)
    if len(text) > MAX_STDIN:
        raise UsageProblem("stdin holds more than 64 KiB: give NAME=value lines only")
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        # Nothing read from stdin is echoed: a line may be a secret pasted without its name.
        if not sep or not name or name not in wanted and wanted:
            raise UsageProblem(f"stdin line {number} is not NAME=value with NAME one of {', '.join(wanted)} "
                               "(the line is not shown)")
        if not value:
            raise UsageProblem(f"stdin line {number}: the value of {name} is empty")
        if name in values:
            raise UsageProblem(f"stdin line {number}: {name} is given twice")
        values[name] = value
    return values


def _refuse_dropping(existing: dict[str, object] | None, values: dict[str, str], credential: str,
                     principal: str) -> None:
    """An update (PUT) replaces the principal's whole set: a stored name left out would be deleted, and
    stored secrets cannot be read back to restore it."""
    stored = existing.get("credentials") if existing else None
    if not isinstance(stored, dict):
        return
    dropped = sorted(str(name) for name in stored if name not in values)
    if dropped:
        raise SfauthgenError(f"'{credential}' / '{principal}' also holds {', '.join(dropped)} in the org: an update "
                             "replaces every value, so give those too (--from-env NAME=ENV_VAR); nothing was changed",
                             code=codes.SECRETS_INCOMPLETE)


def _done(as_json: bool, status: int, result: dict[str, object], text: str) -> int:
    if as_json:
        ui.json_out(status, result, message=text)
    else:
        ui.out(text)
    return status


