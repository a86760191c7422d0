"""The shipped rules on Panther's labelled events in the vendors' real schemas (../shared/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigil.detect.runner import run
from vigil.ingest.run import ingest
from vigil.rules.store import add_rules
from vigil.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
PANTHER = ROOT.parent / "shared" / "data" / "panther_identity_tests" / "rule_tests.jsonl"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not PANTHER.exists(), reason="needs ../shared/data/panther_identity_tests"),
]

#: Panther test events (rule, test name) and the vigil rule that must, or must not, flag them.
EVENTS = {
    (
        "Azure.Audit.LegacyAuth",
        "Sign-In with legacy auth",
    ): "sigma.successful_sign_in_with_legacy_authentication",
    ("Azure.Audit.ExcessiveAccountLockouts", "Account Lockout Error 50053"): (
        "sigma.entra_id_account_locked_after_repeated_failed"
    ),
    ("Azure.Audit.ExcessiveAccountLockouts", "Different Error Code"): None,
    ("Okta.User.Account.Locked", "Account Lock Event"): "sigma.okta_user_account_locked_out",
    ("Okta.Login.Success", "Successful Login"): None,
}


def test_shipped_rules_on_real_schema_events(workspace: Workspace, tmp_path: Path) -> None:
    files: dict[str, list[str]] = {"entra": [], "okta": []}
    wanted: dict[str, str | None] = {}
    for line in PANTHER.read_text(encoding="utf-8").splitlines():
        test = json.loads(line)
        key = (test["rule_id"], test["test_name"])
        if key in EVENTS:
            fmt = "okta" if test["rule_id"].startswith("Okta") else "entra"
            files[fmt].append(json.dumps(test["log"]))
            user = (
                test["log"].get("actor", {}).get("alternateId")
                or test["log"]["properties"]["userPrincipalName"]
            )
            wanted[user.lower()] = EVENTS[key]
    assert len(wanted) == len(EVENTS)
    for fmt, lines in files.items():
        path = tmp_path / f"{fmt}.jsonl"
        path.write_text("\n".join(lines) + "\n")
        ingest(workspace, [path], fmt)
    assert all(r.status == "added" for r in add_rules(workspace.path, [ROOT / "docs" / "sigma"]))
    run(workspace, detector_ids=[d for d in set(EVENTS.values()) if d])
    with workspace.connect(read_only=True) as con:
        found = con.execute(
            "SELECT detector, e.value FROM (SELECT detector, unnest(entities) AS e FROM findings) "
            "WHERE e.kind = 'user-account'"
        ).fetchall()
    assert sorted(found) == sorted((det, user) for user, det in wanted.items() if det)
