from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from vigil.errors import VigilError
from vigil.protect import Brand, Person, ProtectedAssets, merge_new, read_asset_file, to_toml

CONFIG = """
[[people]]
name = "Jane Harper"
role = "candidate"
emails = ["Jane@HarperForAmerica.org"]
signins = ["jane@harperforamerica.org"]
handles = ["x:JaneHarper"]
priority = "critical"

[[organizations]]
name = "Harper for America"
kind = "campaign"
domains = ["harperforamerica.org"]

[[brands]]
name = "Springfield Herald"
domains = ["springfieldherald.com"]

[[social_accounts]]
platform = "x"
handle = "springfieldvoters"
display_name = "Springfield Voters League"
"""


def test_config_flattens_to_rows() -> None:
    assets = ProtectedAssets.from_config(tomllib.loads(CONFIG))
    rows = assets.to_rows()
    assert {
        "kind": "email-addr",
        "value": "jane@harperforamerica.org",
        "owner": "Jane Harper",
        "owner_kind": "person",
        "role": "candidate",
        "priority": "critical",
    } in rows
    assert ("domain-name", "springfieldherald.com", "brand") in {
        (r["kind"], r["value"], r["owner_kind"]) for r in rows
    }
    assert ("social-account", "x:springfieldvoters") in {(r["kind"], r["value"]) for r in rows}


def test_import_json_and_csv(tmp_path: Path) -> None:
    js = tmp_path / "a.json"
    js.write_text(
        json.dumps(
            {
                "people": [
                    {"name": "Sam Ortiz", "role": "election-official", "emails": ["sam@caldercounty.gov"]}
                ]
            }
        )
    )
    csv = tmp_path / "a.csv"
    csv.write_text("type,name,domains,priority\nbrand,Calder Courier,caldercourier.com;courier.news,high\n")
    people = read_asset_file(js)
    brands = read_asset_file(csv)
    assert people == [Person(name="Sam Ortiz", role="election-official", emails=["sam@caldercounty.gov"])]
    assert brands == [
        Brand(name="Calder Courier", domains=["caldercourier.com", "courier.news"], priority="high")
    ]
    text = to_toml(people + brands)
    back = ProtectedAssets.from_config(tomllib.loads(text))
    assert back.assets == people + brands


def test_merge_skips_what_is_declared() -> None:
    existing = ProtectedAssets.from_config(tomllib.loads(CONFIG))
    fresh, skipped = merge_new(existing, [Person(name="jane harper"), Person(name="New Person")])
    assert [p.name for p in fresh] == ["New Person"] and skipped == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"type": "robot", "name": "x"}]', "unknown protected asset type"),
        ('[{"type": "person"}]', "needs a 'name'"),
        ('[{"type": "person", "name": "x", "priority": "urgent"}]', "priority"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_asset_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text)
    with pytest.raises(VigilError, match=message):
        read_asset_file(path)
