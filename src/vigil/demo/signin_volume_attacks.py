"""The planted attacks of a generated sign-in data set (``Planter``), and the helpers negatives use too.

Each attack is a ``PlantedAttack`` whose ``details`` name the detector expected to find it
(``details["detector"]``) and the detectors that would also be right to report it
(``details["also"]``: e.g. the account that falls to a spray also signs in from a new country).
``entities`` hold the attacker's addresses and the accounts involved; ``records`` the event ids.
The hard negatives are in ``vigil.demo.signin_volume_negatives``.

Every time is placed relative to the first day, so any length of 7 days or more holds all attacks.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from vigil.demo import story as s
from vigil.demo.common import FIRST_NAMES, LAST_NAMES
from vigil.demo.manifest import PlantedAttack, iso
from vigil.demo.signin_volume_days import DAY_MS, HOUR_MS, epoch_ms, workday
from vigil.demo.signin_volume_org import (
    APP,
    DOMAIN,
    IMAP,
    MODERN_CLIENT,
    NO_MFA,
    PROTECTED_PEOPLE,
    PUSH,
    SMS,
    TOTP,
    Org,
)
from vigil.demo.signin_volume_rows import WRITTEN, K, RowList

ACTOR = s.CYBER_ACTOR

#: Attacker infrastructure (made up; see vigil.demo.story).
LOUD_SPRAY = (s.SPRAY_IP, s.SPRAY_ASN, "Amsterdam")
SLOW_SPRAY = (s.SLOW_SPRAY_IP, s.SLOW_SPRAY_ASN, "Bucharest")
BRUTE_FORCE = ("164.90.160.77", 14061, "Frankfurt am Main")
IMPOSSIBLE = ("118.200.41.77", 4773, "Singapore")
FATIGUE = ("73.165.20.118", 7922, "Philadelphia")  # a residential proxy near the victim
LEGACY = ("3.224.108.19", 16509, "Ashburn")
NEW_COUNTRY = ("105.112.37.90", 29465, "Lagos")
PROTECTED_ATTEMPT = (s.CANDIDATE_ATTEMPT_IPS[0], s.CANDIDATE_ATTEMPT_ASN, "Amsterdam")
RESIDENTIAL = [
    (7922, "73", ("Philadelphia", "Pittsburgh", "Newark", "Chicago")),
    (7018, "99", ("Atlanta", "Dallas", "Chicago")),
    (20115, "24", ("Columbus", "Dallas")),
    (701, "108", ("Newark", "Philadelphia")),
    (22773, "68", ("Atlanta", "Dallas")),
]
ABROAD_RESIDENTIAL = [
    (28573, "177", "Sao Paulo"),
    (7552, "27", "Hanoi"),
    (9829, "117", "Mumbai"),
    (7713, "36", "Jakarta"),
    (5617, "83", "Warsaw"),
    (9121, "88", "Istanbul"),
    (8708, "86", "Bucharest"),
]
STUFFING_AGENTS = ("win_chrome", "win_edge", "mac_chrome", "win7_chrome", "python", "okhttp")
GHOST_NAMES = (
    "admin",
    "administrator",
    "test",
    "it.support",
    "helpdesk",
    "scanner",
    "elections",
    "info",
    "hr",
    "payroll",
    "backup",
    "svc.sql",
    "training",
    "intern",
    "reception",
    "clerk",
    "voter.services",
    "webmaster",
    "finance",
    "security",
)


class Planter:
    """Adds planted rows (with their ids) and keeps the truth about them."""

    def __init__(self, org: Org, seed: int) -> None:
        self.org = org
        self.rnd = random.Random(f"vigil-signin-volume:{seed}:planted")
        self.rows = RowList()
        self.kinds: dict[str, int] = {}
        self.attacks: list[PlantedAttack] = []
        self.negatives: list[PlantedAttack] = []
        self.used: set[int] = set(range(len(PROTECTED_PEOPLE)))
        self.used.update(t.user for t in org.trips)
        self.start_ms = epoch_ms(org.start)
        self.agent = org.agent

    # -- helpers ------------------------------------------------------------------------------------

    def uuid(self) -> str:
        h = f"{self.rnd.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[self.rnd.randrange(4)]}{h[17:20]}-{h[20:32]}"

    def day(self, fraction: float) -> int:
        return min(self.org.days - 2, max(1, int(self.org.days * fraction)))

    def at(self, day: int, hour: int, minute: int, second: int = 0) -> int:
        return self.start_ms + day * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000

    def when(self, t_ms: int) -> datetime:
        return datetime.fromtimestamp(t_ms / 1000, tz=UTC)

    def add(
        self, record: PlantedAttack | None, t_ms: int, user: int, where: int, kind: str, **kw: Any
    ) -> str:
        kw.setdefault("app", APP["OfficeHome"])
        kw.setdefault("agent", self.agent("win_chrome"))
        event_id = self.rows.add(self.uuid(), t_ms, user, where, kind, **kw)
        self.kinds[event_id] = K[kind]
        if record is not None:
            record.records.append(event_id)
            moment = iso(self.when(t_ms))
            record.start = min(record.start or moment, moment)
            record.end = max(record.end, moment)
        return event_id

    def pick(self, n: int, *, mfa: tuple[int, ...] | None = None, day_shift: bool = False) -> list[int]:
        """``n`` people not yet part of another planted story."""
        org = self.org
        pool = [
            u
            for u in range(len(PROTECTED_PEOPLE), org.n_real)
            if u not in self.used
            and (mfa is None or int(org.mfa[u]) in mfa)
            and (day_shift or not bool(org.shift[u]))
        ]
        if len(pool) < n:
            raise ValueError(f"not enough users to plant attacks ({len(pool)} < {n}); use more users")
        chosen = self.rnd.sample(pool, n)
        self.used.update(chosen)
        return chosen

    def attack(
        self,
        name: str,
        detector: str,
        kind: str,
        title: str,
        *,
        also: tuple[str, ...] = (),
        techniques: tuple[str, ...] = (),
        signals: tuple[str, ...] = (),
    ) -> PlantedAttack:
        a = PlantedAttack(
            id=name,
            kind=kind,
            title=title,
            actor=ACTOR,
            files=[],
            start="",
            end="",
            techniques=list(techniques),
            signals=list(signals),
            details={"detector": detector, "also": list(also)},
        )
        self.attacks.append(a)
        return a

    def negative(self, name: str, kind: str, title: str, *, signals: tuple[str, ...] = ()) -> PlantedAttack:
        a = PlantedAttack(
            id=name,
            kind=kind,
            title=title,
            actor="",
            files=[],
            start="",
            end="",
            negative=True,
            signals=list(signals),
        )
        self.negatives.append(a)
        return a

    def upn(self, u: int) -> str:
        return self.org.upns[u]

    def finish(self, fmt: str) -> None:
        """Keep in ``records`` only the events the format writes."""
        written = WRITTEN[fmt]
        for a in [*self.attacks, *self.negatives]:
            a.records = [r for r in a.records if self.kinds[r] in written]

    # -- attacks --------------------------------------------------------------------------------------

    def loud_spray_and_compromise(self) -> None:
        org, rnd = self.org, self.rnd
        where = org.where(*LOUD_SPRAY)
        tool = {
            "app": APP["Azure Active Directory PowerShell"],
            "agent": self.agent("old_chrome"),
            "client": MODERN_CLIENT,
        }
        victim = self.pick(1, mfa=(NO_MFA,))[0]
        real = [*self.pick(219, day_shift=True), victim]
        ghosts = [org.ghost(f"{g}@{DOMAIN}") for g in GHOST_NAMES]
        targets = real + ghosts
        rnd.shuffle(targets)
        day = self.day(0.45)
        t0 = self.at(day, 2, 10, 3)
        spray = self.attack(
            "loud_spray",
            "signin.password_spray",
            "password-spray",
            f"Password spray from one address against {len(targets)} accounts within an hour",
            also=("signin.compromise_after_attack", "signin.slow_spray"),
            techniques=("T1110.003",),
            signals=("one IP", f"{len(targets)} accounts", "1-2 tries each", "under an hour", "50126/50034"),
        )
        step = 35 * 60_000 // len(targets)
        for i, u in enumerate(targets):
            kind = "bad_password" if org.exists[u] else "unknown_user"
            self.add(spray, t0 + i * step + rnd.randrange(0, step // 2), u, where, kind, **tool)
        second = [u for u in targets if rnd.random() < 0.4 and u != victim] + [victim]
        rnd.shuffle(second)
        t1 = t0 + 38 * 60_000
        success_t = 0
        for i, u in enumerate(second):
            t = t1 + i * 5_000 + rnd.randrange(0, 2_000)
            if u == victim:
                success_t = t
                continue
            self.add(spray, t, u, where, "bad_password" if org.exists[u] else "unknown_user", **tool)
        spray.add("ipv4-addr", LOUD_SPRAY[0])
        spray.add("user-account", *sorted(self.upn(u) for u in targets))
        spray.targets = sorted(self.upn(u) for u in real)

        comp = self.attack(
            "compromise_after_spray",
            "signin.compromise_after_attack",
            "account-compromise",
            "One sprayed account signs in from the spraying address, registers a new MFA method, reads mail",
            also=("signin.password_spray", "signin.new_country", "signin.impossible_travel"),
            techniques=("T1078.004", "T1098.005", "T1114.002"),
            signals=(
                "success from the spray IP minutes after the spray",
                "single factor before",
                "new authenticator registered",
                "mailbox access from the same IP",
            ),
        )
        self.add(comp, success_t, victim, where, "success", **tool)
        self.add(
            comp,
            success_t + 9 * 60_000 + 12_000,
            victim,
            where,
            "mfa_register",
            app=APP["My Signins"],
            agent=self.agent("win_chrome"),
            mfa=TOTP,
        )
        t = success_t + 14 * 60_000
        self.add(
            comp,
            t,
            victim,
            where,
            "success",
            app=APP["Office 365 Exchange Online"],
            agent=self.agent("win_chrome"),
            mfa=TOTP,
        )
        for _ in range(8):
            t += rnd.randrange(12, 30) * 60_000
            self.add(
                comp,
                t,
                victim,
                where,
                "success_app",
                app=APP["Office 365 Exchange Online"],
                agent=self.agent("win_chrome"),
            )
        comp.add("ipv4-addr", LOUD_SPRAY[0])
        comp.add("user-account", self.upn(victim))
        comp.targets = [self.upn(victim)]
        comp.details["registered_mfa"] = "OATH verification code (authenticator app)"
        # the victim is not at work that night, so the attacker's session is the only one
        org.quiet.add((victim, day))

    def slow_spray(self) -> None:
        org, rnd = self.org, self.rnd
        where = org.where(*SLOW_SPRAY)
        real = self.pick(114, day_shift=True)
        ghosts = [org.ghost(f"{g}@{DOMAIN}") for g in GHOST_NAMES[:6]]
        targets = real + ghosts
        rnd.shuffle(targets)
        day = self.day(0.2)
        a = self.attack(
            "slow_spray",
            "signin.slow_spray",
            "password-spray-slow",
            f"Low-and-slow spray: one address, about 3 accounts an hour for 5 days ({len(targets)} accounts)",
            also=("signin.password_spray",),
            techniques=("T1110.003",),
            signals=(
                "one IP",
                "never more than 4 accounts in an hour",
                "five days",
                "each account every ~40 h",
            ),
        )
        t = self.at(day, 1, 17, 44)
        end = t + 5 * DAY_MS
        i = 0
        while t < end:
            u = targets[i % len(targets)]
            self.add(
                a,
                t,
                u,
                where,
                "bad_password" if org.exists[u] else "unknown_user",
                agent=self.agent("linux_firefox"),
            )
            i += 1
            t += rnd.randrange(14, 26) * 60_000 + rnd.randrange(60_000)
        a.add("ipv4-addr", SLOW_SPRAY[0])
        a.add("user-account", *sorted(self.upn(u) for u in targets))
        a.targets = sorted(self.upn(u) for u in real)
        a.details["attempts"] = i

    def distributed_spray(self) -> None:
        org, rnd = self.org, self.rnd
        proxies = []
        for _ in range(50):
            asn, first, cities = rnd.choice(RESIDENTIAL)
            ip = f"{first}.{rnd.randrange(1, 255)}.{rnd.randrange(1, 255)}.{rnd.randrange(2, 254)}"
            proxies.append((ip, org.where(ip, asn, rnd.choice(cities))))
        targets = self.pick(150, day_shift=True)
        day = self.day(0.55)
        t0 = self.at(day, 13, 0, 12)
        a = self.attack(
            "distributed_spray",
            "signin.distributed_spray",
            "password-spray-distributed",
            "Distributed spray: 50 residential proxies, one old Edge user agent, 150 accounts in 2 hours",
            techniques=("T1110.003", "T1090.002"),
            signals=("50 IPs with 2-6 failures each", "identical Edge 108 user agent", "150 accounts"),
        )
        attempts = [u for u in targets for _ in range(rnd.choice((1, 1, 2)))]
        rnd.shuffle(attempts)
        for k, u in enumerate(attempts):
            ip, w = proxies[k % len(proxies)]
            self.add(
                a, t0 + rnd.randrange(0, 2 * HOUR_MS), u, w, "bad_password", agent=self.agent("distributed")
            )
        a.add("ipv4-addr", *[ip for ip, _ in proxies])
        a.add("user-account", *sorted(self.upn(u) for u in targets))
        a.targets = sorted(self.upn(u) for u in targets)

    def brute_force(self) -> None:
        org, rnd = self.org, self.rnd
        where = org.where(*BRUTE_FORCE)
        victim = self.pick(1)[0]
        day = self.day(0.35)
        t = self.at(day, 15, 40, 5)
        a = self.attack(
            "brute_force",
            "signin.brute_force",
            "brute-force",
            "80 password guesses against one account from one address in 25 minutes, until lock-out",
            techniques=("T1110.001",),
            signals=("one account", "80 failures", "one IP", "smart lock-out after 10"),
        )
        for i in range(80):
            kind = "bad_password" if i < 10 else "locked"
            if i == 10:
                self.add(a, t - 500, victim, where, "lock", agent=self.agent("python"))
            self.add(
                a, t, victim, where, kind, agent=self.agent("python"), app=APP["Office 365 Exchange Online"]
            )
            t += rnd.randrange(12_000, 26_000)
        a.add("ipv4-addr", BRUTE_FORCE[0])
        a.add("user-account", self.upn(victim))
        a.targets = [self.upn(victim)]

    def credential_stuffing(self) -> None:
        org, rnd = self.org, self.rnd
        wheres = []
        for _ in range(120):
            if rnd.random() < 0.5:
                asn, first, cities = rnd.choice(RESIDENTIAL)
                city = rnd.choice(cities)
            else:
                asn, first, city = rnd.choice(ABROAD_RESIDENTIAL)
            ip = f"{first}.{rnd.randrange(1, 255)}.{rnd.randrange(1, 255)}.{rnd.randrange(2, 254)}"
            wheres.append((ip, org.where(ip, asn, city)))
        existing = set(org.upns)
        ghosts: list[int] = []
        while len(ghosts) < 420:
            first, last = rnd.choice(FIRST_NAMES).lower(), rnd.choice(LAST_NAMES).lower().replace(" ", "")
            name = rnd.choice(
                (f"{first}.{last}", f"{first[0]}{last}", f"{first}{rnd.randrange(60, 99)}", f"{last}.{first}")
            )
            domain = rnd.choice((DOMAIN, DOMAIN, DOMAIN, "gmail.com", "yahoo.com", "aol.com"))
            upn = f"{name}@{domain}"
            if upn not in existing:
                existing.add(upn)
                ghosts.append(org.ghost(upn))
        real = self.pick(90, day_shift=True)
        day = self.day(0.62)
        t0 = self.at(day, 6, 0, 31)
        a = self.attack(
            "credential_stuffing",
            "signin.credential_stuffing",
            "credential-stuffing",
            "Credential stuffing: 120 addresses try 510 leaked logins in three hours, four in five unknown",
            also=("signin.distributed_spray",),
            techniques=("T1110.004",),
            signals=(
                "mostly 50034 unknown user",
                "many IPs, several countries",
                "rotating user agents",
                "one or two tries per login",
            ),
        )
        logins = ghosts + real
        rnd.shuffle(logins)
        for u in logins:
            for _ in range(rnd.choice((1, 1, 1, 2))):
                _, w = rnd.choice(wheres)
                kind = "bad_password" if org.exists[u] else "unknown_user"
                self.add(
                    a,
                    t0 + rnd.randrange(0, 3 * HOUR_MS),
                    u,
                    w,
                    kind,
                    agent=self.agent(rnd.choice(STUFFING_AGENTS)),
                )
        a.add("ipv4-addr", *[ip for ip, _ in wheres])
        a.add("user-account", *sorted(self.upn(u) for u in logins))
        a.targets = sorted(self.upn(u) for u in real)
        a.details["unknown_logins"] = len(ghosts)

    def impossible_travel(self) -> None:
        org = self.org
        victim = self.pick(1, mfa=(NO_MFA,))[0]
        day = self.day(0.7)
        while not workday(org.start + timedelta(days=day)):
            day -= 1
        far = org.where(*IMPOSSIBLE)
        a = self.attack(
            "impossible_travel",
            "signin.impossible_travel",
            "impossible-travel",
            "Success from the county office, then from Singapore 37 minutes later with another browser",
            also=("signin.new_country",),
            techniques=("T1078.004",),
            signals=("15,300 km in 37 minutes", "new browser", "new country and ASN"),
        )
        office = int(org.office[victim])
        t = self.at(day, 13, 5, 21)
        self.add(
            a,
            t,
            victim,
            office,
            "success",
            agent=int(org.device[victim]),
            managed=bool(org.managed[victim]),
            app=APP["OfficeHome"],
        )
        t2 = t + 37 * 60_000 + 2_000
        self.add(a, t2, victim, far, "success", agent=self.agent("mac_chrome"), app=APP["OfficeHome"])
        self.add(
            a,
            t2 + 4 * 60_000,
            victim,
            far,
            "success_app",
            agent=self.agent("mac_chrome"),
            app=APP["Office 365 SharePoint Online"],
        )
        a.add("ipv4-addr", IMPOSSIBLE[0])
        a.add("user-account", self.upn(victim))
        a.targets = [self.upn(victim)]
        a.details["legitimate_ip"] = org.wheres[office].ip

    def mfa_fatigue(self) -> None:
        org, rnd = self.org, self.rnd
        victim = self.pick(1, mfa=(PUSH,))[0]
        where = org.where(*FATIGUE)
        day = self.day(0.75)
        a = self.attack(
            "mfa_fatigue",
            "signin.mfa_fatigue",
            "mfa-fatigue",
            "MFA fatigue: 10 denied push prompts in 25 minutes late at night, then an approval",
            techniques=("T1621", "T1078.004"),
            signals=(
                "10 denials for one user from one IP",
                "then success with push from the same IP",
                "22:10-22:40 local",
            ),
        )
        t = self.at(day, 2, 10, 5)
        agent = self.agent("win_chrome")
        for _ in range(10):
            self.add(a, t, victim, where, "mfa_push", agent=agent, mfa=PUSH)
            self.add(a, t + rnd.randrange(6_000, 25_000), victim, where, "mfa_denied", agent=agent, mfa=PUSH)
            t += rnd.randrange(120_000, 170_000)
        self.add(a, t, victim, where, "mfa_push", agent=agent, mfa=PUSH)
        self.add(a, t + 19_000, victim, where, "mfa_ok", agent=agent, mfa=PUSH)
        self.add(a, t + 20_000, victim, where, "success", agent=agent, mfa=PUSH)
        self.add(
            a,
            t + 5 * 60_000,
            victim,
            where,
            "success_app",
            agent=agent,
            app=APP["Office 365 Exchange Online"],
        )
        a.add("ipv4-addr", FATIGUE[0])
        a.add("user-account", self.upn(victim))
        a.targets = [self.upn(victim)]
        org.quiet.add((victim, day))

    def legacy_imap(self) -> None:
        org, rnd = self.org, self.rnd
        victim = self.pick(1, mfa=(PUSH, SMS))[0]
        where = org.where(*LEGACY)
        day = self.day(0.8)
        a = self.attack(
            "legacy_imap",
            "signin.legacy_protocol",
            "legacy-auth-compromise",
            "IMAP sign-ins succeed for an MFA-enrolled account from a cloud server (legacy protocol, no MFA)",
            techniques=("T1078.004", "T1114.002"),
            signals=("IMAP4", "single factor for an MFA user", "hosting ASN", "repeated mailbox syncs"),
        )
        t = self.at(day, 7, 12, 40)
        for _ in range(6):
            self.add(
                a,
                t,
                victim,
                where,
                "success",
                agent=self.agent("legacy"),
                client=IMAP,
                app=APP["Office 365 Exchange Online"],
            )
            t += rnd.randrange(25, 70) * 60_000
        a.add("ipv4-addr", LEGACY[0])
        a.add("user-account", self.upn(victim))
        a.targets = [self.upn(victim)]

    def new_country(self) -> None:
        org = self.org
        victim = self.pick(1, mfa=(NO_MFA,))[0]
        day = self.day(0.85)
        where = org.where(*NEW_COUNTRY)
        a = self.attack(
            "new_country",
            "signin.new_country",
            "new-country-success",
            "A long-standing account signs in successfully from Nigeria, a country it never used",
            also=("signin.impossible_travel",),
            techniques=("T1078.004",),
            signals=("first sign-in from NG in the whole history", "new ASN", "new browser"),
        )
        t = self.at(day, 10, 20, 41)
        agent = self.agent("android_chrome")
        self.add(a, t, victim, where, "success", agent=agent, app=APP["OfficeHome"])
        self.add(
            a,
            t + 3 * 60_000,
            victim,
            where,
            "success_app",
            agent=agent,
            app=APP["Office 365 Exchange Online"],
        )
        a.add("ipv4-addr", NEW_COUNTRY[0])
        a.add("user-account", self.upn(victim))
        a.targets = [self.upn(victim)]
        org.quiet.update({(victim, day - 1), (victim, day)})  # travel time stays plausible

    def protected_attempt(self) -> None:
        org = self.org
        director = 0
        where = org.where(*PROTECTED_ATTEMPT)
        day = self.day(0.9)
        a = self.attack(
            "protected_account_attempt",
            "signin.protected_account_attempt",
            "targeted-login-attempt",
            "One failed sign-in to the election director's account from new infrastructure",
            techniques=("T1110.001",),
            signals=("protected account", "a single failure", "IP never seen for this account", "03:12 UTC"),
        )
        self.add(
            a, self.at(day, 3, 12, 9), director, where, "bad_password", agent=self.agent("linux_firefox")
        )
        a.add("ipv4-addr", PROTECTED_ATTEMPT[0])
        a.add("user-account", self.upn(director))
        a.targets = [self.upn(director)]

    def plant_attacks(self) -> None:
        self.loud_spray_and_compromise()
        self.slow_spray()
        self.distributed_spray()
        self.brute_force()
        self.credential_stuffing()
        self.impossible_travel()
        self.mfa_fatigue()
        self.legacy_imap()
        self.new_country()
        self.protected_attempt()
