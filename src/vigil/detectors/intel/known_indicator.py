"""Known-indicator match: anything ingested that an imported threat indicator names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis

from vigil.detect.api import Case, detector


def explain(row: Mapping[str, Any]) -> str:
    where = ", ".join(sorted(set(row["seen_in"])))
    actor = f", attributed to {row['actor']}" if row.get("actor") else ""
    when = ""
    if row.get("first_seen"):
        when = f" between {row['first_seen']:%Y-%m-%d %H:%M} and {row['last_seen']:%Y-%m-%d %H:%M} UTC"
    return (
        f"The {row['indicator_kind']} {row['indicator']} is a known indicator from {row['feed']}{actor}. "
        f"It appears in {row['sightings']} record(s) of your {where}{when}."
    )


@detector(
    id="intel.known_indicator",
    title="Known threat indicator seen in your data",
    inputs=["observables", "indicators"],
    severity="high",
    techniques=[],
    entities={"indicator": "{indicator_kind}:actor-infrastructure"},
    explain=explain,
    confidence=0.9,
)
def known_indicator(t: Any) -> ibis.Table:
    """Any URL, domain, e-mail address or IP seen in e-mails, sign-ins, pages or posts that matches an
    imported indicator (STIX bundle, Meta threat report, ...). Names the indicator's source and actor."""
    o, i = t.observables, t.indicators
    hits = o.join(i, [o.kind == i.kind, o.value == i.value]).select(
        indicator_kind=i.kind,
        indicator=i.value,
        feed=i.feed,
        actor=i.actor,
        table_name=o.table_name,
        ref=o.table_name.concat(":", o.record_id),
        time=o.time,
    )
    found = hits.group_by(["indicator_kind", "indicator"]).aggregate(
        feed=hits.feed.min(),
        actor=hits.actor.min(),
        first_seen=hits.time.min(),
        last_seen=hits.time.max(),
        sightings=hits.ref.nunique(),
        seen_in=hits.table_name.collect(distinct=True),
        evidence=hits.ref.collect(distinct=True),
    )
    # One finding per indicator, however many times and whenever it is seen.
    return found.mutate(key=found.indicator_kind.concat(":", found.indicator))


_IND = {"kind": "domain-name", "value": "secure-docs-share.com", "feed": "Example report", "actor": "APT42"}
_IP_IND = {"kind": "ipv4-addr", "value": "185.220.101.4", "feed": "Example report", "actor": None}
_PHISH = {
    "record_id": "m1",
    "date": "2024-06-20T14:03:00Z",
    "from_addr": "adviser@gmail.com",
    "to_addrs": ["chair@harperforamerica.org"],
    "urls": [
        {
            "url": "https://login.secure-docs-share.com/x",
            "text": "doc",
            "host": "login.secure-docs-share.com",
            "registered_domain": "secure-docs-share.com",
        }
    ],
}

CASES = [
    Case(
        "a domain of the indicator feed in an e-mail link",
        rows={"indicators": [_IND], "emails": [_PHISH]},
        expect=1,
        contains={"secure-docs-share.com": "actor-infrastructure"},
    ),
    Case(
        "an indicator IP signing in, twice",
        rows={
            "indicators": [_IP_IND],
            "signins": [
                {
                    "record_id": "s1",
                    "time": "2024-09-12T02:10:00Z",
                    "user": "a@caldercounty.gov",
                    "src_ip": "185.220.101.4",
                    "result": "failure",
                },
                {
                    "record_id": "s2",
                    "time": "2024-09-12T02:11:00Z",
                    "user": "b@caldercounty.gov",
                    "src_ip": "185.220.101.4",
                    "result": "failure",
                },
            ],
        },
        expect=1,
        contains={"185.220.101.4": "actor-infrastructure"},
    ),
    Case(
        "nothing matches the feed",
        rows={
            "indicators": [_IND, _IP_IND],
            "signins": [
                {
                    "record_id": "s1",
                    "time": "2024-09-12T02:10:00Z",
                    "user": "a@caldercounty.gov",
                    "src_ip": "203.0.113.9",
                    "result": "success",
                }
            ],
            "emails": [{**_PHISH, "urls": []}],
        },
        expect=0,
    ),
]
