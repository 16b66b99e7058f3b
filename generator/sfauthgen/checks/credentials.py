"""Cross-checks of external and named credentials: protocol keys, references, endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from sfauthgen.checks.context import CheckContext, did_you_mean, warning
from sfauthgen.errors import Diagnostic
from sfauthgen.merge import Entry
from sfauthgen.vocabulary import (
    JWT_ALGORITHMS,
    LEGACY_OPTIONAL_KEYS,
    LEGACY_REQUIRED_KEYS,
    LEGACY_SPECIFIC_KEYS,
    PROTOCOL_OPTIONAL_KEYS,
    PROTOCOL_REQUIRED_KEYS,
    PROTOCOL_SPECIFIC_KEYS,
)

_NEW_MODEL_KEYS = ("url", "external_credential", "headers", "allowed_namespaces")


def _external(ctx: CheckContext) -> tuple[Entry, ...]:
    return ctx.spec.entries("external_credentials")


def _named(ctx: CheckContext) -> tuple[Entry, ...]:
    return ctx.spec.entries("named_credentials")


def _keys_for(
    entry: Entry, block: tuple[str, ...], protocol: str,
    required: dict[str, tuple[str, ...]], optional: dict[str, tuple[str, ...]], specific: frozenset[str],
    *, strict: bool = True,
) -> Iterator[Diagnostic]:
    data = entry.get(*block) or {}
    for key in required[protocol]:
        if key not in data:
            yield Diagnostic(
                entry.locate(*block, "protocol"),
                f"protocol {protocol} needs '{key}'",
                f"add '{key}' to {entry.name}",
            )
    allowed = set(required[protocol]) | set(optional[protocol])
    for key in sorted(specific - allowed):
        if key in data:
            takers = sorted(p for p in required if key in required[p] or key in optional[p])
            if strict:
                yield Diagnostic(
                    entry.locate(*block, key, key=True),
                    f"'{key}' does not apply to protocol {protocol}",
                    "it is used by: " + ", ".join(takers),
                )
            else:
                yield warning(
                    entry.locate(*block, key, key=True),
                    f"'{key}' is ignored for protocol {protocol} and not written",
                    "it is used by: " + ", ".join(takers),
                )


def protocol_keys(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Each protocol gets the keys it needs, and no keys of other protocols."""
    for entry in _external(ctx):
        if entry.get("existing"):
            continue
        yield from _keys_for(entry, (), entry.data["protocol"], PROTOCOL_REQUIRED_KEYS,
                             PROTOCOL_OPTIONAL_KEYS, PROTOCOL_SPECIFIC_KEYS)


def existing_only_declares(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An existing external credential is only named (with its principals); sfauthgen writes nothing of it."""
    for entry in _external(ctx):
        if not entry.get("existing"):
            continue
        for key in sorted(set(entry.data) - {"name", "existing", "principals"}):
            yield Diagnostic(
                entry.locate(key, key=True),
                f"'{key}' cannot be set on an existing external credential",
                "existing: true declares a credential managed in the org; give only its name and principals",
            )
    for entry in _named(ctx):
        legacy = entry.get("legacy")
        if legacy is not None:
            # SPEC_LANGUAGE's own legacy example lists the keys of several protocols side by side,
            # so a key another protocol uses is a warning here (and not written), not an error.
            yield from _keys_for(entry, ("legacy",), legacy["protocol"], LEGACY_REQUIRED_KEYS,
                                 LEGACY_OPTIONAL_KEYS, LEGACY_SPECIFIC_KEYS, strict=False)


def _is_local(host: str | None) -> bool:
    return host in ("localhost", "127.0.0.1", "::1")


def _sends_no_credentials(ctx: CheckContext, entry: Entry) -> bool:
    if entry.get("legacy", "protocol") == "no_authentication":
        return True
    name = entry.get("external_credential")
    return any(e.name == name and e.get("protocol") == "no_auth" for e in _external(ctx))


def secure_urls(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Endpoints that receive credentials must be https (http only for localhost tests)."""
    places: list[tuple[Entry, tuple[str, ...]]] = [(e, ("token_url",)) for e in _external(ctx)]
    for entry in _named(ctx):
        if not _sends_no_credentials(ctx, entry):
            places += [(entry, ("url",)), (entry, ("legacy", "endpoint"))]
    for entry, path in places:
        url = entry.get(*path)
        if url is None:
            continue
        parts = urlsplit(url)
        if parts.scheme == "https" or (parts.scheme == "http" and _is_local(parts.hostname)):
            continue
        yield Diagnostic(
            entry.locate(*path),
            f"'{url}' is not an https URL",
            "Salesforce sends credentials to this endpoint: use https (http only for localhost tests)",
        )


def principals_unique(ctx: CheckContext) -> Iterator[Diagnostic]:
    for entry in _external(ctx):
        seen: dict[str, int] = {}
        for index, principal in enumerate(entry.get("principals") or []):
            name = principal["name"]
            if name in seen:
                first = entry.locate("principals", seen[name], "name")
                yield Diagnostic(
                    entry.locate("principals", index, "name"),
                    f"duplicate principal '{name}' in {entry.name} (also defined at {first})",
                )
            seen.setdefault(name, index)


def access_declared(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Principal access goes to permission sets the spec owns (a deploy replaces a whole set)."""
    declared = ctx.declared("permission_sets")
    for entry in _external(ctx):
        for p_index, principal in enumerate(entry.get("principals") or []):
            for a_index, name in enumerate(principal.get("access") or []):
                if name not in declared:
                    yield Diagnostic(
                        entry.locate("principals", p_index, "access", a_index),
                        f"permission set '{name}' is not declared under permission_sets",
                        did_you_mean(name, declared, "permission sets"),
                    )


def jwt_bearer_claims(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The JWT bearer grant needs issuer, subject and audience (RFC 7523, section 3)."""
    for entry in _external(ctx):
        if entry.get("protocol") != "oauth_jwt_bearer" or not isinstance(entry.get("claims"), dict):
            continue
        missing = [claim for claim in ("iss", "sub", "aud") if claim not in entry.data["claims"]]
        if missing:
            yield Diagnostic(
                entry.locate("claims"),
                f"the JWT bearer flow needs the claim(s) {', '.join(missing)}",
                "iss: the client id the token endpoint knows, sub: the user, aud: the authorization server",
            )


def jwt_algorithm(ctx: CheckContext) -> Iterator[Diagnostic]:
    for entry in _external(ctx):
        alg = entry.get("header_claims", "alg")
        if alg is not None and alg not in JWT_ALGORITHMS:
            yield Diagnostic(
                entry.locate("header_claims", "alg"),
                f"JWT algorithm '{alg}' is not one Salesforce signs with",
                "use " + " or ".join(JWT_ALGORITHMS),
            )


def named_credential_model(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A named credential is either the new model (url + external_credential) or legacy, not both."""
    for entry in _named(ctx):
        if entry.get("legacy") is not None:
            for key in _NEW_MODEL_KEYS:
                if entry.get(key) is not None:
                    yield Diagnostic(
                        entry.locate(key, key=True),
                        f"'{key}' belongs to the new named credential model; {entry.name} uses 'legacy'",
                        "remove the legacy block to use an external credential, or remove this key",
                    )
            continue
        for key in ("url", "external_credential"):
            if entry.get(key) is None:
                yield Diagnostic(
                    entry.locate("name"),
                    f"named credential '{entry.name}' needs '{key}'",
                    "the new model needs url and external_credential; the old one a 'legacy' block",
                )


def external_credential_declared(ctx: CheckContext) -> Iterator[Diagnostic]:
    declared = ctx.declared("external_credentials")
    for entry in _named(ctx):
        name = entry.get("external_credential")
        if name is not None and name not in declared:
            yield Diagnostic(
                entry.locate("external_credential"),
                f"external credential '{name}' is not declared under external_credentials",
                did_you_mean(name, declared, "external credentials"),
            )
