"""Domains that imitate a protected organisation's or a well-known brand's domain.

```python
index = LookalikeIndex([Target("Harper for America", ("harperforamerica.org",), protected=True)])
index.match("harperforamerica-sso.com")   # Match(target=..., how='brand name inside another domain')
index.match("xn--harperforamerca-k3m.org")  # homoglyph (the Unicode form is shown in the evidence)
index.match("harperforamerica.org")        # None: the real one
```

Four tests, cheapest first, none of them touching the network:

1. the exact typo variants that dnstwist's ``Fuzzer`` generates for each protected domain
   (addition, bitsquatting, hyphenation, insertion, omission, repetition, replacement, transposition,
   vowel swap, plural, dictionary words, TLD swaps) — its homoglyph fuzzer is replaced by test 2, which
   finds every homoglyph instead of an enumerated sample;
2. the *skeleton*: the label with every confusable character (Cyrillic, accented and IPA look-alikes
   from dnstwist's glyph tables; ``rn``/``m``, ``vv``/``w``, ``0``/``o``, ``1``/``l``) mapped to one
   representative, compared with the target's;
3. the target's label as a word inside another domain (``harperforamerica-sso.com``,
   ``paypal.com.secure-verify.net``, ``microsoftonline-login.com``);
4. edit distance (rapidfuzz) of the labels: 1 for labels of 6+ characters, 2 for 10+ (protected
   domains); 1 for 7+ characters (brands, whose names are often ordinary words).
"""

from __future__ import annotations

import re
import socket
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from vigil.enrich.domains import registered_domain


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Words that phishing domains glue to a brand name (``paypal-secure``, ``office365login``).
PHISH_WORDS = _words(
    """
    login signin sign logon secure security verify verification account accounts update support service
    services help helpdesk auth sso mail webmail portal online access id confirm billing payment pay
    wallet app apps cloud docs doc share drive file files team notice alert alerts center centre
    official customer client user users recovery unlock validate review invoice
    """
)
_DICTIONARY = ["login", "secure", "sso", "verify", "account", "support", "mail", "portal", "auth", "online"]
_CACHE_SIZE = 100_000
_FUZZERS = {
    "addition": "a letter added",
    "bitsquatting": "a one-bit change",
    "hyphenation": "a hyphen added",
    "insertion": "a keyboard-neighbour letter inserted",
    "omission": "a letter left out",
    "plural": "the plural",
    "repetition": "a letter doubled",
    "replacement": "a letter replaced by its keyboard neighbour",
    "transposition": "two letters swapped",
    "vowel-swap": "a vowel changed",
    "dictionary": "a word added",
    "tld-swap": "the name under another suffix",
    "various": "the name and its suffix run together",
}
_TLDS = ["com", "net", "org", "info", "co", "us", "online", "site", "live", "app", "io", "xyz", "top"]


@dataclass(frozen=True)
class Target:
    name: str
    domains: tuple[str, ...]
    labels: tuple[str, ...] = ()  # distinctive labels matched inside other domains
    protected: bool = False


@dataclass(frozen=True)
class Match:
    target: Target
    how: str  # e.g. "a letter left out"
    imitated: str  # the real domain it imitates

    def describe(self) -> str:
        owner = f" ({self.target.name})" if self.target.name != self.imitated else ""
        return f"looks like {self.imitated}{owner}: {self.how}"


def _dnstwist() -> Any:
    """The dnstwist module, without the side effect of its import: it sets a 12 s default timeout on
    every socket of the process (which breaks, for one, Spark's gateway on queries that take longer)."""
    previous = socket.getdefaulttimeout()
    import dnstwist

    socket.setdefaulttimeout(previous)
    return dnstwist


def _confusables() -> dict[str, str]:
    """Map of a confusable character to the Latin letter it imitates (from dnstwist's tables)."""
    table: dict[str, str] = {}
    fuzzer = _dnstwist().Fuzzer
    for latin, glyphs in fuzzer.glyphs_unicode.items():
        for glyph in glyphs:
            if len(latin) == 1 and len(glyph) == 1:
                table.setdefault(glyph, latin)
    for per_tld in fuzzer.glyphs_idn_by_tld.values():
        for latin, glyphs in per_tld.items():
            for glyph in glyphs:
                if len(latin) == 1 and len(glyph) == 1:
                    table.setdefault(glyph, latin)
    for latin, cyrillic in fuzzer.latin_to_cyrillic.items():
        table.setdefault(cyrillic, latin)
    ascii_table = {"0": "o", "1": "l", "i": "l", "|": "l", "ı": "l", "ſ": "f", "ß": "b", "$": "s"}
    table.update(ascii_table)
    return {k: ascii_table.get(v, v) for k, v in table.items()}  # і -> i -> l in one step


_ASCII_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("nn", "m"))


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    return {ord(k): v for k, v in _confusables().items()}


@lru_cache(maxsize=65536)
def skeleton(label: str) -> str:
    """One spelling for every way of drawing the same label: ``pаypa1`` and ``paypal`` -> ``paypal``."""
    text = unicode_form(label).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.translate(_table()).replace("-", "")
    for pair, one in _ASCII_PAIRS:
        text = text.replace(pair, one)
    return text


@lru_cache(maxsize=65536)
def unicode_form(domain: str) -> str:
    """The Unicode form of a punycode (``xn--``) domain or label; the input when it cannot be decoded."""
    if "xn--" not in domain:
        return domain
    parts = []
    for part in domain.split("."):
        if part.startswith("xn--"):
            try:
                part = part[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                return domain
        parts.append(part)
    return ".".join(parts)


def _label(domain: str) -> str:
    """The registered domain without its public suffix: ``example`` of ``example.co.uk``."""
    return domain.split(".", 1)[0]


@lru_cache(maxsize=256)
def _fuzzed(domain: str) -> dict[str, str]:
    """dnstwist's typo variants of ``domain`` (no homoglyphs, no DNS): variant -> fuzzer name."""
    fuzzer = _dnstwist().Fuzzer(domain, dictionary=_DICTIONARY, tld_dictionary=_TLDS)
    fuzzer.generate(
        fuzzers=[
            "addition",
            "bitsquatting",
            "hyphenation",
            "insertion",
            "omission",
            "plural",
            "repetition",
            "replacement",
            "transposition",
            "vowel-swap",
            "dictionary",
            "tld-swap",
            "various",
        ]
    )
    return {str(p["domain"]): str(p["fuzzer"]) for p in fuzzer.domains if p["domain"] != domain}


class LookalikeIndex:
    """Answers "which target does this domain imitate?" for many domains, with a cache."""

    def __init__(self, targets: Iterable[Target]) -> None:
        self.targets = list(targets)
        self._own: dict[str, Target] = {}  # registered domain -> whose it is
        self._own_labels: dict[str, Target] = {}  # brand label under any suffix
        self._variants: dict[str, tuple[Target, str, str]] = {}
        self._skeletons: dict[str, tuple[Target, str]] = {}
        self._distance: list[tuple[str, Target, str, int]] = []
        tokens: dict[str, tuple[Target, str]] = {}
        for target in self.targets:
            for domain in target.domains:
                domain = domain.lower().strip(".")
                reg = registered_domain(domain) or domain
                self._own.setdefault(domain, target)
                self._own.setdefault(reg, target)
                label = _label(reg)
                if not target.protected:
                    self._own_labels.setdefault(label, target)
                    continue
                # a protected domain: every test; a brand: only its distinctive labels (below)
                if len(label) >= 4:
                    self._skeletons.setdefault(skeleton(label), (target, reg))
                    for variant, how in _fuzzed(reg).items():
                        self._variants.setdefault(variant, (target, how, reg))
                limit = _max_distance(label, True)
                if limit:
                    self._distance.append((label, target, reg, limit))
                if len(label) >= 5:
                    tokens.setdefault(label, (target, reg))
            for label in target.labels:
                real = next((d for d in target.domains if d.startswith(label + ".")), target.domains[0])
                tokens.setdefault(label, (target, real))
                if len(label) >= 4:
                    self._skeletons.setdefault(skeleton(label), (target, real))
                limit = _max_distance(label, False)
                if limit:
                    self._distance.append((label, target, real, limit))
        self._tokens = tokens
        long_tokens = sorted((t for t in tokens if len(t) >= 5), key=len, reverse=True)
        words = "|".join(PHISH_WORDS)
        self._token_re = re.compile(
            r"(?:^|[.-])(?:"
            + words
            + r")?("
            + "|".join(map(re.escape, long_tokens))
            + r")(?:"
            + words
            + r")?"
            r"(?=[.-]|$)"
            if long_tokens
            else r"(?!)"
        )
        self._short_tokens = {t for t in tokens if len(t) < 5}
        self._distance_labels = [d[0] for d in self._distance]
        self._cache: dict[str, Match | None] = {}

    def owner(self, domain: str | None) -> Target | None:
        """The target whose own domain this is (exactly, or a subdomain of it), if any."""
        if not domain:
            return None
        domain = domain.lower().strip(".")
        parts = domain.split(".")
        for i in range(len(parts) - 1):  # the domain itself or any parent: mail.paypal.com, x.gov.br
            found = self._own.get(".".join(parts[i:]))
            if found is not None:
                return found
        reg = registered_domain(domain) or domain
        return self._own_labels.get(_label(reg)) if "." in reg else None

    def match(self, host: str) -> Match | None:
        """What ``host`` imitates, or None (also for the targets' own domains and subdomains)."""
        if host not in self._cache:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[host] = self._match(host)
        return self._cache[host]

    def _match(self, host: str) -> Match | None:
        host = host.lower().strip(".")
        reg = registered_domain(host)
        if not reg or self.owner(reg) is not None:
            return None
        variant = self._variants.get(reg)
        if variant:
            target, how, real = variant
            return Match(target, _FUZZERS.get(how, how), real)
        label = _label(reg)
        skel = self._skeletons.get(skeleton(label))
        if skel and (label != _label(skel[1]) or "xn--" in reg):
            target, real = skel
            shown = unicode_form(reg)
            detail = f" ({shown})" if shown != reg else ""
            return Match(target, f"spelled with look-alike characters{detail}", real)
        if skel:  # the same label under another suffix
            target, real = skel
            if target.protected:
                return Match(target, "the name under another suffix", real)
        found = self._token(host)
        if found:
            return found
        if self._distance_labels and len(label) >= 5:
            near = process.extract(
                label, self._distance_labels, scorer=Levenshtein.distance, score_cutoff=2, limit=8
            )
            for _, dist, i in near:
                _, target, real, limit = self._distance[i]
                if 0 < dist <= limit:
                    return Match(target, f"{int(dist)} letter(s) changed", real)
        return None

    def _token(self, host: str) -> Match | None:
        for m in self._token_re.finditer(host):
            target, real = self._tokens[m.group(1)]
            return Match(target, f"its name {m.group(1)!r} inside another domain", real)
        if self._short_tokens:
            for part in re.split(r"[.-]", host.rsplit(".", 1)[0]):
                if part in self._short_tokens:
                    target, real = self._tokens[part]
                    return Match(target, f"its name {part!r} inside another domain", real)
        return None


def _max_distance(label: str, protected: bool) -> int:
    if protected:
        return 2 if len(label) >= 10 else 1 if len(label) >= 6 else 0
    return 1 if len(label) >= 7 else 0
