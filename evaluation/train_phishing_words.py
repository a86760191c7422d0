"""Learn ``lure.phishing_words``: the words far more common in phishing than in everyday mail.

    python evaluation/train_phishing_words.py [--data ../shared/data] [--out FILE] [--cross-validate]

Reads the *dev* half of the evaluation mail only (the same split as ``evaluation/phishing.py``, whose
figures to quote are the test half's): phishing_pot messages as phishing, SpamAssassin ham as everyday
mail. Near-copies of one phishing message (word sets overlapping by half or more, Jaccard >= 0.5) are
one campaign and count once. For each word (see ``vigil.enrich.mail.wording.words``) it counts the
campaigns and the everyday messages that use it, and keeps

- words used by at least 3 phishing campaigns (not one campaign's place names or a typo),
- words used by at least 3 everyday messages: words in ordinary use in 2002, so that no word of a
  later era, and no word of another language, can be learnt,
- that are language: not markup, not parts of web addresses, not function words of other
  languages (``wording.NOT_WORDS``),
- whose likelihood ratio, ``P(word | phishing campaign) / P(word | everyday message)`` with add-one
  smoothing, is at least e^1.5 (about 4.5 times as common in phishing); words typical of everyday
  mail are dropped rather than given negative weights.

The weight of a word is the log of that ratio. ``--out`` (default: the table vigil ships,
``src/vigil/enrich/mail/phishing_words.tsv``) receives the table, sorted by weight, with the counts
it came from; the strongest words are printed. ``--cross-validate`` writes nothing: it splits the dev
half in two, counts words on one part, scores the other, and prints the era-neutral score's ROC AUC
and recall at 1% FPR with and without the learnt wording.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from phishing import DATA, ERA_BOUND, LEARNT, auc, files, read, recall_at

from vigil.detect.api import get_detector
from vigil.enrich.mail import MailContext, Signal, category_scores, message_signals, phishing_score
from vigil.enrich.mail.text import SCAN_CHARS, fold
from vigil.enrich.mail.wording import NOT_WORDS, WORDS_FILE, wording_signal, words
from vigil.ingest.email.parse import BadMessage, parse_message

MIN_PHISHING = 3
MIN_EVERYDAY = 3
MIN_WEIGHT = 1.5
SAME_CAMPAIGN = 0.5


def campaigns(messages: list[set[str]]) -> list[set[str]]:
    """Messages whose word sets overlap by ``SAME_CAMPAIGN`` or more (Jaccard), chained, merged into one
    word set each."""
    parent = list(range(len(messages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(messages):
        for j in range(i):
            b = messages[j]
            if a and b and len(a & b) >= SAME_CAMPAIGN * len(a | b):
                parent[root(i)] = root(j)
    merged: dict[int, set[str]] = {}
    for i, found in enumerate(messages):
        merged.setdefault(root(i), set()).update(found)
    return list(merged.values())


@dataclass
class Example:
    phish: bool
    fold: int  # 0 or 1: the halves of the dev half, for --cross-validate
    words: set[str]
    signals: list[Signal]  # every era-neutral signal but the learnt wording


def examples(data: Path) -> list[Example]:
    ctx = MailContext.build()
    out = []
    for path, _group, phish in files(data, "dev"):
        try:
            row = parse_message(read(path))
        except BadMessage:
            continue
        text = (
            fold((row.get("subject") or "")[:1000]) + "\n" + fold((row.get("body_text") or "")[:SCAN_CHARS])
        )
        signals = [s for s in message_signals(row, ctx) if s.signal not in ERA_BOUND and s.signal != LEARNT]
        fold_of = hashlib.sha256(path.name.encode()).digest()[1] % 2
        out.append(Example(phish, fold_of, words(text), signals))
    return out


def learn(phishing: list[set[str]], everyday: list[set[str]]) -> list[tuple[float, str, int, int]]:
    """``(weight, word, phishing campaigns using it, everyday messages using it)``, strongest first."""
    merged = campaigns(phishing)
    in_phishing = Counter(word for found in merged for word in found)
    in_everyday = Counter(word for found in everyday for word in found)
    n_phish, n_everyday = len(merged), len(everyday)
    table = []
    for word, uses in in_phishing.items():
        ham_uses = in_everyday[word]
        if uses < MIN_PHISHING or ham_uses < MIN_EVERYDAY or word in NOT_WORDS:
            continue
        weight = math.log(((uses + 1) / (n_phish + 2)) / ((ham_uses + 1) / (n_everyday + 2)))
        if weight >= MIN_WEIGHT:
            table.append((round(weight, 3), word, uses, ham_uses))
    return sorted(table, key=lambda row: (-row[0], row[1]))


def cross_validate(found: list[Example]) -> None:
    """Two folds inside the dev half: words counted on one, messages scored on the other."""
    scored: dict[bool, list[tuple[float, float, bool, bool]]] = {True: [], False: []}
    threshold = get_detector("mail.lure").params["threshold"]
    for held_out in (0, 1):
        rest = [e for e in found if e.fold != held_out]
        table = learn([e.words for e in rest if e.phish], [e.words for e in rest if not e.phish])
        weights = {word: weight for weight, word, _, _ in table}
        for e in found:
            if e.fold == held_out:
                learnt = wording_signal(" ".join(sorted(e.words)), weights)
                signals = e.signals + ([learnt] if learnt else [])
                lure = [category_scores(x).get("lure", 0.0) >= threshold for x in (e.signals, signals)]
                scored[e.phish].append((phishing_score(e.signals), phishing_score(signals), *lure))
    print("two-fold cross-validation inside the dev half (era-neutral score):")
    for name, index in (("written signals only", 0), ("with the learnt wording", 1)):
        pos, neg = [s[index] for s in scored[True]], [s[index] for s in scored[False]]
        recall, _, _ = recall_at(pos, neg)
        print(f"  {name:<24} ROC AUC {auc(pos, neg):.3f}   recall at 1% FPR {recall:6.1%}")
    without, with_it = (sum(1 for s in scored[False] if s[i]) for i in (2, 3))
    print(
        f"  mail.lure at its threshold: {without} of {len(scored[False]):,} ham flagged without the "
        f"learnt wording, {with_it} with it"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=WORDS_FILE)
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="print two-fold figures inside the dev half, write nothing",
    )
    args = parser.parse_args()
    if not (args.data / "phishing_pot").is_dir():
        print(f"no phishing_pot under {args.data}: pass --data", file=sys.stderr)
        return 2

    found = examples(args.data)
    if args.cross_validate:
        cross_validate(found)
        return 0
    phishing = [e.words for e in found if e.phish]
    everyday = [e.words for e in found if not e.phish]
    table = learn(phishing, everyday)
    n_campaigns = len(campaigns(phishing))
    lines = [
        "# lure.phishing_words: words far more common in phishing than in everyday mail.",
        "# Written by evaluation/train_phishing_words.py from the dev half of the evaluation mail:",
        f"# {len(phishing)} phishing_pot messages in {n_campaigns} campaigns, "
        f"{len(everyday)} SpamAssassin ham messages.",
        "# word<TAB>weight (log likelihood ratio)<TAB>phishing campaigns using it"
        "<TAB>everyday messages using it",
    ]
    lines += [f"{word}\t{weight}\t{uses}\t{ham_uses}" for weight, word, uses, ham_uses in table]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"{len(table)} words from {len(phishing):,} phishing messages ({n_campaigns:,} campaigns) and "
        f"{len(everyday):,} everyday messages -> {args.out}"
    )
    strongest = sorted(table, key=lambda row: -row[0] * math.log(row[2]))[:40]
    print("strongest (weight x log of use): " + ", ".join(f"{w} {v:.1f}" for v, w, _, _ in strongest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
