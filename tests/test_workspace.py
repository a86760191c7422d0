from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from vigil.errors import VigilError
from vigil.schema import TABLES
from vigil.workspace import Workspace, resolve_path


def test_init_creates_every_table_and_a_commented_config(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    assert ws.db_path.exists()
    assert "[[people]]" in ws.config_path.read_text()
    assert ws.config == {}  # everything in the template is a comment
    assert set(ws.counts()) == set(TABLES)
    Workspace.init(tmp_path / "ws")  # a second init keeps what is there


def test_workspace_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VIGIL_WORKSPACE", raising=False)
    assert resolve_path() == Path(".vigil")
    monkeypatch.setenv("VIGIL_WORKSPACE", str(tmp_path / "env"))
    assert resolve_path() == tmp_path / "env"
    assert resolve_path(tmp_path / "flag") == tmp_path / "flag"


def test_open_missing_workspace_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(VigilError, match="vigil init"):
        Workspace.open(tmp_path / "nothing")


def test_insert_ignores_rows_already_there(workspace: Workspace) -> None:
    rows = pa.table({"record_id": ["a", "b", "a"], "domain": ["x.com", "y.com", "x.com"]})
    with workspace.connect() as con:
        assert workspace.insert(con, "domains", rows) == 2
        assert workspace.insert(con, "domains", rows) == 0


def test_bad_config_is_a_clear_error(workspace: Workspace) -> None:
    workspace.config_path.write_text("[[people]\nname=", encoding="utf-8")
    with pytest.raises(VigilError, match=r"vigil\.toml"):
        _ = workspace.config


def test_insert_of_chunked_rows_keeps_the_first_of_each_key(workspace: Workspace) -> None:
    first = pa.table({"record_id": ["a", "b"], "domain": ["first.com", "b.com"]})
    second = pa.table({"record_id": ["a", "c"], "domain": ["second.com", "c.com"]})
    with workspace.connect() as con:
        assert workspace.insert(con, "domains", pa.concat_tables([first, second])) == 3
        assert workspace.insert(con, "domains", pa.concat_tables([second, first])) == 0
        rows = con.execute("SELECT record_id, domain FROM domains ORDER BY 1").fetchall()
    assert rows == [("a", "first.com"), ("b", "b.com"), ("c", "c.com")]


def test_a_workspace_of_an_earlier_version_gets_the_missing_tables_and_columns(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    with ws.connect() as con:
        ws.insert(con, "domains", pa.table({"record_id": ["a"], "domain": ["kept.com"]}))
        con.execute("ALTER TABLE domains DROP COLUMN first_seen")  # as if it came in a later version
        con.execute("DROP TABLE email_signals")
    ws = Workspace.open(ws.path)
    assert set(ws.counts()) == set(TABLES)
    with ws.connect() as con:
        assert ws.insert(con, "domains", pa.table({"record_id": ["b"], "domain": ["new.com"]})) == 1
        rows = con.execute("SELECT record_id, domain, first_seen FROM domains ORDER BY 1").fetchall()
    assert rows == [("a", "kept.com", None), ("b", "new.com", None)]


def test_a_column_stored_with_another_type_is_a_clear_error(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    with ws.connect() as con:
        con.execute("ALTER TABLE domains ALTER COLUMN first_seen SET DATA TYPE VARCHAR")
    with pytest.raises(VigilError, match=r"domains\.first_seen is VARCHAR.*new workspace"):
        Workspace.open(ws.path)
