"""Phishing scoring throughput on real mail: parse + score, beside SpamAssassin on the same messages.

    python benchmarks/phishing.py [--data ../shared/data] [--repeat 3] [--procs 2] [--sa-sample 200]

Every file of ../shared/data/spamassassin (ham and spam) and phishing_pot is read into memory first;
then each run parses every message (``vigil.ingest.email.parse.parse_message``) and scores it
(``vigil.enrich.mail.message_signals`` + ``phishing_score``), in one process and in ``--procs``
processes. SpamAssassin (shipped rules, ``-L``: no network tests, no Bayes) scores a random sample
of the same messages in ``--procs`` processes, process start included. Target on a 2-core machine:
>= 1,000 messages/s for parse + score.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from vigil.enrich.mail import MailContext, message_signals, phishing_score
from vigil.ingest.email.parse import BadMessage, parse_message

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CPU_RATES: list[float] = []  # messages per CPU-second of the one-process runs
SPLIT: list[tuple[float, float]] = []  # (parse, score) messages per CPU-second of each score_all


def messages(data: Path) -> list[tuple[Path, bytes]]:
    paths = sorted(p for p in (data / "spamassassin").rglob("*") if p.is_file() and p.name[0].isdigit())
    paths += sorted((data / "phishing_pot" / "email").glob("*.eml"))
    out = []
    for path in paths:
        raw = path.read_bytes()
        out.append((path, raw.partition(b"\n")[2] if raw.startswith(b"From ") else raw))
    return out


def score_all(raws: list[bytes]) -> int:
    """Parse and score every message; returns how many were scored."""
    ctx = MailContext.build()
    done, parsing, scoring = 0, 0.0, 0.0
    for raw in raws:
        started = time.process_time()
        try:
            row = parse_message(raw)
        except BadMessage:
            continue
        parsed = time.process_time()
        phishing_score(message_signals(row, ctx))
        scoring += time.process_time() - parsed
        parsing += parsed - started
        done += 1
    SPLIT.append((done / parsing if parsing else 0.0, done / scoring if scoring else 0.0))
    return done


def timed(raws: list[bytes], procs: int) -> float:
    """Messages per second of one run over ``raws`` in ``procs`` processes (start-up of the pool excluded)."""
    if procs == 1:
        started, cpu = time.perf_counter(), time.process_time()
        done = score_all(raws)
        CPU_RATES.append(done / (time.process_time() - cpu))
        return done / (time.perf_counter() - started)
    chunks = [raws[i::procs] for i in range(procs)]
    with ProcessPoolExecutor(max_workers=procs) as pool:
        list(pool.map(score_all, [raws[:50]] * procs))  # warm the workers (imports, brand index)
        started = time.perf_counter()
        done = sum(pool.map(score_all, chunks))
        return done / (time.perf_counter() - started)


def spamassassin_rate(paths: list[Path], procs: int) -> float | None:
    exe = shutil.which("spamassassin")
    if exe is None:
        return None
    home = tempfile.mkdtemp(prefix="vigil-sa-")
    command = [exe, "-L", "-x", "--cf=use_bayes 0", "--cf=bayes_auto_learn 0", "--cf=use_auto_welcomelist 0"]
    chunks = [[str(p) for p in paths[i::procs]] for i in range(procs)]

    def run(chunk: list[str]) -> None:
        subprocess.run(
            [*command, *chunk],
            env={**os.environ, "HOME": home},
            capture_output=True,
            timeout=3600,
            check=False,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=procs) as pool:
        list(pool.map(run, chunks))
    seconds = time.perf_counter() - started
    shutil.rmtree(home, ignore_errors=True)
    return len(paths) / seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--sa-sample", type=int, default=200, help="messages SpamAssassin scores (0: skip)")
    args = parser.parse_args()
    if not (args.data / "spamassassin").is_dir():
        print(f"{args.data}: no spamassassin/ folder (see --data)", file=sys.stderr)
        return 2

    mail = messages(args.data)
    raws = [raw for _, raw in mail]
    size = sum(map(len, raws)) / 1e6
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"vigil phishing-score benchmark: {len(raws):,} real messages ({size:.0f} MB, in memory first); "
        f"{os.cpu_count()} cores, load average {load} at start"
    )
    score_all(raws[:200])  # warm: imports, brand and pattern tables
    for procs in sorted({1, args.procs}):
        rates = [timed(raws, procs) for _ in range(args.repeat)]
        median = statistics.median(rates)
        verdict = "met" if median >= 1000 else "MISSED"
        print(
            f"  vigil parse + score, {procs} process(es): median {median:>7,.0f} messages/s"
            f"  (runs {min(rates):,.0f}..{max(rates):,.0f}; target 1,000/s: {verdict})"
        )
        if procs == 1:
            parse = statistics.median(p for p, _ in SPLIT[-args.repeat :])
            score = statistics.median(q for _, q in SPLIT[-args.repeat :])
            print(
                f"    per CPU-second of that process: median {statistics.median(CPU_RATES):,.0f} messages "
                f"(parse alone {parse:,.0f}, score alone {score:,.0f})"
            )
        last = median

    if args.sa_sample:
        sample = random.Random(7).sample([p for p, _ in mail], min(args.sa_sample, len(mail)))
        sa = spamassassin_rate(sample, args.procs)
        if sa is None:
            print("  SpamAssassin: not installed (Debian: apt-get install spamassassin)")
        else:
            ours = timed([raw for p, raw in mail if p in set(sample)], args.procs)
            print(
                f"  SpamAssassin -L, {args.procs} process(es), {len(sample)} of the same messages: "
                f"{sa:,.1f} messages/s  (vigil on that sample: {ours:,.0f}/s; "
                f"vigil on the whole set / SpamAssassin: {last / sa:,.0f}x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
