"""Spoofed sender: a message that lies about who sent it."""

from __future__ import annotations

from typing import Any

import ibis

from vigil.detect.api import Case, detector
from vigil.enrich.mail.per_message import ENTITIES, explain, message_findings

ADVICE = (
    "Do not reply, pay or act on it: confirm the request with the named sender by phone or a known "
    "address, and report the message to whoever runs your mail."
)


@detector(
    id="mail.spoofing",
    title="Spoofed sender",
    inputs=["emails", "email_signals"],
    severity="medium",
    techniques=["T1566", "T1656", "T1583.001"],
    entities={**ENTITIES, "lookalike_domains": "domain-name:actor-infrastructure"},
    explain=explain,
    confidence=0.7,
)
def spoofing(t: Any, threshold: float = 0.5) -> ibis.Table:
    """Mail that fails authentication for a protected organisation's domain, that shows a protected
    person's, organisation's or well-known brand's name on an address that is not theirs, that comes
    from or asks replies to a look-alike domain, or that fails DMARC and SPF and DKIM together. One
    finding per message whose spoofing signals (noisy-or of their weights, see docs/phishing.md) reach
    ``threshold``. Mailing-list mail (List-Id), which breaks DMARC honestly, gets no authentication
    signal."""
    return message_findings(
        t,
        "spoofing",
        threshold,
        ADVICE,
        infrastructure=["sender.lookalike_protected", "sender.lookalike_brand", "sender.reply_to_lookalike"],
    )


_PROTECTED = """
[[people]]
name = "Meg Harper"
role = "candidate"
emails = ["meg.harper@harperforamerica.org"]
priority = "critical"

[[people]]
name = "Marcus Bell"
role = "staff"
emails = ["marcus.bell@harperforamerica.org"]
priority = "high"

[[organizations]]
name = "Harper for America"
kind = "campaign"
domains = ["harperforamerica.org"]
"""

_BEC = {
    "message_id": "C44B9AB5@harperforamerica-org.com",
    "date": "2024-09-24T20:51:33+00:00",
    "from_addr": "meg.harper@harperforamerica.org",
    "from_name": "Meg Harper",
    "from_domain": "harperforamerica.org",
    "reply_to": "meg.harper@harperforamerica-org.com",
    "return_path": "bounce@harperforamerica-org.com",
    "to_addrs": ["marcus.bell@harperforamerica.org"],
    "subject": "Urgent - wire for the media buy today",
    "spf": "pass",
    "spf_domain": "harperforamerica-org.com",
    "dkim": "pass",
    "dkim_domain": "harperforamerica-org.com",
    "dmarc": "fail",
    "dmarc_domain": "harperforamerica.org",
    "body_text": "Marcus, I'm between events and can't call. Please keep this between us until it's done.",
}
_VOLUNTEER_VIA_LIST = {
    "date": "2024-07-02T18:00:00+00:00",
    "from_addr": "gmendez77@gmail.com",
    "from_name": "Gloria Mendez",
    "from_domain": "gmail.com",
    "reply_to": "pa-volunteers@lists.harperforamerica.org",
    "return_path": "pa-volunteers-bounces@lists.harperforamerica.org",
    "to_addrs": ["pa-volunteers@lists.harperforamerica.org"],
    "subject": "[PA Volunteers] Canvass carpool",
    "spf": "pass",
    "spf_domain": "lists.harperforamerica.org",
    "dkim": "fail",
    "dkim_domain": "gmail.com",
    "dmarc": "fail",
    "dmarc_domain": "gmail.com",
    "list_id": "pa-volunteers.lists.harperforamerica.org",
    "body_text": "Who can drive to Scranton on Saturday?",
}
_NEWSLETTER = {
    "date": "2024-07-05T10:30:00+00:00",
    "from_addr": "brief@capitolmorning.com",
    "from_name": "Capitol Morning Brief",
    "from_domain": "capitolmorning.com",
    "return_path": "bounce-mc.us21_847362@mail185.atl59.mcdlv.net",
    "reply_to": "editors@capitolmorning.com",
    "to_addrs": ["robert.lindqvist@harperforamerica.org"],
    "subject": "Capitol Morning Brief: the week ahead",
    "spf": "pass",
    "dkim": "pass",
    "dmarc": "pass",
    "list_id": "84736291b2c6e1d0f7a3c5e9.4c1e2f7a9b.list-id.mcsv.net",
    "body_text": "Five things to watch this week.",
}

CASES = [
    Case(
        "the candidate's address, DMARC fails, replies to a look-alike domain",
        rows={"emails": [_BEC]},
        protected=_PROTECTED,
        expect=1,
        contains={
            "harperforamerica-org.com": "actor-infrastructure",
            "marcus.bell@harperforamerica.org": "target",
        },
        severity="critical",
    ),
    Case(
        "the candidate's name on a free-mail address that asks replies elsewhere",
        rows={
            "emails": [
                {
                    "date": "2024-09-25T13:00:00+00:00",
                    "from_addr": "meg.harper.campaign@gmail.com",
                    "from_name": "Meg Harper",
                    "from_domain": "gmail.com",
                    "reply_to": "mh.office@outlook.com",
                    "to_addrs": ["marcus.bell@harperforamerica.org"],
                    "subject": "quick favour",
                    "spf": "pass",
                    "dkim": "pass",
                    "dmarc": "pass",
                    "body_text": "Are you available? I need a quick favor, I'm in a meeting and cannot talk.",
                }
            ]
        },
        protected=_PROTECTED,
        expect=1,
        contains={"marcus.bell@harperforamerica.org": "target"},
    ),
    Case(
        "a brand's name on a stranger's domain with a homoglyph (hostile display name)",
        rows={
            "emails": [
                {
                    "date": "2024-10-02T12:03:41+00:00",
                    "from_addr": "no-reply@xn--pypal-4ve.com",
                    "from_name": "PayPal <service@paypal.com> \u202e<script>alert(1)</script>",
                    "from_domain": "xn--pypal-4ve.com",
                    "to_addrs": ["someone@example.org"],
                    "subject": "Your account is limited",
                    "spf": "pass",
                    "dkim": "none",
                    "dmarc": "none",
                }
            ]
        },
        expect=1,
        contains={"xn--pypal-4ve.com": "actor-infrastructure"},
    ),
    Case(
        "mailing-list mail that fails DMARC honestly, and a newsletter through its mailing service",
        rows={"emails": [_VOLUNTEER_VIA_LIST, _NEWSLETTER]},
        protected=_PROTECTED,
        expect=0,
    ),
    Case(
        "the candidate writing from her own authenticated address",
        rows={
            "emails": [
                {
                    **_BEC,
                    "reply_to": None,
                    "return_path": "meg.harper@harperforamerica.org",
                    "spf_domain": "harperforamerica.org",
                    "dkim_domain": "harperforamerica.org",
                    "dmarc": "pass",
                    "body_text": "Thanks all, see you at the debate.",
                    "subject": "Debate",
                }
            ]
        },
        protected=_PROTECTED,
        expect=0,
    ),
    Case(
        "a forwarded message that fails DMARC but claims nobody's name",
        rows={
            "emails": [
                {
                    "date": "2024-08-05T15:37:19+00:00",
                    "from_addr": "d.hartman@keystoneu.edu",
                    "from_name": "David Hartman",
                    "from_domain": "keystoneu.edu",
                    "to_addrs": ["robert@lindqvistfamily.net"],
                    "subject": "Census data on rural broadband",
                    "spf": "fail",
                    "dkim": "fail",
                    "dmarc": "fail",
                    "dmarc_domain": "keystoneu.edu",
                }
            ]
        },
        protected=_PROTECTED,
        expect=0,
    ),
]
