"""The generated SQL is checked before anything runs: one filter over the sign-ins, nothing else."""

from __future__ import annotations

import pytest

from vigil.rules.sql import RuleSQLError, build_query


def test_a_filter_is_made_null_safe_and_quoted() -> None:
    q = build_query("lower(user) = lower('a@b.org') AND NOT src_ip is null")
    assert q == (
        "SELECT * FROM `sigma_signins` WHERE COALESCE(LOWER(`user`) = LOWER('a@b.org'), FALSE) "
        "AND NOT COALESCE(`src_ip` IS NULL, FALSE)"
    )


@pytest.mark.parametrize(
    ("condition", "why"),
    [
        ("1=1; DROP TABLE findings", "single query"),
        ("user IN (SELECT value FROM protected)", "another table"),
        ("user IN (SELECT 1)", "uses In"),
        ("lower(raw) = 'x'", "not a sign-in column"),
        ("lower(findings.user) = 'x'", "not a sign-in column"),
        ("exists(select 1)", "Exists"),
        ("read_csv('/etc/passwd') = 1", "ReadCSV"),
        ("1=1) UNION SELECT * FROM findings WHERE (1=1", "does not parse"),
        ("user = 'a' GROUP BY user", "more than a filter"),
        ("length(user) > 3", "Length"),
        ("user", "Column"),
        ("x" * 200_001, "longer than"),
    ],
)
def test_anything_but_a_filter_is_refused(condition: str, why: str) -> None:
    with pytest.raises(RuleSQLError, match=why):
        build_query(condition)
