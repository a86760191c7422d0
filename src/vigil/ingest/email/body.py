"""The body of a message: its text, its links and its attachments, within the limits."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from vigil.enrich.domains import host_of, registered_domain
from vigil.ingest.email.filetype import sniff_type
from vigil.ingest.email.headers import decode_words, unfold
from vigil.ingest.email.mime import MimeLimit
from vigil.ingest.limits import (
    MAX_HTML_BYTES,
    MAX_MIME_DEPTH,
    MAX_MIME_PARTS,
    MAX_TEXT_CHARS,
    MAX_URLS,
)

MAX_URL_CHARS = 8_192
MAX_LINK_TEXT_CHARS = 1_000
MAX_FILENAME_CHARS = 1_000

_TEXT_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>\"'`\x00-\x1f\x7f]+")
_URL_TRAILING = ".,;:!?'\")]}>*"
_URL_SCHEMES = ("http://", "https://", "ftp://")
_HREF_JUNK = re.compile(r"[\t\r\n]")
_SPACES = re.compile(r"\s+")
_INVISIBLE_TAGS = ["script", "style", "noscript", "template", "head", "title"]
_BODY_TYPES = ("text/plain", "text/html")


@dataclass
class Body:
    plain: list[str] = field(default_factory=list)
    html_text: list[str] = field(default_factory=list)
    urls: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    _seen: set[tuple[str, str | None]] = field(default_factory=set)
    _seen_urls: set[str] = field(default_factory=set)

    @property
    def text(self) -> str | None:
        joined = "\n".join(self.plain).strip() or "\n".join(self.html_text).strip()
        return joined[:MAX_TEXT_CHARS] or None

    def add_url(self, url: str, text: str | None) -> None:
        url = url[:MAX_URL_CHARS]
        if len(self.urls) >= MAX_URLS or (url, text) in self._seen:
            return
        if text is None and url in self._seen_urls:
            return
        self._seen.add((url, text))
        self._seen_urls.add(url)
        host = host_of(url)
        domain = registered_domain(host)
        self.urls.append({"url": url, "text": text, "host": host, "registered_domain": domain})


def read_body(msg: Message) -> Body:
    """Walk the MIME tree (depth-first, bounded) and collect text, URLs and attachments.

    A forwarded message (message/rfc822) is listed as an attachment and walked into as well."""
    body = Body()
    stack: list[tuple[Message, int]] = [(msg, 0)]
    parts = 0
    while stack:
        part, depth = stack.pop()
        parts += 1
        if parts > MAX_MIME_PARTS:
            raise MimeLimit(f"too many MIME parts: more than {MAX_MIME_PARTS}")
        if depth > MAX_MIME_DEPTH:
            raise MimeLimit(f"MIME nesting too deep: more than {MAX_MIME_DEPTH} levels")
        payload = part.get_payload()
        if isinstance(payload, list):
            if part.get_content_type() == "message/rfc822" and payload:
                body.attachments.append(_attachment(part, _message_bytes(payload[0])))
            stack.extend((child, depth + 1) for child in reversed(payload) if isinstance(child, Message))
        else:
            _leaf(part, body)
    body.plain = [t for t in body.plain if t.strip()]
    for text in body.plain:  # mail readers make these clickable
        for url in _text_urls(text):
            body.add_url(url, None)
    if not body.plain:
        # URLs written in an HTML body's text, but not those shown as a link's text (they are not the target).
        shown = "\n".join(u["text"] for u in body.urls if u["text"])
        for text in body.html_text:
            for url in _text_urls(text):
                if url not in shown and url.removeprefix("http://") not in shown:
                    body.add_url(url, None)
    return body


def _leaf(part: Message, body: Body) -> None:
    ctype = part.get_content_type()
    if ctype.startswith("multipart/"):  # its boundary never matched: mail readers show it as text
        ctype = "text/plain"
    filename = _filename(part)
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = b""
    if ctype in _BODY_TYPES and filename is None and part.get_content_disposition() != "attachment":
        text = _decode_text(data, part.get_content_charset())
        if ctype == "text/plain":
            body.plain.append(text)
        else:
            body.html_text.append(_read_html(text, body))
        return
    body.attachments.append(_attachment(part, data, filename))


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, LookupError, TypeError):
        return None
    if not name:
        return None
    return decode_words(unfold(str(name)))[:MAX_FILENAME_CHARS] or None


def _attachment(part: Message, data: bytes, filename: str | None = None) -> dict[str, Any]:
    """Decoded parts are never larger than the message (base64/QP/uu only shrink), so no zip-bomb check."""
    return {
        "filename": filename or _filename(part),
        "declared_type": unfold(part.get_content_type()),
        "sniffed_type": "eml" if part.get_content_type() == "message/rfc822" else sniff_type(data),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _message_bytes(inner: Any) -> bytes:
    try:
        return bytes(inner.as_bytes())
    except Exception:  # a broken inner message still counts as an attachment
        return b""


def _decode_text(data: bytes, charset: str | None) -> str:
    if charset and charset not in ("us-ascii", "ascii"):
        try:
            return data.decode(charset, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _read_html(html: str, body: Body) -> str:
    """Collect the ``<a href>`` links (URL and visible text apart) and return the visible text."""
    tree = LexborHTMLParser(html[:MAX_HTML_BYTES])
    for node in tree.css("a[href], area[href]"):
        if len(body.urls) >= MAX_URLS:
            break
        href = _HREF_JUNK.sub("", node.attributes.get("href") or "").strip()
        if href.startswith("//"):
            href = "http:" + href
        if not href.lower().startswith(_URL_SCHEMES):
            continue
        text = _SPACES.sub(" ", node.text(deep=True, separator=" ", strip=True)).strip()
        body.add_url(href, text[:MAX_LINK_TEXT_CHARS])
    tree.strip_tags(_INVISIBLE_TAGS)
    root = tree.body or tree.root
    if root is None:
        return ""
    return _SPACES.sub(" ", root.text(deep=True, separator=" ", strip=True)).strip()[:MAX_TEXT_CHARS]


def _text_urls(text: str) -> list[str]:
    urls = []
    for match in _TEXT_URL.finditer(text):
        url = _trim_url(match.group(0))
        if url.lower().startswith("www."):
            url = "http://" + url
        if len(url) > len("http://") + 3:
            urls.append(url)
        if len(urls) >= MAX_URLS:
            break
    return urls


def _trim_url(url: str) -> str:
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url
