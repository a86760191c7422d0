"""Web archives (WARC, .warc.gz) into ``pages``: HTML responses only; broken records quarantined."""

from __future__ import annotations

import gzip as gzip_module
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace

PAGE = (
    "<html lang='de'><head><title>Wahlbetrug in {city}?</title>"
    "<script>gtag('config', 'G-9XV905XLDW')</script></head><body><article>"
    + "<p>Die Briefwahl in {city} wurde angeblich manipuliert, berichten anonyme Quellen. </p>" * 3
    + "<a href='/impressum'>Impressum</a> <a href='https://rrn.media/de/x'>RRN</a></article></body></html>"
)


def _record(
    writer: WARCWriter,
    url: str,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    rec_type: str = "response",
    date: str = "2024-05-02T10:00:00Z",
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, rec_type, payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
    )
    writer.write_record(record)


def _warc(gzip: bool, broken: str | None = None) -> bytes:
    """Berlin page, a PNG, a redirect, a request, a Köln page. ``broken``: ``junk`` puts a record with
    a bad Content-Length after the PNG; ``corrupt`` damages the PNG's gzip member."""
    records: list[bytes] = []
    for build in (
        lambda w: _record(w, "https://www.spiegel-news.de/berlin", PAGE.format(city="Berlin").encode()),
        lambda w: _record(w, "https://www.spiegel-news.de/logo.png", b"\x89PNG" * 50, "image/png"),
        lambda w: _record(w, "https://www.spiegel-news.de/old", b"<html>moved</html>", status="301 Moved"),
        lambda w: w.write_record(
            w.create_warc_record(
                "https://www.spiegel-news.de/berlin",
                "request",
                payload=io.BytesIO(b"GET /berlin HTTP/1.1\r\n\r\n"),
            )
        ),
        lambda w: _record(
            w,
            "https://www.spiegel-news.de/koeln",
            PAGE.format(city="Köln").encode(),
            date="2024-05-03T11:30:00Z",
        ),
    ):
        buf = io.BytesIO()
        build(WARCWriter(buf, gzip=gzip))
        records.append(buf.getvalue())
    if broken == "junk":
        junk = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: banana\r\n\r\nnot a record\r\n\r\n"
        records.insert(2, gzip_module.compress(junk) if gzip else junk)
    elif broken == "corrupt":
        png = bytearray(records[1])
        png[len(png) // 2 : len(png) // 2 + 20] = b"\xff" * 20
        records[1] = bytes(png)
    return b"".join(records)


def _pages(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM pages ORDER BY url").to_arrow_table().to_pylist()


@pytest.mark.parametrize("gzip", [False, True])
def test_html_responses_become_pages(workspace: Workspace, tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    path.write_bytes(_warc(gzip))
    assert (found := sniff(path)) is not None and found.name == "warc"
    summary = ingest(workspace, [path])
    assert summary.tables["pages"] == 2 and summary.quarantined == 0
    berlin, koeln = _pages(workspace)
    assert berlin["url"] == "https://www.spiegel-news.de/berlin"
    assert berlin["fetched_at"] == datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    assert koeln["fetched_at"] == datetime(2024, 5, 3, 11, 30, tzinfo=UTC)
    assert berlin["title"] == "Wahlbetrug in Berlin?" and koeln["title"] == "Wahlbetrug in Köln?"
    assert berlin["language"] == "de" and berlin["tracker_ids"] == ["G-9XV905XLDW"]
    assert berlin["links"] == ["https://www.spiegel-news.de/impressum", "https://rrn.media/de/x"]
    assert berlin["outbound_domains"] == ["rrn.media"] and berlin["registered_domain"] == "spiegel-news.de"
    assert "Briefwahl in Berlin" in str(berlin["text"])
    offsets = {p["source_offset"] for p in (berlin, koeln)}
    assert 0 in offsets and len(offsets) == 2
    again = ingest(workspace, [path])
    assert again.tables["pages"] == 0 and again.skipped_duplicates == 2


@pytest.mark.parametrize(("gzip", "broken"), [(False, "junk"), (True, "junk"), (True, "corrupt")])
def test_broken_record_is_quarantined_and_reading_goes_on(
    workspace: Workspace, tmp_path: Path, gzip: bool, broken: str
) -> None:
    path = tmp_path / ("broken.warc.gz" if gzip else "broken.warc")
    path.write_bytes(_warc(gzip, broken))
    summary = ingest(workspace, [path])
    assert summary.quarantined == 1
    reason = next(iter(summary.reasons))
    assert reason.startswith(("malformed WARC record", "unreadable WARC record")), reason
    assert [p["title"] for p in _pages(workspace)] == ["Wahlbetrug in Berlin?", "Wahlbetrug in Köln?"]
    with workspace.connect(read_only=True) as con:
        ((offset,),) = con.execute("SELECT source_offset FROM quarantine").fetchall()
    assert offset > 0


def test_truncated_archive_keeps_the_pages_before(workspace: Workspace, tmp_path: Path) -> None:
    data = _warc(False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 200])
    summary = ingest(workspace, [path])
    assert summary.tables["pages"] == 1 and summary.quarantined == 1


def test_sniff_leaves_other_gzip_files_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt.gz"
    path.write_bytes(gzip_module.compress(b"just some text\n"))
    found = sniff(path)
    assert found is None or found.name != "warc"
