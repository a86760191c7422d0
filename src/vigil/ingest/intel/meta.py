"""Meta's threat-research indicator files (github.com/facebook/threat-research) into ``indicators``.

Two layouts, each as CSV, TSV or JSON (an array of objects):

- the early reports (2020-2023): ``indicator_type, indicator_value, comment, ds``. The type maps to a
  kind (``domain_name``, ``url``/``phishing_url``, ``ip``, ``md5``/``sha1``/``sha256``,
  ``android_package_name``, ``ios_app_id``); ``ds`` is ``first_seen``; the comment is the description,
  and its prefix before ``:`` the actor when it is a short name (``Arid Viper: Android C2 Domain``).
- the Online Operations Kill Chain files (2023-): ``Tactic, Technique, Procedure, Indicator[, Notes]``.
  An indicator cell is often prose ("76 accounts", a quoted post, a description of a technique):
  only cells that are an observable as a whole (see ``classify``; defanged values are refanged)
  become rows, several when a cell holds only observables separated by line breaks. The prose is
  passed over (counted in the log); a single token that looks like a defanged or dotted value but is
  not a valid one is quarantined.

``feed`` names the report: from ``index.json`` (found beside or above the file) when it lists the file,
else from the file name (``Q2_2024_RUSSIA-BASED CIB NETWORK #1.csv`` -> feed "Meta adversarial threat
report Q2 2024", actor "Russia-based CIB network #1 (Meta Q2 2024)"). The same report's CSV, TSV and
JSON copies give the same rows (a row's id is its kind, value, feed and actor), so reading all three
adds each indicator once.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from vigil.ids import content_hash
from vigil.ingest.base import ReadContext, RowBuffer, adapter
from vigil.ingest.intel.classify import HASH_LENGTHS, classify
from vigil.ingest.limits import MAX_JSON_DOCUMENT_BYTES
from vigil.ingest.social.tabular import norm
from vigil.schema import INDICATORS

log = logging.getLogger(__name__)

TYPE_KINDS = {
    "domain_name": "domain-name",
    "domain": "domain-name",
    "hostname": "domain-name",
    "url": "url",
    "phishing_url": "url",
    "uri": "url",
    "ip": "ipv4-addr",
    "ip_address": "ipv4-addr",
    "ipv4": "ipv4-addr",
    "ipv6": "ipv6-addr",
    "md5": "file",
    "sha1": "file",
    "sha256": "file",
    "sha512": "file",
    "hash": "file",
    "email": "email-addr",
    "email_address": "email-addr",
    "android_package_name": "android",
    "ios_app_id": "ios",
}
TTP_COLUMNS = frozenset({"tactic", "technique", "procedure", "indicator"})
TYPED_COLUMNS = frozenset({"indicator_type", "indicator_value"})
NOTE_COLUMNS = ("notes", "note", "comments", "comment", "commernts")
_NOT_ACTORS = frozenset({"unnamed", "comment", "cib", "note"})
_PERIOD = re.compile(r"^\s*(?P<period>(?:Q[1-4](?:-[1-4])?|H[12])[\s_]+\d{4})[\s_]*(?P<name>.*)$", re.I)
#: A single token like these is meant as an observable: when it is not a valid one, it is quarantined.
_LOOKS_OBSERVABLE = re.compile(
    r"\[\.\]|\[:\]|://|hxxp|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/:?]|$)", re.IGNORECASE | re.ASCII
)
_DATED = re.compile(r"^(?P<year>\d{4})_(?P<month>\d{2})_(?P<name>.+)$")
_KEEP_UPPER = frozenset({"CIB", "APT", "IB", "US", "UK", "EU", "IO", "UAE"})
_LOWER = frozenset(
    {
        "BASED",
        "NETWORK",
        "NETWORKS",
        "CLUSTER",
        "TARGETING",
        "ESPIONAGE",
        "RECIDIVIST",
        "UPDATED",
        "AND",
        "OF",
        "IN",
        "THE",
    }
)


def _columns(path: Path, head: bytes) -> set[str]:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in text[:4096]:
        return set()
    if text.startswith(b"["):
        found = re.search(rb"\{([^{}]{0,2000})\}", text)
        if not found:
            return set()
        keys = re.findall(rb'"([^"]{1,40})"\s*:', found.group(1))
        return {norm(k.decode("utf-8", "replace")) for k in keys}
    first = text.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    delimiter = "\t" if "\t" in first else ","
    try:
        return {norm(n) for n in next(csv.reader(io.StringIO(first), delimiter=delimiter), [])}
    except csv.Error:
        return set()


def sniff(path: Path, head: bytes) -> bool:
    columns = _columns(path, head)
    return columns >= TTP_COLUMNS or columns >= TYPED_COLUMNS


@adapter(
    "meta-indicators",
    table="indicators",
    sniff=sniff,
    description="Meta threat-research indicator files (CSV, TSV, JSON), defanged values refanged",
)
def read_meta(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    records = _records(path, ctx)
    ctx.advance(path.stat().st_size)
    if records is None:
        return
    feed, actor, reported = describe(path)
    buffer = RowBuffer(INDICATORS)
    passed_over = 0
    for index, record in records:
        rows, skipped = _rows(record, index, ctx, feed, actor, reported)
        passed_over += skipped
        for row in rows:
            buffer.add(row)
    table = buffer.flush()
    if table is not None:
        yield table
    ctx.pass_over("prose cell (no observable)", passed_over)


def _records(path: Path, ctx: ReadContext) -> list[tuple[int, dict[str, str]]] | None:
    """Rows as ``{normalized column: text}`` with their 0-based index."""
    size = path.stat().st_size
    if size > MAX_JSON_DOCUMENT_BYTES:
        ctx.quarantine(0, f"file larger than {MAX_JSON_DOCUMENT_BYTES} bytes")
        return None
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", "replace")
    if text.lstrip().startswith("["):
        try:
            doc = orjson.loads(raw.lstrip(b"\xef\xbb\xbf"))
        except orjson.JSONDecodeError as exc:
            ctx.quarantine(0, f"invalid JSON document: {exc}", raw[:300])
            return None
        if not isinstance(doc, list):
            ctx.quarantine(0, "JSON document is not an array of indicators", raw[:300])
            return None
        out: list[tuple[int, dict[str, str]]] = []
        for index, item in enumerate(doc):
            if not isinstance(item, dict):
                ctx.quarantine(index, "record is not a JSON object", orjson.dumps(item)[:300])
                continue
            out.append((index, {norm(k): "" if v is None else str(v) for k, v in item.items()}))
        return out
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [norm(n) for n in next(reader, [])]
    return [(index, dict(zip(header, row, strict=False))) for index, row in enumerate(reader)]


def _rows(
    record: dict[str, str],
    index: int,
    ctx: ReadContext,
    feed: str,
    actor: str | None,
    reported: datetime | None,
) -> tuple[list[dict[str, Any]], int]:
    """The indicator rows of one record, and 1 if it was prose passed over (else 0)."""
    note = next((record[c].strip() for c in NOTE_COLUMNS if record.get(c, "").strip()), "")
    if "indicator_value" in record:
        value = record["indicator_value"].strip()
        if not value:
            return [], 0
        declared = norm(record.get("indicator_type", ""))
        hint = TYPE_KINDS.get(declared)
        if hint is None:
            ctx.quarantine(index, f"unknown indicator_type {declared[:40]!r}", f"{declared},{value}")
            return [], 0
        found = classify(value, hint)
        if found is None:
            ctx.quarantine(index, f"not a valid {declared}", value)
            return [], 0
        description = _join(note, HASH_LENGTHS.get(len(found[1])) if found[0] == "file" else None)
        first_seen = _date(record.get("ds", "")) or reported
        named = _actor(note) if found[0] != "mobile-app" else None  # an app's comment is its name
        return [_row(ctx, index, found, feed, named or actor, description, first_seen)], 0
    cell = record.get("indicator", "").strip()
    if not cell:
        return [], 0
    description = _join(
        " / ".join(
            p for p in (record.get("technique", "").strip(), record.get("procedure", "").strip()) if p
        ),
        note,
    )
    parts = cell.split()
    found_all = [classify(p) for p in parts] if len(parts) > 1 else []
    if found_all and all(found_all):
        return [_row(ctx, index, f, feed, actor, description, reported) for f in found_all if f], 0
    found = classify(cell)
    if found:
        return [_row(ctx, index, found, feed, actor, description, reported)], 0
    if len(parts) == 1 and _LOOKS_OBSERVABLE.search(cell):
        ctx.quarantine(index, "not a valid indicator (no domain, URL, IP, e-mail or hash)", cell)
        return [], 0
    return [], 1


def _row(
    ctx: ReadContext,
    index: int,
    found: tuple[str, str],
    feed: str,
    actor: str | None,
    description: str | None,
    first_seen: datetime | None,
) -> dict[str, Any]:
    kind, value = found
    return {
        "record_id": content_hash("indicator", kind, value, feed, actor),
        "source": ctx.source,
        "source_offset": index,
        "kind": kind,
        "value": value,
        "feed": feed,
        "actor": actor,
        "description": description,
        "first_seen": first_seen,
        "stix_id": None,
    }


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


def _date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=UTC)
    except ValueError:
        return None


def _actor(comment: str) -> str | None:
    """``Arid Viper`` of ``Arid Viper: Android C2 Domain``: a short name before a colon."""
    prefix, sep, _ = comment.partition(":")
    prefix = prefix.strip().strip('"')
    if not sep or not prefix or len(prefix.split()) > 4 or prefix.lower() in _NOT_ACTORS:
        return None
    return prefix


# -- naming the report ----------------------------------------------------------------------------


def describe(path: Path) -> tuple[str, str | None, datetime | None]:
    """``(feed, actor, reported date)`` of an indicator file."""
    entry = _index_entry(path)
    if entry is not None:
        title, reported = entry
        return f"Meta threat report {reported:%Y-%m-%d}: {title}", None, reported
    stem = path.stem.strip()
    if " - " in stem:  # "Q4-1_2026_GithubIOCs - H1_2026_CHINA_BASED_CIB_NETWORK"
        stem = stem.rsplit(" - ", 1)[1]
    found = _PERIOD.match(stem)
    if found:
        period = " ".join(found.group("period").replace("_", " ").split()).upper()
        name = _title(found.group("name"))
        return f"Meta adversarial threat report {period}", (f"{name} (Meta {period})" if name else None), None
    dated = _DATED.match(stem)
    if dated:
        title = _title(dated.group("name"))
        return f"Meta threat report {dated.group('year')}-{dated.group('month')}: {title}", None, None
    return f"Meta threat research: {_title(stem)}", None, None


def _title(name: str) -> str:
    """``RUSSIA-BASED CIB NETWORK #1`` / ``Togo _ Burkina Faso-based_CIB_network`` -> readable words."""
    text = name.replace(" _ ", " / ").replace("_", " ")
    words = []
    for word in text.split():
        pieces = word.split("-")
        fixed = []
        for piece in pieces:
            if piece.isupper() and not any(ch.isdigit() for ch in piece) and piece not in _KEEP_UPPER:
                piece = piece.lower() if piece in _LOWER else piece.capitalize()
            elif piece.isupper() and any(ch.isdigit() for ch in piece):
                piece = piece.upper()
            fixed.append(piece)
        words.append("-".join(fixed))
    text = " ".join(words)
    text = re.sub(r"\s+based\b", "-based", text, flags=re.IGNORECASE)
    text = re.sub(r"-Based\b", "-based", text)
    text = re.sub(r"\b(cib|apt|q[1-4])\b", lambda m: m.group(1).upper(), text, flags=re.IGNORECASE)
    text = re.sub(r"\b(Network|Cluster)\b", lambda m: m.group(1).lower(), text)
    return text[:1].upper() + text[1:]


def _index_entry(path: Path) -> tuple[str, datetime] | None:
    """The report title and date of ``index.json`` (in a folder above) that lists this file."""
    for folder in list(path.resolve().parents)[:4]:
        index = folder / "index.json"
        if index.is_file():
            entries = _load_index(str(index))
            relative = path.resolve().relative_to(folder).as_posix()
            return entries.get(relative)
    return None


@lru_cache(maxsize=8)
def _load_index(file: str) -> dict[str, tuple[str, datetime]]:
    try:
        doc = orjson.loads(Path(file).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    out: dict[str, tuple[str, datetime]] = {}
    for entry in doc if isinstance(doc, list) else []:
        if not isinstance(entry, dict):
            continue
        reported = _date(str(entry.get("reported_ds") or entry.get("added_ds") or ""))
        ident = str(entry.get("id", ""))
        if reported is None or not ident:
            continue
        name = _DATED.match(ident)
        title = _title(name.group("name") if name else ident)
        files = entry.get("indicators")
        for listed in files.values() if isinstance(files, dict) else []:
            for relative in listed if isinstance(listed, list) else []:
                out[str(relative)] = (title, reported)
    return out
