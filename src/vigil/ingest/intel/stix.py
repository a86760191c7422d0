"""STIX 2.1 bundles into ``indicators``.

- ``indicator`` objects with a STIX pattern: every equality comparison on an observable vigil can match
  becomes a row, so ``[domain-name:value = 'a.com' OR domain-name:value = 'b.com']`` gives two.
  Matched paths: ``domain-name:value``, ``ipv4-addr:value``, ``ipv6-addr:value``, ``url:value``,
  ``email-addr:value``, ``email-message:from_ref.value`` / ``sender_ref.value``, ``file:hashes.*``
  (``=``, ``IN (...)``, and ``ISSUBSET`` for IP ranges). Patterns are parsed with ``stix2-patterns``;
  a pattern that does not parse, or that has no such comparison, is quarantined. Revoked indicators
  are passed over.
- cyber-observable objects in the bundle (``domain-name``, ``ipv4-addr``, ``ipv6-addr``, ``url``,
  ``email-addr``, ``file`` with hashes): a row each.

``actor``: the names of the ``threat-actor``, ``intrusion-set`` and ``campaign`` objects an indicator
``indicates`` (for an observable: that it is related to, in either direction). ``feed``: the name of
the ``identity`` in ``created_by_ref``, else the file name. ``first_seen``: ``valid_from`` (else
``created``). Values are canonicalized as in ``classify`` (refanged, lower-cased where the kind allows).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from vigil.ids import content_hash
from vigil.ingest.base import ReadContext, RowBuffer, adapter
from vigil.ingest.intel.classify import classify
from vigil.ingest.limits import MAX_JSON_DOCUMENT_BYTES, MAX_TEXT_CHARS
from vigil.ingest.web.page import parse_time
from vigil.schema import INDICATORS

log = logging.getLogger(__name__)

ACTOR_TYPES = frozenset({"threat-actor", "intrusion-set", "campaign"})
SCO_KINDS = {
    "domain-name": "domain-name",
    "ipv4-addr": "ipv4-addr",
    "ipv6-addr": "ipv6-addr",
    "url": "url",
    "email-addr": "email-addr",
}
#: (object type, property path) of pattern comparisons -> the kind of their value.
PATH_KINDS = {
    ("domain-name", ("value",)): "domain-name",
    ("ipv4-addr", ("value",)): "ipv4-addr",
    ("ipv6-addr", ("value",)): "ipv6-addr",
    ("url", ("value",)): "url",
    ("email-addr", ("value",)): "email-addr",
    ("email-message", ("from_ref", "value")): "email-addr",
    ("email-message", ("sender_ref", "value")): "email-addr",
}
_BUNDLE = re.compile(rb'"type"\s*:\s*"bundle"')
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def sniff(path: Path, head: bytes) -> bool:
    if _BUNDLE.search(head) and b'"objects"' in head:
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start == b"[" and b'"spec_version"' in head and b'"pattern"' in head


@adapter(
    "stix",
    table="indicators",
    sniff=sniff,
    description="A STIX 2.1 bundle: indicators' patterns, observables, and the actors they indicate",
)
def read_stix(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    objects = _objects(path, ctx)
    ctx.advance(path.stat().st_size)
    if objects is None:
        return
    by_id = {o["id"]: o for _, o in objects if isinstance(o.get("id"), str)}
    actors = _actors(objects, by_id)
    buffer = RowBuffer(INDICATORS)
    revoked = 0
    for index, obj in objects:
        kind = obj.get("type")
        if kind == "indicator":
            if obj.get("revoked") is True:
                revoked += 1
                continue
            for row in _indicator_rows(obj, index, ctx, by_id, actors, path):
                buffer.add(row)
        elif kind in SCO_KINDS or kind == "file":
            for row in _observable_rows(obj, index, ctx, by_id, actors, path):
                buffer.add(row)
    table = buffer.flush()
    if table is not None:
        yield table
    ctx.pass_over("revoked indicator", revoked)


def _objects(path: Path, ctx: ReadContext) -> list[tuple[int, dict[str, Any]]] | None:
    if path.stat().st_size > MAX_JSON_DOCUMENT_BYTES:
        ctx.quarantine(0, f"STIX document larger than {MAX_JSON_DOCUMENT_BYTES} bytes")
        return None
    raw = path.read_bytes()
    try:
        doc = orjson.loads(raw.lstrip(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        ctx.quarantine(0, f"invalid JSON document: {exc}", raw[:300])
        return None
    items = doc.get("objects") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        ctx.quarantine(0, "not a STIX bundle (no objects list)", raw[:300])
        return None
    out = []
    for index, obj in enumerate(items):
        if isinstance(obj, dict) and isinstance(obj.get("type"), str):
            out.append((index, obj))
        else:
            ctx.quarantine(index, "STIX object without a type", orjson.dumps(obj)[:300])
    return out


def _actors(
    objects: list[tuple[int, dict[str, Any]]], by_id: dict[str, dict[str, Any]]
) -> dict[str, set[str]]:
    """Object id -> actor names: for an indicator, what it ``indicates`` (and what those are
    ``attributed-to``); for an observable, the actors it has any relationship with."""
    relationships = []
    for _, obj in objects:
        if obj.get("type") != "relationship":
            continue
        source, target = by_id.get(obj.get("source_ref", "")), by_id.get(obj.get("target_ref", ""))
        if source is not None and target is not None:
            relationships.append((str(obj.get("relationship_type", "")), source, target))
    attributed: dict[str, set[str]] = defaultdict(set)
    for kind, source, target in relationships:
        if kind == "attributed-to" and _is_actor(source) and _is_actor(target):
            attributed[source["id"]].add(target["name"])
    found: dict[str, set[str]] = defaultdict(set)
    for kind, source, target in relationships:
        if kind == "indicates" and source.get("type") == "indicator" and _is_actor(target):
            found[source["id"]] |= {target["name"], *attributed[target["id"]]}
            continue
        for one, other in ((source, target), (target, source)):
            if (one.get("type") in SCO_KINDS or one.get("type") == "file") and _is_actor(other):
                found[one["id"]] |= {other["name"], *attributed[other["id"]]}
    return found


def _is_actor(obj: dict[str, Any]) -> bool:
    return obj.get("type") in ACTOR_TYPES and isinstance(obj.get("name"), str) and bool(obj["name"])


def _feed(obj: dict[str, Any], by_id: dict[str, dict[str, Any]], path: Path) -> str:
    creator = by_id.get(obj.get("created_by_ref", ""))
    name = creator.get("name") if creator else None
    return name if isinstance(name, str) and name else path.name


def _indicator_rows(
    obj: dict[str, Any],
    index: int,
    ctx: ReadContext,
    by_id: dict[str, dict[str, Any]],
    actors: dict[str, set[str]],
    path: Path,
) -> list[dict[str, Any]]:
    pattern = obj.get("pattern")
    if obj.get("pattern_type", "stix") != "stix" or not isinstance(pattern, str):
        ctx.quarantine(
            index, f"indicator pattern type {obj.get('pattern_type')!r} is not stix", str(pattern)[:300]
        )
        return []
    try:
        comparisons = _comparisons(pattern)
    except Exception as exc:  # the pattern parser raises several kinds of errors
        ctx.quarantine(index, f"invalid STIX pattern: {type(exc).__name__}: {exc}", pattern)
        return []
    description = (
        " — ".join(
            str(obj[k]).strip()
            for k in ("name", "description")
            if isinstance(obj.get(k), str) and obj[k].strip()
        )[:MAX_TEXT_CHARS]
        or None
    )
    first_seen = parse_time(str(obj.get("valid_from") or obj.get("created") or ""))
    rows: list[dict[str, Any]] = []
    bad: list[str] = []
    for kind, value, note in comparisons:
        found = classify(value, kind)
        if found is None or (found[0] != kind and not (kind == "url" and found[0] == "social-account")):
            bad.append(f"{kind} {value!r}")
            continue
        rows.append(
            _row(
                ctx,
                index,
                found,
                _feed(obj, by_id, path),
                _actor(obj, actors),
                _join(description, note),
                first_seen,
                obj.get("id"),
            )
        )
    for item in bad:
        ctx.quarantine(index, "invalid value in STIX pattern", f"{obj.get('id')}: {item}")
    if not rows and not bad:
        ctx.quarantine(
            index, "indicator pattern has no comparison on a domain, IP, URL, e-mail or file hash", pattern
        )
    return rows


def _comparisons(pattern: str) -> list[tuple[str, str, str | None]]:
    """(kind, value, note) of the comparisons of a pattern that name an observable vigil can match."""
    from stix2patterns.pattern import Pattern  # its ANTLR parser is slow to import

    inspected = Pattern(pattern).inspect()
    out: list[tuple[str, str, str | None]] = []
    for object_type, items in inspected.comparisons.items():
        for path_parts, op, literal in items:
            path = tuple(str(p) for p in path_parts)
            operator = op.upper()
            if object_type == "file" and len(path) == 2 and path[0] == "hashes":
                kind, note = "file", path[1]
            else:
                kind, note = PATH_KINDS.get((object_type, path), ""), None
            if not kind:
                continue
            if operator == "=" or (operator == "ISSUBSET" and kind in ("ipv4-addr", "ipv6-addr")):
                values = [_unquote(literal)]
            elif operator == "IN":
                values = [_unescape(v) for v in _QUOTED.findall(literal)]
            else:
                continue
            out.extend((kind, v, note) for v in values if v)
    return out


def _unquote(literal: str) -> str:
    text = literal.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    return _unescape(text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _observable_rows(
    obj: dict[str, Any],
    index: int,
    ctx: ReadContext,
    by_id: dict[str, dict[str, Any]],
    actors: dict[str, set[str]],
    path: Path,
) -> list[dict[str, Any]]:
    kind = obj["type"]
    values: list[tuple[str, str, str | None]] = []
    if kind == "file":
        hashes = obj.get("hashes")
        if isinstance(hashes, dict):
            values = [("file", v, str(k)) for k, v in hashes.items() if isinstance(v, str)]
    else:
        value = obj.get("value")
        values = [(SCO_KINDS[kind], value, None)] if isinstance(value, str) else []
    rows = []
    for declared, value, note in values:
        found = classify(value, declared)
        if found is None:
            ctx.quarantine(index, f"invalid {kind} value", f"{obj.get('id')}: {value[:200]}")
            continue
        rows.append(
            _row(ctx, index, found, _feed(obj, by_id, path), _actor(obj, actors), note, None, obj.get("id"))
        )
    return rows


def _actor(obj: dict[str, Any], actors: dict[str, set[str]]) -> str | None:
    names = actors.get(obj.get("id", ""))
    return ", ".join(sorted(names)) if names else None


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


def _row(
    ctx: ReadContext,
    index: int,
    found: tuple[str, str],
    feed: str,
    actor: str | None,
    description: str | None,
    first_seen: Any,
    stix_id: Any,
) -> dict[str, Any]:
    kind, value = found
    stix = stix_id if isinstance(stix_id, str) else None
    return {
        "record_id": content_hash("indicator", kind, value, feed, actor, stix),
        "source": ctx.source,
        "source_offset": index,
        "kind": kind,
        "value": value,
        "feed": feed,
        "actor": actor,
        "description": description,
        "first_seen": first_seen,
        "stix_id": stix,
    }
