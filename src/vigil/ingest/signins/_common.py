"""Helpers shared by the sign-in adapters: skipped-event tally, timestamps, record ids, filtered projection.

Several sources mix sign-ins with other events (a Windows Security log, the Okta System Log, an OCSF
stream of every class, Google's activities of every application). The adapters keep the sign-ins and
*skip* the rest: those events are valid, so they are not quarantined, but they are counted
(``ReadContext.pass_over``), so that a run can say how much of a file was not sign-ins.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from vigil.ids import content_hash
from vigil.ingest.base import ReadContext
from vigil.ingest.jsonrecords import iter_raw_records, read_projected
from vigil.schema import SIGNINS


def note_skipped(ctx: ReadContext, what: str, count: int = 1) -> None:
    """Count ``count`` valid events of the file that are not sign-ins (``what`` says which)."""
    ctx.pass_over(what, count)


# -- values ----------------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_time(value: object) -> datetime | None:
    """A UTC datetime from ISO 8601 text (with or without zone; naive means UTC) or epoch s/ms/µs."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.replace(".", "", 1).isdigit():
        return _from_epoch(float(text))
    # "2024-01-15 10:30:45 +0000" (Panther), "...Z", 7-digit fractions (Windows): normalise, then parse.
    if len(text) > 6 and text[-6] == " " and text[-5] in "+-":
        text = text[:-6] + text[-5:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _from_epoch(number: float) -> datetime | None:
    if number > 1e17:  # nanoseconds
        number /= 1e9
    elif number > 1e14:  # microseconds
        number /= 1e6
    elif number > 1e11:  # milliseconds
        number /= 1e3
    try:
        return _EPOCH + timedelta(seconds=number)
    except OverflowError:
        return None


def clean(value: object) -> str | None:
    """Text of a field, with Windows' and exports' placeholders for "nothing" turned into None."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text in ("", "-", "null", "None") else text


def sql_time(expr: str) -> str:
    """SQL for a timestamp from a VARCHAR holding ISO 8601 text (naive = the session's zone, UTC in a
    workspace; ``+0000`` after a space too) or an epoch in s, ms, µs or ns."""
    return f"""coalesce(
        try_cast({expr} AS TIMESTAMPTZ),
        CASE WHEN regexp_full_match(trim({expr}), '[0-9]{{9,19}}(\\.[0-9]+)?') THEN
            to_timestamp(CAST(trim({expr}) AS DOUBLE) / CASE
                WHEN CAST(trim({expr}) AS DOUBLE) > 1e17 THEN 1e9
                WHEN CAST(trim({expr}) AS DOUBLE) > 1e14 THEN 1e6
                WHEN CAST(trim({expr}) AS DOUBLE) > 1e11 THEN 1e3 ELSE 1 END) END,
        try_cast(regexp_replace(trim({expr}), ' ([+-][0-9]{{2}}:?[0-9]{{2}})$', '\\1') AS TIMESTAMPTZ))"""


def read_signin_json(
    path: Path,
    ctx: ReadContext,
    *,
    columns: Mapping[str, str],
    select: str,
    keep: str | None = None,
    kind: str = "'other'",
    country_from_registry: bool = False,
) -> Iterator[pa.Table]:
    """Sign-in rows of a JSON export, projected by ``select`` (``read_projected``); a row without a
    time or a user is quarantined. ``country_from_registry`` fills missing countries
    (``with_registered_country``)."""
    for table in read_projected(
        path,
        ctx,
        columns=columns,
        select=select,
        schema=SIGNINS,
        required=("time", "user"),
        keep=keep,
        kind=kind,
    ):
        yield with_registered_country(table) if country_from_registry else table


def with_registered_country(table: pa.Table) -> pa.Table:
    """``country``, where the source gives none, from the bundled RIR data (iptocc): the country the
    address is registered in. For sources that log no place (the Microsoft 365 audit log, Duo's "-"),
    so that the detectors that compare countries see these sign-ins too."""
    country = table["country"]
    wanted = pc.and_(pc.is_null(country), pc.is_valid(table["src_ip"]))
    if not pc.any(wanted).as_py():
        return table
    import iptocc

    rows = pc.indices_nonzero(wanted).to_pylist()
    ips = table["src_ip"].take(rows).to_pylist()
    codes: list[str | None] = [None] * len(table)
    for row, code in zip(rows, iptocc.country_code(ips), strict=True):
        codes[row] = code
    filled = pc.if_else(wanted, pa.array(codes, pa.string()), country)
    return table.set_column(table.schema.get_field_index("country"), "country", filled)


def sql_address(expr: str) -> str:
    """SQL for an IP address as text without what logs wrap it in: a port (``203.0.113.7:51234``,
    ``[2001:db8::1]:443``) or the ``::ffff:`` of an IPv4-mapped IPv6 address. A bare IPv6 address is
    left as it is."""
    return f"""CASE WHEN regexp_full_match({expr}, '[0-9.]+:[0-9]+') THEN split_part({expr}, ':', 1)
                    WHEN regexp_full_match({expr}, '\\[[0-9a-fA-F:.]+\\](:[0-9]+)?')
                         THEN regexp_extract({expr}, '\\[(::ffff:)?([^\\]]+)\\]', 2)
                    WHEN regexp_full_match(lower({expr}), '::ffff:[0-9.]+') THEN substr({expr}, 8)
                    ELSE {expr} END"""


# -- rows built in Python --------------------------------------------------------------------------

_VALUE_COLUMNS = [f.name for f in SIGNINS if f.name not in ("record_id", "source", "source_offset")]


def finish_row(row: dict[str, Any], ctx: ReadContext, offset: int | None) -> dict[str, Any]:
    """Add provenance and a record id to a sign-in row built in Python.

    The id hashes the normalized values, so the same event read again (or from an overlapping export)
    is the same record. A row without a source id (``event_id``) also hashes its place in the file,
    so that two identical-looking events of one file are both kept.
    """
    values = [row.get(c) for c in _VALUE_COLUMNS]
    place = () if row.get("event_id") else (ctx.source, offset)
    row["record_id"] = content_hash(*values, *place)
    row["source"] = ctx.source
    row["source_offset"] = offset
    return row


def read_rewritten(
    path: Path,
    ctx: ReadContext,
    rewrite: Callable[[dict[str, Any]], dict[str, Any]],
    read: Callable[[Path, ReadContext], Iterable[pa.Table]],
    records: Iterable[tuple[int, object]] | None = None,
) -> Iterator[pa.Table]:
    """Run ``read`` over a copy of ``path`` whose records went through ``rewrite`` in Python.

    For the odd file that the fast reader cannot take as it is (e.g. top-level keys in another case,
    or records inside a vendor's API envelope: pass them as ``records``, (index, record) pairs):
    offsets of rows and quarantined records are mapped back to the original file.
    """
    fd, tmp = tempfile.mkstemp(suffix=".jsonl", prefix="vigil-signins-")
    offsets: list[int] = []
    try:
        with os.fdopen(fd, "wb") as out:
            for index, record in iter_raw_records(path, ctx) if records is None else records:
                if not isinstance(record, dict):
                    ctx.quarantine(index, "record is not a JSON object", orjson.dumps(record)[:300])
                    continue
                out.write(orjson.dumps(rewrite(record)) + b"\n")
                offsets.append(index)
        inner = ReadContext(ctx.source, ctx.format, ctx.con)
        back = pa.array(offsets, pa.int64())
        for table in read(Path(tmp), inner):
            index = table.schema.get_field_index("source_offset")
            yield table.set_column(index, "source_offset", back.take(table["source_offset"]))
        for q in inner.quarantined:
            offset = q["source_offset"]
            ctx.quarantine(None if offset is None else offsets[offset], q["reason"], q["excerpt"])
        for what, count in inner.passed_over.items():
            ctx.pass_over(what, count)
    finally:
        os.unlink(tmp)
    ctx.advance(path.stat().st_size)
