"""A workspace's Sigma rules as detectors: the same runner, findings, engines as built-in detectors.

A rule's matching sign-ins become one finding per rule, per user, per UTC day: first and last match,
the matching records as evidence, the user as the target, the source addresses as the actor's
infrastructure, the rule's level as the severity and its ``attack.tNNNN`` tags as techniques. The
finding's key is the user and the day, so that a re-run (or more events of the same day) updates it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import ibis
import pyarrow as pa

from vigil.detect.api import Detector, EntitySpec, registry
from vigil.rules import RULES_DIR
from vigil.schema import SIGNINS
from vigil.workspace import Workspace, resolve_path

if TYPE_CHECKING:
    from vigil.rules.load import CompiledRule

ENTITIES = {
    "user": "user-account:target",
    "ipv4": "ipv4-addr:actor-infrastructure",
    "ipv6": "ipv6-addr:actor-infrastructure",
}


def matches(signins: ibis.Table, query: str) -> ibis.Table:
    """The sign-ins a rule's query selects, as an Ibis filter that both engines compile natively."""
    from vigil.rules.translate import rule_filter

    return signins.filter(rule_filter(query, signins))


def findings(signins: ibis.Table, query: str, sigma_id: str | None) -> ibis.Table:
    """One row per user and UTC day with matching sign-ins."""
    m = matches(signins, query)
    m = m.mutate(day=m.time.date(), is_v6=m.src_ip.contains(":"))
    per_day = m.group_by(["user", "day"]).aggregate(
        first_seen=m.time.min(),
        last_seen=m.time.max(),
        matches=m.count(),
        evidence=m.record_id.collect(distinct=True),
        ipv4=m.src_ip.collect(distinct=True, where=~m.is_v6),
        ipv6=m.src_ip.collect(distinct=True, where=m.is_v6),
        event_types=m.event_type.collect(distinct=True),
    )
    none: Any = ibis.literal([], type="array<string>")  # DuckDB collects nothing as NULL, Spark as []
    return per_day.mutate(
        ipv4=per_day.ipv4.fill_null(none),
        ipv6=per_day.ipv6.fill_null(none),
        event_types=per_day.event_types.fill_null(none),
        key=per_day.user.fill_null("").concat("|", per_day.day.cast("string")),
        sigma_rule=ibis.literal(sigma_id or "", type="string"),
    )


def explainer(title: str) -> Callable[[Mapping[str, Any]], str]:
    def explain(row: Mapping[str, Any]) -> str:
        ips = sorted([*(row.get("ipv4") or []), *(row.get("ipv6") or [])])
        source = (
            f" from {', '.join(ips[:5])}" + (f" and {len(ips) - 5} more" if len(ips) > 5 else "")
            if ips
            else ""
        )
        return (
            f"{row['matches']} sign-in event(s) of {row.get('user') or 'an unnamed user'} on {row['day']}"
            f"{source} matched the Sigma rule “{title}”."
        )

    return explain


def to_detector(rule: CompiledRule) -> Detector:
    """The detector that runs ``rule``; it reads ``signins`` and has no settings."""

    def run(t: Any) -> ibis.Table:
        return findings(t.signins, rule.query, rule.sigma_id)

    run.__doc__ = rule.description or rule.title
    run.__qualname__ = run.__name__ = rule.slug
    return Detector(
        id=rule.detector_id,
        title=rule.title,
        inputs=("signins",),
        severity=rule.severity,
        techniques=rule.techniques,
        entities=tuple(EntitySpec.parse(c, s) for c, s in ENTITIES.items()),
        func=run,
        explain=explainer(rule.title),
    )


def broken_detector(detector_id: str, title: str, reason: str) -> Detector:
    """A stored rule that no longer compiles: it fails its own run (with the reason), not the others."""

    def run(t: Any) -> ibis.Table:
        raise RuntimeError(f"the Sigma rule cannot run: {reason}")

    run.__doc__ = f"This rule cannot run: {reason}"
    return Detector(
        id=detector_id,
        title=title,
        inputs=("signins",),
        severity="medium",
        techniques=(),
        entities=tuple(EntitySpec.parse(c, s) for c, s in ENTITIES.items()),
        func=run,
    )


def workspace_rules(workspace: Workspace | Path | None) -> dict[str, Detector]:
    """The detectors of the rules stored in a workspace (none when it has no rules)."""
    path = workspace.path if isinstance(workspace, Workspace) else resolve_path(workspace)
    out: dict[str, Detector] = {}
    if not any((path / RULES_DIR).glob("*.yml")):
        return out  # nothing to compile: pySigma is not even imported
    from vigil.rules.store import stored_rules

    for stored in stored_rules(path):
        if stored.rule is not None:
            out[stored.detector_id] = to_detector(stored.rule)
        else:
            out[stored.detector_id] = broken_detector(stored.detector_id, stored.title, stored.error or "")
    return out


def all_detectors(workspace: Workspace | Path | None = None) -> dict[str, Detector]:
    """Built-in detectors and the workspace's Sigma rules, by id."""
    return dict(sorted((registry() | workspace_rules(workspace)).items()))


def verify_on_duckdb(rule: CompiledRule) -> None:
    """Run the rule's whole detector expression over an empty sign-ins table (types, regexes, functions)."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.register("_vigil_empty", pa.Table.from_batches([], schema=SIGNINS))
        con.execute("CREATE TABLE signins AS SELECT * FROM _vigil_empty")
        backend = ibis.duckdb.from_connection(con)
        backend.to_pyarrow(findings(backend.table("signins"), rule.query, rule.sigma_id))
    finally:
        con.close()
