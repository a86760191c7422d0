"""Workspace rules as detectors: selection, one finding per rule per user per UTC day, entities, re-runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vigil.detect.cases import case_table
from vigil.detect.runner import run, selected
from vigil.rules.detector import all_detectors
from vigil.rules.store import add_rules
from vigil.workspace import CONFIG_FILE, Workspace

RULE = """title: Entra Sign-in Failure
id: e02c50c9-f6be-4a55-af55-63b2436505d1
logsource: {product: azure, service: signinlogs}
detection: {sel: {ResultType: 50126}, condition: sel}
level: low
tags: [attack.t1110]
"""
HOSTILE = """title: Hostile values
logsource: {product: azure, service: signinlogs}
detection:
    sel:
        UserAgent: "x'; DROP TABLE signins; --"
        AppDisplayName|contains: 'it''s "quoted" \\ here'
    condition: sel
"""


def signin(**values: Any) -> dict[str, Any]:
    row = {
        "format": "entra",
        "time": "2024-09-12T02:10:00Z",
        "user": "jane@harperforamerica.org",
        "src_ip": "185.220.101.4",
        "result": "failure",
        "error_code": "50126",
    }
    return row | values


def setup(ws: Workspace, tmp_path: Path, rule: str = RULE) -> str:
    path = tmp_path / "rule.yml"
    path.write_text(rule, encoding="utf-8")
    (added,) = add_rules(ws.path, [path])
    assert added.detector_id, added.reason
    return added.detector_id


def insert(ws: Workspace, rows: list[dict[str, Any]]) -> None:
    with ws.connect() as con:
        ws.insert(con, "signins", case_table("signins", rows))


def findings(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM findings ORDER BY first_seen, finding_id").to_arrow_table().to_pylist()


def test_workspace_rules_join_the_selection(workspace: Workspace, tmp_path: Path) -> None:
    det_id = setup(workspace, tmp_path)
    assert det_id == "sigma.entra_sign_in_failure"
    assert det_id in [d.id for d in selected(workspace)]
    assert det_id in all_detectors(workspace.path)
    (workspace.path / CONFIG_FILE).write_text(f'[detectors."{det_id}"]\nenabled = false\n')
    workspace.reload()
    assert det_id not in [d.id for d in selected(workspace)]
    assert [d.id for d in selected(workspace, [det_id])] == [det_id]


def test_one_finding_per_user_per_day(workspace: Workspace, tmp_path: Path) -> None:
    det_id = setup(workspace, tmp_path)
    insert(
        workspace,
        [
            signin(),
            signin(time="2024-09-12T23:59:00Z", src_ip="2001:db8::7"),
            signin(time="2024-09-13T00:01:00Z"),
            signin(user="tom@harperforamerica.org"),
            signin(error_code="0", result="success"),
        ],
    )
    run(workspace, detector_ids=[det_id])
    found = findings(workspace)
    assert sorted((f["first_seen"].isoformat()[:10], len(f["evidence"])) for f in found) == [
        ("2024-09-12", 1),
        ("2024-09-12", 2),
        ("2024-09-13", 1),
    ]
    jane = next(f for f in found if len(f["evidence"]) == 2)
    assert jane["title"] == "Entra Sign-in Failure" and jane["severity"] == "low"
    assert jane["techniques"] == ["T1110"] and jane["detector"] == det_id
    assert {(e["kind"], e["value"], e["role"]) for e in jane["entities"]} == {
        ("user-account", "jane@harperforamerica.org", "target"),
        ("ipv4-addr", "185.220.101.4", "actor-infrastructure"),
        ("ipv6-addr", "2001:db8::7", "actor-infrastructure"),
    }
    assert {e["table_name"] for e in jane["evidence"]} == {"signins"}
    assert "2 sign-in event(s) of jane@harperforamerica.org on 2024-09-12" in jane["summary"]
    details = json.loads(jane["details"])
    assert details["sigma_rule"] == "e02c50c9-f6be-4a55-af55-63b2436505d1" and details["matches"] == 2


def test_more_events_of_the_same_day_update_the_finding(workspace: Workspace, tmp_path: Path) -> None:
    det_id = setup(workspace, tmp_path)
    insert(workspace, [signin(time="2024-09-12T10:00:00Z")])
    run(workspace, detector_ids=[det_id])
    (before,) = findings(workspace)
    insert(workspace, [signin(time="2024-09-12T02:00:00Z")])
    summary = run(workspace, detector_ids=[det_id])
    (after,) = findings(workspace)
    assert summary.runs[0].new == 0 and after["finding_id"] == before["finding_id"]
    assert len(after["evidence"]) == 2 and after["first_seen"] < before["first_seen"]


def test_a_protected_target_is_named_and_raises_severity(workspace: Workspace, tmp_path: Path) -> None:
    det_id = setup(workspace, tmp_path)
    (workspace.path / CONFIG_FILE).write_text(
        '[[people]]\nname = "Jane Harper"\nrole = "candidate"\nsignins = ["jane@harperforamerica.org"]\n'
        'priority = "critical"\n'
    )
    workspace.reload()
    insert(workspace, [signin()])
    run(workspace, detector_ids=[det_id])
    (found,) = findings(workspace)
    assert found["severity"] == "medium" and found["summary"].startswith("Target: Jane Harper (candidate).")


def run_hostile(workspace: Workspace, tmp_path: Path, engine: str) -> list[dict[str, Any]]:
    det_id = setup(workspace, tmp_path, HOSTILE)
    insert(
        workspace,
        [
            signin(user_agent="x'; DROP TABLE signins; --", application='Say: IT\'S "QUOTED" \\ HERE!'),
            signin(user_agent="x'; DROP TABLE signins; --", application="its quoted here"),
            signin(user_agent="x", application='it\'s "quoted" \\ here'),
        ],
    )
    summary = run(workspace, engine=engine, detector_ids=[det_id])
    assert not summary.failed, summary.failed[0].error
    assert workspace.counts()["signins"] == 3
    found = findings(workspace)
    for f in found:
        f.pop("updated_at")
    return found


def test_quotes_and_sql_in_rule_values_match_literally(workspace: Workspace, tmp_path: Path) -> None:
    (found,) = run_hostile(workspace, tmp_path, "duckdb")
    assert len(found["evidence"]) == 1


@pytest.mark.spark
def test_quotes_and_sql_in_rule_values_on_spark(tmp_path: Path) -> None:
    on_spark = run_hostile(Workspace.init(tmp_path / "s"), tmp_path, "spark")
    on_duckdb = run_hostile(Workspace.init(tmp_path / "d"), tmp_path, "duckdb")
    assert len(on_spark) == 1 and on_spark == on_duckdb
