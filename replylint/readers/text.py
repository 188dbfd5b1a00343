"""Plain text and Markdown replies, each optionally a macro with YAML front matter."""

from __future__ import annotations

import re

from ..hookspecs import hookimpl
from ..model import Document, blanked
from ..placeholders import HTML_ELEMENTS
from . import Reader, decode_text
from .directives import build_suppressions, parse_directive
from .frontmatter import read_front_matter_file


def load_text(source: str, data: bytes) -> list[Document]:
    text, smap, fields = read_front_matter_file(source, decode_text(source, data))
    return [Document(text=text, source=source, source_map=smap, **fields)]


# Markdown syntax is blanked to spaces (offsets unchanged) so that checks read only the words:
# link targets, code, images, emphasis markers, heading marks and inline HTML tags.
#
# Linear time: a failed attempt must not rescan what the next attempt scans. So link text
# stops at a "[" (only the last "[" before "](" opens the link, as in CommonMark), a link
# target at the next "](", an autolink at a "<"; a "<!--" that no "-->" follows is
# disarmed by mask_markdown() before this runs (else each would search to the end).
_TARGET = r"\((?:[^)\n\]]|\](?!\())*+\)"
MARKUP = re.compile(
    r"(?P<comment><!--(?P<body>.*?)-->)"
    r"|(?P<fence>^[ \t]*(?P<fmark>```|~~~)[^\n]*\n.*?(?:^[ \t]*(?P=fmark)[^\n]*$|\Z))"
    r"|(?P<code>`[^`\n]+`)"
    r"|(?P<image>!\[[^\[\]\n]*+\]" + _TARGET + r")"
    r"|(?P<link_open>\[)(?=[^\[\]\n]*+\]" + _TARGET + r")"
    r"|(?P<link_close>\]" + _TARGET + r")"
    r"|(?P<autolink><(?:https?://|mailto:)[^<>\s]++>)"
    r"|(?P<tag></?(?:" + "|".join(sorted(HTML_ELEMENTS, key=lambda e: (-len(e), e))) + r")\b[^<>]*>)"
    r"|(?P<heading>^[ \t]{0,3}#{1,6}(?=[ \t]))"
    r"|(?P<rule>^[ \t]{0,3}\*{3,}[ \t]*$)",
    re.S | re.M | re.I,
)
#: every match of MARKUP and every emphasis marker has one of these, or is a heading
_SYNTAX = ("`", "~~~", "[", "]", "<", "*", "__")
_HEADING = re.compile(r"(?:^|\n)[ \t]{0,3}#")
#: emphasis delimiter runs (``*``, ``**``, ``***`` and ``__``) and blank lines, which end a
#: paragraph and so any emphasis open in it
_DELIMITERS = re.compile(r"\*+|(?<!_)__(?!_)|\n[ \t]*(?=\n)")


def mask_markdown(text: str) -> tuple[str, list[tuple[int, str, frozenset[str]]]]:
    """Blank Markdown syntax to spaces; return the masked text and suppression directives."""
    if not (any(c in text for c in _SYNTAX) or ("#" in text and _HEADING.search(text))):
        return text, []  # plain prose: nothing MARKUP or an emphasis marker could match
    directives = []
    spans = []
    for m in MARKUP.finditer(_disarm_unclosed_comments(text)):
        if m.group("comment"):
            parsed = parse_directive(m.group("body"))
            if parsed:
                directives.append((m.start(), *parsed))
        spans.append(m.span())
    chars = list(blanked(text, spans))
    _mask_emphasis(text, chars)
    return "".join(chars), directives


def _disarm_unclosed_comments(text: str) -> str:
    """``text`` with the "!" of each "<!--" after the last "-->" made a NUL (same length).

    Such a "<!--" is never a comment, and MARKUP would search to the end of the text from each
    one: 4,000 of them took 0.3 s, 16,000 took 7 s. NUL is in every character class of MARKUP
    that "!" is in, "<" stays, and no closed comment contains one of them, so nothing else
    matches differently. (A "<!--" overlapping the last "-->" stays: at most one.)
    """
    first = text.find("<!--", text.rfind("-->") + 1)
    if first == -1:
        return text
    return text[:first] + text[first:].replace("<!--", "<\x00--")


def _mask_emphasis(text: str, chars: list[str]) -> None:
    """Blank emphasis markers that pair up in a paragraph: ``*a*``, ``**a**``, ``__a__``.

    A marker without its partner is text, not markup: an agent's initials "*SR" at the end of
    a reply, a footnote "*", "5 * 3". An opener is followed by a non-space, a closer preceded
    by one, and neither sits inside a word (``f*ck``). Each closer pairs with the nearest open
    marker of its character, as many of its characters as both have (at most two at a time,
    as in CommonMark), so the work is linear in the number of markers.
    """
    n = len(text)
    openers: dict[str, list[list[int]]] = {"*": [], "_": []}  # [start, count] still unpaired
    for m in _DELIMITERS.finditer(text):
        start, end = m.span()
        ch = text[start]
        if ch == "\n":
            openers = {"*": [], "_": []}
            continue
        if any(chars[i] != ch for i in range(start, end)):
            continue  # inside code, a link target, a comment …: already blanked
        before = text[start - 1] if start else " "
        after = text[end] if end < n else " "
        inside_word = before.isalnum() and after.isalnum()
        can_open = not after.isspace() and not inside_word and not (before.isalnum() and ch == "_")
        can_close = not before.isspace() and not inside_word and not (after.isalnum() and ch == "_")
        count = end - start
        stack = openers[ch]
        if can_close:
            while count and stack:
                opener = stack[-1]
                used = 2 if opener[1] >= 2 and count >= 2 else 1
                o_end = opener[0] + opener[1]
                for i in (*range(o_end - used, o_end), *range(start, start + used)):
                    chars[i] = " "
                opener[1] -= used
                start += used
                count -= used
                if not opener[1]:
                    stack.pop()
        if count and can_open:
            stack.append([start, count])


def load_markdown(source: str, data: bytes) -> list[Document]:
    text, smap, fields = read_front_matter_file(source, decode_text(source, data))
    masked, directives = mask_markdown(text)
    return [
        Document(
            text=masked,
            source=source,
            source_map=smap,
            suppressions=build_suppressions(directives, masked),
            **fields,
        )
    ]


@hookimpl
def register_readers(register):
    register(
        Reader(
            "markdown",
            ("*.md", "*.markdown"),
            load_markdown,
            "Markdown, optionally a macro with YAML front matter",
        )
    )
    register(
        Reader(
            "text",
            ("*.txt", "*.text", "*.liquid"),
            load_text,
            "plain text, optionally a macro with YAML front matter",
        )
    )
