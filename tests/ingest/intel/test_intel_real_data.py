"""The Meta indicator adapter on Meta's threat-research files beside the checkout; skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.ingest.run import ingest
from vigil.workspace import Workspace

INDICATORS = Path(__file__).resolve().parents[4] / "shared" / "data" / "meta_threat_research" / "indicators"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not INDICATORS.is_dir(), reason="no ../shared/data/meta_threat_research"),
]


def test_all_meta_indicator_files(workspace: Workspace) -> None:
    summary = ingest(workspace, [INDICATORS])
    assert summary.files["meta-indicators"] == 142  # every CSV, TSV and JSON; the .md reports are passed over
    assert all(name.endswith(".md") for name in summary.unknown_files)
    with workspace.connect(read_only=True) as con:
        kinds = dict(con.execute("SELECT kind, count(*) FROM indicators GROUP BY 1").fetchall())
        quarantined = sorted(con.execute("SELECT DISTINCT excerpt FROM quarantine").fetchall())
    assert kinds["domain-name"] > 1000 and kinds["url"] > 1000 and kinds["social-account"] > 500
    assert {"file", "ipv4-addr", "mobile-app", "email-addr"} <= set(kinds)
    # only values that are broken in the source itself
    assert [q for (q,) in quarantined] == [
        "amazing.lab",
        "fbc8213450838f7ae251d4",
        "t[.]/RGUD_bot",
        "v21b4327d6881be1893fd2a8431317f6b",
    ]
