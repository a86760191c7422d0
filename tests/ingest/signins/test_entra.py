"""Entra ID sign-ins: Graph JSON (lines, array, {"value": [...]}) and the diagnostic-settings export."""

from __future__ import annotations

import json
from pathlib import Path

from vigil.ingest.run import ingest
from vigil.workspace import Workspace

GRAPH = {
    "id": "66ea54eb-6301-4ee5-be62-ff5a759b0100",
    "createdDateTime": "2024-09-12T02:10:33Z",
    "userDisplayName": "Jane Doe",
    "userPrincipalName": "Jane.Doe@CalderCounty.gov",
    "appDisplayName": "Office 365 Exchange Online",
    "ipAddress": "185.220.101.4",
    "clientAppUsed": "IMAP4",
    "isInteractive": True,
    "status": {"errorCode": 50126, "failureReason": "Invalid username or password."},
    "location": {
        "city": "Frankfurt am Main",
        "countryOrRegion": "DE",
        "geoCoordinates": {"latitude": 50.11, "longitude": 8.68},
    },
    "deviceDetail": {"operatingSystem": "Windows 10", "browser": "Chrome 128.0.0"},
    "userAgent": "Mozilla/5.0",
    "authenticationRequirement": "singleFactorAuthentication",
}
DIAGNOSTIC = {
    "time": "2024-09-12T02:43:00.0000000Z",
    "category": "NonInteractiveUserSignInLogs",
    "resultType": "0",
    "callerIpAddress": "185.220.101.4",
    "tenantId": "t-1",
    "properties": {**GRAPH, "id": "second", "status": {"errorCode": 0}, "clientAppUsed": "Browser"},
}


def _rows(ws: Workspace) -> list[dict[str, object]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM signins ORDER BY time").to_arrow_table().to_pylist()


def test_graph_and_diagnostic_shapes(workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "graph.json").write_text(json.dumps({"@odata.context": "x", "value": [GRAPH]}))
    (tmp_path / "diag.json").write_text(json.dumps([DIAGNOSTIC]))
    summary = ingest(workspace, [tmp_path / "graph.json", tmp_path / "diag.json"])
    assert summary.tables["signins"] == 2 and summary.quarantined == 0
    failed, ok = _rows(workspace)
    assert failed["user"] == "jane.doe@caldercounty.gov" and failed["result"] == "failure"
    assert failed["error_code"] == "50126" and failed["is_legacy_auth"] is True
    assert (failed["country"], failed["latitude"]) == ("DE", 50.11)
    assert ok["result"] == "success" and ok["event_type"] == "sign-in.noninteractive"
    assert ok["src_ip"] == "185.220.101.4" and ok["tenant"] == "t-1" and ok["is_legacy_auth"] is False


def test_result_type_spelt_as_a_word(workspace: Workspace, tmp_path: Path) -> None:
    """Some diagnostic exports write resultType "Success" / "Failure" (or nothing) with no status."""
    no_status = {k: v for k, v in GRAPH.items() if k != "status"}
    records = [
        {**DIAGNOSTIC, "resultType": word, "properties": {**no_status, "id": word or "empty"}}
        for word in ("Success", "Failure", "")
    ]
    (tmp_path / "diag.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert ingest(workspace, [tmp_path / "diag.jsonl"]).tables["signins"] == 3
    with workspace.connect(read_only=True) as con:
        rows = con.execute("SELECT event_id, result, error_code FROM signins ORDER BY event_id").fetchall()
    assert rows == [("Failure", "failure", None), ("Success", "success", "0"), ("empty", None, None)]


def test_bad_lines_are_quarantined_with_their_line_number(workspace: Workspace, tmp_path: Path) -> None:
    lines = [
        json.dumps(GRAPH),
        "{not json",
        json.dumps({**GRAPH, "id": "x", "createdDateTime": None}),
        json.dumps({**GRAPH, "id": "3"}),
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n")
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2 and summary.quarantined == 2
    with workspace.connect(read_only=True) as con:
        quarantined = con.execute("SELECT source_offset, reason FROM quarantine ORDER BY 1").fetchall()
        offsets = [r[0] for r in con.execute("SELECT source_offset FROM signins ORDER BY 1").fetchall()]
    assert quarantined[0][0] == 1 and quarantined[0][1].startswith("invalid JSON")
    assert quarantined[1] == (2, "missing time")
    assert offsets == [0, 3]


def test_other_categories_of_the_diagnostic_export_are_passed_over(
    workspace: Workspace, tmp_path: Path
) -> None:
    audit = {
        "time": "2024-09-12T03:00:00Z",
        "category": "AuditLogs",
        "operationName": "Add member to role",
        "properties": {"initiatedBy": {"user": {"userPrincipalName": "admin@x.gov"}}},
    }
    (tmp_path / "diag.json").write_text(json.dumps([DIAGNOSTIC, audit]))
    summary = ingest(workspace, [tmp_path / "diag.json"])
    assert summary.tables["signins"] == 1 and summary.quarantined == 0
    assert summary.passed_over == {"entra:AuditLogs": 1}


def test_offsets_follow_the_file_on_a_large_parallel_read(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w") as f:
        for i in range(120_000):
            f.write(json.dumps({**GRAPH, "id": str(i)}) + "\n")
            if i % 50_000 == 0:
                f.write("\n")  # blank lines are not records
    assert ingest(workspace, [path]).tables["signins"] == 120_000
    with workspace.connect(read_only=True) as con:
        wrong = con.execute(
            "SELECT count(*) FROM signins WHERE CAST(event_id AS BIGINT) <> source_offset"
        ).fetchall()
    assert wrong == [(0,)]


def test_network_flags_from_risk_detections_and_named_locations(workspace: Workspace, tmp_path: Path) -> None:
    anonymous = {
        **GRAPH,
        "id": "anon",
        "riskEventTypes": ["unfamiliarFeatures"],
        "riskEventTypes_v2": ["unfamiliarFeatures", "anonymizedIPAddress"],
    }
    office = {
        **GRAPH,
        "id": "office",
        "networkLocationDetails": [{"networkType": "trustedNamedLocation", "networkNames": ["Courthouse"]}],
    }
    diagnostic = {
        **DIAGNOSTIC,
        "properties": {**DIAGNOSTIC["properties"], "riskEventTypes": ["maliciousIPAddress"]},
    }
    (tmp_path / "graph.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (GRAPH, anonymous, office)))
    (tmp_path / "diag.json").write_text(json.dumps([diagnostic]))
    assert ingest(workspace, [tmp_path / "graph.jsonl", tmp_path / "diag.json"]).tables["signins"] == 4
    flags = {r["event_id"]: r["network_flags"] for r in _rows(workspace)}
    assert flags == {
        GRAPH["id"]: None,
        "anon": ["anonymizer"],
        "office": ["trusted-location"],
        "second": ["malicious-ip"],
    }
