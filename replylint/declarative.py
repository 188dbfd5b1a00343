"""Rules as data, for people who don't write Python (after Vale and proselint).

A rule file (YAML or TOML) in a plugin directory declares one rule, or several under
``rules:``. Two types:

- ``existence``: ``phrases`` that should not appear (``message`` may use ``{match}``);
- ``substitution``: a ``swap`` table of bad → good wording (``{match}``, ``{replacement}``).

Matching is case-insensitive and word-bounded, over the author's own text only. ``examples``
with ``bad`` and ``good`` lists feed the generic fixture test, as fixture files do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .hookspecs import hookimpl
from .model import Check, Document, Hit, Severity
from .phrasescan import PhraseTable
from .plugins import PluginError

REQUIRED = ("id", "code", "type", "message")
KNOWN = set(REQUIRED) | {
    "severity", "phrases", "swap", "description", "why", "examples", "ignorecase",
    "kinds", "fix",
}
RULE_ID = re.compile(r"[a-z][a-z0-9]*\.[a-z0-9]+(?:-[a-z0-9]+)*")
RULE_CODE = re.compile(r"[A-Z]{2,5}[0-9]{3}")


def phrase_pattern(phrases: list[str], ignorecase: bool = True) -> PhraseTable:
    """One word-bounded alternation for a phrase list, longest phrase first."""
    parts = [
        r"\s+".join(re.escape(word) for word in p.split())
        for p in sorted(set(phrases), key=lambda p: (-len(p), p))  # the same every run
        if p.strip()
    ]
    flags = re.IGNORECASE if ignorecase else 0
    return PhraseTable(parts, flags, r"(?<!\w)", r"(?!\w)")


def _docs(rule: Mapping[str, Any]) -> str:
    examples = rule.get("examples") or {}
    bad = (examples.get("bad") or ["—"])[0].replace("«", "").replace("»", "")
    good = (examples.get("good") or ["—"])[0]
    what = rule.get("description") or f"Flags wording listed in a {rule['type']} rule."
    why = rule.get("why") or rule["message"]
    return (
        f"{what.strip()}\n\n## What it does\n{what.strip()}\n\n## Why is this bad?\n"
        f"{why.strip()}\n\n## Example\n```text\n{bad}\n```\n\n## Use instead\n"
        f"```text\n{good}\n```\n"
    )


def make_check(rule: Mapping[str, Any], where: str) -> Check:
    """A Check from one declared rule, refusing missing or unknown keys with a clear error."""
    missing = [k for k in REQUIRED if k not in rule]
    if missing:
        raise PluginError(f"{where}: rule is missing {', '.join(missing)}")
    unknown = sorted(set(rule) - KNOWN)
    if unknown:
        raise PluginError(f"{where}: rule {rule['id']}: unknown key(s) {', '.join(unknown)}")
    if not RULE_ID.fullmatch(str(rule["id"])):
        raise PluginError(f"{where}: rule id {rule['id']!r} must look like family.kebab-name")
    if not RULE_CODE.fullmatch(str(rule["code"])):
        raise PluginError(f"{where}: rule {rule['id']}: code {rule['code']!r} must look like ABC123")
    kind = rule["type"]
    ignorecase = bool(rule.get("ignorecase", True))
    message = str(rule["message"])
    if kind == "existence":
        phrases = rule.get("phrases")
        if not isinstance(phrases, list) or not phrases:
            raise PluginError(f"{where}: rule {rule['id']}: existence needs a phrases list")
        swap: dict[str, str] = {}
    elif kind == "substitution":
        swap = rule.get("swap")
        if not isinstance(swap, dict) or not swap:
            raise PluginError(f"{where}: rule {rule['id']}: substitution needs a swap table")
        phrases = list(swap)
    else:
        raise PluginError(f"{where}: rule {rule['id']}: type must be existence or substitution")
    pattern = phrase_pattern([str(p) for p in phrases], ignorecase)
    lookup = {" ".join(k.lower().split()): str(v) for k, v in swap.items()}
    fix_safe = rule.get("fix") == "safe"

    def run(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
        for m in pattern.finditer(doc.prose):
            found = m.group()
            good = lookup.get(" ".join(found.lower().split()))
            text = message.format(match=found, replacement=good or "")
            yield Hit(m.start(), m.end(), text, (good,) if good is not None else (), fix_safe)

    try:
        severity = Severity.parse(rule.get("severity", "warning"))
    except ValueError as e:
        raise PluginError(f"{where}: rule {rule['id']}: {e}") from None
    return Check(
        id=rule["id"],
        code=rule["code"],
        severity=severity,
        func=run,
        kinds=frozenset(rule.get("kinds", ("draft", "macro"))),
        doc=_docs(rule),
    )


def read_rules(path: Path) -> list[dict[str, Any]]:
    try:
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(raw)
        else:
            import yaml

            data = yaml.safe_load(raw)
    except Exception as e:
        raise PluginError(f"{path}: cannot read rule file: {type(e).__name__}: {e}") from None
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    rules = data if isinstance(data, list) else [data]
    if not all(isinstance(r, dict) for r in rules):
        raise PluginError(f"{path}: a rule file holds a rule table or a list under rules")
    return rules


def load_rule_file(path: Path) -> SimpleNamespace:
    """A plugin object whose ``register_checks`` registers the file's rules."""
    rules = read_rules(path)
    checks = [make_check(rule, str(path)) for rule in rules]

    @hookimpl
    def register_checks(register):
        for c in checks:
            register(c)

    return SimpleNamespace(register_checks=register_checks, rules=rules)
