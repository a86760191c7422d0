"""A cheap language guess from stopwords: en, de, pt, es, fr, ru, or None when unsure."""

from __future__ import annotations

import re

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to is that for you your with this are be have not on we will from please our "
        "it at by or can if has was all would been which their they",
        "de": "der die das und ist nicht sie ich mit den dem ein eine zu auf für sind wir bitte ihre auch "
        "wird werden sich von bei oder noch nach wenn können ihr",
        "pt": "não você uma com para os em que é ao seu sua mais está são obrigado pelo pela dos das "
        "na foi ser isso também nós",
        "es": "el los las por con una para del es y que su más está usted este esta como pero gracias sus "
        "al lo se muy ha son",
        "fr": "le la les et est des une pour pas vous nous dans que qui sur avec votre au aux ce cette "
        "merci il elle sont ont être",
        "ru": "и в не на что с по это как для вы мы от к из у за о ваш так но только вас если был все чтобы "
        "или уже его их при до ваши вашей вашего вам",
    }.items()
}
_LANGS_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, words in STOPWORDS.items() if word in words)
    for word in frozenset().union(*STOPWORDS.values())
}
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_CHARS = 3_000
MIN_HITS = 3


def guess_language(text: str | None) -> str | None:
    """The language whose stopwords are clearly the most frequent in the first few thousand characters."""
    if not text:
        return None
    counts = dict.fromkeys(STOPWORDS, 0)
    langs_of = _LANGS_OF.get
    for word in _WORD.findall(text[:SAMPLE_CHARS].lower()):
        for lang in langs_of(word, ()):
            counts[lang] += 1
    (best, hits), (_, second) = sorted(counts.items(), key=lambda item: item[1], reverse=True)[:2]
    return best if hits >= MIN_HITS and hits >= 1.5 * second else None
