"""mime.parse_mime builds the tree the stdlib parser would, faster, and within the limits."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.ingest import limits
from vigil.ingest.email.mime import MimeLimit, blank_line, parse_mime, stdlib_parse


def shape(msg: Any) -> tuple[Any, ...]:
    payload = msg.get_payload()
    if isinstance(payload, list):
        return (msg.get_content_type(), list(msg.raw_items()), [shape(p) for p in payload])
    return (msg.get_content_type(), list(msg.raw_items()), payload)


HEAD = b'From: a@b.example\nSubject: x\n =?utf-8?q?folded?=\nContent-Type: multipart/mixed; boundary="b"\n\n'
CASES = {
    "simple": b"From: a@b.example\nSubject: hi\n\nbody\nmore\n",
    "crlf": b"From: a@b.example\r\nSubject: hi\r\n\r\nbody\r\n",
    "no body": b"From: a@b.example\nSubject: hi",
    "8-bit header": "Subject: Grüße\nFrom: a@b.example\n\nx\n".encode(),
    "multipart": HEAD + b"pre\n--b\nContent-Type: text/plain\n\none\n--b\n\nno headers\n--b--\nepilogue\n",
    "no closing boundary": HEAD + b"--b\nContent-Type: text/plain\n\none\n",
    "boundaries in a row": HEAD + b"--b\n--b\nContent-Type: text/plain\n\none\n--b--\n",
    "closing first": HEAD + b"--b--\ntext\n",
    "no boundary line": HEAD + b"just text\n",
    "boundary-like lines": HEAD + b"--b\n\n--bx\n --b\n--b \t\n\ntwo\n--b--",
    "nested": HEAD + b'--b\nContent-Type: multipart/alternative; boundary="c"\n\n--c\n\nplain\n--c\n'
    b"Content-Type: text/html\n\n<p>x</p>\n--c--\n--b\nContent-Type: message/rfc822\n\n"
    b"From: inner@x.example\n\ninner body\n--b--\n",
    "header line that is no field": b"From: a@b.example\nnot a header\nSubject: x\n\nbody\n",
    "lone CR": b"From: a@b.example\rSubject: x\r\rbody\r",
    "digest": b'Content-Type: multipart/digest; boundary="d"\n\n--d\n\nFrom: x@y.example\n\nm\n--d--\n',
    "unix from": b"From someone Mon Sep  2 10:00:00 2024\nFrom: a@b.example\n\nx\n",
    "empty": b"",
}


@pytest.mark.parametrize("raw", CASES.values(), ids=CASES.keys())
def test_same_tree_as_the_stdlib(raw: bytes) -> None:
    assert shape(parse_mime(raw)) == shape(stdlib_parse(raw))


def test_limits_hold_without_any_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    nested = b"Content-Type: message/rfc822\n\n" * (limits.MAX_MIME_DEPTH + 2)
    chain = b"From: a@b.example\n" + nested + b"x\n"
    with pytest.raises(MimeLimit, match="too deep"):
        parse_mime(chain)
    monkeypatch.setattr(limits, "MAX_MIME_PARTS", 3)
    with pytest.raises(MimeLimit, match="too many"):
        parse_mime(CASES["nested"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a\n\nb", (1, 3)),
        (b"a\r\n\r\nb", (1, 5)),
        (b"a\n\r\nb", (1, 4)),
        (b"a\r\n\nb", (1, 4)),
        (b"a\nb", None),
    ],
)
def test_blank_line(raw: bytes, expected: tuple[int, int] | None) -> None:
    assert blank_line(raw) == expected
