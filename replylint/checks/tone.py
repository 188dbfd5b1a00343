"""The ``tone`` family: wording that sounds cold, blaming, condescending, defensive or loud."""

from __future__ import annotations

import re

from ..hookspecs import hookimpl
from ..model import Hit, Metric, Option, Severity, check
from ..phrasescan import Prefiltered
from .phrasebook import Entry, phrase_check

CAN_DO = "Say what you can do instead"

NEGATIVE = [
    Entry(r"unfortunately", "'{match}' opens with bad news: lead with what you can do",
          ("What I can do is",)),
    Entry(r"(?:we|I) (?:can't|cannot|can not|am unable to|are unable to|aren't able to|"
          r"am not able to|are not able to|won't be able to)",
          f"'{{match}}' frames the reply around a refusal. {CAN_DO}",
          ("What we can do is", "Here's what I can do:")),
    Entry(r"(?:it's|it is|that's|that is|this is) (?:not possible|impossible)",
          f"'{{match}}' closes the door. {CAN_DO}", ("What is possible is",)),
    Entry(r"impossible", f"'{{match}}' closes the door. {CAN_DO}"),
    Entry(r"(?:we|I) (?:don't|do not) (?:offer|support|provide|allow|accept|do that)",
          f"'{{match}}' tells the customer what they can't have. {CAN_DO}"),
    Entry(r"I (?:don't|do not) know", "'{match}' leaves the customer stuck: promise to find out",
          ("Let me find out",)),
    Entry(r"I'm not sure|I am not sure",
          "'{match}' sounds unprepared: say how you will find out", ("Let me check",)),
    Entry(r"no problem", "'{match}' suggests there could have been one",
          ("You're welcome", "Happy to help", "My pleasure")),
]

BLAME = [
    Entry(r"you (?:failed|forgot|neglected) to", "'{match}' blames the customer"),
    Entry(r"you should(?: not|n't)? have(?! (?:received|gotten|got|been)\b)",
          "'{match}' blames the customer for the past",
          ("Next time, you can",)),
    Entry(r"you (?:didn't|did not|must not have|must have not) (?:read|follow|see|check)",
          "'{match}' blames the customer"),
    Entry(r"as I (?:already |have already |previously )?(?:said|stated|explained|mentioned)"
          r"(?: (?:before|earlier|previously))?", "'{match}' scolds the customer for asking again"),
    Entry(r"as (?:previously |already )?stated(?: before| earlier| previously)?",
          "'{match}' scolds the customer for asking again"),
    Entry(r"per my (?:last|previous) (?:email|message|reply)",
          "'{match}' scolds the customer for asking again"),
    Entry(r"you need to understand|you have to understand|you must understand",
          "'{match}' lectures the customer"),
    Entry(r"(?:it's|it is|that's|that is) your (?:fault|responsibility|problem)",
          "'{match}' blames the customer"),
    Entry(r"user error", "'{match}' blames the customer"),
]

CONDESCENDING = [
    Entry(r"obviously", "'{match}' implies the customer missed something obvious"),
    Entry(r"(?:as you (?:should|must|ought to) know|as everyone knows|as anyone (?:can|could) see)",
          "'{match}' talks down to the customer"),
    Entry(r"calm down|relax", "'{match}' dismisses the customer's feelings",
          ("I understand how frustrating this is",)),
    Entry(r"(?:it's|it is|that's|that is) (?:really |very |super |pretty )?(?:easy|simple)",
          "'{match}' makes a customer who is struggling feel slow"),
    Entry(r"all you (?:need|have) to do is", "'{match}' minimises the task"),
    Entry(r"not rocket science|it's not that hard", "'{match}' talks down to the customer"),
]
# "Just"/"simply" before an instruction ("Just click …", "you can simply …") minimise it.
_STEP = (r"(?:click|tap|go|open|restart|reboot|reinstall|log|sign|update|follow|select|type|"
         r"enter|read|visit|clear|reset|download|install|delete|remove|change|use|try|press|"
         r"turn|switch|reply|send|fill|check|need|have)\b")
MINIMISER = Prefiltered(re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(just|simply) (?={_STEP})"
    rf"|\byou(?: can| could|'ll| will| should| may)? (just|simply) (?={_STEP})",
    re.IGNORECASE | re.MULTILINE,
))
CLEARLY = Prefiltered(re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(clearly),|\b(clearly) (?:stated|"
    r"explained|mentioned|says|said|written)\b|\b(whatever)(?=[.!]*(?:\s*$|\s+(?-i:[A-Z])))",
    re.IGNORECASE | re.MULTILINE))

RULES = [
    Entry(r"(?:our|company|the company's|store|bank) polic(?:y|ies) (?:is|are|says|say|states|"
          r"state|doesn't|does not|don't|do not|won't|will not|prevents?|requires?)",
          "'{match}' hides behind the rules: explain the reason, and what the customer can do"),
    Entry(r"(?:(?:it's|it is|that's|that is) (?:our |the )?|(?:against|per|due to) (?:our )?)?"
          r"company policy",
          "'{match}' hides behind the rules: explain the reason, and what the customer can do"),
    Entry(r"(?:it's|it is|that's|that is|this is) not (?:my|our) (?:department|job|"
          r"responsibility|problem|area|team)",
          "'{match}' pushes the customer away: say who will help and when"),
    Entry(r"the system (?:won't|will not|doesn't|does not|can't|cannot) (?:let|allow)",
          "'{match}' blames a machine: explain what can be done"),
    Entry(r"there(?:'s| is) nothing (?:I|we|more I|more we) can do",
          "'{match}' gives up on the customer: offer an alternative or a next step"),
    Entry(r"(?:it's|it is) (?:out of|beyond) (?:my|our) (?:hands|control)",
          "'{match}' gives up on the customer: offer an alternative or a next step"),
    Entry(r"I (?:just )?work here|I don't make the (?:rules|policy)|those are the rules",
          "'{match}' distances you from the company the customer is talking to"),
]


@phrase_check("tone.negative-language", "TON001", Severity.SUGGESTION, NEGATIVE,
              extra_message="'{match}' is negative framing: say what you can do")
def negative_language(doc, options):
    """Negative framing: the reply says what can't be done instead of what can.

    ## What it does
    Flags "unfortunately", "we can't", "unable to", "impossible", "that's not possible",
    "we don't offer", "I don't know", "I'm not sure" and "no problem" in the author's text.

    ## Why is this bad?
    Customers remember the refusal, not the workaround that follows it. Positive scripting —
    leading with what you *can* do — keeps the same facts and lowers the temperature.

    ## Example
    ```text
    Unfortunately we can't refund digital purchases. No problem if you have other questions!
    ```

    ## Use instead
    ```text
    What I can do is add a credit for the full amount to your account today. You're welcome to
    write back with any other questions.
    ```
    """


@phrase_check("tone.blame", "TON002", Severity.WARNING, BLAME,
              extra_message="'{match}' blames the customer")
def blame(doc, options):
    """Blame: the reply makes the customer at fault.

    ## What it does
    Flags "you failed to", "you should have", "you didn't read", "as I already said", "per my
    last email", "as stated before", "you need to understand", "your fault", "user error".

    ## Why is this bad?
    Even when the customer made the mistake, pointing it out costs goodwill and solves
    nothing. Describe the fix, not the fault; if they asked twice, the first answer was not
    clear enough.

    ## Example
    ```text
    As I already said, you failed to confirm your email address.
    ```

    ## Use instead
    ```text
    The account is waiting for an email confirmation: I've sent a new link to you just now.
    ```
    """


@phrase_check("tone.condescending", "TON003", Severity.WARNING, CONDESCENDING,
              extra_message="'{match}' talks down to the customer")
def condescending(doc, options):
    """Condescension and dismissal.

    ## What it does
    Flags "obviously", "clearly" used to scold ("as clearly stated"), "simply" and "just" as
    minimisers ("you can just…", "Just click…"), "as you should know", "calm down", "it's
    easy", and a dismissive "whatever".

    ## Why is this bad?
    A customer who writes in has already found it hard. Words that call the task easy or the
    answer obvious tell them they are slow, and they will remember that more than the answer.

    ## Example
    ```text
    Obviously the setting is on the first page. Just click Save, it's easy.
    ```

    ## Use instead
    ```text
    The setting is on the first page, under Notifications. Click Save to keep it.
    ```
    """
    allow = {a.lower() for a in options["allow"]}
    for regex, why in ((MINIMISER, "minimises the task: if it were simple, they would not have "
                        "asked"), (CLEARLY, "talks down to the customer")):
        for m in regex.finditer(doc.prose):
            group = next((g for g in range(1, regex.groups + 1) if m.group(g)), 0)
            start, end = m.span(group)
            if doc.text[start:end].lower() not in allow:
                yield Hit(start, end, f"'{doc.text[start:end]}' {why}")


@phrase_check("tone.hiding-behind-rules", "TON004", Severity.WARNING, RULES,
              extra_message="'{match}' hides behind the rules")
def hiding_behind_rules(doc, options):
    """Us versus them: the reply hides behind policy, systems or departments.

    ## What it does
    Flags "company policy", "our policy doesn't allow", "it's not my department", "the system
    won't let me", "there's nothing I can do", "out of my hands", "I just work here".

    ## Why is this bad?
    The customer is talking to the company; "policy" and "the system" sound like a wall with
    nobody behind it. Give the reason in plain words and what the customer can do next.

    ## Example
    ```text
    It's company policy, there's nothing I can do. That's not my department.
    ```

    ## Use instead
    ```text
    We can't reopen orders after 30 days because the stock is released; what I can do is
    place a new order at the original price, and our returns team will confirm it by Friday.
    ```
    """


EMPHASIS = frozenset(
    "NOT NEVER PLEASE MUST ALWAYS NOW IMMEDIATELY DO DON'T DONT ONLY ALL ANY NO URGENT "
    "IMPORTANT WARNING STOP VERY REALLY".split()
)
CAPS_WORD = Prefiltered(re.compile(r"(?<![\w'])[A-Z][A-Z']*[A-Z](?![\w'])"))
PUNCT = re.compile(r"[!?]*(?:!!|\?\?|\?!|!\?)[!?]*")
CHEERFUL = Prefiltered(re.compile(
    r"\b(?:thanks?|thank you|congrat\w*|welcome|glad|happy|great|awesome|"
    r"love|enjoy|yay|woo+)\b", re.IGNORECASE))


@check("tone.shouting", "TON005", Severity.WARNING, options=[
    Option("acronym_length", int, 5, "all-caps words up to this length are taken as acronyms"),
    Option("allow", list, [], "all-caps words that are fine (product names, acronyms)"),
])
def shouting(doc, options):
    """Shouting: runs of capitals, "!!" and "???".

    ## What it does
    Flags emphasis written in capitals — a run of two or more all-caps words, or a single one
    that is an emphasis word ("NOT", "NEVER", "PLEASE") or longer than an acronym — and runs of
    "!!", "???", "?!". Acronyms (`PDF`, `IMEI`) and words in `allow` are fine.

    ## Why is this bad?
    In writing, capitals and stacked punctuation read as raised voices; to an upset customer
    they read as anger or sarcasm.

    ## Example
    ```text
    Please do NOT share your password!! Did you read the email???
    ```

    ## Use instead
    ```text
    Please keep your password to yourself: we will never ask for it.
    ```
    """
    text = doc.prose
    allow = {a.upper() for a in options["allow"]}
    short = options["acronym_length"]
    run: list[re.Match[str]] = []

    def flush():
        loud = [m for m in run if m.group() not in allow]
        if len(loud) >= 2 and any(len(m.group()) > short or m.group() in EMPHASIS for m in loud):
            yield Hit(loud[0].start(), loud[-1].end(), f"'{text[loud[0].start():loud[-1].end()]}'"
                      " is written in capitals, which reads as shouting")
        elif len(loud) == 1:
            word = loud[0].group()
            if word in EMPHASIS or (len(word) > short and word not in allow):
                yield Hit(loud[0].start(), loud[0].end(),
                          f"'{word}' in capitals reads as shouting: use plain words for emphasis")

    for m in CAPS_WORD.finditer(text):
        if run and text[run[-1].end():m.start()].strip(" ,"):
            yield from flush()
            run = []
        run.append(m)
    yield from flush()
    for m in PUNCT.finditer(text):
        sentence = text[max(0, m.start() - 60):m.start()].rsplit(".", 1)[-1]
        if m.group() == "!!" and CHEERFUL.search(sentence):
            continue  # "Thanks so much!!" is enthusiasm, not a raised voice
        yield Hit(m.start(), m.end(), f"'{m.group()}' reads as shouting or exasperation")


NEGATIVE_WORDS = (
    r"worse|worst|terrible|awful|bad|inferior|unreliable|buggy|slow|cheap|garbage|junk|scam|"
    r"sucks?|horrible|poor|useless|broken|shady|crap|rubbish|overpriced|insecure|outdated"
)


@check("tone.competitor-criticism", "TON006", Severity.WARNING, options=[
    Option("names", list, [], "competitor and third-party names to watch for"),
    Option("window", int, 6, "how many words apart a name and a negative word may be"),
])
def competitor_criticism(doc, options):
    """Criticising other products: a competitor or partner named near negative wording.

    ## What it does
    Flags a name from the `names` option (your competitors, carriers, payment providers…)
    within `window` words of negative wording ("worse", "buggy", "unreliable", "scam"). Does
    nothing until you list names.

    ## Why is this bad?
    Running down another company sounds petty, may be untrue, and can be quoted back at you;
    the customer may well use that product too. Talk about what yours does.

    ## Example
    ```text
    FedEx is terrible with parcels like this, which is why it is late.
    ```

    ## Use instead
    ```text
    Your parcel is with our carrier, and I have asked them to trace it today.
    ```

    Options: set `names = ["FedEx", "Acme"]` under `[tool.replylint.rules.TON006]`.
    """
    names = [n for n in options["names"] if n.strip()]
    if not names:
        return
    window = options["window"]
    name_re = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    gap = rf"(?:\W+\w+){{0,{window - 1}}}?\W+"
    pattern = re.compile(
        rf"\b(?:(?:{name_re}){gap}(?:{NEGATIVE_WORDS})|(?:{NEGATIVE_WORDS}){gap}(?:{name_re}))\b",
        re.IGNORECASE,
    )
    for m in pattern.finditer(doc.prose):
        yield Hit(m.start(), m.end(), f"'{m.group()}' criticises another company")


THANKS = Prefiltered(re.compile(
    r"\b(?:thank|thanks|thx|appreciate[sd]?|grateful|gratitude|kudos)\b",
    re.IGNORECASE))
WORD = re.compile(r"\b\w[\w'\u2019-]*")


@check("tone.missing-appreciation", "TON007", Severity.SUGGESTION, options=[
    Option("min_words", int, 50, "replies shorter than this are not asked for thanks"),
])
def missing_appreciation(doc, options):
    """No thanks anywhere in the reply.

    ## What it does
    Flags a reply of at least `min_words` words in which the author never thanks the customer
    — for their time, patience, report or business — nor says they appreciate anything. The
    finding points at the start of the author's text.

    ## Why is this bad?
    The customer spent time writing in, often about a problem you caused. A thank-you is the
    cheapest way to show their effort was noticed; replies without one read as transactional.

    ## Example
    ```text
    Hi Dana,

    The invoice is attached. The amount was corrected to $40 and the difference goes back to
    your card in 3-5 business days. ...
    ```

    ## Use instead
    ```text
    Hi Dana,

    Thanks for spotting the error on your invoice. The amount was corrected to $40 ...
    ```
    """
    text = doc.prose
    if THANKS.search(text) or len(WORD.findall(text)) < options["min_words"]:
        return
    first = WORD.search(text)
    assert first is not None
    line_end = text.find("\n", first.start())
    yield Hit(first.start(), len(text) if line_end == -1 else line_end,
              "The reply never thanks the customer for their time, patience or report",
              ("Thanks for reaching out about this.", "Thank you for your patience."))


PLAIN_STRATEGIES = {
    "direct_start": "sentences opening with 'so', 'then' or 'but'",
    "imperative_start": "bare commands",
    "direct_question": "pointed questions",
    "factuality": "'actually' or 'in fact'",
    "second_person_start": "sentences opening with 'you'",
    "negative_lexicon": "negative words",
    "negated_start": "sentences opening with a negation",
    "emphatic_punctuation": "'??' or '?!'",
}


@check("tone.low-politeness", "TON008", Severity.WARNING, options=[
    Option("threshold", float, -2.0, "flag replies whose politeness score is below this"),
])
def low_politeness(doc, options):
    """The reply as a whole reads as curt or impolite.

    ## What it does
    Scores the author's text with a politeness model and publishes the score as
    `metrics.politeness` (higher is more polite; 0 is the median request of the Stanford
    Politeness Corpus, the range is -3 to 3). When the score is below `threshold`, flags the
    reply and names what pulls it down. The model weighs the politeness strategies of
    Danescu-Niculescu-Mizil et al. (2013) — gratitude, greeting, apology, "please",
    "could you / would you" versus direct questions, hedges, sentence-initial "so / but",
    second-person starts, "in fact / actually" — and a hundred conversational words; its
    weights ship with replylint (`eval/politeness.py` retrains and evaluates it).

    ## Why is this bad?
    Each sentence can be fine on its own while the whole reply reads like an order: no
    greeting, no thanks, bare imperatives and pointed questions. Customers answer curt replies
    in kind.

    ## Example
    ```text
    Read the FAQ. Why didn't you check it before writing?
    ```

    ## Use instead
    ```text
    Thanks for writing in! The FAQ has a step-by-step guide for this; could you try it and
    let me know if anything is unclear?
    ```

    The model learnt on Wikipedia requests; on support replies the default threshold (-2.0)
    is set low so that it only flags replies that are clearly curt. Deselecting the rule also
    drops the metric.
    """
    from ..politeness import assess

    value, lowering = assess(doc.prose)
    yield Metric("politeness", round(value, 3))
    if value < options["threshold"] and doc.prose.strip():
        start = len(doc.prose) - len(doc.prose.lstrip())
        end = len(doc.prose.rstrip())
        why = ", ".join(PLAIN_STRATEGIES.get(n, f"the word {n}") for n in lowering[:3])
        yield Hit(start, end, f"The reply reads as curt (politeness {value:.1f}, threshold "
                  f"{options['threshold']}): {why or 'no politeness strategies'}; add thanks, a "
                  "greeting or a softer request")


@hookimpl
def register_checks(register, config):
    for c in (negative_language, blame, condescending, hiding_behind_rules, shouting,
              competitor_criticism, missing_appreciation, low_politeness):
        register(c)
