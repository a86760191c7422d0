"""The checked SQL of a rule, evaluated as an Ibis filter: case-insensitive, null-safe, literal values."""

from __future__ import annotations

import duckdb
import ibis
import pyarrow as pa
import pytest

from vigil.rules.sql import RuleSQLError, build_query
from vigil.rules.translate import rule_filter
from vigil.workspace import registered

ROWS = pa.table(
    {
        "record_id": ["a", "b", "c", "d"],
        "user": ["Jane@Example.org", "tom@example.org", None, "x'; DROP TABLE signins; --"],
        "user_agent": ["curl/8.1", None, "Mozilla/5.0 Firefox/128", "python-requests"],
        "asn": [64512, 13335, None, 1],
    }
)


def selected(condition: str) -> list[str]:
    con = duckdb.connect()
    with registered(con, ROWS) as view:
        con.execute(f"CREATE TABLE signins AS SELECT * FROM {view}")
    backend = ibis.duckdb.from_connection(con)
    t = backend.table("signins")
    expr = t.filter(rule_filter(build_query(condition), t)).order_by("record_id")
    return list(backend.to_pyarrow(expr)["record_id"].to_pylist())


def test_comparisons_ignore_case() -> None:
    assert selected("lower(user) = lower('JANE@example.ORG')") == ["a"]
    assert selected("endswith(lower(user), lower('@EXAMPLE.org'))") == ["a", "b"]
    assert selected("startswith(lower(user_agent), lower('CURL/'))") == ["a"]
    assert selected("contains(lower(user_agent), lower('FIREFOX'))") == ["c"]
    assert selected("lower(user_agent) rlike '(?s)^moz.*/128$'") == ["c"]


def test_a_missing_value_does_not_match_and_its_negation_does() -> None:
    assert selected("contains(lower(user_agent), lower('curl'))") == ["a"]
    assert selected("NOT contains(lower(user_agent), lower('curl'))") == ["b", "c", "d"]
    assert selected("user is null") == ["c"]


def test_numbers_and_hostile_literals() -> None:
    assert selected("asn > 10000 AND NOT asn = 13335") == ["a"]
    assert selected("lower(user) = lower('x\\'; DROP TABLE signins; --')") == ["d"]


def test_only_rule_queries_are_translated() -> None:
    t = ibis.table({"user": "string"}, name="signins")
    with pytest.raises(RuleSQLError):
        rule_filter("SELECT * FROM sigma_signins", t)
    with pytest.raises(RuleSQLError, match="no sign-in column"):
        rule_filter("SELECT * FROM sigma_signins WHERE lower(device) = 'x'", t)
