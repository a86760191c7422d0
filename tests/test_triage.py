"""Verdicts on findings: named by id or prefix or detector, all or nothing, logged, kept by re-runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pytest

from vigil.errors import VigilError
from vigil.export.tabular import findings_rows
from vigil.schema import FINDINGS
from vigil.triage import set_status, short_id
from vigil.workspace import Workspace

IDS = [
    "finding--0ea00ea8-b34a-5c72-afe6-9b3b0f63d7e1",
    "finding--0ea0ffff-1111-5c72-afe6-9b3b0f63d7e1",
    "finding--7b1d0200-2222-5c72-afe6-9b3b0f63d7e1",
]


def _finding(finding_id: str, detector: str, status: str = "new") -> dict[str, Any]:
    when = datetime(2024, 10, 2, tzinfo=UTC)
    return {
        "finding_id": finding_id,
        "detector": detector,
        "title": "t",
        "severity": "high",
        "first_seen": when,
        "summary": f"summary of {finding_id[9:17]}",
        "status": status,
        "updated_at": when,
    }


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    rows = [_finding(IDS[0], "mail.spoofing"), _finding(IDS[1], "mail.lure"), _finding(IDS[2], "mail.lure")]
    with workspace.connect() as con:
        workspace.insert(con, "findings", pa.Table.from_pylist(rows, schema=FINDINGS))
    return workspace


def statuses(ws: Workspace) -> dict[str, str]:
    return {short_id(r["finding_id"]): r["status"] for r in findings_rows(ws)}


def log(ws: Workspace) -> list[tuple[Any, ...]]:
    with ws.connect(read_only=True) as con:
        return con.execute(
            "SELECT finding_id, status_before, status, note, analyst FROM triage "
            "ORDER BY changed_at, finding_id"
        ).fetchall()


def test_findings_are_named_by_id_uuid_or_prefix(ws: Workspace) -> None:
    assert short_id(IDS[0]) == "0ea00ea8"
    changes = set_status(
        ws, "false-positive", ["0EA00EA8"], note="the chair's own  \n request", analyst="sam"
    )
    assert [(c.finding_id, c.before, c.after) for c in changes] == [(IDS[0], "new", "false-positive")]
    set_status(ws, "escalated", [IDS[2].removeprefix("finding--")])
    set_status(ws, "acknowledged", [IDS[1]])
    assert statuses(ws) == {"0ea00ea8": "false-positive", "0ea0ffff": "acknowledged", "7b1d0200": "escalated"}
    assert log(ws)[0] == (IDS[0], "new", "false-positive", "the chair's own request", "sam")


def test_every_reference_must_name_one_finding_or_nothing_changes(ws: Workspace) -> None:
    with pytest.raises(VigilError) as caught:
        set_status(ws, "escalated", ["7b1d", "0ea0", "0e", "dead"])
    message = str(caught.value)
    assert "'0ea0' names 2 findings" in message and "'0e' is too short" in message
    assert "no finding 'dead'" in message and "nothing changed" in message
    assert set(statuses(ws).values()) == {"new"} and log(ws) == []


def test_a_whole_detector_and_what_is_already_so(ws: Workspace) -> None:
    assert len(set_status(ws, "acknowledged", detector="mail.lure")) == 2
    assert set_status(ws, "acknowledged", ["7b1d0200"]) == []  # already: nothing to log
    assert (
        len(set_status(ws, "acknowledged", ["7b1d0200"], note="called the sender")) == 1
    )  # a note is logged
    assert [row[2:4] for row in log(ws)][-1] == ("acknowledged", "called the sender")
    with pytest.raises(VigilError, match=r"no findings of detector 'mail\.nope'"):
        set_status(ws, "acknowledged", detector="mail.nope")


def test_bad_requests_are_clear(ws: Workspace) -> None:
    with pytest.raises(VigilError, match="unknown status 'closed'"):
        set_status(ws, "closed", ["7b1d0200"])
    with pytest.raises(VigilError, match="name the findings"):
        set_status(ws, "escalated")


def test_findings_show_the_latest_verdict_and_its_note(ws: Workspace) -> None:
    set_status(ws, "false-positive", ["7b1d0200"], note="a vendor's newsletter")
    assert [r["status_note"] for r in findings_rows(ws, status="false-positive")] == ["a vendor's newsletter"]
    set_status(ws, "new", ["7b1d0200"])  # undone, without a note
    assert findings_rows(ws, status="false-positive") == []
    assert {r["status_note"] for r in findings_rows(ws)} == {None}
    assert len(findings_rows(ws, status="new")) == 3
    with pytest.raises(VigilError, match="unknown status"):
        findings_rows(ws, status="closed")
