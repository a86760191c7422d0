"""Microsoft Entra ID sign-ins exported from Log Analytics / Microsoft Sentinel.

The ``SigninLogs`` and ``AADNonInteractiveUserSignInLogs`` tables have the Graph fields in PascalCase
(``TimeGenerated``, ``UserPrincipalName``, ``IPAddress``, ``ResultType``, ``LocationDetails``...). Their
"dynamic" columns (``LocationDetails``, ``DeviceDetail``, ``Status``, ``MfaDetail``, ``RiskEventTypes``,
``NetworkLocationDetails``) are JSON objects or arrays in some exports and JSON *strings* holding them in
others (``az monitor log-analytics query``, the
portal's export): both are read. A JSON array, JSON lines, or a ``{"value": [...]}`` page.

``Location`` is the two-letter country; ``TenantId`` is the Log Analytics workspace, so the Entra tenant
is taken from ``ResourceTenantId``/``AADTenantId``/``HomeTenantId`` first. Results follow the ``entra``
adapter: ``ResultType`` 0 is success, the interrupt codes are ``interrupted``, anything else a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.signins._common import read_signin_json
from vigil.ingest.signins.entra import INTERRUPT_CODES, LEGACY_CLIENTS, network_flags

COLUMNS = {
    "TimeGenerated": "VARCHAR",
    "CreatedDateTime": "VARCHAR",
    "Id": "VARCHAR",
    "OriginalRequestId": "VARCHAR",
    "Type": "VARCHAR",
    "Category": "VARCHAR",
    "OperationName": "VARCHAR",
    "UserPrincipalName": "VARCHAR",
    "UserDisplayName": "VARCHAR",
    "AlternateSignInName": "VARCHAR",
    "SignInIdentifier": "VARCHAR",
    "IPAddress": "VARCHAR",
    "ResultType": "VARCHAR",
    "ResultDescription": "VARCHAR",
    "Status": "JSON",
    "Location": "VARCHAR",
    "LocationDetails": "JSON",
    "AutonomousSystemNumber": "VARCHAR",
    "UserAgent": "VARCHAR",
    "ClientAppUsed": "VARCHAR",
    "AuthenticationProtocol": "VARCHAR",
    "AuthenticationRequirement": "VARCHAR",
    "MfaDetail": "JSON",
    "AppDisplayName": "VARCHAR",
    "ResourceDisplayName": "VARCHAR",
    "DeviceDetail": "JSON",
    "IsInteractive": "VARCHAR",
    "ResourceTenantId": "VARCHAR",
    "AADTenantId": "VARCHAR",
    "HomeTenantId": "VARCHAR",
    "TenantId": "VARCHAR",
    "RiskEventTypes": "JSON",
    "RiskEventTypes_V2": "JSON",
    "NetworkLocationDetails": "JSON",
}


def _obj(column: str) -> str:
    """A dynamic column as a JSON object, whether the export wrote it as an object or as a string."""
    return f"""(CASE WHEN json_type({column}) = 'VARCHAR' THEN try_cast({column}->>'$' AS JSON)
                 ELSE {column} END)"""


_STATUS = _obj("Status")
_LOCATION = _obj("LocationDetails")
_DEVICE = _obj("DeviceDetail")
_CODE = f"coalesce(nullif({_STATUS}->>'errorCode', ''), nullif(trim(ResultType), ''))"
_RISKS = " || ".join(
    f"list_transform(coalesce(json_extract_string({_obj(c)}, '$[*]'), []), lambda x: lower(x))"
    for c in ("RiskEventTypes", "RiskEventTypes_V2")
)
_NETWORK_TYPES = f"""json_extract_string({_obj("NetworkLocationDetails")}, '$[*].networkType')"""
_NETWORKS = f"list_transform(coalesce({_NETWORK_TYPES}, []), lambda x: lower(x))"
_INTERRUPT = ", ".join(f"'{c}'" for c in INTERRUPT_CODES)
_LEGACY = ", ".join(f"'{c}'" for c in LEGACY_CLIENTS)

SELECT = f"""
    'entra' AS format,
    coalesce(Id, OriginalRequestId) AS event_id,
    CASE WHEN coalesce(Category, '') ILIKE 'NonInteractive%' OR coalesce(Type, '') ILIKE '%NonInteractive%'
              OR lower(IsInteractive) = 'false' THEN 'sign-in.noninteractive'
         ELSE 'sign-in' END AS event_type,
    coalesce(try_cast(TimeGenerated AS TIMESTAMPTZ), try_cast(CreatedDateTime AS TIMESTAMPTZ)) AS time,
    lower(coalesce(nullif(UserPrincipalName, ''), nullif(AlternateSignInName, ''),
                   nullif(SignInIdentifier, ''))) AS user,
    nullif(UserDisplayName, '') AS user_display,
    CASE WHEN {_CODE} = '0' THEN 'success'
         WHEN {_CODE} IN ({_INTERRUPT}) THEN 'interrupted'
         WHEN {_CODE} IS NULL THEN NULL
         ELSE 'failure' END AS result,
    nullif(coalesce(nullif({_STATUS}->>'failureReason', ''), nullif(ResultDescription, '')),
           'Other.') AS failure_reason,
    {_CODE} AS error_code,
    nullif(IPAddress, '') AS src_ip,
    coalesce(nullif({_LOCATION}->>'countryOrRegion', ''), nullif(Location, '')) AS country,
    nullif({_LOCATION}->>'city', '') AS city,
    try_cast({_LOCATION}->'geoCoordinates'->>'latitude' AS DOUBLE) AS latitude,
    try_cast({_LOCATION}->'geoCoordinates'->>'longitude' AS DOUBLE) AS longitude,
    try_cast(AutonomousSystemNumber AS BIGINT) AS asn,
    nullif(UserAgent, '') AS user_agent,
    nullif(ClientAppUsed, '') AS client_app,
    nullif(ClientAppUsed, '') AS protocol,
    ClientAppUsed IN ({_LEGACY}) AS is_legacy_auth,
    coalesce(nullif({_obj("MfaDetail")}->>'authMethod', ''),
             nullif(AuthenticationRequirement, '')) AS mfa_detail,
    coalesce(nullif(AppDisplayName, ''), nullif(ResourceDisplayName, '')) AS application,
    coalesce(nullif(ResourceTenantId, ''), nullif(AADTenantId, ''), nullif(HomeTenantId, ''),
             nullif(TenantId, '')) AS tenant,
    nullif(concat_ws(' / ', nullif({_DEVICE}->>'displayName', ''), nullif({_DEVICE}->>'operatingSystem', ''),
                     nullif({_DEVICE}->>'browser', '')), '') AS device,
    CAST(NULL AS VARCHAR) AS logon_type,
    {network_flags(_RISKS, _NETWORKS)} AS network_flags
"""


def sniff(path: Path, head: bytes) -> bool:
    # PascalCase keys only: the Graph and diagnostic exports (adapter "entra") are camelCase.
    if b'"UserPrincipalName"' not in head:
        return False
    return any(m in head for m in (b'"TimeGenerated"', b'"ResultType"', b'"AppDisplayName"', b'"IPAddress"'))


@adapter(
    "entra-la",
    table="signins",
    sniff=sniff,
    description="Microsoft Entra ID sign-ins from Log Analytics / Sentinel (SigninLogs tables)",
)
def read_entra_la(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from read_signin_json(path, ctx, columns=COLUMNS, select=SELECT)
