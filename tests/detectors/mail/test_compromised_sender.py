"""mail.compromised_sender beyond its cases: the habits it reads from headers, the forward markers,
copies of one message in several mailboxes, and the analyst's note."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import duckdb
import ibis
import pyarrow as pa
import pytest

from vigil.detect.api import get_detector
from vigil.detect.cases import case_table, run_case
from vigil.detectors.mail import compromised_sender as cs

DETECTOR = get_detector("mail.compromised_sender")


def features(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The per-message features of ``rows`` (e-mails), computed on DuckDB."""
    full: list[Mapping[str, Any]] = [
        {"date": "2024-07-01T10:00:00+00:00", "from_addr": "a@example.org", **r} for r in rows
    ]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("emails", case_table("emails", full))
    backend = ibis.duckdb.from_connection(con)
    m = cs.messages(backend.table("emails"))
    return backend.to_pyarrow(m.order_by("mkey")).to_pylist()


@pytest.mark.parametrize(
    ("x_mailer", "user_agent", "program"),
    [
        ("Microsoft Outlook 16.0", None, "Microsoft Outlook"),
        ("iPhone Mail (21F90)", None, "iPhone Mail"),
        ("MailChimp Mailer - **CID3636416e6f**", None, "MailChimp Mailer"),
        ("Microsoft Outlook Express 6.00.2800.1106", None, "Microsoft Outlook Express"),
        (None, "Mozilla/5.0 (Windows NT 10.0; rv:115.0) Gecko/20100101 Thunderbird/115.14.0", "Thunderbird"),
        (None, "Mutt/1.4i", "Mutt"),
        (None, "Microsoft-MacOutlook/16.88.24081116", "Microsoft-MacOutlook"),
        ("Zoho Mail", "Zoho Mail", "Zoho Mail"),
        (None, None, "no X-Mailer or User-Agent"),
    ],
)
def test_mail_program_without_its_version(x_mailer: str | None, user_agent: str | None, program: str) -> None:
    [row] = features([{"message_id": "x@y", "x_mailer": x_mailer, "user_agent": user_agent}])
    assert row["client"] == program


@pytest.mark.parametrize(
    ("message_id", "style"),
    [
        ("156401daf2fe$42ae4c4f$1ee07107$@chesapeakemail.net", "$-hex@chesapeakemail.net"),
        ("9BAD3041-B60E-4592-AA28-FE9B86B221A6@chesapeakemail.net", "UUID@chesapeakemail.net"),
        ("bbbb03e6-2ae7-43a0-810c-79d35638916d@chesapeakemail.net", "uuid@chesapeakemail.net"),
        ("CAnXo7-aeTH-bm7lep9TWRDuzN9Th0VNmZQ+kJ0GvY7f7r@mail.gmail.com", "mixed@mail.gmail.com"),
        ("591028536.7710513.5810219182776@mail.yahoo.com", "digits@mail.yahoo.com"),
        ("4F1A@EXCH02.harper.local", "HEX@exch#.harper.local"),
    ],
)
def test_message_id_style(message_id: str, style: str) -> None:
    assert features([{"message_id": message_id}])[0]["style"] == style


def test_networks_and_the_computers_name() -> None:
    def hop(helo: str | None, ip: str) -> list[dict[str, Any]]:
        return [{"from_host": "relay.example", "ip": "64.94.212.27"}, {"from_host": helo, "ip": ip}]

    rows = features(
        [
            {
                "message_id": "1@x",
                "client_ip": "71.178.214.62",
                "received": hop("DESKTOP-F633FA4", "71.178.214.62"),
            },
            {
                "message_id": "2@x",
                "client_ip": "2a0b:4140:1::66",
                "received": hop("192.168.1.223", "2a0b:4140:1::66"),
            },
            {
                "message_id": "3@x",
                "client_ip": None,
                "received": hop("host213-121-126-176.btopenworld.com", ""),
            },
            {"message_id": "4@x", "client_ip": "not an address", "received": []},
        ]
    )
    assert [(r["net24"], r["net16"]) for r in rows] == [
        ("71.178.214.0/24", "71.178.0.0/16"),
        ("2a0b:4140:1::/48", "2a0b:4140::/32"),
        (None, None),
        (None, None),
    ]
    assert [r["machine"] for r in rows] == [
        "desktop-f633fa4",
        "an address literal",
        "host#-#-#-#.btopenworld.com",  # a dynamic address's name says nothing about the computer
        "none",
    ]


def test_copies_of_one_message_count_once() -> None:
    [first] = features(
        [{"message_id": "same@x", "record_id": "b"}, {"message_id": "same@x", "record_id": "a"}]
    )
    assert first["record_id"] == "a" and sorted(first["record_ids"]) == ["a", "b"]


@pytest.mark.parametrize(
    ("subject", "forward"),
    [
        ("Fwd: Debate prep", True),
        ("FW: Question about a contribution", True),
        ("Re: Fwd: notes", True),
        ("WG: Einladung", True),  # German
        ("ENC: Convite", True),  # Portuguese
        ("Re: Debate prep", False),
        ("Forward planning for the fall", False),
    ],
)
def test_forward_subjects(subject: str, forward: bool) -> None:
    assert bool(re.search(cs.FORWARD_SUBJECT, subject)) is forward


def test_forwarded_block_markers_in_several_languages() -> None:
    for body in (
        "---------- Forwarded message ---------\nFrom: a@b.org",
        "Begin forwarded message:\n\nFrom: a@b.org",
        "---------- Weitergeleitete Nachricht ----------\nVon: a@b.org",
        "---------- Mensagem encaminhada ---------\nDe: a@b.org",
    ):
        assert re.search(cs.FORWARD_BODY, body), body


def test_a_hijack_journaled_in_two_mailboxes_is_one_finding_with_both_records() -> None:
    case = cs.CASES[0]
    rows = list(case.rows["emails"])
    copy = {**rows[-1], "received": [*rows[-1]["received"], {"from_host": "journal", "ip": "10.0.0.1"}]}
    findings = run_case(DETECTOR, dataclasses.replace(case, rows={"emails": [*rows, copy]}), "duckdb")
    assert len(findings) == 1
    assert len(findings[0]["evidence"]) == 2


def test_settings_change_the_verdict() -> None:
    case = cs.CASES[1]  # the quieter variant: new network + fake forward
    assert len(run_case(DETECTOR, dataclasses.replace(case, params={"min_departures": 3}), "duckdb")) == 0
    history_too_short = dataclasses.replace(case, params={"min_history": 20})
    assert len(run_case(DETECTOR, history_too_short, "duckdb")) == 0


def test_the_note_reads_like_an_analysts() -> None:
    [finding] = run_case(DETECTOR, cs.CASES[0], "duckdb")
    summary = finding["summary"]
    assert summary.startswith("Target: Robert Lindqvist (campaign-chair).")
    assert "It passed SPF, DKIM and DMARC" in summary
    assert "91.206.178.34 is in PL; the earlier networks: 1 in US" in summary  # bundled RIR data
    assert "vigil did not open it" in summary
    assert "call Gordon Reyes on a number you already know" in summary
    details = json.loads(finding["details"])
    assert [r["reason"] for r in details["reasons"]] == [
        "new link domain",
        "new network",
        "new device",
        "unusual hour",
        "fake forward",
    ]
    assert details["score"] == 1.0 and details["departures"] == 4
    assert all(r["evidence"] for r in details["reasons"])


def test_explain_without_authentication_or_name() -> None:
    row = {
        "sender": "x@y.org",
        "sender_name": None,
        "recipients": [],
        "authentication": {"spf": None, "dkim": None, "dmarc": None},
        "reasons": [{"reason": "new link domain", "weight": 0.3, "evidence": "link to a.example"}],
        "first_seen": datetime(2002, 9, 5, 21, 54, tzinfo=UTC),
        "earlier_messages": 10,
        "history_days": 40,
        "departures": 2,
        "score": 0.7,
        "subject": None,
        "link_urls": ["http://a.example/"],
    }
    text = cs.explain(row)
    assert text.startswith("x@y.org wrote to undisclosed recipients on 2002-09-05 21:54 UTC: “(no subject)”.")
    assert "no passing authentication result" in text and "call the sender" in text


def test_case_rows_are_valid_emails() -> None:
    for case in cs.CASES:
        table = case_table("emails", list(case.rows["emails"]))
        assert isinstance(table, pa.Table) and table.num_rows == len(case.rows["emails"])
