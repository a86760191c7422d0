"""Content-derived identifiers: the same thing always gets the same id."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable

# Namespace of vigil's own ids (findings); entity ids use STIX's SCO namespace (see entity_id).
VIGIL_NAMESPACE = uuid.UUID("6a1d3c5e-8f0b-4e2a-9c7d-1b2e3f4a5b6c")
STIX_SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")


def content_hash(*parts: object) -> str:
    """A short, stable hash of the parts (None and strings and numbers), for record ids."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(b"\x1f" if part is None else str(part).encode("utf-8", "surrogatepass") + b"\x1e")
    return h.hexdigest()


def bytes_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: SCO kinds whose STIX id is derived from their ``value`` alone.
_VALUE_KINDS = {"ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "mac-addr"}


def entity_id(kind: str, value: str) -> str:
    """Deterministic id of an entity, e.g. ``ipv4-addr--<uuid5>``.

    For SCOs identified by their value this is the id the stix2 library gives the same object
    (uuid5 of ``{"value": ...}`` in STIX's namespace); other kinds hash ``kind:value``."""
    if kind in _VALUE_KINDS:
        name = json.dumps({"value": value}, ensure_ascii=False, separators=(",", ":"))
    else:
        name = f"{kind}:{value}"
    return f"{kind}--{uuid.uuid5(STIX_SCO_NAMESPACE, name)}"


def finding_id(detector: str, key: Iterable[object]) -> str:
    """Deterministic id of a finding: the detector plus what identifies the event (entities, window)."""
    return f"finding--{uuid.uuid5(VIGIL_NAMESPACE, detector + '|' + '|'.join(map(str, key)))}"
