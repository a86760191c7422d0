"""Rows of generated sign-in events: columns of indices into the organisation's tables.

A row is one event of one kind (``KINDS``) at a time in milliseconds, for a user, from a *where*
(network location), with an application, a user agent, a client kind, an MFA method and whether the
device was a managed one. ``planted`` is -1 for background events, else the index of the event's
pre-assigned id (planted attacks and listed negatives know their record ids before they are written).
A kind that a source does not log (Entra has no "push sent" event; Okta no "MFA timed out") is not
written in that format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

KINDS = [
    "success",  # interactive sign-in that succeeded
    "success_app",  # non-interactive token use / SSO into an app inside a session
    "bad_password",
    "unknown_user",
    "locked",  # an attempt on a locked account
    "lock",  # the account gets locked (Okta logs it as its own event)
    "mfa_required",  # first factor right, a second factor is asked for
    "mfa_push",  # a push is sent (Okta)
    "mfa_denied",  # the user denied the push
    "mfa_timeout",  # the user did not answer (Entra)
    "mfa_ok",  # the second factor succeeded (Okta logs it as its own event)
    "mfa_register",  # a new MFA method is registered (Entra: sign-in to the security-info page)
    "password_reset",  # help desk or self-service reset (Okta)
]
K = {name: i for i, name in enumerate(KINDS)}
#: The kinds each source writes.
WRITTEN = {
    "entra": frozenset(K[k] for k in KINDS if k not in ("mfa_push", "mfa_ok", "lock", "password_reset")),
    "okta": frozenset(K[k] for k in KINDS if k != "mfa_timeout"),
}

COLUMNS: dict[str, type] = {
    "t": np.int64,  # epoch milliseconds
    "user": np.int32,
    "where": np.int32,
    "app": np.int16,
    "agent": np.int16,
    "client": np.int8,
    "kind": np.int8,
    "mfa": np.int8,
    "managed": np.bool_,
    "planted": np.int32,
}

Rows = dict[str, np.ndarray]


def empty() -> Rows:
    return {c: np.zeros(0, dtype=t) for c, t in COLUMNS.items()}


def concat(parts: Sequence[Rows]) -> Rows:
    parts = [p for p in parts if len(p["t"])]
    if not parts:
        return empty()
    return {c: np.concatenate([p[c] for p in parts]).astype(t, copy=False) for c, t in COLUMNS.items()}


def take(rows: Rows, index: np.ndarray) -> Rows:
    return {c: v[index] for c, v in rows.items()}


def sort(rows: Rows) -> Rows:
    """Oldest first; ties keep their order (stable), so the output does not depend on the machine."""
    return take(rows, np.argsort(rows["t"], kind="stable"))


@dataclass
class RowList:
    """Rows built one at a time (planted attacks and noise), each with its pre-assigned id."""

    ids: list[str] = field(default_factory=list)
    cols: dict[str, list[int]] = field(default_factory=lambda: {c: [] for c in COLUMNS})

    def add(
        self,
        event_id: str,
        t_ms: int,
        user: int,
        where: int,
        kind: str,
        *,
        app: int,
        agent: int,
        client: int = 0,
        mfa: int = 0,
        managed: bool = False,
    ) -> str:
        values = {
            "t": t_ms,
            "user": user,
            "where": where,
            "app": app,
            "agent": agent,
            "client": client,
            "kind": K[kind],
            "mfa": mfa,
            "managed": int(managed),
            "planted": len(self.ids),
        }
        for c, v in values.items():
            self.cols[c].append(v)
        self.ids.append(event_id)
        return event_id

    def rows(self) -> Rows:
        return {c: np.asarray(self.cols[c], dtype=t) for c, t in COLUMNS.items()}

    def by_day(self, start_ms: int, days: int) -> list[Rows]:
        """The rows of each day (UTC), in day order."""
        rows = self.rows()
        day = (rows["t"] - start_ms) // 86_400_000
        return [take(rows, np.flatnonzero(day == d)) for d in range(days)]
