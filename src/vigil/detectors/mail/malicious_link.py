"""Malicious link: where a message's links go, judged without ever opening them."""

from __future__ import annotations

from typing import Any

import ibis

from vigil.detect.api import Case, detector
from vigil.enrich.mail.per_message import ENTITIES, explain, message_findings

ADVICE = (
    "Do not open the link or type a password behind it; if someone did, change that password, sign out "
    "other sessions and tell whoever runs your accounts. Report the message."
)


@detector(
    id="mail.malicious_link",
    title="Malicious link in a message",
    inputs=["emails", "email_signals"],
    severity="medium",
    techniques=["T1566.002", "T1598.003", "T1583.001"],
    entities=ENTITIES,
    explain=explain,
    confidence=0.7,
)
def malicious_link(t: Any, threshold: float = 0.5) -> ibis.Table:
    """Links to look-alikes of protected domains and of the brands phishing imitates (typos,
    homoglyphs, the brand's name inside another domain), link texts that show another site than the
    one the link opens, IP-address and punycode hosts, user@host tricks, shorteners, redirects written
    into a link, free page-hosting services, downloads of programs and disk images, and domains never
    seen in earlier mail. Nothing is fetched. One finding per message whose link signals (noisy-or of
    their weights, see docs/phishing.md) reach ``threshold``; the flagged hosts are named as actor
    infrastructure."""
    return message_findings(t, "link", threshold, ADVICE)


_PROTECTED = """
[[people]]
name = "Hannah Cho"
role = "staff"
emails = ["hannah.cho@harperforamerica.org"]
priority = "high"

[[organizations]]
name = "Harper for America"
kind = "campaign"
domains = ["harperforamerica.org"]
"""


def _mail(**fields: Any) -> dict[str, Any]:
    base = {
        "date": "2024-10-02T12:03:41+00:00",
        "from_addr": "it-support@example.net",
        "from_domain": "example.net",
        "to_addrs": ["hannah.cho@harperforamerica.org"],
        "subject": "Notice",
        "spf": "pass",
        "dkim": "pass",
        "dmarc": "pass",
    }
    return base | fields


def _url(url: str, text: str | None, host: str, domain: str | None) -> dict[str, Any]:
    return {"url": url, "text": text, "host": host, "registered_domain": domain}


CASES = [
    Case(
        "link text shows the real sign-in page, the link opens a look-alike of the campaign's domain",
        rows={
            "emails": [
                _mail(
                    urls=[
                        _url(
                            "https://harperforamerica-sso.com/owa/auth/logon.aspx?u=hannah.cho",
                            "https://login.microsoftonline.com/harperforamerica.org/oauth2/authorize",
                            "harperforamerica-sso.com",
                            "harperforamerica-sso.com",
                        )
                    ]
                )
            ]
        },
        protected=_PROTECTED,
        expect=1,
        contains={
            "harperforamerica-sso.com": "actor-infrastructure",
            "hannah.cho@harperforamerica.org": "target",
        },
        severity="critical",
    ),
    Case(
        "an IP-address link hidden behind user@ and a brand look-alike (hostile values)",
        rows={
            "emails": [
                _mail(
                    subject="<img src=x onerror=alert(1)>",
                    urls=[
                        _url("http://www.paypal.com@185.117.90.214:8081/x", "Log in", "185.117.90.214", None),
                        _url(
                            "https://paypal.com.secure-verify.net/\u202egnp.exe",
                            "PayPal",
                            "paypal.com.secure-verify.net",
                            "secure-verify.net",
                        ),
                    ],
                )
            ]
        },
        expect=1,
        contains={
            "185.117.90.214": "actor-infrastructure",
            "paypal.com.secure-verify.net": "actor-infrastructure",
        },
    ),
    Case(
        "a newsletter through its click tracker, and a link to the campaign's own site",
        rows={
            "emails": [
                _mail(
                    from_addr="brief@capitolmorning.com",
                    from_domain="capitolmorning.com",
                    list_id="84736291b2c6e1d0f7a3c5e9.4c1e2f7a9b.list-id.mcsv.net",
                    urls=[
                        _url(
                            "https://capitolmorning.us21.list-manage.com/track/click?u=8473&id=ab12",
                            "capitolmorning.com/the-week-ahead",
                            "capitolmorning.us21.list-manage.com",
                            "list-manage.com",
                        ),
                        _url(
                            "https://www.harperforamerica.org/events",
                            "https://www.harperforamerica.org/events",
                            "www.harperforamerica.org",
                            "harperforamerica.org",
                        ),
                    ],
                )
            ]
        },
        protected=_PROTECTED,
        expect=0,
    ),
    Case(
        "a real forward of a newspaper article, and a mailing-list post with its footer links",
        rows={
            "emails": [
                _mail(
                    from_addr="gordon.reyes@chesapeakemail.net",
                    from_domain="chesapeakemail.net",
                    subject="Fwd: Article on the suburban vote",
                    urls=[
                        _url(
                            "https://www.washingtonpost.com/politics/2024/06/12/suburban-vote/",
                            "washingtonpost.com/politics",
                            "www.washingtonpost.com",
                            "washingtonpost.com",
                        )
                    ],
                ),
                _mail(
                    from_addr="earl.yoder@aol.com",
                    from_domain="aol.com",
                    list_id="pa-volunteers.lists.harperforamerica.org",
                    dmarc="fail",
                    urls=[
                        _url(
                            "https://lists.harperforamerica.org/archives/list/pa-volunteers/",
                            None,
                            "lists.harperforamerica.org",
                            "harperforamerica.org",
                        )
                    ],
                ),
            ]
        },
        protected=_PROTECTED,
        expect=0,
    ),
    Case(
        "an ordinary link to a well-known site",
        rows={
            "emails": [
                _mail(
                    urls=[
                        _url(
                            "https://www.census.gov/quickfacts/fact/table/PA",
                            "census tables",
                            "www.census.gov",
                            "census.gov",
                        )
                    ]
                )
            ]
        },
        protected=_PROTECTED,
        expect=0,
    ),
]
