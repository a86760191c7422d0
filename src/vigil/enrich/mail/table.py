"""The ``email_signals`` table: the signals of every e-mail of a workspace, kept up to date.

The runner calls ``refresh_signals`` before detectors that read ``email_signals``. Only e-mails
without signals are scored (each scored message has at least its ``score`` row), unless the context
changed — the protected assets, the brand lists or the signal code (``SIGNALS_VERSION``): then every
message is scored again. The context's fingerprint is kept as the table's comment.

"Never seen before" is judged against the whole workspace at the time of scoring: a message scored
once keeps its signals when older mail is ingested later (score again with ``vigil detect`` after
changing the protected assets, or drop the table's rows, to recompute).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from vigil.enrich.mail.context import History, MailContext
from vigil.enrich.mail.score import message_signals, score_signal
from vigil.schema import EMAIL_SIGNALS
from vigil.workspace import Workspace, registered

TABLE = "email_signals"
BATCH = 2_000

#: The columns of ``emails`` that scoring reads (the body is the largest; the received hops are not read).
_COLUMNS = (
    "record_id, date, from_addr, from_name, from_domain, reply_to, return_path, to_addrs, subject, "
    "spf, spf_domain, dkim, dkim_domain, dmarc, dmarc_domain, list_id, urls, attachments, body_text"
)


def refresh_signals(workspace: Workspace, con: duckdb.DuckDBPyConnection) -> int:
    """Score the e-mails that have no signals yet (all of them if the context changed); returns how many."""
    ctx = MailContext.build(workspace.protected, history=load_history(con))
    fingerprint = ctx.fingerprint
    stored = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema()",
        [TABLE],
    ).fetchall()
    if not stored or stored[0][0] != fingerprint:
        con.execute(f'DELETE FROM "{TABLE}"')
        con.execute(f"COMMENT ON TABLE \"{TABLE}\" IS '{fingerprint}'")
    scored = 0
    last = ""
    while True:
        rows = (
            con.sql(
                f"SELECT {_COLUMNS} FROM emails WHERE record_id > ? AND record_id NOT IN "
                f'(SELECT record_id FROM "{TABLE}") ORDER BY record_id LIMIT {BATCH}',
                params=[last],
            )
            .to_arrow_table()
            .to_pylist()
        )
        if not rows:
            return scored
        out: list[dict[str, Any]] = []
        for row in rows:
            signals = message_signals(row, ctx)
            for s in [*signals, score_signal(signals)]:
                out.append(
                    {
                        "record_id": row["record_id"],
                        "category": s.category,
                        "signal": s.signal,
                        "weight": s.weight,
                        "evidence": s.evidence,
                    }
                )
        with registered(con, pa.Table.from_pylist(out, schema=EMAIL_SIGNALS)) as view:
            con.execute(f'INSERT INTO "{TABLE}" BY NAME SELECT * FROM {view}')
        scored += len(rows)
        last = rows[-1]["record_id"]


def load_history(con: duckdb.DuckDBPyConnection) -> History:
    """When each link domain and each sender address first appears in the workspace's mail."""
    links = con.sql(
        "SELECT d AS k, min(date) AS first FROM (SELECT date, unnest(urls).registered_domain AS d "
        "FROM emails WHERE date IS NOT NULL) WHERE d IS NOT NULL GROUP BY d"
    ).to_arrow_table()
    senders = con.sql(
        "SELECT lower(from_addr) AS k, min(date) AS first FROM emails "
        "WHERE date IS NOT NULL AND from_addr IS NOT NULL GROUP BY 1"
    ).to_arrow_table()
    return History(_dated(links), _dated(senders))


def _dated(table: pa.Table) -> dict[str, datetime]:
    return {str(k): v for k, v in zip(table["k"].to_pylist(), table["first"].to_pylist(), strict=True) if v}
