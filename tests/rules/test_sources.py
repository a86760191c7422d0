"""The field maps of the sign-in sources: real columns, and every field listed in docs/sigma.md."""

from __future__ import annotations

from pathlib import Path

from vigil.rules.sources import SOURCES, source_for
from vigil.schema import SIGNINS

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "sigma.md").read_text(encoding="utf-8").lower()


def test_every_field_maps_to_a_signins_column() -> None:
    for source in SOURCES:
        for name, spec in source.fields.items():
            assert spec.column in SIGNINS.names, (source.name, name)
            assert all(column in SIGNINS.names for column, _ in spec.values.values()), (source.name, name)


def test_logsources_match_without_case() -> None:
    assert source_for("Azure", "SigninLogs") is SOURCES[0]
    assert source_for("okta", "okta") is SOURCES[1]
    assert source_for("gcp", "google_workspace.admin") is source_for("gcp", "google_workspace.login")
    assert source_for("azure", "auditlogs") is None and source_for(None, None) is None


def test_the_docs_list_every_mapped_field() -> None:
    for source in SOURCES:
        seen: set[int] = set()
        for name, spec in source.fields.items():  # the first spelling of each field
            if id(spec) not in seen:
                seen.add(id(spec))
                assert f"`{name}" in DOCS, f"docs/sigma.md does not list {source.name} field {name}"
