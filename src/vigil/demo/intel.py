"""Threat intelligence about the demo's actors: a STIX 2.1 bundle and a Meta-style defanged CSV.

The bundle is written as plain JSON (STIX stays at the edge of vigil; the tests parse it with ``stix2``).
It names some of the actors' infrastructure, not all: the rest is for the detectors to find.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

from vigil.demo import story as s
from vigil.demo.common import det_hex
from vigil.demo.manifest import PlantedAttack

STIX = "intel/indicators.json"
META_CSV = "intel/meta_style_indicators.csv"
CREATED = "2024-10-22T00:00:00.000Z"
NOT_IN_DATA = "harper-campaign-docs.com"


def stix_id(kind: str, *parts: object) -> str:
    """A deterministic, version-4-shaped UUID for an SDO/SRO (the form STIX 2.1 recommends)."""
    raw = bytes.fromhex(det_hex("stix", kind, *parts, n=32))
    return f"{kind}--{uuid.UUID(bytes=raw, version=4)}"


def defang(value: str) -> str:
    return value.replace(".", "[.]").replace("https://", "hxxps://").replace("http://", "hxxp://")


def bundle(fake_news_domain: str) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The bundle, and (kind, value, actor) of every indicator in it."""
    ident = stix_id("identity", "publisher")
    cyber = stix_id("intrusion-set", s.CYBER_ACTOR)
    influence = stix_id("intrusion-set", s.INFLUENCE_ACTOR)
    common = {"spec_version": "2.1", "created": CREATED, "modified": CREATED, "created_by_ref": ident}
    objects: list[dict[str, Any]] = [
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": ident,
            "created": CREATED,
            "modified": CREATED,
            "name": "vigil demo threat intelligence (synthetic)",
            "identity_class": "organization",
            "description": "Publisher of the synthetic intelligence that ships with vigil's demo data set.",
        },
        {
            "type": "intrusion-set",
            "id": cyber,
            **common,
            "name": s.CYBER_ACTOR,
            "description": "Fictional state-backed actor of the vigil demo, modelled on public reporting of "
            "2024 "
            "election-related phishing: hijacked personal accounts of campaign associates, "
            "spear-phishing of senior campaign staff, password sprays against local government.",
            "aliases": [f"{s.CYBER_ACTOR} (demo)"],
            "goals": ["Access campaign and election-office accounts"],
            "resource_level": "government",
            "primary_motivation": "organizational-gain",
        },
        {
            "type": "intrusion-set",
            "id": influence,
            **common,
            "name": s.INFLUENCE_ACTOR,
            "description": "Fictional state-backed influence operation of the vigil demo, modelled on public "
            "reporting of fake local news sites, outlet clones on lookalike domains and coordinated "
            "inauthentic accounts during the 2024 US election.",
            "aliases": [f"{s.INFLUENCE_ACTOR} (demo)"],
            "goals": ["Undermine trust in the election"],
            "resource_level": "government",
            "primary_motivation": "ideology",
        },
    ]
    indicators = [
        (
            "domain-name",
            s.PHISH_A_DOMAIN,
            cyber,
            s.CYBER_ACTOR,
            "Redirect domain used in spear-phishing of campaign staff",
        ),
        ("url", s.PHISH_A_URL, cyber, s.CYBER_ACTOR, "Spear-phishing link"),
        (
            "ipv4-addr",
            s.SPRAY_IP,
            cyber,
            s.CYBER_ACTOR,
            "Source of password-spray activity against local government",
        ),
        ("domain-name", fake_news_domain, influence, s.INFLUENCE_ACTOR, "Inauthentic local news site"),
        ("domain-name", NOT_IN_DATA, cyber, s.CYBER_ACTOR, "Phishing domain (not observed in this data set)"),
    ]
    listed: list[tuple[str, str, str]] = []
    for kind, value, actor_ref, actor, desc in indicators:
        ind = stix_id("indicator", kind, value)
        objects.append(
            {
                "type": "indicator",
                "id": ind,
                **common,
                "name": f"{actor}: {value}",
                "description": desc,
                "indicator_types": ["malicious-activity"],
                "pattern": f"[{kind}:value = '{value}']",
                "pattern_type": "stix",
                "pattern_version": "2.1",
                "valid_from": "2024-09-01T00:00:00Z",
                "labels": ["synthetic-demo-data"],
            }
        )
        objects.append(
            {
                "type": "relationship",
                "id": stix_id("relationship", ind, actor_ref),
                **common,
                "relationship_type": "indicates",
                "source_ref": ind,
                "target_ref": actor_ref,
            }
        )
        listed.append((kind, value, actor))
    return {"type": "bundle", "id": stix_id("bundle", "demo"), "objects": objects}, listed


def meta_rows(
    fake_domains: list[str], clones: list[str], network: list[str], impostors: list[str], fake_url: str
) -> list[list[str]]:
    rows = [
        [
            "0. Acquiring assets",
            "0.9 Acquiring social media accounts",
            "0.9.4 Acquiring X / Twitter accounts",
            f"{len(network)} Accounts",
        ],
    ]
    rows += [
        [
            "0. Acquiring assets",
            "0.6 Acquiring domains",
            "0.6.2 Acquiring domains to support influence operations",
            defang(d),
        ]
        for d in fake_domains
    ]
    rows += [
        [
            "1. Disguising assets",
            "1.5 Impersonating real institution",
            "1.5.1 Impersonating news website",
            defang(d),
        ]
        for d in clones
    ]
    rows += [
        [
            "1. Disguising assets",
            "1.5 Impersonating real institution",
            "1.5.5 Impersonating existing group or collective",
            defang(f"x.com/{h}"),
        ]
        for h in impostors
    ]
    rows += [
        [
            "0. Acquiring assets",
            "0.9 Acquiring social media accounts",
            "0.9.4 Acquiring X / Twitter accounts",
            defang(f"x.com/{h}"),
        ]
        for h in network[:8]
    ]
    rows.append(
        [
            "6. Indiscriminate engagement",
            "6.1 Posting on websites",
            "6.1.2 Posting copied content on websites",
            defang(fake_url),
        ]
    )
    rows.append(
        [
            "0. Acquiring assets",
            "0.6 Acquiring domains",
            "0.6.2 Acquiring domains to support influence operations",
            defang(s.COUNTY_LOOKALIKE),
        ]
    )
    return rows


def write_intel(
    out: Path, fake_domains: list[str], network: list[str], impostors: list[str], fake_url: str
) -> tuple[list[tuple[str, str, int]], list[PlantedAttack], list[PlantedAttack]]:
    (out / "intel").mkdir(parents=True, exist_ok=True)
    fake_news = s.FAKE_SITES_RIGHT[0]
    doc, listed = bundle(fake_news)
    (out / STIX).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    rows = meta_rows(fake_domains, list(s.CLONE_DOMAINS), network, impostors, fake_url)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Tactic", "Technique", "Procedure", "Indicator"])
    w.writerows(rows)
    (out / META_CSV).write_text(buf.getvalue(), encoding="utf-8")

    seen = [(k, v, a) for k, v, a in listed if v != NOT_IN_DATA]
    match = PlantedAttack(
        id="intel.known_indicators_in_data",
        kind="indicator-match",
        actor=s.CYBER_ACTOR,
        title="Indicators from the STIX feed that occur in the mail, sign-in, domain and web data",
        files=[STIX],
        start="2024-09-01T00:00:00Z",
        end="2024-10-31T23:59:00Z",
        records=[v for _, v, _ in seen],
        signals=["exact match of a feed indicator"],
        details={
            "actors": {v: a for _, v, a in seen},
            "seen_in": {
                s.PHISH_A_DOMAIN: [
                    "mail/maildir/chair",
                    "domains/newly_registered.csv",
                    "domains/certstream.jsonl",
                    "web/crawl.warc.gz",
                ],
                s.PHISH_A_URL: ["mail/maildir/chair", "web/crawl.warc.gz"],
                s.SPRAY_IP: ["signins/entra_signins.jsonl"],
                fake_news: [
                    "web/crawl.warc.gz",
                    "domains/newly_registered.csv",
                    "domains/certstream.jsonl",
                    "social/posts.csv",
                ],
            },
        },
    )
    for kind, value, _ in seen:
        match.add(kind, value)
    meta = PlantedAttack(
        id="intel.meta_style_indicators",
        kind="indicator-match",
        actor=s.INFLUENCE_ACTOR,
        title="Defanged influence-operation indicators (Meta threat-report style) that occur in the data",
        files=[META_CSV],
        start="2024-08-01T00:00:00Z",
        end="2024-10-31T23:59:00Z",
        records=[r[3] for r in rows if "[.]" in r[3]],
        signals=["refanged match of a feed indicator"],
    )
    meta.add("domain-name", *fake_domains, *s.CLONE_DOMAINS, s.COUNTY_LOOKALIKE)
    meta.add("social-account", *[f"x:{h}" for h in impostors], *[f"x:{h}" for h in network[:8]])
    meta.add("url", fake_url)
    neg = PlantedAttack(
        id="neg.intel.indicator_not_in_data",
        kind="indicator-without-match",
        negative=True,
        actor="",
        title="A feed indicator that occurs nowhere in the data (must produce no finding)",
        files=[STIX],
        start="",
        end="",
        records=[NOT_IN_DATA],
    )
    neg.add("domain-name", NOT_IN_DATA)
    return (
        [(STIX, "stix-bundle", len(doc["objects"])), (META_CSV, "meta-indicators-csv", len(rows))],
        [match, meta],
        [neg],
    )
