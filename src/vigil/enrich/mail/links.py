"""Link signals: where a message's links go, judged from the URL and its visible text alone.

Nothing is fetched. A redirect target written into a link's query (``?url=https://…``) is judged as
a link of its own. The evidence of every link signal starts with the host it is about, then ``": "``
(``"secure-docreview.online: first seen in this message"``), so that detectors can name the host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from vigil.enrich.domains import host_of, is_ip, registered_domain
from vigil.enrich.mail.brands import CLICK_TRACKERS, FREE_HOSTING, PHISHING_TARGETS, RISKY_TLDS, SHORTENERS
from vigil.enrich.mail.context import MailContext
from vigil.enrich.mail.signals import Signal, signal
from vigil.enrich.mail.text import clean, fold, random_label

#: Links judged per message (a newsletter can carry hundreds; the first ones are what a reader sees).
MAX_LINKS = 60

_EMBEDDED = re.compile(r"[?&#][^=&#]*=((?:https?(?::|%3a)(?://|%2f%2f)|www\.|www%2e)[^&#\s]+)", re.IGNORECASE)
_SHOWN_URL = re.compile(r"^(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE)
_RISKY_FILE = re.compile(
    r"\.(?:exe|scr|pif|msi|bat|cmd|js|jse|vbs|vbe|wsf|hta|ps1|jar|lnk|iso|img|vhdx?|zip|rar|7z|apk)$",
    re.IGNORECASE,
)
_IP_IN_NAME = re.compile(r"(?:^|[.-])(?:\d{1,3}[.-]){3}\d{1,3}(?:[.-]|$)")
_PORT = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#]*:(\d+)", re.IGNORECASE)
#: user@host where the user part looks like a host (``http://paypal.com@evil.net``): the reader sees the first
_USERINFO = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#@:]*\.[a-z]{2,}[^/?#@]*@", re.IGNORECASE)

#: Document and file services whose name in a link text promises a destination.
_SERVICES = {
    "google docs": "Google",
    "google drive": "Google",
    "google sheets": "Google",
    "onedrive": "Microsoft",
    "sharepoint": "Microsoft",
    "office 365": "Microsoft",
    "microsoft 365": "Microsoft",
    "docusign": "DocuSign",
    "dropbox": "Dropbox",
    "adobe sign": "Adobe",
    "adobe acrobat": "Adobe",
    "wetransfer": "WeTransfer",
    "icloud": "Apple",
}
_SERVICE_RE = re.compile(r"\b(" + "|".join(map(re.escape, _SERVICES)) + r")\b")
_BRAND_DOMAINS = {b.name: frozenset(b.domains) for b in PHISHING_TARGETS}


def _suffix_in(host: str, names: frozenset[str]) -> str | None:
    """The entry of ``names`` that ``host`` is, or is a subdomain of."""
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in names:
            return candidate
    return None


def _links(row: Mapping[str, Any]) -> Iterator[tuple[str, str | None, str, str | None, bool]]:
    """(url, text, host, registered domain, embedded) of each link and of each redirect target in one."""
    for link in (row.get("urls") or [])[:MAX_LINKS]:
        url, host = link.get("url") or "", link.get("host")
        if not host:
            continue
        reg = link.get("registered_domain") or registered_domain(host)
        yield url, link.get("text"), host, reg, False
        if "=" in url:
            for target in _EMBEDDED.findall(url[:2048]):
                inner = unquote(unquote(target))
                inner_host = host_of(inner if "://" in inner else "http://" + inner)
                if inner_host and registered_domain(inner_host) != reg:
                    yield inner, None, inner_host, registered_domain(inner_host), True


def link_signals(row: Mapping[str, Any], ctx: MailContext) -> list[Signal]:
    out: list[Signal] = []
    seen: set[tuple[str, str]] = set()
    sender_reg = registered_domain((row.get("from_domain") or "").lower()) or ""
    when = row.get("date")
    # Hosts of domains never seen before: kept if the host is suspect for another reason.
    unseen: list[str] = []

    def add(code: str, host: str, text: str) -> None:
        if (code, host) not in seen:
            seen.add((code, host))
            out.append(signal(code, f"{host}: {text}"))

    for url, text, host, reg, embedded in _links(row):
        if embedded:
            add(
                "link.embedded_redirect",
                host,
                f"the target of a redirect written into a link ({clean(url, 100)})",
            )
        if is_ip(host):
            add("link.ip_host", host, f"a link to an IP address ({clean(url, 100)})")
        elif _IP_IN_NAME.search(host):
            add("link.ip_host", host, "an IP address written into the host name")
        if _USERINFO.match(url):
            add("link.userinfo", host, f"the link {clean(url, 100)} opens {host}, not what precedes the @")
        owner = ctx.lookalikes.owner(host) if reg else None
        if owner is None and not ctx.is_protected_domain(host):
            match = ctx.lookalikes.match(host)
            if match is not None:
                code = "link.lookalike_protected" if match.target.protected else "link.lookalike_brand"
                add(code, host, f"a link's domain {match.describe()}")
            if "xn--" in host:
                add("link.punycode_host", host, "an internationalised name")
            if reg and reg in SHORTENERS:
                add("link.shortener", host, "a URL shortener hides where this link goes")
            if reg and (random_label(reg) or any(random_label(part, 12) for part in host.split(".")[:-2])):
                add("link.random_domain", host, "a domain name that looks machine-made")
            tld = host.rsplit(".", 1)[-1]
            if tld in RISKY_TLDS:
                add("link.risky_tld", host, f"under .{tld}")
            if (
                ctx.history is not None
                and reg
                and reg != sender_reg
                and reg not in SHORTENERS
                and _suffix_in(host, CLICK_TRACKERS) is None
                and ctx.history.new_link_domain(reg, when)
            ):
                unseen.append(host)
        hosting = _suffix_in(host, FREE_HOSTING)
        if hosting:
            add("link.free_hosting", host, f"a page on {hosting}, where anyone can publish")
        path = url.split("?", 1)[0].split("#", 1)[0]
        if _RISKY_FILE.search(path) and path.count("/") >= 3:
            add("link.risky_file", host, f"downloads {clean(path.rsplit('/', 1)[-1], 80)}")
        port = _PORT.match(url)
        if port and port.group(1) not in ("80", "443", "8080", "8443"):
            add("link.nonstandard_port", host, f"port {port.group(1)}")
        if text and not embedded:
            _text_signals(add, ctx, text, host, reg, sender_reg, owner is not None)
    # Newness qualifies a suspect link; on its own it describes most links of a young workspace.
    suspect = {host for _, host in seen}
    for host in unseen:
        if host in suspect:
            add("link.new_domain", host, "a domain never seen in earlier mail of this workspace")
    return out


def _text_signals(
    add: Any, ctx: MailContext, text: str, host: str, reg: str | None, sender_reg: str, own: bool
) -> None:
    tracked = _suffix_in(host, CLICK_TRACKERS) is not None or (sender_reg and reg == sender_reg)
    shown = text.strip().strip("<>[]()\"'")
    if len(shown) <= 300 and " " not in shown and _SHOWN_URL.match(shown):
        shown_host = host_of(shown if "://" in shown else "http://" + shown)
        shown_reg = registered_domain(shown_host) if shown_host else None
        if shown_reg and reg and shown_reg != reg and not tracked:
            shown_owner = ctx.lookalikes.owner(shown_host) or (
                shown_host if ctx.is_protected_domain(shown_host) else None
            )
            code = "link.text_shows_brand" if shown_owner is not None else "link.text_mismatch"
            add(code, host, f"the link text shows {clean(shown_host or '', 80)}")
            return
    if own or tracked:
        return
    found = _SERVICE_RE.search(fold(text[:300]))
    if found:
        brand = _SERVICES[found.group(1)]
        if reg not in _BRAND_DOMAINS.get(brand, frozenset()):
            add("link.text_names_brand", host, f"the link text {clean(text, 80)!r} names {found.group(1)}")
