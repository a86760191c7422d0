"""Brute force: many password guesses against one account in one burst."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import bursts, guesses, is_brute_force, spray_bursts, successes
from vigil.detectors.signin.wording import listing, span


def explain(row: Mapping[str, Any]) -> str:
    sources = listing(row["addresses"], 3) or listing([n.removeprefix("host:") for n in row["networks"]], 3)
    seconds = (row["last_seen"] - row["first_seen"]).total_seconds()
    pace = f"{row['tries'] / max(seconds / 60, 1 / 60):.0f} a minute" if seconds else "all at once"
    text = (
        f"The account {row['account']} failed to sign in {row['tries']} times from {sources} "
        f"{span(row['first_seen'], row['last_seen'])} ({pace}): someone is guessing its password."
    )
    if row["unknown_tries"] == row["tries"] and row["succeeded_at"] is None:
        text += " The account does not exist, so the guesses cannot succeed; the source is probing for names."
    if row["succeeded_at"] is not None:
        text += (
            f" It then signed in successfully from the same source at {row['succeeded_at']:%Y-%m-%d %H:%M} "
            "UTC: treat it as compromised — reset the password, revoke sessions, check MFA methods."
        )
    else:
        text += (
            " No successful sign-in from that source followed. Block the source; check the account has MFA."
        )
    return text


@detector(
    id="signin.brute_force",
    title="Password brute force on one account",
    inputs=["signins"],
    severity="medium",
    techniques=["T1110.001"],
    entities={
        "addresses": "ipv4-addr:actor-infrastructure",
        "victim": "user-account:victim",
        "account": "user-account:target",
    },
    explain=explain,
    confidence=0.8,
)
def brute_force(
    t: Any,
    min_tries: int = 10,
    max_average_interval_seconds: int = 120,
    min_fast_tries: int = 5,
    fast_interval_seconds: int = 10,
    min_rotating_tries: int = 5,
    min_rotating_networks: int = 3,
    max_gap_minutes: int = 30,
    spray_accounts: int = 10,
    success_window_hours: int = 24,
) -> ir.Table:
    """At least ``min_tries`` failed guesses on one account, on average no more than
    ``max_average_interval_seconds`` apart (a phone retrying an old password every few minutes is not
    an attack), or ``min_fast_tries`` at machine speed (within ``fast_interval_seconds`` each), or
    ``min_rotating_tries`` at the steady pace from ``min_rotating_networks`` networks or more, in a
    burst with no pause longer than ``max_gap_minutes``. Severity rises when the account then signs
    in from the same source. Guesses from a network that tried ``spray_accounts`` accounts or more
    in the same burst are left to the spray detectors."""
    # Guesses that are part of a spray (one network, many accounts) are the spray detectors' finding.
    g, sprays = spray_bursts(guesses(t.signins), max_gap_minutes * 60, spray_accounts)
    g = bursts(g.anti_join(sprays, ["network", "burst"]).drop("burst"), "account", max_gap_minutes * 60)
    per_burst = g.group_by(["account", "burst"]).aggregate(
        tries=g.count(),
        unknown_tries=g.unknown_user.sum(),
        addresses=g.address.collect(distinct=True),
        networks=g.network.collect(distinct=True),
        n_networks=g.network.nunique(),
        first_epoch=g.epoch.min(),
        last_epoch=g.epoch.max(),
        first_seen=g.time.min(),
        last_seen=g.time.max(),
        evidence=g.record_id.collect(),
    )
    found = per_burst.filter(
        is_brute_force(
            per_burst.tries,
            per_burst.last_epoch - per_burst.first_epoch,
            per_burst.n_networks,
            min_tries,
            max_average_interval_seconds,
            min_fast_tries,
            fast_interval_seconds,
            min_rotating_tries,
            min_rotating_networks,
        )
    )
    pairs = g.join(found.select("account", "burst", "first_epoch", "last_epoch"), ["account", "burst"])
    pairs = pairs.select("account", "burst", "network", "first_epoch", "last_epoch").distinct()
    ok = successes(t.signins, pairs).select(
        o_network="network", o_account="account", o_epoch="epoch", o_time="time"
    )
    later = pairs.join(
        ok,
        [
            pairs.account == ok.o_account,
            pairs.network == ok.o_network,
            ok.o_epoch >= pairs.first_epoch,
            ok.o_epoch <= pairs.last_epoch + success_window_hours * 3600,
        ],
    )
    outcome = later.group_by(["account", "burst"]).aggregate(succeeded_at=later.o_time.min())
    found = found.left_join(outcome, ["account", "burst"]).drop("account_right", "burst_right")
    return found.mutate(
        victim=found.succeeded_at.notnull().ifelse(found.account, None),
        severity=found.succeeded_at.notnull().ifelse("critical", "medium"),
        key=found.account.concat("@", found.first_epoch.cast("string")),
    ).drop("first_epoch", "last_epoch", "burst", "n_networks")


def _try(second: int, user: str = "admmig@offsec.lan", **extra: Any) -> dict[str, Any]:
    return {
        "time": f"2021-05-21T20:{43 + second // 60:02d}:{second % 60:02d}+00:00",
        "user": user,
        "src_ip": None,
        "device": "FS01",
        "result": "failure",
        "error_code": "0xc000006a",
        "format": "windows",
        "event_type": "4625",
        "logon_type": "8",
        **extra,
    }


CASES = [
    Case(
        "five SSH password guesses a second apart on a Windows host",
        rows={"signins": [_try(22 + i) for i in range(5)]},
        expect=1,
        contains={"admmig": "target"},
    ),
    Case(
        "twelve guesses from one address, then the account signs in from it",
        rows={
            "signins": [
                _try(3 * i, "dale.pruitt@caldercounty.gov", src_ip="193.29.59.14", format="entra")
                for i in range(12)
            ]
            + [
                _try(
                    50,
                    "dale.pruitt@caldercounty.gov",
                    src_ip="193.29.59.14",
                    format="entra",
                    result="success",
                    error_code="0",
                )
            ]
        },
        expect=1,
        contains={"dale.pruitt@caldercounty.gov": "victim", "193.29.59.14": "actor-infrastructure"},
        severity="critical",
    ),
    Case(
        "a person mistyping four times, 35 seconds apart, then locked out",
        rows={
            "signins": [
                _try(35 * i, "steven.kline@caldercounty.gov", src_ip="50.203.98.11") for i in range(5)
            ]
        },
        expect=0,
    ),
    Case(
        "a phone retrying an old password every five minutes",
        rows={
            "signins": [
                {
                    **_try(0, "amy.gallagher@harperforamerica.org", src_ip="73.12.4.8"),
                    "time": f"2024-09-10T{8 + i // 12:02d}:{5 * (i % 12):02d}:00+00:00",
                }
                for i in range(20)
            ]
        },
        expect=0,
    ),
    Case(
        "nine guesses a minute apart from four countries' proxies, then a sign-in from the last one",
        rows={
            "signins": [
                _try(60 * i, "jack@runpanther.io", src_ip=ip, format="okta", error_code="VERIFICATION_ERROR")
                for i, ip in enumerate(
                    ["195.154.58.200", "157.7.164.178", "94.177.183.28", "195.154.58.200"]
                    + ["194.88.246.242"] * 5
                )
            ]
            + [
                _try(
                    600,
                    "jack@runpanther.io",
                    src_ip="194.88.246.242",
                    format="okta",
                    result="success",
                    error_code=None,
                )
            ]
        },
        expect=1,
        contains={"jack@runpanther.io": "victim", "194.88.246.242": "actor-infrastructure"},
        severity="critical",
    ),
    Case(
        "a phone on wifi and mobile data mistyping six times in ten minutes",
        rows={
            "signins": [
                _try(100 * i, "amy.gallagher@harperforamerica.org", src_ip=ip, format="okta")
                for i, ip in enumerate(["73.12.4.8", "172.58.10.3"] * 3)
            ]
        },
        expect=0,
    ),
    Case(
        "MFA denials are not password guesses",
        rows={"signins": [_try(i, error_code="500121", format="entra") for i in range(20)]},
        expect=0,
    ),
]
