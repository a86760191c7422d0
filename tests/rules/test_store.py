"""The workspace's rules folder: add (added / updated / unchanged / refused), list, remove."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.detect.cases import case_table
from vigil.detect.runner import run
from vigil.errors import VigilError
from vigil.rules.store import add_rules, remove_rule, rules_dir, stored_rules
from vigil.workspace import Workspace

LOCKED = """title: Okta User Account Locked Out
id: 21c3d083-a6d8-49b8-a1c9-8150bb48ed74
logsource: {product: okta, service: okta}
detection: {sel: {eventType: user.account.lock}, condition: sel}
level: medium
"""
FAILED = """title: Okta Sign-in Failure
id: 488ad107-a35c-4aa3-b8be-43fa12d3c13d
logsource: {product: okta, service: okta}
detection: {sel: {outcome.result: FAILURE}, condition: sel}
level: low
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def statuses(results: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(Path(r.path).name, r.status) for r in results]


def test_add_a_folder_then_again(workspace: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, "locked.yml", LOCKED)
    write(src / "more", "failed.yaml", FAILED)
    write(src, "README.md", "not a rule")
    write(src, "windows.yml", LOCKED.replace("product: okta, service: okta", "product: windows"))
    results = add_rules(workspace.path, [src])
    assert statuses(results) == [
        ("locked.yml", "added"),
        ("failed.yaml", "added"),
        ("windows.yml", "refused"),
    ]
    assert "log source" in str(results[2].reason)
    assert sorted(p.name for p in rules_dir(workspace.path).iterdir()) == [
        "okta_sign_in_failure.yml",
        "okta_user_account_locked_out.yml",
    ]
    assert statuses(add_rules(workspace.path, [src / "locked.yml"])) == [("locked.yml", "unchanged")]
    with pytest.raises(VigilError, match="no such file"):
        add_rules(workspace.path, [tmp_path / "missing.yml"])


def test_same_sigma_id_updates_even_under_a_new_title(workspace: Workspace, tmp_path: Path) -> None:
    add_rules(workspace.path, [write(tmp_path, "a.yml", LOCKED)])
    renamed = LOCKED.replace("Okta User Account Locked Out", "Okta lock-out").replace("medium", "high")
    (result,) = add_rules(workspace.path, [write(tmp_path, "b.yml", renamed)])
    assert (result.status, result.detector_id) == ("updated", "sigma.okta_lock_out")
    (stored,) = stored_rules(workspace.path)
    assert stored.path.name == "okta_lock_out.yml" and stored.rule and stored.rule.severity == "high"


def test_a_second_rule_with_the_same_title_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    add_rules(workspace.path, [write(tmp_path, "a.yml", LOCKED)])
    other = LOCKED.replace("21c3d083-a6d8-49b8-a1c9-8150bb48ed74", "e02c50c9-f6be-4a55-af55-63b2436505d1")
    (result,) = add_rules(workspace.path, [write(tmp_path, "b.yml", other)])
    assert result.status == "refused" and "okta_user_account_locked_out.yml" in str(result.reason)


def test_a_rule_whose_sql_does_not_run_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    lookahead = FAILED.replace(
        "outcome.result: FAILURE", "client.userAgent.rawUserAgent|re: '^(?!Mozilla).*'"
    )
    (result,) = add_rules(workspace.path, [write(tmp_path, "re.yml", lookahead)])
    assert result.status == "refused" and "SQL does not run" in str(result.reason)
    assert stored_rules(workspace.path) == []


def test_remove_by_detector_id_file_or_sigma_id(workspace: Workspace, tmp_path: Path) -> None:
    add_rules(workspace.path, [write(tmp_path, "a.yml", LOCKED), write(tmp_path, "b.yml", FAILED)])
    assert (
        remove_rule(workspace.path, "sigma.okta_user_account_locked_out").title
        == "Okta User Account Locked Out"
    )
    assert (
        remove_rule(workspace.path, "488ad107-a35c-4aa3-b8be-43fa12d3c13d").detector_id
        == "sigma.okta_sign_in_failure"
    )
    assert stored_rules(workspace.path) == []
    add_rules(workspace.path, [tmp_path / "a.yml"])
    remove_rule(workspace.path, "okta_user_account_locked_out.yml")
    with pytest.raises(VigilError, match="no Sigma rule"):
        remove_rule(workspace.path, "sigma.nothing")


def test_a_stored_rule_that_no_longer_compiles_fails_alone(workspace: Workspace, tmp_path: Path) -> None:
    add_rules(workspace.path, [write(tmp_path, "a.yml", LOCKED), write(tmp_path, "b.yml", FAILED)])
    (rules_dir(workspace.path) / "okta_sign_in_failure.yml").write_text("title: [broken\n")
    broken = [s for s in stored_rules(workspace.path) if s.rule is None]
    assert [b.detector_id for b in broken] == ["sigma.okta_sign_in_failure"] and "YAML" in str(
        broken[0].error
    )
    with workspace.connect() as con:
        row = {
            "format": "okta",
            "event_type": "user.account.lock",
            "time": "2024-09-12T02:10:00Z",
            "user": "a@b.org",
        }
        workspace.insert(con, "signins", case_table("signins", [row]))
    summary = run(
        workspace, detector_ids=["sigma.okta_sign_in_failure", "sigma.okta_user_account_locked_out"]
    )
    runs = {r.detector: r for r in summary.runs}
    assert "cannot run" in str(runs["sigma.okta_sign_in_failure"].error)
    assert runs["sigma.okta_user_account_locked_out"].findings == 1
    (result,) = add_rules(workspace.path, [tmp_path / "b.yml"])
    assert (result.status, result.detector_id) == ("updated", "sigma.okta_sign_in_failure")
    assert all(s.rule is not None for s in stored_rules(workspace.path))
