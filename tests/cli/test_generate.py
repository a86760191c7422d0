"""`vigil generate signins` as a user runs it: files, truth, protected assets, and the flow after it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli import app
from vigil.errors import VigilError

runner = CliRunner()


def vigil(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_generate_then_ingest_and_protect(tmp_path: Path) -> None:
    out = tmp_path / "okta"
    text = vigil(
        "generate", "signins", "--out", str(out), "--format", "okta", "--users", "800", "--days", "7"
    )
    truth = json.loads((out / "truth.json").read_text())
    assert truth["format"] == "okta" and truth["users"] == 800 and truth["days"] == 7
    assert f"wrote {truth['events']:,} okta sign-in events of 800 users" in " ".join(text.split())
    assert "signin.password_spray" in text and "signin.protected_account_attempt" in text
    assert sorted(p.name for p in (out / "signins").iterdir())[0] == "okta-2024-09-01.jsonl"

    ws = tmp_path / "ws"
    summary = json.loads(vigil("--workspace", str(ws), "ingest", str(out / "signins"), "--json"))
    assert summary["quarantined"] == 0 and summary["files"] == {"okta": 7}
    assert "added 6 protected asset(s)" in vigil(
        "--workspace", str(ws), "protect", "import", str(out / "protected.json")
    )
    assert "6 asset(s), 13 identifier(s)" in vigil("--workspace", str(ws), "protect", "list")


def test_options(tmp_path: Path) -> None:
    vigil(
        "generate",
        "signins",
        "-o",
        str(tmp_path),
        "--users",
        "800",
        "--days",
        "8",
        "--seed",
        "9",
        "--start",
        "2024-10-01",
    )
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert truth["seed"] == 9 and truth["start"] == "2024-10-01"
    assert sorted(p.name for p in (tmp_path / "signins").iterdir())[-1] == "entra-2024-10-08.jsonl"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--users", "10"], "users must be between"),
        (["--start", "yesterday"], "is not a date"),
        (["--users", "900", "--events", "100000"], "not both"),
    ],
)
def test_mistakes_are_explained(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(VigilError, match=message):
        runner.invoke(app, ["generate", "signins", "--out", str(tmp_path), *args], catch_exceptions=False)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "signins", "--out", str(tmp_path), "--format", "google"])
    assert result.exit_code == 2
