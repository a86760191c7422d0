"""Okta System Log: the ``/api/v1/logs`` JSON array, JSON lines, or a ``{"value": [...]}`` page.

The System Log holds every event of an org; only authentication events become sign-in rows (see
``SIGNIN_EVENT_TYPES`` and the ``user.authentication.*`` family). The others (admin changes, app
lifecycle, ThreatInsight's ``security.threat.detected``...) are valid events, so they are skipped and
counted (``vigil.ingest.signins._common.skipped``), never quarantined.

Results:

- ``outcome.result`` SUCCESS / ALLOW is ``success``; FAILURE / DENY / REJECTED is ``failure``; CHALLENGE
  (sign-on policy asks for another factor) is ``interrupted``; anything else (SKIPPED, UNKNOWN) stays null;
- whatever the outcome, a denied push (``user.mfa.okta_verify.deny_push``), an MFA bypass attempt and an
  account lock-out are ``failure``, and a push sent (``system.push.send_factor_verify_push``) is
  ``interrupted`` (a factor was asked for) — ``event_type`` keeps the Okta ``eventType`` for detectors that
  need the difference (MFA fatigue counts pushes and denials).

One sign-on can log several of these (``policy.evaluate_sign_on``, then ``user.session.start``, then
``user.authentication.sso`` per app): a detector counting attempts should pick the event types it counts.

``failure_reason`` is ``outcome.reason``; when that is a code (``INVALID_CREDENTIALS``,
``VERIFICATION_ERROR``...) it is also the ``error_code``. The user is ``actor.alternateId`` (the login
typed, even for unknown users), lower-cased. ``protocol`` is the authentication provider (OKTA, ACTIVE
DIRECTORY, FEDERATION...), ``mfa_detail`` the factor (``debugData.factor``) or the credential type.
``network_flags`` says what is known of the client's network: ``anonymizing-proxy`` (``isProxy``), ``tor``,
and Panther's IPinfo privacy flags when the export carries them (``vpn``, ``relay``, ``hosting``).

Exports from some data lakes lower-case the top-level keys (``eventtype``, ``authenticationcontext``);
those files are read through a slower path that restores the Okta spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.signins._common import (
    read_rewritten,
    read_signin_json,
    sql_time,
)

#: Authentication events besides the ``user.authentication.*`` family.
SIGNIN_EVENT_TYPES = (
    "user.session.start",
    "user.session.access_admin_app",
    "user.mfa.okta_verify.deny_push",
    "user.mfa.okta_verify.deny_push_upgrade_needed",
    "user.mfa.attempt_bypass",
    "system.push.send_factor_verify_push",
    "user.account.lock",
    "user.account.lock.limit",
    "policy.evaluate_sign_on",
)
#: Of the family, the ones that are not a sign-in attempt.
NOT_SIGNINS = ("user.authentication.slo",)
FAILURE_EVENT_TYPES = (
    "user.mfa.okta_verify.deny_push",
    "user.mfa.okta_verify.deny_push_upgrade_needed",
    "user.mfa.attempt_bypass",
    "user.account.lock",
    "user.account.lock.limit",
)
INTERRUPT_EVENT_TYPES = ("system.push.send_factor_verify_push",)
#: ``authenticationContext.interface`` values of protocols that cannot do MFA.
LEGACY_INTERFACES = ("IMAP", "POP", "POP3", "SMTP", "Exchange ActiveSync", "ActiveSync", "EWS", "MAPI")

COLUMNS = {
    "uuid": "VARCHAR",
    "published": "VARCHAR",
    "eventType": "VARCHAR",
    "actor": "JSON",
    "client": "JSON",
    "outcome": "JSON",
    "securityContext": "JSON",
    "authenticationContext": "JSON",
    "debugContext": "JSON",
    "target": "JSON",
    "request": "JSON",
    "p_event_time": "VARCHAR",  # Panther's copy of the event time
    "p_enrichment": "JSON",  # Panther's IPinfo privacy enrichment (tor, proxy, vpn, relay, hosting)
}
_CANONICAL = {k.lower(): k for k in COLUMNS}


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


_RESULT = "upper(outcome->>'result')"
_REASON = "nullif(outcome->>'reason', '')"
_GEO = "client->'geographicalContext'"
_UA = "client->'userAgent'"
_AUTH = "authenticationContext"
_DEBUG = "debugContext->'debugData'"
_TARGETS = "try_cast(target AS JSON[])"
# Anonymizers: Okta's securityContext (isProxy; isTor where present; a Tor hint in isp/asOrg/domain) and
# Panther's IPinfo privacy enrichment of the client address.
_SEC = "securityContext"
_PRIVACY = """p_enrichment->'ipinfo_privacy'->'$."client.ipAddress"'"""
_NET_NAMES = f"lower(concat_ws(' ', {_SEC}->>'isp', {_SEC}->>'asOrg', {_SEC}->>'domain'))"


def _flag(name: str, *conditions: str) -> str:
    return f"CASE WHEN {' OR '.join(f'coalesce({c}, false)' for c in conditions)} THEN '{name}' END"


_FLAG_RULES = {
    "tor": (
        f"({_SEC}->>'isTor') = 'true'",
        f"({_PRIVACY}->>'tor') = 'true'",
        f"regexp_matches({_NET_NAMES}, '(^|[^a-z])tor([^a-z]|$)|torproject|tor-exit')",
    ),
    "anonymizing-proxy": (f"({_SEC}->>'isProxy') = 'true'", f"({_PRIVACY}->>'proxy') = 'true'"),
    "vpn": (f"({_PRIVACY}->>'vpn') = 'true'",),
    "relay": (f"({_PRIVACY}->>'relay') = 'true'",),
    "hosting": (f"({_PRIVACY}->>'hosting') = 'true'",),
}
_FLAGS = (
    "list_filter(["
    + ", ".join(_flag(name, *rules) for name, rules in _FLAG_RULES.items())
    + "], lambda x: x IS NOT NULL)"
)

KEEP = f"""(eventType LIKE 'user.authentication.%' AND eventType NOT IN ({_quoted(NOT_SIGNINS)}))
           OR eventType IN ({_quoted(SIGNIN_EVENT_TYPES)})"""
KIND = "'okta:' || coalesce(eventType, 'no eventType')"

SELECT = f"""
    'okta' AS format,
    uuid AS event_id,
    eventType AS event_type,
    coalesce({sql_time("published")}, {sql_time("p_event_time")}) AS time,
    lower(nullif(trim(actor->>'alternateId'), '')) AS user,
    nullif(actor->>'displayName', '') AS user_display,
    CASE WHEN eventType IN ({_quoted(FAILURE_EVENT_TYPES)}) THEN 'failure'
         WHEN eventType IN ({_quoted(INTERRUPT_EVENT_TYPES)}) THEN 'interrupted'
         WHEN {_RESULT} IN ('SUCCESS', 'ALLOW') THEN 'success'
         WHEN {_RESULT} IN ('FAILURE', 'DENY', 'REJECTED') THEN 'failure'
         WHEN {_RESULT} = 'CHALLENGE' THEN 'interrupted'
         ELSE NULL END AS result,
    {_REASON} AS failure_reason,
    CASE WHEN regexp_full_match({_REASON}, '[A-Z0-9_]+') THEN {_REASON} END AS error_code,
    coalesce(nullif(client->>'ipAddress', ''), nullif(request->'ipChain'->0->>'ip', '')) AS src_ip,
    nullif({_GEO}->>'country', '') AS country,
    nullif({_GEO}->>'city', '') AS city,
    try_cast({_GEO}->'geolocation'->>'lat' AS DOUBLE) AS latitude,
    try_cast({_GEO}->'geolocation'->>'lon' AS DOUBLE) AS longitude,
    try_cast(securityContext->>'asNumber' AS BIGINT) AS asn,
    nullif({_UA}->>'rawUserAgent', '') AS user_agent,
    coalesce(nullif({_AUTH}->>'interface', ''), nullif({_UA}->>'browser', '')) AS client_app,
    coalesce(nullif({_AUTH}->>'authenticationProvider', ''),
             nullif({_AUTH}->>'credentialProvider', '')) AS protocol,
    coalesce(eventType = 'user.authentication.auth_via_richclient'
             OR {_AUTH}->>'interface' IN ({_quoted(LEGACY_INTERFACES)}), false) AS is_legacy_auth,
    coalesce(nullif({_DEBUG}->>'factor', ''), nullif({_AUTH}->>'credentialType', '')) AS mfa_detail,
    [t->>'displayName' FOR t IN coalesce({_TARGETS}, []) IF t->>'type' = 'AppInstance'][1] AS application,
    CAST(NULL AS VARCHAR) AS tenant,
    nullif(concat_ws(' / ', nullif(client->>'device', ''), nullif({_UA}->>'os', ''),
                     nullif({_UA}->>'browser', '')), '') AS device,
    CAST(NULL AS VARCHAR) AS logon_type,
    nullif({_FLAGS}, []) AS network_flags
"""

_LOWERED_KEYS = re.compile(rb'"(eventtype|authenticationcontext|securitycontext|debugcontext)"\s*:')


def sniff(path: Path, head: bytes) -> bool:
    if b'"eventType"' in head or b'"eventtype"' in head:
        return b'"actor"' in head and (b'"published"' in head or b'"outcome"' in head)
    return False


def _read(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from read_signin_json(path, ctx, columns=COLUMNS, select=SELECT, keep=KEEP, kind=KIND)


def _canonical_keys(record: dict[str, Any]) -> dict[str, Any]:
    return {_CANONICAL.get(k.lower(), k): v for k, v in record.items()}


@adapter("okta", table="signins", sniff=sniff, description="Okta System Log (JSON array or JSON lines)")
def read_okta(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    with path.open("rb") as f:
        head = f.read(65536)
    if _LOWERED_KEYS.search(head):
        yield from read_rewritten(path, ctx, _canonical_keys, _read)
    else:
        yield from _read(path, ctx)
