"""One HTML document to one row of the ``pages`` table.

Structure (title, language, canonical URL, links, images, meta tags, JSON-LD) comes from a lexbor
parse with selectolax, which is fast and tolerant of broken markup. The main text comes from
trafilatura's ``extract`` (precision mode, no fallback extractors, no metadata pass: those triple the
cost). Nothing here fetches anything: trafilatura is handed the document, never a URL to load.

Everything is kept as text exactly as the page had it (a ``<script>`` inside a title, a
``javascript:`` link): escaping is the job of whatever displays it.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from vigil.enrich.domains import host_of, registered_domain
from vigil.ingest.limits import MAX_TEXT_CHARS, MAX_URLS

#: Analytics and ad-network ids that tie sites to one operator: (pattern, how the id is written).
#: Every pattern starts with a literal (fast to search for) and checks what precedes it with a
#: look-behind after it. Ids of different networks are told apart by a prefix where they are bare numbers.
TRACKERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"UA-(?<![\w-]UA-)(\d{4,10}-\d{1,4})(?![\w-])"), "UA-{}"),  # Universal Analytics
    (re.compile(r"G-(?<![\w-]G-)((?=[A-Z]*\d)[A-Z0-9]{6,12})(?![\w-])"), "G-{}"),  # GA4 measurement id
    (re.compile(r"GTM-(?<![\w-]GTM-)([A-Z0-9]{4,10})(?![\w-])"), "GTM-{}"),  # Tag Manager container
    (re.compile(r"pub-(?<!\wpub-)(\d{10,20})(?!\w)"), "pub-{}"),  # AdSense publisher (also ca-pub-)
    (re.compile(r"""fbq\(\s*['"]init['"]\s*,\s*['"]?(\d{6,20})"""), "meta-pixel:{}"),
    (re.compile(r"facebook\.com/tr/?\?id=(\d{6,20})"), "meta-pixel:{}"),
    (re.compile(r"ym\((?<![\w.]ym\()\s*(\d{5,12})\s*,"), "yandex-metrika:{}"),
    (re.compile(r"mc\.yandex\.(?:ru|com)/watch/(\d{5,12})"), "yandex-metrika:{}"),
    (re.compile(r"yaCounter(\d{5,12})"), "yandex-metrika:{}"),
]

_PUBLISHED_META = (
    'meta[property="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="article:published_time"]',
    'meta[property="og:published_time"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="date"]',
    'meta[name="dc.date"]',
    'meta[name="dcterms.date"]',
    'meta[name="sailthru.date"]',
    'meta[name="parsely-pub-date"]',
)
_AUTHOR_META = (
    'meta[name="author"]',
    'meta[property="article:author"]',
    'meta[name="byl"]',
    'meta[name="dc.creator"]',
    'meta[name="parsely-author"]',
    'meta[name="sailthru.author"]',
    'meta[name="twitter:creator"]',
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def decode_html(raw: bytes, declared: str | None = None) -> str:
    """The document as text: BOM, else the HTTP charset, else ``<meta charset>``, else UTF-8 (lossy)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, "replace")
    candidates = [declared] if declared else []
    found = _CHARSET.search(raw[:4096])
    if found:
        candidates.append(found.group(1).decode("ascii", "replace"))
    for name in candidates:
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            continue
        if encoding.startswith("utf-16"):  # a meta tag that says utf-16 in an ASCII-readable file lies
            continue
        return raw.decode(encoding, "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def normalize_text(text: str) -> str:
    """What ``text_sha256`` hashes: NFKC, case-folded, whitespace collapsed (copies on clones match)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def parse_page(
    raw: bytes, *, url: str | None = None, fetched_at: datetime | None = None, charset: str | None = None
) -> dict[str, Any]:
    """Every ``pages`` column but the provenance ones, for the HTML in ``raw``.

    ``url`` is where it was fetched from (a WARC's target URI); without one, the page's own
    ``<link rel=canonical>`` or ``og:url`` is used, and relative links are dropped.
    """
    html = decode_html(raw, charset)
    tree = LexborHTMLParser(html)
    page_url = url or _declared_url(tree)
    base = page_url
    base_node = tree.css_first("base[href]")
    if base_node is not None and page_url:
        base = urljoin(page_url, (base_node.attributes.get("href") or "").strip())
    host = host_of(page_url) if page_url else None
    own = registered_domain(host) if host else None

    links = _bounded(_resolved(base, (n.attributes.get("href") for n in tree.css("a[href], area[href]"))))
    outbound = sorted({d for d in _domains(links) if d != own})
    images = _bounded(
        u for u in _resolved(base, _image_sources(tree)) if u.startswith(("http://", "https://"))
    )
    text = _main_text(html)
    jsonld = list(_jsonld_objects(tree))
    return {
        "url": page_url,
        "host": host,
        "registered_domain": own,
        "fetched_at": fetched_at,
        "title": _title(tree),
        "text": text,
        "byline": _byline(tree, jsonld),
        "published": _published(tree, jsonld),
        "language": _attr(tree.css_first("html"), "lang"),
        "links": links,
        "outbound_domains": outbound,
        "tracker_ids": tracker_ids(html),
        "generator": _meta(tree, 'meta[name="generator" i]'),
        "images": images,
        "html_sha256": hashlib.sha256(raw).hexdigest(),
        "text_sha256": hashlib.sha256(normalize_text(text).encode()).hexdigest() if text else None,
    }


def tracker_ids(html: str) -> list[str]:
    found: dict[str, None] = {}
    for pattern, template in TRACKERS:
        for match in pattern.finditer(html):
            found[template.format(match.group(1))] = None
    return sorted(found)


def _main_text(html: str) -> str | None:
    import trafilatura  # slow to import; only the web adapters need it

    text = trafilatura.extract(
        html,
        favor_precision=True,
        fast=True,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if not text:
        return None
    return text[:MAX_TEXT_CHARS]


def _attr(node: LexborNode | None, name: str) -> str | None:
    if node is None:
        return None
    value = node.attributes.get(name)
    return value.strip() or None if value else None


def _meta(tree: LexborHTMLParser, selector: str) -> str | None:
    return _attr(tree.css_first(selector), "content")


def _declared_url(tree: LexborHTMLParser) -> str | None:
    for candidate in (
        _attr(tree.css_first('link[rel~="canonical" i][href]'), "href"),
        _meta(tree, 'meta[property="og:url"]'),
    ):
        if candidate and urlsplit(candidate).scheme in ("http", "https") and urlsplit(candidate).netloc:
            return candidate
    return None


def _title(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("title")
    title = _SPACE.sub(" ", node.text()).strip() if node is not None else ""
    return title or _meta(tree, 'meta[property="og:title"]')


def _resolved(base: str | None, hrefs: Iterable[str | None]) -> Iterator[str]:
    for href in hrefs:
        if not href:
            continue
        href = href.strip()
        if not href or href.startswith("#"):
            continue
        try:
            absolute = urljoin(base, href) if base else href
            if urlsplit(absolute).scheme:
                yield absolute
        except ValueError:  # e.g. an invalid IPv6 literal
            continue


def _bounded(urls: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for u in urls:
        seen[u] = None
        if len(seen) >= MAX_URLS:
            break
    return list(seen)


def _domains(urls: Iterable[str]) -> Iterator[str]:
    for u in urls:
        if not u.startswith(("http://", "https://", "//")):
            continue
        host = host_of(u)
        domain = registered_domain(host) if host else None
        if domain:
            yield domain


def _image_sources(tree: LexborHTMLParser) -> Iterator[str | None]:
    yield _meta(tree, 'meta[property="og:image"]')
    for node in tree.css("img"):
        attrs = node.attributes
        src = attrs.get("src")
        if not src or src.startswith("data:"):
            src = attrs.get("data-src") or attrs.get("data-lazy-src")
        yield src


def _jsonld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    for node in tree.css('script[type="application/ld+json" i]'):
        try:
            doc = orjson.loads(node.text())
        except orjson.JSONDecodeError:
            continue
        stack = [doc]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                yield item


def _byline(tree: LexborHTMLParser, jsonld: list[dict[str, Any]]) -> str | None:
    for item in jsonld:
        author = item.get("author")
        authors = author if isinstance(author, list) else [author]
        found = [a.get("name") if isinstance(a, dict) else a for a in authors]
        names = [n.strip() for n in found if isinstance(n, str) and n.strip()]
        if names:
            return ", ".join(names)
    for selector in _AUTHOR_META:
        value = _meta(tree, selector)
        if value:
            return value
    return None


def _published(tree: LexborHTMLParser, jsonld: list[dict[str, Any]]) -> datetime | None:
    candidates: list[str | None] = [item.get("datePublished") for item in jsonld if isinstance(item, dict)]
    candidates += [_meta(tree, s) for s in _PUBLISHED_META]
    candidates.append(_attr(tree.css_first("time[datetime]"), "datetime"))
    for value in candidates:
        parsed = parse_time(value) if isinstance(value, str) else None
        if parsed:
            return parsed
    return None


def parse_time(value: str) -> datetime | None:
    """An ISO 8601 date or time as UTC (a date alone is midnight UTC; no zone means UTC)."""
    value = value.strip()
    if not value:
        return None
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year < 1990 or parsed.year > 2100:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
