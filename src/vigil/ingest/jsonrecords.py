"""Fast reading of JSON event exports (JSON lines, a JSON array, or a ``{"value": [...]}`` Graph page).

A JSON adapter describes its format as the top-level keys it reads (with DuckDB types: nested objects
as ``JSON``, or typed as ``STRUCT``/lists when several of their fields are read, so that each record
is parsed once) and one SQL projection onto the normalized columns. The same projection runs on every
path, so that one mapping has several speeds and nothing is silently dropped:

1. DuckDB's reader parses the file in C++ and numbers the records as it meets them (``WITH
   ORDINALITY``; blank lines do not count). Its rows are handed on in whole row groups while a worker
   thread reads the next ones, so parsing and writing overlap.
2. From the first record it refuses (invalid JSON, a value of another type, a byte order mark), JSON
   lines go on block by block: each block is cut into lines in Python, numbered by its place in the
   file, and parsed by DuckDB's ``json_transform`` on every core.
3. A block (or a document) that still fails is checked record by record in Python: the bad records
   are quarantined with their index, the good ones projected.

Each row gets a ``record_id``: the MD5 of its projected values, so the same event read again (or from
an overlapping export) is the same record.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Generator, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from vigil.ingest.base import ReadContext
from vigil.ingest.limits import MAX_JSON_DOCUMENT_BYTES, MAX_JSON_RECORD_BYTES
from vigil.workspace import conform, registered

#: Rows per table handed on to the workspace: two of DuckDB's row groups (122,880 rows each), so that
#: each insert writes whole ones (the checkpoint has none to merge) while the next rows are read.
TABLE_ROWS = 2 * 122_880
#: Bytes of JSON lines parsed at a time on the block path (whole lines; a block is one DuckDB query).
BLOCK_BYTES = 32 * 1024 * 1024
#: Rows per Arrow batch handed to ``json_transform``: DuckDB's unit of parallel work.
BATCH_ROWS = 8192
#: Rows per table yielded at most.
SLICE_ROWS = 500_000

T = TypeVar("T")

_BOM = b"\xef\xbb\xbf"
_LINES_VIEW = "_vigil_json_lines"
_ROWS_VIEW = "_vigil_json_rows"
_NAMES: dict[tuple[str, str], list[str]] = {}  # the columns of each projection, bound once


def layout(path: Path) -> str:
    """``lines``, ``array`` or ``wrapped`` (an object whose ``value`` holds the records)."""
    with path.open("rb") as f:
        head = f.read(65536).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "array"
    first_line = head.split(b"\n", 1)[0]
    try:
        obj = orjson.loads(first_line)
    except orjson.JSONDecodeError:
        return "wrapped" if b'"value"' in head else "lines"
    if isinstance(obj, dict) and isinstance(obj.get("value"), list) and head.count(b"\n{") == 0:
        return "wrapped"
    return "lines"


def iter_raw_records(path: Path, ctx: ReadContext) -> Iterator[tuple[int, object]]:
    """Every record of the file with its index (0-based, blank lines not counted); malformed ones go to
    quarantine."""
    kind = layout(path)
    if kind == "lines":
        with path.open("rb") as f:
            index = 0
            for block in line_blocks(f):
                lines, _ = split_lines(block)
                for line in lines.cast(pa.binary()).to_pylist():
                    yield from _checked_line(index, line, ctx)
                    index += 1
        return
    doc = load_document(path, ctx)
    if doc is UNREADABLE:
        return
    records = doc.get("value") if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        ctx.quarantine(0, "JSON document holds no list of records", file_excerpt(path))
        return
    yield from enumerate(records)


#: What ``load_document`` returns for a file it could not read (the reason is in quarantine).
UNREADABLE = object()


def load_document(path: Path, ctx: ReadContext) -> Any:
    """A JSON file read whole (a Graph or API page): the parsed document, or ``UNREADABLE`` when it is
    larger than ``MAX_JSON_DOCUMENT_BYTES`` or not JSON (quarantined, with the reason)."""
    if path.stat().st_size > MAX_JSON_DOCUMENT_BYTES:
        ctx.quarantine(0, f"JSON document larger than {MAX_JSON_DOCUMENT_BYTES} bytes; use JSON lines")
        return UNREADABLE
    raw = path.read_bytes().removeprefix(_BOM)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        ctx.quarantine(0, f"invalid JSON document: {exc}", raw[:300])
        return UNREADABLE


def file_excerpt(path: Path, size: int = 300) -> bytes:
    """The first bytes of a file, for a quarantine entry about the whole of it."""
    with path.open("rb") as f:
        return f.read(size)


def _checked_line(index: int, line: bytes, ctx: ReadContext) -> Iterator[tuple[int, object]]:
    if len(line) > MAX_JSON_RECORD_BYTES:
        ctx.quarantine(index, f"record larger than {MAX_JSON_RECORD_BYTES} bytes", line[:300])
        return
    try:
        yield index, orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        ctx.quarantine(index, f"invalid JSON: {exc}", line)


def read_projected(
    path: Path,
    ctx: ReadContext,
    *,
    columns: Mapping[str, str],
    select: str,
    schema: pa.Schema,
    required: Sequence[str] = ("time",),
    keep: str | None = None,
    kind: str = "'other'",
) -> Iterator[pa.Table]:
    """Project every JSON record of ``path`` through ``select`` (SQL over the ``columns``) into ``schema``.

    ``select`` is a SELECT list over a relation with the given top-level columns. Its rows get a
    ``record_id`` hashed from the projected values and ``source_offset``, the record's index in the
    file. Rows missing a ``required`` value are quarantined.

    For files that mix the wanted events with others (a System Log of every event type), ``keep`` is
    a SQL condition over the raw columns: the rows where it is false are valid records of another
    kind, counted by ``kind`` (a SQL text expression naming them) with ``ctx.pass_over``.
    """
    if keep is not None:
        select = f"{select},\n coalesce({keep}, false) AS __keep,\n CAST({kind} AS VARCHAR) AS __kind"
    with (
        Projection(ctx.con, columns, select) as projection,
        closing(_ahead(_projected(path, ctx, projection))) as tables,
    ):
        for table, nbytes in tables:
            ctx.advance(nbytes)
            if table is None:
                continue
            table = projection.identified(table)
            if keep is not None:
                kept = table["__keep"]
                if not pc.all(kept).as_py():
                    for what, n in Counter(table.filter(pc.invert(kept))["__kind"].to_pylist()).items():
                        ctx.pass_over(what or "other", n)
                    table = table.filter(kept)
                table = table.drop_columns(["__keep", "__kind"])
            yield from split_required(table, ctx, schema, required)


def _projected(
    path: Path, ctx: ReadContext, projection: Projection
) -> Generator[tuple[pa.Table | None, int]]:
    """The projected rows of the file, in tables of ``TABLE_ROWS`` rows, with the bytes read for them."""
    kind = layout(path)
    done, exact = 0, True  # the rows handed on are records 0..done-1 (as long as exact)
    if kind != "wrapped":
        try:
            for table in projection.file(path, "newline_delimited" if kind == "lines" else "array"):
                done += table.num_rows
                exact = exact and (not table.num_rows or pc.max(table["source_offset"]).as_py() == done - 1)
                yield table, 0
        except (duckdb.Error, pa.ArrowException, OSError):  # the Arrow stream raises DuckDB's as OSError
            pass  # the reader refused a record: go on from the first one not handed on
        else:
            yield None, path.stat().st_size
            return
    start = done if exact else 0
    if kind == "lines":
        yield from _gathered(_read_lines(path, ctx, projection, start=start))
    else:
        yield _read_records(path, ctx, projection, start=start), path.stat().st_size


class Projection:
    """An adapter's SELECT over JSON records, with each record's index and a record id.

    Records are read and projected on a cursor of ``con`` (same database, same time zone), so that a
    worker thread can read while the caller writes on ``con``; the caller adds the record ids
    (``identified``), hashed on every core."""

    def __init__(self, con: duckdb.DuckDBPyConnection, columns: Mapping[str, str], select: str) -> None:
        zone = con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0]
        self.con = con
        self.cursor = con.cursor()
        self.cursor.execute("SET TimeZone = ?", [zone])
        self.columns = dict(columns)
        self.select = select
        structure = _q(json.dumps(self.columns))
        self._lines = f"(SELECT __offset, unnest(json_transform(__line, '{structure}')) FROM {_LINES_VIEW})"
        key = (structure, select)
        if key not in _NAMES:
            with registered(self.cursor, _lines_table([], []), _LINES_VIEW):
                _NAMES[key] = self.cursor.sql(f"SELECT {select} FROM {self._lines}").columns
        hashed = ", ".join(f"""coalesce(CAST("{_qi(c)}" AS VARCHAR), '')""" for c in _NAMES[key])
        self._ids = f"SELECT source_offset, md5(concat_ws(chr(31), {hashed})) AS record_id FROM {_ROWS_VIEW}"

    def __enter__(self) -> Projection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cursor.close()

    def _sql(self, source: str, offset: str) -> str:
        return f"SELECT {offset} AS source_offset, {self.select} FROM {source}"

    def identified(self, table: pa.Table) -> pa.Table:
        """``table`` (projected rows) with a ``record_id`` in front: the MD5 of the projected values."""
        rows = pa.Table.from_batches(table.to_batches(max_chunksize=BATCH_ROWS), table.schema)
        with registered(self.con, rows, _ROWS_VIEW):
            ids = self.con.sql(self._ids).to_arrow_table()
        if not ids["source_offset"].equals(table["source_offset"]):  # in order, unless a plan reorders
            table, ids = table.sort_by("source_offset"), ids.sort_by("source_offset")
        return table.add_column(0, "record_id", ids["record_id"])

    def lines(self, lines: pa.Array, offsets: pa.Array) -> pa.Table:
        """Project JSON lines (each one object), each with its record index in the file, in file order.

        Raises ``duckdb.Error`` when a line is not valid JSON."""
        with registered(self.cursor, _lines_table(lines, offsets), _LINES_VIEW):
            table = self.cursor.sql(self._sql(self._lines, "__offset")).to_arrow_table()
        # In file order unless the plan reordered rows (an IN list becomes a join): the first of two
        # identical records is then the one kept.
        index = table["source_offset"].to_numpy()
        return table if bool(np.all(index[1:] > index[:-1])) else table.sort_by("source_offset")

    def records(self, records: Sequence[tuple[int, dict[str, object]]]) -> pa.Table:
        """Project records checked in Python: only their ``columns`` are passed on."""
        keys = list(self.columns)
        lines = [orjson.dumps({k: record.get(k) for k in keys}).decode() for _, record in records]
        return self.lines(pa.array(lines, pa.string()), pa.array([i for i, _ in records], pa.int64()))

    def file(self, path: Path, fmt: str) -> Iterator[pa.Table]:
        """Project a file with DuckDB's reader (``newline_delimited`` or ``array``), which numbers the
        records as it meets them, in tables of ``TABLE_ROWS`` rows, in file order.

        Raises ``duckdb.Error`` at the first record it refuses."""
        cols = "{" + ", ".join(f"'{_q(k)}': '{_q(v)}'" for k, v in self.columns.items()) + "}"
        source = f"""read_json(?, format='{fmt}', columns={cols}, maximum_object_size={MAX_JSON_RECORD_BYTES})
                     WITH ORDINALITY"""
        reader = self.cursor.sql(self._sql(source, "ordinality - 1"), params=[str(path)])
        for batch in reader.to_arrow_reader(TABLE_ROWS):
            yield pa.Table.from_batches([batch])


def _lines_table(lines: pa.Array | list[str], offsets: pa.Array | list[int]) -> pa.Table:
    if not isinstance(lines, pa.Array):
        lines, offsets = pa.array(lines, pa.string()), pa.array(offsets, pa.int64())
    table = pa.table({"__line": lines, "__offset": offsets})
    return pa.Table.from_batches(table.to_batches(max_chunksize=BATCH_ROWS), table.schema)


def _read_lines(
    path: Path, ctx: ReadContext, projection: Projection, start: int = 0
) -> Iterator[tuple[pa.Table | None, int]]:
    """JSON lines block by block, from record ``start`` on."""
    index = 0
    with path.open("rb") as f:
        for block in line_blocks(f):
            lines, fast = split_lines(block)
            first, index = max(index, start), index + len(lines)
            if first >= index:
                yield None, len(block)
                continue
            lines = lines.slice(len(lines) - (index - first))
            table = None
            if fast:
                try:
                    table = projection.lines(lines, pa.array(np.arange(first, index, dtype=np.int64)))
                except duckdb.Error:
                    table = None
            if table is None:
                table = _careful_lines(lines, first, ctx, projection)
            yield table, len(block)


def _careful_lines(lines: pa.Array, first: int, ctx: ReadContext, projection: Projection) -> pa.Table:
    """The records of a block, one by one: the bad ones quarantined, the others projected."""
    good: list[tuple[int, dict[str, object]]] = []
    for i, line in enumerate(lines.cast(pa.binary()).to_pylist()):
        for index, record in _checked_line(first + i, line, ctx):
            if isinstance(record, dict):
                good.append((index, record))
            else:
                ctx.quarantine(index, "record is not a JSON object", orjson.dumps(record)[:300])
    return projection.records(good)


def _read_records(path: Path, ctx: ReadContext, projection: Projection, start: int = 0) -> pa.Table:
    """A JSON array or a Graph page record by record, from record ``start`` on."""
    good: list[tuple[int, dict[str, object]]] = []
    for index, record in iter_raw_records(path, ctx):
        if index < start:
            continue
        if isinstance(record, dict):
            good.append((index, record))
        else:
            ctx.quarantine(index, "record is not a JSON object", orjson.dumps(record)[:300])
    return projection.records(good)


def line_blocks(f: io.BufferedIOBase, size: int = BLOCK_BYTES) -> Iterator[memoryview]:
    """The file in blocks of whole lines, without a leading byte order mark. A line longer than
    ``MAX_JSON_RECORD_BYTES`` is cut just past that length (enough to be seen as too large)."""
    rest = f.read(len(_BOM))  # then the start of a line that the last block cut
    if rest == _BOM:
        rest = b""
    skipping = False  # inside the unread tail of a line that was too long
    while True:
        buf = bytearray(len(rest) + size)  # a new buffer each time: the last block may still be in use
        buf[: len(rest)] = rest
        view = memoryview(buf)
        got = f.readinto(view[len(rest) :])
        if not got:
            break
        end, start = len(rest) + got, 0
        if skipping:
            start = buf.find(b"\n", start, end) + 1
            if not start:
                rest = b""
                continue
            skipping = False
        cut = buf.rfind(b"\n", start, end) + 1
        if cut:
            yield view[start:cut]
            start = cut
        rest = bytes(view[start:end])
        if len(rest) > MAX_JSON_RECORD_BYTES:
            yield memoryview(rest[: MAX_JSON_RECORD_BYTES + 1])
            rest, skipping = b"", True
    if rest and not skipping:
        yield memoryview(rest)


def split_lines(block: memoryview) -> tuple[pa.Array, bool]:
    """The non-blank lines of a block (as ``bytes.strip`` sees blank), as text, and whether the fast
    path can take them all: valid UTF-8, each an object (starts with ``{``), none too large."""
    buf = np.frombuffer(block, np.uint8)
    bounds = np.flatnonzero(buf == ord("\n")) + 1
    if not len(bounds) or bounds[-1] != len(buf):
        bounds = np.append(bounds, len(buf))
    bounds = np.concatenate(([0], bounds)).astype(np.int32)
    starts = bounds[:-1]
    first = buf[starts]
    fast = bool(np.all(np.diff(bounds) <= MAX_JSON_RECORD_BYTES))
    keep = None
    for i in np.flatnonzero(first != ord("{")).tolist():
        stripped = bytes(block[bounds[i] : bounds[i + 1]]).strip()
        if not stripped:
            keep = np.ones(len(starts), bool) if keep is None else keep
            keep[i] = False
        elif not stripped.startswith(b"{"):
            fast = False
    lines = pa.StringArray.from_buffers(len(starts), pa.py_buffer(bounds), pa.py_buffer(block))
    if keep is not None:
        lines = lines.filter(pa.array(keep))
    try:
        lines.validate(full=True)
    except pa.ArrowInvalid:
        fast = False
    return lines, fast


def _gathered(
    blocks: Iterator[tuple[pa.Table | None, int]], rows: int = TABLE_ROWS
) -> Iterator[tuple[pa.Table | None, int]]:
    """Blocks gathered into tables of ``rows`` rows (the last one shorter), with the bytes they came
    from."""
    waiting: list[pa.Table] = []
    count = nbytes = 0
    for table, size in blocks:
        nbytes += size
        if table is not None and table.num_rows:
            waiting.append(table)
            count += table.num_rows
        while count >= rows:
            gathered = pa.concat_tables(waiting)
            yield gathered.slice(0, rows), nbytes
            waiting, count, nbytes = [gathered.slice(rows)], count - rows, 0
    if count or nbytes:
        yield (pa.concat_tables(waiting) if waiting else None), nbytes


_END = object()


def _ahead(items: Generator[T]) -> Generator[T]:
    """``items``, each made in a worker thread while the caller uses the one before (DuckDB lets go of
    the GIL, so the next rows are read while the last ones are written)."""
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="vigil-json") as pool:
            future = pool.submit(next, items, _END)
            while (item := future.result()) is not _END:
                future = pool.submit(next, items, _END)
                yield cast(T, item)
    finally:
        items.close()


def split_required(
    table: pa.Table, ctx: ReadContext, schema: pa.Schema, required: Sequence[str]
) -> Iterator[pa.Table]:
    """Quarantine the rows missing a ``required`` value; yield the others in ``schema``, in slices."""
    missing_mask = None
    for name in required:
        mask = pc.is_null(table[name])
        missing_mask = mask if missing_mask is None else pc.or_(missing_mask, mask)
    if missing_mask is not None and pc.any(missing_mask).as_py():
        bad = table.filter(missing_mask)
        for row in bad.to_pylist():
            absent = [n for n in required if row.get(n) is None]
            excerpt = orjson.dumps({k: v for k, v in row.items() if v is not None}, default=str).decode()
            ctx.quarantine(row["source_offset"], f"missing {', '.join(absent)}", excerpt)
        table = table.filter(pc.invert(missing_mask))
    if "source" not in table.column_names:
        table = table.append_column("source", pa.repeat(pa.scalar(ctx.source, pa.string()), table.num_rows))
    for start in range(0, table.num_rows, SLICE_ROWS):
        yield conform(table.slice(start, SLICE_ROWS), schema)


def _q(text: str) -> str:
    return text.replace("'", "''")


def _qi(name: str) -> str:
    return name.replace('"', '""')
