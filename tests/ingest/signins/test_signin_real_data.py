"""The sign-in adapters on real data beside the checkout (``../shared/data``); skipped when it is absent."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from vigil.ingest.run import ingest, sniff
from vigil.ingest.signins._common import parse_time
from vigil.workspace import Workspace

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
CAPTURES = SHARED / "windows_logon_evtx"
PANTHER = SHARED / "panther_identity_tests" / "rule_tests.jsonl"

pytestmark = pytest.mark.shared_data

#: Logon rows expected from each capture (the other events of the captures are skipped).
EXPECTED = {
    "deepbluecli__new-user-security": 0,
    "deepbluecli__password-spray": 294,
    "deepbluecli__smb-password-guessing-security": 3561,
    "mdecrevoisier__ID4624-Anonymous_login_with_domain_specified__DonPapi_": 15,
    "mdecrevoisier__ID4624-Mimikatz_Pass_the_hash": 1,
    "mdecrevoisier__ID4624-Success_login_with_Golden_ticket": 10,
    "mdecrevoisier__ID4625-OpenSSH_brutforce_with_non_existing_users": 12,
    "mdecrevoisier__ID4625-OpenSSH_brutforce_with_valid_users": 9,
    "mdecrevoisier__ID4625-failed_login_with_denied_access_due_to_account_restriction": 2,
    "mdecrevoisier__ID4768-4771-Kerberos_brutforce_with_non_existing_users": 52,
    "mdecrevoisier__ID4768-4771-Kerberos_user_enumeration__Kerbrute_": 42,
    "mdecrevoisier__ID4771-Kerberos_brutforce_with_valid_user": 54,
    "mdecrevoisier__ID_4776_4625-AccountRestore_local_bruteforce": 16,
}


@pytest.mark.skipif(not CAPTURES.is_dir(), reason="no ../shared/data/windows_logon_evtx")
def test_evtx_and_jsonl_captures_give_the_same_rows(workspace: Workspace) -> None:
    for stem, expected in EXPECTED.items():
        evtx, jsonl = CAPTURES / "evtx" / f"{stem}.evtx", CAPTURES / "jsonl" / f"{stem}.jsonl"
        a, b = ingest(workspace, [evtx]), ingest(workspace, [jsonl])
        assert a.quarantined == b.quarantined == 0, stem
        assert a.tables["signins"] == b.tables["signins"] == expected, stem
    with workspace.connect(read_only=True) as con:
        # Same rows but for the event id (the JSONL has no record number) and FILETIME rounding.
        columns = "event_type, user, result, error_code, src_ip, device, tenant, logon_type"
        columns += ", date_trunc('second', time)"
        kinds = con.sql(f"""
            SELECT source LIKE '%.evtx' AS is_evtx, {columns}, count(*) FROM signins GROUP BY ALL
        """).fetchall()
    evtx_rows = Counter({tuple(r[1:-1]): r[-1] for r in kinds if r[0]})
    json_rows = Counter({tuple(r[1:-1]): r[-1] for r in kinds if not r[0]})
    assert evtx_rows == json_rows


@pytest.mark.skipif(not PANTHER.is_file(), reason="no ../shared/data/panther_identity_tests")
@pytest.mark.parametrize(
    "log_type",
    [
        "Okta.SystemLog",
        "GSuite.ActivityEvent",
        "Windows.EventLogs",
        "Duo.Authentication",
        "Microsoft365.Audit.AzureActiveDirectory",
        "Microsoft365.Audit.Exchange",
    ],
)
def test_panther_events_are_read_or_lack_a_timestamp(
    workspace: Workspace, tmp_path: Path, log_type: str
) -> None:
    """Panther's test events in the vendors' schemas: every one is a row, skipped as not a sign-in, or a
    sanitised fixture without a timestamp (quarantined)."""
    path = tmp_path / f"{log_type}.jsonl"
    with PANTHER.open("rb") as f, path.open("w") as out:
        for line in f:
            record = json.loads(line)
            if (record.get("log_types") or [None])[0] == log_type:
                out.write(json.dumps(record["log"]) + "\n")
    found = sniff(path)
    formats = {
        "Okta.SystemLog": "okta",
        "GSuite.ActivityEvent": "google",
        "Windows.EventLogs": "windows-jsonl",
        "Duo.Authentication": "duo",
        "Microsoft365.Audit.AzureActiveDirectory": "m365-audit",
        "Microsoft365.Audit.Exchange": "m365-audit",
    }
    assert found is not None and found.name == formats[log_type]
    summary = ingest(workspace, [path])
    assert set(summary.reasons) <= {"missing time", "missing time, user", "activity without events"}
    records = path.read_text().splitlines()
    with workspace.connect(read_only=True) as con:
        offsets = [r[0] for r in con.execute("SELECT source_offset FROM quarantine").fetchall()]
    for offset in offsets:
        record = json.loads(records[offset])
        when = (
            record.get("published")
            or (record.get("id") or {}).get("time")
            or record.get("TimeCreated")
            or record.get("isotimestamp")
            or record.get("timestamp")
            or record.get("CreationTime")
            or record.get("creationtime")
        )
        assert parse_time(when) is None or not (record.get("events") or record.get("name")), record
