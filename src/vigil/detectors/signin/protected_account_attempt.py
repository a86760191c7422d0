"""Attempts on a protected person's account: every failed sign-in from somewhere the account does not sign in
from, and any success or MFA prompt from a country it never signed in from, is a finding, at volumes far
below any spray or brute-force threshold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import network
from vigil.detectors.signin.clock import epoch_seconds, utc_day
from vigil.detectors.signin.geo import country_name
from vigil.detectors.signin.targets import protected_signins, raised
from vigil.detectors.signin.wording import listing, plural, span

#: Entra's "account is locked", Okta's lock-out events, Windows' STATUS_ACCOUNT_LOCKED_OUT.
LOCKOUT_CODES = ("50053", "user.account.lock", "user.account.lock.limit", "0xc0000234")


def _person(row: Mapping[str, Any]) -> str:
    role = str(row.get("role") or "").replace("-", " ")
    return f"{row['owner']}" + (f" ({role})" if role else "")


def explain(row: Mapping[str, Any]) -> str:
    ips = [*(row.get("ipv4") or []), *(row.get("ipv6") or []), *(row.get("home_ipv4") or [])]
    ips += row.get("home_ipv6") or []
    net = str(row["net"])
    where = listing(ips, 3) or (f"the host {net[5:]} (a local logon)" if net.startswith("host:") else net)
    country = country_name(row["country"]) if row.get("country") else ""
    place = ", ".join(x for x in (row.get("city"), country) if x)
    source = f"{where}" + (f" ({place})" if place else "")
    parts = []
    if row["failures"]:
        parts.append(plural(row["failures"], "failed sign-in"))
    if row["prompts"]:
        parts.append(plural(row["prompts"], "sign-in") + " with the right password stopped by MFA")
    if row["successes"]:
        parts.append(plural(row["successes"], "successful sign-in"))
    text = (
        f"{' and '.join(parts).capitalize()} on the account of {_person(row)}, {row['user']}, from {source} "
        f"{span(row['first_seen'], row['last_seen'])}."
    )
    if row["lockouts"]:
        text += " The account was locked out."
    if row["familiar"]:
        text += " The account signs in from this network, but not with this many failures."
    elif row["history"]:
        text += (
            f" In {plural(row['history'], 'earlier successful sign-in')} the account never came from this "
            f"network" + (" or this country." if row["new_country"] else ".")
        )
    if row["successes"] or row["prompts"]:
        text += (
            " Someone other than the owner may have the password: confirm with them, and if it was not them "
            "reset it, revoke the account's sessions and check its MFA methods."
        )
    else:
        text += (
            " Targeted attempts on such accounts often come days after a phishing e-mail: tell the person, "
            "make sure MFA is on, and watch for a success from this address."
        )
    return text


@detector(
    id="signin.protected_account_attempt",
    title="Sign-in attempt on a protected person's account",
    inputs=["signins"],
    severity="medium",
    techniques=["T1110.001", "T1078.004"],
    entities={
        "user": "user-account:target",
        "ipv4": "ipv4-addr:actor-infrastructure",
        "ipv6": "ipv6-addr:actor-infrastructure",
        "home_ipv4": "ipv4-addr:evidence",
        "home_ipv6": "ipv6-addr:evidence",
    },
    explain=explain,
    confidence=0.6,
)
def protected_account_attempt(
    t: Any,
    min_history_signins: int = 5,
    familiar_min_failures: int = 5,
) -> ir.Table:
    """Sign-ins on the accounts of protected people (the ``protected`` table's sign-in names and addresses),
    per account, source network (/24) and day: failures from a network and operator (ASN) the account never
    signed in from successfully; ``familiar_min_failures`` failures or more from one it does; and, once the
    account has ``min_history_signins`` successful sign-ins, a success or an MFA prompt (the password was
    right) from a country it never signed in from (a new phone or network at home is not a finding). High
    for a success or an MFA prompt, medium for three failures or a lock-out, low for one or two; the
    protected person's priority raises it further."""
    s = t.signins
    s = s.filter(s.user.notnull() & s.result.isin(["success", "failure", "interrupted"]))
    p = protected_signins(t, s)
    p = p.mutate(
        account=p.user,
        epoch=epoch_seconds(p.time),
        net=network(p),
        country_key=p.country.strip().upper().nullif(""),
    )
    ok = p.filter(p.result == "success")

    def first_seen_by(column: str) -> ir.Table:
        known = ok.filter(ok[column].notnull()).group_by(["account", column]).aggregate(since=ok.epoch.min())
        return known.rename(
            **{f"k_account_{column}": "account", f"k_{column}": column, f"since_{column}": "since"}
        )

    for column in ("net", "asn", "country_key"):
        known = first_seen_by(column)
        p = p.left_join(
            known, [p.account == known[f"k_account_{column}"], p[column] == known[f"k_{column}"]]
        ).drop(f"k_account_{column}", f"k_{column}")
    succeeded = (p.result == "success").cast("int64")
    p = p.mutate(
        # successful sign-ins of the account before this one
        history=succeeded.cumsum(group_by=p.account, order_by=[p.epoch, p.record_id]) - succeeded,
        seen_net=p.since_net.notnull() & (p.since_net < p.epoch),
        seen_asn=p.since_asn.notnull() & (p.since_asn < p.epoch),
        seen_country=p.since_country_key.notnull() & (p.since_country_key < p.epoch),
    )
    familiar = p.seen_net | p.seen_asn
    established = p.history >= min_history_signins
    new_place = p.country_key.notnull() & ~p.seen_country
    reason = p.failure_reason.fill_null("").lower()
    unusual = ((p.result == "failure") & ~familiar) | ((p.result != "failure") & established & new_place)
    p = p.mutate(
        unusual=unusual.cast("int64"),
        familiar_failure=((p.result == "failure") & familiar).cast("int64"),
        new_country=(p.country_key.notnull() & ~p.seen_country & established).cast("int64"),
        lockout=(
            p.error_code.fill_null("").lower().isin(LOCKOUT_CODES)
            | p.event_type.fill_null("").isin(LOCKOUT_CODES)
            | (reason.contains("locked") & ~reason.contains("disabled"))
        ).cast("int64"),
        day=utc_day(p.time),
        is_v6=p.src_ip.fill_null("").contains(":"),
    )
    p = p.filter((p.unusual == 1) | (p.familiar_failure == 1))
    p = p.mutate(exact=p.exact_match.cast("int64"))
    is_fail = (p.result == "failure").cast("int64")
    found = p.group_by(["account", "net", "day"]).aggregate(
        user=p.account.min(),
        owner=p.owner.min(),
        role=p.role.min(),
        priority_rank=p.priority_rank.max(),
        exact=p.exact.max(),
        first_seen=p.time.min(),
        last_seen=p.time.max(),
        unusual_rows=p.unusual.sum(),
        familiar_failures=p.familiar_failure.sum(),
        failures=is_fail.sum(),
        prompts=(p.result == "interrupted").cast("int64").sum(),
        successes=(p.result == "success").cast("int64").sum(),
        lockouts=(p.lockout * is_fail).sum(),
        new_country=p.new_country.max(),
        history=p.history.min(),
        city=p.city.argmin(p.epoch),
        country=p.country.argmin(p.epoch),
        ips4=p.src_ip.collect(where=~p.is_v6 & p.src_ip.notnull(), distinct=True),
        ips6=p.src_ip.collect(where=p.is_v6, distinct=True),
        evidence=p.record_id.collect(distinct=True),
    )
    found = found.filter((found.unusual_rows > 0) | (found.familiar_failures >= familiar_min_failures))
    familiar_only = found.unusual_rows == 0
    none = ibis.null("array<string>")
    severity = ((found.successes + found.prompts) > 0).ifelse(
        "high", ((found.failures >= 3) | (found.lockouts > 0)).ifelse("medium", "low")
    )
    return found.mutate(
        familiar=familiar_only,
        new_country=found.new_country > 0,
        ipv4=familiar_only.ifelse(none, found.ips4),
        ipv6=familiar_only.ifelse(none, found.ips6),
        home_ipv4=familiar_only.ifelse(found.ips4, none),
        home_ipv6=familiar_only.ifelse(found.ips6, none),
        # The runner raises the severity by the person's priority for exact matches only.
        severity=raised(severity, ((found.exact == 0) & (found.priority_rank >= 2)).cast("int64")),
        key=found.account.concat("|", found.net, "|", found.day),
    ).drop("account", "day", "ips4", "ips6", "unusual_rows", "exact")


_MEG = "meg.harper@harperforamerica.org"
_PROTECTED = f"""
[[people]]
name = "Meg Harper"
role = "candidate"
signins = ["{_MEG}"]
priority = "critical"
"""


def _signin(rid: str, time: str, result: str, ip: str, **more: Any) -> dict[str, Any]:
    return {
        "record_id": rid,
        "format": "entra",
        "time": time,
        "user": more.pop("user", _MEG),
        "result": result,
        "src_ip": ip,
        "error_code": {"success": "0", "failure": "50126", "interrupted": "50074"}[result],
        "user_agent": more.pop("ua", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15"),
        **more,
    }


_HOME = {"asn": 7922, "country": "US", "city": "Philadelphia"}
_NL = {
    "asn": 49453,
    "country": "NL",
    "city": "Amsterdam",
    "ua": "Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0",
}
_HISTORY = [
    _signin(f"h{d}", f"2024-09-{d:02d}T13:00:00+00:00", "success", "73.185.168.231", **_HOME)
    for d in range(1, 12)
]

CASES = [
    Case(
        "three failures on the candidate's account from a new /24, then three more days later",
        rows={
            "signins": [
                *_HISTORY,
                *[
                    _signin(f"a{i}", f"2024-09-13T04:1{i}:33+00:00", "failure", "91.206.178.57", **_NL)
                    for i in range(3)
                ],
                *[
                    _signin(f"b{i}", f"2024-09-16T03:0{i}:09+00:00", "failure", "91.206.178.91", **_NL)
                    for i in range(2)
                ],
                _signin(
                    "b2", "2024-09-16T03:03:51+00:00", "failure", "91.206.178.91", error_code="50053", **_NL
                ),
            ]
        },
        protected=_PROTECTED,
        expect=2,
        contains={
            _MEG: "target",
            "91.206.178.57": "actor-infrastructure",
            "91.206.178.91": "actor-infrastructure",
        },
        severity="high",
    ),
    Case(
        "one failure from an address the account never used, with no history at all",
        rows={
            "signins": [_signin("a1", "2024-09-13T04:10:33+00:00", "failure", "196.157.127.37", asn=37963)]
        },
        protected=_PROTECTED,
        expect=1,
        contains={"196.157.127.37": "actor-infrastructure"},
        severity="medium",
    ),
    Case(
        "a success from a new country with a new device",
        rows={
            "signins": [
                *_HISTORY,
                _signin("x1", "2024-09-14T03:10:00+00:00", "success", "193.29.59.14", **_NL),
            ]
        },
        protected=_PROTECTED,
        expect=1,
        contains={"193.29.59.14": "actor-infrastructure"},
        severity="critical",
    ),
    Case(
        "the candidate mistypes at home twice, signs in from her phone on a new carrier address",
        rows={
            "signins": [
                *_HISTORY,
                _signin("t1", "2024-09-12T13:00:00+00:00", "failure", "73.185.168.231", **_HOME),
                _signin("t2", "2024-09-12T13:00:30+00:00", "failure", "73.185.168.231", **_HOME),
                _signin("t3", "2024-09-12T13:01:00+00:00", "success", "73.185.168.231", **_HOME),
                _signin(
                    "m0",
                    "2024-09-05T18:00:00+00:00",
                    "success",
                    "172.58.1.20",
                    asn=21928,
                    ua="Outlook-iOS/2.0",
                ),
                _signin(
                    "m1",
                    "2024-09-12T18:00:00+00:00",
                    "interrupted",
                    "172.58.77.3",
                    asn=21928,
                    ua="Outlook-iOS/2.0",
                ),
                _signin(
                    "m2",
                    "2024-09-12T18:00:20+00:00",
                    "success",
                    "172.58.77.3",
                    asn=21928,
                    ua="Outlook-iOS/2.0",
                ),
            ]
        },
        protected=_PROTECTED,
        expect=0,
    ),
    Case(
        "Kerberos failures on the Windows name of a protected address, and a namesake elsewhere",
        rows={
            "signins": [
                {
                    "record_id": f"k{i}",
                    "format": "windows",
                    "event_type": "4771",
                    "time": f"2024-09-13T04:1{i}:00+00:00",
                    "user": "jdoe",
                    "tenant": "CORP.EXAMPLE" if i < 3 else "OTHER",
                    "result": "failure",
                    "error_code": "0x18",
                    "failure_reason": "bad password",
                    "src_ip": "10.23.123.11",
                }
                for i in range(5)
            ]
        },
        protected='[[people]]\nname = "Jane Doe"\nrole = "election-official"\n'
        'signins = ["jdoe@corp.example"]\npriority = "high"\n',
        expect=1,
        contains={"jdoe": "target", "10.23.123.11": "actor-infrastructure"},
        severity="high",
    ),
    Case(
        "failures on an account nobody protects",
        rows={
            "signins": [
                _signin(
                    f"a{i}",
                    f"2024-09-13T04:1{i}:33+00:00",
                    "failure",
                    "91.206.178.57",
                    user="dale@x.gov",
                    **_NL,
                )
                for i in range(3)
            ]
        },
        protected=_PROTECTED,
        expect=0,
    ),
]
