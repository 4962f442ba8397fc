"""The loopback rule and the base URL policy shared by the client, the settings and the sandbox."""

from __future__ import annotations

import pytest

from whats91_desktop.core.urls import bare_host, check_base_url, is_loopback_host


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.5.5.5", "::1", "[::1]", "localhost", "LOCALHOST", "LocalHost"]
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host",
    ["0.0.0.0", "::", "[::2]", "128.0.0.1", "10.0.0.5", "localhost.", "foo.localhost", "example.com", ""],
)
def test_hosts_that_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)


@pytest.mark.parametrize(("host", "bare"), [("[::1]", "::1"), ("::1", "::1"), ("127.0.0.1", "127.0.0.1")])
def test_bare_host_drops_the_brackets_of_an_ipv6_address(host: str, bare: str) -> None:
    assert bare_host(host) == bare


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "localhost", "LOCALHOST"])
def test_plain_http_is_allowed_to_exactly_the_loopback_hosts(host: str) -> None:
    assert check_base_url(f"http://{host}:8091/api/v2").startswith("http://")


def test_importing_the_url_policy_does_not_load_the_http_stack() -> None:
    """The sandbox and the UI import it at start-up; httpx waits until a URL is checked."""
    import subprocess
    import sys

    code = "import sys, whats91_desktop.core.urls; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
