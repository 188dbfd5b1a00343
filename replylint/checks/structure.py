"""The ``structure`` family: the parts of an email a customer expects, in their place.

The ceremony rules (greeting, sign-off, closing line, signature) judge the ``email`` channel
only: a chat turn or a public social reply has other conventions, and a macro is a fragment the
helpdesk wraps in its own greeting and signature (set ``channel = "email"`` for macros that hold
whole replies). Even in email, a reply under ``min_lines`` lines is left alone.
"""

from __future__ import annotations

import re

from ..channel import AGENT_TAG, EMAIL_ONLY, THREAD_MARKER, signed_with_tag
from ..hookspecs import hookimpl
from ..model import Hit, Option, Severity, ZoneKind, check
from ..readability import sentences, sentences_in
from .nextstep import last_body_sentence

LINES = Option("min_lines", int, 3, "replies with fewer non-blank lines are not judged "
               "(chat and social replies)")


def _email_shaped(doc, options) -> bool:
    return sum(1 for line in doc.author_text.splitlines() if line.strip()) >= options["min_lines"]


GREETS = re.compile(r"^\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|"
                    r"howdy|hiya)\b", re.IGNORECASE)


def _signed(doc) -> bool:
    return bool(_zones(doc, ZoneKind.CLOSING)) or bool(signed_with_tag(doc.author_text))


def _greeted(doc) -> bool:
    """A greeting zone, or a greeting opening the author's words (after an @handle)."""
    return bool(_zones(doc, ZoneKind.GREETING)) or bool(GREETS.match(doc.prose))


def _first_words(doc) -> tuple[int, int]:
    text = doc.prose
    first = next(iter(sentences(text)), None)
    return (first.start, first.end) if first else (0, 0)


def _zones(doc, kind: ZoneKind):
    return [z for z in doc.zones if z.kind is kind]


@check("structure.missing-greeting", "STR001", Severity.WARNING, options=[LINES],
       channels=EMAIL_ONLY, default_enabled=False)
def missing_greeting(doc, options):
    """The reply starts without a greeting.

    Off by default: judged blind on real replies, these ceremony findings were wrong on
    social posts, chat turns and macros, and the held-out data has no email replies to
    earn them a default place on. Email teams select it (`extend-select`, or `strict`).

    ## What it does
    Flags an email-shaped reply whose author's text does not open with a greeting ("Hi
    Dana,", "Hello {{ticket.requester.first_name}},").

    ## Why is this bad?
    An email that starts mid-thought reads as curt, or as an automated notice. A greeting with
    the customer's name costs two words and tells them a person is writing.

    ## Example
    ```text
    Your refund was issued today.

    Best regards,
    Sam
    ```

    ## Use instead
    ```text
    Hi Dana,

    Your refund was issued today.

    Best regards,
    Sam
    ```
    """
    if not _email_shaped(doc, options) or _greeted(doc) or THREAD_MARKER.match(doc.prose.lstrip()):
        return
    start, end = _first_words(doc)
    if end > start:
        yield Hit(start, end, "The reply has no greeting: open with the customer's name",
                  ("Hi {name},",))


IMPERSONAL = re.compile(
    r"^\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)"
    r"(?:[ ,]+(?:there|all|team|everyone|folks|(?:valued |dear )?(?:customer|client|user|"
    r"member|sir(?:/madam)?|madam|sir or madam)|friend))?\W*$|^\W*to whom it may concern\W*$",
    re.IGNORECASE,
)


@check("structure.impersonal-greeting", "STR002", Severity.SUGGESTION, channels=EMAIL_ONLY,
       default_enabled=False)
def impersonal_greeting(doc, options):
    """The greeting does not use the customer's name.

    Off by default: judged blind on real replies, these ceremony findings were wrong on
    social posts, chat turns and macros, and the held-out data has no email replies to
    earn them a default place on. Email teams select it (`extend-select`, or `strict`).

    ## What it does
    Flags a greeting with no name and no name placeholder: "Hi there,", "Hello,", "Dear
    customer,", "Dear Sir/Madam,", "To whom it may concern". In a macro, use the helpdesk's
    name placeholder (with a fallback).

    ## Why is this bad?
    "Dear customer" tells the customer they are a ticket number. Their name is in the ticket.

    ## Example
    ```text
    Dear customer,
    ```

    ## Use instead
    ```text
    Hi Dana,                                   (a draft)
    Hi {{ticket.requester.first_name}},        (a Zendesk macro)
    ```
    """
    for z in _zones(doc, ZoneKind.GREETING):
        greeting = doc.text[z.start : z.end].strip()
        line = greeting.splitlines()[0] if greeting else ""
        if line and IMPERSONAL.match(line):
            start = doc.text.index(line, z.start)
            yield Hit(start, start + len(line), f"'{line}' does not name the customer",
                      ("Hi {name},",))


@check("structure.missing-sign-off", "STR003", Severity.WARNING, options=[LINES],
       channels=EMAIL_ONLY, default_enabled=False)
def missing_sign_off(doc, options):
    """The reply ends without a sign-off and name.

    Off by default: judged blind on real replies, these ceremony findings were wrong on
    social posts, chat turns and macros, and the held-out data has no email replies to
    earn them a default place on. Email teams select it (`extend-select`, or `strict`).

    ## What it does
    Flags an email-shaped reply with no closing zone: no "Best regards," / "Thanks," and the
    author's name (or a name placeholder) after the body, nor a social-care agent tag such as
    "^Sam". The finding points at the end of the author's text.

    ## Why is this bad?
    A name at the end tells the customer who is looking after them, and whom to ask for if
    they write back. A reply that just stops reads as cut off.

    ## Example
    ```text
    Hi Dana,

    Your refund was issued today and reaches your card within 5 days.
    ```

    ## Use instead
    ```text
    Hi Dana,

    Your refund was issued today and reaches your card within 5 days.

    Best regards,
    Sam
    ```
    """
    if not _email_shaped(doc, options) or _signed(doc):
        return
    last = None
    for s in sentences(doc.prose):
        last = s
    if last is not None:
        yield Hit(last.start, last.end, "The reply has no sign-off: end with \"Best regards,\" "
                  "and your name", ("Best regards,\n{your name}",))


COURTESY = re.compile(
    r"\b(?:let (?:me|us) know|hope (?:this|that|it) helps|have a (?:great|good|nice|lovely|"
    r"wonderful) \w+|thanks? (?:again|you again|for your (?:patience|understanding|time|"
    r"business))|feel free|don't hesitate|do not hesitate|happy to help|glad to help|here to "
    r"help|any (?:other|further|more) questions|take care|looking forward|talk soon|"
    r"reach out|get in touch|write back|reply to this email|all the best|enjoy)\b",
    re.IGNORECASE,
)


@check("structure.missing-closing-line", "STR004", Severity.SUGGESTION, options=[LINES],
       channels=EMAIL_ONLY, default_enabled=False)
def missing_closing_line(doc, options):
    """The body ends on business, with no closing line before the sign-off.

    Off by default: judged blind on real replies, these ceremony findings were wrong on
    social posts, chat turns and macros, and the held-out data has no email replies to
    earn them a default place on. Email teams select it (`extend-select`, or `strict`).

    ## What it does
    Flags an email-shaped reply whose last two body sentences contain no closing line — an
    invitation or a courtesy such as "Let me know if anything else comes up", "Hope this
    helps", "Thanks again for your patience", "Have a great weekend".

    ## Why is this bad?
    A closing line turns a transaction into a conversation: it tells the customer the door is
    open if the fix does not work, and ends the email on a human note.

    ## Example
    ```text
    Your new password is active.

    Best regards,
    Sam
    ```

    ## Use instead
    ```text
    Your new password is active. If anything else comes up, just reply to this email.

    Best regards,
    Sam
    ```
    """
    if not _email_shaped(doc, options):
        return
    body = [z for z in doc.zones if z.kind is ZoneKind.BODY]
    if not body:
        return
    text = doc.prose
    found = [(z.start + s.start, z.start + s.end) for z in body
             for s in sentences_in(text, z.start, z.end)
             if not AGENT_TAG.fullmatch(" " + text[z.start + s.start : z.start + s.end])]
    if not found or any(COURTESY.search(text[a:b]) for a, b in found[-2:]):
        return
    start, end = found[-1]
    yield Hit(start, end, "No closing line: end the body with an open door, such as \"If "
              "anything else comes up, just reply to this email.\"")


ENDS_OK = re.compile(r"[.!?)\]\"'\u201d\u2019:;…]\s*$|[\U0001F300-\U0001FAFF\u2600-\u27BF]\s*$")
DANGLING = re.compile(r"\b(?:and|or|but|so|the|a|an|to|of|with|for|because|if|that|your|our)"
                      r"\s*$|[,\-\u2013]\s*$", re.IGNORECASE)


@check("structure.abrupt-ending", "STR005", Severity.WARNING, default_enabled=False)
def abrupt_ending(doc, options):
    """The body stops mid-sentence.

    ## What it does
    Flags the last sentence of the body (before the sign-off) when it ends on a dangling word
    ("and", "the", "to", a comma) — the sign of a draft sent before it was finished.

    ## Why is this bad?
    A reply that trails off ("Your replacement ships on Monday and") leaves the customer
    wondering what was cut, and looks careless.

    ## Example
    ```text
    Your replacement ships on Monday and

    Best regards,
    Sam
    ```

    ## Use instead
    ```text
    Your replacement ships on Monday and arrives on Wednesday.

    Best regards,
    Sam
    ```
    """
    last = last_body_sentence(doc)
    if last is None:
        return
    sentence = doc.prose[last[0] : last[1]]
    if AGENT_TAG.search(sentence):
        return  # "Thanks, ^AK": signed, so finished
    if DANGLING.search(sentence) and not ENDS_OK.search(sentence):
        yield Hit(last[0], last[1], "The body ends mid-sentence: finish the thought before "
                  "sending")


@check("structure.missing-signature", "STR006", Severity.WARNING, default_enabled=False,
       kinds=("draft",), channels=EMAIL_ONLY)
def missing_signature(doc, options):
    """The draft has no signature block.

    ## What it does
    Flags a draft with no signature zone (a block after `-- `, or contact details under the
    name). Off by default: teams whose mail client does not add the signature select
    `STR006` to require one in every draft.

    ## Why is this bad?
    Where the signature carries the team's hours, phone number or ticket link, a reply
    without it leaves the customer without a way back.

    ## Example
    ```text
    Best regards,
    Sam
    ```

    ## Use instead
    ```text
    Best regards,
    Sam
    --
    Sam Lee, Acme Support · +1 555 0100 · help.acme.com
    ```
    """
    if _zones(doc, ZoneKind.SIGNATURE) or not doc.text.strip():
        return
    end = len(doc.text.rstrip())
    line_start = doc.text.rfind("\n", 0, end) + 1
    yield Hit(line_start, end, "The draft has no signature block")


@hookimpl
def register_checks(register, config):
    for c in (missing_greeting, impersonal_greeting, missing_sign_off, missing_closing_line,
              abrupt_ending, missing_signature):
        register(c)
