"""The small pieces of the identity findings' text."""

from __future__ import annotations

from datetime import UTC, datetime

from vigil.detectors.signin.wording import listing, plural, span


def test_plural() -> None:
    assert plural(1, "sign-in") == "1 sign-in"
    assert plural(3, "sign-in") == "3 sign-ins"
    assert plural(2, "failed try") == "2 failed tries"
    assert plural(1_200, "day") == "1,200 days"


def test_span() -> None:
    a = datetime(2024, 9, 14, 2, 10, tzinfo=UTC)
    assert span(a, a) == "at 02:10 UTC on 14 September 2024"
    assert span(a, a.replace(minute=40)) == "between 02:10 and 02:40 UTC on 14 September 2024"
    assert span(a, a.replace(day=15)) == (
        "between 02:10 UTC on 14 September 2024 and 02:10 UTC on 15 September 2024"
    )


def test_listing() -> None:
    assert listing([]) == ""
    assert listing(["b"]) == "b"
    assert listing(["b", "a", "c", "a"]) == "a, b and c"
    assert listing([str(i) for i in range(8)], 3) == "0, 1, 2 and 5 more"
