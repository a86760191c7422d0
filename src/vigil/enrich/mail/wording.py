"""Phishing wording: words far more common in phishing than in everyday mail.

The hand-written lure phrases (``lures.py``) name what a message asks for; they miss the scams and
wordings nobody wrote a phrase for. This signal reads the words themselves: each word of
``phishing_words.tsv`` carries the log of how much more often it appears in phishing than in
ordinary mail (a naive-Bayes likelihood ratio over messages), learnt by
``evaluation/train_phishing_words.py`` from one half of the evaluation mail only. A message's
evidence is the sum of its ten strongest such words; the weight grows with it up to the catalog's.

Only words that raise suspicion are kept: a word typical of ordinary mail never lowers a score, so
the signal cannot learn the topics of the mail it was trained on. Every word must also be in use in
ordinary mail of 2002, so that no word of a later era (names of apps, coins, pandemics) can separate
today's phishing from older mail; words of other languages than English, which the ordinary mail
lacks, would tell the language rather than the intent: the function words of the other languages
vigil guesses are never kept. Nor are markup words (``div``, ``font``...) and the parts of web
addresses (``com``, ``www``...): they are not language.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from vigil.enrich.mail.signals import CATALOG, Signal, signal
from vigil.ingest.email.language import STOPWORDS

WORDS_FILE = Path(__file__).with_name("phishing_words.tsv")
CODE = "lure.phishing_words"
#: Words are found after addresses and web addresses are removed (their parts are not language,
#: and ``https`` or a domain name would tell the era or the sender): every whitespace-delimited
#: chunk holding one of these marks goes.
_ADDRESS_MARKS = re.compile(r"@|://|www\.|\.(?:com|net|org)\b")
_SPACE = re.compile(r"\s")
_WORD = re.compile(r"[^\W\d_]{3,20}")
_MARKUP_AND_WEB = (
    "div span width height align font px style color border padding margin table td tr nbsp href src "
    "img class center left right top bottom size face com net org www http https html htm php asp"
)
#: Never a word of the model: HTML and CSS vocabulary that leaks into text parts, parts of web
#: addresses, and the function words of languages other than English.
NOT_WORDS = (
    frozenset(_MARKUP_AND_WEB.split()).union(
        *(words for language, words in STOPWORDS.items() if language != "en")
    )
    - STOPWORDS["en"]
)
#: How many of a message's words count, strongest first, and the evidence that gives the full weight.
TOP_WORDS = 10
FULL_EVIDENCE = 10.0


def words(folded: str) -> set[str]:
    """The distinct words of folded text (see ``text.fold``), addresses and web addresses removed."""
    return set(_WORD.findall(_without_addresses(folded)))


def _without_addresses(text: str) -> str:
    kept: list[str] = []
    done = 0
    for mark in _ADDRESS_MARKS.finditer(text):
        at = mark.start()
        if at < done:
            continue  # inside the chunk just removed
        start = max(
            done, text.rfind(" ", 0, at) + 1, text.rfind("\n", 0, at) + 1, text.rfind("\t", 0, at) + 1
        )
        space = _SPACE.search(text, mark.end())
        kept.append(text[done:start])
        done = space.start() if space else len(text)
    kept.append(text[done:])
    return " ".join(kept)


@cache
def word_weights() -> dict[str, float]:
    """The model: word -> log likelihood ratio (phishing / ordinary mail), from ``phishing_words.tsv``."""
    weights: dict[str, float] = {}
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, weight = line.split("\t")[:2]
            weights[word] = float(weight)
    return weights


def wording_signal(folded_text: str, weights: dict[str, float] | None = None) -> Signal | None:
    """``lure.phishing_words`` for the folded subject and body, or None when no word of the model is in
    it. ``weights`` replaces the shipped table (cross-validation)."""
    weights = word_weights() if weights is None else weights
    found = sorted(((weights[w], w) for w in words(folded_text) if w in weights), reverse=True)[:TOP_WORDS]
    if not found:
        return None
    evidence = sum(weight for weight, _ in found)
    cap = CATALOG[CODE].weight
    listed = ", ".join(w for _, w in found)
    return signal(
        CODE,
        f"{len(found)} word(s) far more common in phishing than in everyday mail: {listed} "
        f"(evidence {evidence:.1f})",
        weight=round(cap * min(1.0, evidence / FULL_EVIDENCE), 3),
    )
