"""The eml reader: part choice, transfer encodings, charsets, exact positions, bad mail."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import placeholders, position

from replylint.model import InputError
from replylint.readers.eml import decode_qp, load_eml

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
QP = (FIXTURES / "qp_alternative.eml").read_bytes()





def mail(headers: str, body: bytes) -> bytes:
    return headers.strip().encode() + b"\n\n" + body


# -- quoted-printable, multipart/alternative ---------------------------------------------------


def test_plain_part_preferred_and_decoded():
    (doc,) = load_eml("r.eml", QP)
    assert doc.kind == "draft"
    assert doc.name is None  # output would call it a macro title
    assert doc.meta == {
        "subject": "Re: Your café order", "charset": "utf-8", "content_type": "text/plain",
    }
    assert doc.text.startswith(
        "Hi [Customer Name],\n\nYour café voucher {{voucher_code}} is valid for twelve months, "
        "and the refund of XXX reaches your card within five days.\n\nBest,\nSam\n"
    )
    assert doc.text.endswith("wrote:\n> Where is my refund?")  # the boundary's newline is not text


def test_qp_positions_are_exact(linter):
    found = placeholders(linter, "r.eml", QP)
    assert ("[Customer Name]", 14, 4) in found
    assert ("{{voucher_code}}", 16, 24) in found  # after =C3=A9, which is one character
    assert ("XXX", 17, 11) in found  # after a soft line break
    lines = QP.decode().split("\n")
    for match, line, column in found:
        assert lines[line - 1][column - 1 :].startswith(match)


def test_qp_decoded_character_maps_to_its_equals_sign():
    (doc,) = load_eml("r.eml", QP)
    assert position(doc, "é") == (16, 9)


def test_decode_qp_offsets():
    data, offsets = decode_qp(b"a=3Db=\r\nc=\nd= \n=zz=", 100)
    assert data == b"a=bcd=zz"  # "=" and bad escapes stay; a final "=" is a soft break
    assert offsets == [100, 101, 104, 108, 111, 115, 116, 117]


def test_crlf_message(linter):
    data = (
        b"Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Hello,\r\nCaf=C3=A9 =E2=80=94 [NAME] =\r\nis ready, XXX.\r\n"
    )
    (doc,) = load_eml("c.eml", data)
    assert doc.text == "Hello,\nCafé — [NAME] is ready, XXX.\n"
    assert placeholders(linter, "c.eml", data) == [("[NAME]", 6, 21), ("XXX", 7, 11)]


# -- base64 HTML, attachments ----------------------------------------------------------------


def test_base64_html_part_maps_to_the_body_start(linter):
    data = (FIXTURES / "html_base64.eml").read_bytes()
    (doc,) = load_eml("b.eml", data)
    assert doc.text == "Hi Dana,\nYour refund of XXX is on its way.\n\nWhere is my refund?"
    assert doc.meta["content_type"] == "text/html"
    (span,) = doc.quoted_hints
    assert doc.text[span.start : span.end] == "Where is my refund?"
    assert "[NUMBER]" not in doc.text  # the attachment is not the reply
    assert placeholders(linter, "b.eml", data) == [("XXX", 11, 1)]


def test_attached_message_is_not_the_reply():
    data = mail(
        'Subject: Fwd\nContent-Type: multipart/mixed; boundary="m"',
        b"--m\nContent-Type: message/rfc822\n\nSubject: old\nContent-Type: text/plain\n\n"
        b"Old text [NAME]\n--m\nContent-Type: text/html\n\n<p>See below</p>\n--m--\n",
    )
    (doc,) = load_eml("f.eml", data)
    assert doc.text == "See below"


def test_html_part_with_suppression_comment():
    data = mail(
        "Subject: s\nContent-Type: text/html; charset=utf-8",
        b"<p>a</p><!-- replylint-disable-next-line --><p>XXX</p>",
    )
    (doc,) = load_eml("h.eml", data)
    assert [doc.text[s.start : s.end] for s in doc.suppressions] == ["XXX"]


# -- charsets ---------------------------------------------------------------------------------


def test_latin1_8bit_columns_count_characters(linter):
    data = (FIXTURES / "latin1_8bit.eml").read_bytes()
    (doc,) = load_eml("l.eml", data)
    assert doc.meta["subject"] == "Réponse" and doc.meta["charset"] == "iso-8859-1"
    assert "Votre café gratuit" in doc.text
    assert placeholders(linter, "l.eml", data) == [("[NOM DU CLIENT]", 9, 33)]
    assert doc.source_map.line_text(9) == "Votre caf\ufffd gratuit vous attend, [NOM DU CLIENT]."


def test_utf8_8bit_columns_count_characters(linter):
    body = "Ça — 😀 XXX\n".encode()
    data = mail("Subject: u\nContent-Type: text/plain; charset=utf-8", body)
    assert placeholders(linter, "u.eml", data) == [("XXX", 4, 8)]


@pytest.mark.parametrize(
    "charset, body, text, used",
    [
        ("us-ascii", "café XXX".encode(), "café XXX", "utf-8"),  # 8-bit in "ascii"
        ("x-unknown-charset", "café XXX".encode(), "café XXX", "utf-8"),
        ("utf-8", "café XXX".encode("latin-1"), "café XXX", "windows-1252"),
        ("base64", b"caf\xe9 XXX", "café XXX", "windows-1252"),  # a codec, not a charset
    ],
)
def test_wrong_or_unknown_charset_falls_back(charset, body, text, used):
    data = mail(f"Subject: w\nContent-Type: text/plain; charset={charset}", body)
    (doc,) = load_eml("w.eml", data)
    assert (doc.text, doc.meta["charset"]) == (text, used)
    assert position(doc, "XXX") == (4, 6)


def test_encoded_subject_with_unknown_charset_does_not_fail():
    data = mail("Subject: =?x-nope?q?Caf=E9?= ok\nContent-Type: text/plain", b"hi")
    (doc,) = load_eml("s.eml", data)
    assert doc.meta["subject"].endswith("ok")


# -- malformed mail ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file (NUL bytes), not an email"),
        (bytes(range(1, 256)) * 4, "not an email message (no headers before the body)"),
        (b"just some text\nwithout headers\n", "not an email message"),
        (
            b"Subject: x\nContent-Type: multipart/mixed; boundary=ZZ\n\nno boundary here\n",
            "malformed MIME: the multipart boundary never appears",
        ),
        (
            b"Subject: x\nContent-Type: multipart/mixed; boundary=ZZ\n\n--ZZ\n"
            b"Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0K\n--ZZ--\n",
            "no text/plain or text/html part",
        ),
        (
            b"Subject: x\nContent-Type: multipart/mixed; boundary=ZZ\n\n--ZZ\n"
            b"Content-Type: text/plain\nContent-Disposition: attachment\n\nnotes\n--ZZ--\n",
            "no text/plain or text/html part",
        ),
    ],
    ids=["binary", "garbage", "no-headers", "no-boundary", "only-image", "only-attachment"],
)
def test_unreadable_mail_is_an_input_error(data, reason):
    with pytest.raises(InputError) as e:
        load_eml("bad.eml", data)
    assert e.value.reason.startswith(reason)
    assert e.value.source == "bad.eml"


def test_truncated_multipart_is_read_best_effort(linter):
    data = QP[: QP.index(b"Best,")]
    (doc,) = load_eml("t.eml", data)
    assert doc.text.rstrip().endswith("within five days.")
    assert ("XXX", 17, 11) in placeholders(linter, "t.eml", data)


def test_truncated_base64_is_read_best_effort():
    body = b"SGkgW05BTUVdLCB5b3VyIHJlZnVuZCBpcyByZWFkeS"  # "Hi [NAME], your refund is ready." cut
    data = mail("Subject: t\nContent-Type: text/plain\nContent-Transfer-Encoding: base64", body)
    (doc,) = load_eml("t.eml", data)
    assert doc.text.startswith("Hi [NAME], your refund is read")


def test_deeply_nested_multipart_is_an_input_error_or_a_document():
    depth = 2000
    head = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth)
    )
    data = b"Subject: deep\n" + head + b"Content-Type: text/plain\n\nbottom XXX\n"
    try:
        docs = load_eml("d.eml", data)
    except InputError as e:
        assert e.reason == "MIME parts nested too deeply"
    else:
        assert docs[0].text.startswith("bottom")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=len(QP)))
def test_mangled_mail_gives_documents_or_input_errors(junk, cut):
    for data in (QP[:cut] + junk, junk, QP[:cut] + junk + QP[cut:]):
        try:
            docs = load_eml("fuzz.eml", data)
        except InputError:
            continue
        for doc in docs:
            offsets = doc.source_map.offsets
            assert offsets is not None and len(offsets) == len(doc.text) + 1
            assert all(0 <= o <= len(doc.source_map.source_text) for o in offsets)


def test_engine_picks_the_eml_reader(linter):
    (doc,) = linter.read("outbox/reply.eml", QP)
    assert doc.meta["subject"] == "Re: Your café order"
