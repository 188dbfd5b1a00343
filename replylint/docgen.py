"""Rule documentation pages, generated from each check's docstring (as ruff does).

``python -m replylint.docgen`` rewrites ``docs/rules/``; a test fails when the committed pages
are stale or a docstring lacks a section.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from .model import Check

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")


def missing_sections(check: Check) -> list[str]:
    return [s for s in SECTIONS if f"## {s}" not in check.doc]


def _options_table(check: Check) -> str:
    if not check.options:
        return "## Options\nThis rule has no options.\n"
    rows = ["## Options", "| option | type | default | meaning |", "| --- | --- | --- | --- |"]
    for o in check.options:
        types = o.type if isinstance(o.type, tuple) else (o.type,)
        rows.append(
            f"| `{o.name}` | {' or '.join(t.__name__ for t in types)} | `{o.default!r}` | {o.help} |"
        )
    rows.append(
        f"\nSet them in config: `[tool.replylint.rules.{check.code}]` (or the rule id)."
    )
    return "\n".join(rows) + "\n"


@cache
def measured() -> dict:
    """Blind-judged precision per rule id (``replylint/data/precision.json``, written by
    ``eval/judging.py publish`` from the verdicts in ``eval/judgements/``)."""
    data = resources.files("replylint").joinpath("data/precision.json").read_text("utf-8")
    return json.loads(data)


def _precision(check: Check) -> str:
    m = measured()["rules"].get(check.id)
    state = "on by default" if check.default_enabled else \
        "off by default (select it by code, or use the `strict` preset)"
    if m is None or not m["judged"]:
        return (f"## Measured precision\nNot measured: it made no finding on the held-out real "
                f"replies (see docs/evaluation.md). This rule is {state}.\n")
    return (
        f"## Measured precision\n{m['agreed']} of {m['judged']} findings "
        f"({m['agreed'] / m['judged']:.0%}; 95% interval {m['low']:.0%}–{m['high']:.0%}) "
        f"were judged worth changing before sending by a support lead who never saw the code, "
        f"of the {m['findings']} it makes on the held-out real replies "
        f"({', '.join(m['sources'])}; judged in {', '.join(m['rounds'])}, {m['date']}; see "
        f"docs/evaluation.md). "
        f"This rule is {state}.\n"
    )


def rule_page(check: Check, plugin: str = "") -> str:
    summary, _, body = check.doc.partition("\n")
    kinds = " and ".join(sorted(k + "s" for k in check.kinds))
    channels = ", ".join(c for c in ("email", "chat", "social", "macro") if c in check.channels)
    origin = f" · Plugin: `{plugin}`" if plugin else ""
    return (
        f"# {check.id} ({check.code})\n\n"
        f"Default severity: **{check.severity}** · Applies to: {kinds} · "
        f"Channels: {channels}{origin}\n\n"
        f"{summary.strip()}\n\n{body.strip()}\n\n{_options_table(check)}\n"
        f"{_precision(check)}"
    )


def page_path(docs_dir: Path, check: Check) -> Path:
    family, _, name = check.id.partition(".")
    return docs_dir / "rules" / family / f"{name}.md"


def builtin_pages(docs_dir: Path) -> dict[Path, str]:
    """The page each built-in rule should have, keyed by path."""
    from .plugins import build_registry

    registry = build_registry(entry_points_group=None)
    return {
        page_path(docs_dir, c): rule_page(c, p)
        for c, p in (registry.checks[c.id] for c in registry.sorted_checks())
        if p.startswith("replylint.")
    }


def main(argv: list[str] | None = None) -> int:
    docs_dir = Path(argv[0] if argv else "docs")
    for path, text in builtin_pages(docs_dir).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
