"""The Sigma rules of a workspace: ``<workspace>/rules/<name>.yml``, each as its author wrote it.

``add`` validates and compiles each rule before it copies it; a rule with the same Sigma ``id`` as a
stored one replaces it (``updated``), a rule whose detector id another stored rule already has is
refused. The detector id is ``sigma.<name>``, ``<name>`` made from the rule's title.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from vigil.errors import VigilError
from vigil.rules import RULES_DIR
from vigil.rules.load import CompiledRule, RuleRefused, compile_rule, read_rule_file

#: Most rule files one ``add`` reads (a folder of every SigmaHQ rule is about 3,500).
MAX_FILES = 5_000
_SUFFIXES = (".yml", ".yaml")


@dataclass
class StoredRule:
    path: Path
    rule: CompiledRule | None
    error: str | None = None

    @property
    def detector_id(self) -> str:
        return self.rule.detector_id if self.rule else f"sigma.{self.path.stem}"

    @property
    def title(self) -> str:
        return self.rule.title if self.rule else self.path.name


@dataclass
class AddResult:
    path: str
    status: str  # added, updated, unchanged, refused
    detector_id: str | None = None
    reason: str | None = None


def rules_dir(workspace_path: Path) -> Path:
    return workspace_path / RULES_DIR


def stored_rules(workspace_path: Path) -> list[StoredRule]:
    """Every stored rule, compiled again (a rule that no longer compiles comes with its error)."""
    folder = rules_dir(workspace_path)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.yml")):
        try:
            out.append(StoredRule(path, compile_rule(read_rule_file(path))))
        except RuleRefused as exc:
            out.append(StoredRule(path, None, str(exc)))
    return out


def rule_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The rule files named, and those under the folders named (``.yml``/``.yaml``, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file())
        elif path.is_file():
            yield path
        elif path.exists():
            raise VigilError(f"not a regular file or folder: {path}")
        else:
            raise VigilError(f"no such file or folder: {path}")


def add_rules(workspace_path: Path, paths: Iterable[Path]) -> list[AddResult]:
    """Validate, compile and copy rules into the workspace; one result per file read."""
    from vigil.detect.api import registry
    from vigil.rules.detector import verify_on_duckdb

    folder = rules_dir(workspace_path)
    folder.mkdir(parents=True, exist_ok=True)
    built_in = set(registry())
    results: list[AddResult] = []
    stored = {s.detector_id: s for s in stored_rules(workspace_path)}
    for count, path in enumerate(rule_files(paths)):
        if count >= MAX_FILES:
            raise VigilError(f"more than {MAX_FILES:,} rule files: add them in smaller folders")
        try:
            rule = compile_rule(read_rule_file(path))
            verify_on_duckdb(rule)
        except RuleRefused as exc:
            results.append(AddResult(str(path), "refused", reason=str(exc)))
            continue
        except Exception as exc:  # the SQL did not run on an empty table: refuse, say why
            results.append(AddResult(str(path), "refused", reason=f"its SQL does not run: {exc}"))
            continue
        same_id = [
            s for s in stored.values() if rule.sigma_id and s.rule and s.rule.sigma_id == rule.sigma_id
        ]
        holder = stored.get(rule.detector_id)
        if holder is not None and holder.rule is None:  # a stored rule that no longer compiles: replace it
            same_id.append(holder)
        if rule.detector_id in built_in:
            results.append(
                AddResult(str(path), "refused", reason=f"{rule.detector_id} is a built-in detector")
            )
            continue
        if holder is not None and holder not in same_id:
            results.append(
                AddResult(
                    str(path),
                    "refused",
                    rule.detector_id,
                    f"the stored rule {holder.path.name} already has the detector id {rule.detector_id}"
                    " (give this rule another title)",
                )
            )
            continue
        if same_id and same_id[0].rule is not None and same_id[0].rule.text == rule.text:
            results.append(AddResult(str(path), "unchanged", rule.detector_id))
            continue
        for old in same_id:
            old.path.unlink()
            stored.pop(old.detector_id, None)
        target = folder / f"{rule.slug}.yml"
        _write(target, rule.text)
        stored[rule.detector_id] = StoredRule(target, rule)
        results.append(AddResult(str(path), "updated" if same_id else "added", rule.detector_id))
    return results


def remove_rule(workspace_path: Path, ident: str) -> StoredRule:
    """Remove the stored rule named by its detector id, file name or Sigma id."""
    wanted = ident.strip()
    for stored in stored_rules(workspace_path):
        names = {stored.detector_id, stored.path.stem, stored.path.name}
        if stored.rule and stored.rule.sigma_id:
            names.add(stored.rule.sigma_id)
        if wanted in names:
            stored.path.unlink()
            return stored
    raise VigilError(f"no Sigma rule {ident!r} in this workspace (see `vigil rules list`)")


def _write(path: Path, text: str) -> None:
    """Write atomically: a reader never sees half a rule."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rule-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
