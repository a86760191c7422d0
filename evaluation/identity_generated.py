"""Identity detectors against generated sign-ins with planted attacks: recall, precision, triage load.

    python evaluation/identity_generated.py [--users 3000] [--days 30] [--formats entra okta]
                                            [--engine duckdb] [--keep DIR]

For each format: generate an organisation's sign-ins (``vigil.demo.signin_volume``), ingest them into a
fresh workspace, ``vigil protect import`` the protected people, run every ``signin.*`` detector in the
registry, and match findings to the truth.

A finding *matches* a planted attack when its detector is the one expected for the attack (or one of
those that would also be right, ``details.also``) and it points at the attack: one of its evidence
records is one of the attack's events, or it names one of the attacker's addresses (an address inside
a CIDR counts), or, when it names no address at all, one of the attack's accounts. Per detector:
planted (attacks expected of it), found, missed, false positives (its findings that match no planted
attack), precision (findings that match / findings) and recall (found / planted). A false positive is
also tied to the hard negative it touches (office NAT, VPN egress, lock-outs...) when it touches one.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from vigil.demo.manifest import PlantedAttack
from vigil.demo.signin_volume import FORMATS, SigninTruth, generate_signins
from vigil.detect.api import registry
from vigil.detect.runner import run
from vigil.ingest.run import ingest
from vigil.workspace import Workspace, registered

PLANNED = (
    "signin.password_spray",
    "signin.slow_spray",
    "signin.distributed_spray",
    "signin.brute_force",
    "signin.credential_stuffing",
    "signin.compromise_after_attack",
    "signin.impossible_travel",
    "signin.new_country",
    "signin.mfa_fatigue",
    "signin.legacy_protocol",
    "signin.protected_account_attempt",
    "signin.anonymizer",
)


@dataclass
class Finding:
    finding_id: str
    detector: str
    severity: str
    summary: str
    ips: set[str] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)  # the source's event ids of its evidence


@dataclass
class Score:
    planted: int = 0
    found: int = 0
    findings: int = 0
    false_positives: int = 0
    missed: list[str] = field(default_factory=list)
    negatives: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float | None:
        return None if not self.findings else (self.findings - self.false_positives) / self.findings

    @property
    def recall(self) -> float | None:
        return None if not self.planted else self.found / self.planted


def _ip_hits(values: set[str], known: list[str]) -> bool:
    for v in values:
        if v in known:
            return True
        if "/" in v:
            try:
                net = ipaddress.ip_network(v, strict=False)
            except ValueError:
                continue
            if any(ipaddress.ip_address(k) in net for k in known):
                return True
    return False


_RECORDS: dict[int, frozenset[str]] = {}


def records(a: PlantedAttack) -> frozenset[str]:
    found = _RECORDS.get(id(a))
    if found is None:
        found = _RECORDS[id(a)] = frozenset(a.records)
    return found


def touches(f: Finding, a: PlantedAttack) -> bool:
    """Whether the finding points at the planted attack (or negative)."""
    if f.events & records(a):
        return True
    ips = a.entities.get("ipv4-addr", [])
    if f.ips:
        return _ip_hits(f.ips, ips)
    return bool(f.accounts & {v.lower() for v in a.entities.get("user-account", [])})


def negative_of(f: Finding, negatives: list[PlantedAttack]) -> str:
    """The hard negative a false positive fell for: by its events, else by account and address, else
    by address or account alone."""
    for n in negatives:
        if f.events & records(n):
            return n.id
    ips = {n.id: _ip_hits(f.ips, n.entities.get("ipv4-addr", [])) for n in negatives}
    accounts = {n.id: bool(f.accounts & set(n.entities.get("user-account", []))) for n in negatives}
    for test in (lambda i: ips[i] and accounts[i], lambda i: ips[i], lambda i: accounts[i]):
        for n in negatives:
            if test(n.id):
                return n.id
    return "(no listed negative)"


def load_findings(ws: Workspace, detectors: list[str]) -> list[Finding]:
    with ws.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT finding_id, detector, severity, summary, entities, evidence FROM findings "
            "WHERE list_contains(?, detector)",
            [detectors],
        ).fetchall()
        record_ids = sorted(
            {e["record_id"] for r in rows for e in r[5] or [] if e["table_name"] == "signins"}
        )
        with registered(con, pa.table({"record_id": record_ids})) as view:
            events = dict(
                con.execute(
                    f"SELECT record_id, event_id FROM signins JOIN {view} USING (record_id)"
                ).fetchall()
            )
    found = []
    for finding_id, detector, severity, summary, entities, evidence in rows:
        f = Finding(finding_id, detector, severity, summary)
        for e in entities or []:
            if e["kind"] in ("ipv4-addr", "ipv6-addr"):
                f.ips.add(e["value"])
            elif e["kind"] == "user-account":
                f.accounts.add(e["value"].lower())
        f.events = {events[e["record_id"]] for e in evidence or [] if e["record_id"] in events}
        found.append(f)
    return found


def score(truth: SigninTruth, findings: list[Finding], detectors: list[str]) -> dict[str, Score]:
    scores = {d: Score() for d in sorted(set(detectors) | set(truth.expected_detectors()))}
    for a in truth.attacks:
        s = scores[a.details["detector"]]
        s.planted += 1
        if any(f.detector == a.details["detector"] and touches(f, a) for f in findings):
            s.found += 1
        else:
            s.missed.append(a.id)
    for f in findings:
        s = scores[f.detector]
        s.findings += 1
        allowed = [
            a for a in truth.attacks if f.detector == a.details["detector"] or f.detector in a.details["also"]
        ]
        if not any(touches(f, a) for a in allowed):
            s.false_positives += 1
            s.negatives[negative_of(f, truth.negatives)] += 1
    return scores


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.0%}"


def print_scores(fmt: str, scores: dict[str, Score], available: set[str]) -> None:
    print(
        f"\n{'detector':<34} {'planted':>7} {'found':>5} {'missed':>6} {'FP':>4} {'findings':>8} "
        f"{'precision':>9} {'recall':>6}"
    )
    for det, s in scores.items():
        note = "" if det in available else "   (not in the registry)"
        print(
            f"{det:<34} {s.planted:>7} {s.found:>5} {len(s.missed):>6} {s.false_positives:>4} "
            f"{s.findings:>8} {_pct(s.precision):>9} {_pct(s.recall):>6}{note}"
        )
    total = sum(s.findings for s in scores.values())
    fps = sum(s.false_positives for s in scores.values())
    planted = sum(s.planted for s in scores.values())
    found = sum(s.found for s in scores.values())
    print(
        f"{fmt}: {total} findings to triage ({fps} match no planted attack); {found}/{planted} attacks found"
    )
    for det, s in scores.items():
        if s.missed:
            print(f"  {det} missed: {', '.join(s.missed)}")
        for neg, n in s.negatives.most_common():
            print(f"  {det} false positives on {neg}: {n}")


def import_protected(ws: Path, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "vigil", "--workspace", str(ws), "protect", "import", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def evaluate(fmt: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    print(f"\n## {fmt}: {args.users:,} users x {args.days} days, seed {args.seed}")
    started = time.perf_counter()
    truth = generate_signins(folder / "data", fmt=fmt, users=args.users, days=args.days, seed=args.seed)
    t_gen = time.perf_counter() - started
    print(
        f"generated {truth.events:,} events, {len(truth.attacks)} attacks, {len(truth.negatives)} negatives"
        f" in {t_gen:.1f} s"
    )
    ws = Workspace.init(folder / "ws")
    step = time.perf_counter()
    summary = ingest(ws, truth.input_paths())
    print(
        f"ingested {summary.tables.get('signins', 0):,} sign-ins, {summary.quarantined} quarantined,"
        f" {sum(summary.passed_over.values())} passed over, in {time.perf_counter() - step:.1f} s"
    )
    print(import_protected(ws.path, Path(truth.out_dir) / truth.protected_json))
    ws.reload()
    available = sorted(d for d in registry() if d.startswith("signin."))
    chosen = [d for d in available if not args.detector or d in args.detector]
    step = time.perf_counter()
    result = run(ws, engine=args.engine, detector_ids=chosen)
    t_detect = time.perf_counter() - step
    print(f"{len(chosen)} detector(s) on {args.engine} in {t_detect:.1f} s")
    for r in result.runs:
        print(
            f"  {r.detector:<34} {r.findings:>5} finding(s) {r.seconds:6.1f} s"
            + (f"  FAILED: {r.error}" if r.error else "")
        )
    missing = [d for d in PLANNED if d not in available]
    if missing:
        print(f"planned but not in the registry: {', '.join(missing)}")
    findings = load_findings(ws, chosen)
    scores = score(truth, findings, chosen)
    print_scores(fmt, scores, set(available))
    return {
        "format": fmt,
        "events": truth.events,
        "findings": sum(s.findings for s in scores.values()),
        "false_positives": sum(s.false_positives for s in scores.values()),
        "found": sum(s.found for s in scores.values()),
        "planted": sum(s.planted for s in scores.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--detector", action="append", help="only this detector (repeatable)")
    parser.add_argument("--keep", type=Path, help="keep the generated data and workspaces in this folder")
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="vigil-identity-eval-"))
    totals = []
    try:
        for fmt in args.formats:
            folder = base / fmt
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            totals.append(evaluate(fmt, folder, args))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print("\n## summary")
    for t in totals:
        print(
            f"{t['format']:<6} {t['events']:>10,} events  {t['found']}/{t['planted']} attacks found  "
            f"{t['findings']} findings, {t['false_positives']} false positives"
        )
    print(json.dumps(totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
