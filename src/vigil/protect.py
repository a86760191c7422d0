"""Protected assets: the people, organizations, brands and social accounts the user defends.

They live in ``vigil.toml`` as arrays of tables (``[[people]]``, ``[[organizations]]``, ``[[brands]]``,
``[[social_accounts]]``). ``import_file`` appends a JSON or CSV list of them to that file, so the TOML
stays the one place where they are declared. ``to_rows`` flattens them into the ``protected`` table
that detectors join against.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

import tomli_w

from vigil.errors import VigilError

PRIORITIES = ("low", "normal", "high", "critical")
ORG_KINDS = ("campaign", "election-office", "party", "newsroom", "ngo", "government", "other")


def _strs(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


@dataclass(frozen=True)
class Person:
    section: ClassVar[str] = "people"
    name: str
    role: str = ""
    organization: str = ""
    emails: list[str] = field(default_factory=list)
    signins: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)  # "platform:handle"
    priority: str = "normal"


@dataclass(frozen=True)
class Organization:
    section: ClassVar[str] = "organizations"
    name: str
    kind: str = "other"
    domains: list[str] = field(default_factory=list)
    tenants: list[str] = field(default_factory=list)
    priority: str = "normal"


@dataclass(frozen=True)
class Brand:
    section: ClassVar[str] = "brands"
    name: str
    domains: list[str] = field(default_factory=list)
    priority: str = "normal"


@dataclass(frozen=True)
class SocialAccount:
    section: ClassVar[str] = "social_accounts"
    platform: str
    handle: str
    display_name: str = ""
    bio: str = ""
    avatar_hash: str = ""
    owner: str = ""
    priority: str = "normal"

    @property
    def name(self) -> str:
        return f"{self.platform}:{self.handle}"


Asset = Person | Organization | Brand | SocialAccount
ASSET_TYPES: dict[str, type[Asset]] = {
    "person": Person,
    "organization": Organization,
    "brand": Brand,
    "social_account": SocialAccount,
}
SECTIONS: dict[str, type[Asset]] = {cls.section: cls for cls in ASSET_TYPES.values()}
_TYPE_ALIASES: dict[str, type[Asset]] = {
    **ASSET_TYPES,
    **SECTIONS,
    "persons": Person,
    "org": Organization,
    "social": SocialAccount,
}
_LIST_FIELDS = {"emails", "signins", "handles", "domains", "tenants"}


def make_asset(type_name: str, data: Mapping[str, Any]) -> Asset:
    """Build one asset from loose data (TOML, JSON or a CSV row), checking what a person would get wrong."""
    cls = _TYPE_ALIASES.get(type_name.strip().lower().replace("-", "_"))
    if cls is None:
        raise VigilError(
            f"unknown protected asset type {type_name!r} (expected one of {', '.join(ASSET_TYPES)})"
        )
    names = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in names and value not in (None, ""):
            values[key] = _strs(value) if key in _LIST_FIELDS else str(value).strip()
    for f in fields(cls):
        if f.name in ("name", "platform", "handle") and not values.get(f.name):
            raise VigilError(f"protected {type_name} needs a {f.name!r}: {dict(data)!r}")
    priority = values.get("priority", "normal").lower()
    if priority not in PRIORITIES:
        raise VigilError(f"priority {priority!r} of {values.get('name', '?')!r} is not one of {PRIORITIES}")
    values["priority"] = priority
    if cls is Organization and values.get("kind", "other") not in ORG_KINDS:
        raise VigilError(f"organization kind {values['kind']!r} is not one of {ORG_KINDS}")
    for key in ("emails", "signins", "domains", "tenants"):
        if key in values:
            values[key] = [v.lower() for v in values[key]]
    return cls(**values)


@dataclass
class ProtectedAssets:
    assets: list[Asset] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ProtectedAssets:
        assets: list[Asset] = []
        for section in SECTIONS:
            for entry in config.get(section, []) or []:
                assets.append(make_asset(section, entry))
        return cls(assets)

    def of(self, kind: type[Asset]) -> list[Any]:
        return [a for a in self.assets if isinstance(a, kind)]

    def to_rows(self) -> list[dict[str, str]]:
        """Flatten into rows of the ``protected`` table (kind, value, owner, owner_kind, role, priority)."""
        rows: list[dict[str, str]] = []

        def add(kind: str, value: str, owner: str, owner_kind: str, role: str, priority: str) -> None:
            rows.append(
                {
                    "kind": kind,
                    "value": value,
                    "owner": owner,
                    "owner_kind": owner_kind,
                    "role": role,
                    "priority": priority,
                }
            )

        for p in self.of(Person):
            for v in p.emails:
                add("email-addr", v, p.name, "person", p.role, p.priority)
            for v in p.signins:
                add("user-account", v, p.name, "person", p.role, p.priority)
            for v in p.handles:
                add("social-account", v.lower(), p.name, "person", p.role, p.priority)
        for o in self.of(Organization):
            for v in o.domains:
                add("domain-name", v, o.name, "organization", o.kind, o.priority)
            for v in o.tenants:
                add("tenant", v, o.name, "organization", o.kind, o.priority)
        for b in self.of(Brand):
            for v in b.domains:
                add("domain-name", v, b.name, "brand", "brand", b.priority)
        for s in self.of(SocialAccount):
            add(
                "social-account",
                s.name.lower(),
                s.owner or s.display_name or s.handle,
                "social-account",
                "",
                s.priority,
            )
        return rows


def read_asset_file(path: Path) -> list[Asset]:
    """Read a JSON or CSV list of protected assets.

    JSON: either ``{"people": [...], "organizations": [...], ...}`` or a list of objects with a
    ``type`` key (person, organization, brand, social_account). CSV: a ``type`` column plus the
    fields of that type; list fields (emails, signins, handles, domains, tenants) split on ``;``.
    """
    if not path.is_file():
        raise VigilError(f"no such file: {path}")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise VigilError(f"{path}: not valid JSON ({exc})") from None
        items: Iterable[tuple[str, Mapping[str, Any]]]
        if isinstance(data, dict):
            items = [(section, e) for section in data for e in data[section]]
        elif isinstance(data, list):
            items = [(str(e.get("type", "")), e) for e in data]
        else:
            raise VigilError(f"{path}: expected a JSON object or list")
        return [make_asset(t, e) for t, e in items]
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "type" not in reader.fieldnames:
        raise VigilError(f"{path}: a CSV of protected assets needs a 'type' column")
    return [make_asset(row["type"], row) for row in reader]


def to_toml(assets: Iterable[Asset]) -> str:
    """TOML arrays of tables for the assets, to append to vigil.toml."""
    out: list[str] = []
    for asset in assets:
        data = {k: v for k, v in asdict(asset).items() if v not in ("", [])}
        out.append(tomli_w.dumps({asset.section: [data]}))
    return "\n".join(out)


def merge_new(existing: ProtectedAssets, new: Iterable[Asset]) -> tuple[list[Asset], int]:
    """The new assets not already declared (same type and name), and how many were skipped."""
    seen = {(type(a), a.name.lower()) for a in existing.assets}
    fresh: list[Asset] = []
    skipped = 0
    for a in new:
        key = (type(a), a.name.lower())
        if key in seen:
            skipped += 1
            continue
        seen.add(key)
        fresh.append(a)
    return fresh, skipped
