"""A draft as an RFC 5322 message (``.eml``): mutt's outbox, ``git send-email``, saved drafts.

The text is the first ``text/plain`` part (else the first ``text/html``, as the customer's
client shows it), skipping attachments and attached messages. Findings point into the file:

- 7bit, 8bit and quoted-printable bodies map exactly, character by character (QP is decoded
  here with its offsets: ``=XX`` maps to its ``=``, soft line breaks vanish);
- a base64 body maps every character to the start of the body, since one encoded character
  carries bits of two decoded bytes.

Line and column count characters of the file read as UTF-8, each invalid byte one character
(so a latin-1 body counts as it looks). A wrong or unknown charset falls back to UTF-8, then
windows-1252; ``meta["charset"]`` says which was used. The subject goes in ``meta``, not in
``name``, which output reports as a macro's title.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl
from ..model import Document, InputError, SourceMap
from . import Reader, no_surrogates, text_codec
from .html import reply_text

if TYPE_CHECKING:  # the email package is imported when a mail is read, not at start-up
    from email.message import Message

_QP = re.compile(rb"=(?:([0-9A-Fa-f]{2})|[ \t]*(?:\r\n|\n|\r|\Z))")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_BAD_BYTES = {c: "\ufffd" for c in range(0xDC80, 0xDD00)}  # surrogateescape'd bytes
#: byte order marks of the charsets whose incremental decoders need one
_BOMS = {
    "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
    "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
}


class FileText:
    """The file as text for line/column, and byte offsets turned into character offsets."""

    def __init__(self, data: bytes) -> None:
        raw = data.decode("utf-8", "surrogateescape")
        self.text = raw.translate(_BAD_BYTES)
        # For each multi-byte character: its first byte, and the extra bytes before it.
        self.starts: list[int] = []
        self.extra: list[int] = []
        extra = 0
        for m in re.finditer(r"[^\x00-\x7f]", raw):
            ch = m.group()
            size = 1 if "\udc80" <= ch <= "\udcff" else len(ch.encode())
            if size > 1:
                self.starts.append(m.start() + extra)
                self.extra.append(extra)
                extra += size - 1
        self.extra.append(extra)

    def char(self, byte: int) -> int:
        k = bisect.bisect_right(self.starts, byte) - 1
        if k < 0:
            return byte
        start, before = self.starts[k], self.extra[k]
        size = self.extra[k + 1] - before + 1
        # a byte inside a character belongs to that character
        return start - before if byte < start + size else byte - before - (size - 1)


def parse(source: str, data: bytes) -> Message:
    """The message; refuses binary files and text without a header."""
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary file (NUL bytes), not an email message")
    from email import policy
    from email.parser import BytesParser

    try:
        msg = BytesParser(policy=policy.compat32).parsebytes(data)
    except RecursionError:
        raise InputError(source, "MIME parts nested too deeply") from None
    if not msg.keys():
        raise InputError(source, "not an email message (no headers before the body)")
    return msg


def leaves(msg: Message) -> Iterator[Message]:
    """Leaf parts in file order, without attachments or the insides of attached messages."""
    stack = [msg]
    while stack:
        part = stack.pop()
        if part.get_content_disposition() == "attachment":
            continue
        if part.is_multipart():
            if part is msg or part.get_content_maintype() != "message":
                stack.extend(reversed(part.get_payload()))
        else:
            yield part


def text_part(source: str, msg: Message) -> Message:
    parts = list(leaves(msg))
    for wanted in ("text/plain", "text/html"):
        for part in parts:
            if part.get_content_type() == wanted:
                return part
    from email import errors

    boundary_defects = (errors.StartBoundaryNotFoundDefect, errors.NoBoundaryInMultipartDefect)
    if any(isinstance(d, boundary_defects) for p in (msg, *parts) for d in p.defects):
        raise InputError(source, "malformed MIME: the multipart boundary never appears")
    raise InputError(source, "no text/plain or text/html part")


def raw_body(part: Message) -> bytes:
    # ``_payload`` is the body as it is in the file; get_payload() decodes 8-bit text lossily.
    payload = part._payload
    return payload.encode("ascii", "surrogateescape") if isinstance(payload, str) else payload


def locate(data: bytes, body: bytes) -> int:
    """Where a part's body starts in the file: after a blank line, else anywhere, else 0."""
    found = [i + len(sep) for sep in (b"\n\n", b"\n\r\n") if (i := data.find(sep + body)) != -1]
    if found:
        return min(found)
    return max(data.find(body), 0)


def decode_qp(body: bytes, base: int) -> tuple[bytes, list[int]]:
    """Quoted-printable decoded, with the file offset of each decoded byte."""
    out = bytearray()
    offsets: list[int] = []
    pos = 0
    for m in _QP.finditer(body):
        out += body[pos : m.start()]
        offsets.extend(range(base + pos, base + m.start()))
        if m.group(1):
            out.append(int(m.group(1), 16))
            offsets.append(base + m.start())
        pos = m.end()
    out += body[pos:]
    offsets.extend(range(base + pos, base + len(body)))
    return bytes(out), offsets


def decode_base64(body: bytes) -> bytes:
    """Lenient like mail clients: junk characters skipped, a truncated tail padded."""
    import base64

    clean = _NOT_BASE64.sub(b"", body.split(b"=", 1)[0])
    if len(clean) % 4 == 1:  # a lone trailing character carries no whole byte
        clean = clean[:-1]
    return base64.b64decode(clean + b"=" * (-len(clean) % 4))


def transfer_decode(part: Message, body: bytes, base: int) -> tuple[bytes, list[int]]:
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte == "quoted-printable":
        return decode_qp(body, base)
    if cte == "base64":
        decoded = decode_base64(body)
        return decoded, [base] * len(decoded)
    return body, list(range(base, base + len(body)))


def decode_chars(data: bytes, offsets: Sequence[int], charset: str) -> tuple[str, list[int]]:
    """``data`` decoded (strictly, else ValueError), each character at its first byte's offset."""
    text = data.decode(charset)
    if data.isascii() and text == data.decode("ascii"):
        return text, list(offsets)
    decoder = codecs.getincrementaldecoder(charset)()
    out: list[int] = []
    first = 0
    for i in range(len(data)):
        chars = decoder.decode(data[i : i + 1], final=i == len(data) - 1)
        if chars:
            out += [offsets[first]] * len(chars)
            first = i + 1
    return text, out


def to_text(part: Message, data: bytes, offsets: Sequence[int]) -> tuple[str, list[int], str]:
    """The part's text, its byte offsets and the charset that decoded it."""
    declared = part.get_content_charset()
    codec = text_codec(declared)
    if codec is None:  # unknown, or a Python codec no mail can mean (unicode_escape, idna …)
        declared = None
    elif codec in _BOMS and not data.startswith(_BOMS[codec]):
        declared = f"{codec}-be"  # RFC 2781: UTF-16 without a byte order mark is big-endian
    for charset in dict.fromkeys(c for c in (declared, "utf-8") if c):
        try:
            text, chars = decode_chars(data, offsets, charset)
        except (LookupError, ValueError):  # unknown charset, or bytes it cannot decode
            continue
        return no_surrogates(text), chars, charset
    text = data.decode("windows-1252", "replace")  # one character per byte, never fails
    return text, list(offsets), "windows-1252"


def subject(msg: Message) -> str | None:
    from email import errors
    from email.header import decode_header, make_header

    value = msg.get("subject")
    if value is None:
        return None
    try:
        text = str(make_header(decode_header(value)))
    except (LookupError, UnicodeError, ValueError, errors.HeaderParseError):
        text = str(value)
    return " ".join(no_surrogates(text.translate(_BAD_BYTES)).split()) or None


def load_eml(source: str, data: bytes) -> list[Document]:
    msg = parse(source, data)
    part = text_part(source, msg)
    body = raw_body(part)
    start = locate(data, body)
    decoded, byte_offsets = transfer_decode(part, body, start)
    text, char_bytes, charset = to_text(part, decoded, byte_offsets)
    file = FileText(data)
    smap = SourceMap(file.text, offsets=[file.char(b) for b in [*char_bytes, start + len(body)]])
    text, inner, quoted, suppressions = reply_text(text, part.get_content_type() == "text/html")
    return [
        Document(
            text=text,
            source=source,
            kind="draft",
            declared_channel="email",
            source_map=smap if inner is None else smap.compose(inner),
            quoted_hints=quoted,
            suppressions=suppressions,
            meta={"subject": subject(msg), "charset": charset,
                  "content_type": part.get_content_type()},
        )
    ]


@hookimpl
def register_readers(register):
    register(
        Reader(
            "eml",
            ("*.eml",),
            load_eml,
            "an email message (MIME): its text/plain part, else its text/html part",
        )
    )
