"""Spoofing signals: authentication, display names, look-alike sender domains, Reply-To."""

from __future__ import annotations

from mail_rows import codes, mail

from vigil.enrich.mail import MailContext
from vigil.enrich.mail.auth import auth_signals, brand_named


def test_the_candidates_address_failing_dmarc_with_replies_to_a_look_alike(campaign: MailContext) -> None:
    row = mail(
        from_addr="meg.harper@harperforamerica.org",
        from_name="Meg Harper",
        from_domain="harperforamerica.org",
        reply_to="meg.harper@harperforamerica-org.com",
        return_path="bounce@harperforamerica-org.com",
        dmarc="fail",
    )
    found = auth_signals(row, campaign)
    assert {"auth.protected_domain_fails", "sender.reply_to_lookalike"} <= codes(found)
    assert "sender.protected_person_name" not in codes(found)  # her own address, her own name


def test_mailing_lists_break_dmarc_honestly(campaign: MailContext) -> None:
    row = mail(
        from_addr="gmendez77@gmail.com",
        from_domain="gmail.com",
        reply_to="pa-volunteers@lists.harperforamerica.org",
        dmarc="fail",
        dkim="fail",
        list_id="pa-volunteers.lists.harperforamerica.org",
    )
    assert auth_signals(row, campaign) == []


def test_a_forwarded_message_that_fails_everything_is_only_weakly_suspicious(campaign: MailContext) -> None:
    row = mail(
        from_addr="d.hartman@keystoneu.edu",
        from_domain="keystoneu.edu",
        spf="fail",
        dkim="fail",
        dmarc="fail",
    )
    found = auth_signals(row, campaign)
    assert codes(found) == {"auth.dmarc_fail", "auth.spf_fail", "auth.dkim_fail"}
    assert max(s.weight for s in found) < 0.5


def test_protected_names_on_other_addresses(campaign: MailContext) -> None:
    person = auth_signals(
        mail(from_addr="meg.harper.2024@gmail.com", from_name="Harper, Meg", from_domain="gmail.com"),
        campaign,
    )
    assert "sender.protected_person_name" in codes(person)
    org = auth_signals(
        mail(
            from_addr="it@xn--harperforamerca-k3m.org",
            from_name="Harper for America IT Support",
            from_domain="xn--harperforamerca-k3m.org",
        ),
        campaign,
    )
    assert {"sender.protected_org_name", "sender.lookalike_protected"} <= codes(org)


def test_brand_names_and_addresses_in_display_names(nobody: MailContext) -> None:
    found = auth_signals(
        mail(
            from_name="PayPal <service@paypal.com>",
            from_addr="x@mailer.example",
            from_domain="mailer.example",
        ),
        nobody,
    )
    assert {"sender.brand_name", "sender.address_in_name"} <= codes(found)
    own = auth_signals(
        mail(from_name="PayPal", from_addr="service@paypal.com", from_domain="paypal.com"), nobody
    )
    assert "sender.brand_name" not in codes(own)
    news = auth_signals(mail(from_name="CNET News.com Investor", from_domain="newsletter.online.com"), nobody)
    assert "sender.address_in_name" not in codes(news)  # a brand's own site name is not an address


def test_brand_names_that_are_words_count_only_alone() -> None:
    assert brand_named("Ledger", whole=True) is not None
    assert brand_named("General Ledger Accounting", whole=True) is None
    assert brand_named("Booking.com customer service") is not None


def test_reply_to(nobody: MailContext) -> None:
    freemail = auth_signals(
        mail(from_domain="bank.example", from_addr="a@bank.example", reply_to="claims.dept@gmail.com"), nobody
    )
    assert "sender.reply_to_freemail" in codes(freemail)
    listed = auth_signals(mail(reply_to="list@lists.example.net", list_id="list.lists.example.net"), nobody)
    assert listed == []


def test_names_dressed_in_symbols_and_machine_made_domains(nobody: MailContext) -> None:
    found = auth_signals(
        mail(
            from_name="#Kohls_Rewards#",
            from_addr="a@l7r1hys7oy0txqvgfy7w.com",
            from_domain="l7r1hys7oy0txqvgfy7w.com",
        ),
        nobody,
    )
    assert {"sender.odd_name", "sender.random_domain"} <= codes(found)
