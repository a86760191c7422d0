"""Row builders for the export tests, as the ``rows`` fixture (tests run with --import-mode=importlib).

A small copy of the report tests' builders: the two folders don't import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pytest

from vigil.ids import content_hash, entity_id, finding_id
from vigil.schema import TABLES
from vigil.workspace import Workspace


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def insert(ws: Workspace, table: str, rows: list[dict[str, Any]]) -> None:
    schema, _ = TABLES[table]
    with ws.connect() as con:
        Workspace.insert(con, table, pa.Table.from_pylist(rows, schema=schema))


def ent(kind: str, value: str, role: str) -> dict[str, str]:
    return {"entity_id": entity_id(kind, value), "kind": kind, "value": value, "role": role}


def record(table: str, **fields: Any) -> dict[str, Any]:
    return {
        "record_id": content_hash(table, *sorted(map(str, fields.items()))),
        "source": f"{table}.jsonl",
        **fields,
    }


def finding(
    detector: str,
    title: str,
    *,
    severity: str = "high",
    evidence: Sequence[tuple[str, dict[str, Any]]] = (),
    first: str = "2024-10-01T12:00:00",
    last: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    return {
        "finding_id": finding_id(detector, [title, first]),
        "detector": detector,
        "title": title,
        "severity": severity,
        "confidence": 0.8,
        "first_seen": t(first),
        "last_seen": t(last or first),
        "summary": f"Summary of {title}.",
        "techniques": [],
        "entities": [],
        "evidence": [{"table_name": table, "record_id": rec["record_id"]} for table, rec in evidence],
        "details": "{}",
        "status": "new",
        "updated_at": t(last or first),
        **fields,
    }


class Rows:
    t = staticmethod(t)
    insert = staticmethod(insert)
    ent = staticmethod(ent)
    record = staticmethod(record)
    finding = staticmethod(finding)


@pytest.fixture
def rows() -> type[Rows]:
    return Rows
