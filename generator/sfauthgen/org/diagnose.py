"""What an OAuth refusal means for the spec: the error Salesforce named, and the change that fixes it.

Each diagnosis points at the spec key to change, so `auth check` prints `file:line:col: CODE message`
like every other sfauthgen finding. Error names and descriptions are Salesforce's (see the README's
reference section); descriptions are matched without regard to case because they are prose.
"""

from __future__ import annotations

from sfauthgen.codes import Code
from sfauthgen.diagnostics import Location
from sfauthgen.kinds.app import AppEntry
from sfauthgen.org.oauth import Refusal
from sfauthgen.records import record

UNKNOWN_CLIENT = "SFO601"
WRONG_DOMAIN = "SFO613"
BAD_SECRET = "SFO602"
NO_RUN_AS = "SFO603"
NOT_APPROVED = "SFO604"
NOT_PERMITTED = "SFO605"
INACTIVE_USER = "SFO606"
IP_RESTRICTED = "SFO607"
BAD_AUDIENCE = "SFO608"
BAD_ASSERTION = "SFO609"
OTHER_REFUSAL = "SFO610"
SCOPE_MISSING = "SFO611"
API_CALL = "SFO612"

CODES: dict[str, Code] = {code.id: code for code in (
    Code(UNKNOWN_CLIENT, "UnknownClientId", "The org does not know the client id (consumer key)."),
    Code(BAD_SECRET, "BadClientSecret", "The client secret does not match the app's."),
    Code(NO_RUN_AS, "NoClientCredentialsUser", "The client credentials flow has no run-as user."),
    Code(NOT_APPROVED, "UserNotApproved", "The user never approved the app, and the app is not admin-approved."),
    Code(NOT_PERMITTED, "UserNotPermitted", "The app is admin-approved but the user holds none of its permission "
         "sets or profiles."),
    Code(INACTIVE_USER, "InactiveUser", "The user the token is for is inactive."),
    Code(IP_RESTRICTED, "IpRestricted", "The caller's IP address is outside the allowed ranges."),
    Code(BAD_AUDIENCE, "BadAudience", "The JWT's aud is not the login URL Salesforce expects."),
    Code(BAD_ASSERTION, "BadAssertion", "The JWT was refused: expired, signed with another key, or malformed."),
    Code(OTHER_REFUSAL, "TokenRefused", "Another OAuth error."),
    Code(SCOPE_MISSING, "ScopeNotGranted", "The token lacks a scope the spec asks for."),
    Code(API_CALL, "ApiCallFailed", "The token was granted but the API call with it failed."),
    Code(WRONG_DOMAIN, "WrongLoginDomain", "The flow is not accepted on this login domain (client credentials "
         "needs the org's My Domain URL)."),
)}


@record
class Diagnosis:
    code: str
    location: Location
    message: str
    hint: str


def diagnose(refusal: Refusal, app: AppEntry, flow: str, login_url: str, username: str | None) -> Diagnosis:
    said = f"{refusal.error}: {refusal.description}" if refusal.description else refusal.error
    text = refusal.description.lower()
    oauth = app.oauth
    at_app = app.source.locate("name")
    at_oauth = oauth.source.locate() if oauth else at_app
    at_policies = app.policies.source.locate("permitted_users") if app.policies.permitted_users else at_app
    user = username or "the user"
    if "not supported on this domain" in text:
        return Diagnosis(WRONG_DOMAIN, at_oauth, f"the token request was refused on {login_url} ({said})",
                         "the client credentials flow needs the org's My Domain URL as --login-url "
                         "(https://<my-domain>.my.salesforce.com, or ...sandbox.my.salesforce.com)")
    if refusal.error == "invalid_client_id":
        return Diagnosis(UNKNOWN_CLIENT, at_app, f"the org does not know this client id ({said})",
                         "check SFAUTHGEN_CLIENT_ID against the app's consumer key and the login URL (sandbox: "
                         "https://test.salesforce.com); a just-deployed app can take up to 10 minutes to reach the "
                         "login servers: wait and run again")
    if refusal.error in ("invalid_client", "invalid_client_credentials") or "client credentials" in text \
            and "invalid" in text and "user" not in text:
        return Diagnosis(BAD_SECRET, at_oauth, f"the client secret was refused ({said})",
                         "copy the consumer secret again (App Manager > View > Manage Consumer Details) into "
                         "SFAUTHGEN_CLIENT_SECRET; it changes when the app is recreated or the secret is rotated")
    if "no client credentials user" in text:
        return Diagnosis(NO_RUN_AS, at_oauth, f"'{app.name}' has no client credentials user ({said})",
                         f"set oauth.client_credentials.run_as on '{app.name}' to the integration user, and deploy")
    if "hasn't approved" in text or "has not approved" in text:
        return Diagnosis(NOT_APPROVED, at_policies, f"{user} has not approved '{app.name}' ({said})",
                         "set policies.permitted_users: admin_approved and list a permission set the user holds "
                         "in policies.permission_sets (the server-to-server flows cannot ask the user)")
    if refusal.error == "invalid_app_access" or "not admin approved" in text:
        return Diagnosis(NOT_PERMITTED, at_policies, f"{user} may not use '{app.name}' ({said})",
                         "add a permission set assigned to the user to policies.permission_sets (or a profile to "
                         "policies.profiles), and assign it to the user")
    if refusal.error == "inactive_user" or "inactive" in text and "user" in text:
        key = "client_credentials" if flow == "client_credentials" else "jwt_bearer"
        where = oauth.source.locate(key) if oauth else at_app
        return Diagnosis(INACTIVE_USER, where, f"{user} is inactive ({said})",
                         "activate the user in Setup, or point the flow at an active integration user "
                         "(client_credentials.run_as or --username)")
    if "ip restricted" in text or "ip address" in text:
        where = app.policies.source.locate("ip_relaxation") if app.policies.ip_relaxation else at_policies
        return Diagnosis(IP_RESTRICTED, where, f"this machine's IP address is not allowed ({said})",
                         "add the caller's addresses to ip_ranges, or set policies.ip_relaxation (enforce_relax_"
                         "refresh, relax_with_second_factor or relax) if the profile's ranges are what blocks it")
    if "audience" in text:
        return Diagnosis(BAD_AUDIENCE, _at_jwt(app), f"the JWT's aud '{login_url}' was refused ({said})",
                         "aud is the login URL: https://login.salesforce.com for production, "
                         "https://test.salesforce.com for a sandbox; run with that --login-url")
    if flow == "jwt_bearer" and (refusal.error == "invalid_grant" or "assertion" in text or "signature" in text):
        return Diagnosis(BAD_ASSERTION, _at_jwt(app), f"the JWT was refused ({said})",
                         "check that SFAUTHGEN_JWT_KEY_FILE is the key of jwt_bearer.certificate and that it was "
                         "deployed, that this machine's clock is right (exp is 3 minutes at most ahead), and that "
                         "SFAUTHGEN_CLIENT_ID is the consumer key (iss)")
    return Diagnosis(OTHER_REFUSAL, at_oauth, f"the token request was refused ({said})",
                     f"HTTP {refusal.status}; see Salesforce Help, \"OAuth 2.0 Authorization Errors\"")


def _at_jwt(app: AppEntry) -> Location:
    if app.oauth is None:
        return app.source.locate("name")
    return app.oauth.source.locate("jwt_bearer", "certificate")
