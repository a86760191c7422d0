"""The normalized tables of a workspace, as Arrow schemas.

Every ingested table starts with the same three columns: ``record_id`` (a content hash, so that
re-ingesting the same input adds nothing), ``source`` (the file it came from) and ``source_offset``
(the byte offset of a message in an mbox, or the 0-based record/line index in the other formats).
Timestamps are UTC, microseconds.
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
STR_LIST = pa.list_(pa.string())

PROVENANCE = [
    pa.field("record_id", pa.string(), nullable=False),
    pa.field("source", pa.string()),
    pa.field("source_offset", pa.int64()),
]

URL = pa.struct(
    [
        ("url", pa.string()),
        ("text", pa.string()),  # visible text of an <a>, null for plain-text URLs
        ("host", pa.string()),
        ("registered_domain", pa.string()),
    ]
)

ATTACHMENT = pa.struct(
    [
        ("filename", pa.string()),
        ("declared_type", pa.string()),
        ("sniffed_type", pa.string()),
        ("size", pa.int64()),
        ("sha256", pa.string()),
    ]
)

RECEIVED_HOP = pa.struct(
    [
        ("from_host", pa.string()),
        ("by_host", pa.string()),
        ("ip", pa.string()),
        ("time", TS),
    ]
)


def _schema(*fields: pa.Field) -> pa.Schema:
    return pa.schema([*PROVENANCE, *fields])


EMAILS = _schema(
    pa.field("message_id", pa.string()),
    pa.field("date", TS),
    pa.field("from_addr", pa.string()),
    pa.field("from_name", pa.string()),
    pa.field("from_domain", pa.string()),
    pa.field("reply_to", pa.string()),
    pa.field("return_path", pa.string()),
    pa.field("to_addrs", STR_LIST),
    pa.field("cc_addrs", STR_LIST),
    pa.field("subject", pa.string()),
    pa.field("spf", pa.string()),
    pa.field("spf_domain", pa.string()),
    pa.field("dkim", pa.string()),
    pa.field("dkim_domain", pa.string()),
    pa.field("dmarc", pa.string()),
    pa.field("dmarc_domain", pa.string()),
    pa.field("received", pa.list_(RECEIVED_HOP)),
    pa.field("client_ip", pa.string()),
    pa.field("x_mailer", pa.string()),
    pa.field("user_agent", pa.string()),
    pa.field("in_reply_to", pa.string()),
    pa.field("references", STR_LIST),
    pa.field("list_id", pa.string()),
    pa.field("urls", pa.list_(URL)),
    pa.field("attachments", pa.list_(ATTACHMENT)),
    pa.field("body_text", pa.string()),
    pa.field("language", pa.string()),
)

SIGNINS = _schema(
    pa.field("format", pa.string()),  # entra, okta, google, windows, ocsf, csv
    pa.field("event_id", pa.string()),  # the source's own id of the event
    pa.field("event_type", pa.string()),  # e.g. sign-in, 4625, user.session.start, mfa
    pa.field("time", TS),
    pa.field("user", pa.string()),  # lower-cased UPN, e-mail or DOMAIN\\name
    pa.field("user_display", pa.string()),
    pa.field("result", pa.string()),  # success | failure | interrupted
    pa.field("failure_reason", pa.string()),
    pa.field("error_code", pa.string()),
    pa.field("src_ip", pa.string()),
    pa.field("country", pa.string()),
    pa.field("city", pa.string()),
    pa.field("latitude", pa.float64()),
    pa.field("longitude", pa.float64()),
    pa.field("asn", pa.int64()),
    pa.field("user_agent", pa.string()),
    pa.field("client_app", pa.string()),
    pa.field("protocol", pa.string()),
    pa.field("is_legacy_auth", pa.bool_()),
    pa.field("mfa_detail", pa.string()),
    pa.field("application", pa.string()),
    pa.field("tenant", pa.string()),
    pa.field("device", pa.string()),
    pa.field("logon_type", pa.string()),
    # What the source says about the network: tor, anonymizing-proxy, anonymizer, vpn, relay, hosting,
    # malicious-ip, trusted-location, named-location (null when it says nothing)
    pa.field("network_flags", STR_LIST),
)

DOMAINS = _schema(
    pa.field("domain", pa.string()),
    pa.field("registered_domain", pa.string()),
    pa.field("first_seen", TS),
    pa.field("feed", pa.string()),
)

PAGES = _schema(
    pa.field("url", pa.string()),
    pa.field("host", pa.string()),
    pa.field("registered_domain", pa.string()),
    pa.field("fetched_at", TS),
    pa.field("title", pa.string()),
    pa.field("text", pa.string()),
    pa.field("byline", pa.string()),
    pa.field("published", TS),
    pa.field("language", pa.string()),
    pa.field("links", STR_LIST),
    pa.field("outbound_domains", STR_LIST),
    pa.field("tracker_ids", STR_LIST),
    pa.field("generator", pa.string()),
    pa.field("images", STR_LIST),
    pa.field("html_sha256", pa.string()),
    pa.field("text_sha256", pa.string()),
)

POSTS = _schema(
    pa.field("platform", pa.string()),
    pa.field("post_id", pa.string()),
    pa.field("account_id", pa.string()),
    pa.field("handle", pa.string()),
    pa.field("time", TS),
    pa.field("text", pa.string()),
    pa.field("urls", pa.list_(URL)),
    pa.field("hashtags", STR_LIST),
    pa.field("repost_of", pa.string()),
    pa.field("reply_to", pa.string()),
    pa.field("media_ids", STR_LIST),
)

ACCOUNTS = _schema(
    pa.field("platform", pa.string()),
    pa.field("account_id", pa.string()),
    pa.field("handle", pa.string()),
    pa.field("display_name", pa.string()),
    pa.field("bio", pa.string()),
    pa.field("created", TS),
    pa.field("followers", pa.int64()),
    pa.field("avatar_hash", pa.string()),
)

INDICATORS = _schema(
    pa.field(
        "kind", pa.string()
    ),  # STIX cyber-observable type: ipv4-addr, domain-name, url, email-addr, file
    pa.field("value", pa.string()),  # canonical (refanged, lower-cased where the kind allows)
    pa.field("feed", pa.string()),  # who published it, e.g. "Meta adversarial threat report 2024-Q2"
    pa.field("actor", pa.string()),
    pa.field("description", pa.string()),
    pa.field("first_seen", TS),
    pa.field("stix_id", pa.string()),
)

QUARANTINE = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("source_offset", pa.int64()),
        pa.field("format", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("excerpt", pa.string()),
    ]
)

# Derived by enrich/observables.py: every address, domain, URL and IP seen in any record, one row each.
OBSERVABLES = pa.schema(
    [
        pa.field("table_name", pa.string()),
        pa.field("record_id", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("value", pa.string()),
        pa.field("field", pa.string()),
        pa.field("time", TS),
    ]
)

# Derived by enrich/mail (computed by the runner before the detectors that read it): the signals of
# each e-mail, one row each, plus one "score" row per scored message. Codes: docs/phishing.md.
EMAIL_SIGNALS = pa.schema(
    [
        pa.field("record_id", pa.string()),  # of the e-mail
        pa.field("category", pa.string()),  # spoofing | link | lure | sender | score
        pa.field("signal", pa.string()),  # e.g. link.lookalike_protected
        pa.field("weight", pa.float64()),  # 0..1
        pa.field("evidence", pa.string()),
    ]
)

ENTITY_REF = pa.struct(
    [
        ("entity_id", pa.string()),
        ("kind", pa.string()),
        ("value", pa.string()),
        ("role", pa.string()),
    ]
)

EVIDENCE_REF = pa.struct([("table_name", pa.string()), ("record_id", pa.string())])

FINDINGS = pa.schema(
    [
        pa.field("finding_id", pa.string(), nullable=False),
        pa.field("detector", pa.string()),
        pa.field("title", pa.string()),
        pa.field("severity", pa.string()),
        pa.field("confidence", pa.float64()),
        pa.field("first_seen", TS),
        pa.field("last_seen", TS),
        pa.field("summary", pa.string()),
        pa.field("techniques", STR_LIST),
        pa.field("entities", pa.list_(ENTITY_REF)),
        pa.field("evidence", pa.list_(EVIDENCE_REF)),
        pa.field("details", pa.string()),  # JSON object of detector-specific columns
        pa.field("status", pa.string()),
        pa.field("updated_at", TS),
    ]
)

# Every change an analyst made to a finding's status, oldest first (``vigil triage``); the finding's
# ``status`` column holds the latest.
TRIAGE = pa.schema(
    [
        pa.field("finding_id", pa.string()),
        pa.field("detector", pa.string()),
        pa.field("status_before", pa.string()),
        pa.field("status", pa.string()),
        pa.field("note", pa.string()),
        pa.field("analyst", pa.string()),
        pa.field("changed_at", TS),
    ]
)

# People, accounts, domains and brands the user defends, flattened from vigil.toml for joins.
PROTECTED = pa.schema(
    [
        pa.field("kind", pa.string()),  # email-addr, user-account, domain-name, social-account, brand
        pa.field("value", pa.string()),
        pa.field("owner", pa.string()),  # the person or organization's name
        pa.field("owner_kind", pa.string()),  # person | organization | brand | social-account
        pa.field("role", pa.string()),
        pa.field("priority", pa.string()),
    ]
)

#: Tables that ingest adapters write into.
RECORD_TABLES: dict[str, pa.Schema] = {
    "emails": EMAILS,
    "signins": SIGNINS,
    "domains": DOMAINS,
    "pages": PAGES,
    "posts": POSTS,
    "accounts": ACCOUNTS,
    "indicators": INDICATORS,
}

#: Every table of a workspace, with the column that identifies a row.
TABLES: dict[str, tuple[pa.Schema, str | None]] = {
    **{name: (schema, "record_id") for name, schema in RECORD_TABLES.items()},
    "quarantine": (QUARANTINE, "record_id"),
    "observables": (OBSERVABLES, None),
    "email_signals": (EMAIL_SIGNALS, None),
    "findings": (FINDINGS, "finding_id"),
    "triage": (TRIAGE, None),
    "protected": (PROTECTED, None),
}
