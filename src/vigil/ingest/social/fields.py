"""What posts and accounts exports have in common: column names, and SQL to normalize their values.

Column names are matched after ``tabular.norm`` (lower-case, ``snake_case``). Every value arrives as
text; the SQL here turns it into the normalized columns.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from vigil.enrich.domains import host_of, registered_domain
from vigil.schema import URL

#: Platform names as vigil writes them (also in ``social-account`` values, ``platform:handle``).
PLATFORM_ALIASES = {
    "twitter": "x",
    "tw": "x",
    "x": "x",
    "x.com": "x",
    "twitter.com": "x",
    "facebook": "facebook",
    "fb": "facebook",
    "facebook.com": "facebook",
    "meta": "facebook",
    "instagram": "instagram",
    "ig": "instagram",
    "insta": "instagram",
    "youtube": "youtube",
    "yt": "youtube",
    "tiktok": "tiktok",
    "telegram": "telegram",
    "tg": "telegram",
    "vk": "vk",
    "vkontakte": "vk",
    "reddit": "reddit",
    "bluesky": "bluesky",
    "bsky": "bluesky",
    "threads": "threads",
    "mastodon": "mastodon",
    "weibo": "weibo",
    "gab": "gab",
    "truth social": "truthsocial",
    "truthsocial": "truthsocial",
    "linkedin": "linkedin",
    "ok": "ok",
    "odnoklassniki": "ok",
}

#: Account-id prefixes some research datasets (CooRTweet's) put in front of anonymized ids.
ID_PREFIX_PLATFORMS = {
    "fb_": "facebook",
    "tw_": "x",
    "ig_": "instagram",
    "yt_": "youtube",
    "tt_": "tiktok",
    "tg_": "telegram",
}

PLATFORM = ("platform", "network", "social_network", "site", "source_platform", "platform_name")
#: Columns only tweet exports have: their rows are X/Twitter posts.
TWEET_MARKERS = ("tweetid", "tweet_id", "tweet_text", "retweet_tweetid", "in_reply_to_tweetid", "tweet_time")
IP_COLUMNS = frozenset(
    {
        "ip",
        "ip_address",
        "ipaddress",
        "src_ip",
        "source_ip",
        "client_ip",
        "callerip",
        "caller_ip_address",
        "ipaddr",
        "remote_ip",
    }
)


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def first(columns: Iterable[str], aliases: Iterable[str]) -> str | None:
    """The first alias (in the alias order) that is a column."""
    present = set(columns)
    return next((a for a in aliases if a in present), None)


def pick(columns: Iterable[str], aliases: Iterable[str], trim: bool = True) -> str:
    """The first non-empty value among the present ``aliases`` columns, row by row (JSON lines may
    name a field differently from record to record); NULL when none is present."""
    present = set(columns)
    names = [a for a in aliases if a in present]
    if not names:
        return "CAST(NULL AS VARCHAR)"
    parts = [col(n) if trim else f"nullif(\"{n}\", '')" for n in names]
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def col(name: str | None) -> str:
    """A text column, trimmed, with empty strings as NULL (NULL if the file lacks it)."""
    return f"nullif(trim(\"{name}\"), '')" if name else "CAST(NULL AS VARCHAR)"


def platform_sql(columns: set[str], account: str) -> str:
    """The platform: from a platform column, else tweet-only columns, else an id prefix (``fb_123``)
    of the ``account`` expression."""
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PLATFORM_ALIASES.items())
    prefixes = " ".join(
        f"WHEN starts_with({account}, '{p}') THEN '{v}'" for p, v in ID_PREFIX_PLATFORMS.items()
    )
    by_prefix = f"CASE {prefixes} ELSE NULL END"
    if first(columns, TWEET_MARKERS):
        by_prefix = "'x'"
    if first(columns, PLATFORM):
        value = f"lower({pick(columns, PLATFORM)})"
        return f"coalesce(CASE {value} {cases} ELSE {value} END, {by_prefix})"
    return by_prefix


def time_sql(expr: str) -> str:
    """Text to TIMESTAMPTZ: epoch seconds or milliseconds, ISO 8601 (no zone = UTC), or Twitter's
    ``Wed Oct 10 20:19:24 +0000 2018``; NULL when it is none of these."""
    t = f"trim({expr})"
    return f"""(CASE
        WHEN {expr} IS NULL OR {t} = '' THEN NULL
        WHEN regexp_full_match({t}, '-?[0-9]+(\\.[0-9]+)?') THEN
            CASE WHEN abs(CAST({t} AS DOUBLE)) > 1e11 THEN to_timestamp(CAST({t} AS DOUBLE) / 1000)
                 ELSE to_timestamp(CAST({t} AS DOUBLE)) END
        WHEN regexp_matches({t}, '([+-][0-9]{{2}}:?[0-9]{{2}}|[Zz]|UTC)$') THEN try_cast({t} AS TIMESTAMPTZ)
        WHEN regexp_matches({t}, '^[A-Za-z]{{3}} [A-Za-z]{{3}} ') THEN
            try_strptime({t}, '%a %b %d %H:%M:%S %z %Y')
        ELSE timezone('UTC', try_cast({t} AS TIMESTAMP))
    END)"""


def tokens_sql(expr: str, pattern: str = "[^\\s,;|\\[\\]\"']+") -> str:
    """The items of a list-valued text field (``a b``, ``a,b``, ``["a", "b"]``, ``[a, b]``)."""
    return f"coalesce(regexp_extract_all({expr}, {literal(pattern)}), [])"


#: URLs written out in post text (RE2). Trailing punctuation is trimmed afterwards.
TEXT_URL = "https?://[^\\s<>\"'`{}|\\\\^\\[\\]]+"
#: ``#tag`` in text, not inside a URL fragment or an HTML entity; at least one letter.
TEXT_HASHTAG = "(?:^|[^\\p{L}\\p{N}_&/#])#([\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*)"


def text_urls_sql(text: str) -> str:
    return (
        f"list_transform(coalesce(regexp_extract_all({text}, {literal(TEXT_URL)}), []), "
        "lambda u: regexp_replace(u, '[.,;:!?)\\]]+$', ''))"
    )


def links_sql(urls: str, anon: str | None = None) -> str:
    """SQL for ``list<struct<url, rd>>``: the URLs of ``urls`` (a list expression), plus ``anon``
    (a list of ``{url, rd}`` structs: anonymized ids whose registered domain is given, not derived)."""
    real = f"list_transform({urls}, lambda u: {{'url': u, 'rd': CAST(NULL AS VARCHAR)}})"
    return f"list_concat({real}, {anon})" if anon else real


def url_structs(links: pa.ChunkedArray | pa.Array) -> pa.Array:
    """``list<struct<url, rd>>`` (see ``links_sql``) to ``list<URL>``.

    Host and registered domain are computed once per distinct URL; an entry with ``rd`` set keeps it
    and gets no host.
    """
    if isinstance(links, pa.ChunkedArray):
        links = links.combine_chunks() if links.num_chunks else pa.array([], links.type)
    assert isinstance(links, pa.ListArray)
    flat = links.flatten()
    urls = flat.field("url")
    given = flat.field("rd")
    anon = pc.is_valid(given)
    distinct = pc.unique(pc.filter(urls, pc.invert(anon))).drop_null()
    hosts = [host_of(u) for u in distinct.to_pylist()]
    domains = [registered_domain(h) if h else None for h in hosts]
    positions = pc.index_in(urls, value_set=distinct)
    no_text = pa.nulls(len(flat), pa.string())
    host = pc.if_else(anon, no_text, pa.array(hosts, pa.string()).take(positions))
    domain = pc.if_else(anon, given, pa.array(domains, pa.string()).take(positions))
    struct = pa.StructArray.from_arrays([urls, no_text, host, domain], fields=list(URL))
    offsets = links.offsets
    if offsets[0].as_py():  # a slice: flatten() starts at its first value, so must the offsets
        offsets = pc.subtract(offsets, offsets[0])
    return pa.ListArray.from_arrays(offsets, struct, mask=links.is_null())
