"""The adapter API: one function per real format, from a file to Arrow tables of one normalized schema.

```python
@adapter("okta", table="signins", sniff=lambda path, head: b'"eventType"' in head,
         description="Okta System Log (JSON array or JSON lines)")
def read_okta(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    ...
```

An adapter yields Arrow tables (fast paths that build columns at once) or dict rows (parsers that
build one record at a time; the driver gathers them into tables), and sends every record it cannot
parse to ``ctx.quarantine(offset, reason, excerpt)``: it never raises for one bad record.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from vigil.errors import VigilError
from vigil.ids import content_hash
from vigil.ingest.limits import EXCERPT_CHARS
from vigil.schema import RECORD_TABLES

#: An adapter yields tables of its table's schema, or rows of it as dicts (the driver batches them).
Reader = Callable[[Path, "ReadContext"], Iterator[pa.Table] | Iterator[dict[str, Any]]]
Sniffer = Callable[[Path, bytes], bool]


@dataclass(frozen=True)
class Adapter:
    name: str
    table: str
    read: Reader
    sniff: Sniffer
    description: str
    directory: bool = False  # reads a whole folder (Maildir) rather than one file


_ADAPTERS: dict[str, Adapter] = {}


def adapter(
    name: str, *, table: str, sniff: Sniffer, description: str, directory: bool = False
) -> Callable[[Reader], Reader]:
    """Register a format adapter. Names are unique; sniffers are tried in registration order."""
    if table not in RECORD_TABLES:
        raise ValueError(f"adapter {name!r}: unknown table {table!r}")

    def register(read: Reader) -> Reader:
        if name in _ADAPTERS:
            raise ValueError(f"duplicate adapter name {name!r}")
        _ADAPTERS[name] = Adapter(name, table, read, sniff, description, directory)
        return read

    return register


@cache
def adapters() -> dict[str, Adapter]:
    """All adapters, importing every module of ``vigil.ingest`` once so that they register."""
    import vigil.ingest as package

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    return dict(_ADAPTERS)


def get_adapter(name: str) -> Adapter:
    found = adapters().get(name)
    if found is None:
        raise VigilError(f"unknown format {name!r} (known: {', '.join(sorted(adapters()))})")
    return found


@dataclass
class ReadContext:
    """What an adapter gets besides its path: quarantine, progress, and a DuckDB connection."""

    source: str
    format: str
    con: duckdb.DuckDBPyConnection
    on_progress: Callable[[int], None] = lambda n: None
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    passed_over: Counter[str] = field(default_factory=Counter)

    def quarantine(self, offset: int | None, reason: str, excerpt: str | bytes = "") -> None:
        if isinstance(excerpt, bytes):
            excerpt = excerpt[: EXCERPT_CHARS * 4].decode("utf-8", "replace")
        self.quarantined.append(
            {
                "record_id": content_hash(self.source, offset, reason),
                "source": self.source,
                "source_offset": offset,
                "format": self.format,
                "reason": reason,
                "excerpt": excerpt[:EXCERPT_CHARS],
            }
        )

    def pass_over(self, what: str, count: int = 1) -> None:
        """Count valid records that are not for this table (a 4688 in a Security log, an image in a
        WARC): neither rows nor quarantine, but the run says how many there were."""
        if count > 0:
            self.passed_over[what] += count

    def advance(self, nbytes: int) -> None:
        self.on_progress(nbytes)


class RowBuffer:
    """Collects dict rows and hands them out as tables of a schema, a batch at a time."""

    def __init__(self, schema: pa.Schema, batch_rows: int = 5_000) -> None:
        self.schema = schema
        self.batch_rows = batch_rows
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> pa.Table | None:
        self.rows.append(row)
        return self.flush() if len(self.rows) >= self.batch_rows else None

    def flush(self) -> pa.Table | None:
        if not self.rows:
            return None
        table = pa.Table.from_pylist(self.rows, schema=self.schema)
        self.rows = []
        return table
