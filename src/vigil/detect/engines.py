"""Engines that run detector expressions: DuckDB (the workspace file) and Spark (Parquet copies).

Both are Ibis backends, so a detector is written once. ``DuckDBEngine`` reads the workspace directly.
``SparkEngine`` copies the tables a run needs to Parquet under ``<workspace>/parquet/`` and reads them
with PySpark in local mode (or the cluster named by ``SPARK_MASTER``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import duckdb
import ibis
import pyarrow as pa

from vigil.errors import VigilError

SPARK_HINT = (
    "the Spark engine needs the spark extra and Java 17: pip install 'vigil[spark]' "
    "(or `pip install -r requirements-dev.lock`)"
)


class Engine(Protocol):
    name: str

    def table(self, name: str) -> ibis.Table: ...

    def execute(self, expr: ibis.Table) -> pa.Table: ...


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.backend = ibis.duckdb.from_connection(con)

    def table(self, name: str) -> ibis.Table:
        return self.backend.table(name)

    def execute(self, expr: ibis.Table) -> pa.Table:
        return self.backend.to_pyarrow(expr)


class SparkEngine:
    name = "spark"

    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path, tables: Iterable[str]) -> None:
        try:
            from pyspark.sql import SparkSession  # noqa: F401
        except ImportError:
            raise VigilError(SPARK_HINT) from None
        session = spark_session()
        self.backend = ibis.pyspark.connect(session)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        self._tables: dict[str, ibis.Table] = {}
        for name in sorted(set(tables)):
            path = folder / f"{name}.parquet"
            con.execute(f"COPY \"{name}\" TO '{_sql_str(str(path))}' (FORMAT parquet)")
            self._tables[name] = self.backend.read_parquet(str(path), table_name=f"vigil_{name}")

    def table(self, name: str) -> ibis.Table:
        return self._tables[name]

    def execute(self, expr: ibis.Table) -> pa.Table:
        return self.backend.to_pyarrow(expr)


_SESSION: Any = None


def spark_session() -> Any:
    """One local Spark session per process, in UTC (Spark's default is the machine's zone)."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise VigilError("the Spark engine needs Java 17 (no `java` on PATH and no JAVA_HOME)")
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName("vigil")
        .master(os.environ.get("SPARK_MASTER", "local[2]"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("VIGIL_SPARK_PARTITIONS", "4"))
        .config("spark.driver.memory", os.environ.get("VIGIL_SPARK_MEMORY", "4g"))
        .config("spark.sql.ansi.enabled", "false")
    )
    _SESSION = builder.getOrCreate()
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def _sql_str(text: str) -> str:
    return text.replace("'", "''")
