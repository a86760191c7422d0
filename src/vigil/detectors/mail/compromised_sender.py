"""Compromised trusted sender: a known correspondent's real account, taken over, sends a link.

The case that matters most in 2024: a senior campaign official received mail from the real personal
account of a former adviser, hijacked by the attacker. It passed SPF, DKIM and DMARC, it was a "fake
forward", and its link went through an attacker-owned domain. Authentication and content filters let
it through; a model of how each sender normally writes does not.

For every sender the detector learns, from the mailbox history, habits that someone holding only the
password does not share: the networks the mail leaves from (the client address of the first public
hop, as a /24 and a /16), the mail program (X-Mailer / User-Agent and the shape of its Message-IDs),
the computer's name in the first ``Received`` hop, the UTC hours they write at, whom they write to,
the domains they link to and whether they forward. A message

- from a sender with at least ``min_history`` earlier messages over ``min_history_days`` days,
- that authenticates (DMARC pass, or SPF and DKIM pass: the real account),
- that is not list or newsletter traffic (no ``List-Id``),
- that carries a link to a registered domain first seen in this workspace's mail less than
  ``new_domain_hours`` before it (by default: never seen before),
- and that departs from the sender's habits on at least ``min_departures`` of four axes — network,
  device (mail program or computer), hour, and thread (a forward whose history never passed through
  this mailbox: a fake forward) —

is a finding. It names the probably-hijacked account as a victim, the recipients as targets, the
link's domain, URL and (when the network is new) the sending address as actor infrastructure, with a
``score`` (0..1) and ``reasons`` (each with its evidence) in its details. Countries of the networks
come from bundled RIR data (iptocc) and appear in the summary; no URL is ever fetched.

One Ibis expression, identical on DuckDB and Spark: cheap per-message features and window functions
pick the candidates first (authenticated, not a list, new link domain, enough history), then each
candidate is joined with its sender's earlier messages (within ``lookback_days``) to measure the
departures, so the cost follows the candidates and the senders' volume, not the square of the mailbox.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import iptocc

from vigil.detect.api import Case, detector

# -- language-dependent markers (English first; each language adds its own words) -------------------

REPLY_PREFIXES = {"en": ("re",), "de": ("aw",), "pt": ("res",), "sv": ("sv",)}
FORWARD_PREFIXES = {"en": ("fwd", "fw"), "de": ("wg",), "pt": ("enc",), "fr": ("tr",), "es": ("rv",)}
FORWARD_MARKERS = {
    "en": ("forwarded message", "begin forwarded message"),
    "de": ("weitergeleitete nachricht",),
    "pt": ("mensagem encaminhada",),
    "fr": ("message transféré",),
    "es": ("mensaje reenviado",),
}
QUOTED_FROM = {"en": ("from",), "de": ("von",), "pt": ("de",), "fr": ("de",)}
QUOTED_SUBJECT = {
    "en": ("subject",),
    "de": ("betreff",),
    "pt": ("assunto",),
    "fr": ("objet",),
    "es": ("asunto",),
}


def _words(table: Mapping[str, Sequence[str]]) -> str:
    return "|".join(sorted({w for words in table.values() for w in words}))


_PREFIX = rf"({_words(REPLY_PREFIXES)}|{_words(FORWARD_PREFIXES)})\s*(\[[0-9]+\])?\s*:\s*"
FORWARD_SUBJECT = rf"(?i)^\s*(({_words(REPLY_PREFIXES)})\s*:\s*)*({_words(FORWARD_PREFIXES)})\s*:"
FORWARD_BODY = rf"(?i)({_words(FORWARD_MARKERS)})"
_QUOTED_FROM = rf"(?i)\n[ \t>]*({_words(QUOTED_FROM)})\s*:[^\r\n]*?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)"
_QUOTED_SUBJECT = rf"(?i)\n[ \t>]*({_words(QUOTED_SUBJECT)})\s*:[ \t]*([^\r\n]*)"

#: How much each departure adds to the score (capped at 1).
WEIGHTS = {
    "new link domain": 0.3,
    "new network": 0.25,
    "new device": 0.2,  # a new mail program (COMPUTER_ONLY when only the computer's name is new)
    "unusual hour": 0.15,
    "fake forward": 0.25,
    "new recipient": 0.05,
}

COMPUTER_ONLY = 0.15
MAX_RECIPIENTS = 100  # named as targets; the note names five

_SEEN = ("net24", "net16", "client", "style", "machine", "rcpt", "forward")  # is the value known?
_SHOWN_AXES = ("net24", "client", "style", "machine", "rcpt", "link")  # named in the evidence
_SHOWN = 5  # values of a habit named in the evidence
_CLIP = 80  # characters of an attacker-written value named in the evidence
_EMPTY = ibis.literal([], type="array<string>")


# -- features of one message ------------------------------------------------------------------


def _program(header: ir.StringValue) -> ir.StringValue:
    """The mail program's name without its version: "Thunderbird", "Microsoft Outlook", "iPhone Mail"."""
    product = header.re_extract(r"([A-Za-z][A-Za-z._-]*)/[0-9][^ ]*\s*$", 1).nullif("")
    cut = header.re_replace(r"[(*\[0-9].*", "").re_replace(r"[\s/;:,-]+$", "").strip().nullif("")
    return product.coalesce(cut)


_ADDRESS_IN_NAME = r"[0-9]+[-.][0-9]+[-.][0-9]+[-.][0-9]+"
_UUID = r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$"


def _shape(local: ir.StringValue) -> ir.StringValue:
    """The shape of a Message-ID's left part: a UUID, Outlook's ``$``-separated hex, digits, ..."""
    return ibis.cases(
        (local.re_search(_UUID), "UUID"),
        (local.re_search(_UUID.replace("A-F", "a-f")), "uuid"),
        (local.re_search(r"\$"), "$-hex"),
        (local.re_search(r"^[0-9.]+$"), "digits"),
        (local.re_search(r"^[0-9A-F]+$"), "HEX"),
        (local.re_search(r"^[0-9a-f.]+$"), "hex"),
        (local.re_search(r"^[0-9A-Z.]+$"), "UPPER"),
        (local.re_search(r"^[0-9a-z.]+$"), "lower"),
        else_="mixed",
    )


def _features(e: ir.Table) -> ir.Table:
    """Per-message habits, in two steps so that each expression is compiled once."""
    hops = e.received.length().coalesce(0)
    ip = e.client_ip.lower()
    v6 = ip.contains(":")
    # 1.2.3.4 -> 1.2.3.0/24 and 1.2.0.0/16; 2603:10b6:806:... -> 2603:10b6:806::/48 and 2603:10b6::/32
    raw = e.mutate(
        _xm=_program(e.x_mailer),
        _ua=_program(e.user_agent),
        _local=e.message_id.re_extract(r"^(.*)@[^@]*$", 1),
        _mdomain=e.message_id.re_extract(r"@([^@]*)$", 1).lower().re_replace(r"[0-9]+", "#"),
        _helo=ibis.ifelse(hops > 0, e.received[hops - 1].from_host, ibis.null("string")),
        _n24=ibis.ifelse(
            v6,
            ip.re_extract(r"^([0-9a-f]*:[0-9a-f]*:[0-9a-f]*)", 1).concat("::/48"),
            ip.re_extract(r"^([0-9]+\.[0-9]+\.[0-9]+)\.[0-9]+$", 1).concat(".0/24"),
        ),
        _n16=ibis.ifelse(
            v6,
            ip.re_extract(r"^([0-9a-f]*:[0-9a-f]*)", 1).concat("::/32"),
            ip.re_extract(r"^([0-9]+\.[0-9]+)\.[0-9]+\.[0-9]+$", 1).concat(".0.0/16"),
        ),
    )
    r = raw
    both = r._xm.notnull() & r._ua.notnull() & (r._xm != r._ua)
    out = raw.mutate(
        net24=ibis.ifelse(r._n24.isin([".0/24", "::/48"]), ibis.null("string"), r._n24),
        net16=ibis.ifelse(r._n16.isin([".0.0/16", "::/32"]), ibis.null("string"), r._n16),
        client=ibis.ifelse(
            both, r._xm.concat(" + ", r._ua), r._xm.coalesce(r._ua, "no X-Mailer or User-Agent")
        ).substr(0, _CLIP),
        style=ibis.ifelse(
            r._local.coalesce("") == "", "none", _shape(r._local).concat("@", r._mdomain.substr(0, _CLIP))
        ),
        machine=ibis.cases(
            (r._helo.isnull(), "none"),
            (r._helo.re_search(r"^[0-9.]+$|:"), "an address literal"),
            # a name made of the dynamic address (host213-121-126-176.btopenworld.com) names the network
            (
                r._helo.re_search(_ADDRESS_IN_NAME),
                r._helo.lower().re_replace(r"[0-9]+", "#").substr(0, _CLIP),
            ),
            else_=r._helo.lower().substr(0, _CLIP),
        ),
    )
    return out.drop("_xm", "_ua", "_local", "_mdomain", "_helo", "_n24", "_n16")


def normalized_subject(subject: ir.StringValue) -> ir.StringValue:
    """Lower case, without reply and forward prefixes: what a forwarded block quotes."""
    return subject.lower().re_replace(rf"^\s*({_PREFIX})+", "").strip()


def messages(emails: ir.Table) -> ir.Table:
    """One row per message with its features (copies of one Message-ID in several mailboxes count once:
    ``record_ids`` lists them, ``record_id`` is the one read). Bodies stay behind: only candidates need
    them, and windows and joins over narrow rows are what keeps a large mailbox cheap."""
    e = emails.filter(emails.date.notnull() & emails.from_addr.notnull() & (emails.from_addr != ""))
    e = e.mutate(mkey=e.message_id.coalesce(e.record_id))
    keys = e.select("record_id", "mkey")
    keys = keys.mutate(
        record_ids=keys.record_id.collect().over(group_by=keys.mkey),
        _copy=ibis.row_number().over(group_by=keys.mkey, order_by=keys.record_id),
    )
    keep = keys.filter(keys._copy == 0).select("record_id", "record_ids")
    m = e.drop("body_text", "attachments", "source", "source_offset").join(keep, "record_id")
    m = m.mutate(
        sender=m.from_addr.lower().strip(),
        hour=m.date.hour().cast("string").lpad(2, "0"),
        rcpts=m.to_addrs.coalesce(_EMPTY)
        .concat(m.cc_addrs.coalesce(_EMPTY))
        .map(lambda a: a.lower())
        .unique()
        .sort(),  # list_distinct keeps no order on DuckDB
        forward=ibis.ifelse(m.subject.coalesce("").re_search(FORWARD_SUBJECT), "yes", "no"),
        authenticated=(m.dmarc.lower() == "pass") | ((m.spf.lower() == "pass") & (m.dkim.lower() == "pass")),
    )
    return _features(m).select(
        "mkey",
        "record_id",
        "record_ids",
        "date",
        "sender",
        "from_name",
        "from_domain",
        "subject",
        "message_id",
        "in_reply_to",
        "references",
        "list_id",
        "urls",
        "client_ip",
        "spf",
        "dkim",
        "dmarc",
        "authenticated",
        "hour",
        "rcpts",
        "forward",
        "net24",
        "net16",
        "client",
        "style",
        "machine",
    )


def _link_domains(m: ir.Table) -> ir.ArrayValue:
    empty = ibis.literal([], type=m.urls.type())
    return m.urls.coalesce(empty).map(lambda u: u.registered_domain.coalesce(u.host).lower()).unique()


def fresh_links(m: ir.Table, new_domain_hours: int) -> ir.Table:
    """Per message, its links to registered domains first seen in this mailbox's mail (in a link or as
    a sender's domain) in that message or less than ``new_domain_hours`` before it."""
    u = m.select(m.mkey, m.date, m.from_domain, u=m.urls.unnest())
    linked = u.select(
        u.mkey,
        u.date,
        domain=u.u.registered_domain.coalesce(u.u.host).lower(),
        host=u.u.host.lower(),
        url=u.u.url.substr(0, 300),
        text=u.u.text.substr(0, _CLIP),
    )
    sent = m.select(
        m.mkey,
        m.date,
        domain=m.from_domain.lower(),
        host=ibis.null("string"),
        url=ibis.null("string"),
        text=ibis.null("string"),
    )
    seen = ibis.union(linked, sent, distinct=False)
    seen = seen.filter(seen.domain.notnull() & (seen.domain != ""))
    seen = seen.mutate(domain_first=seen.date.min().over(group_by=seen.domain))
    fresh = seen.filter(
        seen.url.notnull() & (seen.domain_first >= seen.date - ibis.interval(hours=new_domain_hours))
    )
    good_text = fresh.text.notnull() & (fresh.text != "")
    return fresh.group_by("mkey").aggregate(
        link_domains=fresh.domain.collect(distinct=True).sort()[:_SHOWN],
        link_hosts=fresh.host.collect(distinct=True).sort()[:_SHOWN],
        link_urls=fresh.url.collect(distinct=True).sort()[:3],
        link_text=fresh.text.collect(distinct=True, where=good_text).sort()[:3],
        domain_first=fresh.domain_first.min(),
    )


def known_threads(m: ir.Table) -> ir.Table:
    """The messages whose In-Reply-To or References name a message of this mailbox."""
    refs = m.select(
        r_key=m.mkey, ref=ibis.array([m.in_reply_to]).concat(m.references.coalesce(_EMPTY)).unnest()
    )
    ids = m.select(known_id=m.message_id)
    return refs.join(ids, refs.ref == ids.known_id).select("r_key").distinct()


def habits(m: ir.Table) -> ir.Table:
    """Every message's value on every axis, one row each: (h_key, h_sender, h_date, axis, value).

    Axes: msg (one row per message), net24, net16, client, style, machine, hour, forward, rcpt (one row
    per recipient) and link (one per link domain)."""

    def kv(name: str, value: Any) -> ir.StructValue:
        return ibis.struct({"axis": ibis.literal(name), "value": value})

    fixed = ibis.array(
        [
            kv("msg", ibis.literal("")),
            kv("net24", m.net24),
            kv("net16", m.net16),
            kv("client", m.client),
            kv("style", m.style),
            kv("machine", m.machine),
            kv("hour", m.hour),
            kv("forward", m.forward),
        ]
    )
    to = m.rcpts.map(lambda r: kv("rcpt", r))
    linked = _link_domains(m).map(lambda d: kv("link", d))
    h = m.select(h_key=m.mkey, h_sender=m.sender, h_date=m.date, kv=fixed.concat(to, linked).unnest())
    h = h.select(h.h_key, h.h_sender, h.h_date, axis=h.kv.axis, value=h.kv.value)
    return h.filter((h.value.notnull() & (h.value != "")) | (h.axis == "msg"))


# -- the detector ------------------------------------------------------------------------------


def _top(values: ir.StringValue, counts: ir.IntegerValue, where: ir.BooleanValue) -> ir.StringValue:
    """ "a (12), b (3)": the most frequent values first, at most _SHOWN; null when there are none."""
    rank = (9_999_999 - counts).cast("string").lpad(7, "0")
    shown = rank.concat("\t", values, " (", counts.cast("string"), ")").collect(where=where).sort()[:_SHOWN]
    return shown.map(lambda s: s.re_replace(r"^[0-9]+\t", "")).join(", ").nullif("")


def _baseline(c: ir.Table, h: ir.Table, lookback_days: int) -> ir.Table:
    """Each candidate against its sender's earlier messages: is each of its values known, and what were
    the sender's habits (most frequent values first)? One row per candidate, its own columns kept (in
    ``payload``, so that the candidates are read once)."""
    keep = [n for n in c.columns if n not in ("mkey", "sender", "date")]
    cand = c.select(
        c_key=c.mkey,
        c_sender=c.sender,
        c_date=c.date,
        payload=ibis.struct({n: c[n] for n in keep}),
    )
    p = cand.join(
        h,
        [
            cand.c_sender == h.h_sender,
            h.h_date < cand.c_date,
            h.h_date >= cand.c_date - ibis.interval(days=lookback_days),
        ],
    )
    a, v, x = p.axis, p.value, p.payload
    known = ibis.cases(
        (a == "net24", v == x.net24),
        (a == "net16", v == x.net16),
        (a == "client", v == x.client),
        (a == "style", v == x.style),
        (a == "machine", v == x.machine),
        (a == "forward", v == x.forward),
        (a == "rcpt", x.rcpts.contains(v)),
        else_=False,
    ).coalesce(False)
    gap = (ibis.ifelse(a == "hour", v, "0").cast("int64") - x.hour.cast("int64")).abs()  # casts hours only
    pv = p.group_by(["c_key", "c_sender", "c_date", "axis", "value"]).aggregate(
        n=p.count(),
        known=known.any(),
        gap=ibis.ifelse(a == "hour", ibis.least(gap, 24 - gap), ibis.null("int64")).min(),
        first=p.h_date.min(),
        payload=p.payload.first(),
    )

    def on(axis: str) -> ir.BooleanValue:
        return pv.axis == axis

    base = pv.group_by(mkey=pv.c_key, sender=pv.c_sender, date=pv.c_date).aggregate(
        payload=pv.payload.first(),
        earlier=pv.n.sum(where=on("msg")),
        earlier_since=pv.first.min(where=on("msg")),
        hour_gap=pv.gap.min(where=on("hour")),
        hours_before=pv.value.collect(where=on("hour")).sort(),
        earlier_networks=pv.value.collect(where=on("net24")).sort()[:20],
        net24_kinds=pv.value.nunique(where=on("net24")),
        **{f"{x}_seen": pv.known.any(where=on(x)) for x in _SEEN},
        **{f"{x}_top": _top(pv.value, pv.n, on(x)) for x in _SHOWN_AXES},
    )
    return base.unpack("payload")


def _thread(f: ir.Table, m: ir.Table, emails: ir.Table) -> ir.Table:
    """Is it a forward, and did its thread ever pass through this mailbox (``thread_known``: its
    In-Reply-To/References; or the quoted message: an earlier message with its subject, from the sender
    the forwarded block names)?"""
    bodies = emails.select(b_id=emails.record_id, body=emails.body_text.coalesce("").substr(0, 200_000))
    f = f.join(bodies, f.record_id == bodies.b_id)
    f = f.mutate(
        is_forward=(f.forward == "yes") | f.body.re_search(FORWARD_BODY),
        quoted_from=f.body.re_extract(_QUOTED_FROM, 2).lower().nullif(""),
        quoted_subject=f.body.re_extract(_QUOTED_SUBJECT, 2).strip().substr(0, 200).nullif(""),
    ).drop("b_id", "body")
    f = f.mutate(q_subject=normalized_subject(f.quoted_subject))
    es = m.select(e_from=m.sender, e_subject=normalized_subject(m.subject.coalesce("")), e_date=m.date)
    es = es.filter(es.e_subject != "")
    pairs = es.group_by(["e_from", "e_subject"]).aggregate(pair_first=es.e_date.min())
    f = f.left_join(pairs, [f.q_subject == pairs.e_subject, f.quoted_from.coalesce("") == pairs.e_from])
    f = f.drop("e_from", "e_subject")
    by_subject = m.select(s_subject=normalized_subject(m.subject.coalesce("")), s_date=m.date)
    by_subject = by_subject.group_by("s_subject").aggregate(subject_first=by_subject.s_date.min())
    f = f.left_join(by_subject, f.q_subject == by_subject.s_subject).drop("s_subject")
    quote_known = ibis.ifelse(
        f.quoted_from.isnull(), f.subject_first < f.date, f.pair_first < f.date
    ).coalesce(False)
    f = f.mutate(fake_forward=f.is_forward & ~f.thread_known & ~quote_known)
    return f.drop("q_subject", "pair_first", "subject_first")


def _departures(f: ir.Table, min_hour_gap: int) -> ir.Table:
    seen = {x: f[f"{x}_seen"].coalesce(False) for x in _SEEN}
    f = f.mutate(
        new_network=f.net24.notnull() & ~seen["net24"] & ~seen["net16"],
        new_program=~seen["client"] | ~seen["style"],
        new_computer=~seen["machine"],
        odd_hour=f.hour_gap.coalesce(0) >= min_hour_gap,
        new_recipient=(f.rcpts.length() > 0) & ~seen["rcpt"],
        first_forward=(f.forward == "yes") & ~seen["forward"],
    )
    return f.mutate(
        departures=f.new_network.cast("int64")
        + (f.new_program | f.new_computer).cast("int64")
        + f.odd_hour.cast("int64")
        + f.fake_forward.cast("int64")
    )


def _reason(
    name: str, fired: ir.BooleanValue, evidence: ir.StringValue, weight: Any = None
) -> ir.StructValue:
    w = WEIGHTS[name] if weight is None else weight
    return ibis.struct(
        {
            "reason": ibis.literal(name),
            "weight": ibis.ifelse(fired, w, 0.0).cast("float64"),
            "evidence": ibis.ifelse(fired, evidence, ibis.null("string")),
        }
    )


def _some(parts: Sequence[Any], sep: str) -> ir.StringValue:
    """The parts that are neither null nor empty, joined."""
    return ibis.array(list(parts)).filter(lambda s: s.notnull() & (s != "")).join(sep)


def _reasons(f: ir.Table, new_domain_hours: int) -> ir.ArrayValue:
    """Every departure that fired, with its evidence, the link's first: {reason, weight, evidence}."""
    hosts, domains = f.link_hosts.join(", "), f.link_domains.join(", ")
    link = _some(
        [
            ibis.literal("link to ").concat(hosts),
            ibis.ifelse(hosts != domains, ibis.literal("on ").concat(domains), ""),
            ibis.ifelse(
                f.domain_first >= f.date,
                ibis.literal("a domain never seen before in the ").concat(
                    f.mailbox_before.cast("string"), " earlier messages of this mailbox"
                ),
                ibis.literal(
                    f"a domain first seen in this mailbox less than {new_domain_hours} hours earlier"
                ),
            ),
            ibis.ifelse(
                f.link_top.notnull(),
                ibis.literal("this sender's links usually go to ").concat(f.link_top.coalesce("")),
                "this sender's earlier messages carried no links",
            ),
        ],
        "; ",
    )
    network = ibis.literal("sent from ").concat(
        f.client_ip.coalesce("?"),
        " (",
        f.net24.coalesce("?"),
        "), a network this sender never used; the ",
        f.earlier.cast("string"),
        " earlier messages came from ",
        f.net24_kinds.coalesce(0).cast("string"),
        " network(s): ",
        f.net24_top.coalesce("none recorded"),
    )
    program = ibis.literal("written with ").concat(
        f.client,
        " (Message-ID style ",
        f.style,
        "), a mail program this sender had not used (earlier: ",
        f.client_top.coalesce("none"),
        "; Message-IDs: ",
        f.style_top.coalesce("none"),
        ")",
    )
    computer = ibis.literal("the sending computer introduced itself as ").concat(
        f.machine, " (earlier: ", f.machine_top.coalesce("none"), ")"
    )
    device = _some([ibis.ifelse(f.new_program, program, ""), ibis.ifelse(f.new_computer, computer, "")], "; ")
    hour = ibis.literal("sent at ").concat(
        f.hour,
        ":",
        f.date.minute().cast("string").lpad(2, "0"),
        " UTC, ",
        f.hour_gap.cast("string"),
        " hours from any hour this sender wrote at before (earlier hours, UTC: ",
        f.hours_before.join(" "),
        ")",
    )
    quoted = ibis.ifelse(
        f.quoted_subject.notnull(),
        ibis.literal("“").concat(
            f.quoted_subject.substr(0, _CLIP), "” from ", f.quoted_from.coalesce("an unnamed sender")
        ),
        "a message",
    )
    forward = ibis.literal("a forward (“").concat(
        f.subject.coalesce("").substr(0, _CLIP),
        "”) with no In-Reply-To or References of any message in this mailbox, quoting ",
        quoted,
        ", which never passed through this mailbox",
        ibis.ifelse(f.first_forward, "; this sender had not forwarded mail here before", ""),
    )
    recipient = ibis.literal("first message from this sender to ").concat(
        f.rcpts[:_SHOWN].join(", "), " (earlier recipients: ", f.rcpt_top.coalesce("none"), ")"
    )
    return ibis.array(
        [
            _reason("new link domain", ibis.literal(True), link),
            _reason("new network", f.new_network, network),
            _reason(
                "new device",
                f.new_program | f.new_computer,
                device,
                ibis.ifelse(f.new_program, WEIGHTS["new device"], COMPUTER_ONLY),
            ),
            _reason("unusual hour", f.odd_hour, hour),
            _reason("fake forward", f.fake_forward, forward),
            _reason("new recipient", f.new_recipient, recipient),
        ]
    ).filter(lambda r: r.weight > 0)


def explain(row: Mapping[str, Any]) -> str:
    name = (row.get("sender_name") or "").strip()
    who = f"{name} <{row['sender']}>" if name else row["sender"]
    rcpts = sorted(row.get("recipients") or [])
    more = max(len(rcpts), row.get("recipient_count") or 0) - 5
    to = (", ".join(rcpts[:5]) + (f" and {more} more" if more > 0 else "")) or "undisclosed recipients"
    auth = row.get("authentication") or {}
    passed = [k.upper() for k in ("spf", "dkim", "dmarc") if (auth.get(k) or "").lower() == "pass"]
    said = (
        f"It passed {_and(passed)}, so it came from the real account, yet"
        if passed
        else "It carries no passing authentication result, and"
    )
    reasons = []
    for i, r in enumerate(row.get("reasons") or [], 1):
        text = r["evidence"]
        if r["reason"] == "new network":
            text += _countries(row.get("sending_ip"), row.get("earlier_networks") or [])
        reasons.append(f"({i}) {r['reason']}: {text}.")
    when = f"{row['first_seen']:%Y-%m-%d %H:%M} UTC" if row.get("first_seen") else "at an unknown time"
    text = row.get("link_text") or []
    shown = f" (its visible text reads “{text[0]}”)" if text else ""
    return (
        f"{who} wrote to {to} on {when}: “{row.get('subject') or '(no subject)'}”. {said} it departs from "
        f"this sender's {row['earlier_messages']} earlier messages over {row['history_days']} days in "
        f"{row['departures']} ways and links to a domain new to this mailbox (score {row['score']:.2f}). "
        f"{' '.join(reasons)} "
        f"The link goes to {', '.join(row.get('link_urls') or row.get('link_domains') or [])}{shown}; "
        "vigil did not open it. The account is probably hijacked. What to do: do not click the link or open "
        f"attachments; call {name or 'the sender'} on a number you already know (not one from this "
        "message) and ask whether they sent it; report the message to your security contact; if the "
        "account is confirmed taken over, help its owner secure it (password, sessions, MFA, forwarding "
        "rules) and warn everyone who received mail from it."
    )


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _countries(ip: str | None, earlier: Sequence[str]) -> str:
    """ " (45.88.97.213 is in AE; the earlier networks: 4 in US, 1 in PT)", from bundled RIR data."""
    if not ip:
        return ""
    here = iptocc.country_code(ip) or "an unknown country"
    found = iptocc.country_code([n.split("/")[0] for n in earlier]) if earlier else []
    counts = Counter(c or "an unknown country" for c in found)
    places = ", ".join(f"{n} in {c}" for c, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
    return f" ({ip} is in {here}" + (f"; the earlier networks: {places})" if places else ")")


@detector(
    id="mail.compromised_sender",
    title="Mail from a trusted sender's probably hijacked account",
    inputs=["emails"],
    severity="high",
    techniques=["T1566.002", "T1586.002", "T1656"],
    entities={
        "sender": "email-addr:victim",
        "recipients": "email-addr:target",
        "link_domains": "domain-name:actor-infrastructure",
        "link_urls": "url:actor-infrastructure",
        "sending_ip": "{ip_kind}:actor-infrastructure",
    },
    explain=explain,
    confidence=0.8,
)
def compromised_sender(
    t: Any,
    min_history: int = 5,
    min_history_days: int = 14,
    lookback_days: int = 365,
    min_departures: int = 2,
    min_hour_gap: int = 3,
    new_domain_hours: int = 0,
    require_authentication: bool = True,
) -> ir.Table:
    """A message from a known sender's real account (it authenticates) that carries a link to a domain
    this mailbox has never seen and departs from the sender's habits (network, mail program or computer,
    hours, a forward whose history never passed through this mailbox) on several axes at once."""
    m = messages(t.emails)
    order = m.select("mkey", "sender", "date")
    order = order.select(
        order.mkey,
        prior=ibis.rank().over(group_by=order.sender, order_by=order.date),
        since=order.date.min().over(group_by=order.sender),
        mailbox_before=ibis.rank().over(order_by=order.date),
    )
    threads = known_threads(m)

    # Candidates first, from cheap per-message facts: the rest of the work is for them only.
    c = m.join(fresh_links(m, new_domain_hours), "mkey").join(order, "mkey")
    c = c.left_join(threads, c.mkey == threads.r_key)
    c = c.mutate(thread_known=c.r_key.notnull()).drop("r_key", "urls", "references", "in_reply_to")
    gate = c.list_id.isnull() & (c.prior >= min_history)
    gate &= c.since <= c.date - ibis.interval(days=min_history_days)
    if require_authentication:
        gate &= c.authenticated.coalesce(False)
    c = c.filter(gate)

    f = _baseline(c, habits(m), lookback_days)
    f = f.filter(
        (f.earlier >= min_history) & (f.earlier_since <= f.date - ibis.interval(days=min_history_days))
    )
    f = _departures(_thread(f, m, t.emails), min_hour_gap)
    f = f.filter(f.departures >= min_departures)
    f = f.mutate(reasons=_reasons(f, new_domain_hours))
    f = f.mutate(score=ibis.least(f.reasons.map(lambda r: r.weight).sums(), 1.0).round(2))

    return f.select(
        first_seen=f.date,
        last_seen=f.date,
        evidence=f.record_ids,
        key=f.mkey,
        sender=f.sender,
        recipients=f.rcpts[:MAX_RECIPIENTS],
        recipient_count=f.rcpts.length(),
        link_domains=f.link_domains,
        link_urls=f.link_urls,
        sending_ip=ibis.ifelse(f.new_network, f.client_ip, ibis.null("string")),
        ip_kind=ibis.ifelse(f.client_ip.contains(":"), "ipv6-addr", "ipv4-addr"),
        confidence=f.score,
        score=f.score,
        reasons=f.reasons,
        departures=f.departures,
        sender_name=f.from_name.substr(0, 200),
        subject=f.subject.substr(0, 300),
        message_id=f.message_id,
        authentication=ibis.struct({"spf": f.spf, "dkim": f.dkim, "dmarc": f.dmarc}),
        earlier_messages=f.earlier,
        history_days=((f.date.epoch_seconds() - f.earlier_since.epoch_seconds()) / 86400)
        .floor()
        .cast("int64"),
        mailbox_messages_before=f.mailbox_before,
        earlier_networks=f.earlier_networks,
        link_text=f.link_text,
        quoted_from=f.quoted_from,
        quoted_subject=f.quoted_subject,
    )


# -- cases -------------------------------------------------------------------------------------

_ADVISER = "gordon.reyes@chesapeakemail.net"
_CHAIR = "robert.lindqvist@harperforamerica.org"
_HOME = "71.178.214.62"
_FORWARDED = (
    "Bob - this came to me by mistake, I think it was meant for you.\n\n"
    "---------- Forwarded message ---------\nFrom: Alicia Moreno <alicia.moreno@harperforamerica.org>\n"
    "Date: Mon, Sep 9, 2024 at 8:02 PM\nSubject: Debate prep - final notes\nTo: Gordon Reyes <{adviser}>\n\n"
    "Final notes are in the shared folder: Debate prep (Google Docs) <{url}>\n"
)


def _link(url: str, text: str | None = None) -> dict[str, str | None]:
    host = url.split("/")[2]
    return {"url": url, "text": text, "host": host, "registered_domain": ".".join(host.split(".")[-2:])}


def _at(days: int, hour: int) -> str:
    return (datetime(2024, 7, 1, hour, 5, tzinfo=UTC) + timedelta(days=days)).isoformat()


def _mail(n: int, when: str, **fields: Any) -> dict[str, Any]:
    """A message of the adviser's usual kind: Outlook on his home PC, authenticated, to the chair."""
    ip = fields.pop("ip", _HOME)
    helo = fields.pop("helo", "DESKTOP-F633FA4")
    sender = fields.get("from_addr", _ADVISER)
    return {
        "message_id": f"{n:04x}01daf2fe$42ae4c4f$1ee0{n:04x}$@{sender.split('@')[1]}",
        "date": when,
        "from_addr": sender,
        "from_name": "Gordon Reyes",
        "from_domain": sender.split("@")[1],
        "to_addrs": [_CHAIR],
        "subject": f"Note {n}",
        "spf": "pass",
        "dkim": "pass",
        "dmarc": "pass",
        "received": [
            {
                "from_host": "smtp.chesapeakemail.net",
                "by_host": "mx.protection.outlook.com",
                "ip": "64.94.212.27",
            },
            {"from_host": helo, "by_host": "smtp.chesapeakemail.net", "ip": ip},
        ],
        "client_ip": ip,
        "x_mailer": "Microsoft Outlook 16.0",
        "urls": [_link(f"https://www.politico.com/news/2024/0{6 + n % 2}/{n}")] if n % 2 else [],
        "body_text": f"Thoughts on the race, part {n}.",
        **fields,
    }


#: Eight messages over six weeks, 13:00-20:00 UTC, from his home network and PC.
_HISTORY = [_mail(i, _at(6 * i, 13 + i)) for i in range(8)]

_HIJACK = _mail(
    100,
    "2024-09-10T07:14:18+00:00",
    ip="91.206.178.34",
    helo="[192.168.1.223]",
    x_mailer=None,
    user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.14.0",
    message_id="bbbb03e6-2ae7-43a0-810c-79d35638916d@chesapeakemail.net",
    subject="Fwd: Debate prep - final notes",
    urls=[_link("https://secure-docreview.online/r/7Kq2vX", "Debate prep (Google Docs)")],
    body_text=_FORWARDED.format(adviser=_ADVISER, url="https://secure-docreview.online/r/7Kq2vX"),
)

_QUIET = _mail(
    101,
    "2024-09-19T14:42:07+00:00",
    ip="45.88.97.213",
    subject="Fwd: Debate prep - final notes",
    urls=[_link("https://briefing-archive.site/s/memo", "Debate prep (Google Docs)")],
    body_text=_FORWARDED.format(adviser=_ADVISER, url="https://briefing-archive.site/s/memo"),
)

_CHAIR_PROTECTED = """
[[people]]
name = "Robert Lindqvist"
role = "campaign-chair"
emails = ["robert.lindqvist@harperforamerica.org"]
priority = "critical"
"""

_NEWSLETTER = [
    {
        **_mail(200 + i, _at(5 * i, (6 + 7 * i) % 24), ip=f"{150 + 10 * i}.2.{140 + i}.9"),
        "from_addr": "brief@capitolmorning.com",
        "from_name": "Capitol Morning",
        "from_domain": "capitolmorning.com",
        "list_id": "capitolmorning.list-id.mcsv.net",
        "x_mailer": "MailChimp Mailer - **CID3636416e6f**",
        "urls": [_link(f"https://news{i}.example-outlet-{i}.com/story")],
    }
    for i in range(8)
]

CASES = [
    Case(
        "the hijacked adviser: new network, Thunderbird, 3 a.m., a fake forward, a new link domain",
        rows={"emails": [*_HISTORY, _HIJACK]},
        expect=1,
        contains={
            _ADVISER: "victim",
            _CHAIR: "target",
            "secure-docreview.online": "actor-infrastructure",
            "91.206.178.34": "actor-infrastructure",
        },
        protected=_CHAIR_PROTECTED,
        severity="critical",  # high, raised by the protected chair
    ),
    Case(
        "the quieter variant: his usual Outlook, PC and hours, but a new network and a fake forward",
        rows={"emails": [*_HISTORY, _HIJACK | {"urls": [], "body_text": "hello"}, _QUIET]},
        expect=1,
        contains={
            _ADVISER: "victim",
            "briefing-archive.site": "actor-infrastructure",
            "45.88.97.213": "actor-infrastructure",
        },
    ),
    Case(
        "a sender with no history",
        rows={"emails": [_HISTORY[0] | {"from_addr": "someone@else.org"}, _HIJACK]},
        expect=0,
    ),
    Case(
        "a sender who changed ISP and computer but links to his usual domain",
        rows={
            "emails": [
                *_HISTORY,
                _mail(
                    102,
                    "2024-09-12T15:00:00+00:00",
                    ip="73.165.77.9",
                    helo="LAPTOP-NEW",
                    urls=[_link("https://www.politico.com/news/2024/09/x")],
                ),
            ]
        },
        expect=0,
    ),
    Case(
        "a real forward from a hotel network, with the thread headers of a message in this mailbox",
        rows={
            "emails": [
                *_HISTORY,
                _mail(
                    103,
                    "2024-09-12T16:00:00+00:00",
                    ip="203.0.113.77",
                    subject="Fwd: Note 3",
                    in_reply_to=_HISTORY[3]["message_id"],
                    references=[_HISTORY[3]["message_id"]],
                    urls=[_link("https://www.keystoneu.edu/research/broadband")],
                    body_text="FYI\n\n---------- Forwarded message ---------\nFrom: Gordon Reyes "
                    f"<{_ADVISER}>\nSubject: Note 3\n\nThoughts on the race, part 3.",
                ),
            ]
        },
        expect=0,
    ),
    Case(
        "a newsletter: new networks, hours and link domains every time, but a List-Id",
        rows={"emails": _NEWSLETTER},
        expect=0,
    ),
    Case(
        "the same hijack failing DMARC is spoofing, not a hijacked account",
        rows={"emails": [*_HISTORY, _HIJACK | {"dmarc": "fail", "dkim": "fail"}]},
        expect=0,
    ),
    Case(
        "hostile values: markup in the name, subject and machine name, an IPv6 sender",
        rows={
            "emails": [
                *_HISTORY,
                _HIJACK
                | {
                    "from_name": "<script>alert(1)</script>",
                    "subject": "Fwd: <img src=x onerror=alert(1)>",
                    "client_ip": "2a0b:4140:1::66",
                    "received": [{"from_host": "<b>evil</b>", "by_host": "x", "ip": "2a0b:4140:1::66"}],
                },
            ]
        },
        expect=1,
        contains={_ADVISER: "victim", "2a0b:4140:1::66": "actor-infrastructure"},
    ),
]
