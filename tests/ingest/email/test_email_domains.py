"""vigil.enrich.domains: hosts of URLs, registered domains, refanging."""

from __future__ import annotations

import pytest

from vigil.enrich.domains import host_of, refang, registered_domain


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://User:pw@Login.Example.co.uk:8443/x", "login.example.co.uk"),
        ("http://a.com./", "a.com"),
        ("www.bücher.de/x", "www.xn--bcher-kva.de"),
        ("http://xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("HTTP://1.2.3.4/a", "1.2.3.4"),
        ("http://[2001:db8::1]:80/", "2001:db8::1"),
        ("http:\\\\evil.com\\x", "evil.com"),
        ("//cdn.example.net/a.js", "cdn.example.net"),
        ("example.com:443", "example.com"),
        # What browsers do with obfuscated hosts.
        ("http://w%77%77%2Eevil%2Ecom/", "www.evil.com"),
        ("http://www.bank.com%40evil%2Eru/", "evil.ru"),
        ("http://3232235777/", "192.168.1.1"),
        ("http://0x7f.1/", "127.0.0.1"),
        ("http://0177.0.0.01/", "127.0.0.1"),
        ("http://1.2.3.4.5/", None),
        ("http://exa mple.com", None),
        ("http://[bad", None),
        ("mailto:x@y.com", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_host_of(url: str | None, host: str | None) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("login.example.co.uk", "example.co.uk"),
        ("example.com", "example.com"),
        ("foo.blogspot.com", "foo.blogspot.com"),  # a private suffix
        ("co.uk", None),
        ("1.2.3.4", None),
        ("2001:db8::1", None),
        ("localhost", None),
        (None, None),
    ],
)
def test_registered_domain(host: str | None, domain: str | None) -> None:
    assert registered_domain(host) == domain


def test_refang() -> None:
    assert refang("hxxps://evil[.]com/a user[at]evil(.)com") == "https://evil.com/a user@evil.com"
    assert refang("HXXP[:]//x[dot]org and fxp://a{.}b and 185.220.101[.]4") == (
        "http://x.org and ftp://a.b and 185.220.101.4"
    )
    assert refang("nothing to do here.") == "nothing to do here."
