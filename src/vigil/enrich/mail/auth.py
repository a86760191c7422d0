"""Spoofing signals: authentication results, and who the sender claims to be.

Mailing lists rewrite subjects and add footers, which breaks DKIM and so DMARC for every poster; a
message with a ``List-Id`` therefore gets no authentication-failure signal (the list server's own
results stand in for the poster's). Mail from a protected organisation's domain that fails is the
exception: its own lists live on its own domain, so that check is kept for lists on other domains.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from vigil.enrich.domains import registered_domain
from vigil.enrich.mail.brands import FREEMAIL, PHISHING_TARGETS, BrandSpec
from vigil.enrich.mail.context import MailContext, name_key
from vigil.enrich.mail.signals import Signal, signal
from vigil.enrich.mail.text import clean, random_label

_ADDRESS = re.compile(r"[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})", re.IGNORECASE)
_DOMAIN = re.compile(r"(?<![\w@.-])((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w.-])", re.IGNORECASE)
_FAILS = ("fail", "softfail", "permerror")
#: Display names dressed in symbols ("#Kohls_Rewards#", "--Utimo--Aviso**", "_C0NSUMER__REWARDS__").
_ODD_NAME = re.compile(r"^\s*[_#*~=-]|[_#*~=]\s*$|[_*#~]{2}|[A-Za-z]_[A-Za-z].*_")
#: Words of an organisation's display name ("PayPal Support", "IT Helpdesk", "Protocolo 123").
_ORG_WORDS = re.compile(
    r"\b(?:support|team|service|services|security|department|dept|notification|notifications|alert|alerts|"
    r"billing|accounts?|customer|care|helpdesk|help desk|admin|administrator|administration|official|"
    r"protocolo|protocol|rewards?|wallet|bank|banking|gov|govbr|receita|delivery|shipping|tracking|courier|"
    r"kundenservice|kundendienst|atendimento|suporte|seguranca|servico|servicos|equipe|sicherheit|"
    r"verwaltung|abteilung)\b"
)


def _brand_names() -> tuple[re.Pattern[str], dict[str, BrandSpec], dict[str, BrandSpec]]:
    by_name = {name_key(n): b for b in PHISHING_TARGETS for n in b.names if not n.startswith("=")}
    whole = {name_key(n[1:]): b for b in PHISHING_TARGETS for n in b.names if n.startswith("=")}
    words = sorted(by_name, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    return pattern, by_name, whole


BRAND_NAMES, BRAND_BY_NAME, BRAND_BY_WHOLE_NAME = _brand_names()


def brand_named(text: str, whole: bool = False) -> BrandSpec | None:
    """The brand that a text (a display name, a subject) names, if any. Brand names that are ordinary
    words ("Ledger", "Target") count only as the whole text (``whole``: a display name)."""
    key = name_key(text)
    found = BRAND_NAMES.search(key)
    if found:
        return BRAND_BY_NAME[found.group(1)]
    return BRAND_BY_WHOLE_NAME.get(key) if whole else None


def _reg(domain: str | None) -> str:
    if not domain:
        return ""
    domain = domain.lower().strip(".")
    return registered_domain(domain) or domain


def _domain_of(address: str | None) -> str:
    return address.rsplit("@", 1)[1].lower().strip(".") if address and "@" in address else ""


def auth_signals(row: Mapping[str, Any], ctx: MailContext) -> list[Signal]:
    out: list[Signal] = []
    from_addr = (row.get("from_addr") or "").lower()
    from_domain = (row.get("from_domain") or _domain_of(from_addr)).lower()
    from_reg = _reg(from_domain)
    list_id = (row.get("list_id") or "").lower()
    dmarc, spf, dkim = ((row.get(k) or "").lower() for k in ("dmarc", "spf", "dkim"))
    results = f"dmarc={dmarc or 'none'} spf={spf or 'none'} dkim={dkim or 'none'}"

    protected_from = ctx.is_protected_domain(from_domain)
    own_list = bool(list_id) and any(list_id.endswith(d) for d in ctx.protected_domains)
    if protected_from and not own_list:
        unauthenticated = spf in _FAILS and dkim in ("fail", "none", "")
        if dmarc == "fail" or (dmarc in ("", "none") and unauthenticated):
            out.append(
                signal(
                    "auth.protected_domain_fails",
                    f"{from_domain}: a protected domain fails authentication ({results})",
                )
            )
    if not list_id:
        if dmarc == "fail" and not out:
            out.append(signal("auth.dmarc_fail", f"{from_domain}: DMARC fails ({results})"))
        if spf == "fail":
            out.append(signal("auth.spf_fail", f"{row.get('spf_domain') or from_domain}: SPF fails"))
        if dkim == "fail":
            out.append(
                signal("auth.dkim_fail", f"{row.get('dkim_domain') or from_domain}: a DKIM signature fails")
            )

    out += _display_name(row, ctx, from_addr, from_domain, from_reg, protected_from and dmarc != "fail")
    out += _domains(row, ctx, from_domain, from_reg, bool(list_id))
    return out


def _display_name(
    row: Mapping[str, Any],
    ctx: MailContext,
    from_addr: str,
    from_domain: str,
    from_reg: str,
    authenticated_protected: bool,
) -> list[Signal]:
    name = row.get("from_name") or ""
    if not name:
        return []
    out: list[Signal] = []
    key = name_key(name)
    padded = f" {key} "
    shown = f"{clean(name, 80)!r} <{clean(from_addr, 80)}>"
    for person in ctx.people:
        if from_addr in person.addresses or authenticated_protected:
            continue
        reversed_key = " ".join(person.key.split()[::-1])
        if f" {person.key} " in padded or f" {reversed_key} " in padded:
            role = f", {person.role}" if person.role else ""
            out.append(
                signal("sender.protected_person_name", f"{shown}: not an address of {person.name}{role}")
            )
            break
    for org in ctx.names:
        if f" {org.key} " in padded and from_reg not in {_reg(d) for d in org.domains}:
            out.append(
                signal("sender.protected_org_name", f"{shown}: names {org.name}, sent from {from_domain}")
            )
            break
    brand = brand_named(name, whole=True)
    if brand is not None:
        owner = ctx.lookalikes.owner(from_domain) if from_domain else None
        if owner is None or owner.name != brand.name:
            out.append(
                signal("sender.brand_name", f"{shown}: names {brand.name}, sent from {from_domain or '?'}")
            )
    shows = [*_ADDRESS.findall(name)]
    shows += [d for d in _DOMAIN.findall(name) if ctx.lookalikes.owner(d) is not None]  # "paypal.com"
    for found in shows:
        other = registered_domain(found.lower())
        if other and other != from_reg:
            out.append(signal("sender.address_in_name", f"{shown}: shows {clean(found, 80)}"))
            break
    if from_reg in FREEMAIL and brand is None and _ORG_WORDS.search(key):
        out.append(
            signal("sender.org_name_on_freemail", f"{shown}: an organisation's name on a free-mail address")
        )
    if _ODD_NAME.search(name):
        out.append(signal("sender.odd_name", f"{shown}: a name dressed in symbols"))
    return out


def _domains(
    row: Mapping[str, Any], ctx: MailContext, from_domain: str, from_reg: str, listed: bool
) -> list[Signal]:
    out: list[Signal] = []
    if from_domain:
        match = ctx.lookalikes.match(from_domain)
        if match is not None:
            code = "sender.lookalike_protected" if match.target.protected else "sender.lookalike_brand"
            out.append(signal(code, f"{from_domain}: the sender's domain {match.describe()}"))
        elif "xn--" in from_domain:
            out.append(signal("sender.punycode_domain", f"{from_domain}: an internationalised name"))
        if from_reg and random_label(from_reg):
            out.append(signal("sender.random_domain", f"{from_reg}: a name that looks machine-made"))
    for field, address in (("Reply-To", row.get("reply_to")), ("Return-Path", row.get("return_path"))):
        domain = _domain_of(address)
        if not domain or _reg(domain) == from_reg:
            continue
        match = ctx.lookalikes.match(domain)
        if match is not None:
            out.append(
                signal("sender.reply_to_lookalike", f"{domain}: the {field} domain {match.describe()}")
            )
            continue
        if field != "Reply-To" or listed:
            continue
        if _reg(domain) in FREEMAIL and from_reg not in FREEMAIL:
            out.append(signal("sender.reply_to_freemail", f"{domain}: Reply-To {clean(address or '', 80)}"))
        else:
            out.append(signal("sender.reply_to_differs", f"{domain}: Reply-To {clean(address or '', 80)}"))
    return out
