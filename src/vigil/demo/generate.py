"""``generate``: write the whole demo data set and its ground truth."""

from __future__ import annotations

import gzip
import hashlib
import random
import shutil
from pathlib import Path
from typing import Any

import tomli_w

from vigil.demo import story as s
from vigil.demo.domains import write_domains
from vigil.demo.intel import write_intel
from vigil.demo.mail import write_mail
from vigil.demo.manifest import DemoManifest, FileEntry, PlantedAttack
from vigil.demo.signins import write_signins
from vigil.demo.social import write_social
from vigil.demo.web import write_web

#: The folders ``generate`` owns inside ``out_dir`` (emptied first, so a re-run leaves no stale file).
DATA_DIRS = ("domains", "intel", "mail", "signins", "social", "web")
TRUTH = "truth.json"
PROTECTED = "protected.toml"


def protected_assets() -> dict[str, list[dict[str, Any]]]:
    """The people, organizations, brands and social accounts of the story, as vigil.toml sections."""

    def person(p: s.Person, priority: str, signin: bool = True) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": p.name,
            "role": p.role,
            "organization": s.CAMPAIGN if p.email.endswith(s.CAMPAIGN_DOMAIN) else "",
            "emails": [p.email],
        }
        if signin:
            entry["signins"] = [p.email]
        if p.handle:
            entry["handles"] = [f"x:{p.handle}"]
        entry["priority"] = priority
        return {k: v for k, v in entry.items() if v not in ("", [])}

    director_name, director_email = s.COUNTY_DIRECTOR
    return {
        "people": [
            person(s.CANDIDATE, "critical"),
            person(s.CHAIR, "critical"),
            person(s.MANAGER, "high"),
            person(s.FINANCE, "high"),
            person(s.COMMS, "high"),
            {
                "name": s.ADVISER.name,
                "role": "former-adviser",
                "organization": s.CAMPAIGN,
                "emails": [s.ADVISER.email],
                "priority": "high",
            },
            {
                "name": director_name,
                "role": "election-official",
                "organization": s.COUNTY,
                "emails": [director_email],
                "signins": [director_email],
                "priority": "critical",
            },
        ],
        "organizations": [
            {
                "name": s.CAMPAIGN,
                "kind": "campaign",
                "domains": [s.CAMPAIGN_DOMAIN],
                "tenants": [s.CAMPAIGN_TENANT_DOMAIN, s.CAMPAIGN_TENANT_ID],
                "priority": "critical",
            },
            {
                "name": s.COUNTY,
                "kind": "election-office",
                "domains": [s.COUNTY_DOMAIN],
                "tenants": [s.COUNTY_TENANT_DOMAIN, s.COUNTY_TENANT_ID],
                "priority": "high",
            },
            {"name": s.OUTLET, "kind": "newsroom", "domains": [s.OUTLET_DOMAIN], "priority": "high"},
            {"name": s.ACTIVIST_GROUP, "kind": "ngo", "domains": [s.ACTIVIST_DOMAIN], "priority": "normal"},
        ],
        "brands": [
            {"name": s.OUTLET, "domains": [s.OUTLET_DOMAIN], "priority": "high"},
            {"name": s.CAMPAIGN, "domains": [s.CAMPAIGN_DOMAIN], "priority": "critical"},
            {"name": s.COUNTY, "domains": [s.COUNTY_DOMAIN], "priority": "high"},
        ],
        "social_accounts": [
            {
                "platform": "x",
                "handle": s.ACTIVIST_HANDLE,
                "display_name": s.ACTIVIST_GROUP,
                "bio": s.ACTIVIST_BIO,
                "avatar_hash": s.ACTIVIST_AVATAR,
                "owner": s.ACTIVIST_GROUP,
                "priority": "high",
            },
            {
                "platform": "x",
                "handle": "springfieldherald",
                "display_name": s.OUTLET,
                "owner": s.OUTLET,
                "priority": "normal",
            },
        ],
    }


def protected_assets_toml() -> str:
    """The story's protected assets in the ``[[people]]``/``[[organizations]]``/... form of vigil.toml."""
    header = (
        "# Protected assets of the vigil demo story (synthetic). Append to a workspace's vigil.toml,\n"
        "# or `vigil protect import` the equivalent JSON.\n\n"
    )
    return header + tomli_w.dumps(protected_assets())


def _file_entry(out: Path, rel: str, fmt: str, records: int) -> FileEntry:
    path = out / rel
    h = hashlib.sha256()
    size = 0
    if path.is_dir():
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            data = f.read_bytes()
            h.update(f.relative_to(path).as_posix().encode() + b"\0" + data)
            size += len(data)
    else:
        data = path.read_bytes()
        h.update(data)
        size = len(data)
    return FileEntry(rel, fmt, records, size, h.hexdigest())


def _contents(out: Path, rel: str) -> bytes:
    path = out / rel
    if path.is_dir():
        return b"\n".join(p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file())
    data = path.read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


def _needle(indicator: str) -> str:
    """What to look for in the data for a (possibly defanged) indicator: an X profile URL is its handle."""
    value = indicator.replace("[.]", ".").replace("hxxp", "http")
    return value.removeprefix("x.com/")


def generate(out_dir: Path | str, seed: int = 2024, scale: float = 1.0) -> DemoManifest:
    """Write the demo data set under ``out_dir`` and return its manifest (also written as ``truth.json``).

    ``scale`` multiplies the background volume (messages, users, posts, domains); every planted attack
    is there at any scale. The same seed and scale give byte-identical files.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for d in DATA_DIRS:
        if (out / d).exists():
            shutil.rmtree(out / d)

    def rng(part: str) -> random.Random:
        return random.Random(f"vigil-demo:{seed}:{part}")

    written: list[tuple[str, str, int]] = []
    attacks: list[PlantedAttack] = []
    negatives: list[PlantedAttack] = []

    mail_files, mail = write_mail(out, rng("mail"), scale)
    written += mail_files
    attacks += mail.attacks
    negatives += mail.negatives

    signin_files, signins = write_signins(out, rng("signins"), scale)
    written += signin_files
    attacks += signins.attacks
    negatives += signins.negatives

    domain_files, dom_attacks, dom_negatives = write_domains(out, rng("domains"), scale)
    written += domain_files
    attacks += dom_attacks
    negatives += dom_negatives

    web_files, web_attacks, web_negatives, pages = write_web(out, rng("web"))
    written += web_files
    attacks += web_attacks
    negatives += web_negatives

    def is_article(url: str) -> bool:
        return url.count("/") > 3 and not url.endswith(".online/") and "/r/" not in url

    real_hosts = {f"www.{d}" for d in s.REAL_OUTLETS} | set(s.REAL_OUTLETS)
    web_urls = {
        "real": [p.url for p in pages if p.url.split("/")[2] in real_hosts and is_article(p.url)],
        "fake_left": [p.url for p in pages if p.url.split("/")[2] in s.FAKE_SITES_LEFT and is_article(p.url)],
        "fake_right": [
            p.url for p in pages if p.url.split("/")[2] in s.FAKE_SITES_RIGHT and is_article(p.url)
        ],
        "clone": [p.url for p in pages if p.url.split("/")[2].removeprefix("www.") in s.CLONE_DOMAINS],
    }
    social_files, social = write_social(out, rng("social"), scale, web_urls)
    written += social_files
    attacks += social.attacks
    negatives += social.negatives

    network = [
        a["handle"]
        for a in next(x for x in social.attacks if x.id == "social.coordinated_link_sharing").details[
            "accounts"
        ]
    ]
    impostors = [
        a["handle"]
        for a in next(x for x in social.attacks if x.id == "social.activist_group_impersonation").details[
            "accounts"
        ]
    ]
    fake_domains = sorted([*s.FAKE_SITES_LEFT, *s.FAKE_SITES_RIGHT])
    intel_files, intel_attacks, intel_negatives = write_intel(
        out, fake_domains, network, impostors, web_urls["fake_right"][0]
    )
    written += intel_files
    attacks += intel_attacks
    negatives += intel_negatives

    # where each intel indicator really occurs (checked, not assumed)
    data_files = [rel for rel, _, _ in written if not rel.startswith("intel/")]
    contents = {rel: _contents(out, rel) for rel in data_files}
    for a in intel_attacks + intel_negatives:
        a.details["seen_in"] = {
            v: [rel for rel in data_files if _needle(v).encode() in contents[rel]] for v in a.records
        }

    (out / PROTECTED).write_text(protected_assets_toml(), encoding="utf-8")
    manifest = DemoManifest(
        seed=seed,
        scale=scale,
        out_dir=str(out),
        files=sorted((_file_entry(out, rel, fmt, n) for rel, fmt, n in written), key=lambda f: f.path),
        attacks=attacks,
        negatives=negatives,
        inputs=list(DATA_DIRS),
        protected_toml=PROTECTED,
        truth_json=TRUTH,
    )
    (out / TRUTH).write_text(manifest.dumps(), encoding="utf-8")
    return manifest
