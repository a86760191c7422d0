"""`vigil generate signins`: realistic sign-in volume with planted attacks, to try and measure detectors."""

from __future__ import annotations

import time
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from vigil.cli.common import err, out, plain

app = typer.Typer(
    help="Generate synthetic data sets in real formats, with planted attacks.", no_args_is_help=True
)


class SigninFormat(StrEnum):
    entra = "entra"
    okta = "okta"


@app.command("signins")
def signins(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into (created if missing).")],
    format: Annotated[
        SigninFormat, typer.Option("--format", "-f", help="Entra ID (Graph signIn) or Okta System Log.")
    ] = SigninFormat.entra,
    users: Annotated[
        int | None, typer.Option(help="People in the organisation (default 3,000).", show_default=False)
    ] = None,
    days: Annotated[int, typer.Option(help="Days of activity.")] = 30,
    events: Annotated[
        int | None,
        typer.Option(help="About this many events in all (chooses the number of users).", show_default=False),
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 2024,
    start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD).")] = "2024-09-01",
    workers: Annotated[
        int | None,
        typer.Option(help="Processes writing days in parallel (default: up to 2).", show_default=False),
    ] = None,
) -> None:
    """Sign-ins of a county government (offices, VPN, phones, travel, typos, lock-outs, MFA) with planted
    sprays, brute force, credential stuffing, a compromise, impossible travel, MFA fatigue, legacy IMAP,
    a new country and an attempt on a protected account; truth.json says which detector should find what."""
    from vigil.demo.signin_volume import generate_signins
    from vigil.errors import VigilError

    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        raise VigilError(f"--start {start!r} is not a date (YYYY-MM-DD)") from None
    started = time.perf_counter()
    progress = Progress(
        TextColumn("generate"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("days, {task.fields[events]:,} events"),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )
    with progress:
        task = progress.add_task("generate", total=days, events=0)
        truth = generate_signins(
            out_dir,
            fmt=format.value,
            users=users,
            days=days,
            events=events,
            seed=seed,
            start=first_day,
            workers=workers,
            progress=lambda done, n: progress.update(task, completed=done, events=n),
        )
    size = sum(f.bytes for f in truth.files)
    out.print(
        f"wrote {truth.events:,} {truth.format} sign-in events of {truth.users:,} users "
        f"over {truth.days} days "
        f"({len(truth.files)} files, {size / 1e6:,.0f} MB) to {plain(Path(out_dir) / 'signins')} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    out.print(f"planted {len(truth.attacks)} attacks and {len(truth.negatives)} hard negatives:")
    for a in truth.attacks:
        out.print(f"  {plain(a.details['detector']):<36} {plain(a.title)}")
    out.print(
        f"truth: {plain(Path(out_dir) / truth.truth_json)}; protected assets: "
        f"{plain(Path(out_dir) / truth.protected_toml)} (vigil.toml) and "
        f"{plain(Path(out_dir) / truth.protected_json)} (`vigil protect import`)"
    )
