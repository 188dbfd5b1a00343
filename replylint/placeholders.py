"""Template placeholders: merge fields of the helpdesk vendors and human fill-ins.

In a macro they are expected and checks skip over them; in a draft about to be sent they are
a bug (rule ``placeholders.unfilled``).
"""

from __future__ import annotations

import re

from .model import Placeholder

_FILL_WORDS = (
    r"name|customer|client|agent|insert|date|time|number|no\.|email|e-mail|address|company|"
    r"product|link|url|amount|price|order|ticket|phone|your|their|his|her|here|details|"
    r"reason|id|placeholder|fill|tbd|todo"
)

_OTHERS = (
    r"|(?P<mailchimp>\*\|[A-Z0-9_:]{1,40}\|\*)"
    r"|(?P<percent>%[A-Z][A-Z0-9_]{1,40}%)"
    r"|(?P<bracket>\[(?P<bracket_body>[^\[\]\n]{1,40})\](?![(\[]))"
    r"|(?P<angle><<(?P<angle2_body>[A-Za-z][A-Za-z _-]{0,38}[A-Za-z])>>"
    r"|<(?P<angle_body>[A-Za-z][A-Za-z _-]{0,38}[A-Za-z])>)"
    r"|(?P<marker>\b(?:X{3,}|FILL ?IN|TODO|TBD)\b|\b(?i:lorem ipsum)\b)"
)
#: Every match starts at one of these characters or at a word: the lookahead in front of
#: PATTERN rules out the other positions at once, instead of trying each alternative there.
_START = r"(?=[{%*\[<]|(?<!\w)[A-Za-z_])"
PATTERN = re.compile(
    _START + r"(?:(?P<liquid_out>\{\{\{?[^{}\n]{0,200}?\}?\}\})"
    r"|(?P<tag>\{%[^%\n]{0,200}?%\})"
    # broken merge fields, tried only where a well-formed one did not match (see MALFORMED)
    r"|(?P<one_close>\{\{[^{}\n]{1,200}?\}(?!\}))"
    r"|(?P<mixed>\{\{[^{}%\n]{1,200}?%\}|\{%[^{}%\n]{1,200}?\}\})"
    r"|(?P<one_open>(?<!\{)\{[ \t]*[A-Za-z_][\w.\[\]-]{0,100}[ \t]*\}\})"
    r"|(?P<unclosed>\{[{%](?![^{}]{0,300}[}%]\})[ \t]*[A-Za-z_][\w.\[\]-]{0,100})"
    # possessive: giving back a word character can never make room for the "." or "}}"
    r"|(?P<no_open>(?<![\w.{}])[A-Za-z_]\w{0,40}+(?:\.\w{1,40}+){1,8}+[ \t]*\}\})"
    + _OTHERS + ")"
)
#: the same without the brace forms: most replies have no brace, and skip their cost
_NO_BRACES = re.compile(_OTHERS[1:])
#: one of these (or "lorem" in any case) is in every match of _NO_BRACES
_MARKS = ("*|", "%", "[", "<", "XXX", "FILL", "TODO", "TBD")
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


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder in ``text``, in order and non-overlapping.

    ``syntax`` is ``liquid`` (``{{…}}`` and ``{% tag %}``, Intercom's and Gorgias's ``{{…}}``
    too), ``helpscout``, ``merge-tag`` (Mailchimp ``*|FNAME|*``, ``%NAME%``), ``fill-in``
    (``[NAME]``, ``XXX``) or ``malformed`` (``{{ticket.id}``, ``{ticket.id}}``, ``{{ticket.id``).
    """
    found: list[Placeholder] = []
    if "{" in text or "}}" in text:
        pattern = PATTERN
    elif any(mark in text for mark in _MARKS) or "lorem" in text.lower():
        pattern = _NO_BRACES
    else:
        return found  # no brace, bracket, marker or fill-in word: nothing to look at
    for m in pattern.finditer(text):
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
