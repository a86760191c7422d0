"""Reading findings out of a workspace, in the order people want to read them.

Shared by the exporters and the HTML report; no ``stix2`` here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import duckdb

from vigil.errors import VigilError


class Status(StrEnum):
    """An analyst's verdict on a finding (``vigil triage``); every finding starts ``new``."""

    new = "new"
    acknowledged = "acknowledged"
    false_positive = "false-positive"
    escalated = "escalated"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)

#: Severities, least to most severe.
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")

_RANK_SQL = (
    "CASE severity " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITIES)) + " ELSE -1 END"
)

Finding = dict[str, Any]


def severity_rank(severity: str | None) -> int:
    """0 for info ... 4 for critical; -1 for anything else."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def parse_since(since: datetime | str | None) -> datetime | None:
    """A datetime, or an ISO 8601 date/time string; naive values are taken as UTC."""
    if since is None or since == "":
        return None
    if isinstance(since, str):
        try:
            since = datetime.fromisoformat(since.strip())
        except ValueError:
            raise VigilError(f"--since: not an ISO 8601 date or time: {since!r}") from None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def load_findings(
    con: duckdb.DuckDBPyConnection,
    *,
    detector: str | None = None,
    severity: str | None = None,
    since: datetime | str | None = None,
    status: str | None = None,
) -> list[Finding]:
    """Findings as dicts, most severe first, then most recent activity first.

    ``severity`` is a minimum (``high`` gives high and critical); ``since`` keeps findings whose
    activity lasted until that time or later (``last_seen``, else ``first_seen``); ``status`` keeps
    those with that status. ``status_note`` is the note of the finding's latest triage, if any.
    """
    where: list[str] = []
    params: list[object] = []
    if status:
        if status not in STATUSES:
            raise VigilError(f"unknown status {status!r}; one of: {', '.join(STATUSES)}")
        where.append("coalesce(status, 'new') = ?")
        params.append(status)
    if detector:
        where.append("detector = ?")
        params.append(detector)
    if severity:
        if severity not in SEVERITIES:
            raise VigilError(f"unknown severity {severity!r}; one of: {', '.join(SEVERITIES)}")
        where.append(f"({_RANK_SQL}) >= ?")
        params.append(severity_rank(severity))
    start = parse_since(since)
    if start is not None:
        where.append("coalesce(last_seen, first_seen) >= ?")
        params.append(start)
    sql = (
        "SELECT * FROM findings LEFT JOIN ("
        "  SELECT finding_id, note AS status_note FROM triage"
        "  QUALIFY row_number() OVER (PARTITION BY finding_id ORDER BY changed_at DESC) = 1"
        ") USING (finding_id)"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY ({_RANK_SQL}) DESC, coalesce(last_seen, first_seen) DESC NULLS LAST, finding_id"
    )
    rows: list[Finding] = con.sql(sql, params=params).to_arrow_table().to_pylist()
    for row in rows:
        row["entities"] = row.get("entities") or []
        row["evidence"] = row.get("evidence") or []
        row["techniques"] = row.get("techniques") or []
    return rows


def details_of(finding: Finding) -> dict[str, Any]:
    """The finding's ``details`` JSON object, or ``{}`` when absent or not an object."""
    raw = finding.get("details")
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def entity_values(finding: Finding, role: str) -> list[str]:
    """Values of the finding's entities that play ``role``, in order, without repeats."""
    seen: dict[str, None] = {}
    for entity in finding["entities"]:
        if entity.get("role") == role and entity.get("value"):
            seen.setdefault(entity["value"])
    return list(seen)


def headline_entity(finding: Finding) -> dict[str, Any] | None:
    """The entity that tells this finding apart from others of its detector (whose titles are all the
    same): the first piece of actor infrastructure, else the first target; None when the title
    already names it."""
    for role in ("actor-infrastructure", "target"):
        for entity in finding["entities"]:
            if entity and entity.get("role") == role and entity.get("value"):
                return None if str(entity["value"]) in (finding.get("title") or "") else entity
    return None
