"""The email_signals table: computed before the mail detectors, incrementally, and again on a new context."""

from __future__ import annotations

from mail_rows import link

from vigil.detect.cases import case_table
from vigil.detect.runner import run
from vigil.enrich.mail import refresh_signals
from vigil.enrich.mail.table import TABLE
from vigil.workspace import CONFIG_FILE, Workspace

PHISH = {
    "record_id": "m1",
    "date": "2024-10-02T12:03:41+00:00",
    "from_addr": "it-support@xn--harperforamerca-k3m.org",
    "from_name": "Harper for America IT Support",
    "from_domain": "xn--harperforamerca-k3m.org",
    "to_addrs": ["hannah.cho@harperforamerica.org"],
    "subject": "Action required: your password expires today",
    "urls": [link("https://harperforamerica-sso.com/owa", "https://login.microsoftonline.com/")],
}
PLAIN = {
    "record_id": "m2",
    "date": "2024-10-03T09:00:00+00:00",
    "from_addr": "carla@keystoneprintworks.com",
    "to_addrs": ["hannah.cho@harperforamerica.org"],
    "subject": "Proofs for the door hangers",
}
PROTECTED = """
[[organizations]]
name = "Harper for America"
kind = "campaign"
domains = ["harperforamerica.org"]
"""


def add(ws: Workspace, *rows: dict[str, object]) -> None:
    with ws.connect() as con:
        ws.insert(con, "emails", case_table("emails", list(rows)))


def signals(ws: Workspace) -> list[tuple[str, str, str]]:
    with ws.connect(read_only=True) as con:
        return con.execute(f"SELECT record_id, category, signal FROM {TABLE} ORDER BY ALL").fetchall()


def test_every_message_gets_a_score_row_and_only_new_messages_are_scored(workspace: Workspace) -> None:
    add(workspace, PHISH)
    with workspace.connect() as con:
        assert refresh_signals(workspace, con) == 1
        assert refresh_signals(workspace, con) == 0
    add(workspace, PLAIN)
    with workspace.connect() as con:
        assert refresh_signals(workspace, con) == 1
    rows = signals(workspace)
    assert ("m2", "score", "score.phishing") in rows  # scored, even with no signal
    assert {s for r, _, s in rows if r == "m1"} >= {
        "sender.punycode_domain",
        "lure.credential",
        "score.phishing",
    }


def test_a_change_of_protected_assets_scores_everything_again(workspace: Workspace) -> None:
    add(workspace, PHISH, PLAIN)
    with workspace.connect() as con:
        refresh_signals(workspace, con)
    assert ("m1", "spoofing", "sender.lookalike_protected") not in signals(workspace)
    (workspace.path / CONFIG_FILE).write_text(PROTECTED, encoding="utf-8")
    workspace.reload()
    with workspace.connect() as con:
        assert refresh_signals(workspace, con) == 2
    assert ("m1", "spoofing", "sender.lookalike_protected") in signals(workspace)


def test_a_workspace_made_before_the_table_gets_it_when_opened(workspace: Workspace) -> None:
    add(workspace, PLAIN)
    with workspace.connect() as con:
        con.execute(f"DROP TABLE {TABLE}")
    reopened = Workspace.open(workspace.path)
    with reopened.connect() as con:
        assert refresh_signals(reopened, con) == 1


def test_the_runner_computes_signals_for_the_mail_detectors_only(workspace: Workspace) -> None:
    add(workspace, PHISH)
    run(workspace, detector_ids=["intel.known_indicator"])
    assert signals(workspace) == []
    summary = run(workspace, detector_ids=["mail.malicious_link"])
    assert not summary.failed and summary.runs[0].findings == 1
    assert signals(workspace)
