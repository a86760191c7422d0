"""`vigil rules add|list|show|remove`: Sigma rules for sign-in logs, run by `vigil detect` as detectors."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from vigil.cli.common import WorkspaceOption, err, out, plain
from vigil.errors import VigilError
from vigil.workspace import Workspace, resolve_path

app = typer.Typer(
    help="Sigma rules for sign-in logs (Entra ID, Okta, Google Workspace), run as detectors.",
    no_args_is_help=True,
)

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table or json")]


@app.command("add")
def add(
    paths: Annotated[list[Path], typer.Argument(help="Rule files (.yml) or folders of them.")],
    workspace: WorkspaceOption = None,
    format: FormatOption = "table",
) -> None:
    """Validate rules and copy them into the workspace; says what was added and what was refused, and why.

    Exits with 1 when a rule was refused."""
    from vigil.rules.store import add_rules, rules_dir

    ws = Workspace.init(workspace)
    results = add_rules(ws.path, paths)
    counts = {
        s: sum(1 for r in results if r.status == s) for s in ("added", "updated", "unchanged", "refused")
    }
    if format == "json":
        print(json.dumps({"results": [asdict(r) for r in results], "counts": counts}, indent=2))
    else:
        table = Table(box=None)
        for name in ("rule file", "status", "detector / reason"):
            table.add_column(name, overflow="fold")
        for r in results:
            status = f"[red]{r.status}[/]" if r.status == "refused" else r.status
            table.add_row(plain(r.path), status, plain(r.reason if r.status == "refused" else r.detector_id))
        out.print(table)
        out.print(
            ", ".join(f"{n} {s}" for s, n in counts.items())
            + f" ({len(results)} file(s); rules are kept in {plain(rules_dir(ws.path))})"
        )
    if counts["refused"]:
        raise typer.Exit(1)


@app.command("list")
def list_rules(workspace: WorkspaceOption = None, format: FormatOption = "table") -> None:
    """List the workspace's rules, with their detector ids."""
    from vigil.rules.store import stored_rules

    stored = stored_rules(resolve_path(workspace))
    rows: list[dict[str, Any]] = [
        {
            "detector": s.detector_id,
            "title": s.title,
            "source": s.rule.source if s.rule else None,
            "severity": s.rule.severity if s.rule else None,
            "techniques": list(s.rule.techniques) if s.rule else [],
            "sigma_id": s.rule.sigma_id if s.rule else None,
            "file": s.path.name,
            "error": s.error,
        }
        for s in stored
    ]
    if format == "json":
        print(json.dumps(rows, indent=2))
        return
    table = Table(box=None)
    for name in ("detector", "title", "source", "severity", "techniques"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(
            plain(r["detector"]),
            plain(r["title"]),
            plain(r["source"] or "[cannot run]"),
            plain(r["severity"] or "-"),
            plain(", ".join(r["techniques"]) or "-"),
        )
    out.print(table)
    out.print(f"{len(rows)} rule(s)")
    for r in rows:
        if r["error"]:
            err.print(f"[red]{plain(r['file'])} cannot run:[/] {plain(r['error'])}")


@app.command("show")
def show(rule_id: str, workspace: WorkspaceOption = None) -> None:
    """Show one rule: what it is, where it is kept, and the SQL it runs as."""
    from vigil.rules.store import stored_rules

    for s in stored_rules(resolve_path(workspace)):
        names = {s.detector_id, s.path.stem, s.path.name} | (
            {s.rule.sigma_id} if s.rule and s.rule.sigma_id else set()
        )
        if rule_id not in names:
            continue
        out.print(f"[bold]{plain(s.detector_id)}[/] — {plain(s.title)}")
        out.print(f"file: {plain(s.path)}")
        if s.rule is None:
            out.print(f"[red]cannot run:[/] {plain(s.error)}")
            return
        r = s.rule
        out.print(f"sigma id: {plain(r.sigma_id or '-')}   source: {r.source}   severity: {r.severity}")
        out.print(f"techniques: {plain(', '.join(r.techniques) or '-')}")
        if r.description:
            out.print("\n" + plain(r.description))
        out.print("\nSQL (Spark dialect; run through Ibis on DuckDB or Spark):\n" + plain(r.query))
        return
    raise VigilError(f"no Sigma rule {rule_id!r} in this workspace (see `vigil rules list`)")


@app.command("remove")
def remove(rule_id: str, workspace: WorkspaceOption = None) -> None:
    """Remove a rule (by detector id, file name or Sigma id). Its past findings stay."""
    from vigil.rules.store import remove_rule

    removed = remove_rule(resolve_path(workspace), rule_id)
    out.print(f"removed {plain(removed.detector_id)} ({plain(removed.path.name)}); its findings are kept")
