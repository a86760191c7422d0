"""Windows logon events: Security ``.evtx`` files (adapter ``evtx``) and their JSON conversions
(adapter ``windows-jsonl``).

Sign-ins are the logon and credential-validation events:

========  =====================================================  ===========================================
EventID   what                                                   result
========  =====================================================  ===========================================
4624      an account logged on                                   success
4625      an account failed to log on                            failure (``SubStatus``/``Status`` → reason)
4648      a logon with explicit credentials (runas, net use...)  success
4768      a Kerberos TGT was requested                           success if ``Status`` 0x0, else failure
4771      Kerberos pre-authentication failed                     failure
4776      the DC / SAM validated NTLM credentials                success if ``Status`` 0x0, else failure
========  =====================================================  ===========================================

Kerberos status 0x19 ("pre-authentication required") is ``interrupted``: more proof was asked for.

Every other event of the log (4688 process creation, 4720 account created, 1102 log cleared...) is valid
but not a sign-in: it is skipped and counted (``vigil.ingest.signins._common.skipped``), not quarantined.
A record is quarantined only when it cannot be parsed or a logon event has no time.

Conventions (the same for both adapters, so that an ``.evtx`` and its JSON give the same rows):

- ``user`` is the bare account name, lower-cased (``admmig``, ``fs01$``, or a UPN when the log has one).
  The domain is *not* prefixed because the same account is ``OFFSEC\\admmig`` in 4624, has the realm
  ``OFFSEC.LAN`` in 4768 and no domain at all in 4771 and 4776: a prefix would split one account into
  three users. The domain as logged goes to ``tenant`` (4771: the realm of ``krbtgt/REALM``) and
  ``user_display`` is ``DOMAIN\\name`` as logged. A 4625 whose account name is ``-`` keeps a null user
  (the attempt is still a failure from that address).
- For 4648, ``user`` is the account whose credentials were used (``TargetUserName``) and ``user_display``
  also names the subject that used them; ``src_ip`` is the event's network address, which for 4648 is
  the *server* the credentials were presented to.
- ``src_ip`` is ``IpAddress`` without the ``::ffff:`` prefix (``-`` is null); ``device`` is the client
  workstation (``WorkstationName``, 4776 ``Workstation``), else ``Computer``; ``application`` is the
  ``Computer`` that logged the event; ``protocol`` is the lower-cased authentication package
  (``ntlm``, ``kerberos``, ``negotiate``); ``client_app`` the logon process (``NtLmSsp``, ``User32``...) or,
  for 4648, the program; ``logon_type`` the ``LogonType`` number; ``is_legacy_auth`` is true for NTLM V1
  / LM; ``event_id`` is ``Computer:EventRecordID`` when the record number is known.

python-evtx renders a record to XML at about 250 records/s; this module instead reads each template
once per file and then, per record, only the substitution values it needs (EventID first, the rest only
for logon events): tens of times faster. Records the fast path cannot read go through the XML
renderer; records neither can read are quarantined with their index.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from vigil.ingest.base import ReadContext, RowBuffer, adapter
from vigil.ingest.limits import MAX_JSON_RECORD_BYTES, ParseTimeout, deadline
from vigil.ingest.signins._common import (
    clean,
    finish_row,
    note_skipped,
    parse_time,
)
from vigil.schema import SIGNINS

LOGON_EVENTS = (4624, 4625, 4648, 4768, 4771, 4776)

#: What a reader gets out of one event: (EventID, time, Computer, EventRecordID, EventData).
_Fields = tuple[int, object, str | None, object, Mapping[str, Any]]

#: NTSTATUS codes of 4625 (Status / SubStatus) and 4776 (Error Code).
NTSTATUS = {
    "0xc0000064": "no such user",
    "0xc000006a": "bad password",
    "0xc000006d": "bad user name or password",
    "0xc000006e": "account restriction",
    "0xc000006f": "outside allowed logon hours",
    "0xc0000070": "workstation restriction",
    "0xc0000071": "password expired",
    "0xc0000072": "account disabled",
    "0xc00000dc": "server in wrong state",
    "0xc0000133": "clock skew with the domain controller",
    "0xc000015b": "logon type not granted",
    "0xc000018c": "trust relationship failed",
    "0xc0000192": "netlogon service not started",
    "0xc0000193": "account expired",
    "0xc0000224": "password must change",
    "0xc0000225": "windows error",
    "0xc0000234": "account locked out",
    "0xc00002ee": "logon failed",
    "0xc0000371": "local account store has no secret",
    "0xc0000413": "authentication firewall",
    "0xc000005e": "no logon servers",
    "0xc0000062": "invalid account name",
}

#: Kerberos error codes of 4768 / 4771 (Status).
KERBEROS = {
    "0x6": "no such user",  # KDC_ERR_C_PRINCIPAL_UNKNOWN
    "0x7": "unknown service",
    "0xc": "policy restriction",
    "0xe": "encryption type not supported",
    "0x12": "account disabled, expired or locked out",  # KDC_ERR_CLIENT_REVOKED
    "0x17": "password expired",
    "0x18": "bad password",  # KDC_ERR_PREAUTH_FAILED
    "0x19": "pre-authentication required",
    "0x1f": "integrity check failed",
    "0x20": "ticket expired",
    "0x25": "clock skew",
    "0x10": "smart card logon not supported",  # KDC_ERR_PADATA_TYPE_NOSUPP
    "0x3c": "generic error",
}

_LEGACY_LM = ("NTLM V1", "LM")


# -- the mapping, shared by both adapters ---------------------------------------------------------


def logon_row(
    event_id: int,
    time: datetime | None,
    computer: str | None,
    record_number: str | None,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """The sign-in row of one logon event (``event_id`` in ``LOGON_EVENTS``); ``data`` is its EventData."""

    def get(name: str) -> str | None:
        return clean(data.get(name))

    computer = clean(computer)
    name, domain = _account(get("TargetUserName"), get("TargetDomainName"))
    result: str | None = "success"
    code: str | None = None
    reason: str | None = None
    protocol = (get("AuthenticationPackageName") or "").lower() or None
    client_app = get("LogonProcessName")
    device = get("WorkstationName")
    display = f"{domain}\\{name}" if domain and name else name
    if event_id == 4625:
        result = "failure"
        status, sub = _ntstatus(get("Status")), _ntstatus(get("SubStatus"))
        code = sub if sub and sub != "0x00000000" else status
        reason = NTSTATUS.get(code or "") or code
    elif event_id == 4648:
        protocol = None
        client_app = _basename(get("ProcessName"))
        subject, subject_domain = _account(get("SubjectUserName"), get("SubjectDomainName"))
        if subject:
            by = f"{subject_domain}\\{subject}" if subject_domain else subject
            display = f"{display} (used by {by})" if display else f"(used by {by})"
    elif event_id in (4768, 4771):
        protocol = "kerberos"
        code = _kerberos(get("Status"))
        if code == "0x19":  # pre-authentication required: more proof asked for, as Entra's interrupts
            result, reason = "interrupted", KERBEROS[code]
        elif event_id == 4771 or (code is not None and code != "0x0"):
            result = "failure"
            reason = KERBEROS.get(code or "") or code
        else:
            code = None
        if domain is None:
            service = get("ServiceName") or ""
            domain = service.split("/", 1)[1] if service.lower().startswith("krbtgt/") else None
    elif event_id == 4776:
        protocol = "ntlm"
        device = get("Workstation")
        code = _ntstatus(get("Status"))
        if code is not None and code != "0x00000000":
            result = "failure"
            reason = NTSTATUS.get(code) or code
        else:
            code = None
    lm = get("LmPackageName")
    return {
        "format": "windows",
        "event_id": f"{computer or ''}:{record_number}" if record_number else None,
        "event_type": str(event_id),
        "time": time,
        "user": name.lower() if name else None,
        "user_display": display,
        "result": result,
        "failure_reason": reason,
        "error_code": code,
        "src_ip": _ip(get("IpAddress")),
        "country": None,
        "city": None,
        "latitude": None,
        "longitude": None,
        "asn": None,
        "user_agent": None,
        "client_app": client_app,
        "protocol": protocol,
        "is_legacy_auth": (lm in _LEGACY_LM) if lm else None,
        "mfa_detail": None,
        "application": computer,
        "tenant": domain,
        "device": (device or "").lstrip("\\") or computer,
        "logon_type": get("LogonType"),
    }


def _account(name: str | None, domain: str | None) -> tuple[str | None, str | None]:
    """(name, domain) with ``DOMAIN\\name`` split, and ``.``/``-``/empty domains dropped."""
    if name and "\\" in name:
        domain, name = name.split("\\", 1)
    domain = None if domain in (None, ".", "-", "") else domain
    return (name or None), domain


def _ntstatus(value: str | None) -> str | None:
    number = _hex(value)
    return None if number is None else f"0x{number:08x}"


def _kerberos(value: str | None) -> str | None:
    number = _hex(value)
    return None if number is None else f"0x{number:x}"


def _hex(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value, 16) if value.lower().startswith("0x") else int(value)
    except ValueError:
        return None


def _ip(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower().startswith("::ffff:") and "." in value:
        value = value[7:]
    return value or None


def _basename(path: str | None) -> str | None:
    return path.replace("/", "\\").rsplit("\\", 1)[-1] or None if path else None


class _Rows:
    """Turns (index, EventID, time, computer, record number, data) into batches, skipping non-logons."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.buffer = RowBuffer(SIGNINS)

    def add(
        self,
        index: int,
        event_id: int,
        time: object,
        computer: str | None,
        record_number: object,
        data: Mapping[str, Any],
        raw: object,
    ) -> pa.Table | None:
        if event_id not in LOGON_EVENTS:
            note_skipped(self.ctx, f"windows:{event_id}")
            return None
        when = parse_time(time)
        if when is None:
            self.ctx.quarantine(index, f"event {event_id} without a valid time", _excerpt(raw))
            return None
        row = logon_row(event_id, when, computer, clean(record_number), data)
        return self.buffer.add(finish_row(row, self.ctx, index))


def _excerpt(raw: object) -> str:
    if isinstance(raw, bytes):
        return raw[:600].decode("utf-8", "replace")
    if isinstance(raw, str):
        return raw[:600]
    return orjson.dumps(raw, default=str)[:600].decode("utf-8", "replace")


# -- windows-jsonl ----------------------------------------------------------------------------------


def sniff_jsonl(path: Path, head: bytes) -> bool:
    if b'"winlog"' in head and b'"event_id"' in head:
        return True
    if b'"EventID"' not in head:
        return False
    markers = (b'"EventData"', b'"ExtraEventData"', b'"EventRecordID"', b'"TargetUserName"', b'"System"')
    return any(m in head for m in markers)


@adapter(
    "windows-jsonl",
    table="signins",
    sniff=sniff_jsonl,
    description="Windows Security logon events as JSON lines (flattened EVTX, evtx_dump, winlogbeat, NXLog)",
)
def read_windows_jsonl(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    rows = _Rows(ctx)
    with path.open("rb") as f:
        for index, line in enumerate(f):
            ctx.advance(len(line))
            if not line.strip():
                continue
            if len(line) > MAX_JSON_RECORD_BYTES:
                ctx.quarantine(index, f"record larger than {MAX_JSON_RECORD_BYTES} bytes", line[:300])
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                ctx.quarantine(index, f"invalid JSON: {exc}", line)
                continue
            fields = _json_event(record)
            if fields is None:
                ctx.quarantine(index, "not a Windows event (no EventID)", line)
                continue
            table = rows.add(index, *fields, raw=line)
            if table is not None:
                yield table
    table = rows.buffer.flush()
    if table is not None:
        yield table


def _json_event(record: Any) -> _Fields | None:
    """(EventID, time, computer, record number, data) of the JSON shapes of a Windows event."""
    if not isinstance(record, dict):
        return None
    winlog = record.get("winlog")
    if isinstance(winlog, dict):  # winlogbeat / Elastic Common Schema
        event_id = _int(winlog.get("event_id"))
        if event_id is None:
            return None
        event = record.get("event")
        time = record.get("@timestamp") or (event.get("created") if isinstance(event, dict) else None)
        data = _event_data(winlog.get("event_data"))
        return event_id, time, clean(winlog.get("computer_name")), winlog.get("record_id"), data
    event = record.get("Event")
    if isinstance(event, dict) and isinstance(event.get("System"), dict):  # evtx_dump / xmltodict
        system = event["System"]
        event_id = _int(_text(system.get("EventID")))
        if event_id is None:
            return None
        created = system.get("TimeCreated")
        time = _attribute(created, "SystemTime") if isinstance(created, dict) else created
        data = _event_data(event.get("EventData")) or _user_data(event.get("UserData"))
        return event_id, time, _text(system.get("Computer")), _text(system.get("EventRecordID")), data
    event_id = _int(_text(record.get("EventID")))
    if event_id is None:
        return None
    time = record.get("TimeCreated") or record.get("EventTime") or record.get("TimeGenerated")
    if isinstance(time, dict):
        time = _attribute(time, "SystemTime")
    for key in ("EventData", "ExtraEventData"):
        data = _event_data(record.get(key))
        if data:
            break
    else:
        data = record  # NXLog and others put the event's fields at the top level
    computer = record.get("Computer") or record.get("Hostname")
    number = record.get("EventRecordID") or record.get("RecordNumber")
    return event_id, time, clean(computer), number, data


def _event_data(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {}
    items = value.get("Data")
    if isinstance(items, list) and all(isinstance(i, dict) for i in items):  # xmltodict: [{"@Name", "#text"}]
        return {i.get("@Name") or i.get("Name"): i.get("#text") for i in items}
    return value


def _user_data(value: Any) -> dict[str, Any]:
    if isinstance(value, dict) and len(value) == 1:
        inner = next(iter(value.values()))
        if isinstance(inner, dict):
            return inner
    return {}


def _text(value: Any) -> Any:
    return value.get("#text", value.get("$")) if isinstance(value, dict) else value


def _attribute(node: dict[str, Any], name: str) -> Any:
    attributes = node.get("#attributes")
    if isinstance(attributes, dict) and name in attributes:
        return attributes[name]
    return node.get(f"@{name}", node.get(name))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# -- evtx -----------------------------------------------------------------------------------------

EVTX_MAGIC = b"ElfFile\x00"
_CHUNK_MAGIC = b"ElfChnk\x00"
_HEADER_SIZE = 0x1000
_CHUNK_SIZE = 0x10000
_RECORD_MAGIC = 0x2A2A
_SYSTEM_FIELDS = ("EventID", "EventRecordID", "Computer", "Channel")
#: The EventData values ``logon_row`` reads; the others are not decoded.
_DATA_FIELDS = frozenset(
    (
        "TargetUserName",
        "TargetDomainName",
        "SubjectUserName",
        "SubjectDomainName",
        "Status",
        "SubStatus",
        "LogonType",
        "LogonProcessName",
        "AuthenticationPackageName",
        "WorkstationName",
        "Workstation",
        "IpAddress",
        "LmPackageName",
        "ProcessName",
        "ServiceName",
    )
)
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def sniff_evtx(path: Path, head: bytes) -> bool:
    return head.startswith(EVTX_MAGIC)


@adapter("evtx", table="signins", sniff=sniff_evtx, description="Windows Security event log (.evtx), logons")
def read_evtx(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    """Every chunk of the file in order (not only the ``chunk_count`` of a header that a live or dirty
    log may not have updated), every record of a chunk up to its free-space offset."""
    from Evtx.Evtx import ChunkHeader  # imported here: only .evtx files need python-evtx

    size = path.stat().st_size
    with path.open("rb") as f:
        if f.read(8) != EVTX_MAGIC:
            ctx.quarantine(0, "not an EVTX file (bad magic)")
            return
        if size < _HEADER_SIZE + _CHUNK_SIZE:
            ctx.quarantine(0, f"EVTX file of {size} bytes holds no complete chunk")
            return
        rows = _Rows(ctx)
        reader = _EvtxFields()
        index = 0  # of the record in the file, counting every record read
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            for start in range(_HEADER_SIZE, size - _CHUNK_SIZE + 1, _CHUNK_SIZE):
                ctx.advance(_CHUNK_SIZE)
                if buf[start : start + 8] != _CHUNK_MAGIC:
                    if any(buf[start : start + 0x200]):  # an unused chunk is all zeros
                        ctx.quarantine(index, f"corrupt chunk at byte {start}: bad magic")
                    continue
                chunk = ChunkHeader(buf, start)
                (free,) = struct.unpack_from("<I", buf, start + 0x30)  # next_record_offset
                end = start + min(max(free, 0x200), _CHUNK_SIZE)
                pos = start + 0x200
                while pos + 0x1C <= end:
                    magic_number, length, number = struct.unpack_from("<IIQ", buf, pos)
                    if magic_number != _RECORD_MAGIC or length < 0x1C or pos + length > end:
                        ctx.quarantine(index, f"corrupt record at byte {pos}: rest of the chunk skipped")
                        break
                    fields: _Fields | None
                    try:
                        fields = reader.read(buf, chunk, pos)
                    except Exception:
                        fields = _slow_fields(buf, chunk, pos, index, ctx)
                    if fields is not None:
                        table = rows.add(index, *fields, raw=f"record {number} at byte {pos}")
                        if table is not None:
                            yield table
                    index += 1
                    pos += length
            tail = (size - _HEADER_SIZE) % _CHUNK_SIZE
            if tail and any(buf[size - tail : size]):
                ctx.quarantine(index, f"file ends inside a chunk: its last {tail} bytes were not read")
    table = rows.buffer.flush()
    if table is not None:
        yield table


_Source = tuple[int, str | None]  # (substitution index, None) or (-1, literal text)


class _Template:
    """Where a template puts the System fields and each EventData value: a substitution or a literal."""

    def __init__(self) -> None:
        self.system: dict[str, list[_Source]] = {}
        self.data: dict[str, list[_Source]] = {}
        self.nested: list[int] = []  # substitutions that may hold a nested binary XML (EventData)
        self.time: list[_Source] | None = None
        self.wanted_system: list[tuple[str, list[_Source]]] = []
        self.wanted_data: list[tuple[str, list[_Source]]] = []

    def plan(self) -> None:
        """What a logon row needs of this template, so that nothing else is decoded."""
        self.wanted_system = [(n, s) for n, s in self.system.items() if n in ("Computer", "EventRecordID")]
        self.wanted_data = [(n, s) for n, s in self.data.items() if n in _DATA_FIELDS]


class _EvtxFields:
    """Reads EventID, time, computer, record number and EventData of a record without rendering XML.

    A record is a template instance plus an array of substitution values. The template (shared by
    every record of the same event type in a chunk) is walked once to learn which value is which; a
    record then costs a few ``struct`` reads.
    """

    def __init__(self) -> None:
        # By the template's GUID and length: Windows derives the GUID from the template's content, so a
        # template is walked once per file rather than once per chunk (its offsets differ by chunk).
        self.templates: dict[bytes, _Template] = {}

    def read(self, buf: Any, chunk: Any, record: int) -> _Fields:
        parts = [self._open(buf, chunk, record + 0x18)]
        expanded = False
        event_id = _int(parts[0][1].text(parts[0][0].system.get("EventID", [])))
        if event_id is None:  # EventID in a nested fragment: unusual, but legal
            parts, expanded = self._expand(buf, chunk, parts), True
            ids = (_int(v.text(t.system["EventID"])) for t, v in parts if "EventID" in t.system)
            event_id = next(ids, None)
            if event_id is None:
                raise ValueError("no EventID")
        if event_id not in LOGON_EVENTS:  # most of a Security log: nothing else is decoded
            return event_id, None, None, None, {}
        if not expanded:
            parts = self._expand(buf, chunk, parts)
        system: dict[str, Any] = {}
        data: dict[str, Any] = {}
        time: object = None
        for tpl, vals in parts:
            for name, sources in tpl.wanted_system:
                if system.get(name) is None:
                    system[name] = vals.text(sources)
            for name, sources in tpl.wanted_data:
                if name not in data:
                    data[name] = vals.text(sources)
            if tpl.time is not None and time is None:
                time = vals.time(tpl.time)
        if time is None:  # the record header's own timestamp
            time = _filetime(struct.unpack_from("<Q", buf, record + 0x10)[0])
        return event_id, time, system.get("Computer"), system.get("EventRecordID"), data

    def _expand(self, buf: Any, chunk: Any, parts: list[_Part]) -> list[_Part]:
        """The parts with every nested binary XML fragment (EventData, UserData) opened, recursively."""
        out = list(parts)
        for tpl, vals in out:  # grows while iterating: nested fragments may nest again
            if len(out) > 64:
                raise ValueError("binary XML nested too deep")
            out.extend(self._open(buf, chunk, vals.offsets[i]) for i in tpl.nested if vals.type(i) == 0x21)
        return out

    def _open(self, buf: Any, chunk: Any, root: int) -> tuple[_Template, _Values]:
        """The template and substitution values of the binary XML fragment at ``root``."""
        from Evtx import Nodes

        chunk_start = chunk.offset()
        pos = root + 4 if buf[root] & 0x0F == 0x0F else root  # fragment header
        if buf[pos] & 0x0F != 0x0C:
            raise ValueError("no template instance")
        (template_offset,) = struct.unpack_from("<I", buf, pos + 6)
        resident = template_offset > pos - chunk_start
        pos += 10
        if resident:  # the template's definition follows the instance
            (length,) = struct.unpack_from("<I", buf, chunk_start + template_offset + 0x14)
            pos += 0x18 + length
        key = bytes(buf[chunk_start + template_offset + 4 : chunk_start + template_offset + 0x18])
        template = self.templates.get(key)
        if template is None:
            if len(self.templates) > 4096:
                self.templates.clear()
            template = _Template()
            _walk(Nodes.TemplateNode(buf, chunk_start + template_offset, chunk, None), (), template)
            template.plan()
            self.templates[key] = template
        return template, _Values(buf, chunk, pos)


_Part = tuple[_Template, "_Values"]


class _Values:
    """The substitution array of one fragment, decoded only when asked for."""

    def __init__(self, buf: Any, chunk: Any, start: int) -> None:
        self.buf = buf
        self.chunk = chunk
        (count,) = struct.unpack_from("<I", buf, start)
        if count > 1024:
            raise ValueError(f"implausible substitution count {count}")
        first = start + 4 + 4 * count
        self.decls = list(struct.iter_unpack("<HBx", buf[start + 4 : first]))
        self.offsets = list(accumulate((size for size, _ in self.decls), initial=first))

    def type(self, index: int) -> int | None:
        return self.decls[index][1] if index < len(self.decls) else None

    def text(self, sources: list[_Source]) -> str | None:
        if len(sources) == 1:  # the usual element: one substitution
            index, literal = sources[0]
            if index < 0:
                return literal
            return self._string(index) if index < len(self.decls) else None
        parts = []
        for index, literal in sources:
            if index < 0:
                parts.append(literal or "")
            elif index < len(self.decls):
                value = self._string(index)
                if value is not None:
                    parts.append(value)
        return "".join(parts) if parts else None

    def _string(self, index: int) -> str | None:
        size, kind = self.decls[index]
        ofs = self.offsets[index]
        buf = self.buf
        if kind in (0x00, 0x21) or size == 0:  # null, or nested XML (not text)
            return None
        if kind == 0x01:  # UTF-16 string, the common case
            return buf[ofs : ofs + size].decode("utf-16-le", "replace").rstrip("\x00")
        if kind in _INTEGERS:
            return str(struct.unpack_from(_INTEGERS[kind], buf, ofs)[0])
        if kind == 0x14:  # HEX32, formatted as python-evtx does
            return f"0x{struct.unpack_from('<I', buf, ofs)[0]:08x}"
        if kind == 0x15:  # HEX64
            return f"0x{struct.unpack_from('<Q', buf, ofs)[0]:016x}"
        from Evtx.Nodes import get_variant_value

        return str(get_variant_value(buf, ofs, self.chunk, None, kind, length=size).string())

    def time(self, sources: list[_Source]) -> object:
        for index, literal in sources:
            if index < 0:
                return literal
            if index < len(self.decls) and self.decls[index][1] == 0x11:  # FILETIME
                return _filetime(struct.unpack_from("<Q", self.buf, self.offsets[index])[0])
            return self.text([(index, None)])
        return None


_INTEGERS = {0x03: "<b", 0x04: "<B", 0x05: "<h", 0x06: "<H", 0x07: "<i", 0x08: "<I", 0x09: "<q", 0x0A: "<Q"}


def _filetime(value: int) -> datetime | None:
    """A FILETIME (100 ns ticks since 1601) as a UTC datetime, exactly (no float rounding)."""
    if value <= 0:
        return None
    try:
        return _FILETIME_EPOCH + timedelta(microseconds=value // 10)
    except OverflowError:
        return None


def _walk(node: Any, path: tuple[str, ...], out: _Template) -> None:
    from Evtx import Nodes

    for child in node.children():
        if not isinstance(child, Nodes.OpenStartElementNode):
            continue
        name = child.tag_name()
        attributes: dict[str, Any] = {}
        content: list[_Source] = []
        elements = False
        for item in child.children():
            if isinstance(item, Nodes.AttributeNode):
                attributes[item.attribute_name().string()] = item.attribute_value()
            elif isinstance(item, Nodes.NormalSubstitutionNode | Nodes.ConditionalSubstitutionNode):
                content.append((item.index(), None))
            elif isinstance(item, Nodes.ValueNode):
                content.append((-1, item.children()[0].string()))
            elif isinstance(item, Nodes.OpenStartElementNode):
                elements = True
        if "System" in path and name in _SYSTEM_FIELDS:
            out.system[name] = content
        elif "System" in path and name == "TimeCreated" and "SystemTime" in attributes:
            out.time = [_source(attributes["SystemTime"])]
        elif name == "Data" and isinstance(attributes.get("Name"), Nodes.ValueNode):
            out.data[attributes["Name"].children()[0].string()] = content
        elif "UserData" in path and not elements and content:
            out.data[name] = content
        else:
            out.nested.extend(i for i, _ in content if i >= 0)
        if elements:
            _walk(child, (*path, name), out)


def _source(value: Any) -> _Source:
    from Evtx import Nodes

    if isinstance(value, Nodes.ValueNode):
        return (-1, value.children()[0].string())
    return (value.index(), None)


def _slow_fields(buf: Any, chunk: Any, offset: int, index: int, ctx: ReadContext) -> _Fields | None:
    """python-evtx's XML rendering, for the records the template reader could not take."""
    from xml.etree import ElementTree

    from Evtx.Evtx import Record

    try:
        with deadline():
            xml = Record(buf, offset, chunk).xml()
            root = ElementTree.fromstring(xml)  # generated from the binary template: no DTD, no entities
    except (ParseTimeout, Exception) as exc:
        reason = f"unreadable EVTX record: {type(exc).__name__}: {exc}"
        ctx.quarantine(index, reason, f"record at byte {offset}")
        return None
    ns = {"e": "http://schemas.microsoft.com/win/2004/08/events/event"}
    event_id = _int(root.findtext("e:System/e:EventID", namespaces=ns))
    if event_id is None:
        ctx.quarantine(index, "EVTX record without EventID", xml[:600])
        return None
    created = root.find("e:System/e:TimeCreated", namespaces=ns)
    items = root.iterfind("e:EventData/e:Data", namespaces=ns)
    data: dict[str, Any] = {str(d.get("Name")): d.text for d in items if d.get("Name")}
    return (
        event_id,
        created.get("SystemTime") if created is not None else None,
        root.findtext("e:System/e:Computer", namespaces=ns),
        root.findtext("e:System/e:EventRecordID", namespaces=ns),
        data,
    )
