"""Findings as a STIX 2.1 bundle, for OpenCTI, MISP and the other tools a CERT or ISAC runs.

Mapping (one finding):

- a ``grouping`` (context ``suspicious-activity``: "a set of objects related to something
  suspicious") named after the finding, its summary as description, its confidence (0-100), its
  severity as a ``severity:<level>`` label and the finding id as an external reference
  (source ``vigil``); it refers to every object below, and to
- a ``note`` on the grouping with what STIX has no property for: the detector, severity, status, which
  entity plays which role (who is targeted, actor infrastructure, victims) and the evidence records;
- one SCO per entity: ``ipv4-addr``, ``ipv6-addr``, ``domain-name``, ``url``, ``email-addr``,
  ``user-account`` (a sign-in account: ``user_id``; a social media account ``x:handle``:
  ``user_id`` = that value, ``account_login`` = the handle), ``file`` (SHA-256); people and
  organizations become ``identity`` objects;
- one ``indicator`` (STIX pattern) per actor-infrastructure entity, ``indicates`` each technique;
- one ``attack-pattern`` per technique, with an external reference: ``mitre-attack`` for ATT&CK
  ids, ``DISARM`` for T0xxx ids;
- when the finding's details or an indicator row it cites name an actor: an ``intrusion-set`` of
  that name, which the indicators ``indicates``, which ``uses`` the techniques and ``targets`` the
  people and organizations targeted.

Values STIX would reject (a "domain" with a quote in it, an address outside the validator's
grammar) are left out of the observables and listed in the note; URLs are percent-encoded
(``stix_values``). Patterns escape quotes and backslashes, and ``stix2`` parses each one.
``include_targets=False`` drops targeted and compromised people and accounts, and masks their
names in titles and summaries, for sharing beyond those who already know who was targeted.

Objects shared by findings (the same domain, technique or actor) appear once. Everything is
deterministic: ids are UUIDv5 (SCOs use STIX's own derivation, done by ``stix2``), timestamps
come from the findings (``first_seen`` -> created, ``max(last_seen, updated_at)`` -> modified),
and objects are sorted, so exporting the same workspace twice gives identical bundles.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import stix2

from vigil.export import stix_values
from vigil.export.findings import Finding, details_of, headline_entity, load_findings
from vigil.export.stix_values import quote
from vigil.export.techniques import technique
from vigil.ids import VIGIL_NAMESPACE
from vigil.workspace import Workspace

#: Timestamp of vigil's own identity, and of any object whose finding has no time at all.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

IDENTITY_ID = f"identity--{uuid.uuid5(VIGIL_NAMESPACE, 'identity|vigil')}"
IDENTITY = stix2.Identity(
    id=IDENTITY_ID,
    name="vigil",
    identity_class="system",
    description="Finds state-backed cyber and influence operations aimed at elections.",
    created=EPOCH,
    modified=EPOCH,
)

# STIX account-type-ov values for vigil's social media platform names.
ACCOUNT_TYPES = {"x": "twitter", "twitter": "twitter", "facebook": "facebook"}

ROLE_LABELS = {
    "target": "Who is targeted",
    "actor-infrastructure": "Actor infrastructure",
    "victim": "Victims (possibly compromised)",
    "evidence": "Also involved",
}
TARGET_ROLES = {"target", "victim"}
MAX_NOTE_EVIDENCE = 50

# Where an actor's name may appear in a finding's details.
ACTOR_KEYS = ("actor", "actors", "intrusion_set", "intrusion_sets")

_TYPE_ORDER = [
    "identity",
    "grouping",
    "note",
    "intrusion-set",
    "attack-pattern",
    "indicator",
    "relationship",
]


def _sid(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(VIGIL_NAMESPACE, '|'.join((kind, *parts)))}"


def _confidence(value: float | None) -> int | None:
    if value is None:
        return None
    pct = value * 100 if value <= 1 else value
    return max(0, min(100, round(pct)))


def _span(finding: Finding) -> tuple[datetime, datetime]:
    times = [finding.get(k) for k in ("first_seen", "last_seen", "updated_at")]
    known = [t for t in times if t is not None]
    created = finding.get("first_seen") or min(known, default=EPOCH)
    return created, max([created, *known])


def _sco(kind: str, value: str) -> tuple[Any, str | None, str] | None:
    """The SCO for an entity and the STIX pattern that matches it; None for a kind STIX has no
    observable for, or a value STIX would reject (see ``stix_values``)."""
    if kind in _SIMPLE:
        cls, check = _SIMPLE[kind]
        valid = check(value)
        if valid is None:
            return None
        return cls(value=valid), f"[{kind}:value = {quote(valid)}]", valid
    if kind == "user-account":
        return stix2.UserAccount(user_id=value), f"[user-account:user_id = {quote(value)}]", value
    if kind == "social-account":
        platform, _, handle = value.rpartition(":") if ":" in value else ("", "", value)
        props: dict[str, str] = {"user_id": value, "account_login": handle}
        if platform.lower() in ACCOUNT_TYPES:
            props["account_type"] = ACCOUNT_TYPES[platform.lower()]
        return stix2.UserAccount(**props), f"[user-account:user_id = {quote(value)}]", value
    if kind == "file":
        digest = stix_values.sha256(value)
        if digest:
            return (
                stix2.File(hashes={"SHA-256": digest}),
                f"[file:hashes.'SHA-256' = {quote(digest)}]",
                digest,
            )
        return stix2.File(name=value), None, value
    return None


_SIMPLE: dict[str, tuple[type, Callable[[str], str | None]]] = {
    "ipv4-addr": (stix2.IPv4Address, stix_values.ipv4),
    "ipv6-addr": (stix2.IPv6Address, stix_values.ipv6),
    "domain-name": (stix2.DomainName, stix_values.domain),
    "url": (stix2.URL, stix_values.url),
    "email-addr": (stix2.EmailAddress, stix_values.email),
}


@dataclass
class _Sdo:
    cls: type
    props: dict[str, Any]
    titles: set[str] = field(default_factory=set)  # indicators: the findings they come from


class _Bundle:
    """Collects objects across findings, merging the ones findings share."""

    def __init__(self) -> None:
        self.sdos: dict[str, _Sdo] = {}
        self.scos: dict[str, Any] = {}

    def sdo(
        self,
        cls: type,
        sid: str,
        span: tuple[datetime, datetime],
        confidence: int | None = None,
        **props: Any,
    ) -> str:
        created, modified = span
        have = self.sdos.get(sid)
        if have is None:
            base: dict[str, Any] = {
                "id": sid,
                "created": created,
                "modified": modified,
                "created_by_ref": IDENTITY_ID,
            }
            if confidence is not None:
                base["confidence"] = confidence
            self.sdos[sid] = _Sdo(cls, {**base, **props})
        else:
            p = have.props
            p["created"], p["modified"] = min(p["created"], created), max(p["modified"], modified)
            if confidence is not None:
                p["confidence"] = max(p.get("confidence", 0), confidence)
        return sid

    def relationship(self, source: str, rel: str, target: str, span: tuple[datetime, datetime]) -> str:
        sid = _sid("relationship", source, rel, target)
        return self.sdo(
            stix2.Relationship, sid, span, relationship_type=rel, source_ref=source, target_ref=target
        )

    def objects(self) -> list[Any]:
        out: list[Any] = [IDENTITY, *self.scos.values()]
        for sdo in self.sdos.values():
            props = dict(sdo.props)
            if sdo.cls is stix2.Indicator:
                props["valid_from"] = props["created"]
                titles = sorted(sdo.titles)
                props["description"] = (
                    "Seen in: "
                    + "; ".join(titles[:10])
                    + (f"; and {len(titles) - 10} more findings" if len(titles) > 10 else "")
                )
            out.append(sdo.cls(**props))
        rank = {t: i for i, t in enumerate(_TYPE_ORDER)}
        return sorted(out, key=lambda o: (rank.get(o["type"], len(rank)), o["type"], o["id"]))


def _actors(finding: Finding, indicator_actors: dict[str, str]) -> list[str]:
    names: list[str] = []
    details = details_of(finding)
    for key in ACTOR_KEYS:
        value = details.get(key)
        for name in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
            if isinstance(name, str) and name.strip():
                names.append(name.strip())
    for ref in finding["evidence"]:
        if ref and ref.get("table_name") == "indicators" and ref.get("record_id") in indicator_actors:
            names.append(indicator_actors[ref["record_id"]])
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.casefold(), name)
    return [by_key[k] for k in sorted(by_key)]


def _private_values(finding: Finding) -> list[str]:
    """Names and values of who was targeted: entity values and the runner's protected targets."""
    values = [
        str(e["value"]) for e in finding["entities"] if e and e.get("role") in TARGET_ROLES and e.get("value")
    ]
    for name in details_of(finding).get("protected_targets") or []:
        if isinstance(name, str):
            values += [name, name.split(" (")[0]]  # "Jane Doe (candidate)" and "Jane Doe"
    return sorted({v for v in values if v.strip()}, key=len, reverse=True)


def _redact(text: str, private: list[str]) -> str:
    for value in private:
        text = text.replace(value, "[target withheld]")
    return text


def _iso(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else "unknown"


def _note_content(finding: Finding, roles: dict[str, list[str]], skipped: list[str]) -> str:
    lines = [
        f"vigil finding {finding['finding_id']}",
        f"Detector: {finding.get('detector')}; severity: {finding.get('severity')}; "
        f"status: {finding.get('status') or 'new'}; confidence: {finding.get('confidence')}",
        f"Activity: {_iso(finding.get('first_seen'))} to {_iso(finding.get('last_seen'))}",
    ]
    if finding.get("summary"):
        lines += ["", str(finding["summary"])]
    for role, label in ROLE_LABELS.items():
        if roles.get(role):
            lines += ["", f"{label}:", *(f"- {v}" for v in roles[role])]
    if skipped:
        lines += ["", "Not exported as STIX observables (no such observable in STIX, or not a valid value):"]
        lines += [f"- {v}" for v in skipped]
    refs = [r for r in finding["evidence"] if r]
    if refs:
        lines += ["", f"Evidence ({len(refs)} records in the vigil workspace):"]
        lines += [f"- {r.get('table_name')}/{r.get('record_id')}" for r in refs[:MAX_NOTE_EVIDENCE]]
        if len(refs) > MAX_NOTE_EVIDENCE:
            lines.append(f"- and {len(refs) - MAX_NOTE_EVIDENCE} more")
    return "\n".join(lines)


def _add_finding(
    b: _Bundle, finding: Finding, indicator_actors: dict[str, str], include_targets: bool
) -> None:
    fid = finding["finding_id"]
    span = _span(finding)
    confidence = _confidence(finding.get("confidence"))
    title = finding.get("title") or fid
    key = headline_entity(finding)
    if key is not None and (key.get("role") != "target" or include_targets):
        title = f"{title}: {key['value']}"
    if not include_targets:  # summaries name targets in free text ("Target: Jane Doe (candidate). ...")
        private = _private_values(finding)
        title = _redact(title, private)
        finding = {**finding, "summary": _redact(finding.get("summary") or "", private)}
    refs: set[str] = set()

    patterns: dict[str, str] = {}  # pattern -> indicator name
    targets: list[str] = []  # identity ids of targeted people and organizations
    roles: dict[str, list[str]] = {}
    skipped: list[str] = []  # values that are no valid STIX observable
    for entity in finding["entities"]:
        if not entity or not entity.get("value"):
            continue
        kind, value, role = entity.get("kind") or "", str(entity["value"]), entity.get("role") or "evidence"
        if role in TARGET_ROLES and not include_targets:
            continue
        roles.setdefault(role, []).append(f"{value} ({kind})")
        if kind in ("person", "organization"):
            identity_class = "individual" if kind == "person" else "organization"
            sid = b.sdo(
                stix2.Identity,
                _sid("identity", identity_class, value),
                span,
                name=value,
                identity_class=identity_class,
            )
            refs.add(sid)
            if role in TARGET_ROLES:
                targets.append(sid)
            continue
        made = _sco(kind, value)
        if made is None:
            skipped.append(f"{value} ({kind})")
            continue
        sco, pattern, valid = made
        b.scos.setdefault(sco.id, sco)
        refs.add(sco.id)
        if role == "actor-infrastructure" and pattern:
            patterns.setdefault(pattern, valid)

    techniques = []
    for tid in dict.fromkeys(t for t in finding["techniques"] if t):
        tech = technique(tid)
        ext = {"source_name": tech.framework or "vigil", "external_id": tech.id}
        if tech.url:
            ext["url"] = tech.url
        techniques.append(
            b.sdo(
                stix2.AttackPattern,
                _sid("attack-pattern", tech.id),
                span,
                name=tech.stix_name,
                external_references=[ext],
            )
        )

    actors = [
        b.sdo(stix2.IntrusionSet, _sid("intrusion-set", name.casefold()), span, confidence, name=name)
        for name in _actors(finding, indicator_actors)
    ]

    indicators = []
    for pattern, name in patterns.items():
        sid = _sid("indicator", pattern)
        b.sdo(
            stix2.Indicator,
            sid,
            span,
            confidence,
            name=name,
            pattern=pattern,
            pattern_type="stix",
            indicator_types=["malicious-activity"],
        )
        b.sdos[sid].titles.add(title)
        indicators.append(sid)

    rels = [b.relationship(i, "indicates", t, span) for i in indicators for t in [*techniques, *actors]]
    rels += [b.relationship(a, "uses", t, span) for a in actors for t in techniques]
    rels += [b.relationship(a, "targets", t, span) for a in actors for t in targets]
    refs.update(techniques, actors, indicators, rels)

    grouping_id = _sid("grouping", fid)
    note_id = b.sdo(
        stix2.Note,
        _sid("note", fid),
        span,
        abstract=f"vigil: {title}"[:250],
        content=_note_content(finding, roles, skipped),
        authors=["vigil"],
        object_refs=[grouping_id],
    )
    external = {
        "source_name": "vigil",
        "external_id": fid,
        "description": f"detector {finding.get('detector')}",
    }
    grouping: dict[str, Any] = {
        "name": title,
        "context": "suspicious-activity",
        "object_refs": sorted(refs | {note_id}),
        "external_references": [external],
    }
    if finding.get("summary"):
        grouping["description"] = finding["summary"]
    if finding.get("severity"):
        grouping["labels"] = [f"severity:{finding['severity']}"]
    b.sdo(stix2.Grouping, grouping_id, span, confidence, **grouping)


def _indicator_actors(workspace: Workspace) -> dict[str, str]:
    with workspace.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT record_id, actor FROM indicators WHERE actor IS NOT NULL AND trim(actor) <> ''"
        )
        return {rid: actor.strip() for rid, actor in rows.fetchall()}


def build_bundle(workspace: Workspace, *, include_targets: bool = True) -> dict[str, Any]:
    """The workspace's findings (all statuses but false-positive) as a STIX 2.1 bundle (a JSON dict).

    ``include_targets=False`` leaves out targeted and compromised people, accounts and addresses,
    for sharing beyond the people who already know who was targeted.
    """
    with workspace.connect(read_only=True) as con:
        findings = [f for f in load_findings(con) if f.get("status") != "false-positive"]
    actors = _indicator_actors(workspace)
    b = _Bundle()
    for finding in sorted(findings, key=lambda f: f["finding_id"]):
        _add_finding(b, finding, actors, include_targets)
    objects = b.objects() if findings else []
    return _bundle_dict(objects)


def _bundle_dict(objects: Iterable[Any]) -> dict[str, Any]:
    items = [json.loads(o.serialize(sort_keys=True)) for o in objects]
    digest = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid5(VIGIL_NAMESPACE, 'bundle|' + digest)}",
        "objects": items,
    }


def dumps(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_bundle(workspace: Workspace, path: str | Path, *, include_targets: bool = True) -> int:
    """Write the bundle as UTF-8 JSON; returns the number of objects."""
    bundle = build_bundle(workspace, include_targets=include_targets)
    Path(path).write_text(dumps(bundle), encoding="utf-8")
    return len(bundle["objects"])
