"""Look-alike domains of protected organisations and of the brands phishing imitates."""

from __future__ import annotations

import pytest

from vigil.enrich.mail.brands import PHISHING_TARGETS
from vigil.enrich.mail.lookalike import LookalikeIndex, Target, skeleton, unicode_form


@pytest.fixture(scope="module")
def index() -> LookalikeIndex:
    targets = [Target("Harper for America", ("harperforamerica.org",), protected=True)]
    return LookalikeIndex([*targets, *(Target(b.name, b.domains, b.labels) for b in PHISHING_TARGETS)])


@pytest.mark.parametrize(
    ("domain", "imitated"),
    [
        ("xn--harperforamerca-k3m.org", "harperforamerica.org"),  # Cyrillic і
        ("harperforamerica-org.com", "harperforamerica.org"),
        ("harperforamerica-sso.com", "harperforamerica.org"),
        ("login.harperforamerica.secure-mail.net", "harperforamerica.org"),
        ("harperforamerica.com", "harperforamerica.org"),
        ("harpeforamerica.org", "harperforamerica.org"),
        ("harperfor-america.org", "harperforamerica.org"),
        ("harperforamerlca.org", "harperforamerica.org"),
        ("paypa1.com", "paypal.com"),
        ("paypal.com.secure-verify.net", "paypal.com"),
        ("xn--pypal-4ve.com", "paypal.com"),
        ("microsoftonline-login.com", "microsoftonline.com"),
        ("arnazon.com", "amazon.com"),
        ("linkedln.com", "linkedin.com"),
        ("facebok.com", "facebook.com"),
        ("dhl-paket.com", "dhl.com"),
    ],
)
def test_look_alikes(index: LookalikeIndex, domain: str, imitated: str) -> None:
    match = index.match(domain)
    assert match is not None, domain
    assert match.imitated == imitated
    assert imitated in match.describe()


@pytest.mark.parametrize(
    "domain",
    [
        "harperforamerica.org",
        "www.harperforamerica.org",
        "lists.harperforamerica.org",
        "login.microsoftonline.com",
        "amazon.de",
        "mail.google.com",
        "storage.googleapis.com",
        "lindows.com",
        "outlook.4team.biz",
        "zoominfo.com",
        "morton.com",
        "groups.com",
        "nytimes.com",
        "list-manage.com",
        "secure-docreview.online",
    ],
)
def test_not_look_alikes(index: LookalikeIndex, domain: str) -> None:
    assert index.match(domain) is None, index.match(domain)


def test_owners(index: LookalikeIndex) -> None:
    assert index.owner("mail.paypal.com") is not None
    assert index.owner("receita.fazenda.gov.br") is not None  # under a brand's public-suffix domain
    assert index.owner("example.org") is None
    assert index.owner(None) is None


def test_skeleton_and_unicode_form() -> None:
    assert skeleton("pаypa1") == skeleton("paypal")  # Cyrillic а, digit 1
    assert skeleton("rnicrosoft") == skeleton("microsoft")
    assert unicode_form("xn--pypal-4ve.com") == "pаypal.com"
    assert unicode_form("xn--zz.com") == "xn--zz.com"  # not valid punycode: kept as it is


def test_importing_dnstwist_leaves_the_socket_timeout_alone() -> None:
    import socket

    from vigil.enrich.mail.lookalike import _dnstwist

    before = socket.getdefaulttimeout()
    _dnstwist()
    assert socket.getdefaulttimeout() == before
