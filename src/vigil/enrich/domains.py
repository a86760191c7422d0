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
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from publicsuffixlist import PublicSuffixList

_HOST_CHARS = re.compile(r"^[a-z0-9_.-]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}$")
_PLAIN_URL = re.compile(r"(?:https?|ftp)://([A-Za-z0-9_.-]+)(?::\d{0,5})?(?:[/?#]|$)", re.IGNORECASE)
_NUMERIC_LAST = re.compile(r"(?:^|\.)(?:0x[0-9a-f]*|\d+)$")
_OPAQUE = re.compile(r"^[A-Za-z][A-Za-z0-9+-]*:(?!//|\d)")  # mailto:, javascript:, data:

_REFANG: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
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
    if not host or not (host[-1].isdigit() or ":" in host or host[-1] == "]"):
        return False
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
    plain = _PLAIN_URL.match(url)  # the common case, without urlsplit
    if plain and not _NUMERIC_LAST.search(plain.group(1)):
        return plain.group(1).lower().rstrip(".") or None
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
    if "%" in host:  # browsers decode it: w%77w%2Eevil.com is www.evil.com
        host = unquote(host).lower().rsplit("@", 1)[-1]
    host = host.rstrip(".")
    if is_ip(host):
        return host
    if _NUMERIC_LAST.search(host):  # no TLD is a number: an IPv4 address in some notation, or nothing
        return _numeric_ipv4(host) if _NUMERIC_HOST.match(host) else None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return host if _HOST_CHARS.match(host) else None


def _numeric_ipv4(host: str) -> str | None:
    """A host of 1-4 decimal, octal (0...) or hex (0x...) numbers read the way browsers read it."""
    numbers = []
    for part in host.split("."):
        base = 16 if part.startswith("0x") else 8 if len(part) > 1 and part.startswith("0") else 10
        digits = part[2:] if base == 16 else part
        numbers.append(int(digits, base) if digits else 0)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = sum(n << (8 * (3 - i)) for i, n in enumerate(head)) + last
    return str(ipaddress.IPv4Address(value))


def refang(text: str) -> str:
    """Undo the usual defanging: ``hxxp://``, ``example[.]com``, ``user[at]example.com``, ``[:]``."""
    for pattern, repl in _REFANG:
        text = pattern.sub(repl, text)
    return text
