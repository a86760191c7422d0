"""A self-contained HTML report of a workspace: what was looked at, what was found, and the proof.

One file, inline CSS, no scripts, no fonts, no images, nothing fetched: it can be mailed to an
election office or opened offline. Its Content-Security-Policy forbids scripts and network loads, as
a second line behind Jinja's autoescape. Attacker-written text is never a link; URLs, domains, IPs
and sender addresses are shown defanged (``hxxps://evil[.]example``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from vigil.export.findings import SEVERITIES, Finding, details_of, headline_entity, load_findings
from vigil.export.techniques import Technique, technique
from vigil.report.evidence import Evidence, Records, build_evidence, fetch_records, shown_refs, ts
from vigil.report.text import clean, defang
from vigil.schema import RECORD_TABLES
from vigil.workspace import Workspace, count

# Roles in the order a reader needs them, with the heading shown for each.
ROLES: dict[str, str] = {
    "target": "Who is targeted",
    "actor-infrastructure": "Attacker infrastructure",
    "victim": "Affected (possibly compromised)",
    "evidence": "Also involved",
}

KIND_LABELS: dict[str, str] = {
    "email-addr": "email",
    "user-account": "account",
    "ipv4-addr": "IP address",
    "ipv6-addr": "IP address",
    "domain-name": "domain",
    "url": "link",
    "social-account": "social media account",
    "person": "person",
    "organization": "organization",
    "file": "file",
}

SEVERITY_HELP: dict[str, str] = {
    "critical": "Act now: an account may already be in an attacker's hands, or an attack is under way.",
    "high": "Act today: a targeted attack on your people, accounts or name.",
    "medium": "Look at this soon: suspicious, and aimed at you or people like you.",
    "low": "Worth knowing; act if it repeats or grows.",
    "info": "For the record; no action needed.",
}

# table -> (one, many)
TABLE_LABELS: dict[str, tuple[str, str]] = {
    "emails": ("email", "emails"),
    "signins": ("sign-in event", "sign-in events"),
    "pages": ("web page", "web pages"),
    "posts": ("social media post", "social media posts"),
    "accounts": ("social media account", "social media accounts"),
    "domains": ("domain", "domains"),
    "indicators": ("known indicator", "known indicators"),
}


def _records_label(table: str, n: int) -> str:
    one, many = TABLE_LABELS.get(table, (table, table))
    return one if n == 1 else many


# Observables defanged when an attacker may own them; links are defanged whoever they belong to.
_HOSTILE_ROLES = {"actor-infrastructure", "evidence"}
_DEFANG_KINDS = {"domain-name", "email-addr", "ipv4-addr", "ipv6-addr"}


@dataclass
class EntityView:
    kind: str
    value: str


@dataclass
class RoleGroup:
    role: str
    heading: str
    entities: list[EntityView]


@dataclass
class FindingView:
    id: str
    title: str
    detector: str
    severity: str
    status: str
    status_note: str
    confidence: str
    window: str
    summary: str
    roles: list[RoleGroup]
    techniques: list[Technique]
    evidence: Evidence
    details: list[tuple[str, str]] = field(default_factory=list)


def _confidence(value: float | None) -> str:
    if value is None:
        return "confidence not stated"
    pct = value * 100 if value <= 1 else value
    word = "high" if pct >= 80 else "medium" if pct >= 50 else "low"
    return f"{word} confidence ({pct:.0f}%)"


def _window(first: datetime | None, last: datetime | None) -> str:
    if first is None and last is None:
        return "time unknown"
    if first is None or last is None or first == last:
        return ts(first or last, seconds=False)
    if first.date() == last.date():
        return f"{ts(first, seconds=False)} – {last.strftime('%H:%M')} UTC"
    return f"{ts(first, seconds=False)} – {ts(last, seconds=False)}"


def _entity_value(entity: dict[str, Any]) -> str:
    kind, value, role = entity.get("kind") or "", entity.get("value"), entity.get("role") or ""
    if kind == "url" or (kind in _DEFANG_KINDS and role in _HOSTILE_ROLES):
        return defang(value, kind)
    return clean(value, 200)


def _roles(entities: list[dict[str, Any]], protected: list[str]) -> list[RoleGroup]:
    grouped: dict[str, dict[tuple[str, str], None]] = {}
    for name in protected:  # the runner names the protected people and organizations involved
        grouped.setdefault("target", {}).setdefault(("on your protected list", clean(name, 200)))
    for entity in entities:
        if not entity or not entity.get("value"):
            continue
        role = entity.get("role") or "evidence"
        kind = entity.get("kind") or ""
        view = (KIND_LABELS.get(kind, clean(kind, 40)), _entity_value(entity))
        grouped.setdefault(role if role in ROLES else "evidence", {}).setdefault(view)
    return [
        RoleGroup(role, heading, [EntityView(k, v) for k, v in grouped[role]])
        for role, heading in ROLES.items()
        if role in grouped
    ]


def _details(finding: Finding) -> list[tuple[str, str]]:
    out = []
    for key, value in sorted(details_of(finding).items()):
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        out.append((clean(key, 80), clean(text, 400)))
    return out


def _protected(finding: Finding) -> list[str]:
    names = details_of(finding).get("protected_targets")
    return [str(n) for n in names if n] if isinstance(names, list) else []


def _title(finding: Finding) -> str:
    title = clean(finding.get("title"), 300) or "(untitled finding)"
    entity = headline_entity(finding)
    return f"{title}: {_entity_value(entity)}" if entity else title


def _view(finding: Finding, records: Records) -> FindingView:
    severity = finding.get("severity") or ""
    return FindingView(
        id=finding["finding_id"],
        title=_title(finding),
        detector=clean(finding.get("detector")),
        severity=severity if severity in SEVERITIES else "info",
        status=clean(finding.get("status")) or "new",
        status_note=clean(finding.get("status_note"), 2000),
        confidence=_confidence(finding.get("confidence")),
        window=_window(finding.get("first_seen"), finding.get("last_seen")),
        summary=clean(finding.get("summary"), 2000),
        roles=_roles(finding["entities"], _protected(finding)),
        techniques=[technique(t) for t in dict.fromkeys(finding["techniques"]) if t],
        evidence=build_evidence(finding["evidence"], records),
        details=_details(finding),
    )


def _bars(counter: Counter[str], order: list[str]) -> list[tuple[str, int, int]]:
    top = max(counter.values(), default=0) or 1
    return [(key, counter[key], round(100 * counter[key] / top)) for key in order]


_env = Environment(
    loader=PackageLoader("vigil.report", "templates"),
    autoescape=True,  # everything is escaped unless marked safe; nothing in the templates is
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


#: How many findings are shown in full by default; the rest are listed in the summary table only.
DETAIL_LIMIT = 250


def render_report(
    workspace: Workspace,
    *,
    title: str = "vigil report",
    generated_at: datetime | None = None,
    detail_limit: int = DETAIL_LIMIT,
) -> str:
    """The report as one HTML document. Deterministic: the same workspace gives the same bytes,
    unless ``generated_at`` is passed (it is then printed in the header). The first
    ``detail_limit`` findings (most severe first) are shown in full, with their evidence."""
    with workspace.connect(read_only=True) as con:
        findings = load_findings(con)
        counts = {name: count(con, name) for name in RECORD_TABLES}
        records = [(_records_label(name, n), n) for name, n in counts.items()]
        quarantined = count(con, "quarantine")
        active = [f for f in findings if f.get("status") != "false-positive"]
        detailed = active[: max(detail_limit, 0)]
        evidence = fetch_records(con, (ref for f in detailed for ref in shown_refs(f["evidence"])))
    views = [_view(f, evidence) for f in active]
    dismissed = [_view(f, {}) for f in findings if f.get("status") == "false-positive"]
    by_severity = Counter(v.severity for v in views)
    by_detector = Counter(v.detector for v in views)
    template = _env.get_template("report.html")
    return template.render(
        title=clean(title, 200),
        generated_at=ts(generated_at) if generated_at else None,
        records=records,
        total_records=sum(n for _, n in records),
        quarantined=quarantined,
        findings=views,
        detailed=views[: len(detailed)],
        dismissed=dismissed,
        severities=_bars(by_severity, list(reversed(SEVERITIES))),
        detectors=_bars(by_detector, sorted(by_detector, key=lambda d: (-by_detector[d], d))),
        severity_help=SEVERITY_HELP,
        urgent=by_severity["critical"] + by_severity["high"],
    )
