"""Rule pages are generated from docstrings: they must be complete and committed fresh."""

from pathlib import Path

import pytest

from replylint.docgen import SECTIONS, builtin_pages, missing_sections
from replylint.plugins import build_registry

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = build_registry([ROOT / "plugins"], entry_points_group=None)


@pytest.mark.parametrize("rule", sorted(REGISTRY.checks))
def test_every_rule_docstring_has_every_section(rule):
    check = REGISTRY.checks[rule][0]
    assert check.summary, f"{rule} has no one-line summary"
    assert missing_sections(check) == [], f"{rule} docstring lacks {missing_sections(check)}"


def test_rule_pages_are_up_to_date():
    expected = builtin_pages(ROOT / "docs")
    stale = [str(p.relative_to(ROOT)) for p, text in expected.items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert stale == [], f"run `python -m replylint.docgen docs` to regenerate: {stale}"
    on_disk = set((ROOT / "docs" / "rules").rglob("*.md"))
    assert on_disk == set(expected), "docs/rules has pages for rules that no longer exist"


def test_sections_are_the_ruff_ones():
    assert SECTIONS == ("What it does", "Why is this bad?", "Example", "Use instead")
