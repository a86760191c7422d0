"""Hosts and registered domains of URLs, and refanging of defanged indicators.

```python
host_of("https://User@Login.Example.co.uk:8443/x")  # 'login.example.co.uk'
registered_domain("login.example.co.uk")              # 'example.co.uk'
refang("hxxps://evil[.]com/a user[at]evil[.]com")     # 'https://evil.com/a user@evil.com'
```
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_HOST_CHARS = re.compile(r"^[a-z0-9_.-]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_OPAQUE = re.compile(r"^[A-Za-z][A-Za-z0-9+-]*:(?!//|\d)")  # mailto:, javascript:, data:

_REFANG = [
    (re.compile(r"\bh(?:xx|\*\*)p(s?)(?=\[?:)", re.IGNORECASE), r"http\1"),
    (re.compile(r"\bfxp(?=\[?:)", re.IGNORECASE), "ftp"),
    (re.compile(r"\[(?::|://)\]"), lambda m: m.group(0)[1:-1]),
    (re.compile(r"[\[({]\s*(?:\.|dot)\s*[\])}]", re.IGNORECASE), "."),
    (re.compile(r"[\[({]\s*(?:@|at)\s*[\])}]", re.IGNORECASE), "@"),
]


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)
def registered_domain(host: str | None) -> str | None:
    """The registrable domain (public suffix + one label) of a host, or None (IPs, bare suffixes)."""
    if not host or "." not in host or is_ip(host):
        return None
    found = _psl().privatesuffix(host.lower().rstrip("."))
    return str(found) if found else None


def host_of(url: str | None) -> str | None:
    """The lower-cased host of a URL (or of a bare ``host/path``), without userinfo or port.

    Unicode hosts are turned into their ASCII (punycode) form; punycode is kept as it is.
    """
    if not url:
        return None
    text = url.strip().replace("\\", "/")
    if _OPAQUE.match(text):
        return None
    if not _SCHEME.match(text) and not text.startswith("//"):
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    if is_ip(host):
        return host
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return host if _HOST_CHARS.match(host) else None


def refang(text: str) -> str:
    """Undo the usual defanging: ``hxxp://``, ``example[.]com``, ``user[at]example.com``, ``[:]``."""
    for pattern, repl in _REFANG:
        text = pattern.sub(repl, text)
    return text
