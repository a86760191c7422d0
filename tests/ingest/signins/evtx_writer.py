"""A small EVTX writer for tests: Security events laid out as Windows does (a System template whose
EventData is a nested binary-XML substitution with its own template), so that python-evtx and vigil's
template reader see what they see in real logs. Not a general writer: wstring, uint16/32/64, hex32 and
filetime values only; one template per (event id, field names) per chunk."""

from __future__ import annotations

import binascii
import hashlib
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

CHUNK = 0x10000
HEX32_FIELDS = ("Status", "SubStatus")
UINT32_FIELDS = ("LogonType",)


@dataclass
class Event:
    event_id: int
    time: datetime
    computer: str
    data: dict[str, str]
    channel: str = "Security"


def filetime(when: datetime) -> int:
    delta = when - datetime(1601, 1, 1, tzinfo=UTC)
    return (delta.days * 86400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


@dataclass
class _Chunk:
    body: bytearray = field(default_factory=bytearray)  # from chunk offset 0x200
    strings: dict[str, int] = field(default_factory=dict)  # name -> chunk offset
    string_buckets: dict[int, int] = field(default_factory=dict)  # bucket -> last string offset
    templates: dict[tuple[object, ...], int] = field(default_factory=dict)  # key -> chunk offset
    first: int = 0
    last: int = 0

    def here(self, extra: int = 0) -> int:
        return 0x200 + len(self.body) + extra


class _Fragment:
    """Builds the bytes of one binary-XML template body, tracking chunk offsets for inline names."""

    def __init__(self, chunk: _Chunk, start: int, new_strings: list[int]) -> None:
        self.chunk = chunk
        self.out = bytearray()
        self.start = start  # chunk offset where self.out will be placed
        self.new_strings = new_strings

    def _name(self, name: str, at: int) -> tuple[int, bytes]:
        """(offset of the name, inline bytes if it is defined here)."""
        known = self.chunk.strings.get(name)
        if known is not None:
            return known, b""
        self.chunk.strings[name] = at
        self.new_strings.append(at)
        encoded = name.encode("utf-16-le")
        return at, struct.pack("<IHH", 0, 0, len(name)) + encoded + b"\x00\x00"

    def open(self, name: str, attributes: list[tuple[str, bytes]] | None = None) -> None:
        pos = self.start + len(self.out)
        offset, inline = self._name(name, pos + 11)
        token = 0x41 if attributes else 0x01
        self.out += struct.pack("<BHII", token, 0xFFFF, 0, offset) + inline
        if attributes:
            self.out += struct.pack("<I", 0)  # attribute list size (not read)
            for i, (attr, value) in enumerate(attributes):
                more = i < len(attributes) - 1
                pos = self.start + len(self.out)
                offset, inline = self._name(attr, pos + 5)
                self.out += struct.pack("<BI", 0x46 if more else 0x06, offset) + inline + value

    def close_start(self) -> None:
        self.out += b"\x02"

    def close_empty(self) -> None:
        self.out += b"\x03"

    def end(self) -> None:
        self.out += b"\x04"

    def sub(self, index: int, kind: int) -> None:
        self.out += struct.pack("<BHB", 0x0D, index, kind)

    def element(self, name: str, index: int, kind: int) -> None:
        self.open(name)
        self.close_start()
        self.sub(index, kind)
        self.end()


def _literal(text: str) -> bytes:
    return struct.pack("<BBH", 0x05, 0x01, len(text)) + text.encode("utf-16-le")


def _wstring(text: str) -> bytes:
    return (text + "\x00").encode("utf-16-le")


class EvtxWriter:
    def __init__(self, records_per_chunk: int = 200) -> None:
        self.records_per_chunk = records_per_chunk
        self.chunks: list[_Chunk] = []
        self.number = 1

    def add(self, event: Event) -> None:
        if not self.chunks or (self.number - self.chunks[-1].first) >= self.records_per_chunk:
            self.chunks.append(_Chunk(first=self.number))
        chunk = self.chunks[-1]
        record_start = chunk.here()
        root = self._root(chunk, record_start + 0x18, event)
        size = 0x18 + len(root) + 4
        chunk.body += struct.pack("<IIQQ", 0x2A2A, size, self.number, filetime(event.time)) + root
        chunk.body += struct.pack("<I", size)
        chunk.last = self.number
        self.number += 1

    def _template(self, chunk: _Chunk, key: tuple[object, ...], at: int, build: object) -> tuple[int, bytes]:
        """(template offset, resident definition bytes or b"" when the chunk already has it)."""
        known = chunk.templates.get(key)
        if known is not None:
            return known, b""
        template_at = at + 10  # after the template instance token
        new_strings: list[int] = []
        fragment = _Fragment(chunk, template_at + 0x18, new_strings)
        fragment.out += b"\x0f\x01\x01\x00"
        build(fragment)  # type: ignore[operator]
        fragment.out += b"\x00"
        guid = hashlib.md5(repr(key).encode()).digest()  # Windows' GUIDs identify a template's content
        chunk.templates[key] = template_at
        return template_at, struct.pack("<I", 0) + guid + struct.pack("<I", len(fragment.out)) + fragment.out

    def _instance(self, chunk: _Chunk, at: int, key: tuple[object, ...], build: object) -> bytes:
        offset, definition = self._template(chunk, key, at + 4, build)
        return b"\x0f\x01\x01\x00" + struct.pack("<BBII", 0x0C, 0x01, 1, offset) + definition

    def _root(self, chunk: _Chunk, at: int, event: Event) -> bytes:
        def system(f: _Fragment) -> None:
            f.open("Event", [("xmlns", _literal("http://schemas.microsoft.com/win/2004/08/events/event"))])
            f.close_start()
            f.open("System")
            f.close_start()
            f.element("EventID", 0, 0x06)
            f.open("TimeCreated", [("SystemTime", struct.pack("<BHB", 0x0E, 1, 0x11))])
            f.close_empty()
            f.element("EventRecordID", 2, 0x0A)
            f.element("Channel", 3, 0x01)
            f.element("Computer", 4, 0x01)
            f.end()
            f.sub(5, 0x21)
            f.end()

        head = self._instance(chunk, at, ("system",), system)
        values_at = at + len(head)
        names = list(event.data)
        kinds = [self._kind(n) for n in names]

        def event_data(f: _Fragment) -> None:
            f.open("EventData")
            f.close_start()
            for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
                f.open("Data", [("Name", _literal(name))])
                f.close_start()
                f.sub(i, kind)
                f.end()
            f.end()

        # The substitution array of the outer fragment: its last value (the nested EventData) is
        # written after the fixed-size ones, so compute where it starts.
        fixed = [
            (0x06, struct.pack("<H", event.event_id)),
            (0x11, struct.pack("<Q", filetime(event.time))),
            (0x0A, struct.pack("<Q", self.number)),
            (0x01, _wstring(event.channel)),
            (0x01, _wstring(event.computer)),
        ]
        nested_at = values_at + 4 + 4 * (len(fixed) + 1) + sum(len(v) for _, v in fixed)
        inner_head = self._instance(
            chunk, nested_at, ("data", tuple(zip(names, kinds, strict=True))), event_data
        )
        inner_values = [self._value(kind, event.data[n]) for n, kind in zip(names, kinds, strict=True)]
        nested = inner_head + self._array(list(zip(kinds, inner_values, strict=True)))
        return head + self._array([*fixed, (0x21, nested)])

    @staticmethod
    def _array(values: list[tuple[int, bytes]]) -> bytes:
        decls = b"".join(struct.pack("<HBx", len(v), kind) for kind, v in values)
        return struct.pack("<I", len(values)) + decls + b"".join(v for _, v in values)

    @staticmethod
    def _kind(name: str) -> int:
        return 0x14 if name in HEX32_FIELDS else 0x08 if name in UINT32_FIELDS else 0x01

    @staticmethod
    def _value(kind: int, text: str) -> bytes:
        if kind == 0x14:
            return struct.pack("<I", int(text, 16))
        if kind == 0x08:
            return struct.pack("<I", int(text))
        return _wstring(text)

    def write(self, path: Path) -> Path:
        out = bytearray(0x1000)
        header = struct.pack(
            "<8sQQQIHHHH",
            b"ElfFile\x00",
            0,
            len(self.chunks) - 1,
            self.number,
            0x80,
            1,
            3,
            0x1000,
            len(self.chunks),
        )
        out[: len(header)] = header
        struct.pack_into("<I", out, 0x78, 0)  # flags
        struct.pack_into("<I", out, 0x7C, binascii.crc32(bytes(out[:0x78])) & 0xFFFFFFFF)
        for chunk in self.chunks:
            out += self._chunk_bytes(chunk)
        path.write_bytes(bytes(out))
        return path

    @staticmethod
    def _chunk_bytes(chunk: _Chunk) -> bytes:
        data = bytearray(CHUNK)
        body = bytes(chunk.body)
        assert 0x200 + len(body) <= CHUNK, "chunk overflow: use fewer records per chunk"
        data[0x200 : 0x200 + len(body)] = body
        end = 0x200 + len(body)
        struct.pack_into(
            "<8sQQQQIII",
            data,
            0,
            b"ElfChnk\x00",
            chunk.first,
            chunk.last,
            chunk.first,
            chunk.last,
            0x80,
            end,
            end,
        )
        for i, offset in enumerate(sorted(chunk.strings.values())):  # one string per bucket, then chained
            bucket = 0x80 + 4 * (i % 64)
            previous = struct.unpack_from("<I", data, bucket)[0]
            if previous:
                while struct.unpack_from("<I", data, previous)[0]:
                    previous = struct.unpack_from("<I", data, previous)[0]
                struct.pack_into("<I", data, previous, offset)
            else:
                struct.pack_into("<I", data, bucket, offset)
        for i, offset in enumerate(sorted(chunk.templates.values())[:32]):
            struct.pack_into("<I", data, 0x180 + 4 * i, offset)
        struct.pack_into("<I", data, 0x34, binascii.crc32(bytes(data[0x200:end])) & 0xFFFFFFFF)
        checked = bytes(data[:0x78]) + bytes(data[0x80:0x200])
        struct.pack_into("<I", data, 0x7C, binascii.crc32(checked) & 0xFFFFFFFF)
        return bytes(data)


def write_evtx(path: Path, events: list[Event], records_per_chunk: int = 200) -> Path:
    writer = EvtxWriter(records_per_chunk)
    for event in events:
        writer.add(event)
    return writer.write(path)
