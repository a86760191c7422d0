"""The detector API: a decorated pure function from Ibis tables to a table of findings.

```python
@detector(
    id="signin.password_spray",
    title="Password spray from one source",
    inputs=["signins"],
    severity="high",
    techniques=["T1110.003"],
    entities={"src_ip": "ipv4-addr:actor-infrastructure", "users": "user-account:target"},
    explain=lambda r: f"{len(r['users'])} accounts were tried from {r['src_ip']}",
)
def password_spray(t, window="1h", min_users=10):
    '''One source fails against many accounts, a few tries each, inside one window.'''
    ...  # an Ibis expression over t.signins

CASES = [Case("loud spray", expect=1, rows={"signins": [...]}), Case("office NAT", expect=0, ...)]
```

The returned table has one row per finding with these columns:

- ``first_seen``, ``last_seen``: timestamps of the activity;
- ``evidence``: an array of record ids of the first input table, or ``"table:record_id"`` strings;
- one column per key of ``entities`` (a value or an array of values). An entity spec is
  ``"kind"`` or ``"kind:role"``; ``{column}`` as the kind reads it from that column of the row.
  Roles: actor-infrastructure, target, victim, evidence (the default);
- optional ``summary``, ``severity``, ``confidence`` (0..1) and ``key`` (what identifies the finding
  across runs; by default its entities and ``first_seen``); every other column goes to ``details``.

Keyword defaults are the detector's settings; ``[detectors."ID"]`` in vigil.toml overrides them.
One file holds one detector and its ``CASES`` (positive and negative), run on every engine by
``tests/detectors/test_cases.py``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vigil.errors import VigilError
from vigil.schema import TABLES

SEVERITIES = ("info", "low", "medium", "high", "critical")
ROLES = ("actor-infrastructure", "target", "victim", "evidence")
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

Explain = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class EntitySpec:
    column: str
    kind: str  # a STIX-like kind, or "{column}" to read it from the row
    role: str

    @classmethod
    def parse(cls, column: str, spec: str) -> EntitySpec:
        kind, _, role = spec.partition(":")
        role = role or "evidence"
        if role not in ROLES:
            raise ValueError(f"entity {column!r}: role {role!r} is not one of {ROLES}")
        return cls(column, kind, role)

    def kind_of(self, row: Mapping[str, Any]) -> str:
        if self.kind.startswith("{") and self.kind.endswith("}"):
            return str(row[self.kind[1:-1]])
        return self.kind


@dataclass(frozen=True)
class Case:
    """A small input and what the detector must make of it."""

    name: str
    rows: Mapping[str, Sequence[Mapping[str, Any]]]
    expect: int  # number of findings
    contains: Mapping[str, str] = field(default_factory=dict)  # entity value -> role it must have
    params: Mapping[str, Any] = field(default_factory=dict)
    protected: str = ""  # vigil.toml text declaring protected assets
    severity: str | None = None  # the severity every finding must have, when set


@dataclass(frozen=True)
class Detector:
    id: str
    title: str
    inputs: tuple[str, ...]
    severity: str
    techniques: tuple[str, ...]
    entities: tuple[EntitySpec, ...]
    func: Callable[..., Any]
    explain: Explain | None = None
    confidence: float = 0.7

    @property
    def description(self) -> str:
        return inspect.getdoc(self.func) or ""

    @property
    def params(self) -> dict[str, Any]:
        sig = inspect.signature(self.func)
        return {n: p.default for n, p in list(sig.parameters.items())[1:] if p.default is not p.empty}

    @property
    def cases(self) -> list[Case]:
        return list(getattr(sys.modules[self.func.__module__], "CASES", []))

    def settings(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The keyword arguments for a run: defaults, then overrides (unknown names are an error)."""
        values = self.params
        for name, value in (overrides or {}).items():
            if name == "enabled":
                continue
            if name not in values:
                raise VigilError(
                    f"detector {self.id}: unknown setting {name!r} (settings: {', '.join(values)})"
                )
            values[name] = value
        return values

    def __call__(self, tables: Any, **kwargs: Any) -> Any:
        return self.func(tables, **kwargs)


_REGISTRY: dict[str, Detector] = {}


def detector(
    *,
    id: str,
    title: str,
    inputs: Sequence[str],
    severity: str,
    techniques: Sequence[str] = (),
    entities: Mapping[str, str],
    explain: Explain | None = None,
    confidence: float = 0.7,
) -> Callable[[Callable[..., Any]], Detector]:
    """Register a detector. A duplicate id, an unknown input table or severity is an error."""
    if not _ID.match(id):
        raise ValueError(f"detector id {id!r} must look like 'group.name' (lower case)")
    if severity not in SEVERITIES:
        raise ValueError(f"detector {id}: severity {severity!r} is not one of {SEVERITIES}")
    for name in inputs:
        if name not in TABLES:
            raise ValueError(f"detector {id}: unknown input table {name!r}")

    def register(func: Callable[..., Any]) -> Detector:
        if id in _REGISTRY and _origin(_REGISTRY[id].func) != _origin(func):
            raise ValueError(f"duplicate detector id {id!r}")
        det = Detector(
            id=id,
            title=title,
            inputs=tuple(inputs),
            severity=severity,
            techniques=tuple(techniques),
            entities=tuple(EntitySpec.parse(c, s) for c, s in entities.items()),
            func=func,
            explain=explain,
            confidence=confidence,
        )
        _REGISTRY[id] = det
        return det

    return register


def _origin(func: Callable[..., Any]) -> tuple[str, str]:
    return func.__module__, func.__qualname__


def registry() -> dict[str, Detector]:
    """Every detector, importing each module of ``vigil.detectors`` once so that they register."""
    import vigil.detectors as package

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    return dict(sorted(_REGISTRY.items()))


def get_detector(detector_id: str) -> Detector:
    found = registry().get(detector_id)
    if found is None:
        raise VigilError(f"no detector {detector_id!r} (see `vigil detectors list`)")
    return found
