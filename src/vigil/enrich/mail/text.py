"""Text as the patterns see it, and the tricks that hide text from filters.

``fold`` turns text into lower case without accents, with compatibility forms (mathematical bold
letters, full-width letters) read as the letters they show, and invisible characters removed, so
that ``Ｖｅｒｉｆｙ`` , ``𝐕𝐞𝐫𝐢𝐟𝐲``, ``Ve\u200brify`` and ``vérify`` all read ``verify``.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that render as nothing or as a mark on the previous letter: hidden inside a word they
#: break the word for a filter but not for the reader.
_HIDDEN = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f"
    "\u3164\ufeff\uffa0\ufe00-\ufe0f\U000e0000-\U000e01ef"
)
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0711"
    "\u0730-\u074a\u20d0-\u20ff\ufe20-\ufe2f"
)
_STRIP = re.compile(f"[{_HIDDEN}{_MARKS}]")
_HIDDEN_IN_WORD = re.compile(f"(?<=[^\\W\\d_])[{_HIDDEN}{_MARKS}]+(?=[^\\W\\d_])")
_MATH_LETTERS = re.compile("[\U0001d400-\U0001d7ff\uff21-\uff3a\uff41-\uff5a]")
_URL_OR_ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: Characters of a message scanned for lure language: the subject plus the start of the body,
#: where a lure has to be to work. Bounds the time per message.
SCAN_CHARS = 6_000


def fold(text: str) -> str:
    """Lower case, no accents, compatibility forms read as plain letters, hidden characters removed."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return _STRIP.sub("", decomposed).casefold()


def hidden_in_words(text: str) -> int:
    """How many runs of invisible characters or stray combining marks sit between two letters.

    Accented letters are composed first, so ``é`` does not count; ``Co\u073fnfi\u073frm`` counts 2."""
    if text.isascii():
        return 0
    composed = unicodedata.normalize("NFC", _URL_OR_ADDRESS.sub(" ", text))
    return len(_HIDDEN_IN_WORD.findall(composed))


_MIXED = re.compile(r"[a-zA-Z][\u0370-\u03ff\u0400-\u04ff]|[\u0370-\u03ff\u0400-\u04ff][a-zA-Z]")


def mixed_scripts(text: str) -> int:
    """How many places a Latin letter touches a Greek or Cyrillic one inside a word (``Соurt``)."""
    if text.isascii():
        return 0
    return len(_MIXED.findall(text))


def math_letters(text: str) -> int:
    """How many mathematical-alphanumeric or full-width letters (bold/italic/script look-alikes)."""
    if text.isascii():
        return 0
    return len(_MATH_LETTERS.findall(text))


def clean(text: str, limit: int = 120) -> str:
    """A value for an evidence string: one line, no control characters, at most ``limit`` characters."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


_VOWELS = frozenset("aeiouy")
_DIGIT_SWITCH = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_CONSONANTS = re.compile(r"[bcdfghjklmnpqrstvwxz]{7,}")


def random_label(domain: str, min_length: int = 8) -> bool:
    """Whether a registered domain's name looks machine-made: ``l7r1hys7oy0txq.com``, ``xfcgjbkk.life``.

    Letters and digits switching three times or more in 8+ characters, a run of seven consonants, or
    under 10% vowels in 10+ letters. Words, brands and acronyms (``4chan``, ``123rf``, ``bbc``) pass."""
    label = domain.split(".", 1)[0].lower()
    if len(label) < min_length or label.startswith("xn--"):
        return False
    if len(_DIGIT_SWITCH.findall(label)) >= 3:
        return True
    letters = [c for c in label if c.isalpha()]
    if _CONSONANTS.search(label):
        return True
    return len(letters) >= 10 and sum(c in _VOWELS for c in letters) / len(letters) < 0.1
