"""Small pieces of the identity findings' text: times, days, counts, lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime


def clock(when: datetime | None) -> str:
    """``02:10``."""
    return f"{when:%H:%M}" if when else "?"


def day_text(when: datetime | None) -> str:
    """``14 September 2024``."""
    return f"{when.day} {when:%B %Y}" if when else "?"


def plural(count: int, word: str) -> str:
    """``1 sign-in``, ``3 sign-ins``, ``2 failed tries``."""
    if count == 1:
        return f"{count:,} {word}"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{count:,} {word[:-1]}ies"
    return f"{count:,} {word}s"


def span(first: datetime | None, last: datetime | None) -> str:
    """``at 02:10 UTC on 14 September 2024``, ``between 02:10 and 02:40 UTC on ...``, or across days."""
    if not first or not last:
        return "at an unknown time"
    if first.date() != last.date():
        return f"between {clock(first)} UTC on {day_text(first)} and {clock(last)} UTC on {day_text(last)}"
    if clock(first) == clock(last):
        return f"at {clock(first)} UTC on {day_text(first)}"
    return f"between {clock(first)} and {clock(last)} UTC on {day_text(first)}"


def listing(values: Iterable[str] | None, limit: int = 5) -> str:
    """``a, b and c``; ``a, b, c, d, e and 3 more``."""
    items = sorted({v for v in values or [] if v})
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + (" and " + items[-1] if items else "")
