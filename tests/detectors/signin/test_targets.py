"""Matching sign-ins to protected people's accounts."""

from __future__ import annotations

from types import SimpleNamespace

import ibis
import pyarrow as pa

from vigil.detectors.signin.targets import protected_signins, raised
from vigil.protect import ProtectedAssets
from vigil.schema import PROTECTED, SIGNINS

PEOPLE = {
    "people": [
        {
            "name": "Jane Doe",
            "role": "candidate",
            "signins": ["Jane.Doe@Corp.Example"],
            "priority": "critical",
        },
        {"name": "Sam Ray", "role": "staff", "signins": ["CORP\\sray"], "priority": "low"},
    ]
}


def _matches(rows: list[dict[str, object]]) -> list[tuple[str, str, bool]]:
    protected = pa.Table.from_pylist(ProtectedAssets.from_config(PEOPLE).to_rows(), schema=PROTECTED)
    signins = pa.Table.from_pylist([{"record_id": str(i), **r} for i, r in enumerate(rows)], schema=SIGNINS)
    t = SimpleNamespace(protected=ibis.memtable(protected), signins=ibis.memtable(signins))
    out = protected_signins(t, t.signins).order_by("record_id")
    return [
        (r["user"], r["owner"], r["exact_match"]) for r in ibis.duckdb.connect().to_pyarrow(out).to_pylist()
    ]


def test_exact_and_windows_bare_names() -> None:
    assert _matches(
        [
            {"format": "entra", "user": "jane.doe@corp.example"},
            {"format": "windows", "user": "jane.doe", "tenant": "CORP"},
            {"format": "windows", "user": "jane.doe", "tenant": "OTHER"},  # a namesake elsewhere
            {"format": "windows", "user": "jane.doe", "tenant": None},
            {"format": "okta", "user": "jane.doe"},  # only Windows logons name the bare account
            {"format": "windows", "user": "sray", "tenant": "corp.example"},
        ]
    ) == [
        ("jane.doe@corp.example", "Jane Doe", True),
        ("jane.doe", "Jane Doe", False),
        ("jane.doe", "Jane Doe", False),
        ("sray", "Sam Ray", False),
    ]


def test_raised() -> None:
    t = ibis.memtable(pa.table({"s": ["low", "high", "critical", "medium"], "by": [1, 1, 1, 0]}))
    out = ibis.duckdb.connect().to_pyarrow(t.select(r=raised(t.s, t.by)))
    assert out["r"].to_pylist() == ["medium", "critical", "critical", "medium"]
