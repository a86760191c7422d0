"""Meta threat-research indicator files into ``indicators``: refanged, classified, prose passed over."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from vigil.ingest.intel.classify import classify
from vigil.ingest.intel.meta import describe
from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace

SOCIAL = "0.9 Acquiring social media accounts"
REPORT = "Q2_2024_RUSSIA-BASED CIB NETWORK #1 .csv"
TTP_ROWS = [
    ["Tactic ", "Technique", "Procedure", "Indicator", "Notes"],
    [
        "0. Acquiring assets",
        "0.6 Acquiring domains",
        "0.6.2 Acquiring domains to support IO",
        "https://www.yerli-media[.]org",
        "",
    ],
    ["", "0.6 Acquiring domains", "0.6.2 Acquiring domains", "sakartvelo-today[.]org \n", ""],
    ["", "0.6 Acquiring domains", "0.6.2 Acquiring domains", "dhakatv[.]net\nnewsbangladesh[.]org[.]bd", ""],
    ["0. Acquiring assets", SOCIAL, "0.9.1 Acquiring Facebook assets", "76 accounts", ""],
    ["", SOCIAL, "0.9.4 Acquiring X / Twitter accounts", "https://twitter[.]com/GenerousThief1", ""],
    ["", SOCIAL, "", "hxxps://t[.]me/derniere_minute", ""],
    ["", SOCIAL, "", "www[.]tiktok[.]com/@signal_am", ""],
    ["", SOCIAL, "", "https://www[.]youtube[.]com/channel/UCQ8TUByC9EmbhoUDaInIGeA", ""],
    ["", SOCIAL, "", "change[.]org/p/support-the-new-government", ""],
    ["", SOCIAL, "", "https{:}//t[.]me/kothetjournalist", ""],
    ["1. Disguising assets", "1.3 Posing as institution", "", "Молдова онлайн - Moldova Online", ""],
    ["5. Evading detection", "5.1 Privacy", "", "Registering domain via whoisprotection[.]biz", ""],
    ["6. Coordinated content", "6.3 Spraying content", "", "#knowmore", ""],
    [
        "6. Coordinated content",
        "6.1 Posting on websites",
        "",
        "http://89ijlop.blogspot[.]com/2021/12/why-boycott-beijing-win ter-olympics_5.html",
        "a line wrap",
    ],
    ["3. Running infrastructure", "3.4 C2", "", "45[.]141[.]152[.]19", "Proxy IP"],
    ["", "", "", "t[.]/RGUD_bot", ""],
    ["", "", "", "", ""],
]

SHA256 = "aeb0c38219e714ab881d0065b9fc1915ba84ad5b86916a82814d056f1dfaf66d"
EXPECTED = [
    ("domain-name", "dhakatv.net"),
    ("domain-name", "newsbangladesh.org.bd"),
    ("domain-name", "sakartvelo-today.org"),
    ("ipv4-addr", "45.141.152.19"),
    ("social-account", "telegram:derniere_minute"),
    ("social-account", "telegram:kothetjournalist"),
    ("social-account", "tiktok:signal_am"),
    ("social-account", "x:generousthief1"),
    ("social-account", "youtube:ucq8tubyc9embhoudainigea"),
    ("url", "change.org/p/support-the-new-government"),
    ("url", "http://89ijlop.blogspot.com/2021/12/why-boycott-beijing-winter-olympics_5.html"),
    ("url", "https://www.yerli-media.org"),
]


def _write_rows(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _rows(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM indicators ORDER BY kind, value").to_arrow_table().to_pylist()


def test_kill_chain_file(workspace: Workspace, tmp_path: Path) -> None:
    path = _write_rows(tmp_path / "csv" / "Q2_2024" / REPORT, TTP_ROWS)
    assert (found := sniff(path)) is not None and found.name == "meta-indicators"
    summary = ingest(workspace, [path])
    rows = _rows(workspace)
    assert [(r["kind"], r["value"]) for r in rows] == EXPECTED
    assert {r["feed"] for r in rows} == {"Meta adversarial threat report Q2 2024"}
    assert {r["actor"] for r in rows} == {"Russia-based CIB network #1 (Meta Q2 2024)"}
    ip = next(r for r in rows if r["kind"] == "ipv4-addr")
    assert ip["description"] == "3.4 C2; Proxy IP" and ip["first_seen"] is None
    # prose is passed over; a broken defanged value is quarantined
    assert summary.quarantined == 1
    with workspace.connect(read_only=True) as con:
        ((offset, excerpt),) = con.execute("SELECT source_offset, excerpt FROM quarantine").fetchall()
    assert (offset, excerpt) == (15, "t[.]/RGUD_bot")  # 0-based, after the header


def test_tsv_and_csv_copies_of_a_report_add_each_indicator_once(workspace: Workspace, tmp_path: Path) -> None:
    flat = [[cell.replace("\n", " ") for cell in row] for row in TTP_ROWS]  # the TSVs flatten line breaks
    csv_path = _write_rows(tmp_path / "csv" / "Q2_2024" / REPORT, TTP_ROWS)
    tsv_path = _write_rows(
        tmp_path / "tsv" / "Q2_2024" / "Q2_2024_RUSSIA_BASED CIB NETWORK #1.tsv", flat, "\t"
    )
    assert (found := sniff(tsv_path)) is not None and found.name == "meta-indicators"
    first = ingest(workspace, [csv_path])
    second = ingest(workspace, [tsv_path])
    assert first.tables["indicators"] == len(EXPECTED)
    assert second.tables["indicators"] == 0 and second.skipped_duplicates == len(EXPECTED)


def test_typed_files_with_index(workspace: Workspace, tmp_path: Path) -> None:
    root = tmp_path / "threat-research"
    index = [
        {
            "id": "2022_08_metas_adversarial_threat_report_q2",
            "added_ds": "2022-10-11",
            "reported_ds": "2022-08-04",
            "indicators": {
                "csv_files": ["indicators/csv/2022_08_metas_adversarial_threat_report_q2.csv"],
                "json_files": ["indicators/json/2022_08_metas_adversarial_threat_report_q2.json"],
            },
        }
    ]
    root.mkdir()
    (root / "index.json").write_text(json.dumps(index))
    rows = [
        ["indicator_type", "indicator_value", "comment", "ds"],
        ["domain_name", "signalpro.org", "BITTER APT: Hosting Dracarys Malware", "2022-08-04"],
        ["ip", "94.140.114.22", "BITTER APT: Dracarys Malware C2", "2022-08-04"],
        ["sha256", SHA256.upper(), "PSS Android Malware Hash", "2022-08-04"],
        ["android_package_name", "com.gallery.provides", "Art Filters:Photo to Painting", "2022-08-04"],
        ["ios_app_id", "1555651942", "FB Advertising Optimization", "2022-08-04"],
        ["url", "http://bit.ly/3KJwgoH", "Malware hosting or redirect", "2022-08-04"],
        ["md5", "v21b4327d6881be1893fd2a8431317f6b", "typo in the source", "2022-08-04"],
        ["yara", "rule x {}", "", "2022-08-04"],
    ]
    name = "2022_08_metas_adversarial_threat_report_q2"
    _write_rows(root / "indicators" / "csv" / f"{name}.csv", rows)
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    json_path = root / "indicators" / "json" / f"{name}.json"
    json_path.parent.mkdir(parents=True)
    json_path.write_text(json.dumps(records, indent=4))
    assert (found := sniff(json_path)) is not None and found.name == "meta-indicators"
    summary = ingest(workspace, [root / "indicators"])
    assert summary.files["meta-indicators"] == 2 and summary.tables["indicators"] == 6
    got = {(r["kind"], r["value"]): r for r in _rows(workspace)}
    assert set(got) == {
        ("domain-name", "signalpro.org"),
        ("ipv4-addr", "94.140.114.22"),
        ("file", SHA256),
        ("mobile-app", "android:com.gallery.provides"),
        ("mobile-app", "ios:1555651942"),
        ("url", "http://bit.ly/3KJwgoH"),
    }
    domain = got[("domain-name", "signalpro.org")]
    assert domain["feed"] == "Meta threat report 2022-08-04: Metas adversarial threat report Q2"
    assert domain["actor"] == "BITTER APT" and domain["first_seen"] == datetime(2022, 8, 4, tzinfo=UTC)
    assert domain["description"] == "BITTER APT: Hosting Dracarys Malware"
    assert got[("mobile-app", "android:com.gallery.provides")]["actor"] is None  # an app name, not an actor
    assert got[("file", SHA256)]["description"] == "PSS Android Malware Hash; SHA-256"
    assert sorted(summary.reasons) == ["not a valid md5", "unknown indicator_type 'yara'"]
    assert summary.quarantined == 4  # two of each, from the CSV and from the JSON copy


@pytest.mark.parametrize(
    ("name", "feed", "actor"),
    [
        (
            "Q4-1_2026_GithubIOCs - H1_2026_PAKISTAN_BASED_CIB_NETWORK.csv",
            "Meta adversarial threat report H1 2026",
            "Pakistan-based CIB network (Meta H1 2026)",
        ),
        (
            "Q1_2023_ Togo _ Burkina Faso-based_CIB_network.tsv",
            "Meta adversarial threat report Q1 2023",
            "Togo / Burkina Faso-based CIB network (Meta Q1 2023)",
        ),
        (
            "Q1_2024_Bangladesh_Based_Cib_Network.csv",
            "Meta adversarial threat report Q1 2024",
            "Bangladesh-based CIB network (Meta Q1 2024)",
        ),
        (
            "Q3 2023_Iran-based_recidivist_CIB_cluster.csv",
            "Meta adversarial threat report Q3 2023",
            "Iran-based recidivist CIB cluster (Meta Q3 2023)",
        ),
        (
            "2021_07_taking_action_against_hackers_in_iran.csv",
            "Meta threat report 2021-07: Taking action against hackers in iran",
            None,
        ),
    ],
)
def test_report_names_from_file_names(tmp_path: Path, name: str, feed: str, actor: str | None) -> None:
    assert describe(tmp_path / name)[:2] == (feed, actor)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.facebook.com/profile.php?id=100064", ("social-account", "facebook:100064")),
        ("https://twitter.com/i/status/123", ("url", "https://twitter.com/i/status/123")),
        ("https://www[.]reddit[.]com/user/Profile703/", ("social-account", "reddit:profile703")),
        ("hxxp://vk[.]com/id464508604", ("social-account", "vk:id464508604")),
        ("https://t.me/+AbCdEf", ("url", "https://t.me/+AbCdEf")),
        ("info[at]amc239[.]com", ("email-addr", "info@amc239.com")),
        ("HTTPS://Example.COM/A?b=C", ("url", "https://example.com/A?b=C")),
        ("thlhasa[.]blogspot.com", ("domain-name", "thlhasa.blogspot.com")),
        ("2001:db8::1", ("ipv6-addr", "2001:db8::1")),
        ("About 41,000 accounts followed one or more of these Instagram accounts.", None),
    ],
)
def test_classify(value: str, expected: tuple[str, str] | None) -> None:
    assert classify(value) == expected
