"""Lure language: what a message asks the reader to do, in English, German, Portuguese, French, Spanish.

Patterns are data: ``PATTERNS[signal][language]`` is a list of phrases in a small syntax, matched on
folded text (lower case, no accents, see ``text.fold``), so they are written without accents:

- words separated by spaces match words separated by any spaces or punctuation;
- ``a|b`` is one word out of several; ``verif*`` is any word starting with ``verif``;
- ``~`` stands for up to three words of anything; a word ending in ``?`` may be missing.

Every phrase needs one plain word (no ``*``): the phrases whose plain words are all absent from a
message are never tried, which keeps the scan to a few regular expressions per message. A new
language is a new key under each signal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vigil.enrich.mail.context import MailContext
from vigil.enrich.mail.signals import Signal, signal
from vigil.enrich.mail.text import SCAN_CHARS, clean, fold, hidden_in_words, math_letters, mixed_scripts
from vigil.enrich.mail.wording import wording_signal

PATTERNS: dict[str, dict[str, list[str]]] = {
    "lure.credential": {
        "en": [
            "verify|confirm|validate|update|reactivate|restore|unlock|secure your|the "
            "account|identity|password|mailbox|credentials|login",
            "password|passwords ~ expire|expires|expired|expiring|expiration",
            "keep|retain your current password",
            "unusual|suspicious|unrecognized|unauthorized|unknown "
            "sign|signin|login|log|activity|access|attempt",
            "your account|mailbox ~ suspended|locked|limited|disabled|restricted|deactivated|blocked|"
            "terminated|compromised|flagged",
            "your mailbox|storage ~ full|quota",
            "email quota",
            "sign|log in to|on ~ portal|confirm|verify|validate|review|restore",
            "sign|sign-in|login|credentials ~ same as ~ email|account|password",
            "re-enter|reenter|re-confirm|reconfirm your password|credentials|details",
            "security alert|notice|notification",
            "verify your identity|information|details",
        ],
        "de": [
            "konto|kundenkonto|zugang|account ~ gesperrt|eingeschrankt|deaktiviert|blockiert|suspendiert",
            "verifizieren|bestatigen|aktualisieren|entsperren ~ konto|daten|identitat|zugang|kundendaten|"
            "zugangsdaten|passwort",
            "konto|daten|identitat|zugang|zugangsdaten|kundendaten ~ verifizieren|bestatigen|aktualisieren",
            "ungewohnliche|verdachtige aktivitat|aktivitaten|anmeldung|anmeldeversuch",
            "sicherheits-pin|sicherheitspin|sicherheitszertifikat|sicherheitsupdate|sicherheitshinweis",
            "passwort|kennwort ~ lauft|ablauf|abgelaufen",
        ],
        "pt": [
            "confirme|atualize|verifique|valide|regularize|desbloqueie ~ "
            "dados|cadastro|conta|identidade|senha",
            "novo|outro|desconhecido dispositivo",
            "conta ~ bloqueada|suspensa|desativada|restrita|encerrada",
            "senha ~ expira|expirou|expirada",
            "cpf ~ cancelad*|suspens*|bloquead*|irregular|pendente|restricao",
        ],
        "fr": [
            "verifiez|confirmez votre compte|identite",
            "mettez a jour votre compte|identite",
            "votre mot de passe ~ expire",
            "votre compte ~ suspendu|bloque|desactive|restreint",
            "activite|connexion suspecte|inhabituelle",
        ],
        "es": [
            "verifique|confirme|actualice su|tu cuenta|identidad|contrasena",
            "su|tu cuenta ~ suspendida|bloqueada|expirado|expirada|desactivada",
        ],
        "nl": [
            "verifieer|bevestig|controleer uw|je account|gegevens|identiteit",
            "uw|je account ~ geblokkeerd|opgeschort|beperkt|verlopen",
            "ongebruikelijke|verdachte activiteit|aanmelding",
        ],
    },
    "lure.shared_document": {
        "en": [
            "shared|sent ~ document|documents|file|files|folder|doc|pdf|spreadsheet with you",
            "view|open|review|access|download ~ shared|secure|encrypted|protected "
            "document|documents|file|files|message|pdf",
            "shared folder|drive|document",
            "received|new|incoming|pending ~ fax|voicemail|efax",
            "voice message",
            "secure|encrypted message|messages|email",
            "docusign|e-signature|esignature|e-sign",
            "please review and sign",
        ],
        "de": [
            "dokument|datei|ordner ~ geteilt|freigegeben",
            "neues dokument",
            "neue datei",
            "sichere nachricht",
        ],
        "pt": ["documento|arquivo ~ compartilhad*", "visualizar|acessar documento|arquivo"],
        "fr": ["document|fichier ~ partage", "consulter le document"],
        "es": ["documento|archivo ~ compartido"],
    },
    "lure.invitation": {
        "en": [
            "invite|invites|invited|inviting you to ~ "
            "guest|speaker|interview|podcast|panel|show|appear|speak",
            "interview invitation|request",
            "podcast|webinar|panel ~ guest|invitation|appearance|interview",
            "guest portal|link",
            "recording room|studio|session",
            "be|join ~ a|our guest|panelist|speaker",
            "on our show|podcast|panel",
        ],
        "de": ["einladung ~ interview|podcast|gesprach|podium", "als gast ~ podcast|sendung"],
        "pt": ["convite ~ entrevista|podcast|painel", "participar ~ podcast|entrevista"],
        "fr": ["invitation ~ interview|podcast|entretien"],
        "es": ["invitacion ~ entrevista|podcast"],
    },
    "lure.payment": {
        "en": [
            "wire|wired|wiring ~ today|transfer|payment|funds|deposit|money|buy|invoice|account",
            "invoice|payment|remittance ~ attached|overdue|due|pending|failed|declined|confirmation|advice",
            "outstanding balance|invoice|payment|amount",
            "parcel|shipment|courier ~ held|hold|suspended|pending|failed|unpaid|customs|returned",
            "delivery ~ held|hold|suspended|unpaid|customs|fee",
            "customs fee|fees|duty|duties|clearance",
            "purchase|buy|get ~ gift cards|card",
            "refund ~ pending|approved|available|issued",
            "tax refund|rebate",
            "account|bank details|information ~ payment|transfer|wire",
            "update your payment|billing",
            "subscription|membership|order ~ renewed|charged|auto-renewal|processed",
            "auto-renewal|autorenewal",
            "successfully renewed",
            "has|have been renewed|charged|debited",
            "amount ~ charged|debited|deducted",
            "call|contact ~ cancel|refund|dispute ~ order|subscription|charge|renewal",
        ],
        "de": [
            "zahlung ~ fehlgeschlagen|ausstehend|erforderlich|abgelehnt",
            "rechnung ~ anbei|offen|uberfallig|ausstehend",
            "paket|sendung|lieferung ~ zoll|gebuhr|zuruckgehalten|zugestellt",
            "zollgebuhr|zollgebuhren|versandgebuhr|nachzahlung",
            "uberweisung|uberweisen",
        ],
        "pt": [
            "encomenda|pacote|mercadoria|pedido ~ taxad*|retid*|bloquead*|aguardando|tributad*",
            "boleto|fatura|nota fiscal",
            "pagamento ~ pendente|recusado|confirmad*|eletronico",
            "fiscalizacao aduaneira",
            "taxa ~ alfandeg*|importacao",
            "regularize|regularizacao",
        ],
        "fr": [
            "colis ~ livre|retenu|bloque|attente|livraison",
            "frais de livraison|douane|port",
            "paiement ~ refuse|echoue|attente",
            "facture impayee",
            "transfert ~ gele|bloque|suspendu",
        ],
        "es": ["paquete|envio ~ retenido|pendiente", "pago ~ pendiente|rechazado", "factura pendiente"],
        "nl": [
            "pakket|zending ~ tegengehouden|douane|niet bezorgd",
            "betaling ~ mislukt|achterstallig",
            "openstaande factuur",
        ],
    },
    "lure.prize": {
        "en": [
            "congratulations|congrats ~ won|winner|selected|chosen|prize|reward|eligible|qualified|lucky",
            "you ~ won|winner|selected|chosen|qualify|qualified|eligible",
            "claim|redeem your|the ~ reward|rewards|prize|gift|bonus|tokens|airdrop|voucher",
            "gift card|cards",
            "free spins|gift",
            "reward|prize|bonus ~ waiting|awaits|expires|claim",
            "sweepstakes|sweepstake|lottery|jackpot",
            "selected to receive",
            "survey ~ reward|gift|prize|complete|participate",
            "complete|take ~ short survey",
            "withdraw your",
            "score ~ released",
        ],
        "de": [
            "gluckwunsch|gluckwunsche",
            "herzlichen gluckwunsch",
            "gewonnen|gewinnen|gewinner|gewinnspiel",
            "gutschein|gutscheine|freispiele|willkommensbonus|pramie",
            "ausgewahlt|ausgewhalt|auserwahlten",
            "wir gratulieren",
            "umfrage ~ teilnehmen|belohnung|geschenk",
        ],
        "pt": [
            "parabens",
            "voce ~ ganhou|selecionado|selecionada|sorteado|sorteada",
            "premio|premiado|sorteio|brinde",
            "resgate|resgatar ~ pontos|premio|beneficio|bonus",
            "beneficio ~ liberado|autorizado|disponivel|aprovado",
            "valores a receber",
        ],
        "fr": ["felicitations", "vous avez gagne", "gagnant|gagnante", "tours gratuits", "carte cadeau"],
        "es": ["felicidades|felicitaciones", "has|ha ganado", "premio|sorteo", "giros gratis"],
        "nl": [
            "gefeliciteerd",
            "gewonnen|winnaar|kanshebbers",
            "cadeaukaart|cadeaubon|tegoedbon",
            "claim ~ terug|nu",
        ],
    },
    "lure.advance_fee": {
        "en": [
            "next of kin",
            "inheritance ~ fund|funds|claim|transfer|estate|sum",
            "business ~ proposal|venture|transaction ~ lucrative|mutual|benefit",
            "lucrative ~ business|venture|deal|transaction",
            "substantial amount",
            "utmost ~ care|confidentiality|discretion",
            "beneficiary ~ fund|funds|estate|late|deceased",
            "consignment|barrister",
            "compensation fund|payment|program|programme",
            "late|deceased ~ client|husband|father|wife",
            "transfer ~ the fund|funds|sum",
            "foreign partner|account",
            "atm card",
            "united nations ~ fund|compensation|payment",
        ],
        "de": ["erbschaft|erbe|nachlass", "millionen ~ dollar|euro", "begunstigter"],
        "pt": ["heranca", "beneficiario ~ fundo|fundos|falecido", "milhoes de dolares|euros"],
        "fr": ["millions de dollars|euros", "beneficiaire ~ fonds|heritage"],
        "es": ["herencia", "millones de dolares|euros", "beneficiario"],
    },
    "lure.crypto": {
        "en": [
            "airdrop|airdrops",
            "seed|recovery|secret phrase|phrases",
            "wallet ~ verification|verify|validate|validation|sync|synchronize|connect|suspended|compliance|"
            "restricted",
            "claim ~ tokens|token|usdt|eth|btc|xrp",
            "metamask",
            "trust wallet",
            "staking|staker ~ reward|rewards",
            "usd|btc|eth|usdt|bitcoin ~ binance|kraken|coinbase|bybit|blockchain|wallet",
            "withdraw|withdrawal ~ btc|usdt|bitcoin|crypto|balance|funds|winnings",
        ],
        "de": ["wallet ~ verifizieren|bestatigen|synchronisieren"],
        "pt": ["carteira ~ verificar|validar|sincronizar"],
        "fr": ["portefeuille ~ verifier|valider|synchroniser"],
        "es": ["billetera ~ verificar|validar"],
    },
    "lure.offer": {
        "en": [
            "casino|casinos",
            "free spins",
            "no deposit",
            "weight loss",
            "lose weight",
            "belly fat",
            "keto",
            "singles ~ near you",
            "singles ~ your area",
            "erectile|erection|viagra|cialis",
            "reverse mortgage",
            "cash offer",
            "miracle ~ cure|product|sheets",
            "timeshare",
            "extended|home warranty",
            "people search|finder",
            "find anyone",
            "background check",
            "credit score|scores ~ free",
        ],
        "de": [
            "casino|freispiele|einzahlung",
            "abnehmen|gewichtsverlust|kalorien|schlankheitssystem",
            "potenz|erektion|glied",
        ],
        "pt": ["cassino", "rodadas gratis", "emagrecer|emagrecimento"],
        "fr": ["casino", "perte de poids", "maigrir"],
        "es": ["giros gratis", "bajar de peso"],
        "nl": [
            "afvallen|gewichtsverlies",
            "daten|afspreken ~ singles|vrouwen",
            "gratis ~ toegang|proberen|app",
        ],
    },
    "lure.generic_greeting": {
        "en": [
            "dear customer|client|user|member|subscriber|beneficiary|sir|madam|account|valued|winner|friend",
            "hello|hi user|customer|client|member",
        ],
        "de": ["sehr geehrter|geehrte|lieber|liebe kunde|kundin|nutzer|benutzer|mitglied"],
        "pt": ["prezado|prezada|caro|cara cliente|usuario|beneficiario|associado"],
        "fr": ["cher|chere client|cliente|utilisateur|membre|abonne"],
        "es": ["estimado|estimada cliente|usuario|beneficiario"],
        "nl": ["beste|geachte klant|gebruiker|deelnemer"],
    },
    "lure.marketing": {
        "en": [
            "free quote|quotes|estimate|trial|gift|gifts",
            "compare ~ quotes|rates",
            "insurance quotes|rates|coverage",
            "overpaying",
            "personal loan|loans",
            "limited|exclusive|special offer|deal|deals",
            "hair growth|regrowth|loss",
            "numbness|tingling|neuropathy",
            "detox",
            "wrinkles|anti-aging",
            "walk-in tub|bathtub",
            "financing available",
            "no obligation",
        ],
        "de": [
            "kostenlos|kostenloses|kostenlose|kostenlosen|gratis ~ erhalten|sichern|testen|set",
            "nackenschmerzen|gelenkschmerzen",
            "exklusives|exklusiver|exklusive angebot|deal",
        ],
        "pt": ["gratis|gratuito|gratuita", "desconto|descontos", "oferta ~ exclusiva|especial"],
        "fr": ["offre ~ exclusive|speciale", "gratuit|gratuite", "regroupez ~ credits"],
        "es": ["oferta ~ exclusiva|especial", "gratis|gratuito"],
        "nl": [
            "besparen|bespaar",
            "energietarief|energietarieven|energierekening",
            "subsidie|subsidies",
            "gratis",
        ],
    },
    "lure.urgency": {
        "en": [
            "within|in 12|24|48|72 hours|hrs|h",
            "within the next 12|24|48|72 hours|hrs|h",
            "urgent|urgently",
            "respond|act|reply|verify|update|confirm|pay immediately",
            "expires|expire|expiring today|soon|tonight",
            "final notice|warning|reminder|attempt",
            "last chance|reminder|warning|notice|attempt",
            "act now",
            "account|access|service|mailbox|card|files|photos|data ~ will|may be closed|suspended|deleted|"
            "terminated|lost|cancelled|canceled|frozen|removed",
            "avoid ~ suspension|deactivation|termination|loss|closure|interruption",
            "action required|needed",
            "time sensitive",
            "before it expires",
            "before it is too late",
        ],
        "de": [
            "sofort|sofortige|umgehend|dringend",
            "letzte erinnerung|warnung|chance|mahnung",
            "innerhalb ~ 24|48|72 stunden",
            "handlungsbedarf",
            "handeln sie jetzt",
            "lauft ~ heute ab",
        ],
        "pt": [
            "imediatamente|urgente",
            "ultimo|ultima aviso|chance|notificacao",
            "24|48|72 horas",
            "evite|evitar ~ bloqueio|cancelamento|devolucao|suspensao",
            "prazo ~ final|expira",
        ],
        "fr": [
            "immediatement|urgent|urgente",
            "dernier|derniere rappel|avis|chance",
            "dans|sous 24|48|72 heures|h",
        ],
        "es": ["inmediatamente|urgente", "ultimo aviso", "24|48 horas"],
        "nl": ["onmiddellijk|direct actie", "laatste kans|herinnering|waarschuwing", "binnen 24|48 uur"],
    },
    "lure.secrecy": {
        "en": [
            "keep this|it ~ between us",
            "keep this|it confidential|quiet|secret",
            "keep this ~ to yourself",
            "dont|don ~ tell|mention|discuss ~ anyone|others",
            "not tell|mention|discuss ~ anyone|others",
            "between you and me",
            "strictly confidential",
            "between events",
            "in a meeting ~ can|cannot",
            "can|cannot ~ call|talk ~ now|today|right",
            "are you available ~ quick|task|favor|favour",
        ],
        "de": ["streng vertraulich", "unter uns", "niemandem ~ sagen|erzahlen"],
        "pt": ["sigilo|sigiloso|sigilosa", "entre nos"],
        "fr": ["strictement confidentiel", "entre nous"],
        "es": ["estrictamente confidencial", "entre nosotros"],
    },
}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words too common to decide whether a phrase is worth trying.
_COMMON = _word_set(
    """
    a an the to of in on at by for from with and or is are be been was were will may can you your it
    this that our we us me my i not do de da do em um uma o os as seu sua se que la le les des du un une
    votre vous nous est et el los las su tu es en por con der die das und ist sie ihr ihre zu mit von
    den im ein eine h hrs
    """
)


@dataclass(frozen=True)
class Phrase:
    signal: str
    language: str
    text: str
    regex: re.Pattern[str]
    anchors: frozenset[str]  # the words it is indexed by (one of them must be in the message)
    required: tuple[frozenset[str], ...]  # one word of each set must be in the message


def _word(token: str) -> tuple[str, frozenset[str]]:
    alternatives = token.split("|")
    parts = []
    plain = True
    for alt in alternatives:
        if alt.endswith("*"):
            parts.append(re.escape(alt[:-1]) + r"\w*")
            plain = False
        else:
            parts.append(re.escape(alt).replace(r"\-", r"\W?").replace(r"\ ", r"\W+"))
    anchors = frozenset(a.split("-")[0] for a in alternatives) if plain else frozenset()
    return "(?:" + "|".join(parts) + ")", anchors


def compile_phrase(signal_code: str, language: str, text: str) -> Phrase:
    """One phrase of ``PATTERNS`` as a regular expression, with the words that must be present."""
    pieces: list[str] = []
    anchor_sets: list[frozenset[str]] = []
    gap = r"\W+"
    for token in text.split():
        if token == "~":
            gap = r"\W+(?:\w+\W+){0,3}"
            continue
        optional = token.endswith("?") and len(token) > 1
        body, anchors = _word(token.rstrip("?") if optional else token)
        if anchors and not optional:
            anchor_sets.append(anchors)
        piece = (gap if pieces else "") + body
        pieces.append(f"(?:{piece})?" if optional else piece)
        gap = r"\W+"
    if not anchor_sets:
        raise ValueError(f"phrase {text!r} of {signal_code}/{language} needs one plain word")
    anchors = min(anchor_sets, key=lambda s: (bool(s & _COMMON), len(s), -min(map(len, s))))
    regex = re.compile(r"(?<!\w)" + "".join(pieces) + r"(?!\w|['’]\w)")
    return Phrase(signal_code, language, text, regex, anchors, tuple(anchor_sets))


def _compile() -> tuple[list[Phrase], dict[str, list[Phrase]]]:
    phrases = [
        compile_phrase(code, lang, text)
        for code, by_language in PATTERNS.items()
        for lang, texts in by_language.items()
        for text in texts
    ]
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        for anchor in phrase.anchors:
            index.setdefault(anchor, []).append(phrase)
    return phrases, index


PHRASES, _BY_ANCHOR = _compile()
_ANCHORS = frozenset().union(
    *(req for phrase in PHRASES for req in phrase.required)
)  # every word that matters
_WORDS = re.compile(r"\w+")


#: Lures that, in a brand's name and from outside the brand, make an impersonation.
_ASKS = ("lure.credential", "lure.payment", "lure.prize", "lure.crypto", "lure.shared_document")
#: Characters at the start of the body where a greeting or a personalised first line sits.
_GREETING_CHARS = 300
_NOT_A_NAME = re.compile(r"[^a-z]")
_MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:€|\$|usd|eur|euros?)\b|R\$\s?\d", re.IGNORECASE)
_URLS = re.compile(r"\S+@\S+|<?(?:https?://|www\.)\S+")
#: Capitalised words with a digit for a letter (IMP0RTANT, C0NSUMER, V1AGRA), and words_joined_by_underscores.
_LEET = re.compile(r"\b[A-Z]{2,}[01][A-Z]{2,}\b|\b[A-Z][01][A-Z]{3,}\b")
_UNDERSCORED = re.compile(r"(?:^|\s)_?[A-Za-z][a-z]+(?:_+[A-Za-z0-9][a-z0-9-]*){3,}_?(?:\s|$)")
#: An address followed by these is an attribution line of a quoted reply, not a greeting.
_QUOTING = re.compile(r"[^\n]{0,30}?\b(?:wrote|writes|said|schrieb|escreveu|ecrit|écrit|escribio)\b")


def lure_signals(row: Mapping[str, Any], ctx: MailContext | None = None) -> list[Signal]:
    subject = row.get("subject") or ""
    body = (row.get("body_text") or "")[:SCAN_CHARS]
    folded_subject, folded_body = fold(subject[:1000]), fold(body)
    out: list[Signal] = []
    texts = (
        ("subject", folded_subject, _ANCHORS.intersection(_WORDS.findall(folded_subject))),
        ("body", folded_body, _ANCHORS.intersection(_WORDS.findall(folded_body))),
    )
    tried: set[int] = set()
    found: dict[str, tuple[str, str, str]] = {}
    for word in sorted(texts[0][2] | texts[1][2]):
        for phrase in _BY_ANCHOR.get(word, ()):
            if id(phrase) in tried or phrase.signal in found:
                continue
            tried.add(id(phrase))
            for where, text, words in texts:  # only where every word the phrase needs is present
                if any(words.isdisjoint(req) for req in phrase.required):
                    continue
                m = phrase.regex.search(text)
                if m:
                    found[phrase.signal] = (where, m.group(0), phrase.language)
                    break
    for code in sorted(found):
        where, matched, language = found[code]
        out.append(signal(code, f"the {where} says {clean(matched, 80)!r} ({language})"))

    if not row.get("list_id"):
        recipient = _recipient_address(subject, body[:_GREETING_CHARS], row)
        if recipient:
            out.append(signal("lure.recipient_address", recipient))
    if ctx is not None and any(code in found for code in _ASKS):
        impersonation = _brand_impersonation(folded_subject, folded_body[:500], row, ctx)
        if impersonation:
            out.append(signal("lure.brand_impersonation", impersonation))

    wording = wording_signal(folded_subject + "\n" + folded_body)
    if wording:
        out.append(wording)
    loud = _loud(subject)
    if loud:
        out.append(signal("lure.loud_subject", f"subject: {loud}"))
    name = row.get("from_name") or ""
    hidden = hidden_in_words(subject) + hidden_in_words(name) + hidden_in_words(body)
    mixed = mixed_scripts(subject) + mixed_scripts(name) + mixed_scripts(body[:2000])
    styled = math_letters(subject) + math_letters(name)
    leet = len(_LEET.findall(subject)) + len(_LEET.findall(name))
    if hidden >= 2:
        out.append(
            signal("lure.obfuscated_text", f"{hidden} invisible characters or stray marks inside words")
        )
    elif mixed >= 2:
        out.append(
            signal("lure.obfuscated_text", f"{mixed} Latin words spelled with Cyrillic or Greek letters")
        )
    elif styled >= 4:
        out.append(
            signal("lure.obfuscated_text", f"{styled} letters from mathematical or full-width alphabets")
        )
    elif leet or _UNDERSCORED.search(subject):
        out.append(
            signal(
                "lure.obfuscated_text",
                f"subject: words spelled with digits or joined by underscores ({clean(subject, 60)!r})",
            )
        )
    return out


def _loud(subject: str) -> str | None:
    letters = [c for c in subject[:500] if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return "written in capitals"
    if subject.count("!") >= 2:
        return "several exclamation marks"
    money = _MONEY.search(subject)
    return f"a sum of money ({clean(money.group(0), 20)!r})" if money else None


def _recipient_address(subject: str, opening: str, row: Mapping[str, Any]) -> str | None:
    """Where the recipient's own address stands in for a name: in the subject or the first lines."""
    reply_to = (row.get("reply_to") or "").lower()
    for address in [a.lower() for a in (row.get("to_addrs") or [])[:20] if a and "@" in a]:
        if address == reply_to:  # a list writing to itself
            continue
        local = address.split("@", 1)[0]
        # a local part alone counts when it cannot be a first name ("rodrigo-f-p", not "craig")
        needles = [address, local] if len(local) >= 5 and _NOT_A_NAME.search(local) else [address]
        for where, text in (("subject", subject.lower()), ("greeting", opening.lower())):
            for needle in needles:
                at = _standalone(text, needle)
                if at >= 0 and not _QUOTING.match(text, at + len(needle)):
                    return f"{where}: contains {clean(needle, 80)}, the recipient's address"
    return None


def _standalone(text: str, needle: str) -> int:
    """Where ``needle`` stands in ``text`` as a word of its own (not inside <...>, an address or a tag)."""
    at = text.find(needle)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(needle)] if at + len(needle) < len(text) else " "
        if not (before.isalnum() or before in "[.<-_:") and not (after.isalnum() or after in "].-_@>"):
            return at
        at = text.find(needle, at + 1)
    return -1


def _brand_impersonation(subject: str, opening: str, row: Mapping[str, Any], ctx: MailContext) -> str | None:
    from vigil.enrich.mail.auth import brand_named

    domain = (row.get("from_domain") or "").lower()
    if ctx.is_protected_domain(domain):
        return None
    brand = brand_named(_URLS.sub(" ", subject)) or brand_named(_URLS.sub(" ", opening))
    if brand is None:
        return None
    owner = ctx.lookalikes.owner(domain) if domain else None
    if owner is not None and owner.name == brand.name:
        return None
    return f"speaks for {brand.name}, sent from {domain or '?'}"
