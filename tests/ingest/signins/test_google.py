"""Google Workspace login audit (Reports API): pages, arrays, JSON lines, flattened events."""

from __future__ import annotations

import json
from pathlib import Path

from signin_samples import (
    GOOGLE_DRIVE,
    GOOGLE_FAILURE,
    GOOGLE_LOGOUT,
    GOOGLE_SUCCESS,
    GOOGLE_WARNING,
    lines,
    quarantined,
    signin_rows,
)

from vigil.ingest.run import ingest
from vigil.workspace import Workspace


def test_api_page(workspace: Workspace, tmp_path: Path) -> None:
    page = {
        "kind": "admin#reports#activities",
        "etag": "x",
        "nextPageToken": "t",
        "items": [GOOGLE_FAILURE, GOOGLE_SUCCESS, GOOGLE_WARNING, GOOGLE_LOGOUT, GOOGLE_DRIVE],
    }
    path = tmp_path / "login.json"
    path.write_text(json.dumps(page, indent=2))
    summary = ingest(workspace, [path])
    assert summary.files["google"] == 1 and summary.tables["signins"] == 3 and summary.quarantined == 0
    assert summary.passed_over == {"google:login:logout": 1, "google:drive": 1}
    failed, ok, warning = signin_rows(workspace)
    assert (failed["result"], failed["event_type"], failed["source_offset"]) == (
        "failure",
        "login_failure",
        0,
    )
    assert failed["user"] == "jane.doe@caldercounty.org" and failed["src_ip"] == "185.220.101.4"
    assert failed["failure_reason"] == failed["error_code"] == "login_failure_invalid_password"
    assert (failed["country"], failed["asn"], failed["tenant"]) == ("DE", 205100, "C03az79cb")
    assert failed["protocol"] == "google_password" and failed["mfa_detail"] == "password"
    assert failed["event_id"] == "-1234567890"
    assert ok["result"] == "success" and ok["mfa_detail"] == "password,google_authenticator"
    assert ok["error_code"] is None
    # Google's warning of a state-sponsored attack names the account in a parameter, not as the actor.
    assert warning["event_type"] == "gov_attack_warning" and warning["result"] is None
    assert warning["user"] == "jane.doe@caldercounty.org"


def test_lines_of_pages_activities_and_flattened_events(workspace: Workspace, tmp_path: Path) -> None:
    challenge = {
        **GOOGLE_FAILURE,
        "id": {**GOOGLE_FAILURE["id"], "uniqueQualifier": "c"},
        "events": [
            {
                "type": "login",
                "name": "login_challenge",
                "parameters": [{"name": "login_challenge_status", "value": "Challenge Failed"}],
            }
        ],
    }
    flattened = {
        "id": {"applicationName": "saml", "time": "2024-09-12 04:00:00.000000000"},
        "actor": {"email": "Bob@caldercounty.org"},
        "ipAddress": "10.0.0.1",
        "type": "login",
        "name": "login_failure",
        "parameters": {
            "application_name": "Election Portal",
            "failure_type": "failure_app_not_configured_for_user",
        },
    }
    path = tmp_path / "login.jsonl"
    path.write_text(
        lines({"kind": "admin#reports#activities", "items": [GOOGLE_SUCCESS]}, challenge, flattened)
    )
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 3 and summary.quarantined == 0
    failed_challenge, ok, saml = signin_rows(workspace)
    assert ok["source_offset"] == 0 and ok["result"] == "success" and failed_challenge["source_offset"] == 1
    assert (
        failed_challenge["result"] == "failure" and failed_challenge["failure_reason"] == "Challenge Failed"
    )
    assert saml["application"] == "Election Portal" and saml["user"] == "bob@caldercounty.org"
    assert saml["result"] == "failure" and saml["error_code"] == "failure_app_not_configured_for_user"


def test_bad_records_quarantined_and_reingest_adds_nothing(workspace: Workspace, tmp_path: Path) -> None:
    no_time = {**GOOGLE_FAILURE, "id": {"applicationName": "login", "uniqueQualifier": "1"}}
    no_events = {
        "id": {"applicationName": "login", "time": "2024-09-12T02:10:33Z"},
        "actor": {"email": "a@b.c"},
    }
    path = tmp_path / "login.jsonl"
    path.write_text(lines(GOOGLE_FAILURE) + "{oops\n" + lines(no_time, no_events, GOOGLE_SUCCESS))
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2 and summary.quarantined == 3
    assert [(o, r.split(":")[0]) for o, r in quarantined(workspace)] == [
        (1, "invalid JSON"),
        (2, "missing time"),
        (3, "activity without events"),
    ]
    assert [r["source_offset"] for r in signin_rows(workspace)] == [0, 4]
    again = ingest(workspace, [path])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 2


def test_empty_page(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"kind": "admin#reports#activities", "etag": "x"}, indent=2))
    summary = ingest(workspace, [path], fmt="google")
    assert summary.tables["signins"] == 0 and summary.quarantined == 0
