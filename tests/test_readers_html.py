"""The HTML reader: shown text, exact source positions, quotes, suppressions, bad input."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import placeholders, position

from replylint.model import InputError, Span, Suppression
from replylint.readers.html import html_to_text, load_html

FIXTURES = Path(__file__).parent / "fixtures" / "readers"





def source_at(data, line, column, encoding="utf-8"):
    return data.decode(encoding).split("\n")[line - 1][column - 1 :]


# -- a Gmail reply ---------------------------------------------------------------------------

GMAIL = (FIXTURES / "gmail_reply.html").read_bytes()


def test_gmail_reply_text():
    (doc,) = load_html("gmail_reply.html", GMAIL)
    assert doc.kind == "draft"
    assert doc.text == (
        "Hi [Customer Name],\n"
        "\n"
        "Thanks for your patience — we've refunded XXX to your card. "
        "The café voucher is {{voucher_code}}.\n"
        "Internal note: TODO confirm with billing\n"
        "\n"
        "- Refund: 3–5 days\n"
        "- Voucher: 12 months\n"
        "\n"
        "Best,\n"
        "Sam\n"
        "\n"
        "On Mon, 3 Jun 2024 at 09:12, Dana <dana@example.com> wrote:\n"
        "\n"
        "Where is my refund for order [ORDER NUMBER]?"
    )


def test_gmail_reply_findings_point_into_the_html(linter):
    found = placeholders(linter, "gmail_reply.html", GMAIL)
    assert ("[Customer Name]", 8, 19) in found
    # after &mdash; and &#39; on the same line
    assert ("XXX", 9, 58) in found
    # on the next source line, after &eacute;, inside <b>
    assert ("{{voucher_code}}", 10, 31) in found
    for match, line, column in found:
        assert source_at(GMAIL, line, column).startswith(match)


def test_gmail_reply_disable_next_line_comment(linter):
    (doc,) = load_html("gmail_reply.html", GMAIL)
    line = "Internal note: TODO confirm with billing"
    start = doc.text.index(line)
    assert doc.suppressions == [Suppression(start, start + len(line), frozenset({"PLH001"}))]
    assert "TODO" not in [m for m, _, _ in placeholders(linter, "gmail_reply.html", GMAIL)]


def test_gmail_quote_is_a_quoted_hint():
    (doc,) = load_html("gmail_reply.html", GMAIL)
    (span,) = doc.quoted_hints
    assert doc.text[span.start : span.end] == (
        "On Mon, 3 Jun 2024 at 09:12, Dana <dana@example.com> wrote:\n\n"
        "Where is my refund for order [ORDER NUMBER]?"
    )
    assert position(doc, "Where is") == (16, 66)


# -- Outlook, windows-1252 ---------------------------------------------------------------


def test_outlook_reply_windows_1252_and_reply_header_to_the_end(linter):
    data = (FIXTURES / "outlook_reply.html").read_bytes()
    (doc,) = load_html("outlook_reply.html", data)
    assert doc.text.startswith("Hello Dana,\n\nYour new café card ships on [DATE].\n")
    assert "[NAME]" not in doc.text  # inside an MSO conditional comment
    (span,) = doc.quoted_hints
    assert doc.text[span.start :].startswith("From: Dana <dana@example.com>\nSent:")
    assert span.end == len(doc.text)  # everything after divRplyFwdMsg is history
    assert ("[DATE]", 8, 50) in placeholders(linter, "outlook_reply.html", data)
    assert source_at(data, 8, 50, "cp1252").startswith("[DATE]")


# -- a macro with front matter -------------------------------------------------------------


def test_front_matter_html_is_a_macro():
    data = (FIXTURES / "macro_refund.html").read_bytes()
    (doc,) = load_html("macro_refund.html", data)
    assert (doc.kind, doc.name, doc.macro_id) == ("macro", "Refund approved", "refund-approved")
    assert doc.meta["tags"] == ["billing"]
    assert doc.text == (
        "Hi {{ticket.requester.first_name}},\n\nYour refund of {{refund.amount}} is on its way."
    )
    assert position(doc, "{{refund") == (7, 19)


def test_front_matter_with_crlf(linter):
    data = b"---\r\nkind: draft\r\n---\r\n<p>Hi</p>\r\n<p>Refund of &pound;XXX</p>\r\n"
    (doc,) = load_html("d.html", data)
    assert doc.text == "Hi\n\nRefund of £XXX"
    assert placeholders(linter, "d.html", data) == [("XXX", 5, 21)]


# -- text, offsets and entities -------------------------------------------------------------


def test_entities_map_to_their_ampersand():
    html = "a&amp;b &eacute;&#x1F600;&#233;c"
    text, offsets, _, _ = html_to_text(html)
    assert text == "a&b é😀éc"
    assert offsets == [0, 1, 6, 7, 8, 16, 25, 31, len(html)]


@pytest.mark.parametrize(
    "html, text",
    [
        ("&amp x &copy2024 &notit; &ampx;", "& x ©2024 ¬it; &x;"),  # legacy names without ;
        ("AT&T & co &#; &#x; &bogus;", "AT&T & co &#; &#x; &bogus;"),
        ("&#0;&#99999999999999999999999;&#128;", "\ufffd\ufffd€"),
        ("a&#32;&#32;b&nbsp;&nbsp;c", "a b  c"),
    ],
)
def test_character_references_like_a_browser(html, text):
    assert html_to_text(html)[0] == text


@pytest.mark.parametrize(
    "html, text",
    [
        ("  Hello \n\t world  ", "Hello world"),
        ("<p>One</p><p>Two<br>Three</p>", "One\n\nTwo\nThree"),
        ("<div>A</div><div><br></div><div>B</div>", "A\n\nB"),
        ("<div>text<br></div><div>next</div>", "text\nnext"),
        ("<ul><li>a</li><li></li><li><p>b</p></li></ul><p>After</p>", "- a\n- b\n\nAfter"),
        ("<ol><li>x<li>y</ol>", "1. x\n2. y"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>z", "a b\nc\n\nz"),
        ("<pre>  a\r\n  b</pre>c   d", "  a\n  b\n\nc d"),
        ("<h1>Title</h1>Body", "Title\n\nBody"),
        ("<script>var x = '<p>[NAME]</p>';</script><style>p{}</style>ok", "ok"),
        ("<b>bold</b> <i>it</i>al<span>ic</span><span> !</span>", "bold italic !"),
    ],
)
def test_layout(html, text):
    assert html_to_text(html)[0] == text


def test_synthetic_characters_map_to_their_tag():
    html = "<ul><li>a</li></ul><p>b</p>"
    text, offsets, _, _ = html_to_text(html)
    assert text == "- a\n\nb"
    li, p_close, a = html.index("<li>"), html.index("</ul>"), html.index("a")
    assert offsets[:3] == [li, li, a]
    assert offsets[3:5] == [p_close, p_close]


# -- quoted history --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<div>Reply</div><blockquote type="cite">History</blockquote>',
        '<div>Reply</div><div class="gmail_quote">History</div>',
        '<div>Reply</div><div class="moz-cite-prefix">On Mon</div>'
        '<blockquote type="cite">History</blockquote>',
        '<div>Reply</div><div id="divRplyFwdMsg"><b>From:</b> x</div><p>History</p>',
        '<div>Reply</div><div class="yahoo_quoted">History</div>',
    ],
)
def test_quoted_hints(html):
    text, _, quoted, _ = html_to_text(html)
    assert text.startswith("Reply\n")
    (span,) = quoted
    assert span.end == len(text) and text[span.start :].endswith("History")
    assert "Reply" not in text[span.start : span.end]


def test_quote_ends_with_its_element():
    text, _, quoted, _ = html_to_text(
        "<p>A</p><blockquote><div>q1</div><div>q2</div></blockquote><p>B</p>"
    )
    assert text == "A\n\nq1\nq2\n\nB"
    assert quoted == [Span(3, 8)]


def test_inline_end_tag_does_not_close_a_quote_opened_inside_it():
    text, _, quoted, _ = html_to_text("<b>A<blockquote>q</b>still</blockquote>B")
    assert text[quoted[0].start : quoted[0].end] == "qstill"


# -- suppression comments --------------------------------------------------------------------


def test_disable_enable_range():
    html = "<p>a XXX <!-- replylint-disable PLH001 -->b XXX<!-- replylint-enable PLH001 --> c</p>"
    text, _, _, sups = html_to_text(html)
    assert text == "a XXX b XXX c"
    (sup,) = sups
    assert sup.rules == {"PLH001"} and text[sup.start : sup.end].strip() == "b XXX"


def test_disable_next_line_mid_line_covers_the_following_line():
    html = "<p>keep XXX<!-- replylint-disable-next-line --><br>skip XXX<br>keep XXX</p>"
    text, _, _, sups = html_to_text(html)
    assert [text[s.start : s.end] for s in sups] == ["skip XXX"]
    assert sups[0].rules == frozenset()


def test_suppressions_reach_the_engine(linter):
    data = b"<p>XXX</p><!-- replylint-disable-next-line PLH001 --><p>XXX</p><p>XXX</p>"
    assert placeholders(linter, "s.html", data) == [("XXX", 1, 4), ("XXX", 1, 67)]


# -- broken and hostile input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "html, text",
    [
        ("<p>Hi <b>there</p> friend</i></div></span>", "Hi there\n\nfriend"),
        ("a < b and c <d", "a < b and c <d"),  # no tag without a closing >
        ("Hi <![ junk <![ more", "Hi <![ junk <![ more"),  # html.parser raises on this
        ("x &#; y &#; <b>z</b> <i>w</i>", "x &#; y &#; z w"),  # html.parser emits tags here
        ("before<!-- never closed <p>hidden", "before"),  # as in a browser
        ('<a title="x>y">link</a> ok', "link ok"),
        ("<a href='unterminated>text</a> more", "text more"),
        ("</>stray</p>end", "stray\n\nend"),
    ],
)
def test_broken_html_still_yields_text(html, text):
    out, offsets, _, _ = html_to_text(html)
    assert out == text
    assert len(offsets) == len(out) + 1


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 100_000 + "deep" + "</div>" * 100_000,
        "<blockquote>" * 50_000 + "deep",
        "<b><div>" + "<span>" * 50_000 + "</b>" * 50_000 + "deep",
        "<a " * 50_000 + "deep",
        "&amp;" * 200_000 + "deep",
        "<!--" * 50_000 + "-->deep",
        "<script>" + "</script " * 50_000 + ">deep",
        "&#" + "9" * 100_000 + ";deep",
    ],
    ids=["nested", "unclosed", "misnested", "unclosed-tags", "entities", "comments",
         "script", "huge-number"],
)
def test_hostile_html_is_linear_and_stackless(html):
    text, offsets, _, _ = html_to_text(html)
    assert text.endswith("deep") or text == ""
    assert len(offsets) == len(text) + 1


def test_invalid_utf8_without_a_declared_charset():
    with pytest.raises(InputError, match=r"invalid UTF-8 at byte 12"):
        load_html("x.html", b"<p>caf\xc3\xa9 caf\xe9</p>")


def test_invalid_for_the_declared_charset_too():
    data = b'<meta charset="x-no-such-charset"><p>caf\xe9</p>'
    with pytest.raises(InputError, match=r"invalid UTF-8 .* nor valid x-no-such-charset"):
        load_html("x.html", data)


def test_binary_file():
    with pytest.raises(InputError, match="binary file"):
        load_html("x.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_engine_picks_the_html_reader(linter):
    for name in ("reply.html", "reply.HTM"):
        (doc,) = linter.read(name, b"<p>Hi&nbsp;there</p>")
        assert doc.text == "Hi there"


# -- properties -----------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["<p>", "</p>", "<div class='gmail_quote'>", "</div>", "<br>", "<li>", "<ul>", "</ul>",
     "<pre>", "</pre>", "<b>", "</b>", "&amp;", "&eacute;", "&#233;", "&#x1F600;", "&", "<",
     ">", " ", "\n", "\r\n", "\t", "&nbsp;", "<!-- replylint-disable -->", "<!--", "-->",
     "<blockquote>", "</blockquote>", "<script>", "</script>", '"', "'", "<td>", "word", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_every_character_maps_into_the_html(html):
    text, offsets, quoted, sups = html_to_text(html)
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(html)
    assert all(0 <= o <= len(html) for o in offsets)
    assert offsets == sorted(offsets)  # text comes out in source order
    for ch, o in zip(text, offsets):
        if ch.isalnum():  # a letter comes from itself or from a character reference
            assert html[o] == ch or html[o] == "&"
    for span in [*quoted, *sups]:
        assert 0 <= span.start <= span.end <= len(text)
