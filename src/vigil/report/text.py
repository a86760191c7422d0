"""Making hostile strings safe to *show* (HTML escaping itself is Jinja's autoescape).

- ``defang`` turns a URL, domain, address or IP into text that no mail client, chat app or word
  processor will turn back into a live link (``hxxps://evil[.]example/``), the convention of
  threat reports.
- ``clean`` makes invisible characters visible: bidirectional overrides (which can reverse how
  ``invoice‮fdp.exe`` reads) and control characters become ``⟨U+202E⟩``.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+\-]*):")  # no dots: "evil.example:8080" has none


def clean(text: str | None, limit: int | None = None) -> str:
    """Visible form of untrusted text, cut to ``limit`` characters (with an ellipsis)."""
    if not text:
        return ""
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


_DOT = re.compile(r"(?<!\[)\.(?!\])")  # a dot not already written as [.]
_END_OF_HOST = re.compile(r"[/?#]")
_DEFANGED_SCHEMES = {
    "http": "hxxp",
    "https": "hxxps",
    "ftp": "fxp",
    "ftps": "fxps",
    "hxxp": "hxxp",
    "hxxps": "hxxps",
    "fxp": "fxp",
    "fxps": "fxps",
}


def _dots(text: str) -> str:
    return _DOT.sub("[.]", text)


def defang(value: str | None, kind: str = "url") -> str:
    """Defanged display of an observable of STIX ``kind`` (url, domain-name, email-addr, ipv4-addr)."""
    text = clean(value)
    if not text:
        return text
    if kind == "url":
        return _defang_url(text)
    if kind == "email-addr" and "@" in text:
        local, _, domain = text.rpartition("@")
        return f"{local}@{_dots(domain)}"
    if kind in ("domain-name", "ipv4-addr", "email-addr"):
        return _dots(text)
    return text


def _defang_url(text: str) -> str:
    match = _SCHEME.match(text)
    if match is None:  # no scheme: "evil.example/path"
        host = _END_OF_HOST.split(text, maxsplit=1)[0]
        return _dots(host) + text[len(host) :]
    scheme = match.group(1)
    rest = text[match.end() :]
    lowered = scheme.lower()
    if lowered in _DEFANGED_SCHEMES and rest.startswith("//"):
        new_scheme = _DEFANGED_SCHEMES[lowered]
        authority = _END_OF_HOST.split(rest[2:], maxsplit=1)[0]
        return f"{new_scheme}://{_dots(authority)}{rest[2 + len(authority) :]}"
    # javascript:, data:, mailto: and friends: break the scheme so nothing treats it as a link
    return f"{scheme}[:]{rest}"
