"""Rows for the message-signal tests: an e-mail row with defaults, a link, the campaign's assets."""

from __future__ import annotations

from typing import Any

from vigil.enrich.mail import MailContext
from vigil.protect import ProtectedAssets

CAMPAIGN = {
    "people": [
        {
            "name": "Meg Harper",
            "role": "candidate",
            "emails": ["meg.harper@harperforamerica.org"],
            "priority": "critical",
        },
        {"name": "Marcus Bell", "role": "staff", "emails": ["marcus.bell@harperforamerica.org"]},
    ],
    "organizations": [
        {"name": "Harper for America", "kind": "campaign", "domains": ["harperforamerica.org"]}
    ],
    "brands": [{"name": "Springfield Herald", "domains": ["springfieldherald.com"]}],
}


def mail(**fields: Any) -> dict[str, Any]:
    """An ``emails`` row: an ordinary authenticated message unless ``fields`` say otherwise."""
    row: dict[str, Any] = {
        "record_id": "r1",
        "date": None,
        "from_addr": "someone@example.org",
        "from_name": "Some One",
        "from_domain": "example.org",
        "reply_to": None,
        "return_path": None,
        "to_addrs": ["marcus.bell@harperforamerica.org"],
        "subject": "Hello",
        "spf": "pass",
        "dkim": "pass",
        "dmarc": "pass",
        "list_id": None,
        "urls": [],
        "attachments": [],
        "body_text": "Just checking in about Thursday.",
    }
    return row | fields


def link(url: str, text: str | None = None) -> dict[str, Any]:
    from vigil.enrich.domains import host_of, registered_domain

    host = host_of(url)
    return {"url": url, "text": text, "host": host, "registered_domain": registered_domain(host)}


def campaign_context(**kwargs: Any) -> MailContext:
    return MailContext.build(ProtectedAssets.from_config(CAMPAIGN), **kwargs)


def codes(signals: list[Any]) -> set[str]:
    return {s.signal for s in signals}
