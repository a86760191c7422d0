"""Each sign-in format is recognised by its own sniffer, and no sniffer takes another format's file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from signin_samples import POSTS_CSV, write_samples

from vigil.ingest.base import adapters
from vigil.ingest.run import SNIFF_BYTES, sniff

MINE = ("entra-la", "okta", "google", "ocsf", "windows-jsonl", "evtx", "signins-csv", "duo", "m365-audit")

ENTRA_GRAPH = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
    "value": [
        {
            "id": "1",
            "createdDateTime": "2024-09-12T02:10:33Z",
            "userPrincipalName": "jane@caldercounty.gov",
            "appDisplayName": "Office 365",
            "ipAddress": "185.220.101.4",
            "status": {"errorCode": 50126},
        }
    ],
}
ENTRA_DIAGNOSTIC = {
    "time": "2024-09-12T02:10:33Z",
    "category": "SignInLogs",
    "resultType": "0",
    "properties": {"userPrincipalName": "jane@caldercounty.gov", "ipAddress": "185.220.101.4"},
}


@pytest.fixture
def samples(tmp_path: Path) -> dict[str, Path]:
    files = write_samples(tmp_path / "signins")
    others = tmp_path / "others"
    others.mkdir()
    (others / "graph.json").write_text(json.dumps(ENTRA_GRAPH))
    (others / "diagnostic.jsonl").write_text(json.dumps(ENTRA_DIAGNOSTIC) + "\n")
    (others / "posts.csv").write_text(POSTS_CSV)
    (others / "statuses.csv").write_text("id,created_at,username,status,text\n1,2024-09-12,bob,draft,hi\n")
    (others / "message.eml").write_text("From: a@example.org\nTo: b@example.org\nSubject: hi\n\nHello\n")
    (others / "notes.txt").write_text("user, time and ip of yesterday's meeting\n")
    return {
        **files,
        "entra:graph": others / "graph.json",
        "entra:diagnostic": others / "diagnostic.jsonl",
        "other:posts": others / "posts.csv",
        "other:statuses": others / "statuses.csv",
        "other:eml": others / "message.eml",
        "other:text": others / "notes.txt",
    }


def test_run_sniff_picks_each_format(samples: dict[str, Path]) -> None:
    for name in MINE:
        found = sniff(samples[name])
        assert found is not None and found.name == name, (name, found)
    for name in ("entra:graph", "entra:diagnostic"):
        found = sniff(samples[name])
        assert found is not None and found.name == "entra", (name, found)


def test_no_signin_sniffer_claims_another_file(samples: dict[str, Path]) -> None:
    registered = adapters()
    for name in MINE:
        sniffer = registered[name].sniff
        for other, path in samples.items():
            if other == name:
                continue
            head = path.read_bytes()[:SNIFF_BYTES]
            assert not sniffer(path, head), f"{name} claims the {other} sample"
