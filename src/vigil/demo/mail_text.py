"""Words for the campaign's ordinary mail: thread topics, replies, newsletters and list posts.

Paragraphs may hold ``[[visible text|url-kind]]`` markers; ``mail.py`` turns a url-kind (a domain the
sender habitually links to) into a concrete URL, and renders the marker as a link in HTML and as
``text <url>`` in plain text.
"""

from __future__ import annotations

#: (subject, who may start it, opening paragraphs (alternatives), topic-specific replies)
TOPICS: list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    (
        "Debate prep schedule",
        ("manager", "scheduler", "policy"),
        (
            "We need to lock the mock debate sessions for the next two weeks. I'm proposing Tuesday and "
            "Thursday evenings at HQ, 6 to 9, with Hannah playing the moderator. Draft run of show is here: "
            "[[run of show|docs.google.com]]",
            "Can everyone confirm availability for the debate prep blocks? The candidate wants at least "
            "three "
            "full run-throughs before the debate. Notes from last session are in [[the prep "
            "doc|docs.google.com]].",
        ),
        (
            "Thursday works for me. I'll bring the updated opposition file.",
            "Can we move the second session to Wednesday? I have the county committee dinner Thursday.",
            "Looks right. Let's make sure we practise the closing statement with a hard two-minute clock.",
        ),
    ),
    (
        "Q3 fundraising numbers",
        ("finance", "manager"),
        (
            "Quick readout on Q3 so far: we are at 82% of goal with three weeks left. Online small-dollar is "
            "running ahead of plan, events are behind. Full breakdown in [[the tracker|docs.google.com]].",
            "Finance update ahead of the FEC deadline. Online is strong, major donor calls are lagging. I'd "
            "like "
            "30 minutes of call time from the candidate every day this week.",
        ),
        (
            "Thanks Marcus. Let's get the call time on the calendar today.",
            "Can you split the events line by region? I want to see the Lehigh Valley numbers separately.",
            "Good news overall. Let's not publicise anything until the report is filed.",
        ),
    ),
    (
        "TV ad buy - Philadelphia and Pittsburgh markets",
        ("manager", "digital", "finance"),
        (
            "The media buyer sent the flight for the final six weeks. Philadelphia is the big line; "
            "Pittsburgh "
            "cable is cheaper than we expected. Please review before Friday.",
            "Attaching nothing, it's all in [[the media plan|docs.google.com]]. We need a decision on the "
            "Pittsburgh broadcast flight by Thursday noon.",
        ),
        (
            "I'd shift a week of broadcast into streaming for the under-35 audience.",
            "Approve from my side. Let's keep a reserve for the last ten days.",
            "Can we see the GRPs by week before we sign off?",
        ),
    ),
    (
        "Press release draft: rural broadband plan",
        ("comms", "policy", "press"),
        (
            "Draft release for the broadband plan is below. Embargo until 6 a.m. Tuesday. Please send edits "
            "by "
            "end of day.\n\nHARPER UNVEILS PLAN TO CONNECT EVERY RURAL HOUSEHOLD BY 2030\n\nPhiladelphia, "
            "PA - "
            "Meg Harper today released a plan to close the rural broadband gap...",
            "Here's the near-final draft of the broadband release. Policy has signed off on the numbers; I "
            "still need a quote from the candidate. [[Draft|docs.google.com]]",
        ),
        (
            "Edits in the doc. The second paragraph overstates the county numbers, let's cite the census "
            "figure instead.",
            "Quote approved by Meg this morning.",
            "From the policy side the numbers are right. Fine to go.",
        ),
    ),
    (
        "Canvass report - weekend of",
        ("field",),
        (
            "Weekend canvass numbers: 14,200 doors knocked across 9 turfs, contact rate 23%. Strongest in "
            "Bucks and Delaware County, weakest in the northern tier. Shift sign-ups in "
            "[[Mobilize|mobilize.us]].",
            "From the field team: we hit 11,800 doors Saturday and Sunday. Volunteer retention is up. We "
            "need "
            "more drivers for the rural turfs next weekend.",
        ),
        (
            "Great work. Can we get the contact rate by turf?",
            "Let's put the candidate on the Saturday kickoff in Doylestown.",
            "Thanks Jamal. Send me the list of the top 20 volunteers so Meg can call them.",
        ),
    ),
    (
        "Polling memo - Pennsylvania tracking",
        ("manager", "policy"),
        (
            "The latest tracking from Keller has us within the margin of error statewide. Independents moved "
            "toward us after the town hall. Memo is in [[the shared folder|docs.google.com]].",
            "New tracking numbers. Topline is flat, but the economy numbers improved. Let's discuss in the 5 "
            "p.m. call.",
        ),
        (
            "The independents movement is encouraging. Let's keep the economy message front and centre.",
            "Can we get crosstabs by media market?",
            "Noted. Let's not share outside the senior team.",
        ),
    ),
    (
        "Volunteer shifts for early voting",
        ("field", "digital"),
        (
            "We need poll greeters for every early voting site in the county. Sign-up page is live at "
            "[[the events page|harperforamerica.org]]. Please share with your networks.",
            "Early voting volunteer plan attached in [[the sheet|docs.google.com]]. 42 shifts still open.",
        ),
        (
            "Shared with the college chapters.",
            "I'll post it on our channels tonight.",
            "Can we add a Spanish-language version of the sign-up page?",
        ),
    ),
    (
        "Op-ed placement — Springfield Herald",
        ("comms", "press"),
        (
            "The Herald editorial page is open to an op-ed on election security from Meg, 700 words, by next "
            "Wednesday. Draft outline in [[the doc|docs.google.com]].",
            "Springfield Herald wants an op-ed. I think we lead with the voting access message.",
        ),
        (
            "Happy to write the first draft.",
            "Let's get it to Meg by Monday so she has the weekend.",
            "Agree on the angle. Keep it local and specific.",
        ),
    ),
    (
        "Town hall logistics",
        ("scheduler", "manager", "field"),
        (
            "Venue for the Lancaster town hall is confirmed: the Ware Center, 7 p.m. We need advance on "
            "site at "
            "4. Parking and accessibility notes in [[the advance doc|docs.google.com]].",
            "Town hall next week: the venue fits 400. Let's confirm sound, livestream and the press riser.",
        ),
        (
            "I'll handle the press riser and credentials.",
            "Livestream is booked. Sofia's team will clip it for social.",
            "Can we get a list of local officials who will attend?",
        ),
    ),
    (
        "Social media calendar - next two weeks",
        ("digital",),
        (
            "Content calendar for the next two weeks is ready: daily posts, two videos a week, and the "
            "debate "
            "night rapid response plan. [[Calendar|docs.google.com]]",
            "Here's what we are posting through the debate. Please flag anything off-message by Wednesday.",
        ),
        (
            "Looks good. Let's make sure every post has alt text.",
            "Can we add one post about the early voting dates each day?",
            "Approved.",
        ),
    ),
    (
        "Rapid response: opponent's new ad",
        ("comms", "press", "manager"),
        (
            "The opponent's new ad misstates Meg's record on the transit bill. Fact-check points and sources "
            "below. We should respond before the evening news.",
            "New attack ad just dropped. Draft response statement is in [[the doc|docs.google.com]]. Need "
            "sign-off "
            "within the hour.",
        ),
        (
            "Statement approved. Send it.",
            "Let's push the fact-check to the Herald and the Times.",
            "Keep it short. One line on the record, one line on what she will do.",
        ),
    ),
    (
        "Policy paper: housing costs",
        ("policy",),
        (
            "The housing paper is ready for review: zoning reform, first-time buyer support, and a renters' "
            "tax credit. [[Draft paper|docs.google.com]]",
            "Sharing the housing paper draft. Numbers come from the census and the state housing agency.",
        ),
        (
            "The renters' credit costing needs a second look.",
            "This is strong. Can we get a one-page summary for the field team?",
            "Good to go from comms once the summary is ready.",
        ),
    ),
    (
        "Staff meeting agenda",
        ("manager",),
        (
            "Agenda for Monday's all-staff: 1) field update, 2) fundraising, 3) debate prep, 4) security "
            "reminders (use the password manager, report anything odd to IT).",
            "Monday all-staff at 9 in the big room. Please send agenda items by Friday.",
        ),
        (
            "Please add five minutes on the volunteer appreciation event.",
            "Can we include a short security briefing? We had two suspicious emails last week.",
            "Thanks, see everyone Monday.",
        ),
    ),
    (
        "Endorsement outreach",
        ("manager", "policy", "comms"),
        (
            "List of local officials and unions we are approaching for endorsements this month, with owners "
            "for each call. [[Tracker|docs.google.com]]",
            "Endorsements: the teachers' union board meets Thursday. Meg should call the president before.",
        ),
        (
            "I'll take the mayors.",
            "The union call is on her schedule for Wednesday.",
            "Let's plan a joint event if the union endorses.",
        ),
    ),
    (
        "Expense reports",
        ("finance",),
        (
            "Reminder: expense reports for September are due Friday. Receipts over $75 need a scan.",
            "Please submit your travel expenses for the bus tour by end of week so we can reconcile before "
            "the filing.",
        ),
        ("Submitted.", "Mine will be in tomorrow.", "Thanks Marcus."),
    ),
]

GENERIC_REPLIES = (
    "Thanks, that works for me.",
    "Agreed. Let's discuss on the 5 p.m. call.",
    "Looping in the team so everyone has this.",
    "Got it, will do.",
    "Can we talk about this tomorrow morning?",
    "Sounds good to me — thanks for pulling this together.",
)

ADVISER_NOTES: list[tuple[str, str]] = [
    (
        "Thoughts on the debate",
        "Bob, watched the tape of the last debate again. She is strongest when she "
        "talks about her own county. I'd cut the statistics in the opening and lead with a story. Worth "
        "reading: [[this piece|politico.com]]",
    ),
    (
        "Polling - worth a look",
        "This tracks with what I'm hearing from folks in the Lehigh Valley. "
        "[[New numbers|realclearpolling.com]] Don't overreact to one poll, but the independents number is "
        "real.",
    ),
    (
        "Fundraising email tone",
        "The last two fundraising emails read like panic. Donors respond better "
        "to momentum than to fear. Happy to look at drafts if Marcus wants a second pair of eyes.",
    ),
    (
        "Article on the suburban vote",
        "Good piece on where the suburban vote is going: [[here|nytimes.com]]. "
        "Our numbers in Bucks tell the same story.",
    ),
    (
        "Advice on the town hall",
        "From experience: take the hardest question first and the room is yours. "
        "Don't let staff pre-screen the questions too much, people notice.",
    ),
    ("Quick note", "Saw the new ad. Strong. The last five seconds could be tighter."),
    (
        "Press coverage",
        "The [[Post story|washingtonpost.com]] this morning is fair. I'd not respond to it, let it breathe.",
    ),
    (
        "Old contacts in Harrisburg",
        "I still talk to a few people in the governor's office. Happy to make "
        "introductions if useful, just say the word.",
    ),
    (
        "Re-reading the housing plan",
        "Read the housing paper. Substantively good, but lead with the "
        "renters' credit, it's the part people will remember.",
    ),
    (
        "Dinner next week?",
        "Bob, are you free for dinner next Thursday? My treat. Would like to hear how "
        "it's going from the inside.",
    ),
]

ADVISER_TRAVEL_NOTES: list[tuple[str, str]] = [
    (
        "Greetings from Lisbon",
        "Bob, writing from Lisbon, we're here for two weeks for our anniversary. "
        "Still reading everything. The convention coverage here is wall to wall. [[Interesting "
        "take|nytimes.com]]",
    ),
    (
        "Re: Polling - worth a look",
        "Quick one from the phone: saw the new numbers. Good trend. Back on the 19th.",
    ),
    (
        "From Lisbon",
        "Sent from a cafe in Alfama. Don't let the team burn out in August; give people a "
        "weekend off before the fall.",
    ),
]

CHAIR_REPLIES_TO_ADVISER = (
    "Gordon, thank you. Always good to hear from you. I'll pass it on.",
    "Appreciate this. Agree on the independents.",
    "Good advice as usual. Let's grab lunch when things calm down (so, November).",
    "Thanks Gordon. Shared with Alicia.",
)

EXTERNAL_NOTES: dict[str, list[tuple[str, str]]] = {
    "pollster": [
        (
            "Tracking wave results",
            "Topline attached in [[the deck|kellerresearch.com]]. Statewide within 2 "
            "points, independents moving. Happy to walk through on a call.",
        ),
        (
            "Questionnaire for next wave",
            "Draft questionnaire for the next wave is in [[this doc|docs.google.com]]. "
            "Please send changes by Tuesday so we can field on Thursday.",
        ),
        (
            "Focus group recordings",
            "Recordings from the Allentown groups are uploaded to "
            "[[our portal|kellerresearch.com]]. The economy segment is the one to watch.",
        ),
    ],
    "reporter": [
        (
            "Request for comment",
            "Hi, I'm writing a story on campaign spending in the Philadelphia media "
            "market for tomorrow. Does the campaign have a comment on the new ad buy? Deadline 4 p.m.",
        ),
        (
            "Interview request",
            "Would Meg have 20 minutes this week for an interview about her election "
            "security proposals? Our earlier coverage: [[story|springfieldherald.com]]",
        ),
        ("Following up", "Following up on my question from yesterday. We're publishing at 6."),
    ],
    "counsel": [
        (
            "FEC filing reminder",
            "A reminder that the quarterly report is due on the 15th. Please send the "
            "final receipts file by the 12th. [[FEC guidance|fec.gov]]",
        ),
        (
            "Disclaimer language for mailers",
            "Approved disclaimer language for the mailers is below. "
            '"Paid for by Harper for America" must be in a printed box.',
        ),
    ],
    "donor": [
        (
            "Event last night",
            "Wonderful event last night. Meg was terrific. I'd like to host something in "
            "Chestnut Hill in October if you can find a date.",
        ),
        (
            "Question about a contribution",
            "My husband and I want to give the maximum each. Is it best by check or online?",
        ),
    ],
    "printer": [
        (
            "Proofs for the door hangers",
            "Proofs for the door hangers are ready for approval: "
            "[[proofs|keystoneprintworks.com]]. 50,000 units, delivery in five business days after sign-off.",
        ),
        (
            "Invoice",
            "Invoice for the yard signs is attached to our portal. Net 30 as usual: "
            "[[invoice|keystoneprintworks.com]]",
        ),
    ],
    "professor": [
        (
            "Census data on rural broadband",
            "Robert, as promised, the county-level broadband numbers are "
            "here: [[census tables|census.gov]]. Our group's paper is at [[keystoneu.edu|keystoneu.edu]].",
        ),
        (
            "Student volunteers",
            "Several of my students want to volunteer on weekends. Who should they contact?",
        ),
    ],
}

LIST_POSTS = (
    (
        "Rides to the polls",
        "Anyone in the Doylestown area able to drive voters on election day? I have "
        "four seniors on my street who need rides.",
    ),
    ("Yard signs", "Where can we pick up yard signs in Lancaster? The office on King St is out."),
    (
        "Phone bank Tuesday",
        "Reminder: phone bank Tuesday 6-8 p.m. at the union hall. Bring a charged phone and headphones.",
    ),
    ("Canvass carpool", "Carpool to the Saturday canvass leaving from the Wawa on Route 309 at 9 a.m."),
    ("Thank you!", "Thank you everyone who came out this weekend. 600 doors in the rain!"),
    ("Lost water bottle", "Left a blue water bottle at the Sunday kickoff. If anyone has it, let me know."),
)

NEWSLETTER_HEADLINES = (
    "Senate map tightens as early voting begins",
    "Inside the battle for the Philadelphia suburbs",
    "What the latest jobs report means for the campaign trail",
    "Five things to watch in tonight's debate",
    "Outside groups pour money into Pennsylvania",
    "The county officials running the election in a swing state",
    "Why turnout models are struggling this year",
    "Mail ballots: what changes in 2024",
    "A quiet week on the trail, and a loud week on TV",
    "Fact-checking the weekend's claims",
    "How local newspapers are covering the race",
    "Election security officials warn of foreign influence efforts",
)

HERALD_HEADLINES = (
    "County board certifies new polling locations",
    "Harper campaign opens Springfield field office",
    "Voter registration deadline approaches",
    "Editorial: The county's election workers deserve our thanks",
    "Early voting turnout outpaces 2020",
    "School board race draws record number of candidates",
    "Transit bill stalls in Harrisburg",
    "Poll: Economy tops voters' concerns",
)
