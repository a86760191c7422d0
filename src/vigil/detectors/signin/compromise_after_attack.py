"""Compromise after a password attack: an account that was guessed at signs in from the guessing network."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import account, bursts, guesses, is_brute_force, successes
from vigil.detectors.signin.clock import epoch_seconds
from vigil.detectors.signin.wording import listing, span

_MFA_CHANGE = r"(mfa|factor|authentication method|security info).*(activat|enrol|regist|add|updat|reset)"


def explain(row: Mapping[str, Any]) -> str:
    source = row["address"] or row["network"].removeprefix("host:")
    tries = f"{row['tries']} failed {'try' if row['tries'] == 1 else 'tries'} on it"
    text = (
        f"The account {row['account']} was among the accounts guessed at from {source} "
        f"{span(row['attack_first'], row['attack_last'])} ({tries}), and then "
        f"signed in successfully from the same network at {row['first_seen']:%Y-%m-%d %H:%M} UTC."
    )
    if row["apps_after"]:
        text += f" In the next day it used: {listing(row['apps_after'], 6)}."
    if row["mfa_changes"]:
        text += f" Its MFA methods changed: {listing(row['mfa_changes'], 4)} — the attacker may now own them."
    text += (
        " Treat the account as compromised: reset its password, revoke its sessions and refresh tokens, "
        "review its MFA methods, mailbox rules and recent activity."
    )
    return text


@detector(
    id="signin.compromise_after_attack",
    title="Account signed in from the network that was guessing its password",
    inputs=["signins"],
    severity="critical",
    techniques=["T1110", "T1078"],
    entities={"address": "ipv4-addr:actor-infrastructure", "account": "user-account:victim"},
    explain=explain,
    confidence=0.9,
)
def compromise_after_attack(
    t: Any,
    spray_accounts: int = 10,
    max_gap_minutes: int = 30,
    max_recovered_share: float = 0.5,
    window_hours: int = 72,
) -> ir.Table:
    """An account guessed at as part of a spray (a network trying ``spray_accounts`` accounts or more
    in one burst, at most ``max_recovered_share`` of them signing in from it within the hour) or a
    brute force (as ``signin.brute_force`` defines it, with its defaults) that signs in successfully
    from the same network within ``window_hours`` of the first guess. Lists what the account did in
    the day after: applications, and MFA method changes when the log has them."""
    g = guesses(t.signins, explicit_credentials=True)
    gap = max_gap_minutes * 60
    by_net = bursts(g, "network", gap)
    wide = by_net.group_by(["network", "burst"]).aggregate(
        n_accounts=by_net.account.nunique(), first=by_net.epoch.min(), last=by_net.epoch.max()
    )
    wide = wide.filter(wide.n_accounts >= spray_accounts)
    # An office NAT where most of the accounts that failed get in within the hour is people retyping.
    tried = by_net.join(wide, ["network", "burst"]).select("network", "burst", "account", "last")
    back = successes(t.signins, tried)
    back = back.select(b_network="network", b_account="account", b_epoch="epoch")
    recovered = tried.join(
        back,
        [
            tried.network == back.b_network,
            tried.account == back.b_account,
            back.b_epoch >= tried["last"] - 86400,
            back.b_epoch <= tried["last"] + 3600,
        ],
    )
    recovered = recovered.group_by(["network", "burst"]).aggregate(n_recovered=recovered.account.nunique())
    wide = wide.left_join(recovered, ["network", "burst"]).drop("network_right", "burst_right")
    wide = wide.filter(wide.n_recovered.fill_null(0) <= wide.n_accounts * max_recovered_share)
    sprayed = by_net.join(wide.select("network", "burst"), ["network", "burst"])
    # A Windows explicit-credential logon (4648) is a try in a spray but, alone, no failed guess.
    by_account = bursts(g.filter(g.event_type.fill_null("") != "4648"), "account", gap)
    deep = by_account.group_by(["account", "burst"]).aggregate(
        n=by_account.count(),
        duration=by_account.epoch.max() - by_account.epoch.min(),
        networks=by_account.network.nunique(),
    )
    forced = by_account.join(
        deep.filter(is_brute_force(deep.n, deep.duration, deep.networks)), ["account", "burst"]
    )
    cols = ["network", "account", "epoch", "time", "record_id"]
    attacked = sprayed.select(*cols).union(forced.select(*cols))
    attacks = attacked.group_by(["network", "account"]).aggregate(
        tries=attacked.record_id.nunique(),
        attack_epoch=attacked.epoch.min(),
        attack_first=attacked.time.min(),
        attack_last=attacked.time.max(),
        attack_ids=attacked.record_id.collect(distinct=True),
    )

    ok = successes(t.signins, attacks)
    hits = attacks.join(
        ok,
        [
            attacks.network == ok.network,
            attacks.account == ok.account,
            ok.epoch >= attacks.attack_epoch,
            ok.epoch <= attacks.attack_epoch + window_hours * 3600,
        ],
    )
    found = hits.group_by(["network", "account"]).aggregate(
        address=hits.address.min(),
        tries=hits.tries.max(),
        attack_first=hits.attack_first.min(),
        attack_last=hits.attack_last.max(),
        first_seen=hits.time.min(),
        success_epoch=hits.epoch.min(),
        attack_ids=hits.attack_ids.first(),
        success_ids=hits.record_id.collect(),
    )

    # What the account did in the day after it fell.
    everything = t.signins.mutate(account=account(t.signins), epoch=epoch_seconds(t.signins.time))
    fell = found.select("network", "account", "success_epoch")
    rest = everything.select(
        a_account="account",
        a_epoch="epoch",
        a_time="time",
        a_app="application",
        a_event="event_type",
        a_detail="mfa_detail",
        a_id="record_id",
    )
    after = fell.join(
        rest,
        [
            fell.account == rest.a_account,
            rest.a_epoch >= fell.success_epoch,
            rest.a_epoch <= fell.success_epoch + 86400,
        ],
    )
    changed = after.a_event.fill_null("").lower().re_search(_MFA_CHANGE)
    activity = after.group_by(["network", "account"]).aggregate(
        apps_after=after.a_app.collect(distinct=True),
        mfa_changes=after.a_event.concat(" ", after.a_detail.fill_null("")).collect(
            distinct=True, where=changed
        ),
        last_seen=after.a_time.max(),
        after_ids=after.a_id.collect(where=changed),
    )
    found = found.left_join(activity, ["network", "account"]).drop("network_right", "account_right")
    empty = ibis.literal([], type="array<string>")
    return found.mutate(
        last_seen=found.last_seen.fill_null(found.first_seen),
        evidence=found.attack_ids.concat(found.success_ids, found.after_ids.fill_null(empty)),
        key=found.account.concat("@", found.network),
    ).drop("attack_ids", "success_ids", "after_ids", "success_epoch")


def _try(i: int, user: str, ip: str | None = "193.29.59.14", **extra: Any) -> dict[str, Any]:
    return {
        "time": f"2024-09-14T{2 + (10 + i) // 60:02d}:{(10 + i) % 60:02d}:03+00:00",
        "user": user,
        "src_ip": ip,
        "result": "failure",
        "error_code": "50126",
        "application": "OfficeHome",
        "format": "entra",
        "event_type": "sign-in",
        **extra,
    }


_SPRAY = [_try(i, f"user{i}@caldercounty.gov") for i in range(12)]
_FALL = _try(50, "user3@caldercounty.gov", result="success", error_code="0")
_NEXT = [
    _try(
        52,
        "user3@caldercounty.gov",
        result="success",
        error_code="0",
        application="Office 365 Exchange Online",
    ),
    _try(
        55,
        "user3@caldercounty.gov",
        result="success",
        error_code="0",
        event_type="user.mfa.factor.activate",
        mfa_detail="OKTA_VERIFY_PUSH",
        application=None,
    ),
]

CASES = [
    Case(
        "a sprayed account signs in from the spraying address and adds an MFA method",
        rows={"signins": [*_SPRAY, _FALL, *_NEXT]},
        expect=1,
        contains={"user3@caldercounty.gov": "victim", "193.29.59.14": "actor-infrastructure"},
        severity="critical",
    ),
    Case(
        "a brute-forced account signs in from the guessing address",
        rows={
            "signins": [_try(i, "dale.pruitt@caldercounty.gov") for i in range(12)]
            + [_try(20, "dale.pruitt@caldercounty.gov", result="success", error_code="0")]
        },
        expect=1,
        contains={"dale.pruitt@caldercounty.gov": "victim"},
    ),
    Case(
        "the sprayed account signs in from its usual office, not from the attacker",
        rows={"signins": [*_SPRAY, {**_FALL, "src_ip": "50.203.98.11"}]},
        expect=0,
    ),
    Case(
        "a person mistyping twice then getting in is not an attack",
        rows={
            "signins": [
                _try(0, "amy@harperforamerica.org", "73.1.2.3"),
                _try(1, "amy@harperforamerica.org", "73.1.2.3"),
                _try(2, "amy@harperforamerica.org", "73.1.2.3", result="success", error_code="0"),
            ]
        },
        expect=0,
    ),
    Case(
        "a success a week after the spray is outside the window",
        rows={"signins": [*_SPRAY, {**_FALL, "time": "2024-09-21T02:00:00+00:00"}]},
        expect=0,
    ),
    Case(
        "a Windows logon (4648 then 4624) before a burst of SSH guesses is not their outcome",
        rows={
            "signins": [
                _try(0, "admmig", None, device="FS01", result="success", format="windows", event_type=e)
                for e in ("4648", "4624")
            ]
            + [
                _try(
                    1,
                    "admmig@offsec.lan",
                    None,
                    device="FS01",
                    error_code="0xc000006a",
                    format="windows",
                    event_type="4625",
                    time=f"2024-09-14T02:10:{8 + 5 * s:02d}+00:00",
                )
                for s in range(6)
            ]
        },
        expect=0,
    ),
]
