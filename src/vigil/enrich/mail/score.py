"""One message's signals combined into scores: per category (what the detectors use) and overall.

The combination is a *noisy-or*: each signal is read as an independent chance ``w`` that the message
is malicious, and the message is benign only if every one of them is wrong::

    score = 1 - (1 - w1) * (1 - w2) * ...

Repeats of one signal code count once, with the highest weight (three look-alike links are one
observation: "this message links to look-alikes"). Two weak signals (0.2, 0.3) give 0.44; a strong
one (0.85) stays the strongest; nothing reaches 1. The detectors compute exactly this in SQL
(``exp(sum(ln(1 - w)))``), rounded to three decimals.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from vigil.enrich.mail.attachments import attachment_signals
from vigil.enrich.mail.auth import auth_signals
from vigil.enrich.mail.context import MailContext
from vigil.enrich.mail.links import link_signals
from vigil.enrich.mail.lures import lure_signals
from vigil.enrich.mail.signals import CATALOG, Signal, signal

#: Categories that the overall phishing score leaves out (``score`` is the overall score itself).
NOT_SCORED = frozenset({"score"})


def message_signals(row: Mapping[str, Any], ctx: MailContext) -> list[Signal]:
    """Every signal of one ``emails`` row (or a parsed message: same keys), without the score row."""
    out = [
        *auth_signals(row, ctx),
        *link_signals(row, ctx),
        *lure_signals(row, ctx),
        *attachment_signals(row, ctx),
    ]
    sender = (row.get("from_addr") or "").lower()
    if ctx.history is not None and sender and ctx.history.first_contact(sender, row.get("date")):
        out.append(signal("sender.first_contact", f"{sender}: no earlier message from this address"))
    return out


def strongest(signals: Iterable[Signal], exclude: Collection[str] = ()) -> dict[str, float]:
    """The highest weight of each signal code (codes in ``exclude`` left out)."""
    best: dict[str, float] = {}
    for s in signals:
        if s.category in NOT_SCORED or s.signal in exclude:
            continue
        if s.weight > best.get(s.signal, -1.0):
            best[s.signal] = s.weight
    return best


def combine(weights: Iterable[float]) -> float:
    """Noisy-or of weights in 0..1."""
    keep = 1.0
    for w in weights:
        keep *= 1.0 - min(max(w, 0.0), 1.0)
    return 1.0 - keep


def phishing_score(signals: Iterable[Signal], exclude: Collection[str] = ()) -> float:
    """The overall phishing score of a message: the noisy-or of all its signals (codes in ``exclude`` out)."""
    return round(combine(strongest(signals, exclude).values()), 3)


def category_scores(signals: Iterable[Signal]) -> dict[str, float]:
    """The noisy-or of each category's signals, as the detectors compute them."""
    by_category: dict[str, list[float]] = {}
    for code, weight in strongest(signals).items():
        by_category.setdefault(CATALOG[code].category, []).append(weight)
    return {c: round(combine(ws), 3) for c, ws in by_category.items()}


def contributions(signals: Iterable[Signal], exclude: Collection[str] = ()) -> dict[str, float]:
    """How much of the overall score each code carries: the score split in proportion to -ln(1 - w)."""
    best = strongest(signals, exclude)
    logs = {c: -math.log(1.0 - min(w, 0.999)) for c, w in best.items() if w > 0}
    total = sum(logs.values())
    if total <= 0:
        return {}
    score = combine(best.values())
    return {c: score * v / total for c, v in logs.items()}


def score_signal(signals: list[Signal]) -> Signal:
    """The ``score`` row of a message: its overall score and the three codes that carry most of it."""
    parts = sorted(contributions(signals).items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    carried = ", ".join(code for code, _ in parts) or "no signal"
    return Signal("score", "score.phishing", phishing_score(signals), f"carried by {carried}")
