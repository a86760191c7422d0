"""The runner: deterministic ids, re-runs that update, statuses kept, protected targets named."""

from __future__ import annotations

from pathlib import Path

from vigil.detect.cases import case_table
from vigil.detect.runner import run
from vigil.triage import set_status
from vigil.workspace import Workspace

PROTECTED = """
[[people]]
name = "Jane Harper"
role = "candidate"
emails = ["jane@harperforamerica.org"]
signins = ["jane@harperforamerica.org"]
priority = "critical"
"""


def _load(ws: Workspace, rows: dict[str, list[dict[str, object]]]) -> None:
    with ws.connect() as con:
        for table, data in rows.items():
            ws.insert(con, table, case_table(table, data))


def _findings(ws: Workspace) -> list[dict[str, object]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM findings ORDER BY finding_id").to_arrow_table().to_pylist()


SIGNIN = {
    "time": "2024-09-12T02:10:00Z",
    "user": "jane@harperforamerica.org",
    "src_ip": "185.220.101.4",
    "result": "failure",
}
KNOWN = ["intel.known_indicator"]
INDICATOR = {"kind": "ipv4-addr", "value": "185.220.101.4", "feed": "Example", "actor": "APT42"}


def test_rerun_updates_and_keeps_status(workspace: Workspace) -> None:
    _load(workspace, {"signins": [SIGNIN], "indicators": [INDICATOR]})
    first = run(workspace, detector_ids=KNOWN)
    assert [r.findings for r in first.runs] == [1] and first.runs[0].new == 1
    set_status(workspace, "acknowledged", detector="intel.known_indicator")
    second = run(workspace, detector_ids=KNOWN)
    assert second.runs[0].new == 0
    found = _findings(workspace)
    assert len(found) == 1 and found[0]["status"] == "acknowledged"


def test_a_finding_no_longer_found_is_retired_unless_an_analyst_kept_it(workspace: Workspace) -> None:
    _load(workspace, {"signins": [SIGNIN], "indicators": [INDICATOR]})
    run(workspace, detector_ids=KNOWN)
    _load(workspace, {"signins": [{**SIGNIN, "src_ip": "203.0.113.9", "user": "sam@harperforamerica.org"}]})
    _load(workspace, {"indicators": [{**INDICATOR, "value": "203.0.113.9"}]})
    assert [r.findings for r in run(workspace, detector_ids=KNOWN).runs] == [2]
    (first,) = [f["finding_id"] for f in _findings(workspace) if "185.220.101.4" in str(f["summary"])]
    set_status(workspace, "escalated", [str(first)])
    with workspace.connect() as con:
        con.execute("DELETE FROM indicators").fetchall()  # the feed withdrew both indicators
    again = run(workspace, detector_ids=KNOWN)
    assert (again.runs[0].findings, again.runs[0].retired) == (0, 1)
    assert [f["status"] for f in _findings(workspace)] == ["escalated"]


def test_more_data_updates_the_same_finding(workspace: Workspace) -> None:
    _load(workspace, {"signins": [SIGNIN], "indicators": [INDICATOR]})
    run(workspace, detector_ids=KNOWN)
    _load(workspace, {"signins": [{**SIGNIN, "time": "2024-09-13T08:00:00Z"}]})
    run(workspace, detector_ids=KNOWN)
    found = _findings(workspace)
    assert len(found) == 1
    assert len(found[0]["evidence"]) == 2


def test_protected_person_is_named_and_raises_severity(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    ws.config_path.write_text(PROTECTED, encoding="utf-8")
    ws.reload()
    # The user account of a protected person is among the entities of this toy detector's finding.
    from vigil.detect.api import detector

    @detector(
        id="test.protected_probe",
        title="probe",
        inputs=["signins"],
        severity="medium",
        entities={"user": "user-account"},
    )
    def probe(t):  # type: ignore[no-untyped-def]
        s = t.signins
        return s.group_by("user").aggregate(
            first_seen=s.time.min(), last_seen=s.time.max(), evidence=s.record_id.collect()
        )

    _load(ws, {"signins": [SIGNIN]})
    run(ws, detector_ids=["test.protected_probe"])
    (finding,) = _findings(ws)
    assert finding["severity"] == "high"
    assert finding["summary"].startswith("Target: Jane Harper (candidate).")
    assert finding["entities"][0]["role"] == "target"


def test_disabled_detector_does_not_run(workspace: Workspace) -> None:
    workspace.config_path.write_text(
        '[detectors."intel.known_indicator"]\nenabled = false\n', encoding="utf-8"
    )
    workspace.reload()
    assert "intel.known_indicator" not in [r.detector for r in run(workspace).runs]
