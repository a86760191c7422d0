"""Ingest every real data set in ../shared/data and print per-format counts and quarantine reasons.

    python evaluation/ingest_real.py [--data ../shared/data]

The real files must parse with nothing quarantined that a person would call valid: every quarantined
record is listed with its reason so that a person can judge. Panther's labelled identity events are
one JSON document per line with the vendor event under ``log``; they are split per vendor first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from vigil.ingest.run import IngestSummary, ingest
from vigil.workspace import Workspace

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

SETS = [
    ("spamassassin", ["spamassassin"]),
    ("phishing_pot", ["phishing_pot/email"]),
    ("windows_logon_evtx (EVTX)", ["windows_logon_evtx/evtx"]),
    ("windows_logon_evtx (JSON lines)", ["windows_logon_evtx/jsonl"]),
    ("coortweet_real", ["coortweet_real/russian_coord_tweets.csv", "coortweet_real/german_elections.csv"]),
    ("ppn_propaganda_sites (HTML)", ["ppn_propaganda_sites/html_sample"]),
    (
        "news_domains_newspaper4k",
        ["news_domains_newspaper4k/google_sources.txt", "news_domains_newspaper4k/popular_sources.txt"],
    ),
    ("meta_threat_research", ["meta_threat_research/indicators"]),
]

#: Panther log types and the vigil format that reads them (None: no vigil adapter for that source yet).
PANTHER = {
    "Okta.SystemLog": "okta",
    "GSuite.ActivityEvent": "google",
    "Azure.Audit": "entra",
    "Windows.EventLogs": "windows-jsonl",
}


def show(name: str, summary: IngestSummary, seconds: float, ws: Workspace) -> None:
    tables = ", ".join(f"{n:,} {t}" for t, n in sorted(summary.tables.items())) or "nothing"
    formats = ", ".join(f"{n} {f}" for f, n in sorted(summary.files.items()))
    print(f"\n## {name}\n  files: {formats}\n  rows: {tables}  ({seconds:.1f} s)")
    if summary.passed_over:
        kinds = ", ".join(f"{k} {n}" for k, n in summary.passed_over.most_common(6))
        print(f"  passed over (valid, not for these tables): {sum(summary.passed_over.values()):,} ({kinds})")
    if summary.unknown_files:
        print(
            f"  files of no known format: {len(summary.unknown_files)}"
            f" (e.g. {Path(summary.unknown_files[0]).name})"
        )
    print(f"  quarantined: {summary.quarantined}")
    with ws.connect(read_only=True) as con:
        rows = con.execute("SELECT source, source_offset, reason FROM quarantine ORDER BY 1, 2").fetchall()
    for source, offset, reason in rows[:25]:
        print(f"    {Path(source).name}@{offset}: {reason}")
    if len(rows) > 25:
        print(f"    ... and {len(rows) - 25} more")


def panther_files(data: Path, folder: Path) -> dict[str, Path]:
    by_type: dict[str, list[str]] = defaultdict(list)
    for line in (data / "panther_identity_tests" / "rule_tests.jsonl").read_text().splitlines():
        test = json.loads(line)
        for log_type in test.get("log_types") or ["(none)"]:
            by_type[log_type].append(json.dumps(test["log"]))
    paths = {}
    for log_type, lines in by_type.items():
        path = folder / f"panther_{log_type}.jsonl"
        path.write_text("\n".join(lines) + "\n")
        paths[log_type] = path
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no data at {args.data}")
        return 1
    totals: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, parts in SETS:
            ws = Workspace.init(Path(tmp) / name.replace(" ", "_"))
            started = time.perf_counter()
            summary = ingest(ws, [args.data / p for p in parts])
            show(name, summary, time.perf_counter() - started, ws)
            totals["quarantined"] += summary.quarantined
        print("\n## panther_identity_tests (labelled single events, split per vendor)")
        for log_type, path in sorted(panther_files(args.data, Path(tmp)).items()):
            fmt = PANTHER.get(log_type)
            if fmt is None:
                print(f"  {log_type}: {sum(1 for _ in path.open())} events; no vigil adapter for this source")
                continue
            ws = Workspace.init(Path(tmp) / f"p_{log_type}")
            summary = ingest(ws, [path], fmt)
            show(f"panther {log_type} as {fmt}", summary, 0.0, ws)
            totals["quarantined"] += summary.quarantined
    print(f"\nquarantined in all: {totals['quarantined']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
