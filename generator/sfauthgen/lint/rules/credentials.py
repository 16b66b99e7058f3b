"""Named credentials: where they send data and what they let callers inject."""

from __future__ import annotations

from collections.abc import Iterator

from sfauthgen.diagnostics import Severity
from sfauthgen.lint.rule import Finding, LintContext, Rule


def plain_http(ctx: LintContext) -> Iterator[Finding]:
    for entry in ctx.spec.of("named_credential"):
        for key, url, source in (("url", entry.url, entry.source),
                                 ("endpoint", entry.legacy.endpoint if entry.legacy else None,
                                  entry.legacy.source if entry.legacy else None)):
            if url is not None and source is not None and url.lower().startswith("http://"):
                yield Finding(entry.name, source.locate(key), f"'{entry.name}' calls '{url}' over plain http")


def merge_fields(ctx: LintContext) -> Iterator[Finding]:
    for entry in ctx.spec.of("named_credential"):
        for key, allowed in (("allow_merge_fields_in_body", entry.allow_merge_fields_in_body),
                             ("allow_merge_fields_in_header", entry.allow_merge_fields_in_header)):
            if allowed:
                yield Finding(entry.name, entry.source.locate(key),
                              f"'{entry.name}' lets Apex put credential merge fields in the "
                              f"{key.rsplit('_', 1)[-1]}")


def legacy_password(ctx: LintContext) -> Iterator[Finding]:
    for entry in ctx.spec.of("named_credential"):
        if entry.legacy is not None and entry.legacy.protocol == "password":
            yield Finding(entry.name, entry.legacy.source.locate("protocol"),
                          f"'{entry.name}' stores a password in a legacy named credential")


def disabled_callouts_with_apex(ctx: LintContext) -> Iterator[Finding]:
    for entry in ctx.spec.of("named_credential"):
        if not entry.callouts_enabled and entry.apex is not None:
            yield Finding(entry.name, entry.source.locate("callouts_enabled"),
                          f"'{entry.name}' has callouts disabled, but its Apex class {entry.apex.name} is generated")


RULES = (
    Rule("SFA020", "PlainHttpEndpoint", Severity.ERROR, "A named credential calls an http:// endpoint.",
         "Everything the callout sends, data and any header, crosses the network in clear text.",
         "Use the endpoint's https:// URL.", plain_http),
    Rule("SFA021", "MergeFieldsAllowed", Severity.WARNING, "A named credential allows merge fields in the body or "
         "headers.", "With merge fields allowed, Apex can place credential values ({!$Credential...}) anywhere in "
         "a request, where they may be logged or sent to the wrong place.",
         "Set `allow_merge_fields_in_body` / `allow_merge_fields_in_header` to false, and let the external "
         "credential's headers carry the credential.", merge_fields),
    Rule("SFA022", "LegacyPassword", Severity.WARNING, "A legacy named credential with the password protocol.",
         "Legacy password credentials keep a password per named credential, with no principal access control.",
         "Move it to an External Credential (`basic` or, better, an OAuth protocol) with a named credential.",
         legacy_password),
    Rule("SFA023", "ApexForDisabledCallouts", Severity.NOTE, "Callouts are disabled but an Apex class is "
         "generated.", "Every call the generated class makes will fail while callouts are disabled.",
         "Enable callouts, or remove the `apex` block until they are.", disabled_callouts_with_apex),
)
