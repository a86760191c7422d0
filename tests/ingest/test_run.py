"""The ingest driver: format detection, clear errors, unknown files, re-ingest adds nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from vigil.errors import VigilError
from vigil.ingest import run
from vigil.ingest.run import ingest, plan
from vigil.workspace import Workspace

ENTRA = (
    '{"id":"1","createdDateTime":"2024-09-12T02:10:33Z","userPrincipalName":"A@x.gov","appDisplayName":"Office",'
    '"ipAddress":"185.220.101.4","status":{"errorCode":50126,"failureReason":"Invalid password"}}\n'
)


def test_missing_path_is_a_clear_error(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(VigilError, match="no such file or folder"):
        ingest(workspace, [tmp_path / "nope"])


def test_named_file_of_unknown_format_is_an_error(tmp_path: Path) -> None:
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01 nothing known")
    with pytest.raises(VigilError, match="not a format vigil knows"):
        plan([odd])


def test_unknown_format_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VigilError, match="unknown format 'nope'"):
        plan([tmp_path], fmt="nope")


def test_folder_walk_passes_over_unknown_files(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "signins.jsonl").write_text(ENTRA)
    (folder / "random.bin").write_bytes(b"\x00\x00\x00")
    summary = ingest(workspace, [folder])
    assert summary.tables["signins"] == 1
    assert summary.unknown_files == [str(folder / "random.bin")]
    again = ingest(workspace, [folder])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 1


def test_explicit_format(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(ENTRA)
    assert ingest(workspace, [path], fmt="entra").tables["signins"] == 1


def test_many_files_are_written_in_whole_row_groups(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "ROW_GROUP_ROWS", 4)
    monkeypatch.setattr(run, "FLUSH_ROWS", 8)
    written: list[int] = []
    insert = Workspace.insert

    def counted(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> int:
        written.append(data.num_rows)
        return insert(con, table, data)

    monkeypatch.setattr(Workspace, "insert", staticmethod(counted))
    folder = tmp_path / "in"
    folder.mkdir()
    for day in range(5):  # 3 events a file
        (folder / f"day{day}.jsonl").write_text(
            "".join(ENTRA.replace('"id":"1"', f'"id":"{day}-{i}"') for i in range(3))
        )
    summary = ingest(workspace, [folder])
    assert summary.tables["signins"] == 15
    assert written == [8, 7]  # two row groups as soon as there are, the rest at the end
