"""Database URLs as people type them: read the way they meant, shown without secrets.

A password may hold ``@``, ``:``, ``/``, ``?`` or ``#`` without being
percent-encoded (``postgresql+psycopg://planner:p@ss/w0rd@db/clinic``). The
URL parser would split it at the first ``@`` and take the rest of the password
for the host — which then shows up on screen and in the log. Here the
credentials end at the *last* ``@`` before the host, and are re-encoded before
the URL goes any further. Every message and log line shows a URL with its whole
credentials part replaced by ``***``; passwords of opened databases are also
hidden wherever they appear verbatim.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import quote, unquote

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://)(.*)$", re.DOTALL)
#: A URL inside free text (log lines, error messages): up to the next blank or quote.
_URL_IN_TEXT = re.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]*://)([^\s'\"<>]*@)")
_secrets: set[str] = set()
_lock = threading.Lock()
#: Shorter passwords are not hidden verbatim in free text (every word would be mangled).
_MIN_SECRET = 4


class UrlProblem(ValueError):
    """A database URL that cannot be used as given; the text is a sentence for the user."""


def _at_of_credentials(scheme: str, rest: str) -> int:
    """Index of the ``@`` that ends the credentials in ``rest`` (after ``scheme://``), or -1.

    Server URLs: the last ``@`` — unless that one sits in a query value after the host
    and database (``…@db/clinic?opt=a@b``: no ``/`` after it, a ``=`` before it), then
    the one before. SQLite URLs: only
    an encrypted database's key comes before ``@/``; a path may hold ``@`` itself.
    """
    if scheme.lower().startswith("sqlite"):
        return -1 if rest.startswith("/") else rest.find("@/")
    at = rest.rfind("@")
    if at < 0:
        return -1
    previous = rest.rfind("@", 0, at)
    query = rest.rfind("?", 0, at)
    in_query = "=" in rest[query + 1 : at] and "/" not in rest[at:] if query >= 0 else False
    return previous if previous >= 0 and in_query else at


def split_credentials(url: str) -> tuple[str, str | None, str]:
    """``(scheme://, credentials or None, the rest after the @)``."""
    match = _SCHEME.match(url)
    if not match:
        return "", None, url
    scheme, rest = match.groups()
    at = _at_of_credentials(scheme, rest)
    if at < 0:
        return scheme, None, rest
    return scheme, rest[:at], rest[at + 1 :]


def redact_url(url: str) -> str:
    """``url`` with its whole credentials part (user and password) shown as ``***``."""
    scheme, credentials, rest = split_credentials(url)
    if credentials is None:
        return url
    return f"{scheme}***@{rest}"


def register_secret(value: str | None) -> None:
    """Hide ``value`` (a password in use) wherever it appears in messages and logs."""
    if value and len(value) >= _MIN_SECRET:
        with _lock:
            _secrets.add(value)
            _secrets.add(quote(value, safe=""))


def scrub_urls(text: str) -> str:
    """``text`` with every URL's credentials and every registered password hidden."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:  # first: a password with a blank would end a URL early
        text = text.replace(secret, "***")
    return _URL_IN_TEXT.sub(lambda m: f"{m.group(1)}***@", text)


_IPV6 = re.compile(r"^\[[0-9A-Fa-f:.%a-zA-Z]+\]$")


def _check_host_and_port(scheme: str, rest: str) -> None:
    """Sentences for a port that is not a number and for unmatched brackets."""
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    hosts = authority.split(",")  # libpq allows several hosts
    for host in hosts:
        if not host:
            continue
        name, port = host, ""
        if host.startswith("["):
            close = host.find("]")
            if close < 0 or not _IPV6.match(host[: close + 1]):
                raise UrlProblem(
                    f"the server address {host!r} has an unmatched or misplaced bracket; "
                    "write an IPv6 address as [::1] or [::1]:5432"
                )
            name, port = host[: close + 1], host[close + 1 :]
            if port and not port.startswith(":"):
                raise UrlProblem(f"the server address {host!r} has text after its ']'")
            port = port[1:]
        else:
            if "[" in host or "]" in host:
                raise UrlProblem(
                    f"the server address {host!r} has an unmatched bracket; write an IPv6 "
                    "address as [::1] or [::1]:5432"
                )
            name, _, port = host.partition(":")
        del name
        if port == "" and host.endswith(":"):
            raise UrlProblem(f"the server address {host!r} ends with ':' but gives no port")
        if port and (not port.isdigit() or not 1 <= int(port) <= 65535):
            raise UrlProblem(
                f"the port {port[:20]!r} is not a number between 1 and 65535 "
                f"(e.g. {scheme}server:5432/clinic)"
            )


def normalise_url(url: str) -> str:
    """``url`` with its credentials percent-encoded, so the parser reads them as typed.

    Raises ``UrlProblem`` (a sentence) for a port that is not a number or a bracket
    that does not close. SQLite file URLs are returned unchanged.
    """
    scheme, credentials, rest = split_credentials(url)
    if not scheme:
        return url
    if scheme.lower().startswith("sqlite"):
        return url
    _check_host_and_port(scheme, rest)
    if credentials is None:
        return url
    user, colon, password = credentials.partition(":")
    register_secret(unquote(password))
    encoded = quote(unquote(user), safe="")
    if colon:
        encoded += ":" + quote(unquote(password), safe="")
    return f"{scheme}{encoded}@{rest}"
