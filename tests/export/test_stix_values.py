from __future__ import annotations

import pytest

from vigil.export import stix_values as v


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://evil.example/a?b=c#d", "https://evil.example/a?b=c#d"),
        ('https://evil.example/a b"<>\\^`{|}', "https://evil.example/a%20b%22%3C%3E%5C%5E%60%7B%7C%7D"),
        ("https://evil.example/%41%zz", "https://evil.example/%41%25zz"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
        ("http://user:pw@evil.example:8080/x", "http://user:pw@evil.example:8080/x"),
        ("http://[2001:db8::1]:80/", "http://[2001:db8::1]:80/"),
        ("mailto:a@evil.example", "mailto:a@evil.example"),
        ("evil.example/no-scheme", None),
        ("http://evil.example:port/", None),
        ("http://[not-ipv6]/", None),
    ],
)
def test_url(value: str, expected: str | None) -> None:
    assert v.url(value) == expected


def test_values() -> None:
    assert v.domain("bücher.example") == "bücher.example"
    assert v.domain("evil'.example") is None and v.domain("a_b.example") is None
    assert v.ipv4("10.0.0.1") == "10.0.0.1" and v.ipv4("10.0.0.0/8") == "10.0.0.0/8"
    assert v.ipv4("010.0.0.1") is None and v.ipv4("1.2.3.4 ") is None
    assert v.ipv6("2001:db8::1") == "2001:db8::1" and v.ipv6("::ffff:1.2.3.4") is None and v.ipv6("x") is None
    assert v.email("a.b+c@evil.example") == "a.b+c@evil.example"
    assert v.email("a@bücher.example") == "a@xn--bcher-kva.example"
    assert v.email("no-at-sign") is None and v.email("a@localhost") is None
    assert v.sha256("A" * 64) == "a" * 64 and v.sha256("g" * 64) is None
    assert v.quote("it's \\ fine") == "'it\\'s \\\\ fine'"
