"""Realistic sign-in volume of a whole organisation, with planted attacks, as Entra ID or Okta JSON lines.

``generate_signins(out_dir, fmt="entra", users=3000, days=30, seed=2024)`` writes into ``out_dir``:

``signins/<fmt>-YYYY-MM-DD.jsonl``
    One file per UTC day, oldest event first: Microsoft Graph ``signIn`` objects (``fmt="entra"``,
    the shape of ``vigil.demo.signins``) or Okta System Log ``LogEvent`` objects (``fmt="okta"``).
``truth.json``
    Every planted attack with the detector expected to find it (``details.detector``), the
    detectors that would also be right (``details.also``), the attacker's addresses and the accounts
    involved (``entities``) and its event ids (``records``); and the hard negatives planted beside
    them (office NAT, shared VPN and proxy egress, lock-outs and resets, people abroad...).
``protected.toml`` and ``protected.json``
    The protected people and the county, as ``vigil.toml`` sections and as a file for
    ``vigil protect import``.

The organisation is a county government (``vigil.demo.signin_volume_org``); a day of ordinary work is
drawn with numpy (``vigil.demo.signin_volume_days``); the attacks and negatives are in
``vigil.demo.signin_volume_attacks``; events are written from pre-serialised fragments
(``vigil.demo.signin_volume_render``). Instead of ``users``, ``events`` asks for a total: the number
of users is then chosen so that the days hold about that many events. Days are written by parallel
processes where the platform forks; each day draws from its own seeded generator, so the output is the
same whatever the number of processes. Memory stays bounded by one day of rows per process.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from vigil.demo import story as s
from vigil.demo.manifest import FileEntry, PlantedAttack
from vigil.demo.signin_volume_attacks import Planter
from vigil.demo.signin_volume_days import background_day, epoch_ms
from vigil.demo.signin_volume_negatives import plant_negatives
from vigil.demo.signin_volume_org import DOMAIN, TENANT_ID, Org, build_org
from vigil.demo.signin_volume_render import Writer, writer
from vigil.demo.signin_volume_rows import WRITTEN, Rows, concat, sort
from vigil.errors import VigilError

FORMATS = ("entra", "okta")
DEFAULT_START = date(2024, 9, 1)
DEFAULT_USERS = 3000
MIN_USERS, MAX_USERS = 800, 2_000_000
MIN_DAYS, MAX_DAYS = 7, 366
FOLDER = "signins"
TRUTH = "truth.json"
PROTECTED_TOML = "protected.toml"
PROTECTED_JSON = "protected.json"
ORGANIZATION = "Calder County"
_DAY_FILE = re.compile(r"^(entra|okta)-\d{4}-\d{2}-\d{2}\.jsonl$")

Progress = Callable[[int, int], None]  # (days written, events written so far)


@dataclass
class SigninTruth:
    """What was written and what was planted (``truth.json``).

    ``files`` list each day's file with its events and bytes; their ``sha256`` is left empty (hashing
    gigabytes would take longer than writing them; the same seed gives the same bytes anyway).
    """

    format: str
    seed: int
    users: int
    days: int
    start: str
    out_dir: str
    events: int = 0
    files: list[FileEntry] = field(default_factory=list)
    attacks: list[PlantedAttack] = field(default_factory=list)
    negatives: list[PlantedAttack] = field(default_factory=list)
    inputs: list[str] = field(default_factory=lambda: [FOLDER])
    protected_toml: str = PROTECTED_TOML
    protected_json: str = PROTECTED_JSON
    truth_json: str = TRUTH

    def input_paths(self) -> list[Path]:
        return [Path(self.out_dir) / p for p in self.inputs]

    def expected_detectors(self) -> dict[str, list[PlantedAttack]]:
        """Detector id -> the planted attacks it is expected to find."""
        by: dict[str, list[PlantedAttack]] = {}
        for a in self.attacks:
            by.setdefault(a.details["detector"], []).append(a)
        return by

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("out_dir")
        return data

    def dumps(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: Path) -> SigninTruth:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            format=data["format"],
            seed=data["seed"],
            users=data["users"],
            days=data["days"],
            start=data["start"],
            out_dir=str(path.parent),
            events=data["events"],
            files=[FileEntry(**f) for f in data["files"]],
            attacks=[PlantedAttack(**a) for a in data["attacks"]],
            negatives=[PlantedAttack(**a) for a in data["negatives"]],
            inputs=data["inputs"],
            protected_toml=data["protected_toml"],
            protected_json=data["protected_json"],
            truth_json=data["truth_json"],
        )


def _check(fmt: str, users: int | None, days: int, events: int | None) -> None:
    if fmt not in FORMATS:
        raise VigilError(f"unknown sign-in format {fmt!r} (one of {', '.join(FORMATS)})")
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise VigilError(f"days must be between {MIN_DAYS} and {MAX_DAYS} (the slow spray alone takes five)")
    if users is not None and events is not None:
        raise VigilError("give the number of users or the number of events, not both")
    if users is not None and not MIN_USERS <= users <= MAX_USERS:
        raise VigilError(
            f"users must be between {MIN_USERS:,} and {MAX_USERS:,} (the planted sprays need several hundred)"
        )
    if events is not None and events <= 0:
        raise VigilError("events must be a positive number")


def _day_rng(seed: int, day: int) -> np.random.Generator:
    return np.random.default_rng([seed, 2, day])


def events_per_user_day(fmt: str, days: int, seed: int, start: date = DEFAULT_START) -> float:
    """The mean number of background events one person makes a day (measured on a small organisation)."""
    sample = 1000
    org = build_org(sample, days, seed, start)
    written = np.fromiter(WRITTEN[fmt], np.int8)
    counted = 0
    step = max(1, days // 28)
    measured = range(0, days, step)
    for d in measured:
        rows = background_day(org, d, _day_rng(seed, d))
        counted += int(np.isin(rows["kind"], written).sum())
    return counted / (sample * len(measured))


def users_for_events(events: int, fmt: str, days: int, seed: int, start: date = DEFAULT_START) -> int:
    """How many users make about ``events`` events in ``days`` days."""
    users = round(events / (events_per_user_day(fmt, days, seed, start) * days))
    if not MIN_USERS <= users <= MAX_USERS:
        raise VigilError(
            f"{events:,} events over {days} days would mean {users:,} users; "
            f"choose a volume that gives {MIN_USERS:,} to {MAX_USERS:,} users"
        )
    return users


# -- writing one day (in this process or a forked one) -------------------------------------------------

_STATE: dict[str, Any] = {}


def _write_day(day: int) -> tuple[int, str, int, int]:
    org: Org = _STATE["org"]
    out: Path = _STATE["folder"]
    fmt: str = _STATE["fmt"]
    write: Writer = _STATE["writer"]
    planted: list[Rows] = _STATE["planted"]
    ids: list[str] = _STATE["ids"]
    rng = _day_rng(org.seed, day)
    rows = sort(concat([background_day(org, day, rng), planted[day]]))
    when = date.fromordinal(org.start.toordinal() + day)
    path = out / f"{fmt}-{when.isoformat()}.jsonl"
    count = size = 0
    with path.open("wb") as f:
        for lines, chunk in write.lines(rows, ids, np.random.default_rng([org.seed, 3, day])):
            f.write(chunk)
            size += len(chunk)
            count += lines
    return day, path.name, count, size


def _clear(folder: Path) -> None:
    if folder.is_dir():
        for p in folder.iterdir():
            if _DAY_FILE.match(p.name):
                p.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _workers(requested: int | None, users: int, days: int) -> int:
    if requested is not None:
        return max(1, requested)
    if "fork" not in multiprocessing.get_all_start_methods() or users * days < 300_000:
        return 1
    return max(1, min(2, os.cpu_count() or 1, days))


def generate_signins(
    out_dir: Path | str,
    *,
    fmt: str = "entra",
    users: int | None = None,
    days: int = 30,
    events: int | None = None,
    seed: int = 2024,
    start: date = DEFAULT_START,
    workers: int | None = None,
    progress: Progress | None = None,
) -> SigninTruth:
    """Write ``days`` days of sign-ins of an organisation of ``users`` people (or about ``events``
    events) in ``fmt``, with the planted attacks; returns the truth (also written to ``truth.json``)."""
    _check(fmt, users, days, events)
    if users is None:
        users = DEFAULT_USERS if events is None else users_for_events(events, fmt, days, seed, start)
    out = Path(out_dir)
    folder = out / FOLDER
    _clear(folder)

    org = build_org(users, days, seed, start)
    planter = Planter(org, seed)
    planter.plant_attacks()
    plant_negatives(planter)
    planter.finish(fmt)
    planted = planter.rows.by_day(epoch_ms(start), days)
    _STATE.update(
        org=org, folder=folder, fmt=fmt, writer=writer(fmt, org), planted=planted, ids=planter.rows.ids
    )

    truth = SigninTruth(
        format=fmt,
        seed=seed,
        users=users,
        days=days,
        start=start.isoformat(),
        out_dir=str(out),
        attacks=planter.attacks,
        negatives=planter.negatives,
    )
    done: list[tuple[int, str, int, int]] = []
    n_workers = _workers(workers, users, days)
    try:
        if n_workers == 1:
            results: Any = map(_write_day, range(days))
            for r in results:
                done.append(r)
                if progress:
                    progress(len(done), sum(x[2] for x in done))
        else:
            with multiprocessing.get_context("fork").Pool(n_workers) as pool:
                for r in pool.imap_unordered(_write_day, range(days)):
                    done.append(r)
                    if progress:
                        progress(len(done), sum(x[2] for x in done))
    finally:
        _STATE.clear()
    done.sort()
    for _, name, count, size in done:
        truth.files.append(FileEntry(f"{FOLDER}/{name}", f"{fmt}-jsonl", count, size, ""))
    truth.events = sum(f.records for f in truth.files)
    for a in [*truth.attacks, *truth.negatives]:
        a.files = sorted({f"{FOLDER}/{fmt}-{t[:10]}.jsonl" for t in (a.start, a.end) if t})
    (out / PROTECTED_TOML).write_text(protected_assets_toml(org), encoding="utf-8")
    (out / PROTECTED_JSON).write_text(json.dumps(protected_assets(org), indent=2) + "\n", encoding="utf-8")
    (out / TRUTH).write_text(truth.dumps(), encoding="utf-8")
    return truth


def protected_assets(org: Org) -> dict[str, list[dict[str, Any]]]:
    """The county's protected people and the county itself, as vigil.toml sections."""
    people = []
    for u, (role, priority) in sorted(org.protected.items()):
        upn = org.upns[u]
        people.append(
            {
                "name": org.names[u],
                "role": role,
                "organization": ORGANIZATION,
                "emails": [upn],
                "signins": [upn],
                "priority": priority,
            }
        )
    return {
        "people": people,
        "organizations": [
            {
                "name": ORGANIZATION,
                "kind": "election-office",
                "domains": [DOMAIN],
                "tenants": [s.COUNTY_TENANT_DOMAIN, TENANT_ID],
                "priority": "high",
            }
        ],
    }


def protected_assets_toml(org: Org) -> str:
    header = (
        "# Protected assets of the generated county (synthetic). Append to a workspace's vigil.toml,\n"
        f"# or `vigil protect import {PROTECTED_JSON}`.\n\n"
    )
    return header + tomli_w.dumps(protected_assets(org))
