"""Read a Sigma rule and compile it into the SQL that runs over ``signins``, or say why it cannot be.

A rule file is whatever someone downloaded: it is read bounded in size, parsed with YAML's safe loader
after a scan that refuses aliases (a "billion laughs" document) and more than one document, and
converted by pySigma with the pipeline of its log source (``vigil.rules.pipelines``). Each reason for
refusing is a ``RuleRefused`` with a sentence a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sigma.exceptions import SigmaError
from sigma.rule import SigmaDetection, SigmaDetectionItem, SigmaRule
from sigma.types import SigmaFieldReference

from vigil.errors import VigilError
from vigil.rules.pipelines import pipeline_for
from vigil.rules.sources import LogSource, source_for, supported_logsources
from vigil.rules.sql import RuleSQLError, SignInSQLBackend, build_query

#: Largest rule file accepted. SigmaHQ's largest sign-in rules are a few KiB.
MAX_RULE_BYTES = 64 * 1024
#: Most YAML events (scalars, keys, collections) in one rule.
MAX_YAML_EVENTS = 20_000

_LEVELS = {"informational": "info", "low": "low", "medium": "medium", "high": "high", "critical": "critical"}
_TECHNIQUE = re.compile(r"^t\d{4}(\.\d{3})?$")


class RuleRefused(VigilError):
    """A rule that vigil will not run, and why."""


@dataclass(frozen=True)
class CompiledRule:
    """A rule that converts, with what a detector needs to run it and report on it."""

    slug: str
    title: str
    sigma_id: str | None
    description: str
    severity: str
    techniques: tuple[str, ...]
    source: str  # vigil.rules.sources name: entra, okta, google
    status: str | None
    query: str  # Spark SQL over vigil.rules.sql.TABLE
    text: str  # the rule as it was written

    @property
    def detector_id(self) -> str:
        return f"sigma.{self.slug}"


def read_rule_file(path: Path) -> str:
    """The text of a rule file, bounded in size; a ``RuleRefused`` when it is too large or not UTF-8."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_RULE_BYTES + 1)
    except OSError as exc:
        raise RuleRefused(f"cannot read it: {exc.strerror or exc}") from None
    if len(raw) > MAX_RULE_BYTES:
        raise RuleRefused(f"larger than {MAX_RULE_BYTES // 1024} KiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleRefused("not UTF-8 text") from None


def slug_of(title: str) -> str:
    """A detector-id-safe name from a rule's title: lower case, words joined by ``_``, at most 48 chars."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}_{word}" if slug else word
        if len(candidate) > 48:
            break
        slug = candidate
    if not slug:
        raise RuleRefused("its title has no letters or digits to name a detector after")
    return slug if slug[0].isalpha() else f"rule_{slug}"


def compile_rule(text: str) -> CompiledRule:
    """Validate a rule and convert it; ``RuleRefused`` says why it cannot run on sign-ins."""
    data = _safe_yaml(text)
    if "correlation" in data:
        raise RuleRefused(
            "Sigma correlation rules are not supported; vigil groups the events a rule matches into one "
            "finding per user per day"
        )
    if "action" in data:
        raise RuleRefused("rule collections (action: global/repeat) are not supported: one rule per file")
    try:
        rule = SigmaRule.from_dict(data)
    except SigmaError as exc:
        raise RuleRefused(f"not a valid Sigma rule: {exc}") from None
    except Exception as exc:  # pySigma on malformed input: keep the reason, refuse the rule
        raise RuleRefused(f"not a valid Sigma rule: {type(exc).__name__}: {exc}") from None
    if not isinstance(rule.title, str) or not rule.title.strip():
        raise RuleRefused("it has no title")
    status = rule.status.name.lower() if rule.status else None
    if status in ("deprecated", "unsupported"):
        raise RuleRefused(f"its status is {status}")
    ls = rule.logsource
    source = source_for(ls.product, ls.service)
    if source is None:
        named = ", ".join(f"{k}: {v}" for k, v in (("product", ls.product), ("service", ls.service)) if v)
        raise RuleRefused(
            f"log source ({named or 'none'}) is not a sign-in log vigil keeps; "
            f"supported: {supported_logsources()}"
        )
    _check_condition(rule)
    _check_fields(rule, source)
    query = _convert(rule, source)
    return CompiledRule(
        slug=slug_of(rule.title),
        title=rule.title.strip(),
        sigma_id=str(rule.id) if rule.id else None,
        description=(rule.description or "").strip(),
        severity=_LEVELS.get(rule.level.name.lower(), "medium") if rule.level else "medium",
        techniques=tuple(
            t.name.upper()
            for t in rule.tags
            if t.namespace.lower() == "attack" and _TECHNIQUE.match(t.name.lower())
        ),
        source=source.name,
        status=status,
        query=query,
        text=text,
    )


def _safe_yaml(text: str) -> dict[str, Any]:
    if len(text.encode("utf-8")) > MAX_RULE_BYTES:
        raise RuleRefused(f"larger than {MAX_RULE_BYTES // 1024} KiB")
    documents = 0
    try:
        for count, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
            if count > MAX_YAML_EVENTS:
                raise RuleRefused(f"more than {MAX_YAML_EVENTS:,} YAML nodes")
            if isinstance(event, yaml.AliasEvent):
                raise RuleRefused("YAML aliases (*name) are not accepted in rules")
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
        if documents > 1:
            raise RuleRefused("more than one YAML document: one rule per file")
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleRefused(f"not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise RuleRefused("not a Sigma rule (the YAML is not a mapping)")
    return data


def _fields(detection: SigmaDetection) -> list[str | None]:
    out: list[str | None] = []
    for item in detection.detection_items:
        if isinstance(item, SigmaDetection):
            out += _fields(item)
        elif isinstance(item, SigmaDetectionItem):
            out.append(item.field)
            out += [v.field for v in item.value if isinstance(v, SigmaFieldReference)]
    return out


def _check_condition(rule: SigmaRule) -> None:
    """Refuse aggregations (the pipe syntax, ``timeframe``) before anything else is said of the rule."""
    for condition in rule.detection.parsed_condition:
        try:
            condition.parse()
        except SigmaError as exc:
            raise RuleRefused(f"its condition cannot be used: {exc}") from None
    if "timeframe" in rule.detection.detections:
        raise RuleRefused(
            "detection.timeframe belongs to aggregations, which are not supported; vigil groups the events "
            "a rule matches into one finding per user per day"
        )


def _check_fields(rule: SigmaRule, source: LogSource) -> None:
    """Refuse, naming every one of them, the fields that have no normalized equivalent."""
    names = [f for d in rule.detection.detections.values() for f in _fields(d)]
    if None in names:
        raise RuleRefused(
            "keyword searches (values without a field) are not supported: sign-ins are stored as "
            "normalized columns, not raw log lines"
        )
    missing = sorted({n for n in names if n is not None and source.lookup(n) is None}, key=str.lower)
    if missing:
        listed = ", ".join(repr(n) for n in missing)
        fields = f"field {listed} has" if len(missing) == 1 else f"fields {listed} have"
        raise RuleRefused(
            f"{fields} no normalized equivalent in {source.name} sign-ins "
            "(docs/sigma.md lists the fields vigil maps)"
        )


def _convert(rule: SigmaRule, source: LogSource) -> str:
    backend = SignInSQLBackend(processing_pipeline=pipeline_for(source))
    try:
        queries = backend.convert_rule(rule)
    except SigmaError as exc:
        raise RuleRefused(f"cannot be converted: {exc}") from None
    except (NotImplementedError, TypeError, ValueError) as exc:
        raise RuleRefused(f"cannot be converted: {exc or type(exc).__name__}") from None
    conditions = [q for q in queries if isinstance(q, str) and q.strip()]
    if not conditions:
        raise RuleRefused("cannot be converted: the backend produced no query")
    condition = " OR ".join(f"({c})" for c in conditions) if len(conditions) > 1 else conditions[0]
    try:
        return build_query(condition)
    except RuleSQLError as exc:
        raise RuleRefused(str(exc)) from None
