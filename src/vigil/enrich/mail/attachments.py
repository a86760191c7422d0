"""Attachment signals: file types that phishing uses to carry a sign-in page or a program.

The file name and declared type are the sender's word; ``sniffed_type`` (from the first bytes, at
ingest) is what the file is. Both are used: a ``.pdf`` that is HTML is a mismatch. Archives cannot be
opened here (their bytes are not kept), so an archive counts as encrypted when the message gives its
password.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from vigil.enrich.mail.signals import Signal, signal
from vigil.enrich.mail.text import SCAN_CHARS, clean, fold

MAX_ATTACHMENTS = 50

_BY_EXTENSION: dict[str, str] = {
    **dict.fromkeys(("htm", "html", "shtml", "xhtml", "mht", "mhtml", "xht"), "attachment.html"),
    "svg": "attachment.svg",
    **dict.fromkeys(("iso", "img", "vhd", "vhdx"), "attachment.disk_image"),
    **dict.fromkeys(("lnk", "scf"), "attachment.shortcut"),
    **dict.fromkeys(
        ("exe", "scr", "pif", "com", "msi", "dll", "cpl", "msc", "gadget"), "attachment.executable"
    ),
    **dict.fromkeys(
        ("js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "ps1", "bat", "cmd", "jar", "xll", "reg"),
        "attachment.script",
    ),
    **dict.fromkeys(
        ("docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "sldm"), "attachment.macro_document"
    ),
    **dict.fromkeys(("one", "onepkg"), "attachment.onenote"),
}
_BY_SNIFF: dict[str, str] = {
    "html": "attachment.html",
    "svg": "attachment.svg",
    "iso9660": "attachment.disk_image",
    "vhd": "attachment.disk_image",
    "vhdx": "attachment.disk_image",
    "lnk": "attachment.shortcut",
    "pe": "attachment.executable",
    "elf": "attachment.executable",
    "onenote": "attachment.onenote",
}
_ARCHIVES = {"zip", "rar", "7z", "gz", "tgz", "ace", "arj", "cab", "tar", "bz2", "xz", "z"}
_ARCHIVE_SNIFF = {"zip", "rar", "7z", "gzip", "cab", "bzip2", "xz"}
#: What a file name promises, and the sniffed types that keep the promise.
_PROMISES: dict[str, set[str | None]] = {
    "pdf": {"pdf"},
    "doc": {"ole2", "rtf", "ooxml"},
    "xls": {"ole2", "ooxml"},
    "docx": {"ooxml", "zip"},
    "xlsx": {"ooxml", "zip"},
    "pptx": {"ooxml", "zip"},
    "jpg": {"jpeg"},
    "jpeg": {"jpeg"},
    "png": {"png"},
    "gif": {"gif"},
    "txt": {None},
    "zip": {"zip", "ooxml", "odf"},
}
_DECOYS = {
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "txt",
    "rtf",
    "csv",
}
_PASSWORD = re.compile(
    r"\b(?:password|passwort|kennwort|senha|mot de passe|contrasena|pwd)\b"
    r"\W{0,3}(?:is|ist|e|:|=)?\W{0,3}\S{3,}",
    re.IGNORECASE,
)


def _extensions(filename: str) -> list[str]:
    name = filename.strip().strip(".").lower().rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    parts = name.split(".")
    return [p.strip() for p in parts[1:]][-3:] if len(parts) > 1 else []


def attachment_signals(row: Mapping[str, Any], ctx: object = None) -> list[Signal]:
    out: list[Signal] = []
    seen: set[str] = set()
    body: str | None = None

    def add(code: str, evidence: str) -> None:
        if code not in seen:
            seen.add(code)
            out.append(signal(code, evidence))

    for item in (row.get("attachments") or [])[:MAX_ATTACHMENTS]:
        filename = item.get("filename") or ""
        sniffed = item.get("sniffed_type")
        if sniffed == "eml":  # a forwarded message: its own parts are judged as its own message
            continue
        shown = clean(filename or f"(unnamed {item.get('declared_type') or 'part'})", 80)
        exts = _extensions(filename)
        last = exts[-1] if exts else ""
        code = _BY_EXTENSION.get(last) or _BY_SNIFF.get(sniffed or "")
        if code:
            what = f"{shown}" + (f" (content: {sniffed})" if sniffed and sniffed not in (last, None) else "")
            add(code, what)
        if len(exts) >= 2 and exts[-2] in _DECOYS and (last in _BY_EXTENSION or last in _ARCHIVES):
            add("attachment.double_extension", f"{shown}: looks like .{exts[-2]}, is .{last}")
        promised = _PROMISES.get(last)
        if promised is not None and sniffed not in promised and sniffed in _BY_SNIFF:
            add("attachment.type_mismatch", f"{shown}: named .{last}, content is {sniffed}")
        if last in _ARCHIVES or sniffed in _ARCHIVE_SNIFF:
            if body is None:
                body = fold((row.get("body_text") or "")[:SCAN_CHARS])
            found = _PASSWORD.search(body)
            if found:
                add(
                    "attachment.encrypted_archive",
                    f"{shown}: the message gives a password ({clean(found.group(0), 40)!r})",
                )
    return out
