"""STIX 2.1 bundles into ``indicators``: pattern comparisons, observables, actors, feeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import stix2

from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace

T0 = "2024-05-01T00:00:00Z"


def _bundle() -> stix2.Bundle:
    author = stix2.Identity(name="Springfield CERT", identity_class="organization")
    actor = stix2.IntrusionSet(name="Storm-1516", created_by_ref=author)
    campaign = stix2.Campaign(name="Doppelganger", created_by_ref=author)
    or_pattern = stix2.Indicator(
        name="Cloned outlet",
        description="Lookalike of the Springfield Herald",
        pattern="[domain-name:value = 'springfieldherald-news.com' OR url:value = 'https://springfield-herald.info/a']"
        " OR [ipv4-addr:value = '185.220.101.4']",
        pattern_type="stix",
        valid_from=T0,
        created_by_ref=author,
    )
    hashes = stix2.Indicator(
        pattern="[file:hashes.'SHA-256' = 'AEB0C38219E714AB881D0065B9FC1915BA84AD5B86916A82814D056F1DFAF66D'"
        " AND file:name = 'ballot.pdf.exe']",
        pattern_type="stix",
        valid_from=T0,
    )
    in_set = stix2.Indicator(
        pattern="[email-addr:value IN ('press@springfield-vote.org', 'Help@Springfield-Vote.org')]",
        pattern_type="stix",
        valid_from=T0,
    )
    unusable = stix2.Indicator(pattern="[process:name = 'evil.exe']", pattern_type="stix", valid_from=T0)
    revoked = stix2.Indicator(
        pattern="[domain-name:value = 'old.example.com']", pattern_type="stix", valid_from=T0, revoked=True
    )
    profile = stix2.Indicator(
        pattern="[url:value = 'https://x.com/SpringfieldLeaks']", pattern_type="stix", valid_from=T0
    )
    sco = stix2.DomainName(value="Springfield-Herald.live")
    return stix2.Bundle(
        author,
        actor,
        campaign,
        or_pattern,
        hashes,
        in_set,
        unusable,
        revoked,
        profile,
        sco,
        stix2.Relationship(or_pattern, "indicates", campaign),
        stix2.Relationship(campaign, "attributed-to", actor),
        stix2.Relationship(hashes, "indicates", actor),
        stix2.Relationship(actor, "uses", sco),  # not valid STIX semantics, but a relationship all the same
        allow_custom=True,
    )


def _rows(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        sql = "SELECT * FROM indicators ORDER BY source_offset, kind, value"
        return con.sql(sql).to_arrow_table().to_pylist()


def test_bundle(workspace: Workspace, tmp_path: Path) -> None:
    bundle = _bundle()
    path = tmp_path / "springfield.json"
    path.write_text(bundle.serialize(pretty=True))
    assert (found := sniff(path)) is not None and found.name == "stix"
    summary = ingest(workspace, [path])
    rows = _rows(workspace)
    got = [(r["kind"], r["value"], r["actor"], r["feed"]) for r in rows]
    assert got == [
        ("domain-name", "springfieldherald-news.com", "Doppelganger, Storm-1516", "Springfield CERT"),
        ("ipv4-addr", "185.220.101.4", "Doppelganger, Storm-1516", "Springfield CERT"),
        ("url", "https://springfield-herald.info/a", "Doppelganger, Storm-1516", "Springfield CERT"),
        (
            "file",
            "aeb0c38219e714ab881d0065b9fc1915ba84ad5b86916a82814d056f1dfaf66d",
            "Storm-1516",
            "springfield.json",
        ),
        ("email-addr", "help@springfield-vote.org", None, "springfield.json"),
        ("email-addr", "press@springfield-vote.org", None, "springfield.json"),
        ("social-account", "x:springfieldleaks", None, "springfield.json"),
        ("domain-name", "springfield-herald.live", "Storm-1516", "springfield.json"),
    ]
    first = rows[0]
    assert first["description"] == "Cloned outlet — Lookalike of the Springfield Herald"
    assert first["first_seen"] == datetime(2024, 5, 1, tzinfo=UTC)
    assert str(first["stix_id"]).startswith("indicator--")
    assert rows[3]["description"] == "SHA-256"
    assert str(rows[-1]["stix_id"]).startswith("domain-name--") and rows[-1]["first_seen"] is None
    assert summary.quarantined == 1
    assert next(iter(summary.reasons)) == (
        "indicator pattern has no comparison on a domain, IP, URL, e-mail or file hash"
    )
    again = ingest(workspace, [path])
    assert again.tables["indicators"] == 0 and again.skipped_duplicates == len(rows)


def test_bad_patterns_and_objects_are_quarantined(workspace: Workspace, tmp_path: Path) -> None:
    doc = {
        "type": "bundle",
        "id": "bundle--6d5bb2c5-0b1b-4bc4-9f1a-0d1bdb3c6a11",
        "objects": [
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--1",
                "pattern": "[domain-name:value = ",
                "pattern_type": "stix",
                "valid_from": T0,
            },
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--2",
                "pattern": "alert tcp any any",
                "pattern_type": "snort",
                "valid_from": T0,
            },
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--3",
                "pattern": "[domain-name:value = 'not a domain']",
                "pattern_type": "stix",
                "valid_from": T0,
            },
            {"no": "type"},
            {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--1", "value": "10.0.0.1"},
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    summary = ingest(workspace, [path])
    assert [(r["kind"], r["value"]) for r in _rows(workspace)] == [("ipv4-addr", "10.0.0.1")]
    with workspace.connect(read_only=True) as con:
        found = con.execute("SELECT reason FROM quarantine ORDER BY source_offset").fetchall()
    reasons = [r for (r,) in found]
    assert [r.split(":")[0] for r in reasons] == [
        "invalid STIX pattern",
        "indicator pattern type 'snort' is not stix",
        "invalid value in STIX pattern",
        "STIX object without a type",
    ]
    assert summary.quarantined == 4
