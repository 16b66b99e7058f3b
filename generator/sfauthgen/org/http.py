"""HTTPS to Salesforce with one policy: certificates verified, no redirects, timeouts, one retry.

http is allowed only to this machine (127.0.0.1, ::1, localhost), which is what tests use.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sfauthgen import codes
from sfauthgen.diagnostics import SfauthgenError, UsageProblem
from sfauthgen.inputs import shown
from sfauthgen.records import record

LOOPBACK = ("127.0.0.1", "::1", "localhost")
TIMEOUT_SECONDS = 30.0
CONNECT_SECONDS = 10.0
# A request that fails this way is sent once more: Salesforce answers 503 during instance maintenance,
# and a reset connection is usually a load balancer recycling it.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class NetworkError(SfauthgenError):
    """The org could not be reached, or answered with something that is not Salesforce's API."""

    code = codes.NETWORK


MAX_BODY = 1024 * 1024  # an answer from these endpoints is a few KiB; more is not Salesforce
# The read timeout is per read: a server dripping a byte at a time would never trip it. This bounds
# one whole answer.
DEADLINE_SECONDS = 60.0


def check_url(url: str, what: str) -> str:
    """The URL without a trailing slash, if it is https (or http to this machine); else a usage problem."""
    if url != url.strip() or any(not c.isprintable() or c.isspace() for c in url):
        raise UsageProblem(f"{what} has spaces or control characters (a trailing newline from a secret store?)")
    # A message names the URL by its scheme and host only: a wrong value may be a token (two variables
    # swapped), and a user name, query or fragment may hold a password or a session id.
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise UsageProblem(f"{what} is not a URL") from None
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise UsageProblem(f"{what} is not an https URL (such as https://login.salesforce.com)")
    origin = f"{parts.scheme}://{shown_host(parts.hostname)}"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise UsageProblem(f"{what} ({origin}) is plain http: use https (http is only for a local test server)")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise UsageProblem(f"{what} ({origin}) has a query, fragment or user name: give the bare address")
    return url.rstrip("/")


@record
class Response:
    status: int
    body: bytes
    content_type: str

    def json(self) -> Any:
        """The body as JSON, or None: not UTF-8, not JSON, NaN or Infinity, or nested absurdly deep."""
        import json

        def no_constants(name: str) -> Any:
            raise ValueError(name)

        try:
            return json.loads(self.body.decode("utf-8"), parse_constant=no_constants)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None


class Http:
    """One client per command run. `transport` is for tests of the retry policy."""

    def __init__(self, transport: Any = None) -> None:
        import httpx

        self._httpx = httpx
        self._client = httpx.Client(
            timeout=httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_SECONDS), follow_redirects=False, verify=True,
            transport=transport, headers={"User-Agent": "sfauthgen", "Accept": "application/json"},
        )

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def send(self, method: str, url: str, what: str, **kwargs: Any) -> Response:
        """Send, retrying once on a 5xx or a dropped connection. `what` names the call in errors."""
        httpx = self._httpx
        for tries_left in (1, 0):
            try:
                response = self._once(method, url, what, **kwargs)
            except httpx.TimeoutException:
                if tries_left:
                    continue
                raise NetworkError(f"{what}: no answer from {_host(url)} within {TIMEOUT_SECONDS:.0f} s") from None
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                if tries_left:
                    continue
                raise NetworkError(f"{what}: cannot reach {_host(url)}: {_reason(exc)}") from None
            except (httpx.HTTPError, httpx.InvalidURL, ValueError, UnicodeError) as exc:
                # A URL or header the org handed back that cannot be sent (control characters, non-ASCII).
                raise NetworkError(f"{what}: {type(exc).__name__} talking to {_host(url)}") from None
            if response.status in RETRY_STATUSES and tries_left:
                continue
            return response
        raise AssertionError("unreachable")

    def _once(self, method: str, url: str, what: str, **kwargs: Any) -> Response:
        import time

        started = time.monotonic()
        request = self._client.build_request(method, url, **kwargs)
        response = self._client.send(request, stream=True)
        try:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if time.monotonic() - started > DEADLINE_SECONDS:
                    raise NetworkError(f"{what}: {_host(url)} took more than {DEADLINE_SECONDS:.0f} s to answer")
                if len(body) > MAX_BODY:
                    raise NetworkError(f"{what}: {_host(url)} answered with more than 1 MiB: not a Salesforce API")
            return Response(response.status_code, bytes(body), response.headers.get("content-type", ""))
        finally:
            response.close()


def _host(url: str) -> str:
    try:
        return shown_host(urlsplit(url).hostname or "") or "the server"
    except ValueError:
        return "the server"


def shown_host(host: str) -> str:
    """A host name as messages print it: Salesforce's own hosts and this machine's as they are; any other
    host as "****", since a value that is not a Salesforce address may be a secret put there by mistake
    (`https://${WRONG_VARIABLE}`), and no rule tells a random-looking host label from a token."""
    host = host.lower().rstrip(".")
    if host in LOOPBACK or host == "localhost" or (
            host.endswith(SALESFORCE_DOMAINS) and "!" not in host and len(host) <= 253):
        return shown(host)
    return "****"


# Domains Salesforce serves orgs and logins from (My Domain, sandboxes, scratch orgs and Experience
# sites under salesforce.com, force.com and site.com; Government Cloud; the China instance). A host
# outside them is still called, only not named in messages.
SALESFORCE_DOMAINS = (".salesforce.com", ".force.com", ".salesforce.mil", ".sfcrmproducts.cn", ".cloudforce.com",
                      ".database.com", ".site.com")


def _reason(exc: Exception) -> str:
    """The cause without the URL or anything httpx echoes from the request."""
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return "its TLS certificate is not trusted (certificate verification failed)"
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "the host name does not resolve"
    if "Connection refused" in text:
        return "connection refused"
    return type(exc).__name__
