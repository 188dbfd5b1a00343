"""The ``next-step`` family: every reply tells the customer what happens next, and when."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..clauses import PASSIVE_PROMISE, TIME, TO_YOU, WE, any_clause
from ..hookspecs import hookimpl
from ..model import Hit, Option, Severity, ZoneKind, check
from ..phrasescan import Prefiltered
from ..readability import Sentence, sentences, sentences_in, unwrap, word_count


def last_body_sentence(doc) -> tuple[int, int] | None:
    """The last sentence before the sign-off: where a next step belongs, and where a draft
    sent unfinished stops."""
    text = doc.prose
    last = None
    for z in doc.zones:
        if z.kind in (ZoneKind.BODY, ZoneKind.GREETING):
            for s in sentences_in(text, z.start, z.end):
                last = (z.start + s.start, z.start + s.end)
    return last


@check("next-step.missing", "NXT001", Severity.WARNING, options=[
    Option("min_words", int, 8, "replies shorter than this are not judged"),
])
def missing(doc, options):
    """The reply does not say what happens next.

    ## What it does
    Reads who does what in each sentence of the author's text and flags the end of the body
    when there is no next step: no commitment by us ("I'll send you the tracking number by
    Friday", "our team will call you tomorrow between 9 and 11", "I've refunded the second
    charge"), no request to the customer ("Please reply with your order number", "Could you
    send a screenshot?", "You can track it here"), and no completed resolution with what to
    expect ("Your refund was issued today and will reach your card in 3–5 business days").
    A question put to the customer, advice ("we recommend…") and a link to follow count as
    requests. An open offer such as "Let me know if you have any questions" is not a next
    step on its own.

    ## Why is this bad?
    A reply without a next step leaves the customer guessing whether anything will happen,
    and they write again to find out. Naming the action, who takes it and when, closes the
    loop.

    ## Example
    ```text
    Thanks for your message about the missing parcel. We understand how frustrating this is.
    Let me know if you have any questions.
    ```

    ## Use instead
    ```text
    Thanks for your message about the missing parcel. I've opened a trace with the courier
    and will email you their answer by Thursday.
    ```
    """
    text = doc.prose
    if word_count(text) < options["min_words"]:
        return
    if any_clause(text, ("commitment", "request", "resolution")):
        return
    if LINK.search(doc.author_text):
        return  # "Here's how: <link>": reading it is the customer's next step
    if THREAD.search(text):
        return  # "1/2": the next step may be in the next part of the thread
    start, end = last_body_sentence(doc) or (0, 0)
    if end > start:
        yield Hit(start, end, "No next step: say what you will do and when, what the customer "
                  "should do, or what to expect now that it's resolved",
                  ("I'll update you by <day> with what we find.",))


VAGUE = Prefiltered(re.compile(
    r"\b(?:soon|shortly|asap|as soon as (?:possible|we can|we're able)|in a while|"
    r"at some point|in due course|in the near future|at (?:our|the) earliest (?:convenience|"
    r"opportunity)|sometime|some time|when we can|as quickly as (?:possible|we can))\b",
    re.IGNORECASE,
))
GET_BACK = Prefiltered(re.compile(
    rf"\b{WE}\s?(?:will|'ll|shall) (?:get back to you|be in touch|follow up|update you|"
    rf"let you know|reach out|contact you|come back to you|respond|reply)\b",
    re.IGNORECASE,
))
OUR_PROMISE = Prefiltered(re.compile(
    rf"\b{WE}\s?(?:will|'ll|shall|are going to|'re going to|aim to|"
    rf"hope to|expect to)\b", re.IGNORECASE))


@check("next-step.vague-timeline", "NXT002", Severity.WARNING)
def vague_timeline(doc, options):
    """A promise with no time: "soon", "shortly", "ASAP", "we'll get back to you".

    ## What it does
    Flags "soon", "shortly", "ASAP", "as soon as possible", "in a while", "at some point",
    "in due course" in a sentence where we promise something, and "we'll get back to you" (or
    "be in touch", "follow up", "update you") with no time at all.

    ## Why is this bad?
    "Soon" means an hour to the customer and a week to the queue. A definite time — even a
    cautious one — sets expectations you can meet, and saves the "any update?" email.

    ## Example
    ```text
    We'll get back to you as soon as possible.
    ```

    ## Use instead
    ```text
    We'll get back to you by 5 pm tomorrow, Wednesday.
    ```
    """
    text = unwrap(doc.prose)  # the sentences of the prose, with wrapped lines joined
    promises = (OUR_PROMISE, PASSIVE_PROMISE, TO_YOU)
    for s in _touched(sentences(doc.prose), promises, text):
        chunk = text[s.start : s.end]
        if not any(p.search(chunk) for p in promises):
            continue
        vague = VAGUE.search(chunk)
        if vague:
            yield Hit(s.start + vague.start(), s.start + vague.end(),
                      f"'{vague.group()}' is not a time: commit to a definite one",
                      ("by <day and time>",))
        else:
            back = GET_BACK.search(chunk)
            if back and not TIME.search(chunk):
                yield Hit(s.start + back.start(), s.start + back.end(),
                          f"'{back.group()}' has no time: say when", ("by <day and time>",))


def _touched(spans: Sequence[Sentence], patterns: Sequence[Prefiltered],
             text: str) -> list[Sentence]:
    """The sentences that some match of ``patterns`` in the whole ``text`` overlaps: the only
    ones that can have a match on their own. A sentence has spaces (or the text's ends)
    around it, as its own string has its ends, so its match is one of the text's, or lies
    inside one (``finditer`` does not report overlapping matches)."""
    starts = [s.start for s in spans]
    hit: set[int] = set()
    for pattern in patterns:
        for m in pattern.finditer(text):
            i = max(bisect_right(starts, m.start()) - 1, 0)
            while i < len(spans) and spans[i].start < m.end():
                if spans[i].end > m.start():
                    hit.add(i)
                i += 1
    return [spans[i] for i in sorted(hit)]


#: words are capped at 40 letters so that every match is short: on a long text only the
#: stretches around its needles are searched (``Prefiltered``)
PROMISE = Prefiltered(re.compile(
    r"\b(?:this|it|that) (?:will|won't|'ll) never (?:happen|occur) again\b|"
    r"\bnever (?:happen|occur) again\b|\bnothing like this will (?:ever )?happen\b|"
    r"\bwon't (?:ever )?happen again\b|\bwill (?:not|never) (?:ever )?(?:see|have) "
    r"(?:this|that|another|the same) (?:\w{1,40} )?(?:again|problem|issue)\b|"
    r"(?:,|\bis|\bare) guaranteed\b(?! (?:delivery|refund|returns?|minimum)\b)|"
    r"\b(?:I|we) (?:can |)(?:guarantee|promise)\b|\bguaranteed? (?:to|that|you)\b|"
    r"\b100 ?% (?:sure|certain|guaranteed?|fixed|resolved|safe|secure)\b|\bI'm 100 ?%|"
    r"\b(?:will|'ll) (?:\w{1,40} ){0,3}(?:immediately|instantly|right away|straight away)\b|"
    r"\b(?:will|'ll) (?:definitely|certainly|absolutely) (?:be )?(?:fix|resolv|solv|sort)\w{0,20}",
    re.IGNORECASE,
))


@check("next-step.over-promise", "NXT003", Severity.WARNING)
def over_promise(doc, options):
    """A promise no one can keep: "guarantee", "never again", "100%", "immediately".

    ## What it does
    Flags "this will never happen again", "we guarantee", "I promise", "100% sure / fixed",
    and "immediately", "instantly", "right away" or "definitely" promised for work that is not
    done yet ("we will fix it immediately").

    ## Why is this bad?
    A broken promise costs more than the original problem. Promise what you control — the
    next action and when you will report back — not outcomes that depend on others.

    ## Example
    ```text
    I guarantee this will never happen again, and we will fix it immediately.
    ```

    ## Use instead
    ```text
    We've added a check that catches this error, and I'll confirm the fix by Friday.
    ```
    """
    for m in PROMISE.finditer(unwrap(doc.prose)):
        yield Hit(m.start(), m.end(), f"'{m.group()}' over-promises: commit to the next action "
                  "and a time you control instead")


STOP = frozenset(
    "about above after again also am an and any are as at be because been before being below "
    "between both but by can cannot could did do does doing down during each few for from "
    "further had has have having he her here hers him his how i if in into is it its itself "
    "just me more most my no nor not now of off on once only or other our ours out over own "
    "same she should so some such than that the their them then there these they this those "
    "through to too under until up very was we were what when where which while who whom why "
    "will with would you your yours hi hello hey please thanks thank help know get got want "
    "need still like anyone someone something anything really able one way make going try "
    "tried trying".split()
)
QUESTION = re.compile(r"[^.!?\n]{3,300}\?")
LINK = re.compile(r"https?://|www\.")
THREAD = re.compile(r"(?<![\d/])\(?[1-8]/[2-9]\)?(?![\d/])")


def _stem(word: str) -> str:
    word = word.lower().strip("'\u2019")
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _keywords(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'\u2019]{3,}", text)
            if w.lower() not in STOP}


@check("next-step.unanswered-question", "NXT004", Severity.WARNING, options=[
    Option("min_words", int, 10, "replies shorter than this are not judged"),
])
def unanswered_question(doc, options):
    """The customer asked questions and the reply addresses none of them.

    ## What it does
    When the customer's message (the quoted history, `--context FILE`, or the API's
    `context=`) asks questions, and the reply shares no subject word with any of them, asks
    nothing back, and sends the customer nowhere (no link, no request), flags the start of
    the reply. It only fires when it is confident: one question answered is enough to stay
    quiet.

    ## Why is this bad?
    A reply that answers a different question — or none — means another round trip, and
    tells the customer nobody read their message.

    ## Example
    ```text
    > Can I change the delivery address? And is express shipping available?
    Thanks for shopping with us! Our summer sale starts on Monday.
    ```

    ## Use instead
    ```text
    Yes — you can change the delivery address until the order ships, under Orders > Edit.
    Express shipping is available at checkout for $9.
    ```
    """
    asked = ([q.group() for q in QUESTION.finditer(doc.customer_text)][:8]
             if "?" in doc.customer_text else [])
    text = doc.prose
    if not asked or word_count(text) < options["min_words"] or "?" in text:
        return
    if any_clause(text, ("request",)) or LINK.search(doc.author_text):
        return  # asking for details or pointing to an answer counts as engaging
    reply = _keywords(text)
    if any(_keywords(q) & reply for q in asked):
        return
    start = len(text) - len(text.lstrip())
    first = next(iter(sentences(text)), None)
    end = first.end if first else len(text.rstrip())
    shown = asked[0].strip()
    yield Hit(start, end, f"The customer asked {len(asked)} question(s) (e.g. {shown[:80]!r}) "
              "and the reply addresses none of them")


@hookimpl
def register_checks(register, config):
    for c in (missing, vague_timeline, over_promise, unanswered_question):
        register(c)
