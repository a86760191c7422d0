"""Which sign-ins are those of a protected person's account.

The protected table lists each person's sign-in names and addresses (``user-account``, ``email-addr``).
A sign-in matches one without case. A Windows logon names the bare account (``jdoe``, the domain in
``tenant``), so on Windows events the part before the ``@`` of a protected address, or after the ``\\``
of ``DOMAIN\\jdoe``, matches too, when the logon's domain is unknown or starts like the protected one
(``CORP`` or ``corp.example`` for ``jdoe@corp.example``). Such a match is not *exact*: the runner, which
compares entity values as they are, does not see it, so a detector that wants the person's priority to
count raises the severity itself.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import ibis
import ibis.expr.types as ir

from vigil.detect.api import SEVERITIES

_KINDS = ("user-account", "email-addr")


def protected_accounts(t: Any) -> ir.Table:
    """One row per sign-in key of a protected person: ``key``, ``windows_only``, ``domain`` (the first label
    of the protected value's domain, for Windows keys), ``owner``, ``role`` (when two people share a key,
    the first by name) and ``priority_rank`` (0 low, 1 normal, 2 high, 3 critical; the highest)."""
    p = t.protected
    p = p.filter(p.kind.isin(_KINDS), p.owner_kind == "person", p.value.notnull())
    p = p.mutate(v=p.value.strip().lower())
    level = p.priority.fill_null("normal").lower()
    rank = (level == "critical").ifelse(3, (level == "high").ifelse(2, (level == "low").ifelse(0, 1)))
    cols = {"owner": p.owner, "role": p.role.fill_null(""), "priority_rank": rank}
    full = p.select(key=p.v, windows_only=ibis.literal(False), domain=ibis.literal(""), **cols)
    local = p.select(
        key=p.v.re_extract(r"^([^@\\]+)@", 1),
        windows_only=ibis.literal(True),
        domain=p.v.re_extract(r"@([^.@]+)", 1),
        **cols,
    )
    bare = p.select(
        key=p.v.re_extract(r"\\([^\\@]+)$", 1),
        windows_only=ibis.literal(True),
        domain=p.v.re_extract(r"^([^\\.]+)[^\\]*\\", 1),
        **cols,
    )
    keys = full.union(local).union(bare)
    keys = keys.filter(keys.key != "")
    return keys.group_by(["key", "windows_only", "domain"]).aggregate(
        owner=keys.owner.min(), role=keys.role.min(), priority_rank=keys.priority_rank.max()
    )


def protected_signins(t: Any, s: ir.Table) -> ir.Table:
    """The rows of ``s`` (sign-ins) that are a protected person's, with ``owner``, ``role``,
    ``priority_rank`` and ``exact_match`` (false for a Windows bare-name match)."""
    accounts = protected_accounts(t)
    joined = s.join(accounts, s.user == accounts.key)
    joined = joined.mutate(_domain=joined.tenant.lower().re_extract(r"^([^.\\]+)", 1).fill_null(""))
    windows = joined.format == "windows"
    same_domain = (joined._domain == "") | (joined.domain == "") | (joined._domain == joined.domain)
    joined = joined.filter(~joined.windows_only | (windows & same_domain))
    # A logon that matches a person both exactly and by its bare name is one row.
    joined = joined.mutate(exact_match=~joined.windows_only)
    rank = ibis.row_number().over(group_by=joined.record_id, order_by=[joined.windows_only, joined.owner])
    joined = joined.filter(rank == 0)
    return joined.drop("_domain", "key", "windows_only", "domain")


def raised(severity: ir.StringValue, by: ir.IntegerValue) -> ir.StringValue:
    """``severity`` raised by ``by`` levels (0 or 1), up to critical."""
    out = severity
    for lower, higher in pairwise(SEVERITIES):
        out = ((severity == lower) & (by > 0)).ifelse(higher, out)
    return out
