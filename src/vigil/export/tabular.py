"""Findings as flat rows, for ``vigil findings --format table|json|csv``.

CSV cells are neutralized against formula injection (OWASP "CSV Injection"): a text cell that a
spreadsheet would run as a formula - starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, or their full-width forms - gets a leading apostrophe, which spreadsheets show as text.
Subjects, titles, handles and domains come from attackers and end up in these cells.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from vigil.export.findings import entity_values, load_findings
from vigil.workspace import Workspace

COLUMNS: tuple[str, ...] = (
    "finding_id",
    "detector",
    "severity",
    "confidence",
    "first_seen",
    "last_seen",
    "title",
    "summary",
    "targets",
    "actor_infrastructure",
    "techniques",
    "status",
    "status_note",
)

#: First characters that make a spreadsheet cell a formula (and the full-width forms some accept).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
LIST_SEPARATOR = "; "


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def findings_rows(
    workspace: Workspace,
    detector: str | None = None,
    severity: str | None = None,
    since: datetime | str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """One flat dict per finding (keys: ``COLUMNS``), most severe and most recent first.

    ``severity`` is a minimum; ``since`` (datetime or ISO 8601 string) keeps findings active then or
    later; ``status`` keeps one status. Times are ISO 8601 UTC strings; targets, actor_infrastructure
    and techniques are lists.
    """
    with workspace.connect(read_only=True) as con:
        findings = load_findings(con, detector=detector, severity=severity, since=since, status=status)
    return [
        {
            "finding_id": f["finding_id"],
            "detector": f.get("detector"),
            "severity": f.get("severity"),
            "confidence": f.get("confidence"),
            "first_seen": _iso(f.get("first_seen")),
            "last_seen": _iso(f.get("last_seen")),
            "title": f.get("title"),
            "summary": f.get("summary"),
            "targets": entity_values(f, "target"),
            "actor_infrastructure": entity_values(f, "actor-infrastructure"),
            "techniques": list(f["techniques"]),
            "status": f.get("status"),
            "status_note": f.get("status_note"),
        }
        for f in findings
    ]


def neutralize(value: str) -> str:
    """``value`` as a spreadsheet will show it, never run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if isinstance(value, str):
        return neutralize(value)
    return value  # numbers stay numbers


def write_csv(
    rows: Iterable[Mapping[str, Any]], file: IO[str] | str | Path, columns: Iterable[str] = COLUMNS
) -> int:
    """Write rows as CSV (header first; lists joined with "; "); returns the number of rows.

    ``file`` is a path (written as UTF-8) or a text stream opened with ``newline=""``.
    """
    if isinstance(file, str | Path):
        with open(file, "w", encoding="utf-8", newline="") as fh:
            return write_csv(rows, fh, columns)
    header = list(columns)
    writer = csv.writer(file)
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in header])
        n += 1
    return n
