"""Ingest throughput: real mail and sign-in sets from ../shared/data, and a generated 1M-event Entra export.

    python benchmarks/ingest.py [--events 1000000] [--repeat 3] [--only entra]

Prints records/s per set (median of --repeat runs, each into a fresh workspace). Targets on a
2-core machine: >= 1,000 e-mails/s and >= 200,000 sign-in events/s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from vigil.ingest.run import ingest
from vigil.workspace import Workspace

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def entra_export(path: Path, events: int, seed: int = 7) -> None:
    """Write ``events`` Graph-shaped Entra sign-ins as JSON lines: 5,000 users, office/home/mobile IPs."""
    rnd = random.Random(seed)
    users = [f"user{i:05d}@caldercounty.gov" for i in range(5000)]
    ips = [f"198.51.{rnd.randrange(256)}.{rnd.randrange(1, 255)}" for _ in range(3000)]
    apps = ["Office 365 Exchange Online", "Microsoft Teams", "SharePoint Online", "Azure Portal"]
    clients = ["Browser", "Mobile Apps and Desktop clients", "Exchange ActiveSync", "IMAP4"]
    cities = [
        ("Springfield", "US", 39.8, -89.6),
        ("Chicago", "US", 41.9, -87.6),
        ("Denver", "US", 39.7, -105.0),
    ]
    start = datetime(2024, 9, 1, tzinfo=UTC)
    with path.open("wb") as f:
        for i in range(events):
            city, country, lat, lon = rnd.choice(cities)
            code = 0 if rnd.random() < 0.93 else rnd.choice([50126, 50074, 500121, 50053])
            event = {
                "id": str(uuid.UUID(int=rnd.getrandbits(128))),
                "createdDateTime": (start + timedelta(seconds=i * 2.6)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "userDisplayName": f"User {i % 5000}",
                "userPrincipalName": rnd.choice(users),
                "appDisplayName": rnd.choice(apps),
                "ipAddress": rnd.choice(ips),
                "clientAppUsed": rnd.choice(clients),
                "isInteractive": rnd.random() < 0.6,
                "status": {"errorCode": code, "failureReason": "Other." if code == 0 else "Invalid password"},
                "location": {
                    "city": city,
                    "state": "",
                    "countryOrRegion": country,
                    "geoCoordinates": {"latitude": lat, "longitude": lon},
                },
                "deviceDetail": {"operatingSystem": "Windows 10", "browser": "Edge 128.0", "displayName": ""},
                "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/128.0",
                "authenticationRequirement": "multiFactorAuthentication",
                "conditionalAccessStatus": "success",
                "riskLevelDuringSignIn": "none",
            }
            f.write(orjson.dumps(event) + b"\n")


def timed_ingest(paths: list[Path], table: str, repeat: int) -> tuple[int, list[float], int]:
    rates, rows, quarantined = [], 0, 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            ws = Workspace.init(Path(tmp) / "ws")
            started = time.perf_counter()
            summary = ingest(ws, paths)
            seconds = time.perf_counter() - started
            rows, quarantined = summary.tables[table], summary.quarantined
            rates.append(rows / seconds)
    return rows, rates, quarantined


def report(name: str, rows: int, rates: list[float], quarantined: int, target: float | None = None) -> None:
    median = statistics.median(rates)
    verdict = (
        ""
        if target is None
        else ("  (target {}/s: {})".format(f"{target:,.0f}", "met" if median >= target else "MISSED"))
    )
    spread = f"{min(rates):,.0f}..{max(rates):,.0f}"
    print(
        f"{name:<34} {rows:>9,} records  median {median:>10,.0f}/s  (runs {spread})"
        f"  quarantined {quarantined}{verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="generated Entra events")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only", choices=("mail", "windows", "entra"), action="append", help="run only these sets"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the real sets")
    args = parser.parse_args()
    sets = set(args.only or ("mail", "windows", "entra"))

    print(f"vigil ingest benchmark: {args.repeat} runs each, fresh workspace per run")
    data: Path = args.data
    if sets & {"mail", "windows"} and not data.exists():
        print(f"({data} not found: real sets skipped)")
    elif sets & {"mail", "windows"}:
        if "mail" in sets:
            mail = [data / "spamassassin", data / "phishing_pot" / "email"]
            report(
                "e-mail (spamassassin+phishing_pot)", *timed_ingest(mail, "emails", args.repeat), target=1000
            )
        if "windows" in sets:
            evtx = data / "windows_logon_evtx" / "evtx"
            report("windows logon (EVTX)", *timed_ingest([evtx], "signins", args.repeat))
            jsonl = data / "windows_logon_evtx" / "jsonl"
            report("windows logon (JSON lines)", *timed_ingest([jsonl], "signins", args.repeat))

    if "entra" not in sets:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entra_signins.jsonl"
        started = time.perf_counter()
        entra_export(path, args.events)
        size = path.stat().st_size / 1e6
        print(
            f"generated {args.events:,} Entra events ({size:,.0f} MB)"
            f" in {time.perf_counter() - started:.1f} s"
        )
        report("Entra sign-ins (generated)", *timed_ingest([path], "signins", args.repeat), target=200_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
