"""Split an mbox stream into messages, a block at a time: memory stays at one message plus one block.

A message starts at a ``From `` line that follows a blank line (or opens the file) and looks like
``From sender Mon Sep  2 10:00:00 2024``; a body line that merely starts with "From " does not split.
``>From `` lines lose one ``>`` (mboxrd; also undoes mboxo escaping).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from vigil.ingest import limits

BLOCK_BYTES = 1 << 20
MAX_FROM_LINE = 4096

_SEPARATOR = re.compile(rb"\n\r?\nFrom ")
_FROM_LINE = re.compile(rb"From \S*[ \t]+[^\n]*\d:\d\d")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_SEPARATOR_LEN = len(b"\n\r\nFrom ")


def is_from_line(line: bytes) -> bool:
    return bool(_FROM_LINE.match(line))


def _message(buf: bytearray, start: int, end: int, too_big: bool) -> bytes | None:
    if too_big or end - start > limits.MAX_MESSAGE_BYTES:
        return None
    raw = bytes(buf[start:end])
    return _ESCAPED_FROM.sub(rb"\1", raw) if b">From " in raw else raw


def iter_mbox(f: BinaryIO, block: int | None = None) -> Iterator[tuple[int, bytes | None, int]]:
    """Per message: (offset of its ``From `` line, its bytes or None when over the size limit, bytes read).

    The bytes read add up to the stream's length (text before the first ``From `` line counts with the
    first message). The blank line that precedes a ``From `` line is not part of the message before it.
    """
    block = block or BLOCK_BYTES
    buf = bytearray(b"\n\n")  # as if a blank line preceded the stream: a From line may open it
    base = -len(buf)  # stream offset of buf[0]
    start = -1  # stream offset of the current message's From line; -1 before the first
    reported = 0  # stream offset up to which bytes were reported
    content = 0  # index in buf where the current message's content starts
    scan = 0  # index in buf from which to look for the next separator
    too_big = False
    eof = False

    def refill() -> None:
        nonlocal eof
        more = f.read(block)
        if more:
            buf.extend(more)
        else:
            eof = True

    refill()
    while True:
        match = _SEPARATOR.search(buf, scan)
        if match is None:
            if eof:
                break
            if start < 0 or too_big or len(buf) - content > limits.MAX_MESSAGE_BYTES:
                too_big = too_big or start >= 0
                keep = max(0, len(buf) - _SEPARATOR_LEN)  # the rest is never needed again
                del buf[:keep]
                base += keep
                content = scan = 0
            else:
                scan = max(scan, len(buf) - _SEPARATOR_LEN)
            refill()
            continue
        at = match.end() - len(b"From ")
        newline = buf.find(b"\n", at, at + MAX_FROM_LINE)
        if newline < 0 and not eof and len(buf) - at < MAX_FROM_LINE:
            refill()  # the From line is not complete yet
            continue
        line_end = newline + 1 if newline >= 0 else min(len(buf), at + MAX_FROM_LINE)
        if not is_from_line(bytes(buf[at:line_end])):
            scan = match.end() - 1
            continue
        if start >= 0:
            yield start, _message(buf, content, match.start() + 1, too_big), base + at - reported
            reported = base + at
        start = base + at
        too_big = False
        del buf[:at]
        base += at
        content = line_end - at
        scan = content - 1
    if start >= 0:
        end = len(buf)
        if buf.endswith(b"\r\n\r\n"):
            end -= 2
        elif buf.endswith(b"\n\n"):
            end -= 1
        yield start, _message(buf, content, max(content, end), too_big), base + len(buf) - reported
