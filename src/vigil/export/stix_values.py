"""Entity values as STIX 2.1 requires them in observables and patterns (no ``stix2`` import here).

Values come from attackers: a "domain" parsed out of a From header may hold quotes, a URL may hold
backslashes, spaces and any Unicode. STIX wants RFC 3986 URLs, IDNA host names, dotted IPv4
(CIDR allowed), so each value is checked, URLs are percent-encoded the way a browser would send
them, and what cannot be made valid is left out of the observables (the finding's note lists it).
"""

from __future__ import annotations

import ipaddress
import re
import string

import idna

_IPV4 = re.compile(
    r"(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])"
    r"(/(3[0-2]|[1-2][0-9]|[0-9]))?"
)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(//)?")
_URL_SAFE = frozenset(string.ascii_letters + string.digits + "-._~:/?#@!$&'()*+,;=")
_HEX = frozenset(string.hexdigits)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# What stix2-validator accepts as an e-mail address.
_EMAIL = re.compile(r"[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+")


def quote(value: str) -> str:
    """A STIX pattern string literal: backslashes and quotes escaped, nothing else."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _percent_encode(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch in _URL_SAFE or (ch == "%" and len(text) > i + 2 and set(text[i + 1 : i + 3]) <= _HEX):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out)


def _host(host: str) -> str | None:
    if host.startswith("[") and host.endswith("]"):  # IPv6 literal
        return host if ipv6(host[1:-1]) else None
    if host.isascii():
        return _percent_encode(host)
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return None


def url(value: str) -> str | None:
    """The URL as an RFC 3986 URI (percent-encoded, IDNA host), or None without a scheme."""
    value = value.strip()
    match = _SCHEME.match(value)
    if match is None:
        return None
    rest = value[match.end() :]
    if not match.group(2):
        return f"{match.group(1)}:{_percent_encode(rest)}"
    end = next((i for i, ch in enumerate(rest) if ch in "/?#"), len(rest))
    authority, tail = rest[:end], rest[end:]
    userinfo, at, hostport = authority.rpartition("@")
    host, port = hostport, ""
    if not hostport.endswith("]") and ":" in hostport:
        host, _, port = hostport.rpartition(":")
        port = ":" + port
    clean_host = _host(host)
    if clean_host is None or (port and not port[1:].isdigit()):
        return None
    return f"{match.group(1)}://{_percent_encode(userinfo)}{at}{clean_host}{port}{_percent_encode(tail)}"


def domain(value: str) -> str | None:
    """The domain name if STIX accepts it (an IDNA host name), as given; else None."""
    try:
        idna.encode(value)
    except (idna.IDNAError, UnicodeError):
        return None
    return value


def ipv4(value: str) -> str | None:
    return value if _IPV4.fullmatch(value) else None


def ipv6(value: str) -> str | None:
    if "." in value or _CONTROL.search(value):  # embedded IPv4 forms trip the STIX schema's pattern
        return None
    try:
        ipaddress.IPv6Network(value, strict=False)
    except ValueError:
        return None
    return value


def email(value: str) -> str | None:
    """The address if the STIX validator accepts it (ASCII local part, a dotted domain; a Unicode
    domain is IDNA-encoded), else None. Rare valid addresses (``o'brien@...``) fall outside it."""
    local, at, host = value.rpartition("@")
    if not at or not host.isascii():
        host = _host(host) or "" if at else ""
    candidate = f"{local}@{host}"
    return candidate if _EMAIL.fullmatch(candidate) else None


def sha256(value: str) -> str | None:
    return value.lower() if len(value) == 64 and set(value) <= _HEX else None
