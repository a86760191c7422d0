"""Sign-ins from CSV: headers matched by name, or mapped explicitly."""

from __future__ import annotations

from pathlib import Path

import pytest
from signin_samples import CSV_SIGNINS, quarantined, signin_rows

from vigil.ingest.base import ReadContext
from vigil.ingest.run import ingest
from vigil.ingest.signins.csvmap import auto_mapping, read_csv_signins
from vigil.workspace import Workspace


def test_entra_portal_download(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "InteractiveSignIns_2024-09-12.csv"
    path.write_text("\ufeff" + CSV_SIGNINS, encoding="utf-8")
    summary = ingest(workspace, [path])
    assert summary.files["signins-csv"] == 1 and summary.tables["signins"] == 3 and summary.quarantined == 0
    failed, interrupted, ok = signin_rows(workspace)
    assert failed["user"] == "jane.doe@caldercounty.gov" and failed["user_display"] == "Jane Doe"
    assert (failed["result"], failed["error_code"]) == ("failure", "50126")
    assert (failed["country"], failed["city"], failed["asn"]) == ("DE", "Frankfurt am Main", 205100)
    assert failed["is_legacy_auth"] is True and failed["event_id"] == "req-1" and failed["format"] == "csv"
    assert failed["application"] == "Office 365 Exchange Online" and failed["source_offset"] == 0
    assert interrupted["result"] == "interrupted" and ok["result"] == "success"


def test_auto_mapping_prefers_the_login_over_the_display_name() -> None:
    mapping = auto_mapping(["Date (UTC)", "User", "Username", "IP address", "Status"])
    assert mapping["time"] == "Date (UTC)" and mapping["user"] == "Username"
    assert mapping["user_display"] == "User" and mapping["src_ip"] == "IP address"


def test_explicit_mapping_and_value_formats(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "vpn.csv"
    path.write_text(
        "when;who;from;ok\n1/15/2024 10:30:45 AM;Alice;1.2.3.4;no\n1705314700;alice;1.2.3.4;yes\n"
    )
    mapping = {"time": "when", "user": "who", "src_ip": "from", "result": "ok"}
    with workspace.connect() as con:
        ctx = ReadContext(str(path), "signins-csv", con)
        (table,) = read_csv_signins(path, ctx, mapping)
    rows = table.to_pylist()
    assert [(r["user"], r["result"], r["src_ip"]) for r in rows] == [
        ("alice", "failure", "1.2.3.4"),
        ("alice", "success", "1.2.3.4"),
    ]
    assert rows[0]["time"].isoformat() == "2024-01-15T10:30:45+00:00"
    assert rows[1]["time"].isoformat() == "2024-01-15T10:31:40+00:00"
    assert not ctx.quarantined


def test_unknown_mapping_target_is_an_error(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("time,user\n")
    with workspace.connect() as con, pytest.raises(ValueError, match="unknown sign-in columns"):
        list(read_csv_signins(path, ReadContext(str(path), "signins-csv", con), {"when": "time"}))


def test_file_without_user_column_is_quarantined_naming_its_columns(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("When,From,Outcome\n2024-01-01T00:00:00Z,1.1.1.1,ok\n")
    summary = ingest(workspace, [path], fmt="signins-csv")
    assert summary.tables["signins"] == 0
    assert quarantined(workspace) == [(None, "no user column among: When, From, Outcome")]


def test_bad_rows_quarantined_and_reingest_adds_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "signins.csv"
    path.write_text(
        "timestamp,username,ip,result\n"
        "2024-01-15T10:30:45Z,alice,1.2.3.4,failed\n"
        "2024-01-15T10:31:00Z,alice,1.2.3.4,FAILED,extra\n"
        ",bob,1.2.3.5,success\n"
        "2024-01-15T10:33:00+02:00,carol,1.2.3.5,Success\n"
    )
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2 and summary.quarantined == 2
    assert quarantined(workspace) == [(1, "CSV row has 5 fields, the header 4"), (2, "missing time")]
    rows = signin_rows(workspace)
    assert [(r["source_offset"], r["user"], r["result"]) for r in rows] == [
        (3, "carol", "success"),
        (0, "alice", "failure"),
    ]
    again = ingest(workspace, [path])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 2
