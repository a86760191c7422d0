"""Social media accounts (CSV, JSON lines) into ``accounts``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace

# the column names of Twitter's information-operations archive (users files)
IRA_USERS = "".join(
    [
        "userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,",
        "follower_count,following_count,account_creation_date,account_language\n",
        '1234,Springfield Voters,SpringfieldVoters,"Springfield, IL",',
        '"Nonpartisan voter information, 100% real.","1,204",10,2016-03-01,en\n',
        ",Nameless,,,no id or handle,5,1,2016-03-01,en\n",
        "5678,Jane,jane_doe_1970,,,abc,1,not a date,en\n",
    ]
)


def _accounts(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM accounts ORDER BY source_offset").to_arrow_table().to_pylist()


def test_io_archive_users_csv(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "ira_users.csv"
    path.write_text(IRA_USERS)
    assert (found := sniff(path)) is not None and found.name == "accounts-csv"
    summary = ingest(workspace, [path])
    assert summary.tables["accounts"] == 2
    assert summary.quarantined == 1 and next(iter(summary.reasons)) == "missing account id and handle"
    first, second = _accounts(workspace)
    assert first == {
        "record_id": first["record_id"],
        "source": str(path),
        "source_offset": 0,
        "platform": None,
        "account_id": "1234",
        "handle": "springfieldvoters",
        "display_name": "Springfield Voters",
        "bio": "Nonpartisan voter information, 100% real.",
        "created": datetime(2016, 3, 1, tzinfo=UTC),
        "followers": 1204,
        "avatar_hash": None,
    }
    # what cannot be read is left empty; the account is kept
    assert (second["handle"], second["followers"], second["created"]) == ("jane_doe_1970", None, None)
    again = ingest(workspace, [path])
    assert again.tables["accounts"] == 0 and again.skipped_duplicates == 2


def test_json_lines_with_platform_and_avatar(workspace: Workspace, tmp_path: Path) -> None:
    records = [
        {
            "platform": "Twitter",
            "id_str": "42",
            "screen_name": "@SpringfieldHerald_",
            "name": "Springfield Herald",
            "description": "Breaking news",
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "followers_count": 3,
            "avatar_hash": "D41D8CD98F00B204E9800998ECF8427E",
        },
        {"platform": "telegram", "username": "springfield_news", "followers": "12000"},
    ]
    path = tmp_path / "accounts.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert (found := sniff(path)) is not None and found.name == "accounts-jsonl"
    summary = ingest(workspace, [path])
    assert summary.tables["accounts"] == 2 and summary.quarantined == 0
    x, telegram = _accounts(workspace)
    assert (x["platform"], x["account_id"], x["handle"]) == ("x", "42", "springfieldherald_")
    assert x["created"] == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert x["avatar_hash"] == "d41d8cd98f00b204e9800998ecf8427e"
    assert x["display_name"] == "Springfield Herald"
    assert telegram["platform"] == "telegram" and telegram["handle"] == "springfield_news"
    assert telegram["followers"] == 12000
