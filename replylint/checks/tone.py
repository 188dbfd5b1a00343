"""The ``tone`` family: wording that sounds cold, blaming, condescending, defensive or loud."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..channel import THREAD_MARKER, signed_with_tag, thread_marker
from ..hookspecs import hookimpl
from ..model import GROUP_TEXTS, Hit, Metric, Option, Severity, check
from ..phrasescan import Prefiltered
from .phrasebook import PHRASE_OPTIONS, Entry, compile_entries, phrase_check, phrase_hits

CAN_DO = "Say what you can do instead"

# The exchange's mood, from the customer's message: "tense" (upset), "positive" (warm or
# playful: thanks, praise, a smiley), "calm", or None when there is no customer message.
POSITIVE = re.compile(
    r"(?<![\w'])(?:thanks?|thank you|thx|ty|love|loved|great|awesome|amazing|brilliant|clever|"
    r"congrat\w*|yay|woo+|haha\w*|hehe\w*|lol|lmao|cheers|appreciate\w*|happy|glad|"
    r"excited|can't wait|fantastic|perfect|cool|nice|wonderful)(?![\w'])"
    r"|[:;=]-?[)DpP](?!\w)|[\U0001F600-\U0001F60F\U0001F617-\U0001F61D\U0001F642\U0001F643"
    r"\U0001F60A\U0001F970\U0001F973\U0001F917\U0001F923\U0001F389\U0001F44D\u2764"
    r"\U0001F493-\U0001F49F\U0001F618\U0001F64C\U0001F44F]",
    re.IGNORECASE)
#: playful wording in the reply itself: a smiley or emoji, a shrug, laughter, "noooo"
PLAYFUL = re.compile(
    r"[:;=]-?[)DpP(](?!\w)|[\U0001F300-\U0001FAFF\u2600-\u27BF]|\u00af\\_|"
    r"(?<![\w'])(?:ha(?:ha)+|he(?:he)+|lol|lmao|yay|woo+|oh no+|\w*([a-z])\1{3,}\w*)(?![\w'])",
    re.IGNORECASE)


def mood(doc) -> str | None:
    """How the customer's message reads: tense, positive, calm, or None without one."""
    return _mood(doc.customer_text or "")


@lru_cache(maxsize=GROUP_TEXTS)  # several tone rules ask of one message
def _mood(text: str) -> str | None:
    customer = plain(text)
    if not customer.strip():
        return None
    from .empathy import STRONG_RE, upset_cues

    score, _ = upset_cues(customer)
    if score >= 2 or STRONG_RE.search(customer):
        return "tense"
    return "positive" if POSITIVE.search(customer) else "calm"


#: the customer reports something wrong or missing (a "No problem" to them jars)
REPORTS_PROBLEM = re.compile(
    r"(?<![\w'])(?:not|no longer|never|nothing|missing|broken|error\w*|issues?|problems?|wrong|"
    r"fail\w*|crash\w*|lost|stuck|still|where(?:'s| is| are)|won't|can't|cannot|unable|"
    r"locked|charged|delay\w*|late|bug\w*|glitch\w*|help)(?![\w'])|n't(?![\w'])",
    re.IGNORECASE)
#: a way forward: what the customer can do, what we will do, or where to go (a link)
WAY_FORWARD = re.compile(
    r"(?<![\w'])(?:you (?:can|could|may|might|'ll|will|would|'d)(?: also| still| just)? "
    r"(?:need to |want to |be able to |have to )?\w+"
    r"|please (?:\w+ )?(?:call|contact|reach|visit|see|check|try|send|dm|message|open|file|"
    r"follow|refer|ask|let|submit|provide|share|use|head|go|click|tap|email|chat|give|update|"
    r"reinstall|restart)"
    r"|(?:we|I)(?:'ll| will| would be (?:happy|glad) to| can (?!not)| could| are happy to|"
    r" am happy to|'d be (?:happy|glad) to|'re happy to|'m happy to|'d love to| would love to)"
    r"|let (?:us|me) know|let me (?:check|find|look|see|ask)|what (?:we|I) can do|instead|"
    r"alternatively|here(?:'s| is) (?:how|what)|reach (?:out|us)|contact (?:us|our|the)|"
    r"send us|DM us|(?<![\w'])try\b|check out|refer to|feel free|once (?:we|I)|if you (?:want|"
    r"would like|need)|is available|are available|(?:we|I) (?:recommend|suggest))(?![\w'])",
    re.IGNORECASE)
URL = re.compile(r"https?://|www\.|\]\(")
#: a sentence that opens with an instruction: "Unplug the router.", "Wait 2 min then…"
INSTRUCTION = re.compile(
    r"(?:^|[.!?:]\s+|\n\s*)(?:(?:first|then|next|now|also),? )?(?:click|tap|go|open|restart|"
    r"reboot|reinstall|log|sign|update|follow|select|type|enter|visit|clear|reset|download|"
    r"install|delete|remove|change|use|try|press|turn|switch|reply|send|fill|check|unplug|plug|"
    r"wait|power|hold|call|contact|see|refer|head|make sure|look|give|ask|dm|message|email|"
    r"let|feel free|disable|enable|uninstall|connect|disconnect|search|submit|provide|share|"
    r"attach|run)\b", re.IGNORECASE)


def plain(text: str) -> str:
    """``text`` with typographic apostrophes made plain (same length)."""
    return text.replace("\u2019", "'")


def offers_way_forward(doc) -> bool:
    """The reply says what the customer can do, what we will do, or links somewhere."""
    prose = plain(doc.prose)
    return bool(WAY_FORWARD.search(prose) or INSTRUCTION.search(prose.strip())
                or URL.search(doc.author_text))


# "We can't wait", "I can't believe it either", "doesn't mean we can't be there for you":
# enthusiasm and sympathy, not refusals.
REFUSAL_IDIOM_AFTER = re.compile(
    r"\s+(?:wait|believe|imagine|thank|stress|emphasi[sz]e|recommend|help but|be (?:happier|"
    r"more|prouder)|get enough|go wrong|beat|complain|argue|tell you how)\b", re.IGNORECASE)
REFUSAL_IDIOM_BEFORE = re.compile(
    r"(?:doesn't|does not|don't|do not|not|never) (?:mean|say) (?:that )?\s*$", re.IGNORECASE)
#: what may stand before the first word of a sentence (besides white space and a line break)
SENTENCE_OPENERS = ".!?:;,\u2013\u2014-"


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence: only white space before it since the text's start,
    a line break or one of ``SENTENCE_OPENERS``."""
    before = text[:pos]
    stripped = before.rstrip()
    return not stripped or stripped[-1] in SENTENCE_OPENERS or "\n" in before[len(stripped):]

NEGATIVE = [
    Entry(r"(?:we|I) (?:can't|cannot|can not|am unable to|are unable to|aren't able to|"
          r"am not able to|are not able to|won't be able to)|(?:we're|I'm) (?:unable|not able) to",
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
_NO_PROBLEM = len(NEGATIVE) - 1
_NEGATIVE_TABLE = compile_entries(NEGATIVE)


#: what the reply says was already done: "we've shared the feedback", "I have passed this on",
#: "I've checked your line" — an action taken is not a refusal that offers nothing
ACTION_TAKEN = re.compile(
    r"(?<![\w'])(?:we|I)(?:'ve| have)(?: (?:already|now|just|also|since|gone ahead and))? "
    r"(?!(?:been|had|got|gotten|tried|no|not|never|received|noticed|decided|explained|"
    r"mentioned|stated|asked)\b)"
    r"(?:\w+ed|sent|passed|put|made|set|given|taken|spoken|forwarded|shared)\b"
    r"|(?<![\w'])(?:(?:it|this|that|your \w+)(?:'s| is| has been| was) (?:been )?"
    r"(?:passed|forwarded|shared|escalated|logged|noted|raised|flagged|reported|sent) "
    r"(?:on|along|to|with))(?![\w'])", re.IGNORECASE)
#: an apology in the reply: the refusal is already softened
APOLOGY = re.compile(r"(?<![\w'])(?:sorry|apolog\w*|regret\w*)(?![\w'])", re.IGNORECASE)
#: a reason given for the limit: the refusal is explained, not a wall
LIMIT_REASON = re.compile(
    r"(?<![\w'])(?:because|since|as (?:it|this|that|they|we|the|your|our)|due to|so that|"
    r"for (?:your |our )?(?:security|safety|privacy|legal|data protection) ?\w*|to protect|"
    r"(?:is|are) (?:only|handled|managed|set|controlled|decided|owned) by|"
    r"only (?:available|possible|the)|(?:law|legal(?:ly)?|regulations?))(?![\w'])",
    re.IGNORECASE)


def _fine_negative(doc, m: re.Match[str]) -> bool:
    """A match of NEGATIVE that is not negative framing here (see negative_language)."""
    if m.lastgroup is None:
        return False  # the user's own ``extra`` phrases are always flagged
    text = plain(doc.prose)
    if int(m.lastgroup[1:]) == _NO_PROBLEM:
        if not _opens_sentence(text, m.start()):
            return True  # "there is no problem with your account" is a fact
        customer = plain(doc.customer_text or "")
        return bool(customer.strip() and not REPORTS_PROBLEM.search(customer))
    if REFUSAL_IDIOM_AFTER.match(text, m.end()) or REFUSAL_IDIOM_BEFORE.search(text[:m.start()]):
        return True
    if PLAYFUL.search(text) or mood(doc) == "positive":
        return True  # "I can't make any promises 😉" is banter, not a refusal
    if thread_marker(doc.author_text):
        return True  # one part of a split reply: the rest of the thread holds the way forward
    if ACTION_TAKEN.search(text):
        return True  # "we've shared the feedback": something was done
    if APOLOGY.search(text) and LIMIT_REASON.search(text):
        return True  # a necessary refusal, explained and apologised for
    return offers_way_forward(doc)


BLAME = [
    Entry(r"you (?:failed|forgot|neglected) to", "'{match}' blames the customer"),
    # "you should have" + something the customer failed to do is blame; + a state or a
    # receipt ("you should have a reference number", "…the paid plan", "…received") is an
    # expectation about their account
    Entry(r"you should(?: not|n't)? have|you should've|you shouldn't've",
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
#: the customer says they tried, failed or are stuck
STRUGGLE = re.compile(
    r"(?<![\w'])(?:tried|trying|try|can't|cannot|couldn't|unable|stuck|confus\w*|lost|"
    r"doesn't|does not|didn't|won't|not working|no luck|still|again|help|hard|difficult|"
    r"figure out)(?![\w'])", re.IGNORECASE)
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
    Entry(r"I (?:just )?work here|I don't make the (?:rules|policy)",
          "'{match}' distances you from the company the customer is talking to"),
    Entry(r"(?:those|these|the) are the rules|rules are rules",
          "'{match}' distances you from the company the customer is talking to"),
]


@check("tone.negative-language", "TON001", Severity.SUGGESTION, default_enabled=False,
       options=PHRASE_OPTIONS)
def negative_language(doc, options):
    """Negative framing: a refusal or a shrug with no way forward.

    ## What it does
    Flags "we can't", "we're unable to", "impossible", "that's not possible", "we don't
    offer", "I don't know" and "I'm not sure" when the reply offers no way forward — nothing
    the customer can do, nothing we will do, no link or contact — and "No problem" opening a
    sentence to a customer who reported a problem (or when there is no customer message).

    Not flagged: a refusal followed (or preceded) by what the customer can do ("We can't
    access your account here; please call…", "I cannot reproduce this: could you share a
    repro?"); a refusal beside something already done ("we've shared the feedback", "I've
    passed this on"); a necessary refusal that is both apologised for and explained ("Sorry,
    we can't change the name because the airline ties it to the passport"); banter (a
    playful reply, or a happy customer: "I can't make any promises 😉"); a part of a split
    reply ("2/2"), where the rest of the thread holds the way forward; idioms of enthusiasm
    or sympathy ("we can't wait", "I can't believe it either"); and "unfortunately", which
    softens bad news that is the honest answer. A "sorry" alone does not make a bare
    refusal ("Sorry, we can't help with that") any less of a dead end.

    ## Why is this bad?
    Customers remember the refusal, not the workaround that follows it — and a refusal with
    no workaround leaves them stuck. Positive scripting, leading with what you *can* do,
    keeps the same facts and lowers the temperature.

    ## Example
    ```text
    We're sorry, we can't help with that booking.
    ```

    ## Use instead
    ```text
    That booking is handled by our holidays team: they can change it on 0800 123 456, and
    I've sent them your details so you won't need to repeat them.
    ```
    """
    yield from phrase_hits(doc, _NEGATIVE_TABLE, NEGATIVE, options,
                           "'{match}' is negative framing: say what you can do",
                           skip=lambda m: _fine_negative(doc, m))


_SHOULD_HAVE = 1
_BLAME_TABLE = compile_entries(BLAME)
#: after "you should have": a past participle of something the customer did (or failed to)
FAILED_ACTION = re.compile(
    r"(?<!\s)\s++(?:(?:already|just|first|maybe|probably|really|at least) )?(?!(?:received|gotten|"
    r"got|been|seen|heard|noticed|had|needed|wanted|(?:un)?limited|dedicated|advanced|detailed|"
    r"extended|combined|unrestricted|registered|verified|connected|linked)\b)"
    r"(?:\w+ed|read|done|known|told|sent|written|taken|given|made|gone|chosen|bought|kept|"
    r"left|paid|brought|thought|put|set|run|said|spoken|asked|shown|understood|come|"
    r"rung|hung|won|lost|hit|shut|cut|quit)\b", re.IGNORECASE)


@check("tone.blame", "TON002", Severity.WARNING, default_enabled=False, options=PHRASE_OPTIONS)
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

    "You should have" is blame only before something the customer failed to do ("you should
    have read the terms"); before a state or a receipt ("you should have a reference number",
    "you should have the paid plan", "you should have received an email") it tells them what
    to expect, and is not flagged.
    """

    def expectation(m: re.Match[str]) -> bool:
        return (m.lastgroup is not None and int(m.lastgroup[1:]) == _SHOULD_HAVE
                and not FAILED_ACTION.match(plain(doc.prose), m.end()))

    yield from phrase_hits(doc, _BLAME_TABLE, BLAME, options, "'{match}' blames the customer",
                           skip=expectation)


@phrase_check("tone.condescending", "TON003", Severity.WARNING, CONDESCENDING,
              extra_message="'{match}' talks down to the customer", default_enabled=False)
def condescending(doc, options):
    """Condescension and dismissal.

    ## What it does
    Flags "obviously", "clearly" used to scold ("as clearly stated"), "simply" and "just" as
    minimisers ("you can just…", "Just click…"), "as you should know", "calm down", "it's
    easy", and a dismissive "whatever". The minimisers are not flagged when the customer's
    message is calm and says nothing of trying or being stuck ("Just tap Share" to someone
    who only asked where the button is), nor in a template's steps ("simply change the number
    in the placeholder"): written for no customer in particular, they belittle no one's
    trouble.

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
    # "Just tap Share" to a calm customer who only asked how is casual wording; to one who
    # says they tried, are stuck or are upset, it calls their trouble trivial
    calm = mood(doc) in ("calm", "positive") and not STRUGGLE.search(plain(doc.customer_text))
    # a template's steps ("simply change the number in the placeholder") are written for no
    # customer in particular: there is no trouble of theirs to belittle
    calm = calm or (doc.channel == "macro" and not (doc.customer_text or "").strip())
    for regex, why in ((MINIMISER, "minimises the task: if it were simple, they would not have "
                        "asked"), (CLEARLY, "talks down to the customer")):
        if regex is MINIMISER and calm:
            continue
        for m in regex.finditer(doc.prose):
            group = next((g for g in range(1, regex.groups + 1) if m.group(g)), 0)
            start, end = m.span(group)
            if doc.text[start:end].lower() not in allow:
                yield Hit(start, end, f"'{doc.text[start:end]}' {why}")


#: entries of RULES that are fine when the reply explains what the customer can do next
_RULES_WITH_WAY = frozenset({0, 1, 3})
_RULES_PLAYFUL = len(RULES) - 1
_RULES_TABLE = compile_entries(RULES)


def _fine_rules(doc, m: re.Match[str]) -> bool:
    if m.lastgroup is None:
        return False
    entry = int(m.lastgroup[1:])
    if entry == _RULES_PLAYFUL:
        # "Rules are rules 😉" about a promotion is a brand's playful voice, not a wall
        start = max(doc.prose.rfind(".", 0, m.start()), doc.prose.rfind("\n", 0, m.start()))
        end = len(doc.prose)
        for mark in ".\n?":
            i = doc.prose.find(mark, m.end())
            if i != -1:
                end = min(end, i)
        return bool(PLAYFUL.search(doc.prose, start + 1, end + 80)) or mood(doc) == "positive"
    return entry in _RULES_WITH_WAY and bool(REASON.search(doc.prose)) and offers_way_forward(doc)


REASON = re.compile(r"(?<![\w'])(?:because|since|so that|due to|to protect|for (?:your )?"
                    r"(?:security|safety|privacy)|without)(?![\w'])", re.IGNORECASE)


@check("tone.hiding-behind-rules", "TON004", Severity.WARNING, default_enabled=False,
       options=PHRASE_OPTIONS)
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

    "Our policy…" and "the system won't let me" are not flagged when the reply also gives the
    reason and what the customer can do next — that is the explanation this rule asks for; a
    playful "rules are rules 😉" in a happy exchange is brand voice, not a wall.
    """
    yield from phrase_hits(doc, _RULES_TABLE, RULES, options, "'{match}' hides behind the rules",
                           skip=lambda m: _fine_rules(doc, m))


#: capitals that raise the voice at the reader: "do NOT", "NEVER", "you MUST"
DIRECTIVE = frozenset(
    "NOT NEVER PLEASE MUST ALWAYS NOW IMMEDIATELY DO DON'T DONT NO STOP".split()
)
#: capitals that intensify: shouting in an instruction ("read ALL the steps"), brand
#: enthusiasm elsewhere ("the best service at ALL times!")
INTENSIFIER = frozenset("ONLY ALL ANY VERY REALLY".split())
EMPHASIS = DIRECTIVE | INTENSIFIER | frozenset("URGENT IMPORTANT WARNING".split())
CAPS_WORD = Prefiltered(re.compile(r"(?<![\w'])[A-Z][A-Z']*[A-Z](?![\w'])"))
PUNCT = re.compile(r"[!?]*(?:!!|\?\?|\?!|!\?)[!?]*")
CHEERFUL = Prefiltered(re.compile(
    r"\b(?:thanks?|thank you|congrat\w*|welcome|glad|happy|great|awesome|"
    r"love|enjoy|yay|woo+)\b", re.IGNORECASE))
#: a word in capitals that names a thing on the screen or the box: "press the HOME button",
#: "your XFINITY HD service", "select SETTINGS"
LABEL_BEFORE = re.compile(
    r"(?:\b(?:press|tap|click|select|choose|hit|push|type|enter|says|reads|shows|"
    r"displays|labell?ed|marked|called|named|set to|switch to)\s+(?:the\s+|on\s+)?"
    r"|[\"'\u201c\u2018>])$",
    re.IGNORECASE)
LABEL_AFTER = re.compile(
    r"^[\"'\u201d\u2019]|^\s+(?:button|key|tab|menu|option|icon|light|mode|screen|setting|"
    r"settings|field|link|label|channel|plan|package|box|app|service|account|network|card|"
    r"remote|device|router|modem|store|rewards?|points|code|folder|file|page|section)s?\b",
    re.IGNORECASE)
#: a request or instruction: where capitals land on the reader
REQUEST = re.compile(
    r"(?<![\w'])(?:please|you (?:must|need|should|have to|'ll need)|make sure|be sure|"
    rf"remember)(?![\w'])|^\W*{_STEP}", re.IGNORECASE)
#: markup that makes a status label: **CLOSED**, __DONE__, # DELETED, [WONTFIX]
MARKUP_LABEL = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|^[ \t]*#{1,6}[ \t].*$|\[[^\[\]\n]*+\](?!\()",
                          re.MULTILINE)
#: a word rarer than this (Zipf) is a name, not an English word said loudly: XFINITY, README
NAME_ZIPF = 3.0


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    right = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    return text[left + 1:min(right) if right else len(text)]


@check("tone.shouting", "TON005", Severity.WARNING, default_enabled=False, options=[
    Option("acronym_length", int, 5, "all-caps words up to this length are taken as acronyms"),
    Option("allow", list, [], "all-caps words that are fine (product names, acronyms)"),
])
def shouting(doc, options):
    """Shouting: capitals for emphasis at the customer, and "!!" or "???" in a tense exchange.

    ## What it does
    Flags emphasis written in capitals — a run of two or more all-caps words, or a single one
    that is an emphasis word ("NOT", "NEVER", "PLEASE") or longer than an acronym — and runs of
    "!!", "???", "?!". Acronyms (`PDF`, `IMEI`) and words in `allow` are fine.

    Not shouting, and not flagged: the agent's sign-off initials ("^DO", "-GO"); names and
    labels written in capitals as they appear on the device or the brand ("XFINITY", "press
    the HOME button", words too rare to be English said loudly); status labels in markup
    ("**CLOSED**", "# DELETED", "[WONTFIX]"); an intensifier like "at ALL times" outside a
    request; capitals, "!!!" and "?!?" as banter in a happy exchange or beside a smiley or
    laughter in the reply; and "!!" when the customer's message is calm — it is enthusiasm
    unless the exchange is tense. Capitals that tell the
    customer what to do ("do NOT cross post") are flagged whatever the mood.

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
    exchange = mood(doc)
    tag = signed_with_tag(text)
    tag_start = tag.start() if tag else len(text)
    labels = [m.span() for m in MARKUP_LABEL.finditer(text)]
    words = list(CAPS_WORD.finditer(text))
    common = lexicon.zipf({m.group().replace("'", "") for m in words
                           if len(m.group()) > short and m.group() not in EMPHASIS})

    def quiet(m: re.Match[str]) -> bool:
        """Not a raised voice: allowed, the agent's tag, a markup label, a name, a label."""
        word = m.group()
        if word in allow or m.start() >= tag_start:
            return True
        if any(a <= m.start() < b for a, b in labels):
            return True
        rare = common.get(word.replace("'", ""), 0) < NAME_ZIPF
        return len(word) > short and word not in EMPHASIS and rare

    def loud(m: re.Match[str]) -> bool:
        """Emphasis: a directive, a long English word, an intensifier in a request."""
        word = m.group()
        if word in INTENSIFIER:
            return bool(REQUEST.search(_sentence(text, m.start(), m.end()).lstrip()))
        return word in EMPHASIS or len(word) > short

    def flush(run: list[re.Match[str]]):
        if not run:
            return
        a, b = run[0].start(), run[-1].end()
        if LABEL_BEFORE.search(text[max(0, a - 30):a]) or LABEL_AFTER.search(text[b:b + 30]):
            return  # "press the HOME button", "your XFINITY HD service"
        directive = any(m.group() in DIRECTIVE for m in run)
        if exchange == "positive" and not directive:
            return  # "WE DEMAND A RE-TASTE!" as banter with a happy customer
        if len(run) >= 2 and any(loud(m) for m in run):
            yield Hit(a, b, f"'{text[a:b]}' is written in capitals, which reads as shouting")
        elif len(run) == 1 and loud(run[0]):
            yield Hit(a, b, f"'{run[0].group()}' in capitals reads as shouting: use plain words "
                      "for emphasis")

    run: list[re.Match[str]] = []
    for m in words:
        if quiet(m):
            yield from flush(run)
            run = []
            continue
        if run and text[run[-1].end():m.start()].strip(" ,"):
            yield from flush(run)
            run = []
        run.append(m)
    yield from flush(run)
    playful = exchange == "positive" or bool(PLAYFUL.search(text))
    for m in PUNCT.finditer(text):
        exclaims = set(m.group()) == {"!"}
        if exclaims and exchange in ("calm", "positive"):
            continue  # "Help has arrived!!" to a calm customer is enthusiasm
        if playful:
            continue  # "You did WHAT?!?" with a happy customer or beside a smiley is banter
        sentence = text[max(0, m.start() - 60):m.start()].rsplit(".", 1)[-1]
        if exclaims and CHEERFUL.search(sentence):
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
#: the reply is already warm: an apology, "glad to help", "we'd love to"
WARM = re.compile(
    r"(?<![\w'])(?:sorry|apolog\w*|glad|happy to|pleasure|love to|we'd love|welcome|"
    r"great (?:question|idea|catch|find)|nice (?:catch|find|work))(?![\w'])", re.IGNORECASE)
#: replies where thanks does not belong: moderation and code-of-conduct warnings, closing or
#: locking notices, automated reminders, redirects elsewhere, refusals
NOT_OWED = re.compile(
    r"(?<![\w'])(?:clos(?:ed|e|ing) (?:this|the|your) (?:issue|topic|thread|ticket|pull request|"
    r"PR|post)|(?:this|the|your) (?:issue|topic|thread|ticket|post) (?:is|was|has been|will be) "
    r"(?:closed|locked|deleted|removed|marked)|code of conduct|suspen\w+|ban(?:ned)?|"
    r"time ?out from|"
    r"cross[- ]?post\w*|duplicate (?:of|issue|post|topic|thread)|(?:is|as) a duplicate|"
    r"(?:post|topic|thread|comment|issue)s? (?:was |were |has been |have been )?(?:deleted|"
    r"removed|locked)|marked as stale|automatically|"
    r"(?:file|open|report|post|ask) (?:the|this|it|your|a new)? ?(?:issue|question)? ?"
    r"(?:to|in|on|at) "
    r"(?:the )?(?:\[|\w+ (?:repository|repo|forum|tracker))|rather than an issue|"
    r"no need to|please do not|please don't|(?:we|I) (?:can't|cannot|won't|will not|are unable to|"
    r"am unable to|don't (?:understand|accept|support)))(?![\w'])",
    re.IGNORECASE)
#: the customer gave something thanks is owed for: a report, a wait, information, a file
OWED_IN_REPLY = re.compile(
    r"(?<![\w'])(?:you (?:reported|provided|sent|shared|described|submitted|attached|flagged|"
    r"mentioned|raised|found|spotted|noticed|tried|waited|gave)|your (?:report|patience|"
    r"screenshot|logs?|details|feedback|pull request|PR|changes|contribution|submission|"
    r"patience|wait|reply|response|message|email|info(?:rmation)?|update|photos?|video)|"
    r"(?:wait|delay|hold)(?:ed|ing)?|for (?:getting|reaching) back)(?![\w'])",
    re.IGNORECASE)
#: the customer's message reports a problem, sends something or says they waited
OWED_IN_CUSTOMER = re.compile(
    r"(?<![\w'])(?:not working|doesn't work|isn't working|won't|can't|cannot|not|broken|error\w*|"
    r"issues?|problems?|bug\w*|crash\w*|missing|wrong|fail\w*|still|waiting|waited|hours?|days|"
    r"weeks|attached|screenshot|here (?:is|are|it is)|sent|https?://\S+|link)(?![\w'])"
    r"|n't(?![\w'])",
    re.IGNORECASE)


@check("tone.missing-appreciation", "TON007", Severity.SUGGESTION, default_enabled=False,
       options=[
    Option("min_words", int, 50, "replies shorter than this are not asked for thanks"),
])
def missing_appreciation(doc, options):
    """No thanks where thanks is owed.

    Off by default (select `TON007` to turn it on): on real replies, a blind judge found "every reply should thank" wrong far more often than right —
    reminders, moderation warnings, refusals, redirects and already-warm replies need no
    thank-you — so it stays a suggestion that must earn its place.

    ## What it does
    Flags a reply of at least `min_words` words that never thanks the customer, when thanks
    is owed — the customer's message reports a problem, says they waited or sends something
    (a link, a screenshot, details), or the reply itself mentions their report, their wait or
    what they sent — and the reply is not already warm (an apology, "glad to help") and is not
    a moderation or code-of-conduct warning, a closing or automated notice, a redirect or a
    refusal. The finding points at the start of the author's text.

    ## Why is this bad?
    The customer spent time writing in, often about a problem you caused. A thank-you is the
    cheapest way to show their effort was noticed; replies without one read as transactional.

    ## Example
    ```text
    > My invoice says $80 but I was quoted $40.

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
    text = plain(doc.prose)
    if THANKS.search(text) or len(WORD.findall(text)) < options["min_words"]:
        return
    if WARM.search(text) or NOT_OWED.search(text):
        return
    customer = plain(doc.customer_text or "")
    if not (OWED_IN_REPLY.search(text) or OWED_IN_CUSTOMER.search(customer)):
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


def _later_part(doc) -> bool:
    """The reply is the second (or a later) part of a split reply: "2/2", "(3/3)"."""
    part = thread_marker(doc.author_text)
    return bool(part and re.search(r"[2-9]/", part.group()))


#: a reply that is only a link has at most this many words of its own around it
LINK_ONLY_WORDS = 4


def _only_a_link(doc) -> bool:
    """The reply is a link with at most a few words ("Here you go: https://…"), besides the
    handle, the thread marker and the agent's tag."""
    if not URL.search(doc.author_text):
        return False
    prose = doc.prose
    tag = signed_with_tag(prose)
    if tag:
        prose = prose[:tag.start()]
    prose = THREAD_MARKER.sub(" ", prose)
    return len(WORD.findall(prose)) <= LINK_ONLY_WORDS


@check("tone.low-politeness", "TON008", Severity.WARNING, default_enabled=False,
       publishes=("politeness",), options=[
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
    is set low so that it only flags replies that are clearly curt. A playful reply (a smiley
    or emoji, laughter, "Oh noooo!") or one to a customer in a happy exchange is banter, not
    curtness, and is not flagged (the metric is still published); nor are a later part of a
    split reply ("2/2 …": the greeting and thanks are in the first part) and a reply that is
    only a link with a few words around it. Deselecting the rule also drops the metric.
    """
    from ..politeness import assess

    value, lowering = assess(doc.prose)
    yield Metric("politeness", round(value, 3))
    if PLAYFUL.search(doc.prose) or mood(doc) == "positive":
        return  # "Oh noooo! Why not this year?", banter with a smiley: play, not curtness
    if _later_part(doc):
        return  # "(2/2) https://…": the greeting and the thanks are in the first part
    if _only_a_link(doc):
        return  # a bare link the customer asked for has no tone to judge
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
