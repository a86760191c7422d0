"""What an attachment really is, from its first bytes (the declared type and name are the sender's word)."""

from __future__ import annotations

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "lnk"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"MZ", "pe"),
    (b"\x7fELF", "elf"),
    (b"MSCF", "cab"),
    (b"{\\rtf", "rtf"),
    (b"\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3", "onenote"),
    (b"vhdxfile", "vhdx"),
    (b"conectix", "vhd"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
]
_ISO_OFFSETS = (0x8001, 0x8801, 0x9001)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<meta", b"<iframe", b"<form")


def sniff_type(data: bytes) -> str | None:
    """pdf, zip, ooxml, odf, ole2, iso9660, lnk, html, svg, pe, rar, 7z, gzip, ... or None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"[Content_Types].xml" in data:
            return "ooxml"
        if data[30:38] == b"mimetype" and b"application/vnd.oasis.opendocument" in data[:200]:
            return "odf"
        return "zip"
    if any(data[offset : offset + 5] == b"CD001" for offset in _ISO_OFFSETS):
        return "iso9660"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_HTML_STARTS):
        return "html"
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in head:
        return "svg"
    if b"<html" in head:
        return "html"
    return None
