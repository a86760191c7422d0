"""Technique ids on findings: MITRE ATT&CK (``T1566.002``) or DISARM (``T0xxx``, influence operations).

ATT&CK ids start at T1000; DISARM's red-framework techniques are numbered T0001-T0999 (ATT&CK for
ICS also uses T08xx, but vigil's detectors don't). DISARM renumbered techniques between releases, so
no names are bundled for it: the id is shown, and the consumer resolves it against its own copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATTACK = re.compile(r"T[1-9]\d{3}(?:\.\d{3})?")
_DISARM = re.compile(r"T0\d{3}(?:\.\d{3})?")

# Names of the ATT&CK (Enterprise) techniques election-targeting detectors are likely to cite.
ATTACK_NAMES: dict[str, str] = {
    "T1036": "Masquerading",
    "T1078": "Valid Accounts",
    "T1078.004": "Valid Accounts: Cloud Accounts",
    "T1110": "Brute Force",
    "T1110.001": "Brute Force: Password Guessing",
    "T1110.003": "Brute Force: Password Spraying",
    "T1110.004": "Brute Force: Credential Stuffing",
    "T1114": "Email Collection",
    "T1114.003": "Email Collection: Email Forwarding Rule",
    "T1204.001": "User Execution: Malicious Link",
    "T1528": "Steal Application Access Token",
    "T1534": "Internal Spearphishing",
    "T1566": "Phishing",
    "T1566.001": "Phishing: Spearphishing Attachment",
    "T1566.002": "Phishing: Spearphishing Link",
    "T1566.003": "Phishing: Spearphishing via Service",
    "T1583": "Acquire Infrastructure",
    "T1583.001": "Acquire Infrastructure: Domains",
    "T1584": "Compromise Infrastructure",
    "T1584.001": "Compromise Infrastructure: Domains",
    "T1585": "Establish Accounts",
    "T1585.001": "Establish Accounts: Social Media Accounts",
    "T1585.002": "Establish Accounts: Email Accounts",
    "T1586": "Compromise Accounts",
    "T1586.002": "Compromise Accounts: Email Accounts",
    "T1598": "Phishing for Information",
    "T1598.003": "Phishing for Information: Spearphishing Link",
    "T1621": "Multi-Factor Authentication Request Generation",
    "T1656": "Impersonation",
}


@dataclass(frozen=True)
class Technique:
    id: str
    framework: str | None  # "mitre-attack", "DISARM", or None for an id of neither
    name: str | None  # known name, ATT&CK only

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}" if self.name else self.id

    @property
    def stix_name(self) -> str:
        """The name as ATT&CK's own STIX data has it (sub-techniques without their parent's name)."""
        return self.name.split(": ", 1)[-1] if self.name else self.id

    @property
    def framework_label(self) -> str:
        return {"mitre-attack": "MITRE ATT&CK", "DISARM": "DISARM"}.get(self.framework or "", "")

    @property
    def url(self) -> str | None:
        if self.framework == "mitre-attack":
            return "https://attack.mitre.org/techniques/" + self.id.replace(".", "/") + "/"
        return None


def technique(tid: str) -> Technique:
    tid = tid.strip()
    if _ATTACK.fullmatch(tid):
        return Technique(tid, "mitre-attack", ATTACK_NAMES.get(tid))
    if _DISARM.fullmatch(tid):
        return Technique(tid, "DISARM", None)
    return Technique(tid, None, None)
