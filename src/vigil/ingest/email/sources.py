"""The e-mail adapters: one ``.eml`` file, an mbox file (streamed), a Maildir folder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vigil.ingest import limits
from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.email.mbox import is_from_line, iter_mbox
from vigil.ingest.email.parse import BadMessage, parse_message
from vigil.ingest.limits import ParseTimeout, deadline

EXCERPT_BYTES = 2_000

_FIELD = re.compile(rb"^([A-Za-z0-9][A-Za-z0-9_-]*)[ \t]*:")
#: Header fields that, at the top of a file, say "this is a stored e-mail".
_STRONG = {
    b"received",
    b"return-path",
    b"delivered-to",
    b"message-id",
    b"dkim-signature",
    b"authentication-results",
    b"x-received",
    b"arc-seal",
    b"x-original-to",
    b"received-spf",
}
_KNOWN = _STRONG | {
    b"from",
    b"to",
    b"cc",
    b"subject",
    b"date",
    b"mime-version",
    b"content-type",
    b"reply-to",
    b"sender",
    b"x-mailer",
    b"user-agent",
    b"content-transfer-encoding",
    b"x-originating-ip",
}


def _header_names(head: bytes, max_lines: int = 60) -> list[bytes] | None:
    """The field names at the top of ``head``, or None if its first line is not a header field."""
    names: list[bytes] = []
    for line in head.splitlines()[:max_lines]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t") and names:
            continue
        match = _FIELD.match(line)
        if not match:
            break
        names.append(match.group(1).lower())
    return names or None


def looks_like_headers(head: bytes, min_known: int = 2) -> bool:
    """Header fields at the top, with a tell-tale one (Received, Message-ID, ...) or enough known ones."""
    names = _header_names(head)
    if not names:
        return False
    known = {n for n in names if n in _KNOWN}
    return bool(known & _STRONG) or (len(known) >= min_known and (min_known < 2 or b"@" in head[:8192]))


def sniff_eml(path: Path, head: bytes) -> bool:
    # A file named .eml needs only one known field (some are bare: Content-Type and MIME-Version).
    return looks_like_headers(head, 1 if path.suffix.lower() == ".eml" else 2)


def sniff_mbox(path: Path, head: bytes) -> bool:
    first, _, rest = head.partition(b"\n")
    return is_from_line(first) and looks_like_headers(rest)


def sniff_maildir(path: Path, head: bytes) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def _parse(
    raw: bytes | None, offset: int, ctx: ReadContext, size: int, where: str = ""
) -> dict[str, Any] | None:
    """Parse one message into a row; quarantine it (never raise) when it cannot be read.

    ``where`` (a Maildir file name) is appended to the quarantine reason."""
    if raw is None:
        limit = limits.MAX_MESSAGE_BYTES
        ctx.quarantine(offset, f"message too large: {size:,} bytes (limit {limit:,}){where}")
        return None
    try:
        with deadline():
            row = parse_message(raw)
    except BadMessage as exc:
        reason = str(exc)
    except ParseTimeout as exc:
        reason = f"parse timeout: {exc}"
    except Exception as exc:  # hostile input must not stop the run
        reason = f"unparseable message: {type(exc).__name__}: {exc}"
    else:
        row["source"] = ctx.source
        row["source_offset"] = offset
        return row
    ctx.quarantine(offset, reason + where, raw[:EXCERPT_BYTES])
    return None


def _read_file(path: Path) -> tuple[bytes | None, int]:
    size = path.stat().st_size
    if size > limits.MAX_MESSAGE_BYTES:
        return None, size
    return path.read_bytes(), size


@adapter("eml", table="emails", sniff=sniff_eml, description="One RFC 5322 e-mail message (.eml)")
def read_eml(path: Path, ctx: ReadContext) -> Iterator[dict[str, Any]]:
    raw, size = _read_file(path)
    row = _parse(raw, 0, ctx, size)
    ctx.advance(size)
    if row is not None:
        yield row


@adapter(
    "mbox",
    table="emails",
    sniff=sniff_mbox,
    description="mbox file of e-mail messages (also single messages that start with a 'From ' line)",
)
def read_mbox(path: Path, ctx: ReadContext) -> Iterator[dict[str, Any]]:
    with path.open("rb") as f:
        for offset, raw, nbytes in iter_mbox(f):
            if (row := _parse(raw, offset, ctx, nbytes)) is not None:
                yield row
            ctx.advance(nbytes)


def maildir_files(folder: Path) -> list[Path]:
    """Messages of a Maildir (``new/`` then ``cur/``) and of its Maildir++ ``.Sub`` folders, in order."""
    subfolders = (p for p in folder.iterdir() if p.name.startswith(".") and (p / "cur").is_dir())
    files: list[Path] = []
    for root in [folder, *sorted(subfolders)]:
        for sub in (root / "new", root / "cur"):
            if sub.is_dir():
                files.extend(sorted(p for p in sub.iterdir() if p.is_file() and not p.name.startswith(".")))
    return files


@adapter(
    "maildir",
    table="emails",
    sniff=sniff_maildir,
    description="Maildir folder (cur/ new/ tmp/); source_offset is the message's index",
    directory=True,
)
def read_maildir(path: Path, ctx: ReadContext) -> Iterator[dict[str, Any]]:
    for index, file in enumerate(maildir_files(path)):
        where = f" [{file.relative_to(path)}]"
        try:
            raw, size = _read_file(file)
        except OSError as exc:
            ctx.quarantine(index, f"unreadable file: {exc}{where}")
            continue
        if raw is not None and raw.startswith(b"From "):
            raw = raw.partition(b"\n")[2]
        if (row := _parse(raw, index, ctx, size, where)) is not None:
            yield row
        ctx.advance(size)
