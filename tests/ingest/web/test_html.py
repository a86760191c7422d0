"""Saved web pages (.html) into ``pages``: text, links, trackers, metadata; hostile markup kept as text."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from vigil.ingest.run import ingest, sniff
from vigil.ingest.web.page import normalize_text, parse_page, tracker_ids
from vigil.workspace import Workspace

ARTICLE = """<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="utf-8">
<title>Élection volée <script>alert('x')</script></title>
<link rel="canonical" href="https://www.lavirgule-news.com/article/elections-2024/">
<meta name="generator" content="WordPress 6.4.1">
<meta name="author" content="Jean Martin">
<meta property="article:published_time" content="2024-05-02T09:52:47+02:00">
<meta property="og:image" content="https://www.lavirgule-news.com/wp-content/uploads/une.jpg">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Marie Dubois"},
   "datePublished": "2024-05-02T07:52:47Z"}]}</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-M3820N2CFD"></script>
<script>gtag('config', 'UA-12345678-1'); fbq('init', '1234567890123');
 (function(m,e,t,r,i,k,a){})(window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym");
 ym(87676419, "init", {clickmap:true});</script>
<ins class="adsbygoogle" data-ad-client="ca-pub-1234567890123456"></ins>
</head>
<body>
<nav><a href="/">Accueil</a> <a href="#top">haut</a></nav>
<article>
<h1>Élection volée</h1>
<p>Selon des sources anonymes, le scrutin du 9 juin aurait été truqué par des fonctionnaires européens.
Les électeurs ne doivent pas se laisser faire et doivent exiger un recomptage complet des bulletins.</p>
<p>Une enquête publiée par <a href="https://www.leparisien.fr/politique/enquete.php">Le Parisien</a>
montre que les machines ont été manipulées, affirme notre correspondant à Bruxelles,
qui cite des documents internes.</p>
<p>Partagez cet article avant qu'il ne soit censuré :
<a href="javascript:alert(document.cookie)">cliquez ici</a>.</p>
<img src="/wp-content/uploads/urne.png"><img src="data:image/png;base64,AAAA" data-src="/img/lazy.jpg">
<a href="https://t.me/lavirgule_news">Telegram</a> <a href="//cdn.example.org/x.js">cdn</a>
<a href="mailto:contact@lavirgule-news.com">contact</a>
</article>
</body>
</html>
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "lavirgule-news.com__article.html"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _pages(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        return con.sql("SELECT * FROM pages ORDER BY url").to_arrow_table().to_pylist()


def test_article_fields(workspace: Workspace, article: Path) -> None:
    summary = ingest(workspace, [article])
    assert summary.tables["pages"] == 1 and summary.quarantined == 0
    (page,) = _pages(workspace)
    assert page["url"] == "https://www.lavirgule-news.com/article/elections-2024/"
    assert page["host"] == "www.lavirgule-news.com" and page["registered_domain"] == "lavirgule-news.com"
    assert page["fetched_at"] is None and page["source_offset"] == 0
    # the title is text as the page had it: escaping is the report's job
    assert page["title"] == "Élection volée <script>alert('x')</script>"
    assert page["language"] == "fr-FR" and page["generator"] == "WordPress 6.4.1"
    assert page["byline"] == "Marie Dubois"  # JSON-LD before the meta tag
    assert page["published"].isoformat() == "2024-05-02T07:52:47+00:00"
    text = str(page["text"])
    assert "scrutin du 9 juin" in text and "alert(" not in text
    links = page["links"]
    assert isinstance(links, list)
    assert "javascript:alert(document.cookie)" in links  # kept as it was written
    assert "https://www.lavirgule-news.com/" in links and "https://cdn.example.org/x.js" in links
    assert "mailto:contact@lavirgule-news.com" in links
    assert not any("#top" in str(link) for link in links)
    assert page["outbound_domains"] == ["example.org", "leparisien.fr", "t.me"]
    assert page["tracker_ids"] == [
        "G-M3820N2CFD",
        "UA-12345678-1",
        "meta-pixel:1234567890123",
        "pub-1234567890123456",
        "yandex-metrika:87676419",
    ]
    assert page["images"] == [
        "https://www.lavirgule-news.com/wp-content/uploads/une.jpg",
        "https://www.lavirgule-news.com/wp-content/uploads/urne.png",
        "https://www.lavirgule-news.com/img/lazy.jpg",
    ]
    assert page["html_sha256"] == hashlib.sha256(article.read_bytes()).hexdigest()
    assert page["text_sha256"] == hashlib.sha256(normalize_text(text).encode()).hexdigest()


def test_reingest_adds_nothing(workspace: Workspace, article: Path) -> None:
    ingest(workspace, [article])
    again = ingest(workspace, [article])
    assert again.tables["pages"] == 0 and again.skipped_duplicates == 1


def test_page_without_canonical_keeps_url_null_and_only_absolute_links() -> None:
    html = b"""<html><head><title>t</title></head><body>
    <a href="/relative">r</a> <a href="https://rrn.media/x">a</a> <img src="/i.png"></body></html>"""
    page = parse_page(html)
    assert page["url"] is None and page["host"] is None and page["registered_domain"] is None
    assert page["links"] == ["https://rrn.media/x"] and page["images"] == []
    assert page["outbound_domains"] == ["rrn.media"]


def test_given_url_wins_and_base_href_is_honoured() -> None:
    html = (
        b'<html><head><base href="/sub/"><link rel="canonical" href="https://other.example/"></head>'
        b'<body><a href="page">p</a><a href="https://www.x.com/a">x</a></body></html>'
    )
    page = parse_page(html, url="https://news.example.co.uk/a/b.html")
    assert page["url"] == "https://news.example.co.uk/a/b.html"
    assert page["registered_domain"] == "example.co.uk"
    assert page["links"] == ["https://news.example.co.uk/sub/page", "https://www.x.com/a"]
    assert page["outbound_domains"] == ["x.com"]


def test_text_hash_matches_copies_that_differ_in_spacing_and_case() -> None:
    body = "<p>{}</p>".format("Le gouvernement cache la vérité sur les élections européennes. " * 8)
    a = parse_page(f"<html><body><article>{body}</article></body></html>".encode())
    b = parse_page(f"<html><body><article>{body.upper().replace(' ', '  ')}</article></body></html>".encode())
    assert a["text_sha256"] and a["text_sha256"] == b["text_sha256"]
    assert a["html_sha256"] != b["html_sha256"]


def test_charset_from_meta_tag() -> None:
    html = '<html><head><meta charset="windows-1251"><title>Выборы</title></head><body></body></html>'
    assert parse_page(html.encode("cp1251"))["title"] == "Выборы"


def test_tracker_ids_need_word_boundaries() -> None:
    assert tracker_ids("xG-ABC123DEF G-ABCDEFGH UA-1-2 GTM-K9X2ZQ ca-pub-12345678901") == [
        "GTM-K9X2ZQ",
        "pub-12345678901",
    ]


def test_oversized_page_is_quarantined(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigil.ingest.web.html.MAX_HTML_BYTES", 100)
    path = tmp_path / "big.html"
    path.write_text("<html><body>" + "x" * 500 + "</body></html>")
    summary = ingest(workspace, [path])
    assert summary.tables["pages"] == 0 and summary.quarantined == 1
    assert next(iter(summary.reasons)) == "page larger than 100 bytes"


def test_sniff_picks_html(tmp_path: Path, article: Path) -> None:
    assert (found := sniff(article)) is not None and found.name == "html"
    saved = tmp_path / "page_without_suffix"
    saved.write_text("\n<!doctype html><html><body>x</body></html>")
    assert (found := sniff(saved)) is not None and found.name == "html"
