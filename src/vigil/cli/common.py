"""What the command groups share: the workspace option and the consoles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $VIGIL_WORKSPACE, else ./.vigil).",
        envvar="VIGIL_WORKSPACE",
        show_default=False,
    ),
]


def plain(text: object) -> str:
    """Text safe to print through rich: no markup is interpreted in what an attacker wrote."""
    from rich.markup import escape

    return escape(str(text))
