"""`vigil export stix`: findings for other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOption, out, plain
from vigil.workspace import Workspace

app = typer.Typer(help="Export findings in standard formats.", no_args_is_help=True)


@app.command("stix")
def stix(
    output: Annotated[Path, typer.Option("--output", "-o", help="The bundle file to write.")] = Path(
        "bundle.json"
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """A STIX 2.1 bundle of findings, entities, indicators and attack patterns."""
    from vigil.export.stix import write_bundle

    count = write_bundle(Workspace.open(workspace), output)
    out.print(f"wrote {plain(output)} ({count} STIX objects)")
