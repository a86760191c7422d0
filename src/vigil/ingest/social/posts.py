"""Social media posts (CSV or JSON lines) into the ``posts`` table.

Columns are recognized by name (after ``snake_case`` normalization), so these exports read as they are:

- coordination-network-toolkit: ``message_id, user_id, username, repost_id, reply_id, message,
  timestamp, urls`` (epoch seconds; ``urls`` space-separated);
- CooRTweet / CSDS: ``object_id, account_id, content_id, timestamp_share``. ``content_id`` is the
  post; ``object_id`` is the shared object: a URL goes to ``urls``, anything else (for co-retweet
  data, the retweeted post) to ``repost_of``;
- CooRTweet's long-format research sets (``german_elections``): ``account_id, post_id, url_id,
  hashtag_id, domain_id, phash_id, timestamp``, one row per shared object. Rows of one post are
  merged. The ids are anonymized, so they are kept as opaque values: ``url_id`` becomes a URL entry
  ``url-id:<n>`` with ``registered_domain`` = ``domain-id:<n>`` (no host), ``hashtag_id`` a hashtag,
  ``phash_id`` a media id. The ``fb_``/``tw_`` account prefixes give the platform;
- Twitter's information-operations archive (``tweetid, userid, user_screen_name, tweet_text,
  tweet_time, retweet_tweetid, in_reply_to_tweetid, hashtags, urls``);
- generic names: ``id``/``post_id``, ``author``/``handle``/``username``, ``text``/``content``,
  ``created_at``/``date``, ``url``/``urls``/``links``, ``hashtags``, ``platform``.

URLs are those of the URL columns plus the ``http(s)://`` URLs in the text; hashtags those of the
hashtag columns plus the ``#tags`` in the text (lower-cased). Handles are lower-cased without ``@``;
platform names are normalized (``twitter`` -> ``x``). Times: epoch seconds or milliseconds, ISO 8601
(no zone = UTC) or Twitter's ``created_at`` format. A row with neither a post id nor text, or with a
time that cannot be read, is quarantined.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.limits import MAX_TEXT_CHARS, MAX_URLS
from vigil.ingest.social import fields as F
from vigil.ingest.social.tabular import csv_columns, jsonl_keys, read_csv_text, read_jsonl_text
from vigil.schema import POSTS
from vigil.workspace import conform, registered

POST_ID = (
    "post_id",
    "message_id",
    "content_id",
    "tweetid",
    "tweet_id",
    "status_id",
    "postid",
    "video_id",
    "id_str",
    "id",
)
ACCOUNT_ID = (
    "account_id",
    "user_id",
    "userid",
    "author_id",
    "owner_id",
    "post_owner_id",
    "surface_id",
    "channel_id",
    "sender_id",
    "from_id",
    "authorid",
)
HANDLE = (
    "username",
    "handle",
    "screen_name",
    "user_screen_name",
    "author_username",
    "account_handle",
    "author",
    "author_name",
    "user_name",
    "account_name",
    "channel_name",
    "post_owner_name",
)
TIME = (
    "timestamp",
    "timestamp_share",
    "created_at",
    "tweet_time",
    "time",
    "date",
    "datetime",
    "published_at",
    "published",
    "creation_time",
    "create_time",
    "posted_at",
    "post_time",
)
TEXT = (
    "message",
    "text",
    "full_text",
    "tweet_text",
    "content",
    "body",
    "post_text",
    "message_text",
    "caption",
    "tweet",
    "video_description",
)
URLS = ("urls", "url", "links", "link", "expanded_urls", "expanded_url", "link_attachment_link", "shared_url")
HASHTAGS = ("hashtags", "hashtag", "tags", "hashtag_id")
MEDIA = ("media_ids", "media_id", "media", "phash_id", "image_id", "photo_id")
REPOST = (
    "repost_id",
    "repost_of",
    "retweet_id",
    "retweeted_id",
    "retweet_tweetid",
    "retweeted_status_id",
    "shared_post_id",
    "forwarded_from_id",
)
REPLY = (
    "reply_id",
    "reply_to",
    "in_reply_to_status_id",
    "in_reply_to_tweetid",
    "in_reply_to",
    "reply_to_id",
    "parent_id",
)
OBJECT_ID, URL_ID, DOMAIN_ID = "object_id", "url_id", "domain_id"

KNOWN = frozenset(
    {
        *F.PLATFORM,
        *F.TWEET_MARKERS,
        *POST_ID,
        *ACCOUNT_ID,
        *HANDLE,
        *TIME,
        *TEXT,
        *URLS,
        *HASHTAGS,
        *MEDIA,
        *REPOST,
        *REPLY,
        OBJECT_ID,
        URL_ID,
        DOMAIN_ID,
    }
)

#: A posts file has an author column and a text or post-id column (``id`` alone is too common).
_POST_MARKERS = frozenset({*TEXT, *POST_ID, OBJECT_ID} - {"id", "id_str"})
_AUTHOR_MARKERS = frozenset({*ACCOUNT_ID, *HANDLE})
_NOT_POSTS = F.IP_COLUMNS | {"indicator", "indicator_value", "indicator_type", "tactic", "technique"}


def is_posts(columns: set[str]) -> bool:
    return bool(columns & _AUTHOR_MARKERS) and bool(columns & _POST_MARKERS) and not columns & _NOT_POSTS


def sniff_csv(path: Path, head: bytes) -> bool:
    return is_posts(csv_columns(head))


def sniff_jsonl(path: Path, head: bytes) -> bool:
    return is_posts(jsonl_keys(head))


@adapter(
    "posts-csv",
    table="posts",
    sniff=sniff_csv,
    description="Social media posts, CSV (coordination-network-toolkit, CooRTweet, IO archive...)",
)
def read_posts_csv(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from project_posts(read_csv_text(path, ctx, KNOWN), ctx)


@adapter(
    "posts-jsonl",
    table="posts",
    sniff=sniff_jsonl,
    description="Social media posts, JSON lines (same field names as posts-csv)",
)
def read_posts_jsonl(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from project_posts(read_jsonl_text(path, ctx, KNOWN), ctx)


def _all(columns: set[str], aliases: tuple[str, ...], tokens: str | None = None) -> str:
    """The list of items of every present column of ``aliases``."""
    parts = [F.tokens_sql(f'"{c}"', *([tokens] if tokens else [])) for c in aliases if c in columns]
    return f"list_concat({', '.join(parts)})" if len(parts) > 1 else (parts[0] if parts else "[]::VARCHAR[]")


def select_sql(columns: set[str]) -> str:
    account = F.pick(columns, ACCOUNT_ID)
    text = F.pick(columns, TEXT, trim=False) if F.first(columns, TEXT) else None
    text_sql = f"left({text}, {MAX_TEXT_CHARS})" if text else "CAST(NULL AS VARCHAR)"
    obj = F.col(OBJECT_ID if OBJECT_ID in columns else None)
    obj_is_url = f"regexp_matches(coalesce({obj}, ''), '^https?://')"
    url_lists = [_all(columns, URLS), f"CASE WHEN {obj_is_url} THEN [{obj}] ELSE []::VARCHAR[] END"]
    if text:
        url_lists.append(F.text_urls_sql(text))
    urls = f"list_filter(list_concat({', '.join(url_lists)}), lambda u: contains(u, '.'))"
    anon = None
    if URL_ID in columns or DOMAIN_ID in columns:
        url_id, domain_id = (
            F.col(URL_ID if URL_ID in columns else None),
            F.col(DOMAIN_ID if DOMAIN_ID in columns else None),
        )
        anon = (
            f"CASE WHEN {url_id} IS NULL AND {domain_id} IS NULL THEN [] "
            f"ELSE [{{'url': 'url-id:' || {url_id}, 'rd': 'domain-id:' || {domain_id}}}] END"
        )
    hashtags = _all(columns, HASHTAGS, "[\\p{L}\\p{N}_]+")
    if text:
        in_text = f"coalesce(regexp_extract_all({text}, {F.literal(F.TEXT_HASHTAG)}, 1), [])"
        hashtags = f"list_concat({hashtags}, {in_text})"
    repost = F.pick(columns, REPOST)
    return f"""
        __index,
        {F.platform_sql(columns, account)} AS platform,
        {F.pick(columns, POST_ID)} AS post_id,
        {account} AS account_id,
        lower(ltrim({F.pick(columns, HANDLE)}, '@')) AS handle,
        {F.pick(columns, TIME)} AS __time_raw,
        {text_sql} AS text,
        coalesce({repost}, CASE WHEN NOT {obj_is_url} THEN {obj} END) AS repost_of,
        {F.pick(columns, REPLY)} AS reply_to,
        {F.links_sql(urls, anon)} AS __links,
        list_transform({hashtags}, lambda h: lower(h)) AS hashtags,
        {_all(columns, MEDIA)} AS media_ids
    """


def project_posts(raw: pa.Table, ctx: ReadContext) -> Iterator[pa.Table]:
    columns = set(raw.column_names) - {"__index"}
    with registered(ctx.con, raw, "_vigil_posts_raw") as view:
        ctx.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _vigil_posts AS
            WITH base AS (SELECT {select_sql(columns)} FROM {view})
            SELECT *, {F.time_sql("__time_raw")} AS time,
                   CASE WHEN post_id IS NULL AND text IS NULL THEN 'missing post id and text' END AS __missing
            FROM base
        """)
    try:
        _quarantine(ctx)
        table = ctx.con.sql(f"""
            WITH grouped AS (
                SELECT min(__index) AS source_offset, platform, post_id, account_id, handle, time, text,
                       repost_of, reply_to,
                       list_slice(list_sort(list_distinct(flatten(list(__links)))), 1, {MAX_URLS}) AS __links,
                       list_sort(list_distinct(flatten(list(hashtags)))) AS hashtags,
                       list_sort(list_distinct(flatten(list(media_ids)))) AS media_ids
                FROM _vigil_posts
                WHERE __missing IS NULL AND NOT (__time_raw IS NOT NULL AND time IS NULL)
                GROUP BY platform, post_id, account_id, handle, time, text, repost_of, reply_to
            )
            SELECT *, md5(concat_ws(chr(31), 'post', coalesce(platform, ''), coalesce(post_id, ''),
                       coalesce(account_id, ''), coalesce(handle, ''),
                       coalesce(CAST(epoch_us(time) AS VARCHAR), ''),
                       coalesce(text, ''), coalesce(repost_of, ''), coalesce(reply_to, ''),
                       CAST(__links AS VARCHAR), CAST(hashtags AS VARCHAR),
                       CAST(media_ids AS VARCHAR))) AS record_id
            FROM grouped
            ORDER BY source_offset
        """).to_arrow_table()
    finally:
        ctx.con.execute("DROP TABLE IF EXISTS _vigil_posts")
    yield from finish(table, ctx, POSTS)


def _quarantine(ctx: ReadContext) -> None:
    bad = ctx.con.sql("""
        SELECT __index, coalesce(__missing, 'unreadable time ' || left(__time_raw, 40)) AS reason,
               concat_ws(' | ', post_id, account_id, handle, __time_raw, left(text, 200)) AS excerpt
        FROM _vigil_posts
        WHERE __missing IS NOT NULL OR (__time_raw IS NOT NULL AND time IS NULL)
        ORDER BY __index
    """).fetchall()
    for index, reason, excerpt in bad:
        ctx.quarantine(index, reason, excerpt or "")


def finish(table: pa.Table, ctx: ReadContext, schema: pa.Schema) -> Iterator[pa.Table]:
    """Add ``source`` (and ``urls`` from ``__links``), conform to the schema, yield in slices."""
    table = table.append_column("source", pa.array([ctx.source] * table.num_rows, pa.string()))
    if "__links" in table.column_names:
        table = table.append_column("urls", F.url_structs(table["__links"]))
    for start in range(0, table.num_rows, 200_000):
        yield conform(table.slice(start, 200_000), schema)
