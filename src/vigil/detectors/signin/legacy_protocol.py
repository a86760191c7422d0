"""Legacy protocols: IMAP, POP, SMTP AUTH, ActiveSync, EWS and other basic-auth sign-ins, which cannot ask
for a second factor, so a password alone opens the mailbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import network
from vigil.detectors.signin.clock import utc_day
from vigil.detectors.signin.geo import country_name
from vigil.detectors.signin.targets import protected_accounts
from vigil.detectors.signin.wording import day_text, listing, plural, span

#: Client or protocol names of legacy authentication, for sources that do not say ``is_legacy_auth``.
LEGACY_NAMES = (
    r"^(imap4?|pop3?|smtp|authenticated smtp|exchange activesync|activesync|exchange web services|ews"
    r"|autodiscover|mapi( over http)?|outlook anywhere.*|offline address book|other clients|basic( auth.*)?)$"
)


def explain(row: Mapping[str, Any]) -> str:
    who, protocol = row["user"], listing(row.get("protocols"), 3) or "a legacy protocol"
    ips = [*(row.get("ipv4") or []), *(row.get("ipv6") or [])]
    if row["office"]:
        return (
            f"{who} signs in with {protocol}, a legacy protocol that cannot ask for MFA, from the office "
            f"address {listing(row.get('office_ipv4'), 3) or row['net']} (where "
            f"{row['office_accounts']} accounts sign in): "
            f"{plural(row['successes'], 'sign-in')} on {plural(row['days'], 'day')} since "
            f"{day_text(row['first_seen'])}. Expected of a copier or an old mail client, but the password "
            f"alone opens the mailbox: give the device a restricted connector, and block legacy "
            f"authentication for every other account."
        )
    where = listing(ips, 3) or row["net"]
    country = country_name(row["country"]) if row.get("country") else ""
    place = ", ".join(x for x in (row.get("city"), country) if x)
    when = span(row["first_seen"], row["last_seen"])
    if row["successes"]:
        tries = f" (after {plural(row['failures'], 'failed try')})" if row["failures"] else ""
        return (
            f"{who} signed in {plural(row['successes'], 'time')} with {protocol}, a legacy protocol that "
            f"cannot ask for MFA, from {where}" + (f" ({place})" if place else "") + f" {when}{tries}. "
            f"Whoever did this has the password and can read the mailbox: reset the password, revoke the "
            f"account's sessions, and block legacy authentication."
        )
    return (
        f"{plural(row['failures'], 'failed sign-in')} to {who} with {protocol}, a legacy protocol that "
        f"cannot ask for MFA, from {where}"
        + (f" ({place})" if place else "")
        + f" {when}. Someone is guessing "
        f"the password where MFA cannot stop them: block legacy authentication for this account."
    )


@detector(
    id="signin.legacy_protocol",
    title="Sign-in over a legacy protocol that bypasses MFA",
    inputs=["signins"],
    severity="high",
    techniques=["T1078.004", "T1114.002"],
    entities={
        "victim": "user-account:victim",
        "target": "user-account:target",
        "ipv4": "ipv4-addr:actor-infrastructure",
        "ipv6": "ipv6-addr:actor-infrastructure",
        "office_ipv4": "ipv4-addr:evidence",
        "office_ipv6": "ipv6-addr:evidence",
    },
    explain=explain,
    confidence=0.7,
)
def legacy_protocol(
    t: Any,
    min_failures: int = 10,
    office_min_accounts: int = 5,
    include_windows: bool = False,
) -> ir.Table:
    """Sign-ins over IMAP, POP, SMTP AUTH, ActiveSync, EWS and other legacy clients (``is_legacy_auth``,
    or the client or protocol name). Per account, network (/24) and day: any success is high; failures alone
    are medium from ``min_failures`` on, or from the first on a protected person's account. From an office
    address (one from which at least ``office_min_accounts`` accounts sign in successfully without a legacy
    protocol), such as a copier's SMTP AUTH, it is one low finding per account, network and protocol.
    Windows NTLMv1/LM logons count only with ``include_windows``."""
    s = t.signins
    s = s.filter(s.user.notnull() & (s.user != "") & s.result.isin(["success", "failure"]))
    if not include_windows:
        s = s.filter(s.format.fill_null("") != "windows")
    names = s.client_app.fill_null(s.protocol.fill_null("")).strip().lower()
    s = s.mutate(legacy=ibis.coalesce(s.is_legacy_auth, names.re_search(LEGACY_NAMES)).fill_null(False))

    old = s.filter(s.legacy)
    old = old.mutate(account=old.user, net=network(old))
    # An office address: one from which many accounts sign in the modern way.
    addresses = old.select(a_ip=old.src_ip).distinct()
    modern = s.filter((s.result == "success") & ~s.legacy)
    modern = modern.semi_join(addresses, modern.src_ip == addresses.a_ip)
    offices = modern.group_by(o_ip=modern.src_ip).aggregate(office_accounts=modern.user.nunique())
    offices = offices.filter(offices.office_accounts >= office_min_accounts)
    old = old.left_join(offices, old.src_ip == offices.o_ip).drop("o_ip")
    old = old.mutate(
        office=old.office_accounts.notnull(),
        office_accounts=old.office_accounts.fill_null(0),
        day=utc_day(old.time),
        is_v6=old.src_ip.fill_null("").contains(":"),
        ok=(old.result == "success").cast("int64"),
        protocol_name=old.client_app.nullif("").fill_null(old.protocol.nullif("")).fill_null("legacy client"),
    )
    # From an office: one finding per account, network and protocol; elsewhere one per account, network, day.
    old = old.mutate(
        period=old.office.ifelse("all", old.day),
        grouped_protocol=old.office.ifelse(old.protocol_name, ""),
    )
    found = old.group_by(["account", "net", "period", "grouped_protocol"]).aggregate(
        office=old.office.max(),
        office_accounts=old.office_accounts.max(),
        first_seen=old.time.min(),
        last_seen=old.time.max(),
        successes=old.ok.sum(),
        failures=(1 - old.ok).sum(),
        days=old.day.nunique(),
        protocols=old.protocol_name.collect(distinct=True),
        city=old.city.argmin(old.time),
        country=old.country.argmin(old.time),
        ips4=old.src_ip.collect(where=~old.is_v6 & old.src_ip.notnull(), distinct=True),
        ips6=old.src_ip.collect(where=old.is_v6, distinct=True),
        evidence=old.record_id.collect(distinct=True),
    )
    guarded = protected_accounts(t)
    guarded = guarded.filter(~guarded.windows_only).select(g_key="key")
    found = found.left_join(guarded, found.account == guarded.g_key)
    protected = found.g_key.notnull()
    found = found.filter(
        (found.successes > 0) | found.office | (found.failures >= min_failures) | protected
    ).drop("g_key")
    succeeded = found.successes > 0
    none = ibis.null("array<string>")
    return found.mutate(
        user=found.account,
        victim=(succeeded & ~found.office).ifelse(found.account, ibis.null(str)),
        target=(succeeded & ~found.office).ifelse(ibis.null(str), found.account),
        ipv4=found.office.ifelse(none, found.ips4),
        ipv6=found.office.ifelse(none, found.ips6),
        office_ipv4=found.office.ifelse(found.ips4, none),
        office_ipv6=found.office.ifelse(found.ips6, none),
        severity=found.office.ifelse("low", succeeded.ifelse("high", "medium")),
        key=found.account.concat("|", found.net, "|", found.period, "|", found.grouped_protocol),
    ).drop("account", "period", "grouped_protocol", "ips4", "ips6")


def _signin(rid: str, time: str, user: str, ip: str, client: str = "Browser", **more: Any) -> dict[str, Any]:
    return {
        "record_id": rid,
        "format": "entra",
        "time": time,
        "user": user,
        "src_ip": ip,
        "client_app": client,
        "protocol": client,
        "is_legacy_auth": client in ("IMAP4", "Authenticated SMTP", "POP3"),
        "result": more.pop("result", "success"),
        **more,
    }


_LINDA = "linda.weaver@caldercounty.gov"
_PRINTER = "scan-to-email@caldercounty.gov"
_OFFICE_IP = "50.203.98.10"
_OFFICE = [
    _signin(
        f"o{i}",
        f"2024-09-{2 + i % 20:02d}T13:{i % 60:02d}:00+00:00",
        f"clerk{i % 8}@caldercounty.gov",
        _OFFICE_IP,
    )
    for i in range(40)
]
_MOLDOVA = {"city": "Chisinau", "country": "MD"}

CASES = [
    Case(
        "IMAP4 successes for a clerk from abroad, after two failures",
        rows={
            "signins": [
                *_OFFICE,
                *[
                    _signin(
                        f"f{i}",
                        f"2024-09-23T07:12:{40 + i * 10}+00:00",
                        _LINDA,
                        "185.156.46.112",
                        "IMAP4",
                        result="failure",
                        error_code="50126",
                        **_MOLDOVA,
                    )
                    for i in range(2)
                ],
                *[
                    _signin(
                        f"s{i}",
                        f"2024-09-23T{7 + i:02d}:14:40+00:00",
                        _LINDA,
                        "185.156.46.112",
                        "IMAP4",
                        **_MOLDOVA,
                    )
                    for i in range(5)
                ],
            ]
        },
        expect=1,
        contains={_LINDA: "victim", "185.156.46.112": "actor-infrastructure"},
        severity="high",
    ),
    Case(
        "the courthouse copier's SMTP AUTH from the office network, every working day",
        rows={
            "signins": [
                *_OFFICE,
                *[
                    _signin(
                        f"p{d}",
                        f"2024-09-{2 + d:02d}T14:00:00+00:00",
                        _PRINTER,
                        _OFFICE_IP,
                        "Authenticated SMTP",
                    )
                    for d in range(20)
                ],
            ]
        },
        expect=1,
        contains={_PRINTER: "target", _OFFICE_IP: "evidence"},
        severity="low",
    ),
    Case(
        "a few failed POP3 logins on an ordinary account, and modern sign-ins",
        rows={
            "signins": [
                *_OFFICE,
                *[
                    _signin(
                        f"f{i}",
                        f"2024-09-23T07:1{i}:00+00:00",
                        _LINDA,
                        "45.87.172.42",
                        "POP3",
                        result="failure",
                    )
                    for i in range(3)
                ],
            ]
        },
        expect=0,
    ),
    Case(
        "one failed IMAP login on the election director's account",
        rows={
            "signins": [
                _signin(
                    "f1",
                    "2024-09-23T07:10:00+00:00",
                    "janet.okonkwo@caldercounty.gov",
                    "45.87.172.42",
                    "IMAP4",
                    result="failure",
                )
            ]
        },
        protected='[[people]]\nname = "Janet Okonkwo"\nrole = "election-official"\n'
        'signins = ["janet.okonkwo@caldercounty.gov"]\npriority = "critical"\n',
        expect=1,
        contains={"janet.okonkwo@caldercounty.gov": "target", "45.87.172.42": "actor-infrastructure"},
        severity="high",
    ),
]
