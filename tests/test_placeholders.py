"""Placeholders in macros: broken ones, unknown variables per vendor, missing fallbacks."""

import dataclasses
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from replylint.checks.placeholders import (
    catalogs,
    declared_vendor,
    extra_catalog,
    liquid_result,
    liquid_source,
    unclosed_openers,
)
from replylint.config import Config
from replylint.engine import Linter
from replylint.model import Document
from replylint.placeholders import find_placeholders

ROOT = Path(__file__).resolve().parents[1]
READERS = ROOT / "tests" / "fixtures" / "readers"
MACRO_RULES = ("PLH002", "PLH003", "PLH004")


@pytest.fixture(scope="module")
def plh():
    """A linter running only the placeholder rules."""
    return Linter(Config(root=ROOT, select=("PLH",)))


def macro(text, vendor=None):
    return Document(text=text, source="m.txt", kind="macro",
                    meta={"vendor": vendor} if vendor else {})


def found(linter, doc, codes=MACRO_RULES):
    return [(f.code, f.match) for f in linter.lint_document(doc).findings if f.code in codes]


# -- finding placeholders ---------------------------------------------------------------------


@pytest.mark.parametrize("text, match", [
    ("Hi {{ticket.id}, x", "{{ticket.id}"),
    ("Hi {ticket.id}} x", "{ticket.id}}"),
    ("Hi {{ticket.id there", "{{ticket.id"),
    ("a {{ ticket.id %} b", "{{ ticket.id %}"),
    ("a {%customer.firstName}} b", "{%customer.firstName}}"),
    ("Hi ticket.requester.first_name}},", "ticket.requester.first_name}}"),
])
def test_broken_merge_fields_are_placeholders(text, match):
    got = [(text[p.start:p.end], p.syntax) for p in find_placeholders(text)]
    assert got == [(match, "malformed")]


def test_well_formed_and_code_are_not_broken():
    for text in ["{{ticket.id}} and {{ ticket.title | upcase }}", "{{{ raw }}}",
                 "{{\n  ticket.id\n}}", "a dict {'a': {'b': 1}} and {x}", "50%} done"]:
        assert [p.syntax for p in find_placeholders(text)] in ([], ["liquid"], ["liquid"] * 2)


def test_help_scout_tags_and_liquid_tags_are_told_apart():
    def syntax(t):
        return [p.syntax for p in find_placeholders(t)]

    assert syntax("{%customer.firstName,fallback=there%}") == ["helpscout"]
    assert syntax("{% customer.firstName %}") == ["helpscout"]
    assert syntax("{% else %}") == ["liquid"]
    assert syntax("{% iff ticket.status %}") == ["liquid"]           # a typo, not Help Scout
    assert syntax("{%customer.firstName fallback=x%}") == ["liquid"]  # not Help Scout's form


def test_double_angle_fill_in():
    text = "Dear <<Customer Name>>, see <b>this</b>."
    assert [text[p.start:p.end] for p in find_placeholders(text)] == ["<<Customer Name>>"]


def test_unclosed_openers_in_one_pass():
    assert unclosed_openers("{{ a }} {{ b {{ c }} {% if x }}") == [(8, 12), (21, 26)]
    assert len(unclosed_openers("{{" * 20000)) == 20000


# -- vendors and catalogs ---------------------------------------------------------------------


@pytest.mark.parametrize("vendor, known, unknown", [
    ("zendesk",
     ["ticket.id", "ticket.title", "ticket.description", "ticket.requester.name",
      "ticket.requester.first_name", "ticket.requester.email", "ticket.assignee.first_name",
      "ticket.organization.name", "ticket.status", "ticket.priority", "ticket.url",
      "ticket.link", "current_user.name", "current_user.signature", "satisfaction.rating_url",
      "ticket.ticket_field_360012345", "ticket.ticket_field_option_title_360012345",
      "ticket.requester.custom_fields.plan", "dc.welcome_text", "ticket.tags.size",
      "ticket.requester", "ticket.comments"],
     ["ticket.requestor.name", "ticket.requester.firstname", "ticket.subject", "customer.name",
      "ticket.ticket_field_abc"]),
    ("helpscout",
     ["customer.firstName", "customer.lastName", "customer.fullName", "customer.email",
      "user.firstName", "user.fullName", "mailbox.name", "mailbox.email",
      "conversation.number"],
     ["customer.first_name", "customer.frstName", "ticket.id"]),
    ("gorgias",
     ["ticket.customer.firstname", "ticket.customer.email", "ticket.id", "ticket.subject",
      "current_user.firstname", "current_user.name", "ticket.messages[-1].body_text",
      "ticket.customer.integrations.shopify.orders[0].name", "ticket.assignee_user.email"],
     ["ticket.customer.first_name", "current_user.first_name", "ticket.title"]),
    ("intercom",
     ["first_name", "last_name", "email", "company.name", "user.first_name",
      "conversation.custom_attributes.order_number"],
     ["frist_name"]),
])
def test_catalogs(vendor, known, unknown):
    cat = catalogs()[vendor]
    assert [k for k in known if not cat.has(k)] == []
    assert [u for u in unknown if cat.has(u)] == []


def test_vendor_names_and_aliases():
    cats = catalogs()
    assert cats["helpscout"] is cats["helpscout"] and cats["zendesk"].label == "Zendesk"
    for name, key in [("Help Scout", "helpscout"), ("help-scout", "helpscout"),
                      ("Zendesk", "zendesk"), ("zendesk support", "zendesk")]:
        assert cats[declared_vendor(macro("x", name), {})].key == key
    assert declared_vendor(macro("x"), {"vendor": "Gorgias"}) == "gorgias"
    # the macro's own vendor wins over the option (a config default)
    assert declared_vendor(macro("x", "Intercom"), {"vendor": "zendesk"}) == "intercom"
    assert declared_vendor(macro("x"), {"vendor": ""}) == ""


@pytest.mark.parametrize("vendor, path, suggestion", [
    ("zendesk", "ticket.requestor.name", "ticket.requester.name"),
    ("zendesk", "ticket.requester.firstname", "ticket.requester.first_name"),
    ("zendesk", "current_user.fullname", "current_user.name"),
    ("helpscout", "customer.first_name", "customer.firstName"),
    ("gorgias", "ticket.customer.first_name", "ticket.customer.firstname"),
    ("intercom", "frist_name", "first_name"),
])
def test_did_you_mean(vendor, path, suggestion):
    assert catalogs()[vendor].suggest(path) == suggestion


def test_extra_variables():
    extra = extra_catalog(["ticket.plan", "ticket.custom.*"])
    cat = catalogs()["zendesk"]
    assert cat.has("ticket.plan", extra) and cat.has("ticket.custom.anything.deep", extra)
    assert not cat.has("ticket.plans", extra)


# -- the rules on macros ----------------------------------------------------------------------


def test_unknown_variable_with_replacement(plh):
    report = plh.lint_document(macro("Hi {{ticket.requestor.name}},\n\nThanks!", "Zendesk"))
    [f] = [f for f in report.findings if f.code == "PLH003"]
    assert (f.match, f.replacements) == ("ticket.requestor.name", ("ticket.requester.name",))
    assert "did you mean 'ticket.requester.name'" in f.message


def test_loop_variables_and_assigns_are_not_reported(plh):
    text = ("{% for o in ticket.comments %}{{ o.value }} {{ forloop.index }}{% endfor %}"
            "{% assign first = ticket.requester.first_name | capitalize %}{{ first }}"
            "{% capture note %}x{% endcapture %}{{ note }}{% increment n %}{{ n }}"
            "{% tablerow t in ticket.tags %}{{ t }}{% endtablerow %}")
    assert found(plh, macro(text, "zendesk")) == []
    # the same, read with a regex when the Liquid does not parse (Gorgias is not Liquid)
    gorgias = ("{% for o in ticket.customer.integrations.shopify.orders %}{{ o.name }}"
               "{% endfor %}{% set x = 1 %}{{ x }} {{ loop.index }}")
    assert found(plh, macro(gorgias, "gorgias")) == []


def test_no_vendor_no_unknown_variable(plh):
    assert found(plh, macro("Hi {{ticket.requestor.name}},"), ("PLH003",)) == []


def test_help_scout_syntax_is_not_parsed_as_liquid():
    doc = macro("Hi {%customer.firstName,fallback=there%}, {% if a %}x{% endif %}")
    source = liquid_source(doc, "")
    assert len(source) == len(doc.text)
    assert source.startswith("Hi " + " " * 37 + ", {% if a %}")
    assert liquid_result(doc, "").errors == []


def test_help_scout_and_liquid_in_the_wrong_vendor(plh):
    assert found(plh, macro("Hi {{customer.firstName}}, {% if a %}x{% endif %}",
                            "Help Scout"), ("PLH002",)) == [
        ("PLH002", "{{customer.firstName}}"), ("PLH002", "{% if a %}"),
        ("PLH002", "{% endif %}")]
    assert found(plh, macro("Hi {%customer.firstName%}", "Zendesk"), ("PLH002",)) == [
        ("PLH002", "{%customer.firstName%}")]


@pytest.mark.parametrize("text, match, words", [
    ("Hi,\n\n{% iff ticket.status %}x{% endif %}", "{% iff ticket.status %}",
     "unknown tag 'iff' (did you mean 'if'?)"),
    ("Hi,\n{% if ticket.status == 'open' %}Open.\n\nBest", "{% if ticket.status == 'open' %}",
     "never closed: add {% endif %}"),
    ("Hi {% for c in ticket.comments %}{{ c.value }}{% endif %}", "{% endif %}",
     "unexpected tag 'endif'"),
    ("Ticket {{ ticket.id | }} is open", "{{ ticket.id | }}", "expected word"),
    ("Hi {% comment %} never closed", "{% comment %}", "comment tag was never closed"),
])
def test_liquid_errors_are_mapped_to_the_tag(plh, text, match, words):
    report = plh.lint_document(macro(text, "zendesk"))
    [f] = [f for f in report.findings if f.code == "PLH002"]
    assert f.match == match and words in f.message


def test_liquid_errors_in_a_zendesk_export_point_into_the_json(plh):
    body = ("Hi {{ticket.requester.first_name}},\n\nYour caf\u00e9 order "
            "{% iff ticket.status == 'open' %}ships today{% endif %}.\n\n"
            "Thanks, {{ticket.requestor.name}}")
    html = "<p>Hi {{ticket.requester.first_name}},</p><p>{% if ticket.status %}Open.</p>"
    export = {"macros": [
        {"id": 1, "title": "Plain", "actions": [{"field": "comment_value", "value": body}]},
        {"id": 2, "title": "HTML", "actions": [{"field": "comment_value_html", "value": html}]},
    ]}
    raw = json.dumps(export, indent=2)
    lines = raw.split("\n")
    reports = plh.lint_bytes("zendesk.json", raw.encode())
    got = [(f.code, f.match, f.line, f.column, f.end_column)
           for r in reports for f in r.findings]

    def where(needle):
        line = next(i for i, text in enumerate(lines, 1) if needle in text)
        col = lines[line - 1].index(needle) + 1
        return line, col, col + len(needle)

    tag, var, block = ("{% iff ticket.status == 'open' %}", "ticket.requestor.name",
                       "{% if ticket.status %}")
    assert "caf\\u00e9" in raw  # the escape shifts every column after it
    assert got == [("PLH002", tag, *where(tag)), ("PLH003", var, *where(var)),
                   ("PLH002", block, *where(block))]


def test_vendor_from_front_matter_through_the_reader(plh):
    text = "---\ntitle: Hi\nvendor: gorgias\n---\nHi {{ticket.customer.first_name}},\n"
    [report] = plh.lint_bytes("hi.md", text.encode())
    assert [(f.code, f.line, f.column, f.replacements) for f in report.findings] == [
        ("PLH003", 5, 6, ("ticket.customer.firstname",))]


def test_missing_fallback_from_exports(plh):
    with_fallbacks = Linter(Config(root=ROOT, select=("PLH", "PLH004")))  # PLH004: off by default
    helpscout = json.dumps([{"id": 1, "name": "Hi", "text": "<p>Hi {%customer.firstName%},</p>"}])
    intercom = json.dumps({"type": "list", "data": [
        {"type": "macro", "id": "1", "name": "Hi", "body_text": "Hi {{ first_name }},"}]})
    got = [(f.code, f.match, f.replacements)
           for name, data in [("hs.json", helpscout), ("ic.json", intercom)]
           for r in with_fallbacks.lint_bytes(name, data.encode()) for f in r.findings]
    assert got == [
        ("PLH004", "{%customer.firstName%}", ("{%customer.firstName,fallback=there%}",)),
        ("PLH004", "{{ first_name }}", ('{{ first_name | fallback: "there" }}',)),
    ]
    # the default set leaves it out
    defaults = Linter(Config(root=ROOT))
    assert not [f for name, data in [("hs.json", helpscout), ("ic.json", intercom)]
                for r in defaults.lint_bytes(name, data.encode()) for f in r.findings
                if f.code == "PLH004"]


def test_fallback_word_option():
    linter = Linter(Config(root=ROOT, select=("PLH004",),
                           rules={"PLH004": {"fallback": "friend"}}))
    [f] = linter.lint_document(macro("Hi {%customer.firstName%},", "helpscout")).findings
    assert f.replacements == ("{%customer.firstName,fallback=friend%}",)


def test_drafts_are_unaffected_by_macro_rules(plh):
    text = ("Hi {%customer.firstName%}, {{ticket.requestor.name}} {{ticket.id} "
            "{% iff x %}")
    draft = dataclasses.replace(macro(text, "zendesk"), kind="draft")
    codes = [f.code for f in plh.lint_document(draft).findings]
    assert codes == ["PLH001"] * 4
    assert set(codes) == {"PLH001"}


@pytest.mark.parametrize("path", sorted(READERS.glob("*_macros.json"))
                         + [READERS / "helpscout_saved_replies.json"], ids=lambda p: p.name)
def test_reader_fixture_macros_are_clean(plh, path):
    reports = plh.lint_bytes(path.name, path.read_bytes())
    assert reports and all(r.document.kind == "macro" for r in reports)
    assert [(f.code, f.match) for r in reports for f in r.findings if f.code in MACRO_RULES] == []


def test_example_macros_are_clean(plh):
    for path in sorted((ROOT / "examples" / "macros").iterdir()):
        for r in plh.lint_bytes(str(path), path.read_bytes()):
            assert [f.code for f in r.findings if f.code in MACRO_RULES] == [], path


def test_liquid_is_imported_only_for_macros_with_liquid(tmp_path):
    code = textwrap.dedent("""
        import sys
        from replylint import lint
        lint("Hi {{first_name}}, broken {% iff %}", kind="draft")
        lint("Hi Dana, no merge fields here.", kind="macro")
        print("liquid" in sys.modules)
        lint("Hi {% if a %}x{% endif %}", kind="macro")
        print("liquid" in sys.modules)
    """)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["False", "True"]
