"""Phishing lure: what a message asks its reader to do, and the attachments that carry the trap."""

from __future__ import annotations

from typing import Any

import ibis

from vigil.detect.api import Case, detector
from vigil.enrich.mail.per_message import ENTITIES, explain, message_findings

ADVICE = (
    "Do not sign in, pay, or open the attachment from this message: check with the sender through a "
    "channel you already know, and report the message."
)


@detector(
    id="mail.lure",
    title="Phishing lure",
    inputs=["emails", "email_signals"],
    severity="medium",
    techniques=["T1566.001", "T1566.002", "T1598.003"],
    entities=ENTITIES,
    explain=explain,
    confidence=0.6,
)
def lure(t: Any, threshold: float = 0.5) -> ibis.Table:
    """Credential, shared-document, invitation (interview, podcast, panel, guest portal), payment and
    prize language, pressure and secrecy, in English, German, Portuguese, French and Spanish; text
    hidden from filters by invisible characters; the recipient's address in the subject; risky
    attachments (HTML, SVG, ISO/IMG/VHD, LNK, programs, scripts, macro documents, OneNote, archives
    whose password is in the message, double extensions, content that is not what the name says). One
    finding per message whose lure signals (noisy-or of their weights, see docs/phishing.md) reach
    ``threshold``: one phrase alone does not."""
    return message_findings(t, "lure", threshold, ADVICE)


def _mail(**fields: Any) -> dict[str, Any]:
    base = {
        "date": "2024-10-08T14:02:19+00:00",
        "from_addr": "dana@thecivicbrief-podcast.com",
        "from_domain": "thecivicbrief-podcast.com",
        "to_addrs": ["priya.natarajan@harperforamerica.org"],
        "spf": "pass",
        "dkim": "pass",
        "dmarc": "pass",
    }
    return base | fields


CASES = [
    Case(
        "a podcast invitation that asks to sign in to a guest portal with the campaign account",
        rows={
            "emails": [
                _mail(
                    subject="Re: Interview invitation: The Civic Brief podcast",
                    body_text="Please sign in to the guest portal beforehand to test audio and video. The "
                    "candidate's sign-in is the same as her campaign email.",
                    urls=[
                        {
                            "url": "https://meet-civicbrief.live/guest/Zk81mQ/join",
                            "text": "Guest portal",
                            "host": "meet-civicbrief.live",
                            "registered_domain": "meet-civicbrief.live",
                        }
                    ],
                )
            ]
        },
        expect=1,
        contains={"priya.natarajan@harperforamerica.org": "target"},
    ),
    Case(
        "a password-expiry notice with an HTML attachment (German, hostile file name)",
        rows={
            "emails": [
                _mail(
                    subject="Ihr Passwort läuft heute ab",
                    body_text="Bitte bestätigen Sie Ihr Konto innerhalb von 24 Stunden.",
                    attachments=[
                        {
                            "filename": "Rechnung.pdf\u202e<b>.htm",
                            "declared_type": "application/pdf",
                            "sniffed_type": "html",
                            "size": 900,
                            "sha256": "0" * 64,
                        }
                    ],
                )
            ]
        },
        expect=1,
    ),
    Case(
        "a colleague forwards a donor's question, and a volunteer posts to the campaign's list",
        rows={
            "emails": [
                _mail(
                    from_addr="marcus.bell@harperforamerica.org",
                    from_domain="harperforamerica.org",
                    to_addrs=["alicia.moreno@harperforamerica.org"],
                    subject="FW: Question about a contribution",
                    in_reply_to="CAF=1234@mail.gmail.com",
                    body_text="Can you take this one?\n\n---------- Forwarded message ---------\n"
                    "From: Pat Vance <patvance1958@gmail.com>\nSubject: Question about a contribution\n\n"
                    "Is there a limit on what I can give this cycle?",
                ),
                _mail(
                    from_addr="gmendez77@gmail.com",
                    from_domain="gmail.com",
                    to_addrs=["pa-volunteers@lists.harperforamerica.org"],
                    subject="[PA Volunteers] Yard signs",
                    list_id="pa-volunteers.lists.harperforamerica.org",
                    dmarc="fail",
                    body_text="I have 40 yard signs left, who needs some? Last chance before Saturday!",
                ),
            ]
        },
        expect=0,
    ),
    Case(
        "a reporter's interview request and a calendar invitation",
        rows={
            "emails": [
                _mail(
                    from_addr="tbecker@springfieldherald.com",
                    from_domain="springfieldherald.com",
                    subject="Interview request",
                    body_text="Could the candidate give us 20 minutes on Thursday for a profile?",
                ),
                _mail(
                    from_addr="scheduler@harperforamerica.org",
                    from_domain="harperforamerica.org",
                    subject="Debate prep",
                    body_text="When: Thursday 2 PM. Where: HQ 3rd floor / Join Zoom Meeting",
                ),
            ]
        },
        expect=0,
    ),
]
