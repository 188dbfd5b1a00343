"""Helpdesk macro exports: vendors, positions through JSON escapes and HTML, bad exports."""

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.model import InputError
from replylint.readers.exports import LocatingDecoder, load_export, string_offsets

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def load(name):
    data = (FIXTURES / name).read_bytes()
    return data, load_export(name, data)


def placeholders(linter, doc):
    """``(match, line, column)`` of each placeholder, linting the macro as if it were a draft."""
    report = linter.lint_document(dataclasses.replace(doc, kind="draft"))
    return [(f.match, f.line, f.column) for f in report.findings if f.code == "PLH001"]


def raw_at(data, line, column):
    return data.decode().split("\n")[line - 1][column - 1 :]


# -- Zendesk ----------------------------------------------------------------------------------


def test_zendesk_macros():
    _, docs = load("zendesk_macros.json")
    assert [(d.kind, d.name, d.macro_id) for d in docs] == [
        ("macro", "Billing::Refund issued", "360001"),
        ("macro", "Shipping::Delayed", "360002"),
    ]  # "Close ticket" only sets a status: nothing to lint
    assert docs[0].text == (
        "Hi {{ticket.requester.first_name}},\n\nWe've refunded the café order 😀 \"XXX\" to "
        "your card.\n\nBest,\n{{current_user.first_name}}"
    )
    assert docs[1].text == (
        "Hi {{ticket.requester.first_name}},\n\nYour order ships on [DATE] — sorry!"
    )
    assert docs[0].meta == {"vendor": "Zendesk"}


def test_zendesk_positions_through_escapes(linter):
    data, docs = load("zendesk_macros.json")
    found = placeholders(linter, docs[0])
    # after \n\n, \u00e9, a \ud83d\ude00 surrogate pair and \"
    assert found == [
        ("{{ticket.requester.first_name}}", 11, 49),
        ("XXX", 11, 135),
        ("{{current_user.first_name}}", 11, 165),
    ]
    for match, line, column in found:
        assert raw_at(data, line, column).startswith(match)


def test_zendesk_html_comment_positions(linter):
    data, docs = load("zendesk_macros.json")
    found = placeholders(linter, docs[1])
    assert ("[DATE]", 23, 132) in found
    assert raw_at(data, 23, 132).startswith("[DATE] &mdash;")


def test_escaped_character_maps_to_its_backslash():
    data, docs = load("zendesk_macros.json")
    doc = docs[0]
    for ch, raw in [("é", "\\u00e9"), ("😀", "\\ud83d\\ude00"), ('"', '\\"'), ("\n", "\\n")]:
        line, column = doc.source_map.line_col(doc.source_map.to_source(doc.text.index(ch)))
        assert raw_at(data, line, column).startswith(raw)


def test_single_zendesk_macro():
    data = json.dumps({"macro": {"id": 5, "title": "Hi", "actions": [
        {"field": "comment_value", "value": "Hi [NAME]"}]}}).encode()
    (doc,) = load_export("m.json", data)
    assert (doc.name, doc.macro_id, doc.text) == ("Hi", "5", "Hi [NAME]")


def test_placeholders_in_macros_are_expected(linter):
    data, _ = load("zendesk_macros.json")
    reports = linter.lint_bytes("zendesk_macros.json", data)
    assert len(reports) == 2
    assert not [f for r in reports for f in r.findings if f.code == "PLH001"]


# -- Help Scout -------------------------------------------------------------------------------


def test_helpscout_saved_replies(linter):
    data, docs = load("helpscout_saved_replies.json")
    assert [(d.name, d.macro_id) for d in docs] == [
        ("Password reset", "7001"), ("Chat only", "7002"),
    ]
    html_reply, chat_reply = docs
    assert html_reply.text == (
        "Hi {%customer.firstName,fallback=there%},\n\nUse the link below – it expires in "
        "[NUMBER] hours."
    )
    assert chat_reply.text == "Thanks for waiting!\nI'll check with [AGENT NAME]."  # \r\n escaped
    found = placeholders(linter, html_reply) + placeholders(linter, chat_reply)
    assert ("[NUMBER]", 5, 108) in found and ("[AGENT NAME]", 12, 57) in found
    for match, line, column in found:
        assert raw_at(data, line, column).startswith(match)


def test_helpscout_embedded():
    data = json.dumps(
        {"_embedded": {"replies": [{"id": 1, "name": "A", "text": "<p>Hi&nbsp;there</p>"}]}}
    ).encode()
    (doc,) = load_export("h.json", data)
    assert (doc.name, doc.text) == ("A", "Hi there")


# -- Gorgias ----------------------------------------------------------------------------------


def test_gorgias_macros(linter):
    data, docs = load("gorgias_macros.json")
    assert [(d.name, d.macro_id) for d in docs] == [
        ("Where is my order", "101"), ("Damaged item", "102"),
    ]
    text_macro, html_macro = docs
    assert text_macro.text.startswith("Hey {{ticket.customer.firstname}},\n\nYour order")
    assert html_macro.text == "So sorry!\nPlease send a photo to [EMAIL]."  # body_text empty
    found = placeholders(linter, text_macro) + placeholders(linter, html_macro)
    assert ("TODO", 12, 149) in found and ("[EMAIL]", 21, 103) in found
    for match, line, column in found:
        assert raw_at(data, line, column).startswith(match)


def test_gorgias_bare_list():
    data = json.dumps([{"id": 1, "name": "G", "actions": [
        {"name": "setResponseText", "arguments": {"body_text": "Hi XXX"}}]}]).encode()
    (doc,) = load_export("g.json", data)
    assert (doc.name, doc.text) == ("G", "Hi XXX")


# -- Intercom ---------------------------------------------------------------------------------


def test_intercom_macros(linter):
    data, docs = load("intercom_macros.json")
    text_macro, html_macro = docs
    assert text_macro.text == (
        'Hi {{first_name | fallback: "there"}},\nI\'ve extended your trial by [NUMBER] days.'
    )
    assert html_macro.text == (
        "Thanks for the report!\n\nIt crashes when I click [BUTTON]\n\n"
        "Our team is on it — ETA XXX."
    )
    (span,) = html_macro.quoted_hints
    assert html_macro.text[span.start : span.end] == "It crashes when I click [BUTTON]"
    found = placeholders(linter, html_macro)
    assert ("XXX", 19, 135) in found
    assert raw_at(data, 19, 135).startswith("XXX")
    found = placeholders(linter, text_macro)
    assert ("[NUMBER]", 9, 91) in found and raw_at(data, 9, 91).startswith("[NUMBER] days")


# -- not an export, and broken exports -------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b'{"name": "replylint", "version": "1.0.0", "dependencies": {}}',
        b"[1, 2, 3]",
        b"[]",
        b"{}",
        b'{"data": [{"id": 1, "label": "x"}]}',
        b'{"broken": tru',  # broken, but nothing says it is a helpdesk export
    ],
)
def test_other_json_is_not_ours(data, linter):
    assert load_export("other.json", data) is None
    with pytest.raises(InputError, match="no reader recognises this file"):
        linter.read("other.json", data)


def test_syntax_error_in_an_export_has_line_and_column():
    data = b'{"macros": [\n  {"id": 1, "title": "A", "actions": [}\n]}'
    with pytest.raises(InputError) as e:
        load_export("z.json", data)
    assert e.value.reason == "invalid JSON at line 2, column 39: Expecting value"


@pytest.mark.parametrize(
    "tree, reason",
    [
        ({"macros": {"id": 1}}, 'Zendesk export: the macros must be a list, not an object'),
        ({"macros": [1]}, "Zendesk export: the macros: item 1 must be an object, not a number"),
        (
            {"macros": [{"id": 7, "title": "Refund", "actions": {"field": "x"}}]},
            "Zendesk macro 'Refund' (id 7): \"actions\" must be a list, not an object",
        ),
        (
            {"macros": [{"id": 7, "title": "Refund",
                         "actions": [{"field": "comment_value", "value": 42}]}]},
            "Zendesk macro 'Refund' (id 7): comment_value must be text or [channel, text], "
            "not a number",
        ),
        (
            {"macros": [{"actions": [{"field": "comment_value_html", "value": None}]}]},
            "Zendesk macro #1: comment_value_html must be text or [channel, text], not null",
        ),
        (
            {"_embedded": {"replies": "none"}},
            "Help Scout export: the macros must be a list, not a string",
        ),
        (
            [{"id": 3, "name": "Chat", "text": ["x"]}],
            "Help Scout macro 'Chat' (id 3): \"text\" must be a string, not a list",
        ),
        (
            {"data": [{"id": 9, "name": "G", "actions": [
                {"name": "setResponseText", "arguments": "Hi"}]}]},
            "Gorgias macro 'G' (id 9): setResponseText \"arguments\" must be an object, "
            "not a string",
        ),
        (
            {"type": "list",
             "data": [{"type": "macro", "id": "4", "name": "I", "body_text": True}]},
            "Intercom macro 'I' (id 4): \"body_text\" must be a string, not a boolean",
        ),
    ],
)
def test_wrong_shape_names_the_problem(tree, reason):
    with pytest.raises(InputError) as e:
        load_export("x.json", json.dumps(tree).encode())
    assert e.value.reason == reason


def test_invalid_utf8():
    with pytest.raises(InputError, match="invalid UTF-8 at byte 13"):
        load_export("x.json", b'{"macros": ["\xff"]}')


def test_deep_nesting_is_an_input_error_or_not_ours():
    deep = b'{"macros": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(InputError, match="nested too deeply"):
        load_export("x.json", deep)
    assert load_export("y.json", b"[" * 100_000 + b"]" * 100_000) is None


def test_engine_picks_the_export_reader(linter):
    data = (FIXTURES / "intercom_macros.json").read_bytes()
    assert [d.name for d in linter.read("intercom_macros.json", data)] == [
        "Trial extension", "Bug acknowledged",
    ]


# -- string offsets, as a property ----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans(), st.text(" \n", max_size=3))
def test_every_decoded_character_maps_to_its_json(value, ascii_only, pad):
    source = '{"k":' + pad + json.dumps(value, ensure_ascii=ascii_only) + pad + "}"
    located = LocatingDecoder().decode(source)["k"]
    assert located == value
    offsets = string_offsets(source, located)
    assert len(offsets) == len(value) + 1 and source[offsets[-1]] == '"'
    for i, ch in enumerate(value):
        raw = source[offsets[i] : offsets[i + 1]]
        assert json.loads('"' + raw + '"') == ch
