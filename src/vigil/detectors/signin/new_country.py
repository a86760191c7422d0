"""New country: an account with a long history signs in successfully from a country it never used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.clock import epoch_seconds
from vigil.detectors.signin.geo import country_name, locate
from vigil.detectors.signin.wording import clock, day_text, plural

DAY = 86400


def explain(row: Mapping[str, Any]) -> str:
    new = country_name(row["country"])
    where = ", ".join(x for x in (row.get("city"), row.get("first_address")) if x)
    before = ", ".join(country_name(c) for c in sorted(row.get("earlier_countries") or []))
    text = (
        f"{row['user']} signed in from {new}" + (f" ({where})" if where else "") + f" at "
        f"{clock(row['first_seen'])} UTC on {day_text(row['first_seen'])}: the first time from {new} after "
        f"{row['history_signins']} sign-ins over {row['history_days']} days, "
        f"all from {before or 'elsewhere'}."
    )
    if row["signins"] > 1:
        text += f" {row['signins']} sign-ins from {new} followed within {row['followup_hours']} hours."
    if row["home_signins"]:
        text += (
            f" The account was also used from {before or 'its usual country'} in the same hours "
            f"({plural(row['home_signins'], 'sign-in')}, the first at {clock(row['home_first'])} UTC), "
            f"so this is probably not the user travelling: ask them, and if it was not them, revoke the "
            f"account's sessions and reset its password."
        )
    elif not row["known_device"]:
        text += " The device was not seen on this account before: ask the user whether they are travelling."
    else:
        text += " The device is one the user had used before, and nothing was seen from home in between."
    return text


@detector(
    id="signin.new_country",
    title="First sign-in from a new country for an established account",
    inputs=["signins"],
    severity="medium",
    techniques=["T1078.004"],
    entities={"user": "user-account:target", "ipv4": "ipv4-addr:evidence", "ipv6": "ipv6-addr:evidence"},
    explain=explain,
    confidence=0.5,
)
def new_country(
    t: Any,
    min_history_days: int = 7,
    min_history_signins: int = 20,
    followup_hours: int = 24,
    travel_gap_hours: int = 6,
    include_travel: bool = False,
) -> ir.Table:
    """A successful sign-in from a country the account never signed in from, once it has at least
    ``min_history_signins`` successful sign-ins over ``min_history_days`` days (a new account, or one seen
    only briefly, says nothing). High when the account is used from its usual countries during the next
    ``followup_hours`` (two people on one account); left out, unless ``include_travel``, when it looks like
    a trip: nothing from home in those hours, at least ``travel_gap_hours`` since the last sign-in, and a
    device the account had used before. One finding per account and country."""
    s = t.signins
    ok = s.filter((s.result == "success") & s.user.notnull() & (s.user != ""))
    ok = locate(ok)
    ok = ok.filter(ok.country_code.notnull())
    ok = ok.mutate(
        account=ok.user,
        epoch=epoch_seconds(ok.time),
        client=ok.user_agent.nullif("").fill_null(ok.device.nullif("")).fill_null(""),
    )
    # Only accounts that reached a country a week or more after their first sign-in can have a
    # finding: a hash aggregate finds them, and the windows below run on their sign-ins alone.
    per_country = ok.group_by(["account", "country_code"]).aggregate(reached=ok.epoch.min())
    per_country = per_country.mutate(first=per_country.reached.min().over(group_by=per_country.account))
    late = per_country.filter(per_country.reached - per_country.first >= min_history_days * DAY)
    keep = late.select(l_account=late.account).distinct()
    ok = ok.semi_join(keep, ok.account == keep.l_account)
    by_account = ibis.window(group_by=ok.account, order_by=[ok.epoch, ok.record_id])
    by_country = ibis.window(group_by=[ok.account, ok.country_code], order_by=[ok.epoch, ok.record_id])
    ok = ok.mutate(
        before=ibis.row_number().over(by_account),
        prev_epoch=ok.epoch.lag().over(by_account),
        nth_here=ibis.row_number().over(by_country),
        since=ok.epoch.min().over(group_by=ok.account),
    )
    firsts = ok.filter(ok.nth_here == 0)
    cand = firsts.filter(
        (firsts.before >= min_history_signins) & (firsts.epoch - firsts.since >= min_history_days * DAY)
    )
    c = cand.select(
        c_id=cand.record_id,
        c_account=cand.account,
        c_country=cand.country_code,
        c_epoch=cand.epoch,
        c_client=cand.client,
        user=cand.account,
        country=cand.country_code,
        city=cand.city,
        first_address=cand.src_ip,
        history_signins=cand.before,
        history_days=((cand.epoch - cand.since) / DAY).floor().cast("int64"),
        gap_hours=((cand.epoch - cand.prev_epoch) / 3600).floor().cast("int64"),
    )
    until = c.c_epoch + followup_hours * 3600

    # What followed from the new country.
    f = c.join(
        ok,
        [c.c_account == ok.account, c.c_country == ok.country_code, ok.epoch >= c.c_epoch, ok.epoch <= until],
    )
    f = f.mutate(is_v6=f.src_ip.contains(":"))
    followed = f.group_by(f_id=f.c_id).aggregate(
        first_seen=f.time.min(),
        last_seen=f.time.max(),
        signins=f.count(),
        ipv4=f.src_ip.collect(where=~f.is_v6, distinct=True),
        ipv6=f.src_ip.collect(where=f.is_v6, distinct=True),
        evidence=f.record_id.collect(distinct=True),
    )
    # The account in use from elsewhere in the same hours.
    h = c.join(
        ok,
        [c.c_account == ok.account, c.c_country != ok.country_code, ok.epoch > c.c_epoch, ok.epoch <= until],
    )
    home = h.group_by(h_id=h.c_id).aggregate(home_signins=h.count(), home_first=h.time.min())
    # Where the account had been before.
    e = c.join(firsts, [c.c_account == firsts.account, firsts.epoch < c.c_epoch])
    earlier = e.group_by(e_id=e.c_id).aggregate(earlier_countries=e.country_code.collect(distinct=True))
    # Whether the device was the account's.
    k = c.join(
        ok, [c.c_account == ok.account, c.c_client == ok.client, c.c_client != "", ok.epoch < c.c_epoch]
    )
    known = k.group_by(k_id=k.c_id).aggregate(known_uses=k.count())

    out = c.join(followed, c.c_id == followed.f_id)
    out = out.left_join(home, out.c_id == home.h_id)
    out = out.left_join(earlier, out.c_id == earlier.e_id)
    out = out.left_join(known, out.c_id == known.k_id)
    out = out.mutate(
        home_signins=out.home_signins.fill_null(0),
        known_device=out.known_uses.fill_null(0) > 0,
        followup_hours=ibis.literal(followup_hours),
    )
    trip = (out.home_signins == 0) & (out.gap_hours >= travel_gap_hours) & out.known_device
    if not include_travel:
        out = out.filter(~trip)
    out = out.mutate(
        severity=(out.home_signins > 0).ifelse("high", trip.ifelse("low", "medium")),
        confidence=(out.home_signins > 0).ifelse(70, 50) / 100,
        key=out.c_account.concat("|", out.c_country),
    )
    join_keys = [n for n in out.columns if n.startswith("c_") or n in ("f_id", "h_id", "e_id", "k_id")]
    return out.drop(*join_keys, "known_uses")


def _ok(rid: str, time: str, ip: str, city: str, country: str, **more: Any) -> dict[str, Any]:
    return {
        "record_id": rid,
        "time": time,
        "user": more.pop("user", "linda.weaver@caldercounty.gov"),
        "result": more.pop("result", "success"),
        "event_type": "sign-in",
        "src_ip": ip,
        "city": city,
        "country": country,
        "user_agent": more.pop("ua", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/128.0.0.0"),
        **more,
    }


def _history(days: int = 20, user: str = "linda.weaver@caldercounty.gov", ua: str | None = None) -> list[Any]:
    """Two sign-ins a working day from the office in Harrisburg, from 2 September."""
    rows = []
    for d in range(days):
        for h in (13, 19):
            rows.append(
                _ok(
                    f"{user}-{d}-{h}",
                    f"2024-09-{2 + d:02d}T{h}:05:00+00:00",
                    "50.203.98.10",
                    "Harrisburg",
                    "US",
                    user=user,
                    **({"ua": ua} if ua else {}),
                )
            )
    return rows


_IMAP = {"ua": "", "client_app": "IMAP4"}
_PHONE = "Outlook-iOS/2.0"

CASES = [
    Case(
        "IMAP from Moldova while the clerk keeps working at the office",
        rows={
            "signins": [
                *_history(),
                _ok("x1", "2024-09-23T07:14:40+00:00", "185.156.46.112", "Chisinau", "MD", **_IMAP),
                _ok("x2", "2024-09-23T08:10:40+00:00", "185.156.46.112", "Chisinau", "MD", **_IMAP),
                _ok("o1", "2024-09-23T13:02:00+00:00", "50.203.98.10", "Harrisburg", "US"),
            ]
        },
        expect=1,
        contains={"linda.weaver@caldercounty.gov": "target", "185.156.46.112": "evidence"},
        severity="high",
    ),
    Case(
        "a new country with a device never seen, nothing from home",
        rows={
            "signins": [
                *_history(),
                _ok(
                    "x1", "2024-09-23T03:10:56+00:00", "193.29.59.14", "Amsterdam", "Netherlands", ua="curl/8"
                ),
            ]
        },
        expect=1,
        contains={"193.29.59.14": "evidence"},
        severity="medium",
    ),
    Case(
        "a commissioner at a conference in London with her own phone",
        rows={
            "signins": [
                *_history(ua=_PHONE),
                _ok("l1", "2024-09-23T09:31:00+00:00", "81.152.44.19", "London", "GB", ua=_PHONE),
                _ok("l2", "2024-09-23T15:31:00+00:00", "81.152.44.19", "London", "GB", ua=_PHONE),
            ]
        },
        expect=0,
    ),
    Case(
        "a new account's first week abroad, and failures from another country",
        rows={
            "signins": [
                *_history(days=5),
                _ok("x1", "2024-09-09T03:10:00+00:00", "193.29.59.14", "Amsterdam", "NL", ua="curl/8"),
                _ok(
                    "f1",
                    "2024-09-10T03:10:00+00:00",
                    "89.44.9.201",
                    "Bucharest",
                    "RO",
                    result="failure",
                    user="someone.else@caldercounty.gov",
                ),
            ]
        },
        expect=0,
    ),
]
