"""Domain feeds into ``domains``: plain lists (defanged, commented), CSV exports, certstream."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from vigil.ingest.domains import normalize_domain
from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace

LIST = """\
# lookalikes of the Springfield Herald, seen this week
springfieldherald-news[.]com
SpringfieldHerald.co.uk.   # trailing dot, upper case
*.springfield-herald[.]info
hxxps://springfieldherald[.]live/politics/article.html
springfield-herald.com/elections
bücher-springfield.de
xn--bcher-springfield-22b.de
springfieldherald-news[.]com
not a domain at all
localhost
203.0.113.7
readme.txt
-bad-.com

"""


def _domains(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM domains ORDER BY source_offset").to_arrow_table().to_pylist()


def _quarantine(ws: Workspace) -> list[tuple[int, str]]:
    with ws.connect(read_only=True) as con:
        return con.execute("SELECT source_offset, reason FROM quarantine ORDER BY source_offset").fetchall()


def test_defanged_list_with_garbage(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "lookalikes.txt"
    path.write_text(LIST, encoding="utf-8")
    summary = ingest(workspace, [path], fmt="domains")  # too much garbage for the sniffer (see below)
    rows = _domains(workspace)
    assert [(r["source_offset"], r["domain"], r["registered_domain"]) for r in rows] == [
        (1, "springfieldherald-news.com", "springfieldherald-news.com"),
        (2, "springfieldherald.co.uk", "springfieldherald.co.uk"),
        (3, "springfield-herald.info", "springfield-herald.info"),
        (4, "springfieldherald.live", "springfieldherald.live"),
        (5, "springfield-herald.com", "springfield-herald.com"),
        (6, "xn--bcher-springfield-22b.de", "xn--bcher-springfield-22b.de"),  # IDN as punycode, once
    ]
    assert {r["feed"] for r in rows} == {"lookalikes.txt"} and rows[0]["first_seen"] is None
    assert summary.tables["domains"] == 6
    assert _quarantine(workspace) == [
        (9, "not a domain name: contains spaces"),
        (10, "not a domain name: no dot (a bare label)"),
        (11, "not a domain name: an IP address, not a domain name"),
        (12, "not a domain name: unknown top-level domain 'txt'"),
        (13, "not a domain name: invalid label '-bad-'"),
    ]
    again = ingest(workspace, [path], fmt="domains")
    assert again.tables["domains"] == 0 and again.skipped_duplicates == 6


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Example.COM", "example.com"),
        ("example[.]com", "example.com"),
        ("*.login.example.com", "login.example.com"),
        ("münchen-wahl.de", "xn--mnchen-wahl-thb.de"),
        ("xn--80ak6aa92e.com", "xn--80ak6aa92e.com"),
        ("www.iol.co.za", "www.iol.co.za"),  # "za" alone is no public suffix, "co.za" is
        ("thlhasa.blogspot.com", "thlhasa.blogspot.com"),
        ("foo.onion", "foo.onion"),
        ("a" * 64 + ".com", None),
        ("exa mple.com", None),
        ("example.invalidtld", None),
        ("", None),
    ],
)
def test_normalize_domain(raw: str, expected: str | None) -> None:
    assert normalize_domain(raw)[0] == expected


def test_sniff_picks_a_mostly_clean_list(tmp_path: Path) -> None:
    path = tmp_path / "feed"
    lines = [f"springfield-vote{i}[.]com" for i in range(9)] + ["n/a", "# comment", ""]
    path.write_text("\n".join(lines))
    assert (found := sniff(path)) is not None and found.name == "domains"


def test_sniff_is_conservative(tmp_path: Path) -> None:
    prose = tmp_path / "notes.txt"
    prose.write_text("Meeting notes\nCall example.com about the election site.\nexample.org\n")
    found = sniff(prose)
    assert found is None or found.name != "domains"
    one_per_line_words = tmp_path / "words.txt"
    one_per_line_words.write_text("alpha\nbeta\ngamma\nexample.com\n")
    found = sniff(one_per_line_words)
    assert found is None or found.name != "domains"


def test_domains_csv(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "nrd.csv"
    path.write_text(
        "Domain,First Seen,Source\n"
        "springfieldherald-news.com,2024-05-01,whoisds\n"
        "wahl-springfield[.]org,1714608000,phishtank\n"
        "springfield herald,2024-05-01,whoisds\n"
        "springfield-vote.com,yesterday,whoisds\n"
        "springfield-vote.net,,\n"
    )
    assert (found := sniff(path)) is not None and found.name == "domains-csv"
    summary = ingest(workspace, [path])
    assert summary.tables["domains"] == 3
    rows = _domains(workspace)
    assert [(r["domain"], r["first_seen"], r["feed"]) for r in rows] == [
        ("springfieldherald-news.com", datetime(2024, 5, 1, tzinfo=UTC), "whoisds"),
        ("wahl-springfield.org", datetime(2024, 5, 2, tzinfo=UTC), "phishtank"),
        ("springfield-vote.net", None, "nrd.csv"),
    ]
    assert [r for _, r in _quarantine(workspace)] == [
        "not a domain name: contains spaces",
        "unparseable date 'yesterday'",
    ]


def test_certstream(workspace: Workspace, tmp_path: Path) -> None:
    def update(names: list[str], seen: float) -> str:
        return json.dumps(
            {
                "message_type": "certificate_update",
                "data": {
                    "update_type": "X509LogEntry",
                    "seen": seen,
                    "cert_index": 1,
                    "leaf_cert": {"all_domains": names, "subject": {"CN": names[0]}},
                    "source": {"name": "Google 'Argon2024' log", "url": "ct.googleapis.com/logs/argon2024/"},
                },
            }
        )

    path = tmp_path / "certstream.jsonl"
    path.write_text(
        "\n".join(
            [
                update(["*.springfieldherald-login.com", "springfieldherald-login.com"], 1714608000.5),
                json.dumps({"message_type": "heartbeat", "timestamp": 1714608001}),
                "{not json",
                update(["mail.springfield-vote.org", "Springfield_Vote"], 1714608002),
                update(["springfieldherald-login.com"], 1714609999),
            ]
        )
        + "\n"
    )
    assert (found := sniff(path)) is not None and found.name == "certstream"
    summary = ingest(workspace, [path])
    rows = _domains(workspace)
    assert [(r["source_offset"], r["domain"], r["feed"]) for r in rows] == [
        (0, "springfieldherald-login.com", "certstream"),
        (3, "mail.springfield-vote.org", "certstream"),
    ]
    assert rows[0]["first_seen"] == datetime.fromtimestamp(1714608000.5, UTC)
    assert rows[0]["registered_domain"] == "springfieldherald-login.com"
    assert summary.quarantined == 2
    assert [r.split(":")[0] for _, r in _quarantine(workspace)] == ["invalid JSON", "not a domain name"]
