"""What the password-guessing detectors share: which sign-ins are guesses, where they come from, and
how they group into bursts.

- A **guess** is a sign-in that failed on the password or the user name (not on MFA, a blocked
  device or a policy). Spray detectors also count Windows explicit-credential logons (4648), which
  record an attempt whatever its outcome: many of them for different accounts is how a spray from
  one Windows host looks.
- The **source** of a sign-in is its network: the /24 of an IPv4 address, the /64 of an IPv6 one, or,
  when the event has no routable address (an SSH or console logon on a Windows host), the host.
- A **burst** is a run of guesses from one source (or on one account) with no pause longer than a gap.
- **Accounts** compare without case, and a Windows ``user@domain`` matches the bare ``user``.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detectors.signin.clock import epoch_seconds

# Failures that say the password was right but a second factor, device or policy said no.
NOT_A_GUESS = (
    "50074",  # strong authentication required
    "50076",  # MFA required after a location or configuration change
    "50079",  # MFA registration required
    "50158",  # external security challenge not satisfied
    "500121",  # MFA denied or timed out
    "53000",  # device not compliant
    "53003",  # blocked by conditional access
    "530032",  # blocked by security defaults
    "0x12",  # Kerberos: account disabled, expired or locked out
)
# Failures that say the account does not exist (Okta's VERIFICATION_ERROR is its sign-in failure for a
# name it does not know; a known user's wrong password is INVALID_CREDENTIALS).
UNKNOWN_USER = ("50034", "0xc0000064", "0x6", "E0000004:user_not_found", "VERIFICATION_ERROR")
UNKNOWN_USER_REASONS = ("does not exist", "not found", "unknown user", "no such user")

_IPV4 = r"^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$"
_IPV6_64 = r"^([0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4})"
_LOCAL = r"^(127\.|::1$|::$|0\.0\.0\.0$|-$|fe80:)"


def is_guess(s: Any, explicit_credentials: bool = False) -> ir.BooleanValue:
    code = s.error_code.fill_null("")
    failed = (s.result == "failure") & ~code.isin(NOT_A_GUESS) & ~_mfa_event(s)
    return failed | (s.event_type == "4648") if explicit_credentials else failed


def is_success(s: Any) -> ir.BooleanValue:
    return (s.result == "success") & (s.event_type.fill_null("") != "4648")


def is_unknown_user(s: Any) -> ir.BooleanValue:
    reason = s.failure_reason.fill_null("").lower()
    by_reason = ibis.literal(False)
    for phrase in UNKNOWN_USER_REASONS:
        by_reason = by_reason | reason.contains(phrase)
    return s.error_code.fill_null("").lower().isin([c.lower() for c in UNKNOWN_USER]) | by_reason


def _mfa_event(s: Any) -> ir.BooleanValue:
    kind = s.event_type.fill_null("").lower()
    return kind.contains("mfa") | kind.contains("factor") | kind.contains("push")


def account(s: Any) -> ir.StringValue:
    """The account, lower-cased; for Windows events the name without its ``@domain``."""
    user = s.user.lower()
    bare = user.re_extract(r"^([^@]+)@", 1)
    return (s.format == "windows").ifelse(bare.nullif("").fill_null(user), user)


def has_routable_ip(s: Any) -> ir.BooleanValue:
    ip = s.src_ip.fill_null("-")
    return (ip != "") & ~ip.re_search(_LOCAL)


def network(s: Any) -> ir.StringValue:
    """The /24 (IPv4) or /64 (IPv6) of the source address, else ``host:<name>`` of the logon's host."""
    ip = s.src_ip.fill_null("")
    v4 = ip.re_extract(_IPV4, 1)
    v6 = ip.lower().re_extract(_IPV6_64, 1)
    host = s.device.lower().re_extract(r"^([^.]+)", 1)
    by_ip = (v4 != "").ifelse(v4.concat(".0/24"), (v6 != "").ifelse(v6.concat("::/64"), ip))
    return has_routable_ip(s).ifelse(by_ip, ibis.literal("host:").concat(host.fill_null("unknown")))


def address(s: Any) -> ir.StringValue:
    """The source IP when routable, else null (a host name is not an IP entity)."""
    return has_routable_ip(s).ifelse(s.src_ip, ibis.null(str))


def guesses(s: Any, explicit_credentials: bool = False) -> ir.Table:
    """The guesses with their account, source network and routable address."""
    g = s.filter(is_guess(s, explicit_credentials))
    return g.mutate(
        account=account(g),
        network=network(g),
        address=address(g),
        unknown_user=is_unknown_user(g),
        epoch=epoch_seconds(g.time),
    )


def bursts(t: ir.Table, by: str, gap_seconds: int) -> ir.Table:
    """``t`` with a ``burst`` number per value of ``by``: a new burst starts after a pause > gap."""
    prev = t.epoch.lag().over(group_by=t[by], order_by=t.epoch)
    starts = (prev.isnull() | (t.epoch - prev > gap_seconds)).ifelse(1, 0)
    t = t.mutate(burst_start=starts)
    return t.mutate(burst=t.burst_start.cumsum(group_by=t[by], order_by=t.epoch)).drop("burst_start")


def spray_bursts(g: ir.Table, gap_seconds: int, min_accounts: int) -> ir.Table:
    """``g`` (guesses) with a ``burst`` per network, and the (network, burst) pairs that tried at
    least ``min_accounts`` accounts: a spray, whatever else it is."""
    g = bursts(g, "network", gap_seconds)
    wide = g.group_by(["network", "burst"]).aggregate(n_accounts=g.account.nunique())
    return g, wide.filter(wide.n_accounts >= min_accounts).select("network", "burst")


def is_brute_force(
    tries: ir.IntegerValue,
    duration_seconds: ir.IntegerValue,
    networks: ir.IntegerValue,
    min_tries: int = 10,
    max_average_interval_seconds: int = 120,
    min_fast_tries: int = 5,
    fast_interval_seconds: int = 10,
    min_rotating_tries: int = 5,
    min_rotating_networks: int = 3,
) -> ir.BooleanValue:
    """Enough tries on one account, fast enough not to be a person retyping or a phone retrying an
    old password every few minutes: ``min_tries`` at most ``max_average_interval_seconds`` apart on
    average, or ``min_fast_tries`` at machine speed, or ``min_rotating_tries`` at the steady pace
    from ``min_rotating_networks`` networks or more (a guesser rotating through proxies; a person's
    phone moves between two networks, not three in minutes)."""
    steady_pace = duration_seconds <= (tries - 1) * max_average_interval_seconds
    steady = (tries >= min_tries) & steady_pace
    fast = (tries >= min_fast_tries) & (duration_seconds <= (tries - 1) * fast_interval_seconds)
    rotating = (tries >= min_rotating_tries) & (networks >= min_rotating_networks) & steady_pace
    return steady | fast | rotating


def successes(s: Any, of: ir.Table) -> ir.Table:
    """The successful sign-ins of the accounts in ``of`` (a table with an ``account`` column, usually
    the guesses): narrowing first keeps the per-row address parsing off the bulk of the log."""
    ok = s.filter(is_success(s))
    ok = ok.mutate(account=account(ok))
    wanted = of.select(wanted="account").distinct()
    ok = ok.semi_join(wanted, ok.account == wanted.wanted)
    return ok.mutate(
        network=network(ok),
        address=address(ok),
        epoch=epoch_seconds(ok.time),
    )
