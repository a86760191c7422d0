"""Credential stuffing: leaked user name and password pairs replayed from many networks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import bursts, guesses, successes
from vigil.detectors.signin.wording import listing, span


def explain(row: Mapping[str, Any]) -> str:
    text = (
        f"{row['tries']} sign-ins for {row['n_accounts']} accounts came from {row['n_networks']} networks "
        f"{span(row['first_seen'], row['last_seen'])}, and {row['unknown_tries']} of them "
        f"({100 * row['unknown_tries'] / row['tries']:.0f}%) named accounts that do not exist: someone is "
        "replaying a list of leaked user names and passwords against your sign-in page."
    )
    if row["succeeded"]:
        text += (
            f" {listing(row['succeeded'])} then signed in from one of those networks: their passwords "
            "were in the list — reset them, revoke sessions and check MFA."
        )
    else:
        text += " None of the real accounts signed in from those networks. Make sure they all have MFA."
    return text


@detector(
    id="signin.credential_stuffing",
    title="Credential stuffing from many networks",
    inputs=["signins"],
    severity="high",
    techniques=["T1110.004"],
    entities={
        "addresses": "ipv4-addr:actor-infrastructure",
        "succeeded": "user-account:victim",
        "real_accounts": "user-account:target",
    },
    explain=explain,
    confidence=0.75,
)
def credential_stuffing(
    t: Any,
    min_accounts: int = 20,
    min_networks: int = 5,
    min_unknown_share: float = 0.5,
    max_gap_minutes: int = 30,
    success_window_hours: int = 24,
) -> ir.Table:
    """Failed sign-ins of one tenant (nobody recovering from them within the hour) in a burst with no
    pause longer than ``max_gap_minutes``: at least ``min_accounts`` accounts from at least
    ``min_networks`` networks, with at least ``min_unknown_share`` of the tries naming accounts that
    do not exist — the mark of a list from someone else's breach."""
    g = guesses(t.signins)
    ok = successes(t.signins, g).select(o_network="network", o_account="account", o_epoch="epoch")
    g = g.anti_join(
        ok,
        [
            g.network == ok.o_network,
            g.account == ok.o_account,
            ok.o_epoch >= g.epoch,
            ok.o_epoch <= g.epoch + 3600,
        ],
    )
    g = bursts(g.mutate(scope=g.tenant.fill_null("")), "scope", max_gap_minutes * 60)
    per_burst = g.group_by(["scope", "burst"]).aggregate(
        n_accounts=g.account.nunique(),
        n_networks=g.network.nunique(),
        tries=g.count(),
        unknown_tries=g.unknown_user.sum(),
        real_accounts=g.account.collect(distinct=True, where=~g.unknown_user),
        addresses=g.address.collect(distinct=True),
        first_epoch=g.epoch.min(),
        last_epoch=g.epoch.max(),
        first_seen=g.time.min(),
        last_seen=g.time.max(),
        evidence=g.record_id.collect(),
    )
    found = per_burst.filter(
        (per_burst.n_accounts >= min_accounts)
        & (per_burst.n_networks >= min_networks)
        & (per_burst.unknown_tries >= per_burst.tries * min_unknown_share)
    )
    nets = g.join(found.select("scope", "burst", "first_epoch", "last_epoch"), ["scope", "burst"])
    pairs = nets.select("scope", "burst", "network", "account", "first_epoch", "last_epoch").distinct()
    later = pairs.join(
        ok,
        [
            pairs.network == ok.o_network,
            pairs.account == ok.o_account,
            ok.o_epoch >= pairs.first_epoch,
            ok.o_epoch <= pairs.last_epoch + success_window_hours * 3600,
        ],
    )
    outcome = later.group_by(["scope", "burst"]).aggregate(succeeded=later.account.collect(distinct=True))
    found = found.left_join(outcome, ["scope", "burst"]).drop("scope_right", "burst_right")
    return found.mutate(key=found.scope.concat("@", found.first_epoch.cast("string"))).drop(
        "first_epoch", "last_epoch", "burst", "scope"
    )


def _try(i: int, user: str, unknown: bool = True, **extra: Any) -> dict[str, Any]:
    return {
        "time": f"2024-09-20T03:{i // 2:02d}:{(i * 17) % 60:02d}+00:00",
        "user": user,
        "src_ip": f"{45 + i % 9}.{60 + i}.{i}.9",
        "result": "failure",
        "error_code": "50034" if unknown else "50126",
        "tenant": "harperforamerica.org",
        "format": "entra",
        "event_type": "sign-in",
        **extra,
    }


_LIST = [_try(i, f"leaked{i}@harperforamerica.org") for i in range(24)] + [
    _try(24 + i, f"staff{i}@harperforamerica.org", unknown=False) for i in range(6)
]

CASES = [
    Case(
        "thirty names from nine networks, most of them not real accounts",
        rows={"signins": _LIST},
        expect=1,
        contains={"staff2@harperforamerica.org": "target", "45.60.0.9": "actor-infrastructure"},
    ),
    Case(
        "the same volume of real accounts failing is not stuffing",
        rows={"signins": [{**r, "error_code": "50126"} for r in _LIST]},
        expect=0,
    ),
    Case("a handful of unknown names is a typo or two", rows={"signins": _LIST[:8]}, expect=0),
    Case(
        "all from one network is a spray, not stuffing",
        rows={"signins": [{**r, "src_ip": "193.29.59.14"} for r in _LIST]},
        expect=0,
    ),
]
