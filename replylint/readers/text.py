"""Plain text and Markdown replies, each optionally a macro with YAML front matter."""

from __future__ import annotations

import re

from ..hookspecs import hookimpl
from ..model import Document
from ..placeholders import HTML_ELEMENTS
from . import Reader, decode_text
from .directives import build_suppressions, parse_directive
from .frontmatter import read_front_matter_file


def load_text(source: str, data: bytes) -> list[Document]:
    text, smap, fields = read_front_matter_file(source, decode_text(source, data))
    return [Document(text=text, source=source, source_map=smap, **fields)]


# Markdown syntax is blanked to spaces (offsets unchanged) so that checks read only the words:
# link targets, code, images, emphasis markers, heading marks and inline HTML tags.
MARKUP = re.compile(
    r"(?P<comment><!--(?P<body>.*?)-->)"
    r"|(?P<fence>^[ \t]*(?P<fmark>```|~~~)[^\n]*\n.*?(?:^[ \t]*(?P=fmark)[^\n]*$|\Z))"
    r"|(?P<code>`[^`\n]+`)"
    r"|(?P<image>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<link_open>\[)(?=[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<link_close>\]\([^)\n]*\))"
    r"|(?P<autolink><(?:https?://|mailto:)[^>\s]+>)"
    r"|(?P<tag></?(?:" + "|".join(sorted(HTML_ELEMENTS, key=len, reverse=True)) + r")\b[^<>]*>)"
    r"|(?P<heading>^[ \t]{0,3}#{1,6}(?=[ \t]))"
    r"|(?P<emph>\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w))",
    re.S | re.M | re.I,
)


def mask_markdown(text: str) -> tuple[str, list[tuple[int, str, frozenset[str]]]]:
    """Blank Markdown syntax to spaces; return the masked text and suppression directives."""
    chars = list(text)
    directives = []
    for m in MARKUP.finditer(text):
        if m.group("comment"):
            parsed = parse_directive(m.group("body"))
            if parsed:
                directives.append((m.start(), *parsed))
        for i in range(m.start(), m.end()):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars), directives


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
