"""Identity detectors on real captures: Windows logon attacks (EVTX) and Panther's labelled identity events.

    python evaluation/identity_real.py [--data ../shared/data] [--jsonl] [--engine duckdb]

Each file goes into a fresh workspace; every ``signin.*`` detector in the registry runs over it. The
table gives, per file: what it is, its sign-in events, the findings it should give, the findings it
gave (detector ids), and a verdict (``ok``, ``MISSED`` what should have fired, ``UNEXPECTED`` what
should not have).

- ``windows_logon_evtx``: lab captures of logon attacks (SMB password guessing, an explicit-credential
  spray, Kerberos brute force and enumeration, SSH brute force) and of logons that are no password
  attack (golden ticket, pass-the-hash, an anonymous logon): the attacks must map to the detector that
  should fire, the others give nothing.
- ``panther_identity_tests``: single events written for Panther's rules, each labelled with whether
  its rule should fire, split per vendor (Okta, Entra diagnostic export, Google Workspace, Duo, the
  Microsoft 365 audit log). A finding must rest on an event whose label says a rule of the same
  meaning fires (``PANTHER_RULES``, ``PANTHER_ACCEPTED``); anything else is unexpected. An event that
  is quiet only because of the rule's allow-list (Panther's ``KNOWN_EXCEPTION`` tests) may give a
  finding. Rules that count events over a window (many failed sign-ins, lock-outs) are not expected
  from one test event. Panther's Okta scenario (failed logins from changing countries, then success;
  and a user's ordinary logins) is run alone and together with that user's history.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import yaml

from vigil.detect.api import registry
from vigil.detect.runner import run
from vigil.ingest.run import ingest
from vigil.workspace import Workspace, registered

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

#: Windows captures: what each is and the detectors that should fire on it.
WINDOWS: dict[str, tuple[str, set[str]]] = {
    "deepbluecli__password-spray": (
        "explicit-credential spray: 294 x 4648, 41 accounts from one host in 5 min",
        {"signin.password_spray"},
    ),
    "deepbluecli__smb-password-guessing-security": (
        "SMB password guessing: 3,561 x 4625 on administrator from one host",
        {"signin.brute_force"},
    ),
    "deepbluecli__new-user-security": ("an account created (no logon events)", set()),
    "mdecrevoisier__ID4624-Anonymous_login_with_domain_specified__DonPapi_": (
        "anonymous logon with a domain (DonPapi), then admin logons",
        set(),
    ),
    "mdecrevoisier__ID4624-Mimikatz_Pass_the_hash": ("one pass-the-hash logon (Mimikatz)", set()),
    "mdecrevoisier__ID4624-Success_login_with_Golden_ticket": ("logons with a forged Kerberos ticket", set()),
    "mdecrevoisier__ID4625-OpenSSH_brutforce_with_non_existing_users": (
        "SSH brute force on a non-existing user: 5 x 4625 + 4776 in 3 s",
        {"signin.brute_force"},
    ),
    "mdecrevoisier__ID4625-OpenSSH_brutforce_with_valid_users": (
        "SSH logon of a valid user, then 5 x 4625 guesses on it in 28 s (the success comes first)",
        {"signin.brute_force"},
    ),
    "mdecrevoisier__ID4625-failed_login_with_denied_access_due_to_account_restriction": (
        "two logons refused by account restrictions",
        set(),
    ),
    "mdecrevoisier__ID4768-4771-Kerberos_brutforce_with_non_existing_users": (
        "Kerberos guessing: 47 mostly non-existing names from one host in 2 s",
        {"signin.password_spray"},
    ),
    "mdecrevoisier__ID4768-4771-Kerberos_user_enumeration__Kerbrute_": (
        "Kerberos user enumeration (kerbrute): 42 names from one host in 9 s",
        {"signin.password_spray"},
    ),
    "mdecrevoisier__ID4771-Kerberos_brutforce_with_valid_user": (
        "Kerberos brute force: 54 x 4771 on one account in 17 s",
        {"signin.brute_force"},
    ),
    "mdecrevoisier__ID_4776_4625-AccountRestore_local_bruteforce": (
        "local brute force (AccountRestore): 16 x 4625 on admin and administrator",
        {"signin.brute_force"},
    ),
}

#: Panther rules whose firing a vigil detector should reproduce from one labelled event.
PANTHER_RULES = {
    "Azure.Audit.LegacyAuth": "signin.legacy_protocol",
    "Okta.Anonymizing.VPN.Login": "signin.anonymizer",
}
#: Panther rules whose firing makes a finding of these detectors right too (not required): a high-risk
#: sign-in whose risk detections include an anonymized IP; a ROPC sign-in through "Other clients".
PANTHER_ACCEPTED = {
    "Azure.Audit.HighRiskSignIn": {"signin.anonymizer"},
    "Azure.Audit.ROPCLoginNoMFA": {"signin.legacy_protocol"},
}
#: Panther rules that count events over a window: one test event is not expected to trip them.
PANTHER_COUNTING = {
    "Azure.Audit.ManyFailedSignIns": "signin.brute_force",
    "Azure.Audit.ExcessiveAccountLockouts": "signin.brute_force",
    "Okta.User.Account.Locked": "signin.brute_force",
    "Microsoft365.Brute.Force.Login.by.User": "signin.brute_force",
}
PANTHER_FORMATS = {
    "Okta.SystemLog": "okta",
    "Azure.Audit": "entra",
    "GSuite.ActivityEvent": "google",
    "Duo.Authentication": "duo",
    "Microsoft365.Audit.AzureActiveDirectory": "m365-audit",
}
#: Panther's Duo test events carry no time; each is given one (a minute apart) so that it can be read.
UNDATED = {"Duo.Authentication": "isotimestamp"}
SCENARIOS = {
    "okta_scenario_brute_force_logins": (
        "Okta: 9 failed logins of one user from 4 countries in 9 min, then success from one of them",
        {"signin.brute_force", "signin.compromise_after_attack"},
    ),
    "okta_scenario_legit_login": ("Okta: the same user's ordinary logins (US)", set()),
    "okta_scenarios_together": (
        "Okta: the ordinary logins, then the attack (France is new after 5 US logins: too short a history "
        "to require new_country)",
        {"signin.brute_force", "signin.compromise_after_attack"},
    ),
}


@dataclass
class Row:
    file: str
    what: str
    events: int
    expected: set[str]
    produced: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    error: str = ""

    available: set[str] = field(default_factory=set)
    by_evidence: bool = False  # extra findings are judged by the events they rest on (``unexpected``)

    @property
    def verdict(self) -> str:
        if self.error:
            return f"FAILED: {self.error}"
        missed = sorted(self.expected - set(self.produced))
        extra = ([] if self.by_evidence else sorted(set(self.produced) - self.expected)) + self.unexpected
        parts = []
        absent = [d for d in missed if d not in self.available]
        if absent:
            parts.append("no detector " + ", ".join(absent) + " in the registry")
        if len(absent) < len(missed):
            parts.append("MISSED " + ", ".join(d for d in missed if d in self.available))
        if extra:
            parts.append("UNEXPECTED " + ", ".join(dict.fromkeys(extra)))
        return "; ".join(parts) or "ok"


def detect(ws: Workspace, engine: str, detectors: list[str]) -> tuple[list[tuple[str, list[str]]], str]:
    """Run the detectors; the findings as (detector, source offsets of the evidence), and any failures."""
    result = run(ws, engine=engine, detector_ids=detectors)
    failed = "; ".join(f"{r.detector}: {r.error}" for r in result.failed)
    with ws.connect(read_only=True) as con:
        rows = con.execute("SELECT detector, evidence FROM findings ORDER BY detector").fetchall()
        ids = sorted({e["record_id"] for _, ev in rows for e in ev or []})
        with registered(con, pa.table({"record_id": ids})) as view:
            offsets = dict(
                con.execute(
                    f"SELECT record_id, source_offset FROM signins JOIN {view} USING (record_id)"
                ).fetchall()
            )
    return [
        (d, [offsets[e["record_id"]] for e in ev or [] if e["record_id"] in offsets]) for d, ev in rows
    ], failed


def one_file(
    name: str,
    what: str,
    paths: list[Path],
    fmt: str | None,
    expected: set[str],
    args: argparse.Namespace,
    tmp: Path,
) -> tuple[Row, list[tuple[str, list[str]]]]:
    ws = Workspace.init(tmp / name)
    summary = ingest(ws, paths, fmt)
    row = Row(name, what, summary.tables.get("signins", 0), expected, available=set(args.detectors))
    findings, row.error = detect(ws, args.engine, args.detectors)
    row.produced.update(d for d, _ in findings)
    return row, findings


def windows_rows(args: argparse.Namespace, tmp: Path) -> list[Row]:
    folder = args.data / "windows_logon_evtx" / ("jsonl" if args.jsonl else "evtx")
    rows = []
    for path in sorted(folder.iterdir()):
        what, expected = WINDOWS.get(path.stem, ("(not described)", set()))
        row, _ = one_file(path.stem, what, [path], None, expected, args, tmp)
        rows.append(row)
    return rows


def justified(detector: str, test: dict[str, object]) -> bool:
    """Whether a finding of ``detector`` resting on this labelled event is right by the label."""
    rule, fires = str(test["rule_id"]), bool(test["expected_result"])
    if PANTHER_RULES.get(rule) == detector:
        # "KNOWN_EXCEPTION" tests are quiet only through the rule's allow-list of the org's own accounts
        return fires or "KNOWN_EXCEPTION" in str(test.get("test_name", ""))
    return fires and detector in PANTHER_ACCEPTED.get(rule, set())


def panther_rows(args: argparse.Namespace, tmp: Path) -> list[Row]:
    folder = args.data / "panther_identity_tests"
    tests: dict[str, list[dict[str, object]]] = {}
    for line in (folder / "rule_tests.jsonl").read_text(encoding="utf-8").splitlines():
        test = json.loads(line)
        for log_type in test.get("log_types") or []:
            if log_type in PANTHER_FORMATS:
                tests.setdefault(log_type, []).append(test)
    rows = []
    for log_type, items in sorted(tests.items()):
        path = tmp / f"panther_{log_type}.jsonl"
        records: list[dict[str, object]] = [dict(t["log"]) for t in items]  # type: ignore[call-overload]
        if log_type in UNDATED:
            for i, record in enumerate(records):
                record.setdefault(UNDATED[log_type], f"2024-09-25T02:{i:02d}:00+00:00")
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        positive = [t for t in items if t["expected_result"]]
        expected = {PANTHER_RULES[str(t["rule_id"])] for t in positive if t["rule_id"] in PANTHER_RULES}
        what = (
            f"Panther {log_type}: {len(items)} labelled test events ({len(positive)} should fire their rule)"
        )
        row, findings = one_file(
            f"panther {log_type}", what, [path], PANTHER_FORMATS[log_type], expected, args, tmp
        )
        row.events = len(items)
        row.by_evidence = True
        for detector, offsets in findings:
            labels = [items[int(o)] for o in offsets if o is not None]
            if not any(justified(detector, t) for t in labels):
                rules = sorted(
                    {f"{t['rule_id']}={'fire' if t['expected_result'] else 'quiet'}" for t in labels}
                )
                row.unexpected.append(f"{detector} on {', '.join(rules) or 'no test event'}")
        counted = sorted({str(t["rule_id"]) for t in positive if t["rule_id"] in PANTHER_COUNTING})
        if counted:
            row.what += f"; counting rules not expected from one event: {', '.join(counted)}"
        rows.append(row)
    # the scenario: alone, and after the same user's ordinary logins
    logs: dict[str, list[dict[str, object]]] = {}
    for stem in ("okta_scenario_brute_force_logins", "okta_scenario_legit_login"):
        doc = yaml.safe_load((folder / f"{stem}.yml").read_text(encoding="utf-8"))
        logs[stem] = list(doc["Logs"])
    logs["okta_scenarios_together"] = (
        logs["okta_scenario_legit_login"] + logs["okta_scenario_brute_force_logins"]
    )
    for stem, events in logs.items():
        path = tmp / f"{stem}.jsonl"
        path.write_text("".join(json.dumps(e, default=str) + "\n" for e in events), encoding="utf-8")
        what, expected = SCENARIOS[stem]
        row, _ = one_file(stem, what, [path], "okta", expected, args, tmp)
        rows.append(row)
    return rows


def show(rows: list[Row]) -> None:
    print("| file | what it is | events | expected | findings | verdict |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        produced = (
            ", ".join(f"{d.removeprefix('signin.')} x{n}" for d, n in sorted(r.produced.items())) or "none"
        )
        expected = ", ".join(sorted(d.removeprefix("signin.") for d in r.expected)) or "none"
        print(f"| {r.file} | {r.what} | {r.events:,} | {expected} | {produced} | {r.verdict} |")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument(
        "--jsonl", action="store_true", help="read the flattened JSON lines, not the EVTX files"
    )
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no data at {args.data} (use --data)")
        return 1
    args.detectors = sorted(d for d in registry() if d.startswith("signin."))
    names = ", ".join(d.removeprefix("signin.") for d in args.detectors)
    print(f"{len(args.detectors)} identity detector(s): {names}")
    with tempfile.TemporaryDirectory(prefix="vigil-identity-real-") as tmp:
        print("\n## windows_logon_evtx\n")
        windows = windows_rows(args, Path(tmp))
        show(windows)
        print("\n## panther_identity_tests\n")
        panther = panther_rows(args, Path(tmp))
        show(panther)
    rows = windows + panther
    bad = [r for r in rows if r.verdict != "ok"]
    print(f"\n{len(rows) - len(bad)} of {len(rows)} files as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
