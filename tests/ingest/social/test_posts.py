"""Social media posts (CSV, JSON lines) into ``posts``: the column sets of the coordination tools."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace

# coordination-network-toolkit: epoch seconds, urls space-separated
CNT = "".join(
    [
        "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n",
        '1001,u1,@VoteWatchSpringfield,,,"Ballots found in a ditch! #StopTheSteal #Springfield2024 ',
        'https://springfieldherald-news.com/ditch.",1714608000,',
        "https://springfieldherald-news.com/ditch https://t.co/abc\n",
        '1002,u2,patriot_jane,1001,,"RT Ballots found in a ditch!",1714608060,\n',
        '1003,u3,mike88,,1001,"@VoteWatchSpringfield source? see http://example.org/a?b=1&c=2)",1714608120.5,\n',
    ]
)

# CooRTweet / CSDS: content_id is the post, object_id the shared object
COORTWEET = """\
object_id,account_id,content_id,timestamp_share
85d2d12251a735ce05255061f7f231e2,0fb4232d1b7b37069c13ee17579bd10e,114e22f1b2b648528277b76f0b0224e7,1623881091.0
https://rrn.media/nato-rift-widens/,7d0e462c10d52c4ec1db5af953bf9b26,60e1901aa670f6c05a2d7f7e74cadaf3,1623879483.0
"""

# CooRTweet's long-format research data: one row per shared object, anonymized ids
LONG = """\
account_id,post_id,url_id,hashtag_id,domain_id,phash_id,timestamp
fb_12670,129235,23678,,3498,,1629589836.0
fb_12670,129235,,417,,,1629589836.0
fb_12670,129235,,,,9001,1629589836.0
tw_5966,84441,,,6756,,1629589069.0
tw_5966,,,,,,1629589069.0
"""


def _posts(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM posts ORDER BY source, source_offset").to_arrow_table().to_pylist()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_coordination_network_toolkit_columns(workspace: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, "cnt.csv", CNT)
    assert (found := sniff(path)) is not None and found.name == "posts-csv"
    summary = ingest(workspace, [path])
    assert summary.tables["posts"] == 3 and summary.quarantined == 0
    first, retweet, reply = _posts(workspace)
    assert (first["post_id"], first["account_id"], first["handle"]) == ("1001", "u1", "votewatchspringfield")
    assert first["time"] == datetime(2024, 5, 2, tzinfo=UTC) and first["platform"] is None
    assert first["hashtags"] == ["springfield2024", "stopthesteal"]
    assert first["urls"] == [
        {
            "url": "https://springfieldherald-news.com/ditch",
            "text": None,
            "host": "springfieldherald-news.com",
            "registered_domain": "springfieldherald-news.com",
        },
        {"url": "https://t.co/abc", "text": None, "host": "t.co", "registered_domain": "t.co"},
    ]
    assert retweet["repost_of"] == "1001" and retweet["reply_to"] is None and retweet["urls"] == []
    assert reply["reply_to"] == "1001"
    assert reply["time"] == datetime(2024, 5, 2, 0, 2, 0, 500000, tzinfo=UTC)
    assert [u["url"] for u in reply["urls"]] == ["http://example.org/a?b=1&c=2"]


def test_coortweet_columns(workspace: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, "coortweet.csv", COORTWEET)
    assert (found := sniff(path)) is not None and found.name == "posts-csv"
    ingest(workspace, [path])
    retweet, share = _posts(workspace)
    assert retweet["post_id"] == "114e22f1b2b648528277b76f0b0224e7"
    assert retweet["account_id"] == "0fb4232d1b7b37069c13ee17579bd10e"
    assert retweet["repost_of"] == "85d2d12251a735ce05255061f7f231e2" and retweet["urls"] == []
    assert retweet["time"] == datetime.fromtimestamp(1623881091, UTC)
    assert share["repost_of"] is None
    assert share["urls"] == [
        {
            "url": "https://rrn.media/nato-rift-widens/",
            "text": None,
            "host": "rrn.media",
            "registered_domain": "rrn.media",
        }
    ]


def test_long_format_rows_of_a_post_are_merged(workspace: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, "german_elections.csv", LONG)
    summary = ingest(workspace, [path])
    assert summary.tables["posts"] == 2
    assert summary.quarantined == 1 and next(iter(summary.reasons)) == "missing post id and text"
    fb, tw = _posts(workspace)
    assert (fb["platform"], fb["post_id"], fb["source_offset"]) == ("facebook", "129235", 0)
    assert fb["urls"] == [
        {"url": "url-id:23678", "text": None, "host": None, "registered_domain": "domain-id:3498"}
    ]
    assert fb["hashtags"] == ["417"] and fb["media_ids"] == ["9001"]
    assert tw["platform"] == "x"
    assert tw["urls"] == [{"url": None, "text": None, "host": None, "registered_domain": "domain-id:6756"}]


def test_generic_json_lines(workspace: Workspace, tmp_path: Path) -> None:
    records = [
        {
            "id": "p1",
            "platform": "Twitter",
            "author": "@SpringfieldVoice",
            "author_id": "42",
            "text": "Wahlbetrug! #Bundestagswahl2021 #Grüne http://wahl-info.de/x",
            "created_at": "2021-09-20T10:00:00Z",
            "urls": ["https://www.tagesschau-news.de/a"],
        },
        {
            "id": "p2",
            "platform": "facebook",
            "author": "someone",
            "text": "Keine Links hier",
            "created_at": "Mon Sep 20 12:30:00 +0200 2021",
        },
        {"id": "p3", "platform": "x", "author": "x", "text": "no time"},
    ]
    path = _write(tmp_path, "posts.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    assert (found := sniff(path)) is not None and found.name == "posts-jsonl"
    summary = ingest(workspace, [path])
    assert summary.tables["posts"] == 3 and summary.quarantined == 0
    p1, p2, p3 = _posts(workspace)
    assert (p1["platform"], p1["handle"], p1["account_id"]) == ("x", "springfieldvoice", "42")
    assert p1["hashtags"] == ["bundestagswahl2021", "grüne"]
    assert [u["registered_domain"] for u in p1["urls"]] == ["wahl-info.de", "tagesschau-news.de"]
    assert p2["time"] == datetime(2021, 9, 20, 10, 30, tzinfo=UTC) and p2["platform"] == "facebook"
    assert p3["time"] is None


def test_bad_rows_are_quarantined_the_rest_kept(workspace: Workspace, tmp_path: Path) -> None:
    text = (
        "post_id,author,text,created_at\n"
        "1,a,hello,2024-05-02T10:00:00Z\n"
        "2,b,too,many,fields,here\n"
        "3,c,bad time,next tuesday\n"
        "4,d,fine,2024-05-02 11:00:00\n"
    )
    path = _write(tmp_path, "posts.csv", text)
    summary = ingest(workspace, [path])
    assert summary.tables["posts"] == 2
    assert [(p["post_id"], p["source_offset"]) for p in _posts(workspace)] == [("1", 0), ("4", 3)]
    assert _posts(workspace)[1]["time"] == datetime(2024, 5, 2, 11, tzinfo=UTC)
    with workspace.connect(read_only=True) as con:
        rows = con.execute("SELECT source_offset, reason FROM quarantine ORDER BY source_offset").fetchall()
    assert rows == [(1, "CSV row has 6 fields, the header 4"), (2, "unreadable time next tuesday")]


def test_reingest_adds_nothing(workspace: Workspace, tmp_path: Path) -> None:
    paths = [_write(tmp_path, "cnt.csv", CNT), _write(tmp_path, "long.csv", LONG)]
    first = ingest(workspace, paths)
    again = ingest(workspace, paths)
    assert first.tables["posts"] == 5
    assert again.tables["posts"] == 0 and again.skipped_duplicates == 5


def test_sniffers_tell_posts_accounts_signins_and_indicators_apart(tmp_path: Path) -> None:
    cases = {
        "cnt.csv": (CNT, "posts-csv"),
        "coortweet.csv": (COORTWEET, "posts-csv"),
        "long.csv": (LONG, "posts-csv"),
        "ira_tweets.csv": (
            "tweetid,userid,user_screen_name,tweet_text,tweet_time,follower_count\n1,2,a,b,c,3\n",
            "posts-csv",
        ),
        "users.csv": (
            "userid,user_display_name,user_screen_name,user_profile_description,follower_count,"
            "account_creation_date\n1,A,a,bio,3,2016-01-01\n",
            "accounts-csv",
        ),
        "users.jsonl": (
            '{"id_str": "1", "screen_name": "a", "followers_count": 3, "description": "x"}\n',
            "accounts-jsonl",
        ),
        "ttp.csv": ("Tactic,Technique,Procedure,Indicator\na,b,c,example[.]com\n", "meta-indicators"),
        "nrd.csv": ("domain,first_seen\nexample.com,2024-01-01\n", "domains-csv"),
    }
    for name, (text, expected) in cases.items():
        found = sniff(_write(tmp_path, name, text))
        assert found is not None and found.name == expected, name
    signins = _write(
        tmp_path, "signins.csv", "time,user,ip_address,result,message\n2024-01-01,a@b.c,1.2.3.4,ok,x\n"
    )
    found = sniff(signins)
    assert found is None or found.table == "signins"
