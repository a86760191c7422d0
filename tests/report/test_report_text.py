from __future__ import annotations

import pytest

from vigil.report.text import clean, defang


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("https://evil.example.com/a.b?x=1.2", "url", "hxxps://evil[.]example[.]com/a.b?x=1.2"),
        ("HTTP://evil.example", "url", "hxxp://evil[.]example"),
        ("https://e.x?q=a.b", "url", "hxxps://e[.]x?q=a.b"),
        ("https://user:pw@evil.example:8080/x", "url", "hxxps://user:pw@evil[.]example:8080/x"),
        ("evil.example/x.y", "url", "evil[.]example/x.y"),
        ("evil.example:8080/x", "url", "evil[.]example:8080/x"),
        ("javascript:alert(1)", "url", "javascript[:]alert(1)"),
        ("JaVaScRiPt:alert(1)", "url", "JaVaScRiPt[:]alert(1)"),
        ("data:text/html,<script>", "url", "data[:]text/html,<script>"),
        ("https://evil.com/[.]", "url", "hxxps://evil[.]com/[.]"),
        ("a.b@evil.example", "email-addr", "a.b@evil[.]example"),
        ("1.2.3.4", "ipv4-addr", "1[.]2[.]3[.]4"),
        ("x.y", "domain-name", "x[.]y"),
        ("::1", "ipv6-addr", "::1"),
        ("", "url", ""),
    ],
)
def test_defang(value: str, kind: str, expected: str) -> None:
    assert defang(value, kind) == expected


@pytest.mark.parametrize("value", ["https://evil.example/a", "evil.example", "hxxp://a[.]b", "javascript:x"])
def test_defang_is_idempotent(value: str) -> None:
    once = defang(value, "url")
    assert defang(once, "url") == once


def test_clean() -> None:
    assert clean(None) == ""
    assert clean("invoice\u202efdp.exe") == "invoice⟨U+202E⟩fdp.exe"
    assert clean("line\nnext\ttab") == "line\nnext\ttab"
    assert clean("a" * 10, 5) == "aaaaa…"
