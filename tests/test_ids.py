from __future__ import annotations

import stix2

from vigil.ids import content_hash, entity_id, finding_id


def test_entity_ids_match_stix2() -> None:
    assert stix2.IPv4Address(value="185.220.101.4").id == entity_id("ipv4-addr", "185.220.101.4")
    assert stix2.DomainName(value="harperforamerica.org").id == entity_id(
        "domain-name", "harperforamerica.org"
    )
    assert stix2.URL(value="https://é.example/x").id == entity_id("url", "https://é.example/x")


def test_ids_are_stable_and_distinct() -> None:
    assert finding_id("a.b", ["x", 1]) == finding_id("a.b", ["x", 1]) != finding_id("a.b", ["x", 2])
    assert content_hash("a", None) != content_hash("a", "")
    assert entity_id("user-account", "x") != entity_id("social-account", "x")
