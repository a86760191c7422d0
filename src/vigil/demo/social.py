"""Social posts in coordination-network-toolkit's 8-column CSV, and the accounts behind them.

``posts.csv``: ``message_id,user_id,username,repost_id,reply_id,message,timestamp,urls`` (epoch seconds,
URLs space-separated). ``accounts.csv``: ``platform,account_id,handle,display_name,bio,created,followers,
avatar_hash``. The platform is X; ids are snowflakes derived from the time, as the real ones are.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from vigil.demo import story as s
from vigil.demo.common import FIRST_NAMES, LAST_NAMES, det_hex, scaled
from vigil.demo.manifest import PlantedAttack, iso

POSTS = "social/posts.csv"
ACCOUNTS = "social/accounts.csv"
PLATFORM = "x"
TWITTER_EPOCH_MS = 1288834974657

HASHTAGS = ("#PApolitics", "#Election2024", "#CalderCounty", "#VoteEarly", "#PAvotes")
OPINIONS = (
    "Early voting starts soon. Make a plan, people.",
    "Long line at the county office today but it moved fast.",
    "Anyone else tired of the attack ads during the Phillies game?",
    "Knocked on doors all morning. Good talks.",
    "The transit bill matters for anyone who commutes. Call your state senator.",
    "Local election workers are our neighbors. Be kind to them.",
    "Checked my registration. Took two minutes.",
    "Yard signs everywhere on my street this year.",
    "Debate watch party at the library Thursday.",
    "Whatever your politics, please vote.",
    "Mail ballot returned. Feels good.",
    "The county really needs more poll workers. They pay for training too.",
    "Why does every campaign text me three times a day?",
    "Great turnout at the farmers market voter drive.",
    "School board race is getting heated.",
    "Property taxes are the real issue nobody talks about.",
)
REPLIES = (
    "Agreed.",
    "Not sure about that.",
    "Source?",
    "This is the way.",
    "Same here!",
    "Thanks for sharing.",
    "Couldn't disagree more.",
    "Good point.",
    "Where do you vote?",
    "Exactly right.",
)
BIOS = (
    "Teacher. Dad. Eagles fan.",
    "Nurse in Harrisburg. Opinions my own.",
    "Retired. Grandkids, gardening, news.",
    "Small business owner, Carlisle PA.",
    "Penn State alum. Coffee first.",
    "Union electrician. Local 143.",
    "Mom of three. PTA. Coach.",
    "Veteran. Hunter. Fisherman.",
    "Librarian. Reader. Voter.",
    "Grad student at Keystone U.",
    "Runner, cook, amateur photographer.",
    "Pastor. Husband. Neighbor.",
    "",
    "",
)

#: The coordinated network's personas: half pose as progressives, half as conservatives.
NETWORK_PERSONAS = (
    ("jessica_pa_voter", "Jessica M.", "Progressive. Teacher. Calder County. 🌊"),
    ("calderteacher22", "Amy Teaches", "Public school teacher. Democracy matters."),
    ("lisa4change_pa", "Lisa R", "Mom. Organizer. Fighting for working families."),
    ("progressive_dan_pa", "Dan P.", "Labor. Healthcare is a right."),
    ("rachelvotesblue", "Rachel 💙", "PA born and raised. Vote like it matters."),
    ("kaylee_organizes", "Kaylee O", "Organizer. She/her. Calder County."),
    ("jordan_for_justice", "Jordan", "Justice. Equity. Local news junkie."),
    ("brianna_pa_dem", "Brianna", "Grassroots volunteer. Coffee & canvassing."),
    ("nate_progressive24", "Nate", "Progressive voice from the valley."),
    ("emily_calder_mom", "Emily W", "Mom of two. Public schools. Clean air."),
    ("patriot_mom_1987", "Patriot Mom 🇺🇸", "Proud mom. Patriot. PA born and raised 🇺🇸"),
    ("pa_truth_seeker", "Truth Seeker", "Just asking questions. Faith, family, freedom."),
    ("calder_constitution", "Constitution First", "2A. Small government. Calder County."),
    ("mike_pa_patriot", "Mike D 🇺🇸", "Veteran. God. Country."),
    ("keystone_liberty77", "Keystone Liberty", "Liberty-minded Pennsylvanian."),
    ("trucker_tom_pa", "Trucker Tom", "Truck driver. Hard work. Common sense."),
    ("faithfamilyfreedom_pa", "Karen L", "Faith. Family. Freedom. 🇺🇸"),
    ("rural_pa_voice", "Rural PA Voice", "Farm country voice. Tired of Harrisburg."),
    ("deb_calder_patriot", "Deb", "Grandma. Patriot. Watching the vote."),
    ("steve_taxpayer_pa", "Steve", "Taxpayer. Small business. Enough is enough."),
)


@dataclass
class Account:
    account_id: str
    handle: str
    display_name: str
    bio: str
    created: datetime
    followers: int
    avatar_hash: str
    side: str = ""


@dataclass
class Post:
    message_id: str
    account: Account
    t: datetime
    text: str
    urls: list[str]
    repost_id: str = ""
    reply_id: str = ""


class SocialGen:
    def __init__(self, rng: random.Random, scale: float, web_urls: dict[str, list[str]]) -> None:
        self.rng = rng
        self.scale = scale
        self.web_urls = web_urls  # "real" / "fake_left" / "fake_right" / "clone" -> URLs from the crawl
        self.accounts: list[Account] = []
        self.posts: list[Post] = []
        self.seq = 0
        self.attacks: list[PlantedAttack] = []
        self.negatives: list[PlantedAttack] = []

    def snowflake(self, t: datetime) -> str:
        self.seq += 1
        ms = int(t.timestamp() * 1000) + self.seq % 997  # sub-second jitter
        return str(((ms - TWITTER_EPOCH_MS) << 22) | ((self.seq % 32) << 17) | (self.seq % 4096))

    def account(
        self,
        handle: str,
        name: str,
        bio: str,
        created: datetime,
        followers: int,
        avatar: str = "",
        side: str = "",
    ) -> Account:
        aid = self.snowflake(created) if created.year >= 2014 else str(self.rng.randrange(10**7, 2 * 10**9))
        a = Account(
            aid, handle, name, bio, created, followers, avatar or det_hex("avatar", handle, n=16), side
        )
        self.accounts.append(a)
        return a

    def post(
        self,
        a: Account,
        t: datetime,
        text: str,
        urls: list[str] | None = None,
        repost: Post | None = None,
        reply: Post | None = None,
    ) -> Post:
        p = Post(
            self.snowflake(t),
            a,
            t,
            text,
            list(urls or []),
            repost.message_id if repost else "",
            reply.message_id if reply else "",
        )
        self.posts.append(p)
        return p

    def when(self) -> datetime:
        span = int((s.SOCIAL_END - s.SOCIAL_START).total_seconds())
        while True:
            t = s.SOCIAL_START + timedelta(seconds=self.rng.randrange(span))
            if 8 <= t.astimezone(s.EDT).hour <= 23:
                return t

    # -- people -------------------------------------------------------------------------------------

    def build(self) -> None:
        r = self.rng
        cand = self.account(
            s.CANDIDATE.handle,
            "Meg Harper",
            "Candidate for U.S. Senate, Pennsylvania. Paid for by Harper for America.",
            datetime(2011, 3, 2, tzinfo=UTC),
            128_400,
        )
        herald = self.account(
            "springfieldherald",
            "Springfield Herald",
            "News for Springfield and Delaware County since 1921.",
            datetime(2009, 6, 11, tzinfo=UTC),
            45_210,
        )
        times = self.account(
            "caldervalleytimes",
            "Calder Valley Times",
            "Your local paper.",
            datetime(2010, 1, 19, tzinfo=UTC),
            12_044,
        )
        wire = self.account(
            "keystonestatewire",
            "Keystone State Wire",
            "Nonprofit news from the Capitol.",
            datetime(2016, 8, 30, tzinfo=UTC),
            8_130,
        )
        voters = self.account(
            s.ACTIVIST_HANDLE,
            s.ACTIVIST_GROUP,
            s.ACTIVIST_BIO,
            datetime(2016, 2, 9, tzinfo=UTC),
            8_412,
            s.ACTIVIST_AVATAR,
        )
        county = self.account(
            "caldercountyvotes",
            "Calder County Elections",
            "Official account of the Calder County Board of Elections.",
            datetime(2015, 5, 4, tzinfo=UTC),
            3_377,
        )
        youth = self.account(
            "caldervoters_youth",
            "Calder Voters Alliance Youth",
            "Youth chapter of @caldervoters. Registering first-time voters at Calder high schools.",
            datetime(2021, 9, 1, tzinfo=UTC),
            611,
            "5e0c7a9d31f2b848",
        )
        normal: list[Account] = []
        seen = {a.handle for a in self.accounts}
        while len(normal) < scaled(300, self.scale, 40):
            first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES).replace("'", "")
            style = r.randrange(4)
            handle = [
                f"{first}{last}".lower(),
                f"{first.lower()}_{last.lower()}",
                f"{first.lower()}{r.randrange(1, 99)}",
                f"{first[0].lower()}{last.lower()}{r.randrange(10, 2000)}",
            ][style]
            if handle in seen:
                continue
            seen.add(handle)
            created = datetime(
                r.randrange(2009, 2024),
                r.randrange(1, 13),
                r.randrange(1, 28),
                r.randrange(24),
                r.randrange(60),
                tzinfo=UTC,
            )
            followers = int(r.lognormvariate(5, 1.3))
            normal.append(self.account(handle, f"{first} {last}", r.choice(BIOS), created, followers))
        popular = [cand, herald, times, wire, voters, county]

        # network and impersonators
        network: list[Account] = []
        shared_avatars = {3: 15, 7: 12, 9: 18}  # stock photos reused across the network
        for i, (handle, name, bio) in enumerate(NETWORK_PERSONAS):
            created = datetime(2024, 8, 12, 14, 0, tzinfo=UTC) + timedelta(
                hours=r.randrange(0, 80), minutes=r.randrange(60)
            )
            network.append(
                self.account(
                    handle, name, bio, created, r.randrange(5, 90), side="left" if i < 10 else "right"
                )
            )
        for i, j in shared_avatars.items():
            network[j].avatar_hash = network[i].avatar_hash
        imp1 = self.account(
            "caIdervoters",
            s.ACTIVIST_GROUP,
            s.ACTIVIST_BIO,
            datetime(2024, 10, 5, 3, 12, tzinfo=UTC),
            12,
            s.ACTIVIST_AVATAR,
        )
        imp2 = self.account(
            "calder_voters",
            s.ACTIVIST_GROUP,
            s.ACTIVIST_BIO,
            datetime(2024, 10, 6, 2, 47, tzinfo=UTC),
            41,
            s.ACTIVIST_AVATAR[:-1] + "7",
        )

        # ordinary activity
        real_urls = self.web_urls["real"]
        for a in popular:
            for _ in range(scaled(25 if a is cand else 12, self.scale, 3)):
                t = self.when()
                if a is cand:
                    text = r.choice(
                        (
                            "Thank you, Springfield! Four offices, thousands of volunteers. Let's win this.",
                            "Join us this weekend: canvass launches across the state.",
                            "Every vote counts. Make your plan today.",
                            "Proud to stand with Pennsylvania's working families.",
                        )
                    )
                    urls = (
                        [f"https://www.harperforamerica.org/events/{det_hex(t, n=6)}"]
                        if r.random() < 0.5
                        else []
                    )
                elif a is voters or a is county:
                    text = r.choice(
                        (
                            "Registration deadline is Oct 21. Check your status at the Department of State.",
                            "Mail ballot applications are due Oct 29. Return your ballot by 8 p.m. Nov 5.",
                            "Need a ride to the polls? Reply and our volunteers will help.",
                            "Polling places are listed on the state's voter services site. Don't trust "
                            "screenshots.",
                        )
                    )
                    urls = ["https://www.vote.pa.gov/"] if r.random() < 0.5 else []
                else:
                    mine = [u for u in real_urls if a.handle in u] or real_urls
                    urls = [r.choice(mine)]
                    text = (
                        r.choice(("New this morning:", "Read:", "From our newsroom:", "Latest:"))
                        + " "
                        + r.choice(
                            ("county election news", "what voters need to know", "the latest from Harrisburg")
                        )
                    )
                self.post(a, t, text, urls)
        base_posts = list(self.posts)
        for _ in range(scaled(2300, self.scale, 120)):
            a = r.choice(normal)
            t = self.when()
            x = r.random()
            if x < 0.4:
                text = r.choice(OPINIONS) + (" " + r.choice(HASHTAGS) if r.random() < 0.4 else "")
                self.post(a, t, text)
            elif x < 0.65:
                text = r.choice(
                    (
                        "Worth a read.",
                        "Interesting.",
                        "Good reporting here.",
                        "Hmm.",
                        "Important:",
                        "Local news matters.",
                    )
                ) + (" " + r.choice(HASHTAGS) if r.random() < 0.3 else "")
                self.post(a, t, text, [r.choice(real_urls)])
            elif x < 0.82 and self.posts:
                parent = r.choice(self.posts[-200:])
                if parent.t < t and parent.account is not a:
                    self.post(a, t, f"@{parent.account.handle} {r.choice(REPLIES)}", reply=parent)
            else:
                parent = r.choice(base_posts)
                if parent.t < t:
                    self.post(a, t, parent.text, parent.urls, repost=parent)

        # hard negative: debate night, hundreds of people posting the same hashtag in the same minutes
        debate = datetime(2024, 9, 26, 21, 0, tzinfo=s.EDT)
        neg = PlantedAttack(
            id="neg.social.debate_night",
            kind="organic-synchrony",
            negative=True,
            actor="",
            title="Debate night: many ordinary users post #PADebate in the same minutes (different words, "
            "no links)",
            files=[POSTS],
            start=iso(debate),
            end=iso(debate + timedelta(minutes=95)),
            signals=["same hashtag, same minutes, many accounts"],
        )
        lines = (
            "Opening statements done.",
            "Strong answer on transit.",
            "That was a dodge.",
            "Moderator needs to step in.",
            "Closing was good.",
            "Who won?",
            "Watching with my whole family.",
            "Ouch.",
            "Finally someone mentions property taxes.",
            "Not impressed by either.",
        )
        for _ in range(scaled(160, self.scale, 20)):
            a = r.choice(normal)
            p = self.post(a, debate + timedelta(seconds=r.randrange(95 * 60)), f"{r.choice(lines)} #PADebate")
            neg.records.append(p.message_id)
        self.negatives.append(neg)
        # hard negative: a Herald story that many people share over a day and a half
        viral = next(u for u in real_urls if "check-registration" in u)
        start = datetime(2024, 10, 8, 11, 0, tzinfo=s.EDT)
        neg = PlantedAttack(
            id="neg.social.viral_local_story",
            kind="organic-virality",
            negative=True,
            actor="",
            title="A Herald story on the registration deadline shared by many users over 36 hours",
            files=[POSTS],
            start=iso(start),
            end=iso(start + timedelta(hours=36)),
            signals=["same URL, many accounts"],
        )
        neg.add("url", viral)
        for a in r.sample(normal, min(len(normal), scaled(60, self.scale, 10))):
            p = self.post(
                a,
                start + timedelta(seconds=r.randrange(36 * 3600)),
                r.choice(
                    (
                        "Check your registration!",
                        "Deadline is the 21st, folks.",
                        "Please share.",
                        "Took me 2 minutes to check.",
                        "Good reminder from the Herald.",
                    )
                ),
                [viral],
            )
            neg.records.append(p.message_id)
        self.negatives.append(neg)
        neg = PlantedAttack(
            id="neg.social.affiliated_chapter",
            kind="benign-similar-account",
            negative=True,
            actor="",
            title="The activist group's real youth chapter: similar handle and name, own bio and avatar",
            files=[ACCOUNTS],
            start=iso(youth.created),
            end=iso(youth.created),
            records=[youth.account_id],
            signals=["handle and display name close to a protected account"],
        )
        neg.add("social-account", f"{PLATFORM}:{youth.handle}")
        self.negatives.append(neg)

        self.coordinated(network, normal)
        self.impersonation(voters, [imp1, imp2], normal)
        self.posts.sort(key=lambda p: (p.t, p.message_id))

    def coordinated(self, network: list[Account], normal: list[Account]) -> None:
        r = self.rng
        left, right = network[:10], network[10:]
        pushes = [(u, "left") for u in self.web_urls["fake_left"]] + [
            (u, "right") for u in self.web_urls["fake_right"]
        ]
        pushes += [(u, "both") for u in self.web_urls["clone"]]
        texts = {
            "left": (
                "They don't want you to see this. Read it before it gets buried.",
                "This is what's happening in Calder County right now. Share widely.",
                "Working families deserve the truth. Read and share.",
            ),
            "right": (
                "The media won't report this. Read it yourself.",
                "Calder County is hiding something. Share before it's deleted.",
                "Wake up, Pennsylvania. This is happening in our county.",
            ),
            "both": ("Even the Herald is reporting it now.", "Unbelievable. From the Springfield Herald."),
        }
        a = PlantedAttack(
            id="social.coordinated_link_sharing",
            kind="coordinated-inauthentic-behavior",
            actor=s.INFLUENCE_ACTOR,
            title="Twenty accounts created in one week post the fake sites' links with the same text within "
            "seconds",
            files=[POSTS, ACCOUNTS],
            start="",
            end="",
            techniques=["T0049.003", "T0090", "T0049.007"],
            signals=[
                "same URL and text from 12-20 accounts within 90 seconds, again and again",
                "accounts created 12-15 August 2024",
                "few followers",
                "left and right personas move together",
                "reused avatar images",
            ],
        )
        bursts: list[dict[str, Any]] = []
        start = datetime(2024, 9, 18, tzinfo=UTC)
        n_bursts = max(len(pushes), scaled(14, self.scale, len(pushes)))
        for i in range(n_bursts):
            url, side = pushes[i % len(pushes)]
            t0 = start + timedelta(days=i * 42 / n_bursts, hours=r.randrange(12, 22), minutes=r.randrange(60))
            crew = left if side == "left" else right if side == "right" else network
            crew = list(crew) + r.sample(network, 6)  # the other side's personas join in: the tell
            crew = [a for i, a in enumerate(crew) if all(a is not b for b in crew[:i])]
            text = r.choice(texts[side])
            seed = self.post(crew[0], t0, f"{text} {r.choice(HASHTAGS)}", [url])
            ids = [seed.message_id]
            offsets = sorted(r.sample(range(3, 90), len(crew) - 1))
            for acct, off in zip(crew[1:], offsets, strict=True):
                body = text if r.random() < 0.6 else f"{text} {r.choice(HASHTAGS)}"
                p = self.post(acct, t0 + timedelta(seconds=off), body, [url])
                ids.append(p.message_id)
            for acct in r.sample(network, 6):
                if acct is crew[0]:
                    continue
                p = self.post(
                    acct, t0 + timedelta(seconds=r.randrange(90, 240)), seed.text, seed.urls, repost=seed
                )
                ids.append(p.message_id)
            # a few real people fall for it (unwitting amplification)
            for acct in r.sample(normal, 2):
                p = self.post(
                    acct, t0 + timedelta(minutes=r.randrange(20, 600)), seed.text, seed.urls, repost=seed
                )
            bursts.append(
                {
                    "url": url,
                    "text": text,
                    "start": iso(t0),
                    "end": iso(t0 + timedelta(seconds=240)),
                    "post_ids": ids,
                }
            )
            a.add("url", url)
            a.records.append(seed.message_id)
        # filler: the personas also post harmless things to look human
        for acct in network:
            for _ in range(scaled(6, self.scale, 2)):
                self.post(acct, self.when(), r.choice(OPINIONS))
        a.start = min(str(b["start"]) for b in bursts)
        a.end = max(str(b["end"]) for b in bursts)
        a.add("social-account", *[f"{PLATFORM}:{x.handle}" for x in network])
        a.details["accounts"] = [{"account_id": x.account_id, "handle": x.handle} for x in network]
        a.details["bursts"] = bursts
        self.attacks.append(a)

    def impersonation(self, real: Account, fakes: list[Account], normal: list[Account]) -> None:
        r = self.rng
        lookup = f"https://{s.COUNTY_LOOKALIKE}/polling-place-lookup"
        clone = self.web_urls["clone"]
        a = PlantedAttack(
            id="social.activist_group_impersonation",
            kind="account-impersonation",
            actor=s.INFLUENCE_ACTOR,
            title="Two accounts impersonate the Calder Voters Alliance and post false voting information",
            files=[ACCOUNTS, POSTS],
            start=iso(fakes[0].created),
            end="",
            targets=[f"{PLATFORM}:{real.handle}"],
            techniques=["T0099.002", "T0097"],
            signals=[
                "same display name and bio as the protected account",
                "identical / near-identical avatar hash",
                "handle one character away (capital I for l; underscore)",
                "created in October 2024",
                f"links to the county lookalike {s.COUNTY_LOOKALIKE} and the Herald clone",
            ],
        )
        msgs: tuple[tuple[str, list[str]], ...] = (
            (
                "IMPORTANT: Calder County polling places have changed for Nov 5. Look up your new location "
                "here:",
                [lookup],
            ),
            (
                "Reminder: you can now register and request a mail ballot by text. Details from the Herald:",
                clone[-1:],
            ),
            (
                "Lines expected to be very long on Nov 5. Voters in the northern townships can vote on Nov "
                "6 instead.",
                [],
            ),
        )
        for f in fakes:
            for i, (text, urls) in enumerate(msgs):
                t = datetime(2024, 10, 12 + 3 * i, 17, r.randrange(60), r.randrange(60), tzinfo=UTC)
                p = self.post(f, t, text, urls)
                a.records.append(p.message_id)
                a.end = max(a.end, iso(t))
                for acct in r.sample(normal, 2):
                    self.post(acct, t + timedelta(minutes=r.randrange(5, 300)), p.text, p.urls, repost=p)
        a.add("social-account", *[f"{PLATFORM}:{f.handle}" for f in fakes])
        a.add("domain-name", s.COUNTY_LOOKALIKE)
        a.add("url", lookup)
        a.details["accounts"] = [
            {"account_id": f.account_id, "handle": f.handle, "avatar_hash": f.avatar_hash} for f in fakes
        ]
        self.attacks.append(a)


def write_social(
    out: Path, rng: random.Random, scale: float, web_urls: dict[str, list[str]]
) -> tuple[list[tuple[str, str, int]], SocialGen]:
    gen = SocialGen(rng, scale, web_urls)
    gen.build()
    (out / "social").mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"])
    for p in gen.posts:
        w.writerow(
            [
                p.message_id,
                p.account.account_id,
                p.account.handle,
                p.repost_id,
                p.reply_id,
                p.text,
                int(p.t.timestamp()),
                " ".join(p.urls),
            ]
        )
    (out / POSTS).write_text(buf.getvalue(), encoding="utf-8")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        ["platform", "account_id", "handle", "display_name", "bio", "created", "followers", "avatar_hash"]
    )
    for a in sorted(gen.accounts, key=lambda a: (a.created, a.handle)):
        w.writerow(
            [
                PLATFORM,
                a.account_id,
                a.handle,
                a.display_name,
                a.bio,
                a.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                a.followers,
                a.avatar_hash,
            ]
        )
    (out / ACCOUNTS).write_text(buf.getvalue(), encoding="utf-8")
    return [(POSTS, "posts-csv", len(gen.posts)), (ACCOUNTS, "accounts-csv", len(gen.accounts))], gen
