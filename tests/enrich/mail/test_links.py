"""Link signals, from the URL and its visible text alone (nothing is fetched)."""

from __future__ import annotations

from datetime import UTC, datetime

from mail_rows import campaign_context, codes, link, mail

from vigil.enrich.mail import History, MailContext, Signal
from vigil.enrich.mail.links import MAX_LINKS, link_signals


def signals_of(ctx: MailContext, *links: dict[str, object], **fields: object) -> list[object]:
    return link_signals(mail(urls=list(links), **fields), ctx)


def test_look_alike_of_the_campaign_behind_the_real_sign_in_text(campaign: MailContext) -> None:
    found = signals_of(
        campaign,
        link(
            "https://harperforamerica-sso.com/owa/auth/logon.aspx?u=hannah",
            "https://login.microsoftonline.com/harperforamerica.org/oauth2/authorize",
        ),
    )
    assert {"link.lookalike_protected", "link.text_shows_brand"} <= codes(found)
    assert all(s.evidence.startswith("harperforamerica-sso.com: ") for s in found)


def test_text_that_shows_another_site(nobody: MailContext) -> None:
    found = signals_of(nobody, link("https://evil-host.example/x", "www.springfield-news.com/story"))
    assert codes(found) == {"link.text_mismatch"}


def test_click_trackers_and_the_senders_own_tracking_are_not_mismatches(nobody: MailContext) -> None:
    mailchimp = link(
        "https://capitolmorning.us21.list-manage.com/track/click?u=1&id=2", "capitolmorning.com/week"
    )
    own = link("https://click.springfieldherald.com/ls/click?upn=abc", "springfieldherald.com/politics")
    found = signals_of(nobody, mailchimp, own, from_domain="springfieldherald.com")
    assert "link.text_mismatch" not in codes(found) and "link.text_shows_brand" not in codes(found)


def test_service_named_in_the_text_of_a_link_elsewhere(nobody: MailContext) -> None:
    found = signals_of(nobody, link("https://secure-docreview.online/r/7Kq2vX", "Debate prep (Google Docs)"))
    assert "link.text_names_brand" in codes(found)
    real = signals_of(nobody, link("https://docs.google.com/document/d/1", "Debate prep (Google Docs)"))
    assert "link.text_names_brand" not in codes(real)


def test_tricks_in_the_url(nobody: MailContext) -> None:
    found = signals_of(
        nobody,
        link("http://www.paypal.com@185.117.90.214:8081/login"),
        link("https://bit.ly/3xYz"),
        link("https://www.google.com/url?q=https%3A%2F%2Fpaypa1.com%2Flogin"),
        link("https://files.example.net/download/invoice.iso"),
        link("https://foo.20-218-142-124.cloud-xip.com/x"),
        link("https://x.firebaseapp.com/login"),
        link("https://xn--pypal-4ve.com/"),
        link("https://promo.example.top/"),
    )
    assert {
        "link.userinfo",
        "link.ip_host",
        "link.nonstandard_port",
        "link.shortener",
        "link.embedded_redirect",
        "link.lookalike_brand",
        "link.risky_file",
        "link.free_hosting",
        "link.punycode_host",
        "link.risky_tld",
    } <= codes(found)


def test_credentials_in_a_url_are_not_the_user_at_host_trick(nobody: MailContext) -> None:
    found = signals_of(nobody, link("https://username:password@foobar.com/a/index.html"))
    assert "link.userinfo" not in codes(found)


def _new_domains(history: History, when: datetime, sender_domain: str, *urls: str) -> list[Signal]:
    message = mail(date=when, from_domain=sender_domain, urls=[link(u) for u in urls])
    return link_signals(message, campaign_context(history=history))


def test_new_domains_need_a_history() -> None:
    when = datetime(2024, 9, 19, 14, 42, tzinfo=UTC)
    history = History(
        link_domains={"briefing-archive.site": when, "nytimes.com": datetime(2024, 6, 1, tzinfo=UTC)}
    )
    found = _new_domains(
        history,
        when,
        "chesapeakemail.net",
        "https://briefing-archive.site/s/memo",
        "https://www.nytimes.com/a",
    )
    assert [s.evidence.split(":")[0] for s in found if s.signal == "link.new_domain"] == [
        "briefing-archive.site"
    ]
    alone = link_signals(
        mail(date=when, urls=[link("https://briefing-archive.site/s/memo")]), campaign_context()
    )
    assert "link.new_domain" not in codes(alone)


def test_a_new_domain_only_qualifies_a_suspect_link() -> None:
    # A 2002 newsletter from hard ham: an IP link and plain links to sites the workspace has not seen.
    when = datetime(2002, 8, 20, 9, 0, tzinfo=UTC)
    found = _new_domains(
        History(link_domains={}),
        when,
        "buy4now.ie",
        "http://194.69.198.130/servlet/ContentServer",
        "http://www.aib.ie/",
    )
    assert codes(found) == {"link.ip_host"}


def test_many_links_are_bounded(nobody: MailContext) -> None:
    links = [link(f"https://host{i}.example.top/") for i in range(MAX_LINKS * 3)]
    found = signals_of(nobody, *links)
    assert len(found) <= MAX_LINKS * 2
