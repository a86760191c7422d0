"""The hard negatives planted beside the attacks: look-alikes a detector must leave alone.

A copier's service account on SMTP AUTH all day; people locked out after forgetting a new password,
reset by the help desk, whose phones then keep trying the old one from changing carrier addresses;
single failed sign-ins from the internet; and, listed by their addresses and accounts so that an
evaluation can name them, the office NAT addresses, the VPN and cloud-proxy egress, the carrier NAT
pool, the people abroad, the protected people's own typos and the night shift.
"""

from __future__ import annotations

import random
from datetime import timedelta

from vigil.demo.signin_volume_attacks import ABROAD_RESIDENTIAL, STUFFING_AGENTS, Planter
from vigil.demo.signin_volume_days import DAY_MS, workday
from vigil.demo.signin_volume_org import APP, MODERN_CLIENT, NO_MFA, PROTECTED_PEOPLE, SMS, SMTP


def service_account(p: Planter) -> None:
    org, rnd = p.org, p.rnd
    courthouse = org.office_wheres[0]
    neg = p.negative(
        "service_account_smtp",
        "benign-legacy-auth",
        "The courthouse copier's account sends scans over SMTP AUTH all day, every working day",
        signals=("legacy protocol", "single factor", "steady"),
    )
    for d in range(org.days):
        if not workday(org.start + timedelta(days=d)):
            continue
        t = p.at(d, 11, 0) + rnd.randrange(0, 30) * 60_000
        end = p.at(d, 22, 0)
        while t < end:
            p.add(
                neg,
                t,
                org.service,
                courthouse,
                "success",
                agent=p.agent("legacy"),
                client=SMTP,
                app=APP["Office 365 Exchange Online"],
            )
            t += rnd.randrange(15, 45) * 60_000
    neg.add("user-account", org.upns[org.service])
    neg.add("ipv4-addr", org.wheres[courthouse].ip)


def lockouts_and_resets(p: Planter) -> None:
    org, rnd = p.org, p.rnd
    neg = p.negative(
        "lockouts_and_resets",
        "benign-lockout",
        "People forget a new password, get locked out, are reset by the help desk; their phones keep "
        "trying the old password from changing carrier addresses",
        signals=("4-6 failures then lock-out", "success after reset", "failures from many mobile IPs"),
    )
    accounts: set[int] = set()
    per_day = max(1.0, org.n_real / 700)
    for d in range(org.days):
        if not workday(org.start + timedelta(days=d)):
            continue
        for _ in range(_poisson(rnd, per_day)):
            u = rnd.randrange(len(PROTECTED_PEOPLE), org.n_real)
            if u in p.used or (u, d) in org.quiet:
                continue
            accounts.add(u)
            at_office = rnd.random() < 0.7
            where = int(org.office[u] if at_office else org.home[u])
            desk = {"agent": int(org.device[u]), "managed": bool(org.managed[u]) and at_office}
            t = p.at(d, rnd.randrange(12, 21), rnd.randrange(60), rnd.randrange(60))
            for _ in range(rnd.randint(4, 6)):
                p.add(neg, t, u, where, "bad_password", **desk)
                t += rnd.randrange(15_000, 40_000)
            p.add(neg, t, u, where, "lock", **desk)
            p.add(neg, t + 500, u, where, "locked", **desk)
            t += rnd.randrange(20, 120) * 60_000
            p.add(neg, t, u, where, "password_reset", **desk)
            method = SMS if org.mfa[u] != NO_MFA else NO_MFA
            p.add(neg, t + 90_000, u, where, "success", mfa=method, **desk)
            if rnd.random() < 0.6:  # the phone still has the old password
                phone = {
                    "agent": int(org.phone[u]),
                    "client": MODERN_CLIENT,
                    "app": APP["Outlook Mobile"],
                }
                t += rnd.randrange(5, 20) * 60_000
                for _ in range(rnd.randint(3, 8)):
                    w = int(org.mobile_pool[rnd.randrange(len(org.mobile_pool))])
                    p.add(neg, t, u, w, "bad_password", **phone)
                    t += rnd.randrange(5, 30) * 60_000
                w = int(org.mobile_pool[rnd.randrange(len(org.mobile_pool))])
                p.add(neg, t, u, w, "success", **phone)
    neg.add("user-account", *sorted(p.upn(u) for u in accounts))  # their offices and homes: not listed


def internet_noise(p: Planter) -> None:
    org, rnd = p.org, p.rnd
    neg = p.negative(
        "internet_noise",
        "background-noise",
        "Scattered single failed sign-ins from the internet, each address once (below any threshold)",
        signals=("single failures", "each IP once"),
    )
    per_day = max(2.0, org.n_real / 400)
    for d in range(org.days):
        for _ in range(_poisson(rnd, per_day)):
            asn, first, city = rnd.choice(ABROAD_RESIDENTIAL)
            ip = f"{first}.{rnd.randrange(1, 255)}.{rnd.randrange(1, 255)}.{rnd.randrange(2, 254)}"
            w = org.where(ip, asn, city)
            u = rnd.randrange(len(PROTECTED_PEOPLE), org.n_real)
            t = p.at(d, 0, 0) + rnd.randrange(DAY_MS)
            p.add(neg, t, u, w, "bad_password", agent=p.agent(rnd.choice(STUFFING_AGENTS)))
            neg.add("ipv4-addr", ip)


def listed_negatives(p: Planter) -> None:
    """The background patterns that look like attacks: named so that an evaluation can tell."""
    org = p.org
    nat = p.negative(
        "office_nat",
        "benign-shared-nat",
        "Office NAT addresses: hundreds of accounts each, with their daily typos and MFA prompts",
        signals=("many accounts from one IP", "failures every day"),
    )
    nat.add("ipv4-addr", *[org.wheres[w].ip for w in org.office_wheres])
    vpn = p.negative(
        "shared_egress",
        "benign-vpn",
        "The county VPN and the cloud proxy: many users, egress nodes in Virginia, New York and Chicago",
        signals=("many accounts from one IP", "location jumps between egress nodes"),
    )
    vpn.add("ipv4-addr", *[org.wheres[w].ip for w in [*org.vpn_wheres, *org.proxy_wheres]])
    mobile = p.negative(
        "carrier_nat",
        "benign-mobile",
        "Phones on carrier-grade NAT: a new address almost every time, geolocated to the carrier's hub",
        signals=("location jumps", "shared addresses"),
    )
    mobile.details["asns"] = sorted({org.wheres[int(w)].asn for w in org.mobile_pool})
    mobile.add("ipv4-addr", *sorted({org.wheres[int(w)].ip for w in org.mobile_pool}))
    trips = p.negative(
        "people_abroad",
        "benign-travel",
        "People abroad for a week with their own devices; their phones sometimes roam via the US carrier",
        signals=("new country", "plausible travel time"),
    )
    for trip in org.trips:
        trips.add("user-account", p.upn(trip.user))
        trips.add("ipv4-addr", org.wheres[trip.where].ip)
    trips.details["trips"] = [
        {
            "account": p.upn(t.user),
            "first_day": t.first_day,
            "last_day": t.last_day,
            "city": org.wheres[t.where].place.city,
        }
        for t in org.trips
    ]
    protected = p.negative(
        "protected_typos",
        "benign-typo",
        "The protected people's own typos and MFA prompts from their usual networks",
        signals=("protected account", "failures from known IPs"),
    )
    protected.add("user-account", *[p.upn(u) for u in range(len(PROTECTED_PEOPLE))])
    protected.add(
        "ipv4-addr",
        *sorted(
            {org.wheres[int(org.office[u])].ip for u in range(len(PROTECTED_PEOPLE))}
            | {org.wheres[int(org.home[u])].ip for u in range(len(PROTECTED_PEOPLE))}
        ),
    )
    night = p.negative(
        "night_shift",
        "benign-hours",
        "Dispatchers who sign in at night and on weekends",
        signals=("night-time sign-ins",),
    )
    night.add("user-account", *[p.upn(int(u)) for u in org.shift.nonzero()[0][:25]])


def plant_negatives(p: Planter) -> None:
    """All of them, shared networks first (an evaluation ties a false positive to the first it touches)."""
    listed_negatives(p)
    service_account(p)
    lockouts_and_resets(p)
    internet_noise(p)


def _poisson(rnd: random.Random, lam: float) -> int:
    """A Poisson draw from ``random`` (Knuth; small means only)."""
    if lam > 30:
        return max(0, round(rnd.gauss(lam, lam**0.5)))
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1
