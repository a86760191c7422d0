"""Every detector's own cases, on every engine, with identical findings on DuckDB and Spark."""

from __future__ import annotations

import pytest

from vigil.detect.api import registry
from vigil.detect.cases import check_case, run_case

CASES = [(d, c) for d in registry().values() for c in d.cases]
IDS = [f"{d.id}:{c.name}" for d, c in CASES]


def test_every_detector_has_positive_and_negative_cases() -> None:
    for d in registry().values():
        expects = {c.expect > 0 for c in d.cases}
        assert expects == {True, False}, f"{d.id} needs at least one positive and one negative case"


@pytest.mark.parametrize(("det", "case"), CASES, ids=IDS)
def test_case_on_duckdb(det, case) -> None:  # type: ignore[no-untyped-def]
    assert check_case(det, case, run_case(det, case, "duckdb")) == []


@pytest.mark.spark
@pytest.mark.parametrize(("det", "case"), CASES, ids=IDS)
def test_case_on_spark_matches_duckdb(det, case) -> None:  # type: ignore[no-untyped-def]
    on_spark = run_case(det, case, "spark")
    assert check_case(det, case, on_spark) == []
    assert on_spark == run_case(det, case, "duckdb")
