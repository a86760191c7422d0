"""Time as the identity detectors compare it, the same on every engine.

DuckDB's epoch has a fraction of a second and Spark's does not: whole seconds (rounded down) are compared,
as 64-bit integers. Days are UTC calendar days written ``YYYY-MM-DD``. Accounts are compared as the adapters
write them, lower-cased.
"""

from __future__ import annotations

import ibis.expr.types as ir


def epoch_seconds(time: ir.TimestampValue) -> ir.IntegerValue:
    """Whole seconds since 1970 (UTC)."""
    return time.epoch_seconds().cast("float64").floor().cast("int64")


def utc_day(time: ir.TimestampValue) -> ir.StringValue:
    """The UTC day, ``2024-09-14``."""
    return time.date().cast("string")
