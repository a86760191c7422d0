"""Run detectors on an engine and turn their rows into findings with deterministic ids.

A re-run updates the findings it finds again (keeping an analyst's status) and never duplicates them.
A finding of the detector that the re-run no longer finds (the data, the settings, the protected
assets or vigil's own signals changed) is retired, unless its status is no longer ``new``.
Protected assets are applied here, once for every detector: an entity that is a protected person's
address or account becomes a named target and raises the finding's severity.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from vigil.detect.api import SEVERITIES, Detector, registry
from vigil.detect.engines import DuckDBEngine, Engine, SparkEngine
from vigil.enrich.mail import refresh_signals
from vigil.errors import VigilError
from vigil.ids import entity_id, finding_id
from vigil.schema import FINDINGS, RECORD_TABLES
from vigil.workspace import Workspace, registered

_RESERVED = {"first_seen", "last_seen", "evidence", "summary", "severity", "confidence", "key"}
_CASE_FOLDED = {"email-addr", "domain-name", "user-account", "social-account", "tenant"}
_PRIORITY_BUMP = {"low": 0, "normal": 0, "high": 1, "critical": 1}


@dataclass
class DetectorRun:
    detector: str
    findings: int = 0
    new: int = 0
    retired: int = 0
    seconds: float = 0.0
    error: str | None = None


@dataclass
class RunSummary:
    engine: str
    runs: list[DetectorRun] = field(default_factory=list)

    @property
    def failed(self) -> list[DetectorRun]:
        return [r for r in self.runs if r.error]


def selected(workspace: Workspace, ids: Sequence[str] | None = None) -> list[Detector]:
    """The detectors to run: the named ones, else all that vigil.toml does not disable.
    The workspace's Sigma rules (`vigil rules add`) are detectors too."""
    from vigil.rules.detector import workspace_rules

    detectors = registry() | workspace_rules(workspace)
    if ids:
        unknown = [i for i in ids if i not in detectors]
        if unknown:
            raise VigilError(f"no detector {', '.join(unknown)} (see `vigil detectors list`)")
        return [detectors[i] for i in ids]
    return [d for d in detectors.values() if workspace.detector_settings(d.id).get("enabled", True)]


def run(
    workspace: Workspace,
    *,
    engine: str = "duckdb",
    detector_ids: Sequence[str] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    on_detector: Callable[[str], None] = lambda detector_id: None,
) -> RunSummary:
    """Run the selected detectors and write their findings into the workspace."""
    detectors = selected(workspace, detector_ids)
    summary = RunSummary(engine)
    with workspace.connect() as con:
        workspace.replace(con, "protected", pa.Table.from_pylist(workspace.protected.to_rows()))
        if any("email_signals" in d.inputs for d in detectors):  # derived in Python, before engines read it
            refresh_signals(workspace, con)
        eng = make_engine(engine, con, workspace.path, detectors)
        protected = _protected_index(con)
        for det in detectors:
            on_detector(det.id)
            summary.runs.append(
                _run_one(
                    con,
                    eng,
                    det,
                    workspace.detector_settings(det.id) | dict((params or {}).get(det.id, {})),
                    protected,
                )
            )
    return summary


def make_engine(
    name: str, con: duckdb.DuckDBPyConnection, folder: Path, detectors: Iterable[Detector]
) -> Engine:
    if name == "duckdb":
        return DuckDBEngine(con)
    if name == "spark":
        needed = {t for d in detectors for t in d.inputs} | {"protected"}
        return SparkEngine(con, folder / "parquet", needed)
    raise VigilError(f"unknown engine {name!r} (duckdb or spark)")


def _run_one(
    con: duckdb.DuckDBPyConnection,
    eng: Engine,
    det: Detector,
    overrides: Mapping[str, Any],
    protected: Mapping[tuple[str, str], list[dict[str, Any]]],
) -> DetectorRun:
    result = DetectorRun(det.id)
    started = time.perf_counter()
    try:
        tables = SimpleNamespace(**{name: eng.table(name) for name in (*det.inputs, "protected")})
        rows = _rows(eng.execute(det(tables, **det.settings(overrides))))
        findings = [build_finding(det, row, protected) for row in rows]
        result.findings = len(findings)
        result.new = write_findings(con, findings)
        result.retired = retire_stale(con, det.id, [f["finding_id"] for f in findings])
    except VigilError:
        raise
    except Exception as exc:  # one broken detector must not stop the others
        result.error = f"{type(exc).__name__}: {exc}"
    result.seconds = time.perf_counter() - started
    return result


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    """Rows as dicts, with every timestamp as a UTC microsecond datetime (Spark returns nanoseconds)."""
    for i, f in enumerate(table.schema):
        if pa.types.is_timestamp(f.type):
            table = table.set_column(i, f.name, pc.cast(table[f.name], pa.timestamp("us", tz="UTC")))
    return table.to_pylist()


def _protected_index(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[dict[str, Any]]]:
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in con.sql("SELECT * FROM protected").to_arrow_table().to_pylist():
        kinds = {row["kind"]}
        if row["kind"] in ("email-addr", "user-account"):  # a UPN is an address and an account
            kinds = {"email-addr", "user-account"}
        for kind in kinds:
            index.setdefault((kind, row["value"].lower()), []).append(row)
    return index


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [str(v) for v in items if v is not None and str(v) != ""]


def build_finding(
    det: Detector, row: Mapping[str, Any], protected: Mapping[tuple[str, str], list[dict[str, Any]]]
) -> dict[str, Any]:
    entities: list[dict[str, str]] = []
    targets: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for spec in det.entities:
        kind = spec.kind_of(row)
        for raw in sorted(_values(row.get(spec.column))):  # engines collect in different orders
            value = raw.lower() if kind in _CASE_FOLDED else raw
            if (kind, value) in seen:
                continue
            seen.add((kind, value))
            role = spec.role
            hits = protected.get((kind, value), [])
            if hits and role != "actor-infrastructure":  # a protected account that fell stays a victim
                role = "victim" if role == "victim" else "target"
                targets.extend(hits)
            entities.append({"entity_id": entity_id(kind, value), "kind": kind, "value": value, "role": role})

    severity = str(row.get("severity") or det.severity)
    if targets:
        bump = max(_PRIORITY_BUMP.get(t["priority"], 0) for t in targets)
        severity = SEVERITIES[min(len(SEVERITIES) - 1, SEVERITIES.index(severity) + bump)]

    details = {
        k: _canonical(v)
        for k, v in row.items()
        if k not in _RESERVED and k not in {s.column for s in det.entities}
    }
    named = sorted({f"{t['owner']}" + (f" ({t['role']})" if t["role"] else "") for t in targets})
    if named:
        details["protected_targets"] = named
    summary = det.explain(row) if det.explain else str(row.get("summary") or det.title)
    if named:
        summary = f"Target: {', '.join(named)}. {summary}"

    first_seen = row.get("first_seen")
    key = row.get("key")
    if key is None:
        key = [f"{e['kind']}={e['value']}" for e in entities] + [first_seen.isoformat() if first_seen else ""]
    return {
        "finding_id": finding_id(det.id, key if isinstance(key, list) else [key]),
        "detector": det.id,
        "title": det.title,
        "severity": severity,
        "confidence": float(row.get("confidence") or det.confidence),
        "first_seen": first_seen,
        "last_seen": row.get("last_seen"),
        "summary": summary,
        "techniques": list(det.techniques),
        "entities": entities,
        "evidence": [_evidence(det, e) for e in sorted(_values(row.get("evidence")))],
        "details": json.dumps(details, default=str, sort_keys=True),
        "status": "new",
        "updated_at": datetime.now(UTC),
    }


def _canonical(value: Any) -> Any:
    """Lists sorted, so that engines that collect in different orders give the same finding; an empty
    list is null (Spark collects nothing into [], DuckDB into NULL)."""
    if isinstance(value, list) and not value:
        return None
    if isinstance(value, list):
        try:
            return sorted(value)
        except TypeError:
            return value
    return value


def _evidence(det: Detector, ref: str) -> dict[str, str]:
    table, sep, record_id = ref.partition(":")
    if sep and table in RECORD_TABLES:
        return {"table_name": table, "record_id": record_id}
    return {"table_name": det.inputs[0], "record_id": ref}


def write_findings(con: duckdb.DuckDBPyConnection, findings: list[dict[str, Any]]) -> int:
    """Upsert findings, keeping the status an analyst gave; returns how many are new."""
    findings = list({f["finding_id"]: f for f in findings}.values())
    if not findings:
        return 0
    ids = pa.table({"finding_id": [f["finding_id"] for f in findings]})
    with registered(con, ids) as view:
        known = dict(
            con.execute(f"SELECT finding_id, status FROM findings JOIN {view} USING (finding_id)").fetchall()
        )
    for f in findings:
        f["status"] = known.get(f["finding_id"], "new")
    with registered(con, pa.Table.from_pylist(findings, schema=FINDINGS)) as view:
        con.execute(f"INSERT OR REPLACE INTO findings BY NAME SELECT * FROM {view}")
    return sum(1 for f in findings if f["finding_id"] not in known)


def retire_stale(con: duckdb.DuckDBPyConnection, detector_id: str, found: list[str]) -> int:
    """Delete the detector's untouched findings (status ``new``) that its latest run did not find."""
    with registered(con, pa.table({"finding_id": pa.array(found, pa.string())})) as view:
        stale = f"detector = ? AND status = 'new' AND finding_id NOT IN (SELECT finding_id FROM {view})"
        (count,) = con.execute(f"SELECT count(*) FROM findings WHERE {stale}", [detector_id]).fetchall()[0]
        if count:
            con.execute(f"DELETE FROM findings WHERE {stale}", [detector_id]).fetchall()
    return int(count)
