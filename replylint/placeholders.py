"""Template placeholders: merge fields of the helpdesk vendors and human fill-ins.

In a macro they are expected and checks skip over them; in a draft about to be sent they are
a bug (rule ``placeholders.unfilled``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Placeholder
from .phrasescan import leftmost

_FILL_WORDS = (
    r"name|customer|client|agent|insert|date|time|number|no\.|email|e-mail|address|company|"
    r"product|link|url|amount|price|order|ticket|phone|your|their|his|her|here|details|"
    r"reason|id|placeholder|fill|tbd|todo"
)

_SPECIAL = (
    r"(?P<mailchimp>\*\|[A-Z0-9_:]{1,40}\|\*)"
    r"|(?P<percent>%[A-Z][A-Z0-9_]{1,40}%)"
    r"|(?P<bracket>\[(?P<bracket_body>[^\[\]\n]{1,40})\](?![(\[]))"
    r"|(?P<angle><<(?P<angle2_body>[A-Za-z][A-Za-z _-]{0,38}[A-Za-z])>>"
    r"|<(?P<angle_body>[A-Za-z][A-Za-z _-]{0,38}[A-Za-z])>)"
)
_MARKER = r"(?P<marker>\b(?:X{3,}|FILL ?IN|TODO|TBD)\b|\b(?i:lorem ipsum)\b)"
_BRACES = (
    r"(?P<liquid_out>\{\{\{?[^{}\n]{0,200}?\}?\}\})"
    r"|(?P<tag>\{%[^%\n]{0,200}?%\})"
    # broken merge fields, tried only where a well-formed one did not match (see MALFORMED)
    r"|(?P<one_close>\{\{[^{}\n]{1,200}?\}(?!\}))"
    r"|(?P<mixed>\{\{[^{}%\n]{1,200}?%\}|\{%[^{}%\n]{1,200}?\}\})"
    r"|(?P<one_open>(?<!\{)\{[ \t]*[A-Za-z_][\w.\[\]-]{0,100}[ \t]*\}\})"
    r"|(?P<unclosed>\{[{%](?![^{}]{0,300}[}%]\})[ \t]*[A-Za-z_][\w.\[\]-]{0,100})"
)
# possessive: giving back a word character can never make room for the "." or "}}"
_NO_OPEN = r"(?P<no_open>(?<![\w.{}])[A-Za-z_]\w{0,40}+(?:\.\w{1,40}+){1,8}+[ \t]*\}\})"
#: Every placeholder form, in order of preference where two could match at one place; what
#: ``PATTERN.match`` finds at a placeholder's start tells how it is broken.
PATTERN = re.compile(f"{_BRACES}|{_NO_OPEN}|{_SPECIAL}|{_MARKER}")
#: every match of _AT_MARKS starts with one of these
_MARKS = "{%*[<"
#: PATTERN split by the character a match starts with, for ``finditer``: in one alternation,
#: each word start tried a dozen alternatives; apart, ``re`` skips to the next ``{ % * [ <``
#: and the word-start forms run only on texts with their "}}" or marker word.
_AT_MARKS = re.compile(f"(?=[{re.escape(_MARKS)}])(?:{_BRACES}|{_SPECIAL})")
_AT_WORDS = re.compile(_NO_OPEN)
_AT_MARKERS = re.compile(_MARKER)
#: one of these (or "lorem" in any case) is in every match of _AT_MARKERS
_MARKER_WORDS = ("XXX", "FILL", "TODO", "TBD")
#: HTML element names: ``<details>`` in a Markdown macro is markup, not a fill-in like ``<name>``
HTML_ELEMENTS = frozenset(
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas "
    "caption center cite code col colgroup data datalist dd del details dfn dialog div dl dt em "
    "embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i "
    "iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript "
    "object ol optgroup option output p param picture pre progress q rp rt ruby s samp script "
    "section select small source span strike strong style sub summary sup table tbody td "
    "template textarea tfoot th thead time title tr track tt u ul var video wbr".split()
)
_FILL_BODY = re.compile(r"\b(?:" + _FILL_WORDS + r")\b", re.IGNORECASE)
_SNAKE_BODY = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# Liquid tags start with a keyword; Help Scout's {%customer.firstName,fallback=there%} does not.
_LIQUID_TAG = re.compile(
    r"\{%-?\s*(?:if|elsif|else|endif|unless|endunless|case|when|endcase|for|endfor|break|"
    r"continue|assign|capture|endcapture|comment|endcomment|raw|endraw|increment|decrement|"
    r"cycle|tablerow|endtablerow|include|render|liquid|echo)\b"
)
#: A Help Scout variable: one dotted name, optionally ``,fallback=text``, and nothing else.
#: Anything else between ``{%`` and ``%}`` is (possibly broken) Liquid.
HELPSCOUT_TAG = re.compile(
    r"\{%[ \t]*(?P<name>[A-Za-z_]\w{0,40}(?:\.\w{1,40}){0,4})[ \t]*"
    r"(?:,[ \t]*fallback[ \t]*=(?P<fallback>[^%{}\n]{0,100}))?%\}"
)
#: the broken forms (syntax ``malformed``), by PATTERN group, with what is wrong with each
MALFORMED = {
    "one_close": "closes with one brace",
    "mixed": "mixes `{{`/`{%` with `%}`/`}}`",
    "one_open": "opens with one brace",
    "unclosed": "is never closed",
    "no_open": "has no opening braces",
}


def _fill_in(body: str) -> bool:
    """``[Customer Name]``, ``[DATE]``, ``<ORDER_ID>`` are fill-ins; ``[1]``, ``[OK]`` are not."""
    body = body.strip()
    return bool(_SNAKE_BODY.fullmatch(body) or _FILL_BODY.search(body))


def _matches(text: str) -> Iterator[re.Match[str]]:
    """``PATTERN.finditer(text)``, from the scans that can match in ``text``."""
    marks = list(_AT_MARKS.finditer(text)) if any(c in text for c in _MARKS) else []
    scans = [_AT_MARKS] if marks else []
    if _loose_close(text, marks):
        scans.append(_AT_WORDS)
    if any(w in text for w in _MARKER_WORDS) or "lorem" in text.lower():
        scans.append(_AT_MARKERS)
    return iter(marks) if scans == [_AT_MARKS] else leftmost(scans, text)


def _loose_close(text: str, marks: list[re.Match[str]]) -> bool:
    """Whether a "}}" in ``text`` is not inside one of ``marks`` (the matches of _AT_MARKS).

    Only there can a ``no_open`` form end: a brace form covering its "}}" would have to start
    inside it, and it holds no ``{ % * [ <``; so where every "}}" closes a brace form, the
    word-start scan is skipped.
    """
    i = 0
    at = text.find("}}")
    while at != -1:
        while i < len(marks) and marks[i].end() < at + 2:
            i += 1
        if i == len(marks) or marks[i].start() > at:
            return True
        at = text.find("}}", at + 1)
    return False


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder in ``text``, in order and non-overlapping.

    ``syntax`` is ``liquid`` (``{{…}}`` and ``{% tag %}``, Intercom's and Gorgias's ``{{…}}``
    too), ``helpscout``, ``merge-tag`` (Mailchimp ``*|FNAME|*``, ``%NAME%``), ``fill-in``
    (``[NAME]``, ``XXX``) or ``malformed`` (``{{ticket.id}``, ``{ticket.id}}``, ``{{ticket.id``).
    """
    found: list[Placeholder] = []
    for m in _matches(text):
        kind = m.lastgroup
        if kind in ("bracket", "bracket_body"):
            if not _fill_in(m.group("bracket_body")):
                continue
            syntax = "fill-in"
        elif kind in ("angle", "angle_body", "angle2_body"):
            body = m.group("angle_body") or m.group("angle2_body")
            if body.lower() in HTML_ELEMENTS or not _fill_in(body):
                continue
            syntax = "fill-in"
        elif kind == "tag":
            tag = m.group()
            helpscout = not _LIQUID_TAG.match(tag) and HELPSCOUT_TAG.fullmatch(tag)
            syntax = "helpscout" if helpscout else "liquid"
        elif kind == "liquid_out":
            syntax = "liquid"
        elif kind in MALFORMED:
            syntax = "malformed"
        elif kind == "marker":
            syntax = "fill-in"
        else:
            syntax = "merge-tag"
        found.append(Placeholder(m.start(), m.end(), syntax))
    return found
