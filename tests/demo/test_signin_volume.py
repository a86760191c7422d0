"""Generated sign-in volume: same seed, same bytes; every event reads cleanly; the attacks are in it."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from vigil.demo.signin_volume import SigninTruth, generate_signins
from vigil.errors import VigilError
from vigil.ingest.run import IngestSummary, ingest
from vigil.protect import read_asset_file
from vigil.workspace import Workspace

USERS, DAYS = 800, 7
DETECTORS = {
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
}


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module", params=["entra", "okta"])
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SigninTruth, Workspace, IngestSummary]:
    out = tmp_path_factory.mktemp(f"signins-{request.param}")
    truth = generate_signins(out / "data", fmt=request.param, users=USERS, days=DAYS, seed=7)
    ws = Workspace.init(out / "ws")
    return truth, ws, ingest(ws, truth.input_paths())


def test_every_event_reads_cleanly(loaded: tuple[SigninTruth, Workspace, IngestSummary]) -> None:
    truth, _, summary = loaded
    assert summary.quarantined == 0, summary.reasons
    assert summary.unknown_files == []
    assert len(truth.files) == DAYS and sum(f.records for f in truth.files) == truth.events
    passed = sum(summary.passed_over.values())
    assert summary.tables["signins"] + passed == truth.events
    if truth.format == "entra":
        assert passed == 0
    else:  # factor activation and password changes are System Log events, not sign-ins
        assert set(summary.passed_over) == {
            "okta:user.mfa.factor.activate",
            "okta:user.account.update_password",
        }


def test_planted_attacks_are_in_the_events(loaded: tuple[SigninTruth, Workspace, IngestSummary]) -> None:
    truth, ws, _ = loaded
    assert {a.details["detector"] for a in truth.attacks} == DETECTORS
    with ws.connect(read_only=True) as con:
        rows = con.execute("SELECT event_id, src_ip, lower(user), result, time FROM signins").fetchall()
    by_id = {r[0]: r for r in rows}
    for attack in truth.attacks:
        events = [by_id[e] for e in attack.records if e in by_id]
        assert events, attack.id
        assert len(events) >= len(attack.records) - 1, attack.id  # Okta's factor activation is not a sign-in
        attacker_ips = set(attack.entities["ipv4-addr"])
        assert {e[1] for e in events} & attacker_ips, attack.id
        assert {e[2] for e in events} <= {u.lower() for u in attack.entities["user-account"]}, attack.id
        first = min(e[4] for e in events)
        assert first >= datetime.fromisoformat(truth.start).replace(tzinfo=UTC)


def test_the_attacks_have_their_shape(loaded: tuple[SigninTruth, Workspace, IngestSummary]) -> None:
    truth, ws, _ = loaded
    attacks = {a.id: a for a in truth.attacks}
    with ws.connect(read_only=True) as con:

        def q(sql: str, *params: object) -> list[tuple[Any, ...]]:
            return con.execute(sql, list(params)).fetchall()

        spray_ip = attacks["loud_spray"].entities["ipv4-addr"][0]
        ((accounts, minutes),) = q(
            "SELECT count(DISTINCT user), date_diff('minute', min(time), max(time)) FROM signins "
            "WHERE src_ip = ? AND result = 'failure'",
            spray_ip,
        )
        assert accounts >= 200 and minutes <= 60
        # the one that fell signs in from the same address
        victim = attacks["compromise_after_spray"].entities["user-account"][0]
        assert q(
            "SELECT count(*) FROM signins WHERE src_ip = ? AND user = ? AND result = 'success'",
            spray_ip,
            victim,
        )
        slow_ip = attacks["slow_spray"].entities["ipv4-addr"][0]
        ((per_hour, days),) = q(
            "SELECT max(n), max(d) FROM (SELECT count(DISTINCT user) AS n, "
            "date_diff('day', min(min(time)) OVER (), max(max(time)) OVER ()) AS d "
            "FROM signins WHERE src_ip = ? GROUP BY date_trunc('hour', time))",
            slow_ip,
        )
        assert per_hour <= 4 and days >= 4
        ((ips, agents),) = q(
            "SELECT count(DISTINCT src_ip), count(DISTINCT user_agent) FROM signins "
            "WHERE list_contains(?, src_ip)",
            attacks["distributed_spray"].entities["ipv4-addr"],
        )
        assert ips == 50 and agents == 1
        ((unknown, total),) = q(
            "SELECT count(*) FILTER (WHERE error_code IN ('50034', 'VERIFICATION_ERROR')), count(*) "
            "FROM signins WHERE list_contains(?, src_ip)",
            attacks["credential_stuffing"].entities["ipv4-addr"],
        )
        assert unknown / total > 0.7
        fatigue = attacks["mfa_fatigue"]
        results = [
            r[0]
            for r in q(
                "SELECT result FROM signins WHERE src_ip = ? AND event_type IN "
                "('sign-in', 'user.mfa.okta_verify.deny_push', 'user.session.start') ORDER BY time",
                fatigue.entities["ipv4-addr"][0],
            )
        ]
        assert results == ["failure"] * 10 + ["success"]
        assert q(
            "SELECT count(*) FROM signins WHERE src_ip = ? AND is_legacy_auth AND result = 'success'",
            attacks["legacy_imap"].entities["ipv4-addr"][0],
        ) == [(6,)]
        director = attacks["protected_account_attempt"].entities["user-account"][0]
        assert q(
            "SELECT result, count(*) FROM signins WHERE src_ip = ? GROUP BY ALL",
            attacks["protected_account_attempt"].entities["ipv4-addr"][0],
        ) == [("failure", 1)]
        assert q("SELECT count(*) FROM signins WHERE user = ? AND result = 'success'", director)[0][0] > 5


def test_hard_negatives_are_there(loaded: tuple[SigninTruth, Workspace, IngestSummary]) -> None:
    truth, ws, _ = loaded
    negatives = {n.id: n for n in truth.negatives}
    assert {
        "office_nat",
        "shared_egress",
        "lockouts_and_resets",
        "service_account_smtp",
        "people_abroad",
    } <= set(negatives)
    with ws.connect(read_only=True) as con:
        ((accounts, failures),) = con.execute(
            "SELECT count(DISTINCT user), count(*) FILTER (WHERE result = 'failure') FROM signins "
            "WHERE src_ip = ?",
            [negatives["office_nat"].entities["ipv4-addr"][0]],
        ).fetchall()
        assert accounts > 100 and failures > 10  # many people and their typos behind one address
        service = negatives["service_account_smtp"].entities["user-account"][0]
        ((legacy,),) = con.execute(
            "SELECT count(*) FROM signins WHERE user = ? AND is_legacy_auth AND result = 'success'", [service]
        ).fetchall()
        assert legacy > 50


def test_protected_assets_files(loaded: tuple[SigninTruth, Workspace, IngestSummary]) -> None:
    truth, _, _ = loaded
    out = Path(truth.out_dir)
    assets = read_asset_file(out / truth.protected_json)
    director = truth.attacks[-1].entities["user-account"][0]
    assert any(director in getattr(a, "signins", []) for a in assets)
    assert director in (out / truth.protected_toml).read_text()
    again = SigninTruth.load(out / truth.truth_json)
    assert again.as_json() == truth.as_json()


def test_same_seed_same_files(tmp_path: Path) -> None:
    a = generate_signins(tmp_path / "a", users=USERS, days=DAYS, seed=11, workers=1)
    b = generate_signins(tmp_path / "b", users=USERS, days=DAYS, seed=11, workers=1)
    assert digest(tmp_path / "a" / "signins") == digest(tmp_path / "b" / "signins")
    assert json.dumps(a.as_json()) == json.dumps(b.as_json())
    c = generate_signins(tmp_path / "c", users=USERS, days=DAYS, seed=12, workers=1)
    assert digest(tmp_path / "c" / "signins") != digest(tmp_path / "a" / "signins")
    assert c.attacks[0].records != a.attacks[0].records


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_parallel_writing_gives_the_same_files(tmp_path: Path) -> None:
    generate_signins(tmp_path / "one", fmt="okta", users=USERS, days=DAYS, seed=3, workers=1)
    generate_signins(tmp_path / "two", fmt="okta", users=USERS, days=DAYS, seed=3, workers=2)
    assert digest(tmp_path / "one" / "signins") == digest(tmp_path / "two" / "signins")


def test_a_rerun_replaces_the_days(tmp_path: Path) -> None:
    generate_signins(tmp_path, users=USERS, days=9, seed=1)
    generate_signins(tmp_path, fmt="okta", users=USERS, days=DAYS, seed=1)
    assert sorted(p.name[:4] for p in (tmp_path / "signins").iterdir()) == ["okta"] * DAYS


def test_events_choose_the_number_of_users(tmp_path: Path) -> None:
    truth = generate_signins(tmp_path, events=60_000, days=DAYS, seed=5)
    assert truth.users > USERS
    assert 0.8 * 60_000 < truth.events < 1.2 * 60_000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "google"}, "unknown sign-in format"),
        ({"users": 50}, "users must be between"),
        ({"days": 3}, "days must be between"),
        ({"users": 1000, "events": 10_000}, "not both"),
        ({"events": 1000}, "would mean"),
    ],
)
def test_user_errors(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(VigilError, match=message):
        generate_signins(tmp_path, **kwargs)  # type: ignore[arg-type]
