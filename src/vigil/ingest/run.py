"""Ingest files into a workspace: pick an adapter per file, write its tables, keep count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from vigil.errors import VigilError
from vigil.ingest.base import Adapter, ReadContext, RowBuffer, adapters, get_adapter
from vigil.ingest.limits import ParseTimeout
from vigil.schema import QUARANTINE, RECORD_TABLES
from vigil.workspace import Workspace, conform

SNIFF_BYTES = 65536
#: DuckDB stores a table in row groups of this many rows. Inserts of whole row groups write them at
#: once; a partial one is merged again at the next checkpoint (at a cost of about half the insert).
ROW_GROUP_ROWS = 122_880
FLUSH_ROWS = 2 * ROW_GROUP_ROWS  # rows of one table gathered before an insert (of whole row groups)
FLUSH_BYTES = 128 * 1024 * 1024  # or bytes (for rows as large as e-mails), then inserted all at once


@dataclass
class IngestSummary:
    tables: Counter[str] = field(default_factory=Counter)  # rows added per table
    quarantined: int = 0
    skipped_duplicates: int = 0
    files: Counter[str] = field(default_factory=Counter)  # files read per format
    unknown_files: list[str] = field(default_factory=list)  # inside folders, of no known format
    reasons: Counter[str] = field(default_factory=Counter)  # quarantine reasons
    passed_over: Counter[str] = field(default_factory=Counter)  # valid records of other kinds, by kind

    def as_json(self) -> dict[str, object]:
        return {
            "tables": dict(self.tables),
            "quarantined": self.quarantined,
            "skipped_duplicates": self.skipped_duplicates,
            "files": dict(self.files),
            "unknown_files": self.unknown_files,
            "passed_over": sum(self.passed_over.values()),
        }


@dataclass(frozen=True)
class Job:
    path: Path
    adapter: Adapter
    size: int


def sniff(path: Path) -> Adapter | None:
    """The first adapter whose sniffer accepts the file (or folder, for Maildir)."""
    head = b""
    if path.is_file():
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
    for candidate in adapters().values():
        if candidate.directory != path.is_dir():
            continue
        try:
            if candidate.sniff(path, head):
                return candidate
        except Exception:  # a sniffer must never stop the run
            continue
    return None


def plan(paths: Iterable[str | Path], fmt: str | None = None) -> tuple[list[Job], list[str]]:
    """What to read with which adapter. A named file of no known format is an error; one inside a
    named folder is listed as unknown and passed over."""
    jobs: list[Job] = []
    unknown: list[str] = []
    forced = get_adapter(fmt) if fmt else None
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise VigilError(f"no such file or folder: {path}")
        if path.is_file():
            found = forced or sniff(path)
            if found is None:
                raise VigilError(f"{path}: not a format vigil knows (pass --format; see `vigil formats`)")
            jobs.append(Job(path, found, path.stat().st_size))
            continue
        jobs.extend(_walk(path, forced, unknown))
    return jobs, unknown


def _walk(folder: Path, forced: Adapter | None, unknown: list[str]) -> list[Job]:
    if forced and forced.directory:
        return [Job(folder, forced, _size(folder))]
    if not forced:
        as_folder = sniff(folder)
        if as_folder is not None:
            return [Job(folder, as_folder, _size(folder))]
    jobs: list[Job] = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            jobs.extend(_walk(child, forced, unknown))
        elif child.is_file():
            found = forced or sniff(child)
            if found is None:
                unknown.append(str(child))
            else:
                jobs.append(Job(child, found, child.stat().st_size))
    return jobs


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def ingest(
    workspace: Workspace,
    paths: Iterable[str | Path],
    fmt: str | None = None,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[int], None] = lambda n: None,
) -> IngestSummary:
    """Read every path into the workspace. Bad records are quarantined; the run goes on."""
    jobs, unknown = plan(paths, fmt)
    summary = IngestSummary(unknown_files=unknown)
    on_start(sum(j.size for j in jobs))
    with workspace.connect() as con:
        pending = _Pending(workspace, con, summary)
        for job in jobs:
            ctx = ReadContext(str(job.path), job.adapter.name, con, on_progress)
            summary.files[job.adapter.name] += 1
            try:
                for item in job.adapter.read(job.path, ctx):
                    pending.add(job.adapter.table, item)
            except (OSError, ParseTimeout, ValueError) as exc:
                ctx.quarantine(None, f"could not read the file: {type(exc).__name__}: {exc}")
            summary.passed_over.update(ctx.passed_over)
            if ctx.quarantined:
                workspace.insert(con, "quarantine", pa.Table.from_pylist(ctx.quarantined, schema=QUARANTINE))
                summary.quarantined += len(ctx.quarantined)
                summary.reasons.update(q["reason"].split(":")[0] for q in ctx.quarantined)
        pending.flush_all()
    return summary


class _Pending:
    """Rows waiting to be written: many small files (one e-mail each) become one insert, not many, and
    large tables are written in whole row groups (the rest waits for the next rows)."""

    def __init__(self, workspace: Workspace, con: duckdb.DuckDBPyConnection, summary: IngestSummary) -> None:
        self.workspace, self.con, self.summary = workspace, con, summary
        self.tables: dict[str, list[pa.Table]] = {}
        self.rows: Counter[str] = Counter()
        self.nbytes: Counter[str] = Counter()
        self.buffers: dict[str, RowBuffer] = {}

    def add(self, table: str, item: pa.Table | dict[str, Any]) -> None:
        if isinstance(item, dict):
            buffer = self.buffers.setdefault(table, RowBuffer(RECORD_TABLES[table]))
            full = buffer.add(item)
            if full is not None:
                self._add_table(table, full)
        else:
            self._add_table(table, item)

    def _add_table(self, table: str, data: pa.Table) -> None:
        schema = RECORD_TABLES[table]
        self.tables.setdefault(table, []).append(data if data.schema == schema else conform(data, schema))
        self.rows[table] += data.num_rows
        self.nbytes[table] += data.nbytes
        if self.rows[table] >= FLUSH_ROWS:
            self._write(table, self.rows[table] // ROW_GROUP_ROWS * ROW_GROUP_ROWS)
        elif self.nbytes[table] >= FLUSH_BYTES:
            self._write(table, self.rows[table])

    def flush(self, table: str) -> None:
        buffer = self.buffers.get(table)
        if buffer is not None and (rest := buffer.flush()) is not None:
            self.tables.setdefault(table, []).append(rest)
            self.rows[table] += rest.num_rows
        self._write(table, self.rows[table])

    def _write(self, table: str, rows: int) -> None:
        """Insert the first ``rows`` rows waiting for ``table``; the others wait."""
        waiting = self.tables.pop(table, [])
        if not waiting:
            return
        data = pa.concat_tables(waiting)
        if rows < data.num_rows:
            self.tables[table] = [data.slice(rows)]
            data = data.slice(0, rows)
        self.rows[table] -= data.num_rows
        self.nbytes[table] = sum(t.nbytes for t in self.tables.get(table, []))
        added = self.workspace.insert(self.con, table, data)
        self.summary.tables[table] += added
        self.summary.skipped_duplicates += data.num_rows - added

    def flush_all(self) -> None:
        for table in {*self.tables, *self.buffers}:
            self.flush(table)
