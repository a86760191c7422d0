"""mail.compromised_sender on the demo mailboxes and on real ham: what it finds and what it gets wrong.

    python evaluation/compromised_sender.py [--data ../shared/data] [--copies 24] [--engine duckdb]

1. The demo (``vigil.demo.generate`` into a temporary folder, its mail ingested with its protected
   assets, only this detector run): are the two planted hijacks of the former adviser's account found,
   with which reasons, and how many findings fall on the other mail (staff threads, newsletters, a
   mailing list, forwards, the adviser's holiday in Lisbon, the other planted attacks)? Every finding
   that is not one of the two hijacks counts as a false positive here.
2. The SpamAssassin ham (easy-ham-1, easy-ham-2, hard-ham-1; real mail from 2002-03 with mailing lists
   and forwards). It carries no Authentication-Results, so with its defaults the detector cannot fire
   there; it is run a second time with ``require_authentication = false`` to measure the behavioural
   model alone. Every finding on ham is a false positive; each is printed so that a person can judge.
3. Scale: the ham copied ``--copies`` times (Message-IDs, record ids and dates shifted, 120 days per
   copy) to about 100,000 messages, with ``require_authentication = false`` so that every message can
   be a candidate; the detector's time on the engine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from vigil.demo import generate, protected_assets_toml
from vigil.detect.runner import run
from vigil.ingest.run import ingest
from vigil.workspace import CONFIG_FILE, Workspace

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DETECTOR = "mail.compromised_sender"
HIJACKS = ("mail.spearphish_hijacked_adviser", "mail.spearphish_hijacked_adviser_subtle")
HAM = ("easy-ham-1", "easy-ham-2", "hard-ham-1")


def detect(ws: Workspace, engine: str, **params: Any) -> tuple[list[dict[str, Any]], float]:
    """Run only this detector; its findings (details decoded) and the seconds it took."""
    with ws.connect() as con:
        con.execute("DELETE FROM findings WHERE detector = ?", [DETECTOR])
    summary = run(ws, engine=engine, detector_ids=[DETECTOR], params={DETECTOR: params})
    if summary.failed:
        raise SystemExit(f"{DETECTOR} failed: {summary.failed[0].error}")
    with ws.connect(read_only=True) as con:
        rows = (
            con.sql("SELECT * FROM findings WHERE detector = ? ORDER BY first_seen", params=[DETECTOR])
            .to_arrow_table()
            .to_pylist()
        )
    for row in rows:
        row["details"] = json.loads(row["details"])
    return rows, summary.runs[0].seconds


def gated(ws: Workspace, engine: str, **params: Any) -> None:
    """How many messages pass the gates (history, authentication, no List-Id, a never-seen link domain),
    and how many of those depart from their sender's habits on 0, 1, 2, ... axes."""
    findings, _ = detect(ws, engine, min_departures=0, **params)
    spread = Counter(f["details"]["departures"] for f in findings)
    print(
        f"{len(findings)} message(s) pass the gates"
        + (
            f" ({', '.join(f'{n} with {k} departure(s)' for k, n in sorted(spread.items()))})"
            if spread
            else ""
        )
    )


def show(finding: dict[str, Any], full: bool = False) -> None:
    d = finding["details"]
    victims = [e["value"] for e in finding["entities"] if e["role"] in ("victim", "target")][:1]
    print(f"  - {finding['first_seen']:%Y-%m-%d %H:%M} {', '.join(victims)}: “{d['subject']}” ")
    print(f"    severity {finding['severity']}, score {d['score']}, {d['departures']} departures")
    for r in d["reasons"]:
        print(f"    * {r['reason']} ({r['weight']}): {r['evidence'] if full else r['evidence'][:160]}")
    if full:
        print(f"\n    Summary: {finding['summary']}\n")


def demo(engine: str, folder: Path) -> None:
    print("## The demo mailboxes")
    manifest = generate(folder / "demo")
    ws = Workspace.init(folder / "demo-ws")
    (ws.path / CONFIG_FILE).write_text(protected_assets_toml(), encoding="utf-8")
    ws.reload()
    summary = ingest(ws, [folder / "demo" / "mail"])
    n = summary.tables["emails"]
    gated(ws, engine)
    findings, seconds = detect(ws, engine)
    planted = {a.id: set(a.records) for a in manifest.attacks + manifest.negatives}
    hijack_ids = set().union(*(planted[i] for i in HIJACKS))
    print(f"{n} messages; {len(findings)} finding(s) in {seconds:.1f} s on {engine}")
    for attack_id in HIJACKS:
        hits = [f for f in findings if f["details"]["message_id"] in planted[attack_id]]
        print(f"\n{attack_id}: {'found' if hits else 'MISSED'}")
        for f in hits:
            show(f, full=attack_id == HIJACKS[0])
    others = [f for f in findings if f["details"]["message_id"] not in hijack_ids]
    print(f"\nfalse positives on the other {n - len(hijack_ids)} messages: {len(others)}")
    for f in others:
        named = [i for i, records in planted.items() if f["details"]["message_id"] in records]
        print(f"  (on {', '.join(named) or 'ordinary mail'})")
        show(f)
    mail_negatives = [a for a in manifest.negatives if a.id.startswith("neg.mail.")]
    flagged = {i for i, records in planted.items() for f in others if f["details"]["message_id"] in records}
    for a in mail_negatives:
        verdict = "FLAGGED" if a.id in flagged else "quiet"
        print(f"  hard negative {a.id} ({len(a.records)} message(s)): {verdict}")


def ham(data: Path, engine: str, folder: Path, copies: int) -> None:
    print("\n## SpamAssassin ham")
    ws = Workspace.init(folder / "ham-ws")
    started = time.perf_counter()
    ingest(ws, [data / "spamassassin" / name for name in HAM])
    with ws.connect(read_only=True) as con:
        n, passing, lists, with_links = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE dmarc = 'pass' OR (spf = 'pass' AND dkim = 'pass')),"
            " count(list_id), count(*) FILTER (WHERE len(urls) > 0) FROM emails"
        ).fetchall()[0]
    print(
        f"{n} messages ({', '.join(HAM)}; ingested in {time.perf_counter() - started:.1f} s): "
        f"{passing} pass authentication, {lists} carry a List-Id, {with_links} carry links"
    )
    findings, seconds = detect(ws, engine)
    print(f"defaults: {len(findings)} finding(s) (false positives) in {seconds:.1f} s")
    gated(ws, engine, require_authentication=False)
    findings, seconds = detect(ws, engine, require_authentication=False)
    print(f"require_authentication = false: {len(findings)} finding(s) (false positives) in {seconds:.1f} s")
    for f in findings:
        show(f)
    if copies:
        scale(ws, folder, engine, copies)


def scale(ham_ws: Workspace, folder: Path, engine: str, copies: int) -> None:
    ws = Workspace.init(folder / "scale-ws")
    shifted = {
        "record_id": "record_id || '-' || k",
        "message_id": "message_id || '-' || k",
        "in_reply_to": "in_reply_to || '-' || k",
        "references": "list_transform(\"references\", lambda x: x || '-' || k)",
        "date": "date + to_days(CAST(k * 120 AS INTEGER))",
    }
    with ws.connect() as con:
        con.execute(f"ATTACH '{ham_ws.db_path}' AS ham (READ_ONLY)")
        names = [r[0] for r in con.execute("DESCRIBE ham.emails").fetchall()]
        select = ", ".join(f'{shifted.get(c, f"{chr(34)}{c}{chr(34)}")} AS "{c}"' for c in names)
        con.execute(f"INSERT INTO emails SELECT {select} FROM ham.emails, range({copies}) AS r(k)")
        n = con.execute("SELECT count(*) FROM emails").fetchall()[0][0]
        senders = con.execute("SELECT count(DISTINCT from_addr) FROM emails").fetchall()[0][0]
    findings, seconds = detect(ws, engine, require_authentication=False)
    print(
        f"\nscale: {n:,} messages ({copies} shifted copies of the ham, {senders} senders), "
        f"require_authentication = false: {len(findings)} finding(s) in {seconds:.1f} s on {engine}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=DATA, help="the shared data folder (default: %(default)s)"
    )
    parser.add_argument(
        "--copies", type=int, default=24, help="copies of the ham for the scale run (0: none)"
    )
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vigil-eval-") as tmp:
        if not args.no_demo:
            demo(args.engine, Path(tmp))
        if (args.data / "spamassassin").exists():
            ham(args.data, args.engine, Path(tmp), args.copies)
        else:
            print(f"\nno SpamAssassin corpus at {args.data / 'spamassassin'}: ham skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
