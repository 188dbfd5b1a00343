"""HTML replies and macros, as the text a mail client shows, every character mapped to the file.

``html_to_text`` is shared with the eml and export readers. It is a small browser-like
tokenizer in ``re`` rather than ``html.parser``: with ``convert_charrefs=False`` (needed for
exact offsets) Python 3.11's parser raises AssertionError on ``<![`` junk, takes 30 s on
20,000 unclosed ``<a `` tags, and after a second bare ``&#`` emits the rest of the file, tags
included, as text. Here every regular expression is possessive and a ``<`` with no ``>``
after it ends the search for tags, so time is linear; open elements are a list, so nesting
depth costs no stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..hookspecs import hookimpl
from ..model import Document, InputError, Span, Suppression
from . import Reader, decode_text, no_surrogates, normalize_newlines, text_codec
from .directives import build_suppressions, parse_directive
from .frontmatter import read_front_matter_file

#: newlines a block element puts around itself: 2 for a paragraph gap, 1 for a line break
BREAKS = {
    **dict.fromkeys(("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "pre",
                     "blockquote", "table", "hr", "address", "figure", "fieldset"), 2),
    **dict.fromkeys(("div", "li", "tr", "dt", "dd", "section", "article", "header", "footer",
                     "nav", "aside", "main", "center", "body", "html", "caption", "form",
                     "details", "summary", "figcaption"), 1),
}
CELLS = frozenset({"td", "th"})
#: elements that end tags of inline elements do not close across (as in a browser)
SPECIAL = frozenset(BREAKS) | CELLS
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})
#: elements whose content is not markup and is never shown in a mail
RAW = {name: re.compile(rf"</{name}(?![^\s/>])[^>]*+>", re.I)
       for name in ("script", "style", "title", "textarea", "xmp", "iframe")}
#: quoted history: Gmail, Thunderbird, Yahoo, Proton (classes); Outlook (ids, to the end)
QUOTE_CLASSES = frozenset({"gmail_quote", "gmail_quote_container", "moz-cite-prefix",
                           "yahoo_quoted", "protonmail_quote"})
QUOTE_REST_IDS = frozenset({"divRplyFwdMsg", "appendonsend"})

_START = re.compile(r"""<([a-zA-Z][^\s/>]*+)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""")
_START_UNQUOTED = re.compile(r"<([a-zA-Z][^\s/>]*+)([^>]*+)>")
_END = re.compile(r"</([a-zA-Z][^\s/>]*+)[^>]*+>")
_ATTR = re.compile(r"""([^\s"'>/=]++)(?:\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s>]++)))?""")
_RUN = re.compile(r"[ \t\n\r\f]++|[^ \t\n\r\f]++")
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]++)|#([0-9]++)|([a-zA-Z][a-zA-Z0-9]{0,31}))(;?)")
_WHITESPACE = frozenset(" \t\n\r\f")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)


class Token(NamedTuple):
    kind: str  # "text", "start", "end" or "comment"
    start: int
    end: int
    name: str = ""
    data: str = ""  # a start tag's attributes, a comment's body


def tokens(html: str) -> Iterator[Token]:
    """Text, tags and comments, as a browser splits them; unterminated tags stay text."""
    n = len(html)
    last_gt = html.rfind(">")
    pos = 0
    while pos < n:
        lt = html.find("<", pos)
        if lt == -1:
            yield Token("text", pos, n)
            return
        if lt > pos:
            yield Token("text", pos, lt)
        tok = _markup(html, lt, last_gt)
        if tok is None:
            yield Token("text", lt, lt + 1)
            pos = lt + 1
            continue
        yield tok
        pos = tok.end
        if tok.kind == "start" and tok.name in RAW:
            # script, style …: skip to the end tag (or the end of the file, as a browser does)
            m = RAW[tok.name].search(html, pos, last_gt + 1)
            if m is None:
                return
            yield Token("end", m.start(), m.end(), tok.name)
            pos = m.end()


def _markup(html: str, lt: int, last_gt: int) -> Token | None:
    """The tag or comment at ``html[lt] == "<"``, or None when that ``<`` is plain text."""
    if html.startswith("<!--", lt):
        close = html.find("-->", lt + 4)
        end = len(html) if close == -1 else close + 3
        return Token("comment", lt, end, data=html[lt + 4 : len(html) if close == -1 else close])
    if lt > last_gt:  # no ">" left: nothing from here on can be a tag
        return None
    nxt = html[lt + 1 : lt + 2]
    if nxt.isascii() and nxt.isalpha():
        # a ">" follows, so the unquoted form matches when an odd quote defeats the first
        m = _START.match(html, lt) or _START_UNQUOTED.match(html, lt)
        assert m is not None
        return Token("start", lt, m.end(), m.group(1).lower(), m.group(2))
    if nxt == "/" and (m := _END.match(html, lt)):
        return Token("end", lt, m.end(), m.group(1).lower())
    if nxt in ("/", "!", "?"):  # </3>, <!DOCTYPE …>, <![endif]>, <?xml …?>: bogus comments
        gt = html.find(">", lt + 2)
        return Token("comment", lt, gt + 1, data=html[lt + 2 : gt])
    return None


def attributes(attrs: str) -> dict[str, str]:
    """A start tag's attributes (names lowercased, values raw: enough for class and id)."""
    out: dict[str, str] = {}
    for m in _ATTR.finditer(attrs):
        value = next((v for v in m.group(2, 3, 4) if v is not None), "")
        out.setdefault(m.group(1).lower(), value)
    return out


def decode_entity(html: str, amp: int, end: int) -> tuple[str, int] | None:
    """The text of the character reference at ``amp`` and its length, or None if it is not one.

    Rules as in a browser: numeric references out of range become U+FFFD, legacy names work
    without ``;`` (``&amp`` and the ``&not`` of ``&notit``). Numbers are capped before
    ``int()``, so ``&#99999…`` is neither slow nor an error.
    """
    m = _ENTITY.match(html, amp, end)
    if m is None:
        return None
    import html as htmllib  # its table of 2,231 names is loaded on the first reference
    from html.entities import html5

    hex_digits, digits, name, semi = m.groups()
    if name is None:
        number = (hex_digits if digits is None else digits).lstrip("0") or "0"
        code = int(number, 10 if digits is not None else 16) if len(number) <= 8 else 0x110000
        return htmllib.unescape(f"&#{code};"), m.end() - amp
    if semi and name + ";" in html5:
        return html5[name + ";"], len(name) + 2
    for k in range(len(name), 1, -1):
        if name[:k] in html5:  # the keys without ";" are the legacy names
            return html5[name[:k]], k + 1
    return None


class _Element(NamedTuple):
    name: str
    quote: bool


class _Builder:
    """Builds the shown text: collapses whitespace, adds line breaks, and tracks quotes.

    A collapsed space, a break or a list marker is only written when visible text follows,
    so nothing dangles at the end of a line; each maps to the tag or space that caused it.
    """

    def __init__(self, html: str) -> None:
        self.html = html
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.space: int | None = None  # offset of a pending collapsed space
        self.breaks = 0  # pending newlines (1 or 2) and the tag that asked for them
        self.break_at = 0
        self.marker: tuple[str, int] | None = None  # a pending list-item marker
        self.pre = 0
        self.lists: list[int] = []  # items so far per open list; -1 for a <ul>
        self.stack: list[_Element] = []
        self.open_at: dict[str, list[int]] = {}  # stack indices of the open elements by name
        self.specials: list[int] = []  # stack indices of the open SPECIAL elements
        self.quote_depth = 0
        self.quote_rest = False
        self.quote_start: int | None = None
        self.quoted: list[Span] = []
        self.directives: list[tuple[int, str, frozenset[str]]] = []
        self.next_line: list[frozenset[str]] = []  # disable-next-line waiting for its line
        self.line_rules: list[tuple[int, frozenset[str]]] = []

    # -- writing -------------------------------------------------------------------------

    def put(self, s: str, offsets: Sequence[int]) -> None:
        """Write shown text, after the breaks, list marker or space pending before it."""
        self._flush_breaks()
        newline = s == "\n"  # a <br> or a newline in <pre>
        if not newline:
            self._text_begins()
        if self.marker is not None:
            marker, at = self.marker
            marker = marker.rstrip() if newline else marker
            self._write(marker, [at] * len(marker))
        elif self.space is not None and not newline and self.chars and self.chars[-1] != "\n":
            self._write(" ", [self.space])
        self.marker = self.space = None
        self._write(s, offsets)

    def _flush_breaks(self) -> None:
        if self.breaks and self.chars:
            tail = "".join(self.chars[-self.breaks :])
            missing = self.breaks - (len(tail) - len(tail.rstrip("\n")))
            self._write("\n" * missing, [self.break_at] * missing)
        self.breaks = 0

    def _text_begins(self) -> None:
        """Settle what waits for shown text: a disable-next-line comment, a quote's start."""
        if self.next_line:
            self.line_rules += [(len(self.chars), rules) for rules in self.next_line]
            self.next_line = []
        if (self.quote_depth or self.quote_rest) and self.quote_start is None:
            self.quote_start = len(self.chars)

    def _write(self, s: str, offsets: Sequence[int]) -> None:
        self.chars.extend(s)
        self.offsets.extend(offsets)

    def request_break(self, level: int, at: int) -> None:
        if self.marker is None and level > self.breaks:
            self.breaks, self.break_at = level, at

    def at_line_start(self) -> bool:
        return not self.chars or self.chars[-1] == "\n" or self.breaks > 0

    # -- text ----------------------------------------------------------------------------

    def text(self, start: int, end: int) -> None:
        html = self.html
        pos = start
        while pos < end:
            amp = html.find("&", pos, end)
            self._runs(pos, end if amp == -1 else amp)
            if amp == -1:
                return
            pos = self._reference(amp, end)

    def _runs(self, start: int, end: int) -> None:
        for m in _RUN.finditer(self.html, start, end):
            run = m.group()
            if run[0] not in _WHITESPACE:
                self.put(run.replace("\xa0", " "), range(m.start(), m.end()))
            elif self.pre:
                self._pre_whitespace(run, m.start())
            elif self.space is None:
                self.space = m.start()

    def _pre_whitespace(self, run: str, start: int) -> None:
        """Whitespace kept as written, CRLF and CR read as one newline."""
        for i, ch in enumerate(run):
            if ch == "\r" and run[i + 1 : i + 2] == "\n":
                continue
            self.put("\n" if ch == "\r" else ch, (start + i,))

    def _reference(self, amp: int, end: int) -> int:
        """Write the character reference at ``amp`` (or a literal ``&``); where text resumes."""
        found = decode_entity(self.html, amp, end)
        if found is None:
            self.put("&", (amp,))
            return amp + 1
        value, length = found
        if value in _WHITESPACE and not self.pre:
            if self.space is None:
                self.space = amp
        else:
            self.put(value.replace("\xa0", " "), [amp] * len(value))
        return amp + length

    # -- elements ------------------------------------------------------------------------

    def start_tag(self, name: str, attrs: str, at: int) -> None:
        if name == "br":
            self.put("\n", (at,))
            return
        if name in BREAKS:
            self.request_break(BREAKS[name], at)
        if name in CELLS and self.space is None:
            self.space = at
        if name == "li":
            self.marker = (self._item_marker(), at)
        if name in VOID:
            return
        quote = name == "blockquote"
        if name == "div" and attrs:
            attr = attributes(attrs)
            quote = not QUOTE_CLASSES.isdisjoint(attr.get("class", "").split())
            self.quote_rest = self.quote_rest or attr.get("id") in QUOTE_REST_IDS
        self._push(_Element(name, quote))

    def _item_marker(self) -> str:
        if not self.lists or self.lists[-1] < 0:
            return "- "
        self.lists[-1] += 1
        return f"{self.lists[-1]}. "

    def _push(self, el: _Element) -> None:
        index = len(self.stack)
        self.stack.append(el)
        self.open_at.setdefault(el.name, []).append(index)
        if el.name in SPECIAL:
            self.specials.append(index)
        if el.name == "pre":
            self.pre += 1
        elif el.name in ("ul", "ol"):
            self.lists.append(-1 if el.name == "ul" else 0)
        if el.quote:
            self.quote_depth += 1

    def end_tag(self, name: str, at: int) -> None:
        if name == "br":  # </br> is a <br> in every browser
            self.put("\n", (at,))
            return
        if name in BREAKS:
            self.request_break(BREAKS[name], at)
        open_at = self.open_at.get(name)
        if not open_at:
            return
        target = open_at[-1]
        if name not in SPECIAL and self.specials and self.specials[-1] > target:
            return  # </b> does not close the <div> opened inside the <b>
        while len(self.stack) > target:
            self._pop(at)

    def _pop(self, at: int) -> None:
        el = self.stack.pop()
        self.open_at[el.name].pop()
        if el.name == "li":
            self.marker = None  # an empty item shows no marker
        if el.name in SPECIAL:
            self.specials.pop()
            if el.name in BREAKS:
                self.request_break(BREAKS[el.name], at)
        if el.name == "pre":
            self.pre -= 1
        elif el.name in ("ul", "ol"):
            self.lists.pop()
        if el.quote:
            self.quote_depth -= 1
            if not self.quote_depth and not self.quote_rest:
                self._close_quote()

    def _close_quote(self) -> None:
        if self.quote_start is not None:
            self.quoted.append(Span(self.quote_start, len(self.chars)))
            self.quote_start = None

    # -- comments ------------------------------------------------------------------------

    def comment(self, body: str) -> None:
        parsed = parse_directive(body)
        if parsed is None:
            return
        action, rules = parsed
        if action == "disable-next-line" and self.at_line_start():
            self.next_line.append(rules)  # the line that the next shown text starts
        else:
            self.directives.append((len(self.chars), action, rules))

    # -- result --------------------------------------------------------------------------

    def result(self) -> tuple[str, list[int], list[Span], list[Suppression]]:
        self._close_quote()
        text = "".join(self.chars)
        suppressions = build_suppressions(self.directives, text)
        for start, rules in self.line_rules:
            end = text.find("\n", start)
            suppressions.append(Suppression(start, len(text) if end == -1 else end, rules))
        return text, [*self.offsets, len(self.html)], _merge(text, self.quoted), suppressions


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Join quoted spans separated only by whitespace (a cite prefix and its blockquote)."""
    out: list[Span] = []
    for span in spans:
        if out and not text[out[-1].end : span.start].strip():
            out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return out


def html_to_text(html: str) -> tuple[str, list[int], list[Span], list[Suppression]]:
    """The text an HTML mail shows, its offsets into ``html``, quoted spans, suppressions.

    ``offsets[i]`` is where text character ``i`` comes from (a tag for a line break or list
    marker, the ``&`` for a character reference); it has one extra entry, ``len(html)``.
    """
    builder = _Builder(html)
    for tok in tokens(html):
        if tok.kind == "text":
            builder.text(tok.start, tok.end)
        elif tok.kind == "start":
            builder.start_tag(tok.name, tok.data, tok.start)
        elif tok.kind == "end":
            builder.end_tag(tok.name, tok.start)
        else:
            builder.comment(tok.data)
    return builder.result()


def reply_text(
    body: str, is_html: bool
) -> tuple[str, list[int] | None, list[Span], list[Suppression]]:
    """``html_to_text`` for HTML; plain text gets LF newlines (offsets None if unchanged)."""
    if is_html:
        return html_to_text(body)
    text, offsets = normalize_newlines(body)
    return text, offsets, [], []


def decode_html(source: str, data: bytes) -> str:
    """UTF-8, else the charset a ``<meta>`` declares (Outlook saves windows-1252)."""
    try:
        return decode_text(source, data)
    except InputError as e:
        reason = e.reason
    m = _META_CHARSET.search(data, 0, 4096)
    if m is None or not reason.startswith("invalid UTF-8"):
        raise InputError(source, reason)
    charset = m.group(1).decode("ascii")
    codec = text_codec(charset)  # None for unknown names and codecs that are no charset
    try:
        if codec is None:
            raise LookupError(charset)
        # UnicodeError: what some codecs raise instead of UnicodeDecodeError
        return no_surrogates(data.decode(codec))
    except (LookupError, UnicodeError):
        raise InputError(source, f"{reason}, nor valid {charset} as its <meta> says") from None


def load_html(source: str, data: bytes) -> list[Document]:
    body, smap, fields = read_front_matter_file(source, decode_html(source, data))
    text, offsets, quoted, suppressions = html_to_text(body)
    return [
        Document(
            text=text,
            source=source,
            source_map=smap.compose(offsets),
            quoted_hints=quoted,
            suppressions=suppressions,
            **fields,
        )
    ]


@hookimpl
def register_readers(register):
    register(
        Reader(
            "html",
            ("*.html", "*.htm"),
            load_html,
            "HTML mail or macro (optionally with YAML front matter), as the reader sees it",
        )
    )
