"""Entra ID sign-ins from Log Analytics / Sentinel: PascalCase, dynamic columns as objects or strings."""

from __future__ import annotations

import json
from pathlib import Path

from signin_samples import ENTRA_LA_FAIL, ENTRA_LA_OK, lines, quarantined, signin_rows

from vigil.ingest.run import ingest
from vigil.workspace import Workspace


def test_objects_and_json_strings(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "la.json"
    path.write_text(json.dumps([ENTRA_LA_FAIL, ENTRA_LA_OK], indent=2))
    summary = ingest(workspace, [path])
    assert summary.files["entra-la"] == 1
    assert summary.tables["signins"] == 2 and summary.quarantined == 0
    failed, ok = signin_rows(workspace)
    assert failed["format"] == "entra" and failed["event_id"] == "la-1" and failed["event_type"] == "sign-in"
    assert failed["user"] == "jane.doe@caldercounty.gov" and failed["user_display"] == "Jane Doe"
    assert (failed["result"], failed["error_code"]) == ("failure", "50126")
    assert failed["failure_reason"] == "Invalid username or password."
    assert (failed["country"], failed["city"], failed["latitude"], failed["longitude"]) == (
        "DE",
        "Frankfurt am Main",
        50.11,
        8.68,
    )
    assert failed["asn"] == 205100 and failed["is_legacy_auth"] is True and failed["client_app"] == "IMAP4"
    assert failed["tenant"] == "aad-tenant-1"  # not TenantId, which is the Log Analytics workspace
    assert failed["mfa_detail"] == "singleFactorAuthentication"
    # The second record's dynamic columns are JSON strings.
    assert ok["result"] == "success" and ok["event_type"] == "sign-in.noninteractive"
    assert (ok["city"], ok["country"], ok["latitude"]) == ("Springfield", "US", 39.8)
    assert ok["mfa_detail"] == "Mobile app notification" and ok["device"] == "LAPTOP-1 / Windows 10"
    assert ok["is_legacy_auth"] is False and ok["failure_reason"] is None


def test_interrupt_codes(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "la.jsonl"
    path.write_text(lines({**ENTRA_LA_FAIL, "ResultType": "50074", "Status": {"errorCode": 50074}}))
    ingest(workspace, [path])
    assert [r["result"] for r in signin_rows(workspace)] == ["interrupted"]


def test_bad_records_quarantined_with_offset_and_reingest_adds_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "la.jsonl"
    path.write_text(
        lines(ENTRA_LA_FAIL) + "{not json\n" + lines({**ENTRA_LA_OK, "TimeGenerated": None}, ENTRA_LA_OK)
    )
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2 and summary.quarantined == 2
    reasons = quarantined(workspace)
    assert reasons[0][0] == 1 and reasons[0][1].startswith("invalid JSON")
    assert reasons[1] == (2, "missing time")
    assert [r["source_offset"] for r in signin_rows(workspace)] == [0, 3]
    again = ingest(workspace, [path])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 2


def test_network_flags_from_risks_and_named_locations_as_arrays_or_strings(
    workspace: Workspace, tmp_path: Path
) -> None:
    anonymous = {
        **ENTRA_LA_FAIL,
        "Id": "anon",
        "RiskEventTypes": '["unfamiliarFeatures"]',
        "RiskEventTypes_V2": ["unfamiliarFeatures", "anonymizedIPAddress"],
    }
    office = {
        **ENTRA_LA_OK,
        "Id": "office",
        "NetworkLocationDetails": '[{"networkType":"trustedNamedLocation","networkNames":["Courthouse"]}]',
    }
    plain = {**ENTRA_LA_OK, "Id": "plain", "RiskEventTypes_V2": "[]", "NetworkLocationDetails": "[]"}
    path = tmp_path / "la.jsonl"
    path.write_text(lines(anonymous, office, plain))
    assert ingest(workspace, [path]).quarantined == 0
    flags = {r["event_id"]: r["network_flags"] for r in signin_rows(workspace)}
    assert flags == {"anon": ["anonymizer"], "office": ["trusted-location"], "plain": None}
