"""Which base URLs the client may use, and what counts as this computer.

The bearer token must never travel unencrypted to another host, so plain http is allowed only
to loopback. The client (``check_base_url``), the settings (a profile that saves also
connects) and the sandbox's loopback server (it never listens beyond this machine) all apply
the one rule here, so they cannot disagree about a host.

Kept tiny on purpose: the sandbox and the UI import it at start-up, so httpx is imported only
when a URL is actually checked.
"""

from __future__ import annotations

import ipaddress

from whats91_desktop.core.errors import ConfigError


def bare_host(host: str) -> str:
    """``host`` without the brackets a URL puts around an IPv6 address (``[::1]`` → ``::1``),
    the form a socket call wants."""
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ``::1`` (bracketed or not) and ``localhost`` in any case.

    Exactly ``localhost``: ``localhost.`` (a fully qualified name) skips the hosts file on
    some resolvers and goes to DNS, which may answer with any address.
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(bare_host(host)).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """The base URL without a trailing slash. Refuses anything but https, except plain http
    to a loopback host (see :func:`is_loopback_host`) for local test servers."""
    import httpx  # deferred: start-up imports this module, and need not load the HTTP stack

    text = url.strip() if isinstance(url, str) else ""
    if not text:
        raise ConfigError("the base URL is empty")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise ConfigError(f"the base URL is not a valid URL: {err}") from None
    scheme = parsed.scheme.lower()
    host = parsed.host
    if not host:
        raise ConfigError(f"the base URL has no host: {text!r}")
    if parsed.userinfo:
        raise ConfigError("the base URL must not contain a user name or password")
    if parsed.query or parsed.fragment:
        raise ConfigError("the base URL must not contain a query or a fragment")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise ConfigError(f"the base URL's port {parsed.port} is not between 1 and 65535")
    if scheme == "http":
        if not is_loopback_host(host):
            raise ConfigError(f"refusing plain http to {host}: use https (http is allowed only to loopback)")
    elif scheme != "https":
        raise ConfigError(f"unsupported scheme {scheme or '(none)'!r}: use https")
    return str(parsed).rstrip("/")
