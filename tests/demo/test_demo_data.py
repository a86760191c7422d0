"""The demo data set: deterministic, every file parses with its format's own reader, the truth is complete."""

from __future__ import annotations

import csv
import email
import gzip
import html
import io
import json
import mailbox
import os
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from email import policy
from html.parser import HTMLParser
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from vigil.demo import DATA_DIRS, DemoManifest, generate, protected_assets_toml
from vigil.demo import story as s
from vigil.demo.mail import mbox_escape
from vigil.protect import Organization, Person, ProtectedAssets, SocialAccount

SMALL = 0.05

EXPECTED_ATTACKS = {
    "mail.spearphish_hijacked_adviser",
    "mail.spearphish_hijacked_adviser_subtle",
    "mail.spoofed_candidate_bec",
    "mail.credential_phish_homoglyph",
    "mail.podcast_invitation_lure",
    "signin.password_spray_county",
    "signin.spray_compromised_account",
    "signin.slow_password_spray",
    "signin.distributed_password_spray",
    "signin.candidate_account_attempts",
    "signin.impossible_travel",
    "signin.mfa_fatigue",
    "signin.legacy_protocol_success",
    "domains.outlet_lookalikes",
    "domains.campaign_lookalikes",
    "domains.county_lookalike",
    "domains.phishing_infrastructure",
    "domains.fake_news_sites",
    "web.fake_local_news_network",
    "web.rewritten_copies",
    "web.outlet_clone",
    "web.phishing_landing_page",
    "social.coordinated_link_sharing",
    "social.activist_group_impersonation",
    "intel.known_indicators_in_data",
    "intel.meta_style_indicators",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate(tmp_path_factory.mktemp("demo"), seed=2024, scale=SMALL)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _read(root: Path, rel: str) -> bytes:
    path = root / rel
    if path.is_dir():
        return b"\n".join(p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file())
    data = path.read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


def _entry(manifest: DemoManifest, fmt: str) -> Iterator[Path]:
    for f in manifest.files:
        if f.format == fmt:
            yield Path(manifest.out_dir) / f.path


# -- determinism --------------------------------------------------------------------------------------


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=11, scale=SMALL)
    b = generate(tmp_path / "b", seed=11, scale=SMALL)
    ta, tb = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert ta.keys() == tb.keys()
    assert [k for k in ta if ta[k] != tb[k]] == []
    assert a.dumps() == b.dumps()


def test_same_bytes_in_another_process(demo: DemoManifest, tmp_path: Path) -> None:
    """No set or dict order leaks into the output: another hash seed, the same files."""
    script = f"from vigil.demo import generate; generate({str(tmp_path)!r}, seed=2024, scale={SMALL})"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    assert _tree(tmp_path) == _tree(Path(demo.out_dir))


def test_other_seed_other_data_same_story(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=1, scale=SMALL)
    b = generate(tmp_path / "b", seed=2, scale=SMALL)
    assert (tmp_path / "a/mail/campaign.mbox").read_bytes() != (
        tmp_path / "b/mail/campaign.mbox"
    ).read_bytes()
    assert {x.id for x in a.attacks} == {x.id for x in b.attacks} == EXPECTED_ATTACKS


def test_regenerating_in_place_leaves_no_stale_files(tmp_path: Path) -> None:
    generate(tmp_path, seed=3, scale=0.1)
    generate(tmp_path, seed=3, scale=SMALL)
    fresh = tmp_path / "fresh"
    generate(fresh, seed=3, scale=SMALL)
    old = {k: v for k, v in _tree(tmp_path).items() if not k.startswith("fresh/")}
    assert old == _tree(fresh)


def test_scale_one_is_fast(tmp_path: Path) -> None:
    started = time.perf_counter()
    manifest = generate(tmp_path, scale=1.0)
    assert time.perf_counter() - started < 10
    counts = {f.path: f.records for f in manifest.files}
    assert counts["mail/campaign.mbox"] + counts["mail/maildir/chair"] >= 550
    assert counts["signins/entra_signins.jsonl"] > 10_000


# -- every file parses with its format's reader --------------------------------------------------


def test_mbox_parses(demo: DemoManifest) -> None:
    path = Path(demo.out_dir) / "mail/campaign.mbox"
    raw = path.read_bytes()
    messages = list(mailbox.mbox(str(path)))
    assert len(messages) == next(f.records for f in demo.files if f.path == "mail/campaign.mbox")
    assert raw.count(b"\nFrom ") + 1 == len(messages)  # only separators start with "From "
    for msg in messages:
        parsed = email.message_from_bytes(msg.as_bytes(), policy=policy.default)
        assert parsed["Message-ID"] and parsed["Date"] and parsed["From"]
        for part in parsed.walk():
            if not part.is_multipart():
                part.get_content()


def test_mbox_quoting_round_trips() -> None:
    raw = b"Subject: x\n\nFrom here on\n>From there\nnot From\n"
    escaped = mbox_escape(raw)
    assert escaped == b"Subject: x\n\n>From here on\n>>From there\nnot From\n"
    assert escaped.replace(b"\n>From ", b"\nFrom ").replace(b"\n>>From ", b"\n>From ") != escaped


def test_maildir_parses(demo: DemoManifest) -> None:
    root = Path(demo.out_dir) / "mail/maildir/chair"
    assert {p.name for p in root.iterdir()} == {"cur", "new", "tmp"}
    box = mailbox.Maildir(str(root), create=False)
    assert len(box) == next(f.records for f in demo.files if f.path == "mail/maildir/chair")
    assert all(":2," in p.name for p in (root / "cur").iterdir())
    for key in box.iterkeys():
        parsed = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
        assert s.CHAIR.email in str(parsed["To"]) + str(parsed["CC"]) + str(parsed["X-Forwarded-To"])


def test_mail_headers_are_realistic(demo: DemoManifest) -> None:
    box = mailbox.Maildir(str(Path(demo.out_dir) / "mail/maildir/chair"), create=False)
    phish_id = "<" + demo.attack("mail.spearphish_hijacked_adviser").records[0] + ">"
    for key in box.iterkeys():
        msg = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
        if msg["Message-ID"] != phish_id:
            continue
        auth = msg["Authentication-Results"]
        assert "spf=pass" in auth and "dkim=pass" in auth and "dmarc=pass" in auth
        assert "header.d=chesapeakemail.net" in auth and "smtp.mailfrom=chesapeakemail.net" in auth
        assert any(f"[{s.PHISH_A_IP}]" in h for h in msg.get_all("Received") or [])
        assert msg["DKIM-Signature"] and msg["In-Reply-To"] is None and msg["Subject"].startswith("Fwd:")
        body = msg.get_body(("html",))
        assert body is not None and s.PHISH_A_URL in body.get_content()
        break
    else:
        pytest.fail("the planted spear-phish is not in the chair's Maildir")


def test_signins_parse(demo: DemoManifest) -> None:
    root = Path(demo.out_dir)
    lines = (root / "signins/entra_signins.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == next(f.records for f in demo.files if f.path == "signins/entra_signins.jsonl")
    for ev in events[:200]:
        for key in (
            "id",
            "createdDateTime",
            "userPrincipalName",
            "appDisplayName",
            "clientAppUsed",
            "ipAddress",
            "status",
            "location",
            "deviceDetail",
            "isInteractive",
            "authenticationRequirement",
        ):
            assert key in ev
        assert ev["createdDateTime"].endswith("Z")
    assert [e["createdDateTime"] for e in events] == sorted(e["createdDateTime"] for e in events)
    codes = {e["status"]["errorCode"] for e in events}
    assert {0, 50126, 50053, 500121, 50034, 50074} <= codes
    assert {e["clientAppUsed"] for e in events} >= {"Browser", "IMAP4", "Authenticated SMTP"}
    page = json.loads((root / "signins/entra_page.json").read_text())
    assert page["@odata.context"].endswith("auditLogs/signIns") and isinstance(page["value"], list)
    times = [e["createdDateTime"] for e in page["value"]]
    assert times == sorted(times, reverse=True)
    assert {e["id"] for e in page["value"]}.isdisjoint(e["id"] for e in events)


def test_domains_parse(demo: DemoManifest) -> None:
    root = Path(demo.out_dir)
    rows = list(csv.DictReader(io.StringIO((root / "domains/newly_registered.csv").read_text())))
    assert rows and set(rows[0]) == {"domain", "first_seen", "source"}
    domains = {r["domain"] for r in rows}
    assert {*s.CLONE_DOMAINS, s.HOMOGLYPH_DOMAIN, s.SPOOF_DOMAIN} <= domains
    assert s.HOMOGLYPH_DOMAIN.encode().decode("idna") == s.HOMOGLYPH_DOMAIN_U
    for line in (root / "domains/certstream.jsonl").read_text().splitlines():
        msg = json.loads(line)
        assert msg["message_type"] == "certificate_update"
        assert msg["data"]["leaf_cert"]["all_domains"] and isinstance(msg["data"]["seen"], float)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.canonical = ""
        self.title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href") or ""
        self.title = self.title or tag == "title"


def test_web_parses(demo: DemoManifest) -> None:
    root = Path(demo.out_dir)
    responses = {}
    with (root / "web/crawl.warc.gz").open("rb") as f:
        types = []
        for rec in ArchiveIterator(f):
            types.append(rec.rec_type)
            if rec.rec_type == "response":
                assert rec.http_headers.get_statuscode() == "200"
                responses[rec.rec_headers.get_header("WARC-Target-URI")] = (
                    rec.content_stream().read().decode()
                )
    assert types[0] == "warcinfo" and types.count("request") == types.count("response") == len(responses)
    for url, body in responses.items():
        p = _Links()
        p.feed(body)
        assert p.title and p.canonical == url
    pages = sorted((root / "web/pages").glob("*.html"))
    assert len(pages) == 4
    for page in pages:
        p = _Links()
        p.feed(page.read_text())
        assert p.canonical.startswith("https://") and "<!-- saved from url=" in page.read_text()
    fake = [u for u in responses if u.split("/")[2] in (*s.FAKE_SITES_LEFT, *s.FAKE_SITES_RIGHT)]
    assert fake and all(s.FAKE_GA_ID in responses[u] and s.FAKE_ADSENSE_ID in responses[u] for u in fake)


def test_social_parses(demo: DemoManifest) -> None:
    root = Path(demo.out_dir)
    with (root / "social/posts.csv").open(newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert header == [
        "message_id",
        "user_id",
        "username",
        "repost_id",
        "reply_id",
        "message",
        "timestamp",
        "urls",
    ]
    assert all(len(r) == 8 and r[6].isdigit() for r in rows)
    ids = {r[0] for r in rows}
    assert len(ids) == len(rows)
    assert all(r[3] in ids for r in rows if r[3]) and all(r[4] in ids for r in rows if r[4])
    accounts = list(csv.DictReader((root / "social/accounts.csv").open(newline="")))
    assert list(accounts[0]) == [
        "platform",
        "account_id",
        "handle",
        "display_name",
        "bio",
        "created",
        "followers",
        "avatar_hash",
    ]
    by_handle = {a["handle"]: a for a in accounts}
    real, fake = by_handle[s.ACTIVIST_HANDLE], by_handle["caIdervoters"]
    assert (real["display_name"], real["bio"], real["avatar_hash"]) == (
        fake["display_name"],
        fake["bio"],
        fake["avatar_hash"],
    )
    assert {r[1] for r in rows} <= {a["account_id"] for a in accounts}


def test_intel_parses(demo: DemoManifest) -> None:
    import stix2

    root = Path(demo.out_dir)
    text = (root / "intel/indicators.json").read_text()
    bundle = stix2.parse(text, allow_custom=False)
    by_id = {o.id: o for o in bundle.objects}
    indicators = [o for o in bundle.objects if o.type == "indicator"]
    assert indicators
    for ind in indicators:
        rels = [o for o in bundle.objects if o.type == "relationship" and o.source_ref == ind.id]
        assert rels and all(r.relationship_type == "indicates" for r in rels)
        assert all(by_id[r.target_ref].type == "intrusion-set" for r in rels)
    try:
        from stix2validator import ValidationOptions, validate_string
    except ImportError:  # pragma: no cover - a dev dependency
        pass
    else:
        assert validate_string(text, ValidationOptions(strict=False)).is_valid
    rows = list(csv.DictReader((root / "intel/meta_style_indicators.csv").open(newline="")))
    assert list(rows[0]) == ["Tactic", "Technique", "Procedure", "Indicator"]
    assert any("[.]" in r["Indicator"] for r in rows) and not any(".com" in r["Indicator"] for r in rows)


# -- the truth -----------------------------------------------------------------------------------------


def test_truth_lists_every_planted_attack(demo: DemoManifest) -> None:
    root = Path(demo.out_dir)
    truth = json.loads((root / "truth.json").read_text())
    assert {a["id"] for a in truth["attacks"]} == EXPECTED_ATTACKS
    assert all(a["negative"] for a in truth["negatives"]) and len(truth["negatives"]) >= 15
    assert DemoManifest.load(root / "truth.json").dumps() == demo.dumps()
    assert truth["inputs"] == list(DATA_DIRS)
    listed = {f["path"] for f in truth["files"]}
    for f in truth["files"]:
        assert (root / f["path"]).exists()
    for attack in [*demo.attacks, *demo.negatives]:
        assert attack.files and set(attack.files) <= listed, attack.id
        if not attack.negative:
            assert attack.start and attack.end and attack.start <= attack.end, attack.id
            assert attack.entities and attack.actor in (s.CYBER_ACTOR, s.INFLUENCE_ACTOR), attack.id


def test_truth_records_are_in_their_files(demo: DemoManifest) -> None:
    root = Path(demo.out_dir)
    cache: dict[str, bytes] = {}
    for attack in [*demo.attacks, *demo.negatives]:
        blob = b"\n".join(cache.setdefault(f, _read(root, f)) for f in attack.files)
        missing = [r for r in attack.records if r.encode() not in blob]
        assert not missing, (attack.id, missing[:3])


def test_truth_entities_occur_in_the_data(demo: DemoManifest) -> None:
    root = Path(demo.out_dir)
    data = b"\n".join(_read(root, f.path) for f in demo.files if not f.path.startswith("intel/"))
    for attack in demo.attacks:
        for kind, values in attack.entities.items():
            for value in values:
                needle = value.split(":", 1)[1] if kind == "social-account" else value
                assert needle.encode() in data or html.escape(needle).encode() in data, (
                    attack.id,
                    kind,
                    value,
                )


def test_intel_says_where_indicators_occur(demo: DemoManifest) -> None:
    seen = demo.attack("intel.known_indicators_in_data").details["seen_in"]
    assert seen and all(seen.values())
    assert seen[s.SPRAY_IP] == ["signins/entra_signins.jsonl"]
    assert demo.attack("neg.intel.indicator_not_in_data").details["seen_in"] == {
        "harper-campaign-docs.com": []
    }


def test_story_links_sources(demo: DemoManifest) -> None:
    """The candidate's sign-in attempts come from the /24 of the spear-phish; its domain is in the feeds."""
    attempts = demo.attack("signin.candidate_account_attempts").entities["ipv4-addr"]
    assert all(ip.rsplit(".", 1)[0] == s.PHISH_A_IP.rsplit(".", 1)[0] for ip in attempts)
    phish = demo.attack("mail.spearphish_hijacked_adviser")
    assert phish.start < demo.attack("signin.candidate_account_attempts").start
    assert s.PHISH_A_DOMAIN in demo.attack("domains.phishing_infrastructure").entities["domain-name"]
    baseline = phish.details["baseline"]
    assert s.PHISH_A_IP not in baseline["client_ips"] and s.PHISH_B_IP not in baseline["client_ips"]
    assert s.PHISH_A_DOMAIN not in baseline["link_domains"]


# -- protected assets ---------------------------------------------------------------------------------


def test_protected_toml_parses(demo: DemoManifest) -> None:
    text = (Path(demo.out_dir) / "protected.toml").read_text()
    assert text == protected_assets_toml()
    assets = ProtectedAssets.from_config(tomllib.loads(text))
    people = {p.name: p for p in assets.of(Person)}
    assert people["Meg Harper"].priority == "critical" and s.CANDIDATE.email in people["Meg Harper"].signins
    assert s.ADVISER.email in people["Gordon Reyes"].emails
    orgs = {o.name: o for o in assets.of(Organization)}
    assert (
        orgs[s.CAMPAIGN].domains == [s.CAMPAIGN_DOMAIN] and s.CAMPAIGN_TENANT_ID in orgs[s.CAMPAIGN].tenants
    )
    assert orgs[s.COUNTY].kind == "election-office"
    social = {a.handle: a for a in assets.of(SocialAccount)}
    assert social[s.ACTIVIST_HANDLE].avatar_hash == s.ACTIVIST_AVATAR
    rows = assets.to_rows()
    assert {"email-addr", "user-account", "domain-name", "social-account", "tenant"} <= {
        r["kind"] for r in rows
    }
