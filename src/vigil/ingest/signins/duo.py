"""Duo authentication log: the Admin API's ``/admin/v2/logs/authentication`` records (and v1's), as JSON
lines, a JSON array, or an API page as Duo returns it (``{"stat": "OK", "response": {"authlogs": [...]}}``).

Duo logs the *second* factor: by the time Duo is asked, the password was already checked (or is not
used). Every row is therefore ``event_type = 'mfa'``: a denied Duo prompt is never a password guess for
the spray and brute-force detectors, and Duo's own ``event_type`` (``authentication``; enrollments and
other kinds are skipped and counted) adds nothing.

- ``result``: ``success`` is ``success``; ``denied``, ``fraud`` (the user said they did not start it)
  and ``failure`` are ``failure``; ``error`` (Duo could not decide) stays null.
- ``error_code`` is Duo's ``reason`` code (``user_approved``, ``user_marked_fraud``, ``no_response``,
  ``bypass_user``, ``trusted_network``...; v1's words, "No response", become the same codes);
  ``failure_reason`` is the same in words, on failures only.
  ``signin.mfa_fatigue`` counts the refusals it lists in ``DUO_DENIED``.
- The address (without a port or ``::ffff:``) and the place are the *access device*'s (the computer
  that asked to sign in), not the phone's (``auth_device``): that is where the sign-in came from.
  Duo gives the country as a name ("United States"); ``-`` is no value, and then the country is the
  one the address is registered in (bundled RIR data). ``mfa_detail`` is the factor (``duo_push``,
  ``phone_call``, ``passcode``, ``bypass_code``...; v1's "Duo Push" becomes ``duo_push``),
  ``application`` the protected application, ``user`` the Duo user name lower-cased (v1: ``username``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.jsonrecords import UNREADABLE, file_excerpt, load_document
from vigil.ingest.signins._common import read_rewritten, read_signin_json, sql_address, sql_time

COLUMNS = {
    "txid": "VARCHAR",
    "isotimestamp": "VARCHAR",
    "timestamp": "VARCHAR",
    "event_type": "VARCHAR",
    "eventtype": "VARCHAR",  # v1
    "user": "JSON",
    "username": "VARCHAR",  # v1
    "alias": "VARCHAR",
    "result": "VARCHAR",
    "reason": "VARCHAR",
    "factor": "VARCHAR",
    "access_device": "JSON",
    "application": "JSON",
    "integration": "VARCHAR",  # v1
    "ip": "VARCHAR",  # v1
    "location": "JSON",  # v1
}

_KIND = "lower(coalesce(nullif(event_type, ''), nullif(eventtype, ''), 'authentication'))"
_RESULT = "lower(result)"


def _code(column: str) -> str:
    """v2 writes codes (``no_response``, ``duo_push``), v1 words (``No response``, ``Duo Push``): both
    become the code."""
    return f"nullif(trim(regexp_replace(lower(trim({column})), '[^a-z0-9]+', '_', 'g'), '_'), '')"


_REASON = _code("reason")
_LOCATION = "coalesce(access_device->'location', location)"


def _place(key: str) -> str:
    return f"nullif(nullif(trim({_LOCATION}->>'{key}'), ''), '-')"


KEEP = f"{_KIND} = 'authentication'"
KIND = f"'duo:' || {_KIND}"

SELECT = f"""
    'duo' AS format,
    nullif(txid, '') AS event_id,
    'mfa' AS event_type,
    coalesce({sql_time("isotimestamp")}, {sql_time('"timestamp"')}) AS time,
    lower(nullif(trim(coalesce("user"->>'name', username)), '')) AS user,
    nullif(alias, '') AS user_display,
    CASE WHEN {_RESULT} = 'success' THEN 'success'
         WHEN {_RESULT} IN ('denied', 'fraud', 'failure') THEN 'failure' END AS result,
    CASE WHEN {_RESULT} IN ('denied', 'fraud', 'failure') THEN replace({_REASON}, '_', ' ') END
        AS failure_reason,
    {_REASON} AS error_code,
    {sql_address("coalesce(nullif(trim(access_device->>'ip'), ''), nullif(trim(ip), ''))")} AS src_ip,
    {_place("country")} AS country,
    {_place("city")} AS city,
    CAST(NULL AS DOUBLE) AS latitude,
    CAST(NULL AS DOUBLE) AS longitude,
    CAST(NULL AS BIGINT) AS asn,
    CAST(NULL AS VARCHAR) AS user_agent,
    nullif(access_device->>'browser', '') AS client_app,
    'duo' AS protocol,
    false AS is_legacy_auth,
    {_code("factor")} AS mfa_detail,
    coalesce(nullif(application->>'name', ''), nullif(integration, '')) AS application,
    CAST(NULL AS VARCHAR) AS tenant,
    nullif(concat_ws(' / ', nullif(access_device->>'hostname', ''), nullif(access_device->>'os', ''),
                     nullif(access_device->>'browser', '')), '') AS device,
    CAST(NULL AS VARCHAR) AS logon_type,
    CAST(NULL AS VARCHAR[]) AS network_flags
"""


def sniff(path: Path, head: bytes) -> bool:
    if b'"authlogs"' in head:
        return True
    v2 = b'"access_device"' in head
    v1 = b'"txid"' in head and b'"integration"' in head
    return b'"factor"' in head and (v2 or v1)


def _read(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from read_signin_json(
        path, ctx, columns=COLUMNS, select=SELECT, keep=KEEP, kind=KIND, country_from_registry=True
    )


def _is_api_page(path: Path) -> bool:
    """One JSON document holding the records (``authlogs``, or v1's ``response`` list), not records one
    per line: a JSON-lines record has neither key."""
    head = file_excerpt(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and (b'"authlogs"' in head or (b'"response"' in head and b'"stat"' in head))


def _api_page(path: Path, ctx: ReadContext) -> Iterator[tuple[int, object]]:
    """The records of an Admin API page: ``{"response": {"authlogs": [...]}}`` or ``{"authlogs": [...]}``
    (v1 pages hold the list itself under ``response``)."""
    doc = load_document(path, ctx)
    if doc is UNREADABLE:
        return
    page = doc.get("response", doc) if isinstance(doc, dict) else doc
    records = page.get("authlogs") if isinstance(page, dict) else page
    if not isinstance(records, list):
        ctx.quarantine(0, "Duo API page holds no list of authentication logs", file_excerpt(path))
        return
    yield from enumerate(records)


@adapter(
    "duo",
    table="signins",
    sniff=sniff,
    description="Duo authentication log (Admin API v2 or v1: JSON lines, array or API page)",
)
def read_duo(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    if _is_api_page(path):
        yield from read_rewritten(path, ctx, lambda record: record, _read, records=_api_page(path, ctx))
    else:
        yield from _read(path, ctx)
