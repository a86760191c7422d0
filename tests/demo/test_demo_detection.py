"""The identity detectors on the demo: every planted sign-in attack is found, the hard negatives are not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vigil.demo import DemoManifest, generate
from vigil.detect.api import registry
from vigil.detect.runner import run
from vigil.ingest.run import ingest
from vigil.workspace import CONFIG_FILE, Workspace

# What each kind of planted attack must be found by.
EXPECTED = {
    "password-spray": "signin.password_spray",
    "password-spray-slow": "signin.slow_spray",
    "password-spray-distributed": "signin.distributed_spray",
    "account-compromise": "signin.compromise_after_attack",
    "targeted-login-attempts": "signin.protected_account_attempt",
    "impossible-travel": "signin.impossible_travel",
    "mfa-fatigue": "signin.mfa_fatigue",
    "legacy-auth-compromise": "signin.legacy_protocol",
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoManifest, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("demo-detect")
    demo = generate(root / "data", seed=2024, scale=1.0)
    ws = Workspace.init(root / "ws")
    (ws.path / CONFIG_FILE).write_text(
        (Path(demo.out_dir) / demo.protected_toml).read_text(), encoding="utf-8"
    )
    ws.reload()
    ingest(ws, demo.input_paths())
    ids = [d for d in registry() if d.startswith("signin.")]
    summary = run(ws, detector_ids=ids)
    assert not summary.failed, summary.failed
    with ws.connect(read_only=True) as con:
        rows = con.sql("SELECT detector, severity, entities FROM findings").to_arrow_table().to_pylist()
    return demo, rows


def _values(finding: dict[str, Any]) -> set[str]:
    return {e["value"] for e in finding["entities"]}


def test_every_planted_signin_attack_is_found(findings: tuple[DemoManifest, list[dict[str, Any]]]) -> None:
    demo, rows = findings
    planted = [a for a in demo.attacks if a.kind in EXPECTED]
    assert len(planted) == len(EXPECTED)
    for attack in planted:
        wanted = {v.lower() for vs in attack.entities.values() for v in vs}
        hits = [f for f in rows if f["detector"] == EXPECTED[attack.kind] and _values(f) & wanted]
        assert hits, f"{attack.id} ({attack.kind}) not found by {EXPECTED[attack.kind]}"


def test_hard_negatives_raise_nothing_above_low(findings: tuple[DemoManifest, list[dict[str, Any]]]) -> None:
    demo, rows = findings
    truth = json.loads((Path(demo.out_dir) / demo.truth_json).read_text())
    for negative in truth["negatives"]:
        if not negative["id"].startswith("neg.signin."):
            continue
        # Its accounts may be attacked elsewhere (a VPN user can be sprayed too), but never fall, and
        # its addresses are never called hostile.
        accounts = {v.lower() for v in negative["entities"].get("user-account", [])}
        addresses = set(negative["entities"].get("ipv4-addr", []))
        flagged = [
            f
            for f in rows
            if f["severity"] not in ("info", "low")
            and any(
                (e["value"] in accounts and e["role"] == "victim") or e["value"] in addresses
                for e in f["entities"]
            )
        ]
        assert not flagged, f"{negative['id']}: {flagged}"


def test_each_spray_is_one_finding(findings: tuple[DemoManifest, list[dict[str, Any]]]) -> None:
    _, rows = findings
    sprays = [f for f in rows if f["detector"].endswith("spray")]
    assert len(sprays) == 3  # loud, slow and distributed: one finding each
