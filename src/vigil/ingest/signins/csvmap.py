"""Sign-ins from a CSV file, with its columns mapped onto the ``signins`` table.

Exports come as CSV from many places: the Entra portal's "Download" of sign-ins (``Date (UTC)``,
``Username``, ``IP address``, ``Status``, ``Sign-in error code``...), Okta's System Log CSV
(``published``, ``actor.alternateId``, ``client.ipAddress``, ``outcome.result``...), SIEM searches, VPN
and webmail logs. Headers are matched case-insensitively and ignoring spaces and punctuation against
``CANDIDATES`` (``Date (UTC)`` is ``dateutc``); ``read_csv_signins(path, ctx, mapping)`` takes an explicit
``{"time": "When", "user": "Who", ...}`` that wins over the automatic choice.

Results: text such as Success / Failed / Denied / Interrupted / challenge is mapped to ``success`` /
``failure`` / ``interrupted``; a yes/no or true/false column (``success``) too; a code column
(``resultType``, ``Sign-in error code``) follows Entra: 0 is success, the interrupt codes interrupted,
other codes failure. Times are ISO 8601 (naive = UTC), epoch seconds/milliseconds, or US-style
``1/15/2024 10:30:45 AM`` (month first). A ``Location`` of "City, State, CC" (the Entra portal's) fills
``city`` and ``country`` when the file has no columns of their own. A file with no time or no user
column is quarantined whole, naming the columns it has; rows without a time or user are quarantined
one by one.

DuckDB reads the file (``all_varchar``); if it rejects the file (a row with the wrong number of fields),
Python's ``csv`` reads it instead, quarantines the bad rows with their index, and the same projection
runs over the good ones. ``source_offset`` is the 0-based data row (the header is not counted).
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from vigil.ingest.base import ReadContext, adapter
from vigil.ingest.jsonrecords import split_required
from vigil.ingest.limits import MAX_JSON_RECORD_BYTES
from vigil.ingest.signins._common import sql_time
from vigil.ingest.signins.entra import INTERRUPT_CODES, LEGACY_CLIENTS
from vigil.schema import SIGNINS
from vigil.workspace import registered

#: For each column of the table, the normalized header names that fill it, best first.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "time": (
        "time",
        "timestamp",
        "datetime",
        "dateutc",
        "datetimeutc",
        "date",
        "createddatetime",
        "timegenerated",
        "timegeneratedutc",
        "eventtime",
        "logintime",
        "signintime",
        "logontime",
        "published",
        "createdat",
        "created",
        "occurredat",
        "timecreated",
        "eventtimestamp",
        "when",
    ),
    "user": (
        "userprincipalname",
        "upn",
        "username",
        "user",
        "email",
        "emailaddress",
        "useremail",
        "login",
        "loginname",
        "account",
        "accountname",
        "actoralternateid",
        "actoremail",
        "targetusername",
        "principal",
        "principalname",
        "signinname",
        "samaccountname",
    ),
    "user_display": ("userdisplayname", "displayname", "fullname", "actordisplayname", "name", "user"),
    "result": (
        "result",
        "status",
        "outcome",
        "outcomeresult",
        "loginresult",
        "signinresult",
        "authresult",
        "authenticationresult",
        "resultstatus",
        "eventoutcome",
        "signinstatus",
        "success",
        "succeeded",
        "issuccess",
    ),
    "error_code": (
        "errorcode",
        "signinerrorcode",
        "resulttype",
        "statuscode",
        "failurecode",
        "reasoncode",
        "substatus",
    ),
    "failure_reason": (
        "failurereason",
        "reason",
        "outcomereason",
        "resultdescription",
        "errormessage",
        "failuremessage",
        "statusreason",
        "statusdetail",
    ),
    "src_ip": (
        "ip",
        "ipaddress",
        "srcip",
        "sourceip",
        "sourceipaddress",
        "clientip",
        "clientipaddress",
        "callerip",
        "calleripaddress",
        "remoteip",
        "remoteaddress",
        "ipaddr",
        "srcaddr",
        "ipv4",
    ),
    "country": (
        "country",
        "countrycode",
        "countryorregion",
        "geocountry",
        "locationcountry",
        "clientgeographicalcontextcountry",
    ),
    "city": ("city", "geocity", "locationcity", "clientgeographicalcontextcity"),
    "latitude": ("latitude", "lat", "geolat", "clientgeographicalcontextgeolocationlat"),
    "longitude": ("longitude", "lon", "lng", "long", "geolon", "clientgeographicalcontextgeolocationlon"),
    "asn": ("asn", "autonomoussystemnumber", "asnumber", "securitycontextasnumber"),
    "user_agent": ("useragent", "ua", "rawuseragent", "httpuseragent", "clientuseragentrawuseragent"),
    "client_app": ("clientapp", "clientappused", "clientapplication"),
    "protocol": (
        "protocol",
        "authenticationprotocol",
        "authprotocol",
        "authenticationpackage",
        "authenticationpackagename",
    ),
    "mfa_detail": (
        "mfadetail",
        "multifactorauthenticationauthmethod",
        "mfamethod",
        "authmethod",
        "authenticationmethod",
        "mfa",
        "authenticationrequirement",
    ),
    "application": (
        "application",
        "app",
        "appname",
        "appdisplayname",
        "applicationname",
        "service",
        "resource",
        "resourcedisplayname",
    ),
    "tenant": ("tenant", "tenantid", "resourcetenantid", "hometenantid", "domain", "organization"),
    "device": ("device", "devicename", "hostname", "workstation", "workstationname", "computer"),
    "logon_type": ("logontype",),
    "location": ("location", "geolocation"),  # "City, State, CC" (Entra portal): fills country and city
    "event_id": ("id", "requestid", "uuid", "recordid", "uniqueid", "signinid", "logid"),
    "event_type": ("eventtype", "eventname", "operationname", "operation", "activity", "type", "category"),
}
TIME_LIKE = frozenset(CANDIDATES["time"])
USER_LIKE = frozenset(CANDIDATES["user"])
#: Besides a time and a user, the sniffer wants an address, or a result in a file that is not posts:
#: a CSV of social posts has a time and a username too (and sometimes a "status").
IP_LIKE = frozenset(CANDIDATES["src_ip"])
RESULT_LIKE = frozenset(CANDIDATES["result"] + CANDIDATES["error_code"])
POST_LIKE = frozenset(
    (
        "text",
        "message",
        "post",
        "content",
        "tweet",
        "body",
        "messageid",
        "postid",
        "repostid",
        "retweetid",
        "tweetid",
        "inreplyto",
        "replyto",
        "hashtags",
        "likes",
        "shares",
    )
)
_BOOLEAN_RESULTS = ("success", "succeeded", "issuccess")
_CODE_COLUMNS = frozenset(CANDIDATES["error_code"])
_TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%b %d, %Y %I:%M:%S %p",
    "%d %b %Y %H:%M:%S",
)

_SUCCESS = (
    "success",
    "succeeded",
    "successful",
    "ok",
    "allow",
    "allowed",
    "pass",
    "passed",
    "granted",
    "accepted",
    "login_success",
    "logon success",
    "audit success",
    "true",
    "yes",
)
_FAILURE = (
    "failure",
    "failed",
    "fail",
    "denied",
    "deny",
    "error",
    "blocked",
    "block",
    "rejected",
    "reject",
    "invalid",
    "unsuccessful",
    "login_failure",
    "logon failure",
    "audit failure",
    "locked",
    "false",
    "no",
)
_INTERRUPTED = ("interrupted", "challenge", "challenged", "mfa required", "mfa_required", "pending")


def normalize(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.lower())


def auto_mapping(headers: list[str]) -> dict[str, str]:
    """``{table column: CSV header}`` for the headers that match ``CANDIDATES`` (each header used once)."""
    by_name: dict[str, str] = {}
    for h in headers:
        by_name.setdefault(normalize(h), h)
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for target, names in CANDIDATES.items():
        for name in names:
            header = by_name.get(name)
            if header is not None and header not in used:
                mapping[target] = header
                used.add(header)
                break
    return mapping


def _delimiter(line: str) -> str:
    return max((",", ";", "\t", "|"), key=line.count)


def _header(head: bytes) -> tuple[list[str], str] | None:
    text = head.decode("utf-8-sig", "replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first or first.lstrip().startswith(("{", "[", "<")):
        return None
    delimiter = _delimiter(first)
    try:
        headers = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    return (headers, delimiter) if len(headers) >= 2 else None


def sniff(path: Path, head: bytes) -> bool:
    if b"\x00" in head[:4096]:
        return False
    found = _header(head)
    if found is None:
        return False
    names = {normalize(h) for h in found[0]}
    if not (names & TIME_LIKE and names & USER_LIKE) or "auditdata" in names:  # Purview: m365-audit
        return False
    return bool(names & IP_LIKE) or bool(names & RESULT_LIKE and not names & POST_LIKE)


@adapter(
    "signins-csv",
    table="signins",
    sniff=sniff,
    description="Sign-ins as CSV (Entra portal download, Okta CSV, SIEM exports), columns mapped by name",
)
def read_signins_csv(path: Path, ctx: ReadContext) -> Iterator[pa.Table]:
    yield from read_csv_signins(path, ctx, None)


def read_csv_signins(
    path: Path, ctx: ReadContext, mapping: Mapping[str, str] | None = None
) -> Iterator[pa.Table]:
    """Sign-in rows of a CSV file; ``mapping`` (``{table column: CSV header}``) overrides the automatic
    choice for the columns it names (the others are still matched by name)."""
    with path.open("rb") as f:
        found = _header(f.read(65536))
    if found is None:
        ctx.quarantine(None, "not a CSV file with a header line")
        return
    headers, delimiter = found
    unknown = set(mapping or {}) - set(CANDIDATES)
    if unknown:
        raise ValueError(f"unknown sign-in columns in the mapping: {', '.join(sorted(unknown))}")
    chosen = auto_mapping(headers)
    for target, header in (mapping or {}).items():
        if header not in headers:
            ctx.quarantine(
                None,
                f"mapped column {header!r} (for {target}) is not in the file; columns: {', '.join(headers)}",
            )
            return
        chosen = {t: h for t, h in chosen.items() if h != header}
        chosen[target] = header
    missing = [t for t in ("time", "user") if t not in chosen]
    if missing:
        ctx.quarantine(None, f"no {' or '.join(missing)} column among: {', '.join(headers)}")
        return
    names = [f"c{i}" for i in range(len(headers))]
    columns = {target: names[headers.index(header)] for target, header in chosen.items()}
    select = _select(columns, {t: normalize(h) for t, h in chosen.items()})
    try:
        table = _project_file(ctx.con, path, delimiter, names, select)
    except duckdb.Error:
        table = _careful(path, ctx, delimiter, names, select)
    ctx.advance(path.stat().st_size)
    yield from _finish(table, ctx)


def _project_file(
    con: duckdb.DuckDBPyConnection, path: Path, delimiter: str, names: list[str], select: str
) -> pa.Table:
    name_list = ", ".join(f"'{n}'" for n in names)
    sql = f"""
        WITH raw AS (
            SELECT *, row_number() OVER () - 1 AS __index
            FROM read_csv(?, header=true, all_varchar=true, delim=?, quote='"', escape='"',
                          names=[{name_list}], max_line_size={MAX_JSON_RECORD_BYTES})
        )
        SELECT __index AS source_offset, {select} FROM raw
    """
    return con.sql(sql, params=[str(path), delimiter]).to_arrow_table()


def _careful(path: Path, ctx: ReadContext, delimiter: str, names: list[str], select: str) -> pa.Table:
    offsets: list[int] = []
    values: list[list[str | None]] = [[] for _ in names]
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        with contextlib.suppress(StopIteration, csv.Error):
            next(reader)  # the header
        index = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                ctx.quarantine(index, f"unreadable CSV row: {exc}")
                index += 1
                continue
            if not row:
                continue  # blank line, as DuckDB skips them
            if len(row) != len(names):
                excerpt = delimiter.join(row)[:300]
                ctx.quarantine(index, f"CSV row has {len(row)} fields, the header {len(names)}", excerpt)
            else:
                offsets.append(index)
                for column, value in zip(values, row, strict=True):
                    column.append(value or None)
            index += 1
    raw = pa.table({n: pa.array(v, pa.string()) for n, v in zip(names, values, strict=True)})
    raw = raw.append_column("__index", pa.array(offsets, pa.int64()))
    with registered(ctx.con, raw, "_vigil_signins_csv") as view:
        return ctx.con.sql(f"SELECT __index AS source_offset, {select} FROM {view}").to_arrow_table()


def _finish(table: pa.Table, ctx: ReadContext) -> Iterator[pa.Table]:
    values = [c for c in table.column_names if c != "source_offset"]
    hashed = ", ".join(f"""coalesce(CAST("{c}" AS VARCHAR), '')""" for c in values)
    with registered(ctx.con, table, "_vigil_signins_csv") as view:
        ids = ctx.con.sql(f"SELECT md5(concat_ws(chr(31), {hashed})) FROM {view}").to_arrow_table().column(0)
    table = table.append_column("record_id", ids).append_column(
        "source", pa.array([ctx.source] * table.num_rows, pa.string())
    )
    for start in range(0, table.num_rows, 500_000):
        yield from split_required(table.slice(start, 500_000), ctx, SIGNINS, ("time", "user"))


def _quoted(values: tuple[str, ...] | frozenset[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _select(columns: Mapping[str, str], normalized: Mapping[str, str]) -> str:
    """The SQL projection of the raw columns ``c0..cN`` onto the sign-in columns."""

    def col(target: str) -> str:
        name = columns.get(target)
        return f"nullif(trim({name}), '')" if name else "CAST(NULL AS VARCHAR)"

    time = col("time")
    formats = "[" + _quoted(tuple(_TIME_FORMATS)) + "]"
    result_text = f"lower({col('result')})"
    code = col("error_code")
    if normalized.get("result") in _BOOLEAN_RESULTS:
        from_result = f"""CASE WHEN {result_text} IN ('true', '1', 'yes', 'y') THEN 'success'
                               WHEN {result_text} IN ('false', '0', 'no', 'n') THEN 'failure' END"""
    elif normalized.get("result") in _CODE_COLUMNS:
        from_result = _from_code(col("result"))
    else:
        from_result = f"""CASE WHEN {result_text} IN ({_quoted(_SUCCESS)}) THEN 'success'
                               WHEN {result_text} IN ({_quoted(_FAILURE)}) THEN 'failure'
                               WHEN {result_text} IN ({_quoted(_INTERRUPTED)}) THEN 'interrupted'
                               WHEN {result_text} LIKE '%interrupt%' OR {result_text} LIKE '%challenge%'
                                    THEN 'interrupted'
                               WHEN {result_text} LIKE '%fail%' OR {result_text} LIKE '%denied%'
                                    THEN 'failure'
                               WHEN {result_text} LIKE '%success%' THEN 'success' END"""
    event_text = f"lower({col('event_type')})"
    from_event = f"""CASE WHEN {event_text} LIKE '%fail%' THEN 'failure'
                          WHEN {event_text} LIKE '%success%' THEN 'success' END"""
    from_code = _from_code(code) if "error_code" in columns else "CAST(NULL AS VARCHAR)"
    client = col("client_app")
    location = col("location")
    return f"""
        'csv' AS format,
        {col("event_id")} AS event_id,
        {col("event_type")} AS event_type,
        coalesce({sql_time(time)}, CAST(try_strptime({time}, {formats}) AS TIMESTAMPTZ)) AS time,
        lower({col("user")}) AS user,
        {col("user_display")} AS user_display,
        coalesce({from_result}, {from_code}, {from_event}) AS result,
        {col("failure_reason")} AS failure_reason,
        {code} AS error_code,
        {col("src_ip")} AS src_ip,
        coalesce({col("country")}, nullif(trim(string_split({location}, ',')[-1]), '')) AS country,
        coalesce({col("city")}, CASE WHEN {location} LIKE '%,%'
                                     THEN nullif(trim(string_split({location}, ',')[1]), '') END) AS city,
        try_cast({col("latitude")} AS DOUBLE) AS latitude,
        try_cast({col("longitude")} AS DOUBLE) AS longitude,
        try_cast(regexp_replace({col("asn")}, '^(?i:AS)', '') AS BIGINT) AS asn,
        {col("user_agent")} AS user_agent,
        {client} AS client_app,
        {col("protocol")} AS protocol,
        CASE WHEN {client} IS NOT NULL THEN {client} IN ({_quoted(LEGACY_CLIENTS)}) END AS is_legacy_auth,
        {col("mfa_detail")} AS mfa_detail,
        {col("application")} AS application,
        {col("tenant")} AS tenant,
        {col("device")} AS device,
        {col("logon_type")} AS logon_type
    """


def _from_code(code: str) -> str:
    return f"""CASE WHEN {code} IS NULL OR NOT regexp_full_match({code}, '-?[0-9]+') THEN NULL
                    WHEN CAST({code} AS HUGEINT) = 0 THEN 'success'
                    WHEN {code} IN ({_quoted(INTERRUPT_CODES)}) THEN 'interrupted'
                    ELSE 'failure' END"""
