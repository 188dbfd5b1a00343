"""Email zoning: greeting, body, closing, signature, quoted history, disclaimer.

After Lampert et al. (2009), "Segmenting email message text into zones", but tuned for the
*outgoing* side: libraries built for inbound mail cut sign-offs and hyphen lists, which are
exactly what a reply linter must see. Zoning works on lines in a few passes:

1. quoted history: ``>`` lines and reader hints, the "On … wrote:" attribution before them,
   and everything from an Outlook header block or "Original Message" separator to the end;
2. in every stretch of author text, from the end: disclaimer paragraphs, then a signature
   after ``-- `` or "Sent from my …";
3. the greeting at the top of the author's text; at the bottom of the last stretch, the
   closing (sign-off plus name), then a contact block and legal words; the rest is body.

Each pass looks at a line and a bounded number of neighbours, and regular expressions only
run on short lines or simple alternations, so zoning is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .model import Span, Zone, ZoneKind
from .phrasescan import Prefiltered

Q = ZoneKind.QUOTED

#: Longer lines are prose: never a salutation, sign-off, header, attribution or signature line.
_SHORT = 200

_GREETING = re.compile(
    r"(?:hi|hello|hey|hiya|howdy|dear|greetings|morning|hallo|hola|bonjour|"
    r"good\s+(?:morning|afternoon|evening|day))\b",
    re.IGNORECASE,
)
_LEADING_TAGS = re.compile(r"(?:\{%[^%\n]*%\}\s*)+")
_PARENTHESES = re.compile(r"\([^()\n]*\)")  # "(she/her)", "(Support)" after a name
_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}|\[[A-Z][A-Z _]*\]")

#: Sign-off phrases, lower case, spaces collapsed, trailing "." and "!" removed.
_SIGNOFFS = frozenset(
    {
        "best", "all the best", "all best", "all my best", "best wishes", "warm wishes",
        "regards", "best regards", "kind regards", "kindest regards", "warm regards",
        "warmest regards", "many regards", "with regards", "with kind regards",
        "thanks", "thank you", "thx", "many thanks", "thanks again", "thank you again",
        "thanks so much", "thank you so much", "thank you very much", "thanks a lot",
        "thanks a ton", "thanks in advance", "thanks and regards", "thanks & regards",
        "thank you and regards", "thanks and best regards", "with thanks", "with gratitude",
        "cheers", "sincerely", "yours sincerely", "sincerely yours", "yours truly",
        "yours faithfully", "respectfully", "warmly", "talk soon", "talk to you soon",
        "speak soon", "take care", "stay safe", "stay well", "best of luck", "good luck",
        "have a great day", "have a good day", "have a nice day", "have a lovely day",
        "have a wonderful day", "have a great weekend", "have a good weekend",
        "have a nice weekend", "have a great week", "have a good one",
        "saludos", "un saludo", "atentamente", "gracias", "cordialement", "bien à vous",
        "merci", "mit freundlichen grüßen", "viele grüße", "beste grüße", "danke",
        "met vriendelijke groet", "groeten", "cordiali saluti", "grazie", "obrigado",
    }
)
#: First words that make "Word," a reply's opening rather than a salutation to a name.
_NOT_NAMES = frozenset(
    "yes no sure ok okay thanks unfortunately however also so well great perfect absolutely "
    "apologies sorry correct right update note hmm good done noted understood".split()
)
_NAME_WORDS = frozenset("the from at and & of team | - – — · de van von".split())

_ATTRIBUTION_START = ("On ", "Le ", "Am ", "El ", "Il ", "Op ")
_ATTRIBUTION_END = (
    "wrote:", "writes:", "a écrit :", "a écrit:", "schrieb:", "escribió:", "ha scritto:",
    "schreef:",
)
_SEPARATORS = frozenset(
    {
        "original message", "forwarded message", "begin forwarded message",
        "message d'origine", "message transféré", "ursprüngliche nachricht",
        "weitergeleitete nachricht", "mensaje original", "mensaje reenviado",
    }
)
_FROM_KEYS = frozenset({"from", "von", "de", "van", "da"})
_HEADER_KEYS = frozenset(
    {
        "sent", "date", "to", "cc", "bcc", "subject", "reply-to", "gesendet", "datum", "an",
        "betreff", "envoyé", "à", "objet", "enviado", "fecha", "para", "asunto", "verzonden",
        "aan", "onderwerp", "inviato", "oggetto", "a",
    }
)
_SENT_FROM = (
    "sent from my ", "sent from outlook", "sent from mail for ", "sent from yahoo mail",
    "sent from samsung", "get outlook for ", "sent with proton mail", "sent via superhuman",
)
_DISCLAIMER = Prefiltered(re.compile(
    r"confidentiality notice|disclaimer|legal notice|intended recipient|intended solely|"
    r"intended only for|received this (?:e-?mail|message|communication|transmission) "
    r"(?:in error|by mistake)|(?:privileged|confidential) and (?:confidential|privileged)|"
    r"notify the sender|consider the environment before printing|registered in england|"
    r"registered office|(?:e-?mail|message) and any (?:files|attachments)",
    re.IGNORECASE,
))
#: Longer paragraphs are prose, whatever words they use.
_MAX_DISCLAIMER = 3000
#: Words of legal boilerplate: below the closing, "confidential" and one more are enough.
_DISCLAIMER_WORDS = Prefiltered(re.compile(
    r"confidential|addressee|privileged|intended|unauthori[sz]ed|prohibited|legally|"
    r"liability|recipient|do not (?:share|copy|forward|disclose|distribute)",
    re.IGNORECASE,
))
_DISCLAIMER_START = re.compile(
    r"(?<![*_ ])"  # from the start of a run of marks only: linear
    r"[*_ ]*(?:confidential|disclaimer|legal notice|important notice|notice:|privileged|"
    r"this (?:e-?mail|message|communication)|the information (?:contained|in this)|"
    r"please consider the environment|registered (?:in|office))",
    re.IGNORECASE,
)


class _Line(NamedTuple):
    start: int  # offset of the line's first character
    lo: int  # offset of its first non-blank character
    text: str  # the line without surrounding white space

    @property
    def hi(self) -> int:
        return self.lo + len(self.text)


def zone(text: str, quoted_hints: Sequence[Span] = ()) -> list[Zone]:
    """Zones covering ``text`` in order, contiguous, adjacent kinds merged.

    Empty text has no zones; text of blank lines only is one body zone. ``quoted_hints``
    (spans a reader knows are quoted history) always end up quoted.
    """
    if not text:
        return []
    lines = _split_lines(text)
    hints = _merge_hints(quoted_hints, len(text))
    kinds = _quoted(lines, _hinted(lines, hints))
    runs = _author_runs(lines, kinds)
    ends = [_mark_tail(lines, kinds, a, b) for a, b in runs]
    split = _mark_greeting(lines, kinds)
    content = [
        (a, end)
        for (a, _), end in zip(runs, ends, strict=True)
        if _first_open(lines, kinds, a, end) is not None
    ]
    if content:
        _mark_closing(lines, kinds, *content[-1])
    pieces = _pieces(text, lines, kinds, split)
    return _merge(_overlay(pieces, hints))


# -- lines and hints ---------------------------------------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    lines = []
    start = 0
    while True:
        nl = text.find("\n", start)
        end = len(text) if nl == -1 else nl
        raw = text[start:end]
        stripped = raw.lstrip()
        lines.append(_Line(start, end - len(stripped), stripped.rstrip()))
        if nl == -1:
            return lines
        start = nl + 1


def _merge_hints(hints: Sequence[Span], n: int) -> list[tuple[int, int]]:
    """Hints clamped to the text, sorted and merged, so one sweep can consult them."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted((max(0, h.start), min(n, h.end)) for h in hints):
        if s >= e:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _hinted(lines: list[_Line], hints: list[tuple[int, int]]) -> list[bool]:
    """Whether each line's content lies inside a hint (then it counts as a quoted line)."""
    out = []
    j = 0
    for line in lines:
        while j < len(hints) and hints[j][1] <= line.lo:
            j += 1
        out.append(
            bool(line.text) and j < len(hints) and hints[j][0] <= line.lo and line.hi <= hints[j][1]
        )
    return out


# -- quoted history ----------------------------------------------------------------------------


def _quoted(lines: list[_Line], hinted: list[bool]) -> list[ZoneKind | None]:
    """Kinds with quoted lines set: ``>`` lines, hints, attributions, unmarked history."""
    kinds: list[ZoneKind | None] = [
        Q if line.text.startswith(">") or h else None for line, h in zip(lines, hinted, strict=True)
    ]
    i = 0
    while i < len(lines):
        t = lines[i].text
        if not t or kinds[i] is Q:
            i += 1
            continue
        if _is_separator(t) or _is_header_block(lines, i):
            _set(lines, kinds, _rule_before(lines, i), len(lines), Q)
            break
        end = _attribution_end(lines, i)
        short = end == i and len(t) <= 120 and t.endswith(_ATTRIBUTION_END)
        if short:
            end = i + 1
        if end > i:
            k = _next_content(lines, end)
            if k < len(lines) and kinds[k] is Q:
                _set(lines, kinds, i, end, Q)
                i = end
                continue
            if not short:  # "On <date>, … wrote:" followed by the message without ">" marks
                _set(lines, kinds, i, len(lines), Q)
                break
        i += 1
    return kinds


def _attribution_end(lines: list[_Line], i: int) -> int:
    """Index past an "On <date> … wrote:" attribution (wrapped over 1–3 lines) at ``i``, else i.

    The lines are joined before the ending is checked: a wrap can split "a écrit :" too.
    """
    if not lines[i].text.startswith(_ATTRIBUTION_START):
        return i
    parts: list[str] = []
    for j in range(i, min(i + 3, len(lines))):
        parts.append(lines[j].text)
        if not parts[-1] or sum(map(len, parts)) > 300:
            return i
        joined = " ".join(parts)
        if joined.endswith(_ATTRIBUTION_END):
            return j + 1 if any(c.isdigit() for c in joined) else i
    return i


def _is_separator(t: str) -> bool:
    """ "-----Original Message-----", "---------- Forwarded message ---------" and the like."""
    if len(t) > 80:
        return False
    core = t.strip("-_=* ").rstrip(":").strip().lower()
    return core in _SEPARATORS and (t.startswith("-") or core == "begin forwarded message")


def _header_key(t: str) -> str:
    head, colon, _ = t[:20].partition(":")
    return head.strip(" *_").lower() if colon else ""


def _is_header_block(lines: list[_Line], i: int) -> bool:
    """An Outlook/Apple "From: … / Sent: … / To: …" block starts at line ``i``."""
    if _header_key(lines[i].text) not in _FROM_KEYS:
        return False
    k = _next_content(lines, i + 1)
    return k <= i + 2 and k < len(lines) and _header_key(lines[k].text) in _HEADER_KEYS


def _rule_before(lines: list[_Line], i: int) -> int:
    """Include Outlook's "______" rule above a header block in the history."""
    k = i - 1
    while k >= 0 and not lines[k].text:
        k -= 1
    if k >= 0 and len(lines[k].text) >= 3 and not lines[k].text.strip("_-="):
        return k
    return i


def _next_content(lines: list[_Line], i: int) -> int:
    while i < len(lines) and not lines[i].text:
        i += 1
    return i


def _set(
    lines: list[_Line], kinds: list[ZoneKind | None], a: int, b: int, kind: ZoneKind
) -> None:
    for i in range(a, b):
        if lines[i].text:
            kinds[i] = kind


def _author_runs(lines: list[_Line], kinds: list[ZoneKind | None]) -> list[tuple[int, int]]:
    """Maximal stretches of unquoted lines that have some content."""
    runs = []
    i = 0
    while i < len(lines):
        if kinds[i] is Q:
            i += 1
            continue
        j = i
        content = False
        while j < len(lines) and kinds[j] is not Q:
            content = content or bool(lines[j].text)
            j += 1
        if content:
            runs.append((i, j))
        i = j
    return runs


def _first_open(lines: list[_Line], kinds: list[ZoneKind | None], a: int, b: int) -> int | None:
    """The first line in ``[a, b)`` with content and no kind yet."""
    for i in range(a, b):
        if lines[i].text and kinds[i] is None:
            return i
    return None


# -- disclaimer and signature ------------------------------------------------------------------


def _mark_tail(lines: list[_Line], kinds: list[ZoneKind | None], a: int, b: int) -> int:
    """Mark the disclaimer and signature at the end of an author run; return where they begin."""
    d = _disclaimer_start(lines, a, b)
    _set(lines, kinds, d, b, ZoneKind.DISCLAIMER)
    s = next((i for i in range(a, d) if _starts_signature(lines[i].text)), d)
    _set(lines, kinds, s, d, ZoneKind.SIGNATURE)
    return s


def _starts_signature(t: str) -> bool:
    """The ``-- `` delimiter (never "- " bullets or "---" rules) or a "Sent from my …" line."""
    return t == "--" or (len(t) <= 80 and t.lower().startswith(_SENT_FROM))


def _disclaimer_start(lines: list[_Line], a: int, b: int) -> int:
    """Where paragraphs with a tell-tale legal phrase at the end of ``[a, b)`` begin, else b."""
    start = end = b
    while True:
        q = end
        while q > a and not lines[q - 1].text:
            q -= 1
        p = q
        while p > a and lines[p - 1].text:
            p -= 1
        if p == q:
            return start
        first = p
        if len(lines[p].text.split(None, 6)) < 6:  # a short first line: signature, not legalese
            first = next((i for i in range(p, q) if _DISCLAIMER_START.match(lines[i].text)), q)
        if first == q or not _legal(lines[first:q], _DISCLAIMER.search):
            return start
        start = end = first
        if first > p:
            return start


def _legal(lines: list[_Line], test: Callable[[str], object]) -> bool:
    """Whether ``test`` finds boilerplate in these lines; long text is prose, not boilerplate."""
    if sum(len(line.text) for line in lines) > _MAX_DISCLAIMER:
        return False
    return bool(test(" ".join(line.text for line in lines)))


def _legal_words(text: str) -> bool:
    """ "Confidential" and another legal word: boilerplate when it comes below the closing."""
    words = {m.group().lower() for m in _DISCLAIMER_WORDS.finditer(text)}
    return "confidential" in words and len(words) >= 2


# -- greeting ----------------------------------------------------------------------------------


def _mark_greeting(lines: list[_Line], kinds: list[ZoneKind | None]) -> tuple[int, int] | None:
    """Mark the salutation on the author's first line; return (line, offset) if it splits it."""
    i = next((k for k, line in enumerate(lines) if line.text and kinds[k] is not Q), None)
    if i is None or kinds[i] is not None:
        return None
    line = lines[i]
    size = _salutation(line.text, _next_content(lines, i + 1) > i + 1)
    if not size:
        return None
    kinds[i] = ZoneKind.GREETING
    return (i, line.lo + size) if size < len(line.text) else None


def _salutation(t: str, own_paragraph: bool) -> int:
    """How many leading characters of a line are a salutation ("Hi Dana,"), 0 if none."""
    if len(t) > _SHORT:
        return 0
    m = _LEADING_TAGS.match(t)
    pos = m.end() if m else 0
    if not _GREETING.match(t, pos):
        return _bare_name(t, own_paragraph)
    cut = _first_break(t, pos)
    if len(t[:cut].split()) > 7:
        return 0
    rest = _LEADING_TAGS.sub("", t[cut:]).strip().rstrip(",!.")
    return len(t) if not rest or _name_like(rest) else cut


def _bare_name(t: str, own_paragraph: bool) -> int:
    """ "Dana," or "{{ticket.requester.first_name}}," alone above the first paragraph."""
    if not (own_paragraph and t.endswith(",") and len(t) <= 50):
        return 0
    name = t[:-1].strip()
    if not name or name.split(None, 1)[0].lower().strip(".!") in _NOT_NAMES:
        return 0
    return len(t) if _name_like(name) and len(name.split()) <= 3 else 0


def _first_break(t: str, pos: int) -> int:
    """Index past the first "," or "!" outside placeholder braces, else ``len(t)``."""
    depth = 0
    for i in range(pos, len(t)):
        c = t[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif c in ",!" and depth == 0:
            return i + 1
    return len(t)


# -- closing -----------------------------------------------------------------------------------


def _mark_closing(lines: list[_Line], kinds: list[ZoneKind | None], a: int, b: int) -> None:
    """Mark the sign-off, the name under it, a contact block and legal words after that.

    A sign-off without a name only counts when nothing but short signature lines and a P.S.
    follow it, so "Thanks!" in the middle of the text stays body. After the signature lines,
    the rest (a P.S., a sentence) is body.
    """
    open_ = [i for i in range(a, b) if lines[i].text and kinds[i] is None]
    if not open_:
        return
    c = next((k for k in range(len(open_) - 1, -1, -1) if _is_signoff(lines[open_[k]].text)), None)
    if c is None:
        _mark_unsigned(lines, kinds, open_)
        return
    trailer = open_[c + 1 :]
    closing = [open_[c]]
    sure = "," in lines[open_[c]].text.rstrip(",")  # "Cheers, Sam"
    if trailer and trailer[0] - open_[c] <= 2 and _name_like(lines[trailer[0]].text):
        closing.append(trailer.pop(0))
        sure = True
    cut = _legal_tail(lines, trailer)
    trailer, legal = trailer[:cut], trailer[cut:]
    sig = 0
    while sig < len(trailer) and _signature_like(lines[trailer[sig]].text):
        sig += 1
    if sig < len(trailer) and _is_postscript(lines[trailer[sig]].text):
        sure = True
    if sig < len(trailer) and not sure:
        return
    for k in range(c - 1, -1, -1):  # "Thanks again!" right above "Best," is part of it
        i = open_[k]
        if i + 1 != open_[k + 1] or not _is_signoff(lines[i].text):
            break
        closing.append(i)
    for i in closing:
        kinds[i] = ZoneKind.CLOSING
    for i in trailer[:sig]:
        kinds[i] = ZoneKind.SIGNATURE
    for i in legal:
        kinds[i] = ZoneKind.DISCLAIMER


def _legal_tail(lines: list[_Line], trailer: list[int]) -> int:
    """Where the paragraphs of legal words at the end of the lines below a sign-off begin."""
    start = end = len(trailer)
    while end:
        k = end - 1
        while k and trailer[k] - trailer[k - 1] == 1:
            k -= 1
        if not _legal([lines[i] for i in trailer[k:end]], _legal_words):
            break
        start = end = k
    return start


def _is_signoff(t: str) -> bool:
    """ "Best regards,", "Thanks!", "Cheers, Sam": a short line, a sign-off phrase, a name."""
    if len(t) > 60:
        return False
    head, _, name = t.partition(",")
    head = " ".join(head.lower().rstrip(" .!").split())
    name = name.strip()
    return head in _SIGNOFFS and (not name or _name_like(name))


def _name_like(t: str) -> bool:
    """A person's or team's name: a few capitalised words or placeholders, no sentence."""
    if len(t) > _SHORT:
        return False
    t = _PARENTHESES.sub("", _PLACEHOLDER.sub("Name", t)).strip()
    words = t.split()
    if not words or len(t) > 50 or len(words) > 5 or t[-1] in ".?!:;,":
        return False
    if any(c.isdigit() or c in "@/" for c in t) or "signature" in t.lower():
        return False
    if len(words) <= 2 and all(w.isalpha() for w in words):
        return True
    return all(w[0].isupper() or w.lower() in _NAME_WORDS for w in words)


def _mark_unsigned(lines: list[_Line], kinds: list[ZoneKind | None], open_: list[int]) -> None:
    """Without a sign-off, the closing is a name alone at the end or heading a contact block."""
    for k in range(len(open_) - 1, max(0, len(open_) - 7), -1):
        i = open_[k]
        if not _signature_like(lines[i].text):
            return
        block = open_[k + 1 :]
        if _name_apart(lines, open_[k - 1], i) and (
            not block or any(_has_contact(lines[j].text) for j in block)
        ):
            kinds[i] = ZoneKind.CLOSING
            for j in block:
                kinds[j] = ZoneKind.SIGNATURE
            return


def _name_apart(lines: list[_Line], before: int, i: int) -> bool:
    """A short name on line ``i``, set apart from the sentence above it (not introduced by it)."""
    t = lines[i].text.lstrip("—–").strip()
    above = lines[before].text
    apart = not above.endswith(":") and (i - before > 1 or above.endswith((".", "!", "?")))
    return apart and len(t.split()) <= 4 and _name_like(t) and t.lower() not in _NOT_NAMES


def _has_contact(t: str) -> bool:
    """A phone number, an email address or a web address."""
    return "@" in t or "://" in t or "www." in t or sum(c.isdigit() for c in t) >= 7


def _signature_like(t: str) -> bool:
    """A title, company, phone or URL line: short, not a bullet, not a sentence."""
    words = t.split()
    if len(words) > 12 or len(t) > 100 or t.startswith(("- ", "* ", "• ")) or t.endswith("?"):
        return False
    return not (t.endswith(("!", ".")) and len(words) >= 4)


def _is_postscript(t: str) -> bool:
    return t.lower().startswith(("p.s", "ps:", "ps.", "ps ", "p.p.s", "pps"))


# -- zones -------------------------------------------------------------------------------------


def _pieces(
    text: str, lines: list[_Line], kinds: list[ZoneKind | None], split: tuple[int, int] | None
) -> list[tuple[int, int, ZoneKind]]:
    """Each line with its newline as a piece; blank lines join the zone above them."""
    first = next((kinds[i] for i, line in enumerate(lines) if line.text), None)
    current = first or ZoneKind.BODY
    pieces = []
    for i, line in enumerate(lines):
        end = lines[i + 1].start if i + 1 < len(lines) else len(text)
        if line.text:
            current = kinds[i] or ZoneKind.BODY
        if split is not None and split[0] == i:
            pieces.append((line.start, split[1], current))
            pieces.append((split[1], end, ZoneKind.BODY))
            current = ZoneKind.BODY
        else:
            pieces.append((line.start, end, current))
    return pieces


def _overlay(
    pieces: list[tuple[int, int, ZoneKind]], hints: list[tuple[int, int]]
) -> list[tuple[int, int, ZoneKind]]:
    """Force the hinted spans to quoted, splitting pieces where a hint starts or ends."""
    if not hints:
        return pieces
    out = []
    j = 0
    for s, e, kind in pieces:
        pos = s
        while pos < e:
            while j < len(hints) and hints[j][1] <= pos:
                j += 1
            if j < len(hints) and hints[j][0] <= pos:
                stop = min(e, hints[j][1])
                out.append((pos, stop, Q))
            else:
                stop = min(e, hints[j][0]) if j < len(hints) else e
                out.append((pos, stop, kind))
            pos = stop
    return out


def _merge(pieces: list[tuple[int, int, ZoneKind]]) -> list[Zone]:
    zones: list[Zone] = []
    for s, e, kind in pieces:
        if s >= e:
            continue
        if zones and zones[-1].kind is kind:
            zones[-1] = Zone(kind, zones[-1].start, e)
        else:
            zones.append(Zone(kind, s, e))
    return zones
