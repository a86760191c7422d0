"""An analyst's verdict on findings, and the log of every verdict.

A finding starts ``new``. An analyst marks it ``acknowledged`` (seen, being handled),
``false-positive`` (not an attack: the HTML report lists it apart and the STIX export leaves it out)
or ``escalated`` (handed on), or back to ``new``. A re-run of the detectors keeps the status, and
retires only findings that are still ``new``. Every change is a row of the ``triage`` table: the
status before and after, the analyst's note, who and when; nothing is overwritten.

Findings are named by their id (``finding--<uuid>``), the uuid, or the start of the uuid (at least
``MIN_PREFIX`` characters, as ``vigil findings`` shows it), or all at once by detector.
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from vigil.errors import VigilError
from vigil.export.findings import STATUSES
from vigil.schema import TRIAGE
from vigil.workspace import Workspace, registered

PREFIX = "finding--"
MIN_PREFIX = 4
SHORT = 8
MAX_NOTE = 2000


@dataclass(frozen=True)
class Change:
    finding_id: str
    detector: str
    before: str
    after: str
    summary: str


def short_id(finding_id: str) -> str:
    """The first characters of the finding's uuid: enough to name it in ``vigil triage``."""
    return finding_id.removeprefix(PREFIX)[:SHORT]


def resolve(con: duckdb.DuckDBPyConnection, refs: Sequence[str]) -> list[str]:
    """The finding ids that ``refs`` name; every reference must name exactly one finding."""
    if not refs:
        return []
    known = [row[0] for row in con.execute("SELECT finding_id FROM findings").fetchall()]
    found: list[str] = []
    problems: list[str] = []
    for ref in refs:
        wanted = ref.strip().lower().removeprefix(PREFIX)
        if len(wanted) < MIN_PREFIX:
            problems.append(f"{ref!r} is too short: give at least {MIN_PREFIX} characters of the id")
            continue
        matches = [i for i in known if i.removeprefix(PREFIX).startswith(wanted)]
        if not matches:
            problems.append(f"no finding {ref!r}")
        elif len(matches) > 1:
            problems.append(f"{ref!r} names {len(matches)} findings: give more characters")
        else:
            found.append(matches[0])
    if problems:
        raise VigilError("; ".join(problems) + " (`vigil findings` lists the ids); nothing changed")
    return found


def set_status(
    workspace: Workspace,
    status: str,
    refs: Sequence[str] = (),
    *,
    detector: str | None = None,
    note: str | None = None,
    analyst: str | None = None,
) -> list[Change]:
    """Give the named findings ``status`` (with ``note``) and log it; returns what changed.

    A finding that has the status already is left alone, unless a note is given: the note is logged.
    Nothing changes unless every reference names one finding."""
    if status not in STATUSES:
        raise VigilError(f"unknown status {status!r}; one of: {', '.join(STATUSES)}")
    if not refs and not detector:
        raise VigilError("name the findings: their ids (as `vigil findings` shows them) or --detector")
    note = " ".join((note or "").split())[:MAX_NOTE] or None
    with workspace.connect() as con:
        chosen = set(resolve(con, refs))
        if detector:
            of_detector = con.execute(
                "SELECT finding_id FROM findings WHERE detector = ?", [detector]
            ).fetchall()
            if not of_detector:
                raise VigilError(f"no findings of detector {detector!r}; nothing changed")
            chosen.update(row[0] for row in of_detector)
        with registered(con, pa.table({"finding_id": pa.array(sorted(chosen), pa.string())})) as view:
            rows = con.execute(
                f"SELECT finding_id, detector, coalesce(status, 'new'), summary FROM findings "
                f"WHERE finding_id IN (SELECT finding_id FROM {view}) ORDER BY detector, finding_id"
            ).fetchall()
        changes = [
            Change(fid, det or "", before, status, summary or "")
            for fid, det, before, summary in rows
            if before != status or note
        ]
        if changes:
            _record(con, changes, note, analyst or _analyst())
    return changes


def _record(con: duckdb.DuckDBPyConnection, changes: list[Change], note: str | None, analyst: str) -> None:
    now = datetime.now(UTC)
    log = pa.Table.from_pylist(
        [
            {
                "finding_id": c.finding_id,
                "detector": c.detector,
                "status_before": c.before,
                "status": c.after,
                "note": note,
                "analyst": analyst,
                "changed_at": now,
            }
            for c in changes
        ],
        schema=TRIAGE,
    )
    con.begin()
    try:
        with registered(con, log) as view:
            con.execute(
                f"UPDATE findings SET status = t.status FROM {view} t "
                "WHERE findings.finding_id = t.finding_id"
            ).fetchall()
        Workspace.insert(con, "triage", log)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _analyst() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
