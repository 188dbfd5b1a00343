"""Which channel a reply is written for: an email, a chat turn, a public social post, a macro.

The same rule is right in one channel and noise in another: an email has a greeting, a closing
line and a sign-off; a chat turn or a tweet has none of that ceremony and is judged on its
words; a macro is a fragment the helpdesk wraps in its own greeting and signature. Each check
declares the channels it applies to (``check(..., channels=...)``); each document has one,
declared (config, ``--channel``, ``lint(channel=)``, a reader that knows) or detected here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Document

CHANNELS = ("email", "chat", "social", "macro")
#: the ceremony of an email (greeting, sign-off, closing line, paragraphs) is judged here only
EMAIL_ONLY = frozenset({"email"})

#: How a social-care agent signs a reply: "^JB", "~Braden", "-Emilia", "- The Acme Team",
#: "/SO", "Roopa-HP Social Media Support." — a short tag at the very end of the text.
AGENT_TAG = re.compile(
    r"(?:^|\s|(?<=[.!?]))(?:"
    r"[\^~*/_]\s?[A-Z][\w.'&-]{0,15}(?:\s[A-Z][\w.'&-]{0,15})?"  # ^JB, ~Braden, ^Ann M
    r"|[-\u2013\u2014]\s?[A-Z][\w.'&]{0,15}(?:\s[A-Z][\w.'&]{0,15}){0,3}"  # -Emilia, - The Acme Team
    r"|[A-Z][a-z]{1,15}\s?[-\u2013\u2014]\s?[A-Z][\w&]{0,15}(?:\s[A-Z][\w&]*){0,4}"  # Roopa-HP Social Media Support
    r")[.!]?\s*$"
)
#: "1/2", "(2/3)", "[1/2]": one part of a reply split over several posts
THREAD_MARKER = re.compile(r"(?:^|\s)[(\[]?[1-9]/[1-9][)\]]?(?=\s|$)")
#: a public reply opens with the handle it answers ("@dana …", "Hello @dana …")
HANDLE_OPENING = re.compile(r"(?:(?:hi|hello|hey|dear)\W{1,3})?@\w{1,50}\b", re.IGNORECASE)
#: a chat turn or a social post is short: at most this many characters of the author's text
SHORT_REPLY = 320


#: a tag is at most this long: only the end of a long text is searched
_TAG_TAIL = 100


def signed_with_tag(text: str) -> re.Match[str] | None:
    r"""The agent tag that ends ``text``, if any; its offsets are offsets into ``text``.
    Only the last words are searched (from a space, which the pattern's ``\s`` takes)."""
    end = len(text.rstrip())
    pos = max(0, text.rfind(" ", 0, max(0, end - _TAG_TAIL) + 1))
    return AGENT_TAG.search(text, pos, end)


def thread_marker(text: str) -> re.Match[str] | None:
    """The "1/2", "(2/3)" that opens or ends ``text`` when it is one part of a split reply."""
    text = text.strip()
    return THREAD_MARKER.search(text[:12] + " " + text[-12:])


def detect(doc: Document) -> str:
    """The channel ``doc`` reads as, from its kind, its opening, its length and how it ends.

    A macro is a ``macro``; a reply that opens with an @handle, is marked as part of a thread
    or is signed with an agent tag (and is short) is ``social``; a short reply with neither a
    greeting nor a sign-off is ``chat``; the rest, and anything with an email's greeting or
    closing, is ``email``.
    """
    if doc.kind == "macro":
        return "macro"
    author = doc.author_text.strip()
    if HANDLE_OPENING.match(author) or thread_marker(author):
        return "social"
    lines = [line for line in author.splitlines() if line.strip()]
    short = len(author) <= SHORT_REPLY and len(lines) <= 3
    if short and signed_with_tag(author):
        return "social"
    from .model import ZoneKind  # model imports this module

    ceremony = any(z.kind in (ZoneKind.GREETING, ZoneKind.CLOSING) for z in doc.zones)
    if short and not ceremony:
        return "chat"
    return "email"


def validate(value: object, where: str) -> str | None:
    """``value`` if it names a channel (or is None); ValueError naming ``where`` otherwise."""
    if value is None or value in CHANNELS:
        return value  # type: ignore[return-value]
    raise ValueError(f"{where}: channel must be one of {', '.join(CHANNELS)}, got {value!r}")
