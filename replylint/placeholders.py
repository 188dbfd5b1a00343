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

PATTERN = re.compile(
    r"(?P<liquid_out>\{\{\{?[^{}\n]{0,200}?\}?\}\})"
    r"|(?P<tag>\{%[^%\n]{0,200}?%\})"
    r"|(?P<mailchimp>\*\|[A-Z0-9_:]{1,40}\|\*)"
    r"|(?P<percent>%[A-Z][A-Z0-9_]{1,40}%)"
    r"|(?P<bracket>\[(?P<bracket_body>[^\[\]\n]{1,40})\](?![(\[]))"
    r"|(?P<angle><(?P<angle_body>[A-Za-z][A-Za-z _-]{0,38}[A-Za-z])>)"
    r"|(?P<marker>\b(?:X{3,}|FILL ?IN|TODO|TBD)\b|\b(?i:lorem ipsum)\b)",
)
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


def _fill_in(body: str) -> bool:
    """``[Customer Name]``, ``[DATE]``, ``<ORDER_ID>`` are fill-ins; ``[1]``, ``[OK]`` are not."""
    body = body.strip()
    return bool(_SNAKE_BODY.fullmatch(body) or _FILL_BODY.search(body))


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder in ``text``, in order and non-overlapping."""
    found = []
    for m in PATTERN.finditer(text):
        kind = m.lastgroup
        if kind in ("bracket", "bracket_body"):
            if not _fill_in(m.group("bracket_body")):
                continue
            syntax = "fill-in"
        elif kind in ("angle", "angle_body"):
            body = m.group("angle_body")
            if body.lower() in HTML_ELEMENTS or not _fill_in(body):
                continue
            syntax = "fill-in"
        elif kind == "tag":
            syntax = "liquid" if _LIQUID_TAG.match(m.group()) else "helpscout"
        elif kind == "liquid_out":
            syntax = "liquid"
        elif kind == "marker":
            syntax = "fill-in"
        else:
            syntax = "merge-tag"
        found.append(Placeholder(m.start(), m.end(), syntax))
    return found
