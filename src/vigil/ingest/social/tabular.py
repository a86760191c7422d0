"""Research exports as tables of text columns: CSV (any of , tab ; |) and JSON lines.

Both become an Arrow table whose columns are the file's columns (names normalized to
``snake_case``), every value as text (a JSON array or object as its JSON text), plus ``__index``: the
0-based row (CSV, after the header) or line (JSON lines) number, for ``source_offset``.

The fast path hands the file to DuckDB's C++ readers. When one refuses the file because some row is
malformed (a CSV row with the wrong number of fields, a line that is not JSON), the careful path
reads it in Python, quarantines the bad rows with their number and keeps the rest.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa

from vigil.ingest.base import ReadContext
from vigil.ingest.limits import MAX_JSON_RECORD_BYTES

DELIMITERS = (",", "\t", ";", "|")
SAMPLE_LINES = 200


def norm(name: str) -> str:
    """``Screen Name`` -> ``screen_name``; ``link_attachment.link`` -> ``link_attachment_link``."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lstrip("\ufeff").lower()).strip("_")


# -- sniffing ---------------------------------------------------------------------------------------


def csv_header(head: bytes) -> tuple[list[str], str] | None:
    """The raw column names of a CSV head and its delimiter, or None if the head is not a CSV."""
    if b"\x00" in head[:4096]:  # binary
        return None
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first or first.lstrip()[:1] in ("{", "[", "<", "#"):
        return None
    delimiter = max(DELIMITERS, key=first.count)
    if first.count(delimiter) == 0:
        return None
    try:
        names = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    if any(len(n) > 100 for n in names):  # a data row or prose, not a header
        return None
    return names, delimiter


def csv_columns(head: bytes) -> set[str]:
    found = csv_header(head)
    return {norm(n) for n in found[0]} if found else set()


def jsonl_keys(head: bytes) -> set[str]:
    """Normalized top-level keys of the first JSON object of a JSON-lines head (empty if it is not one)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return set()
    first = text.split(b"\n", 1)[0]
    try:
        obj = orjson.loads(first)
    except orjson.JSONDecodeError:
        return set()
    return {norm(k) for k in obj} if isinstance(obj, dict) else set()


# -- reading ----------------------------------------------------------------------------------------


def read_csv_text(path: Path, ctx: ReadContext, wanted: Iterable[str]) -> pa.Table:
    """The ``wanted`` columns (normalized names) of a CSV, all text, plus ``__index``."""
    with path.open("rb") as f:
        found = csv_header(f.read(65536))
    if found is None:
        ctx.quarantine(0, "no CSV header line")
        return _empty(wanted)
    names, delimiter = found
    normalized = [norm(n) for n in names]
    picks = _first_positions(normalized, wanted)
    try:
        table = _csv_fast(ctx.con, path, len(names), delimiter, picks)
    except duckdb.Error:
        table = _csv_careful(path, ctx, len(names), delimiter, picks)
    ctx.advance(path.stat().st_size)
    return table


def _first_positions(normalized: list[str], wanted: Iterable[str]) -> dict[str, int]:
    wanted_set = set(wanted)
    picks: dict[str, int] = {}
    for position, name in enumerate(normalized):
        if name in wanted_set and name not in picks:
            picks[name] = position
    return picks


def _csv_fast(
    con: duckdb.DuckDBPyConnection, path: Path, width: int, delimiter: str, picks: dict[str, int]
) -> pa.Table:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    selected = ", ".join(f'c{i} AS "{name}"' for name, i in picks.items())
    sql = f"""
        SELECT row_number() OVER () - 1 AS __index{", " if selected else ""}{selected}
        FROM read_csv(?, auto_detect=false, header=true, delim=?, quote='"', escape='"',
                      columns={columns}, strict_mode=true, null_padding=false, encoding='utf-8')
    """
    return con.sql(sql, params=[str(path), delimiter]).to_arrow_table()


def _csv_careful(path: Path, ctx: ReadContext, width: int, delimiter: str, picks: dict[str, int]) -> pa.Table:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    index_col: list[int] = []
    cols: dict[str, list[str | None]] = {name: [] for name in picks}
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader, None)
        index = -1
        while True:
            index += 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                ctx.quarantine(index, f"malformed CSV row: {exc}")
                continue
            if not row:
                index -= 1  # the fast path skips blank lines too
                continue
            if len(row) != width:
                reason = f"CSV row has {len(row)} fields, the header {width}"
                ctx.quarantine(index, reason, delimiter.join(row))
                continue
            index_col.append(index)
            for name, position in picks.items():
                cols[name].append(row[position] or None)
    arrays = {"__index": pa.array(index_col, pa.int64())}
    arrays.update({name: pa.array(values, pa.string()) for name, values in cols.items()})
    return pa.table(arrays)


def read_jsonl_text(path: Path, ctx: ReadContext, wanted: Iterable[str]) -> pa.Table:
    """The ``wanted`` keys (normalized names) of every JSON-lines record, all text, plus ``__index``."""
    wanted_set = set(wanted)
    keys = _sample_keys(path)
    picks: dict[str, str] = {}
    for key in keys:
        name = norm(key)
        if name in wanted_set and name not in picks:
            picks[name] = key
    try:
        table = _jsonl_fast(ctx.con, path, picks)
    except duckdb.Error:
        table = _jsonl_careful(path, ctx, picks)
    ctx.advance(path.stat().st_size)
    return table


def _sample_keys(path: Path) -> list[str]:
    keys: dict[str, None] = {}
    with path.open("rb") as f:
        for count, line in enumerate(f):
            if count >= SAMPLE_LINES:
                break
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                keys.update(dict.fromkeys(obj))
    return list(keys)


def _q(text: str) -> str:
    return text.replace("'", "''")


def _jsonl_fast(con: duckdb.DuckDBPyConnection, path: Path, picks: dict[str, str]) -> pa.Table:
    if not picks:
        raise duckdb.InvalidInputException("no known keys")  # let the careful path report the file
    columns = "{" + ", ".join(f"'{_q(key)}': 'VARCHAR'" for key in picks.values()) + "}"
    selected = ", ".join(f'"{key.replace(chr(34), chr(34) * 2)}" AS "{name}"' for name, key in picks.items())
    sql = f"""
        SELECT row_number() OVER () - 1 AS __index, {selected}
        FROM read_json(?, format='newline_delimited', columns={columns},
                       maximum_object_size={MAX_JSON_RECORD_BYTES})
    """
    table = con.sql(sql, params=[str(path)]).to_arrow_table()
    if _has_blank_lines(path):  # DuckDB skips blank lines: number the records as the careful path does
        raise duckdb.InvalidInputException("blank lines")
    return table


def _has_blank_lines(path: Path) -> bool:
    with path.open("rb") as f:
        return any(not line.strip() for line in f)


def _jsonl_careful(path: Path, ctx: ReadContext, picks: dict[str, str]) -> pa.Table:
    index_col: list[int] = []
    cols: dict[str, list[str | None]] = {name: [] for name in picks}
    with path.open("rb") as f:
        for index, line in enumerate(f):
            if not line.strip():
                continue
            if len(line) > MAX_JSON_RECORD_BYTES:
                ctx.quarantine(index, f"record larger than {MAX_JSON_RECORD_BYTES} bytes", line[:300])
                continue
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                ctx.quarantine(index, f"invalid JSON: {exc}", line)
                continue
            if not isinstance(obj, dict):
                ctx.quarantine(index, "record is not a JSON object", line)
                continue
            index_col.append(index)
            for name, key in picks.items():
                cols[name].append(_text(obj.get(key)))
    arrays = {"__index": pa.array(index_col, pa.int64())}
    arrays.update({name: pa.array(values, pa.string()) for name, values in cols.items()})
    return pa.table(arrays)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return orjson.dumps(value).decode()


def _empty(wanted: Iterable[str]) -> pa.Table:
    return pa.table({"__index": pa.array([], pa.int64()), **{n: pa.array([], pa.string()) for n in wanted}})
