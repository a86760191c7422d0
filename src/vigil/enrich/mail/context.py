"""What a message is judged against: the protected assets, the brands phishing imitates, and the
mail seen before it in the workspace."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from vigil.enrich.domains import registered_domain
from vigil.enrich.mail.brands import PHISHING_TARGETS
from vigil.enrich.mail.lookalike import LookalikeIndex, Target
from vigil.enrich.mail.text import fold
from vigil.enrich.mail.wording import word_weights
from vigil.protect import Brand, Organization, Person, ProtectedAssets

#: Bumped whenever a signal, a weight or a pattern changes: stored signals are then computed again
#: (the brand list and the phishing words are in the fingerprint themselves).
SIGNALS_VERSION = "3"

_NON_WORD = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """A display name reduced to its words: ``"Harper, Meg (Campaign)"`` -> ``"harper meg campaign"``."""
    return _NON_WORD.sub(" ", fold(name)).strip()


@dataclass(frozen=True)
class ProtectedPerson:
    name: str
    key: str  # name_key of the name
    addresses: frozenset[str]
    role: str


@dataclass(frozen=True)
class ProtectedName:
    """An organisation or brand whose name must not appear on mail from outside its domains."""

    name: str
    key: str
    domains: frozenset[str]


@dataclass
class History:
    """When each link domain and each sender was first seen in the workspace's mail."""

    link_domains: dict[str, datetime] = field(default_factory=dict)
    senders: dict[str, datetime] = field(default_factory=dict)

    def new_link_domain(self, domain: str, when: datetime | None) -> bool:
        first = self.link_domains.get(domain)
        return when is not None and (first is None or first >= when)

    def first_contact(self, sender: str, when: datetime | None) -> bool:
        first = self.senders.get(sender)
        return when is not None and (first is None or first >= when)


@dataclass
class MailContext:
    people: tuple[ProtectedPerson, ...] = ()
    names: tuple[ProtectedName, ...] = ()
    protected_domains: frozenset[str] = frozenset()
    history: History | None = None  # None: judge each message on its own (no "never seen" signals)

    @classmethod
    def build(cls, assets: ProtectedAssets | None = None, history: History | None = None) -> MailContext:
        assets = assets or ProtectedAssets()
        people = tuple(
            ProtectedPerson(p.name, name_key(p.name), frozenset(a.lower() for a in p.emails), p.role)
            for p in assets.of(Person)
            if len(name_key(p.name).split()) >= 2  # a first name alone is everybody's
        )
        by_name: dict[str, set[str]] = {}
        for o in [*assets.of(Organization), *assets.of(Brand)]:
            if len(name_key(o.name)) >= 5:
                by_name.setdefault(o.name, set()).update(d.lower() for d in o.domains)
        names = tuple(ProtectedName(n, name_key(n), frozenset(d)) for n, d in sorted(by_name.items()))
        domains = frozenset(
            d.lower() for o in [*assets.of(Organization), *assets.of(Brand)] for d in o.domains
        )
        return cls(people, names, domains, history)

    @cached_property
    def lookalikes(self) -> LookalikeIndex:
        return _index(tuple(sorted(self.protected_domains)), tuple(n for n in self.names))

    def is_protected_domain(self, domain: str | None) -> bool:
        if not domain:
            return False
        reg = registered_domain(domain) or domain
        return domain in self.protected_domains or reg in self.protected_domains

    @property
    def fingerprint(self) -> str:
        """Changes when anything the stored signals depend on changes (other than the mail itself)."""
        data = {
            "version": SIGNALS_VERSION,
            "people": sorted((p.key, sorted(p.addresses)) for p in self.people),
            "names": sorted((n.key, sorted(n.domains)) for n in self.names),
            "domains": sorted(self.protected_domains),
            "brands": [(b.name, b.domains, b.names, b.labels) for b in PHISHING_TARGETS],
            "wording": sorted(word_weights().items()),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:24]


_INDEXES: dict[tuple[object, ...], LookalikeIndex] = {}


def _index(domains: tuple[str, ...], names: tuple[ProtectedName, ...]) -> LookalikeIndex:
    key = (domains, names)
    if key not in _INDEXES:
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        _INDEXES[key] = LookalikeIndex(_targets(domains, names))
    return _INDEXES[key]


def _targets(domains: Iterable[str], names: Iterable[ProtectedName]) -> list[Target]:
    owner: Mapping[str, str] = {d: n.name for n in names for d in n.domains}
    protected = [Target(owner.get(d, d), (d,), protected=True) for d in domains]
    return [*protected, *(Target(b.name, b.domains, b.labels) for b in PHISHING_TARGETS)]
