from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from vigil.errors import VigilError
from vigil.export.tabular import COLUMNS, findings_rows, neutralize, write_csv
from vigil.workspace import Workspace


@pytest.fixture
def filled(workspace: Workspace, rows: Any) -> Workspace:
    ent, finding = rows.ent, rows.finding
    rows.insert(
        workspace,
        "findings",
        [
            finding(
                "email.phish",
                "Phish",
                severity="high",
                first="2024-10-02T14:00:00",
                last="2024-10-02T14:05:00",
                techniques=["T1566.002"],
                entities=[
                    ent("email-addr", "chair@doe.org", "target"),
                    ent("email-addr", "chair@doe.org", "target"),
                    ent("domain-name", "evil.example", "actor-infrastructure"),
                    ent("url", "https://evil.example/x", "actor-infrastructure"),
                    ent("user-account", "poll.worker@county.gov", "victim"),
                ],
            ),
            finding("signin.spray", "Spray", severity="critical", first="2024-10-05T03:00:00"),
            finding("signin.spray", "Old spray", severity="medium", first="2024-09-01T00:00:00"),
            finding("web.lookalike", "Lookalike", severity="low", first="2024-10-07T00:00:00"),
            finding(
                "web.lookalike", "Info", severity="info", first="2024-10-08T00:00:00", status="false-positive"
            ),
        ],
    )
    return workspace


def titles(rows: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in rows]


def test_rows_are_flat_and_ordered(filled: Workspace) -> None:
    rows = findings_rows(filled)
    assert titles(rows) == ["Spray", "Phish", "Old spray", "Lookalike", "Info"]
    phish = rows[1]
    assert list(phish) == list(COLUMNS)
    assert phish["targets"] == ["chair@doe.org"]
    assert phish["actor_infrastructure"] == ["evil.example", "https://evil.example/x"]
    assert phish["techniques"] == ["T1566.002"]
    assert phish["first_seen"] == "2024-10-02T14:00:00Z" and phish["last_seen"] == "2024-10-02T14:05:00Z"
    assert phish["confidence"] == 0.8 and phish["status"] == "new"
    json.dumps(rows)  # JSON-ready as they are


def test_filters(filled: Workspace) -> None:
    assert titles(findings_rows(filled, detector="signin.spray")) == ["Spray", "Old spray"]
    assert titles(findings_rows(filled, severity="high")) == ["Spray", "Phish"]
    assert titles(findings_rows(filled, severity="info")) == titles(findings_rows(filled))
    assert titles(findings_rows(filled, since="2024-10-05")) == ["Spray", "Lookalike", "Info"]
    assert titles(findings_rows(filled, since=datetime(2024, 10, 2, 14, 3))) == titles(
        findings_rows(filled, since="2024-10-02T14:03:00Z")
    )
    assert "Phish" in titles(findings_rows(filled, since=datetime(2024, 10, 2, 14, 3, tzinfo=UTC)))
    assert titles(findings_rows(filled, detector="signin.spray", severity="high", since="2024-10-01")) == [
        "Spray"
    ]
    assert findings_rows(filled, detector="nope") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"severity": "urgent"}, "unknown severity"), ({"since": "last tuesday"}, "not an ISO 8601")],
)
def test_bad_filters_are_user_errors(filled: Workspace, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(VigilError, match=message):
        findings_rows(filled, **kwargs)  # type: ignore[arg-type]


def test_empty_workspace(workspace: Workspace) -> None:
    assert findings_rows(workspace) == []
    buffer = io.StringIO(newline="")
    assert write_csv([], buffer) == 0
    assert buffer.getvalue().strip() == ",".join(COLUMNS)


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://evil.example","Open")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
    ],
)
def test_csv_neutralizes_formulas(workspace: Workspace, rows: Any, payload: str) -> None:
    rows.insert(
        workspace,
        "findings",
        [
            rows.finding(
                "email.phish",
                payload,
                summary=payload,
                entities=[rows.ent("domain-name", payload, "actor-infrastructure")],
                techniques=[payload],
            )
        ],
    )
    buffer = io.StringIO(newline="")
    write_csv(findings_rows(workspace), buffer)
    header, row = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    cells = dict(zip(header, row, strict=True))
    for column in ("title", "summary", "actor_infrastructure", "techniques"):
        assert cells[column] == "'" + payload, column
    for cell in row:  # nothing a spreadsheet would evaluate
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")), cell


def test_csv_keeps_ordinary_values(tmp_path: Path) -> None:
    rows = [
        {
            "finding_id": "finding--1",
            "title": 'Phish, "quoted"\nmultiline',
            "confidence": -0.5,
            "targets": ["a@x.org", "b@x.org"],
            "techniques": [],
            "summary": None,
        }
    ]
    path = tmp_path / "out.csv"
    assert write_csv(rows, path) == 1
    [header, row] = list(csv.reader(path.open(encoding="utf-8", newline="")))
    cells = dict(zip(header, row, strict=True))
    assert header == list(COLUMNS)
    assert cells["title"] == 'Phish, "quoted"\nmultiline'
    assert cells["confidence"] == "-0.5"  # numbers are numbers, not text to neutralize
    assert cells["targets"] == "a@x.org; b@x.org"
    assert cells["techniques"] == "" and cells["summary"] == "" and cells["severity"] == ""


def test_neutralize() -> None:
    assert neutralize("=1") == "'=1"
    assert neutralize("plain =1") == "plain =1"
    assert neutralize("") == ""
    assert neutralize("'=1") == "'=1"
