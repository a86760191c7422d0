"""Microsoft Entra ID sign-ins.

Two shapes of the same events, both camelCase:

- Microsoft Graph ``auditLogs/signIns`` (a ``{"value": [...]}`` page, a JSON array or JSON lines), as
  returned by the API or ``Get-MgAuditLogSignIn | ConvertTo-Json``;
- the diagnostic-settings export to a storage account or Event Hub (``SignInLogs``,
  ``NonInteractiveUserSignInLogs``, ...), where the Graph object sits under ``properties``.

The Log Analytics (``SigninLogs`` table, PascalCase columns) export is the ``entra-la`` adapter.

``network_flags``: ``anonymizer`` and ``malicious-ip`` from Identity Protection's ``riskEventTypes``
(``anonymizedIPAddress``, ``maliciousIPAddress``), ``trusted-location``/``named-location`` from
``networkLocationDetails``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.signins._common import read_signin_json

#: Entra's result codes that are an interruption (more proof asked for), not a failed password.
INTERRUPT_CODES = ("50074", "50076", "50079", "50125", "50140", "50158", "50097", "50072")

#: ``clientAppUsed`` values of legacy authentication, which cannot do MFA.
LEGACY_CLIENTS = (
    "Authenticated SMTP",
    "AutoDiscover",
    "Exchange ActiveSync",
    "Exchange Online PowerShell",
    "Exchange Web Services",
    "IMAP4",
    "MAPI Over HTTP",
    "Offline Address Book",
    "Other clients",
    "Outlook Anywhere (RPC over HTTP)",
    "POP3",
    "Reporting Web Services",
    "Outlook Service",
)

#: The Graph signIn fields read, top-level (Graph) or under ``properties`` (diagnostic export). Nested
#: objects are typed, so that DuckDB's reader parses each record once (a ``JSON`` column would be
#: parsed again by every ``->>``).
GRAPH_FIELDS = {
    "id": "VARCHAR",
    "userPrincipalName": "VARCHAR",
    "userDisplayName": "VARCHAR",
    "servicePrincipalName": "VARCHAR",
    "ipAddress": "VARCHAR",
    "status": "STRUCT(errorCode VARCHAR, failureReason VARCHAR)",
    "location": """STRUCT(city VARCHAR, countryOrRegion VARCHAR,
                          geoCoordinates STRUCT(latitude VARCHAR, longitude VARCHAR))""",
    "deviceDetail": "STRUCT(displayName VARCHAR, operatingSystem VARCHAR, browser VARCHAR)",
    "mfaDetail": "STRUCT(authMethod VARCHAR)",
    "clientAppUsed": "VARCHAR",
    "appDisplayName": "VARCHAR",
    "userAgent": "VARCHAR",
    "authenticationRequirement": "VARCHAR",
    "isInteractive": "VARCHAR",
    "resourceTenantId": "VARCHAR",
    "autonomousSystemNumber": "VARCHAR",
    "riskEventTypes": "VARCHAR[]",
    "riskEventTypes_v2": "VARCHAR[]",
    "networkLocationDetails": "STRUCT(networkType VARCHAR)[]",
}

COLUMNS = {
    **GRAPH_FIELDS,
    "createdDateTime": "VARCHAR",
    "time": "VARCHAR",
    "category": "VARCHAR",
    "resultType": "VARCHAR",
    "resultDescription": "VARCHAR",
    "callerIpAddress": "VARCHAR",
    "tenantId": "VARCHAR",
    "properties": "STRUCT(" + ", ".join(f'"{k}" {v}' for k, v in GRAPH_FIELDS.items()) + ")",
}


def _field(name: str, sql_type: str = "VARCHAR") -> str:
    """A Graph field, top-level or under ``properties`` (diagnostic export)."""
    expr = f'coalesce("{name}", properties."{name}")'
    return expr if sql_type == "VARCHAR" else f"try_cast({expr} AS {sql_type})"


def _get(expr: str, *keys: str) -> str:
    """A field of a nested object (NULL when absent)."""
    for key in keys:
        expr = f"struct_extract({expr}, '{key}')"
    return expr


_STATUS = _field("status")
_LOCATION = _field("location")
# The error code: status.errorCode, else the export's resultType, which some exports spell as words
# ("Success", "Failure") or leave empty. "Failure" says it failed without saying how: no code.
_CODE = f"""coalesce({_get(_STATUS, "errorCode")}, CASE lower(resultType)
    WHEN 'success' THEN '0' WHEN 'failure' THEN NULL ELSE nullif(resultType, '') END)"""
_CLIENT = _field("clientAppUsed")
_DEVICE = _field("deviceDetail")
_LEGACY = ", ".join(f"'{c}'" for c in LEGACY_CLIENTS)


def network_flags(risks: str, networks: str) -> str:
    """SQL for ``network_flags`` from Identity Protection's detections of the sign-in (``risks``, lower
    case) and the types of the named locations it came from (``networks``, lower case): VARCHAR[]."""
    return f"""nullif(list_filter([
        CASE WHEN list_contains({risks}, 'anonymizedipaddress') THEN 'anonymizer' END,
        CASE WHEN list_contains({risks}, 'maliciousipaddress') THEN 'malicious-ip' END,
        CASE WHEN list_has_any({networks}, ['trustednamedlocation', 'trusted', 'intranet'])
             THEN 'trusted-location' END,
        CASE WHEN list_contains({networks}, 'namednetwork') THEN 'named-location' END],
    lambda x: x IS NOT NULL), [])"""


# Identity Protection's detections (both spellings) and the named locations the sign-in came from.
_RISKS = " || ".join(
    f"list_transform(coalesce({_field(n)}, []), lambda x: lower(x))"
    for n in ("riskEventTypes", "riskEventTypes_v2")
)
_NETWORKS = (
    f"""list_transform(coalesce({_field("networkLocationDetails")}, []), lambda x: lower(x.networkType))"""
)

SELECT = f"""
    'entra' AS format,
    {_field("id")} AS event_id,
    CASE WHEN coalesce(category, '') ILIKE 'NonInteractive%'
              OR lower({_field("isInteractive")}) = 'false' THEN 'sign-in.noninteractive'
         ELSE 'sign-in' END AS event_type,
    coalesce(try_cast(createdDateTime AS TIMESTAMPTZ), try_cast("time" AS TIMESTAMPTZ)) AS time,
    lower(coalesce({_field("userPrincipalName")}, {_field("servicePrincipalName")})) AS user,
    {_field("userDisplayName")} AS user_display,
    CASE WHEN {_CODE} = '0' THEN 'success'
         WHEN list_contains([{", ".join(f"'{c}'" for c in INTERRUPT_CODES)}], {_CODE}) THEN 'interrupted'
         WHEN {_CODE} IS NULL THEN CASE WHEN lower(resultType) = 'failure' THEN 'failure' END
         ELSE 'failure' END AS result,
    nullif(coalesce({_get(_STATUS, "failureReason")}, resultDescription), 'Other.') AS failure_reason,
    {_CODE} AS error_code,
    coalesce({_field("ipAddress")}, callerIpAddress) AS src_ip,
    {_get(_LOCATION, "countryOrRegion")} AS country,
    {_get(_LOCATION, "city")} AS city,
    try_cast({_get(_LOCATION, "geoCoordinates", "latitude")} AS DOUBLE) AS latitude,
    try_cast({_get(_LOCATION, "geoCoordinates", "longitude")} AS DOUBLE) AS longitude,
    {_field("autonomousSystemNumber", "BIGINT")} AS asn,
    {_field("userAgent")} AS user_agent,
    {_CLIENT} AS client_app,
    {_CLIENT} AS protocol,
    list_contains([{_LEGACY}], {_CLIENT}) AS is_legacy_auth,
    coalesce({_get(_field("mfaDetail"), "authMethod")}, {_field("authenticationRequirement")}) AS mfa_detail,
    {_field("appDisplayName")} AS application,
    coalesce({_field("resourceTenantId")}, tenantId) AS tenant,
    nullif(concat_ws(' / ', nullif({_get(_DEVICE, "displayName")}, ''),
                     nullif({_get(_DEVICE, "operatingSystem")}, ''),
                     nullif({_get(_DEVICE, "browser")}, '')), '') AS device,
    CAST(NULL AS VARCHAR) AS logon_type,
    {network_flags(_RISKS, _NETWORKS)} AS network_flags
"""


#: Diagnostic exports hold every category of Entra log; only the sign-in ones are rows here.
KEEP = "category IS NULL OR category ILIKE '%SignInLogs'"
KIND = "'entra:' || category"


def sniff(path: Path, head: bytes) -> bool:
    if b'"userPrincipalName"' not in head:
        return False
    return any(
        marker in head
        for marker in (
            b'"createdDateTime"',
            b'"SignInLogs"',
            b'"NonInteractiveUserSignInLogs"',
            b'"appDisplayName"',
        )
    )


@adapter(
    "entra",
    table="signins",
    sniff=sniff,
    description="Microsoft Entra ID sign-ins: Graph signIns JSON, or the diagnostic-settings export",
)
def read_entra(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from read_signin_json(path, ctx, columns=COLUMNS, select=SELECT, keep=KEEP, kind=KIND)
