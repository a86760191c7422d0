"""Bounds on every parser: input written by attackers must not exhaust memory or hang the run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # one e-mail; larger ones are quarantined
MAX_HEADER_BYTES = 256 * 1024  # all headers of one message
MAX_MIME_DEPTH = 16
MAX_MIME_PARTS = 256
MAX_TEXT_CHARS = 100_000  # body / page text kept per record
MAX_URLS = 500  # URLs kept per message, page or post
MAX_HTML_BYTES = 20 * 1024 * 1024  # one page
MAX_JSON_RECORD_BYTES = 4 * 1024 * 1024  # one JSON record (line or array element)
MAX_JSON_DOCUMENT_BYTES = 1024 * 1024 * 1024  # one JSON document read whole (a Graph page, a bundle)
MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024  # one attachment or WARC record after decompression
RECORD_SECONDS = 5.0  # wall-clock budget for parsing one record
EXCERPT_CHARS = 300  # of a quarantined record


class ParseTimeout(Exception):
    """A record took longer than its budget to parse."""


@contextmanager
def deadline(seconds: float = RECORD_SECONDS) -> Iterator[None]:
    """Raise ``ParseTimeout`` in this block after ``seconds`` (main thread on POSIX; else unbounded)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ParseTimeout(f"parsing took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
