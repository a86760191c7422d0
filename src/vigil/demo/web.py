"""Crawled web pages: a WARC of real-looking outlets, the fake local-news network and an outlet clone,
plus a few pages an analyst saved by hand (``web/pages/*.html``).
"""

from __future__ import annotations

import html
import io
import json
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from vigil.demo import story as s
from vigil.demo.common import det_hex, slug
from vigil.demo.manifest import PlantedAttack, iso
from vigil.demo.web_text import FABRICATED, LEFT_FRAMES, ORIGINALS, RIGHT_FRAMES, SYNONYMS, Article

WARC = "web/crawl.warc.gz"
PAGES_DIR = "web/pages"

HERALD_GA = "G-5HK2W8RT3N"
TIMES_UA = "UA-48213377-1"
TIMES_ADSENSE = "ca-pub-8812034456120987"
WIRE_GA = "G-KSW7M3D1ZB"
SHOPPER = "caldervalleyshopper.com"

FAKE_SITES = {
    s.FAKE_SITES_LEFT[0]: (
        "Calder County Dispatch",
        "Local news for working families",
        "left",
        "Jenna Carlisle",
    ),
    s.FAKE_SITES_LEFT[1]: (
        "Progressive Valley News",
        "Independent progressive news for the valley",
        "left",
        "Marcus Dean",
    ),
    s.FAKE_SITES_RIGHT[0]: (
        "Calder Free Press",
        "Real news for Calder County patriots",
        "right",
        "Mike Dalton",
    ),
    s.FAKE_SITES_RIGHT[1]: (
        "Liberty Ridge Tribune",
        "Faith. Family. Freedom. Local news.",
        "right",
        "Sarah Whitman",
    ),
}
FAKE_IPS = {
    s.FAKE_SITES_LEFT[0]: "194.87.213.41",
    s.FAKE_SITES_LEFT[1]: "194.87.213.41",
    s.FAKE_SITES_RIGHT[0]: "194.87.213.58",
    s.FAKE_SITES_RIGHT[1]: "194.87.213.58",
}


@dataclass
class Page:
    url: str
    html: str
    fetched: datetime
    server: str = "nginx"
    ip: str = ""
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    saved: str = ""  # file name under web/pages/ if saved by hand instead of crawled


def _url_article(a: Article) -> str:
    y, m, d = a.date.split("-")
    if a.outlet == s.OUTLET_DOMAIN:
        return f"https://www.springfieldherald.com/{a.section}/{y}/{m}/{d}/{slug(a.title)}/"
    if a.outlet == "caldervalleytimes.com":
        return (
            f"https://www.caldervalleytimes.com/{a.section}/{slug(a.title)}/"
            f"article_{det_hex(a.key, n=8)}.html"
        )
    return f"https://keystonestatewire.com/{y}/{m}/{d}/{slug(a.title)}/"


def _paras_html(paras: list[str] | tuple[str, ...], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f"<p{attr}>{html.escape(p)}</p>" for p in paras)


def _long_date(date: str, fmt: str) -> str:
    return datetime.strptime(date, "%Y-%m-%d").strftime(fmt)


def _gtag(ga: str) -> str:
    return (
        f'<script async src="https://www.googletagmanager.com/gtag/js?id={ga}"></script>\n'
        "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}\n"
        f"gtag('js', new Date()); gtag('config', '{ga}');</script>"
    )


def _ua(ua: str) -> str:
    return (
        "<script>(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){\n"
        "(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),\n"
        "m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)\n"
        "})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');\n"
        f"ga('create', '{ua}', 'auto'); ga('send', 'pageview');</script>"
    )


def _adsense(pub: str) -> str:
    return (
        f'<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client={pub}" '
        'crossorigin="anonymous"></script>'
    )


def _jsonld(title: str, date: str, author: str, publisher: str, url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": f"{date}T06:00:00-04:00",
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": publisher},
        "mainEntityOfPage": url,
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# -- templates --------------------------------------------------------------------------------------


def herald_page(
    title: str,
    date: str,
    byline: str,
    paras: list[str] | tuple[str, ...],
    url: str,
    ga: str = HERALD_GA,
    host: str = "www.springfieldherald.com",
    related: list[str] | None = None,
) -> str:
    """The Springfield Herald's article template (also what the clones copy, logo and tracker included)."""
    author = byline.removeprefix("By ").strip()
    rel = "".join(
        f'<li><a href="{html.escape(u)}">{html.escape(t)}</a></li>'
        for t, u in [(r.split("|")[0], r.split("|")[1]) for r in related or []]
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | Springfield Herald</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{html.escape(paras[0][:150])}">
<meta name="author" content="{html.escape(author)}">
<link rel="canonical" href="{html.escape(url)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Springfield Herald">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:url" content="{html.escape(url)}">
<meta property="og:image" content="https://www.springfieldherald.com/static/img/herald-share.png">
<meta property="article:published_time" content="{date}T06:00:00-04:00">
<link rel="stylesheet" href="https://www.springfieldherald.com/static/css/herald.3f9a1c.css">
<link rel="icon" href="https://www.springfieldherald.com/favicon.ico">
{_gtag(ga)}
{_jsonld(title, date, author, "Springfield Herald", url)}
</head>
<body class="article-page">
<header class="sh-masthead"><a href="https://{host}/">
<img src="https://www.springfieldherald.com/static/img/herald-logo.svg" alt="Springfield Herald" width="320">
</a>
<nav class="sh-nav"><a href="https://{host}/news/local/">Local</a>
<a href="https://{host}/news/politics/">Politics</a> <a href="https://{host}/opinion/">Opinion</a>
<a href="https://{host}/sports/">Sports</a></nav></header>
<main class="sh-article">
<h1 class="sh-headline">{html.escape(title)}</h1>
<div class="sh-byline"><span class="sh-author">{html.escape(byline)}</span>
<time datetime="{date}">{_long_date(date, "%B %-d, %Y")}</time></div>
<div class="sh-body">
{_paras_html(paras, "sh-p")}
</div>
<aside class="sh-related"><h2>More from the Herald</h2><ul>{rel}</ul></aside>
</main>
<footer class="sh-footer"><p>&copy; 2024 Springfield Herald Media LLC. All rights reserved.</p>
<p><a href="https://{host}/about/">About us</a> | <a href="https://{host}/privacy/">Privacy</a>
| <a href="https://{host}/contact/">Contact</a></p></footer>
</body>
</html>
"""


def blox_page(
    site: str,
    host: str,
    title: str,
    date: str,
    byline: str,
    paras: list[str] | tuple[str, ...],
    url: str,
    credit: str = "",
) -> str:
    """Calder Valley Times (and its sister Shopper), on a newspaper CMS; one analytics account for both."""
    credit_html = f'<p class="credit">{html.escape(credit)}</p>' if credit else ""
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site)}</title>
<meta name="generator" content="BLOX CMS">
<link rel="canonical" href="{html.escape(url)}">
<meta property="og:url" content="{html.escape(url)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{html.escape(site)}">
<meta name="article:published_time" content="{date}T05:30:00-04:00">
{_ua(TIMES_UA)}
{_adsense(TIMES_ADSENSE)}
</head>
<body class="blox asset-page">
<div id="site-top"><a class="logo" href="https://{host}/">{html.escape(site)}</a>
<span class="tagline">Serving the Calder Valley since 1887</span></div>
<article class="asset">
<header><h1 class="headline"><span>{html.escape(title)}</span></h1>
<div class="meta"><span class="byline">{html.escape(byline)}</span>
<time datetime="{date}">{date}</time></div></header>
<div id="article-body" class="asset-content" itemprop="articleBody">
{credit_html}
{_paras_html(paras)}
</div>
<ins class="adsbygoogle" data-ad-client="{TIMES_ADSENSE}" data-ad-slot="4417920361"></ins>
</article>
<footer><p>&copy; 2024 Calder Valley Publishing Co. | <a
href="https://www.caldervalleytimes.com/">Calder Valley Times</a>
| <a href="https://www.{SHOPPER}/">Calder Valley Shopper</a></p></footer>
</body>
</html>
"""


def wire_page(title: str, date: str, byline: str, paras: list[str] | tuple[str, ...], url: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - Keystone State Wire</title>
<link rel="canonical" href="{html.escape(url)}">
<meta property="og:url" content="{html.escape(url)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="Keystone State Wire">
<meta property="article:published_time" content="{date}T09:00:00-04:00">
{_gtag(WIRE_GA)}
</head>
<body>
<div class="wrap"><header><a href="https://keystonestatewire.com/" class="brand">Keystone State Wire</a>
<p>Nonprofit news from the Pennsylvania Capitol. Free to republish with credit.</p></header>
<article><h1>{html.escape(title)}</h1>
<p class="byline">{html.escape(byline)} &middot; {date}</p>
{_paras_html(paras)}
<p class="republish">Republish this story for free under our <a
href="https://keystonestatewire.com/republish/">republishing guidelines</a>.</p>
</article></div>
</body>
</html>
"""


def wp_page(
    domain: str,
    title: str,
    date: str,
    author: str,
    paras: list[str],
    url: str,
    image: str,
    related: list[tuple[str, str]],
) -> str:
    """The fake sites' WordPress theme: one template, one analytics id, one AdSense publisher for all four."""
    site, tagline, _, _ = FAKE_SITES[domain]
    rel = "\n".join(f'<li><a href="{html.escape(u)}">{html.escape(t)}</a></li>' for t, u in related)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} &#8211; {html.escape(site)}</title>
<link rel="canonical" href="{html.escape(url)}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:url" content="{html.escape(url)}">
<meta property="og:site_name" content="{html.escape(site)}">
<meta property="article:published_time" content="{date}T08:14:00+00:00">
<meta name="generator" content="WordPress 6.5.5">
<link rel='stylesheet' id='newsup-style-css'
href='https://{domain}/wp-content/themes/newsup/style.css?ver=6.5.5' type='text/css' media='all'>
<link rel="https://api.w.org/" href="https://{domain}/wp-json/">
{_gtag(s.FAKE_GA_ID)}
{_adsense(s.FAKE_ADSENSE_ID)}
</head>
<body class="post-template-default single single-post wp-embed-responsive">
<header class="mg-headwidget"><div class="site-branding"><a class="site-title"
href="https://{domain}/">{html.escape(site)}</a>
<p class="site-description">{html.escape(tagline)}</p></div>
<nav class="navbar"><a href="https://{domain}/category/local/">Local</a>
<a href="https://{domain}/category/politics/">Politics</a>
<a href="https://{domain}/category/elections/">Elections</a></nav></header>
<div id="content" class="container"><article class="post type-post status-publish">
<h1 class="entry-title">{html.escape(title)}</h1>
<div class="mg-blog-meta"><span class="mg-blog-date">{_long_date(date, "%b %-d, %Y")}</span>
<a class="auth" href="https://{domain}/author/{slug(author)}/">{html.escape(author)}</a></div>
<img class="wp-post-image" src="{html.escape(image)}" alt="">
<div class="entry-content">
{_paras_html(paras)}
</div>
<ins class="adsbygoogle" style="display:block" data-ad-client="{s.FAKE_ADSENSE_ID}"
data-ad-slot="7730184652" data-ad-format="auto"></ins>
</article>
<aside class="widget"><h2 class="widget-title">Recent Posts</h2><ul>
{rel}
</ul></aside></div>
<footer class="footer"><p>Copyright &copy; 2024 {html.escape(site)} |
Powered by <a href="https://wordpress.org">WordPress</a> |
Theme: Newsup by <a href="https://themeansar.com/">Themeansar</a>.</p></footer>
</body>
</html>
"""


def home_page(title: str, host: str, links: list[tuple[str, str]], head: str, generator: str = "") -> str:
    gen = f'<meta name="generator" content="{generator}">\n' if generator else ""
    items = "\n".join(f'<li><a href="{html.escape(u)}">{html.escape(t)}</a></li>' for t, u in links)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<link rel="canonical" href="https://{host}/">
<meta property="og:url" content="https://{host}/">
<meta property="og:site_name" content="{html.escape(title)}">
{gen}{head}
</head>
<body class="home">
<header><h1><a href="https://{host}/">{html.escape(title)}</a></h1></header>
<main><h2>Latest</h2><ul>
{items}
</ul></main>
<footer><p>&copy; 2024 {html.escape(title)}</p></footer>
</body>
</html>
"""


# -- rewriting ---------------------------------------------------------------------------------------


def rewrite(paras: tuple[str, ...], rng: random.Random, frame: tuple[str, str]) -> list[str]:
    """What a rewriting tool makes of an article: synonyms swapped in, a paragraph dropped, a slant added."""
    out = []
    keep = list(paras)
    if len(keep) > 4:
        del keep[rng.randrange(1, len(keep))]
    for p in keep:

        def swap(m: re.Match[str]) -> str:
            word = m.group(0)
            choices = SYNONYMS[word.lower()]
            if rng.random() < 0.6:
                new = rng.choice(choices)
                return new[0].upper() + new[1:] if word[0].isupper() else new
            return word

        pattern = r"\b(" + "|".join(re.escape(k) for k in sorted(SYNONYMS, key=len, reverse=True)) + r")\b"
        out.append(re.sub(pattern, swap, p, flags=re.I))
    return [frame[0], *out, frame[1]]


def slant_title(title: str, side: str, i: int) -> str:
    if side == "left":
        return [f"{title}: What It Means for Working Families", f"{title} - And Why Advocates Are Worried"][
            i % 2
        ]
    return [f"EXPOSED: {title}", f"{title} - What They Aren't Telling You"][i % 2]


# -- the crawl ---------------------------------------------------------------------------------------


def build_pages(rng: random.Random) -> tuple[list[Page], list[PlantedAttack], list[PlantedAttack]]:
    pages: list[Page] = []
    t = s.CRAWL_TIME

    def tick() -> datetime:
        nonlocal t
        t = t + timedelta(seconds=rng.randrange(4, 40))
        return t

    originals = {a.key: a for a in ORIGINALS}
    urls = {a.key: _url_article(a) for a in ORIGINALS}
    herald = [a for a in ORIGINALS if a.outlet == s.OUTLET_DOMAIN]
    related = [f"{a.title}|{urls[a.key]}" for a in herald]
    for a in herald:
        pages.append(
            Page(
                urls[a.key],
                herald_page(
                    a.title,
                    a.date,
                    a.byline,
                    a.paras,
                    urls[a.key],
                    related=[r for r in related if not r.endswith(urls[a.key])],
                ),
                tick(),
                server="nginx",
                ip="38.104.58.20",
            )
        )
    pages.append(
        Page(
            "https://www.springfieldherald.com/",
            home_page(
                "Springfield Herald",
                "www.springfieldherald.com",
                [(a.title, urls[a.key]) for a in herald],
                _gtag(HERALD_GA),
            ),
            tick(),
            ip="38.104.58.20",
        )
    )
    times = [a for a in ORIGINALS if a.outlet == "caldervalleytimes.com"]
    for a in times:
        pages.append(
            Page(
                urls[a.key],
                blox_page(
                    "Calder Valley Times",
                    "www.caldervalleytimes.com",
                    a.title,
                    a.date,
                    a.byline,
                    a.paras,
                    urls[a.key],
                ),
                tick(),
                server="Apache",
                ip="64.233.190.12",
            )
        )
    # the Times republishes a wire story, with credit: a near-duplicate that is entirely legitimate
    wire_story = originals["early-voting"]
    syndicated_url = (
        f"https://www.caldervalleytimes.com/news/state/{slug(wire_story.title)}/"
        f"article_{det_hex('synd', n=8)}.html"
    )
    pages.append(
        Page(
            syndicated_url,
            blox_page(
                "Calder Valley Times",
                "www.caldervalleytimes.com",
                wire_story.title,
                wire_story.date,
                "Keystone State Wire",
                wire_story.paras,
                syndicated_url,
                credit="This story was published by Keystone State Wire and is republished with permission.",
            ),
            tick(),
            server="Apache",
            ip="64.233.190.12",
        )
    )
    pages.append(
        Page(
            "https://www.caldervalleytimes.com/",
            home_page(
                "Calder Valley Times",
                "www.caldervalleytimes.com",
                [(a.title, urls[a.key]) for a in times] + [(wire_story.title, syndicated_url)],
                _ua(TIMES_UA) + "\n" + _adsense(TIMES_ADSENSE),
                generator="BLOX CMS",
            ),
            tick(),
            server="Apache",
            ip="64.233.190.12",
        )
    )
    shopper_url = f"https://www.{SHOPPER}/classifieds/garage-sales/"
    pages.append(
        Page(
            shopper_url,
            blox_page(
                "Calder Valley Shopper",
                f"www.{SHOPPER}",
                "Garage sales this weekend",
                "2024-10-17",
                "Shopper staff",
                (
                    "Multi-family sale, 12 Orchard Lane, Saturday 8-2. Furniture, toys, tools.",
                    "Moving sale, 440 Ridge Road, Friday and Saturday. Everything must go.",
                    "Church rummage sale, St. Luke's, Saturday 9-1. Proceeds to the food bank.",
                ),
                shopper_url,
            ),
            tick(),
            server="Apache",
            ip="64.233.190.12",
        )
    )
    pages.append(
        Page(
            f"https://www.{SHOPPER}/",
            home_page(
                "Calder Valley Shopper",
                f"www.{SHOPPER}",
                [("Garage sales this weekend", shopper_url)],
                _ua(TIMES_UA),
                generator="BLOX CMS",
            ),
            tick(),
            server="Apache",
            ip="64.233.190.12",
        )
    )
    wire = [a for a in ORIGINALS if a.outlet == "keystonestatewire.com"]
    for a in wire:
        if a.key == "foreign-influence":
            continue  # saved by hand instead, below
        pages.append(
            Page(
                urls[a.key],
                wire_page(a.title, a.date, a.byline, a.paras, urls[a.key]),
                tick(),
                server="cloudflare",
                ip="104.21.48.203",
            )
        )
    a = originals["foreign-influence"]
    pages.append(
        Page(
            urls[a.key],
            wire_page(a.title, a.date, a.byline, a.paras, urls[a.key]),
            t,
            server="cloudflare",
            saved="keystonestatewire.com_foreign-influence.html",
        )
    )

    # the fake network: rewrites of the originals, slanted left or right, plus invented stories
    copies: dict[str, str] = {}
    fake_urls: list[str] = []
    sources = [
        "polling-locations",
        "scanner-training",
        "overtime",
        "registration-deadline",
        "transit-bill",
        "field-office",
        "early-voting",
    ]
    for n, (domain, (site, _tagline, side, author)) in enumerate(sorted(FAKE_SITES.items())):
        frames = LEFT_FRAMES if side == "left" else RIGHT_FRAMES
        picks = [sources[(n * 2 + k) % len(sources)] for k in range(4)]
        entries: list[tuple[str, str, str, list[str], str, str]] = []
        for i, key in enumerate(picks):
            orig = originals[key]
            day = datetime.strptime(orig.date, "%Y-%m-%d") + timedelta(days=1 + (i + n) % 2)
            y, m, d = day.strftime("%Y-%m-%d").split("-")
            title = slant_title(orig.title, side, i + n)
            url = f"https://{domain}/{y}/{m}/{d}/{slug(title)}/"
            image = (
                f"https://www.springfieldherald.com/static/img/2024/{slug(orig.title, 4)}.jpg"
                if orig.outlet == s.OUTLET_DOMAIN and i % 2 == 0
                else f"https://{domain}/wp-content/uploads/{y}/{m}/{slug(orig.title, 4)}.jpg"
            )
            paras = rewrite(orig.paras, rng, frames[(i + n) % len(frames)])
            entries.append((title, f"{y}-{m}-{d}", url, paras, image, urls[key]))
            copies[url] = urls[key]
        fab_title, fab_date, fab_paras = FABRICATED[side]
        fy, fm, fd = fab_date.split("-")
        fab_url = f"https://{domain}/{fy}/{fm}/{fd}/{slug(fab_title)}/"
        entries.append(
            (
                fab_title,
                fab_date,
                fab_url,
                list(fab_paras),
                f"https://{domain}/wp-content/uploads/{fy}/{fm}/{slug(fab_title, 4)}.jpg",
                "",
            )
        )
        saved = n % 2 == 1  # two of the four invented stories were saved by an analyst rather than crawled
        for title, date, url, paras, image, _ in entries:
            rel = [(e[0], e[2]) for e in entries if e[2] != url][:4]
            page = Page(
                url,
                wp_page(domain, title, date, author, paras, url, image, rel),
                tick(),
                server="LiteSpeed",
                ip=FAKE_IPS[domain],
                extra_headers=[
                    ("X-Powered-By", "PHP/8.1.29"),
                    ("Link", f'<https://{domain}/wp-json/>; rel="https://api.w.org/"'),
                ],
            )
            if saved and url == fab_url:
                page.saved = f"{domain}_{slug(title, 4)}.html"
            pages.append(page)
            fake_urls.append(url)
        pages.append(
            Page(
                f"https://{domain}/",
                home_page(
                    site,
                    domain,
                    [(e[0], e[2]) for e in entries],
                    _gtag(s.FAKE_GA_ID) + "\n" + _adsense(s.FAKE_ADSENSE_ID),
                    generator="WordPress 6.5.5",
                ),
                tick(),
                server="LiteSpeed",
                ip=FAKE_IPS[domain],
                extra_headers=[("X-Powered-By", "PHP/8.1.29")],
            )
        )
        fake_urls.append(f"https://{domain}/")

    # the clones of the protected outlet: its template, logo and even its analytics id, on lookalike domains
    clone_title, clone_date, clone_paras = FABRICATED["clone"]
    cy, cm, cd = clone_date.split("-")
    clone_url = f"https://www.{s.CLONE_DOMAINS[0]}/news/politics/{cy}/{cm}/{cd}/{slug(clone_title)}/"
    pages.append(
        Page(
            clone_url,
            herald_page(
                clone_title,
                clone_date,
                "By Tom Becker",
                clone_paras,
                clone_url,
                host=f"www.{s.CLONE_DOMAINS[0]}",
                related=related[:2],
            ),
            tick(),
            server="nginx/1.18.0 (Ubuntu)",
            ip="5.252.176.93",
        )
    )
    reg = originals["registration-deadline"]
    altered = list(reg.paras)
    altered[4] = (
        "Officials also said that, because of the high volume of applications this year, voters in "
        "Calder and Delaware counties may now register and request a mail ballot by text message until "
        "Nov. 4. Text VOTE to 55150 to receive the form."
    )
    y, m, d = reg.date.split("-")
    clone2_url = f"https://www.{s.CLONE_DOMAINS[1]}/news/local/{y}/{m}/{d}/{slug(reg.title)}/"
    pages.append(
        Page(
            clone2_url,
            herald_page(
                reg.title,
                reg.date,
                reg.byline,
                altered,
                clone2_url,
                host=f"www.{s.CLONE_DOMAINS[1]}",
                related=related[:2],
            ),
            t,
            server="nginx/1.18.0 (Ubuntu)",
            saved=f"{s.CLONE_DOMAINS[1]}_{slug(reg.title, 4)}.html",
        )
    )

    # the spear-phish's landing page, fetched by a sandbox: a bounce to a fake sign-in
    landing = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Google Docs</title>\n'
        f'<link rel="canonical" href="{html.escape(s.PHISH_A_URL)}">\n'
        f'<meta http-equiv="refresh" content="2;url=https://{s.PHISH_A_DOMAIN}/auth/signin?service=wise&continue='
        'https%3A%2F%2Fdocs.google.com%2Fdocument%2Fd%2F1kPq">\n'
        '<link rel="icon" href="https://ssl.gstatic.com/docs/documents/images/kix-favicon-2023q4.ico">\n'
        "</head><body>"
        '<div style="font-family:Roboto,Arial;margin:120px auto;width:420px;text-align:center">\n'
        '<img src="https://ssl.gstatic.com/docs/doclist/images/mediatype/icon_1_document_x32.png" alt="">\n'
        "<h2>Debate prep - final notes</h2><p>Loading document&hellip; You may be asked to sign in to view "
        "this "
        "file.</p></div></body></html>\n"
    )
    pages.append(Page(s.PHISH_A_URL, landing, tick(), server="nginx", ip=s.PHISH_A_IP))

    # -- truth --------------------------------------------------------------------------------------
    crawl_files = [WARC]
    saved_files = sorted(
        f"{PAGES_DIR}/{p.saved}" for p in pages if p.saved and p.url.split("/")[2] in FAKE_SITES
    )
    net = PlantedAttack(
        id="web.fake_local_news_network",
        kind="inauthentic-news-sites",
        actor=s.INFLUENCE_ACTOR,
        title="Four fake local news sites (two left-leaning, two right-leaning) run from one account",
        files=sorted({*crawl_files, *saved_files}),
        start=iso(s.CRAWL_TIME),
        end=iso(t),
        records=sorted(fake_urls),
        techniques=["T0098.001", "T0084.002", "T0085.003"],
        signals=[
            f"shared Google Analytics id {s.FAKE_GA_ID}",
            f"shared AdSense publisher {s.FAKE_ADSENSE_ID}",
            "same WordPress theme and footer",
            "rewritten copies of real outlets' articles",
            "hosted on two addresses in one /24 (194.87.213.0/24)",
        ],
    )
    net.add("domain-name", *sorted(FAKE_SITES))
    net.add("tracker-id", s.FAKE_GA_ID, s.FAKE_ADSENSE_ID)
    net.add("url", *sorted(fake_urls))
    copies_attack = PlantedAttack(
        id="web.rewritten_copies",
        kind="plagiarized-articles",
        actor=s.INFLUENCE_ACTOR,
        title="Articles of the Herald, the Times and the Wire, rewritten with synonyms and a partisan frame",
        files=crawl_files,
        start=iso(s.CRAWL_TIME),
        end=iso(t),
        records=sorted(copies),
        techniques=["T0084.002", "T0085.001"],
        signals=["near-duplicate text of an original on another domain"],
    )
    copies_attack.add("url", *sorted(copies), *sorted(set(copies.values())))
    copies_attack.details["copy_of"] = dict(sorted(copies.items()))
    clone = PlantedAttack(
        id="web.outlet_clone",
        kind="outlet-clone",
        actor=s.INFLUENCE_ACTOR,
        title="Clones of the Springfield Herald on lookalike domains: an invented story and an altered "
        "deadline",
        files=sorted([WARC, f"{PAGES_DIR}/{s.CLONE_DOMAINS[1]}_{slug(reg.title, 4)}.html"]),
        start=iso(s.CRAWL_TIME),
        end=iso(t),
        targets=[s.OUTLET_DOMAIN],
        records=[clone_url, clone2_url],
        techniques=["T0099.002", "T0085.003"],
        signals=[
            "the Herald's template, logo and analytics id on another registered domain",
            "lookalike domains (.co TLD swap, 1 for l)",
            "false registration-by-text claim",
        ],
    )
    clone.add("domain-name", *s.CLONE_DOMAINS)
    clone.add("url", clone_url, clone2_url)
    clone.add("tracker-id", HERALD_GA)
    landing_attack = PlantedAttack(
        id="web.phishing_landing_page",
        kind="phishing-page",
        actor=s.CYBER_ACTOR,
        title="The spear-phish link's landing page: a Google Docs lookalike that bounces to a sign-in form",
        files=crawl_files,
        start=iso(s.CRAWL_TIME),
        end=iso(t),
        records=[s.PHISH_A_URL],
        techniques=["T1566.002", "T1056.003"],
        signals=["Google Docs branding on a never-seen domain"],
    )
    landing_attack.add("url", s.PHISH_A_URL)
    landing_attack.add("domain-name", s.PHISH_A_DOMAIN)
    neg_synd = PlantedAttack(
        id="neg.web.syndicated_wire_story",
        kind="benign-syndication",
        negative=True,
        actor="",
        title="The Calder Valley Times republishes a Keystone State Wire story verbatim, with credit",
        files=crawl_files,
        start=iso(s.CRAWL_TIME),
        end=iso(t),
        records=[syndicated_url, urls["early-voting"]],
        signals=["near-duplicate text on two domains"],
    )
    neg_synd.add("url", syndicated_url, urls["early-voting"])
    neg_sister = PlantedAttack(
        id="neg.web.sister_sites_shared_tracker",
        kind="benign-shared-tracker",
        negative=True,
        actor="",
        title="A newspaper and its classifieds sister site share one analytics id and one publisher",
        files=crawl_files,
        start=iso(s.CRAWL_TIME),
        end=iso(t),
        records=["https://www.caldervalleytimes.com/", f"https://www.{SHOPPER}/"],
        signals=["shared tracker id across registered domains"],
    )
    neg_sister.add("domain-name", "caldervalleytimes.com", SHOPPER)
    neg_sister.add("tracker-id", TIMES_UA)
    return pages, [net, copies_attack, clone, landing_attack], [neg_synd, neg_sister]


def _http_date(t: datetime) -> str:
    return format_datetime(t.astimezone(UTC), usegmt=True)


def write_web(
    out: Path, rng: random.Random
) -> tuple[list[tuple[str, str, int]], list[PlantedAttack], list[PlantedAttack], list[Page]]:
    pages, attacks, negatives = build_pages(rng)
    (out / "web").mkdir(parents=True, exist_ok=True)
    (out / PAGES_DIR).mkdir(parents=True, exist_ok=True)
    crawled = [p for p in pages if not p.saved]
    with (out / WARC).open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        info = (
            b"software: vigil-demo (synthetic crawl)\r\nformat: WARC File Format 1.1\r\n"
            b"conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
            b"description: Demo crawl of local news sites for the vigil 2024 story. Synthetic data.\r\n"
            b"robots: obey\r\n"
        )
        rec = writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": f"<urn:uuid:{s.demo_uuid('warcinfo')}>",
                "WARC-Date": s.CRAWL_TIME.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "WARC-Filename": "crawl.warc.gz",
            },
        )
        writer.write_record(rec)
        for p in crawled:
            body = p.html.encode("utf-8")
            host = p.url.split("/")[2]
            path = "/" + p.url.split("/", 3)[3] if p.url.count("/") >= 3 else "/"
            date = p.fetched.strftime("%Y-%m-%dT%H:%M:%SZ")
            resp_id = f"<urn:uuid:{s.demo_uuid('resp', p.url)}>"
            req_headers = StatusAndHeaders(
                f"GET {path} HTTP/1.1",
                [
                    ("Host", host),
                    (
                        "User-Agent",
                        "Mozilla/5.0 (compatible; vigil-demo-crawler/1.0; +https://example.org/bot)",
                    ),
                    ("Accept", "text/html,application/xhtml+xml"),
                    ("Accept-Encoding", "identity"),
                ],
                is_http_request=True,
            )
            req = writer.create_warc_record(
                p.url,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=req_headers,
                warc_headers_dict={
                    "WARC-Record-ID": f"<urn:uuid:{s.demo_uuid('req', p.url)}>",
                    "WARC-Date": date,
                    "WARC-Concurrent-To": resp_id,
                },
            )
            headers = [
                ("Date", _http_date(p.fetched)),
                ("Server", p.server),
                ("Content-Type", "text/html; charset=UTF-8"),
                ("Content-Length", str(len(body))),
                *p.extra_headers,
            ]
            warc_headers = {"WARC-Record-ID": resp_id, "WARC-Date": date}
            if p.ip:
                warc_headers["WARC-IP-Address"] = p.ip
            resp = writer.create_warc_record(
                p.url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                warc_headers_dict=warc_headers,
            )
            writer.write_record(req)
            writer.write_record(resp)
    files = [(WARC, "warc", len(crawled))]
    for p in sorted((p for p in pages if p.saved), key=lambda p: p.saved):
        marker = f"<!-- saved from url=({len(p.url):04d}){p.url} -->\n"
        (out / PAGES_DIR / p.saved).write_text(p.html.replace("<html", marker + "<html", 1), encoding="utf-8")
        files.append((f"{PAGES_DIR}/{p.saved}", "html", 1))
    return files, attacks, negatives, pages
