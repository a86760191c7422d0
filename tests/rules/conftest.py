"""Run Sigma rules the way `vigil rules add` + `vigil detect` do, on small inline sign-ins: the ``run_rule``
fixture (tests run with --import-mode=importlib, so shared code comes as fixtures)."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from vigil.detect.cases import case_table
from vigil.detect.runner import run
from vigil.rules.store import add_rules
from vigil.workspace import Workspace


def run_rule(
    rule: Path | str, signins: Sequence[Mapping[str, Any]], engine: str = "duckdb"
) -> list[dict[str, Any]]:
    """The findings of one rule (a file, or YAML text) over ``signins``, ordered by id."""
    with tempfile.TemporaryDirectory(prefix="vigil-rule-") as tmp:
        ws = Workspace.init(Path(tmp) / "ws")
        if isinstance(rule, str):
            path = Path(tmp) / "rule.yml"
            path.write_text(rule, encoding="utf-8")
            rule = path
        (added,) = add_rules(ws.path, [rule])
        assert added.status == "added", added.reason
        assert added.detector_id
        with ws.connect() as con:
            ws.insert(con, "signins", case_table("signins", list(signins)))
        summary = run(ws, engine=engine, detector_ids=[added.detector_id])
        assert not summary.failed, summary.failed[0].error
        with ws.connect(read_only=True) as con:
            rows = con.sql("SELECT * FROM findings ORDER BY finding_id").to_arrow_table().to_pylist()
    for row in rows:
        row.pop("updated_at")
    return rows


@pytest.fixture(name="run_rule")
def run_rule_fn() -> Any:
    return run_rule
