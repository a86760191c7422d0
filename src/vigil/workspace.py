"""A workspace: a folder (``.vigil/`` by default) with the DuckDB file and the ``vigil.toml`` settings.

Chosen by ``--workspace DIR``, else ``VIGIL_WORKSPACE``, else ``./.vigil``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from vigil.enrich.observables import observables_sql
from vigil.errors import VigilError
from vigil.protect import ProtectedAssets
from vigil.schema import TABLES

#: Small tables keyed by an index (upserts); record tables are de-duplicated by anti-join instead.
INDEXED = ("findings", "quarantine")
#: Derived tables kept as views, so that ingest never pays to rebuild them.
VIEWS = {"observables": observables_sql()}

DEFAULT_DIR = ".vigil"
DB_FILE = "vigil.duckdb"
CONFIG_FILE = "vigil.toml"

CONFIG_TEMPLATE = """\
# vigil workspace settings. Every section is optional.

# Per-detector settings: any keyword default of a detector can be overridden here,
# and `enabled = false` turns one off. `vigil detectors show ID` lists its settings.
# [detectors."intel.known_indicator"]
# enabled = true

# What you defend. Detectors raise severity and name the target when these are involved,
# and notices go to these people. `vigil protect import FILE` appends JSON/CSV lists here.
#
# [[people]]
# name = "Jane Doe"
# role = "candidate"            # candidate, campaign-leadership, staff, election-official, ...
# organization = "Doe for Senate"
# emails = ["jane@doeforsenate.org", "jane.doe@example.com"]
# signins = ["jane@doeforsenate.org"]
# handles = ["x:janedoe"]
# priority = "critical"         # low, normal, high, critical
#
# [[organizations]]
# name = "Doe for Senate"
# kind = "campaign"             # campaign, election-office, party, newsroom, ngo, government, other
# domains = ["doeforsenate.org"]
# tenants = ["doeforsenate.onmicrosoft.com"]
#
# [[brands]]
# name = "Springfield Herald"
# domains = ["springfieldherald.com"]
#
# [[social_accounts]]
# platform = "x"
# handle = "springfieldvoters"
# display_name = "Springfield Voters League"
# bio = "Nonpartisan voter information for Springfield."
"""


def resolve_path(path: str | Path | None = None) -> Path:
    if path:
        return Path(path)
    return Path(os.environ.get("VIGIL_WORKSPACE") or DEFAULT_DIR)


@dataclass
class Workspace:
    path: Path

    @classmethod
    def init(cls, path: str | Path | None = None) -> Workspace:
        ws = cls(resolve_path(path))
        ws.path.mkdir(parents=True, exist_ok=True)
        if not ws.config_path.exists():
            ws.config_path.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        with ws.connect() as con:
            ws._create_tables(con)
        return ws

    @classmethod
    def open(cls, path: str | Path | None = None) -> Workspace:
        ws = cls(resolve_path(path))
        if not ws.db_path.exists():
            raise VigilError(f"no workspace at {ws.path} (run `vigil init` first, or pass --workspace)")
        with ws.connect(read_only=True) as con:
            behind = bool(_changes(con))
        if behind:  # written by an earlier vigil
            with ws.connect() as con:
                ws._create_tables(con)
        return ws

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    @property
    def config_path(self) -> Path:
        return self.path / CONFIG_FILE

    @cached_property
    def config(self) -> dict[str, Any]:
        if not self.config_path.exists():
            return {}
        try:
            return tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise VigilError(f"{self.config_path}: {exc}") from None

    @cached_property
    def protected(self) -> ProtectedAssets:
        return ProtectedAssets.from_config(self.config)

    def detector_settings(self, detector_id: str) -> dict[str, Any]:
        section = self.config.get("detectors", {})
        return dict(section.get(detector_id, {})) if isinstance(section, Mapping) else {}

    def reload(self) -> None:
        self.__dict__.pop("config", None)
        self.__dict__.pop("protected", None)

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        try:
            con = duckdb.connect(str(self.db_path), read_only=read_only)
        except duckdb.IOException as exc:
            raise VigilError(f"cannot open {self.db_path}: {exc}") from None
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET enable_progress_bar = false")
            yield con
        finally:
            con.close()

    @staticmethod
    def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
        """Create the tables, or bring those of an earlier vigil up to date: missing tables and
        columns are added, empty; nothing stored is changed or dropped."""
        for name, column, wanted, found in _changes(con):
            if found is not None:
                raise VigilError(
                    f"this workspace was written by another version of vigil: {name}.{column} is {found}, "
                    f"this version needs {wanted}; ingest the files again into a new workspace"
                )
            if column is None:
                schema, key = TABLES[name]
                with registered(con, schema.empty_table()) as view:
                    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM {view}')
                if key and name in INDEXED:
                    con.execute(f'ALTER TABLE "{name}" ADD PRIMARY KEY ("{key}")')
            else:
                con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {wanted}')
        for name, sql in VIEWS.items():
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')

    # -- writing -------------------------------------------------------------------------------

    @staticmethod
    def insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> int:
        """Insert rows whose key is new; returns how many were added (duplicates are ignored).

        Record tables have no index (an index costs more than a lookup on every insert): rows whose
        key is already there are left out, and so are repeats inside ``data``. The keys already
        stored are looked up first (one scan of the key column, hashing only the new keys) and the
        insert is then a plain append: DuckDB appends from an Arrow table three times faster than
        from an anti-join's output."""
        if data.num_rows == 0:
            return 0
        schema, key = TABLES[table]
        data = conform(data, schema)
        if key and len(pc.unique(data[key])) < data.num_rows:
            data = data.take(first_of_each(data[key]))
        if key and count(con, table):
            with registered(con, data.select([key])) as view:
                stored = con.sql(
                    f'SELECT "{key}" FROM "{table}" WHERE "{key}" IN (SELECT "{key}" FROM {view})'
                ).to_arrow_table()[key]
            if len(stored):
                data = data.filter(pc.invert(pc.is_in(data[key], value_set=stored.combine_chunks())))
        if data.num_rows > 1 and data.column(0).num_chunks > 1:
            data = data.combine_chunks()  # DuckDB writes one large chunk with less work than many
        if data.num_rows:
            with registered(con, data) as view:
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM {view}')
        return data.num_rows

    @staticmethod
    def replace(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
        schema, _ = TABLES[table]
        con.execute(f'DELETE FROM "{table}"')
        with registered(con, conform(data, schema)) as view:
            con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM {view}')

    def counts(self) -> dict[str, int]:
        with self.connect(read_only=True) as con:
            return {name: count(con, name) for name in TABLES}


def _changes(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, str, str | None]]:
    """How the workspace's tables differ from this version's: ``(table, None, "", None)`` for a
    missing table, ``(table, column, type, None)`` for a missing column and ``(table, column, type,
    stored type)`` for a column stored with another type."""
    stored: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = current_schema() AND NOT internal"
    ).fetchall():
        stored.setdefault(table, {})[column] = kind
    out: list[tuple[str, str | None, str, str | None]] = []
    for name in TABLES:
        if name in VIEWS:
            continue
        if name not in stored:
            out.append((name, None, "", None))
            continue
        wanted = _duckdb_types(con, name)
        out += [
            (name, column, kind, stored[name].get(column))
            for column, kind in wanted.items()
            if stored[name].get(column) != kind
        ]
    return out


_TYPES: dict[str, dict[str, str]] = {}


def _duckdb_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The DuckDB type of each column of a table of this version (as ``duckdb_columns()`` spells it)."""
    if table not in _TYPES:
        with registered(con, TABLES[table][0].empty_table()) as view:
            _TYPES[table] = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {view}").fetchall()}
    return _TYPES[table]


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, data: pa.Table, name: str = "_vigil_arrow") -> Iterator[str]:
    """Expose an Arrow table to SQL on ``con`` under ``name`` for the duration of the block."""
    con.register(name, data)
    try:
        yield name
    finally:
        con.unregister(name)


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0])


def first_of_each(keys: pa.ChunkedArray) -> pa.Array:
    """Indices of the first row of each distinct key, in order."""
    positions = pa.table({"key": keys, "i": pa.array(range(len(keys)), pa.int64())})
    firsts = positions.group_by("key").aggregate([("i", "min")])["i_min"]
    return pc.take(firsts, pc.sort_indices(firsts))


def conform(data: pa.Table, schema: pa.Schema) -> pa.Table:
    """Reorder, add missing (null) columns and cast to the table's schema."""
    columns = []
    for f in schema:
        if f.name in data.column_names:
            col = data[f.name]
            columns.append(col if col.type == f.type else col.cast(f.type))
        else:
            columns.append(pa.nulls(data.num_rows, f.type))
    return pa.Table.from_arrays(columns, schema=schema)
