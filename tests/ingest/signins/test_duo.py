"""Duo authentication log: second-factor events, v2 and v1 shapes, API pages, other events skipped."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from signin_samples import (
    DUO_APPROVED,
    DUO_ENROLLMENT,
    DUO_FRAUD,
    DUO_V1_DENIED,
    lines,
    quarantined,
    signin_rows,
)

from vigil.ingest.run import ingest
from vigil.workspace import Workspace


def test_json_lines(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "duo.jsonl"
    path.write_text(lines(DUO_APPROVED, DUO_FRAUD, DUO_ENROLLMENT, DUO_V1_DENIED))
    summary = ingest(workspace, [path])
    assert summary.files == {"duo": 1} and summary.tables["signins"] == 3 and summary.quarantined == 0
    assert summary.passed_over == {"duo:enrollment": 1}
    fraud, v1, approved = signin_rows(workspace)
    assert approved["format"] == "duo" and approved["event_type"] == "mfa"
    assert approved["time"] == datetime(2024, 9, 23, 13, 28, 0, 351346, tzinfo=UTC)
    assert approved["user"] == "linda.weaver@caldercounty.gov" and approved["result"] == "success"
    assert (approved["error_code"], approved["failure_reason"]) == ("user_approved", None)
    # where the sign-in came from is the access device, not the phone that approved it
    assert (approved["src_ip"], approved["country"], approved["city"]) == (
        "71.178.214.20",
        "United States",
        "Harrisburg",
    )
    assert (approved["mfa_detail"], approved["application"], approved["client_app"]) == (
        "duo_push",
        "Microsoft 365",
        "Chrome",
    )
    assert approved["device"] == "Windows / Chrome" and approved["event_id"] == DUO_APPROVED["txid"]
    # the user reported the push: a failure, its time from the epoch, "-" is no place: the country is
    # the one the address is registered in
    assert fraud["time"] == datetime(2024, 9, 23, 7, 14, tzinfo=UTC) and fraud["result"] == "failure"
    assert (fraud["error_code"], fraud["failure_reason"]) == ("user_marked_fraud", "user marked fraud")
    assert (fraud["src_ip"], fraud["country"], fraud["city"]) == ("185.156.46.112", "GB", None)
    # v1: flat fields, words for the reason
    assert (v1["user"], v1["result"], v1["error_code"]) == (
        "linda.weaver@caldercounty.gov",
        "failure",
        "no_response",
    )
    assert (v1["src_ip"], v1["country"], v1["application"]) == ("185.156.46.112", "Moldova", "Microsoft 365")
    assert v1["mfa_detail"] == "duo_push"  # v1's "Duo Push"


def test_api_page_and_bad_records(workspace: Workspace, tmp_path: Path) -> None:
    no_time = {**DUO_APPROVED, "isotimestamp": None, "timestamp": None, "txid": "t2"}
    page = {
        "stat": "OK",
        "response": {
            "authlogs": [DUO_APPROVED, no_time, DUO_ENROLLMENT, DUO_FRAUD],
            "metadata": {"next_offset": ["1727098080000", "340a23e3"], "total_objects": 4},
        },
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page, indent=2))
    summary = ingest(workspace, [path])
    assert summary.files == {"duo": 1} and summary.tables["signins"] == 2
    assert summary.passed_over == {"duo:enrollment": 1}
    assert quarantined(workspace) == [(1, "missing time")]  # offsets index the page's records
    assert [r["source_offset"] for r in signin_rows(workspace)] == [3, 0]
    assert ingest(workspace, [path]).skipped_duplicates == 2

    broken = tmp_path / "broken.json"
    broken.write_text('{"stat": "OK", "response": {"authlogs": 3}}')
    assert ingest(workspace, [broken], "duo").quarantined == 1


def test_edge_cases(workspace: Workspace, tmp_path: Path) -> None:
    """A page with a byte-order mark and another first key; Duo's "error"; a record with no address."""
    error = {**DUO_APPROVED, "txid": "e", "result": "error", "reason": "error"}
    no_ip = {**DUO_FRAUD, "txid": "n", "access_device": {"location": {"country": "-"}}}
    page = {"code": 0, "stat": "OK", "response": {"authlogs": [DUO_FRAUD, error, no_ip]}}
    path = tmp_path / "page.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(page, indent=2).encode())
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 3 and summary.quarantined == 0
    rows = {r["event_id"]: r for r in signin_rows(workspace)}
    assert (rows["e"]["result"], rows["e"]["failure_reason"], rows["e"]["error_code"]) == (
        None,
        None,
        "error",
    )
    assert (rows["n"]["src_ip"], rows["n"]["country"]) == (None, None)
    assert rows[DUO_FRAUD["txid"]]["country"] == "GB"
