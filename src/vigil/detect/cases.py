"""Run a detector's cases: build a scratch workspace from the case's rows, run, return the findings."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from vigil.detect.api import Case, Detector
from vigil.detect.runner import run
from vigil.ids import content_hash
from vigil.schema import RECORD_TABLES, TS
from vigil.workspace import CONFIG_FILE, Workspace


def case_table(table: str, rows: list[Mapping[str, Any]]) -> pa.Table:
    """Rows of a case as a table of the real schema: ids filled in, ISO strings turned into times."""
    schema = RECORD_TABLES[table]
    full = []
    for index, row in enumerate(rows):
        values = {
            k: _time(v) if k in schema.names and schema.field(k).type == TS else v for k, v in row.items()
        }
        values.setdefault("record_id", content_hash(table, *sorted(map(str, row.items()))))
        values.setdefault("source", "case")
        values.setdefault("source_offset", index)
        full.append(values)
    return pa.Table.from_pylist(full, schema=schema)


def _time(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def run_case(
    det: Detector, case: Case, engine: str = "duckdb", folder: Path | None = None
) -> list[dict[str, Any]]:
    """The findings ``det`` makes of ``case`` on ``engine``, ordered by id."""
    with tempfile.TemporaryDirectory(prefix="vigil-case-", dir=folder) as tmp:
        ws = Workspace.init(Path(tmp) / "ws")
        if case.protected:
            (ws.path / CONFIG_FILE).write_text(case.protected, encoding="utf-8")
            ws.reload()
        with ws.connect() as con:
            for table, rows in case.rows.items():
                ws.insert(con, table, case_table(table, list(rows)))
        summary = run(ws, engine=engine, detector_ids=[det.id], params={det.id: dict(case.params)})
        if summary.failed:
            raise RuntimeError(f"{det.id} failed on case {case.name!r}: {summary.failed[0].error}")
        with ws.connect(read_only=True) as con:
            rows = con.sql("SELECT * FROM findings ORDER BY finding_id").to_arrow_table().to_pylist()
    for row in rows:
        row.pop("updated_at")
    return rows


def check_case(det: Detector, case: Case, findings: list[dict[str, Any]]) -> list[str]:
    """What is wrong with ``findings`` for ``case`` (empty when the case passes)."""
    problems = []
    if len(findings) != case.expect:
        problems.append(f"expected {case.expect} finding(s), got {len(findings)}")
    roles = {(e["value"], e["role"]) for f in findings for e in f["entities"]}
    for value, role in case.contains.items():
        if (value, role) not in roles:
            problems.append(f"no entity {value!r} with role {role!r} (entities: {sorted(roles)})")
    if case.severity:
        problems += [
            f"severity {f['severity']} != {case.severity}" for f in findings if f["severity"] != case.severity
        ]
    for f in findings:
        if not f["evidence"]:
            problems.append(f"finding {f['finding_id']} has no evidence")
        if not f["summary"]:
            problems.append(f"finding {f['finding_id']} has no summary")
    return problems
