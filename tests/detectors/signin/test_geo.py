"""Country places and distances of the identity detectors."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from vigil.detectors.signin.geo import countries, country_name, haversine_km, locate


def test_every_country_key_is_unique() -> None:
    keys = [k for c in countries() for k in [c["code"], *(n.lower() for n in c["names"])]]
    assert len(keys) == len(set(keys))
    assert all(len(c["code"]) == 2 and -90 <= c["latitude"] <= 90 for c in countries())


def test_country_names_read_well() -> None:
    assert country_name("NL") == "the Netherlands"
    assert country_name("US") == "the United States"
    assert country_name("RO") == "Romania"
    assert country_name("Atlantis") == "Atlantis"
    assert country_name(None) == "an unknown country"


def test_places_from_coordinates_codes_and_names() -> None:
    rows = pa.table(
        {
            "country": ["US", "Germany", "ro", None, "Atlantis", "US"],
            "latitude": [40.2732, None, None, None, None, 0.0],
            "longitude": [-76.8867, None, None, None, None, 0.0],
        }
    )
    t = locate(ibis.memtable(rows))
    out = ibis.duckdb.connect().to_pyarrow(t.order_by(t.country)).to_pylist()
    by = {(r["country"], r["latitude"]): r for r in out}
    harrisburg = by[("US", 40.2732)]
    assert (harrisburg["lat"], harrisburg["radius_km"], harrisburg["country_code"]) == (40.2732, 0, "US")
    assert by[("Germany", None)]["country_code"] == "DE" and by[("Germany", None)]["radius_km"] == 500
    assert by[("ro", None)]["country_code"] == "RO"
    assert by[("Atlantis", None)]["lat"] is None and by[("Atlantis", None)]["country_code"] == "Atlantis"
    assert by[(None, None)]["lat"] is None
    null_island = by[("US", 0.0)]  # (0, 0) is no place: the country's centroid instead
    assert null_island["radius_km"] == 2500 and null_island["lat"] == pytest.approx(37.09)


def test_haversine() -> None:
    t = ibis.memtable(pa.table({"a": [40.2732], "b": [-76.8867], "c": [44.4268], "d": [26.1025]}))
    km = ibis.duckdb.connect().execute(haversine_km(t.a, t.b, t.c, t.d).name("km"))
    assert km.iloc[0] == pytest.approx(7865, abs=5)  # Harrisburg to Bucharest
