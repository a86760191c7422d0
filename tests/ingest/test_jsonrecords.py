"""JSON records: every path (DuckDB's reader, blocks of lines, record by record) gives the same rows,
with each record's exact index in the file."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from vigil.ingest import jsonrecords
from vigil.ingest.run import ingest
from vigil.workspace import Workspace

EVENT = {
    "createdDateTime": "2024-09-12T02:10:33Z",
    "userPrincipalName": "Jane.Doe@CalderCounty.gov",
    "ipAddress": "185.220.101.4",
    "clientAppUsed": "IMAP4",
    "status": {"errorCode": 50126, "failureReason": "Invalid username or password."},
    "location": {"city": "Frankfurt", "countryOrRegion": "DE", "geoCoordinates": {"latitude": 50.1}},
}


def _events(n: int) -> list[str]:
    return [json.dumps({**EVENT, "id": str(i)}) for i in range(n)]


def _signins(ws: Workspace) -> list[dict[str, object]]:
    with ws.connect(read_only=True) as con:
        rows = con.sql("SELECT * EXCLUDE (source) FROM signins ORDER BY source_offset").to_arrow_table()
    return rows.to_pylist()


@pytest.fixture
def small_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables and blocks of a few records, so that small files take every path."""
    monkeypatch.setattr(jsonrecords, "TABLE_ROWS", 7)
    monkeypatch.setattr(jsonrecords, "BLOCK_BYTES", 2000)


def test_a_refused_record_midway_keeps_every_offset_and_id(
    small_tables: None, tmp_path: Path, workspace: Workspace
) -> None:
    lines = _events(60)
    clean = tmp_path / "clean.jsonl"
    clean.write_text("\n".join(lines) + "\n")
    # DuckDB's reader refuses line 31 (not JSON) and line 45 (a string where an object is typed): the
    # rows before come from it, the others from the block path, numbered by their place in the file.
    lines[45] = json.dumps({**json.loads(lines[45]), "location": "Frankfurt"})
    dirty = tmp_path / "dirty.jsonl"
    dirty.write_text("\n".join([*lines[:31], "{not json", "   ", *lines[31:]]) + "\n")
    ingest(workspace, [clean])
    expected = _signins(workspace)
    other = Workspace.init(tmp_path / "other")
    summary = ingest(other, [dirty])
    assert summary.quarantined == 1 and summary.tables["signins"] == 60
    got = _signins(other)
    assert [r["event_id"] for r in got] == [str(i) for i in range(60)]
    assert [r["source_offset"] for r in got] == [*range(31), *range(32, 61)]
    assert [r["record_id"] for r in got if r["event_id"] != "45"] == [
        r["record_id"] for r in expected if r["event_id"] != "45"
    ]
    assert next(r for r in got if r["event_id"] == "45")["country"] is None
    with other.connect(read_only=True) as con:
        assert con.execute("SELECT source_offset, reason FROM quarantine").fetchall()[0][0] == 31


def test_the_block_path_goes_on_where_the_reader_stopped(
    small_tables: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workspace: Workspace
) -> None:
    """DuckDB's reader may hand on whole tables before it meets a record it refuses (it reads ahead,
    so only in large files): the records after them are read once, from the first one not handed on."""
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(["", *_events(30)]) + "\n")
    ingest(workspace, [path])
    expected = _signins(workspace)
    read_file = jsonrecords.Projection.file

    def stops_after_one_table(self: jsonrecords.Projection, path: Path, fmt: str) -> Iterator[pa.Table]:
        yield next(iter(read_file(self, path, fmt)))
        raise duckdb.InvalidInputException("Malformed JSON")

    monkeypatch.setattr(jsonrecords.Projection, "file", stops_after_one_table)
    other = Workspace.init(tmp_path / "other")
    summary = ingest(other, [path])
    assert summary.tables["signins"] == 30 and summary.skipped_duplicates == 0
    assert _signins(other) == expected


def test_reingest_adds_nothing_on_any_path(small_tables: None, tmp_path: Path, workspace: Workspace) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("\ufeff" + "\n".join([*_events(20), "[1, 2]", *_events(40)[20:]]) + "\n")
    first = ingest(workspace, [path])
    assert first.tables["signins"] == 40 and first.quarantined == 1  # the array is not an object
    again = ingest(workspace, [path])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 40


def test_byte_order_mark_and_crlf(tmp_path: Path, workspace: Workspace) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(_events(3)).encode() + b"\r\n\r\n")
    assert ingest(workspace, [path]).tables["signins"] == 3
    assert [r["source_offset"] for r in _signins(workspace)] == [0, 1, 2]


def test_documents_read_whole_quarantine_what_they_cannot_use(tmp_path: Path, workspace: Workspace) -> None:
    """A page with a byte-order mark is read; one that nests deeper than JSON can be written back, or
    holds no list, is quarantined with the file's first bytes, and the run goes on."""
    page = tmp_path / "page.json"
    events = [json.loads(e) for e in _events(2)]
    page.write_bytes(b"\xef\xbb\xbf" + json.dumps({"value": events}, indent=1).encode())
    deep = tmp_path / "deep.json"
    deep.write_text('{"value":\n' + '{"a":' * 300 + "1" + "}" * 301)
    summary = ingest(workspace, [page, deep], "entra")
    assert summary.tables["signins"] == 2 and summary.quarantined == 1
    assert summary.reasons == {"JSON document holds no list of records": 1}


def test_line_blocks_cut_at_line_ends_and_bound_long_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonrecords, "MAX_JSON_RECORD_BYTES", 50)
    data = b"\xef\xbb\xbf" + b"a" * 10 + b"\n" + b"b" * 120 + b"\n" + b"c" * 30 + b"\n" + b"d" * 5
    blocks = [bytes(b) for b in jsonrecords.line_blocks(io.BytesIO(data), size=16)]
    lines = b"".join(b if b.endswith(b"\n") else b + b"\n" for b in blocks).splitlines()
    assert lines == [b"a" * 10, b"b" * 51, b"c" * 30, b"d" * 5]  # the long line is cut past the limit


def test_split_lines_skips_blank_lines_and_flags_what_the_fast_path_cannot_take() -> None:
    lines, fast = jsonrecords.split_lines(memoryview(b'{"a": 1}\n  \n\t\r\n {"b": 2}\n'))
    assert lines.to_pylist() == ['{"a": 1}\n', ' {"b": 2}\n'] and fast
    assert not jsonrecords.split_lines(memoryview(b'{"a": 1}\n[1]\n'))[1]
    assert not jsonrecords.split_lines(memoryview(b'{"a": "\xff"}\n'))[1]


def test_projection_rows_come_in_file_order(workspace: Workspace) -> None:
    with workspace.connect() as con, jsonrecords.Projection(con, {"x": "VARCHAR"}, "x") as projection:
        lines = pa.array([json.dumps({"x": str(i)}) for i in range(50_000)])
        table = projection.lines(lines, pa.array(range(7, 50_007), pa.int64()))
    assert table["source_offset"].to_pylist() == list(range(7, 50_007))
    assert table["x"].to_pylist() == [str(i) for i in range(50_000)]
