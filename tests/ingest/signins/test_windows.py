"""Windows logon events: .evtx and JSON conversions give the same rows; other events are skipped."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from evtx_writer import Event, write_evtx
from signin_samples import (
    WINDOWS_4624,
    WINDOWS_4625,
    WINDOWS_4688,
    WINDOWS_4768_BAD,
    WINDOWS_4771,
    evtx_events,
    lines,
    quarantined,
    signin_rows,
)

from vigil.ingest.run import ingest
from vigil.ingest.signins import windows
from vigil.workspace import Workspace

COMPARED = (
    "event_type",
    "time",
    "user",
    "user_display",
    "result",
    "failure_reason",
    "error_code",
    "src_ip",
    "device",
    "application",
    "tenant",
    "protocol",
    "client_app",
    "logon_type",
    "is_legacy_auth",
)


def _compared(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [tuple(r[c] for c in COMPARED) for r in rows]


def test_jsonl_logon_events(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "security.jsonl"
    path.write_text(lines(WINDOWS_4625, WINDOWS_4624, WINDOWS_4688, WINDOWS_4768_BAD, WINDOWS_4771))
    summary = ingest(workspace, [path])
    assert summary.files["windows-jsonl"] == 1 and summary.tables["signins"] == 4 and summary.quarantined == 0
    assert summary.passed_over == {"windows:4688": 1}
    failed, ok, kerberos, preauth = signin_rows(workspace)
    assert failed["event_type"] == "4625" and failed["result"] == "failure"
    assert (failed["user"], failed["user_display"], failed["tenant"]) == (
        "administrator",
        "Administrator",
        None,
    )
    assert (failed["failure_reason"], failed["error_code"]) == ("bad password", "0xc000006a")
    assert failed["src_ip"] == "185.220.101.4" and failed["device"] == "KALI"
    assert failed["application"] == "FS01.corp.local" and failed["event_id"] == "FS01.corp.local:2455"
    assert (failed["protocol"], failed["client_app"], failed["logon_type"]) == ("ntlm", "NtLmSsp", "3")
    assert failed["format"] == "windows" and failed["is_legacy_auth"] is None
    assert (ok["user"], ok["user_display"], ok["tenant"], ok["result"]) == (
        "admmig",
        "CORP\\admmig",
        "CORP",
        "success",
    )
    assert ok["is_legacy_auth"] is True  # NTLM V1
    # Panther-like: EventID as text, ExtraEventData, "+0000" offsets.
    assert (kerberos["event_type"], kerberos["result"], kerberos["error_code"]) == ("4768", "failure", "0x6")
    assert kerberos["failure_reason"] == "no such user" and kerberos["src_ip"] == "10.0.0.9"
    assert (
        kerberos["time"] == datetime(2024, 9, 12, 2, 12, tzinfo=UTC)
        and kerberos["event_id"] == "DC1.corp.local:77"
    )
    # 4771 has no domain: the realm comes from the service name; the user is the bare account name.
    assert (preauth["user"], preauth["tenant"], preauth["failure_reason"]) == (
        "admmig",
        "CORP.LOCAL",
        "bad password",
    )
    assert preauth["event_id"] is None and preauth["protocol"] == "kerberos"


def test_winlogbeat_and_evtx_dump_shapes(workspace: Workspace, tmp_path: Path) -> None:
    beat = {
        "@timestamp": "2024-09-12T02:10:33.477Z",
        "event": {"code": "4625"},
        "winlog": {
            "event_id": "4625",
            "computer_name": "FS01.corp.local",
            "record_id": 9,
            "channel": "Security",
            "event_data": WINDOWS_4625["EventData"],
        },
    }
    dump = {
        "Event": {
            "#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
            "System": {
                "EventID": 4776,
                "EventRecordID": 10,
                "Computer": "DC1.corp.local",
                "TimeCreated": {"#attributes": {"SystemTime": "2024-09-12T02:11:00.000000Z"}},
            },
            "EventData": {
                "PackageName": "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0",
                "TargetUserName": "svc-backup",
                "Workstation": "\\\\KALI",
                "Status": "0xc000006a",
            },
        }
    }
    path = tmp_path / "beats.ndjson"
    path.write_text(lines(beat, dump))
    summary = ingest(workspace, [path])
    assert summary.files["windows-jsonl"] == 1 and summary.tables["signins"] == 2
    failed, ntlm = signin_rows(workspace)
    assert failed["event_id"] == "FS01.corp.local:9" and failed["user"] == "administrator"
    assert (ntlm["event_type"], ntlm["result"], ntlm["failure_reason"]) == ("4776", "failure", "bad password")
    assert (ntlm["device"], ntlm["protocol"], ntlm["user"]) == ("KALI", "ntlm", "svc-backup")


def test_jsonl_bad_records_quarantined_and_reingest_adds_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "security.jsonl"
    no_time = {**WINDOWS_4625, "TimeCreated": None}
    path.write_text(
        lines(WINDOWS_4625) + "{nope\n" + lines({"Computer": "x"}, no_time, WINDOWS_4624, WINDOWS_4688)
    )
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2 and summary.quarantined == 3
    assert [(o, r.split(":")[0]) for o, r in quarantined(workspace)] == [
        (1, "invalid JSON"),
        (2, "not a Windows event (no EventID)"),
        (3, "event 4625 without a valid time"),
    ]
    assert [r["source_offset"] for r in signin_rows(workspace)] == [0, 4]
    again = ingest(workspace, [path])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 2


def test_evtx_gives_the_rows_of_its_json(workspace: Workspace, tmp_path: Path) -> None:
    evtx = write_evtx(tmp_path / "security.evtx", evtx_events())
    jsonl = tmp_path / "security.jsonl"
    jsonl.write_text(lines(WINDOWS_4625, WINDOWS_4624, WINDOWS_4688))
    summary = ingest(workspace, [evtx, jsonl])
    assert summary.files == {"evtx": 1, "windows-jsonl": 1} and summary.quarantined == 0
    from_evtx, from_json = signin_rows(workspace, evtx), signin_rows(workspace, jsonl)
    assert len(from_evtx) == 2 and _compared(from_evtx) == _compared(from_json)
    assert [r["event_id"] for r in from_evtx] == ["FS01.corp.local:1", "FS01.corp.local:2"]
    assert [r["source_offset"] for r in from_evtx] == [0, 1]
    assert from_evtx[0]["time"] == datetime(
        2024, 9, 12, 2, 10, 33, 477879, tzinfo=UTC
    )  # exact, no float rounding
    assert summary.passed_over == {"windows:4688": 2}  # one in each file
    again = ingest(workspace, [evtx])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 2


def _spray(count: int) -> list[Event]:
    start = datetime(2024, 9, 12, tzinfo=UTC)
    events = []
    for i in range(count):
        data = {**WINDOWS_4625["EventData"], "TargetUserName": f"user{i}", "IpAddress": "203.0.113.9"}
        if i % 3 == 2:
            events.append(Event(4688, start + timedelta(seconds=i), "FS01", {"NewProcessName": "cmd.exe"}))
        else:
            events.append(Event(4625, start + timedelta(seconds=i), "FS01", data))
    return events


def test_evtx_many_chunks(workspace: Workspace, tmp_path: Path) -> None:
    path = write_evtx(tmp_path / "big.evtx", _spray(300), records_per_chunk=70)
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 200 and summary.quarantined == 0
    rows = signin_rows(workspace)
    assert {r["user"] for r in rows} == {f"user{i}" for i in range(300) if i % 3 != 2}
    assert [r["source_offset"] for r in rows][:3] == [0, 1, 3]
    assert summary.passed_over == {"windows:4688": 100}


def test_evtx_slow_path_gives_the_same_rows(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_evtx(tmp_path / "big.evtx", _spray(30), records_per_chunk=10)
    ingest(workspace, [path])
    fast = signin_rows(workspace)

    def unreadable(*args: object) -> None:
        raise ValueError("forced")

    monkeypatch.setattr(windows._EvtxFields, "read", unreadable)
    slow_ws = Workspace.init(tmp_path / "slow")
    ingest(slow_ws, [path])
    slow = signin_rows(slow_ws)
    assert len(slow) == len(fast) == 20
    # python-evtx's XML rounds FILETIME through a float: allow a microsecond.
    assert all(
        abs(a["time"] - b["time"]) <= timedelta(microseconds=1) for a, b in zip(fast, slow, strict=True)
    )
    same = [c for c in COMPARED if c != "time"]
    assert [[r[c] for c in same] for r in fast] == [[r[c] for c in same] for r in slow]


def test_corrupt_evtx_is_quarantined_where_it_breaks(workspace: Workspace, tmp_path: Path) -> None:
    path = write_evtx(tmp_path / "bad.evtx", _spray(30), records_per_chunk=10)
    data = bytearray(path.read_bytes())
    chunk2 = 0x1000 + 0x10000
    data[chunk2 : chunk2 + 8] = b"XXXXXXXX"  # the second chunk's magic
    chunk3 = chunk2 + 0x10000
    first, size = 0x200, struct.unpack_from("<I", data, chunk3 + 0x200 + 4)[0]
    third_record = chunk3 + first + size
    third_record += struct.unpack_from("<I", data, third_record + 4)[0]
    struct.pack_into("<I", data, third_record, 0xDEAD)  # a record's magic in the third chunk
    path.write_bytes(bytes(data))
    summary = ingest(workspace, [path])
    reasons = quarantined(workspace)
    assert reasons == [
        (10, f"corrupt chunk at byte {chunk2}: bad magic"),
        (12, f"corrupt record at byte {third_record}: rest of the chunk skipped"),
    ]
    # chunk 1 (10 records, 7 logons) and the first two records of chunk 3 (offsets 10 and 11)
    assert summary.tables["signins"] == 7 + 1


def test_not_an_evtx(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "fake.evtx"
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    summary = ingest(workspace, [path], fmt="evtx")
    assert summary.tables["signins"] == 0 and quarantined(workspace) == [(0, "not an EVTX file (bad magic)")]


def test_truncated_and_dirty_evtx(workspace: Workspace, tmp_path: Path) -> None:
    path = write_evtx(tmp_path / "live.evtx", _spray(30), records_per_chunk=10)
    data = bytearray(path.read_bytes())
    struct.pack_into("<H", data, 42, 1)  # a header not updated since its first chunk: all chunks still read
    cut = len(data) - 0x10000 + 0x400  # and the copy ends inside the last chunk
    path.write_bytes(bytes(data[:cut]))
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 14  # two whole chunks of 10 records, 7 logons each
    assert quarantined(workspace) == [(20, "file ends inside a chunk: its last 1024 bytes were not read")]
    tiny = tmp_path / "tiny.evtx"
    tiny.write_bytes(b"ElfFile\x00" + b"\x00" * 100)
    ingest(workspace, [tiny])
    assert (0, "EVTX file of 108 bytes holds no complete chunk") in quarantined(workspace)
