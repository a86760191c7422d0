"""Password spray: one network guesses the passwords of many accounts, a few tries each, in one burst."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import bursts, guesses, successes
from vigil.detectors.signin.wording import listing, span


def explain(row: Mapping[str, Any]) -> str:
    where = listing(row["addresses"], 3) or row["network"].removeprefix("host:")
    per = row["tries"] / max(row["n_accounts"], 1)
    text = (
        f"{row['n_accounts']} accounts were tried from {where} "
        f"{span(row['first_seen'], row['last_seen'])} ({per:.1f} tries each on average): "
        f"{listing(row['accounts'])}."
    )
    if row["unknown_tries"]:
        text += f" {row['unknown_tries']} of the {row['tries']} tries named accounts that do not exist."
    if row["succeeded"]:
        text += (
            f" Then {listing(row['succeeded'])} signed in successfully from the same network: treat "
            "those accounts as compromised — reset their passwords, revoke their sessions and check "
            "their MFA methods."
        )
    else:
        text += " None of them signed in from that network afterwards. Block the address and check that "
        text += "every account tried has MFA."
    return text


@detector(
    id="signin.password_spray",
    title="Password spray from one network",
    inputs=["signins"],
    severity="high",
    techniques=["T1110.003"],
    entities={
        "addresses": "ipv4-addr:actor-infrastructure",
        "succeeded": "user-account:victim",  # before "accounts": an account that fell is a victim
        "accounts": "user-account:target",
    },
    explain=explain,
    confidence=0.85,
)
def password_spray(
    t: Any,
    min_accounts: int = 10,
    max_tries_per_account: float = 10.0,
    max_gap_minutes: int = 30,
    max_recovered_share: float = 0.5,
    success_window_hours: int = 24,
) -> ir.Table:
    """One network (an IP's /24, or the host for logons without an address) fails against at least
    ``min_accounts`` accounts with at most ``max_tries_per_account`` tries each, in a burst with no
    pause longer than ``max_gap_minutes``. A shared office or VPN address where most of the accounts
    that failed sign in successfully within the hour (people retyping) is not a spray. Names the
    accounts tried and those that then signed in from the same network."""
    g = bursts(guesses(t.signins, explicit_credentials=True), "network", max_gap_minutes * 60)
    per_burst = g.group_by(["network", "burst"]).aggregate(
        n_accounts=g.account.nunique(),
        tries=g.count(),
        unknown_tries=g.unknown_user.sum(),
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
        & (per_burst.tries <= per_burst.n_accounts * max_tries_per_account)
    )

    # Accounts of each spray that signed in from the same network afterwards.
    tried = g.select("network", "burst", "account").distinct()
    tried = tried.join(sprays.select("network", "burst", "first_epoch", "last_epoch"), ["network", "burst"])
    ok = successes(t.signins, g).select(
        ok_network="network", ok_account="account", ok_epoch="epoch", ok_id="record_id"
    )
    later = tried.join(
        ok,
        [
            tried.network == ok.ok_network,
            tried.account == ok.ok_account,
            ok.ok_epoch >= tried.first_epoch,
            ok.ok_epoch <= tried.last_epoch + success_window_hours * 3600,
        ],
    )
    within_hour = later.ok_epoch <= later.last_epoch + 3600
    outcome = later.group_by(["network", "burst"]).aggregate(
        succeeded=later.account.collect(distinct=True),
        n_succeeded=later.account.nunique(),
        n_recovered=later.account.nunique(where=within_hour),
        success_ids=later.ok_id.collect(),
    )
    found = sprays.left_join(outcome, ["network", "burst"]).drop("network_right", "burst_right")
    found = found.filter(found.n_recovered.fill_null(0) <= found.n_accounts * max_recovered_share)
    return found.mutate(
        evidence=found.evidence.concat(found.success_ids.fill_null(ibis.literal([], type="array<string>"))),
        severity=(found.n_succeeded.fill_null(0) > 0).ifelse("critical", "high"),
        key=found.network.concat("@", found.first_epoch.cast("string")),
    ).drop("success_ids", "first_epoch", "last_epoch", "burst", "n_recovered")


def _guess(i: int, user: str, ip: str, minute: int, **extra: Any) -> dict[str, Any]:
    return {
        "time": f"2024-09-14T02:{minute:02d}:{i % 60:02d}+00:00",
        "user": user,
        "src_ip": ip,
        "result": "failure",
        "error_code": "50126",
        "format": "entra",
        "event_type": "sign-in",
        **extra,
    }


_SPRAY = [_guess(i, f"user{i}@caldercounty.gov", "193.29.59.14", 10 + i) for i in range(12)]
_COMPROMISE = {
    "time": "2024-09-14T03:43:00+00:00",
    "user": "user3@caldercounty.gov",
    "src_ip": "193.29.59.14",
    "result": "success",
    "error_code": "0",
    "format": "entra",
    "event_type": "sign-in",
}
# An office NAT: twelve people mistype once each in the same hour and get in a minute later.
_OFFICE = [_guess(i, f"clerk{i}@caldercounty.gov", "50.203.98.11", 5 * i) for i in range(12)] + [
    {**_guess(i, f"clerk{i}@caldercounty.gov", "50.203.98.11", 5 * i + 1), "result": "success"}
    for i in range(12)
]

CASES = [
    Case(
        "twelve accounts from one address in twelve minutes, one then signs in",
        rows={"signins": [*_SPRAY, _COMPROMISE]},
        expect=1,
        contains={
            "193.29.59.14": "actor-infrastructure",
            "user0@caldercounty.gov": "target",
            "user3@caldercounty.gov": "victim",
        },
        severity="critical",
    ),
    Case(
        "a spray rotating addresses inside one /24, nobody gets in",
        rows={
            "signins": [
                _guess(i, f"user{i}@caldercounty.gov", f"193.29.59.{10 + i}", 10 + i) for i in range(12)
            ]
        },
        expect=1,
        contains={"193.29.59.21": "actor-infrastructure"},
        severity="high",
    ),
    Case(
        "Windows explicit-credential logons (4648) for many accounts from one host",
        rows={
            "signins": [
                {
                    **_guess(i, f"user{i}", "172.16.144.128", 20),
                    "format": "windows",
                    "event_type": "4648",
                    "result": "success",
                    "error_code": None,
                }
                for i in range(15)
            ]
        },
        expect=1,
    ),
    Case("an office NAT where people mistype and get in", rows={"signins": _OFFICE}, expect=0),
    Case(
        "MFA prompts are not password guesses",
        rows={"signins": [{**r, "error_code": "50074"} for r in _SPRAY]},
        expect=0,
    ),
    Case(
        "the same accounts guessed many times each is brute force, not a spray",
        rows={"signins": [{**r, "user": f"user{i % 4}@caldercounty.gov"} for i, r in enumerate(_SPRAY * 3)]},
        expect=0,
    ),
    Case(
        "the tries spread over hours fall apart into small bursts",
        rows={"signins": [{**r, "time": f"2024-09-14T{i:02d}:00:00+00:00"} for i, r in enumerate(_SPRAY)]},
        expect=0,
    ),
    Case(
        "a protected account among those tried names its owner",
        rows={"signins": _SPRAY},
        expect=1,
        protected=(
            '[[people]]\nname = "Meg Harper"\nrole = "candidate"\npriority = "critical"\n'
            'signins = ["user5@caldercounty.gov"]\n'
        ),
        contains={"user5@caldercounty.gov": "target"},
        severity="critical",
    ),
]
