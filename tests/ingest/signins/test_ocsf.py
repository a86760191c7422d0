"""OCSF Authentication (class 3002): logons kept, logoffs and other classes skipped and counted."""

from __future__ import annotations

from pathlib import Path

from signin_samples import OCSF_FAIL, OCSF_LOGOFF, OCSF_OK, OCSF_OTHER_CLASS, lines, quarantined, signin_rows

from vigil.ingest.run import ingest
from vigil.workspace import Workspace


def test_authentication_events(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "auth.jsonl"
    path.write_text(lines(OCSF_FAIL, OCSF_LOGOFF, OCSF_OTHER_CLASS, OCSF_OK))
    summary = ingest(workspace, [path])
    assert summary.files["ocsf"] == 1 and summary.tables["signins"] == 2 and summary.quarantined == 0
    assert summary.passed_over == {"ocsf:3002:Logoff": 1, "ocsf:4001": 1}
    failed, ok = signin_rows(workspace)
    assert failed["user"] == "jane.doe@caldercounty.gov" and failed["result"] == "failure"
    assert (failed["error_code"], failed["failure_reason"]) == ("50126", "Invalid username or password.")
    assert failed["time"].isoformat() == "2024-09-12T02:10:33+00:00"
    assert (failed["latitude"], failed["longitude"]) == (50.11, 8.68)  # OCSF coordinates are [lon, lat]
    assert (failed["country"], failed["asn"], failed["src_ip"]) == ("DE", 205100, "185.220.101.4")
    assert failed["protocol"] == "OAUTH 2.0" and failed["mfa_detail"] == "singleFactorAuthentication"
    assert failed["application"] == "Office 365 Exchange Online" and failed["tenant"] == "aad-tenant-1"
    assert failed["user_agent"] == "python-requests/2.31" and failed["event_id"] == "ocsf-1"
    assert failed["event_type"] == "Logon" and failed["source_offset"] == 0
    assert ok["result"] == "success" and ok["mfa_detail"] == "multiFactorAuthentication"
    assert ok["source_offset"] == 3


def test_protocol_id_and_status_text(workspace: Workspace, tmp_path: Path) -> None:
    record = {
        **OCSF_OK,
        "auth_protocol": None,
        "auth_protocol_id": 2,
        "status_id": None,
        "status": "Failure",
        "time": None,
        "time_dt": "2024-09-12T05:00:00Z",
    }
    path = tmp_path / "auth.json"
    path.write_text("[" + lines(record).strip() + "]")
    ingest(workspace, [path])
    (row,) = signin_rows(workspace)
    assert (row["protocol"], row["result"]) == ("Kerberos", "failure")
    assert row["time"].isoformat() == "2024-09-12T05:00:00+00:00"


def test_bad_records_quarantined_and_reingest_adds_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "auth.jsonl"
    path.write_text(lines(OCSF_FAIL) + '{"class_uid": 3002,\n' + lines({**OCSF_OK, "time": "soon"}, OCSF_OK))
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2
    reasons = quarantined(workspace)
    assert [r[0] for r in reasons] == [1, 2] and reasons[1][1] == "missing time"
    again = ingest(workspace, [path])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 2
