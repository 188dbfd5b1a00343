"""Every rule's bad/good examples, from fixture files and declarative rule files."""

from pathlib import Path

import pytest

from replylint.plugins import build_registry, plugin_files
from replylint.testing import check_fixture, check_rule_file_examples

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rules").rglob("*.yaml"))
RULE_FILES = [p for p in plugin_files([ROOT / "plugins"]) if p.suffix != ".py"]


@pytest.fixture(scope="module")
def registry():
    return build_registry([ROOT / "plugins"], entry_points_group=None)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture(path, registry):
    assert check_fixture(path, registry) == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_declarative_rule_examples(path, registry):
    assert check_rule_file_examples(path, registry) == []


def test_every_rule_has_a_fixture(registry):
    import yaml

    covered = {yaml.safe_load(p.read_text())["rule"] for p in FIXTURES}
    declared = {
        rule["id"] for p in RULE_FILES for rule in __import__("replylint.declarative",
        fromlist=["read_rules"]).read_rules(p)
    }
    missing = sorted(set(registry.checks) - covered - declared)
    assert missing == [], f"rules without bad/good fixtures: {missing}"
