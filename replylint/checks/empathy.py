"""The ``empathy`` family: acknowledging an upset customer, without hollow over-apology.

The customer's message comes from ``Document.customer_text``: ``--context FILE``, the API's
``context=``, or the quoted history in the draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..declarative import phrase_pattern
from ..hookspecs import hookimpl
from ..model import Hit, Option, Severity, check
from ..phrasescan import Prefiltered

# Cues that a customer is frustrated, angry or distressed, with weights: a strong word on its
# own is enough (2), weaker signals must add up.
STRONG = (
    r"ridiculous|unacceptable|outrageous|disgusting|disgraceful|pathetic|appalling|"
    r"furious|livid|angry|pissed|frustrat\w*|fed up|sick (?:and tired )?of|tired of|"
    r"fuming|infuriat\w*|worst|horrible|horrendous|terrible|awful|(?:is|what) a joke|rip[- ]?off|"
    r"shame on you|how dare|wtf|what the (?:hell|heck|fuck)|f+u+c+k+\w*|shit\w*|crap|damn|"
    r"useless|incompetent|nobody (?:cares|answers|helps|responds)|no one (?:cares|answers|helps)|"
    r"still (?:waiting|no|not|nothing|haven't|hasn't|can't|cannot|don't|doesn't)|"
    r"(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+(?:st|nd|rd|th)) time|"
    r"for (?:days|weeks|months|hours)|again and again|over and over|"
    r"upset|distraught|devastated|heartbroken|desperate|panick\w*|scared|terrified|"
    r"worried|anxious|stressed|disappoint\w*|let down|hacked|"
    r"(?:charged|billed) (?:twice|double|again)|lost (?:all|everything)"
)
WEAK = (
    r"never|no response|no answer|no reply|still|again|already|waste|wasted|waiting|lost my|"
    r"scam\w*|fraud\w*|stolen|"
    r"cancel\w*|refund|annoy\w*|hate|unhappy|not happy|poor|bad|wrong|broken|help me|urgent\w*|"
    r"asap|immediately|seriously|really\?"
)
STRONG_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{STRONG})(?![\w'])", re.IGNORECASE))
WEAK_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{WEAK})(?![\w'])", re.IGNORECASE))
# Warmth towards us lowers the score: "I love you guys, but…" is not an angry customer.
WARM_RE = Prefiltered(re.compile(
    r"(?<![\w'])(?:love|thanks|thank you|great|awesome|amazing|appreciate\w*|"
    r"please don't take this wrong)(?![\w'])", re.IGNORECASE))
LOUD_RE = Prefiltered(re.compile(
    r"[!?]{2,}|:\(|😡|😠|🤬|😤|😢|😭|😞|😩|(?<![\w'])(?:NEVER|AGAIN|NOT|HELP|STILL|NOTHING|"
    r"NOBODY|WHY|NO|NOW|ALWAYS|REALLY|DIDN'T|DON'T|CAN'T|WON'T|WORST|ANGRY|UNACCEPTABLE|"
    r"RIDICULOUS|SERIOUSLY)(?![\w'])|(?:(?<![\w'])[A-Z]{2,}[ ,]+){2,}[A-Z]{2,}(?![\w'])"
))

ACKNOWLEDGE = Prefiltered(re.compile(
    r"(?<![\w'])(?:sorry|apolog\w*|regret\w*|understand\w*|understandabl[ey]|frustrat\w*|"
    r"that sounds|sounds (?:like|really|so|very)|I can (?:only )?imagine|I hear you|we hear you|"
    r"I get (?:it|that|why|how)|(?:hate|sad|sorry|unhappy|concerned|upset|saddened|troubled) "
    r"to (?:hear|see|learn|read)|where you(?:'re| are) coming from|difficult time|"
    r"not the (?:\w+ of )?experience|not (?:what|how) we|not okay|not ok|not good enough|"
    r"must (?:be|have been)|feel your pain|see why|know how|bummer|oh no|not ideal|"
    r"make (?:this|it|things) right|thank\w* for (?:your|bearing|being) (?:patience|patient|with)|"
    r"appreciate (?:your|you) (?:patience|being patient|bearing)|we're here|I'm here|"
    r"concern\w*|inconvenien\w*|trouble|hassle|disappoint\w*|empathi[sz]e|sympathi[sz]e)"
    r"(?![\w'])",
    re.IGNORECASE,
))
APOLOGY = Prefiltered(re.compile(
    r"(?<![\w'])(?:sorry|apolog(?:y|ies|ise|ize|ised|ized|ising|izing)|(?:we|I) regret)(?![\w'])",
    re.IGNORECASE,
))
WORD = re.compile(r"\b\w[\w'\u2019-]*")
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+(?=\s|$)|(?=\n)")  # from a run's start: linear


def upset_cues(text: str) -> tuple[int, list[str]]:
    """How upset a customer message sounds (a score) and the wording that says so.

    Weak cues ("still", "again", "refund") only count beside a strong word or a loud mark:
    "I already cancelled, can I buy it again?" is a question, not a complaint.
    """
    score, cues, sure = 0, [], False
    for regex, weight in ((STRONG_RE, 2), (LOUD_RE, 1), (WEAK_RE, 1), (WARM_RE, -1)):
        for m in regex.finditer(text):
            if weight == 1 and regex is WEAK_RE and not sure:
                continue
            sure = sure or weight > 0
            score += weight
            if weight > 0 and len(cues) < 3 and m.group() not in cues:
                cues.append(m.group())
    return score, cues


def _opening(text: str) -> tuple[int, int]:
    """The span of the author's first sentence, where an acknowledgement belongs."""
    first = WORD.search(text)
    if first is None:
        return 0, 0
    end = SENTENCE_END.search(text, first.start())
    return first.start(), end.end() if end else len(text.rstrip())


@check("empathy.missing-acknowledgement", "EMP001", Severity.WARNING, options=[
    Option("threshold", int, 2, "how strongly upset (cue score) the customer must sound"),
    Option("cues", list, [], "more words that show an upset customer (each counts as strong)"),
    Option("acknowledgements", list, [], "more phrases that count as acknowledging it"),
])
def missing_acknowledgement(doc, options) -> Iterator[Hit]:
    """An upset customer gets a solution with no acknowledgement of how they feel.

    ## What it does
    When the customer's message (the quoted history, `--context FILE`, or the API's
    `context=`) shows frustration, anger or distress — "ridiculous", "still waiting", "third
    time", "hacked", "!!!", capitals — and the reply never acknowledges it ("I'm sorry…", "I
    understand how frustrating…", "that sounds…"), flags the reply's first sentence. Replies to
    calm messages are not asked for empathy.

    ## Why is this bad?
    An upset customer who gets only instructions feels unheard, and reads even a good fix as
    cold. One sentence that names their experience before the solution changes how the whole
    reply lands.

    ## Example
    ```text
    > This is the third time I've asked. Ridiculous!!
    Please clear your cache and try again.
    ```

    ## Use instead
    ```text
    I'm sorry you've had to ask three times — that's frustrating. Please clear your cache and
    try again; if the page still fails, I'll call you today.
    ```
    """
    customer = doc.customer_text
    if not customer.strip():
        return
    score, cues = upset_cues(customer)
    if options["cues"]:
        extra = phrase_pattern(options["cues"]).findall(customer)
        score += 2 * len(extra)
        cues = (extra + cues)[:3]
    acknowledged = ACKNOWLEDGE.search(doc.prose) or (
        options["acknowledgements"]
        and phrase_pattern(options["acknowledgements"]).search(doc.prose)
    )
    if score < options["threshold"] or acknowledged:
        return
    start, end = _opening(doc.prose)
    if end > start:
        said = ", ".join(repr(c) for c in cues)
        yield Hit(start, end, f"The customer sounds upset ({said}) and the reply never "
                  "acknowledges it: name their experience before the solution",
                  ("I'm sorry for the trouble this has caused.",
                   "I understand how frustrating this must be."))


@check("empathy.over-apology", "EMP002", Severity.SUGGESTION, options=[
    Option("max_apologies", int, 3, "this many apologies in a short reply is too many"),
    Option("short_words", int, 150, "replies up to this many words count as short"),
])
def over_apology(doc, options) -> Iterator[Hit]:
    """Hollow over-apology: three or more apologies in a short reply.

    ## What it does
    Counts "sorry", "apologise/apologize", "apologies" and "we regret" in the author's text and
    flags the apology that reaches `max_apologies` in a reply of at most `short_words` words.

    ## Why is this bad?
    One sincere apology acknowledges the problem; three in a few lines sound scripted and
    anxious, and bury the fix the customer is waiting for.

    ## Example
    ```text
    Sorry for the delay! We apologise for the trouble. Sorry again, and apologies for any
    inconvenience.
    ```

    ## Use instead
    ```text
    I'm sorry for the delay. Your replacement shipped today and arrives on Thursday.
    ```
    """
    text = doc.prose
    found = list(APOLOGY.finditer(text))
    limit = options["max_apologies"]
    if len(found) >= limit and len(WORD.findall(text)) <= options["short_words"]:
        m = found[limit - 1]
        yield Hit(m.start(), m.end(), f"{len(found)} apologies in a short reply sound hollow: "
                  "keep one, and spend the words on the fix")


@hookimpl
def register_checks(register, config):
    register(missing_acknowledgement)
    register(over_apology)
