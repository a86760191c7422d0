from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import idna
import pytest
from stix2.pattern_visitor import create_pattern_object
from stix2validator import ValidationOptions, validate_string

from vigil.export.stix import build_bundle, dumps, quote, write_bundle
from vigil.workspace import Workspace

HOSTILE = [
    "evil'.example",
    "back\\slash.example",
    "'] OR [ipv4-addr:value = '1.2.3.4",
    "\\'] OR [x",
    "bücher-wählen.example",
    "a\nb.example",
    '"quoted".example',
    "trailing\\",
    "<script>alert(1)</script>.example",
]


def validate(bundle: dict[str, Any], *, strict: bool = False) -> None:
    # strict mode turns the spec's SHOULDs into errors; two are deliberate here: deterministic (UUIDv5)
    # ids for SDOs, which re-exports need, and ATT&CK reference URLs without a hash of the page.
    options = ValidationOptions(
        version="2.1", strict=strict, disabled=["uuid-check", "extref-hashes"] if strict else []
    )
    result = validate_string(json.dumps(bundle), options)
    if not result.is_valid:
        result.log()  # pytest shows the validator's messages with the failure
    assert result.is_valid


def unescape(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal, flags=re.DOTALL)


def objects(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def by_id(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in bundle["objects"]}


def realistic(ws: Workspace, rows: Any) -> None:
    t, record, ent, finding, insert = rows.t, rows.record, rows.ent, rows.finding, rows.insert
    phish = record("emails", subject="Debate prep", date=t("2024-10-02T14:03:11"), to_addrs=["chair@doe.org"])
    ioc = record("indicators", kind="domain-name", value="doe-secure.com", feed="Advisory", actor="APT42")
    signins = [record("signins", user=f"u{i}@county.gov", src_ip="185.220.101.47") for i in range(3)]
    insert(ws, "emails", [phish])
    insert(ws, "indicators", [ioc])
    insert(ws, "signins", signins)
    insert(
        ws,
        "findings",
        [
            finding(
                "email.actor_domain_link",
                "Phishing link to an actor domain",
                first="2024-10-02T14:03:11",
                confidence=0.85,
                techniques=["T1566.002", "T1586.002"],
                entities=[
                    ent("email-addr", "chair@doe.org", "target"),
                    ent("person", "Jane Doe", "target"),
                    ent("email-addr", "adviser@gmail.com", "actor-infrastructure"),
                    ent("domain-name", "doe-secure.com", "actor-infrastructure"),
                    ent("url", "https://login.doe-secure.com/x?y=1", "actor-infrastructure"),
                ],
                evidence=[("emails", phish), ("indicators", ioc)],
            ),
            finding(
                "signin.password_spray",
                "Password spray",
                severity="critical",
                first="2024-10-05T03:00:00",
                last="2024-10-05T03:41:00",
                techniques=["T1110.003"],
                entities=[
                    *(ent("user-account", s["user"], "target") for s in signins),
                    ent("ipv4-addr", "185.220.101.47", "actor-infrastructure"),
                    ent("ipv6-addr", "2001:db8::1", "actor-infrastructure"),
                    ent("user-account", "u0@county.gov", "victim"),
                ],
                evidence=[("signins", s) for s in signins],
                details=json.dumps({"actor": "Storm-0000"}),
            ),
            finding(
                "social.coordinated_links",
                "Lockstep posting",
                severity="medium",
                first="2024-10-07T10:00:00",
                techniques=["T0049", "T0013.001", "not-a-technique"],
                entities=[
                    ent("organization", "Springfield Herald", "target"),
                    ent("domain-name", "doe-secure.com", "actor-infrastructure"),
                    ent("social-account", "x:patriot_mom", "actor-infrastructure"),
                    ent("social-account", "telegram:channel_1", "actor-infrastructure"),
                    ent("file", "a" * 64, "evidence"),
                    ent("autonomous-system", "AS1", "evidence"),
                ],
            ),
            finding(
                "web.x",
                "Dismissed",
                severity="low",
                status="false-positive",
                entities=[ent("domain-name", "dismissed.example", "actor-infrastructure")],
            ),
        ],
    )


def test_realistic_bundle_validates_and_maps(workspace: Workspace, rows: Any) -> None:
    realistic(workspace, rows)
    bundle = build_bundle(workspace)
    validate(bundle)
    validate(bundle, strict=True)
    index = by_id(bundle)

    # every reference points at an object of the bundle
    for obj in bundle["objects"]:
        for key, value in obj.items():
            refs = value if key.endswith("_refs") else [value] if key.endswith("_ref") else []
            for ref in refs:
                assert ref in index, (obj["id"], key, ref)

    groupings = {g["external_references"][0]["external_id"]: g for g in objects(bundle, "grouping")}
    assert len(groupings) == 3  # the false positive is not exported
    assert all(g["context"] == "suspicious-activity" for g in groupings.values())
    assert "dismissed.example" not in json.dumps(bundle)
    spray = next(g for g in groupings.values() if g["name"].startswith("Password spray"))
    assert spray["name"] == "Password spray: 185.220.101.47"
    assert spray["labels"] == ["severity:critical"] and spray["confidence"] == 80
    assert spray["description"] == "Summary of Password spray."
    kinds = {index[r]["type"] for r in spray["object_refs"]}
    assert {
        "user-account",
        "ipv4-addr",
        "ipv6-addr",
        "indicator",
        "attack-pattern",
        "intrusion-set",
        "note",
        "relationship",
    } <= kinds

    # one indicator per actor-infrastructure value, shared across findings, created at the earliest sighting
    patterns = {i["pattern"]: i for i in objects(bundle, "indicator")}
    domain = patterns["[domain-name:value = 'doe-secure.com']"]
    assert domain["created"].startswith("2024-10-02T14:03:11") and domain["valid_from"].startswith(
        "2024-10-02"
    )
    assert "Phishing link" in domain["description"] and "Lockstep posting" in domain["description"]
    assert "[user-account:user_id = 'x:patriot_mom']" in patterns
    assert "[file:hashes.'SHA-256' = '" + "a" * 64 + "']" not in patterns  # evidence role: no indicator
    assert not any("chair@doe.org" in p for p in patterns)  # targets are never indicators

    accounts = {a.get("user_id"): a for a in objects(bundle, "user-account")}
    assert accounts["x:patriot_mom"]["account_type"] == "twitter"
    assert accounts["x:patriot_mom"]["account_login"] == "patriot_mom"
    assert "account_type" not in accounts["telegram:channel_1"]
    assert objects(bundle, "file")[0]["hashes"] == {"SHA-256": "a" * 64}

    techniques = {a["external_references"][0]["external_id"]: a for a in objects(bundle, "attack-pattern")}
    assert techniques["T1566.002"]["external_references"][0]["source_name"] == "mitre-attack"
    assert techniques["T1566.002"]["name"] == "Spearphishing Link"
    assert techniques["T0049"]["external_references"][0]["source_name"] == "DISARM"
    assert techniques["T0013.001"]["external_references"][0]["source_name"] == "DISARM"

    actors = {s["name"]: s for s in objects(bundle, "intrusion-set")}
    assert set(actors) == {"APT42", "Storm-0000"}  # from an indicator row, from the details
    rels = {
        (index[r["source_ref"]]["type"], r["relationship_type"], r["target_ref"])
        for r in objects(bundle, "relationship")
    }
    assert ("indicator", "indicates", actors["APT42"]["id"]) in rels
    assert ("intrusion-set", "uses", techniques["T1566.002"]["id"]) in rels
    people = {i["name"]: i for i in objects(bundle, "identity")}
    assert people["Jane Doe"]["identity_class"] == "individual"
    assert ("intrusion-set", "targets", people["Jane Doe"]["id"]) in rels

    for obj in bundle["objects"]:
        if "confidence" in obj:
            assert isinstance(obj["confidence"], int) and 0 <= obj["confidence"] <= 100
        if obj["type"] not in ("identity",) and "created_by_ref" not in obj:
            assert obj["type"] in (
                "user-account",
                "email-addr",
                "domain-name",
                "url",
                "ipv4-addr",
                "ipv6-addr",
                "file",
            )

    note = next(n for n in objects(bundle, "note") if spray["id"] in n["object_refs"])
    assert note["id"] in spray["object_refs"]
    assert "Who is targeted:" in note["content"] and "u1@county.gov" in note["content"]
    assert "Victims (possibly compromised):" in note["content"]
    assert "signins/" in note["content"]


HOSTILE_URLS = [
    "https://evil.example/?q='\\\"&x=é",
    "https://evil.example/'] OR [url:value = 'x",
    "http://bücher-wählen.example/ä ö",
    "https://evil.example/a\\'b\\",
    "javascript:alert('x')",
]
HOSTILE_EMAILS = ["o'brien\\\"x@evil.example", "x@'] OR [y", "ünïcode@bücher.example", "a@bücher.example"]


def test_hostile_values_make_valid_patterns(workspace: Workspace, rows: Any) -> None:
    kinds = ("domain-name", "email-addr", "ipv4-addr", "ipv6-addr", "user-account", "social-account")
    entities = [rows.ent(kind, value, "actor-infrastructure") for value in HOSTILE for kind in kinds]
    entities += [rows.ent("url", value, "actor-infrastructure") for value in HOSTILE_URLS]
    entities += [rows.ent("email-addr", value, "actor-infrastructure") for value in HOSTILE_EMAILS]
    hostile = rows.finding(
        "web.x",
        "Hostile \"'\\ values </script>",
        entities=entities,
        techniques=["T1583.001"],
        details=json.dumps({"actor": "Actor 'with' \\quotes\\"}),
    )
    rows.insert(workspace, "findings", [hostile])
    bundle = build_bundle(workspace)
    validate(bundle)
    validate(bundle, strict=True)

    indicators = objects(bundle, "indicator")
    for indicator in indicators:
        expression = create_pattern_object(indicator["pattern"], version="2.1").operand
        # one comparison per pattern, whose literal is exactly the (valid) value
        assert unescape(expression.rhs.value) == indicator["name"], indicator["pattern"]
    names = {i["name"] for i in indicators}
    # accounts take any string: every hostile value survives, quotes and all
    assert {f"[user-account:user_id = {quote(v)}]" for v in HOSTILE} <= {i["pattern"] for i in indicators}
    assert "bücher-wählen.example" in names and "trailing\\" in names
    assert "a@xn--bcher-kva.example" in names  # IDNA domain
    # URLs are percent-encoded as a browser would send them, never dropped
    assert {
        "https://evil.example/?q='%5C%22&x=%C3%A9",
        "https://evil.example/'%5D%20OR%20%5Burl:value%20=%20'x",
        "http://" + idna.encode("bücher-wählen.example").decode() + "/%C3%A4%20%C3%B6",
        "javascript:alert('x')",
    } <= names
    # values STIX would reject are left out of the observables and listed in the note
    note = objects(bundle, "note")[0]["content"]
    assert "evil'.example (domain-name)" in note and "'] OR [ipv4-addr:value = '1.2.3.4 (ipv4-addr)" in note
    assert "o'brien\\\"x@evil.example (email-addr)" in note
    assert not any(o.get("value") == "evil'.example" for o in bundle["objects"])
    assert objects(bundle, "intrusion-set")[0]["name"] == "Actor 'with' \\quotes\\"


@pytest.mark.parametrize(
    ("value", "literal"),
    [("a'b", "'a\\'b'"), ("a\\b", "'a\\\\b'"), ("\\'", "'\\\\\\''"), ("é", "'é'")],
)
def test_quote(value: str, literal: str) -> None:
    assert quote(value) == literal


def test_two_exports_are_identical(workspace: Workspace, rows: Any, tmp_path: Path) -> None:
    realistic(workspace, rows)
    first = dumps(build_bundle(workspace))
    assert first == dumps(build_bundle(workspace))
    n = write_bundle(workspace, tmp_path / "a.json")
    write_bundle(workspace, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == first
    assert n == len(json.loads(first)["objects"])


def test_bundle_id_changes_with_content(workspace: Workspace, rows: Any) -> None:
    rows.insert(workspace, "findings", [rows.finding("web.x", "One")])
    before = build_bundle(workspace)["id"]
    rows.insert(workspace, "findings", [rows.finding("web.x", "Two")])
    assert build_bundle(workspace)["id"] != before


def test_empty_workspace_gives_a_valid_empty_bundle(workspace: Workspace) -> None:
    bundle = build_bundle(workspace)
    assert bundle["type"] == "bundle" and bundle["objects"] == []
    validate(bundle)
    validate(bundle, strict=True)


def test_finding_without_entities_still_validates(workspace: Workspace, rows: Any) -> None:
    rows.insert(
        workspace,
        "findings",
        [
            rows.finding(
                "web.x",
                "Bare",
                confidence=None,
                first_seen=None,
                last_seen=None,
                updated_at=None,
                severity=None,
            )
        ],
    )
    bundle = build_bundle(workspace)
    validate(bundle)
    grouping = objects(bundle, "grouping")[0]
    assert [by_id(bundle)[r]["type"] for r in grouping["object_refs"]] == ["note"]
    assert "confidence" not in grouping and "labels" not in grouping


def test_targets_can_be_left_out(workspace: Workspace, rows: Any) -> None:
    realistic(workspace, rows)
    rows.insert(
        workspace,
        "findings",
        [
            rows.finding(
                "email.x",
                "Mail to the chair",
                summary="Target: Jane Doe (candidate). A mail to chair@doe.org from x.",
                details=json.dumps({"protected_targets": ["Jane Doe (candidate)"]}),
                entities=[rows.ent("email-addr", "chair@doe.org", "target")],
            )
        ],
    )
    bundle = build_bundle(workspace, include_targets=False)
    validate(bundle)
    text = json.dumps(bundle)
    for private in ("chair@doe.org", "Jane Doe", "u1@county.gov", "Springfield Herald"):
        assert private not in text
    assert "doe-secure.com" in text
    assert "Target: [target withheld]. A mail to [target withheld] from x." in text


def test_stix2_stays_in_the_stix_exporter() -> None:
    src = Path(__file__).resolve().parents[2] / "src" / "vigil"
    for folder in ("export", "report"):
        for path in (src / folder).rglob("*.py"):
            uses = re.search(
                r"^\s*(import stix2\b|from stix2\b)", path.read_text(encoding="utf-8"), re.MULTILINE
            )
            assert not uses or path.name == "stix.py", path
