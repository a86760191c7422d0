"""parse_message: headers, authentication results, the Received chain, links, attachments, limits."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.ids import bytes_hash
from vigil.ingest import limits
from vigil.ingest.email import parse
from vigil.ingest.email.filetype import sniff_type
from vigil.ingest.email.headers import auth_results, decode_words, received, to_datetime
from vigil.ingest.email.language import guess_language
from vigil.ingest.email.parse import BadMessage, parse_message
from vigil.schema import EMAILS

ISO = b"\x00" * 0x8001 + b"CD001" + b"\x01" * 64
LNK = b"L\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 68
HTM = b"<!DOCTYPE html><html><body><form action='https://login.evil.example/'></form></body></html>"
DOCX = b"PK\x03\x04" + b"\x14\x00" * 13 + b"[Content_Types].xml" + b"\x00" * 40
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def attachment(boundary: str, name: str, ctype: str, data: bytes) -> str:
    return (
        f"--{boundary}\n"
        f'Content-Type: {ctype}; name="{name}"\n'
        f'Content-Disposition: attachment; filename="{name}"\n'
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(data)}"
    )


RICH = (
    "Return-Path: <Bounce@Mailer.Evil.example>\n"
    "Received: from mx.campaign.example (mx.campaign.example [10.0.0.5])\n"
    "\tby inbox.campaign.example (Postfix) with ESMTP id 1;\n"
    "\tTue, 3 Sep 2024 10:00:05 +0000\n"
    "Received: from mail.evil.example (mail.evil.example [185.220.101.7])\n"
    "\tby mx.campaign.example (Postfix) with ESMTPS id 2 for <jane@campaign.example>;\n"
    "\tTue, 3 Sep 2024 10:00:03 +0000\n"
    "Received: from [192.168.1.20] (unknown [192.168.1.20])\n"
    "\tby mail.evil.example (Postfix) with ESMTPSA id 3;\n"
    "\tTue, 3 Sep 2024 12:00:01 +0200\n"
    "Authentication-Results: inbox.campaign.example; spf=pass smtp.mailfrom=bounce@mailer.evil.example;\n"
    " dkim=pass (2048-bit key) header.d=evil.example header.s=s1;\n"
    " dmarc=fail (p=none) header.from=campaign.example\n"
    "From: =?UTF-8?B?Q2FtcGFpZ24gSVQgU3VwcG9ydA==?= <IT-Support@Campaign.example>\n"
    "Reply-To: Help Desk <helpdesk@evil.example>\n"
    "To: Jane Doe <Jane@Campaign.example>, bob@campaign.example\n"
    'Cc: "Doe, John" <john@campaign.example>\n'
    "Subject: =?iso-8859-1?q?Dringend:_Passw=F6rter?= =?iso-8859-1?q?_=E4ndern?=\n"
    "Date: Tue, 03 Sep 2024 12:00:00 +0200\n"
    "Message-ID: <abc.123@mailer.evil.example>\n"
    "In-Reply-To: <prev@campaign.example>\n"
    "References: <first@campaign.example>\n <prev@campaign.example>\n"
    'List-Id: "Staff" <staff.campaign.example>\n'
    "X-Mailer: PHPMailer 6.1\n"
    "User-Agent: Mutt/2.2\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/mixed; boundary="outer"\n'
    "\n"
    "This is a multi-part message in MIME format.\n"
    "--outer\n"
    'Content-Type: multipart/alternative; boundary="alt"\n'
    "\n"
    "--alt\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "Please reset your password today at https://evil.example/reset?u=jane.\n"
    "Questions? See (https://en.wikipedia.org/wiki/Phishing_(attack)) or www.help.evil.example/faq,\n"
    "--alt\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<html><head><style>p{color:red}</style><script>var x='hidden';</script></head><body>\n"
    "<p>Please reset your password</p>\n"
    '<a href=" http://login.evil.example/reset?u=jane&amp;t=1\n">https://accounts.google.com/reset</a>\n'
    "<a href='mailto:helpdesk@evil.example'>mail us</a><a href='#top'>top</a>\n"
    "</body></html>\n"
    "--alt--\n"
    + attachment("outer", "invoice.iso", "application/octet-stream", ISO)
    + attachment("outer", "Invoice.pdf.lnk", "application/octet-stream", LNK)
    + attachment("outer", "login.htm", "text/html", HTM)
    + attachment("outer", "report.docx", DOCX_TYPE, DOCX)
    + attachment("outer", "=?utf-8?q?Rechnung_M=C3=A4rz.pdf?=", "application/octet-stream", PDF)
    + "--outer--\n"
).encode()


@pytest.fixture(scope="module")
def rich() -> dict[str, object]:
    return parse_message(RICH)


def test_row_fits_the_emails_schema(rich: dict[str, object]) -> None:
    row = {**rich, "source": "x.eml", "source_offset": 0}
    table = pa.Table.from_pylist([row], schema=EMAILS)
    assert table.num_rows == 1
    assert set(rich) == set(EMAILS.names) - {"source", "source_offset"}


def test_identity_and_addresses(rich: dict[str, object]) -> None:
    assert rich["record_id"] == bytes_hash(RICH)
    assert rich["message_id"] == "abc.123@mailer.evil.example"
    assert rich["date"] == datetime(2024, 9, 3, 10, 0, tzinfo=UTC)
    assert rich["from_addr"] == "it-support@campaign.example"
    assert rich["from_name"] == "Campaign IT Support"
    assert rich["from_domain"] == "campaign.example"
    assert rich["reply_to"] == "helpdesk@evil.example"
    assert rich["return_path"] == "bounce@mailer.evil.example"
    assert rich["to_addrs"] == ["jane@campaign.example", "bob@campaign.example"]
    assert rich["cc_addrs"] == ["john@campaign.example"]
    assert rich["subject"] == "Dringend: Passwörter ändern"
    assert rich["in_reply_to"] == "prev@campaign.example"
    assert rich["references"] == ["first@campaign.example", "prev@campaign.example"]
    assert rich["list_id"] == "staff.campaign.example"
    assert rich["x_mailer"] == "PHPMailer 6.1"
    assert rich["user_agent"] == "Mutt/2.2"


def test_authentication_results(rich: dict[str, object]) -> None:
    assert (rich["spf"], rich["spf_domain"]) == ("pass", "mailer.evil.example")
    assert (rich["dkim"], rich["dkim_domain"]) == ("pass", "evil.example")
    assert (rich["dmarc"], rich["dmarc_domain"]) == ("fail", "campaign.example")


def test_received_chain_and_client_ip(rich: dict[str, object]) -> None:
    hops = rich["received"]
    assert isinstance(hops, list) and len(hops) == 3
    assert hops[0]["from_host"] == "mx.campaign.example" and hops[0]["by_host"] == "inbox.campaign.example"
    assert [h["ip"] for h in hops] == ["10.0.0.5", "185.220.101.7", "192.168.1.20"]
    assert hops[2]["time"] == datetime(2024, 9, 3, 10, 0, 1, tzinfo=UTC)
    assert rich["client_ip"] == "185.220.101.7"  # the earliest public hop; the LAN address is skipped


def test_urls_keep_href_and_visible_text_apart(rich: dict[str, object]) -> None:
    urls = rich["urls"]
    assert isinstance(urls, list)
    by_url = {u["url"]: u for u in urls}
    link = by_url["http://login.evil.example/reset?u=jane&t=1"]
    assert link["text"] == "https://accounts.google.com/reset"
    assert link["host"] == "login.evil.example" and link["registered_domain"] == "evil.example"
    plain = by_url["https://evil.example/reset?u=jane"]  # trailing full stop trimmed
    assert plain["text"] is None
    assert "https://en.wikipedia.org/wiki/Phishing_(attack)" in by_url
    assert "http://www.help.evil.example/faq" in by_url
    assert not any(u.startswith(("mailto:", "#")) for u in by_url)


def test_attachments_are_sniffed_and_hashed(rich: dict[str, object]) -> None:
    found = {a["filename"]: a for a in rich["attachments"]}  # type: ignore[attr-defined]
    assert {name: a["sniffed_type"] for name, a in found.items()} == {
        "invoice.iso": "iso9660",
        "Invoice.pdf.lnk": "lnk",
        "login.htm": "html",
        "report.docx": "ooxml",
        "Rechnung März.pdf": "pdf",
    }
    assert found["invoice.iso"]["size"] == len(ISO)
    assert found["invoice.iso"]["sha256"] == hashlib.sha256(ISO).hexdigest()
    assert found["login.htm"]["declared_type"] == "text/html"


def test_body_text_and_language(rich: dict[str, object]) -> None:
    assert str(rich["body_text"]).startswith("Please reset your password today")
    assert rich["language"] == "en"


def test_html_only_body_is_converted_to_text() -> None:
    raw = (
        b"From: a@b.example\nSubject: x\nContent-Type: text/html; charset=windows-1252\n\n"
        b"<html><head><title>T</title><style>.x{}</style></head><body><script>alert(1)</script>"
        b"<p>Sehr geehrte Kundin, bitte best\xe4tigen Sie Ihr Konto, sonst wird es gesperrt und Sie"
        b" k\xf6nnen nicht mehr auf die Daten zugreifen.</p>"
        b"<div>Mit freundlichen Gr\xfc\xdfen</div></body></html>"
    )
    row = parse_message(raw)
    assert row["body_text"].startswith("Sehr geehrte Kundin, bitte bestätigen")
    assert "alert" not in row["body_text"] and ".x{}" not in row["body_text"]
    assert row["language"] == "de"


def test_html_only_links_and_written_urls() -> None:
    raw = (
        b"From: a@b.example\nContent-Type: text/html\n\n<html><body>"
        b'<a href="https://evil.example/login">https://www.paypal.com/signin</a>'
        b"<p>Or paste https://other.example/x into your browser.</p></body></html>"
    )
    urls = [(u["url"], u["text"]) for u in parse_message(raw)["urls"]]
    assert urls == [
        ("https://evil.example/login", "https://www.paypal.com/signin"),
        ("https://other.example/x", None),  # not the link's text, which is no target
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # Microsoft: no authserv-id, results in comments, "none" domains.
        (
            "spf=pass (sender IP is 209.85.160.178) smtp.mailfrom=gmail.com;"
            " dkim=pass (signature was verified) header.d=gmail.com;dmarc=pass action=none"
            " header.from=gmail.com;compauth=pass reason=100",
            {"spf": ("pass", "gmail.com"), "dkim": ("pass", "gmail.com"), "dmarc": ("pass", "gmail.com")},
        ),
        (
            "spf=softfail (sender IP is 1.2.3.4) smtp.mailfrom=x.example; dkim=none (message not signed)"
            " header.d=none;dmarc=fail action=oreject header.from=bank.example;",
            {"spf": ("softfail", "x.example"), "dkim": ("none", None), "dmarc": ("fail", "bank.example")},
        ),
        # Google: the first DKIM pass wins over a failing second signature; header.i gives the domain.
        (
            "mx.google.com; dkim=fail header.i=@bad.example; dkim=pass header.i=@good.example header.s=a;"
            " spf=neutral (google.com: 1.2.3.4 is neither permitted nor denied)"
            ' smtp.mailfrom="u@good.example"',
            {"spf": ("neutral", "good.example"), "dkim": ("pass", "good.example")},
        ),
        # No semicolons between results.
        (
            "mx.example 1; spf=FAIL smtp.mailfrom=a.example dmarc=fail header.from=b.example",
            {"spf": ("fail", "a.example"), "dmarc": ("fail", "b.example")},
        ),
        ("garbage without results", {}),
    ],
)
def test_authentication_results_variants(header: str, expected: dict[str, tuple[str, str | None]]) -> None:
    assert auth_results([header]) == expected


def test_topmost_authentication_results_wins_and_received_spf_fills_in() -> None:
    raw = (
        b"Authentication-Results: mx.inbound.example; dkim=fail header.d=evil.example\n"
        b"Authentication-Results: forged.example; dkim=pass header.d=bank.example;"
        b" dmarc=pass header.from=bank.example\n"
        b"Received-SPF: Fail (mx: domain of x@spoof.example does not designate 1.2.3.4) "
        b'client-ip=1.2.3.4; envelope-from="x@spoof.example";\n'
        b"From: bank <a@bank.example>\n\nhi\n"
    )
    row = parse_message(raw)
    assert (row["dkim"], row["dkim_domain"]) == ("fail", "evil.example")
    assert (row["dmarc"], row["dmarc_domain"]) == ("pass", "bank.example")  # only the lower header has it
    assert (row["spf"], row["spf_domain"]) == ("fail", "spoof.example")


def test_received_variants() -> None:
    microsoft = received(
        "from mail-qt1-f178.google.com (209.85.160.178) by\n MW2NAM04FT023.mail.protection.outlook.com"
        " (10.13.30.111) with Microsoft SMTP\n Server id 15.20.6631.29 via Frontend Transport;"
        " Wed, 26 Jul 2023\n"
        " 17:59:05 +0000"
    )
    assert microsoft == {
        "from_host": "mail-qt1-f178.google.com",
        "by_host": "mw2nam04ft023.mail.protection.outlook.com",
        "ip": "209.85.160.178",
        "time": datetime(2023, 7, 26, 17, 59, 5, tzinfo=UTC),
    }
    v6 = received("from host (host.example [IPv6:2a00:1450:4864:20::42f]) by mx.example; bad date")
    assert v6["ip"] == "2a00:1450:4864:20::42f" and v6["time"] is None
    qmail = received("(qmail 21094 invoked from network); 20 Jul 2002 12:22:54 -0000")
    assert qmail["from_host"] is None and qmail["ip"] is None
    assert qmail["time"] == datetime(2002, 7, 20, 12, 22, 54, tzinfo=UTC)
    google = received("by 2002:a05:6a20:9183 with SMTP id jhu\tFri, 06 Oct 2023 19:03:52.738 +0000 (UTC)")
    assert google["time"] == datetime(2023, 10, 6, 19, 3, 52, tzinfo=UTC)
    go = received("from [10.0.0.1] by smtp.example (Haraka); 2023-10-06 19:03:52.833050666 +0000 UTC m=+78.2")
    assert go["time"] == datetime(2023, 10, 6, 19, 3, 52, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 03 Sep 2024 12:00:00 +0200", datetime(2024, 9, 3, 10, 0, tzinfo=UTC)),
        ("3 Sep 2024 12:00:00 -0000", datetime(2024, 9, 3, 12, 0, tzinfo=UTC)),
        ("Sun, 27 Oct 2024 10:16:27.133 +0000 (UTC)", datetime(2024, 10, 27, 10, 16, 27, tzinfo=UTC)),
        ("Sat, 22 Aug 102 04:07:35 +0000", datetime(2002, 8, 22, 4, 7, 35, tzinfo=UTC)),  # year - 1900
        ("Mon, 32 Jan 2024 10:00:00 +0000", None),
        ("Mon, 1 Jan 2024 10:00:00 +9999", None),
        ("someday", None),
        (None, None),
    ],
)
def test_dates(value: str | None, expected: datetime | None) -> None:
    assert to_datetime(value) == expected


def test_x_originating_ip_is_preferred_and_private_hops_skipped() -> None:
    raw = (
        b"Received: from web.example ([127.0.0.1]) by mx.example; Mon, 1 Jan 2024 00:00:00 +0000\n"
        b"Received: from client ([10.1.2.3]) by web.example; Mon, 1 Jan 2024 00:00:00 +0000\n"
        b"X-Originating-IP: [91.234.99.10]\nFrom: a@b.example\n\nx\n"
    )
    assert parse_message(raw)["client_ip"] == "91.234.99.10"
    private_only = raw.replace(b"X-Originating-IP: [91.234.99.10]\n", b"X-Originating-IP: [192.168.0.9]\n")
    assert parse_message(private_only)["client_ip"] is None


def test_rfc2047_decoding() -> None:
    assert decode_words("=?UTF-8?B?0J/RgNC40LLQtdGC?= =?UTF-8?B?INC80LjRgA==?=") == "Привет мир"
    assert decode_words("Re: =?utf-8?Q?caf=C3=A9?= ok") == "Re: café ok"
    assert decode_words("=?x-unknown?Q?abc?=") == "abc"
    assert decode_words("=?utf-8?B?!!!notbase64?=") in ("=?utf-8?B?!!!notbase64?=", "")
    # A multi-byte character split across two encoded words.
    assert decode_words("=?utf-8?B?w6Q=?==?utf-8?Q?=C3?= =?utf-8?Q?=B6?=") == "äö"


def test_tolerates_bad_dates_charsets_and_8bit_headers() -> None:
    raw = (
        "From: Jürgen <j@b.example>\nSubject: Grüße\nDate: Someday in 2024\n"
        "Content-Type: text/plain; charset=no-such-charset\nContent-Transfer-Encoding: base64\n\n"
        "!!!broken base64 ===\n"
    ).encode()
    row = parse_message(raw)
    assert row["date"] is None
    assert row["from_name"] == "Jürgen" and row["subject"] == "Grüße"
    latin1 = parse_message("Subject: Grüße\nFrom: x@y.example\n\nhé\n".encode("latin-1"))
    assert latin1["subject"] == "Grüße" and latin1["body_text"] == "hé"


def test_crlf_message_parses_like_lf(rich: dict[str, object]) -> None:
    crlf = parse_message(RICH.replace(b"\n", b"\r\n"))
    keys = ("subject", "from_addr", "to_addrs", "dkim", "dmarc_domain", "client_ip", "language", "references")
    for key in keys:
        assert crlf[key] == rich[key], key
    for key, field in (("urls", "url"), ("attachments", "sha256")):
        assert [x[field] for x in crlf[key]] == [x[field] for x in rich[key]]  # type: ignore[attr-defined]


def test_multipart_with_a_boundary_that_never_matches_is_read_as_text() -> None:
    raw = (
        b'From: a@b.example\nContent-Type: multipart/alternative; boundary="=Multipart Boundary 1"\n\n'
        b"--= Multipart Boundary 1\nContent-Type: text/plain\n\nSee http://deals.example/x\n"
    )
    row = parse_message(raw)
    assert row["attachments"] == [] and "See http://deals.example/x" in row["body_text"]
    assert [u["url"] for u in row["urls"]] == ["http://deals.example/x"]


def test_forwarded_message_is_an_attachment_and_its_links_count() -> None:
    inner = (
        b"From: evil@evil.example\nSubject: inner\nContent-Type: text/plain\n\n"
        b"Go to https://evil.example/x now\n"
    )
    raw = (
        b"From: analyst@campaign.example\nSubject: Fwd: phish\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nSee attached.\n'
        b'--b\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename="phish.eml"\n\n'
        + inner
        + b"--b--\n"
    )
    row = parse_message(raw)
    assert [(a["filename"], a["sniffed_type"]) for a in row["attachments"]] == [("phish.eml", "eml")]
    assert [u["url"] for u in row["urls"]] == ["https://evil.example/x"]


def test_url_count_is_bounded() -> None:
    links = "".join(f'<a href="https://x{i}.example/">{i}</a>' for i in range(limits.MAX_URLS + 100))
    raw = f"From: a@b.example\nContent-Type: text/html\n\n<html><body>{links}</body></html>\n".encode()
    assert len(parse_message(raw)["urls"]) == limits.MAX_URLS


def test_garbage_is_refused() -> None:
    with pytest.raises(BadMessage, match="not an e-mail message"):
        parse_message(b"\x00\x01\x02 binary \xff\xfe junk\n\nmore")
    with pytest.raises(BadMessage, match="not an e-mail message"):
        parse_message(b"")


def test_deep_mime_bomb_is_refused() -> None:
    depth = limits.MAX_MIME_DEPTH + 5
    head = "".join(f'--b{i - 1}\nContent-Type: multipart/mixed; boundary="b{i}"\n\n' for i in range(1, depth))
    raw = f'From: a@b.example\nContent-Type: multipart/mixed; boundary="b0"\n\n{head}--b{depth - 1}\n\nx\n'
    with pytest.raises(BadMessage, match="MIME nesting too deep"):
        parse_message(raw.encode())


def test_too_many_parts_are_refused() -> None:
    parts = "".join("--b\nContent-Type: text/plain\n\nx\n" for _ in range(limits.MAX_MIME_PARTS + 1))
    raw = f'From: a@b.example\nContent-Type: multipart/mixed; boundary="b"\n\n{parts}--b--\n'.encode()
    with pytest.raises(BadMessage, match="too many MIME parts"):
        parse_message(raw)
    boundaries = "".join(f'Content-Type: multipart/mixed; boundary="{i}"\n' for i in range(300))
    with pytest.raises(BadMessage, match="too many MIME parts"):
        parse_message(f"From: a@b.example\n\n{boundaries}".encode())


def test_huge_header_and_huge_message_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    header = b"X-Junk: " + b"a" * (limits.MAX_HEADER_BYTES + 10) + b"\nFrom: a@b.example\n\nbody\n"
    with pytest.raises(BadMessage, match="header too large"):
        parse_message(header)
    monkeypatch.setattr(parse, "MAX_MESSAGE_BYTES", 1000)
    with pytest.raises(BadMessage, match="message too large"):
        parse_message(b"From: a@b.example\n\n" + b"x" * 2000)


def test_record_id_is_stable_and_differs_per_message() -> None:
    assert parse_message(RICH)["record_id"] == parse_message(RICH)["record_id"]
    assert parse_message(RICH + b"\n")["record_id"] != parse_message(RICH)["record_id"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (DOCX, "ooxml"),
        (b"PK\x03\x04rest", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
        (ISO, "iso9660"),
        (LNK, "lnk"),
        (b"  <HTML><body>", "html"),
        (b"MZ\x90\x00", "pe"),
        (b"Rar!\x1a\x07\x01\x00", "rar"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"\x1f\x8b\x08", "gzip"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">', "svg"),
        (b"hello", None),
        (b"", None),
    ],
)
def test_sniff_type(data: bytes, kind: str | None) -> None:
    assert sniff_type(data) == kind


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Prezado cliente, você não confirmou sua conta. Clique para atualizar os dados.", "pt"),
        ("Estimado cliente, su cuenta está bloqueada. Por favor haga clic en el enlace.", "es"),
        (
            "Cher client, votre compte est bloqué. Merci de cliquer sur le lien pour confirmer vos données.",
            "fr",
        ),
        ("Уважаемый клиент, ваш аккаунт заблокирован. Чтобы восстановить доступ, перейдите по ссылке.", "ru"),
        ("12345 !!!", None),
        (None, None),
    ],
)
def test_language_guess(text: str | None, lang: str | None) -> None:
    assert guess_language(text) == lang


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_messages_parse_or_are_refused(data: st.DataObject) -> None:
    """Cut, flipped or spliced messages either parse or raise BadMessage; nothing else escapes."""
    raw = bytearray(RICH)
    for _ in range(data.draw(st.integers(0, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos : pos + data.draw(st.integers(0, 40))] = data.draw(st.binary(max_size=20))
    raw = raw[: data.draw(st.integers(0, len(raw)))]
    try:
        row = parse_message(bytes(raw))
    except BadMessage:
        return
    pa.Table.from_pylist([{**row, "source": "f", "source_offset": 0}], schema=EMAILS)


def test_received_prefers_the_address_the_server_saw_over_the_helo_literal() -> None:
    from vigil.ingest.email.headers import received

    hop = received(
        "from [192.168.1.223] (vps-91-206-178-34.hostline-nl.net [91.206.178.34]) by smtp.example.net "
        "(Postfix) with ESMTPSA id E2; Tue, 10 Sep 2024 07:14:19 +0000"
    )
    assert hop["ip"] == "91.206.178.34"
    assert hop["from_host"] == "192.168.1.223"


def test_encoded_word_with_a_nul_in_its_charset_decodes_as_utf8() -> None:
    assert decode_words("=?\x00iso-8859-1?q?caf=C3=A9?=") == "café"
