"""Low-and-slow password spray: one network tries many accounts a few at a time over days."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import bursts, guesses, successes
from vigil.detectors.signin.wording import listing, span


def explain(row: Mapping[str, Any]) -> str:
    where = listing(row["addresses"], 3) or row["network"].removeprefix("host:")
    days = max((row["last_seen"] - row["first_seen"]).total_seconds() / 86400, 0.1)
    text = (
        f"{row['n_accounts']} accounts were tried from {where} {span(row['first_seen'], row['last_seen'])}, "
        f"never more than {row['peak_accounts_per_hour']} in one hour ({row['tries']} tries over "
        f"{days:.1f} days): a spray kept slow to stay under lock-out and alert thresholds. Accounts tried: "
        f"{listing(row['accounts'])}."
    )
    if row["succeeded"]:
        text += f" {listing(row['succeeded'])} later signed in from the same network: treat as compromised."
    else:
        text += " None signed in from that network. Block it and check every account tried has MFA."
    return text


@detector(
    id="signin.slow_spray",
    title="Low-and-slow password spray over days",
    inputs=["signins"],
    severity="high",
    techniques=["T1110.003"],
    entities={
        "addresses": "ipv4-addr:actor-infrastructure",
        "succeeded": "user-account:victim",
        "accounts": "user-account:target",
    },
    explain=explain,
    confidence=0.75,
)
def slow_spray(
    t: Any,
    min_accounts: int = 10,
    max_tries_per_account: float = 5.0,
    min_hours: int = 12,
    max_pause_hours: int = 48,
    max_accounts_per_hour: int = 9,
    max_recovered_share: float = 0.3,
    success_window_hours: int = 72,
) -> ir.Table:
    """One network fails against at least ``min_accounts`` accounts, at most ``max_tries_per_account``
    tries each, over at least ``min_hours`` (no pause longer than ``max_pause_hours``), and never more
    than ``max_accounts_per_hour`` accounts in one hour (faster is the loud spray's). A network where
    the accounts that failed mostly sign in within the hour (an office's NAT, a VPN) is not a spray."""
    g = bursts(guesses(t.signins), "network", max_pause_hours * 3600)
    g = g.mutate(hour=(g.epoch / 3600).floor().cast("int64"))
    hourly = g.group_by(["network", "burst", "hour"]).aggregate(accounts_in_hour=g.account.nunique())
    peak = hourly.group_by(["network", "burst"]).aggregate(
        peak_accounts_per_hour=hourly.accounts_in_hour.max()
    )
    per_burst = g.group_by(["network", "burst"]).aggregate(
        n_accounts=g.account.nunique(),
        tries=g.count(),
        accounts=g.account.collect(distinct=True),
        addresses=g.address.collect(distinct=True),
        first_epoch=g.epoch.min(),
        last_epoch=g.epoch.max(),
        first_seen=g.time.min(),
        last_seen=g.time.max(),
        evidence=g.record_id.collect(),
    )
    slow = per_burst.join(peak, ["network", "burst"]).filter(
        lambda r: (
            (r.n_accounts >= min_accounts)
            & (r.tries <= r.n_accounts * max_tries_per_account)
            & (r.last_epoch - r.first_epoch >= min_hours * 3600)
            & (r.peak_accounts_per_hour <= max_accounts_per_hour)
        )
    )

    # Did each failed account sign in from the same network soon after (a person), or later (a victim)?
    tries = g.join(slow.select("network", "burst"), ["network", "burst"]).select(
        "network", "burst", "account", "epoch"
    )
    ok = successes(t.signins, g).select(o_network="network", o_account="account", o_epoch="epoch")
    followed = tries.join(
        ok,
        [
            tries.network == ok.o_network,
            tries.account == ok.o_account,
            ok.o_epoch >= tries.epoch,
            ok.o_epoch <= tries.epoch + success_window_hours * 3600,
        ],
    )
    outcome = followed.group_by(["network", "burst"]).aggregate(
        n_recovered=followed.account.nunique(where=followed.o_epoch <= followed.epoch + 3600),
        succeeded=followed.account.collect(distinct=True, where=followed.o_epoch > followed.epoch + 3600),
        n_succeeded=followed.account.nunique(where=followed.o_epoch > followed.epoch + 3600),
    )
    found = slow.left_join(outcome, ["network", "burst"]).drop("network_right", "burst_right")
    found = found.filter(found.n_recovered.fill_null(0) <= found.n_accounts * max_recovered_share)
    return found.mutate(
        severity=(found.n_succeeded.fill_null(0) > 0).ifelse("critical", "high"),
        key=found.network.concat("@", found.first_epoch.cast("string")),
    ).drop("first_epoch", "last_epoch", "burst", "n_recovered", "n_succeeded")


def _try(i: int, ip: str, hours_apart: int = 4, **extra: Any) -> dict[str, Any]:
    hour = i * hours_apart
    return {
        "time": f"2024-09-{3 + hour // 24:02d}T{hour % 24:02d}:17:00+00:00",
        "user": f"user{i}@caldercounty.gov",
        "src_ip": ip,
        "result": "failure",
        "error_code": "50126",
        "format": "entra",
        "event_type": "sign-in",
        **extra,
    }


_SLOW = [_try(i, "89.44.9.201") for i in range(15)]

CASES = [
    Case(
        "fifteen accounts, one every four hours, from one address",
        rows={"signins": _SLOW},
        expect=1,
        contains={"89.44.9.201": "actor-infrastructure", "user7@caldercounty.gov": "target"},
    ),
    Case(
        "an office NAT where each failure is followed by a success within minutes",
        rows={
            "signins": _SLOW
            + [
                {**r, "result": "success", "error_code": "0", "time": r["time"].replace(":17:", ":19:")}
                for r in _SLOW
            ]
        },
        expect=0,
    ),
    Case("too few accounts", rows={"signins": _SLOW[:6]}, expect=0),
    Case(
        "a loud spray in one hour is the other detector's",
        rows={
            "signins": [
                {**_try(i, "89.44.9.201"), "time": f"2024-09-03T02:{i:02d}:00+00:00"} for i in range(15)
            ]
        },
        expect=0,
    ),
    Case(
        "pauses of three days split the tries into small groups",
        rows={"signins": [_try(i, "89.44.9.201", hours_apart=72) for i in range(6)]},
        expect=0,
    ),
]
