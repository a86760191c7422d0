"""The summary of a per-message mail finding."""

from __future__ import annotations

from vigil.enrich.mail.per_message import explain


def test_the_summary_names_the_strongest_reasons_first() -> None:
    row = {
        "sender": "it-support@xn--harperforamerca-k3m.org",
        "to_addrs": ["hannah.cho@harperforamerica.org"],
        "subject": "Action required: your password expires today",
        "score": 0.88,
        "advice": "Report the message.",
        "reasons": [
            "lure.phishing_words: 3 word(s) far more common in phishing than in everyday mail: dear",
            "lure.urgency: the subject says 'today' (en)",
            "attachment.html: Password_Expiry_Notice.htm (content: html)",
            "lure.credential: the subject says 'password expires' (en)",
            "lure.recipient_address: greeting: contains hannah.cho@harperforamerica.org",
        ],
    }
    text = explain(row)
    why = text.split("Why: ", 1)[1]
    assert why.startswith("Password_Expiry_Notice.htm (content: html); the subject says 'password expires'")
    assert "far more common in phishing" not in text  # the weakest of five is left out
    assert "the subject says 'today'" in text
