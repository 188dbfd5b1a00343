"""The default rule set is earned by measurement (docs/evaluation.md), as in ruff.

A built-in rule is on by default only if a support lead who never saw its code judged at least
85% of its findings on held-out real replies worth changing, over at least 20 judged findings
(``replylint/data/precision.json``, written by ``eval/judging.py publish`` from the verdicts in
``eval/judgements/``); or it is an ``error`` rule, held by its labelled fixtures and by
tests/test_real_data_errors.py to no finding on the shared real data; or it only ever reports
what the team configured (their glossary, their competitors' names), which is empty by default.
"""

import json
from pathlib import Path

import pytest

from replylint.docgen import measured
from replylint.model import Severity
from replylint.plugins import build_registry

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = build_registry(entry_points_group=None)
BUILTIN = [c for c in REGISTRY.sorted_checks() if REGISTRY.checks[c.id][1].startswith("replylint.")]
MIN_JUDGED = 20
MIN_PRECISION = 0.85
#: rules that report only the team's own configured terms (empty by default)
CONFIGURED = {"jargon.glossary-term", "tone.competitor-criticism"}


@pytest.mark.parametrize("check", [c for c in BUILTIN if c.default_enabled], ids=lambda c: c.id)
def test_every_default_rule_earned_its_place(check):
    if check.severity is Severity.ERROR:
        assert (ROOT / "tests" / "fixtures" / "rules" / check.family /
                f"{check.id.split('.', 1)[1]}.yaml").exists()
        return
    if check.id in CONFIGURED:
        assert all(not o.default for o in check.options if o.name in ("names", "replace"))
        return
    m = measured()["rules"].get(check.id)
    assert m is not None, f"{check.id} is on by default but was never judged"
    assert m["judged"] >= MIN_JUDGED, f"{check.id}: only {m['judged']} judged findings"
    assert m["agreed"] / m["judged"] >= MIN_PRECISION, (
        f"{check.id}: {m['agreed']}/{m['judged']} judged right, under {MIN_PRECISION:.0%}")


def test_measurements_come_from_recorded_verdicts():
    """Every judged count in precision.json is backed by verdict files in eval/judgements."""
    judged = 0
    for d in (ROOT / "eval" / "judgements").iterdir():
        key = [json.loads(x) for x in (d / "key.jsonl").read_text().splitlines() if x]
        verdicts = [json.loads(x) for x in (d / "verdicts.jsonl").read_text().splitlines() if x]
        assert {v["item"] for v in verdicts} == {k["item"] for k in key}, d.name
        assert {v["verdict"] for v in verdicts} <= {"yes", "no"}, d.name
        judged += len(verdicts)
    rules = measured()["rules"]
    assert sum(m["judged"] for m in rules.values()) <= judged
    for rule, m in rules.items():
        assert 0 <= m["agreed"] <= m["judged"] <= m["findings"], rule


def test_strict_selects_every_rule_and_extend_select_adds_one(tmp_path):
    from replylint.config import is_enabled, parse_config

    assert any(c.default_enabled for c in BUILTIN) and not all(c.default_enabled for c in BUILTIN)
    for c in BUILTIN:
        assert is_enabled(c, ("strict",), ()), c.id
        assert is_enabled(c, ("ALL",), ()) == c.default_enabled, c.id
        assert not is_enabled(c, ("strict",), (c.code,)), c.id
    off = next(c for c in BUILTIN if not c.default_enabled)
    config = parse_config({"extend-select": [off.code]}, None, tmp_path)
    assert is_enabled(off, config.select, config.ignore)
