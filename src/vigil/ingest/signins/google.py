"""Google Workspace login audit: activities of the Admin SDK Reports API.

Accepted shapes: a page as the API returns it (``{"kind": "admin#reports#activities", "items": [...]}``,
pretty-printed or on one line), JSON lines of pages or of activities, a JSON array of activities, and
the flattened one-event-per-record form of some SIEM exports (``name``/``type``/``parameters`` at the
top level, ``parameters`` as an object).

One row per login event of the ``login`` and ``saml`` applications:

- ``login_success`` is ``success``, ``login_failure`` is ``failure`` (``login_failure_type`` or SAML's
  ``failure_type`` is the error code and reason);
- ``login_challenge`` / ``login_verification`` are ``interrupted`` (a challenge was asked for), or
  ``failure`` when ``login_challenge_status`` says the challenge failed;
- Google's warnings (``suspicious_login``, ``suspicious_login_less_secure_app``,
  ``suspicious_programmatic_login``, ``gov_attack_warning``) are kept with a null result: they are not an
  attempt of their own but tell of one, and ``event_type`` keeps their name for detectors.

Other events (``logout``, password and 2SV changes, every event of other applications) are skipped and
counted, not quarantined. A ``login``/``saml`` activity without events, time or user is quarantined.
The user is ``actor.email``, or for Google's warnings (no actor) the ``affected_email_address``.
``login_type`` goes to ``protocol``, ``login_challenge_method`` to ``mfa_detail``, the customer id to
``tenant``, ``networkInfo`` to ``country``/``asn`` when the API provides it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from vigil.ingest.base import ReadContext, RowBuffer, adapter
from vigil.ingest.jsonrecords import UNREADABLE, file_excerpt, load_document
from vigil.ingest.limits import MAX_JSON_RECORD_BYTES
from vigil.ingest.signins._common import (
    clean,
    finish_row,
    note_skipped,
    parse_time,
)
from vigil.schema import SIGNINS

LOGIN_APPLICATIONS = ("login", "saml")
WARNINGS = (
    "suspicious_login",
    "suspicious_login_less_secure_app",
    "suspicious_programmatic_login",
    "gov_attack_warning",
)
LOGIN_EVENTS = ("login_success", "login_failure", "login_challenge", "login_verification", *WARNINGS)


def sniff(path: Path, head: bytes) -> bool:
    if b"admin#reports#activit" in head:
        return True
    return b'"applicationName"' in head and b'"actor"' in head and (b'"events"' in head or b'"name"' in head)


@adapter(
    "google",
    table="signins",
    sniff=sniff,
    description="Google Workspace login audit (Admin SDK Reports API activities: page, array or JSON lines)",
)
def read_google(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    buffer = RowBuffer(SIGNINS)
    for offset, activity in _activities(path, ctx):
        for row in _rows(activity, offset, ctx):
            table = buffer.add(finish_row(row, ctx, offset))
            if table is not None:
                yield table
    table = buffer.flush()
    if table is not None:
        yield table


def _activities(path: Path, ctx: ReadContext) -> Iterator[tuple[int, Any]]:
    """Every activity with its offset: the line index in JSON lines, else the index in the list."""
    with path.open("rb") as f:
        head = f.read(65536).lstrip(b"\xef\xbb\xbf \t\r\n")
    first_line = head.split(b"\n", 1)[0]
    whole_document = head.startswith(b"[")
    if not whole_document:
        try:
            orjson.loads(first_line)
        except orjson.JSONDecodeError:
            whole_document = True  # a pretty-printed page or activity
    if whole_document:
        yield from _document(path, ctx)
        return
    with path.open("rb") as f:
        for index, line in enumerate(f):
            ctx.advance(len(line))
            if not line.strip():
                continue
            if len(line) > MAX_JSON_RECORD_BYTES:
                ctx.quarantine(index, f"record larger than {MAX_JSON_RECORD_BYTES} bytes", line[:300])
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                ctx.quarantine(index, f"invalid JSON: {exc}", line)
                continue
            if isinstance(record, dict) and isinstance(record.get("items"), list):
                for item in record["items"]:
                    yield index, item
            else:
                yield index, record


def _document(path: Path, ctx: ReadContext) -> Iterator[tuple[int, Any]]:
    ctx.advance(path.stat().st_size)
    doc = load_document(path, ctx)
    if doc is UNREADABLE:
        return
    if isinstance(doc, dict):
        items = doc.get("items")
        if isinstance(items, list):
            yield from enumerate(items)
        elif "items" in doc or doc.get("kind") == "admin#reports#activities":
            return  # an empty page: the API leaves "items" out when nothing happened
        else:
            yield 0, doc
    elif isinstance(doc, list):
        yield from enumerate(doc)
    else:
        ctx.quarantine(0, "JSON document holds no activities", file_excerpt(path))


def _rows(activity: Any, offset: int, ctx: ReadContext) -> Iterator[dict[str, Any]]:
    if not isinstance(activity, dict):
        ctx.quarantine(offset, "activity is not a JSON object", orjson.dumps(activity)[:300])
        return
    ident = _obj(activity.get("id"))
    application = clean(ident.get("applicationName"))
    if application is not None and application not in LOGIN_APPLICATIONS:
        note_skipped(ctx, f"google:{application}")
        return
    events = activity.get("events")
    if events is None and "name" in activity:  # flattened: one event per record
        events = [{k: activity.get(k) for k in ("type", "name", "parameters")}]
    if not isinstance(events, list) or not events:
        _bad(ctx, offset, "activity without events", activity)
        return
    wanted: list[tuple[str, dict[str, Any]]] = []
    for event in events:
        name = clean(event.get("name")) if isinstance(event, dict) else None
        if name in LOGIN_EVENTS and (application is None or application in LOGIN_APPLICATIONS):
            wanted.append((name, event))
        else:
            note_skipped(ctx, f"google:{application}:{name}" if name else f"google:{application}")
    if not wanted:
        return
    time = parse_time(ident.get("time")) or parse_time(activity.get("p_event_time"))
    actor = _obj(activity.get("actor"))
    # Account warnings name the account in a parameter; the actor is Google, or absent.
    user = clean(actor.get("email"))
    for _, event in wanted:
        user = user or clean(_parameters(event.get("parameters")).get("affected_email_address"))
    if time is None or user is None:
        absent = [n for n, v in (("time", time), ("user", user)) if v is None]
        _bad(ctx, offset, f"missing {', '.join(absent)}", activity)
        return
    network = _obj(activity.get("networkInfo"))
    asns = network.get("ipAsn")
    for name, event in wanted:
        params = _parameters(event.get("parameters"))
        failure = clean(params.get("login_failure_type")) or clean(params.get("failure_type"))
        challenge = clean(params.get("login_challenge_status"))
        if name == "login_success":
            result: str | None = "success"
        elif name == "login_failure":
            result = "failure"
        elif name in ("login_challenge", "login_verification"):
            failed = challenge is not None and "fail" in challenge.lower()
            result = "failure" if failed else "interrupted"
            failure = failure or (challenge if failed else None)
        else:
            result = None
        yield {
            "format": "google",
            "event_id": clean(ident.get("uniqueQualifier")),
            "event_type": name,
            "time": time,
            "user": user.lower(),
            "user_display": None,
            "result": result,
            "failure_reason": failure,
            "error_code": failure or (None if result == "success" else clean(params.get("saml_status_code"))),
            "src_ip": clean(activity.get("ipAddress")),
            "country": clean(network.get("regionCode")),
            "city": None,
            "latitude": None,
            "longitude": None,
            "asn": _int(asns[0]) if isinstance(asns, list) and asns else None,
            "user_agent": None,
            "client_app": None,
            "protocol": clean(params.get("login_type")),
            "is_legacy_auth": True if name == "suspicious_login_less_secure_app" else None,
            "mfa_detail": _text(params.get("login_challenge_method")),
            "application": clean(params.get("application_name")),
            "tenant": clean(ident.get("customerId")),
            "device": None,
            "logon_type": None,
        }


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _parameters(raw: Any) -> dict[str, Any]:
    """``[{"name": ..., "value"|"boolValue"|"multiValue"...}]`` (API) or an object (flattened)."""
    if isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    if isinstance(raw, list):
        for p in raw:
            if isinstance(p, dict) and isinstance(p.get("name"), str):
                for key in ("value", "multiValue", "boolValue", "intValue", "multiIntValue"):
                    if key in p:
                        out[p["name"]] = p[key]
                        break
    return out


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        return clean(",".join(str(v) for v in value if v is not None))
    return clean(value)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bad(ctx: ReadContext, offset: int, reason: str, activity: Any) -> None:
    ctx.quarantine(offset, reason, orjson.dumps(activity)[:600])
