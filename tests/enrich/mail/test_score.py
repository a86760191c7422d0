"""Combining signals: noisy-or per category and overall, and what carries a score."""

from __future__ import annotations

import pytest
from mail_rows import mail

from vigil.enrich.mail import CATALOG, MailContext, Signal, category_scores, message_signals, phishing_score
from vigil.enrich.mail.score import combine, contributions, score_signal, strongest


def sig(code: str, weight: float | None = None) -> Signal:
    spec = CATALOG[code]
    return Signal(spec.category, code, spec.weight if weight is None else weight, "x: y")


def test_noisy_or() -> None:
    assert combine([]) == 0.0
    assert combine([0.2, 0.3]) == pytest.approx(0.44)
    assert combine([0.85]) == pytest.approx(0.85)
    assert combine([1.5, -1]) == 1.0


def test_repeats_of_one_code_count_once_with_the_highest_weight() -> None:
    signals = [sig("link.lookalike_brand", 0.6), sig("link.lookalike_brand", 0.4), sig("lure.urgency")]
    assert strongest(signals) == {"link.lookalike_brand": 0.6, "lure.urgency": 0.2}
    assert phishing_score(signals) == round(1 - 0.4 * 0.8, 3)
    assert phishing_score(signals, exclude={"link.lookalike_brand"}) == 0.2
    assert category_scores(signals) == {"link": 0.6, "lure": 0.2}


def test_contributions_add_up_to_the_score() -> None:
    signals = [sig("link.lookalike_protected"), sig("lure.credential"), sig("lure.urgency")]
    parts = contributions(signals)
    assert sum(parts.values()) == pytest.approx(combine(s.weight for s in signals))
    assert max(parts, key=lambda c: parts[c]) == "link.lookalike_protected"
    row = score_signal(signals)
    assert row.category == "score" and row.weight == phishing_score(signals)
    assert row.evidence.startswith("carried by link.lookalike_protected")


def test_the_catalog() -> None:
    for code, spec in CATALOG.items():
        assert code.split(".")[0] in ("auth", "sender", "link", "lure", "attachment", "score"), code
        assert 0 <= spec.weight < 1 and spec.meaning
    assert all(s.signal in CATALOG for s in message_signals(mail(), MailContext.build()))


def test_an_ordinary_message_scores_nothing(nobody: MailContext) -> None:
    assert message_signals(mail(), nobody) == []


def test_the_documented_signals_are_the_catalog() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "phishing.md").read_text(encoding="utf-8")
    era = {True: " (era-bound)", False: ""}
    rows = [
        f"| `{code}` | {spec.category} | {spec.weight} | {spec.meaning}{era[spec.era_bound]} |"
        for code, spec in CATALOG.items()
    ]
    assert [r for r in rows if r not in doc] == [], "docs/phishing.md's table of signals is out of date"
