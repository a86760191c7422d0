"""Phishing wording: the learnt word table, how a message's words become a graded signal."""

from __future__ import annotations

import pytest
from mail_rows import codes, mail

from vigil.enrich.mail.lures import lure_signals
from vigil.enrich.mail.signals import CATALOG
from vigil.enrich.mail.text import fold
from vigil.enrich.mail.wording import (
    CODE,
    FULL_EVIDENCE,
    NOT_WORDS,
    TOP_WORDS,
    WORDS_FILE,
    word_weights,
    wording_signal,
    words,
)

SCAM = (
    "Dear customer, congratulations! You have been selected to receive a reward. "
    "Verify your account and confirm the payment details to claim your bonus."
)


def test_words_leave_out_addresses_web_addresses_and_numbers() -> None:
    text = "Visit https://secure-login.example/verify or www.bank.com, mail help@bank.net: 2024 ok Fund"
    found = words(fold(text))
    assert found == {"visit", "mail", "fund"}


def test_the_table_keeps_only_language_that_raises_suspicion() -> None:
    weights = word_weights()
    assert len(weights) > 50
    assert not NOT_WORDS & weights.keys()
    assert min(weights.values()) >= 1.5
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            word, _weight, campaigns, everyday = line.split("\t")
            assert word == fold(word) and word.isalpha()
            assert int(campaigns) >= 3 and int(everyday) >= 3, line


def test_other_languages_function_words_are_never_words() -> None:
    assert {"der", "que", "vous", "und"} <= NOT_WORDS
    assert "the" not in NOT_WORDS


def test_scam_wording_is_graded_by_its_strongest_words() -> None:
    weights = word_weights()
    found = wording_signal(fold(SCAM))
    assert found is not None and found.signal == CODE and found.category == "lure"
    strongest = sorted((weights[w] for w in words(fold(SCAM)) if w in weights), reverse=True)[:TOP_WORDS]
    assert len(strongest) >= 5
    expected = round(CATALOG[CODE].weight * min(1.0, sum(strongest) / FULL_EVIDENCE), 3)
    assert found.weight == pytest.approx(expected)
    assert "verify" in found.evidence and "reward" in found.evidence


def test_more_suspicious_wording_weighs_more_but_never_over_the_catalog() -> None:
    weak = wording_signal(fold("Thank you, see the notes before Monday."))
    strong = wording_signal(fold(SCAM))
    assert strong is not None
    assert weak is None or weak.weight < strong.weight
    assert strong.weight <= CATALOG[CODE].weight


def test_ordinary_wording_carries_no_signal() -> None:
    agenda = "Agenda for Tuesday's field meeting: canvass routes and volunteer shifts."
    assert wording_signal(fold(agenda)) is None


def test_lure_signals_include_the_wording() -> None:
    assert CODE in codes(lure_signals(mail(subject="Congratulations", body_text=SCAM)))
    ordinary = mail(subject="Field meeting", body_text="Canvass routes for Tuesday.")
    assert CODE not in codes(lure_signals(ordinary))
