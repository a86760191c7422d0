"""Impossible travel: two successful sign-ins of one account from places too far apart for the time
between them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import Case, detector
from vigil.detectors.signin.attempts import network
from vigil.detectors.signin.clock import epoch_seconds, utc_day
from vigil.detectors.signin.geo import country_name, haversine_km, locate
from vigil.detectors.signin.wording import clock, day_text

_CARRIED = (
    "epoch",
    "time",
    "record_id",
    "lat",
    "lon",
    "radius_km",
    "country_code",
    "city",
    "src_ip",
    "asn",
    "client",
    "device",
)


def _place(city: Any, country: Any) -> str:
    return ", ".join(str(p) for p in (city, country) if p) or "an unknown place"


def explain(row: Mapping[str, Any]) -> str:
    def where(side: str) -> str:
        ip = row.get(f"{side}_address")
        country = row.get(f"{side}_country")
        place = _place(row.get(f"{side}_city"), country_name(country) if country else None)
        return place + (f" ({ip})" if ip else "")

    minutes = row["minutes"]
    gap = f"{minutes} minutes" if minutes < 120 else f"{minutes / 60:.1f} hours"
    device = ""
    if row.get("from_client") and row.get("to_client") and row["from_client"] != row["to_client"]:
        device = (
            f", and the second used another device ({str(row.get('to_device') or row['to_client'])[:80]})"
        )
    more = f" That day {row['jumps']} such jumps were seen." if row["jumps"] > 1 else ""
    return (
        f"{row['user']} signed in from {where('from')} at {clock(row['from_time'])} UTC and from "
        f"{where('to')} at {clock(row['to_time'])} UTC on {day_text(row['to_time'])}: at least "
        f"{row['apart_km']:,} km apart in {gap} (about {row['speed_kmh']:,} km/h){device}. Nobody travels "
        f"that fast: ask the user whether the second sign-in was theirs; if not, revoke the account's "
        f"sessions and reset its password.{more}"
    )


@detector(
    id="signin.impossible_travel",
    title="Sign-ins from places too far apart for the time between them",
    inputs=["signins"],
    severity="high",
    techniques=["T1078.004"],
    entities={
        "user": "user-account:victim",
        "to_ipv4": "ipv4-addr:actor-infrastructure",
        "to_ipv6": "ipv6-addr:actor-infrastructure",
        "from_ipv4": "ipv4-addr:evidence",
        "from_ipv6": "ipv6-addr:evidence",
    },
    explain=explain,
    confidence=0.7,
)
def impossible_travel(
    t: Any,
    max_speed_kmh: int = 1000,
    min_distance_km: int = 500,
    include_noninteractive: bool = False,
    familiar_after_hours: int = 24,
    domestic_history_days: int = 7,
) -> ir.Table:
    """Consecutive successful sign-ins of one account whose places (coordinates, or a country's centroid
    less its extent when only the country is known) are at least ``min_distance_km`` apart and would need
    more than ``max_speed_kmh``. Left alone: the same address or network operator on both sides (a VPN,
    a carrier), a jump inside one country with the same device (VPNs, mobile networks), and a jump to a
    network or operator the account already used ``familiar_after_hours`` before. Inside one country,
    where carriers and VPNs put their addresses at a distant hub, a jump counts only on a device the
    account had not used, after ``domestic_history_days`` of history to compare with, and is of medium
    severity (high when a jump crosses a border). One finding per account per day."""
    s = t.signins
    ok = s.filter((s.result == "success") & s.user.notnull() & (s.user != ""))
    if not include_noninteractive:
        ok = ok.filter(~ok.event_type.fill_null("").lower().contains("noninteractive"))
    ok = locate(ok)
    ok = ok.filter(ok.lat.notnull())
    ok = ok.mutate(
        account=ok.user,
        epoch=epoch_seconds(ok.time),
        client=ok.user_agent.nullif("").fill_null(ok.device.nullif("")).fill_null(""),
        device=ok.device.nullif("").fill_null(ok.user_agent.nullif("")),
    )

    w = ibis.window(group_by=ok.account, order_by=[ok.epoch, ok.record_id])
    pairs = ok.mutate(**{f"prev_{c}": ok[c].lag().over(w) for c in _CARRIED})
    pairs = pairs.filter(pairs.prev_epoch.notnull())
    distance = haversine_km(pairs.prev_lat, pairs.prev_lon, pairs.lat, pairs.lon)
    apart = distance - pairs.radius_km - pairs.prev_radius_km
    seconds = ibis.greatest(pairs.epoch - pairs.prev_epoch, 60)
    pairs = pairs.mutate(apart=apart, speed=apart * 3600 / seconds)
    same_ip = pairs.src_ip.fill_null("") == pairs.prev_src_ip.fill_null("")
    same_operator = pairs.asn.notnull() & (pairs.asn == pairs.prev_asn)
    same_country_same_device = (
        pairs.country_code.fill_null("?") == pairs.prev_country_code.fill_null("!")
    ) & (pairs.client == pairs.prev_client)
    fast = pairs.filter(
        (pairs.apart >= min_distance_km)
        & (pairs.speed >= max_speed_kmh)
        & ~same_ip
        & ~same_operator
        & ~same_country_same_device
    )

    # A jump to where the account has been before (its own VPN, a second office) is not travel. Networks
    # are worked out for the few accounts with a jump only.
    fast = fast.mutate(
        net=network(fast),
        domestic=fast.country_code.fill_null("?") == fast.prev_country_code.fill_null("!"),
    )
    jumpers = fast.select(j_account=fast.account).distinct()
    seen = ok.semi_join(jumpers, ok.account == jumpers.j_account)
    seen = seen.select(
        h_account=seen.account,
        h_epoch=seen.epoch,
        h_net=network(seen),
        h_asn=seen.asn,
        h_country=seen.country_code,
        h_client=seen.client,
    )
    familiar = (seen.h_net == fast.net) | ((seen.h_asn == fast.asn) & (seen.h_country == fast.country_code))
    fast = fast.anti_join(
        seen,
        [
            fast.account == seen.h_account,
            seen.h_epoch < fast.epoch - familiar_after_hours * 3600,
            familiar | (fast.domestic & (seen.h_client == fast.client)),
        ],
    )
    since = seen.group_by(f_account=seen.h_account).aggregate(f_epoch=seen.h_epoch.min())
    fast = fast.join(since, fast.account == since.f_account)
    fast = fast.filter(~fast.domestic | (fast.epoch - fast.f_epoch >= domestic_history_days * 86400))

    fast = fast.mutate(
        day=utc_day(fast.time),
        is_v6=fast.src_ip.contains(":"),
        prev_is_v6=fast.prev_src_ip.contains(":"),
        apart_km=fast.apart.round().cast("int64"),
        speed_kmh=fast.speed.round().cast("int64"),
        minutes=((fast.epoch - fast.prev_epoch) / 60).floor().cast("int64"),
        precise=(fast.radius_km == 0) & (fast.prev_radius_km == 0),
    )
    first = fast.epoch  # the first jump of the day describes the finding
    found = fast.group_by(["account", "day"]).aggregate(
        user=fast.user.min(),
        first_seen=fast.prev_time.min(),
        last_seen=fast.time.max(),
        jumps=fast.count(),
        from_time=fast.prev_time.argmin(first),
        to_time=fast.time.argmin(first),
        from_city=fast.prev_city.argmin(first),
        from_country=fast.prev_country_code.argmin(first),
        to_city=fast.city.argmin(first),
        to_country=fast.country_code.argmin(first),
        from_address=fast.prev_src_ip.argmin(first),
        to_address=fast.src_ip.argmin(first),
        from_client=fast.prev_client.argmin(first),
        to_client=fast.client.argmin(first),
        from_device=fast.prev_device.argmin(first),
        to_device=fast.device.argmin(first),
        apart_km=fast.apart_km.argmin(first),
        speed_kmh=fast.speed_kmh.argmin(first),
        minutes=fast.minutes.argmin(first),
        precise=fast.precise.min(),
        domestic=fast.domestic.all(),
        to_ipv4=fast.src_ip.collect(where=~fast.is_v6, distinct=True),
        to_ipv6=fast.src_ip.collect(where=fast.is_v6, distinct=True),
        from_ipv4=fast.prev_src_ip.collect(where=~fast.prev_is_v6, distinct=True),
        from_ipv6=fast.prev_src_ip.collect(where=fast.prev_is_v6, distinct=True),
        from_ids=fast.prev_record_id.collect(distinct=True),
        to_ids=fast.record_id.collect(distinct=True),
    )
    return found.mutate(
        evidence=found.from_ids.concat(found.to_ids),
        confidence=found.precise.ifelse(80, 60) / 100,
        severity=found.domestic.ifelse("medium", "high"),
        key=found.account.concat("|", found.day),
    ).drop("from_ids", "to_ids", "account")


def _ok(
    rid: str, time: str, ip: str, city: str, country: str, lat: float | None, lon: float | None, **more: Any
) -> dict[str, Any]:
    return {
        "record_id": rid,
        "time": time,
        "user": more.pop("user", "brian.eberly@caldercounty.gov"),
        "result": "success",
        "event_type": "sign-in",
        "src_ip": ip,
        "city": city,
        "country": country,
        "latitude": lat,
        "longitude": lon,
        "asn": more.pop("asn", None),
        "user_agent": more.pop("ua", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/128.0.0.0"),
        **more,
    }


_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"
_OFFICE = ("50.203.98.10", "Harrisburg", "US", 40.2732, -76.8867)
_BUCHAREST = ("5.181.234.19", "Bucharest", "RO", 44.4268, 26.1025)
_SEATTLE = ("34.83.10.20", "Seattle", "US", 47.6062, -122.3321)
_CHICAGO_MOBILE = ("172.58.253.39", "Chicago", "US", 41.8781, -87.6298)
_IOS = "Outlook-iOS/2.0"

CASES = [
    Case(
        "office, then Bucharest 37 minutes later on another device",
        rows={
            "signins": [
                _ok("s1", "2024-09-17T14:02:00+00:00", *_OFFICE, asn=7922),
                _ok("s2", "2024-09-18T13:55:21+00:00", *_OFFICE, asn=7922),
                _ok("s3", "2024-09-18T14:32:01+00:00", *_BUCHAREST, asn=9009, ua=_LINUX),
                _ok("s4", "2024-09-18T14:35:01+00:00", *_BUCHAREST, asn=9009, ua=_LINUX),
                _ok("s5", "2024-09-18T15:10:00+00:00", *_OFFICE, asn=7922),
            ]
        },
        expect=1,
        contains={"brian.eberly@caldercounty.gov": "victim", "5.181.234.19": "actor-infrastructure"},
        severity="high",
    ),
    Case(
        "country-only sign-ins: the United States, then Russia an hour later",
        rows={
            "signins": [
                _ok("s1", "2024-09-18T13:00:00+00:00", "73.10.20.30", "", "US", None, None, asn=7922),
                _ok("s2", "2024-09-18T14:00:00+00:00", "95.165.1.2", "", "Russia", None, None, asn=25513),
            ]
        },
        expect=1,
        contains={"95.165.1.2": "actor-infrastructure", "73.10.20.30": "evidence"},
    ),
    Case(
        "a commissioner flies to London: eight hours between the last US and the first UK sign-in",
        rows={
            "signins": [
                _ok("s1", "2024-09-16T00:10:04+00:00", *_OFFICE, asn=7922, ua="Outlook-iOS/2.0"),
                _ok(
                    "s2",
                    "2024-09-16T08:31:00+00:00",
                    "81.152.44.19",
                    "London",
                    "GB",
                    51.5072,
                    -0.1276,
                    asn=2856,
                ),
            ]
        },
        expect=0,
    ),
    Case(
        "an IT administrator's VPN: home, then an exit in Dallas ten minutes later, same laptop",
        rows={
            "signins": [
                _ok(
                    "s1",
                    "2024-09-04T23:10:00+00:00",
                    "73.61.2.9",
                    "Harrisburg",
                    "US",
                    40.2732,
                    -76.8867,
                    asn=7922,
                ),
                _ok(
                    "s2",
                    "2024-09-04T23:20:00+00:00",
                    "146.70.188.74",
                    "Dallas",
                    "US",
                    32.7767,
                    -96.797,
                    asn=9009,
                ),
            ]
        },
        expect=0,
    ),
    Case(
        "the same address geolocated in two countries, and a failure from afar",
        rows={
            "signins": [
                _ok("s1", "2024-09-18T13:00:00+00:00", "146.70.171.102", "Chicago", "US", 41.8781, -87.6298),
                _ok("s2", "2024-09-18T13:30:00+00:00", "146.70.171.102", "Amsterdam", "NL", 52.3676, 4.9041),
                {
                    **_ok("s3", "2024-09-18T13:40:00+00:00", *_BUCHAREST, ua=_LINUX),
                    "result": "failure",
                },
            ]
        },
        expect=0,
    ),
    Case(
        "inside the US after weeks of history: office, then Seattle 20 minutes later on a new browser",
        rows={
            "signins": [
                _ok("s1", "2024-09-01T14:00:00+00:00", *_OFFICE, asn=7922),
                _ok("s2", "2024-09-18T13:40:00+00:00", *_OFFICE, asn=7922),
                _ok("s3", "2024-09-18T14:00:00+00:00", *_SEATTLE, asn=14618, ua=_LINUX),
            ]
        },
        expect=1,
        contains={"34.83.10.20": "actor-infrastructure"},
        severity="medium",
    ),
    Case(
        "inside the US after weeks of history: office, then the user's own phone on a carrier's hub",
        rows={
            "signins": [
                _ok("s1", "2024-09-01T14:00:00+00:00", *_CHICAGO_MOBILE, asn=21928, ua=_IOS),
                _ok("s2", "2024-09-18T13:40:00+00:00", *_OFFICE, asn=7922),
                _ok(
                    "s3", "2024-09-18T14:00:00+00:00", "172.58.99.1", *_CHICAGO_MOBILE[1:], asn=20057, ua=_IOS
                ),
            ]
        },
        expect=0,
    ),
    Case(
        "inside the US on the log's first day: office, then a phone on a carrier's hub",
        rows={
            "signins": [
                _ok("s1", "2024-09-01T13:40:00+00:00", *_OFFICE, asn=7922),
                _ok("s2", "2024-09-01T14:00:00+00:00", *_CHICAGO_MOBILE, asn=21928, ua=_IOS),
            ]
        },
        expect=0,
    ),
    Case(
        "the company VPN in Frankfurt the user has used for weeks",
        rows={
            "signins": [
                _ok(
                    "s1",
                    "2024-09-01T12:00:00+00:00",
                    "185.10.1.7",
                    "Frankfurt am Main",
                    "DE",
                    50.1109,
                    8.6821,
                    asn=60068,
                ),
                _ok("s2", "2024-09-18T13:00:00+00:00", *_OFFICE, asn=7922),
                _ok(
                    "s3",
                    "2024-09-18T13:30:00+00:00",
                    "185.10.1.9",
                    "Frankfurt am Main",
                    "DE",
                    50.1109,
                    8.6821,
                    asn=60068,
                ),
            ]
        },
        expect=0,
    ),
]
