"""One day of ordinary sign-ins of the whole organisation, drawn with numpy (no per-event Python).

Each active person has a few sessions: at a desk in the office during work hours (behind the office's
shared NAT address), at home in the evening (directly, or through the county VPN or the cloud proxy
whose nodes are in other states), on the phone from carrier-grade NAT addresses. A session is an
interactive sign-in, sometimes after a typo, sometimes with an MFA prompt (and now and then an MFA
prompt left unanswered), followed by non-interactive token use in other apps during the next hours.
Dispatchers work nights and weekends; people abroad sign in from there in their local hours.

Local time is US Eastern daylight time (UTC-4). The rows of a day are those of one UTC day.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from vigil.demo.signin_volume_org import (
    APP,
    BROWSER,
    DESK_APPS,
    DESK_WEIGHTS,
    MODERN_CLIENT,
    NO_MFA,
    PUSH,
    Org,
)
from vigil.demo.signin_volume_rows import COLUMNS, K, Rows, concat

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
LOCAL_OFFSET = -4  # EDT

#: Chances per session.
TYPO = 0.035
MFA_PROMPT = 0.3
MFA_UNANSWERED = 0.02
APP_USES_DESK = 2.0  # mean non-interactive uses after a desk session
APP_USES_PHONE = 2.5


def holiday(d: date) -> bool:
    """Labor Day (first Monday of September): the offices are closed."""
    return d.month == 9 and d.weekday() == 0 and d.day <= 7


def workday(d: date) -> bool:
    return d.weekday() < 5 and not holiday(d)


def epoch_ms(d: date) -> int:
    return (d - date(1970, 1, 1)).days * DAY_MS


def _local_hours(org: Org, users: np.ndarray, work: bool, rng: np.random.Generator) -> np.ndarray:
    """The local hour (float) of each session."""
    n = len(users)
    if work:
        x = rng.random(n)
        hours = np.clip(rng.normal(11.8, 2.4, n), 7.0, 17.9)
        hours = np.where(x < 0.2, rng.uniform(17.5, 22.8, n), hours)
        hours = np.where(x > 0.9, rng.uniform(6.0, 7.5, n), hours)
    else:
        hours = rng.uniform(8.5, 22.5, n)
    night = org.shift[users]
    return np.where(night, (19.0 + rng.uniform(0, 12, n)) % 24, hours)


def background_day(org: Org, day: int, rng: np.random.Generator) -> Rows:
    """The background rows of UTC day ``day`` (unsorted)."""
    d = org.start + timedelta(days=day)
    work = workday(d)
    n_users = org.n_real
    day_ms = epoch_ms(org.start) + day * DAY_MS

    p_active = np.where(org.shift, 0.72, 0.95) if work else org.weekend
    active = rng.random(n_users) < p_active
    for u, qd in org.quiet:
        if qd == day and u < n_users:
            active[u] = False
    lam = np.where(org.shift, 2.4, 2.6) if work else np.full(n_users, 1.3)
    sessions = np.where(active, np.maximum(1, rng.poisson(lam)), 0)
    users = np.repeat(np.arange(n_users, dtype=np.int32), sessions)
    n = len(users)

    hours = _local_hours(org, users, work, rng)
    utc_offset = np.full(n, -LOCAL_OFFSET, dtype=np.float64)
    abroad = org.abroad(day)
    traveling = np.zeros(n, bool)
    trip_where = np.full(n, -1, np.int32)
    if abroad:
        for u, trip in abroad.items():
            mask = users == u
            traveling |= mask
            trip_where[mask] = trip.where
            utc_offset[mask] = -trip.utc_offset
        hours = np.where(traveling, rng.uniform(7.5, 22.5, n), hours)
    t = day_ms + (((hours + utc_offset) % 24) * HOUR_MS).astype(np.int64)

    # where each session comes from
    r = rng.random(n)
    r2 = rng.random(n)
    desk_hours = work & ~org.shift[users] & (hours >= 7.5) & (hours < 17.5)
    at_office = (desk_hours & (r < 0.8)) | (org.shift[users] & (r < 0.85))
    mobile = ~at_office & ((r2 < 0.33) | (desk_hours & (r < 0.9)))
    remote = org.remote[users]
    via_vpn = ~at_office & ~mobile & (remote == 1) & (r2 < 0.85)
    via_proxy = ~at_office & ~mobile & (remote == 2) & (r2 < 0.85)
    proxy_nodes = np.asarray(org.proxy_wheres, np.int32)
    vpn_nodes = np.asarray(org.vpn_wheres, np.int32)
    where = org.home[users].copy()
    where = np.where(at_office, org.office[users], where)
    where = np.where(via_vpn, vpn_nodes[rng.integers(0, len(vpn_nodes), n)], where)
    where = np.where(
        via_proxy, proxy_nodes[rng.choice(len(proxy_nodes), n, p=[0.25, 0.2, 0.25, 0.2, 0.1])], where
    )
    pool = org.mobile_pool
    where = np.where(mobile, pool[rng.integers(0, len(pool), n)], where)
    roaming = traveling & (r < 0.1)
    where = np.where(traveling & ~roaming, trip_where, where)
    where = np.where(roaming, pool[rng.integers(0, len(pool), n)], where)
    mobile = mobile | roaming

    # client, app, agent, device
    desk_app = np.asarray(DESK_APPS, np.int16)[rng.choice(len(DESK_APPS), n, p=DESK_WEIGHTS)]
    phone_app = np.where(rng.random(n) < 0.7, APP["Outlook Mobile"], APP["Microsoft Teams"]).astype(np.int16)
    app = np.where(mobile, phone_app, desk_app)
    client = np.where(mobile | (rng.random(n) < 0.4), MODERN_CLIENT, BROWSER).astype(np.int8)
    agent = np.where(mobile, org.phone[users], org.device[users]).astype(np.int16)
    managed = org.managed[users] & ~mobile & ~traveling

    # MFA
    method = org.mfa[users]
    prompted = (method != NO_MFA) & (rng.random(n) < MFA_PROMPT)
    mfa = np.where(prompted, method, NO_MFA).astype(np.int8)

    base = {"user": users, "where": where, "app": app, "agent": agent, "client": client, "managed": managed}

    def part(mask: np.ndarray, kind: str, offset_ms: np.ndarray | int, with_mfa: bool = False) -> Rows:
        idx = np.flatnonzero(mask)
        shift = offset_ms[idx] if isinstance(offset_ms, np.ndarray) else offset_ms
        rows = {c: v[idx] for c, v in base.items()}
        rows["t"] = t[idx] + shift
        rows["kind"] = np.full(len(idx), K[kind], np.int8)
        rows["mfa"] = mfa[idx] if with_mfa else np.zeros(len(idx), np.int8)
        rows["planted"] = np.full(len(idx), -1, np.int32)
        return rows

    everyone = np.ones(n, bool)
    typo = rng.random(n) < TYPO
    second_typo = typo & (rng.random(n) < 0.1)
    unanswered = prompted & (rng.random(n) < MFA_UNANSWERED)
    parts = [
        part(everyone, "success", 0, with_mfa=True),
        part(typo, "bad_password", -rng.integers(20_000, 120_000, n)),
        part(second_typo, "bad_password", -rng.integers(125_000, 200_000, n)),
        part(unanswered, "mfa_timeout", -rng.integers(60_000, 180_000, n), with_mfa=True),
        part(prompted, "mfa_required", -rng.integers(8_000, 30_000, n), with_mfa=True),
        part(prompted & (method == PUSH), "mfa_push", -rng.integers(4_000, 8_000, n), with_mfa=True),
        part(prompted, "mfa_ok", -1_000, with_mfa=True),
    ]

    # non-interactive use of apps during the next hours, from the same place
    uses = rng.poisson(np.where(mobile, APP_USES_PHONE, APP_USES_DESK))
    src = np.repeat(np.arange(n), uses)
    later = t[src] + rng.integers(60_000, 4 * HOUR_MS, len(src))
    keep = later < day_ms + DAY_MS
    src, later = src[keep], later[keep]
    m = len(src)
    use_app = np.where(
        mobile[src], app[src], np.asarray(DESK_APPS, np.int16)[rng.choice(len(DESK_APPS), m, p=DESK_WEIGHTS)]
    )
    parts.append(
        {
            "t": later,
            "user": users[src],
            "where": where[src],
            "app": use_app.astype(np.int16),
            "agent": agent[src],
            "client": client[src],
            "kind": np.full(m, K["success_app"], np.int8),
            "mfa": np.zeros(m, np.int8),
            "managed": managed[src],
            "planted": np.full(m, -1, np.int32),
        }
    )
    rows = concat(parts)
    inside = (rows["t"] >= day_ms) & (rows["t"] < day_ms + DAY_MS)
    return {c: rows[c][inside].astype(COLUMNS[c], copy=False) for c in COLUMNS}
