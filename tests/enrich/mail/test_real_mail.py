"""On real mail (../shared/data): phishing carries signals, ordinary mail mostly does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.enrich.mail import MailContext, message_signals, phishing_score
from vigil.ingest.email.parse import parse_message

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
pytestmark = pytest.mark.shared_data


def scores(paths: list[Path]) -> list[float]:
    ctx = MailContext.build()
    out = []
    for path in paths:
        raw = path.read_bytes()
        row = parse_message(raw.partition(b"\n")[2] if raw.startswith(b"From ") else raw)
        out.append(phishing_score(message_signals(row, ctx)))
    return out


@pytest.fixture(scope="module")
def data() -> Path:
    if not (DATA / "phishing_pot").is_dir():
        pytest.skip(f"{DATA} not found")
    return DATA


def test_phishing_and_ham(data: Path) -> None:
    phish = scores(sorted((data / "phishing_pot" / "email").glob("*.eml"))[:150])
    ham = scores(sorted((data / "spamassassin" / "easy-ham-1").iterdir())[:300])
    assert sum(s > 0 for s in phish) / len(phish) > 0.8
    assert sum(s > 0.35 for s in ham) / len(ham) < 0.03
