"""Domain feeds into the ``domains`` table: plain lists, CSV exports, and certstream JSON lines.

- ``domains``: one domain per line; ``#`` comments (whole line or trailing); defanged names
  (``example[.]com``) are refanged; a URL or ``host/path`` line gives its host. The sniffer is
  conservative so that it does not claim other text files: no line of the head may have a comma or a
  tab, and at least 80% of its lines must be bare valid domain names.
- ``domains-csv``: a CSV with a domain column (``domain``, ``domain_name``, ``hostname``, ``fqdn``...),
  optionally a date (``first_seen``, ``date``, ``created``...) and a feed (``source``, ``feed``...).
- ``certstream``: certstream's ``certificate_update`` messages, one JSON object per line: one row
  per name in ``leaf_cert.all_domains`` (``*.`` stripped), ``first_seen`` = the message's ``seen``.

Names are lower-cased and kept in their ASCII (punycode) form: a Unicode name is converted, an
``xn--`` name is kept as it is. A name that is not a valid DNS name, or whose top-level domain is not
in the Public Suffix List, is quarantined with the reason. A row's id is the domain and its feed, so a
domain seen again in a later file of the same feed keeps its first ``first_seen``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
from publicsuffixlist import PublicSuffixList

from vigil.enrich.domains import host_of, is_ip, refang, registered_domain
from vigil.ids import content_hash
from vigil.ingest.base import ReadContext, RowBuffer, adapter
from vigil.ingest.limits import MAX_JSON_RECORD_BYTES
from vigil.ingest.social.tabular import csv_header, norm
from vigil.schema import DOMAINS

MAX_LINE_BYTES = 4096
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_MAYBE_DEFANGED = re.compile(r"[\[({]|xp|\*\*p", re.IGNORECASE)  # worth a refang() (which is slower)
_SPACE = re.compile(r"\s")
_IP_CHARS = re.compile(r"^[0-9a-f.:\[\]]+$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")

DOMAIN_COLUMNS = ("domain", "domain_name", "domainname", "domains", "hostname", "host", "fqdn", "dns_name")
DATE_COLUMNS = (
    "first_seen",
    "firstseen",
    "first_seen_at",
    "date",
    "date_added",
    "dateadded",
    "added",
    "created",
    "created_at",
    "creation_date",
    "registered",
    "registration_date",
    "timestamp",
    "seen",
    "time",
)
FEED_COLUMNS = ("feed", "source", "list", "provider", "origin")
#: Columns that make a CSV something else (posts, accounts, sign-ins, indicators), never a domain list.
FOREIGN_COLUMNS = frozenset(
    {
        "text",
        "message",
        "content",
        "body",
        "post_id",
        "message_id",
        "content_id",
        "object_id",
        "tweet_id",
        "account_id",
        "user_id",
        "username",
        "screen_name",
        "handle",
        "followers",
        "followers_count",
        "user",
        "userprincipalname",
        "user_principal_name",
        "ip",
        "ip_address",
        "ipaddress",
        "src_ip",
        "result",
        "status",
        "indicator",
        "indicator_value",
        "indicator_type",
        "tactic",
        "technique",
    }
)


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def _known_suffix(domain: str) -> bool:
    """Whether the name ends in a suffix of the Public Suffix List (``za`` alone is not one: ``co.za`` is)."""
    return _psl().publicsuffix(domain, accept_unknown=False) is not None


@lru_cache(maxsize=262144)
def normalize_domain(raw: str) -> tuple[str | None, str]:
    """``(domain, "")`` for a valid name (lower-case, ASCII/punycode), else ``(None, reason)``.

    Accepts defanged names, a leading ``*.`` and a trailing dot; a URL (or ``host/path``) is reduced
    to its host.
    """
    text = raw.strip().strip("\"'<>")
    if _MAYBE_DEFANGED.search(text):
        text = refang(text).strip()
    if "://" in text or "/" in text:  # a URL, or host/path: its host
        text = host_of(text) or ""
    text = text.lower().rstrip(".")
    while text.startswith(("*.", ".")):
        text = text[1:] if text.startswith(".") else text[2:]
    if not text:
        return None, "empty"
    if _SPACE.search(text):
        return None, "contains spaces"
    if _IP_CHARS.match(text) and is_ip(text):
        return None, "an IP address, not a domain name"
    if not text.isascii():
        try:
            text = ".".join(_to_ascii(label) for label in text.split("."))
        except UnicodeError:
            return None, "not a valid internationalized domain name"
    if len(text) > 253:
        return None, "longer than 253 characters"
    labels = text.split(".")
    if len(labels) < 2:
        return None, "no dot (a bare label)"
    for label in labels:
        if not _LABEL.match(label):
            return None, f"invalid label {label[:64]!r}"
    if not _TLD.match(labels[-1]) or not _known_suffix(text):
        return None, f"unknown top-level domain {labels[-1][:64]!r}"
    return text, ""


def _to_ascii(label: str) -> str:
    if label.isascii():
        return label
    encoded = label.encode("idna").decode("ascii")
    if not encoded:
        raise UnicodeError("empty label")
    return encoded


def _row(
    ctx: ReadContext, offset: int, domain: str, first_seen: datetime | None, feed: str | None
) -> dict[str, Any]:
    return {
        "record_id": content_hash("domain", domain, feed),
        "source": ctx.source,
        "source_offset": offset,
        "domain": domain,
        "registered_domain": registered_domain(domain),
        "first_seen": first_seen,
        "feed": feed,
    }


# -- plain list -----------------------------------------------------------------------------------


def _list_entry(line: str) -> str:
    """The name on one line of a list, without comments ('' for a comment or blank line)."""
    line = line.strip()
    if not line or line.startswith(("#", ";", "//")):
        return ""
    return line.split(" #", 1)[0].split("\t#", 1)[0].strip()


def sniff_list(path: Path, head: bytes) -> bool:
    if not head or head.lstrip()[:1] in (b"{", b"[", b"<"):
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the head
            return False
        text = head[: exc.start].decode("utf-8")
    lines = text.splitlines()
    if len(head) >= 65536 and lines:
        lines = lines[:-1]  # probably cut short
    entries = [e for e in (_list_entry(line) for line in lines[:2000]) if e]
    if not entries or any("," in e or "\t" in e for e in entries):
        return False
    valid = sum(1 for e in entries if "/" not in e and normalize_domain(e)[0])
    return valid >= max(1, 0.8 * len(entries))


@adapter(
    "domains",
    table="domains",
    sniff=sniff_list,
    description="A list of domain names, one per line (# comments, defanged names accepted)",
)
def read_domain_list(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    feed = path.name
    buffer = RowBuffer(DOMAINS, batch_rows=50_000)
    seen: set[str] = set()
    with path.open("rb") as f:
        for index, raw in enumerate(f):
            ctx.advance(len(raw))
            if len(raw) > MAX_LINE_BYTES:
                ctx.quarantine(index, f"line longer than {MAX_LINE_BYTES} bytes", raw[:300])
                continue
            entry = _list_entry(raw.decode("utf-8", "replace"))
            if not entry:
                continue
            domain, reason = normalize_domain(entry)
            if domain is None:
                ctx.quarantine(index, f"not a domain name: {reason}", entry)
                continue
            if domain in seen:
                continue
            seen.add(domain)
            table = buffer.add(_row(ctx, index, domain, None, feed))
            if table is not None:
                yield table
    last = buffer.flush()
    if last is not None:
        yield last


# -- CSV ----------------------------------------------------------------------------------------


def _header(head: bytes) -> tuple[list[str], str] | None:
    """The normalized column names of a CSV head and its delimiter, or None if it is not one."""
    found = csv_header(head)
    if found is None:
        return None
    return [norm(n) for n in found[0]], found[1]


def _pick(names: list[str], candidates: tuple[str, ...]) -> int | None:
    for c in candidates:
        if c in names:
            return names.index(c)
    return None


def sniff_csv(path: Path, head: bytes) -> bool:
    found = _header(head)
    if found is None:
        return False
    names, _ = found
    return _pick(names, DOMAIN_COLUMNS) is not None and not FOREIGN_COLUMNS.intersection(names)


@adapter(
    "domains-csv",
    table="domains",
    sniff=sniff_csv,
    description="A CSV of domain names (a domain column, optional first_seen/date and source/feed)",
)
def read_domain_csv(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    with path.open("rb") as f:
        found = _header(f.read(65536))
    if found is None:
        ctx.quarantine(0, "no CSV header")
        return
    names, delimiter = found
    domain_at = _pick(names, DOMAIN_COLUMNS)
    date_at = _pick(names, DATE_COLUMNS)
    feed_at = _pick(names, FEED_COLUMNS)
    if domain_at is None:
        ctx.quarantine(0, "no domain column in the CSV header", ",".join(names))
        return
    buffer = RowBuffer(DOMAINS, batch_rows=50_000)
    seen: set[tuple[str, str | None]] = set()
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader, None)
        for index, record in enumerate(reader):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) <= domain_at:
                ctx.quarantine(index, "row has no domain field", delimiter.join(record))
                continue
            domain, reason = normalize_domain(record[domain_at])
            if domain is None:
                ctx.quarantine(index, f"not a domain name: {reason}", delimiter.join(record))
                continue
            feed = record[feed_at].strip() if feed_at is not None and feed_at < len(record) else ""
            feed = feed or path.name
            first_seen = None
            if date_at is not None and date_at < len(record) and record[date_at].strip():
                first_seen = parse_when(record[date_at])
                if first_seen is None:
                    reason = f"unparseable date {record[date_at][:40]!r}"
                    ctx.quarantine(index, reason, delimiter.join(record))
                    continue
            if (domain, feed) in seen:
                continue
            seen.add((domain, feed))
            table = buffer.add(_row(ctx, index, domain, first_seen, feed))
            if table is not None:
                yield table
    ctx.advance(path.stat().st_size)
    last = buffer.flush()
    if last is not None:
        yield last


def parse_when(value: str) -> datetime | None:
    """A date or time: ISO 8601 (a date alone is midnight UTC), or epoch seconds/milliseconds."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        if number > 1e11:  # milliseconds
            number /= 1000
        try:
            return datetime.fromtimestamp(number, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value.replace("/", "-"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


# -- certstream ------------------------------------------------------------------------------------


def sniff_certstream(path: Path, head: bytes) -> bool:
    return b'"message_type"' in head and (b'"certificate_update"' in head or b'"leaf_cert"' in head)


@adapter(
    "certstream",
    table="domains",
    sniff=sniff_certstream,
    description="certstream certificate_update messages (JSON lines): every name in each certificate",
)
def read_certstream(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    buffer = RowBuffer(DOMAINS, batch_rows=50_000)
    seen: set[str] = set()
    with path.open("rb") as f:
        for index, line in enumerate(f):
            ctx.advance(len(line))
            if not line.strip():
                continue
            if len(line) > MAX_JSON_RECORD_BYTES:
                ctx.quarantine(index, f"record larger than {MAX_JSON_RECORD_BYTES} bytes", line[:300])
                continue
            try:
                message = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                ctx.quarantine(index, f"invalid JSON: {exc}", line)
                continue
            if not isinstance(message, dict):
                ctx.quarantine(index, "record is not a JSON object", line)
                continue
            if message.get("message_type") != "certificate_update":
                continue  # heartbeats and the like
            data = message.get("data")
            leaf = data.get("leaf_cert") if isinstance(data, dict) else None
            names = leaf.get("all_domains") if isinstance(leaf, dict) else None
            if not isinstance(names, list):
                ctx.quarantine(index, "certificate_update without data.leaf_cert.all_domains", line)
                continue
            seen_at = data.get("seen") if isinstance(data, dict) else None
            first_seen = None
            if isinstance(seen_at, int | float) and not isinstance(seen_at, bool):
                try:
                    first_seen = datetime.fromtimestamp(float(seen_at), UTC)
                except (OverflowError, OSError, ValueError):
                    first_seen = None
            for name in names:
                if not isinstance(name, str):
                    continue
                domain, reason = normalize_domain(name)
                if domain is None:
                    ctx.quarantine(index, f"not a domain name: {reason}", name)
                    continue
                if domain in seen:
                    continue
                seen.add(domain)
                table = buffer.add(_row(ctx, index, domain, first_seen, "certstream"))
                if table is not None:
                    yield table
    last = buffer.flush()
    if last is not None:
        yield last
