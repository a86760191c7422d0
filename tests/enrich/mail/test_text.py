"""Folding text for the patterns, and the tricks that hide text from filters."""

from __future__ import annotations

import pytest

from vigil.enrich.mail.text import clean, fold, hidden_in_words, math_letters, mixed_scripts, random_label


def test_fold_reads_every_drawing_of_a_word_as_the_word() -> None:
    assert fold("Ｖｅｒｉｆｙ") == "verify"
    assert fold("𝐕𝐞𝐫𝐢𝐟𝐲") == "verify"
    assert fold("Ve\u200brify") == "verify"
    assert fold("vérify") == "verify"
    assert fold("Passwort läuft ab") == "passwort lauft ab"
    assert fold("Straße") == "strasse"
    assert fold("PLAIN ascii") == "plain ascii"


def test_hidden_characters_inside_words_are_counted_but_accents_are_not() -> None:
    assert hidden_in_words("Co\u073fnfi\u073frm your acco\u200bunt") == 3
    assert hidden_in_words("Café, naïve, São Paulo, Übergröße") == 0
    assert hidden_in_words("padding \u200c\u200c\u200c between words") == 0


def test_mixed_scripts_and_mathematical_letters() -> None:
    assert mixed_scripts("Соurt Сlеrk System") >= 2  # Cyrillic С, е inside Latin words
    assert mixed_scripts("Москва and Paris") == 0
    assert math_letters("𝐏𝐑𝐎𝐓𝐄𝐂𝐓 𝐘𝐎𝐔𝐑 𝐇𝐎𝐔𝐒𝐄") == 16
    assert math_letters("plain text") == 0


@pytest.mark.parametrize("domain", ["l7r1hys7oy0txqvgfy7w.com", "ub0lmi1nl1.com", "xfcgjbkkz.life"])
def test_machine_made_names(domain: str) -> None:
    assert random_label(domain)


@pytest.mark.parametrize(
    "domain",
    ["freshrpms.net", "ghostscript.com", "strengthsfinder.com", "4chan.org", "123rf.com", "bbc.co.uk"],
)
def test_ordinary_names(domain: str) -> None:
    assert not random_label(domain)


def test_clean_bounds_and_flattens_hostile_values() -> None:
    assert clean("a\x00b\nc\td") == "a b c d"
    assert len(clean("x" * 10_000, 50)) == 50
