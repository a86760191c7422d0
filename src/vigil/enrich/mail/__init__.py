"""Message signals: what each e-mail's sender, links, text and attachments say about phishing.

```python
from vigil.enrich.mail import MailContext, message_signals, phishing_score

ctx = MailContext.build(workspace.protected)      # protected assets; no history: each message alone
signals = message_signals(row, ctx)              # [Signal(category, signal, weight, evidence), ...]
phishing_score(signals)                          # 0..1, the noisy-or of the signals' weights
```

``refresh_signals(workspace, con)`` keeps the ``email_signals`` table of a workspace up to date; the
mail detectors (``mail.spoofing``, ``mail.malicious_link``, ``mail.lure``) read it. Every signal code,
its category and weight are listed in ``signals.CATALOG`` and in docs/phishing.md.
"""

from __future__ import annotations

from vigil.enrich.mail.context import History, MailContext
from vigil.enrich.mail.score import category_scores, message_signals, phishing_score, score_signal
from vigil.enrich.mail.signals import CATALOG, Signal
from vigil.enrich.mail.table import refresh_signals

__all__ = [
    "CATALOG",
    "History",
    "MailContext",
    "Signal",
    "category_scores",
    "message_signals",
    "phishing_score",
    "refresh_signals",
    "score_signal",
]
