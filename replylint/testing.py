"""Run a rule's bad/good examples: the same runner replylint's tests use, for plugin authors.

A fixture file (YAML) names a rule and lists examples; in ``bad`` ones the exact spans the
rule must report are marked with « and »::

    rule: placeholders.unfilled
    bad:
      - "Hi «[Customer Name]», thanks for writing."
      - text: "Your code is «XXX»."
        kind: draft            # or macro
        channel: email         # email, chat, social, macro (default: detected)
        context: "the customer's message"
        options: {}            # rule options, as in config
        syntax: text           # the reader: text, markdown, html
    good:
      - "Hi Dana, thanks for writing."

A top-level ``channel`` is the default of every example in the file.

``check_fixture(path)`` returns a list of failures (empty when the rule behaves); declarative
rule files carry the same ``examples`` and are checked by ``check_rule_file_examples``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import Config
from .engine import Linter
from .plugins import Registry, build_registry

OPEN, CLOSE = "«", "»"


def parse_marked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip « » markers; return the clean text and the marked spans in it."""
    clean: list[str] = []
    spans: list[tuple[int, int]] = []
    start = None
    for ch in text:
        if ch == OPEN:
            start = len(clean)
        elif ch == CLOSE:
            if start is None:
                raise ValueError(f"unbalanced » in {text!r}")
            spans.append((start, len(clean)))
            start = None
        else:
            clean.append(ch)
    if start is not None:
        raise ValueError(f"unbalanced « in {text!r}")
    return "".join(clean), spans


def _example(raw: Any) -> dict[str, Any]:
    return {"text": raw} if isinstance(raw, str) else dict(raw)


def run_example(
    rule: str, example: Mapping[str, Any], registry: Registry | None = None
) -> list[tuple[int, int]]:
    """The spans (source offsets) that ``rule`` reports on one example."""
    text, _ = parse_marked(example["text"])
    settings = {rule: dict(example.get("options", {}))} if example.get("options") else {}
    linter = Linter(Config(select=(rule,), rules=settings), registry or build_registry())
    syntax = example.get("syntax", "text")
    doc = linter.read(f"example.{syntax}", text.encode("utf-8"), syntax)[0]
    doc = replace(doc, kind=example.get("kind", "draft"), context=example.get("context"),
                  declared_channel=example.get("channel"))
    report = linter.lint_document(doc)
    return [(f.start, f.end) for f in report.findings if f.rule == rule or f.code == rule]


def check_examples(
    rule: str, examples: Mapping[str, Any], registry: Registry | None = None, where: str = ""
) -> list[str]:
    """Failures for a rule's ``bad`` and ``good`` examples (empty list: all behave)."""
    registry = registry or build_registry()
    if registry.by_code_or_id(rule) is None:
        return [f"{where}: no rule {rule!r} is registered"]
    failures = []
    default = {"channel": examples["channel"]} if examples.get("channel") else {}
    for raw in examples.get("bad", []):
        ex = {**default, **_example(raw)}
        _, expected = parse_marked(ex["text"])
        got = run_example(rule, ex, registry)
        if not expected:
            failures.append(f"{where}: bad example has no «marked» span: {ex['text']!r}")
        elif sorted(got) != sorted(expected):
            failures.append(f"{where}: {rule} on {ex['text']!r}: expected {expected}, got {got}")
    for raw in examples.get("good", []):
        ex = {**default, **_example(raw)}
        got = run_example(rule, ex, registry)
        if got:
            failures.append(f"{where}: {rule} fired on good example {ex['text']!r} at {got}")
    if not examples.get("bad") or not examples.get("good"):
        failures.append(f"{where}: {rule} needs at least one bad and one good example")
    return failures


def check_fixture(path: Path, registry: Registry | None = None) -> list[str]:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return check_examples(data["rule"], data, registry, str(path))


def check_rule_file_examples(path: Path, registry: Registry | None = None) -> list[str]:
    """Failures for every rule declared in a declarative rule file, from its ``examples``."""
    from .declarative import read_rules

    registry = registry or build_registry([Path(path).parent])
    failures = []
    for rule in read_rules(Path(path)):
        failures += check_examples(rule["id"], rule.get("examples") or {}, registry, str(path))
    return failures
