"""What the sign-in adapters share: addresses without their wrapping, countries from the registry."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from vigil.ingest.signins._common import sql_address, with_registered_country
from vigil.schema import SIGNINS


@pytest.mark.parametrize(
    ("logged", "address"),
    [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("::FFFF:185.220.101.4", "185.220.101.4"),
        ("[::ffff:185.220.101.4]:80", "185.220.101.4"),
        ("185.220.101.4", "185.220.101.4"),
        (None, None),
    ],
)
def test_sql_address(logged: str | None, address: str | None) -> None:
    sql = f"SELECT {sql_address('x')} FROM (SELECT CAST(? AS VARCHAR) AS x)"
    assert duckdb.connect().execute(sql, [logged]).fetchall() == [(address,)]


def test_registered_country_fills_only_what_is_missing() -> None:
    rows = [
        {"src_ip": "185.220.101.4", "country": None},  # registered in DE
        {"src_ip": None, "country": None},  # no address: stays unknown, no error
        {"src_ip": "185.220.101.4", "country": "United States"},  # the source's word stands
        {"src_ip": "10.0.0.9", "country": None},  # private: registered nowhere
    ]
    table = pa.Table.from_pylist(rows, schema=SIGNINS)
    assert with_registered_country(table)["country"].to_pylist() == ["DE", None, "United States", None]
    nothing = pa.Table.from_pylist([rows[1]], schema=SIGNINS)
    assert with_registered_country(nothing) is nothing
