"""Lure language in several languages, the recipient's address as a greeting, hidden text."""

from __future__ import annotations

import pytest
from mail_rows import codes, mail

from vigil.enrich.mail import MailContext
from vigil.enrich.mail.lures import PATTERNS, PHRASES, compile_phrase, lure_signals


@pytest.mark.parametrize(
    ("subject", "body", "code"),
    [
        ("Action required: your password expires today", "", "lure.credential"),
        ("", "We noticed unusual sign-in activity. Verify your account within 24 hours.", "lure.credential"),
        ("", "The candidate's sign-in is the same as her campaign email.", "lure.credential"),
        ("Ihr Konto wurde gesperrt", "Bitte bestätigen Sie Ihre Kundendaten.", "lure.credential"),
        ("Houve um acesso", "Detectamos um acesso a sua conta em um novo dispositivo.", "lure.credential"),
        ("", "Alicia shared a document with you: Debate prep", "lure.shared_document"),
        ("Interview invitation: The Civic Brief podcast", "", "lure.invitation"),
        ("", "Please sign in to the guest portal before the recording.", "lure.invitation"),
        ("Urgent - wire for the media buy today", "", "lure.payment"),
        ("Sua encomenda foi taxada", "Regularize para evitar devolução", "lure.payment"),
        ("Ihr Paket wartet", "Zollgebühr noch offen", "lure.payment"),
        ("Congratulations, you have been selected", "Claim your reward now", "lure.prize"),
        ("Herzlichen Glückwunsch!", "Sie haben einen Gutschein gewonnen", "lure.prize"),
        ("Parabéns", "Você foi selecionado", "lure.prize"),
        ("", "I am the next of kin of a late client with funds to transfer", "lure.advance_fee"),
        ("", "Verify your wallet and enter your recovery phrase", "lure.crypto"),
        ("", "Please keep this between us until it's done.", "lure.secrecy"),
        ("Final notice", "", "lure.urgency"),
        ("", "Dear customer, your order", "lure.generic_greeting"),
    ],
)
def test_lure_language(subject: str, body: str, code: str) -> None:
    found = lure_signals(mail(subject=subject, body_text=body))
    assert code in codes(found), found
    assert all(s.category == "lure" and 0 < s.weight < 1 for s in found)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Re: [Webdev] hosting", "Heh, you won't find much on that site these days."),
        ("Java question", "Use inheritance and an abstract class for that."),
        ("Debate prep", "When: Thursday 2 PM. Where: HQ 3rd floor / Join Zoom Meeting"),
        ("Polling memo", "The latest tracking has us within the margin of error."),
        ("Canvass carpool", "Who can drive to Scranton on Saturday? Thanks for all your help."),
    ],
)
def test_ordinary_mail_has_no_lure(subject: str, body: str) -> None:
    assert lure_signals(mail(subject=subject, body_text=body)) == []


def test_every_phrase_compiles_with_a_plain_word() -> None:
    assert len(PHRASES) == sum(len(texts) for by_lang in PATTERNS.values() for texts in by_lang.values())
    for phrase in PHRASES:
        assert phrase.anchors and phrase.required, phrase.text
    with pytest.raises(ValueError, match="plain word"):
        compile_phrase("lure.test", "en", "verif* ~ accoun*")


def test_pattern_syntax() -> None:
    phrase = compile_phrase("lure.test", "en", "verify|confirm your? ~ account|login")
    assert phrase.regex.search("please verify your bank account")
    assert phrase.regex.search("confirm account")
    assert not phrase.regex.search("verify that the five other little things of account")
    assert compile_phrase("lure.test", "en", "sign-in page").regex.search("sign in page")


def test_recipient_address_in_subject_or_greeting() -> None:
    to = ["rodrigo-f-p@example.net"]
    assert "lure.recipient_address" in codes(lure_signals(mail(to_addrs=to, subject="rodrigo-f-p, you won")))
    found = lure_signals(mail(to_addrs=to, body_text="Dear rodrigo-f-p@example.net, your parcel"))
    assert "lure.recipient_address" in codes(found)
    # a first name is a greeting, a quoted reply's attribution is not one, and lists tag subjects
    assert not lure_signals(mail(to_addrs=["craig@example.net"], body_text="Craig, see below."))
    quoted = "rodrigo-f-p@example.net wrote:\n> earlier text"
    assert "lure.recipient_address" not in codes(lure_signals(mail(to_addrs=to, body_text=quoted)))
    listed = mail(to_addrs=["webdev@linux.ie"], subject="[webdev] Re: hosting", list_id="webdev.linux.ie")
    assert "lure.recipient_address" not in codes(lure_signals(listed))


def test_hidden_text(nobody: MailContext) -> None:
    found = lure_signals(mail(subject="Co\u073fnfi\u073frmation ne\u073fed\u073fed"), nobody)
    assert "lure.obfuscated_text" in codes(found)
    found = lure_signals(mail(subject="_Welcome_to_Our_Ninja_Juicer_Survey_Zone_"), nobody)
    assert "lure.obfuscated_text" in codes(found)
    found = lure_signals(mail(subject="[SAdev] [Bug 1054] New: Split up FROM_ENDS_IN_NUMS"), nobody)
    assert "lure.obfuscated_text" not in codes(found)


def test_brand_impersonation(nobody: MailContext, campaign: MailContext) -> None:
    row = mail(
        subject="Your Netflix account is suspended", from_domain="luc.edu", body_text="Update your payment."
    )
    assert "lure.brand_impersonation" in codes(lure_signals(row, nobody))
    own = row | {"from_domain": "netflix.com"}
    assert "lure.brand_impersonation" not in codes(lure_signals(own, nobody))
    memo = mail(
        from_domain="harperforamerica.org",
        body_text="Memo is in the shared folder <https://docs.google.com/document/d/x/edit>.",
    )
    assert "lure.brand_impersonation" not in codes(lure_signals(memo, campaign))


def test_long_hostile_text_is_bounded() -> None:
    body = ("verify " * 200_000) + "your account"
    found = lure_signals(mail(body_text=body, subject="x" * 100_000))
    assert all(len(s.evidence) < 200 for s in found)
