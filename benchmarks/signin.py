"""Identity detection at volume: ingest + every ``signin.*`` detector over 10 million generated events.

    python benchmarks/signin.py [--events 10000000] [--format entra] [--cache DIR] [--no-spark]

The events come from ``vigil generate signins`` (an organisation sized so that 30 days hold about
``--events`` events, with the planted attacks) and are cached in ``--cache`` (default: a folder in the
system's temporary directory), so a second run skips generation. Each run ingests into a fresh
workspace, runs the detectors on DuckDB, then (unless ``--no-spark``) the same detectors on Spark local
mode and compares the finding ids. Prints the time of each stage, peak RSS and events/s. Target on a
2-core machine: ingest + detectors on DuckDB under 2 minutes for 10 million events.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from vigil.demo.signin_volume import FORMATS, SigninTruth, generate_signins
from vigil.detect.api import registry
from vigil.detect.runner import RunSummary, run
from vigil.ingest.run import ingest
from vigil.workspace import Workspace

TARGET_SECONDS = 120.0
TARGET_EVENTS = 10_000_000
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "vigil-benchmark-cache"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cached_events(
    cache: Path, fmt: str, events: int, days: int, seed: int, fresh: bool = False
) -> tuple[SigninTruth, float | None]:
    """The generated data set (and how long generating it took, or None when it came from the cache)."""
    folder = cache / f"signins-{fmt}-{events}-{days}d-seed{seed}"
    truth_path = folder / "truth.json"
    if truth_path.exists() and not fresh:
        truth = SigninTruth.load(truth_path)
        if all(
            (folder / f.path).exists() and (folder / f.path).stat().st_size == f.bytes for f in truth.files
        ):
            return truth, None
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, written: int) -> None:
        if time.perf_counter() - last[0] > 10:
            last[0] = time.perf_counter()
            print(f"  ... {done}/{days} days, {written:,} events", flush=True)

    truth = generate_signins(folder, fmt=fmt, events=events, days=days, seed=seed, progress=progress)
    return truth, time.perf_counter() - started


def finding_ids(ws: Workspace) -> set[str]:
    with ws.connect(read_only=True) as con:
        return {r[0] for r in con.execute("SELECT finding_id FROM findings").fetchall()}


def show_runs(summary: RunSummary) -> None:
    for r in summary.runs:
        status = f"FAILED {r.error}" if r.error else f"{r.findings:>6} finding(s)"
        print(f"    {r.detector:<34} {r.seconds:7.1f} s  {status}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=10_000_000, help="about this many generated events")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--format", choices=FORMATS, default="entra")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated events are kept")
    parser.add_argument("--regenerate", action="store_true", help="generate again even if cached")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark run")
    args = parser.parse_args()

    print(f"vigil identity benchmark: {args.events:,} {args.format} events over {args.days} days")
    truth, generated = cached_events(
        args.cache, args.format, args.events, args.days, args.seed, args.regenerate
    )
    size = sum(f.bytes for f in truth.files) / 1e9
    origin = "from the cache" if generated is None else f"generated in {generated:.1f} s"
    print(
        f"data: {truth.events:,} events of {truth.users:,} users, {len(truth.files)} files, {size:.1f} GB, "
        f"{origin} ({truth.out_dir})"
    )
    detectors = sorted(d for d in registry() if d.startswith("signin."))
    print(f"detectors ({len(detectors)}): {', '.join(d.removeprefix('signin.') for d in detectors)}")

    tmp = Path(tempfile.mkdtemp(prefix="vigil-signin-bench-"))
    try:
        ws = Workspace.init(tmp / "ws")
        ws.config_path.write_text(
            ws.config_path.read_text(encoding="utf-8")
            + "\n"
            + (Path(truth.out_dir) / truth.protected_toml).read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        ws.reload()
        started = time.perf_counter()
        summary = ingest(ws, truth.input_paths())
        t_ingest = time.perf_counter() - started
        rows = summary.tables.get("signins", 0)
        print(
            f"ingest:           {t_ingest:7.1f} s  {rows:,} rows, {rows / t_ingest:,.0f} events/s, "
            f"{summary.quarantined} quarantined"
        )

        started = time.perf_counter()
        duck = run(ws, engine="duckdb", detector_ids=detectors)
        t_duck = time.perf_counter() - started
        duck_ids = finding_ids(ws)
        print(f"detect (duckdb):  {t_duck:7.1f} s  {len(duck_ids)} finding(s), {rows / t_duck:,.0f} events/s")
        show_runs(duck)
        total = t_ingest + t_duck
        if rows >= TARGET_EVENTS:
            verdict = "met" if total <= TARGET_SECONDS else "MISSED"
        else:  # a smaller run: say what it would take at the target's volume, at the same rate
            verdict = f"this rate gives {total * TARGET_EVENTS / rows:,.0f} s for {TARGET_EVENTS:,}"
        print(
            f"ingest + detect:  {total:7.1f} s  {rows / total:,.0f} events/s  "
            f"(target {TARGET_SECONDS:.0f} s for {TARGET_EVENTS:,} events: {verdict})  "
            f"peak RSS {peak_rss_mb():,.0f} MB"
        )

        result: dict[str, object] = {
            "events": rows,
            "ingest_s": round(t_ingest, 1),
            "detect_duckdb_s": round(t_duck, 1),
            "total_duckdb_s": round(total, 1),
            "peak_rss_mb": round(peak_rss_mb()),
            "findings": len(duck_ids),
        }
        if not args.no_spark:
            with ws.connect() as con:
                con.execute("DELETE FROM findings")
            started = time.perf_counter()
            spark = run(ws, engine="spark", detector_ids=detectors)
            t_spark = time.perf_counter() - started
            spark_ids = finding_ids(ws)
            same = spark_ids == duck_ids
            differ = (
                f" ({len(duck_ids - spark_ids)} only on DuckDB, {len(spark_ids - duck_ids)} only on Spark)"
            )
            print(
                f"detect (spark):   {t_spark:7.1f} s  {len(spark_ids)} finding(s); "
                f"same finding ids as DuckDB: {'yes' if same else 'NO' + differ}"
            )
            show_runs(spark)
            result.update(detect_spark_s=round(t_spark, 1), spark_same_findings=same)
        print(f"peak RSS {peak_rss_mb():,.0f} MB")
        print(json.dumps(result))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
