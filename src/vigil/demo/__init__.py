"""A seeded, synthetic data set in real formats, with the 2024 US-election story planted in it.

``vigil.demo.generate(out_dir, seed=2024, scale=1.0)`` writes the files below and returns a
``DemoManifest``: every file (format, record count, size, SHA-256) and the ground truth, every planted
attack as a ``PlantedAttack`` (kind, actor, the addresses, domains, IPs, accounts and URLs involved,
time window, the records that carry it, which file, and the signals that give it away), plus the
*hard negatives*: legitimate look-alikes of the attacks that a detector must leave alone. The manifest
is also written as ``truth.json``; ``protected.toml`` holds the story's protected people,
organizations, brands and social accounts in the ``[[people]]``/``[[organizations]]``/``[[brands]]``/
``[[social_accounts]]`` form of ``vigil.toml`` (also ``vigil.demo.protected_assets_toml()``).

Ingest ``manifest.input_paths()`` (the six data folders): every file there has an adapter and nothing
is quarantined. Ingesting the output folder itself also works, but lists ``truth.json`` and
``protected.toml`` (meant for the evaluator and for ``vigil.toml``) as files of unknown format.
Message-IDs in the truth are written without angle brackets, as in the ``emails`` table; sign-ins
are identified by their Graph ``id`` (``event_id``), posts by ``message_id`` (``post_id``), pages by URL.

Everything is fictional: people, organizations, domains, accounts, actors. IP addresses are made up
to look like those of real providers; they are not indicators of anything.

The story
---------
*Harper for America* (``harperforamerica.org``, Microsoft 365) runs Meg Harper's Senate campaign in
Pennsylvania. *Calder County Elections* (``caldercounty.gov``) runs the election in a swing county.
The *Springfield Herald* (``springfieldherald.com``) covers both; the *Calder Voters Alliance*
(``x:caldervoters``) registers voters. Two fictional state-backed actors go after them between June
and October 2024: VELVET LARK (phishing and account takeover) and PAPER LANTERN (influence).

Files (sizes at ``scale=1.0``)
------------------------------
``mail/campaign.mbox``
    About 370 messages: the campaign's mail journal (mboxrd: a ``From`` line per message, ``>From``
    quoting). Staff threads with ``In-Reply-To``/``References``, newsletters with ``List-Id`` and
    ``List-Unsubscribe``, a Mailman list, calendar invites, forwards, mail from outside. Headers as a
    Microsoft 365 mailbox shows them: ``Received`` hops with each sender's client address,
    ``Authentication-Results`` (SPF, DKIM, DMARC with ``smtp.mailfrom``/``header.d``), DKIM signature
    stubs, and per-sender habits (mail client and Message-ID style, networks, hours, link domains).
``mail/maildir/chair/{cur,new,tmp}``
    About 240 messages: the campaign chair's inbox.
``signins/entra_signins.jsonl`` and ``signins/entra_page.json``
    About 15,000 sign-ins of 200 users of the county and campaign tenants over September 2024, in
    the Microsoft Graph ``signIn`` shape (JSON lines; and one ``{"@odata.context", "value": [...]}``
    page, newest first, of the campaign tenant for 13-16 September): offices, homes, phones, a VPN,
    travel, typos, MFA prompts, a lock-out, a copier on SMTP AUTH.
``domains/newly_registered.csv`` and ``domains/certstream.jsonl``
    About 500 new domains (``domain,first_seen,source``) and certstream ``certificate_update`` lines.
``web/crawl.warc.gz`` and ``web/pages/*.html``
    A WARC 1.1 crawl (request and response records) of three real-looking outlets, a sister site,
    four fake local news sites, an outlet clone and a phishing landing page; four pages saved by hand
    (``<!-- saved from url=... -->``, canonical link).
``social/posts.csv`` and ``social/accounts.csv``
    About 2,800 X posts in coordination-network-toolkit's eight columns and about 330 accounts.
``intel/indicators.json`` and ``intel/meta_style_indicators.csv``
    A STIX 2.1 bundle (identity, two intrusion sets, indicators with ``indicates`` relationships) and
    a defanged ``Tactic,Technique,Procedure,Indicator`` CSV in the style of Meta's threat reports.

What is planted (ids as in ``truth.json``)
------------------------------------------
Mail
    ``mail.spearphish_hijacked_adviser``: to the chair from the real personal account of the former
    senior adviser Gordon Reyes (``gordon.reyes@chesapeakemail.net``, some 35 earlier messages):
    SPF/DKIM/DMARC pass, but from 91.206.178.34 (NL) with Thunderbird instead of Outlook 16.0, at
    03:14, a ``Fwd:`` without thread headers, and a link through ``secure-docreview.online``.
    ``mail.spearphish_hijacked_adviser_subtle``: the same account, his usual client, working hours;
    only the network (45.88.97.213) and the link domain (``briefing-archive.site``) are new.
    ``mail.spoofed_candidate_bec``: a wire request in the candidate's name, DMARC fail, reply-to
    ``meg.harper@harperforamerica-org.com``. ``mail.credential_phish_homoglyph``: "password expires"
    lure from ``it-support@xn--harperforamerca-k3m.org`` (Cyrillic і) with an ``.htm`` attachment and
    a link whose text says login.microsoftonline.com but goes to ``harperforamerica-sso.com``.
    ``mail.podcast_invitation_lure``: a podcast host (``thecivicbrief-podcast.com``) builds rapport,
    then sends a guest portal on ``meet-civicbrief.live``.
Sign-ins
    ``signin.password_spray_county`` (193.29.59.14, 40 county accounts) and
    ``signin.spray_compromised_account`` (the clerk ``dale.pruitt@caldercounty.gov`` signs in from the
    spraying address); ``signin.slow_password_spray`` (89.44.9.201, five days);
    ``signin.distributed_password_spray`` (30 residential addresses, one Edge 108 user agent, campaign
    tenant); ``signin.candidate_account_attempts`` (the candidate's account, from 91.206.178.0/24, three
    and six days after the phish; in ``entra_page.json``); ``signin.impossible_travel`` (Harrisburg,
    then Bucharest 37 minutes later); ``signin.mfa_fatigue`` (twelve 500121, then an approval);
    ``signin.legacy_protocol_success`` (IMAP4 from 185.156.46.112).
Domains, web, social, intel
    ``domains.*``: lookalikes of the outlet (``springfieldherald.co``, ``springfie1dherald.com``,
    ``springfield-herald.news``), the campaign and the county, and the phishing and fake-news domains.
    ``web.fake_local_news_network``: four WordPress sites, two left- and two right-leaning, sharing
    Google Analytics ``G-7XQ4M2KZ9P`` and AdSense ``ca-pub-4417093826150392``;
    ``web.rewritten_copies`` maps each rewritten article to its original; ``web.outlet_clone``: the
    Herald's template, logo and analytics id on its lookalikes (an invented story, a false
    "register by text" deadline); ``web.phishing_landing_page``.
    ``social.coordinated_link_sharing``: twenty accounts created in one week post the fake sites' links
    with the same text within 90 seconds, burst after burst; ``social.activist_group_impersonation``:
    ``caIdervoters`` and ``calder_voters`` copy the alliance's name, bio and avatar.
    ``intel.known_indicators_in_data`` / ``intel.meta_style_indicators``: feed entries that occur in
    the data (``details.seen_in`` says where).
Hard negatives (``negative: true``)
    The adviser writing from Lisbon on holiday; a manager at 1 a.m. in a Des Moines hotel; a
    forwarder and a mailing list that break DMARC; newsletters with click-tracking redirects; a new
    vendor's first mail; a commissioner in London; a VPN on the sprayers' ASN; a lock-out and reset;
    background failed log-ins; a copier on SMTP AUTH; a syndicated wire story; sister sites sharing an
    analytics id; debate-night hashtag synchrony; a viral local story; the alliance's real youth
    chapter; benign domains containing "springfield", "harper" or "herald"; a feed indicator that
    occurs nowhere.

Seeds and scale
---------------
Each part draws from its own ``random.Random("vigil-demo:<seed>:<part>")``; dates are fixed (mail
June-October 2024, sign-ins September 2024, posts September-October 2024) and nothing reads the clock,
so the same ``seed`` and ``scale`` give byte-identical files, whatever the machine or hash seed (across
Python versions too, as long as ``random``'s streams stay as they have been since 3.2). ``scale`` multiplies
the background volume only (0.05 makes a quick test set; the planted attacks never thin out).
``generate`` empties the six data folders inside ``out_dir`` before writing them.
"""

from vigil.demo.generate import DATA_DIRS, generate, protected_assets, protected_assets_toml
from vigil.demo.manifest import DemoManifest, FileEntry, PlantedAttack

__all__ = [
    "DATA_DIRS",
    "DemoManifest",
    "FileEntry",
    "PlantedAttack",
    "generate",
    "protected_assets",
    "protected_assets_toml",
]
