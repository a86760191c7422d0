"""The demo data set goes through ingest whole: every file has an adapter, nothing is quarantined."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.demo import DemoManifest, generate
from vigil.ingest.base import adapters
from vigil.ingest.run import ingest
from vigil.schema import RECORD_TABLES
from vigil.workspace import Workspace

_missing = sorted(set(RECORD_TABLES) - {a.table for a in adapters().values()})
pytestmark = pytest.mark.skipif(
    bool(_missing), reason=f"no ingest adapter yet for table(s): {', '.join(_missing)}"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate(tmp_path_factory.mktemp("demo"), seed=2024, scale=0.05)


def test_demo_ingests_cleanly(demo: DemoManifest, tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    summary = ingest(ws, demo.input_paths())
    assert summary.quarantined == 0, summary.reasons
    assert summary.unknown_files == []
    assert summary.skipped_duplicates == 0
    records = {f.path: f.records for f in demo.files}
    tables = summary.tables
    assert tables["emails"] == records["mail/campaign.mbox"] + records["mail/maildir/chair"]
    assert tables["signins"] == records["signins/entra_signins.jsonl"] + records["signins/entra_page.json"]
    assert tables["posts"] == records["social/posts.csv"]
    assert tables["accounts"] == records["social/accounts.csv"]
    assert tables["pages"] == sum(n for p, n in records.items() if p.startswith("web/"))
    assert tables["domains"] >= records["domains/newly_registered.csv"]
    assert tables["indicators"] > 0
    # the planted records are there, under the ids the truth gives
    with ws.connect(read_only=True) as con:
        message_ids = {r[0] for r in con.execute("SELECT message_id FROM emails").fetchall()}
        event_ids = {r[0] for r in con.execute("SELECT event_id FROM signins").fetchall()}
        post_ids = {r[0] for r in con.execute("SELECT post_id FROM posts").fetchall()}
    for attack in demo.attacks:
        if attack.id.startswith("mail."):
            assert set(attack.records) <= message_ids, attack.id
        elif attack.id.startswith("signin."):
            assert set(attack.records) <= event_ids, attack.id
        elif attack.id == "social.coordinated_link_sharing":
            assert set(attack.records) <= post_ids


def test_the_output_folder_itself(demo: DemoManifest, tmp_path: Path) -> None:
    """Ingesting the whole output folder passes over only the two files meant for people, not for ingest."""
    summary = ingest(Workspace.init(tmp_path / "ws"), [demo.out_dir])
    assert summary.quarantined == 0, summary.reasons
    assert sorted(Path(p).name for p in summary.unknown_files) == [demo.protected_toml, demo.truth_json]
