"""The organisation behind generated sign-in volume: people, networks, devices and applications.

Everything a generated sign-in points at sits in a table here and is addressed by its index: users
(real ones first, then the made-up names attackers try), *wheres* (an IP address with its ASN, its
network's owner and a geolocation), user agents and applications. The day generator and the planted
attacks produce rows of such indices; the writers turn rows into Entra ID or Okta JSON.

The organisation is a county government of a few thousand people (Calder County, the demo's election
office, at a larger scale): offices behind shared NAT addresses, a corporate VPN and a cloud proxy
whose egress nodes sit in other states, home broadband, phones on carrier-grade NAT that geolocates
to the carrier's hub city, night-shift dispatchers, a few people abroad for a week, a copier's service
account on SMTP AUTH, and a handful of protected people (the election director, her deputy, the
commissioners).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from vigil.demo import story as s
from vigil.demo.common import FIRST_NAMES, LAST_NAMES
from vigil.demo.signins import APPS, HOME_ISPS, MOBILE, PLACES, RESOURCES, UA, Place, Where

DOMAIN = s.COUNTY_DOMAIN
TENANT_ID = s.COUNTY_TENANT_ID
OKTA_ORG = "https://caldercounty.okta.com"

#: Places beyond the demo's, keyed by city.
MORE_PLACES = {
    p.city: p
    for p in (
        Place("New York", "New York", "US", 40.7128, -74.0060),
        Place("Paris", "Ile-de-France", "FR", 48.8566, 2.3522),
        Place("Rome", "Lazio", "IT", 41.9028, 12.4964),
        Place("Toronto", "Ontario", "CA", 43.6532, -79.3832),
        Place("Mexico City", "Ciudad de Mexico", "MX", 19.4326, -99.1332),
        Place("Tokyo", "Tokyo", "JP", 35.6762, 139.6503),
        Place("Dublin", "Leinster", "IE", 53.3498, -6.2603),
        Place("Lisbon", "Lisboa", "PT", 38.7223, -9.1393),
        Place("Sao Paulo", "Sao Paulo", "BR", -23.5505, -46.6333),
        Place("Hanoi", "Hanoi", "VN", 21.0278, 105.8342),
        Place("Mumbai", "Maharashtra", "IN", 19.0760, 72.8777),
        Place("Jakarta", "Jakarta", "ID", -6.2088, 106.8456),
        Place("Warsaw", "Mazowieckie", "PL", 52.2297, 21.0122),
        Place("Istanbul", "Istanbul", "TR", 41.0082, 28.9784),
        Place("Singapore", "Singapore", "SG", 1.3521, 103.8198),
        Place("Lagos", "Lagos", "NG", 6.5244, 3.3792),
        Place("Kyiv", "Kyiv City", "UA", 50.4501, 30.5234),
    )
}
ALL_PLACES = {**PLACES, **MORE_PLACES}

COUNTRY_NAMES = {
    "US": "United States",
    "GB": "United Kingdom",
    "NL": "Netherlands",
    "RO": "Romania",
    "DE": "Germany",
    "MD": "Moldova",
    "FR": "France",
    "IT": "Italy",
    "CA": "Canada",
    "MX": "Mexico",
    "JP": "Japan",
    "IE": "Ireland",
    "PT": "Portugal",
    "BR": "Brazil",
    "VN": "Vietnam",
    "IN": "India",
    "ID": "Indonesia",
    "PL": "Poland",
    "TR": "Turkey",
    "SG": "Singapore",
    "NG": "Nigeria",
    "UA": "Ukraine",
}

#: Who runs an autonomous system: (organisation, ISP, domain) as Okta's securityContext shows them.
AS_OWNERS = {
    7922: ("Comcast Cable Communications, LLC", "Comcast Cable", "comcast.net"),
    701: ("Verizon Business", "Verizon Fios", "verizon.net"),
    7018: ("AT&T Services, Inc.", "AT&T Internet", "att.net"),
    7029: ("Windstream Communications LLC", "Windstream", "windstream.net"),
    20115: ("Charter Communications", "Spectrum", "charter.com"),
    22773: ("Cox Communications Inc.", "Cox", "cox.net"),
    6461: ("Zayo Bandwidth", "Zayo", "zayo.com"),
    21928: ("T-Mobile USA, Inc.", "T-Mobile USA", "t-mobile.com"),
    22394: ("Cellco Partnership DBA Verizon Wireless", "Verizon Wireless", "verizonwireless.com"),
    20057: ("AT&T Mobility LLC", "AT&T Wireless", "att.com"),
    53813: ("Zscaler, Inc.", "Zscaler", "zscaler.net"),
    9009: ("M247 Europe SRL", "M247", "m247.com"),
    14061: ("DigitalOcean, LLC", "DigitalOcean", "digitalocean.com"),
    16509: ("Amazon.com, Inc.", "Amazon Technologies", "amazonaws.com"),
    24940: ("Hetzner Online GmbH", "Hetzner", "hetzner.com"),
    50673: ("Serverius Holding B.V.", "Serverius", "serverius.net"),
    2856: ("British Telecommunications PLC", "BT", "bt.com"),
    3215: ("Orange S.A.", "Orange", "orange.fr"),
    3269: ("Telecom Italia S.p.A.", "TIM", "telecomitalia.it"),
    812: ("Rogers Communications Canada Inc.", "Rogers", "rogers.com"),
    8151: ("UNINET", "Telmex", "telmex.com"),
    4713: ("NTT Communications Corporation", "OCN", "ocn.ne.jp"),
    5466: ("Eircom Limited", "eir", "eir.ie"),
    3243: ("MEO - Servicos de Comunicacoes e Multimedia S.A.", "MEO", "meo.pt"),
    28573: ("Claro NXT Telecomunicacoes Ltda", "Claro", "claro.com.br"),
    7552: ("Viettel Group", "Viettel", "viettel.com.vn"),
    9829: ("National Internet Backbone", "BSNL", "bsnl.co.in"),
    7713: ("PT Telekomunikasi Indonesia", "Telkom Indonesia", "telkom.co.id"),
    5617: ("Orange Polska Spolka Akcyjna", "Orange Polska", "orange.pl"),
    9121: ("Turk Telekomunikasyon Anonim Sirketi", "Turk Telekom", "turktelekom.com.tr"),
    4773: ("MobileOne Ltd.", "M1", "m1.com.sg"),
    29465: ("MTN Nigeria Communication Limited", "MTN Nigeria", "mtnnigeria.net"),
    8708: ("RCS & RDS SA", "Digi Romania", "rcs-rds.ro"),
    44477: ("Stark Industries Solutions Ltd", "Stark Industries", "stark-industries.solutions"),
}

#: Hours east of UTC in September, for the local time of people abroad.
UTC_OFFSET = {
    "US": -4,
    "GB": 1,
    "IE": 1,
    "PT": 1,
    "FR": 2,
    "IT": 2,
    "CA": -4,
    "MX": -6,
    "JP": 9,
}


@dataclass(frozen=True)
class Agent:
    """A user agent as both sources describe it."""

    raw: str
    entra_os: str
    entra_browser: str
    okta_os: str
    okta_browser: str
    okta_device: str  # Computer, Mobile, Unknown


@dataclass(frozen=True)
class App:
    entra: str
    okta: str


def _agent_from_demo(key: str, okta_os: str, okta_browser: str, okta_device: str) -> Agent:
    os_name, browser, raw = UA[key]
    return Agent(raw, os_name, browser, okta_os, okta_browser, okta_device)


AGENTS: dict[str, Agent] = {
    "win_edge": _agent_from_demo("win_edge", "Windows 10", "EDGE", "Computer"),
    "win_chrome": _agent_from_demo("win_chrome", "Windows 10", "CHROME", "Computer"),
    "mac_safari": _agent_from_demo("mac_safari", "Mac OS X", "SAFARI", "Computer"),
    "ios_outlook": _agent_from_demo("ios_outlook", "iOS", "UNKNOWN", "Mobile"),
    "android_outlook": _agent_from_demo("android_outlook", "Android", "UNKNOWN", "Mobile"),
    "linux_firefox": _agent_from_demo("linux_firefox", "Linux", "FIREFOX", "Computer"),
    "old_chrome": _agent_from_demo("old_chrome", "Windows 10", "CHROME", "Computer"),
    "distributed": _agent_from_demo("distributed", "Windows 10", "EDGE", "Computer"),
    "legacy": Agent("", "", "", "Unknown", "UNKNOWN", "Unknown"),
    "ios_safari": Agent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.6 Mobile/15E148 Safari/604.1",
        "Ios 17.6.1",
        "Mobile Safari 17.6",
        "iOS",
        "SAFARI",
        "Mobile",
    ),
    "android_chrome": Agent(
        "Mozilla/5.0 (Linux; Android 14; SM-S918U) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/128.0.6613.127 Mobile Safari/537.36",
        "Android 14",
        "Chrome Mobile 128.0.6613",
        "Android",
        "CHROME",
        "Mobile",
    ),
    "mac_chrome": Agent(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/127.0.0.0 Safari/537.36",
        "MacOs",
        "Chrome 127.0.0",
        "Mac OS X",
        "CHROME",
        "Computer",
    ),
    "win_firefox": Agent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:129.0) Gecko/20100101 Firefox/129.0",
        "Windows10",
        "Firefox 129.0",
        "Windows 10",
        "FIREFOX",
        "Computer",
    ),
    "python": Agent("python-requests/2.31.0", "", "", "Unknown", "UNKNOWN", "Unknown"),
    "okhttp": Agent("okhttp/4.9.3", "", "", "Unknown", "UNKNOWN", "Unknown"),
    "win7_chrome": Agent(
        "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/109.0.0.0 Safari/537.36",
        "Windows7",
        "Chrome 109.0.0",
        "Windows 7",
        "CHROME",
        "Computer",
    ),
}

#: Applications: the Entra name (its id and resource from the demo) and the Okta app of the same use.
APP_LIST = [
    App("OfficeHome", "Okta Dashboard"),
    App("Office 365 Exchange Online", "Microsoft Office 365"),
    App("Microsoft Teams", "Zoom"),
    App("Office 365 SharePoint Online", "ServiceNow"),
    App("Microsoft Office", "Tyler Munis"),
    App("Azure Active Directory PowerShell", "Okta Admin Console"),
    App("Outlook Mobile", "Microsoft Office 365"),
    App("My Signins", "Okta Dashboard"),
    App("Calder County Voter Registration Portal", "Calder County Voter Registration Portal"),
]
APP = {a.entra: i for i, a in enumerate(APP_LIST)}
assert all(a.entra in APPS and a.entra in RESOURCES for a in APP_LIST)
#: Apps of an ordinary day at a desk, and their weights.
DESK_APPS = [
    APP[n]
    for n in (
        "OfficeHome",
        "Office 365 Exchange Online",
        "Microsoft Teams",
        "Office 365 SharePoint Online",
        "Microsoft Office",
    )
]
DESK_WEIGHTS = [0.18, 0.34, 0.24, 0.14, 0.10]

#: Client kinds (Entra ``clientAppUsed``; Okta's interface for the legacy ones).
CLIENTS = ["Browser", "Mobile Apps and Desktop clients", "Authenticated SMTP", "IMAP4", "Exchange ActiveSync"]
BROWSER, MODERN_CLIENT, SMTP, IMAP, ACTIVESYNC = range(len(CLIENTS))
OKTA_INTERFACE = {SMTP: "SMTP", IMAP: "IMAP", ACTIVESYNC: "Exchange ActiveSync"}

#: MFA methods (index 0: none).
MFA_METHODS = ["", "Mobile app notification", "Text message", "OATH verification code"]
OKTA_FACTORS = ["", "OKTA_VERIFY_PUSH", "SMS", "OKTA_VERIFY_TOTP"]
NO_MFA, PUSH, SMS, TOTP = range(4)

#: The offices and the share of staff at each: (name, NAT addresses, ASN, city, share).
OFFICES = [
    ("Courthouse", ("50.203.98.10", "50.203.98.11"), 7922, "Harrisburg", 0.42),
    ("Human Services Building", ("64.5.66.130",), 6461, "Carlisle", 0.22),
    ("Public Safety Center", ("12.168.44.2",), 7018, "Mechanicsburg", 0.14),
    ("Elections Warehouse", ("96.92.113.9",), 7922, "York", 0.08),
    ("Public Works Garage", ("173.161.20.66",), 7922, "Lebanon", 0.14),
]
#: The county's own VPN concentrator, and the cloud proxy whose egress nodes are in other states.
CORPORATE_VPN = [("50.203.98.20", 7922, "Harrisburg"), ("50.203.98.21", 7922, "Harrisburg")]
CLOUD_PROXY = [
    ("165.225.8.14", 53813, "Ashburn"),
    ("165.225.8.15", 53813, "Ashburn"),
    ("165.225.38.52", 53813, "New York"),
    ("165.225.38.53", 53813, "New York"),
    ("165.225.60.21", 53813, "Chicago"),
]
#: Cities that carrier-grade NAT addresses geolocate to, and how often.
CARRIER_HUBS = [
    ("Philadelphia", 0.4),
    ("Pittsburgh", 0.25),
    ("Newark", 0.15),
    ("Ashburn", 0.1),
    ("Chicago", 0.1),
]
HOME_TOWNS = ("Harrisburg", "Carlisle", "Lebanon", "York", "Hershey", "Mechanicsburg")
#: Where people go for a week, with a hotel or local network there.
TRIP_NETWORKS = [
    ("London", 2856, "81.152"),
    ("Paris", 3215, "90.84"),
    ("Rome", 3269, "79.40"),
    ("Toronto", 812, "99.226"),
    ("Mexico City", 8151, "189.203"),
    ("Tokyo", 4713, "153.156"),
    ("Dublin", 5466, "86.45"),
    ("Lisbon", 3243, "85.240"),
]

#: People the county protects (index = user index); the first is the target of the planted attempt.
PROTECTED_PEOPLE = [
    (s.COUNTY_DIRECTOR[0], "director-of-elections", "critical"),
    ("Marcus Bell", "deputy-director-of-elections", "high"),
    ("Karen Musser", "county-commissioner", "high"),
    ("Robert Tran", "county-commissioner", "high"),
    ("Elena Vasquez", "county-commissioner", "high"),
]
SERVICE_UPN = f"scan-to-email@{DOMAIN}"
SERVICE_NAME = "Scan to Email (Courthouse MFP)"


def stable_id(*parts: object) -> str:
    """A uuid-shaped id from the parts (users' object ids)."""
    h = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"


def okta_user_id(upn: str) -> str:
    """An Okta user id (``00u`` and 17 base-62 characters)."""
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n = int.from_bytes(hashlib.blake2b(upn.encode(), digest_size=16).digest(), "big")
    chars = []
    for _ in range(17):
        n, r = divmod(n, 62)
        chars.append(alphabet[r])
    return "00u" + "".join(chars)


@dataclass
class Trip:
    user: int
    first_day: int
    last_day: int
    where: int
    utc_offset: int


@dataclass
class Org:
    """The tables rows point into, and each user's habits (numpy arrays over the real users)."""

    seed: int
    start: date
    days: int
    upns: list[str] = field(default_factory=list)
    names: list[str | None] = field(default_factory=list)
    exists: list[bool] = field(default_factory=list)
    wheres: list[Where] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    agent_index: dict[str, int] = field(default_factory=dict)
    trips: list[Trip] = field(default_factory=list)
    protected: dict[int, tuple[str, str]] = field(default_factory=dict)  # user -> (role, priority)
    office_wheres: list[int] = field(default_factory=list)
    vpn_wheres: list[int] = field(default_factory=list)
    proxy_wheres: list[int] = field(default_factory=list)
    #: (user, day) pairs without background activity (so that a planted attack reads as planned).
    quiet: set[tuple[int, int]] = field(default_factory=set)
    service: int = -1
    _where_index: dict[str, int] = field(default_factory=dict)
    # per real user (filled by build_org)
    n_real: int = 0
    office: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    home: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    device: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    phone: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    managed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    mfa: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    shift: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    weekend: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    remote: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))  # 0 home, 1 VPN, 2 proxy
    mobile_pool: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    mobile_pool_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))

    # -- tables ------------------------------------------------------------------------------------

    def where(self, ip: str, asn: int, city: str) -> int:
        """The index of a network location, added on first use."""
        known = self._where_index.get(ip)
        if known is not None:
            return known
        self.wheres.append(Where(ip, asn, ALL_PLACES[city]))
        self._where_index[ip] = len(self.wheres) - 1
        return len(self.wheres) - 1

    def agent(self, key: str) -> int:
        if key not in self.agent_index:
            self.agents.append(AGENTS[key])
            self.agent_index[key] = len(self.agents) - 1
        return self.agent_index[key]

    def ghost(self, upn: str) -> int:
        """A user name that does not exist in the directory (what stuffing and sprays try)."""
        self.upns.append(upn.lower())
        self.names.append(None)
        self.exists.append(False)
        return len(self.upns) - 1

    def user_index(self, upn: str) -> int:
        return self.upns.index(upn)

    def day_of(self, d: date) -> int:
        return (d - self.start).days

    def abroad(self, day: int) -> dict[int, Trip]:
        return {t.user: t for t in self.trips if t.first_day <= day <= t.last_day}


def _names(rnd: random.Random, n: int) -> tuple[list[str], list[str]]:
    """``n`` unique (UPN, display name) pairs: first.last, then first.m.last, then first.last2..."""
    upns: list[str] = []
    names: list[str] = []
    seen: set[str] = set()
    initials = "abcdefghijklmnoprstw"
    for name, _, _ in PROTECTED_PEOPLE:
        first, last = name.lower().split(" ", 1)
        upn = f"{first}.{last}@{DOMAIN}"
        seen.add(upn)
        upns.append(upn)
        names.append(name)
    while len(upns) < n:
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        base = f"{first.lower()}.{last.lower().replace(' ', '').replace(chr(39), '')}"
        upn = f"{base}@{DOMAIN}"
        display = f"{first} {last}"
        if upn in seen:
            m = rnd.choice(initials)
            upn = f"{first.lower()}.{m}.{base.split('.', 1)[1]}@{DOMAIN}"
            display = f"{first} {m.upper()}. {last}"
            k = 2
            while upn in seen:
                upn = f"{base}{k}@{DOMAIN}"
                display = f"{first} {last}"
                k += 1
        seen.add(upn)
        upns.append(upn)
        names.append(display)
    return upns, names


def build_org(users: int, days: int, seed: int, start: date) -> Org:
    """The organisation: ``users`` people (the protected ones first) and every network they use."""
    rnd = random.Random(f"vigil-signin-volume:{seed}:org")
    rng = np.random.default_rng([seed, 1])
    org = Org(seed=seed, start=start, days=days)
    upns, names = _names(rnd, users)
    org.upns, org.names, org.exists = upns, list(names), [True] * users
    org.n_real = users
    for i, (_, role, priority) in enumerate(PROTECTED_PEOPLE):
        org.protected[i] = (role, priority)

    # offices: each user has one; a NAT address is shared by hundreds
    office_wheres: list[list[int]] = []
    for _, ips, asn, city, _share in OFFICES:
        office_wheres.append([org.where(ip, asn, city) for ip in ips])
    org.office_wheres = [w for ws in office_wheres for w in ws]
    shares = np.array([o[4] for o in OFFICES])
    office_of = rng.choice(len(OFFICES), size=users, p=shares / shares.sum())
    office_of[: len(PROTECTED_PEOPLE)] = 0  # the director and the commissioners work at the courthouse
    org.office = np.array(
        [office_wheres[o][rnd.randrange(len(office_wheres[o]))] for o in office_of], dtype=np.int32
    )
    org.vpn_wheres = [org.where(ip, asn, city) for ip, asn, city in CORPORATE_VPN]
    org.proxy_wheres = [org.where(ip, asn, city) for ip, asn, city in CLOUD_PROXY]

    # homes: one broadband address each
    homes = np.zeros(users, np.int32)
    for u in range(users):
        asn, pattern = HOME_ISPS[rnd.randrange(len(HOME_ISPS))]
        ip = pattern.format(rnd.randrange(60, 250)) + f".{rnd.randrange(1, 255)}.{rnd.randrange(2, 254)}"
        homes[u] = org.where(ip, asn, rnd.choice(HOME_TOWNS))
    org.home = homes

    # phones share a carrier-grade NAT pool that geolocates to hub cities
    pool_size = max(3000, users // 2)
    hubs = [h for h, _ in CARRIER_HUBS]
    hub_weights = [w for _, w in CARRIER_HUBS]
    pool = np.zeros(pool_size, np.int32)
    for i in range(pool_size):
        asn, prefix = MOBILE[rnd.randrange(len(MOBILE))]
        ip = f"{prefix}.{rnd.randrange(0, 256)}.{rnd.randrange(1, 255)}"
        pool[i] = org.where(ip, asn, rnd.choices(hubs, hub_weights)[0])
    org.mobile_pool = pool

    desk = [org.agent(k) for k in ("win_edge", "win_chrome", "win_edge", "mac_safari", "win_firefox")]
    phones = [org.agent(k) for k in ("ios_outlook", "android_outlook", "ios_outlook")]
    for k in ("ios_safari", "android_chrome", "legacy"):
        org.agent(k)
    org.device = np.array(desk, np.int16)[rng.integers(0, len(desk), users)]
    org.phone = np.array(phones, np.int16)[rng.integers(0, len(phones), users)]
    org.managed = rng.random(users) < 0.8
    org.mfa = rng.choice(4, size=users, p=[0.12, 0.62, 0.18, 0.08]).astype(np.int8)
    org.mfa[: len(PROTECTED_PEOPLE)] = PUSH
    org.shift = (office_of == 2) & (rng.random(users) < 0.6)  # dispatchers and deputies work nights
    org.shift[: len(PROTECTED_PEOPLE)] = False
    org.weekend = np.where(org.shift, 0.85, rng.uniform(0.05, 0.3, users)).astype(np.float32)
    org.remote = rng.choice(3, size=users, p=[0.55, 0.2, 0.25]).astype(np.int8)

    # a few people abroad for a week, from their usual devices
    n_trips = max(3, users // 600)
    candidates = list(range(len(PROTECTED_PEOPLE), users))
    for u in rnd.sample(candidates, n_trips):
        city, asn, prefix = rnd.choice(TRIP_NETWORKS)
        first = rnd.randrange(1, max(2, days - 8))
        ip = f"{prefix}.{rnd.randrange(1, 255)}.{rnd.randrange(2, 254)}"
        place = ALL_PLACES[city]
        trip = Trip(
            u, first, min(days - 1, first + 6), org.where(ip, asn, city), UTC_OFFSET.get(place.country, 0)
        )
        org.trips.append(trip)
        org.quiet.update({(u, trip.first_day - 1), (u, trip.last_day + 1)})  # the flights

    # the copier's service account (not a person: no background sessions)
    org.upns.append(SERVICE_UPN)
    org.names.append(SERVICE_NAME)
    org.exists.append(True)
    org.service = len(org.upns) - 1
    for key in AGENTS:  # every agent has an index, so that attacks can use any of them
        org.agent(key)
    return org
