"""The ``readability`` family: replies a customer can read on a phone, in a second language."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from itertools import islice

from ..channel import signed_with_tag
from ..declarative import phrase_pattern
from ..hookspecs import hookimpl
from ..model import Hit, Metric, Option, Severity, check
from ..phrasescan import PhraseTable, Prefiltered
from ..readability import (WORD, grade_and_ease, paragraphs, reading_text, reading_words,
                           sentences, word_count)


@check("readability.grade", "RDB001", Severity.WARNING, default_enabled=False,
       publishes=("words", "reading_grade", "reading_ease"), options=[
    Option("target", (int, float), 12, "the highest acceptable Flesch-Kincaid grade"),
    Option("min_words", int, 100, "replies shorter than this are not judged by a formula"),
])
def grade(doc, options):
    """The reply needs clearly more schooling to read than your customers have.

    ## What it does
    Computes the Flesch-Kincaid grade and Flesch reading ease of the author's text (through
    `textstat`) and publishes them as `metrics.reading_grade` and `metrics.reading_ease`.
    When the grade is above `target` (default 12), flags the reply. Formulas are unreliable
    on short texts, so replies under `min_words` words (default 100) are not scored (the
    metrics are `null`) and the sentence-level rules judge them instead.

    The default target is deliberately high: a formula's grade moves a point or two with a
    product name or a few long words, and replies at grade 8–10 (a saved reply for
    developers, say) read fine. Only a clearly high grade on a long enough text is a sure
    sign of a hard reply. Set `target = 8` for replies to a general audience.

    ## Why is this bad?
    Customers read support replies on phones, between other things, often in their second
    language. Grade 8 is what most adults read comfortably; a reply well above it loses
    readers, and a reply the customer cannot follow becomes another ticket.

    ## Example
    ```text
    Subsequent to the reconfiguration of your subscription entitlements, the aforementioned
    discrepancy in invoicing should be automatically rectified during the forthcoming
    billing cycle, notwithstanding any intermediate adjustments initiated manually. ...
    ```

    ## Use instead
    ```text
    We changed your plan, so the next invoice will be right. You don't need to do anything.
    ```
    """
    text = doc.prose
    words = word_count(text)
    yield Metric("words", words)
    if words < options["min_words"]:
        yield Metric("reading_grade", None)
        yield Metric("reading_ease", None)
        return
    value, ease = grade_and_ease(text)
    yield Metric("reading_grade", round(value, 1))
    yield Metric("reading_ease", round(ease, 1))
    if value > options["target"]:
        start = len(text) - len(text.lstrip())
        yield Hit(start, len(text.rstrip()),
                  f"Reading grade {value:.1f} is above the target of {options['target']}: "
                  "use shorter sentences and everyday words")


@check("readability.long-sentence", "RDB002", Severity.SUGGESTION, default_enabled=False, options=[
    Option("max_words", int, 40, "the most words a sentence may have"),
    Option("nested_words", int, 28, "the most words a sentence of `nested_clauses` or more "
           "subordinate clauses may have"),
    Option("nested_clauses", int, 3, "how many subordinate clauses (if, when, because, "
           "which…) make a sentence nested"),
])
def long_sentence(doc, options):
    """A sentence with more words, or more nested clauses, than a reader can hold at once.

    ## What it does
    Flags each sentence of the author's text of more than `max_words` words (default 40),
    and each of more than `nested_words` words (default 28) that nests `nested_clauses` or
    more subordinate clauses (default 3: "if", "when", "because", "which"…). A sentence of
    30 words that carries one clear thought reads fine; one that stacks conditions does not.

    Words are counted as a reader reads them: links, @handles, addresses and code are not
    words; a domain or path ("help.example.com/billing"), a menu path ("Settings > Account >
    Privacy"), a slash pair ("and/or") or an abbreviation ("e.g.") is one; HTML tags and
    entities ("<br>", "&gt;"), a thread number ("1/2") and the agent's tag that signs a
    public reply ("^JB", "-Renee") are none. Line breaks end sentences, so list items count
    on their own, and so does a colon that introduces a link ("the steps here: <link>").

    ## Why is this bad?
    Long sentences make the reader hold several ideas before the verb that connects them;
    on a phone, they span a whole screen. Split them: one idea per sentence.

    ## Example
    ```text
    We have looked into the charge and can confirm that it was taken because the annual plan
    renewed automatically on the 3rd, which is what happens when auto-renew is left on in the
    account settings.
    ```

    ## Use instead
    ```text
    The charge is your annual plan renewing on the 3rd. It renews automatically while
    auto-renew is on; you can switch it off in Settings.
    ```
    """
    limit = options["max_words"]
    nested_limit = min(options["nested_words"], limit)
    text = _reading_prose(doc)
    for s in sentences(text):
        if s.words <= nested_limit:  # WORD counts at least as many as a reader reads
            continue
        chunk = text[s.start : s.end]
        words = reading_words(chunk)
        if words > limit:
            yield Hit(s.start, s.end, f"Sentence of {words} words (more than {limit}): "
                      "split it into shorter ones")
        elif words > nested_limit:
            clauses = len(SUBORDINATE.findall(chunk))
            if clauses >= options["nested_clauses"]:
                yield Hit(s.start, s.end, f"Sentence of {words} words nesting {clauses} "
                          "clauses (if, when, which…): split it, one idea per sentence")


#: words that open a subordinate clause: the conditions and asides a reader must hold open
#: ("which", "who", "where" only after a comma: "tell us which phone you use" asks, it does
#: not nest)
SUBORDINATE = re.compile(
    r"\b(?:if|unless|when|whenever|while|whilst|because|since|although|though|whereas|"
    r"once|until|despite|so that|in case|as long as|provided that)\b"
    r"|,\s*(?:which|who|whom|whose|where|wherever)\b", re.IGNORECASE)


#: a blanked link right after a colon ("the steps here: <link> if that fails, ..."): the
#: reader's eye stops at the link, and what follows reads as a new sentence
_LINK_AFTER_COLON = re.compile(r"(?<=:) {8,}")


def _reading_prose(doc) -> str:
    """The author's text as the sentence rules read it (same length as ``doc.text``): markup
    set aside (``reading_text``), the agent's tag that ends a public reply ("^JB", "-Renee")
    blanked, and a line break after a colon that introduces a link."""
    text = reading_text(doc.prose)
    tag = signed_with_tag(text)
    if tag is not None:
        text = text[: tag.start()] + " " * (tag.end() - tag.start()) + text[tag.end() :]
    if ":" in text:
        author = doc.author_text
        text = _LINK_AFTER_COLON.sub(
            lambda m: ("\n" if not author[m.start() : m.end()].isspace() else " ")
            + m.group()[1:], text)
    return text


@check("readability.long-paragraph", "RDB003", Severity.SUGGESTION, options=[
    Option("max_words", int, 120, "the most words a paragraph may have"),
    Option("max_sentences", int, 8, "the most sentences a paragraph of over half "
           "max_words may have"),
], channels=("email", "macro"), default_enabled=False)
def long_paragraph(doc, options):
    """A paragraph too long to scan.

    Off by default: a paragraph's length alone does not tell a wall of text from a paragraph that holds one topic, and a support lead judged
    none of the long paragraphs it found (a 100-word bot comment, a one-topic paragraph, a
    list) worth changing. Select `RDB003` (or `readability.long-paragraph`) to turn it on.

    ## What it does
    Flags a paragraph (text between blank lines, or between HTML paragraph breaks) of more
    than `max_words` words (default 120), or of more than `max_sentences` sentences (default
    8) and half that many words (six one-line questions are not a wall). Lists are not
    paragraphs: a block of two or more list items ("- ", "1. ", "•") is never flagged. Only
    emails and saved replies have paragraphs: chat turns and public posts are not judged.

    ## Why is this bad?
    Readers scan email; a dense block hides the one line they need (what happens next, what
    they must do). Short paragraphs, one topic each, get read.

    ## Example
    ```text
    (one 150-word paragraph explaining the problem, the cause, the fix and the follow-up)
    ```

    ## Use instead
    ```text
    (four short paragraphs: what happened, what we did, what you need to do, what happens
    next)
    ```
    """
    text = reading_text(doc.prose)
    spans = sentences(text)  # no sentence runs across a blank line: each is in one paragraph
    starts = [s.start for s in spans]
    limit = options["max_words"]
    for start, end in paragraphs(text):
        if len(LIST_ITEM.findall(text, start, end)) >= 2:
            continue
        inside = spans[bisect_left(starts, start) : bisect_left(starts, end)]
        words = sum(s.words for s in inside)
        count = len(inside)
        if words > limit or (count > options["max_sentences"] and words > limit / 2):
            yield Hit(start, end, f"Paragraph of {words} words in {count} sentences: break it "
                      "into shorter paragraphs, one topic each")


#: a line that starts a list item: "- ", "* ", "• ", "1. ", "2) ", "**1.**", "__2.__"
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*\u2022+]\s|[*_]{0,2}\d{1,2}[.)][*_]{0,2}\s)",
                       re.MULTILINE)


@check("readability.wall-of-text", "RDB004", Severity.WARNING, default_enabled=False, options=[
    Option("budget", int, 300, "the most words a reply should need"),
])
def wall_of_text(doc, options):
    """The reply is far longer than a customer will read.

    ## What it does
    Flags a reply whose author's text has more than `budget` words (default 300), pointing at
    the word where the budget runs out.

    ## Why is this bad?
    Don't overload the customer: a reply that answers five questions nobody asked buries the
    one they did. Link to the help article for detail, and keep the email to what they need
    now.

    ## Example
    ```text
    (a 600-word reply covering the whole billing FAQ)
    ```

    ## Use instead
    ```text
    (the two paragraphs that answer the question, and a link to the FAQ for the rest)
    ```
    """
    budget = options["budget"]
    text = doc.prose
    count = word_count(text)  # counted once for several rules (as many as WORD finds)
    if count > budget:
        over = next(islice(WORD.finditer(text), budget, None))
        # the last word, found from the last line break or space well before the end: no
        # word holds one, so the words after it are the same as in a scan of the whole text
        tail = max(text.rfind("\n", 0, len(text) - 1000), text.rfind(" ", 0, len(text) - 1000))
        last = None
        for start in (max(over.end(), tail + 1), over.end()):  # the second if none after it
            for last in WORD.finditer(text, start):
                pass
            if last is not None:
                break
        yield Hit(over.start(), (last or over).end(), f"The reply has {count} words, over the "
                  f"budget of {budget}: cut it down or link to an article for the detail")


def _same_case(replacement: str, found: str) -> str:
    if found[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


# (wordy phrase, plain wording, safe to apply without reading?) — safe only where the swap is
# right in every grammatical context.
#: padding a reader notices: a clause or a stock phrase that says one word's worth, or
#: nothing, in four or five ("due to the fact that", "please be advised that")
WORDY = [
    ("due to the fact that", "because", True), ("owing to the fact that", "because", True),
    ("in the event that", "if", True), ("at this point in time", "now", True),
    ("at this moment in time", "now", True), ("at the present time", "now", True),
    ("for the purpose of", "to", False),
    ("please be advised that", "", False), ("please be advised", "", False),
    ("kindly be informed that", "", False), ("it should be noted that", "", False),
    ("we would like to inform you that", "", False),
]
#: small style points: the plain form is better, but in a short reply the change makes no
#: difference a customer would notice ("in order to", "is able to", "prior to", "please
#: note that"); flagged only with the `mild` option
MILD = [
    ("in order to", "to", True), ("prior to", "before", True), ("subsequent to", "after", True),
    ("in regards to", "about", True), ("with regard to", "about", True),
    ("with regards to", "about", True), ("a large number of", "many", True),
    ("a majority of", "most", True), ("each and every", "every", True),
    ("first and foremost", "first", True), ("whether or not", "whether", False),
    ("in a timely manner", "promptly", True), ("on a daily basis", "daily", True),
    ("is able to", "can", True), ("are able to", "can", True), ("has the ability to", "can", True),
    ("utilize", "use", True), ("utilise", "use", True), ("utilizes", "uses", True),
    ("utilises", "uses", True), ("utilized", "used", True), ("utilised", "used", True),
    ("commence", "start", False), ("terminate", "end", False), ("endeavour", "try", False),
    ("endeavor", "try", False), ("facilitate", "help", False), ("ascertain", "find out", False),
    ("please note that", "", False),
]


@check("readability.wordy-phrase", "RDB005", Severity.SUGGESTION, default_enabled=False, options=[
    Option("swap", dict, {}, "more wordy phrases and their plain wordings (\"\" to drop)"),
    Option("allow", list, [], "phrases never to flag"),
    Option("mild", bool, False, "also flag small style points (\"in order to\", \"is able "
           "to\", \"prior to\", \"utilize\", \"please note that\"…)"),
])
def wordy_phrase(doc, options):
    """A wordy phrase with a plain alternative.

    ## What it does
    Flags padding that says in four or five words what one says, or nothing: "due to the
    fact that" (→ "because"), "at this point in time" (→ "now"), "in the event that" (→
    "if"), "please be advised that" or "we would like to inform you that" (→ drop it), with
    the plain wording as the replacement. Small style points ("in order to" → "to", "is
    able to" → "can", "prior to" → "before", "utilize" → "use", "please note that") make no
    difference a customer notices in a short reply, and are flagged only with `mild = true`.
    Add your own with the `swap` option, or with a declarative rule file. `replylint check
    --fix` applies the swaps that are right in every context ("due to the fact that" →
    "because"), never the ones that need a person ("commence" → "start", or a phrase to
    drop), and never in quoted text or placeholders.

    ## Why is this bad?
    Padding makes the customer read more to learn less, and sounds like a form letter.

    ## Example
    ```text
    Please be advised that due to the fact that the office is closed, we reply by email.
    ```

    ## Use instead
    ```text
    Because the office is closed, we reply by email.
    ```
    """
    table = {bad: (good, safe) for bad, good, safe in WORDY}
    if options["mild"]:
        table.update((bad, (good, safe)) for bad, good, safe in MILD)
    for bad, good in options["swap"].items():
        if not isinstance(good, str):
            raise ValueError(f"swap: {bad!r} must map to a string, not {good!r}")
        table[" ".join(bad.lower().split())] = (good, False)
    allow = {" ".join(a.lower().split()) for a in options["allow"]}
    for m in _pattern(tuple(table)).finditer(doc.prose):
        found = m.group()
        key = " ".join(found.lower().split())
        if key in allow:
            continue
        good, safe = table[key]
        if good:
            yield Hit(m.start(), m.end(), f"'{found}' is wordy: '{good}' says the same",
                      (_same_case(good, found),), safe)
        else:
            yield Hit(m.start(), m.end(), f"'{found}' adds nothing: drop it", ("",))


@cache
def _pattern(phrases: tuple[str, ...]) -> PhraseTable:
    return phrase_pattern(list(phrases))


BE = r"(?:am|is|are|was|were|be|been|being|'s|'re)"
IRREGULAR = (
    "done|made|sent|given|taken|seen|known|shown|found|told|paid|built|bought|brought|caught|"
    "kept|left|lost|held|set|put|cut|hit|shut|read|run|won|written|spoken|broken|chosen|"
    "frozen|stolen|forgotten|hidden|driven|drawn|grown|thrown|worn|torn|sold|sent|spent|"
    "met|led|fed|meant|heard|said|understood|begun|sung|rung|shipped"
)
PASSIVE = Prefiltered(re.compile(
    rf"\b{BE}(?: (?:not|also|already|just|now|then|being|been))* "
    rf"((?:\w+ed|{IRREGULAR}))\b(?! (?:to|that)\b)",
    re.IGNORECASE,
))
NOT_PARTICIPLE = frozenset({"need", "bed", "red", "shed", "speed", "seed", "feed", "indeed",
                            "hundred", "sacred", "naked", "wicked", "tired", "interested",
                            "excited", "pleased", "delighted", "concerned", "worried",
                            "based", "located", "supposed", "used", "married", "scared",
                            "bored", "confused", "embarrassed", "satisfied", "qualified"})


@check("readability.passive-voice", "RDB006", Severity.SUGGESTION, default_enabled=False)
def passive_voice(doc, options):
    """Passive voice hides who does what.

    ## What it does
    Flags a form of "to be" followed by a past participle ("was sent", "has been refunded",
    "will be reviewed"). Off by default: select `RDB006` (or `readability.passive-voice`) by
    its code or id to turn it on.

    ## Why is this bad?
    "Your request will be reviewed" leaves the customer asking: by whom, and when? The active
    voice names who acts, which is also a commitment. But passive is often fine in support
    ("your order was shipped"), which is why this rule is opt-in.

    ## Example
    ```text
    Your request will be reviewed and a decision will be made.
    ```

    ## Use instead
    ```text
    Our billing team will review your request and email you their decision by Friday.
    ```
    """
    for m in PASSIVE.finditer(doc.prose):
        participle = m.group(1).lower()
        if participle in NOT_PARTICIPLE:
            continue
        yield Hit(m.start(), m.end(), f"'{m.group()}' is passive: say who does it")


@hookimpl
def register_checks(register, config):
    for c in (grade, long_sentence, long_paragraph, wall_of_text, wordy_phrase, passive_voice):
        register(c)
