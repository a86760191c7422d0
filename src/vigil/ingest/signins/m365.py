"""Microsoft 365 unified audit log: the sign-ins it records (``UserLoggedIn``, ``UserLoginFailed``).

Many small organisations cannot export Entra ID's sign-in log (it needs a premium licence past a few
days), but every Microsoft 365 tenant has the unified audit log. It comes as

- JSON records, as the Office 365 Management Activity API and ``Search-UnifiedAuditLog`` give them
  (JSON lines or a JSON array), or
- the CSV that Purview's audit search exports, one record per row in its ``AuditData`` column.

Files whose keys a data lake lower-cased (``creationtime``) are read too, through a slower path.

Only the Entra ID logon records become sign-in rows; the others (Exchange, SharePoint, directory
changes...) are skipped and counted by workload and operation.

- ``result``: ``UserLoggedIn`` is ``success``, ``UserLoginFailed`` ``failure``.
- ``error_code`` is the Entra code (``ErrorNumber`` where the record has it; else ``LogonError``'s
  name turned into its code for the names in ``LOGON_ERRORS``, else the name itself), so that the
  detectors read an audit-log failure as they read the same failure in Entra's own log (50126 a wrong
  password, 50074/50076 MFA required, 50034 an unknown user). ``failure_reason`` is ``LogonError``.
- ``src_ip`` is ``ClientIP`` (or ``ActorIpAddress``) without a port or ``::ffff:``; ``user`` is
  ``UserId`` lower-cased; ``user_agent`` comes from ``ExtendedProperties``; ``application`` is the
  ``ApplicationId`` (the audit log gives no name); ``tenant`` is ``OrganizationId``; ``device`` the
  ``DeviceProperties`` (OS, browser). The audit log says nothing of the place: ``country`` is the
  country the address is registered in (bundled RIR data), ``city`` and the coordinates stay null.
  Nor does it name the MFA method or the protocol: ``mfa_detail`` and ``is_legacy_auth`` stay null.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.limits import MAX_JSON_RECORD_BYTES
from vigil.ingest.signins._common import read_rewritten, read_signin_json, sql_address, sql_time

SIGNIN_OPERATIONS = ("UserLoggedIn", "UserLoginFailed")
#: ``LogonError`` names of Entra's error codes (Microsoft's AADSTS reference), for records without
#: ``ErrorNumber``.
LOGON_ERRORS = {
    "InvalidUserNameOrPassword": "50126",
    "UserAccountNotFound": "50034",
    "IdsLocked": "50053",
    "InvalidPasswordExpiredPassword": "50055",
    "UserDisabled": "50057",
    "UserStrongAuthClientAuthNRequiredInterrupt": "50074",
    "UserStrongAuthClientAuthNRequired": "50076",
    "BlockedByConditionalAccess": "53003",
}

COLUMNS = {
    "Id": "VARCHAR",
    "CreationTime": "VARCHAR",
    "Operation": "VARCHAR",
    "Workload": "VARCHAR",
    "UserId": "VARCHAR",
    "ClientIP": "VARCHAR",
    "ActorIpAddress": "VARCHAR",
    "LogonError": "VARCHAR",
    "ErrorNumber": "VARCHAR",
    "ApplicationId": "VARCHAR",
    "OrganizationId": "VARCHAR",
    "ExtendedProperties": "JSON",
    "DeviceProperties": "JSON",
}


_CANONICAL = {k.lower(): k for k in COLUMNS}
#: Some data lakes lower-case the keys (``creationtime``); those files take a slower path.
_LOWERED_KEYS = re.compile(rb'"(creationtime|operation|userid|clientip)"\s*:')


def _property(column: str, name: str) -> str:
    """The value of a ``[{"Name": ..., "Value": ...}]`` list (keys lower-cased in some lake exports)."""
    key, value = "coalesce(p->>'Name', p->>'name')", "coalesce(p->>'Value', p->>'value')"
    return f"[{value} FOR p IN coalesce(try_cast({column} AS JSON[]), []) IF {key} = '{name}'][1]"


_LOGON_ERROR = "nullif(trim(LogonError), '')"
_MAPPED = (
    "CASE " + " ".join(f"WHEN {_LOGON_ERROR} = '{k}' THEN '{v}'" for k, v in LOGON_ERRORS.items()) + " END"
)
_IP = "coalesce(nullif(trim(ClientIP), ''), nullif(trim(ActorIpAddress), ''))"

KEEP = f"Operation IN ({', '.join(repr(o) for o in SIGNIN_OPERATIONS)})"
KIND = "'m365:' || coalesce(Workload, 'no Workload') || ':' || coalesce(Operation, 'no Operation')"

SELECT = f"""
    'm365-audit' AS format,
    nullif(Id, '') AS event_id,
    Operation AS event_type,
    {sql_time("CreationTime")} AS time,
    lower(nullif(trim(UserId), '')) AS user,
    CAST(NULL AS VARCHAR) AS user_display,
    CASE Operation WHEN 'UserLoggedIn' THEN 'success' WHEN 'UserLoginFailed' THEN 'failure' END AS result,
    {_LOGON_ERROR} AS failure_reason,
    coalesce(nullif(trim(ErrorNumber), ''), {_MAPPED}, {_LOGON_ERROR}) AS error_code,
    {sql_address(_IP)} AS src_ip,
    CAST(NULL AS VARCHAR) AS country,
    CAST(NULL AS VARCHAR) AS city,
    CAST(NULL AS DOUBLE) AS latitude,
    CAST(NULL AS DOUBLE) AS longitude,
    CAST(NULL AS BIGINT) AS asn,
    nullif({_property("ExtendedProperties", "UserAgent")}, '') AS user_agent,
    CAST(NULL AS VARCHAR) AS client_app,
    CAST(NULL AS VARCHAR) AS protocol,
    CAST(NULL AS BOOLEAN) AS is_legacy_auth,
    CAST(NULL AS VARCHAR) AS mfa_detail,
    nullif(ApplicationId, '') AS application,
    nullif(OrganizationId, '') AS tenant,
    nullif(concat_ws(' / ', nullif({_property("DeviceProperties", "OS")}, ''),
                     nullif({_property("DeviceProperties", "BrowserType")}, '')), '') AS device,
    CAST(NULL AS VARCHAR) AS logon_type,
    CAST(NULL AS VARCHAR[]) AS network_flags
"""


def _is_export(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return b"AuditData" in first and b"CreationDate" in first


def sniff(path: Path, head: bytes) -> bool:
    if _is_export(head):
        return True
    lowered = head.lower()
    return (
        b'"operation"' in lowered
        and b'"creationtime"' in lowered
        and (b'"workload"' in lowered or b'"recordtype"' in lowered)
    )


def _read(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from read_signin_json(
        path, ctx, columns=COLUMNS, select=SELECT, keep=KEEP, kind=KIND, country_from_registry=True
    )


def _export_records(path: Path, ctx: ReadContext) -> Iterator[tuple[int, object]]:
    """The ``AuditData`` record of each row of a Purview export (index = row number, header excluded)."""
    csv.field_size_limit(MAX_JSON_RECORD_BYTES)
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
        rows = csv.DictReader(f)
        index = -1
        while True:
            index += 1
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                ctx.quarantine(index, f"unreadable CSV row: {exc}")
                continue
            data = row.get("AuditData") or ""
            try:
                yield index, orjson.loads(data)
            except orjson.JSONDecodeError as exc:
                ctx.quarantine(index, f"AuditData is not JSON: {exc}", data[:300])


@adapter(
    "m365-audit",
    table="signins",
    sniff=sniff,
    description="Microsoft 365 unified audit log sign-ins (Management API JSON or Purview CSV export)",
)
def read_m365_audit(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    with path.open("rb") as f:
        head = f.read(4096)
    if _is_export(head):
        yield from read_rewritten(path, ctx, lambda record: record, _read, records=_export_records(path, ctx))
    elif _LOWERED_KEYS.search(head):
        yield from read_rewritten(path, ctx, _canonical_keys, _read)
    else:
        yield from _read(path, ctx)


def _canonical_keys(record: dict[str, Any]) -> dict[str, Any]:
    return {_CANONICAL.get(k.lower(), k): v for k, v in record.items()}
