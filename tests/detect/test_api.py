from __future__ import annotations

import pytest

from vigil.detect.api import EntitySpec, detector, get_detector, registry
from vigil.errors import VigilError


def test_registry_finds_the_shipped_detector() -> None:
    assert "intel.known_indicator" in registry()
    det = get_detector("intel.known_indicator")
    assert det.inputs == ("observables", "indicators")
    assert det.description.startswith("Any URL")


def test_unknown_detector_is_a_clear_error() -> None:
    with pytest.raises(VigilError, match=r"no detector 'nope\.nope'"):
        get_detector("nope.nope")


def test_duplicate_id_is_an_error() -> None:
    def first(t):  # type: ignore[no-untyped-def]
        return t

    def second(t):  # type: ignore[no-untyped-def]
        return t

    detector(id="test.dup_once", title="x", inputs=["signins"], severity="low", entities={})(first)
    with pytest.raises(ValueError, match="duplicate detector id"):
        detector(id="test.dup_once", title="x", inputs=["signins"], severity="low", entities={})(second)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "Bad Id"}, "must look like"),
        ({"severity": "urgent"}, "severity"),
        ({"inputs": ["nosuchtable"]}, "unknown input table"),
    ],
)
def test_bad_declarations_are_errors(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "id": "test.ok",
        "title": "x",
        "inputs": ["signins"],
        "severity": "low",
        "entities": {},
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        detector(**args)  # type: ignore[arg-type]


def test_entity_specs() -> None:
    assert EntitySpec.parse("src_ip", "ipv4-addr:actor-infrastructure").role == "actor-infrastructure"
    assert EntitySpec.parse("u", "user-account").role == "evidence"
    assert EntitySpec.parse("v", "{kind}:target").kind_of({"kind": "url"}) == "url"
    with pytest.raises(ValueError):
        EntitySpec.parse("x", "url:attacker")


def test_settings_override_and_reject_unknown_names() -> None:
    def spray(t, window="1h", min_users=10):  # type: ignore[no-untyped-def]
        return t

    det = detector(id="test.settings", title="x", inputs=["signins"], severity="low", entities={})(spray)
    assert det.settings({"min_users": 3, "enabled": True}) == {"window": "1h", "min_users": 3}
    with pytest.raises(VigilError, match="unknown setting 'min_user'"):
        det.settings({"min_user": 3})
