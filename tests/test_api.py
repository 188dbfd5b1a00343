"""The Python API: lint() one reply, lint_paths() files; reports carry findings and metrics."""

import pytest

import replylint
from replylint import Finding, Report, Severity, lint, lint_paths


def test_lint_returns_a_report():
    report = lint("Hi [NAME],\n\nYour refund is on its way.")
    assert isinstance(report, Report)
    [f] = report.findings
    assert isinstance(f, Finding)
    assert (f.code, f.rule, f.severity, f.line, f.column, f.match) == (
        "PLH001", "placeholders.unfilled", Severity.ERROR, 1, 4, "[NAME]")
    assert set(report.metrics) >= {"politeness", "reading_grade", "words"}


def test_lint_kind_and_context():
    assert lint("Hi {{first_name}}", kind="macro").findings == []
    report = lint("Hi Dana", context="I am furious")
    assert report.document.customer_text == "I am furious"
    with pytest.raises(ValueError):
        lint("x", kind="template")


def test_lint_syntax_markdown_masks_markup():
    report = lint("See [the docs](https://x.io/[NAME]) and `[TODO]`.", syntax="markdown")
    assert report.findings == []


def test_lint_config_mapping():
    assert lint("Hi [NAME]", config={"ignore": ["PLH"]}).findings == []


def test_lint_paths(tmp_path):
    (tmp_path / "a.txt").write_text("Hi [NAME]")
    result = lint_paths([tmp_path], config={})
    assert [f.code for f in result.findings] == ["PLH001"]
    assert result.exit_code == 1


def test_public_names():
    for name in replylint.__all__:
        assert hasattr(replylint, name)
    assert (replylint.__file__ and
            (__import__("pathlib").Path(replylint.__file__).parent / "py.typed").exists())
