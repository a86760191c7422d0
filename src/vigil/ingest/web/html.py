"""A saved web page (``.html``): one row of ``pages``.

Its URL is the page's own ``<link rel=canonical>`` or ``og:url``; failing both it stays null (no guess
from the file name, which is often a crawler's mangling of the URL). Without a URL, relative links
cannot be resolved and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from vigil.ids import content_hash
from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.limits import MAX_HTML_BYTES, ParseTimeout, deadline
from vigil.ingest.web.page import parse_page
from vigil.schema import PAGES

SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def sniff(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in SUFFIXES:
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    return start.startswith((b"<!doctype html", b"<html"))


def page_row(
    raw: bytes,
    ctx: ReadContext,
    offset: int,
    *,
    url: str | None = None,
    fetched_at: datetime | None = None,
    charset: str | None = None,
) -> dict[str, Any] | None:
    """The ``pages`` row of one document, or None (quarantined) when it is too large or will not parse."""
    if len(raw) > MAX_HTML_BYTES:
        ctx.quarantine(offset, f"page larger than {MAX_HTML_BYTES} bytes", raw[:300])
        return None
    try:
        with deadline():
            row = parse_page(raw, url=url, fetched_at=fetched_at, charset=charset)
    except ParseTimeout as exc:
        ctx.quarantine(offset, f"page parse timeout: {exc}", raw[:300])
        return None
    except Exception as exc:  # one bad page must not stop the run
        ctx.quarantine(offset, f"page parse error: {type(exc).__name__}: {exc}", raw[:300])
        return None
    row["record_id"] = content_hash("page", row["url"], row["fetched_at"], row["html_sha256"])
    row["source"] = ctx.source
    row["source_offset"] = offset
    return row


@adapter("html", table="pages", sniff=sniff, description="A saved web page (.html): text, links, trackers")
def read_html(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    size = path.stat().st_size
    with path.open("rb") as f:
        raw = f.read(MAX_HTML_BYTES + 1)
    ctx.advance(size)
    row = page_row(raw, ctx, 0)
    if row is not None:
        yield pa.Table.from_pylist([row], schema=PAGES)
