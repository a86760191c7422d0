"""The per-source pipelines: source field names to normalized columns, values translated where they differ."""

from __future__ import annotations

import pytest

from vigil.rules.load import RuleRefused, compile_rule

LOGSOURCES = {
    "entra": "{product: azure, service: signinlogs}",
    "okta": "{product: okta, service: okta}",
    "google": "{product: gcp, service: google_workspace.login}",
}


def query(source: str, selection: str, condition: str = "sel") -> str:
    text = f"title: x\nlogsource: {LOGSOURCES[source]}\n"
    text += f"detection:\n  sel:\n{selection}\n  condition: {condition}\n"
    return compile_rule(text).query


def refusal(source: str, selection: str) -> str:
    with pytest.raises(RuleRefused) as info:
        query(source, selection)
    return str(info.value)


def test_each_rule_keeps_to_its_source_rows() -> None:
    assert "LOWER(`format`) = LOWER('entra')" in query("entra", "    UserPrincipalName: a@b.org")
    assert "LOWER(`format`) = LOWER('okta')" in query("okta", "    actor.alternateId: a@b.org")
    assert "LOWER(`format`) = LOWER('google')" in query("google", "    actor.email: a@b.org")
    gws_admin = "title: x\nlogsource: {product: gcp, service: google_workspace.admin}\n"
    gws_admin += "detection: {sel: {eventName: login_failure}, condition: sel}\n"
    assert "'google'" in compile_rule(gws_admin).query


def test_entra_result_type_zero_is_a_success_other_codes_are_error_codes() -> None:
    q = query("entra", "    ResultType: [0, 50126, '53003']")
    assert "LOWER(`result`) = LOWER('success')" in q
    assert "LOWER(`error_code`) = LOWER('50126')" in q and "LOWER(`error_code`) = LOWER('53003')" in q
    assert "LOWER(`error_code`) = LOWER('500121')" in query("entra", "    Status.errorCode: 500121")
    assert "STARTSWITH(LOWER(`error_code`), LOWER('5'))" in query("entra", "    ResultType|startswith: '5'")


def test_field_names_ignore_case_and_nest() -> None:
    assert "`failure_reason`" in query("entra", "    Resultdescription: Blocked by Conditional Access")
    assert "`error_code`" in query("entra", "    properties.status.errorCode: 50053")
    assert "`event_type`" in query("okta", "    eventtype: user.account.lock")
    assert "`mfa_detail`" in query("okta", "    debugContext.debugData.factor: OKTA_VERIFY_PUSH")
    assert "`country`" in query("okta", "    client.geographicalContext.country: Moldova")
    assert "`protocol`" in query("google", "    parameters.login_type: saml")


def test_okta_outcomes_translate_to_stored_results() -> None:
    q = query("okta", "    outcome.result: [DENY, CHALLENGE]")
    assert "LOWER('failure')" in q and "LOWER('interrupted')" in q
    reason = refusal("okta", "    outcome.result: SKIPPED")
    assert "'SKIPPED'" in reason and "'outcome.result'" in reason and "challenge" in reason
    assert "accepted" in refusal("okta", "    outcome.result|contains: FAIL")


def test_values_vigil_never_stores_are_refused() -> None:
    assert "never occurs" in refusal("okta", "    eventType: user.lifecycle.create")
    assert "never occurs" in refusal("google", "    eventName: CREATE_ROLE")
    assert "login audit" in refusal("google", "    eventService: admin.googleapis.com")
    assert "MFA method" in refusal("entra", "    AuthenticationRequirement: multiFactorAuthentication")
    assert "sign-in.noninteractive" in query("entra", "    IsInteractive: false")


def test_numbers_ips_and_modifiers() -> None:
    assert "`asn` > 1000" in query("entra", "    AutonomousSystemNumber|gt: 1000")
    assert "`asn` = 64512" in query("entra", "    AutonomousSystemNumber: '64512'")
    assert "is a number" in refusal("entra", "    AutonomousSystemNumber: AS64512")
    assert "numeric comparisons" in refusal("entra", "    UserAgent|gt: 5")
    q = query("entra", "    IPAddress|cidr: 10.1.0.0/23", condition="not sel")
    assert "NOT (COALESCE(STARTSWITH(LOWER(`src_ip`), LOWER('10.1.0.')), FALSE) OR" in q
    assert "not an IP address" in refusal("entra", "    UserPrincipalName|cidr: 10.0.0.0/8")
    assert "RLIKE '(?i)^curl/\\\\d+'" in query("entra", "    UserAgent|re|i: '^curl/\\d+'")
    assert "RLIKE '(?s)^mozilla.*firefox/1..$'" in query("entra", "    UserAgent: 'Mozilla*Firefox/1??'")
    assert "`user` = `user_display`" in query("entra", "    UserPrincipalName|fieldref: UserDisplayName")
