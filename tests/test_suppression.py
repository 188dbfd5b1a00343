"""Suppressions never put visible text in a customer's email: front matter, HTML comments,
config."""

from replylint import lint


PLH = {"select": ["PLH"]}


def codes(report):
    return [f.code for f in report.findings]


def test_front_matter_ignore_per_macro():
    md = "---\ntitle: T\nkind: draft\nignore: [PLH001]\n---\nHi [NAME]\n"
    assert codes(lint(md, syntax="markdown", config=PLH)) == []
    md = "---\ntitle: T\nkind: draft\nignore: PLH\n---\nHi [NAME]\n"
    assert codes(lint(md, syntax="text", config=PLH)) == []


def test_markdown_comment_disable_and_enable():
    md = ("Hi [NAME],\n<!-- replylint-disable PLH001 -->\nCode XXX\n"
          "<!-- replylint-enable PLH001 -->\nDate [DATE]\n")
    report = lint(md, syntax="markdown", config=PLH)
    assert [f.match for f in report.findings] == ["[NAME]", "[DATE]"]


def test_markdown_comment_disable_next_line_and_all_rules():
    md = "<!-- replylint-disable-next-line -->\nHi [NAME]\nCode XXX\n"
    assert [f.match for f in lint(md, syntax="markdown", config=PLH).findings] == ["XXX"]
    md = "<!-- replylint-disable -->\nHi [NAME]\nCode XXX\n"
    assert lint(md, syntax="markdown", config=PLH).findings == []


def test_disable_names_other_rule_only():
    md = "<!-- replylint-disable TON001 -->\nHi [NAME]\n"
    assert codes(lint(md, syntax="markdown", config=PLH)) == ["PLH001"]


def test_config_ignore():
    assert lint("Hi [NAME]", config={"ignore": ["placeholders"]}).findings == []
