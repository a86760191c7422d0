"""Phishing detection on real mail: vigil's message score beside SpamAssassin's, on the same messages.

    python evaluation/phishing.py [--data ../shared/data] [--split test] [--sa-limit 0] [--sa-procs 2]
                                  [--no-spamassassin] [--no-demo] [--signals]

Negatives: the SpamAssassin public corpus ham (easy-ham-1, easy-ham-2, hard-ham-1; 2002-03).
Positives: phishing_pot (real phishing and scam mail caught by honeypots, 2021-2026).

The weights of the signals were set by hand. While they were being set, only the *dev* half of the
messages was looked at; the figures to quote are those of the *test* half (``--split test``, the
default). The halves are fixed by a hash of each file's name. One signal is learnt rather than
written: ``lure.phishing_words`` (``evaluation/train_phishing_words.py``), from the dev half only, so
the dev half's figures flatter it; the score without it is printed beside the headline.

The two sets are twenty years apart, so a score could separate them by era instead of by intent.
Signals that cannot occur in 2002 mail (authentication results, punycode, URL shorteners, new
top-level domains, free page-hosting services; ``era_bound`` in ``vigil.enrich.mail.signals``) are
left out of the headline score; the score with every signal is printed beside it. Nothing else of
the era is used: no header style, DKIM presence, date or mailer name is a signal. No message is
scored with a workspace history (every message is judged alone: "never seen before" signals are off).

Printed: ROC AUC and recall at 1% false-positive rate for vigil and for SpamAssassin (its shipped
rules, offline: ``spamassassin -L``, no Bayes, no network tests), each with the number of messages
it is over; the false positives of the three mail detectors at their default thresholds; the signals
that carry the score among phishing and among false positives; and the false positives on modern
mail: the generated mailboxes of ``vigil demo`` (newsletters, mailing lists, forwards, invitations).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from vigil.detect.api import get_detector
from vigil.enrich.mail import CATALOG, MailContext, Signal, category_scores, message_signals, phishing_score
from vigil.enrich.mail.score import contributions
from vigil.ingest.email.parse import BadMessage, parse_message

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
HAM = ("easy-ham-1", "easy-ham-2", "hard-ham-1")
ERA_BOUND = frozenset(code for code, spec in CATALOG.items() if spec.era_bound)
LEARNT = "lure.phishing_words"
DETECTORS = {"mail.spoofing": "spoofing", "mail.malicious_link": "link", "mail.lure": "lure"}
FPR = 0.01


@dataclass
class Message:
    path: Path
    group: str  # easy-ham, hard-ham, phishing
    phish: bool
    signals: list[Signal] = field(default_factory=list)
    score: float = 0.0  # era-neutral signals
    score_all: float = 0.0
    score_written: float = 0.0  # era-neutral signals, without the learnt wording
    sa: float | None = None


def split_of(path: Path) -> str:
    return "dev" if hashlib.sha256(path.name.encode()).digest()[0] % 2 == 0 else "test"


def files(data: Path, split: str) -> list[tuple[Path, str, bool]]:
    found = [
        (p, "hard-ham" if name.startswith("hard") else "easy-ham", False)
        for name in HAM
        for p in sorted((data / "spamassassin" / name).iterdir())
    ]
    found += [(p, "phishing", True) for p in sorted((data / "phishing_pot" / "email").glob("*.eml"))]
    return [f for f in found if split == "all" or split_of(f[0]) == split]


def read(path: Path) -> bytes:
    raw = path.read_bytes()
    return raw.partition(b"\n")[2] if raw.startswith(b"From ") else raw


def score_messages(items: Iterable[tuple[Path, str, bool]]) -> tuple[list[Message], int]:
    ctx = MailContext.build()
    out, bad = [], 0
    for path, group, phish in items:
        try:
            row = parse_message(read(path))
        except BadMessage:
            bad += 1
            continue
        m = Message(path, group, phish, message_signals(row, ctx))
        m.score = phishing_score(m.signals, exclude=ERA_BOUND)
        m.score_all = phishing_score(m.signals)
        m.score_written = phishing_score(m.signals, exclude=ERA_BOUND | {LEARNT})
        out.append(m)
    return out, bad


# -- figures ------------------------------------------------------------------------------------


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """ROC AUC: the chance that a random positive scores above a random negative (ties count half)."""
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # average 1-based rank of the tie group
        rank_sum += mid * sum(label for _, label in ranked[i:j])
        i = j
    n_pos, n_neg = len(pos), len(neg)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def recall_at(pos: Sequence[float], neg: Sequence[float], fpr: float = FPR) -> tuple[float, float, int]:
    """(recall, cut, false positives) when flagging scores above ``cut``, the lowest cut that keeps the
    false-positive rate at or under ``fpr``."""
    ordered = sorted(neg, reverse=True)
    allowed = int(fpr * len(ordered))
    cut = ordered[allowed] if allowed < len(ordered) else ordered[-1]
    fps = sum(1 for s in neg if s > cut)
    return sum(1 for s in pos if s > cut) / len(pos), cut, fps


def figures(name: str, pos: Sequence[float], neg: Sequence[float]) -> tuple[float, float]:
    recall, cut, fps = recall_at(pos, neg)
    value = auc(pos, neg)
    print(
        f"  {name:<38} ROC AUC {value:.3f}   recall at 1% FPR {recall:6.1%}"
        f"  (score > {cut:.3f}: {fps} of {len(neg):,} ham, "
        f"{round(recall * len(pos))} of {len(pos):,} phishing)"
    )
    return value, cut


def wording_use(signal_lists: Sequence[Message] | Sequence[list[Signal]]) -> str:
    """How often the learnt wording fires in a group of messages, and how strongly."""
    weights = [
        max(
            (s.weight for s in (m.signals if isinstance(m, Message) else m) if s.signal == LEARNT),
            default=0.0,
        )
        for m in signal_lists
    ]
    fired = [w for w in weights if w > 0]
    mean = sum(fired) / len(fired) if fired else 0.0
    return (
        f"fires on {len(fired):,} of {len(weights):,} messages ({len(fired) / max(1, len(weights)):.0%}), "
        f"mean weight where it fires {mean:.3f}, mean over all {sum(weights) / max(1, len(weights)):.3f}"
    )


def top_signals(title: str, messages: Sequence[Message], limit: int = 10) -> None:
    if not messages:
        print(f"  {title}: none")
        return
    carried: dict[str, float] = defaultdict(float)
    having: Counter[str] = Counter()
    for m in messages:
        for code, part in contributions(m.signals, exclude=ERA_BOUND).items():
            carried[code] += part
            having[code] += 1
    total = sum(m.score for m in messages) or 1.0
    print(f"  {title} ({len(messages):,} messages):")
    for code, part in sorted(carried.items(), key=lambda kv: -kv[1])[:limit]:
        print(f"    {code:<30} {part / total:6.1%} of the score   in {having[code]:>4} messages")


# -- SpamAssassin ---------------------------------------------------------------------------------

_SA_SCORE = re.compile(rb"^X-Spam-Vigil-Score: (-?[0-9.]+)", re.MULTILINE)


def spamassassin(paths: Sequence[Path], procs: int) -> tuple[list[float | None], float]:
    """SpamAssassin's score of each file (None when it gave none), and the messages/s of the run."""
    exe = shutil.which("spamassassin")
    if exe is None:
        raise FileNotFoundError("spamassassin is not installed (Debian: apt-get install spamassassin)")
    home = tempfile.mkdtemp(prefix="vigil-sa-")
    env = {**os.environ, "HOME": home}
    command = [
        exe,
        "-L",  # local tests only: no DNS blocklists, no network
        "-x",
        "--cf=use_bayes 0",
        "--cf=bayes_auto_learn 0",
        "--cf=use_auto_welcomelist 0",
        "--cf=add_header all Vigil-Score _SCORE_",
    ]
    chunks = [list(paths[i : i + 100]) for i in range(0, len(paths), 100)]

    def run(chunk: list[Path]) -> list[float | None]:
        done = subprocess.run(
            [*command, *map(str, chunk)], env=env, capture_output=True, timeout=3600, check=False
        ).stdout
        found = [float(v) for v in _SA_SCORE.findall(done)]
        if len(found) == len(chunk):
            return list(found)
        return [one(p) for p in chunk]  # a message SpamAssassin skipped: go one by one

    def one(path: Path) -> float | None:
        done = subprocess.run([*command, str(path)], env=env, capture_output=True, timeout=600, check=False)
        found = _SA_SCORE.findall(done.stdout)
        return float(found[0]) if found else None

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=procs) as pool:
        results = [s for part in pool.map(run, chunks) for s in part]
    seconds = time.perf_counter() - started
    shutil.rmtree(home, ignore_errors=True)
    return results, len(paths) / seconds


# -- modern mail: the demo mailboxes -------------------------------------------------------------


def demo_false_positives(cut: float) -> None:
    from vigil.demo import generate, protected_assets_toml
    from vigil.enrich.mail import refresh_signals
    from vigil.ingest.run import ingest
    from vigil.workspace import CONFIG_TEMPLATE, Workspace

    with tempfile.TemporaryDirectory(prefix="vigil-eval-demo-") as tmp:
        manifest = generate(Path(tmp) / "data")
        ws = Workspace.init(Path(tmp) / "ws")
        ws.config_path.write_text(CONFIG_TEMPLATE + "\n" + protected_assets_toml(), encoding="utf-8")
        ws.reload()
        ingest(ws, manifest.input_paths())
        planted = {r for a in manifest.attacks if a.id.startswith("mail.") for r in a.records}
        with ws.connect() as con:
            refresh_signals(ws, con)
            rows = con.execute(
                "SELECT e.message_id, e.from_addr, e.subject, "
                "list(struct_pack(c := s.category, k := s.signal, w := s.weight, v := s.evidence)) "
                "FROM emails e JOIN email_signals s USING (record_id) GROUP BY ALL"
            ).fetchall()
    thresholds = {d: get_detector(d).params["threshold"] for d in DETECTORS}
    benign = [r for r in rows if r[0] not in planted]
    attacks = [r for r in rows if r[0] in planted]
    print(
        f"\n## Modern mail: the demo mailboxes ({len(benign)} benign messages: staff threads, newsletters, "
        f"mailing-list posts, forwards, invitations; {len(attacks)} planted attack messages)"
    )

    def flags(row: tuple[object, ...]) -> tuple[float, dict[str, float]]:
        signals = [Signal(s["c"], s["k"], s["w"], s["v"]) for s in row[3]]  # type: ignore[attr-defined]
        return phishing_score(signals), category_scores(signals)

    for name, group in (("benign", benign), ("planted attacks", attacks)):
        over = [r for r in group if flags(r)[0] > cut]
        per = {
            d: sum(1 for r in group if flags(r)[1].get(c, 0) >= thresholds[d]) for d, c in DETECTORS.items()
        }
        detail = ", ".join(f"{d} {n}" for d, n in per.items())
        print(
            f"  {name}: {len(over)} of {len(group)} above the 1%-FPR cut ({cut:.3f}); "
            f"at the detectors' thresholds: {detail}"
        )
    wording = [[Signal(s["c"], s["k"], s["w"], s["v"]) for s in r[3]] for r in benign]  # type: ignore[attr-defined]
    print(f"  {LEARNT} on the benign messages: {wording_use(wording)}")
    lines: dict[str, None] = {}  # one line per sender and subject (a message is in several mailboxes)
    for r in sorted(benign, key=lambda r: (-flags(r)[0], str(r[2]), str(r[1]))):
        codes = sorted({s["k"] for s in r[3] if s["c"] != "score"})
        lines[f"{flags(r)[0]:.3f} {str(r[2])[:50]!r} from {r[1]}: {', '.join(codes)}"] = None
        if len(lines) == 5:
            break
    for line in lines:
        print(f"    highest benign: {line}")


# -- as the product runs: each half ingested into a workspace, then `vigil detect` ---------------


def as_ingested(ham: Sequence[Message], phish: Sequence[Message]) -> None:
    """The mail detectors' findings when the ham, and separately the phishing, are ingested into a
    workspace as a user would: each message judged against the earlier ones (new link domains, first
    contacts, the compromised-sender baselines), with no protected assets."""
    from vigil.detect.runner import run
    from vigil.ingest.run import ingest
    from vigil.workspace import Workspace

    detectors = [*DETECTORS, "mail.compromised_sender"]
    print("\n## As the product runs: each set ingested into its own workspace, then the mail detectors")
    for name, group in (("ham", ham), ("phishing", phish)):
        with tempfile.TemporaryDirectory(prefix="vigil-eval-ws-") as tmp:
            ws = Workspace.init(Path(tmp) / "ws")
            ingest(ws, [m.path for m in group])
            runs = run(ws, detector_ids=detectors).runs
            with ws.connect(read_only=True) as con:
                (flagged,) = con.execute(
                    "SELECT count(DISTINCT e.record_id) FROM (SELECT unnest(evidence) AS e FROM findings)"
                ).fetchall()[0]
        per = ", ".join(f"{r.detector} {r.findings}" for r in runs)
        print(f"  {name:<9} {flagged:>3} of {len(group):,} messages flagged ({per})")


# -- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=DATA, help="the shared data folder (default: %(default)s)"
    )
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument(
        "--sa-limit", type=int, default=0, help="SpamAssassin on a random sample of N messages"
    )
    parser.add_argument("--sa-procs", type=int, default=2, help="SpamAssassin processes (default: 2)")
    parser.add_argument("--no-spamassassin", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument("--signals", action="store_true", help="also print how often each signal fires")
    args = parser.parse_args()
    if not (args.data / "phishing_pot").is_dir() or not (args.data / "spamassassin").is_dir():
        print(f"{args.data}: no phishing_pot/ or spamassassin/ (see --data)", file=sys.stderr)
        return 2

    started = time.perf_counter()
    messages, bad = score_messages(files(args.data, args.split))
    ham = [m for m in messages if not m.phish]
    phish = [m for m in messages if m.phish]
    hard = sum(1 for m in ham if m.group == "hard-ham")
    print(
        f"# Phishing evaluation, {args.split} split: {len(ham):,} ham "
        f"({len(ham) - hard:,} easy, {hard} hard; "
        f"SpamAssassin corpus 2002-03) and {len(phish):,} phishing (phishing_pot 2021-26); "
        f"{bad} unparseable; scored in {time.perf_counter() - started:.1f} s\n"
    )
    print("## vigil, every message")
    _, cut = figures("vigil (era-neutral signals)", [m.score for m in phish], [m.score for m in ham])
    figures("vigil (every signal, era-bound too)", [m.score_all for m in phish], [m.score_all for m in ham])
    figures(
        "vigil without the learnt wording",
        [m.score_written for m in phish],
        [m.score_written for m in ham],
    )
    figures(
        "vigil on hard ham only (era-neutral)",
        [m.score for m in phish],
        [m.score for m in ham if m.group == "hard-ham"],
    )

    thresholds = {d: get_detector(d).params["threshold"] for d in DETECTORS}
    print("\n## The mail detectors at their default thresholds (category score >= threshold)")
    for det, category in DETECTORS.items():
        fp = sum(1 for m in ham if category_scores(m.signals).get(category, 0) >= thresholds[det])
        tp = sum(1 for m in phish if category_scores(m.signals).get(category, 0) >= thresholds[det])
        print(
            f"  {det:<20} threshold {thresholds[det]}: {fp:>3} of {len(ham):,} ham flagged, "
            f"{tp:>3} of {len(phish)} phishing"
        )
    anyone = [
        m
        for m in ham
        if any(category_scores(m.signals).get(c, 0) >= thresholds[d] for d, c in DETECTORS.items())
    ]
    hits = sum(
        1
        for m in phish
        if any(category_scores(m.signals).get(c, 0) >= thresholds[d] for d, c in DETECTORS.items())
    )
    print(
        f"  {'any of the three':<20}: {len(anyone):>3} of {len(ham):,} ham flagged, "
        f"{hits:>3} of {len(phish)} phishing"
    )

    as_ingested(ham, phish)

    print(f"\n## The learnt wording ({LEARNT}, learnt from the dev half)")
    for name, group in (("phishing", phish), ("ham", ham)):
        print(f"  {name:<9} {wording_use(group)}")

    print("\n## What carries the score (era-neutral)")
    top_signals("phishing", phish)
    top_signals("false positives at the 1%-FPR cut", [m for m in ham if m.score > cut])

    if args.signals:
        print("\n## How often each signal fires (messages)")
        ham_hits = Counter(s for m in ham for s in {x.signal for x in m.signals})
        phish_hits = Counter(s for m in phish for s in {x.signal for x in m.signals})
        for code in sorted(set(ham_hits) | set(phish_hits), key=lambda c: -phish_hits[c]):
            era = "  (era-bound)" if code in ERA_BOUND else ""
            print(f"  {code:<30} phishing {phish_hits[code]:>4}  ham {ham_hits[code]:>4}{era}")

    if not args.no_spamassassin:
        sample = list(messages)
        if args.sa_limit and args.sa_limit < len(sample):
            sample = random.Random(7).sample(sample, args.sa_limit)
        print(
            f"\n## SpamAssassin (shipped rules, -L, no Bayes), {args.sa_procs} processes, "
            f"{len(sample):,} messages"
        )
        try:
            scores, rate = spamassassin([m.path for m in sample], args.sa_procs)
        except FileNotFoundError as exc:
            print(f"  skipped: {exc}")
        else:
            for m, s in zip(sample, scores, strict=True):
                m.sa = s
            scored = [m for m in sample if m.sa is not None]
            print(f"  scored {len(scored):,} of {len(sample):,} at {rate:.1f} messages/s")
            pos = [m for m in scored if m.phish]
            neg = [m for m in scored if not m.phish]
            figures("SpamAssassin score", [m.sa or 0.0 for m in pos], [m.sa or 0.0 for m in neg])
            figures(
                "vigil on the same messages (era-neutral)", [m.score for m in pos], [m.score for m in neg]
            )
            required = sum(1 for m in neg if (m.sa or 0) >= 5.0), sum(1 for m in pos if (m.sa or 0) >= 5.0)
            print(
                f"  SpamAssassin at its own threshold (5.0): {required[0]} ham and "
                f"{required[1]} of {len(pos)} phishing flagged"
            )

    if not args.no_demo:
        demo_false_positives(cut)
    print(f"\ndone in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
