"""What kind of observable an indicator value is, and its canonical form.

Kinds (the ``kind`` column of ``indicators``):

- ``domain-name``: lower-case, ASCII (punycode) form, as ``vigil.ingest.domains.normalize_domain``;
- ``url``: refanged; scheme and host lower-cased, the rest kept as written;
- ``ipv4-addr`` / ``ipv6-addr``: compressed form (a network in CIDR form; a /32 or /128 is an address);
- ``email-addr``: lower-case;
- ``file``: a hash, lower-case hex (MD5, SHA-1, SHA-256 or SHA-512; the algorithm goes to the
  description);
- ``social-account``: ``platform:handle``, lower-case, as in ``protected`` and ``observables``.
  A URL that is exactly an account's profile (``https://x.com/name``, ``t.me/name``,
  ``tiktok.com/@name``, ``youtube.com/@name`` or ``/channel/ID``, ``facebook.com/name``, ``vk.com/name``,
  ``instagram.com/name``, ``reddit.com/user/name``, ``medium.com/@name``, ``github.com/name``...) is
  stored as the account, not as a URL; a post, group or search URL on those platforms stays a URL;
- ``mobile-app``: ``android:<package name>`` or ``ios:<App Store id>``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from vigil.enrich.domains import refang, registered_domain
from vigil.ingest.domains import normalize_domain

HASH_LENGTHS = {32: "MD5", 40: "SHA-1", 64: "SHA-256", 128: "SHA-512"}
#: ``https{:}//``, ``[/]``: defanging that ``refang`` leaves.
_MORE_DEFANGING = re.compile(r"[\[({](?::|/|://)[\])}]")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_EMAIL = re.compile(r"^[^@\s/]{1,64}@[^@\s/]{1,253}$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{1,15}://", re.IGNORECASE)
_HOSTPATH = re.compile(r"^[^\s/]+\.[^\s/]+/")  # example.com/path, without a scheme
_HANDLE = re.compile(r"^[\w.\-]{1,100}$", re.UNICODE)
_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")

#: Declared kinds whose values are never read as something else (an Android package name looks like
#: a domain name, a hash like nothing else).
_STRICT_HINTS = frozenset({"file", "android", "ios"})

#: Registered domain -> platform name (as in ``posts.platform``).
PLATFORM_DOMAINS = {
    "twitter.com": "x",
    "x.com": "x",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "vk.com": "vk",
    "ok.ru": "ok",
    "reddit.com": "reddit",
    "medium.com": "medium",
    "github.com": "github",
    "threads.net": "threads",
    "threads.com": "threads",
    "linkedin.com": "linkedin",
    "pinterest.com": "pinterest",
    "snapchat.com": "snapchat",
    "twitch.tv": "twitch",
    "rumble.com": "rumble",
    "gab.com": "gab",
    "truthsocial.com": "truthsocial",
    "bsky.app": "bluesky",
    "soundcloud.com": "soundcloud",
    "weibo.com": "weibo",
    "patreon.com": "patreon",
    "substack.com": "substack",
}
#: First path segments that are not account names.
_RESERVED = frozenset(
    {
        "i",
        "intent",
        "search",
        "hashtag",
        "home",
        "explore",
        "share",
        "sharer",
        "sharer.php",
        "login",
        "signup",
        "groups",
        "events",
        "watch",
        "playlist",
        "results",
        "feed",
        "tag",
        "tags",
        "p",
        "reel",
        "reels",
        "stories",
        "status",
        "statuses",
        "joinchat",
        "addstickers",
        "s",
        "r",
        "wall",
        "video",
        "photo",
        "story.php",
        "posts",
        "permalink.php",
        "pages",
        "help",
        "about",
        "settings",
        "notifications",
        "messages",
        "shorts",
        "embed",
        "topic",
        "topics",
        "trending",
        "discover",
        "live",
        "marketplace",
        "gaming",
        "policies",
        "privacy",
        "legal",
    }
)
#: (platform, first path segment) of profile URLs whose second segment is the account.
_PREFIXED = frozenset(
    {
        ("youtube", "channel"),
        ("youtube", "c"),
        ("youtube", "user"),
        ("reddit", "user"),
        ("reddit", "u"),
        ("linkedin", "in"),
        ("ok", "profile"),
        ("telegram", "s"),
        ("bluesky", "profile"),
    }
)


def classify(raw: str, hint: str | None = None) -> tuple[str, str] | None:
    """``(kind, canonical value)`` of an indicator, or None when it is not an observable.

    ``hint`` is the kind the source declares (its own type name mapped to ours); the value is read as
    that kind first, and by its shape if that fails.
    """
    text = refang(_MORE_DEFANGING.sub(lambda m: m.group(0)[1:-1], raw.strip().strip("`\"'").strip()))
    text = text.strip().rstrip(",;")
    if not text:
        return None
    if hint:
        found = _as_kind(text, hint)
        if found or hint in _STRICT_HINTS:
            return found
    if any(c.isspace() for c in text):
        if _SCHEME.match(text):  # a URL broken by a line wrap in the source (PDF copy)
            return _as_url("".join(text.split()))
        return None
    for kind in ("file", "ipv4-addr", "email-addr", "url", "domain-name"):
        found = _as_kind(text, kind)
        if found:
            return found
    return None


def _as_kind(text: str, kind: str) -> tuple[str, str] | None:
    if kind == "file":
        return ("file", text.lower()) if len(text) in HASH_LENGTHS and _HEX.match(text) else None
    if kind in ("ipv4-addr", "ipv6-addr"):
        return _as_ip(text)
    if kind == "email-addr":
        if _EMAIL.match(text):
            local, _, host = text.rpartition("@")
            domain, _ = normalize_domain(host)
            return ("email-addr", f"{local.lower()}@{domain}") if domain else None
        return None
    if kind == "url":
        return _as_url(text) if _SCHEME.match(text) or _HOSTPATH.match(text) else None
    if kind == "domain-name":
        if "/" in text:  # a URL: not the whole domain
            return None
        domain, _ = normalize_domain(text)
        return ("domain-name", domain) if domain else None
    if kind in ("android", "ios"):
        return _as_app(text, kind)
    return None


def _as_ip(text: str) -> tuple[str, str] | None:
    try:
        network = ipaddress.ip_network(text.strip("[]"), strict=False)
    except ValueError:
        return None
    kind = "ipv4-addr" if network.version == 4 else "ipv6-addr"
    if network.num_addresses == 1:
        return kind, str(network.network_address)
    return kind, str(network)


def _as_app(text: str, store: str) -> tuple[str, str] | None:
    if store == "ios":
        number = text.lower().removeprefix("id")
        return ("mobile-app", f"ios:{number}") if number.isdigit() else None
    return ("mobile-app", f"android:{text}") if _PACKAGE.match(text) else None


def _as_url(text: str) -> tuple[str, str] | None:
    """A URL (scheme optional): the social account it is the profile of, or the URL itself."""
    with_scheme = text if _SCHEME.match(text) else "http://" + text
    try:
        parts = urlsplit(with_scheme)
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    if not normalize_domain(host)[0] and not _as_ip(host):
        return None
    account = social_account(host, parts.path, parts.query)
    if account:
        return "social-account", account
    if not _SCHEME.match(text):  # keep it as written: no scheme invented
        head, sep, rest = text.partition("/")
        return "url", head.lower() + sep + rest
    netloc = parts.netloc.rpartition("@")
    lowered = netloc[0] + netloc[1] + netloc[2].lower()
    return "url", urlunsplit((parts.scheme.lower(), lowered, parts.path, parts.query, parts.fragment))


def social_account(host: str, path: str, query: str = "") -> str | None:
    """``platform:handle`` when the URL is an account's profile page, else None."""
    platform = PLATFORM_DOMAINS.get(registered_domain(host.lower()) or "")
    if platform is None:
        return None
    segments = [s for s in path.split("/") if s]
    if platform == "facebook" and segments == ["profile.php"]:
        found = re.search(r"(?:^|&)id=(\d+)", query)
        return f"facebook:{found.group(1)}" if found else None
    if len(segments) == 2 and (platform, segments[0].lower()) in _PREFIXED:
        name = segments[1]
    elif len(segments) == 1 and segments[0].lower() not in _RESERVED:
        name = segments[0]
        if platform in ("tiktok", "youtube", "medium", "threads") and not name.startswith("@"):
            return None  # tiktok.com/foo or youtube.com/foo are not profiles
        if platform == "telegram" and name.startswith("+"):
            return None  # an invite link
    else:
        return None
    name = name.removeprefix("@")
    if not _HANDLE.match(name):
        return None
    return f"{platform}:{name.lower()}"
