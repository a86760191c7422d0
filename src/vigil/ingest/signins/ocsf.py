"""OCSF Authentication events (class 3002), as JSON lines or a JSON array.

AWS Security Lake, Amazon's and many vendors' connectors write identity events in the Open Cybersecurity
Schema Framework. Rows come from class 3002 events whose activity is a logon or an authentication
(``activity_id`` 1 Logon, 3 Authentication Ticket, 6 Preauth, 0 Unknown, 99 Other). Logoffs, service
tickets and records of other classes are valid events but not sign-ins: they are skipped and counted.

``status_id`` 1 / ``status`` Success is ``success``, 2 / Failure is ``failure`` (``status_detail`` is
the reason, ``status_code`` the vendor's code). The user is ``user.name``, else ``user.email_addr``,
else ``user.uid``, lower-cased. ``src_endpoint.location.coordinates`` are ``[longitude, latitude]``.
``is_mfa`` becomes ``mfa_detail`` ``multiFactorAuthentication`` / ``singleFactorAuthentication``
(Entra's words); ``auth_protocol`` (or the name of ``auth_protocol_id``) is the ``protocol``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.signins._common import read_signin_json, sql_time

AUTHENTICATION_CLASS = 3002
SIGNIN_ACTIVITIES = (0, 1, 3, 6, 99)
ACTIVITY_NAMES = {
    0: "Unknown",
    1: "Logon",
    2: "Logoff",
    3: "Authentication Ticket",
    4: "Service Ticket Request",
    5: "Service Ticket Renew",
    6: "Preauth",
    99: "Other",
}
AUTH_PROTOCOLS = {
    1: "NTLM",
    2: "Kerberos",
    3: "Digest",
    4: "OpenID",
    5: "SAML",
    6: "OAUTH 2.0",
    7: "PAP",
    8: "CHAP",
    9: "EAP",
    10: "RADIUS",
    11: "Basic Authentication",
    12: "LDAP",
}
LOGON_TYPES = {
    0: "System",
    2: "Interactive",
    3: "Network",
    4: "Batch",
    5: "OS Service",
    7: "Unlock",
    8: "Network Cleartext",
    9: "New Credentials",
    10: "Remote Interactive",
    11: "Cached Interactive",
    12: "Cached Remote Interactive",
    13: "Cached Unlock",
}

COLUMNS = {
    "class_uid": "VARCHAR",
    "activity_id": "VARCHAR",
    "activity_name": "VARCHAR",
    "time": "VARCHAR",
    "time_dt": "VARCHAR",
    "status_id": "VARCHAR",
    "status": "VARCHAR",
    "status_code": "VARCHAR",
    "status_detail": "VARCHAR",
    "user": "JSON",
    "actor": "JSON",
    "src_endpoint": "JSON",
    "dst_endpoint": "JSON",
    "service": "JSON",
    "http_request": "JSON",
    "auth_protocol": "VARCHAR",
    "auth_protocol_id": "VARCHAR",
    "is_mfa": "VARCHAR",
    "logon_type": "VARCHAR",
    "logon_type_id": "VARCHAR",
    "logon_process": "JSON",
    "metadata": "JSON",
    "cloud": "JSON",
    "device": "JSON",
}


def _case(expr: str, names: dict[int, str]) -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in names.items())
    return f"(CASE {expr} {whens} END)"


_ACTIVITY = "try_cast(activity_id AS INTEGER)"
_STATUS = """coalesce(try_cast(status_id AS INTEGER),
                     CASE lower(status) WHEN 'success' THEN 1 WHEN 'failure' THEN 2 END)"""
_SRC = "src_endpoint"
_LOC = "src_endpoint->'location'"
_USER = "coalesce(\"user\", actor->'user')"

KEEP = f"""try_cast(class_uid AS INTEGER) = {AUTHENTICATION_CLASS}
           AND coalesce({_ACTIVITY}, 0) IN ({", ".join(map(str, SIGNIN_ACTIVITIES))})"""
KIND = f"""CASE WHEN try_cast(class_uid AS INTEGER) = {AUTHENTICATION_CLASS}
                THEN 'ocsf:3002:' || coalesce(activity_name, {_case("trim(activity_id)", ACTIVITY_NAMES)},
                                              activity_id)
                ELSE 'ocsf:' || coalesce(class_uid, 'no class_uid') END"""

SELECT = f"""
    'ocsf' AS format,
    nullif(metadata->>'uid', '') AS event_id,
    coalesce(nullif(activity_name, ''), {_case("trim(activity_id)", ACTIVITY_NAMES)}, 'Logon') AS event_type,
    coalesce({sql_time('"time"')}, {sql_time("time_dt")}) AS time,
    lower(coalesce(nullif(trim({_USER}->>'name'), ''), nullif(trim({_USER}->>'email_addr'), ''),
                   nullif(trim({_USER}->>'uid'), ''))) AS user,
    coalesce(nullif({_USER}->>'full_name', ''),
             CASE WHEN nullif({_USER}->>'domain', '') IS NOT NULL
                  THEN ({_USER}->>'domain') || '\\' || ({_USER}->>'name') END) AS user_display,
    CASE {_STATUS} WHEN 1 THEN 'success' WHEN 2 THEN 'failure' END AS result,
    nullif(status_detail, '') AS failure_reason,
    nullif(status_code, '') AS error_code,
    nullif({_SRC}->>'ip', '') AS src_ip,
    nullif({_LOC}->>'country', '') AS country,
    nullif({_LOC}->>'city', '') AS city,
    coalesce(try_cast({_LOC}->'coordinates'->>1 AS DOUBLE), try_cast({_LOC}->>'lat' AS DOUBLE)) AS latitude,
    coalesce(try_cast({_LOC}->'coordinates'->>0 AS DOUBLE), try_cast({_LOC}->>'long' AS DOUBLE),
             try_cast({_LOC}->>'lon' AS DOUBLE)) AS longitude,
    try_cast({_SRC}->'autonomous_system'->>'number' AS BIGINT) AS asn,
    coalesce(nullif(http_request->>'user_agent', ''),
             nullif({_SRC}->'agent_list'->0->>'name', '')) AS user_agent,
    nullif(logon_process->>'name', '') AS client_app,
    coalesce(nullif(auth_protocol, ''), {_case("trim(auth_protocol_id)", AUTH_PROTOCOLS)}) AS protocol,
    CAST(NULL AS BOOLEAN) AS is_legacy_auth,
    CASE lower(is_mfa) WHEN 'true' THEN 'multiFactorAuthentication'
                       WHEN 'false' THEN 'singleFactorAuthentication' END AS mfa_detail,
    coalesce(nullif(service->>'name', ''), nullif(dst_endpoint->>'svc_name', ''),
             nullif(dst_endpoint->>'hostname', ''), nullif(dst_endpoint->>'name', '')) AS application,
    coalesce(nullif(cloud->'account'->>'uid', ''), nullif({_USER}->>'domain', '')) AS tenant,
    coalesce(nullif({_SRC}->>'hostname', ''), nullif({_SRC}->>'name', ''), nullif(device->>'hostname', ''),
             nullif(device->>'name', '')) AS device,
    coalesce(nullif(logon_type, ''), {_case("trim(logon_type_id)", LOGON_TYPES)}) AS logon_type
"""


def sniff(path: Path, head: bytes) -> bool:
    return b'"class_uid":3002' in head or b'"class_uid": 3002' in head


@adapter("ocsf", table="signins", sniff=sniff, description="OCSF Authentication events (class 3002), JSON")
def read_ocsf(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from read_signin_json(path, ctx, columns=COLUMNS, select=SELECT, keep=KEEP, kind=KIND)
