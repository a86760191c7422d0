"""`vigil rules add|list|show|remove` as a user drives them; the rules in `detectors list` and `detect`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli import app
from vigil.errors import VigilError

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "sigma"

SIGNINS = "\n".join(
    json.dumps(e)
    for e in [
        {
            "id": "1",
            "createdDateTime": "2024-09-23T07:12:40Z",
            "userPrincipalName": "linda@caldercounty.gov",
            "appDisplayName": "Office 365 Exchange Online",
            "clientAppUsed": "IMAP4",
            "ipAddress": "176.123.4.5",
            "status": {"errorCode": 0},
        },
        {
            "id": "2",
            "createdDateTime": "2024-09-23T08:00:00Z",
            "userPrincipalName": "linda@caldercounty.gov",
            "appDisplayName": "OfficeHome",
            "clientAppUsed": "Browser",
            "ipAddress": "50.203.98.10",
            "status": {"errorCode": 0},
        },
    ]
)
FOREIGN = """title: Suspicious cmd
logsource: {category: process_creation, product: windows}
detection: {sel: {Image|endswith: '\\\\cmd.exe'}, condition: sel}
"""


def vigil(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split()) if "--format" not in args else result.output


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VIGIL_WORKSPACE", raising=False)
    vigil("init")
    return tmp_path


def test_add_list_show_detect_remove(ws: Path) -> None:
    out = json.loads(vigil("rules", "add", str(EXAMPLES), "--format", "json"))
    assert out["counts"] == {"added": 9, "updated": 0, "unchanged": 0, "refused": 0}
    assert "9 unchanged" in vigil("rules", "add", str(EXAMPLES))

    listed = json.loads(vigil("rules", "list", "--format", "json"))
    legacy = next(r for r in listed if r["title"] == "Successful Sign-in With Legacy Authentication")
    assert legacy["detector"] == "sigma.successful_sign_in_with_legacy_authentication"
    assert (legacy["source"], legacy["severity"], legacy["techniques"]) == ("entra", "medium", ["T1078.004"])
    assert "9 rule(s)" in vigil("rules", "list")

    shown = vigil("rules", "show", legacy["detector"])
    assert "SELECT * FROM `sigma_signins`" in shown and "imap4" in shown.lower()
    detectors = json.loads(vigil("detectors", "list", "--format", "json"))
    assert legacy["detector"] in [d["id"] for d in detectors]
    assert (
        json.loads(vigil("detectors", "show", legacy["detector"], "--format", "json"))["title"]
        == legacy["title"]
    )

    (ws / "signins.jsonl").write_text(SIGNINS)
    vigil("ingest", "signins.jsonl")
    assert "sigma.successful_sign_in_with_legacy_authentication" in vigil("detect", "-d", legacy["detector"])
    findings = json.loads(vigil("findings", "--format", "json", "--detector", legacy["detector"]))
    assert len(findings) == 1 and "linda@caldercounty.gov" in findings[0]["summary"]

    assert "removed sigma.successful_sign_in_with_legacy_authentication" in vigil(
        "rules", "remove", legacy["detector"]
    )
    assert "8 rule(s)" in vigil("rules", "list")
    missing = runner.invoke(app, ["rules", "remove", legacy["detector"]])
    assert isinstance(missing.exception, VigilError) and "no Sigma rule" in str(missing.exception)


def test_a_refused_rule_is_reported_with_its_reason_and_exit_code(ws: Path) -> None:
    (ws / "cmd.yml").write_text(FOREIGN)
    out = vigil("rules", "add", "cmd.yml", str(EXAMPLES / "okta_mfa_push_denied.yml"), code=1)
    assert "refused" in out and "1 added" in out and "1 refused" in out
    data = json.loads(vigil("rules", "add", "cmd.yml", "--format", "json", code=1))
    assert "log source" in data["results"][0]["reason"]
