"""Risky attachments, judged by name and by content."""

from __future__ import annotations

from typing import Any

from mail_rows import codes, mail

from vigil.enrich.mail.attachments import MAX_ATTACHMENTS, attachment_signals


def part(
    filename: str | None, sniffed: str | None, declared: str = "application/octet-stream"
) -> dict[str, Any]:
    return {
        "filename": filename,
        "declared_type": declared,
        "sniffed_type": sniffed,
        "size": 10,
        "sha256": "0" * 64,
    }


def test_risky_types() -> None:
    found = attachment_signals(
        mail(
            attachments=[
                part("Password_Expiry_Notice.htm", "html"),
                part("invoice.pdf.exe", "pe"),
                part("Scan.pdf", "html"),
                part("photos.iso", "iso9660"),
                part("Order.lnk", "lnk"),
                part("Budget.xlsm", "zip"),
                part("drawing.svg", "svg"),
                part("run.js", None),
                part(None, "html"),
            ]
        )
    )
    assert {
        "attachment.html",
        "attachment.double_extension",
        "attachment.executable",
        "attachment.type_mismatch",
        "attachment.disk_image",
        "attachment.shortcut",
        "attachment.macro_document",
        "attachment.svg",
        "attachment.script",
    } <= codes(found)


def test_an_archive_whose_password_is_in_the_message() -> None:
    row = mail(attachments=[part("Rechnung.zip", "zip")], body_text="Das Passwort ist: 4711x")
    assert "attachment.encrypted_archive" in codes(attachment_signals(row))
    assert (
        attachment_signals(mail(attachments=[part("source.zip", "zip")], body_text="Source attached.")) == []
    )


def test_ordinary_attachments_and_forwarded_messages() -> None:
    row = mail(
        attachments=[
            part("report.pdf", "pdf"),
            part("photo.jpg", "jpeg"),
            part(None, "eml", "message/rfc822"),
        ]
    )
    assert attachment_signals(row) == []


def test_hostile_names_are_bounded() -> None:
    row = mail(attachments=[part("a" * 5000 + "\u202e\n.htm", "html")] * (MAX_ATTACHMENTS * 2))
    found = attachment_signals(row)
    assert len(found) == 1 and len(found[0].evidence) < 200 and "\n" not in found[0].evidence
