"""The web adapters on the PPN pseudo-news HTML samples beside the checkout; skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.ingest.run import ingest
from vigil.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "data" / "ppn_propaganda_sites" / "html_sample"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not SAMPLES.is_dir(), reason="no ../shared/data/ppn_propaganda_sites"),
]


def test_pseudo_news_samples(workspace: Workspace) -> None:
    summary = ingest(workspace, [SAMPLES])
    assert summary.files["html"] == 35 and summary.tables["pages"] == 35 and summary.quarantined == 0
    with workspace.connect(read_only=True) as con:
        per_site = dict(
            con.execute("""
            SELECT coalesce(registered_domain, '?'), string_agg(DISTINCT t, ',' ORDER BY t)
            FROM pages, unnest(tracker_ids) AS u(t) GROUP BY 1
        """).fetchall()
        )
        with_text = con.execute("SELECT count(*) FROM pages WHERE length(text) > 100").fetchone()
    # one analytics property per operation site; the pages of tribunalukraine.info carry no canonical URL
    assert per_site == {
        "lavirgule.news": "G-M3820N2CFD",
        "notrepays.today": "G-03EVJX15WG",
        "rrn.media": "G-9XV905XLDW",
        "waronfakes.com": "yandex-metrika:87676419",
        "?": "G-2C2VM7ESH9",
    }
    assert with_text is not None and with_text[0] >= 30
