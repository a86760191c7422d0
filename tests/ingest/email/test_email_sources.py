"""The eml, mbox and Maildir adapters: sniffing, streaming, quarantine, and ingest into a workspace."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.ingest import limits
from vigil.ingest.email import sources
from vigil.ingest.email.mbox import iter_mbox
from vigil.ingest.email.sources import sniff_eml, sniff_maildir, sniff_mbox
from vigil.ingest.run import ingest, sniff
from vigil.workspace import Workspace


def message(n: int, body: str = "Hello.\n") -> bytes:
    return (
        f"Received: from mail{n}.evil.example (mail{n}.evil.example [185.220.101.{n}]) by mx.example;"
        f" Mon, 2 Sep 2024 10:0{n}:00 +0000\n"
        f"From: Sender {n} <s{n}@evil.example>\nTo: jane@campaign.example\nSubject: message {n}\n"
        f"Message-ID: <m{n}@evil.example>\nDate: Mon, 2 Sep 2024 10:0{n}:00 +0000\n\n{body}"
    ).encode()


MBOX_BODY_2 = "Quoted:\n>From the archive, escaped once.\n>>From twice.\nFrom here, not a separator.\n"
MBOX = (
    b"From s1@evil.example Mon Sep  2 10:01:00 2024\n" + message(1) + b"\n"
    b"From s2@evil.example Mon Sep  2 10:02:00 2024\n" + message(2, MBOX_BODY_2) + b"\n"
    b"From s3@evil.example Mon Sep  2 10:03:00 2024\n" + message(3, "https://evil.example/3\n")
)


ALL = "SELECT * FROM emails ORDER BY source, source_offset"


def rows(ws: Workspace, sql: str = ALL) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql(sql).to_arrow_table().to_pylist()


# -- sniffing ------------------------------------------------------------------------------------


def test_sniffers(tmp_path: Path) -> None:
    eml = tmp_path / "a.txt"
    assert sniff_eml(eml, message(1))
    assert sniff_eml(eml, b"X-Status: \nX-Keywords: \nReturn-Path: <a@b.example>\n\nx")
    assert sniff_eml(eml, b"From: a@b.example\r\nTo: c@d.example\r\nSubject: hi\r\n\r\nbody")
    assert sniff_eml(tmp_path / "bare.eml", b"Content-Type: text/plain\r\nMIME-Version: 1.0\r\n\r\n")
    assert not sniff_eml(eml, b"Content-Type: text/plain\r\nMIME-Version: 1.0\r\n\r\n")
    assert sniff_mbox(eml, MBOX) and not sniff_eml(eml, MBOX)
    for other in (
        b'{"from": "a@b.example", "subject": "x"}\n',
        b'[{"Received": "x"}]',
        b"from,to,subject,date\na@b.example,c@d.example,hi,2024-01-01\n",
        b"From,To,Subject\n",
        b"<!DOCTYPE html><html><head><title>From: a@b</title></head></html>",
        b"WARC/1.0\r\nWARC-Type: response\r\n\r\n",
        b"From: <Saved by Blink>\nSubject: page\nMIME-Version: 1.0\nContent-Type: multipart/related\n\n",
        b"From the desk of the editor, Mon Sep 2 10:00 2024\nDear reader,\n",
        b"",
    ):
        assert not sniff_eml(eml, other), other
        assert not sniff_mbox(eml, other), other


def test_sniff_picks_the_email_adapters(tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_bytes(message(1))
    (tmp_path / "box.mbox").write_bytes(MBOX)
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    assert sniff_maildir(maildir, b"") and not sniff_maildir(tmp_path, b"")
    found = {p: sniff(tmp_path / p) for p in ("m.eml", "box.mbox", "Maildir")}
    assert {p: a.name if a else None for p, a in found.items()} == {
        "m.eml": "eml",
        "box.mbox": "mbox",
        "Maildir": "maildir",
    }


# -- mbox streaming ------------------------------------------------------------------------------


def test_iter_mbox_offsets_and_from_unescaping() -> None:
    got = list(iter_mbox(io.BytesIO(MBOX)))
    assert [offset for offset, _, _ in got] == [0, MBOX.index(b"From s2@"), MBOX.index(b"From s3@")]
    assert sum(n for _, _, n in got) == len(MBOX)
    assert [raw for _, raw, _ in got] == [
        message(1),
        message(2, MBOX_BODY_2).replace(b">From", b"From", 1).replace(b">>From", b">From"),
        message(3, "https://evil.example/3\n"),
    ]


@pytest.mark.parametrize("block", [1, 2, 7, 64, 4096])
def test_iter_mbox_gives_the_same_messages_whatever_its_block_size(block: int) -> None:
    assert list(iter_mbox(io.BytesIO(MBOX), block)) == list(iter_mbox(io.BytesIO(MBOX)))


def test_iter_mbox_crlf_leading_text_and_look_alike_lines() -> None:
    data = (
        b"stray text before the first message\r\n\r\n"
        b"From a Mon Sep  2 10:01:00 2024\r\nSubject: one\r\n\r\nFrom now on, no separator\r\n\r\n"
        b"From b Mon Sep  2 10:02:00 2024\r\nSubject: two\r\n\r\nbody\r\n"
    )
    got = list(iter_mbox(io.BytesIO(data), 5))
    assert [(offset, raw) for offset, raw, _ in got] == [
        (data.index(b"From a"), b"Subject: one\r\n\r\nFrom now on, no separator\r\n"),
        (data.index(b"From b"), b"Subject: two\r\n\r\nbody\r\n"),
    ]
    assert sum(n for _, _, n in got) == len(data)
    assert list(iter_mbox(io.BytesIO(b""))) == []
    assert list(iter_mbox(io.BytesIO(b"no mbox here\n"))) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["From x", ">From y", ">>From z", "", "text", "From a Mon 10:00 2024"]),
            max_size=6,
        ),
        max_size=5,
    ),
    st.integers(1, 64),
)
def test_mbox_round_trip(bodies: list[list[str]], block: int) -> None:
    """Messages written with mboxrd escaping come back as they were, at the offsets of their From lines."""
    messages = [("Subject: s\n\n" + "".join(line + "\n" for line in body)).encode() for body in bodies]
    out, offsets = bytearray(), []
    for raw in messages:
        offsets.append(len(out))
        escaped = b"".join(
            b">" + line if line.lstrip(b">").startswith(b"From ") else line
            for line in raw.splitlines(keepends=True)
        )
        out += b"From sender Mon Sep  2 10:00:00 2024\n" + escaped + b"\n"
    got = list(iter_mbox(io.BytesIO(bytes(out)), block))
    assert [(offset, raw) for offset, raw, _ in got] == list(zip(offsets, messages, strict=True))
    assert sum(n for _, _, n in got) == len(out)


def test_oversized_mbox_message_is_quarantined_without_being_kept(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = message(2, "x" * 5000 + "\n")
    path = tmp_path / "big.mbox"
    path.write_bytes(
        b"From a Mon Sep  2 10:01:00 2024\n" + message(1) + b"\nFrom b Mon Sep  2 10:02:00 2024\n" + big
    )
    monkeypatch.setattr(limits, "MAX_MESSAGE_BYTES", 2000)
    summary = ingest(workspace, [path])
    assert summary.tables["emails"] == 1 and summary.quarantined == 1
    assert summary.reasons == {"message too large": 1}


# -- ingest end to end ---------------------------------------------------------------------------


def test_ingest_eml_mbox_and_maildir(workspace: Workspace, tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "one.eml").write_bytes(message(4))
    (inbox / "box.mbox").write_bytes(MBOX)
    maildir = inbox / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1700000000.1.host").write_bytes(message(5))
    (maildir / "cur" / "1700000001.2.host:2,S").write_bytes(b"From x Mon Sep  2 10:06:00 2024\n" + message(6))
    (maildir / "cur" / "1700000002.3.host:2,S").write_bytes(b"\x00\x01garbage\xff")
    (maildir / "tmp" / "1700000003.4.host").write_bytes(message(7))  # being delivered: not read
    (maildir / ".Sent" / "cur").mkdir(parents=True)
    (maildir / ".Sent" / "cur" / "1700000004.5.host:2,S").write_bytes(message(8))
    (inbox / "notes.json").write_text('{"not": "mail"}')

    summary = ingest(workspace, [inbox])
    assert summary.files == {"eml": 1, "mbox": 1, "maildir": 1}
    assert summary.tables["emails"] == 1 + 3 + 3
    assert summary.quarantined == 1 and summary.reasons == {"not an e-mail message": 1}
    assert summary.unknown_files == [str(inbox / "notes.json")]

    got = rows(workspace)
    subjects = {(Path(r["source"]).name, r["source_offset"]): r["subject"] for r in got}
    assert subjects == {
        ("Maildir", 0): "message 5",
        ("Maildir", 1): "message 6",
        ("Maildir", 3): "message 8",
        ("box.mbox", 0): "message 1",
        ("box.mbox", MBOX.index(b"From s2@")): "message 2",
        ("box.mbox", MBOX.index(b"From s3@")): "message 3",
        ("one.eml", 0): "message 4",
    }
    third = next(r for r in got if r["subject"] == "message 3")
    assert third["urls"] == [
        {
            "url": "https://evil.example/3",
            "text": None,
            "host": "evil.example",
            "registered_domain": "evil.example",
        }
    ]
    assert third["client_ip"] == "185.220.101.3" and third["from_domain"] == "evil.example"

    quarantined = rows(workspace, "SELECT * FROM quarantine")
    assert len(quarantined) == 1
    assert quarantined[0]["format"] == "maildir" and quarantined[0]["source_offset"] == 2
    assert "cur/1700000002.3.host:2,S" in quarantined[0]["reason"]

    again = ingest(workspace, [inbox])
    assert again.tables["emails"] == 0 and again.skipped_duplicates == 7
    assert len(rows(workspace)) == 7
    assert len(rows(workspace, "SELECT * FROM quarantine")) == 1


def test_hostile_messages_are_quarantined_with_reasons(workspace: Workspace, tmp_path: Path) -> None:
    bomb_depth = limits.MAX_MIME_DEPTH + 3
    nest = "".join(
        f'--b{i - 1}\nContent-Type: multipart/mixed; boundary="b{i}"\n\n' for i in range(1, bomb_depth)
    )
    bomb = (
        'From: a@evil.example\nMessage-ID: <bomb@x>\nContent-Type: multipart/mixed; boundary="b0"\n\n'
        f"{nest}x\n"
    ).encode()
    huge_header = (
        b"Received: from x by y; Mon, 2 Sep 2024 10:00:00 +0000\nX-Pad: "
        + b"a" * (limits.MAX_HEADER_BYTES + 1)
        + b"\nFrom: a@b.example\n\nbody\n"
    )
    box = tmp_path / "hostile.mbox"
    box.write_bytes(
        b"From a Mon Sep  2 10:01:00 2024\n" + bomb + b"\n"
        b"From b Mon Sep  2 10:02:00 2024\n" + huge_header + b"\n"
        b"From c Mon Sep  2 10:03:00 2024\n" + message(1)
    )
    summary = ingest(workspace, [box])
    assert summary.tables["emails"] == 1
    assert summary.reasons == {"MIME nesting too deep": 1, "header too large": 1}


def test_a_parse_that_takes_too_long_is_quarantined(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(raw: bytes) -> dict[str, Any]:
        time.sleep(1)
        raise AssertionError("the deadline should have fired")

    monkeypatch.setattr(sources, "parse_message", slow)
    monkeypatch.setattr(sources, "deadline", lambda: limits.deadline(0.05))
    path = tmp_path / "slow.eml"
    path.write_bytes(message(1))
    summary = ingest(workspace, [path])
    assert summary.quarantined == 1 and summary.reasons == {"parse timeout": 1}


def test_an_unexpected_error_is_quarantined_not_raised(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(raw: bytes) -> dict[str, Any]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(sources, "parse_message", broken)
    path = tmp_path / "x.eml"
    path.write_bytes(message(1))
    summary = ingest(workspace, [path])
    assert summary.reasons == {"unparseable message": 1}


def test_progress_counts_every_byte(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    path.write_bytes(MBOX)
    seen: list[int] = []
    ingest(workspace, [path], on_progress=seen.append)
    assert sum(seen) == len(MBOX)
