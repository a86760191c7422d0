"""The sign-in tests share sample events and an EVTX writer (``signin_samples``, ``evtx_writer``): with
``--import-mode=importlib`` test folders are not on ``sys.path``, so this one puts itself there."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)
