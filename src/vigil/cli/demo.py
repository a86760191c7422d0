"""`vigil demo`: generate the demo data set and run the whole pipeline over it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from rich.console import Console

from vigil.cli.common import plain
from vigil.workspace import CONFIG_TEMPLATE, Workspace


def run_demo(out_dir: Path, *, seed: int = 2024, engine: str = "duckdb", console: Console) -> Workspace:
    """Generate data in ``out_dir/data``, then ingest, detect, report and export into ``out_dir``."""
    from vigil.demo import generate, protected_assets_toml
    from vigil.detect.runner import run
    from vigil.export.stix import write_bundle
    from vigil.ingest.run import ingest
    from vigil.report.html import render_report

    started = time.perf_counter()
    data_dir = out_dir / "data"
    ws_dir = out_dir / ".vigil"
    for stale in (data_dir, ws_dir):
        if stale.exists():
            shutil.rmtree(stale)

    step = time.perf_counter()
    manifest = generate(data_dir, seed=seed)
    console.print(
        f"1. generated {len(manifest.files)} files in {plain(data_dir)} "
        f"({len(manifest.attacks)} planted attacks) in {time.perf_counter() - step:.1f} s"
    )

    ws = Workspace.init(ws_dir)
    ws.config_path.write_text(CONFIG_TEMPLATE + "\n" + protected_assets_toml(), encoding="utf-8")
    ws.reload()

    step = time.perf_counter()
    summary = ingest(ws, manifest.input_paths())
    added = ", ".join(f"{n:,} {t}" for t, n in sorted(summary.tables.items()))
    console.print(
        f"2. ingested {plain(added)}; {summary.quarantined} quarantined, "
        f"in {time.perf_counter() - step:.1f} s"
    )

    step = time.perf_counter()
    result = run(ws, engine=engine)
    total = sum(r.findings for r in result.runs)
    console.print(
        f"3. {len(result.runs)} detector(s) on {engine} made {total} finding(s) "
        f"in {time.perf_counter() - step:.1f} s"
    )
    for r in result.runs:
        console.print(
            f"   {plain(r.detector)}: "
            + (f"[red]failed: {plain(r.error)}[/]" if r.error else str(r.findings))
        )

    report_path = out_dir / "report.html"
    report_path.write_text(render_report(ws, title="vigil demo: the 2024 story"), encoding="utf-8")
    bundle_path = out_dir / "bundle.json"
    write_bundle(ws, bundle_path)
    console.print(f"4. wrote {plain(report_path)} and {plain(bundle_path)}")
    console.print(
        f"done in {time.perf_counter() - started:.1f} s. Explore with:\n"
        f"   vigil --workspace {plain(ws_dir)} findings\n"
        f"   vigil --workspace {plain(ws_dir)} detectors list"
    )
    return ws
