"""The message-signal tests share rows and contexts (``mail_rows``): with ``--import-mode=importlib``
test folders are not on ``sys.path``, so this one puts itself there."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)

from mail_rows import campaign_context  # noqa: E402

from vigil.enrich.mail import MailContext  # noqa: E402


@pytest.fixture(scope="session")
def campaign() -> MailContext:
    return campaign_context()


@pytest.fixture(scope="session")
def nobody() -> MailContext:
    return MailContext.build()
