"""The posts adapters on CooRTweet's real data sets beside the checkout; skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "coortweet_real"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not DATA.is_dir(), reason="no ../shared/data/coortweet_real"),
]


def test_russian_coordinated_retweets(workspace: Workspace) -> None:
    path = DATA / "russian_coord_tweets.csv"
    assert (found := sniff(path)) is not None and found.name == "posts-csv"
    summary = ingest(workspace, [path])
    # 35,125 rows, one of them an exact duplicate
    assert summary.tables["posts"] == 35_124 and summary.quarantined == 0
    with workspace.connect(read_only=True) as con:
        sql = "SELECT count(DISTINCT account_id), count(DISTINCT repost_of) FROM posts"
        row = con.execute(sql).fetchone()
    assert row == (9_509, 7_285)


def test_german_election_posts(workspace: Workspace) -> None:
    summary = ingest(workspace, [DATA / "german_elections.csv"])
    # 218,971 rows in long format = 194,323 posts; 3 rows have no post id at all
    assert summary.tables["posts"] == 194_323
    assert summary.quarantined == 3 and set(summary.reasons) == {"missing post id and text"}
    with workspace.connect(read_only=True) as con:
        platforms = dict(con.execute("SELECT platform, count(*) FROM posts GROUP BY 1").fetchall())
    assert set(platforms) == {"facebook", "x"}
