"""Reading and compiling a rule: what is accepted, and every reason a hostile or foreign rule is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.rules.load import MAX_RULE_BYTES, RuleRefused, compile_rule, read_rule_file, slug_of


def refused(text: str) -> str:
    with pytest.raises(RuleRefused) as info:
        compile_rule(text)
    return str(info.value)


def test_metadata_of_a_rule() -> None:
    text = """title: Okta MFA Push Denied!
id: 5270e2e4-8e0e-43da-8759-6cc416aad7fe
status: stable
description: A push was denied.
tags: [attack.credential-access, attack.t1621, attack.T1110.003, cve.2024-1]
level: informational
logsource: {product: okta, service: okta}
detection:
    sel: {eventType: user.mfa.okta_verify.deny_push}
    condition: sel
"""
    r = compile_rule(text)
    assert r.detector_id == "sigma.okta_mfa_push_denied"
    assert r.sigma_id == "5270e2e4-8e0e-43da-8759-6cc416aad7fe"
    assert (r.severity, r.techniques, r.source, r.status) == (
        "info",
        ("T1621", "T1110.003"),
        "okta",
        "stable",
    )
    assert r.description == "A push was denied." and r.text == text


def test_slugs() -> None:
    assert slug_of("Sign-in Failure Due to CA") == "sign_in_failure_due_to_ca"
    assert slug_of("2FA reset") == "rule_2fa_reset"
    assert len(slug_of("word " * 40)) <= 48
    with pytest.raises(RuleRefused, match="no letters"):
        slug_of("!!!")


def test_rules_of_other_log_sources_are_refused_with_the_supported_ones() -> None:
    reason = refused(
        "title: x\nlogsource: {category: process_creation, product: windows}\n"
        "detection: {sel: {Image|endswith: '\\\\cmd.exe'}, condition: sel}\n"
    )
    assert "product: windows" in reason and "product: azure, service: signinlogs" in reason
    assert "product: okta, service: okta" in reason and "google_workspace.login" in reason
    assert "azure" in refused(
        "title: x\nlogsource: {product: azure, service: auditlogs}\n"
        "detection: {sel: {OperationName: x}, condition: sel}\n"
    )


def test_a_field_without_equivalent_is_refused_by_name_not_dropped() -> None:
    reason = refused(
        "title: x\nlogsource: {product: azure, service: signinlogs}\n"
        "detection:\n  sel: {ResultType: 0, Status|contains: MFA Denied, RiskState: atRisk}\n"
        "  condition: sel\n"
    )
    assert "'RiskState'" in reason and "'Status'" in reason and "entra" in reason
    reason = refused(
        "title: x\nlogsource: {product: okta, service: okta}\n"
        "detection: {sel: {displaymessage: Max sign in attempts exceeded}, condition: sel}\n"
    )
    assert "'displaymessage'" in reason


def test_keyword_searches_are_refused() -> None:
    reason = refused(
        "title: x\nlogsource: {product: okta, service: okta}\ndetection: {kw: [mimikatz], condition: kw}\n"
    )
    assert "keyword" in reason


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("title: x\ncorrelation: {type: event_count, rules: [a], timespan: 1h}\n", "correlation"),
        ("action: global\ntitle: x\n", "collections"),
        (
            "title: x\nlogsource: {product: azure, service: signinlogs}\n"
            "detection: {sel: {ResultType: 50126},\n"
            "            condition: 'sel | count(UserPrincipalName) by IPAddress > 3'}\n",
            "pipe syntax",
        ),
        (
            "title: x\nlogsource: {product: azure, service: signinlogs}\ndetection: {sel: {ResultType: 0}}\n",
            "valid",
        ),
        ("- title: x\n", "not a mapping"),
        ("title: [unclosed\n", "not valid YAML"),
        ("title: x\n---\ntitle: y\n", "more than one YAML document"),
        ("a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n", "aliases"),
        ("title: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
        (
            "title: x\nstatus: deprecated\nlogsource: {product: okta, service: okta}\n"
            "detection: {sel: {eventType: user.account.lock}, condition: sel}\n",
            "deprecated",
        ),
    ],
)
def test_malformed_and_hostile_rules_are_refused(text: str, why: str) -> None:
    assert why in refused(text)


def test_size_is_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.yml"
    big.write_text("title: x\ndescription: '" + "a" * MAX_RULE_BYTES + "'\n")
    with pytest.raises(RuleRefused, match="larger than 64 KiB"):
        read_rule_file(big)
    assert "larger than" in refused("title: x\ndescription: '" + "a" * MAX_RULE_BYTES + "'\n")
    binary = tmp_path / "bin.yml"
    binary.write_bytes(b"\xff\xfe\x00title")
    with pytest.raises(RuleRefused, match="UTF-8"):
        read_rule_file(binary)


def test_quotes_and_sql_in_values_stay_literals() -> None:
    r = compile_rule(
        "title: x\nlogsource: {product: azure, service: signinlogs}\n"
        'detection:\n  sel:\n    UserAgent: "x\'; DROP TABLE findings; --"\n'
        '    AppDisplayName|contains: "it\'s \\\\ fine"\n  condition: sel\n'
    )
    assert "LOWER('x\\'; DROP TABLE findings; --')" in r.query
    assert r.query.count("SELECT") == 1 and "DROP TABLE" in r.query
