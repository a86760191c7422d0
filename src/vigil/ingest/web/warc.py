"""A web archive (``.warc`` / ``.warc.gz``): every HTML response in it is a row of ``pages``.

``url`` is the record's ``WARC-Target-URI`` and ``fetched_at`` its ``WARC-Date``. Only ``response``
(and ``resource``) records whose payload is HTML and whose HTTP status is 2xx become pages; the other
records (requests, metadata, images, scripts, redirects) are passed over and counted in the log.
A record that cannot be read is quarantined at its byte offset, and reading goes on from the next
record start found after it (the next ``WARC/1.`` line, or the next gzip member).
"""

from __future__ import annotations

import contextlib
import io
import logging
import mmap
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
from warcio.archiveiterator import ArchiveIterator

from vigil.ingest.base import ReadContext, RowBuffer, adapter
from vigil.ingest.limits import MAX_HTML_BYTES
from vigil.ingest.web.html import page_row
from vigil.ingest.web.page import parse_time
from vigil.schema import PAGES

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b\x08"


def sniff(path: Path, head: bytes) -> bool:
    if head.startswith(b"WARC/1."):
        return True
    if head.startswith(_GZIP_MAGIC):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16).startswith(b"WARC/1.")
        except zlib.error:
            return False
    return False


@dataclass
class _Record:
    offset: int
    end: int
    rec_type: str
    uri: str | None
    date: datetime | None
    content_type: str
    status: int | None
    payload: bytes | None  # read only for HTML candidates
    error: str | None = None  # why the record is broken (then it is quarantined, not read)


class _QuietIterator(ArchiveIterator):
    """warcio's iterator, without its warnings on stderr: a record whose length is wrong shows in
    ``err_count``, which the adapter turns into a quarantined record."""

    def _consume_blanklines(self) -> Any:
        with contextlib.redirect_stderr(io.StringIO()):
            return super()._consume_blanklines()


@adapter("warc", table="pages", sniff=sniff, description="A web archive (WARC, .warc.gz): its HTML responses")
def read_warc(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    buffer = RowBuffer(PAGES, batch_rows=500)
    pages = skipped = 0
    for rec in _records(path, ctx):
        if rec.payload is None:
            skipped += 1
            continue
        row = page_row(
            rec.payload, ctx, rec.offset, url=rec.uri, fetched_at=rec.date, charset=_charset(rec.content_type)
        )
        if row is None:
            continue
        pages += 1
        table = buffer.add(row)
        if table is not None:
            yield table
    last = buffer.flush()
    if last is not None:
        yield last
    ctx.pass_over("non-HTML or non-2xx WARC record", skipped)


def _records(path: Path, ctx: ReadContext) -> Iterator[_Record]:
    size = path.stat().st_size
    if size == 0:
        return
    done = 0  # bytes reported to the progress bar
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        gzipped = mm[:3] == _GZIP_MAGIC
        start: int | None = 0
        while start is not None:
            good_end = start
            f.seek(start)
            try:
                for rec in _iterate(f, start):
                    good_end = rec.end
                    if rec.end > done:
                        ctx.advance(rec.end - done)
                        done = rec.end
                    if rec.error:
                        ctx.quarantine(rec.offset, rec.error, mm[rec.offset : rec.offset + 300])
                        continue
                    yield rec
                start = None
            except Exception as exc:  # a broken record: note it, then look for the next one
                bad = good_end
                detail = str(exc).split(", first line:")[0].encode("ascii", "backslashreplace").decode()[:120]
                reason = f"unreadable WARC record: {type(exc).__name__}: {detail}"
                ctx.quarantine(bad, reason, mm[bad : bad + 300])
                start = _next_record_start(mm, bad + 1, gzipped)
    ctx.advance(max(0, size - done))


def _iterate(f: BinaryIO, base: int) -> Iterator[_Record]:
    it = _QuietIterator(f, check_digests=False)
    for record in it:
        errors_before = it.err_count
        headers = record.rec_headers
        http = record.http_headers
        content_type = (http.get_header("Content-Type") if http else None) or ""
        if record.rec_type == "resource":
            content_type = headers.get_header("Content-Type") or ""
        status = _status(http.get_statuscode() if http else None)
        is_page = (
            record.rec_type in ("response", "resource")
            and content_type.split(";", 1)[0].strip().lower() in HTML_TYPES
            and (status is None or 200 <= status < 300)
        )
        payload = record.content_stream().read(MAX_HTML_BYTES + 1) if is_page else None
        offset = base + it.get_record_offset()  # reads the record to its end
        error = None
        if getattr(record.raw_stream, "limit", 0) > 0:
            error = "truncated WARC record (shorter than its Content-Length)"
        elif it.err_count > errors_before:
            error = "malformed WARC record (its Content-Length does not match its content)"
        yield _Record(
            offset=offset,
            end=offset + it.get_record_length(),
            rec_type=record.rec_type,
            uri=headers.get_header("WARC-Target-URI"),
            date=parse_time(headers.get_header("WARC-Date") or ""),
            content_type=content_type,
            status=status,
            payload=None if error else payload,
            error=error,
        )


def _status(code: str | None) -> int | None:
    try:
        return int(code) if code else None
    except ValueError:
        return None


def _charset(content_type: str) -> str | None:
    found = _CHARSET.search(content_type)
    return found.group(1) if found else None


def _next_record_start(mm: mmap.mmap, pos: int, gzipped: bool) -> int | None:
    if gzipped:
        found = mm.find(_GZIP_MAGIC, pos)
    else:
        found = mm.find(b"\nWARC/1.", pos)
        found = found + 1 if found >= 0 else found
    return found if found >= 0 else None
