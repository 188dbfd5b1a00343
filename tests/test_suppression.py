"""Suppressions never put visible text in a customer's email: front matter, HTML comments,
config."""

from replylint import lint


def codes(report):
    return [f.code for f in report.findings]


def test_front_matter_ignore_per_macro():
    md = "---\ntitle: T\nkind: draft\nignore: [PLH001]\n---\nHi [NAME]\n"
    assert codes(lint(md, syntax="markdown")) == []
    md = "---\ntitle: T\nkind: draft\nignore: PLH\n---\nHi [NAME]\n"
    assert codes(lint(md, syntax="text")) == []


def test_markdown_comment_disable_and_enable():
    md = ("Hi [NAME],\n<!-- replylint-disable PLH001 -->\nCode XXX\n"
          "<!-- replylint-enable PLH001 -->\nDate [DATE]\n")
    report = lint(md, syntax="markdown")
    assert [f.match for f in report.findings] == ["[NAME]", "[DATE]"]


def test_markdown_comment_disable_next_line_and_all_rules():
    md = "<!-- replylint-disable-next-line -->\nHi [NAME]\nCode XXX\n"
    assert [f.match for f in lint(md, syntax="markdown").findings] == ["XXX"]
    md = "<!-- replylint-disable -->\nHi [NAME]\nCode XXX\n"
    assert lint(md, syntax="markdown").findings == []


def test_disable_names_other_rule_only():
    md = "<!-- replylint-disable TON001 -->\nHi [NAME]\n"
    assert codes(lint(md, syntax="markdown")) == ["PLH001"]


def test_config_ignore():
    assert lint("Hi [NAME]", config={"ignore": ["placeholders"]}).findings == []
