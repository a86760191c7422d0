"""Every Sigma rule shipped in docs/sigma/, on small inline sign-ins: a positive and a negative case each,
on DuckDB and on Spark, with identical findings from both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vigil.detect.api import Case
from vigil.detect.cases import check_case
from vigil.rules.detector import to_detector
from vigil.rules.load import compile_rule, read_rule_file

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "sigma"

IP = "185.220.101.4"


def entra(**values: Any) -> dict[str, Any]:
    row = {
        "format": "entra",
        "event_type": "sign-in",
        "time": "2024-09-12T02:10:00Z",
        "user": "jane@harperforamerica.org",
        "src_ip": IP,
        "result": "success",
        "error_code": "0",
        "client_app": "Browser",
        "application": "OfficeHome",
    }
    return row | values


def okta(**values: Any) -> dict[str, Any]:
    row = {
        "format": "okta",
        "event_type": "user.session.start",
        "time": "2024-09-12T02:10:00Z",
        "user": "jane@harperforamerica.org",
        "src_ip": IP,
        "result": "success",
    }
    return row | values


def google(**values: Any) -> dict[str, Any]:
    row = {
        "format": "google",
        "event_type": "login_success",
        "time": "2024-09-12T02:10:00Z",
        "user": "jane@harperforamerica.org",
        "src_ip": IP,
        "result": "success",
    }
    return row | values


FAILED = {"result": "failure"}
TARGETED = {"jane@harperforamerica.org": "target", IP: "actor-infrastructure"}

CASES: dict[str, list[Case]] = {
    "azure_signin_legacy_auth_success.yml": [
        Case(
            "IMAP4 sign-ins succeed twice in a day, once the next day",
            rows={
                "signins": [
                    entra(client_app="IMAP4"),
                    entra(client_app="IMAP4", time="2024-09-12T05:00:00Z"),
                    entra(client_app="POP3", time="2024-09-13T01:00:00Z"),
                ]
            },
            expect=2,
            contains=TARGETED,
            severity="medium",
        ),
        Case(
            "a failed IMAP4 sign-in, a browser success, an Okta IMAP event",
            rows={
                "signins": [
                    entra(client_app="IMAP4", result="failure", error_code="50126"),
                    entra(),
                    okta(client_app="IMAP4"),
                ]
            },
            expect=0,
        ),
    ],
    "azure_signin_conditional_access_failure.yml": [
        Case(
            "blocked by Conditional Access",
            rows={"signins": [entra(result="failure", error_code="53003")]},
            expect=1,
            contains=TARGETED,
        ),
        Case(
            "a wrong password, and an Okta event with the same code",
            rows={
                "signins": [
                    entra(result="failure", error_code="50126"),
                    okta(result="failure", error_code="53003"),
                ]
            },
            expect=0,
        ),
    ],
    "azure_signin_account_locked.yml": [
        Case(
            "smart lockout",
            rows={"signins": [entra(result="failure", error_code="50053")]},
            expect=1,
            contains=TARGETED,
        ),
        Case("a success", rows={"signins": [entra()]}, expect=0),
    ],
    "azure_signin_mfa_failed.yml": [
        Case(
            "denied MFA prompts",
            rows={
                "signins": [
                    entra(result="failure", error_code="500121"),
                    entra(result="failure", error_code="500121", time="2024-09-12T02:12:00Z"),
                ]
            },
            expect=1,
            contains=TARGETED,
        ),
        Case(
            "an interrupted sign-in (more proof asked for)",
            rows={"signins": [entra(result="interrupted", error_code="50074")]},
            expect=0,
        ),
    ],
    "okta_mfa_push_denied.yml": [
        Case(
            "a denied push",
            rows={"signins": [okta(event_type="user.mfa.okta_verify.deny_push", result="failure")]},
            expect=1,
            contains=TARGETED,
        ),
        Case(
            "a push sent, then approved",
            rows={
                "signins": [
                    okta(event_type="system.push.send_factor_verify_push", result="interrupted"),
                    okta(event_type="user.authentication.auth_via_mfa"),
                ]
            },
            expect=0,
        ),
    ],
    "okta_user_account_locked.yml": [
        Case(
            "locked out",
            rows={
                "signins": [okta(event_type="user.account.lock", result="failure", error_code="LOCKED_OUT")]
            },
            expect=1,
            contains=TARGETED,
        ),
        Case("a failed sign-in", rows={"signins": [okta(**FAILED)]}, expect=0),
    ],
    "okta_signin_failure_invalid_credentials.yml": [
        Case(
            "wrong passwords for two users",
            rows={
                "signins": [
                    okta(result="failure", failure_reason="INVALID_CREDENTIALS"),
                    okta(result="failure", failure_reason="VERIFICATION_ERROR", user="tom@example.org"),
                ]
            },
            expect=2,
            contains=TARGETED,
            severity="low",
        ),
        Case(
            "a success, a failure for another reason, an MFA failure",
            rows={
                "signins": [
                    okta(),
                    okta(result="failure", failure_reason="FastPass declined phishing attempt"),
                    okta(
                        event_type="user.authentication.auth_via_mfa",
                        result="failure",
                        failure_reason="INVALID_CREDENTIALS",
                    ),
                ]
            },
            expect=0,
        ),
    ],
    "google_workspace_login_failure.yml": [
        Case(
            "a failed login",
            rows={"signins": [google(event_type="login_failure", result="failure")]},
            expect=1,
            contains=TARGETED,
        ),
        Case(
            "a success, and an Okta event that happens to have that name",
            rows={"signins": [google(), okta(event_type="login_failure")]},
            expect=0,
        ),
    ],
    "google_workspace_government_backed_attack.yml": [
        Case(
            "Google's warning",
            rows={"signins": [google(event_type="gov_attack_warning", result=None, src_ip=None)]},
            expect=1,
            contains={"jane@harperforamerica.org": "target"},
            severity="high",
        ),
        Case(
            "a suspicious login warning", rows={"signins": [google(event_type="suspicious_login")]}, expect=0
        ),
    ],
}

ITEMS = [(name, case) for name, cases in CASES.items() for case in cases]
IDS = [f"{name}:{case.name}" for name, case in ITEMS]


def test_every_shipped_rule_has_positive_and_negative_cases() -> None:
    shipped = sorted(p.name for p in EXAMPLES.glob("*.yml"))
    assert shipped == sorted(CASES)
    for name, cases in CASES.items():
        assert {c.expect > 0 for c in cases} == {True, False}, name


@pytest.mark.parametrize(("name", "case"), ITEMS, ids=IDS)
def test_shipped_rule_on_duckdb(name: str, case: Case, run_rule: Any) -> None:
    det = to_detector(compile_rule(read_rule_file(EXAMPLES / name)))
    assert check_case(det, case, run_rule(EXAMPLES / name, case.rows["signins"])) == []


@pytest.mark.spark
@pytest.mark.parametrize(("name", "case"), ITEMS, ids=IDS)
def test_shipped_rule_on_spark_matches_duckdb(name: str, case: Case, run_rule: Any) -> None:
    det = to_detector(compile_rule(read_rule_file(EXAMPLES / name)))
    on_spark = run_rule(EXAMPLES / name, case.rows["signins"], "spark")
    assert check_case(det, case, on_spark) == []
    assert on_spark == run_rule(EXAMPLES / name, case.rows["signins"], "duckdb")
