"""Distributed password spray: many networks with one client guess many accounts, a few tries each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import bursts, guesses, successes
from vigil.detectors.signin.wording import listing, span


def explain(row: Mapping[str, Any]) -> str:
    text = (
        f"{row['n_accounts']} accounts were tried from {row['n_networks']} networks "
        f"({listing(row['addresses'], 3)}), all with the same client "
        f'"{row["user_agent"]}", {span(row["first_seen"], row["last_seen"])} ({row["tries"]} tries): '
        "one operator spreading a spray over proxies so that no single address trips a threshold. "
        f"Accounts tried: {listing(row['accounts'])}."
    )
    if row["succeeded"]:
        text += (
            f" {listing(row['succeeded'])} then signed in from one of those networks: treat as compromised."
        )
    else:
        text += " None signed in from those networks. Check that every account tried has MFA."
    return text


@detector(
    id="signin.distributed_spray",
    title="Distributed password spray from many networks with one client",
    inputs=["signins"],
    severity="high",
    techniques=["T1110.003", "T1090.002"],
    entities={
        "addresses": "ipv4-addr:actor-infrastructure",
        "succeeded": "user-account:victim",
        "accounts": "user-account:target",
    },
    explain=explain,
    confidence=0.75,
)
def distributed_spray(
    t: Any,
    min_accounts: int = 10,
    min_networks: int = 5,
    max_tries_per_account: float = 3.0,
    max_gap_minutes: int = 30,
    success_window_hours: int = 24,
) -> ir.Table:
    """Guesses nobody recovered from (no success of that account from that network within the hour:
    not a person who mistyped), grouped by client (user agent and client app) into bursts with no
    pause longer than ``max_gap_minutes``: at least ``min_accounts`` accounts from at least
    ``min_networks`` networks with at most ``max_tries_per_account`` tries each. Names the accounts
    that then signed in from one of those networks."""
    g = guesses(t.signins)
    ok = successes(t.signins, g).select(o_network="network", o_account="account", o_epoch="epoch")
    g = g.filter(g.user_agent.notnull() & (g.user_agent != ""))
    g = g.anti_join(
        ok,
        [
            g.network == ok.o_network,
            g.account == ok.o_account,
            ok.o_epoch >= g.epoch,
            ok.o_epoch <= g.epoch + 3600,
        ],
    )
    g = g.mutate(client=g.user_agent.concat(" | ", g.client_app.fill_null("")))
    g = bursts(g, "client", max_gap_minutes * 60)
    per_burst = g.group_by(["client", "burst"]).aggregate(
        user_agent=g.user_agent.min(),
        n_accounts=g.account.nunique(),
        n_networks=g.network.nunique(),
        tries=g.count(),
        accounts=g.account.collect(distinct=True),
        addresses=g.address.collect(distinct=True),
        first_epoch=g.epoch.min(),
        last_epoch=g.epoch.max(),
        first_seen=g.time.min(),
        last_seen=g.time.max(),
        evidence=g.record_id.collect(),
    )
    sprays = per_burst.filter(
        (per_burst.n_accounts >= min_accounts)
        & (per_burst.n_networks >= min_networks)
        & (per_burst.tries <= per_burst.n_accounts * max_tries_per_account)
    )
    # Any account signing in from one of the spraying networks during or after the spray.
    nets = g.join(sprays.select("client", "burst", "first_epoch", "last_epoch"), ["client", "burst"])
    nets = nets.select("client", "burst", "network", "first_epoch", "last_epoch").distinct()
    later = nets.join(
        ok,
        [
            nets.network == ok.o_network,
            ok.o_epoch >= nets.first_epoch,
            ok.o_epoch <= nets.last_epoch + success_window_hours * 3600,
        ],
    )
    outcome = later.group_by(["client", "burst"]).aggregate(succeeded=later.o_account.collect(distinct=True))
    found = sprays.left_join(outcome, ["client", "burst"]).drop("client_right", "burst_right")
    return found.mutate(key=found.client.concat("@", found.first_epoch.cast("string"))).drop(
        "first_epoch", "last_epoch", "burst", "client"
    )


_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0"


def _try(i: int, ip: str, ua: str = _UA, **extra: Any) -> dict[str, Any]:
    return {
        "time": f"2024-09-21T13:{2 * i:02d}:12+00:00",
        "user": f"staff{i}@harperforamerica.org",
        "src_ip": ip,
        "result": "failure",
        "error_code": "50126",
        "user_agent": ua,
        "client_app": "Browser",
        "format": "entra",
        "event_type": "sign-in",
        **extra,
    }


_SPREAD = [_try(i, f"{24 + i}.{100 + i}.7.{i + 1}") for i in range(15)]

CASES = [
    Case(
        "fifteen accounts from fifteen residential proxies with one browser string, one falls",
        rows={
            "signins": [
                *_SPREAD,
                {**_try(4, "28.104.7.5"), "time": "2024-09-21T15:00:00+00:00", "result": "success"},
            ]
        },
        expect=1,
        contains={"24.100.7.1": "actor-infrastructure", "staff4@harperforamerica.org": "victim"},
    ),
    Case(
        "people mistyping at home, each signing in a minute later",
        rows={
            "signins": _SPREAD
            + [{**r, "result": "success", "time": r["time"].replace(":12+", ":59+")} for r in _SPREAD]
        },
        expect=0,
    ),
    Case(
        "fifteen different clients are fifteen unrelated failures",
        rows={"signins": [{**r, "user_agent": f"{_UA}.{i}"} for i, r in enumerate(_SPREAD)]},
        expect=0,
    ),
    Case(
        "one network is the single-source spray detector's",
        rows={"signins": [{**r, "src_ip": "193.29.59.14"} for r in _SPREAD]},
        expect=0,
    ),
]
