"""The cast and infrastructure of the demo story: every name, address, domain and IP in one place.

Everything here is fictional. The IP addresses look like those of real providers (so that the data
reads like the real thing) but were made up: they are not indicators of anything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

# -- time --------------------------------------------------------------------------------------------

EDT = timezone(timedelta(hours=-4), "EDT")  # Jun..Oct 2024 is daylight time in the US east
MAIL_START = datetime(2024, 6, 1, tzinfo=UTC)
MAIL_END = datetime(2024, 10, 31, 23, 59, tzinfo=UTC)
SIGNIN_START = datetime(2024, 9, 1, tzinfo=UTC)
SIGNIN_DAYS = 30
SOCIAL_START = datetime(2024, 9, 1, tzinfo=UTC)
SOCIAL_END = datetime(2024, 10, 31, 23, 59, tzinfo=UTC)
CRAWL_TIME = datetime(2024, 10, 20, 14, 0, tzinfo=UTC)

DEMO_NAMESPACE = uuid.UUID("0b6f1d2e-7c35-4f0a-9a4e-2d1c5b7e9f31")


def demo_uuid(*parts: object) -> str:
    """A stable UUID for a thing of the story (tenant ids, user ids, STIX ids)."""
    return str(uuid.uuid5(DEMO_NAMESPACE, "|".join(map(str, parts))))


# -- organizations -----------------------------------------------------------------------------------

CAMPAIGN = "Harper for America"
CAMPAIGN_DOMAIN = "harperforamerica.org"
CAMPAIGN_TENANT_DOMAIN = "harperforamerica.onmicrosoft.com"
CAMPAIGN_TENANT_ID = demo_uuid("tenant", CAMPAIGN_DOMAIN)
CAMPAIGN_LIST_DOMAIN = "lists.harperforamerica.org"

COUNTY = "Calder County Elections"
COUNTY_DOMAIN = "caldercounty.gov"
COUNTY_TENANT_DOMAIN = "caldercountypa.onmicrosoft.com"
COUNTY_TENANT_ID = demo_uuid("tenant", COUNTY_DOMAIN)

OUTLET = "Springfield Herald"
OUTLET_DOMAIN = "springfieldherald.com"

ACTIVIST_GROUP = "Calder Voters Alliance"
ACTIVIST_DOMAIN = "caldervoters.org"
ACTIVIST_HANDLE = "caldervoters"
ACTIVIST_BIO = (
    "Nonpartisan volunteers helping every Calder County voter register, find their polling place "
    "and cast a ballot. Not affiliated with any party or candidate."
)
ACTIVIST_AVATAR = "c3a5e1f09b7d2486"

# The actors (fictional). The cyber actor runs the phishing and the sign-in attacks; the influence
# actor runs the fake news sites, the clones and the coordinated accounts.
CYBER_ACTOR = "VELVET LARK"
INFLUENCE_ACTOR = "PAPER LANTERN"


# -- people ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    email: str
    role: str
    title: str
    client: str  # habitual mail client (see mail.CLIENTS)
    home: str  # key of their home network (see HOME_NETS)
    hours: tuple[int, int] = (8, 19)  # habitual sending hours, local
    links: tuple[str, ...] = ()  # habitual link domains
    handle: str = ""


def _staff(
    key: str,
    name: str,
    title: str,
    role: str,
    client: str,
    home: str,
    hours: tuple[int, int] = (8, 19),
    links: tuple[str, ...] = (),
    handle: str = "",
) -> Person:
    first, last = name.lower().split(" ", 1)
    return Person(
        key,
        name,
        f"{first}.{last.replace(' ', '')}@{CAMPAIGN_DOMAIN}",
        role,
        title,
        client,
        home,
        hours,
        links,
        handle,
    )


CANDIDATE = _staff(
    "candidate",
    "Meg Harper",
    "Candidate",
    "candidate",
    "iphone",
    "phl_comcast",
    (6, 22),
    ("harperforamerica.org", "springfieldherald.com"),
    handle="megharper",
)
CHAIR = _staff(
    "chair",
    "Robert Lindqvist",
    "Campaign Chair",
    "campaign-leadership",
    "outlook_win",
    "phl_verizon",
    (6, 21),
    ("docs.google.com", "politico.com", "nytimes.com"),
)
MANAGER = _staff(
    "manager",
    "Alicia Moreno",
    "Campaign Manager",
    "campaign-leadership",
    "outlook_mac",
    "phl_comcast",
    (7, 23),
    ("docs.google.com", "harperforamerica.org", "zoom.us"),
)
COMMS = _staff(
    "comms",
    "Priya Natarajan",
    "Communications Director",
    "staff",
    "apple_mail",
    "phl_comcast",
    (7, 22),
    ("springfieldherald.com", "caldervalleytimes.com", "x.com"),
)
FINANCE = _staff(
    "finance",
    "Marcus Bell",
    "Finance Director",
    "staff",
    "outlook_win",
    "phl_verizon",
    (8, 18),
    ("docs.google.com", "fec.gov"),
)
POLICY = _staff(
    "policy",
    "Hannah Cho",
    "Policy Director",
    "staff",
    "outlook_win",
    "phl_comcast",
    (9, 20),
    ("docs.google.com", "brookings.edu", "census.gov"),
)
FIELD = _staff(
    "field",
    "Jamal Whitaker",
    "Field Director",
    "staff",
    "iphone",
    "phl_tmobile",
    (7, 21),
    ("docs.google.com", "harperforamerica.org", "mobilize.us"),
)
DIGITAL = _staff(
    "digital",
    "Sofia Alvarez",
    "Digital Director",
    "staff",
    "apple_mail",
    "phl_comcast",
    (9, 23),
    ("docs.google.com", "x.com", "harperforamerica.org"),
)
SCHEDULER = _staff(
    "scheduler",
    "Ben Okafor",
    "Scheduler",
    "staff",
    "outlook_win",
    "phl_verizon",
    (7, 19),
    ("zoom.us", "harperforamerica.org"),
)
PRESS = _staff(
    "press",
    "Erin Walsh",
    "Press Secretary",
    "staff",
    "outlook_mac",
    "phl_comcast",
    (7, 22),
    ("springfieldherald.com", "caldervalleytimes.com", "keystonestatewire.com"),
)

STAFF: tuple[Person, ...] = (
    CANDIDATE,
    CHAIR,
    MANAGER,
    COMMS,
    FINANCE,
    POLICY,
    FIELD,
    DIGITAL,
    SCHEDULER,
    PRESS,
)

# The former senior adviser, writing from his personal account on a regional mail provider.
ADVISER = Person(
    "adviser",
    "Gordon Reyes",
    "gordon.reyes@chesapeakemail.net",
    "former-adviser",
    "Former Senior Adviser",
    "outlook_postfix",
    "arl_fios",
    (7, 20),
    ("politico.com", "washingtonpost.com", "nytimes.com", "realclearpolling.com"),
)
ADVISER_MAIL_HOST = "smtp.chesapeakemail.net"
ADVISER_MAIL_IP = "64.94.212.27"
ADVISER_DOMAIN = "chesapeakemail.net"

POLLSTER = Person(
    "pollster",
    "Nate Keller",
    "nate@kellerresearch.com",
    "vendor",
    "Pollster",
    "gmail_web",
    "google",
    (8, 18),
    ("kellerresearch.com", "docs.google.com"),
)
REPORTER = Person(
    "reporter",
    "Tom Becker",
    "tbecker@springfieldherald.com",
    "press",
    "Reporter",
    "outlook_win",
    "herald_office",
    (8, 20),
    ("springfieldherald.com",),
)
COUNSEL = Person(
    "counsel",
    "Lauren Fitzgerald",
    "lfitzgerald@dunmorekline.com",
    "vendor",
    "Outside Counsel",
    "outlook_win",
    "dc_office",
    (8, 19),
    ("fec.gov", "dunmorekline.com"),
)
DONOR = Person(
    "donor",
    "Patricia Vance",
    "patvance1958@gmail.com",
    "donor",
    "Donor",
    "gmail_web",
    "google",
    (9, 21),
    ("nytimes.com",),
)
VOLUNTEER = Person(
    "volunteer",
    "Dale Summers",
    "dsummers@yahoo.com",
    "volunteer",
    "Volunteer",
    "yahoo_web",
    "yahoo",
    (10, 22),
    (),
)
PRINTER = Person(
    "printer",
    "Carla Nguyễn",
    "carla@keystoneprintworks.com",
    "vendor",
    "Print vendor",
    "outlook_win",
    "lancaster_office",
    (8, 17),
    ("keystoneprintworks.com",),
)
PROFESSOR = Person(
    "professor",
    "David Hartman",
    "d.hartman@keystoneu.edu",
    "supporter",
    "Professor",
    "thunderbird",
    "keystoneu",
    (9, 23),
    ("keystoneu.edu", "census.gov"),
)

EXTERNALS: tuple[Person, ...] = (ADVISER, POLLSTER, REPORTER, COUNSEL, DONOR, VOLUNTEER, PRINTER, PROFESSOR)

#: The chair's personal vanity domain, which forwards to the campaign mailbox (a DMARC-breaking hop).
CHAIR_PERSONAL = "robert@lindqvistfamily.net"
CHAIR_FORWARDER = ("mx.lindqvistfamily.net", "66.96.140.61")

COUNTY_DIRECTOR = ("Janet Okonkwo", f"janet.okonkwo@{COUNTY_DOMAIN}")


# -- networks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Net:
    """A network someone sends or signs in from: a few addresses, their ASN and where they geolocate."""

    key: str
    ips: tuple[str, ...]
    asn: int
    isp: str
    city: str
    state: str
    country: str
    lat: float
    lon: float
    rdns: tuple[str, ...] = field(default=())


HOME_NETS: dict[str, Net] = {
    n.key: n
    for n in (
        Net(
            "phl_comcast",
            ("73.165.42.118", "73.165.77.9", "73.174.201.56", "68.82.14.203", "73.191.8.77"),
            7922,
            "Comcast Cable",
            "Philadelphia",
            "Pennsylvania",
            "US",
            39.9526,
            -75.1652,
            (
                "c-73-165-42-118.hsd1.pa.comcast.net",
                "c-73-165-77-9.hsd1.pa.comcast.net",
                "c-73-174-201-56.hsd1.pa.comcast.net",
                "c-68-82-14-203.hsd1.pa.comcast.net",
                "c-73-191-8-77.hsd1.pa.comcast.net",
            ),
        ),
        Net(
            "phl_verizon",
            ("108.52.90.14", "108.16.233.71", "71.242.145.30"),
            701,
            "Verizon Fios",
            "Philadelphia",
            "Pennsylvania",
            "US",
            39.9526,
            -75.1652,
            (
                "pool-108-52-90-14.phlapa.fios.verizon.net",
                "pool-108-16-233-71.phlapa.fios.verizon.net",
                "pool-71-242-145-30.phlapa.fios.verizon.net",
            ),
        ),
        Net(
            "phl_tmobile",
            ("172.58.201.14", "172.58.197.233", "172.56.43.102"),
            21928,
            "T-Mobile USA",
            "Philadelphia",
            "Pennsylvania",
            "US",
            39.9526,
            -75.1652,
        ),
        Net(
            "arl_fios",
            ("71.178.214.62", "71.178.203.19"),
            701,
            "Verizon Fios",
            "Arlington",
            "Virginia",
            "US",
            38.8816,
            -77.0910,
            ("pool-71-178-214-62.washdc.fios.verizon.net", "pool-71-178-203-19.washdc.fios.verizon.net"),
        ),
        Net(
            "arl_vzw",
            ("174.205.18.77", "174.212.66.140", "174.198.9.31"),
            22394,
            "Verizon Wireless",
            "Arlington",
            "Virginia",
            "US",
            38.8816,
            -77.0910,
        ),
        Net(
            "lisbon_meo",
            ("94.63.178.20", "94.63.191.4"),
            3243,
            "MEO",
            "Lisbon",
            "Lisbon",
            "PT",
            38.7223,
            -9.1393,
        ),
        Net(
            "google",
            ("209.85.220.41", "209.85.221.54", "209.85.218.49", "209.85.208.171"),
            15169,
            "Google",
            "Mountain View",
            "California",
            "US",
            37.4056,
            -122.0775,
            (
                "mail-sor-f41.google.com",
                "mail-wr1-f54.google.com",
                "mail-ej1-f49.google.com",
                "mail-lj1-f171.google.com",
            ),
        ),
        Net(
            "yahoo",
            ("98.137.69.84", "66.163.190.153"),
            36647,
            "Yahoo",
            "Sunnyvale",
            "California",
            "US",
            37.3688,
            -122.0363,
            ("sonic306-21.consmr.mail.gq1.yahoo.com", "sonic311-22.consmr.mail.bf2.yahoo.com"),
        ),
        Net(
            "herald_office",
            ("38.104.58.12",),
            174,
            "Cogent",
            "Springfield",
            "Illinois",
            "US",
            39.7817,
            -89.6501,
            ("mail.springfieldherald.com",),
        ),
        Net(
            "dc_office",
            ("38.140.21.90",),
            174,
            "Cogent",
            "Washington",
            "District of Columbia",
            "US",
            38.9072,
            -77.0369,
            ("mx1.dunmorekline.com",),
        ),
        Net(
            "lancaster_office",
            ("50.78.112.34",),
            7922,
            "Comcast Business",
            "Lancaster",
            "Pennsylvania",
            "US",
            40.0379,
            -76.3055,
            ("50-78-112-34-static.hfc.comcastbusiness.net",),
        ),
        Net(
            "keystoneu",
            ("128.118.10.22",),
            3999,
            "Keystone University",
            "State College",
            "Pennsylvania",
            "US",
            40.7934,
            -77.8600,
            ("smtp.keystoneu.edu",),
        ),
        Net(
            "desmoines_hotel", ("12.156.88.41",), 7018, "AT&T", "Des Moines", "Iowa", "US", 41.5868, -93.6250
        ),
    )
}

#: Campaign HQ (Philadelphia) egress, shared by everyone in the office.
CAMPAIGN_OFFICE = Net(
    "campaign_hq",
    ("96.245.30.66",),
    701,
    "Verizon Business",
    "Philadelphia",
    "Pennsylvania",
    "US",
    39.9526,
    -75.1652,
)
#: Exchange Online's outbound addresses (what inbound mail from the tenant comes from).
EXO_OUTBOUND = ("40.107.92.41", "40.107.93.120", "40.107.244.77", "52.100.165.210")


# -- attacker infrastructure -------------------------------------------------------------------------

#: (a) the hijacked adviser account, used from a VPS abroad with another client, at 3 a.m.
PHISH_A_IP = "91.206.178.34"
PHISH_A_RDNS = "vps-91-206-178-34.hostline-nl.net"
PHISH_A_DOMAIN = "secure-docreview.online"
PHISH_A_URL = "https://secure-docreview.online/r/7Kq2vX?d=debate-prep-final"
#: (b) the same account, with his usual client, in working hours: only the network and link are new.
PHISH_B_IP = "45.88.97.213"
PHISH_B_DOMAIN = "briefing-archive.site"
PHISH_B_URL = "https://briefing-archive.site/s/townhall-format-memo"
#: (c) BEC-style spoof of the candidate, with a lookalike domain as reply-to and bounce address.
SPOOF_DOMAIN = "harperforamerica-org.com"
SPOOF_IP = "185.117.90.211"
#: (d) credential phish from a homoglyph of the campaign domain (Cyrillic і), with an .htm attachment.
HOMOGLYPH_DOMAIN_U = "harperforamerіca.org"
HOMOGLYPH_DOMAIN = HOMOGLYPH_DOMAIN_U.encode("idna").decode("ascii")
CRED_DOMAIN = "harperforamerica-sso.com"
CRED_URL = "https://harperforamerica-sso.com/owa/auth/logon.aspx?replaceCurrent=1&url=mail"
CRED_IP = "185.117.90.214"
#: (e) podcast invitation lure: rapport first, then a "guest portal" link.
PODCAST_DOMAIN = "thecivicbrief-podcast.com"
PODCAST_PORTAL_DOMAIN = "meet-civicbrief.live"
PODCAST_PORTAL_URL = "https://meet-civicbrief.live/guest/Zk81mQ/join?host=civicbrief"
PODCAST_SENDER = ("Dana Whitfield", "dana@thecivicbrief-podcast.com")
PODCAST_IP = "45.88.97.40"

#: Sign-in attack infrastructure. The candidate-account attempts share the /24 of the (a) phish.
SPRAY_IP = "193.29.59.14"
SPRAY_ASN = 9009
SLOW_SPRAY_IP = "89.44.9.201"
SLOW_SPRAY_ASN = 9009
CANDIDATE_ATTEMPT_IPS = ("91.206.178.57", "91.206.178.91")
CANDIDATE_ATTEMPT_ASN = 50673
MFA_FATIGUE_IP = "104.234.140.77"
MFA_FATIGUE_ASN = 62904
TRAVEL_IP = "5.181.234.19"
TRAVEL_ASN = 39798
LEGACY_IP = "185.156.46.112"
LEGACY_ASN = 44477
DISTRIBUTED_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/108.0.0.0 Safari/537.36 Edg/108.0.1462.54"
)

# -- web ---------------------------------------------------------------------------------------------

#: The influence actor's fake "local news" sites; all four share these tracker ids and one template.
FAKE_GA_ID = "G-7XQ4M2KZ9P"
FAKE_ADSENSE_ID = "ca-pub-4417093826150392"
FAKE_SITES_LEFT = ("caldercountydispatch.com", "progressivevalleynews.com")
FAKE_SITES_RIGHT = ("calderfreepress.com", "libertyridgetribune.com")
CLONE_DOMAINS = ("springfieldherald.co", "springfie1dherald.com")
REAL_OUTLETS = (OUTLET_DOMAIN, "caldervalleytimes.com", "keystonestatewire.com")
#: A domain impersonating the county's election office, pushed by the impersonation accounts.
COUNTY_LOOKALIKE = "caldercounty-elections.com"
