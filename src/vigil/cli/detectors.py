"""`vigil detectors list|show|test`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from vigil.cli.common import WorkspaceOption, err, out, plain
from vigil.detect.api import Detector, get_detector, registry

app = typer.Typer(help="The detectors: what each looks for, its settings, its cases.", no_args_is_help=True)

JsonOption = Annotated[str, typer.Option("--format", "-f", help="table or json")]


def describe(d: Detector) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "inputs": list(d.inputs),
        "severity": d.severity,
        "techniques": list(d.techniques),
        "entities": {e.column: f"{e.kind}:{e.role}" for e in d.entities},
        "settings": d.params,
        "description": d.description,
        "cases": [c.name for c in d.cases],
    }


@app.command("list")
def list_detectors(format: JsonOption = "table", workspace: WorkspaceOption = None) -> None:
    """List every detector, with the workspace's Sigma rules (`vigil rules add`)."""
    from vigil.rules.detector import all_detectors

    detectors = all_detectors(workspace).values()
    if format == "json":
        print(json.dumps([describe(d) for d in detectors], indent=2, default=str))
        return
    table = Table("id", "title", "inputs", "severity", "techniques", box=None)
    for d in detectors:
        table.add_row(d.id, d.title, ", ".join(d.inputs), d.severity, ", ".join(d.techniques) or "-")
    out.print(table)


@app.command("show")
def show(detector_id: str, format: JsonOption = "table", workspace: WorkspaceOption = None) -> None:
    """Show one detector: description, settings, entities, cases."""
    from vigil.rules.detector import all_detectors

    found = all_detectors(workspace).get(detector_id)
    info = describe(found if found is not None else get_detector(detector_id))
    if format == "json":
        print(json.dumps(info, indent=2, default=str))
        return
    out.print(f"[bold]{plain(info['id'])}[/] — {plain(info['title'])}\n")
    out.print(plain(info["description"]) + "\n")
    for key in ("inputs", "severity", "techniques", "entities", "settings", "cases"):
        out.print(f"{key}: {plain(json.dumps(info[key], default=str))}")


@app.command("test")
def test(
    detector_ids: Annotated[
        list[str] | None, typer.Argument(help="Detectors to test (default: all).")
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb or spark")] = "duckdb",
) -> None:
    """Run detectors' own positive and negative cases."""
    from vigil.detect.cases import check_case, run_case

    detectors = [get_detector(i) for i in detector_ids] if detector_ids else list(registry().values())
    failures = 0
    for d in detectors:
        for case in d.cases:
            problems = check_case(d, case, run_case(d, case, engine))
            failures += bool(problems)
            mark = "[red]FAIL[/]" if problems else "[green]ok[/]"
            out.print(f"{mark} {plain(d.id)}: {plain(case.name)}")
            for p in problems:
                err.print(f"     {plain(p)}")
    if failures:
        raise typer.Exit(1)
