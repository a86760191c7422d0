"""Fixtures and row builders for the report tests (tests/export has its own small copy).

Tests run with --import-mode=importlib, so helpers reach the tests as the ``rows`` fixture.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pytest

from vigil.ids import content_hash, entity_id, finding_id
from vigil.schema import TABLES
from vigil.workspace import Workspace


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def insert(ws: Workspace, table: str, rows: list[dict[str, Any]]) -> None:
    schema, _ = TABLES[table]
    with ws.connect() as con:
        Workspace.insert(con, table, pa.Table.from_pylist(rows, schema=schema))


def ent(kind: str, value: str, role: str) -> dict[str, str]:
    return {"entity_id": entity_id(kind, value), "kind": kind, "value": value, "role": role}


def record(table: str, **fields: Any) -> dict[str, Any]:
    """A record row with a content-derived record_id."""
    return {
        "record_id": content_hash(table, *sorted(map(str, fields.items()))),
        "source": f"{table}.jsonl",
        "source_offset": 0,
        **fields,
    }


def finding(
    detector: str,
    title: str,
    *,
    severity: str = "high",
    evidence: Sequence[tuple[str, dict[str, Any]]] = (),
    first: str = "2024-10-01T12:00:00",
    last: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    return {
        "finding_id": finding_id(detector, [title, first]),
        "detector": detector,
        "title": title,
        "severity": severity,
        "confidence": 0.8,
        "first_seen": t(first),
        "last_seen": t(last or first),
        "summary": "",
        "techniques": [],
        "entities": [],
        "evidence": [{"table_name": table, "record_id": rec["record_id"]} for table, rec in evidence],
        "details": "{}",
        "status": "new",
        "updated_at": t(last or first),
        **fields,
    }


def build_sample(ws: Workspace) -> None:
    """A few findings like the ones in public reports on the 2024 US election."""
    phish = record(
        "emails",
        message_id="<CAF3x9@mail.gmail.com>",
        date=t("2024-10-02T14:03:11"),
        from_addr="r.hollis.adviser@gmail.com",
        from_name="Rob Hollis",
        from_domain="gmail.com",
        to_addrs=["chair@doeforsenate.org"],
        subject="Debate prep notes – please review before Thursday",
        spf="pass",
        dkim="pass",
        dmarc="pass",
        client_ip="209.85.220.41",
        urls=[
            {
                "url": "https://docs-share.doeforsenate-secure.com/view?id=8812",
                "text": "Open the notes",
                "host": "docs-share.doeforsenate-secure.com",
                "registered_domain": "doeforsenate-secure.com",
            }
        ],
    )
    ioc = record(
        "indicators",
        kind="domain-name",
        value="doeforsenate-secure.com",
        feed="Joint advisory AA24-290A (example)",
        actor="APT42",
        first_seen=t("2024-09-20T00:00:00"),
    )
    failures = [
        record(
            "signins",
            format="entra",
            time=t(f"2024-10-05T03:{m:02d}:00"),
            user=u,
            result="failure",
            failure_reason="Invalid username or password",
            src_ip="185.220.101.47",
            country="NL",
            application="Office 365 Exchange Online",
            user_agent="python-requests/2.31",
        )
        for m, u in enumerate(
            [
                "clerk@cityofspringfield.gov",
                "elections@cityofspringfield.gov",
                "it-admin@cityofspringfield.gov",
                "deputy.clerk@cityofspringfield.gov",
            ]
        )
    ]
    success = record(
        "signins",
        format="entra",
        time=t("2024-10-05T03:41:09"),
        user="poll.worker7@cityofspringfield.gov",
        result="success",
        src_ip="185.220.101.47",
        country="NL",
        application="Office 365 Exchange Online",
        user_agent="python-requests/2.31",
    )
    page = record(
        "pages",
        url="https://springfieldherald.news/2024/10/ballots-found-in-river",
        host="springfieldherald.news",
        fetched_at=t("2024-10-07T09:15:00"),
        title="BREAKING: Hundreds of mail ballots found in Springfield river",
    )
    posts = [
        record(
            "posts",
            platform="x",
            handle=h,
            time=t(f"2024-10-07T10:0{i}:00"),
            text="Springfield officials hid THIS from you. Share before it's deleted!",
            urls=[
                {
                    "url": "https://springfieldherald.news/2024/10/ballots-found-in-river",
                    "host": "springfieldherald.news",
                    "registered_domain": "springfieldherald.news",
                }
            ],
        )
        for i, h in enumerate(["patriot_mom_1776", "realnewsdave", "springfield_truth", "ohio4ever_"])
    ]
    insert(ws, "emails", [phish])
    insert(ws, "indicators", [ioc])
    insert(ws, "signins", [*failures, success])
    insert(ws, "pages", [page])
    insert(ws, "posts", posts)
    insert(
        ws,
        "quarantine",
        [
            {
                "record_id": "q1",
                "source": "mail/broken.mbox",
                "source_offset": 8812,
                "format": "mbox",
                "reason": "truncated message",
                "excerpt": "From: ...",
            }
        ],
    )
    insert(
        ws,
        "findings",
        [
            finding(
                "signin.password_spray",
                "Password spray against the county election office, one account signed in",
                severity="critical",
                first="2024-10-05T03:00:00",
                last="2024-10-05T03:41:09",
                confidence=0.92,
                summary="One internet address (185.220.101.47, a Tor exit node) tried passwords against 5 "
                "election-office accounts within 41 minutes, and succeeded for poll.worker7. That account "
                "should be treated as compromised: reset its password and sign it out everywhere.",
                techniques=["T1110.003", "T1078.004"],
                entities=[ent("user-account", r["user"], "target") for r in failures]
                + [
                    ent("ipv4-addr", "185.220.101.47", "actor-infrastructure"),
                    ent("user-account", "poll.worker7@cityofspringfield.gov", "victim"),
                ],
                evidence=[("signins", r) for r in [*failures, success]],
                details=json.dumps({"failures": 4, "distinct_users": 5, "window_minutes": 41}),
            ),
            finding(
                "email.actor_domain_link",
                "Spear-phishing email to the campaign chair links to an APT42 domain",
                severity="high",
                first="2024-10-02T14:03:11",
                confidence=0.85,
                summary=(
                    "The campaign chair received an email from the personal Gmail account of a former "
                    "adviser. It passed all sender checks, so the adviser's account was probably hijacked. "
                    "Its link leads to a domain that a government advisory attributes to APT42."
                ),
                techniques=["T1566.002", "T1586.002"],
                entities=[
                    ent("email-addr", "chair@doeforsenate.org", "target"),
                    ent("email-addr", "r.hollis.adviser@gmail.com", "actor-infrastructure"),
                    ent("domain-name", "doeforsenate-secure.com", "actor-infrastructure"),
                    ent(
                        "url",
                        "https://docs-share.doeforsenate-secure.com/view?id=8812",
                        "actor-infrastructure",
                    ),
                ],
                evidence=[("emails", phish), ("indicators", ioc)],
                details=json.dumps({"actor": "APT42", "feed": "Joint advisory AA24-290A (example)"}),
            ),
            finding(
                "social.coordinated_links",
                "Four accounts pushed the same fake news story within 4 minutes",
                severity="medium",
                first="2024-10-07T10:00:00",
                last="2024-10-07T10:03:00",
                confidence=0.7,
                summary=(
                    "Four X accounts posted the same text and link to a site imitating the Springfield "
                    "Herald, each within a minute of the last. Lockstep posting like this is a sign of a "
                    "coordinated network."
                ),
                techniques=["T0049", "T0013"],
                entities=[
                    ent("organization", "Springfield Herald", "target"),
                    ent("domain-name", "springfieldherald.news", "actor-infrastructure"),
                    *[ent("social-account", f"x:{p['handle']}", "actor-infrastructure") for p in posts],
                ],
                evidence=[*[("posts", p) for p in posts], ("pages", page)],
            ),
            finding(
                "web.lookalike_outlet",
                "Lookalike of a local news outlet: springfieldherald.news",
                severity="low",
                first="2024-10-07T09:15:00",
                confidence=0.6,
                status="acknowledged",
                summary="A site on springfieldherald.news copies the name of the Springfield Herald "
                "(springfieldherald.com).",
                entities=[
                    ent("domain-name", "springfieldherald.news", "actor-infrastructure"),
                    ent("domain-name", "springfieldherald.com", "target"),
                ],
                evidence=[("pages", page)],
            ),
            finding(
                "signin.impossible_travel",
                "Sign-ins from two countries within an hour",
                severity="medium",
                first="2024-10-03T08:00:00",
                status="false-positive",
                confidence=0.5,
                summary="The candidate's account signed in from the US and Canada within an hour (a VPN).",
            ),
        ],
    )


class Rows:
    """The builders above, for tests (``rows.insert(ws, "emails", [rows.record("emails", ...)])``)."""

    t = staticmethod(t)
    insert = staticmethod(insert)
    ent = staticmethod(ent)
    record = staticmethod(record)
    finding = staticmethod(finding)


@pytest.fixture
def rows() -> type[Rows]:
    return Rows


@pytest.fixture
def sample_workspace(workspace: Workspace) -> Workspace:
    build_sample(workspace)
    return workspace
