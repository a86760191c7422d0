"""MFA fatigue: a burst of denied or unanswered MFA prompts on one account, often followed by the one the
tired user approves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import network
from vigil.detectors.signin.clock import epoch_seconds
from vigil.detectors.signin.geo import country_name
from vigil.detectors.signin.targets import protected_accounts
from vigil.detectors.signin.wording import clock, listing, plural, span

#: Entra: "Authentication failed during strong authentication request" (the push denied, or not answered
#: in time). 50074/50076 only say that MFA is required: they are every ordinary MFA sign-in's first step.
ENTRA_DENIED = ("500121",)
OKTA_DENIED = ("user.mfa.okta_verify.deny_push", "user.mfa.okta_verify.deny_push_upgrade_needed")
OKTA_MFA = "user.authentication.auth_via_mfa"
OKTA_PUSH_SENT = "system.push.send_factor_verify_push"
GOOGLE_CHALLENGES = ("login_challenge", "login_verification")
#: Duo ``reason`` codes (the adapter's ``error_code``) of a prompt the user denied (as fraud or as a
#: mistake) or left unanswered, or that Duo blocked as an anomalous push.
DUO_DENIED = ("user_marked_fraud", "user_mistake", "no_response", "anomalous_push")
# Other sources (OCSF, CSV) only say it in words.
_REFUSED = r"(denied|declined|rejected|timed ?out)"
DENIED_WORDS = rf"{_REFUSED}.*(mfa|push|factor)|(mfa|push|factor).*{_REFUSED}"


def explain(row: Mapping[str, Any]) -> str:
    where = row.get("city") or ""
    if row.get("country"):
        where = ", ".join(x for x in (where, country_name(row["country"])) if x)
    source = listing([*(row.get("ipv4") or []), *(row.get("ipv6") or [])], 3) or "an unknown address"
    familiar = "a network the account had " + ("signed in from before" if row["familiar"] else "never used")
    asked = plural(row["prompts"], "MFA prompt")
    text = (
        f"{row['user']} got {asked} that were denied or not answered "
        f"{span(row['first_seen'], row['prompts_end'])}, from {source}"
        + (f" ({where})" if where else "")
        + f", {familiar}."
    )
    if row.get("approved_at"):
        same = " from the same address" if row.get("approved_from_prompt_address") else ""
        text += (
            f" At {clock(row['approved_at'])} UTC a sign-in{same} was approved. Someone who has the "
            f"password pushed prompts until the user gave in: reset the password, revoke the account's "
            f"sessions and any MFA method registered since, and tell the user never to approve a prompt "
            f"they did not start."
        )
    else:
        text += (
            " None was approved, but whoever sent them has the password: reset it and warn the user not to "
            "approve prompts they did not start."
        )
    return text


@detector(
    id="signin.mfa_fatigue",
    title="MFA fatigue: many denied or unanswered prompts, then an approval",
    inputs=["signins"],
    severity="high",
    techniques=["T1621", "T1078.004"],
    entities={
        "victim": "user-account:victim",
        "target": "user-account:target",
        "ipv4": "ipv4-addr:actor-infrastructure",
        "ipv6": "ipv6-addr:actor-infrastructure",
    },
    explain=explain,
    confidence=0.8,
)
def mfa_fatigue(
    t: Any,
    min_prompts: int = 5,
    min_prompts_protected: int = 3,
    min_prompts_familiar: int = 10,
    gap_minutes: int = 15,
    approve_minutes: int = 15,
) -> ir.Table:
    """Denied or unanswered MFA prompts of one account (Entra 500121, Okta Verify push denials and failed
    MFA, Okta pushes sent, failed Google challenges, Duo prompts denied, reported or unanswered), in
    bursts with no pause over ``gap_minutes``. A burst of ``min_prompts`` (``min_prompts_protected`` on
    a protected person's account) is a finding; from a network the account already signs in from (a
    user fighting their own phone) it takes ``min_prompts_familiar``. High when a sign-in succeeds
    during the burst or within ``approve_minutes`` after it from a new network, medium otherwise."""
    s = t.signins
    s = s.filter(
        s.user.notnull() & (s.user != "") & ((s.result == "failure") | (s.event_type == OKTA_PUSH_SENT))
    )
    kind = s.event_type.fill_null("")
    failed = s.result == "failure"
    denied = (
        s.error_code.fill_null("").isin(ENTRA_DENIED)
        | kind.isin(OKTA_DENIED)
        | ((kind == OKTA_MFA) & failed)
        | (kind.isin(GOOGLE_CHALLENGES) & failed)
        | ((s.format == "duo") & failed & s.error_code.fill_null("").isin(DUO_DENIED))
        | (failed & s.failure_reason.fill_null("").lower().re_search(DENIED_WORDS))
    )
    s = s.mutate(is_denied=denied.cast("int64"), is_sent=(kind == OKTA_PUSH_SENT).cast("int64"))
    p = s.filter((s.is_denied + s.is_sent) > 0)
    p = p.mutate(account=p.user, epoch=epoch_seconds(p.time), net=network(p))

    # The successful sign-ins of the accounts that had prompts: where they sign in, and the approvals.
    prompted = p.select(q_account=p.account).distinct()
    ok = t.signins.filter(t.signins.result == "success")
    ok = ok.semi_join(prompted, ok.user == prompted.q_account)
    ok = ok.mutate(account=ok.user, epoch=epoch_seconds(ok.time), net=network(ok))
    known = ok.group_by(["account", "net"]).aggregate(known_since=ok.epoch.min())
    known = known.rename(k_account="account", k_net="net")
    p = p.left_join(known, [p.account == known.k_account, p.net == known.k_net])
    p = p.mutate(familiar=(p.known_since.notnull() & (p.known_since < p.epoch)).cast("int64"))

    w = ibis.window(group_by=p.account, order_by=[p.epoch, p.record_id])
    p = p.mutate(prev=p.epoch.lag().over(w))
    p = p.mutate(starts=(p.prev.isnull() | (p.epoch - p.prev > gap_minutes * 60)).cast("int64"))
    p = p.mutate(burst=p.starts.cumsum(group_by=p.account, order_by=[p.epoch, p.record_id]))
    p = p.mutate(is_v6=p.src_ip.fill_null("").contains(":"))
    b = p.group_by(["account", "burst"]).aggregate(
        first_seen=p.time.min(),
        prompts_end=p.time.max(),
        first_epoch=p.epoch.min(),
        last_epoch=p.epoch.max(),
        denials=p.is_denied.sum(),
        pushes=p.is_sent.sum(),
        familiar=p.familiar.min(),
        city=p.city.argmin(p.epoch),
        country=p.country.argmin(p.epoch),
        ipv4=p.src_ip.collect(where=~p.is_v6 & p.src_ip.notnull(), distinct=True),
        ipv6=p.src_ip.collect(where=p.is_v6, distinct=True),
        prompt_ids=p.record_id.collect(distinct=True),
    )
    b = b.mutate(prompts=ibis.greatest(b.denials, b.pushes), familiar=b.familiar == 1)

    guarded = protected_accounts(t)
    guarded = guarded.filter(~guarded.windows_only).select(g_key="key")
    b = b.left_join(guarded, b.account == guarded.g_key)
    needed = b.familiar.ifelse(
        min_prompts_familiar, b.g_key.notnull().ifelse(min_prompts_protected, min_prompts)
    )
    b = b.filter(b.prompts >= needed).drop("g_key")

    a = b.select(a_account="account", a_burst="burst", a_first="first_epoch", a_last="last_epoch")
    hit = a.join(
        ok,
        [
            a.a_account == ok.account,
            ok.epoch >= a.a_first,
            ok.epoch <= a.a_last + approve_minutes * 60,
        ],
    )
    approvals = hit.group_by(["a_account", "a_burst"]).aggregate(
        approved_at=hit.time.min(),
        approval_address=hit.src_ip.argmin(hit.epoch),
        approval_ids=hit.record_id.collect(distinct=True),
    )
    out = b.left_join(approvals, [b.account == approvals.a_account, b.burst == approvals.a_burst]).drop(
        "a_account", "a_burst"
    )
    approved = out.approved_at.notnull()
    return out.mutate(
        user=out.account,
        victim=approved.ifelse(out.account, ibis.null(str)),
        target=approved.ifelse(ibis.null(str), out.account),
        last_seen=approved.ifelse(ibis.greatest(out.approved_at, out.prompts_end), out.prompts_end),
        approved_from_prompt_address=(
            out.ipv4.contains(out.approval_address) | out.ipv6.contains(out.approval_address)
        ).fill_null(False),
        evidence=approved.ifelse(out.prompt_ids.concat(out.approval_ids), out.prompt_ids),
        severity=(approved & ~out.familiar).ifelse("high", "medium"),
        key=out.account.concat("|", out.first_epoch.cast("string")),
    ).drop("account", "burst", "first_epoch", "last_epoch", "prompt_ids", "approval_ids")


def _event(rid: str, time: str, **more: Any) -> dict[str, Any]:
    return {
        "record_id": rid,
        "time": time,
        "user": "nicole.ramirez@harperforamerica.org",
        "src_ip": "104.234.140.77",
        "city": "Frankfurt am Main",
        "country": "DE",
        **more,
    }


def _entra_denied(rid: str, time: str, **more: Any) -> dict[str, Any]:
    return _event(
        rid,
        time,
        result="failure",
        error_code="500121",
        failure_reason="Authentication failed during strong authentication request.",
        mfa_detail="Mobile app notification",
        **more,
    )


_HOME = {"src_ip": "73.185.168.231", "city": "Philadelphia", "country": "US"}
_HISTORY = [
    _event(f"h{d}", f"2024-09-{d:02d}T22:18:03+00:00", result="success", **_HOME) for d in range(10, 25)
]
_PUSHES = [_entra_denied(f"p{i}", f"2024-09-25T02:{10 + 2 * i:02d}:05+00:00") for i in range(12)]

CASES = [
    Case(
        "twelve 500121 in half an hour from a new address, then an approval",
        rows={
            "signins": [
                *_HISTORY,
                *_PUSHES,
                _event(
                    "ok", "2024-09-25T02:40:15+00:00", result="success", mfa_detail="Mobile app notification"
                ),
            ]
        },
        expect=1,
        contains={"nicole.ramirez@harperforamerica.org": "victim", "104.234.140.77": "actor-infrastructure"},
        severity="high",
    ),
    Case(
        "Okta Verify: pushes sent and denied, then an MFA success",
        rows={
            "signins": [
                *[
                    _event(
                        f"s{i}",
                        f"2024-09-25T02:{10 + 2 * i:02d}:00+00:00",
                        format="okta",
                        event_type=OKTA_PUSH_SENT,
                        result="interrupted",
                    )
                    for i in range(6)
                ],
                *[
                    _event(
                        f"d{i}",
                        f"2024-09-25T02:{11 + 2 * i:02d}:00+00:00",
                        format="okta",
                        event_type=OKTA_DENIED[0],
                        result="failure",
                    )
                    for i in range(4)
                ],
                _event(
                    "ok",
                    "2024-09-25T02:23:30+00:00",
                    format="okta",
                    event_type=OKTA_MFA,
                    result="success",
                    mfa_detail="OKTA_VERIFY_PUSH",
                ),
            ]
        },
        expect=1,
        contains={"104.234.140.77": "actor-infrastructure"},
    ),
    Case(
        "Duo: pushes unanswered and reported as fraud, then one approved from the same address",
        rows={
            "signins": [
                *_HISTORY,
                *[
                    _event(
                        f"d{i}",
                        f"2024-09-25T02:{10 + 3 * i:02d}:00+00:00",
                        format="duo",
                        event_type="mfa",
                        result="failure",
                        error_code=DUO_DENIED[i % 3],
                        mfa_detail="duo_push",
                    )
                    for i in range(6)
                ],
                _event(
                    "ok",
                    "2024-09-25T02:29:00+00:00",
                    format="duo",
                    event_type="mfa",
                    result="success",
                    error_code="user_approved",
                    mfa_detail="duo_push",
                ),
            ]
        },
        expect=1,
        contains={"nicole.ramirez@harperforamerica.org": "victim", "104.234.140.77": "actor-infrastructure"},
        severity="high",
    ),
    Case(
        "Duo: six pushes the user's own policy denied (an out-of-date phone) are no fatigue",
        rows={
            "signins": [
                _event(
                    f"d{i}",
                    f"2024-09-25T02:{10 + i:02d}:00+00:00",
                    format="duo",
                    event_type="mfa",
                    result="failure",
                    error_code="out_of_date",
                    mfa_detail="duo_push",
                )
                for i in range(6)
            ]
        },
        expect=0,
    ),
    Case(
        "three prompts on the candidate's account, none approved",
        rows={"signins": [_entra_denied(f"p{i}", f"2024-09-25T02:{10 + i}:05+00:00") for i in range(3)]},
        protected='[[people]]\nname = "Nicole Ramirez"\nrole = "field-organizer"\n'
        'signins = ["nicole.ramirez@harperforamerica.org"]\npriority = "high"\n',
        expect=1,
        contains={"nicole.ramirez@harperforamerica.org": "target"},
        severity="high",
    ),
    Case(
        "MFA required (50074) before ordinary sign-ins, and two unanswered prompts at home",
        rows={
            "signins": [
                *_HISTORY,
                *[
                    _event(
                        f"i{i}",
                        f"2024-09-2{i}T12:00:00+00:00",
                        result="interrupted",
                        error_code="50074",
                        **_HOME,
                    )
                    for i in range(5)
                ],
                *[_entra_denied(f"p{i}", f"2024-09-25T13:0{i}:00+00:00", **_HOME) for i in range(2)],
                _event("ok", "2024-09-25T13:03:00+00:00", result="success", **_HOME),
            ]
        },
        expect=0,
    ),
    Case(
        "a user fighting a broken authenticator at home: six timeouts, then it works",
        rows={
            "signins": [
                *_HISTORY,
                *[_entra_denied(f"p{i}", f"2024-09-25T13:0{i}:00+00:00", **_HOME) for i in range(6)],
                _event("ok", "2024-09-25T13:08:00+00:00", result="success", **_HOME),
            ]
        },
        expect=0,
    ),
]
