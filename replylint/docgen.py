"""Rule documentation pages, generated from each check's docstring (as ruff does).

``python -m replylint.docgen`` rewrites ``docs/rules/``; a test fails when the committed pages
are stale or a docstring lacks a section.
"""

from __future__ import annotations

import sys
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


def rule_page(check: Check, plugin: str = "") -> str:
    summary, _, body = check.doc.partition("\n")
    kinds = " and ".join(sorted(k + "s" for k in check.kinds))
    origin = f" · Plugin: `{plugin}`" if plugin else ""
    return (
        f"# {check.id} ({check.code})\n\n"
        f"Default severity: **{check.severity}** · Applies to: {kinds}{origin}\n\n"
        f"{summary.strip()}\n\n{body.strip()}\n\n{_options_table(check)}"
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
