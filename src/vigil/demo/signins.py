"""Entra ID sign-ins of the county and the campaign tenants, in the Microsoft Graph ``signIn`` shape.

Thirty days (September 2024) of ordinary work (office and home networks, phones on carrier networks,
a VPN user, a commissioner abroad, typos, a lock-out and its reset, a printer that sends over SMTP),
plus the planted attacks. ``entra_signins.jsonl`` holds one event per line, oldest first;
``entra_page.json`` is one Graph page (newest first) of the campaign tenant for 13-16 September.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from vigil.demo import story as s
from vigil.demo.common import FIRST_NAMES, LAST_NAMES, scaled
from vigil.demo.manifest import PlantedAttack, iso

JSONL = "signins/entra_signins.jsonl"
PAGE = "signins/entra_page.json"
PAGE_START = datetime(2024, 9, 13, tzinfo=UTC)
PAGE_END = datetime(2024, 9, 17, tzinfo=UTC)

APPS = {
    "Office 365 Exchange Online": "00000002-0000-0ff1-ce00-000000000000",
    "OfficeHome": "4765445b-32c6-49b0-83e6-1d93765276ca",
    "Microsoft Teams": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
    "Office 365 SharePoint Online": "00000003-0000-0ff1-ce00-000000000000",
    "Microsoft Office": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
    "Azure Active Directory PowerShell": "1b730954-1685-4b74-9bfd-dac224a7b894",
    "Outlook Mobile": "27922004-5251-4030-b22d-91ecd9a37ea4",
    "My Signins": "19db86c3-b2b9-44cc-b339-36da233a3be2",
    "Calder County Voter Registration Portal": s.demo_uuid("app", "sure-portal"),
}
RESOURCES = {
    "Office 365 Exchange Online": "Office 365 Exchange Online",
    "OfficeHome": "OfficeHome",
    "Microsoft Teams": "Microsoft Teams Services",
    "Office 365 SharePoint Online": "Office 365 SharePoint Online",
    "Microsoft Office": "Microsoft Graph",
    "Azure Active Directory PowerShell": "Windows Azure Active Directory",
    "Outlook Mobile": "Office 365 Exchange Online",
    "My Signins": "My Signins",
    "Calder County Voter Registration Portal": "Calder County Voter Registration Portal",
}

REASONS = {
    0: "Other.",
    50126: "Error validating credentials due to invalid username or password.",
    50053: "The account is locked, you've tried to sign in too many times with an incorrect user ID or "
    "password.",
    50074: "Strong Authentication is required.",
    50076: "Due to a configuration change made by your administrator, or because you moved to a new "
    "location, "
    "you must use multi-factor authentication to access the resource.",
    500121: "Authentication failed during strong authentication request.",
    50034: "The user account does not exist in the directory. To sign into this application, the account "
    "must "
    "be added to the directory.",
    50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
}

UA = {
    "win_edge": (
        "Windows10",
        "Edge 128.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0",
    ),
    "win_chrome": (
        "Windows10",
        "Chrome 128.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/128.0.0.0 Safari/537.36",
    ),
    "mac_safari": (
        "MacOs",
        "Safari 17.6",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.6 Safari/605.1.15",
    ),
    "ios_outlook": ("Ios 17.6.1", "", "Outlook-iOS/2.0"),
    "android_outlook": ("Android 14", "", "Outlook-Android/2.0"),
    "linux_firefox": (
        "Linux",
        "Firefox 115.0",
        "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
    ),
    "old_chrome": (
        "Windows10",
        "Chrome 91.0.4472",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/91.0.4472.124 Safari/537.36",
    ),
    "distributed": ("Windows10", "Edge 108.0.1462", s.DISTRIBUTED_UA),
    "legacy": ("", "", ""),
}


@dataclass(frozen=True)
class Place:
    city: str
    state: str
    country: str
    lat: float
    lon: float


PLACES = {
    p.city: p
    for p in (
        Place("Harrisburg", "Pennsylvania", "US", 40.2732, -76.8867),
        Place("Carlisle", "Pennsylvania", "US", 40.2015, -77.1889),
        Place("Lebanon", "Pennsylvania", "US", 40.3409, -76.4113),
        Place("York", "Pennsylvania", "US", 39.9626, -76.7277),
        Place("Hershey", "Pennsylvania", "US", 40.2859, -76.6502),
        Place("Mechanicsburg", "Pennsylvania", "US", 40.2143, -77.0086),
        Place("Philadelphia", "Pennsylvania", "US", 39.9526, -75.1652),
        Place("Pittsburgh", "Pennsylvania", "US", 40.4406, -79.9959),
        Place("Erie", "Pennsylvania", "US", 42.1292, -80.0851),
        Place("Allentown", "Pennsylvania", "US", 40.6084, -75.4902),
        Place("Chicago", "Illinois", "US", 41.8781, -87.6298),
        Place("Dallas", "Texas", "US", 32.7767, -96.7970),
        Place("London", "England", "GB", 51.5072, -0.1276),
        Place("Amsterdam", "Noord-Holland", "NL", 52.3676, 4.9041),
        Place("Bucharest", "Bucuresti", "RO", 44.4268, 26.1025),
        Place("Frankfurt am Main", "Hessen", "DE", 50.1109, 8.6821),
        Place("Chisinau", "Chisinau", "MD", 47.0105, 28.8638),
        Place("Ashburn", "Virginia", "US", 39.0438, -77.4874),
        Place("Atlanta", "Georgia", "US", 33.7490, -84.3880),
        Place("Columbus", "Ohio", "US", 39.9612, -82.9988),
        Place("Newark", "New Jersey", "US", 40.7357, -74.1724),
    )
}


@dataclass
class Where:
    ip: str
    asn: int
    place: Place


@dataclass
class User:
    upn: str
    name: str
    tenant: str
    home: Where
    device: str  # key of UA
    phone: str  # key of UA
    mfa: bool = True
    office: list[Where] = field(default_factory=list)
    device_id: str = ""
    device_name: str = ""
    weekend: float = 0.25
    role: str = ""


COUNTY_OFFICES = [
    Where("50.203.98.10", 7922, PLACES["Harrisburg"]),
    Where("50.203.98.11", 7922, PLACES["Harrisburg"]),
    Where("64.5.66.130", 6461, PLACES["Carlisle"]),
]
CAMPAIGN_OFFICE = Where(s.CAMPAIGN_OFFICE.ips[0], s.CAMPAIGN_OFFICE.asn, PLACES["Philadelphia"])
MOBILE = [(21928, "172.58"), (21928, "172.56"), (22394, "174.205"), (22394, "174.212"), (20057, "166.205")]
HOME_ISPS = [(7922, "73.{}"), (7922, "71.{}"), (701, "108.{}"), (7029, "173.{}")]
VPN_EXITS = [Where("146.70.171.102", 9009, PLACES["Chicago"]), Where("146.70.188.74", 9009, PLACES["Dallas"])]


class SigninGen:
    def __init__(self, rng: random.Random, scale: float) -> None:
        self.rng = rng
        self.scale = scale
        self.events: list[dict[str, Any]] = []
        self.attacks: list[PlantedAttack] = []
        self.negatives: list[PlantedAttack] = []
        self.county: list[User] = []
        self.campaign: list[User] = []
        self.named: dict[str, User] = {}

    # -- people ------------------------------------------------------------------------------------

    def _home(self, towns: tuple[str, ...]) -> Where:
        asn, pattern = self.rng.choice(HOME_ISPS)
        ip = (
            pattern.format(self.rng.randrange(60, 250))
            + f".{self.rng.randrange(1, 255)}.{self.rng.randrange(2, 254)}"
        )
        return Where(ip, asn, PLACES[self.rng.choice(towns)])

    def users(self) -> None:
        r = self.rng
        county_towns = ("Harrisburg", "Carlisle", "Lebanon", "York", "Hershey", "Mechanicsburg")
        fixed = [
            ("Janet Okonkwo", "director-of-elections"),
            ("Dale Pruitt", "recorder-of-deeds-clerk"),
            ("Brian Eberly", "public-works-engineer"),
            ("Linda Weaver", "treasurer-office-clerk"),
            ("Karen Musser", "county-commissioner"),
            ("Tomasz Novak", "it-systems-administrator"),
            ("Steven Kline", "assessor-office-clerk"),
        ]
        seen = set()
        names: list[tuple[str, str]] = list(fixed)
        for n, _ in fixed:
            seen.add(n)
        want = scaled(170, self.scale, 60)
        while len(names) < want:
            n = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
            if n not in seen:
                seen.add(n)
                names.append(
                    (
                        n,
                        r.choice(
                            (
                                "elections-clerk",
                                "assessor-office-clerk",
                                "public-works",
                                "human-services",
                                "treasurer-office-clerk",
                                "911-dispatcher",
                                "sheriff-office",
                                "parks",
                                "planning",
                            )
                        ),
                    )
                )
        for name, role in names:
            first, last = name.lower().replace("'", "").split(" ", 1)
            upn = f"{first}.{last.replace(' ', '')}@{s.COUNTY_DOMAIN}"
            u = User(
                upn,
                name,
                s.COUNTY_TENANT_ID,
                self._home(county_towns),
                r.choice(("win_edge", "win_edge", "win_chrome")),
                r.choice(("ios_outlook", "android_outlook")),
                mfa=r.random() < 0.8,
                office=[r.choice(COUNTY_OFFICES[:2]) if r.random() < 0.8 else COUNTY_OFFICES[2]],
                device_id=s.demo_uuid("device", upn),
                device_name=f"CC-{r.randrange(100, 999)}-WS",
                weekend=0.15,
                role=role,
            )
            self.county.append(u)
            self.named[name] = u
        self.named["Dale Pruitt"].mfa = False  # never registered: why a sprayed password was enough
        self.named["Linda Weaver"].mfa = False
        self.named["Janet Okonkwo"].mfa = True
        printer = User(
            f"scan-to-email@{s.COUNTY_DOMAIN}",
            "Scan to Email (Courthouse MFP)",
            s.COUNTY_TENANT_ID,
            COUNTY_OFFICES[0],
            "legacy",
            "legacy",
            mfa=False,
            office=[COUNTY_OFFICES[0]],
            role="service-account",
        )
        self.named["printer"] = printer

        philly = ("Philadelphia",)
        staff = [(p.name, p.email, p.role) for p in s.STAFF]
        extra = scaled(22, self.scale, 8)
        while len(staff) < len(s.STAFF) + extra:
            n = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
            if n in seen:
                continue
            seen.add(n)
            first, last = n.lower().replace("'", "").split(" ", 1)
            staff.append(
                (
                    n,
                    f"{first}.{last.replace(' ', '')}@{s.CAMPAIGN_DOMAIN}",
                    r.choice(
                        (
                            "field-organizer",
                            "field-organizer",
                            "digital-staff",
                            "finance-staff",
                            "press-assistant",
                            "volunteer-coordinator",
                        )
                    ),
                )
            )
        staff.append(("Nicole Ramirez", f"nicole.ramirez@{s.CAMPAIGN_DOMAIN}", "field-organizer"))
        for name, upn, role in staff:
            u = User(
                upn,
                name,
                s.CAMPAIGN_TENANT_ID,
                self._home(philly),
                r.choice(("mac_safari", "win_chrome")),
                "ios_outlook",
                mfa=True,
                office=[CAMPAIGN_OFFICE],
                weekend=0.6,
                role=role,
            )
            self.campaign.append(u)
            self.named[name] = u

    # -- one event -----------------------------------------------------------------------------------

    def _uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[self.rng.randrange(4)]}{h[17:20]}-{h[20:32]}"

    def event(
        self,
        u: User | None,
        t: datetime,
        where: Where,
        *,
        code: int = 0,
        app: str = "OfficeHome",
        ua: str | None = None,
        client: str = "Browser",
        mfa: str | None = None,
        upn: str = "",
        detail: str | None = None,
        managed: bool = False,
        tenant: str = "",
    ) -> dict[str, Any]:
        ua_key = ua or (u.device if u else "win_chrome")
        os_name, browser, agent = UA[ua_key]
        user_upn = upn or (u.upn if u else "")
        tenant_id = tenant or (u.tenant if u else s.COUNTY_TENANT_ID)
        if code == 0 and mfa:
            requirement = "multiFactorAuthentication"
            mfa_detail: dict[str, Any] | None = {"authMethod": mfa, "authDetail": None}
        elif code in (500121, 50074, 50076) or (u and u.mfa and code == 0):
            requirement = "multiFactorAuthentication"
            mfa_detail = (
                {"authMethod": "Mobile app notification", "authDetail": None} if code == 500121 else None
            )
        else:
            requirement = "singleFactorAuthentication"
            mfa_detail = None
        ev = {
            "id": self._uuid(),
            "createdDateTime": t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "userDisplayName": u.name if u else None,
            "userPrincipalName": user_upn,
            "userId": s.demo_uuid("user", user_upn) if u else "00000000-0000-0000-0000-000000000000",
            "appId": APPS[app],
            "appDisplayName": app,
            "ipAddress": where.ip,
            "autonomousSystemNumber": where.asn,
            "clientAppUsed": client,
            "userAgent": agent,
            "correlationId": self._uuid(),
            "conditionalAccessStatus": "notApplied" if code in (50126, 50034, 50053) else "success",
            "isInteractive": True,
            "tokenIssuerType": "AzureAD",
            "signInEventTypes": ["interactiveUser"],
            "authenticationRequirement": requirement,
            "riskDetail": "none" if tenant_id == s.CAMPAIGN_TENANT_ID else "hidden",
            "riskLevelAggregated": "none" if tenant_id == s.CAMPAIGN_TENANT_ID else "hidden",
            "riskLevelDuringSignIn": "none" if tenant_id == s.CAMPAIGN_TENANT_ID else "hidden",
            "riskState": "none",
            "riskEventTypes_v2": [],
            "resourceDisplayName": RESOURCES[app],
            "resourceId": APPS[app] if app != "Microsoft Office" else "00000003-0000-0000-c000-000000000000",
            "resourceTenantId": tenant_id,
            "homeTenantId": tenant_id,
            "status": {"errorCode": code, "failureReason": REASONS[code], "additionalDetails": detail},
            "deviceDetail": {
                "deviceId": u.device_id if (u and managed) else "",
                "displayName": u.device_name if (u and managed) else "",
                "operatingSystem": os_name,
                "browser": browser,
                "isCompliant": bool(u and managed),
                "isManaged": bool(u and managed),
                "trustType": "Hybrid Azure AD joined" if (u and managed) else "",
            },
            "location": {
                "city": where.place.city,
                "state": where.place.state,
                "countryOrRegion": where.place.country,
                "geoCoordinates": {
                    "altitude": None,
                    "latitude": where.place.lat,
                    "longitude": where.place.lon,
                },
            },
            "mfaDetail": mfa_detail,
            "appliedConditionalAccessPolicies": [],
        }
        self.events.append(ev)
        return ev

    # -- ordinary days -------------------------------------------------------------------------------

    def mobile(self, u: User) -> Where:
        """A carrier-grade NAT address: a new one almost every time."""
        asn, prefix = self.rng.choice(MOBILE)
        town = "Philadelphia" if u.tenant == s.CAMPAIGN_TENANT_ID else self.rng.choice(("Harrisburg", "York"))
        return Where(f"{prefix}.{self.rng.randrange(0, 255)}.{self.rng.randrange(1, 255)}", asn, PLACES[town])

    def session(
        self,
        u: User,
        t: datetime,
        where: Where,
        *,
        ua: str | None = None,
        managed: bool = False,
        app: str | None = None,
        client: str = "Browser",
    ) -> dict[str, Any]:
        """One ordinary sign-in, sometimes with a typo first or an MFA interrupt; returns the success."""
        r = self.rng
        app = app or r.choice(
            (
                "OfficeHome",
                "Office 365 Exchange Online",
                "Microsoft Teams",
                "Office 365 SharePoint Online",
                "Microsoft Office",
            )
        )
        if u.tenant == s.COUNTY_TENANT_ID and r.random() < 0.08 and "elections" in u.role:
            app = "Calder County Voter Registration Portal"
        if r.random() < 0.03:
            self.event(
                u,
                t - timedelta(seconds=r.randrange(20, 90)),
                where,
                code=50126,
                app=app,
                ua=ua,
                client=client,
                managed=managed,
            )
        mfa = None
        if u.mfa and r.random() < 0.1:
            self.event(
                u,
                t - timedelta(seconds=r.randrange(15, 40)),
                where,
                code=50074,
                app=app,
                ua=ua,
                client=client,
                managed=managed,
            )
            mfa = r.choice(
                (
                    "Mobile app notification",
                    "Mobile app notification",
                    "Text message",
                    "OATH verification code",
                )
            )
        return self.event(u, t, where, app=app, ua=ua, client=client, mfa=mfa, managed=managed)

    def ordinary(self) -> None:
        r = self.rng
        for day_i in range(s.SIGNIN_DAYS):
            day = datetime(2024, 9, 1, tzinfo=s.EDT) + timedelta(days=day_i)
            weekend = day.weekday() >= 5 or day.date() == datetime(2024, 9, 2).date()  # Labor Day
            for u in [*self.county, *self.campaign]:
                if (
                    u is self.named.get("Karen Musser")
                    and datetime(2024, 9, 16).date() <= day.date() <= datetime(2024, 9, 19).date()
                ):
                    continue  # in London, see travel()
                campaign = u.tenant == s.CAMPAIGN_TENANT_ID
                if weekend and r.random() > u.weekend:
                    continue
                n = r.randint(1, 2) if weekend else r.randint(2, 4 if not campaign else 5)
                for _ in range(n):
                    hour = r.randrange(7, 18) if not weekend else r.randrange(9, 21)
                    t = day.replace(hour=hour, minute=r.randrange(60), second=r.randrange(60))
                    x = r.random()
                    if not weekend and 8 <= hour < 17 and x < 0.7:
                        self.session(u, t, u.office[0], managed=not campaign)
                    elif x < 0.85:
                        self.session(u, t.replace(hour=r.choice((7, 18, 19, 20, 21))), u.home)
                    else:
                        self.session(
                            u,
                            t,
                            self.mobile(u),
                            ua=u.phone,
                            app="Outlook Mobile",
                            client="Mobile Apps and Desktop clients",
                        )
        # the courthouse copier mails scans over SMTP AUTH every working day: legacy, but expected
        printer = self.named["printer"]
        neg = PlantedAttack(
            id="neg.signin.printer_smtp_auth",
            kind="benign-legacy-auth",
            negative=True,
            actor="",
            title="The courthouse copier's service account signs in with Authenticated SMTP every working "
            "day",
            files=[JSONL],
            start=iso(s.SIGNIN_START),
            end=iso(s.SIGNIN_START + timedelta(days=s.SIGNIN_DAYS)),
            signals=["legacy protocol", "single factor"],
        )
        neg.add("user-account", printer.upn)
        neg.add("ipv4-addr", COUNTY_OFFICES[0].ip)
        for day_i in range(s.SIGNIN_DAYS):
            day = datetime(2024, 9, 1, tzinfo=s.EDT) + timedelta(days=day_i)
            if day.weekday() >= 5:
                continue
            for _ in range(r.randint(1, 4)):
                t = day.replace(hour=r.randrange(8, 17), minute=r.randrange(60), second=r.randrange(60))
                ev = self.event(
                    printer,
                    t,
                    COUNTY_OFFICES[0],
                    app="Office 365 Exchange Online",
                    ua="legacy",
                    client="Authenticated SMTP",
                )
                neg.records.append(ev["id"])
        self.negatives.append(neg)

    def travel(self) -> None:
        r = self.rng
        # a commissioner at a conference in London: a long flight between the last US and first UK sign-in
        karen = self.named["Karen Musser"]
        london = Where("81.152.44.19", 2856, PLACES["London"])
        last_us = datetime(2024, 9, 15, 20, 10, 4, tzinfo=s.EDT)
        ev = self.event(
            karen,
            last_us,
            karen.home,
            ua="ios_outlook",
            app="Outlook Mobile",
            client="Mobile Apps and Desktop clients",
        )
        neg = PlantedAttack(
            id="neg.signin.commissioner_in_london",
            kind="benign-travel",
            negative=True,
            actor="",
            title="A county commissioner at a conference in London (plausible travel time)",
            files=[JSONL],
            start=iso(last_us),
            end="",
            signals=["new country", "new ASN"],
            records=[ev["id"]],
        )
        neg.add("user-account", karen.upn)
        neg.add("ipv4-addr", london.ip)
        for d in range(16, 20):
            for _ in range(r.randint(2, 3)):
                t = datetime(2024, 9, d, r.randrange(8, 22), r.randrange(60), r.randrange(60), tzinfo=UTC)
                ev = self.session(
                    karen,
                    t,
                    london,
                    ua="ios_outlook",
                    app="Outlook Mobile",
                    client="Mobile Apps and Desktop clients",
                )
                neg.records.append(ev["id"])
                neg.end = max(neg.end, iso(t))
        self.negatives.append(neg)
        # the IT administrator who switches his consumer VPN on in the evening (same ASN as the sprays)
        tomasz = self.named["Tomasz Novak"]
        neg = PlantedAttack(
            id="neg.signin.it_admin_vpn",
            kind="benign-vpn",
            negative=True,
            actor="",
            title="An IT administrator using a consumer VPN (hosting ASN 9009, exits in Chicago and Dallas)",
            files=[JSONL],
            start="",
            end="",
            signals=["hosting ASN", "fast location change"],
        )
        neg.add("user-account", tomasz.upn)
        for exit_ in VPN_EXITS:
            neg.add("ipv4-addr", exit_.ip)
        for d in range(1, s.SIGNIN_DAYS, 3):
            t = datetime(2024, 9, d, 19, r.randrange(60), r.randrange(60), tzinfo=s.EDT)
            neg.records.append(self.session(tomasz, t, tomasz.home)["id"])
            t2 = t + timedelta(minutes=r.randrange(6, 14))
            neg.records.append(self.session(tomasz, t2, r.choice(VPN_EXITS))["id"])
            neg.start = neg.start or iso(t)
            neg.end = iso(t2)
        self.negatives.append(neg)
        # a lock-out after forgotten password, and success after the help desk reset it
        steven = self.named["Steven Kline"]
        t = datetime(2024, 9, 10, 8, 58, 10, tzinfo=s.EDT)
        ids = [
            self.event(steven, t + timedelta(seconds=35 * i), steven.office[0], code=50126, managed=True)[
                "id"
            ]
            for i in range(4)
        ]
        ids.append(
            self.event(steven, t + timedelta(seconds=160), steven.office[0], code=50053, managed=True)["id"]
        )
        ids.append(
            self.event(steven, t + timedelta(minutes=74), steven.office[0], managed=True, mfa="Text message")[
                "id"
            ]
        )
        neg = PlantedAttack(
            id="neg.signin.lockout_and_reset",
            kind="benign-lockout",
            negative=True,
            actor="",
            title="A clerk forgets a new password, is locked out, and signs in after a help-desk reset",
            files=[JSONL],
            start=iso(t),
            end=iso(t + timedelta(minutes=74)),
            signals=["repeated 50126", "50053 lock-out", "success after failures"],
            records=ids,
        )
        neg.add("user-account", steven.upn)
        neg.add("ipv4-addr", steven.office[0].ip)
        self.negatives.append(neg)
        # background internet noise: a guess or two a day from scattered addresses
        neg = PlantedAttack(
            id="neg.signin.background_noise",
            kind="background-noise",
            negative=True,
            actor="",
            title="Scattered single failed sign-ins from the internet (below any spray threshold)",
            files=[JSONL],
            start=iso(s.SIGNIN_START),
            end=iso(s.SIGNIN_START + timedelta(days=s.SIGNIN_DAYS)),
            signals=["single failures"],
        )
        foreign = [
            Where(f"{a}.{r.randrange(1, 255)}.{r.randrange(1, 255)}.{r.randrange(2, 254)}", asn, PLACES[city])
            for a, asn, city in (
                (103, 4134, "Frankfurt am Main"),
                (45, 16276, "London"),
                (196, 37963, "Amsterdam"),
                (181, 8048, "Atlanta"),
            )
        ]
        for d in range(s.SIGNIN_DAYS):
            for _ in range(r.randint(0, 2)):
                where = Where(
                    r.choice(foreign).ip.rsplit(".", 1)[0] + f".{r.randrange(2, 254)}",
                    r.choice(foreign).asn,
                    r.choice(foreign).place,
                )
                u = r.choice(self.county)
                t = s.SIGNIN_START + timedelta(days=d, seconds=r.randrange(86400))
                ev = self.event(u, t, where, code=50126, ua="win_chrome", app="OfficeHome")
                neg.records.append(ev["id"])
                neg.add("ipv4-addr", where.ip)
        self.negatives.append(neg)

    # -- the planted attacks -----------------------------------------------------------------------------

    def loud_spray(self) -> None:
        r = self.rng
        where = Where(s.SPRAY_IP, s.SPRAY_ASN, PLACES["Amsterdam"])
        victim = self.named["Dale Pruitt"]
        pool = [u for u in self.county if u is not victim and u.role != "service-account"]
        targets = [*r.sample(pool, 39), victim]
        r.shuffle(targets)
        t = datetime(2024, 9, 14, 2, 10, 3, tzinfo=UTC)
        a = PlantedAttack(
            id="signin.password_spray_county",
            kind="password-spray",
            actor=s.CYBER_ACTOR,
            title="Password spray from one address against 40 county accounts; one clerk's account falls",
            files=[JSONL],
            start=iso(t),
            end="",
            targets=[u.upn for u in targets],
            techniques=["T1110.003", "T1078.004"],
            signals=[
                "one IP, 40 accounts, 1-3 tries each, within 45 minutes",
                "50126/50034/50053 codes",
                "then a success from the same IP for a single-factor account",
            ],
        )
        first_pass_end = t
        locked = targets[3]
        for i, u in enumerate(targets):
            tries = 1 if u is victim else r.choice((1, 2, 2, 3))
            for k in range(tries):
                when = t + timedelta(seconds=i * 40 + k * 900 + r.randrange(0, 15))
                code = 50126
                if u is locked and k == tries - 1:
                    code = 50053
                ev = self.event(
                    u,
                    when,
                    where,
                    code=code,
                    app="Azure Active Directory PowerShell",
                    ua="old_chrome",
                    client="Mobile Apps and Desktop clients",
                )
                a.records.append(ev["id"])
                first_pass_end = max(first_pass_end, when)
        for i, ghost in enumerate(("admin", "elections", "it.support", "j.smith")):
            when = t + timedelta(seconds=i * 53 + 7)
            ev = self.event(
                None,
                when,
                where,
                code=50034,
                app="Azure Active Directory PowerShell",
                ua="old_chrome",
                client="Mobile Apps and Desktop clients",
                upn=f"{ghost}@{s.COUNTY_DOMAIN}",
                tenant=s.COUNTY_TENANT_ID,
            )
            a.records.append(ev["id"])
            a.targets.append(f"{ghost}@{s.COUNTY_DOMAIN}")
        # the victim's password was in the list: success from the same address, then the attacker reads mail
        success_t = first_pass_end + timedelta(minutes=6, seconds=12)
        ev = self.event(
            victim,
            success_t,
            where,
            app="Azure Active Directory PowerShell",
            ua="old_chrome",
            client="Mobile Apps and Desktop clients",
        )
        a.records.append(ev["id"])
        comp = PlantedAttack(
            id="signin.spray_compromised_account",
            kind="account-compromise",
            actor=s.CYBER_ACTOR,
            title="The sprayed county clerk's account signs in successfully from the spraying address",
            files=[JSONL],
            start=iso(success_t),
            end="",
            targets=[victim.upn],
            records=[ev["id"]],
            techniques=["T1078.004", "T1114.002"],
            signals=["success from the spray IP after the spray", "single factor", "new country and ASN"],
        )
        for k, app in enumerate(("OfficeHome", "Office 365 Exchange Online", "Office 365 SharePoint Online")):
            when = success_t + timedelta(minutes=14 + 21 * k, seconds=r.randrange(60))
            ev = self.event(victim, when, where, app=app, ua="win_chrome")
            comp.records.append(ev["id"])
            comp.end = iso(when)
        a.end = iso(success_t)
        a.add("ipv4-addr", s.SPRAY_IP)
        a.add("user-account", *a.targets)
        comp.add("ipv4-addr", s.SPRAY_IP)
        comp.add("user-account", victim.upn)
        self.attacks += [a, comp]

    def slow_spray(self) -> None:
        r = self.rng
        where = Where(s.SLOW_SPRAY_IP, s.SLOW_SPRAY_ASN, PLACES["Bucharest"])
        targets = r.sample([u for u in self.county if u.role != "service-account"], 25)
        t = datetime(2024, 9, 3, 1, 17, 44, tzinfo=UTC)
        a = PlantedAttack(
            id="signin.slow_password_spray",
            kind="password-spray-slow",
            actor=s.CYBER_ACTOR,
            title="Low-and-slow spray: one address, 25 county accounts, one try every few hours for five "
            "days",
            files=[JSONL],
            start=iso(t),
            end="",
            targets=[u.upn for u in targets],
            techniques=["T1110.003"],
            signals=["same IP fails against many accounts over days", "never more than one try per hour"],
        )
        when = t
        order = targets + r.sample(targets, 9)
        for u in order:
            ev = self.event(u, when, where, code=50126, ua="linux_firefox", app="OfficeHome")
            a.records.append(ev["id"])
            a.end = iso(when)
            when += timedelta(hours=r.uniform(2.5, 4.5), seconds=r.randrange(600))
        a.add("ipv4-addr", s.SLOW_SPRAY_IP)
        a.add("user-account", *a.targets)
        self.attacks.append(a)

    def distributed_spray(self) -> None:
        r = self.rng
        targets = r.sample(
            [u for u in self.campaign if u.name != "Nicole Ramirez"], min(25, len(self.campaign) - 1)
        )
        cities = (
            "Philadelphia",
            "Pittsburgh",
            "Allentown",
            "Newark",
            "Columbus",
            "Atlanta",
            "Chicago",
            "Dallas",
        )
        proxies = [
            Where(
                f"{r.choice((24, 47, 67, 68, 69, 73, 75, 76, 98, 99))}.{r.randrange(1, 255)}."
                f"{r.randrange(1, 255)}.{r.randrange(2, 254)}",
                r.choice((7922, 7018, 20115, 701, 22773)),
                PLACES[r.choice(cities)],
            )
            for _ in range(30)
        ]
        t = datetime(2024, 9, 21, 13, 0, 12, tzinfo=UTC)
        a = PlantedAttack(
            id="signin.distributed_password_spray",
            kind="password-spray-distributed",
            actor=s.CYBER_ACTOR,
            title="Distributed spray on the campaign tenant: 30 residential proxies, one user agent",
            files=[JSONL],
            start=iso(t),
            end="",
            targets=[],
            techniques=["T1110.003", "T1090.002"],
            signals=[
                "many IPs, each with 1-3 failures",
                "identical outdated Edge 108 user agent",
                "many accounts of one tenant inside two hours",
            ],
        )
        k = 0
        for p in proxies:
            for _ in range(r.randint(1, 3)):
                u = targets[k % len(targets)]
                k += 1
                when = t + timedelta(seconds=r.randrange(0, 7200))
                ev = self.event(u, when, p, code=50126, ua="distributed", app="OfficeHome")
                a.records.append(ev["id"])
                a.targets.append(u.upn)
                a.add("ipv4-addr", p.ip)
        for ghost in ("info", "press", "admin"):
            p = r.choice(proxies)
            when = t + timedelta(seconds=r.randrange(0, 7200))
            ev = self.event(
                None,
                when,
                p,
                code=50034,
                ua="distributed",
                app="OfficeHome",
                upn=f"{ghost}@{s.CAMPAIGN_DOMAIN}",
                tenant=s.CAMPAIGN_TENANT_ID,
            )
            a.records.append(ev["id"])
            a.targets.append(f"{ghost}@{s.CAMPAIGN_DOMAIN}")
        a.targets = sorted(set(a.targets))
        a.end = iso(t + timedelta(seconds=7200))
        a.add("user-account", *a.targets)
        self.attacks.append(a)

    def candidate_attempts(self) -> None:
        cand = self.named[s.CANDIDATE.name]
        a = PlantedAttack(
            id="signin.candidate_account_attempts",
            kind="targeted-login-attempts",
            actor=s.CYBER_ACTOR,
            title="Failed sign-ins to the candidate's account from new infrastructure, days after the "
            "spear-phish",
            files=[PAGE],
            start="",
            end="",
            targets=[cand.upn],
            techniques=["T1110.001", "T1078.004"],
            signals=[
                "protected account",
                "new IPs in the /24 of the spear-phish sender (91.206.178.0/24)",
                "days after the phish",
                "ends in lock-out",
            ],
        )
        plan = [
            (datetime(2024, 9, 13, 4, 10, 33, tzinfo=UTC), s.CANDIDATE_ATTEMPT_IPS[0], (50126, 50126, 50126)),
            (datetime(2024, 9, 16, 3, 2, 9, tzinfo=UTC), s.CANDIDATE_ATTEMPT_IPS[1], (50126, 50126, 50053)),
        ]
        for t, ip, codes in plan:
            where = Where(ip, s.CANDIDATE_ATTEMPT_ASN, PLACES["Amsterdam"])
            for i, code in enumerate(codes):
                when = t + timedelta(seconds=47 * i + self.rng.randrange(10))
                ev = self.event(cand, when, where, code=code, ua="linux_firefox", app="OfficeHome")
                a.records.append(ev["id"])
                a.start = a.start or iso(when)
                a.end = iso(when)
            a.add("ipv4-addr", ip)
        a.add("user-account", cand.upn)
        self.attacks.append(a)

    def impossible_travel(self) -> None:
        brian = self.named["Brian Eberly"]
        t1 = datetime(2024, 9, 18, 13, 55, 21, tzinfo=UTC)
        e1 = self.event(brian, t1, brian.office[0], managed=True)
        t2 = t1 + timedelta(minutes=36, seconds=40)
        where = Where(s.TRAVEL_IP, s.TRAVEL_ASN, PLACES["Bucharest"])
        e2 = self.event(
            brian,
            t2,
            where,
            ua="linux_firefox",
            app="OfficeHome",
            mfa="Mobile app notification" if brian.mfa else None,
        )
        e3 = self.event(
            brian, t2 + timedelta(minutes=3), where, ua="linux_firefox", app="Office 365 Exchange Online"
        )
        a = PlantedAttack(
            id="signin.impossible_travel",
            kind="impossible-travel",
            actor=s.CYBER_ACTOR,
            title="Success from the county office, then from Bucharest 37 minutes later, with another device",
            files=[JSONL],
            start=iso(t1),
            end=iso(t2 + timedelta(minutes=3)),
            targets=[brian.upn],
            records=[e1["id"], e2["id"], e3["id"]],
            techniques=["T1078.004"],
            signals=["~7,600 km in 37 minutes", "new device and browser", "new ASN"],
        )
        a.add("user-account", brian.upn)
        a.add("ipv4-addr", brian.office[0].ip, s.TRAVEL_IP)
        self.attacks.append(a)

    def mfa_fatigue(self) -> None:
        r = self.rng
        nicole = self.named["Nicole Ramirez"]
        where = Where(s.MFA_FATIGUE_IP, s.MFA_FATIGUE_ASN, PLACES["Frankfurt am Main"])
        t = datetime(2024, 9, 25, 2, 10, 5, tzinfo=UTC)
        a = PlantedAttack(
            id="signin.mfa_fatigue",
            kind="mfa-fatigue",
            actor=s.CYBER_ACTOR,
            title="MFA fatigue: 12 denied push prompts in half an hour, then an approved one, late at night",
            files=[JSONL],
            start=iso(t),
            end="",
            targets=[nicole.upn],
            techniques=["T1621", "T1078.004"],
            signals=[
                "many 500121 for one user from one new IP",
                "then success with MFA from the same IP",
                "22:10-22:41 local",
            ],
        )
        when = t
        for i in range(12):
            detail = (
                "MFA denied; user declined the authentication"
                if i % 3 == 2
                else "The user didn't complete the MFA prompt. They may have decided not to authenticate, "
                "timed out while doing other work, or has an issue with their authentication setup."
            )
            ev = self.event(
                nicole, when, where, code=500121, ua="win_chrome", app="OfficeHome", detail=detail
            )
            a.records.append(ev["id"])
            when += timedelta(minutes=2, seconds=r.randrange(5, 40))
        ev = self.event(
            nicole,
            when + timedelta(minutes=1),
            where,
            ua="win_chrome",
            app="OfficeHome",
            mfa="Mobile app notification",
        )
        a.records.append(ev["id"])
        ev2 = self.event(
            nicole, when + timedelta(minutes=5), where, ua="win_chrome", app="Office 365 Exchange Online"
        )
        a.records.append(ev2["id"])
        a.end = iso(when + timedelta(minutes=5))
        a.add("user-account", nicole.upn)
        a.add("ipv4-addr", s.MFA_FATIGUE_IP)
        self.attacks.append(a)

    def legacy_auth(self) -> None:
        linda = self.named["Linda Weaver"]
        where = Where(s.LEGACY_IP, s.LEGACY_ASN, PLACES["Chisinau"])
        t = datetime(2024, 9, 23, 7, 12, 40, tzinfo=UTC)
        a = PlantedAttack(
            id="signin.legacy_protocol_success",
            kind="legacy-auth-compromise",
            actor=s.CYBER_ACTOR,
            title="IMAP4 sign-ins succeed for a treasurer's clerk from abroad (legacy protocol, no MFA "
            "possible)",
            files=[JSONL],
            start=iso(t),
            end="",
            targets=[linda.upn],
            techniques=["T1078.004", "T1114.002"],
            signals=["clientAppUsed IMAP4", "single factor", "new country", "repeated mailbox syncs"],
        )
        for i in range(2):
            ev = self.event(
                linda,
                t + timedelta(seconds=20 * i),
                where,
                code=50126,
                ua="legacy",
                app="Office 365 Exchange Online",
                client="IMAP4",
            )
            a.records.append(ev["id"])
        when = t + timedelta(minutes=2)
        for _ in range(7):
            ev = self.event(linda, when, where, ua="legacy", app="Office 365 Exchange Online", client="IMAP4")
            a.records.append(ev["id"])
            a.end = iso(when)
            when += timedelta(minutes=self.rng.randrange(25, 70))
        a.add("user-account", linda.upn)
        a.add("ipv4-addr", s.LEGACY_IP)
        self.attacks.append(a)

    def build(self) -> None:
        self.users()
        self.ordinary()
        self.travel()
        self.loud_spray()
        self.slow_spray()
        self.distributed_spray()
        self.candidate_attempts()
        self.impossible_travel()
        self.mfa_fatigue()
        self.legacy_auth()
        self.events.sort(key=lambda e: (e["createdDateTime"], e["id"]))


def _in_page(ev: dict[str, Any]) -> bool:
    return ev["resourceTenantId"] == s.CAMPAIGN_TENANT_ID and (
        PAGE_START.strftime("%Y-%m-%dT%H:%M:%SZ")
        <= ev["createdDateTime"]
        < PAGE_END.strftime("%Y-%m-%dT%H:%M:%SZ")
    )


def write_signins(
    out: Path, rng: random.Random, scale: float
) -> tuple[list[tuple[str, str, int]], SigninGen]:
    gen = SigninGen(rng, scale)
    gen.build()
    (out / "signins").mkdir(parents=True, exist_ok=True)
    page = [e for e in gen.events if _in_page(e)]
    rest = [e for e in gen.events if not _in_page(e)]
    with (out / JSONL).open("wb") as f:
        for ev in rest:
            f.write(orjson.dumps(ev) + b"\n")
    page.sort(key=lambda e: (e["createdDateTime"], e["id"]), reverse=True)
    doc = {
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
        "value": page,
        "@odata.nextLink": "https://graph.microsoft.com/beta/auditLogs/signIns?$top=1000&$skiptoken="
        + s.demo_uuid("skiptoken").replace("-", ""),
    }
    (out / PAGE).write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
    # where each planted event landed
    in_page = {e["id"] for e in page}
    for a in [*gen.attacks, *gen.negatives]:
        if a.records:
            files = set()
            for rid in a.records:
                files.add(PAGE if rid in in_page else JSONL)
            a.files = sorted(files)
    return [(JSONL, "entra-jsonl", len(rest)), (PAGE, "entra-graph-page", len(page))], gen
