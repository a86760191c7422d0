"""One finding per message whose signals of one category add up: the Ibis expression that the mail
detectors (``mail.spoofing``, ``mail.malicious_link``, ``mail.lure``) share.

The category's score is the noisy-or of its signals (see ``score.py``), computed in SQL as
``1 - exp(sum(ln(1 - w)))`` over the strongest weight of each code, rounded to three decimals so
that DuckDB and Spark agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ibis

from vigil.enrich.mail.signals import CATALOG
from vigil.enrich.mail.text import clean

#: A link signal's evidence starts with the host it is about: ``"host: what"``.
_HOST = r"^(\S+): "
_IPV4 = r"^\d{1,3}(\.\d{1,3}){3}$"
#: Entities of every mail finding; detectors add their own.
ENTITIES = {
    "sender": "email-addr:evidence",
    "to_addrs": "email-addr:target",
    "cc_addrs": "email-addr:target",
    "link_hosts": "domain-name:actor-infrastructure",
    "link_ips": "ipv4-addr:actor-infrastructure",
}


def message_findings(
    t: Any,
    category: str,
    threshold: float,
    advice: str,
    infrastructure: Sequence[str] = (),
) -> ibis.Table:
    """Messages whose ``category`` score reaches ``threshold``, with their reasons and entities.

    ``infrastructure``: signal codes whose evidence starts with a domain the attacker controls (a
    look-alike sender domain); those domains become ``lookalike_domains``."""
    s, e = t.email_signals, t.emails
    mine = s.filter(s.category == category)
    per_code = mine.group_by([mine.record_id, mine.signal]).aggregate(w=mine.weight.max())
    per_code = per_code.mutate(w=ibis.least(per_code.w, 0.999))
    per_msg = per_code.group_by(per_code.record_id).aggregate(keep=(1 - per_code.w).ln().sum())
    per_msg = per_msg.mutate(score=(1 - per_msg.keep.exp()).round(3))
    per_msg = per_msg.filter(per_msg.score >= threshold)

    reasons = mine.group_by(mine.record_id).aggregate(
        reasons=mine.signal.concat(": ", mine.evidence).collect(distinct=True),
        signals=mine.signal.collect(distinct=True),
    )
    links = s.filter(s.category == "link")
    links = links.mutate(host=links.evidence.re_extract(_HOST, 1))
    links = links.filter(links.host != "")
    is_ip = links.host.re_search(_IPV4)
    hosts = links.group_by(links.record_id).aggregate(
        link_hosts=links.host.collect(where=~is_ip, distinct=True),
        link_ips=links.host.collect(where=is_ip, distinct=True),
    )
    found = per_msg.join(reasons, "record_id").join(e, "record_id").left_join(hosts, "record_id")
    extra: dict[str, Any] = {}
    if infrastructure:
        infra = s.filter(s.signal.isin(list(infrastructure)))
        infra = infra.mutate(domain=infra.evidence.re_extract(_HOST, 1))
        domains = infra.group_by(infra.record_id).aggregate(
            lookalike_domains=infra.domain.collect(distinct=True)
        )
        found = found.left_join(domains, "record_id")
        extra["lookalike_domains"] = found.lookalike_domains
    return found.select(
        first_seen=found.date,
        last_seen=found.date,
        evidence=ibis.array([found.record_id]),
        key=ibis.literal("email:").concat(found.record_id),
        sender=found.from_addr,
        to_addrs=found.to_addrs,
        cc_addrs=found.cc_addrs,
        link_hosts=found.link_hosts,
        link_ips=found.link_ips,
        subject=found.subject.substr(0, 200),
        score=found.score,
        confidence=found.score,
        severity=ibis.ifelse(found.score >= 0.8, "high", "medium"),
        reasons=found.reasons,
        signals=found.signals,
        advice=ibis.literal(advice),
        **extra,
    )


def explain(row: Mapping[str, Any]) -> str:
    """The summary of a mail finding: who wrote to whom, the score, the main reasons, the advice."""
    recipients = sorted({*(row.get("to_addrs") or []), *(row.get("cc_addrs") or [])})
    to = ", ".join(recipients[:3]) + (f" and {len(recipients) - 3} more" if len(recipients) > 3 else "")
    reasons = "; ".join(_strongest(row.get("reasons") or [], 4))
    subject = clean(row.get("subject") or "(no subject)", 100)
    return (
        f"Message from {row.get('sender') or 'an unknown sender'} to {to or 'undisclosed recipients'} "
        f"({subject!r}) scores {float(row.get('score') or 0):.2f}. Why: {reasons}. "
        f"What to do: {row.get('advice') or ''}"
    ).strip()


def _strongest(reasons: Sequence[str], limit: int) -> list[str]:
    """The evidence of the ``limit`` strongest reasons (``code: evidence``), by their signal's weight."""
    ranked: dict[str, float] = {}
    for reason in reasons:
        code, _, evidence = reason.partition(": ")
        text = clean(evidence, 140)
        spec = CATALOG.get(code)
        ranked[text] = max(ranked.get(text, 0.0), spec.weight if spec else 0.0)
    return sorted(ranked, key=lambda text: (-ranked[text], text))[:limit]
