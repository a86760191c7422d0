"""Okta System Log: sign-in events only, results mapped, other events skipped and counted."""

from __future__ import annotations

import json
from pathlib import Path

from signin_samples import (
    OKTA_ADMIN,
    OKTA_CHALLENGE,
    OKTA_FAIL,
    OKTA_PUSH_DENIED,
    OKTA_SSO,
    lines,
    quarantined,
    signin_rows,
)

from vigil.ingest.run import ingest
from vigil.workspace import Workspace


def test_api_array(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "okta.json"
    path.write_text(json.dumps([OKTA_FAIL, OKTA_PUSH_DENIED, OKTA_SSO, OKTA_CHALLENGE, OKTA_ADMIN]))
    summary = ingest(workspace, [path])
    assert summary.files["okta"] == 1 and summary.tables["signins"] == 4 and summary.quarantined == 0
    assert summary.passed_over == {"okta:group.user_membership.add": 1}
    failed, denied, sso, challenged = signin_rows(workspace)
    assert failed["event_type"] == "user.session.start" and failed["result"] == "failure"
    assert failed["user"] == "jane.doe@caldercounty.gov" and failed["user_display"] == "Jane Doe"
    assert (failed["failure_reason"], failed["error_code"]) == ("INVALID_CREDENTIALS", "INVALID_CREDENTIALS")
    assert (failed["src_ip"], failed["country"], failed["city"]) == (
        "185.220.101.4",
        "Germany",
        "Frankfurt am Main",
    )
    assert (failed["latitude"], failed["longitude"], failed["asn"]) == (50.11, 8.68, 205100)
    assert failed["user_agent"] == "Mozilla/5.0 (X11; Linux x86_64)" and failed["event_id"] == "okta-1"
    assert failed["protocol"] == "OKTA_AUTHENTICATION_PROVIDER" and failed["mfa_detail"] == "PASSWORD"
    assert failed["device"] == "Computer / Linux / CHROME"
    # A denied push is a failure whatever the outcome says; the event type tells it from a bad password.
    assert denied["result"] == "failure" and denied["mfa_detail"] == "OKTA_VERIFY_PUSH"
    assert sso["result"] == "success" and sso["application"] == "Salesforce.com"
    assert challenged["result"] == "interrupted"


def test_lowercased_keys_and_offsets(workspace: Workspace, tmp_path: Path) -> None:
    """Some data lakes lower-case top-level keys; those files take a slower path, same rows, same offsets."""
    lowered = {k.lower(): v for k, v in OKTA_FAIL.items()}
    path = tmp_path / "okta.jsonl"
    path.write_text(
        lines(OKTA_SSO) + "{broken\n" + lines(lowered, {**lowered, "published": None}, OKTA_ADMIN)
    )
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2 and summary.quarantined == 2
    assert [(r["source_offset"], r["result"]) for r in signin_rows(workspace)] == [
        (2, "failure"),
        (0, "success"),
    ]
    assert [q[0] for q in quarantined(workspace)] == [1, 3]
    assert quarantined(workspace)[1][1] == "missing time"


def test_bad_records_quarantined_and_reingest_adds_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "okta.jsonl"
    no_actor = {k: v for k, v in OKTA_FAIL.items() if k != "actor"}
    path.write_text(lines(OKTA_FAIL) + "[1, 2\n" + lines(no_actor, OKTA_SSO))
    summary = ingest(workspace, [path])
    assert summary.tables["signins"] == 2
    reasons = quarantined(workspace)
    assert [r[0] for r in reasons] == [1, 2]
    assert reasons[1][1] == "missing user"
    again = ingest(workspace, [path])
    assert again.tables["signins"] == 0 and again.skipped_duplicates == 2


def test_network_flags_from_the_security_context_and_panther_enrichment(
    workspace: Workspace, tmp_path: Path
) -> None:
    """isProxy, a Tor hint in the ISP names, and Panther's IPinfo privacy flags become ``network_flags``."""
    tor = {
        **OKTA_SSO,
        "uuid": "okta-tor",
        "securityContext": {"asNumber": 60729, "isp": "Tor Exit Node", "isProxy": False},
    }
    relay = {
        **OKTA_SSO,
        "uuid": "okta-relay",
        "securityContext": {"asNumber": 701, "asOrg": "verizon", "isProxy": True},
        "p_enrichment": {
            "ipinfo_privacy": {
                "client.ipAddress": {
                    "hosting": True,
                    "proxy": False,
                    "relay": True,
                    "tor": False,
                    "vpn": False,
                }
            }
        },
    }
    plain = {**OKTA_SSO, "uuid": "okta-plain", "securityContext": {"asNumber": 7922, "isp": "Comcast"}}
    path = tmp_path / "okta.jsonl"
    path.write_text(lines(OKTA_FAIL, tor, relay, plain))
    assert ingest(workspace, [path]).tables["signins"] == 4
    flags = {r["event_id"]: r["network_flags"] for r in signin_rows(workspace)}
    assert flags == {
        "okta-1": ["anonymizing-proxy"],
        "okta-tor": ["tor"],
        "okta-relay": ["anonymizing-proxy", "relay", "hosting"],
        "okta-plain": None,
    }
    lowered = {k.lower(): v for k, v in {**tor, "uuid": "okta-tor-2"}.items()}  # the slower path
    (tmp_path / "lowered.jsonl").write_text(lines(lowered))
    ingest(workspace, [tmp_path / "lowered.jsonl"])
    assert [r["network_flags"] for r in signin_rows(workspace, tmp_path / "lowered.jsonl")] == [["tor"]]
