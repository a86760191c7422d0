"""The evidence of a finding: its source records, looked up and cut down to the fields that matter.

Every value taken from a record is untrusted. It leaves this module as plain text (``clean``ed,
links and addresses of senders ``defang``ed); the template's autoescape does the HTML escaping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from vigil.report.text import clean, defang
from vigil.schema import RECORD_TABLES

Cell = str | list[str]
Row = dict[str, Any]

#: How many evidence records a finding shows; the rest are counted.
MAX_RECORDS = 20
#: How many items a list cell (recipients, links) shows.
MAX_ITEMS = 5


@dataclass
class EvidenceGroup:
    table: str
    label: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # per row: where the record came from
    layout: str = "table"  # or "cards": one block per record, for records with many fields

    @property
    def records(self) -> list[tuple[str, list[tuple[str, Cell]]]]:
        """Per record: its source, and (column, cell) pairs (for the cards layout)."""
        return [
            (src, list(zip(self.columns, row, strict=True)))
            for src, row in zip(self.sources, self.rows, strict=True)
        ]


@dataclass
class Evidence:
    groups: list[EvidenceGroup]
    total: int
    more: int  # records not shown because of MAX_RECORDS
    missing: int  # shown-slot records no longer in the workspace


def ts(value: datetime | None, seconds: bool = True) -> str:
    if value is None:
        return ""
    value = value.astimezone(UTC) if value.tzinfo else value  # naive times are UTC already
    return value.strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")


def _items(values: Sequence[str | None] | None, fmt: Callable[[str], str] = clean) -> list[str]:
    present = [v for v in values or [] if v]
    shown = [fmt(v) for v in present[:MAX_ITEMS]]
    if len(present) > MAX_ITEMS:
        shown.append(f"and {len(present) - MAX_ITEMS} more")
    return shown


def _url_items(urls: Sequence[dict[str, Any] | None] | None) -> list[str]:
    return _items([u.get("url") for u in urls or [] if u], lambda v: defang(v, "url"))


def _sender(row: Row) -> str:
    addr = defang(row.get("from_addr"), "email-addr")
    name = clean(row.get("from_name"), 80)
    return f"{name} <{addr}>" if name and addr else name or addr


def _auth(row: Row) -> str:
    parts = [
        f"{label} {row[key]}"
        for key, label in (("spf", "SPF"), ("dkim", "DKIM"), ("dmarc", "DMARC"))
        if row.get(key)
    ]
    return clean(" · ".join(parts))


def _ip(value: str | None) -> str:
    return defang(value, "ipv6-addr" if value and ":" in value else "ipv4-addr")


def _result(row: Row) -> str:
    result, reason = clean(row.get("result")), clean(row.get("failure_reason"), 120)
    return f"{result}: {reason}" if result and reason else result or reason


def _social(row: Row) -> str:
    platform, handle = clean(row.get("platform")), clean(row.get("handle"), 80)
    return f"{platform}:{handle}" if platform else handle


def _indicator_value(row: Row) -> str:
    kind = row.get("kind") or ""
    return (
        defang(row.get("value"), kind)
        if kind in ("url", "domain-name", "ipv4-addr", "email-addr")
        else clean(row.get("value"), 200)
    )


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


# table -> (label, [(column header, cell from row)])
COLUMNS: dict[str, tuple[str, list[tuple[str, Callable[[Row], Cell]]]]] = {
    "emails": (
        "Emails",
        [
            ("Date", lambda r: ts(r.get("date"))),
            ("From", _sender),
            ("To", lambda r: _items(r.get("to_addrs"))),
            ("Subject", lambda r: clean(r.get("subject"), 200)),
            ("Sender checks", _auth),
            ("Sending IP", lambda r: _ip(r.get("client_ip"))),
            ("Links", lambda r: _url_items(r.get("urls"))),
        ],
    ),
    "signins": (
        "Sign-ins",
        [
            ("Time", lambda r: ts(r.get("time"))),
            ("Account", lambda r: clean(r.get("user"), 120)),
            ("Result", _result),
            ("Source IP", lambda r: _ip(r.get("src_ip"))),
            ("Country", lambda r: clean(r.get("country"))),
            ("App", lambda r: clean(r.get("application") or r.get("client_app"), 80)),
            ("Device / user agent", lambda r: clean(r.get("user_agent"), 160)),
        ],
    ),
    "pages": (
        "Web pages",
        [
            ("Address", lambda r: defang(r.get("url"), "url")),
            ("Title", lambda r: clean(r.get("title"), 200)),
            ("Fetched", lambda r: ts(r.get("fetched_at"))),
        ],
    ),
    "posts": (
        "Social media posts",
        [
            ("Time", lambda r: ts(r.get("time"))),
            ("Account", _social),
            ("Text", lambda r: clean(r.get("text"), 280)),
            ("Links", lambda r: _url_items(r.get("urls"))),
        ],
    ),
    "domains": (
        "Domains",
        [
            ("Domain", lambda r: defang(r.get("domain"), "domain-name")),
            ("First seen", lambda r: ts(r.get("first_seen"))),
            ("Source", lambda r: clean(r.get("feed"), 120)),
        ],
    ),
    "indicators": (
        "Known indicators from threat reports",
        [
            ("Type", lambda r: clean(r.get("kind"))),
            ("Value", _indicator_value),
            ("Published by", lambda r: clean(r.get("feed"), 160)),
            ("Attributed to", lambda r: clean(r.get("actor"), 120)),
        ],
    ),
    "accounts": (
        "Social media accounts",
        [
            ("Account", _social),
            ("Display name", lambda r: clean(r.get("display_name"), 120)),
            ("Created", lambda r: ts(r.get("created"))),
            ("Followers", lambda r: _count(r.get("followers"))),
        ],
    ),
}


CARD_TABLES = {"emails"}


Records = dict[tuple[str, str], Row]


def shown_refs(refs: Sequence[dict[str, Any] | None]) -> list[tuple[str, str]]:
    """The (table, record id) pairs of the evidence a finding shows: the first MAX_RECORDS."""
    return [(r.get("table_name") or "", r.get("record_id") or "") for r in refs if r][:MAX_RECORDS]


def fetch_records(con: duckdb.DuckDBPyConnection, wanted: Iterable[tuple[str, str]]) -> Records:
    """The record rows for (table, record id) pairs, one query per table."""
    by_table: dict[str, set[str]] = {}
    for table, record_id in wanted:
        if table in RECORD_TABLES and table in COLUMNS:
            by_table.setdefault(table, set()).add(record_id)
    found: Records = {}
    for table, ids in by_table.items():
        sql = f'SELECT * FROM "{table}" WHERE record_id IN (SELECT unnest(?::VARCHAR[]))'
        for row in con.sql(sql, params=[sorted(ids)]).to_arrow_table().to_pylist():
            found[(table, row["record_id"])] = row
    return found


def _source(row: Row) -> str:
    src, offset = row.get("source"), row.get("source_offset")
    where = clean(src) if src else "unknown source"
    return f"{where} (record {offset})" if offset is not None else where


def build_evidence(refs: Sequence[dict[str, Any] | None], records: Records) -> Evidence:
    """The finding's evidence, grouped by table in first-appearance order, capped at MAX_RECORDS."""
    total = sum(1 for r in refs if r)
    shown = shown_refs(refs)
    by_table: dict[str, list[str]] = {}
    for table, record_id in shown:
        by_table.setdefault(table, []).append(record_id)
    groups: list[EvidenceGroup] = []
    missing = 0
    other = EvidenceGroup("other", "Other records", ["Table", "Record"])
    for table, record_ids in by_table.items():
        if table not in COLUMNS:
            for record_id in record_ids:
                other.rows.append([clean(table, 60), clean(record_id, 80)])
                other.sources.append("")
            continue
        label, columns = COLUMNS[table]
        layout = "cards" if table in CARD_TABLES else "table"
        group = EvidenceGroup(table, label, [header for header, _ in columns], layout=layout)
        for record_id in record_ids:
            row = records.get((table, record_id))
            if row is None:
                missing += 1
                continue
            group.rows.append([cell(row) for _, cell in columns])
            group.sources.append(_source(row))
        if group.rows:
            groups.append(group)
    if other.rows:
        groups.append(other)
    return Evidence(groups, total=total, more=total - len(shown), missing=missing)


def load_evidence(con: duckdb.DuckDBPyConnection, refs: Sequence[dict[str, Any] | None]) -> Evidence:
    """``build_evidence`` for one finding, fetching its records."""
    return build_evidence(refs, fetch_records(con, shown_refs(refs)))
