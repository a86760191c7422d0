"""Articles of the real-looking outlets (the originals) and what the fake sites make of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    key: str
    outlet: str  # domain of the outlet that published the original
    section: str
    date: str  # YYYY-MM-DD
    title: str
    byline: str
    paras: tuple[str, ...]


ORIGINALS: tuple[Article, ...] = (
    Article(
        "polling-locations",
        "springfieldherald.com",
        "news/local",
        "2024-09-24",
        "County board certifies new polling locations ahead of November",
        "By Tom Becker",
        (
            "The Calder County Board of Elections voted unanimously on Tuesday to certify 112 polling "
            "locations for the Nov. 5 general election, including nine sites that replace schools and "
            "churches no longer available.",
            "Election director Janet Okonkwo said the board chose the new locations for accessibility and "
            "parking, and that every affected voter would receive a postcard in the mail within two weeks.",
            '"Nobody should be surprised on Election Day," Okonkwo said. "If your polling place changed, '
            "you will hear from us, and you can always check the state's voter services website.\"",
            "The changes affect about 14,000 registered voters, mostly in the northern townships, where two "
            "elementary schools are under renovation.",
            "The board also approved a plan to add ballot drop boxes at the county courthouse and at the "
            "Lower Calder library branch, staffed during business hours and monitored by video.",
            "Voters can confirm their polling place by calling the county elections office or online through "
            "the Pennsylvania Department of State.",
        ),
    ),
    Article(
        "field-office",
        "springfieldherald.com",
        "news/politics",
        "2024-09-12",
        "Harper campaign opens Springfield field office",
        "By Tom Becker",
        (
            "Meg Harper's campaign opened a field office on Baltimore Pike on Saturday, its fourth in the "
            "Philadelphia suburbs, as both parties intensify their ground game in the final weeks of the "
            "race.",
            "About 150 supporters and volunteers attended the opening, where field director Jamal Whitaker "
            "said the office would host daily canvass launches and evening phone banks through November.",
            "Harper, speaking briefly, thanked volunteers and urged them to focus on voters who have not yet "
            'made a plan to vote. "This race will be decided by who shows up," she said.',
            "The campaign said it had knocked on more than 400,000 doors statewide since June.",
            "Local Republicans opened an office two miles away last month and plan weekend canvasses of "
            "their own.",
        ),
    ),
    Article(
        "registration-deadline",
        "springfieldherald.com",
        "news/local",
        "2024-10-08",
        "Election officials urge voters to check registration before Oct. 21 deadline",
        "By Ana Ruiz",
        (
            "With two weeks left before Pennsylvania's voter registration deadline, county election offices "
            "are urging residents to confirm that their registration is current, especially those who have "
            "moved recently.",
            "The deadline to register or update a registration for the Nov. 5 election is Oct. 21. The "
            "deadline to apply for a mail ballot is Oct. 29.",
            "Officials said the most common problem they see is voters who moved within the county but never "
            "updated their address, which can send them to the wrong polling place.",
            "Registration can be checked and updated online, by mail, or in person at county election "
            "offices.",
            "Officials also warned residents to be wary of text messages or social media posts claiming that "
            'deadlines have changed. "Deadlines are set in state law," one official said. "They do not '
            'change by text message."',
        ),
    ),
    Article(
        "scanner-training",
        "caldervalleytimes.com",
        "local",
        "2024-09-30",
        "Calder County election workers train on new ballot scanners",
        "By Mark Eberly, Staff Writer",
        (
            "More than 300 poll workers attended training sessions at the Calder County fairgrounds this "
            "week "
            "to learn the new ballot scanners the county purchased this spring.",
            "The scanners replace machines bought in 2016. County officials said the new equipment is "
            "certified by the state and tested before every election in a public logic-and-accuracy test.",
            "Poll workers practised opening and closing the polls, handling spoiled ballots and printing "
            "results tapes, which are posted at each polling place after the polls close.",
            '"The paper ballot is always the official record," said elections director Janet Okonkwo. '
            '"The scanners count them, and we audit the count after every election."',
            "The county is still recruiting poll workers for several precincts. Workers are paid for "
            "training and for Election Day.",
        ),
    ),
    Article(
        "overtime",
        "caldervalleytimes.com",
        "local",
        "2024-10-03",
        "Commissioners approve overtime for mail ballot processing",
        "By Mark Eberly, Staff Writer",
        (
            "Calder County commissioners on Wednesday approved up to $180,000 in overtime for election staff "
            "to process mail ballots, which under state law cannot be opened until 7 a.m. on Election Day.",
            "Commissioner Karen Musser said the county expects about 38,000 mail ballots, slightly fewer "
            "than in 2020, and that counting could continue into Wednesday.",
            '"We would rather be accurate than fast," Musser said. "Every valid ballot will be counted."',
            "The vote was 3-0. The county will also livestream the pre-canvass from the elections warehouse "
            "so residents can watch ballots being processed.",
        ),
    ),
    Article(
        "early-voting",
        "keystonestatewire.com",
        "politics",
        "2024-10-15",
        "Early mail voting in Pennsylvania outpaces 2020 pace in several counties",
        "By Keystone State Wire staff",
        (
            "More than 900,000 Pennsylvania voters have returned mail ballots so far, according to data "
            "from the Department of State, with several suburban counties running ahead of their 2020 pace.",
            "Election officials cautioned against reading too much into the early numbers, noting that the "
            "mix of voters who choose mail ballots has shifted since the pandemic.",
            "Counties cannot begin processing mail ballots until the morning of Election Day, a rule that "
            "has made Pennsylvania one of the slower states to report complete results.",
            "Voters who requested a mail ballot but want to vote in person must bring the ballot and its "
            "envelope to their polling place to surrender it, or vote a provisional ballot.",
        ),
    ),
    Article(
        "foreign-influence",
        "keystonestatewire.com",
        "politics",
        "2024-10-11",
        "State officials warn of foreign influence efforts targeting voters",
        "By Keystone State Wire staff",
        (
            "Pennsylvania election officials warned on Friday that foreign actors are spreading false claims "
            "about the state's elections, including fabricated news stories on websites designed to look "
            "like local newspapers.",
            "Officials said some sites copy real articles from Pennsylvania outlets, rewrite them, and mix "
            "them with invented stories about election fraud.",
            '"If a story about our elections sounds shocking, check it with your county election office," '
            "the secretary of state said at a news conference in Harrisburg.",
            "Federal agencies have also warned that accounts impersonating real community groups are "
            "posting incorrect information about polling places and deadlines.",
        ),
    ),
    Article(
        "transit-bill",
        "springfieldherald.com",
        "news/politics",
        "2024-10-02",
        "Transit bill stalls in Harrisburg as session nears end",
        "By Ana Ruiz",
        (
            "A bill to increase state funding for public transit stalled in the state Senate on Tuesday, "
            "leaving transit agencies facing service cuts next year.",
            "Supporters said the bill would prevent fare increases and route cuts in Philadelphia and "
            "Pittsburgh. Opponents said the state should first require cost savings from the agencies.",
            "The legislature has few session days left before the election.",
            'Meg Harper, who supports the bill, called the delay "a failure to do the basic work of '
            'government." Her opponent said the bill spends too much without reforms.',
        ),
    ),
)

#: Word-level substitutions a rewriting tool applies (a thesaurus, not a translation).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "said": ("stated", "explained", "noted"),
    "officials": ("authorities", "administrators"),
    "voters": ("residents", "citizens"),
    "approved": ("signed off on", "greenlit"),
    "urged": ("called on", "pressed"),
    "about": ("roughly", "around"),
    "more than": ("over", "upwards of"),
    "new": ("fresh", "newly acquired"),
    "plan": ("proposal", "scheme"),
    "expects": ("anticipates", "projects"),
    "opened": ("launched", "unveiled"),
    "warned": ("cautioned", "alerted"),
    "county": ("county", "local"),
    "election": ("vote", "election"),
    "week": ("week", "past few days"),
    "supporters": ("backers", "loyalists"),
    "equipment": ("machines", "hardware"),
    "process": ("handle", "count"),
    "including": ("among them", "such as"),
}

LEFT_FRAMES = (
    (
        "Once again, working families are left wondering who is really looking out for them.",
        "Stay informed and share this story with your neighbors before it disappears.",
    ),
    (
        "Local activists say the news raises serious questions about whether every vote will be protected.",
        "Democracy only works if we pay attention. Share this with everyone you know.",
    ),
)
RIGHT_FRAMES = (
    (
        "Residents across Calder County are asking hard questions that officials refuse to answer.",
        "Patriots, the mainstream media won't cover this. Share it now.",
    ),
    (
        "Critics say the move is the latest sign that county bureaucrats are hiding something from "
        "taxpayers.",
        "Keep your eyes open on Election Day and report anything suspicious.",
    ),
)

#: Stories the fake sites invent (no original exists).
FABRICATED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "right": (
        "Calder County poll workers caught discarding ballots, insiders say",
        "2024-10-16",
        (
            "Several poll workers in Calder County were seen throwing away completed ballots during a "
            "training "
            "session, according to insiders who spoke on condition of anonymity.",
            "The insiders claim that county officials ordered the ballots destroyed to hide evidence of "
            "irregularities in the new scanners.",
            "The county elections office did not respond to our request for comment.",
            "Residents are demanding an independent investigation before November 5.",
        ),
    ),
    "left": (
        "Documents suggest voter purge planned in northern Calder County",
        "2024-10-17",
        (
            "Leaked documents obtained by the Dispatch suggest that thousands of voters in the northern "
            "townships "
            "could be removed from the rolls weeks before the election.",
            "The documents, which could not be independently verified, appear to list voters who recently "
            "changed "
            "polling places.",
            "Voting rights advocates say the purge would disproportionately affect young and minority "
            "voters.",
            "County officials have not explained why the polling places were changed in the first place.",
        ),
    ),
    "clone": (
        "Harper campaign aide under investigation for mail ballot scheme",
        "2024-10-18",
        (
            "A senior aide to Meg Harper's campaign is under investigation for collecting and submitting "
            "mail "
            "ballots on behalf of elderly voters, two people familiar with the matter told the Herald.",
            "The aide, whose name has not been released, allegedly visited assisted-living facilities in "
            "Delaware County in September.",
            "The Harper campaign did not respond to requests for comment Thursday night.",
            "Election law experts said that if confirmed, the conduct could amount to a felony under state "
            "law.",
        ),
    ),
}
