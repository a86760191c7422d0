"""The campaign's mail: an mbox journal of the staff mailboxes and the chair's Maildir inbox.

Every message is written by hand (no ``email.generator``) so that the bytes are stable for a seed:
RFC 5322 headers in the order a Microsoft 365 mailbox shows them (the receiving hops, then
``Authentication-Results``, then the sender's own hops in RFC 5321 form with the client's address),
MIME bodies with fixed boundaries, quoted-printable text, base64 attachments.
"""

from __future__ import annotations

import base64
import hashlib
import html
import quopri
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime, formataddr
from pathlib import Path

from vigil.demo import mail_text as words
from vigil.demo import story as s
from vigil.demo.common import det_b64, det_hex, pick_time, scaled, slug
from vigil.demo.manifest import PlantedAttack, iso

PDT = timezone(timedelta(hours=-7), "PDT")
CDT = timezone(timedelta(hours=-5), "CDT")
WEST = timezone(timedelta(hours=1), "WEST")

MBOX = "mail/campaign.mbox"
MAILDIR = "mail/maildir/chair"

_LINK = re.compile(r"\[\[(.+?)\|(.+?)\]\]")
SECTIONS = ("events", "issues", "volunteer")


# -- clients: the header fingerprint and Message-ID style of each mail program ---------------------


@dataclass(frozen=True)
class Client:
    key: str
    x_mailer: str = ""
    user_agent: str = ""
    msgid: str = "uuid_upper"  # see _message_id
    html: str = "outlook"  # see _wrap_html
    quote: str = "outlook"  # outlook | gmail | apple
    thread_index: bool = False
    mime_version: str = "1.0"
    content_language: str = ""


CLIENTS: dict[str, Client] = {
    c.key: c
    for c in (
        Client("outlook_win", msgid="exo", thread_index=True, content_language="en-US"),
        Client(
            "outlook_mac",
            user_agent="Microsoft-MacOutlook/16.88.24081116",
            msgid="exo",
            thread_index=True,
            content_language="en-US",
        ),
        Client(
            "apple_mail",
            x_mailer="Apple Mail (2.3776.700.51)",
            html="apple",
            quote="apple",
            mime_version="1.0 (Mac OS X Mail 16.0 \\(3776.700.51\\))",
        ),
        Client(
            "iphone", x_mailer="iPhone Mail (21G93)", html="apple", quote="apple", mime_version="1.0 (1.0)"
        ),
        Client(
            "outlook_postfix",
            x_mailer="Microsoft Outlook 16.0",
            msgid="outlook_classic",
            thread_index=True,
            content_language="en-us",
        ),
        Client(
            "iphone_postfix",
            x_mailer="iPhone Mail (21F90)",
            html="apple",
            quote="apple",
            mime_version="1.0 (1.0)",
        ),
        Client("outlook_onprem", msgid="onprem", thread_index=True, content_language="en-US"),
        Client(
            "thunderbird",
            user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 "
            "Thunderbird/115.14.0",
            msgid="uuid_lower",
            html="thunderbird",
            quote="gmail",
            content_language="en-US",
        ),
        Client("gmail_web", msgid="gmail", html="gmail", quote="gmail"),
        Client(
            "yahoo_web",
            x_mailer="WebService/1.1.22645 YMailNorrin",
            msgid="yahoo",
            html="gmail",
            quote="gmail",
        ),
        Client(
            "zoho", x_mailer="Zoho Mail", user_agent="Zoho Mail", msgid="zoho", html="gmail", quote="gmail"
        ),
        Client("mailchimp", msgid="mailchimp", html="raw"),
        Client("sendgrid", msgid="sendgrid", html="raw"),
        Client(
            "phpmailer",
            x_mailer="PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)",
            msgid="hex32",
            html="raw",
        ),
    )
}


# -- the message model ----------------------------------------------------------------------------


@dataclass
class Hop:
    """One ``Received`` line: ``from helo (rdns [ip]) by host with ...; date``."""

    by: str
    with_: str
    at: datetime
    helo: str = ""
    rdns: str = ""
    ip: str = ""
    for_: str = ""

    def render(self) -> str:
        parts = []
        if self.helo or self.ip:
            tcp = f"{self.rdns} [{self.ip}]" if self.rdns else f"[{self.ip}]"
            parts.append(f"from {self.helo or '[' + self.ip + ']'} ({tcp})")
        parts.append(f"by {self.by}")
        parts.append(f"with {self.with_}")
        if self.for_:
            parts.append(f"for <{self.for_}>")
        return " ".join(parts) + "; " + format_datetime(self.at)


@dataclass
class Auth:
    spf: str
    spf_domain: str
    dkim: str
    dkim_domain: str
    dmarc: str
    from_domain: str
    action: str = "none"
    compauth: str = "pass reason=100"
    sender_ip: str = ""

    def render(self) -> str:
        spf_note = f" (sender IP is {self.sender_ip})" if self.sender_ip else ""
        dkim_note = {
            "pass": " (signature was verified)",
            "fail": " (body hash did not verify)",
            "none": " (message not signed)",
        }.get(self.dkim, "")
        return (
            f"spf={self.spf}{spf_note} smtp.mailfrom={self.spf_domain}; dkim={self.dkim}{dkim_note} "
            f"header.d={self.dkim_domain or 'none'};dmarc={self.dmarc} action={self.action} "
            f"header.from={self.from_domain};compauth={self.compauth}"
        )


@dataclass
class Msg:
    when: datetime  # the Date header, in the sender's zone
    from_name: str
    from_addr: str
    to: list[tuple[str, str]]
    subject: str
    paras: list[str]
    client: str
    signature: str = ""
    cc: list[tuple[str, str]] = field(default_factory=list)
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    quoted: Msg | None = None
    forward_of: Msg | None = None  # a real forward: quote it in the forwarding format
    fake_forward: str = ""  # a forwarded-message block that forwards nothing
    hops: list[Hop] = field(default_factory=list)  # the sender's side, oldest first
    auth: Auth | None = None  # None: a sent item in the journal (never received by this tenant)
    headers: list[tuple[str, str]] = field(default_factory=list)  # extra, after the standard ones
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    calendar: str = ""
    raw_html: str = ""  # newsletters: the HTML as sent
    raw_text: str = ""
    return_path: str = ""
    dkim: list[tuple[str, str]] = field(default_factory=list)  # (domain, selector)
    box: str = ""  # chair | mbox (decided by the recipients unless set)
    flags: str = "S"
    client_ip: str = ""  # for the truth file only
    relay: str = ""  # host name of the server that hands the message to the tenant (default: last hop)
    relay_country: str = "US"  # where the tenant's filter places that server

    @property
    def from_domain(self) -> str:
        return self.from_addr.rsplit("@", 1)[1]


# -- rendering --------------------------------------------------------------------------------------


def _fold(name: str, value: str, width: int = 78) -> str:
    """``Name: value`` folded at spaces so that lines stay under ``width`` (RFC 5322 2.2.3)."""
    words_ = value.split(" ")
    lines: list[str] = []
    line = f"{name}:"
    for w in words_:
        if len(line) + 1 + len(w) > width and line.strip() and not line.endswith(":"):
            lines.append(line)
            line = "\t" + w
        else:
            line = f"{line} {w}"
    lines.append(line)
    return "\n".join(lines)


def _encode_header(value: str) -> str:
    if value.isascii():
        return value
    return Header(value, "utf-8").encode()


def _addr(name: str, addr: str) -> str:
    return formataddr((name, addr)) if name else addr


def _addrs(items: list[tuple[str, str]]) -> str:
    return ", ".join(_addr(n, a) for n, a in items)


def _plain_links(text: str) -> str:
    return _LINK.sub(
        lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} <{m.group(2)}>", text
    )


def _html_links(text: str) -> str:
    out = []
    pos = 0
    for m in _LINK.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append(f'<a href="{html.escape(m.group(2))}">{html.escape(m.group(1))}</a>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>\n")


def _attribution(q: Msg, style: str) -> str:
    when = q.when
    if style == "outlook":
        return (
            f"From: {q.from_name} <{q.from_addr}>\nSent: {when.strftime('%A, %B %-d, %Y %-I:%M %p')}\n"
            f"To: {_addrs(q.to)}\nSubject: {q.subject}"
        )
    if style == "apple":
        return f"On {when.strftime('%b %-d, %Y, at %-I:%M %p')}, {q.from_name} <{q.from_addr}> wrote:"
    return f"On {when.strftime('%a, %b %-d, %Y at %-I:%M %p')} {q.from_name} <{q.from_addr}> wrote:"


def _forward_block(q: Msg, style: str) -> str:
    head = (
        "________________________________" if style == "outlook" else "---------- Forwarded message ---------"
    )
    return (
        f"{head}\nFrom: {q.from_name} <{q.from_addr}>\nDate: {format_datetime(q.when)}\n"
        f"Subject: {q.subject}\nTo: {_addrs(q.to)}\n\n" + "\n\n".join(q.paras)
    )


def plain_body(m: Msg) -> str:
    client = CLIENTS[m.client]
    parts = ["\n\n".join(_plain_links(p) for p in m.paras)]
    if m.fake_forward:
        parts.append(_plain_links(m.fake_forward))
    if m.signature:
        parts.append(m.signature)
    text = "\n\n".join(parts)
    if m.forward_of is not None:
        text += "\n\n" + _plain_links(_forward_block(m.forward_of, client.quote))
    if m.quoted is not None:
        q = m.quoted
        quoted = "\n\n".join(_plain_links(p) for p in q.paras)
        if q.signature:
            quoted += "\n\n" + q.signature
        if client.quote == "outlook":
            text += "\n\n" + _attribution(q, "outlook") + "\n\n" + quoted
        else:
            text += (
                "\n\n"
                + _attribution(q, client.quote)
                + "\n\n"
                + "\n".join(("> " + line) if line else ">" for line in quoted.split("\n"))
            )
    return text.rstrip("\n") + "\n"


def html_body(m: Msg) -> str:
    client = CLIENTS[m.client]
    paras = [_html_links(p) for p in m.paras]
    if m.fake_forward:
        paras.append(_html_links(m.fake_forward))
    if m.signature:
        paras.append(html.escape(m.signature).replace("\n", "<br>\n"))
    if m.forward_of is not None:
        paras.append(_html_links(_forward_block(m.forward_of, client.quote)))
    quoted = ""
    if m.quoted is not None:
        q = m.quoted
        inner = "".join(f"<p>{_html_links(p)}</p>\n" for p in q.paras)
        attribution = html.escape(_attribution(q, client.quote)).replace("\n", "<br>\n")
        quoted = f'<div>{attribution}</div>\n<blockquote type="cite">\n{inner}</blockquote>\n'
    return _wrap_html(client.html, paras, quoted)


def _wrap_html(style: str, paras: list[str], quoted: str) -> str:
    if style == "outlook":
        body = "".join(f'<p class="MsoNormal">{p}<o:p></o:p></p>\n' for p in paras)
        return (
            '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\n'
            '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
            "<style><!--\np.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0in; font-size:11.0pt; "
            'font-family:"Calibri",sans-serif;}\n--></style>\n</head>\n'
            '<body lang="EN-US" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\n'
            f'<div class="WordSection1">\n{body}{quoted}</div>\n</body>\n</html>\n'
        )
    if style == "apple":
        body = "".join(f"<div>{p}</div><div><br></div>\n" for p in paras)
        return (
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
            '<body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; '
            'line-break: after-white-space;">\n'
            f"{body}{quoted}</body></html>\n"
        )
    if style == "thunderbird":
        body = "".join(f"<p>{p}</p>\n" for p in paras)
        return (
            '<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; '
            f'charset=UTF-8">\n  </head>\n  <body>\n{body}{quoted}  </body>\n</html>\n'
        )
    body = "".join(f"<div>{p}</div><div><br></div>" for p in paras)
    return f'<div dir="ltr">{body}</div>\n{quoted}'


def _text_part(text: str, subtype: str, charset: str = "utf-8", extra: str = "") -> str:
    if text.isascii() and max((len(line) for line in text.split("\n")), default=0) < 900:
        cte, payload = "7bit", text
    else:
        cte = "quoted-printable"
        payload = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    if not payload.endswith("\n"):
        payload += "\n"
    return (
        f'Content-Type: text/{subtype}; charset="{charset}"{extra}\n'
        f"Content-Transfer-Encoding: {cte}\n\n{payload}"
    )


def _base64_part(filename: str, ctype: str, data: bytes, inline: bool = False) -> str:
    disposition = "inline" if inline else "attachment"
    payload = base64.encodebytes(data).decode("ascii")
    return (
        f'Content-Type: {ctype}; name="{filename}"\nContent-Description: {filename}\n'
        f'Content-Disposition: {disposition}; filename="{filename}"; size={len(data)}\n'
        f"Content-Transfer-Encoding: base64\n\n{payload}"
    )


def _boundary(m: Msg, level: int) -> str:
    h = det_hex(m.message_id, level, n=32)
    style = CLIENTS[m.client].html
    if style == "outlook":
        return f"_00{level}_{h[:24].upper()}namprd_"
    if style == "apple":
        u = h.upper()
        return f"Apple-Mail={u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:32]}"
    if style == "thunderbird":
        return f"------------{h[:24]}"
    return f"00000000000{level}{h[:17]}"


def mime(m: Msg) -> tuple[str, str]:
    """(the Content-Type/CTE header lines, the body) of a message."""
    if m.raw_html or m.raw_text:
        text, htm = m.raw_text, m.raw_html
    else:
        text = plain_body(m)
        htm = "" if CLIENTS[m.client].html == "raw" else html_body(m)
    parts = [_text_part(text, "plain")]
    if htm:
        parts.append(_text_part(htm, "html"))
    if m.calendar:
        parts.append(
            _base64_part(
                "invite.ics",
                'text/calendar; charset="utf-8"; method=REQUEST',
                m.calendar.encode("utf-8"),
                inline=True,
            ).replace(
                'Content-Type: text/calendar; charset="utf-8"; method=REQUEST; name="invite.ics"',
                'Content-Type: text/calendar; charset="utf-8"; method=REQUEST',
            )
        )
    if len(parts) == 1:
        head, _, body = parts[0].partition("\n\n")
        inner_head, inner_body = head, body
    else:
        b = _boundary(m, 1)
        inner_head = f'Content-Type: multipart/alternative;\n\tboundary="{b}"'
        inner_body = "".join(f"--{b}\n{p}\n" for p in parts) + f"--{b}--\n"
    if not m.attachments:
        return inner_head, inner_body
    b2 = _boundary(m, 2)
    body = f"--{b2}\n{inner_head}\n\n{inner_body}\n"
    for name, ctype, data in m.attachments:
        body += f"--{b2}\n{_base64_part(name, ctype, data)}\n"
    body += f"--{b2}--\n"
    return f'Content-Type: multipart/mixed;\n\tboundary="{b2}"', body


def render(m: Msg) -> bytes:
    """The message as delivered to the campaign's Microsoft 365 tenant (or as a journaled sent item)."""
    client = CLIENTS[m.client]
    ctype, body = mime(m)
    lines: list[str] = []
    utc = m.when.astimezone(UTC)
    hops = list(m.hops)
    relay = m.relay or (hops[-1].by.split(" ")[0] if hops else "")
    if m.auth is not None:
        last = hops[-1].at if hops else utc
        fe = f"BN1NAM02FT{det_hex(m.message_id, 'fe', n=3).upper()}"
        be = f"SA1PR12MB{int(det_hex(m.message_id, 'be', n=4), 16) % 9000 + 1000}"
        hops.append(
            Hop(
                by=f"{fe}.mail.protection.outlook.com "
                f"(10.13.2.{int(det_hex(m.message_id, 'ip', n=2), 16) % 250 + 2})",
                with_="Microsoft SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id "
                "15.20.7918.13 "
                "via Frontend Transport",
                at=(last + timedelta(seconds=2)).astimezone(UTC),
                helo=relay if m.auth.sender_ip else "",
                rdns=relay if m.auth.sender_ip else "",
                ip=m.auth.sender_ip,
            )
        )
        hops.append(
            Hop(
                by=f"{be}.namprd12.prod.outlook.com (2603:10b6:806:{det_hex(m.message_id, 'v6', n=3)}::7)",
                with_="Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) "
                "id 15.20.7918.24",
                at=(last + timedelta(seconds=3)).astimezone(UTC),
                helo=f"{fe}.eop-nam02.prod.protection.outlook.com",
                rdns="",
                ip=f"2603:10b6:806:{det_hex(m.message_id, 'v6b', n=3)}::4",
            )
        )
    received = list(reversed(hops))
    # Exchange Online puts Authentication-Results between the back-end hop and the front-end hop
    exo_hops = 1 if m.auth is not None else 0
    for h in received[:exo_hops]:
        lines.append(_fold("Received", h.render()))
    if m.auth is not None:
        lines.append(_fold("Authentication-Results", m.auth.render()))
        if m.auth.sender_ip:
            verdict = {"pass": "Pass", "fail": "Fail", "softfail": "SoftFail", "none": "None"}[m.auth.spf]
            lines.append(
                _fold(
                    "Received-SPF",
                    (
                        f"{verdict} (protection.outlook.com: domain of {m.auth.spf_domain} "
                        f"{'designates' if m.auth.spf == 'pass' else 'does not designate'} "
                        f"{m.auth.sender_ip} as "
                        f"permitted sender) receiver=protection.outlook.com; client-ip={m.auth.sender_ip}; "
                        f"helo={relay or 'unknown'};"
                    ),
                )
            )
    for h in received[exo_hops:]:
        lines.append(_fold("Received", h.render()))
    body_hash = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    for domain, selector in m.dkim:
        sig = " ".join(det_b64(m.message_id, domain, n=344)[i : i + 72] for i in range(0, 344, 72))
        lines.append(
            _fold(
                "DKIM-Signature",
                (
                    f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s={selector}; "
                    f"t={int(utc.timestamp())}; "
                    f"h=From:Date:Subject:Message-ID:Content-Type:MIME-Version; bh={body_hash}; b={sig}"
                ),
            )
        )
    lines.append(_fold("From", _addr(m.from_name, m.from_addr)))
    if m.to:
        lines.append(_fold("To", _addrs(m.to)))
    if m.cc:
        lines.append(_fold("CC", _addrs(m.cc)))
    lines.append(_fold("Subject", _encode_header(m.subject)))
    if client.thread_index:
        topic = re.sub(r"^((re|fwd?|fw):\s*)+", "", m.subject, flags=re.I)
        lines.append(_fold("Thread-Topic", _encode_header(topic)))
        lines.append(f"Thread-Index: {det_b64(m.message_id, 'ti', n=30)}==")
    lines.append(f"Date: {format_datetime(m.when)}")
    lines.append(f"Message-ID: {m.message_id}")
    if m.in_reply_to:
        lines.append(f"In-Reply-To: {m.in_reply_to}")
    if m.references:
        lines.append(_fold("References", " ".join(m.references)))
    for name, value in m.headers:
        lines.append(_fold(name, value))
    if client.content_language:
        lines.append(f"Content-Language: {client.content_language}")
    if client.x_mailer:
        lines.append(f"X-Mailer: {client.x_mailer}")
    if client.user_agent:
        lines.append(f"User-Agent: {client.user_agent}")
    lines.append(f"MIME-Version: {client.mime_version}")
    lines.append(ctype)
    if m.return_path:
        lines.append(f"Return-Path: <{m.return_path}>")
    if m.auth is not None:
        lines.append(f"X-MS-Exchange-Organization-Network-Message-Id: {s.demo_uuid('netmsg', m.message_id)}")
        lines.append(
            "X-MS-Exchange-Organization-AuthAs: "
            + ("Internal" if m.from_domain == s.CAMPAIGN_DOMAIN and m.auth.dmarc == "pass" else "Anonymous")
        )
        if m.auth.sender_ip:
            lines.append(
                _fold(
                    "X-Forefront-Antispam-Report",
                    (
                        f"CIP:{m.auth.sender_ip};CTRY:{m.relay_country};LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:{relay};CAT:NONE;"
                        "SFS:(13230040)(4636009)(376014);DIR:INB;"
                    ),
                )
            )
    return ("\n".join(lines) + "\n\n" + body).encode("utf-8")


# -- the generator ---------------------------------------------------------------------------------


def _mid(m: Msg) -> str:
    """A Message-ID as the truth file lists it: without the angle brackets (as in the emails table)."""
    return m.message_id.strip("<>")


def _exo_msgid(rng: random.Random) -> str:
    srv = f"SA1PR12MB{rng.randrange(1000, 9999)}"
    return f"<{srv}{rng.getrandbits(112):028X}@{srv}.namprd12.prod.outlook.com>"


def _message_id(rng: random.Random, client: str, domain: str) -> str:
    style = CLIENTS[client].msgid
    if style == "exo":
        return _exo_msgid(rng)
    if style == "outlook_classic":
        return (
            f"<{rng.getrandbits(16):04x}01da{rng.getrandbits(16):04x}${rng.getrandbits(32):08x}"
            f"${rng.getrandbits(32):08x}$@{domain}>"
        )
    if style == "onprem":
        return f"<{rng.getrandbits(128):032X}@EXCH0{rng.randrange(1, 4)}.{domain.split('.')[0]}.local>"
    if style == "uuid_lower":
        return f"<{_uuid(rng)}@{domain}>"
    if style == "gmail":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_-="
        return "<CA" + "".join(rng.choice(alphabet) for _ in range(44)) + "@mail.gmail.com>"
    if style == "yahoo":
        a, b, c = rng.randrange(10**8, 10**9), rng.randrange(10**6, 10**7), rng.randrange(10**12, 10**13)
        return f"<{a}.{b}.{c}@mail.yahoo.com>"
    if style == "zoho":
        a, b, c = rng.getrandbits(44), rng.getrandbits(44), rng.randrange(10**18, 10**19)
        return f"<{a:011x}.{b:011x}.{c}@{domain}>"
    if style == "mailchimp":
        a, b, c, d = rng.getrandbits(80), rng.getrandbits(32), rng.randrange(10, 250), rng.randrange(11, 99)
        return f"<{a:020x}.{b:08x}@mail{c}.atl{d}.mcdlv.net>"
    if style == "sendgrid":
        token = det_b64(rng.random(), n=22).replace("/", "_").replace("+", "-")
        return f"<{token}@geopod-ismtpd-{rng.randrange(1, 40)}>"
    if style == "hex32":
        return f"<{rng.getrandbits(128):032x}@{domain}>"
    return f"<{_uuid(rng).upper()}@{domain}>"


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[rng.randrange(4)]}{h[17:20]}-{h[20:32]}"


class MailGen:
    def __init__(self, rng: random.Random, scale: float) -> None:
        self.rng = rng
        self.scale = scale
        self.msgs: list[Msg] = []
        self.attacks: list[PlantedAttack] = []
        self.negatives: list[PlantedAttack] = []
        self.people = {p.key: p for p in (*s.STAFF, *s.EXTERNALS)}

    # -- addresses, networks, links ------------------------------------------------------------

    def home_ip(self, p: s.Person) -> tuple[str, str]:
        net = s.HOME_NETS[p.home]
        i = int(det_hex(p.key, n=4), 16) % len(net.ips)
        return net.ips[i], (net.rdns[i] if net.rdns else "")

    def staff_ip(self, p: s.Person, t: datetime) -> tuple[str, str]:
        local = t.astimezone(s.EDT)
        mobile = s.HOME_NETS["phl_tmobile"]
        if p.client == "iphone" and self.rng.random() < 0.55:
            return self.rng.choice(mobile.ips), ""
        if local.weekday() < 5 and 9 <= local.hour < 18 and self.rng.random() < 0.7:
            return s.CAMPAIGN_OFFICE.ips[0], "pool-96-245-30-66.phlapa.fios.verizon.net"
        return self.home_ip(p)

    def helo(self, p: s.Person, client: str) -> str:
        """What the mail client says in EHLO: Windows says its machine name, Apple a fixed name, others an
        address literal of the LAN (so the connecting address is only in the TCP-info part)."""
        style = CLIENTS[client]
        if client in ("outlook_win", "outlook_postfix", "outlook_onprem"):
            return f"DESKTOP-{det_hex(p.key, 'pc', n=7).upper()}"
        if style.html == "apple":
            return "smtpclient.apple"
        return f"[192.168.{self.rng.randrange(0, 3)}.{self.rng.randrange(2, 250)}]"

    def url(self, kind: str, topic: str, t: datetime) -> str:
        r = self.rng
        d = t.strftime("%Y/%m/%d")
        sl = slug(topic) or "update"
        if kind == "docs.google.com":
            alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
            return (
                "https://docs.google.com/document/d/"
                + "".join(r.choice(alphabet) for _ in range(44))
                + "/edit"
            )
        n5 = r.randrange(10**4, 10**5)
        table = {
            "politico.com": f"https://www.politico.com/news/{d}/{sl}-00{r.randrange(100000, 999999)}",
            "nytimes.com": f"https://www.nytimes.com/{d}/us/politics/{sl}.html",
            "washingtonpost.com": f"https://www.washingtonpost.com/politics/{d}/{sl}/",
            "realclearpolling.com": "https://www.realclearpolling.com/polls/senate/general/2024/pennsylvania",
            "harperforamerica.org": f"https://www.harperforamerica.org/{r.choice(SECTIONS)}/{sl}",
            "springfieldherald.com": f"https://www.springfieldherald.com/news/politics/{d}/{sl}",
            "caldervalleytimes.com": f"https://www.caldervalleytimes.com/local/{sl}-{n5}",
            "keystonestatewire.com": f"https://keystonestatewire.com/{d}/{sl}/",
            "zoom.us": f"https://us06web.zoom.us/j/{r.randrange(10**10, 10**11)}"
            f"?pwd={det_b64(topic, t, n=32)}",
            "x.com": f"https://x.com/{r.choice(['megharper', 'springfieldherald', 'caldervoters'])}/status/"
            f"{r.randrange(10**18, 10**19)}",
            "fec.gov": f"https://www.fec.gov/data/committee/C00{r.randrange(100000, 999999)}/",
            "mobilize.us": f"https://www.mobilize.us/harperforamerica/event/{r.randrange(600000, 700000)}/",
            "census.gov": "https://www.census.gov/quickfacts/fact/table/PA/PST045223",
            "brookings.edu": f"https://www.brookings.edu/articles/{sl}/",
            "kellerresearch.com": f"https://portal.kellerresearch.com/projects/hfa-2024/{sl}",
            "keystoneprintworks.com": f"https://portal.keystoneprintworks.com/proofs/{n5}",
            "keystoneu.edu": f"https://www.keystoneu.edu/research/broadband/{sl}",
            "dunmorekline.com": f"https://www.dunmorekline.com/insights/{sl}",
        }
        return table.get(kind, f"https://{kind}/{sl}")

    def resolve(self, text: str, t: datetime, topic: str) -> str:
        """Turn ``[[text|kind]]`` markers into ``[[text|https://...]]``."""
        return _LINK.sub(lambda m: f"[[{m.group(1)}|{self.url(m.group(2), topic, t)}]]", text)

    # -- building messages by sender kind ------------------------------------------------------

    def staff_msg(
        self,
        p: s.Person,
        to: list[s.Person],
        cc: list[s.Person],
        t: datetime,
        subject: str,
        paras: list[str],
        *,
        ip: tuple[str, str] | None = None,
        in_reply_to: str = "",
        references: list[str] | None = None,
        quoted: Msg | None = None,
        forward_of: Msg | None = None,
    ) -> Msg:
        client_ip, rdns = ip or self.staff_ip(p, t)
        internal = all(r.email.endswith("@" + s.CAMPAIGN_DOMAIN) for r in [*to, *cc])
        m = Msg(
            when=t.astimezone(s.EDT),
            from_name=p.name,
            from_addr=p.email,
            to=[(r.name, r.email) for r in to],
            cc=[(r.name, r.email) for r in cc],
            subject=subject,
            paras=paras,
            client=p.client,
            signature=f"{p.name}\n{p.title} | Harper for America",
            message_id=_message_id(self.rng, p.client, s.CAMPAIGN_DOMAIN),
            client_ip=client_ip,
            in_reply_to=in_reply_to,
            references=list(references or []),
            quoted=quoted,
            forward_of=forward_of,
        )
        m.hops = [
            Hop(
                by=f"SA1PR12MB{self.rng.randrange(1000, 9999)}.namprd12.prod.outlook.com",
                with_="Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) "
                "id 15.20.7918.24 via Frontend Transport"
                if p.client in ("apple_mail", "iphone")
                else "HTTPS",
                at=t.astimezone(UTC) + timedelta(seconds=1),
                helo=self.helo(p, p.client),
                rdns=rdns,
                ip=client_ip,
            )
        ]
        if internal:
            m.auth = Auth(
                "pass",
                s.CAMPAIGN_DOMAIN,
                "pass",
                s.CAMPAIGN_DOMAIN,
                "pass",
                s.CAMPAIGN_DOMAIN,
                sender_ip=self.rng.choice(s.EXO_OUTBOUND),
            )
            m.hops.append(
                Hop(by=m.hops[0].by, with_="mapi id 15.20.7918.024", at=m.hops[0].at + timedelta(seconds=1))
            )
            m.dkim = [(s.CAMPAIGN_DOMAIN, "selector1")]
            m.return_path = p.email
        return m

    def external_msg(
        self,
        p: s.Person,
        to: list[s.Person],
        t: datetime,
        subject: str,
        paras: list[str],
        *,
        net: s.Net | None = None,
        client: str | None = None,
        cc: list[s.Person] | None = None,
        local_tz: timezone = s.EDT,
    ) -> Msg:
        client = client or p.client
        domain = p.email.rsplit("@", 1)[1]
        m = Msg(
            when=t.astimezone(local_tz),
            from_name=p.name,
            from_addr=p.email,
            to=[(r.name, r.email) for r in to],
            cc=[(r.name, r.email) for r in cc or []],
            subject=subject,
            paras=paras,
            client=client,
            signature=f"{p.name}\n{p.title}" if p.role != "donor" else p.name.split()[0],
            message_id=_message_id(self.rng, client, domain),
            return_path=p.email,
        )
        route = p.home if net is None else net.key
        if client in ("gmail_web",):
            g = s.HOME_NETS["google"]
            i = self.rng.randrange(len(g.ips))
            m.hops = [
                Hop(
                    by=f"2002:a05:6a10:{self.rng.getrandbits(16):x}:b0:{self.rng.getrandbits(12):x}:"
                    f"{self.rng.getrandbits(16):x}:{self.rng.getrandbits(12):x}",
                    with_=f"SMTP id {det_b64(m.message_id, n=12)}csp{self.rng.randrange(10**5, 10**6)}",
                    at=t.astimezone(PDT),
                ),
            ]
            m.relay = g.rdns[i]
            m.client_ip = g.ips[
                i
            ]  # Gmail does not show the client's address: the first public one is Google's
            m.dkim = [(domain, "20230601" if domain == "gmail.com" else "google")]
            m.auth = Auth("pass", domain, "pass", domain, "pass", domain, sender_ip=g.ips[i])
            return m
        if client == "yahoo_web":
            y = s.HOME_NETS["yahoo"]
            i = self.rng.randrange(len(y.ips))
            m.hops = [Hop(by=y.rdns[i], with_="HTTP", at=t.astimezone(UTC))]
            m.relay = y.rdns[i]
            m.client_ip = y.ips[i]
            m.dkim = [(domain, "s2048")]
            m.auth = Auth("pass", domain, "pass", domain, "pass", domain, sender_ip=y.ips[i])
            return m
        # a sender on their own (or their provider's) server: Postfix or Exchange on premises
        net = net or s.HOME_NETS[route]
        ip = self.rng.choice(net.ips)
        rdns = net.rdns[net.ips.index(ip)] if net.rdns else ""
        host, host_ip = {
            "chesapeakemail.net": (s.ADVISER_MAIL_HOST, s.ADVISER_MAIL_IP),
            "springfieldherald.com": ("mail.springfieldherald.com", "38.104.58.12"),
            "dunmorekline.com": ("mx1.dunmorekline.com", "38.140.21.90"),
            "keystoneprintworks.com": ("mail.keystoneprintworks.com", "50.78.112.34"),
            "keystoneu.edu": ("smtp.keystoneu.edu", "128.118.10.22"),
        }.get(domain, (f"mail.{domain}", ip))
        onprem = client == "outlook_onprem"
        m.hops = [
            Hop(
                by=f"{host} ({'Microsoft Exchange Server' if onprem else 'Postfix'})",
                with_="ESMTPSA id " + det_hex(m.message_id, n=10).upper(),
                at=t.astimezone(local_tz) + timedelta(seconds=1),
                helo=self.helo(p, client),
                rdns=rdns,
                ip=ip,
                for_=to[0].email,
            )
        ]
        m.client_ip = ip
        m.dkim = [(domain, "mail2023")]
        m.auth = Auth("pass", domain, "pass", domain, "pass", domain, sender_ip=host_ip)
        return m

    # -- the ordinary mail ---------------------------------------------------------------------

    def days(self) -> list[datetime]:
        start = datetime(2024, 6, 1, tzinfo=s.EDT)
        n = (s.MAIL_END - s.MAIL_START).days + 1
        return [start + timedelta(days=i) for i in range(n)]

    def weekday(self) -> datetime:
        while True:
            d = self.rng.choice(self.days())
            if d.weekday() < 5:
                return d

    def staff_threads(self) -> None:
        r = self.rng
        staff = {p.key: p for p in s.STAFF}
        for _ in range(scaled(150, self.scale, 8)):
            subject, starters, openers, replies = r.choice(words.TOPICS)
            starter = staff[r.choice(starters)]
            others = [p for p in s.STAFF if p.key not in (starter.key, "candidate")]
            group = r.sample(others, r.randint(1, 3))
            if s.CHAIR not in group and starter is not s.CHAIR and r.random() < 0.35:
                group.append(s.CHAIR)
            if r.random() < 0.15:
                group.append(s.CANDIDATE)
            day = self.weekday()
            t = pick_time(r, day, starter.hours)
            if subject.startswith("Canvass report"):
                weekend = day - timedelta(days=day.weekday() + 2)
                subject = f"Canvass report - weekend of {weekend.strftime('%b %-d')}"
            para = self.resolve(r.choice(openers), t, subject)
            first = self.staff_msg(starter, group[:1], group[1:], t, subject, [para])
            self.msgs.append(first)
            prev = first
            chain = [first.message_id]
            speakers = [starter, *group]
            for _ in range(r.choice((0, 1, 1, 2, 2, 3))):
                who = r.choice(
                    [p for p in speakers if p.email != prev.from_addr and p is not s.CANDIDATE] or [starter]
                )
                t = t + timedelta(minutes=r.randrange(8, 300))
                local = t.astimezone(s.EDT)
                if local.hour >= who.hours[1] or local.hour < who.hours[0]:
                    t = pick_time(r, local + timedelta(days=1), who.hours)
                text = self.resolve(r.choice(replies + words.GENERIC_REPLIES), t, subject)
                rest = [p for p in speakers if p is not who and p.email != prev.from_addr]
                sender = next(p for p in s.STAFF if p.email == prev.from_addr)
                reply = self.staff_msg(
                    who,
                    [sender],
                    rest,
                    t,
                    "RE: " + subject if who.client.startswith("outlook") else "Re: " + subject,
                    [text],
                    in_reply_to=prev.message_id,
                    references=list(chain),
                    quoted=prev,
                )
                self.msgs.append(reply)
                chain.append(reply.message_id)
                prev = reply
        # one staffer writing at 1 a.m. from a hotel on the road (a hard negative for "odd hour, new IP")
        hotel = s.HOME_NETS["desmoines_hotel"]
        t = datetime(2024, 8, 22, 1, 12, 40, tzinfo=CDT)
        m = self.staff_msg(
            s.MANAGER,
            [s.CHAIR],
            [s.FIELD],
            t,
            "Iowa trip notes",
            [
                "Landed late in Des Moines. Quick notes from today's meetings with the labor folks "
                "before I forget: they want the candidate at the state fair next year if we win, and "
                "they liked the broadband plan."
            ],
            ip=(hotel.ips[0], ""),
        )
        m.when = t
        self.msgs.append(m)
        neg = PlantedAttack(
            id="neg.mail.manager_on_the_road",
            kind="benign-anomalous-login",
            negative=True,
            actor="",
            title="Campaign manager writes at 1 a.m. from a hotel in Des Moines (legitimate travel)",
            files=[MAILDIR],
            start=iso(t),
            end=iso(t),
            records=[_mid(m)],
            signals=["odd hour", "new client IP"],
        )
        neg.add("email-addr", s.MANAGER.email)
        neg.add("ipv4-addr", hotel.ips[0])
        self.negatives.append(neg)

    def adviser_history(self) -> None:
        r = self.rng
        adviser = s.ADVISER
        home = s.HOME_NETS["arl_fios"]
        vzw = s.HOME_NETS["arl_vzw"]
        n = scaled(32, self.scale, 14)
        days = [
            d
            for d in self.days()
            if not (datetime(2024, 7, 6, tzinfo=s.EDT) <= d <= datetime(2024, 7, 20, tzinfo=s.EDT))
        ]
        days = [d for d in days if d < datetime(2024, 10, 25, tzinfo=s.EDT)]
        chosen = sorted(r.sample(days, n))
        recipients = [s.CHAIR] * 7 + [s.MANAGER, s.POLICY, s.COMMS]
        for i, day in enumerate(chosen):
            subject, text = words.ADVISER_NOTES[i % len(words.ADVISER_NOTES)]
            hours = adviser.hours if day.weekday() < 5 else (10, 18)
            t = pick_time(r, day, hours)
            on_phone = r.random() < 0.2
            to = r.choice(recipients)
            text = self.resolve(text, t, subject)
            m = self.external_msg(
                adviser,
                [to],
                t,
                subject,
                [text],
                net=vzw if on_phone else home,
                client="iphone_postfix" if on_phone else "outlook_postfix",
            )
            m.signature = "Gordon" if on_phone else "Gordon Reyes\n(703) 555-0187"
            self.msgs.append(m)
            if to is s.CHAIR and r.random() < 0.6:
                # the chair answers (a sent item, journaled) and Gordon sometimes answers back
                t2 = (
                    pick_time(r, day + timedelta(days=r.choice((0, 0, 1))), (max(t.hour + 1, 8), 22))
                    if t.hour < 21
                    else t + timedelta(hours=1)
                )
                reply = self.staff_msg(
                    s.CHAIR,
                    [adviser],
                    [],
                    t2,
                    "RE: " + subject,
                    [r.choice(words.CHAIR_REPLIES_TO_ADVISER)],
                    in_reply_to=m.message_id,
                    references=[m.message_id],
                    quoted=m,
                )
                self.msgs.append(reply)
                t3 = t2 + timedelta(minutes=r.randrange(20, 240))
                if r.random() < 0.5 and adviser.hours[0] <= t3.hour < adviser.hours[1]:
                    back = self.external_msg(
                        adviser,
                        [s.CHAIR],
                        t3,
                        "RE: " + subject,
                        ["Anytime. Keep going."],
                        net=home,
                        client="outlook_postfix",
                    )
                    back.in_reply_to = reply.message_id
                    back.references = [m.message_id, reply.message_id]
                    back.quoted = reply
                    back.signature = "Gordon"
                    self.msgs.append(back)
        # Gordon on holiday in Lisbon, writing from his phone: new country, same account, nothing wrong
        lisbon = s.HOME_NETS["lisbon_meo"]
        neg = PlantedAttack(
            id="neg.mail.adviser_on_holiday",
            kind="benign-new-location",
            negative=True,
            actor="",
            title="The former adviser writes from his phone on holiday in Lisbon (new country, legitimate)",
            files=[MAILDIR],
            start="",
            end="",
            signals=["new client IP", "new country", "known links only"],
        )
        neg.add("email-addr", adviser.email)
        for i, (subject, text) in enumerate(words.ADVISER_TRAVEL_NOTES):
            t = datetime(2024, 7, 8 + 4 * i, 14 + i, 20 + 7 * i, 5, tzinfo=WEST)
            text = self.resolve(text, t, subject)
            m = self.external_msg(
                adviser, [s.CHAIR], t, subject, [text], net=lisbon, client="iphone_postfix", local_tz=WEST
            )
            m.signature = "Sent from my iPhone"
            self.msgs.append(m)
            neg.records.append(_mid(m))
            neg.add("ipv4-addr", m.client_ip)
            neg.start = neg.start or iso(t)
            neg.end = iso(t)
        self.negatives.append(neg)

    def externals(self) -> None:
        r = self.rng
        plan: list[tuple[s.Person, list[s.Person], int]] = [
            (s.POLLSTER, [s.MANAGER, s.POLICY, s.CHAIR], 10),
            (s.REPORTER, [s.COMMS, s.PRESS], 10),
            (s.COUNSEL, [s.FINANCE, s.MANAGER, s.CHAIR], 6),
            (s.DONOR, [s.CHAIR, s.FINANCE], 6),
            (s.PRINTER, [s.FIELD, s.SCHEDULER], 5),
        ]
        for person, targets, count in plan:
            notes = words.EXTERNAL_NOTES[person.key]
            for i in range(scaled(count, self.scale, 2)):
                subject, text = notes[i % len(notes)]
                day = self.weekday()
                t = pick_time(r, day, person.hours)
                to = r.choice(targets)
                tz = PDT if person.client == "gmail_web" and person.role == "donor" else s.EDT
                m = self.external_msg(person, [to], t, subject, [self.resolve(text, t, subject)], local_tz=tz)
                self.msgs.append(m)
        # the professor writes to the chair's personal address, which forwards to the campaign: the
        # forwarder breaks SPF and DKIM, so DMARC fails on an entirely legitimate message.
        neg = PlantedAttack(
            id="neg.mail.forwarded_dmarc_fail",
            kind="benign-dmarc-failure",
            negative=True,
            actor="",
            title="A professor's mail auto-forwarded from the chair's personal domain fails DMARC",
            files=[MAILDIR],
            start="",
            end="",
            signals=["dmarc=fail", "spf=fail", "dkim=fail"],
        )
        neg.add("email-addr", s.PROFESSOR.email)
        neg.add("domain-name", "keystoneu.edu")
        for i, (subject, text) in enumerate(words.EXTERNAL_NOTES["professor"]):
            t = pick_time(r, datetime(2024, 8, 5 + 21 * i, tzinfo=s.EDT), s.PROFESSOR.hours)
            m = self.external_msg(s.PROFESSOR, [s.CHAIR], t, subject, [self.resolve(text, t, subject)])
            m.to = [("Robert Lindqvist", s.CHAIR_PERSONAL)]
            fwd_host, fwd_ip = s.CHAIR_FORWARDER
            m.hops.append(
                Hop(
                    by=f"{fwd_host} (Postfix)",
                    with_="ESMTPS id " + det_hex(m.message_id, "f", n=10).upper(),
                    at=m.hops[-1].at + timedelta(seconds=2),
                    helo="smtp.keystoneu.edu",
                    rdns="smtp.keystoneu.edu",
                    ip="128.118.10.22",
                    for_=s.CHAIR_PERSONAL,
                )
            )
            m.auth = Auth(
                "fail",
                "keystoneu.edu",
                "fail",
                "keystoneu.edu",
                "fail",
                "keystoneu.edu",
                action="quarantine",
                compauth="fail reason=000",
                sender_ip=fwd_ip,
            )
            m.headers.append(("X-Forwarded-To", s.CHAIR.email))
            m.headers.append(("X-Forwarded-For", f"{s.CHAIR_PERSONAL} {s.CHAIR.email}"))
            m.box = "chair"
            self.msgs.append(m)
            neg.records.append(_mid(m))
            neg.start = neg.start or iso(t)
            neg.end = iso(t)
        self.negatives.append(neg)
        # a vendor writing for the first time, from a domain never seen before, with a link: legitimate
        vendor = s.Person(
            "vendor",
            "Kyle Brandt",
            "kyle@brightstagerentals.com",
            "vendor",
            "Account Manager",
            "gmail_web",
            "google",
            (8, 18),
        )
        t = datetime(2024, 9, 17, 11, 5, 12, tzinfo=s.EDT)
        url = "https://www.brightstagerentals.com/quotes/HFA-2291.pdf"
        m = self.external_msg(
            vendor,
            [s.SCHEDULER],
            t,
            "Quote: stage and sound for the Lancaster town hall",
            [
                f"Hi Ben, thanks for the call this morning. Our quote for the stage, PA system and "
                f"riser is here: [[Quote HFA-2291|{url}]]. We hold the date for 7 days."
            ],
        )
        m.signature = "Kyle Brandt\nBright Stage Rentals | Lancaster, PA\n(717) 555-0142"
        self.msgs.append(m)
        neg = PlantedAttack(
            id="neg.mail.first_contact_vendor",
            kind="benign-first-contact",
            negative=True,
            actor="",
            title="A stage-rental vendor writes for the first time with a link to a quote",
            files=[MBOX],
            start=iso(t),
            end=iso(t),
            records=[_mid(m)],
            signals=["first-time sender", "never-seen link domain"],
        )
        neg.add("email-addr", vendor.email)
        neg.add("domain-name", "brightstagerentals.com")
        neg.add("url", url)
        self.negatives.append(neg)

    def newsletters(self) -> None:
        r = self.rng
        cmb = "capitolmorning.com"
        neg = PlantedAttack(
            id="neg.mail.newsletter_tracking_links",
            kind="benign-redirect-links",
            negative=True,
            actor="",
            title="Newsletters whose links go through click-tracking redirect domains",
            files=[MAILDIR, MBOX],
            start=iso(s.MAIL_START),
            end=iso(s.MAIL_END),
            signals=["link domain differs from sender", "redirect URLs", "List-Unsubscribe present"],
        )
        neg.add("domain-name", "capitolmorning.us21.list-manage.com", "click.springfieldherald.com")
        weekdays = [d for d in self.days() if d.weekday() < 5]
        chosen = sorted(r.sample(weekdays, min(len(weekdays), scaled(60, self.scale, 4))))
        for day in chosen:
            t = day.replace(hour=6, minute=r.randrange(0, 10), second=r.randrange(60))
            heads = r.sample(words.NEWSLETTER_HEADLINES, 4)
            m = Msg(
                when=t.astimezone(UTC),
                from_name="Capitol Morning Brief",
                from_addr=f"brief@{cmb}",
                to=[("", s.CHAIR.email)],
                subject=f"Capitol Morning Brief: {heads[0]}",
                paras=[],
                client="mailchimp",
            )
            m.message_id = _message_id(r, "mailchimp", cmb)
            esp_host = m.message_id.split("@")[1].rstrip(">")
            esp_ip = f"198.2.{r.randrange(128, 191)}.{r.randrange(2, 250)}"
            uid, lid = "84736291b2c6e1d0f7a3c5e9", "4c1e2f7a9b"
            links = []
            for i, h in enumerate(heads):
                links.append(
                    (
                        f"https://capitolmorning.us21.list-manage.com/track/click?u={uid}&id="
                        f"{det_hex(m.message_id, i, n=10)}&e={det_hex(s.CHAIR.email, n=10)}",
                        h,
                    )
                )
            m.raw_html = _newsletter_html("Capitol Morning Brief", t, links, f"https://{cmb}/unsubscribe")
            m.raw_text = "\n\n".join(f"{h}\n{u}" for u, h in links) + (
                "\n\nYou are receiving this because you subscribed to Capitol Morning Brief.\n"
                f"Unsubscribe: https://capitolmorning.us21.list-manage.com/unsubscribe?u={uid}&id={lid}\n"
            )
            m.hops = [
                Hop(
                    by=f"{esp_host} (Mailchimp)",
                    with_="ESMTP id " + det_hex(m.message_id, n=14),
                    at=t.astimezone(UTC),
                    helo="localhost",
                    rdns="localhost",
                    ip="127.0.0.1",
                )
            ]
            bounce_id = f"{uid[:8]}.{r.randrange(10**6, 10**7)}-{det_hex(m.message_id, n=10)}"
            m.return_path = f"bounce-mc.us21_{bounce_id}@{esp_host}"
            m.auth = Auth("pass", esp_host, "pass", cmb, "pass", cmb, sender_ip=esp_ip)
            m.dkim = [(cmb, "k1"), ("mcsv.net", "k3")]
            m.headers = [
                ("List-ID", f"{uid}mc list <{uid}.{lid}.list-id.mcsv.net>"),
                (
                    "List-Unsubscribe",
                    f"<https://capitolmorning.us21.list-manage.com/unsubscribe?u={uid}&id={lid}"
                    f"&e={det_hex(s.CHAIR.email, n=10)}&c={det_hex(m.message_id, n=10)}>, "
                    f"<mailto:unsubscribe-mc.us21_{uid}.{lid}@unsubscribe.mailchimpapp.net>",
                ),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("X-Campaign", f"mailchimp{uid}.{det_hex(m.message_id, n=10)}"),
                ("Precedence", "bulk"),
                ("Feedback-ID", f"{r.randrange(10**7, 10**8)}:{r.randrange(10**6, 10**7)}.{lid}:us21:mc"),
            ]
            m.headers.append(("X-Mailer", f"MailChimp Mailer - **CID{det_hex(m.message_id, n=10)}**"))
            m.box = "chair"
            self.msgs.append(m)
            neg.records.append(_mid(m))
        fridays = [d for d in self.days() if d.weekday() == 4]
        for day in fridays[: scaled(20, self.scale, 2)]:
            t = day.replace(hour=16, minute=30 + r.randrange(20), second=r.randrange(60))
            heads = r.sample(words.HERALD_HEADLINES, 3)
            m = Msg(
                when=t.astimezone(s.EDT),
                from_name="Springfield Herald Politics",
                from_addr="newsletters@springfieldherald.com",
                to=[("", s.COMMS.email)],
                cc=[],
                subject=f"Herald Politics Weekly: {heads[0]}",
                paras=[],
                client="sendgrid",
            )
            m.message_id = _message_id(r, "sendgrid", "springfieldherald.com")
            links = [
                (
                    "https://click.springfieldherald.com/ls/click?upn="
                    + det_b64(m.message_id, i, n=60).replace("/", "-"),
                    h,
                )
                for i, h in enumerate(heads)
            ]
            m.raw_html = _newsletter_html(
                "Springfield Herald Politics",
                t,
                links,
                "https://www.springfieldherald.com/newsletters/manage",
            )
            m.raw_text = "\n\n".join(f"{h}\n{u}" for u, h in links) + (
                "\n\nManage your newsletters: https://www.springfieldherald.com/newsletters/manage\n"
            )
            ip = f"149.72.{r.randrange(1, 250)}.{r.randrange(2, 250)}"
            m.hops = [
                Hop(
                    by="geopod-ismtpd-12 (SG)",
                    with_="HTTP id " + det_b64(m.message_id, n=22),
                    at=t.astimezone(UTC),
                )
            ]
            m.relay = f"o{r.randrange(1, 9)}.ptr4721.springfieldherald.com"
            verp = s.COMMS.email.replace("@", "=")
            tag = det_hex(m.message_id, n=4)
            m.return_path = f"bounces+2214873-{tag}={verp}@em4721.springfieldherald.com"
            m.auth = Auth(
                "pass",
                "em4721.springfieldherald.com",
                "pass",
                "springfieldherald.com",
                "pass",
                "springfieldherald.com",
                sender_ip=ip,
            )
            m.dkim = [("springfieldherald.com", "s1"), ("sendgrid.info", "smtpapi")]
            m.headers = [
                (
                    "List-Unsubscribe",
                    "<https://www.springfieldherald.com/newsletters/unsubscribe?list=politics&u="
                    f"{det_hex(s.COMMS.email, n=12)}>",
                ),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("List-Id", "Herald Politics Weekly <politics.newsletters.springfieldherald.com>"),
            ]
            self.msgs.append(m)
            neg.records.append(_mid(m))
        self.negatives.append(neg)

    def mailing_list(self) -> None:
        r = self.rng
        lst = f"pa-volunteers@{s.CAMPAIGN_LIST_DOMAIN}"
        list_ip = "167.99.54.201"
        neg = PlantedAttack(
            id="neg.mail.mailing_list_dmarc_fail",
            kind="benign-dmarc-failure",
            negative=True,
            actor="",
            title="Volunteers' posts re-sent by the campaign's mailing list fail DMARC (subject tag and "
            "footer)",
            files=[MBOX],
            start="",
            end="",
            signals=["dmarc=fail", "List-Id present"],
        )
        neg.add("domain-name", s.CAMPAIGN_LIST_DOMAIN)
        posters = [
            s.VOLUNTEER,
            s.Person("v2", "Gloria Mendez", "gmendez77@gmail.com", "volunteer", "", "gmail_web", "google"),
            s.Person("v3", "Earl Yoder", "earl.yoder@aol.com", "volunteer", "", "yahoo_web", "yahoo"),
            s.Person("v4", "Tasha Brooks", "tashab@yahoo.com", "volunteer", "", "yahoo_web", "yahoo"),
        ]
        for i in range(scaled(30, self.scale, 4)):
            p = r.choice(posters)
            subject, text = words.LIST_POSTS[i % len(words.LIST_POSTS)]
            t = pick_time(r, r.choice(self.days()), (8, 22))
            m = self.external_msg(p, [s.FIELD], t, f"[PA Volunteers] {subject}", [text])
            m.to = [("PA Volunteers", lst)]
            m.signature = p.name.split()[0]
            domain = p.email.rsplit("@", 1)[1]
            poster_relay = m.relay or m.hops[-1].by.split(" ")[0]
            m.hops.append(
                Hop(
                    by=f"{s.CAMPAIGN_LIST_DOMAIN} (Postfix)",
                    with_="ESMTPS id " + det_hex(m.message_id, n=10).upper(),
                    at=m.hops[-1].at + timedelta(seconds=2),
                    helo=poster_relay,
                    rdns=poster_relay,
                    ip=m.auth.sender_ip if m.auth else "",
                    for_=lst,
                )
            )
            m.relay = s.CAMPAIGN_LIST_DOMAIN
            policy = "none" if domain == "gmail.com" else "oreject"
            m.auth = Auth(
                "pass",
                s.CAMPAIGN_LIST_DOMAIN,
                "fail",
                domain,
                "fail",
                domain,
                action=policy,
                compauth="none reason=405",
                sender_ip=list_ip,
            )
            m.return_path = f"pa-volunteers-bounces@{s.CAMPAIGN_LIST_DOMAIN}"
            m.dkim.append((s.CAMPAIGN_LIST_DOMAIN, "mailman"))
            m.headers = [
                ("List-Id", f"PA Volunteers <pa-volunteers.{s.CAMPAIGN_LIST_DOMAIN}>"),
                ("List-Archive", f"<https://{s.CAMPAIGN_LIST_DOMAIN}/archives/list/{lst}/>"),
                ("List-Help", f"<mailto:pa-volunteers-request@{s.CAMPAIGN_LIST_DOMAIN}?subject=help>"),
                ("List-Owner", f"<mailto:pa-volunteers-owner@{s.CAMPAIGN_LIST_DOMAIN}>"),
                ("List-Post", f"<mailto:{lst}>"),
                ("List-Subscribe", f"<mailto:pa-volunteers-join@{s.CAMPAIGN_LIST_DOMAIN}>"),
                ("List-Unsubscribe", f"<mailto:pa-volunteers-leave@{s.CAMPAIGN_LIST_DOMAIN}>"),
                ("Precedence", "list"),
                ("X-MailFrom", p.email),
                ("X-Mailman-Version", "3.3.9"),
            ]
            m.signature += (
                "\n_______________________________________________\n"
                f"PA Volunteers mailing list -- {lst}\n"
                f"To unsubscribe send an email to pa-volunteers-leave@{s.CAMPAIGN_LIST_DOMAIN}"
            )
            m.box = "mbox"
            self.msgs.append(m)
            neg.records.append(_mid(m))
            neg.add("email-addr", p.email)
            neg.start = min(neg.start or iso(t), iso(t))
            neg.end = max(neg.end, iso(t))
        self.negatives.append(neg)

    def calendar_invites(self) -> None:
        r = self.rng
        events = (
            "Debate prep",
            "Call time",
            "Senior staff check-in",
            "Editorial board: Springfield Herald",
            "Town hall advance walk-through",
            "Donor reception",
            "Union endorsement meeting",
            "Policy briefing: housing",
        )
        for i in range(scaled(25, self.scale, 3)):
            title = events[i % len(events)]
            day = self.weekday()
            t = pick_time(r, day - timedelta(days=3), s.SCHEDULER.hours)
            start = day.replace(hour=r.choice((9, 11, 14, 16)), minute=0, second=0)
            attendees = [
                s.CANDIDATE,
                *r.sample([p for p in s.STAFF if p.key not in ("candidate", "scheduler")], r.randint(1, 3)),
            ]
            if title in ("Debate prep", "Senior staff check-in") and s.CHAIR not in attendees:
                attendees.append(s.CHAIR)
            zoom = self.url("zoom.us", title, t)
            m = self.staff_msg(
                s.SCHEDULER,
                attendees,
                [],
                t,
                title,
                [
                    f"When: {start.strftime('%A, %B %-d, %Y %-I:%M %p')}-"
                    f"{(start + timedelta(hours=1)).strftime('%-I:%M %p')} (UTC-05:00) Eastern Time",
                    f"Where: HQ 3rd floor / [[Join Zoom Meeting|{zoom}]]",
                ],
            )
            m.signature = ""
            uid = det_hex(m.message_id, "uid", n=32).upper()
            ics = "\r\n".join(
                [
                    "BEGIN:VCALENDAR",
                    "METHOD:REQUEST",
                    "PRODID:Microsoft Exchange Server 2010",
                    "VERSION:2.0",
                    "BEGIN:VEVENT",
                    f"ORGANIZER;CN={s.SCHEDULER.name}:mailto:{s.SCHEDULER.email}",
                    *[
                        f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN={a.name}:mailto:{a.email}"
                        for a in attendees
                    ],
                    f"DESCRIPTION;LANGUAGE=en-US:Join Zoom Meeting\\n{zoom}\\n",
                    f"UID:040000008200E00074C5B7101A82E008000000{uid}",
                    f"SUMMARY;LANGUAGE=en-US:{title}",
                    f"DTSTART;TZID=Eastern Standard Time:{start.strftime('%Y%m%dT%H%M%S')}",
                    "DTEND;TZID=Eastern Standard "
                    f"Time:{(start + timedelta(hours=1)).strftime('%Y%m%dT%H%M%S')}",
                    "CLASS:PUBLIC",
                    "PRIORITY:5",
                    f"DTSTAMP:{t.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
                    "TRANSP:OPAQUE",
                    "STATUS:CONFIRMED",
                    "SEQUENCE:0",
                    "LOCATION;LANGUAGE=en-US:HQ 3rd floor",
                    "END:VEVENT",
                    "END:VCALENDAR",
                    "",
                ]
            )
            m.calendar = ics
            m.headers.append(("X-MS-Exchange-Organization-MessageType", "MeetingRequest"))
            self.msgs.append(m)

    def forwards(self) -> None:
        """Staff forwarding outside mail to a colleague, with the thread headers of the original."""
        r = self.rng
        originals = [
            m
            for m in self.msgs
            if m.from_addr in (s.DONOR.email, s.POLLSTER.email, s.REPORTER.email, s.COUNSEL.email)
        ]
        originals.sort(key=lambda m: m.when)
        for orig in r.sample(originals, min(len(originals), scaled(12, self.scale, 2))):
            rcpt = next(p for p in s.STAFF if any(a == p.email for _, a in orig.to))
            target = r.choice([p for p in (s.MANAGER, s.FINANCE, s.COMMS, s.POLICY) if p is not rcpt])
            t = orig.when + timedelta(minutes=r.randrange(5, 180))
            note = r.choice(
                (
                    "FYI, see below.",
                    "Can you take this one?",
                    "Forwarding for your files.",
                    "Please handle and copy me on the reply.",
                )
            )
            prefix = "FW: " if rcpt.client.startswith("outlook") else "Fwd: "
            m = self.staff_msg(
                rcpt,
                [target],
                [],
                t,
                prefix + orig.subject,
                [note],
                in_reply_to=orig.message_id,
                references=[orig.message_id],
                forward_of=orig,
            )
            self.msgs.append(m)

    # -- the planted attacks ---------------------------------------------------------------------

    def adviser_baseline(self) -> dict[str, object]:
        """What the adviser's real mail looked like before the hijack (from the messages themselves)."""
        mine = [m for m in self.msgs if m.from_addr == s.ADVISER.email]
        clients = sorted({CLIENTS[m.client].x_mailer or CLIENTS[m.client].user_agent for m in mine})
        hours = sorted({m.when.hour for m in mine})
        return {
            "messages": len(mine),
            "clients": clients,
            "client_ips": sorted({m.client_ip for m in mine}),
            "local_hours": [hours[0], hours[-1]],
            "link_domains": sorted(
                {
                    u.split("/")[2].removeprefix("www.")
                    for m in mine
                    for p in m.paras
                    for u in re.findall(r"\|(https?://[^\]]+)\]\]", p)
                }
            ),
        }

    def hijacked_adviser(self) -> None:
        """(a) and (b): the former adviser's real account, hijacked; SPF, DKIM and DMARC all pass."""
        adviser = s.ADVISER
        baseline = self.adviser_baseline()
        t = datetime(2024, 9, 10, 3, 14, 18, tzinfo=s.EDT)
        vps = s.Net(
            "attacker_vps",
            (s.PHISH_A_IP,),
            0,
            "",
            "Amsterdam",
            "North Holland",
            "NL",
            52.37,
            4.89,
            (s.PHISH_A_RDNS,),
        )
        fake_from = f"{s.MANAGER.name} <{s.MANAGER.email}>"
        m = self.external_msg(
            adviser,
            [s.CHAIR],
            t,
            "Fwd: Debate prep - final notes",
            [
                "Bob - this came to me by mistake, I think it was meant for you. Have a look before the "
                "call today.",
            ],
            net=vps,
            client="thunderbird",
        )
        m.fake_forward = (
            "---------- Forwarded message ---------\n"
            f"From: {fake_from}\nDate: Mon, Sep 9, 2024 at 8:02 PM\nSubject: Debate prep - final notes\n"
            f"To: {adviser.name} <{adviser.email}>\n\n"
            "Final notes and the attack lines for Thursday are in the shared folder: "
            f"[[Debate prep - final notes (Google Docs)|{s.PHISH_A_URL}]]\n\n"
            "Please don't forward outside the senior team."
        )
        m.signature = "Gordon"
        self.msgs.append(m)
        a = PlantedAttack(
            id="mail.spearphish_hijacked_adviser",
            kind="spearphish-hijacked-account",
            actor=s.CYBER_ACTOR,
            title="Spear-phish to the campaign chair from the hijacked personal account of the former "
            "senior adviser",
            files=[MAILDIR],
            start=iso(t),
            end=iso(t),
            targets=[s.CHAIR.email],
            records=[_mid(m)],
            techniques=["T1566.002", "T1586.002", "T1656"],
            signals=[
                "SPF/DKIM/DMARC all pass",
                f"new client IP {s.PHISH_A_IP} (NL) never used by this sender",
                "new client: Thunderbird instead of Outlook 16.0 / iPhone Mail",
                "sent at 03:14 local, outside the sender's 07-20 habit",
                "'Fwd:' with a forwarded block but no In-Reply-To/References of a real thread",
                f"link to never-seen domain {s.PHISH_A_DOMAIN} (a redirect)",
            ],
        )
        a.details["baseline"] = baseline
        a.add("email-addr", adviser.email, s.CHAIR.email)
        a.add("ipv4-addr", s.PHISH_A_IP)
        a.add("domain-name", s.PHISH_A_DOMAIN)
        a.add("url", s.PHISH_A_URL)
        a.add("message-id", _mid(m))
        self.attacks.append(a)

        t = datetime(2024, 9, 19, 10, 42, 7, tzinfo=s.EDT)
        dc = s.Net(
            "attacker_us",
            (s.PHISH_B_IP,),
            0,
            "",
            "Ashburn",
            "Virginia",
            "US",
            39.04,
            -77.49,
            ("45-88-97-213.static.cloudvps-us.net",),
        )
        m = self.external_msg(
            adviser,
            [s.MANAGER],
            t,
            "Town hall format - a thought",
            [
                "Alicia, one thought on the town hall format after watching the last one. I wrote up a "
                "short memo "
                f"with two options, have a look: [[town hall memo|{s.PHISH_B_URL}]]",
                "Happy to talk it through this week.",
            ],
            net=dc,
            client="outlook_postfix",
        )
        m.signature = "Gordon Reyes\n(703) 555-0187"
        m.hops[0].helo = f"DESKTOP-{det_hex('attacker-vm', n=7).upper()}"  # Outlook, but not on his PC
        self.msgs.append(m)
        b = PlantedAttack(
            id="mail.spearphish_hijacked_adviser_subtle",
            kind="spearphish-hijacked-account",
            actor=s.CYBER_ACTOR,
            title="Second, quieter phish from the same hijacked account: usual client, working hours",
            files=[MBOX],
            start=iso(t),
            end=iso(t),
            targets=[s.MANAGER.email],
            records=[_mid(m)],
            techniques=["T1566.002", "T1586.002"],
            signals=[
                "SPF/DKIM/DMARC all pass",
                "usual client (Outlook 16.0) and usual hours",
                f"new client IP {s.PHISH_B_IP} (hosting, not the sender's Verizon networks)",
                f"link to never-seen domain {s.PHISH_B_DOMAIN}",
                "EHLO machine name differs from the one his Outlook always used",
            ],
        )
        b.details["baseline"] = a.details["baseline"]
        b.add("email-addr", adviser.email, s.MANAGER.email)
        b.add("ipv4-addr", s.PHISH_B_IP)
        b.add("domain-name", s.PHISH_B_DOMAIN)
        b.add("url", s.PHISH_B_URL)
        b.add("message-id", _mid(m))
        self.attacks.append(b)

    def spoofed_candidate(self) -> None:
        """(c): the candidate's name and address, sent from a lookalike domain's server: DMARC fails."""
        t = datetime(2024, 9, 24, 16, 51, 33, tzinfo=s.EDT)
        m = Msg(
            when=t,
            from_name=s.CANDIDATE.name,
            from_addr=s.CANDIDATE.email,
            to=[(s.FINANCE.name, s.FINANCE.email)],
            subject="Urgent - wire for the media buy today",
            client="iphone",
            paras=[
                "Marcus, I'm between events and can't call. The media buyer needs the deposit for the "
                "Pittsburgh flight wired today or we lose the slots. Reply to me here and I'll send you "
                "the account details. Please keep this between us until it's done.",
            ],
            signature="Sent from my iPhone\nMeg",
        )
        m.message_id = _message_id(self.rng, "iphone", s.SPOOF_DOMAIN)
        m.headers = [("Reply-To", _addr(s.CANDIDATE.name, f"meg.harper@{s.SPOOF_DOMAIN}"))]
        m.return_path = f"bounce@{s.SPOOF_DOMAIN}"
        m.hops = [
            Hop(
                by=f"mail.{s.SPOOF_DOMAIN} (Postfix)",
                with_="ESMTPSA id " + det_hex(m.message_id, n=10).upper(),
                at=t.astimezone(UTC) + timedelta(seconds=1),
                helo="[10.8.0.6]",
                rdns=f"static-{s.SPOOF_IP.replace('.', '-')}.host-svc.net",
                ip=s.SPOOF_IP,
                for_=s.FINANCE.email,
            )
        ]
        m.client_ip = s.SPOOF_IP
        m.relay_country = "DE"
        m.dkim = [(s.SPOOF_DOMAIN, "default")]
        m.auth = Auth(
            "pass",
            s.SPOOF_DOMAIN,
            "pass",
            s.SPOOF_DOMAIN,
            "fail",
            s.CAMPAIGN_DOMAIN,
            action="quarantine",
            compauth="fail reason=000",
            sender_ip=s.SPOOF_IP,
        )
        self.msgs.append(m)
        a = PlantedAttack(
            id="mail.spoofed_candidate_bec",
            kind="spoofed-sender",
            actor=s.CYBER_ACTOR,
            title="Wire-fraud request in the candidate's name: DMARC fails, reply-to on a lookalike domain",
            files=[MBOX],
            start=iso(t),
            end=iso(t),
            targets=[s.FINANCE.email],
            records=[_mid(m)],
            techniques=["T1566", "T1656", "T1583.001"],
            signals=[
                "dmarc=fail for the campaign's own domain",
                "display name of the candidate",
                f"Reply-To and Return-Path on lookalike {s.SPOOF_DOMAIN}",
                "urgency and secrecy",
            ],
        )
        a.add("email-addr", s.CANDIDATE.email, f"meg.harper@{s.SPOOF_DOMAIN}", s.FINANCE.email)
        a.add("domain-name", s.SPOOF_DOMAIN)
        a.add("ipv4-addr", s.SPOOF_IP)
        a.add("message-id", _mid(m))
        self.attacks.append(a)

    def credential_phish(self) -> None:
        """(d): an IT-helpdesk lure from a homoglyph domain, with an .htm login page attached."""
        t0 = datetime(2024, 10, 2, 8, 3, 41, tzinfo=s.EDT)
        a = PlantedAttack(
            id="mail.credential_phish_homoglyph",
            kind="credential-phish",
            actor=s.CYBER_ACTOR,
            title="Password-expiry lure from a homoglyph of the campaign domain, .htm attachment, "
            "mismatched link",
            files=[MBOX],
            start=iso(t0),
            end="",
            techniques=["T1566.001", "T1566.002", "T1598.003"],
            signals=[
                f"From domain {s.HOMOGLYPH_DOMAIN} ({s.HOMOGLYPH_DOMAIN_U}) is a homoglyph of "
                f"{s.CAMPAIGN_DOMAIN}",
                f"visible link text https://login.microsoftonline.com/... but href to {s.CRED_DOMAIN}",
                ".htm attachment with a password form",
                "dmarc=none (no policy on the new domain)",
            ],
        )
        shown = f"https://login.microsoftonline.com/{s.CAMPAIGN_DOMAIN}/oauth2/authorize"
        for i, target in enumerate((s.POLICY, s.DIGITAL, s.SCHEDULER)):
            t = t0 + timedelta(seconds=37 * i + self.rng.randrange(5))
            m = Msg(
                when=t.astimezone(UTC),
                from_name="Harper for America IT Support",
                from_addr=f"it-support@{s.HOMOGLYPH_DOMAIN}",
                to=[(target.name, target.email)],
                subject="Action required: your password expires today",
                client="phpmailer",
                paras=[],
            )
            m.message_id = _message_id(self.rng, "phpmailer", s.HOMOGLYPH_DOMAIN)
            link = f"{s.CRED_URL}&u={target.email}"
            page = _phish_page(target.email).encode("utf-8")
            m.raw_text = (
                f"Dear {target.name.split()[0]},\n\nThe password for {target.email} expires today. To keep "
                f"your current password, confirm it here:\n\n{shown}\n\nor open the attached notice.\n\n"
                "Harper for America IT Support\n"
            )
            m.raw_html = (
                '<html><body style="font-family:Segoe UI,Arial,sans-serif">'
                f"<p>Dear {html.escape(target.name.split()[0])},</p>"
                f"<p>The password for <b>{html.escape(target.email)}</b> expires <b>today</b>. To keep your "
                "current "
                "password, confirm it here:</p>"
                f'<p><a href="{html.escape(link)}">{html.escape(shown)}</a></p>'
                "<p>or open the attached notice.</p><p>Harper for America IT Support</p>"
                '<p style="font-size:9px;color:#888">Microsoft 365 | Security notice</p></body></html>\n'
            )
            m.attachments = [("Password_Expiry_Notice.htm", "text/html", page)]
            m.return_path = f"it-support@{s.HOMOGLYPH_DOMAIN}"
            m.hops = [
                Hop(
                    by=f"mail.{s.HOMOGLYPH_DOMAIN} (Postfix)",
                    with_="ESMTP id " + det_hex(m.message_id, n=10).upper(),
                    at=t.astimezone(UTC),
                    helo="localhost",
                    rdns="localhost",
                    ip="127.0.0.1",
                )
            ]
            m.client_ip = s.CRED_IP
            m.relay_country = "DE"
            m.auth = Auth(
                "pass",
                s.HOMOGLYPH_DOMAIN,
                "none",
                "",
                "none",
                s.HOMOGLYPH_DOMAIN,
                compauth="softpass reason=201",
                sender_ip=s.CRED_IP,
            )
            self.msgs.append(m)
            a.targets.append(target.email)
            a.records.append(_mid(m))
            a.add("url", link)
            a.add("message-id", _mid(m))
            a.end = iso(t)
        a.add("email-addr", f"it-support@{s.HOMOGLYPH_DOMAIN}")
        a.add("domain-name", s.HOMOGLYPH_DOMAIN, s.CRED_DOMAIN)
        a.add("ipv4-addr", s.CRED_IP)
        a.add("file", "Password_Expiry_Notice.htm")
        self.attacks.append(a)

    def podcast_lure(self) -> None:
        """(e): a podcast host builds rapport, then sends a 'guest portal' link."""
        name, addr = s.PODCAST_SENDER
        host = s.Person("podcast", name, addr, "", "Host and Producer, The Civic Brief", "zoho", "")
        net = s.Net(
            "podcast",
            (s.PODCAST_IP,),
            0,
            "",
            "Ashburn",
            "Virginia",
            "US",
            39.04,
            -77.49,
            ("45-88-97-40.static.cloudvps-us.net",),
        )
        t1 = datetime(2024, 10, 7, 9, 26, 2, tzinfo=s.EDT)
        first = self.external_msg(
            host,
            [s.COMMS],
            t1,
            "Interview invitation: The Civic Brief podcast",
            [
                "Dear Ms. Natarajan,",
                "I host The Civic Brief, a weekly podcast on state politics with listeners across "
                "Pennsylvania and "
                "Ohio. We would be honoured to have Meg Harper on the show for a 30-minute conversation "
                "about her "
                "election security agenda, recorded remotely at her convenience in the next two weeks.",
                "You can find past episodes at "
                f"[[thecivicbrief-podcast.com|https://{s.PODCAST_DOMAIN}/episodes]]. "
                "Would the candidate be available?",
            ],
            net=net,
            client="zoho",
        )
        first.signature = f"{name}\nHost and Producer, The Civic Brief"
        self.msgs.append(first)
        t2 = datetime(2024, 10, 7, 13, 40, 55, tzinfo=s.EDT)
        reply = self.staff_msg(
            s.COMMS,
            [host],
            [],
            t2,
            "Re: Interview invitation: The Civic Brief podcast",
            [
                "Hi Dana, thanks for reaching out. Meg could do 30 minutes on the 15th or 16th. What do you "
                "need "
                "from us?"
            ],
            in_reply_to=first.message_id,
            references=[first.message_id],
            quoted=first,
        )
        self.msgs.append(reply)
        t3 = datetime(2024, 10, 8, 10, 2, 19, tzinfo=s.EDT)
        follow = self.external_msg(
            host,
            [s.COMMS],
            t3,
            "Re: Interview invitation: The Civic Brief podcast",
            [
                "Wonderful, thank you! The 15th at 2 p.m. works. Our producer set up the recording room; "
                "please "
                "sign in to the guest portal beforehand to test audio and video (it takes two minutes): "
                f"[[Guest portal - The Civic Brief|{s.PODCAST_PORTAL_URL}]]",
                "The candidate's sign-in is the same as her campaign email.",
            ],
            net=net,
            client="zoho",
        )
        follow.in_reply_to = reply.message_id
        follow.references = [first.message_id, reply.message_id]
        follow.quoted = reply
        follow.signature = f"{name}\nHost and Producer, The Civic Brief"
        self.msgs.append(follow)
        a = PlantedAttack(
            id="mail.podcast_invitation_lure",
            kind="social-engineering-lure",
            actor=s.CYBER_ACTOR,
            title="Podcast interview invitation that turns into a credential-harvesting 'guest portal'",
            files=[MBOX],
            start=iso(t1),
            end=iso(t3),
            targets=[s.COMMS.email, s.CANDIDATE.email],
            records=[_mid(first), _mid(follow)],
            techniques=["T1566.003", "T1598.003", "T1585.002"],
            signals=[
                "first contact from a newly registered domain",
                "rapport first, link after the reply",
                f"portal on a second new domain {s.PODCAST_PORTAL_DOMAIN}",
                "asks for the candidate's sign-in",
            ],
        )
        a.add("email-addr", addr, s.COMMS.email)
        a.add("domain-name", s.PODCAST_DOMAIN, s.PODCAST_PORTAL_DOMAIN)
        a.add("url", s.PODCAST_PORTAL_URL)
        a.add("ipv4-addr", s.PODCAST_IP)
        a.add("message-id", _mid(first), _mid(follow))
        self.attacks.append(a)

    # -- output ------------------------------------------------------------------------------------

    def build(self) -> list[Msg]:
        self.staff_threads()
        self.adviser_history()
        self.externals()
        self.newsletters()
        self.mailing_list()
        self.calendar_invites()
        self.forwards()
        self.hijacked_adviser()
        self.spoofed_candidate()
        self.credential_phish()
        self.podcast_lure()
        for m in self.msgs:
            if not m.box:
                to_chair = any(a == s.CHAIR.email for _, a in [*m.to, *m.cc])
                m.box = "chair" if to_chair and m.from_addr != s.CHAIR.email else "mbox"
        self.msgs.sort(key=lambda m: (m.when.astimezone(UTC), m.message_id))
        # the files of the attacks and negatives follow where their messages landed
        where = {_mid(m): (MAILDIR if m.box == "chair" else MBOX) for m in self.msgs}
        for a in [*self.attacks, *self.negatives]:
            files = sorted({where[r] for r in a.records if r in where})
            if files:
                a.files = files
        return self.msgs


def _newsletter_html(brand: str, t: datetime, links: list[tuple[str, str]], manage: str) -> str:
    rows = "".join(
        f'<tr><td style="padding:12px 0;border-bottom:1px solid #ddd"><a href="{html.escape(u)}" '
        f'style="color:#1a1a1a;font-size:18px;text-decoration:none">{html.escape(h)}</a></td></tr>\n'
        for u, h in links
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + html.escape(brand) + "</title></head>\n"
        '<body style="margin:0;background:#f4f4f4"><table width="100%" cellpadding="0" cellspacing="0">'
        f'<tr><td align="center"><table width="600" style="background:#fff;padding:24px">\n'
        f'<tr><td><h1 style="font-family:Georgia,serif">{html.escape(brand)}</h1>'
        f"<p>{t.strftime('%A, %B %-d, %Y')}</p></td></tr>\n{rows}"
        '<tr><td style="font-size:11px;color:#777;padding-top:24px">'
        "You are receiving this email because you "
        f'subscribed. <a href="{html.escape(manage)}">Manage preferences or unsubscribe</a>.</td></tr>\n'
        "</table></td></tr></table></body></html>\n"
    )


def _phish_page(email: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in to your account</title>'
        "<style>body{font-family:'Segoe UI',sans-serif;background:#f2f2f2}.box{width:340px;margin:80px auto;"
        'background:#fff;padding:40px}</style></head><body><div class="box">'
        '<img src="https://aadcdn.msftauth.net/shared/1.0/content/images/microsoft_logo.svg" alt="Microsoft">'
        "<h2>Sign in</h2><p>Your password expires today. Confirm your current password to keep it.</p>"
        f'<form method="POST" action="https://{s.CRED_DOMAIN}/owa/auth/owaauth.php">'
        f'<input type="email" name="login" value="{html.escape(email)}">'
        '<input type="password" name="passwd" placeholder="Password">'
        '<button type="submit">Sign in</button></form></div></body></html>\n'
    )


# -- writing ----------------------------------------------------------------------------------------

_FROM_LINE = re.compile(rb"^(>*From )", re.M)


def mbox_escape(raw: bytes) -> bytes:
    """mboxrd quoting: every body line that starts with ``>*From `` gets one more ``>``."""
    return _FROM_LINE.sub(rb">\1", raw)


def write_mail(out: Path, rng: random.Random, scale: float) -> tuple[list[tuple[str, str, int]], MailGen]:
    """Write the mbox and the Maildir; returns (relative path, format, records) per file and the generator."""
    gen = MailGen(rng, scale)
    msgs = gen.build()
    mbox_path = out / MBOX
    mbox_path.parent.mkdir(parents=True, exist_ok=True)
    maildir = out / MAILDIR
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    n_mbox = n_maildir = 0
    with mbox_path.open("wb") as f:
        for i, m in enumerate(msgs):
            raw = render(m)
            delivered = m.when.astimezone(UTC) + timedelta(seconds=4)
            if m.box == "chair":
                name = (
                    f"{int(delivered.timestamp())}.M{(i * 7919) % 1000000:06d}P{4000 + i}Q{i}."
                    f"mx-harper01,S={len(raw)}"
                )
                if delivered >= datetime(2024, 10, 29, tzinfo=UTC):
                    (maildir / "new" / name).write_bytes(raw)
                else:
                    flags = "RS" if m.in_reply_to and i % 3 == 0 else m.flags
                    (maildir / "cur" / f"{name}:2,{flags}").write_bytes(raw)
                n_maildir += 1
            else:
                sender = m.return_path or m.from_addr
                f.write(f"From {sender} {delivered.strftime('%a %b %d %H:%M:%S %Y')}\n".encode("ascii"))
                body = mbox_escape(raw)
                f.write(body if body.endswith(b"\n") else body + b"\n")
                f.write(b"\n")
                n_mbox += 1
    return [(MBOX, "mbox", n_mbox), (MAILDIR, "maildir", n_maildir)], gen
