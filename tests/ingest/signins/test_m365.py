"""Microsoft 365 unified audit log: logon records as sign-ins, from API JSON or a Purview CSV export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from signin_samples import (
    M365_FAILED,
    M365_INBOX_RULE,
    M365_MFA_REQUIRED,
    M365_OK,
    lines,
    purview_csv,
    quarantined,
    signin_rows,
)

from vigil.ingest.run import ingest
from vigil.workspace import Workspace


def test_api_records(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "audit.json"
    path.write_text(json.dumps([M365_FAILED, M365_MFA_REQUIRED, M365_INBOX_RULE, M365_OK]))
    summary = ingest(workspace, [path])
    assert summary.files == {"m365-audit": 1} and summary.tables["signins"] == 3 and summary.quarantined == 0
    assert summary.passed_over == {"m365:Exchange:New-InboxRule": 1}
    failed, mfa, ok = signin_rows(workspace)
    assert failed["format"] == "m365-audit" and failed["event_type"] == "UserLoginFailed"
    assert failed["time"] == datetime(2024, 9, 12, 2, 10, 33, tzinfo=UTC)  # naive times are UTC
    assert (failed["user"], failed["result"], failed["src_ip"]) == (
        "jane.doe@caldercounty.gov",
        "failure",
        "185.220.101.4",  # the port is dropped
    )
    # a LogonError name becomes Entra's code, so the detectors read it as Entra's own log
    assert (failed["error_code"], failed["failure_reason"]) == ("50126", "InvalidUserNameOrPassword")
    assert failed["user_agent"] == "python-requests/2.31.0" and failed["tenant"] == "11-aa-22-bb"
    assert (failed["country"], failed["city"]) == ("DE", None)  # the registry's, not a geolocation
    assert failed["application"] == "1b730954-1685-4b74-9bfd-dac224a7b894"
    assert mfa["error_code"] == "50074"  # ErrorNumber when the record has it
    assert (ok["result"], ok["error_code"], ok["src_ip"]) == ("success", "0", "2001:db8::7")
    assert ok["device"] == "Windows10 / Edge" and ok["failure_reason"] is None
    assert ok["country"] is None  # a documentation address is registered nowhere


def test_lowercased_keys(workspace: Workspace, tmp_path: Path) -> None:
    """Some data lakes lower-case the keys; those files are read the same."""
    path = tmp_path / "lake.jsonl"
    path.write_text(lines(*({k.lower(): v for k, v in r.items()} for r in (M365_FAILED, M365_INBOX_RULE))))
    summary = ingest(workspace, [path])
    assert summary.files == {"m365-audit": 1} and summary.tables["signins"] == 1
    assert summary.passed_over == {"m365:Exchange:New-InboxRule": 1}
    (row,) = signin_rows(workspace)
    assert (row["user"], row["result"], row["error_code"]) == (
        "jane.doe@caldercounty.gov",
        "failure",
        "50126",
    )
    assert row["user_agent"] == "python-requests/2.31.0"  # the nested names kept their capitals here

    lake = tmp_path / "lake2.jsonl"
    nested = {**M365_FAILED, "Id": "lake-2", "ExtendedProperties": [{"name": "UserAgent", "value": "curl/8"}]}
    lake.write_text(lines({k.lower(): v for k, v in nested.items()}))
    ingest(workspace, [lake])
    assert {r["user_agent"] for r in signin_rows(workspace)} == {"python-requests/2.31.0", "curl/8"}


def test_purview_export(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "audit.csv"
    text = purview_csv(M365_FAILED, M365_INBOX_RULE, M365_OK)
    header, *rows = text.splitlines(keepends=True)
    no_ip = {**M365_FAILED, "Id": "no-ip", "ClientIP": ""}
    bad = 'x,2024-09-12,15,UserLoggedIn,a@b.c,"{not json"\n'
    path.write_bytes(
        (header + rows[0] + bad + "".join(rows[1:])).encode()
        + b'y,2024-09-12,15,UserLoggedIn,a@b.c,"{\xe9"\n'  # not UTF-8: that row alone is lost
        + purview_csv(no_ip).splitlines(keepends=True)[1].encode()
    )
    summary = ingest(workspace, [path])
    assert summary.files == {"m365-audit": 1} and summary.tables["signins"] == 3
    assert summary.passed_over == {"m365:Exchange:New-InboxRule": 1}
    assert [(offset, reason[:20]) for offset, reason in quarantined(workspace)] == [
        (1, "AuditData is not JSO"),
        (4, "AuditData is not JSO"),
    ]
    assert [(r["source_offset"], r["result"], r["src_ip"]) for r in signin_rows(workspace)] == [
        (0, "failure", "185.220.101.4"),
        (5, "failure", None),  # no address, so no country: read all the same
        (3, "success", "2001:db8::7"),
    ]
    assert ingest(workspace, [path]).skipped_duplicates == 3
    # the same events from the API are the same records: an overlapping export adds nothing
    api = tmp_path / "audit.jsonl"
    api.write_text(lines(M365_FAILED, M365_OK))
    assert ingest(workspace, [api]).skipped_duplicates == 2


def test_a_spray_in_the_audit_log_is_found(workspace: Workspace, tmp_path: Path) -> None:
    """The rows read as Entra's own: a spray on twelve accounts, then the one that fell."""
    from vigil.detect.runner import run

    tries = [
        {
            **M365_FAILED,
            "Id": f"t{i}",
            "UserId": f"user{i}@caldercounty.gov",
            "CreationTime": f"2024-09-12T02:{i:02d}:10",
        }
        for i in range(12)
    ]
    # from another network, twelve sign-ins with the right password that then needed MFA: no guesses
    # (LogonError's name read as Entra's 50074, which is not a failed guess)
    mfa = [
        {
            **M365_FAILED,
            "Id": f"m{i}",
            "UserId": f"user{i}@caldercounty.gov",
            "ClientIP": "73.185.168.231",
            "LogonError": "UserStrongAuthClientAuthNRequiredInterrupt",
            "CreationTime": f"2024-09-12T09:{i:02d}:10",
        }
        for i in range(12)
    ]
    fell = {**M365_OK, "Id": "ok", "UserId": "user3@caldercounty.gov", "ClientIP": "185.220.101.4:50000"}
    path = tmp_path / "audit.csv"
    path.write_text(purview_csv(*tries, *mfa, fell))
    ingest(workspace, [path])
    summary = run(workspace, detector_ids=["signin.password_spray", "signin.compromise_after_attack"])
    assert {r.detector: r.findings for r in summary.runs} == {
        "signin.password_spray": 1,
        "signin.compromise_after_attack": 1,
    }
