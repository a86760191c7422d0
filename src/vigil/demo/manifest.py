"""What ``generate`` wrote and what it planted: the ground truth that detectors are checked against."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: The kinds of values listed under ``PlantedAttack.entities`` (STIX cyber-observable names where
#: there is one).
ENTITY_KINDS = (
    "email-addr",
    "domain-name",
    "url",
    "ipv4-addr",
    "user-account",
    "social-account",
    "message-id",
    "file",
    "tracker-id",
)


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PlantedAttack:
    """One planted attack (or, with ``negative=True``, one hard negative that must not be flagged).

    ``entities`` maps an entity kind (``ENTITY_KINDS``) to the values involved; ``targets`` are the
    protected people/accounts aimed at; ``records`` locates the evidence (a Message-ID, a sign-in id,
    a URL, a post id) in ``files``.
    """

    id: str
    kind: str
    title: str
    actor: str
    files: list[str]
    start: str
    end: str
    targets: list[str] = field(default_factory=list)
    entities: dict[str, list[str]] = field(default_factory=dict)
    records: list[str] = field(default_factory=list)
    techniques: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)  # what gives it away
    negative: bool = False
    details: dict[str, Any] = field(default_factory=dict)  # anything else an evaluator needs

    def add(self, kind: str, *values: str) -> None:
        if kind not in ENTITY_KINDS:
            raise ValueError(f"unknown entity kind {kind!r}")
        bucket = self.entities.setdefault(kind, [])
        for value in values:
            if value not in bucket:
                bucket.append(value)


@dataclass
class FileEntry:
    path: str  # relative to the output folder, with forward slashes
    format: str  # mbox, maildir, entra-jsonl, entra-graph-page, csv, certstream, warc, html, stix, ...
    records: int
    bytes: int
    sha256: str


@dataclass
class DemoManifest:
    seed: int
    scale: float
    out_dir: str
    files: list[FileEntry] = field(default_factory=list)
    attacks: list[PlantedAttack] = field(default_factory=list)
    negatives: list[PlantedAttack] = field(default_factory=list)
    #: The folders with the data, relative to ``out_dir``: ``ingest`` these (``truth.json`` and
    #: ``protected.toml`` beside them are for the evaluator and ``vigil.toml``, not for ingest).
    inputs: list[str] = field(default_factory=list)
    protected_toml: str = "protected.toml"
    truth_json: str = "truth.json"

    def attack(self, attack_id: str) -> PlantedAttack:
        for a in [*self.attacks, *self.negatives]:
            if a.id == attack_id:
                return a
        raise KeyError(attack_id)

    def input_paths(self) -> list[Path]:
        return [Path(self.out_dir) / p for p in self.inputs]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("out_dir")  # the same seed gives the same truth.json wherever it is written
        return data

    def dumps(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: Path) -> DemoManifest:
        """Read a ``truth.json`` back (``out_dir`` becomes its folder)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            seed=data["seed"],
            scale=data["scale"],
            out_dir=str(path.parent),
            files=[FileEntry(**f) for f in data["files"]],
            attacks=[PlantedAttack(**a) for a in data["attacks"]],
            negatives=[PlantedAttack(**a) for a in data["negatives"]],
            inputs=data["inputs"],
            protected_toml=data["protected_toml"],
            truth_json=data["truth_json"],
        )
