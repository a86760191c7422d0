"""The main flow: init, ingest, detect, findings, report, demo."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from vigil.cli.common import WorkspaceOption, err, out, plain
from vigil.export.findings import Status
from vigil.workspace import Workspace


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def register(app: typer.Typer) -> None:
    app.callback()(main_options)
    for command in (init, ingest, formats, detect, findings, triage, report, quarantine, demo):
        app.command()(command)


def main_options(workspace: WorkspaceOption = None) -> None:
    """vigil: find state-backed cyber and influence operations aimed at elections."""
    if workspace is not None:
        os.environ["VIGIL_WORKSPACE"] = str(workspace)


def init(workspace: WorkspaceOption = None) -> None:
    """Create a workspace: the DuckDB file and a commented vigil.toml."""
    ws = Workspace.init(workspace)
    out.print(f"workspace ready at {plain(ws.path)}")
    out.print(f"  {plain(ws.db_path)}\n  {plain(ws.config_path)}  (declare what you protect here)")


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (mbox, Maildir, .eml, JSON, CSV, HTML, WARC...)")
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="Skip detection: read every file as this format (see `vigil formats`)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable summary.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Read files in real formats into the workspace; bad records go to quarantine."""
    from vigil.ingest.run import ingest as run_ingest

    ws = Workspace.init(workspace)
    started = time.perf_counter()
    progress = Progress(
        TextColumn("ingest"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=as_json or not err.is_terminal,
        transient=True,
    )
    with progress:
        task = progress.add_task("ingest", total=None)
        summary = run_ingest(
            ws,
            paths,
            format,
            on_start=lambda total: progress.update(task, total=total),
            on_progress=lambda n: progress.advance(task, n),
        )
    if as_json:
        print(json.dumps(summary.as_json()))
        return
    seconds = time.perf_counter() - started
    files = ", ".join(f"{n} {fmt}" for fmt, n in sorted(summary.files.items())) or "none"
    out.print(f"read {sum(summary.files.values())} file(s) ({plain(files)}) in {seconds:.1f} s")
    table = Table("table", "added", box=None)
    for name, n in sorted(summary.tables.items()):
        table.add_row(name, f"{n:,}")
    out.print(table)
    out.print(f"skipped duplicates: {summary.skipped_duplicates:,}")
    out.print(
        f"quarantined: {summary.quarantined:,}" + (" (see `vigil quarantine`)" if summary.quarantined else "")
    )
    for reason, n in summary.reasons.most_common(5):
        out.print(f"  {n:,} × {plain(reason)}")
    if summary.passed_over:
        kinds = ", ".join(f"{n:,} {plain(k)}" for k, n in summary.passed_over.most_common(4))
        out.print(
            f"passed over {sum(summary.passed_over.values()):,} valid record(s) of other kinds ({kinds})"
        )
    if summary.unknown_files:
        err.print(
            f"passed over {len(summary.unknown_files)} file(s) of no known format, e.g. "
            f"{plain(summary.unknown_files[0])}"
        )


def formats() -> None:
    """List the input formats vigil reads."""
    from vigil.ingest.base import adapters

    table = Table("format", "table", "what", box=None)
    for a in sorted(adapters().values(), key=lambda a: (a.table, a.name)):
        table.add_row(a.name, a.table, a.description)
    out.print(table)


def detect(
    engine: Annotated[Engine, typer.Option(help="Where detectors run.")] = Engine.duckdb,
    detector: Annotated[
        list[str] | None, typer.Option("--detector", "-d", help="Run only these detectors.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Run the detectors over the workspace and record their findings."""
    from vigil.detect.runner import run

    ws = Workspace.open(workspace)
    started = time.perf_counter()
    with err.status("starting…") as status:
        summary = run(
            ws,
            engine=engine.value,
            detector_ids=detector,
            on_detector=lambda d: status.update(f"running {d}"),
        )
    table = Table("detector", "findings", "new", "seconds", box=None)
    for r in summary.runs:
        table.add_row(
            r.detector, "[red]failed[/]" if r.error else str(r.findings), str(r.new), f"{r.seconds:.2f}"
        )
    out.print(table)
    total = sum(r.findings for r in summary.runs)
    retired = sum(r.retired for r in summary.runs)
    out.print(
        f"{total} finding(s) from {len(summary.runs)} detector(s) on {engine.value} "
        f"in {time.perf_counter() - started:.1f} s"
        + (f"; {retired} earlier finding(s) no longer found, retired" if retired else "")
    )
    for r in summary.failed:
        err.print(f"[red]{r.detector} failed:[/] {plain(r.error)}")
    if summary.failed:
        raise typer.Exit(1)


def findings(
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    detector: Annotated[str | None, typer.Option(help="Only this detector's findings.")] = None,
    severity: Annotated[
        str | None, typer.Option(help="Minimum severity: info, low, medium, high, critical.")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only activity seen since (ISO date or time, UTC).")
    ] = None,
    status: Annotated[Status | None, typer.Option(help="Only findings with this status.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of the screen.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Show the findings."""
    from vigil.export.tabular import findings_rows, write_csv

    ws = Workspace.open(workspace)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    rows = findings_rows(
        ws, detector=detector, severity=severity, since=since, status=status.value if status else None
    )
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if format is OutputFormat.json:
            json.dump(rows, stream, default=str, indent=2)
            stream.write("\n")
        elif format is OutputFormat.csv:
            write_csv(rows, stream)
        else:
            _findings_table(rows)
    finally:
        if output:
            stream.close()


def _findings_table(rows: list[dict[str, object]]) -> None:
    if not rows:
        out.print("no findings")
        return
    from vigil.triage import short_id

    table = Table("id", "severity", "detector", "first seen", "summary", box=None, show_lines=True)
    for r in rows:
        severity = plain(r["severity"])
        if r["status"] not in (None, "new"):
            severity += f"\n[dim]{plain(r['status'])}[/]"
        table.add_row(
            short_id(str(r["finding_id"])),
            severity,
            plain(r["detector"]),
            plain(str(r["first_seen"])[:16]),
            plain(r["summary"]),
        )
    out.print(table)
    out.print(f"{len(rows)} finding(s); `vigil triage STATUS ID...` records a verdict")


def triage(
    status: Annotated[Status, typer.Argument(help="The verdict.", show_default=False)],
    ids: Annotated[
        list[str] | None,
        typer.Argument(help="Findings: their ids, or the first characters as `vigil findings` shows them."),
    ] = None,
    detector: Annotated[str | None, typer.Option(help="Every finding of this detector.")] = None,
    note: Annotated[
        str | None, typer.Option(help="Why: kept with the change and shown in the report.")
    ] = None,
    analyst: Annotated[str | None, typer.Option(help="Who decides (default: your user name).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a verdict on findings: acknowledged, false-positive, escalated, or back to new."""
    from vigil.triage import set_status, short_id

    ws = Workspace.open(workspace)
    changes = set_status(ws, status.value, ids or [], detector=detector, note=note, analyst=analyst)
    table = Table("id", "detector", "was", "now", "summary", box=None)
    for c in changes:
        table.add_row(
            short_id(c.finding_id),
            plain(c.detector),
            plain(c.before),
            plain(c.after),
            plain(textwrap.shorten(c.summary, 90, placeholder=" …")),
        )
    if changes:
        out.print(table)
    changed = sum(1 for c in changes if c.before != c.after)
    noted = len(changes) - changed
    out.print(
        f"{changed} finding(s) changed"
        + (f"; a note added to {noted} already {status.value}" if noted else "")
        + ("" if changes else f": already {status.value}")
    )


def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    title: Annotated[str, typer.Option(help="Title of the report.")] = "vigil report",
    workspace: WorkspaceOption = None,
) -> None:
    """Write a self-contained HTML report of the findings."""
    from vigil.report.html import render_report

    ws = Workspace.open(workspace)
    output.write_text(render_report(ws, title=title), encoding="utf-8")
    out.print(f"wrote {plain(output)}")


def quarantine(
    limit: Annotated[int, typer.Option(help="How many records to show.")] = 20,
    workspace: WorkspaceOption = None,
) -> None:
    """Show the records that could not be read, with the reason."""
    ws = Workspace.open(workspace)
    with ws.connect(read_only=True) as con:
        total = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
        rows = con.execute(
            "SELECT source, source_offset, format, reason FROM quarantine"
            " ORDER BY source, source_offset LIMIT ?",
            [limit],
        ).fetchall()
    table = Table("source", "offset", "format", "reason", box=None)
    for row in rows:
        table.add_row(*(plain("" if v is None else v) for v in row))
    out.print(table)
    out.print(f"{total} quarantined record(s)")


def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the demo data, workspace and report.")
    ] = Path("demo"),
    seed: Annotated[int, typer.Option(help="Seed of the generator (same seed, same data).")] = 2024,
    engine: Annotated[Engine, typer.Option(help="Where detectors run.")] = Engine.duckdb,
) -> None:
    """Generate the demo data set, then ingest, detect, report and export it, end to end."""
    from vigil.cli.demo import run_demo

    run_demo(out_dir, seed=seed, engine=engine.value, console=out)
