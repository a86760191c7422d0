"""A newly-registered-domains feed (CSV) and a few Certificate Transparency updates (certstream JSON lines).

Mostly ordinary registrations, with the actors' domains hidden among them: lookalikes of the
protected outlet, campaign and county, and the phishing and fake-news infrastructure.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from vigil.demo import story as s
from vigil.demo.common import det_hex, scaled
from vigil.demo.manifest import PlantedAttack, iso

CSV_PATH = "domains/newly_registered.csv"
CERTSTREAM = "domains/certstream.jsonl"
FEED_START = datetime(2024, 8, 1, tzinfo=UTC)
FEED_DAYS = 92

_WORDS = (
    "maple",
    "river",
    "stone",
    "bright",
    "north",
    "cedar",
    "harbor",
    "summit",
    "pixel",
    "green",
    "urban",
    "lakeside",
    "copper",
    "golden",
    "silver",
    "blue",
    "prairie",
    "valley",
    "quick",
    "smart",
    "fresh",
    "happy",
    "trail",
    "pine",
    "oak",
    "sunrise",
    "metro",
    "civic",
    "craft",
    "studio",
    "labs",
    "home",
    "market",
    "pet",
    "bakery",
    "coffee",
    "yoga",
    "fitness",
    "dental",
    "legal",
    "realty",
    "homes",
    "garden",
    "auto",
    "repair",
    "design",
    "media",
    "travel",
    "tours",
    "kids",
    "learning",
    "health",
    "clinic",
    "solar",
    "energy",
    "roofing",
    "plumbing",
    "cleaning",
    "events",
    "wedding",
    "photo",
    "books",
    "games",
    "tech",
    "cloud",
    "data",
    "shop",
)
_TLDS = (
    "com",
    "com",
    "com",
    "com",
    "net",
    "org",
    "shop",
    "online",
    "xyz",
    "info",
    "us",
    "store",
    "site",
    "app",
    "io",
    "co",
)
_SOURCES = ("whoisds-nrd", "whoisds-nrd", "zonefile-diff")

#: (domain, first seen, source, group) of the planted registrations.
PLANTED: list[tuple[str, datetime, str, str]] = [
    (s.FAKE_SITES_LEFT[0], datetime(2024, 8, 6, 3, 12, 55, tzinfo=UTC), "whoisds-nrd", "fake-news"),
    (s.FAKE_SITES_LEFT[1], datetime(2024, 8, 6, 3, 40, 2, tzinfo=UTC), "whoisds-nrd", "fake-news"),
    (s.FAKE_SITES_RIGHT[0], datetime(2024, 8, 7, 1, 5, 37, tzinfo=UTC), "whoisds-nrd", "fake-news"),
    (s.FAKE_SITES_RIGHT[1], datetime(2024, 8, 7, 1, 22, 48, tzinfo=UTC), "whoisds-nrd", "fake-news"),
    (s.PHISH_A_DOMAIN, datetime(2024, 9, 4, 18, 44, 10, tzinfo=UTC), "whoisds-nrd", "phishing"),
    (s.PHISH_B_DOMAIN, datetime(2024, 9, 15, 9, 3, 27, tzinfo=UTC), "zonefile-diff", "phishing"),
    (s.SPOOF_DOMAIN, datetime(2024, 9, 19, 22, 17, 5, tzinfo=UTC), "whoisds-nrd", "campaign-lookalike"),
    (s.PODCAST_DOMAIN, datetime(2024, 9, 20, 11, 52, 40, tzinfo=UTC), "whoisds-nrd", "phishing"),
    (s.HOMOGLYPH_DOMAIN, datetime(2024, 9, 26, 6, 30, 0, tzinfo=UTC), "zonefile-diff", "campaign-lookalike"),
    (s.CRED_DOMAIN, datetime(2024, 9, 27, 14, 9, 51, tzinfo=UTC), "whoisds-nrd", "campaign-lookalike"),
    (s.CLONE_DOMAINS[0], datetime(2024, 9, 28, 2, 44, 19, tzinfo=UTC), "whoisds-nrd", "outlet-lookalike"),
    (s.CLONE_DOMAINS[1], datetime(2024, 9, 30, 23, 1, 6, tzinfo=UTC), "whoisds-nrd", "outlet-lookalike"),
    (
        "springfield-herald.news",
        datetime(2024, 10, 3, 8, 15, 33, tzinfo=UTC),
        "zonefile-diff",
        "outlet-lookalike",
    ),
    (s.PODCAST_PORTAL_DOMAIN, datetime(2024, 10, 4, 16, 40, 2, tzinfo=UTC), "whoisds-nrd", "phishing"),
    (s.COUNTY_LOOKALIKE, datetime(2024, 10, 10, 12, 0, 44, tzinfo=UTC), "whoisds-nrd", "county-lookalike"),
]

#: Ordinary registrations that share a word with a protected name (must not be flagged).
BENIGN_LOOKING: list[str] = [
    "springfieldgardenclub.org",
    "springfieldhealthclinic.com",
    "harperbakery.com",
    "heraldsquarerealty.com",
    "calderriveroutfitters.com",
    "harperscafe.net",
]


def _benign(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        a, b = rng.sample(_WORDS, 2)
        name = f"{a}{b}" if rng.random() < 0.7 else f"{a}-{b}"
        if rng.random() < 0.2:
            name += str(rng.randrange(1, 99))
        out.add(f"{name}.{rng.choice(_TLDS)}")
    return sorted(out)


def write_domains(
    out: Path, rng: random.Random, scale: float
) -> tuple[list[tuple[str, str, int]], list[PlantedAttack], list[PlantedAttack]]:
    rows: list[tuple[str, datetime, str]] = []
    for d in _benign(rng, scaled(480, scale, 40)):
        rows.append(
            (d, FEED_START + timedelta(seconds=rng.randrange(FEED_DAYS * 86400)), rng.choice(_SOURCES))
        )
    for d in BENIGN_LOOKING:
        rows.append((d, FEED_START + timedelta(seconds=rng.randrange(FEED_DAYS * 86400)), "whoisds-nrd"))
    for d, t, src, _ in PLANTED:
        rows.append((d, t, src))
    rows.sort(key=lambda r: (r[1], r[0]))
    (out / "domains").mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["domain", "first_seen", "source"])
    for d, t, src in rows:
        w.writerow([d, t.strftime("%Y-%m-%dT%H:%M:%SZ"), src])
    (out / CSV_PATH).write_text(buf.getvalue(), encoding="utf-8")

    # certstream: certificates for a sample of the new domains, and for the lookalikes that went live
    certs: list[tuple[float, list[str]]] = []
    for d, t, _ in rng.sample(rows, min(len(rows), scaled(36, scale, 8))):
        if any(d == p[0] for p in PLANTED):
            continue
        certs.append(
            (
                (t + timedelta(hours=rng.randrange(1, 72))).timestamp() + rng.randrange(1000) / 1000,
                [d, f"www.{d}"],
            )
        )
    live = {
        s.CLONE_DOMAINS[0],
        s.CLONE_DOMAINS[1],
        s.CRED_DOMAIN,
        s.PODCAST_PORTAL_DOMAIN,
        s.HOMOGLYPH_DOMAIN,
        s.PHISH_A_DOMAIN,
        *s.FAKE_SITES_LEFT,
        *s.FAKE_SITES_RIGHT,
    }
    for d, t, _, _ in PLANTED:
        if d in live:
            certs.append(((t + timedelta(hours=5, minutes=17)).timestamp() + 0.25, [d, f"www.{d}"]))
    certs.sort()
    lines = []
    for i, (seen, names) in enumerate(certs):
        nb = int(seen) - int(seen) % 86400
        lines.append(
            orjson.dumps(
                {
                    "message_type": "certificate_update",
                    "data": {
                        "update_type": "X509LogEntry",
                        "leaf_cert": {
                            "subject": {
                                "aggregated": f"/CN={names[0]}",
                                "C": None,
                                "ST": None,
                                "L": None,
                                "O": None,
                                "OU": None,
                                "CN": names[0],
                            },
                            "extensions": {
                                "subjectAltName": ", ".join(f"DNS:{n}" for n in names),
                                "keyUsage": "Digital Signature, Key Encipherment",
                                "extendedKeyUsage": "TLS Web server authentication, TLS Web client "
                                "authentication",
                            },
                            "not_before": nb,
                            "not_after": nb + 90 * 86400 - 1,
                            "serial_number": det_hex(names[0], "serial", n=36).upper(),
                            "fingerprint": ":".join(
                                det_hex(names[0], "fp", n=40).upper()[j : j + 2] for j in range(0, 40, 2)
                            ),
                            "all_domains": names,
                        },
                        "chain": [
                            {
                                "subject": {
                                    "aggregated": "/C=US/O=Let's Encrypt/CN=R11",
                                    "C": "US",
                                    "O": "Let's Encrypt",
                                    "CN": "R11",
                                }
                            }
                        ],
                        "cert_index": 612_000_000 + i * 7919,
                        "cert_link": "https://oak.ct.letsencrypt.org/2024h2/ct/v1/get-entries"
                        f"?start={612_000_000 + i * 7919}"
                        f"&end={612_000_000 + i * 7919}",
                        "seen": round(seen, 3),
                        "source": {
                            "url": "https://oak.ct.letsencrypt.org/2024h2/",
                            "name": "Let's Encrypt 'Oak2024H2' log",
                        },
                    },
                }
            )
        )
    (out / CERTSTREAM).write_bytes(b"\n".join(lines) + b"\n")

    attacks: list[PlantedAttack] = []
    groups = {
        "outlet-lookalike": (
            "domains.outlet_lookalikes",
            s.INFLUENCE_ACTOR,
            "Lookalike registrations of the protected outlet springfieldherald.com",
            ["T1583.001", "T0099.002"],
        ),
        "campaign-lookalike": (
            "domains.campaign_lookalikes",
            s.CYBER_ACTOR,
            "Lookalikes of the campaign domain harperforamerica.org (incl. a homoglyph)",
            ["T1583.001"],
        ),
        "county-lookalike": (
            "domains.county_lookalike",
            s.INFLUENCE_ACTOR,
            "A lookalike of the county election office's domain",
            ["T1583.001", "T0099.002"],
        ),
        "phishing": (
            "domains.phishing_infrastructure",
            s.CYBER_ACTOR,
            "New domains later used in the phishing messages",
            ["T1583.001"],
        ),
        "fake-news": (
            "domains.fake_news_sites",
            s.INFLUENCE_ACTOR,
            "The four fake local news sites, registered in two pairs a day apart",
            ["T1583.001", "T0098.001"],
        ),
    }
    files = [CSV_PATH, CERTSTREAM]
    for group, (gid, actor, title, techniques) in groups.items():
        members = [(d, t) for d, t, _, g in PLANTED if g == group]
        a = PlantedAttack(
            id=gid,
            kind=group if group.endswith("lookalike") else f"{group}-registration",
            actor=actor,
            title=title,
            files=files,
            start=iso(min(t for _, t in members)),
            end=iso(max(t for _, t in members)),
            records=[d for d, _ in members],
            techniques=techniques,
        )
        a.add("domain-name", *[d for d, _ in members])
        if group == "campaign-lookalike":
            a.targets = [s.CAMPAIGN_DOMAIN]
            a.signals = [
                f"{s.HOMOGLYPH_DOMAIN} is {s.HOMOGLYPH_DOMAIN_U} (Cyrillic i)",
                "hyphen and suffix variants",
            ]
        elif group == "outlet-lookalike":
            a.targets = [s.OUTLET_DOMAIN]
            a.signals = ["TLD swap .co", "1 for l", "hyphenation and .news"]
        elif group == "county-lookalike":
            a.targets = [s.COUNTY_DOMAIN]
        attacks.append(a)
    neg = PlantedAttack(
        id="neg.domains.brand_words",
        kind="benign-registration",
        negative=True,
        actor="",
        title="Ordinary new domains that share a word with a protected name",
        files=[CSV_PATH],
        start=iso(FEED_START),
        end=iso(FEED_START + timedelta(days=FEED_DAYS)),
        records=list(BENIGN_LOOKING),
        signals=["contains 'springfield', 'harper', 'herald' or 'calder'"],
    )
    neg.add("domain-name", *BENIGN_LOOKING)
    return [(CSV_PATH, "nrd-csv", len(rows)), (CERTSTREAM, "certstream", len(lines))], attacks, [neg]
