"""Social media accounts (CSV or JSON lines) into the ``accounts`` table.

Columns are recognized by name: ``platform``; the account id (``account_id``, ``user_id``, ``userid``,
``id``...); the handle (``screen_name``, ``username``, ``handle``, ``user_screen_name``...); the display
name (``name``, ``display_name``, ``user_display_name``...); the bio (``description``, ``bio``,
``user_profile_description``...); the creation time (``created_at``, ``account_creation_date``...);
followers (``followers_count``, ``follower_count``...); ``avatar_hash``. Twitter's
information-operations archive (``users`` files) reads as it is.

Handles are lower-cased without ``@`` and platforms normalized (``twitter`` -> ``x``), as in
``posts``. A row with neither an id nor a handle is quarantined; a creation time or follower count
that cannot be read is left empty (the account is kept).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.limits import MAX_TEXT_CHARS
from vigil.ingest.social import fields as F
from vigil.ingest.social.posts import finish, is_posts
from vigil.ingest.social.tabular import csv_columns, jsonl_keys, read_csv_text, read_jsonl_text
from vigil.schema import ACCOUNTS
from vigil.workspace import registered

ACCOUNT_ID = ("account_id", "user_id", "userid", "id_str", "author_id", "channel_id", "owner_id", "id")
HANDLE = (
    "screen_name",
    "username",
    "handle",
    "user_screen_name",
    "user_name",
    "login",
    "account_handle",
    "account_name",
)
DISPLAY = ("display_name", "user_display_name", "displayname", "name", "full_name", "profile_name", "title")
BIO = ("description", "bio", "user_profile_description", "user_description", "profile_description", "about")
CREATED = (
    "created_at",
    "account_creation_date",
    "user_created_at",
    "created",
    "creation_date",
    "joined",
    "date_joined",
    "registered_at",
)
FOLLOWERS = (
    "followers_count",
    "follower_count",
    "followers",
    "user_followers_count",
    "subscriber_count",
    "subscribers",
    "fans",
)
AVATAR = ("avatar_hash", "profile_image_hash", "avatar_phash", "avatar_sha256", "image_hash")

KNOWN = frozenset({*F.PLATFORM, *ACCOUNT_ID, *HANDLE, *DISPLAY, *BIO, *CREATED, *FOLLOWERS, *AVATAR})

_ID_MARKERS = frozenset(ACCOUNT_ID + HANDLE) - {"id", "account_name"}
_PROFILE_MARKERS = frozenset(
    {
        "display_name",
        "user_display_name",
        "displayname",
        "description",
        "bio",
        "user_profile_description",
        "user_description",
        "profile_description",
        "account_creation_date",
        "user_created_at",
        "followers_count",
        "follower_count",
        "followers",
        "user_followers_count",
        "friends_count",
        "following_count",
        "statuses_count",
        "verified",
        "profile_image_url",
        "avatar_hash",
        "avatar_url",
        "profile_image_hash",
        "user_reported_location",
    }
)


def is_accounts(columns: set[str]) -> bool:
    return (
        bool(columns & _ID_MARKERS)
        and bool(columns & _PROFILE_MARKERS)
        and not is_posts(columns)
        and not columns & F.IP_COLUMNS
    )


def sniff_csv(path: Path, head: bytes) -> bool:
    return is_accounts(csv_columns(head))


def sniff_jsonl(path: Path, head: bytes) -> bool:
    return is_accounts(jsonl_keys(head))


@adapter(
    "accounts-csv",
    table="accounts",
    sniff=sniff_csv,
    description="Social media accounts, CSV (id, handle, display name, bio, created, followers)",
)
def read_accounts_csv(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from project_accounts(read_csv_text(path, ctx, KNOWN), ctx)


@adapter(
    "accounts-jsonl",
    table="accounts",
    sniff=sniff_jsonl,
    description="Social media accounts, JSON lines (same field names as accounts-csv)",
)
def read_accounts_jsonl(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from project_accounts(read_jsonl_text(path, ctx, KNOWN), ctx)


def select_sql(columns: set[str]) -> str:
    account = F.pick(columns, ACCOUNT_ID)
    followers = F.pick(columns, FOLLOWERS)
    bio_sql = f"left({F.pick(columns, BIO, trim=False)}, {MAX_TEXT_CHARS})"
    return f"""
        __index AS source_offset,
        {F.platform_sql(columns, account)} AS platform,
        {account} AS account_id,
        lower(ltrim({F.pick(columns, HANDLE)}, '@')) AS handle,
        {F.pick(columns, DISPLAY)} AS display_name,
        {bio_sql} AS bio,
        {F.time_sql(F.pick(columns, CREATED))} AS created,
        try_cast(replace(replace({followers}, ',', ''), '_', '') AS BIGINT) AS followers,
        lower({F.pick(columns, AVATAR)}) AS avatar_hash
    """


def project_accounts(raw: pa.Table, ctx: ReadContext) -> Iterator[pa.Table]:
    columns = set(raw.column_names) - {"__index"}
    with registered(ctx.con, raw, "_vigil_accounts_raw") as view:
        table = ctx.con.sql(f"""
            WITH projected AS (SELECT {select_sql(columns)} FROM {view})
            SELECT *, md5(concat_ws(chr(31), 'account', coalesce(platform, ''), coalesce(account_id, ''),
                       coalesce(handle, ''), coalesce(display_name, ''), coalesce(bio, ''),
                       coalesce(CAST(epoch_us(created) AS VARCHAR), ''),
                       coalesce(CAST(followers AS VARCHAR), ''),
                       coalesce(avatar_hash, ''))) AS record_id
            FROM projected
        """).to_arrow_table()
    absent = pc.and_(pc.is_null(table["account_id"]), pc.is_null(table["handle"]))
    missing = table.filter(absent)
    for row in missing.select(["source_offset", "display_name", "bio"]).to_pylist():
        ctx.quarantine(
            row["source_offset"],
            "missing account id and handle",
            " | ".join(str(v) for v in (row["display_name"], row["bio"]) if v),
        )
    table = table.filter(pc.invert(absent))
    yield from finish(table, ctx, ACCOUNTS)
