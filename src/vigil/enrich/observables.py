"""The ``observables`` table: every address, domain, URL and IP seen in any record, one row each.

Detectors that look for a value wherever it appears (indicator matches, lookalike domains) read this
one view instead of knowing every column of every record table. A view costs ingest nothing.
"""

from __future__ import annotations

_IP_KIND = "CASE WHEN contains(value, ':') THEN 'ipv6-addr' ELSE 'ipv4-addr' END"

# (table, time column, [(kind as SQL over `value`, value as SQL over the table, field name)])
_SOURCES: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "emails",
        "date",
        [
            ("'email-addr'", "from_addr", "from"),
            ("'email-addr'", "reply_to", "reply_to"),
            ("'email-addr'", "return_path", "return_path"),
            ("'email-addr'", "unnest(to_addrs)", "to"),
            ("'email-addr'", "unnest(cc_addrs)", "cc"),
            ("'domain-name'", "from_domain", "from_domain"),
            (_IP_KIND, "client_ip", "client_ip"),
            ("'url'", "unnest(urls).url", "url"),
            ("'domain-name'", "unnest(urls).host", "url_host"),
            ("'domain-name'", "unnest(urls).registered_domain", "url_domain"),
        ],
    ),
    (
        "signins",
        "time",
        [
            (_IP_KIND, "src_ip", "src_ip"),
            ("'user-account'", "user", "user"),
        ],
    ),
    (
        "pages",
        "fetched_at",
        [
            ("'url'", "url", "url"),
            ("'domain-name'", "host", "host"),
            ("'domain-name'", "registered_domain", "domain"),
            ("'domain-name'", "unnest(outbound_domains)", "outbound_domain"),
        ],
    ),
    (
        "posts",
        "time",
        [
            ("'url'", "unnest(urls).url", "url"),
            ("'domain-name'", "unnest(urls).host", "url_host"),
            ("'domain-name'", "unnest(urls).registered_domain", "url_domain"),
            ("'social-account'", "platform || ':' || handle", "author"),
        ],
    ),
    (
        "domains",
        "first_seen",
        [
            ("'domain-name'", "domain", "domain"),
        ],
    ),
    (
        "accounts",
        "created",
        [
            ("'social-account'", "platform || ':' || handle", "account"),
        ],
    ),
]


def observables_sql() -> str:
    parts = []
    for table, time_col, picks in _SOURCES:
        for kind, value, field in picks:
            inner = f'SELECT record_id, {value} AS value, {time_col} AS time FROM "{table}"'
            parts.append(
                f"SELECT '{table}' AS table_name, record_id, {kind} AS kind, value, '{field}' AS field, time "
                f"FROM ({inner}) WHERE value IS NOT NULL AND value <> ''"
            )
    return "SELECT DISTINCT * FROM (\n" + "\nUNION ALL\n".join(parts) + "\n)"
