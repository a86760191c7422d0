"""Anonymizers: sign-ins from Tor or an anonymizing proxy, when the identity provider says so (the
``network_flags`` from Okta's ``isProxy``, Entra ID Protection's ``anonymizedIPAddress``, IPinfo data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.clock import utc_day
from vigil.detectors.signin.wording import listing, plural, span

#: Flags that hide who is behind the address.
ANONYMIZING = ("tor", "anonymizing-proxy", "anonymizer")
#: A relay (iCloud Private Relay) hides the address too, but is how many ordinary phones browse.
SOFT = ("relay",)
_WORDS = {
    "tor": "Tor",
    "anonymizing-proxy": "an anonymizing proxy",
    "anonymizer": "an anonymizing service",
    "relay": "a private relay",
    "vpn": "a VPN",
    "hosting": "a hosting provider",
    "malicious-ip": "an address the identity provider knows as malicious",
}


def explain(row: Mapping[str, Any]) -> str:
    flags = [f for f in (row.get("flags") or []) if f in _WORDS]
    through = listing([_WORDS[f] for f in flags], 4) or "an anonymizing network"
    ips = listing([*(row.get("ipv4") or []), *(row.get("ipv6") or [])], 3) or "unknown addresses"
    done = []
    if row["successes"]:
        done.append(plural(row["successes"], "successful sign-in"))
    if row["failures"]:
        done.append(plural(row["failures"], "failed sign-in"))
    if row["others"]:
        done.append(plural(row["others"], "interrupted sign-in"))
    text = (
        f"{' and '.join(done).capitalize()} to {row['user']} came through {through} ({ips}) "
        f"{span(row['first_seen'], row['last_seen'])}."
    )
    if row["relay_only"]:
        return text + " A private relay is common on phones; worth a look only if the user does not use one."
    if row["successes"]:
        return text + (
            " People rarely reach their work account through Tor or an anonymizer; attackers often do: ask "
            "the user, and if it was not them reset the password and revoke the account's sessions."
        )
    return text + " Someone is trying the account while hiding where they are."


@detector(
    id="signin.anonymizer",
    title="Sign-in through Tor or an anonymizing proxy",
    inputs=["signins"],
    severity="medium",
    techniques=["T1090.003", "T1078.004"],
    entities={
        "user": "user-account:target",
        "ipv4": "ipv4-addr:actor-infrastructure",
        "ipv6": "ipv6-addr:actor-infrastructure",
    },
    explain=explain,
    confidence=0.6,
)
def anonymizer(t: Any, include_relays: bool = False) -> ir.Table:
    """Sign-ins whose source flags the address as Tor, an anonymizing proxy or an anonymizer. One finding
    per account per day: high when one succeeded, medium otherwise. A private relay alone (iCloud Private
    Relay) counts only with ``include_relays``, and then low."""
    s = t.signins
    s = s.filter(s.network_flags.notnull() & s.user.notnull() & (s.user != ""))
    flags = s.network_flags
    hiding = ibis.literal(False)
    for flag in ANONYMIZING:
        hiding = hiding | flags.contains(flag)
    soft = ibis.literal(False)
    for flag in SOFT:
        soft = soft | flags.contains(flag)
    # A proxy flag next to a relay flag is the relay (Okta flags Private Relay addresses as proxies).
    relay_only = soft & ~flags.contains("tor") & ~flags.contains("anonymizer")
    s = s.mutate(hiding=hiding, relay_only=relay_only.cast("int64"))
    s = (
        s.filter(s.hiding | (s.relay_only == 1))
        if include_relays
        else s.filter(s.hiding & (s.relay_only == 0))
    )
    s = s.mutate(
        account=s.user,
        day=utc_day(s.time),
        is_v6=s.src_ip.fill_null("").contains(":"),
        ok=(s.result == "success").cast("int64"),
        failed=(s.result == "failure").cast("int64"),
    )
    found = s.group_by(["account", "day"]).aggregate(
        first_seen=s.time.min(),
        last_seen=s.time.max(),
        successes=s.ok.sum(),
        failures=s.failed.sum(),
        signins=s.count(),
        relay_only=s.relay_only.min() == 1,
        flags=s.network_flags.collect().flatten().unique(),
        ipv4=s.src_ip.collect(where=~s.is_v6 & s.src_ip.notnull(), distinct=True),
        ipv6=s.src_ip.collect(where=s.is_v6, distinct=True),
        evidence=s.record_id.collect(distinct=True),
    )
    return found.mutate(
        user=found.account,
        others=found.signins - found.successes - found.failures,
        severity=found.relay_only.ifelse("low", (found.successes > 0).ifelse("high", "medium")),
        key=found.account.concat("|", found.day),
    ).drop("account", "signins")


def _signin(rid: str, time: str, result: str, flags: list[str] | None, **more: Any) -> dict[str, Any]:
    return {
        "record_id": rid,
        "time": time,
        "user": more.pop("user", "homer.simpson@duff.com"),
        "result": result,
        "src_ip": more.pop("ip", "185.220.101.4"),
        "network_flags": flags,
        **more,
    }


CASES = [
    Case(
        "a failure, then a success, through Tor",
        rows={
            "signins": [
                _signin("a", "2024-09-12T02:10:00+00:00", "failure", ["tor"]),
                _signin("b", "2024-09-12T02:12:00+00:00", "success", ["tor", "hosting"], ip="185.220.101.7"),
            ]
        },
        expect=1,
        contains={"homer.simpson@duff.com": "target", "185.220.101.7": "actor-infrastructure"},
        severity="high",
    ),
    Case(
        "Entra ID Protection's anonymized address on a failed sign-in",
        rows={
            "signins": [
                _signin("a", "2024-09-12T02:10:00+00:00", "failure", ["anonymizer"], ip="2a0b:f4c2::5")
            ]
        },
        expect=1,
        contains={"2a0b:f4c2::5": "actor-infrastructure"},
        severity="medium",
    ),
    Case(
        "iCloud Private Relay, a trusted office location, a VPN, and no flags at all",
        rows={
            "signins": [
                _signin(
                    "a", "2024-09-12T02:10:00+00:00", "success", ["anonymizing-proxy", "relay", "hosting"]
                ),
                _signin("b", "2024-09-12T09:10:00+00:00", "success", ["trusted-location"], ip="50.203.98.10"),
                _signin("c", "2024-09-12T19:10:00+00:00", "success", ["vpn"], ip="146.70.171.102"),
                _signin("d", "2024-09-12T20:10:00+00:00", "failure", None, ip="45.87.172.42"),
            ]
        },
        expect=0,
    ),
]
