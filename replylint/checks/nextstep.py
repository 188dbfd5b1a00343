"""The ``next-step`` family: every reply tells the customer what happens next, and when."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..channel import signed_with_tag
from ..clauses import HEDGE, PASSIVE_PROMISE, TIME, TO_YOU, WE, any_clause, any_step
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


#: what a customer with a problem to move forward writes: something broken, late, missing,
#: charged or refused, a complaint, a wait, a plea for help
PROBLEM = re.compile(
    r"\b(?:broken|broke|faulty|damaged|defective|missing|lost|late|delay(?:s|ed)?|"
    r"cancell?(?:ed|ing|ation)|stuck|stranded|refunds?|(?:over|double[- ]?)?charged|"
    r"billed twice|errors?|crash(?:es|ed|ing)?|outages?|fail(?:s|ed|ing|ure)?|issues?|"
    r"problems?|wrong|complain(?:t|ts|ing|ed)?|rude|worst|terrible|awful|horrible|"
    r"ridiculous|unacceptable|disgrace(?:ful)?|disappoint(?:ed|ing)|frustrat(?:ed|ing)|"
    r"annoy(?:ed|ing)|angry|upset|waiting|waited|on hold|expired|declined|rejected|"
    r"blocked|locked out|suspended|deactivated|hacked|stolen|fraud\w*|scam|sucks?|lame|"
    r"dropp(?:ed|ing|s) (?:out|off)|cut(?:s|ting)? out|keeps? \w+ing|(?:three|four|five|six|"
    r"several|multiple|\d+) times|(?:dis|un)satisf\w*|not satisf\w*|"
    r"(?:any|an|no) (?:update|news|word|eta|etr)\b|not cool|smh|wtf|ripped off|rip[- ]off|never again|no one|nobody|(?:is|are|been|went|"
    r"goes) down|fix (?:this|it|your|my|the)|(?:need|please|pls|plz) (?:some )?help|"
    r"help me|help!|still (?:no|not|waiting|haven't|hasn't|can't|doesn't|don't)|"
    r"(?:no longer|not|n't|never) (?:\w+ )?(?:work|working|works|load\w*|connect\w*|"
    r"arriv\w*|receiv\w*|get|got|gotten|show\w*|let|allow\w*|respond\w*|answer\w*|"
    r"open\w*|start\w*|play\w*|deliver\w*|turn(?:ed)? up|come|came|help\w*|process\w*|"
    r"acknowledg\w*|reply|replied|accept\w*|order|use|access|log ?in|sign ?in|find|available)|"
    r"(?:cancel|close|leave|leaving|switch(?:ing)?) (?:my|our|to)\b|"
    r"(?:I|we) (?:want|need|demand|expect) (?:a|my|our|the|to|you)\b)",
    re.IGNORECASE,
)
#: what shows the customer's problem is still live: a state that goes on now ("still",
#: "stuck", "sitting at the gate", "is delayed", "can't log in", "no ETR") or something asked
#: of us ("please", "can you", "I want a refund", "when will…"). A vent about what is over
#: ("the train left early", "crushed knees on my flight") or about taste has none of them.
LIVE = re.compile(
    r"\b(?:still|stuck|stranded|sitting|waiting|(?:been |on )hold|right now|currently|"
    r"at the moment|atm|tonight|(?<!was )(?<!were )(?<!been )delay(?:ed|s)?|no (?:gate|service|"
    r"internet|power|signal|wi-?fi|connection|update|news|word|eta|etr|info\w*|one)|"
    r"eta|etr|(?:is|are|'s|'re|keeps?(?: on)?|been) (?:\w+ )?(?:down|broken|missing|stuck|"
    r"cancell?(?:ed|ing)|not (?:working|loading|showing|arriving)|out)|"
    r"(?:can't|cannot|can not|unable to|won't|doesn't|don't|isn't|aren't|not) "
    r"(?!(?:believe|wait|stand|imagine|understand|even|be bothered)\b)(?:\w+ )?"
    r"(?:work|working|works|load\w*|connect\w*|get|log ?in|sign ?in|access|use|order|find|"
    r"book|rebook|check ?in|pay|open|play|see|reach|receive|download|stream|watch|call|"
    r"change|cancel|board|leave|fly|travel|afford)\b|"
    r"please|pls|plz|help|(?:can|could|will|would) (?:you|u|someone|somebody|anyone|we|I)\b|"
    r"when (?:will|can|is|are|do|does|should)|how (?:do|can|long|much longer)|"
    r"what (?:do|should|can) (?:I|we)|where (?:is|are|do|can)|where's|any (?:update|news|word|"
    r"idea|eta)|(?:I|we) (?:need|want|demand|expect|would like|'d like) (?:a|an|my|our|the|you|"
    r"someone|help|answers?|refund|compensation|to (?:know|speak|talk|get|be|have|cancel|"
    r"change|rebook)))\b",
    re.IGNORECASE,
)
#: the customer has left or cancelled, or will not be back: a vent with nothing to act on
#: (unless they still ask for something)
GONE = re.compile(
    r"\b(?:never again|(?:I|we)(?:'ve| have)? (?:just |already )?cancell?ed (?:my|our|the)|"
    r"(?:not|never|won't be|will never be) (?:\w+ )?(?:flying|using|buying|shopping|wasting|"
    r"coming back|ordering)\b[^.!?]*\bagain|switch(?:ed|ing) to|(?:I'm|I am|we're|we are) "
    r"done with|time to (?:shred|cancel|switch|leave|cut)|goodbye|last time)\b",
    re.IGNORECASE,
)
#: something asked of us, which keeps a problem live even when the customer is leaving
ASKED = re.compile(
    r"\b(?:please|pls|plz|help|(?:can|could|will|would) (?:you|u|someone)\b|"
    r"(?:I|we) (?:need|want|demand|expect|would like|'d like) (?:a|an|my|our|the|you|someone|"
    r"help|answers?|refund|compensation))\b",
    re.IGNORECASE,
)
#: a restriction explained by what binds us: licensing, rights, the law, a regulator. With
#: an apology it is an adequate answer: there is nothing for either side to act on
RESTRICTION = re.compile(
    r"\b(?:licens\w*|(?:content|distribution|broadcast\w*|streaming|music) rights|rights ?holders?|"
    r"copyright\w*|regulat(?:ions?|ory|ors?)|by law|the law|legal (?:reasons|requirements?)|"
    r"legally|government\w*|FAA|TSA|customs|(?:age|region(?:al)?|geo(?:graphic(?:al)?)?)[- ]"
    r"restrict\w*|not (?:yet )?available in (?:your|the|all|some) (?:country|countries|region|"
    r"regions|area|market|markets))\b",
    re.IGNORECASE,
)
#: the customer says all is well now
SETTLED_BY_CUSTOMER = re.compile(
    r"\b(?:resolved|sorted|fixed|working (?:again|now|fine)|works (?:again|now|fine)|"
    r"it worked|got it (?:working|sorted|fixed)|all good|problem solved|no problem|"
    r"no worries|never mind|nvm)\b", re.IGNORECASE)
#: a reply that answers a problem with an apology, a refusal or a brush-off: where a next
#: step is missed most ("Sorry for the delay.", "There's nothing more we can do.")
DEAD_END = re.compile(
    r"\b(?:sorry|apolog\w*|regret\w*|unfortunately|afraid|inconvenien\w*|frustrat\w*|"
    r"disappoint\w*|saddened|(?:sad|hate) to (?:hear|see)|(?:don't|do not|never) (?:like|want) "
    r"(?:to (?:hear|see)|you to)|(?:can't|cannot|can not|couldn't|won't|unable to|not able to|aren't able to|"
    r"isn't possible|not possible|no longer|don't have|do not have|nothing (?:more|else|further))"
    r"|out(?:side)? (?:of )?our control|not (?:eligible|supported|available|covered)|"
    r"isn't (?:eligible|supported|available|covered)|policy|"
    r"(?:appreciate|thanks? (?:\w+ )?for|thank you for) (?:\w+ ){0,2}(?:feedback|concerns?|"
    r"comments?|patience|understanding|input|thoughts))", re.IGNORECASE)
#: in a reply without the customer's message, what shows the customer had a problem
PROBLEM_NAMED = re.compile(
    r"\b(?:trouble|issue|problem|complaint|error|fault|delay(?:ed)?|missing|damaged|broken|"
    r"faulty|cancell?ed|overcharged|charged twice|outage|stuck|late)\b", re.IGNORECASE)
#: common English words: a reply with almost none of them is in another language
ENGLISH = frozenset(
    "the a an to of and in on for is are be we you your i it this that with our us my me "
    "have has will can please sorry thanks thank hi hello at from as not do if so".split())


def _english(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return len(words) < 4 or sum(w in ENGLISH for w in words) >= 0.15 * len(words)


def _part_of_thread(author: str) -> bool:
    """A reply split over several posts: "1/2", "2:", a lone "2" before the tag, a text that
    opens mid-sentence (lower case after the handles) or stops with "…". Its next step may
    be in the other part."""
    text = HANDLES.sub("", author).strip()
    tag = signed_with_tag(text)
    body = text[: tag.start()].strip() if tag else text
    return bool(THREAD.search(text) or PART_NUMBER.match(body) or PART_NUMBER_END.search(body)
                or CONTINUED.search(body) or CONTINUING.match(body)
                or (body[:1].islower() and not body.startswith(("i ", "iphone")))
                or body.endswith(("...", "\u2026")))


HANDLES = re.compile(r"^(?:\s*[@.]\w+)+")
PART_NUMBER = re.compile(r"\d\s*[:/)]")
PART_NUMBER_END = re.compile(r"(?:^|\s)\d\s*$")
#: a post that goes on in the next one: ">>", ">>>", "(cont)", "cont'd", "1 of 2", "more below"
CONTINUED = re.compile(
    r"(?:>{2,}|\u00bb|\u2192|->|\(?\b(?:cont(?:'d|inued)?)\b\.?\)?|\b[1-8] of [2-9]\)?)"
    r"\W*$|\b[1-8] of [2-9]\b", re.IGNORECASE)
#: a post that goes on from the previous one: ">>", "...", "…" before its first word
CONTINUING = re.compile(r"(?:(?<!>)>{2,}+|(?<!\.)\.{2,}+|\u2026|\u00bb)\s*+\w")


def _customer_has_problem(doc) -> bool | None:
    """True or False when the customer's message is there; None when it is not."""
    customer = doc.customer_text.strip()
    if not customer:
        return None
    if not PROBLEM.search(customer):
        return False
    if SETTLED_BY_CUSTOMER.search(customer) and not DEAD_END.search(customer):
        return False
    if GONE.search(customer):
        return bool(ASKED.search(customer))
    return bool(LIVE.search(customer))


def _last_sentence(doc) -> tuple[int, int] | None:
    """The last sentence of the body, without the agent's sign-off tag ("^HSB", "-Becky"):
    the tag is not a sentence, and a closing word left before it ("Thanks") is skipped."""
    text = doc.prose
    limit = len(text.rstrip())
    tag = signed_with_tag(text[:limit])
    if tag:
        limit = tag.start()
    spans = []
    for z in doc.zones:
        if z.kind in (ZoneKind.BODY, ZoneKind.GREETING):
            for s in sentences_in(text, z.start, z.end):
                start, end = z.start + s.start, min(z.start + s.end, limit)
                while end > start and text[end - 1] in " \t\n,;:-\u2013\u2014":
                    end -= 1
                if end > start:
                    spans.append((start, end))
    for start, end in reversed(spans):
        if len(re.findall(r"\w+", text[start:end])) > 2:
            return start, end
    return spans[-1] if spans else None


@check("next-step.missing", "NXT001", Severity.WARNING, default_enabled=False, options=[
    Option("min_words", int, 8, "replies shorter than this are not judged"),
])
def missing(doc, options):
    """A customer with a problem gets an apology or a refusal and no next step.

    ## What it does
    Fires when the customer has a problem that is still live and that the reply has to move
    forward — a delay they are sitting in, something that still does not work, a wait, a
    plea for help, something asked of us ("can you…", "I want a refund") — and the reply
    answers it with an apology, a refusal or a brush-off ("Sorry for the delay", "There's
    nothing more we can do", "We appreciate your feedback") but says nothing about what
    happens next. Flags the last sentence of the body (the agent's sign-off tag, such as
    "^JB" or "-Becky", is not a sentence).

    Anything that tells the customer what happens next counts, in whatever form: a
    commitment ("I'll send the tracking number by Friday", "the Fleet team will get back to
    you"), a statement of what will happen ("ordering will be back tomorrow", "your card was
    posted today and should arrive within three working days", "the change takes effect at
    midnight"), feedback passed on or logged, "one moment while I take a look", a handoff to
    DM, an action or a question for the customer ("take the bag to an airport agent",
    "reboot and report back", "could you send a screenshot?"), a link to follow, or a
    settled state ("you're all set", "nothing else is needed from you", "the topic is
    closed, which means…"). A hope ("we hope to have you on your way soon") and an open
    offer ("let me know if you have any questions") are not next steps. So is work under
    way ("the IT team is working on it"), a phone number, opening hours or a place to go
    ("call 0800 123 4567", "damage must be assessed in person by airport personnel").

    Replies to thanks, praise, banter or a simple question are not judged: they need no
    next step. Nor are replies to a customer who only vents about what is over (a train
    that left early, a past flight), gives feedback on taste, or has left or cancelled
    ("never again", "time to shred the card"): an apology, an explanation or a thank-you for
    the feedback is an adequate close. A restriction explained (licensing, the law) is not
    judged either: there is nothing to act on. Without the customer's message (no context and no quoted text), the reply
    must itself show the problem — an apology, a refusal, or a named fault ("the trouble
    with your invoices") — or it is not judged. Parts of a reply split over several posts
    ("1/2", ">>>" at the end, "…") and replies not in English are not judged.

    ## Why is this bad?
    A customer who is stuck and gets only "sorry" has to write again to find out whether
    anything will happen. Naming the action, who takes it and when, closes the loop.

    ## Example
    ```text
    > My flight was cancelled and nobody at the desk can rebook me.
    I'm so sorry about the cancellation. We understand how frustrating this is.
    ```

    ## Use instead
    ```text
    I'm so sorry about the cancellation. I've rebooked you on tomorrow's 9:40 flight; the
    new boarding pass is in your email.
    ```
    """
    text = doc.prose
    if word_count(text) < options["min_words"] or not _english(text):
        return
    problem = _customer_has_problem(doc)
    if problem is False:
        return  # thanks, praise, banter, a simple question: no next step needed
    dead_end = DEAD_END.search(text)
    if problem is None and not (dead_end or (doc.channel != "macro"
                                             and PROBLEM_NAMED.search(text))):
        # No customer message, and the reply shows no problem to move forward (in a saved
        # reply of an issue tracker, "issue" names the ticket, not a fault)
        return
    if problem and not dead_end:
        return  # an answer or an explanation, not an apology or a refusal
    if RESTRICTION.search(text):
        return  # a restriction explained (licensing, the law): nothing to act on
    if LINK.search(doc.author_text):
        return  # "Here's how: <link>": reading it is the customer's next step
    if _part_of_thread(doc.author_text):
        return  # "1/2": the next step may be in the other part
    if any_step(text):
        return
    span = _last_sentence(doc)
    if span and span[1] > span[0]:
        yield Hit(span[0], span[1], "No next step: say what you will do and when, what the "
                  "customer should do, or what to expect now",
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


#: a time in words, beyond ``TIME``: "right away" is a time
IMMEDIATELY = Prefiltered(re.compile(
    r"\b(?:right away|straight ?away|immediately|right now|instantly|at once|"
    r"in (?:a|one) (?:moment|minute|sec(?:ond)?)|this (?:morning|afternoon|evening))\b",
    re.IGNORECASE,
))
#: what someone else decides: "we'll be able to", "depends on the partner", "once the
#: carrier confirms" — with a wish (clauses.HEDGE), honest hedging, not a vague promise
OTHERS_DECIDE = Prefiltered(re.compile(
    r"\b(?:(?:will|'ll) be able to|depend(?:s|ing)? on|up to (?:the|our) \w+|"
    r"licens\w*|third[- ]party|partners?|once (?:they|the \w+) )\b",
    re.IGNORECASE,
))
#: what happens *to* the customer's issue or account, not for them: a stale-issue
#: template's "this will be closed soon" is a warning, not a promise
ADMINISTRATIVE = Prefiltered(re.compile(
    r"\b(?:will|'ll) (?:be )?(?:automatically |then )?(?:closed?|lock(?:ed)?|marked|"
    r"archived?|ignored?|removed?|deleted?|dropped|unassigned|labell?ed|stale)\b",
    re.IGNORECASE,
))


@check("next-step.vague-timeline", "NXT002", Severity.WARNING, default_enabled=False,
       channels=("email", "chat"))
def vague_timeline(doc, options):
    """Our own promise with no time: "we'll fix it soon", "we'll get back to you".

    ## What it does
    Flags "soon", "shortly", "ASAP", "as soon as possible", "in a while", "at some point",
    "in due course" in a sentence where we promise something, and "we'll get back to you" (or
    "be in touch", "follow up", "update you") with no time at all. "Right away",
    "immediately" and "now" are times.

    It judges only the agent's own commitments: a hedge about what someone else decides
    ("hopefully soon", "fingers crossed we'll be able to add it soon", a partner's or a
    licensor's process) is honest, not a vague promise, and what will happen *to* an issue
    ("this issue will be closed soon if there is no activity", a stale-issue template) is a
    warning, not a promise. Public social replies are not judged: "we'll DM you as soon as
    possible" is how a public reply hands over, and the timeline belongs in the private
    conversation. Nor are saved replies (macros): a template sent to every case cannot name
    one case's time ("thanks for the pull request, we will review it soon"); the agent who
    sends it can.

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
        if HEDGE.search(chunk) or OTHERS_DECIDE.search(chunk) or ADMINISTRATIVE.search(chunk):
            continue
        vague = VAGUE.search(chunk)
        if vague:
            yield Hit(s.start + vague.start(), s.start + vague.end(),
                      f"'{vague.group()}' is not a time: commit to a definite one",
                      ("by <day and time>",))
        else:
            back = GET_BACK.search(chunk)
            if back and not TIME.search(chunk) and not IMMEDIATELY.search(chunk):
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


#: what nobody controls: that a fault never recurs, that a courier delivers perfectly, that a
#: fix is certain. Words are capped at 40 letters so that every match is short: on a long
#: text only the stretches around its needles are searched (``Prefiltered``)
OUTCOME = (r"(?:arrive|arrives|fixed|resolved|solved|sorted|repaired|restored|delivered|"
           r"perfect|work|works|never|again|on time|in time|ever)")
PROMISE = Prefiltered(re.compile(
    r"\b(?:this|it|that) (?:will|won't|'ll) never (?:happen|occur) again\b|"
    r"\bnever (?:happen|occur) again\b|\bnothing like this will (?:ever )?happen\b|"
    r"\bwon't (?:ever )?happen again\b|\b(?:will|'ll) (?:not|never) (?:ever )?(?:see|have) "
    r"(?:this|that|another|the same) (?:\w{1,40} )?(?:again|problem|issue)\b|"
    r"\byou(?:'ll| will) never (?:have|see|get|experience) (?:\w{1,40} )?(?:again|problem|issue)\b|"
    r"(?:,|\bis|\bare) guaranteed\b(?! (?:delivery|refund|returns?|minimum)\b)|"
    rf"\b(?:I|we) (?:can )?(?:guarantee|promise)\b(?= (?:\w{{1,40}} ){{0,7}}?{OUTCOME}\b)|"
    r"\bguaranteed? (?:to|that|you)\b|"
    r"\b100 ?% (?:sure|certain|guaranteed?|fixed|resolved|safe|secure)\b|\bI'm 100 ?%|"
    r"\b(?:will|'ll) (?:\w{1,40} ){0,2}(?:fix|resolve|repair|restore|solve|sort)\w{0,3} "
    r"(?:\w{1,40} ){0,3}(?:immediately|instantly|right away|straight away)\b|"
    r"\b(?:will|'ll) (?:definitely|certainly|absolutely) (?:be )?(?:fix|resolv|solv|sort)\w{0,20}",
    re.IGNORECASE,
))


@check("next-step.over-promise", "NXT003", Severity.WARNING, default_enabled=False)
def over_promise(doc, options):
    """A promise of an outcome nobody controls: "it will never happen again", "100% fixed".

    ## What it does
    Flags promises of outcomes that depend on others or on chance: "this will never happen
    again", "I guarantee / promise" followed by an outcome ("I promise it will arrive in
    perfect condition"), "100% sure / fixed", a fix promised "immediately" or "definitely".

    Routine commitments about our own next action are not flagged, whatever their haste: "our
    team will connect right away", "we'll call you shortly after your DM" are how a handoff
    is worded. Nor is "I promise" in an empathy line ("I promise we understand"), or a
    promise declined ("I can't guarantee it will arrive on time", which is honest).

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
    text = unwrap(doc.prose)
    for m in PROMISE.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()] + m.group()
        if DECLINED.search(before):
            continue  # "I can't promise it'll never happen again": honest, not a promise
        yield Hit(m.start(), m.end(), f"'{m.group()}' over-promises: commit to the next action "
                  "and a time you control instead")


#: a promise declined: "we can't guarantee", "there's no guarantee", "I won't promise"
DECLINED = re.compile(
    r"\b(?:can't|cannot|can not|couldn't|could not|won't|unable to|not able to|no|not|never)"
    r"\s+(?:\w+\s+){0,2}(?:guarantee|promise)\w*\b[^.!?]*$", re.IGNORECASE)


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


#: a reply that opens with an answer: "Correct.", "Yes, …", "Not yet – …"
ANSWER_OPENING = re.compile(
    r"^\W*(?:yes|yep|yeah|no|nope|correct|right|exactly|absolutely|definitely|sure|of course|"
    r"indeed|unfortunately|not (?:yet|at the moment|currently|right now)|that's right|"
    r"that is right|it is|it's|they are|they're|we do|we don't|we are|we're not|there is|"
    r"there isn't|there's no)\b", re.IGNORECASE)
#: the reply says where the answer is, or that there is none yet: "no date yet, news will be
#: on the site", "your local store can check", "we don't have that information"
ANSWER_ELSEWHERE = re.compile(
    r"\b(?:no (?:date|news|information|info|details|eta|update)s?(?: \w+)? (?:yet|at the moment|"
    r"right now|to share)|(?:don't|do not) have (?:that|this|any) (?:information|info|news|"
    r"details|date)|local (?:store|branch|shop|restaurant|team|office)|on (?:our|the) "
    r"(?:site|website|app|blog|page)|keep an eye on)\b", re.IGNORECASE)
#: "?!" and "!?" are exclamations, not questions
EXCLAIMED = re.compile(r"\?\s*+!|!\s*+\?")


@check("next-step.unanswered-question", "NXT004", Severity.WARNING, options=[
    Option("min_words", int, 10, "replies shorter than this are not judged"),
], default_enabled=False)
def unanswered_question(doc, options):
    """The customer asked questions and the reply addresses none of them.

    Off by default: whether a reply answers a question is a matter of meaning, not of shared
    words. On public social replies a blind judge agreed with few of its findings ("Correct."
    answers a question without repeating it; "the store closes at 10 p.m." answers "what
    time does it end?"), so it is available only when selected by its code.

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
    customer = doc.customer_text
    asked = ([q.group() for q in QUESTION.finditer(customer)
              if not EXCLAIMED.match(customer, q.end() - 1)][:8]
             if "?" in customer else [])
    text = doc.prose
    if not asked or word_count(text) < options["min_words"] or "?" in text:
        return
    if any_clause(text, ("request",)) or LINK.search(doc.author_text):
        return  # asking for details or pointing to an answer counts as engaging
    if _part_of_thread(doc.author_text) or not _english(text):
        return  # the answer may be in the other part of a split reply
    opening = HANDLES.sub("", text).strip()
    if ANSWER_OPENING.match(opening) or ANSWER_ELSEWHERE.search(text) or any_step(text):
        return  # an answer, where to find one, or a handoff (to DM, to a team)
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
