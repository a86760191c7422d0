"""The ``vigil`` command line."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from vigil.cli import detectors, export, generate, protect, rules
from vigil.cli.core import register
from vigil.errors import VigilError

app = typer.Typer(
    help="vigil: find state-backed cyber and influence operations aimed at elections.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
register(app)
app.add_typer(detectors.app, name="detectors")
app.add_typer(protect.app, name="protect")
app.add_typer(export.app, name="export")
app.add_typer(generate.app, name="generate")
app.add_typer(rules.app, name="rules")


def main() -> None:
    try:
        app()
    except VigilError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        sys.exit(2)
