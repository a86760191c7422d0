"""`vigil protect import|list`: the people, organizations, brands and accounts you defend."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from vigil.cli.common import WorkspaceOption, out, plain
from vigil.protect import merge_new, read_asset_file, to_toml
from vigil.workspace import Workspace

app = typer.Typer(
    help="What you defend: people, organizations, brands, social accounts.", no_args_is_help=True
)


@app.command("import")
def import_assets(path: Path, workspace: WorkspaceOption = None) -> None:
    """Append a JSON or CSV list of protected assets to vigil.toml (already declared ones are skipped)."""
    ws = Workspace.init(workspace)
    fresh, skipped = merge_new(ws.protected, read_asset_file(path))
    if fresh:
        with ws.config_path.open("a", encoding="utf-8") as f:
            f.write("\n# imported from " + path.name + "\n" + to_toml(fresh))
        ws.reload()
    out.print(f"added {len(fresh)} protected asset(s) to {plain(ws.config_path)}; {skipped} already declared")


@app.command("list")
def list_assets(workspace: WorkspaceOption = None) -> None:
    """List what is protected, one identifier a row."""
    ws = Workspace.init(workspace)
    rows = ws.protected.to_rows()
    table = Table("owner", "kind", "value", "role", "priority", box=None)
    for r in rows:
        table.add_row(*(plain(r[k]) for k in ("owner", "owner_kind", "value", "role", "priority")))
    out.print(table)
    out.print(f"{len(ws.protected.assets)} asset(s), {len(rows)} identifier(s)")
