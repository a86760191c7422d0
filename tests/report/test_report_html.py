from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from importlib.resources import files
from typing import Any

import pytest

from vigil.report import render_report
from vigil.report.evidence import MAX_RECORDS
from vigil.workspace import Workspace

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(document.domain)",
    "</style><script>alert(1)</script>",
    "<a href='javascript:alert(1)'>click</a>",
    "{{ 7*7 }}{% raw %}",
]

# Every tag the template itself writes; anything else in the output was injected.
TEMPLATE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "section",
    "article",
    "div",
    "span",
    "p",
    "ul",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "code",
    "bdi",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    "br",
    "strong",
    "footer",
}


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Collector:
    parser = Collector()
    parser.feed(html)
    parser.close()
    return parser


def assert_inert(html: str) -> Collector:
    doc = parse(html)
    tags = {tag for tag, _ in doc.tags}
    assert "script" not in tags
    assert tags <= TEMPLATE_TAGS, tags - TEMPLATE_TAGS
    for tag, attrs in doc.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert name not in ("src", "srcdoc", "action", "formaction", "background"), (tag, name)
            if name == "href":
                assert value == "#how-to-read" or (value or "").startswith("#finding--"), (tag, value)
            if value and name != "content":
                assert "javascript:" not in value.lower(), (tag, name, value)
    # no way to reach the network: no external stylesheet, font, image or import
    lowered = html.lower()
    for needle in ("<link", "@import", "url(", "<img", "<iframe", "<object", "<embed"):
        assert needle not in lowered, needle
    return doc


def hostile_workspace(ws: Workspace, rows: Any) -> None:
    t, record, ent, finding, insert = rows.t, rows.record, rows.ent, rows.finding, rows.insert
    emails, pages, posts, domains, indicators = [], [], [], [], []
    for i, bad in enumerate(XSS):
        emails.append(
            record(
                "emails",
                date=t(f"2024-10-01T10:0{i}:00"),
                from_addr=f"x{i}@evil.example",
                from_name=bad,
                to_addrs=[bad],
                subject=bad,
                spf=bad,
                client_ip=bad,
                urls=[{"url": bad, "host": bad}, {"url": f"javascript:alert({i})"}],
            )
        )
        pages.append(
            record(
                "pages", url=f"javascript:alert({i})//{bad}", title=bad, fetched_at=t("2024-10-01T11:00:00")
            )
        )
        posts.append(
            record(
                "posts",
                platform=bad,
                handle=bad,
                text=bad,
                time=t("2024-10-01T12:00:00"),
                urls=[{"url": bad}],
            )
        )
        domains.append(record("domains", domain=bad, feed=bad, first_seen=t("2024-10-01T00:00:00")))
        indicators.append(record("indicators", kind="url", value=bad, feed=bad, actor=bad))
    signin = record(
        "signins",
        time=t("2024-10-01T09:00:00"),
        user=XSS[1],
        result=XSS[0],
        failure_reason=XSS[2],
        src_ip=XSS[3],
        country=XSS[1],
        application=XSS[0],
        user_agent=XSS[4],
        source=XSS[1],
    )
    for table, rows in [
        ("emails", emails),
        ("pages", pages),
        ("posts", posts),
        ("domains", domains),
        ("indicators", indicators),
        ("signins", [signin]),
    ]:
        insert(ws, table, rows)
    evidence = [
        (n, r)
        for n, rows in [
            ("emails", emails),
            ("pages", pages),
            ("posts", posts),
            ("domains", domains),
            ("indicators", indicators),
        ]
        for r in rows
    ]
    entities = [
        ent(kind, bad, role)
        for bad in XSS
        for kind, role in [
            ("domain-name", "actor-infrastructure"),
            ("url", "actor-infrastructure"),
            ("email-addr", "target"),
            ("social-account", "actor-infrastructure"),
            ("organization", "target"),
            (bad, bad),
        ]
    ]
    insert(
        ws,
        "findings",
        [
            finding(
                "<script>alert('detector')</script>",
                XSS[0],
                severity="critical",
                summary=XSS[1],
                techniques=[XSS[2], "T1566.002"],
                entities=entities,
                evidence=[("signins", signin), *evidence[: MAX_RECORDS - 1]],
                details=json.dumps({XSS[0]: XSS[1], "nested": {"a": XSS[3]}}),
            ),
            finding(
                "x.y", XSS[3], severity=XSS[1], status=XSS[0], evidence=[(XSS[0], {"record_id": XSS[1]})]
            ),
            finding("x.z", XSS[1], severity="low", status="false-positive", first="2024-10-02T00:00:00"),
        ],
    )
    verdicts = [
        {"finding_id": finding(*key, first=first)["finding_id"], "status": status, "note": note}
        for key, first, status, note in [
            (("x.y", XSS[3]), "2024-10-01T12:00:00", XSS[0], XSS[2]),
            (("x.z", XSS[1]), "2024-10-02T00:00:00", "false-positive", XSS[4]),
        ]
    ]
    insert(ws, "triage", [{**v, "changed_at": datetime(2024, 10, 9, tzinfo=UTC)} for v in verdicts])


def test_hostile_values_are_escaped_everywhere(workspace: Workspace, rows: Any) -> None:
    hostile_workspace(workspace, rows)
    html = render_report(workspace, title=XSS[1])
    doc = assert_inert(html)
    text = "".join(doc.text)
    # the hostile strings are shown as text, not dropped
    assert "<script>alert(1)</script>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in text  # not evaluated by Jinja
    # attacker links are defanged text, never live schemes
    assert "javascript[:]alert(document.domain)" in text


def test_report_has_a_restrictive_content_security_policy(sample_workspace: Workspace) -> None:
    html = render_report(sample_workspace)
    doc = assert_inert(html)
    csp = [dict(a).get("content") for tag, a in doc.tags if tag == "meta" and dict(a).get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0] or "")
    assert "script-src" not in (csp[0] or "")


def test_sample_report_reads_in_order(sample_workspace: Workspace) -> None:
    html = render_report(sample_workspace, title="Doe for Senate")
    assert_inert(html)
    text = " ".join("".join(parse(html).text).split())
    # header context
    assert "12 ingested records and 4 findings (plus 1 marked as false positive)" in text
    assert "5 sign-in events" in text and "1 email" in text
    assert "1 input record could not be read" in text
    assert "2 findings need action now or today" in text
    # most severe first
    order = [
        text.index(s)
        for s in (
            "Password spray against",
            "Spear-phishing email to",
            "Four accounts pushed",
            "Lookalike of a local news outlet",
        )
    ]
    assert order == sorted(order)
    # the false positive is only in its own section
    fp = "Sign-ins from two countries within an hour"
    assert text.count(fp) == 1 and text.index(fp) > text.index("Marked as false positive")
    # who is targeted comes before the attacker's infrastructure, victims after
    spray = text[text.index("Password spray against", text.index("Findings")) :]
    assert spray.index("Who is targeted") < spray.index("Attacker infrastructure") < spray.index("Affected")
    assert "T1110.003 Brute Force: Password Spraying" in spray
    # attacker infrastructure is defanged, targets are not
    assert (
        "185[.]220[.]101[.]47" in text
        and "hxxps://docs-share[.]doeforsenate-secure[.]com/view?id=8812" in text
    )
    assert "chair@doeforsenate.org" in text
    # evidence fields per table
    assert "Debate prep notes – please review before Thursday" in text
    assert "SPF pass · DKIM pass · DMARC pass" in text
    assert "failure: Invalid username or password" in text
    assert "BREAKING: Hundreds of mail ballots found in Springfield river" in text
    assert "x:patriot_mom_1776" in text
    assert "Joint advisory AA24-290A (example)" in text and "APT42" in text


def test_report_is_deterministic_and_time_only_when_given(sample_workspace: Workspace) -> None:
    first = render_report(sample_workspace)
    assert first == render_report(sample_workspace)
    assert " on 20" not in first
    stamped = render_report(sample_workspace, generated_at=datetime(2024, 11, 1, 8, 30, tzinfo=UTC))
    assert "on 2024-11-01 08:30:00 UTC" in stamped


def test_empty_workspace_is_a_friendly_no_findings_report(workspace: Workspace) -> None:
    html = render_report(workspace)
    assert_inert(html)
    text = " ".join("".join(parse(html).text).split())
    assert "No findings" in text
    assert "no records yet" in text
    assert "At a glance" not in text


def test_records_but_no_findings(workspace: Workspace, rows: Any) -> None:
    rows.insert(
        workspace, "emails", [rows.record("emails", subject="hello", date=rows.t("2024-10-01T00:00:00"))]
    )
    text = " ".join("".join(parse(render_report(workspace)).text).split())
    assert "No findings" in text and "checked the 1 records" in text


def test_evidence_is_capped_and_missing_records_are_counted(workspace: Workspace, rows: Any) -> None:
    t, record, finding, insert = rows.t, rows.record, rows.finding, rows.insert
    posts = [record("posts", platform="x", handle=f"h{i}", time=t("2024-10-01T00:00:00")) for i in range(30)]
    insert(workspace, "posts", posts[:-1])  # the last one is not in the workspace
    refs = (
        [("posts", p) for p in posts[: MAX_RECORDS - 1]]
        + [("posts", posts[-1])]
        + [("posts", p) for p in posts[19:29]]
    )
    insert(workspace, "findings", [finding("social.x", "Many posts", evidence=refs)])
    text = " ".join("".join(parse(render_report(workspace)).text).split())
    assert "Evidence (30 records)" in text
    assert "x:h18" in text and "x:h19" not in text
    assert "… and 10 more records" in text
    assert "1 evidence record is no longer in the workspace" in text


def test_invisible_characters_are_made_visible(workspace: Workspace, rows: Any) -> None:
    rows.insert(workspace, "findings", [rows.finding("email.x", "Invoice \u202efdp.exe", summary="a\x00b")])
    text = "".join(parse(render_report(workspace)).text)
    assert "Invoice ⟨U+202E⟩fdp.exe" in text and "a⟨U+0000⟩b" in text
    assert "\u202e" not in text


@pytest.mark.parametrize("status", ["acknowledged", "escalated"])
def test_status_other_than_new_is_shown(workspace: Workspace, rows: Any, status: str) -> None:
    rows.insert(workspace, "findings", [rows.finding("email.x", "A finding", status=status)])
    assert f'<span class="status">{status}</span>' in render_report(workspace)


def test_template_ships_as_package_data() -> None:
    assert (files("vigil.report") / "templates" / "report.html").is_file()


def test_protected_targets_and_distinct_headlines(workspace: Workspace, rows: Any) -> None:
    details = json.dumps({"protected_targets": ["Jane Doe (candidate)"], "actor": "APT42"})
    rows.insert(
        workspace,
        "findings",
        [
            rows.finding(
                "intel.known_indicator",
                "Known threat indicator seen in your data",
                details=details,
                entities=[rows.ent("domain-name", "one.example", "actor-infrastructure")],
            ),
            rows.finding(
                "intel.known_indicator",
                "Known threat indicator seen in your data",
                first="2024-10-02T00:00:00",
                entities=[rows.ent("email-addr", "chair@doe.org", "target")],
            ),
        ],
    )
    text = " ".join("".join(parse(render_report(workspace)).text).split())
    assert "Known threat indicator seen in your data: one[.]example" in text
    assert "Known threat indicator seen in your data: chair@doe.org" in text  # a target is not defanged
    targeted = text[text.index("Who is targeted") :]
    assert targeted.index("Jane Doe (candidate)") < targeted.index("Attacker infrastructure")
    assert "on your protected list" in targeted


def test_detail_limit(workspace: Workspace, rows: Any) -> None:
    findings = [
        rows.finding("web.x", f"Finding {i}", first=f"2024-10-{i + 1:02d}T00:00:00") for i in range(3)
    ]
    rows.insert(workspace, "findings", findings)
    html = render_report(workspace, detail_limit=2)
    doc = assert_inert(html)
    assert sum(1 for tag, _ in doc.tags if tag == "article") == 2
    assert [
        dict(a)["href"] for tag, a in doc.tags if tag == "a" and dict(a)["href"].startswith("#finding")
    ] == [
        f"#{findings[2]['finding_id']}",
        f"#{findings[1]['finding_id']}",
    ]
    text = " ".join("".join(parse(html).text).split())
    assert "Finding 0" in text and "the other 1 are only listed in the table above" in text
