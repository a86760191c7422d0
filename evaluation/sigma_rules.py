"""Run the Sigma rules of docs/sigma/ on Panther's labelled identity events, in their vendors' real schemas.

    python evaluation/sigma_rules.py [--data ../shared/data] [--engine duckdb|spark|both]

Panther's test events (``rule_tests.jsonl``, one labelled event a line, and the two Okta scenario files)
are split per vendor and ingested with vigil's adapters; the rules are added as ``vigil rules add
docs/sigma`` does, and run as ``vigil detect`` does. The script prints each rule's findings and the
Panther test events it matched, then, for the rules that have a Panther counterpart detecting the same
thing from one event, every labelled event of that counterpart: Panther's label against the rule's
answer. With ``--engine both`` it also checks that Spark gives the findings DuckDB gives.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from vigil.detect.runner import run
from vigil.ingest.run import ingest
from vigil.rules.store import add_rules
from vigil.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RULES = ROOT / "docs" / "sigma"

#: Panther log type -> vigil format.
VENDORS = {"Okta.SystemLog": "okta", "GSuite.ActivityEvent": "google", "Azure.Audit": "entra"}
#: vigil rule -> the Panther rule that flags the same single event.
COUNTERPARTS = {
    "sigma.successful_sign_in_with_legacy_authentication": "Azure.Audit.LegacyAuth",
    "sigma.entra_id_account_locked_after_repeated_failed": "Azure.Audit.ExcessiveAccountLockouts",
    "sigma.okta_user_account_locked_out": "Okta.User.Account.Locked",
    "sigma.google_workspace_warning_of_a_government_backed": "GSuite.GovernmentBackedAttack",
}


def split_events(data: Path, folder: Path) -> tuple[dict[str, Path], dict[tuple[str, int], dict[str, Any]]]:
    """One JSON-lines file per vendor; and for each (file name, line) the Panther test it came from."""
    lines: dict[str, list[str]] = {}
    tests: dict[tuple[str, int], dict[str, Any]] = {}
    base = data / "panther_identity_tests"
    for raw in (base / "rule_tests.jsonl").read_text(encoding="utf-8").splitlines():
        test = json.loads(raw)
        for log_type in test.get("log_types") or []:
            fmt = VENDORS.get(log_type)
            if fmt:
                name = f"panther_{fmt}.jsonl"
                tests[(name, len(lines.setdefault(name, [])))] = test
                lines[name].append(json.dumps(test["log"]))
    for scenario in sorted(base.glob("okta_scenario_*.yml")):
        doc = yaml.safe_load(scenario.read_text(encoding="utf-8"))
        for i, event in enumerate(doc.get("Logs") or []):
            name = "panther_okta.jsonl"
            test = {"rule_id": f"scenario:{scenario.stem}", "test_name": f"event {i}"}
            test["expected_result"] = None
            tests[(name, len(lines.setdefault(name, [])))] = test
            lines[name].append(json.dumps(event, default=str))
    paths = {}
    for name, content in lines.items():
        path = folder / name
        path.write_text("\n".join(content) + "\n", encoding="utf-8")
        paths[name] = path
    return paths, tests


def snapshot(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect(read_only=True) as con:
        rows = con.sql("SELECT * FROM findings ORDER BY finding_id").to_arrow_table().to_pylist()
    for row in rows:
        row.pop("updated_at")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--engine", choices=("duckdb", "spark", "both"), default="duckdb")
    args = parser.parse_args()
    if not (args.data / "panther_identity_tests").exists():
        print(f"no panther_identity_tests under {args.data}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace.init(folder / "ws")
        paths, tests = split_events(args.data, folder)
        for name, path in sorted(paths.items()):
            summary = ingest(ws, [path], name.removeprefix("panther_").removesuffix(".jsonl"))
            events = sum(1 for k in tests if k[0] == name)
            print(
                f"{name}: {events} events -> {summary.tables.get('signins', 0)} sign-ins, "
                f"{summary.quarantined} quarantined, {sum(summary.passed_over.values())} not sign-ins"
            )
        added = add_rules(ws.path, [RULES])
        print(
            f"rules: {sum(r.status == 'added' for r in added)} added, "
            f"{sum(r.status == 'refused' for r in added)} refused"
        )
        ids = [r.detector_id for r in added if r.detector_id]
        engines = ["duckdb", "spark"] if args.engine == "both" else [args.engine]
        results = {}
        for engine in engines:
            started = time.perf_counter()
            summary = run(ws, engine=engine, detector_ids=ids)
            failed = [f"{r.detector}: {r.error}" for r in summary.failed]
            print(
                f"detect on {engine}: {sum(r.findings for r in summary.runs)} finding(s) "
                f"in {time.perf_counter() - started:.1f} s" + (f"; failed: {failed}" if failed else "")
            )
            results[engine] = snapshot(ws)
        if len(results) == 2:
            same = results["duckdb"] == results["spark"]
            print(f"Spark findings identical to DuckDB's: {same}")
        # Panther reuses one event in several tests; vigil keeps it once (content hash), at its first line.
        copies: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for name, path in paths.items():
            for i, text in enumerate(path.read_text(encoding="utf-8").splitlines()):
                copies.setdefault((name, text), []).append((name, i))
        same = {key: keys for keys in copies.values() for key in keys}
        with ws.connect(read_only=True) as con:
            where = {
                r[0]: (Path(r[1]).name, r[2])
                for r in con.execute("SELECT record_id, source, source_offset FROM signins").fetchall()
            }
            quarantined = {
                (Path(r[0]).name, r[1]): r[2]
                for r in con.execute("SELECT source, source_offset, reason FROM quarantine").fetchall()
            }
        read = {k for key in where.values() for k in same[key]}
        findings = results[engines[0]]
        matched: dict[str, set[tuple[str, int]]] = {i: set() for i in ids}
        print("\n## findings per rule (Panther test events matched: rule / test name / Panther's label)")
        for det in sorted(ids):
            mine = [f for f in findings if f["detector"] == det]
            for f in mine:
                matched[det] |= {k for e in f["evidence"] for k in same[where[e["record_id"]]]}
            print(f"{det}: {len(mine)} finding(s)")
            for key in sorted(matched[det]):
                t = tests[key]
                print(f"    {t['rule_id']} / {t['test_name']} / {t['expected_result']}")
        print("\n## against Panther's labels of the same detection")
        agree = total = 0
        for det, panther_rule in COUNTERPARTS.items():
            print(f"{det} vs {panther_rule}:")
            for key, t in sorted(tests.items()):
                if t["rule_id"] != panther_rule:
                    continue
                fired = key in matched.get(det, set())
                if key not in read:
                    why = quarantined.get(key, "not a sign-in event (passed over)")
                    print(f"    {t['test_name']!r}: Panther {t['expected_result']}, not read: {why}")
                    continue
                total += 1
                agree += fired == t["expected_result"]
                mark = "agree" if fired == t["expected_result"] else "DISAGREE"
                print(f"    {t['test_name']!r}: Panther {t['expected_result']}, rule {fired} ({mark})")
        print(f"\nagreement on the labelled events read: {agree}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
