"""The command line as a user drives it: init, ingest, detect, findings, report, export, protect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli import app

runner = CliRunner()

SIGNIN = (
    '{"id":"1","createdDateTime":"2024-09-12T02:10:33Z","userPrincipalName":"jane@harperforamerica.org",'
    '"appDisplayName":"Office","ipAddress":"185.220.101.4","status":{"errorCode":50126}}\n'
)
STIX = {
    "type": "bundle",
    "id": "bundle--6a1d3c5e-8f0b-4e2a-9c7d-1b2e3f4a5b6c",
    "objects": [
        {
            "type": "indicator",
            "spec_version": "2.1",
            "id": "indicator--1b2e3f4a-5b6c-4e2a-9c7d-6a1d3c5e8f0b",
            "created": "2024-08-01T00:00:00.000Z",
            "modified": "2024-08-01T00:00:00.000Z",
            "name": "spray source",
            "pattern": "[ipv4-addr:value = '185.220.101.4']",
            "pattern_type": "stix",
            "valid_from": "2024-08-01T00:00:00Z",
        }
    ],
}


def vigil(*args: str, ok: bool = True) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VIGIL_WORKSPACE", raising=False)
    (tmp_path / "signins.jsonl").write_text(SIGNIN)
    (tmp_path / "intel.json").write_text(json.dumps(STIX))
    vigil("init")
    return tmp_path


def test_the_whole_flow(loaded: Path) -> None:
    summary = json.loads(vigil("ingest", "signins.jsonl", "intel.json", "--json"))
    assert summary["tables"] == {"signins": 1, "indicators": 1}
    assert summary["quarantined"] == 0 and summary["skipped_duplicates"] == 0
    assert json.loads(vigil("ingest", "signins.jsonl", "--json"))["skipped_duplicates"] == 1

    assert "1 finding(s)" in vigil("detect")
    rows = json.loads(vigil("findings", "--format", "json"))
    assert [r["detector"] for r in rows] == ["intel.known_indicator"]
    assert "185.220.101.4" in rows[0]["summary"]
    assert vigil("findings", "--format", "csv").startswith("finding_id,")
    assert json.loads(vigil("findings", "--format", "json", "--severity", "critical")) == []

    vigil("report", "-o", "report.html")
    assert "185.220.101.4" in (loaded / "report.html").read_text()
    vigil("export", "stix", "-o", "bundle.json")
    assert json.loads((loaded / "bundle.json").read_text())["type"] == "bundle"


def test_triage_records_a_verdict_that_the_outputs_follow(loaded: Path) -> None:
    vigil("ingest", "signins.jsonl", "intel.json")
    vigil("detect")
    short = json.loads(vigil("findings", "--format", "json"))[0]["finding_id"][9:17]
    assert short in vigil("findings")  # the table shows the id to name it by
    changed = vigil("triage", "false-positive", short, "--note", "our own scanner", "--analyst", "sam")
    assert "new  false-positive" in changed and "1 finding(s) changed" in changed
    assert "already false-positive" in vigil("triage", "false-positive", short)
    noted = vigil("triage", "false-positive", short, "--note", "our own scanner, confirmed")
    assert "0 finding(s) changed; a note added to 1 already false-positive" in noted
    (row,) = json.loads(vigil("findings", "--format", "json", "--status", "false-positive"))
    assert (row["status"], row["status_note"]) == ("false-positive", "our own scanner, confirmed")
    assert "1 finding(s)" in vigil("detect")  # a re-run keeps the verdict
    assert json.loads(vigil("findings", "--format", "json", "--status", "new")) == []
    vigil("report", "-o", "report.html")
    assert "our own scanner, confirmed" in (loaded / "report.html").read_text()
    vigil("export", "stix", "-o", "bundle.json")  # a false positive is not shared
    assert "185.220.101.4" not in (loaded / "bundle.json").read_text()
    result = runner.invoke(app, ["triage", "escalated", "zz"])
    assert result.exit_code != 0 and "too short" in str(result.exception)


def test_workspace_option_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    vigil("--workspace", "elsewhere", "init")
    assert (tmp_path / "elsewhere" / "vigil.duckdb").exists()
    monkeypatch.setenv("VIGIL_WORKSPACE", str(tmp_path / "fromenv"))
    vigil("init")
    assert (tmp_path / "fromenv" / "vigil.duckdb").exists()


def test_errors_are_one_line_and_exit_non_zero(loaded: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "vigil", "ingest", "missing.json"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no such file or folder: missing.json"


def test_detectors_and_protect(loaded: Path) -> None:
    listed = json.loads(vigil("detectors", "list", "--format", "json"))
    assert "intel.known_indicator" in [d["id"] for d in listed]
    shown = json.loads(vigil("detectors", "show", "intel.known_indicator", "--format", "json"))
    assert shown["inputs"] == ["observables", "indicators"] and shown["cases"]
    assert "ok" in vigil("detectors", "test", "intel.known_indicator")

    (loaded / "people.csv").write_text(
        "type,name,role,emails,priority\nperson,Jane Harper,candidate,jane@harperforamerica.org,critical\n"
    )
    assert "added 1" in vigil("protect", "import", "people.csv")
    assert "added 0" in vigil("protect", "import", "people.csv")
    assert "jane@harperforamerica.org" in vigil("protect", "list")
    assert "entra" in vigil("formats")


def test_demo_end_to_end(tmp_path: Path) -> None:
    out = vigil("demo", "--out", str(tmp_path / "demo"))
    assert "0 quarantined" in out
    assert (tmp_path / "demo" / "report.html").stat().st_size > 10_000
    bundle = json.loads((tmp_path / "demo" / "bundle.json").read_text())
    assert any(o["type"] == "indicator" for o in bundle["objects"])
    rows = json.loads(vigil("--workspace", str(tmp_path / "demo" / ".vigil"), "findings", "--format", "json"))
    found = {r["summary"].split(" is a known")[0] for r in rows}
    # the actor's redirect domain of the spear-phish, planted in the demo's intel, is found in the mail
    assert any("secure-docreview.online" in s for s in found)
