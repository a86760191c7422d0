"""Every signal a message can carry: its code, category, weight and meaning, in one table.

A signal is one observation about one message — ``(category, signal, weight, evidence)`` — such as
``("link", "link.lookalike_protected", 0.85, "harperforamerica-sso.com: looks like harperforamerica.org
of Harper for America (its name inside another domain)")``. Weights are in 0..1 and were set by hand
from what each observation means for a defender (see docs/phishing.md); ``score.py`` combines them.

Categories: ``spoofing`` (who the sender claims to be), ``link`` (where the links go), ``lure`` (what
the text asks for, and risky attachments), ``sender`` (first contact, from the workspace's history)
and ``score`` (one row per message with its overall phishing score: every scored message has it).
"""

from __future__ import annotations

from typing import NamedTuple


class Signal(NamedTuple):
    category: str
    signal: str
    weight: float
    evidence: str


class SignalSpec(NamedTuple):
    category: str
    weight: float
    meaning: str
    era_bound: bool = False  # cannot occur in mail older than ~2010 (see evaluation/phishing.py)


CATALOG: dict[str, SignalSpec] = {
    # -- spoofing: authentication results and the sender's identity --------------------------------
    "auth.protected_domain_fails": SignalSpec(
        "spoofing",
        0.85,
        "the From domain is a protected organisation's and fails DMARC (or SPF and DKIM)",
        True,
    ),
    "auth.dmarc_fail": SignalSpec(
        "spoofing", 0.3, "DMARC fails for the From domain (not mailing-list mail)", True
    ),
    "auth.spf_fail": SignalSpec("spoofing", 0.15, "SPF fails (hard fail) for the envelope sender", True),
    "auth.dkim_fail": SignalSpec("spoofing", 0.1, "a DKIM signature fails to verify", True),
    "sender.protected_person_name": SignalSpec(
        "spoofing", 0.6, "the display name is a protected person's, the address is not one of theirs"
    ),
    "sender.protected_org_name": SignalSpec(
        "spoofing", 0.55, "the display name names a protected organisation or brand; the domain is not theirs"
    ),
    "sender.brand_name": SignalSpec(
        "spoofing",
        0.5,
        "the display name names a brand phishing often imitates; the domain is not the brand's",
    ),
    "sender.address_in_name": SignalSpec(
        "spoofing", 0.45, "the display name shows an e-mail address, or a known brand's domain, not its own"
    ),
    "sender.lookalike_protected": SignalSpec(
        "spoofing", 0.85, "the From domain imitates a protected organisation's domain"
    ),
    "sender.lookalike_brand": SignalSpec(
        "spoofing", 0.6, "the From domain imitates a well-known brand's domain"
    ),
    "sender.reply_to_lookalike": SignalSpec(
        "spoofing", 0.8, "replies or bounces go to a domain that imitates a protected or well-known domain"
    ),
    "sender.reply_to_freemail": SignalSpec(
        "spoofing", 0.4, "replies go to a free-mail address while the sender is an organisation"
    ),
    "sender.reply_to_differs": SignalSpec(
        "spoofing", 0.1, "replies go to another domain than the sender's (not mailing-list mail)"
    ),
    "sender.org_name_on_freemail": SignalSpec(
        "spoofing", 0.35, "an organisation's name (support, bank, rewards, protocol…) on a free-mail address"
    ),
    "sender.odd_name": SignalSpec(
        "spoofing",
        0.3,
        "a display name dressed in symbols or underscores, as filter-evading senders write them",
    ),
    "sender.random_domain": SignalSpec("spoofing", 0.35, "the sender's domain name looks machine-made"),
    "sender.punycode_domain": SignalSpec(
        "spoofing", 0.35, "the From domain is an internationalised (xn--) name", True
    ),
    # -- link: where the links go (never fetched) --------------------------------------------------
    "link.lookalike_protected": SignalSpec("link", 0.85, "a link's domain imitates a protected domain"),
    "link.lookalike_brand": SignalSpec("link", 0.6, "a link's domain imitates a well-known brand's domain"),
    "link.text_shows_brand": SignalSpec(
        "link", 0.6, "the visible text of a link shows a protected or well-known site; the link opens another"
    ),
    "link.text_mismatch": SignalSpec(
        "link", 0.4, "the visible text of a link shows another site than the one it opens"
    ),
    "link.text_names_brand": SignalSpec(
        "link", 0.35, "the text of a link names a service (Google Docs, OneDrive, DocuSign…) it does not open"
    ),
    "link.ip_host": SignalSpec("link", 0.45, "a link opens an IP address instead of a name"),
    "link.userinfo": SignalSpec(
        "link", 0.55, "a link hides its real host behind user@ (http://bank.com@evil.net)"
    ),
    "link.punycode_host": SignalSpec("link", 0.35, "a link's host is an internationalised (xn--) name", True),
    "link.shortener": SignalSpec(
        "link", 0.25, "a link goes through a URL shortener that hides its target", True
    ),
    "link.embedded_redirect": SignalSpec(
        "link", 0.15, "a link carries another site's address in its query: a redirect to an unseen target"
    ),
    "link.free_hosting": SignalSpec(
        "link", 0.3, "a link opens a page on a free hosting or form service (anyone can publish there)", True
    ),
    "link.risky_tld": SignalSpec(
        "link", 0.15, "a link's domain is under a top-level domain with heavy abuse", True
    ),
    "link.risky_file": SignalSpec(
        "link", 0.3, "a link downloads an executable, script, disk image or archive"
    ),
    "link.nonstandard_port": SignalSpec("link", 0.1, "a web link names an unusual port"),
    "link.random_domain": SignalSpec("link", 0.3, "a link's domain name looks machine-made"),
    "link.new_domain": SignalSpec(
        "link",
        0.2,
        "a link suspect for another reason goes to a domain never seen in earlier mail of this workspace",
    ),
    # -- lure: what the message asks for ---------------------------------------------------------
    "lure.credential": SignalSpec("lure", 0.45, "asks to sign in, verify an account or confirm a password"),
    "lure.shared_document": SignalSpec(
        "lure", 0.35, "announces a shared document, fax, voicemail or secure message"
    ),
    "lure.invitation": SignalSpec(
        "lure", 0.3, "invites to an interview, a podcast, a panel or a guest portal"
    ),
    "lure.payment": SignalSpec("lure", 0.35, "asks for a payment, a wire, a fee or talks of a held parcel"),
    "lure.prize": SignalSpec("lure", 0.35, "announces a prize, a reward, a gift card or a bonus"),
    "lure.advance_fee": SignalSpec("lure", 0.5, "inheritance, next-of-kin, millions to transfer"),
    "lure.crypto": SignalSpec("lure", 0.35, "wallet verification, airdrops, recovery phrases"),
    "lure.offer": SignalSpec("lure", 0.3, "miracle products, casinos, dating: the offers that carry scams"),
    "lure.generic_greeting": SignalSpec("lure", 0.15, "Dear customer, Dear user, Dear beneficiary: no name"),
    "lure.marketing": SignalSpec("lure", 0.15, "sales language: free quote, exclusive offer, no obligation"),
    "lure.loud_subject": SignalSpec("lure", 0.15, "a subject in capitals, with !!, or with a sum of money"),
    "lure.phishing_words": SignalSpec(
        "lure", 0.1, "words far more common in phishing than in everyday mail (graded: up to this weight)"
    ),
    "lure.urgency": SignalSpec("lure", 0.2, "pressure: within 24 hours, last notice, will be closed"),
    "lure.secrecy": SignalSpec("lure", 0.3, "asks to keep the request secret or says the sender cannot talk"),
    "lure.recipient_address": SignalSpec(
        "lure", 0.35, "the subject or the greeting uses the recipient's address where a name would be"
    ),
    "lure.brand_impersonation": SignalSpec(
        "lure", 0.3, "the message speaks in a brand's name, asks for something, and is not from the brand"
    ),
    "lure.obfuscated_text": SignalSpec(
        "lure",
        0.5,
        "invisible characters inside words, Latin words spelled with Cyrillic or Greek letters, or "
        "letters drawn from mathematical alphabets",
    ),
    "attachment.html": SignalSpec(
        "lure", 0.55, "an HTML attachment: opens a local page, often a sign-in form"
    ),
    "attachment.svg": SignalSpec("lure", 0.5, "an SVG attachment: an image that can carry script and links"),
    "attachment.disk_image": SignalSpec(
        "lure", 0.6, "an ISO/IMG/VHD disk image: slips executables past filters"
    ),
    "attachment.shortcut": SignalSpec("lure", 0.7, "a Windows shortcut (.lnk, .scf)"),
    "attachment.executable": SignalSpec("lure", 0.7, "a program (.exe, .scr, .msi, ...)"),
    "attachment.script": SignalSpec("lure", 0.7, "a script (.js, .vbs, .hta, .ps1, .bat, ...)"),
    "attachment.macro_document": SignalSpec(
        "lure", 0.5, "an Office document with macros (.docm, .xlsm, ...)"
    ),
    "attachment.onenote": SignalSpec("lure", 0.55, "a OneNote notebook (a carrier of embedded files)"),
    "attachment.encrypted_archive": SignalSpec(
        "lure", 0.5, "an archive whose password is in the message (its content escapes scanning)"
    ),
    "attachment.double_extension": SignalSpec("lure", 0.7, "a name like invoice.pdf.exe"),
    "attachment.type_mismatch": SignalSpec("lure", 0.45, "the content is not what the file name says"),
    # -- sender history ----------------------------------------------------------------------------
    "sender.first_contact": SignalSpec("sender", 0.1, "the first message from this address in the workspace"),
    # -- the overall score -------------------------------------------------------------------------
    "score.phishing": SignalSpec(
        "score", 0.0, "the message's overall phishing score (weight) and what carries it"
    ),
}

CATEGORIES = ("spoofing", "link", "lure", "sender", "score")


def signal(code: str, evidence: str, weight: float | None = None) -> Signal:
    """A signal of the catalog, with its evidence; ``weight`` (graded signals) is capped at the catalog's."""
    spec = CATALOG[code]
    return Signal(spec.category, code, spec.weight if weight is None else min(weight, spec.weight), evidence)
