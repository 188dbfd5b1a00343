"""The ``empathy`` family: acknowledging an upset customer, without hollow over-apology.

The customer's message comes from ``Document.customer_text``: ``--context FILE``, the API's
``context=``, or the quoted history in the draft.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterator

from ..declarative import phrase_pattern
from ..hookspecs import hookimpl
from ..model import GROUP_TEXTS, Hit, Option, Severity, check
from ..phrasescan import Prefiltered

# Cues that a customer is frustrated, angry or distressed, with weights: a severe word (3) or a
# strong one (2) is enough on its own, weaker signals must add up.
SEVERE = (
    r"ridiculous|unacceptable|outrageous|disgusting|disgraceful|pathetic|appalling|shocking|"
    r"furious|livid|fuming|infuriat\w*|"
    # "battery life just got worst" is "worse" misspelt: a comparison, not a verdict
    r"(?<!got )(?<!get )(?<!gets )(?<!getting )(?<!even )(?<!much )(?<!way )worst|"
    r"horrible|horrendous|terrible|awful|disaster\w*|"
    r"(?:is|what) a joke|rip[- ]?off|shame on you|how dare|useless|incompetent|"
    r"fed up|sick (?:and tired )?of|hung up on|nobody (?:cares|answers|helps|responds)|"
    r"no one (?:cares|answers|helps)|(?:second|third|fourth|fifth|2nd|3rd|4th|5th|"
    r"\d+(?:st|nd|rd|th)) time|"
    r"waited (?:for )?(?:over |almost |nearly )?\d+\s*(?:hours?|hrs?|days?|weeks?)|"
    r"(?:this|that|it)(?:'s|’s| is) (?:such )?(?:bullshit|bs|crap|a scam)|"
    r"ludicrous|(?:you|y'?all|u) (?:guys |all )?suck|(?:charged|billed) (?:twice|double|again)"
)
# Distress counts whoever caused it ("someone hacked my account"), so it is never discounted as
# anger at a third party.
DISTRESS = (
    r"devastated|heartbroken|distraught|terrified|freaking out|in tears|crying|hacked|"
    r"lost (?:all|everything)"
)
DISTRESSED = (
    r"upset|desperate|panick\w*|scared|worried|anxious|stressed|gutted|sad"
)
STRONG = (
    r"angry|pissed|frustrat\w*|tired of|disappoint\w*|let down|stupid|"
    r"for (?:days|weeks|months|hours)|again and again|over and over|"
    r"(?:been|waiting|waited|over|for over|for the (?:past|last)|after) "
    r"(?:\d+\+?|two|three|four|five|six|several|many) "
    r"(?:weeks|months|years)|"
    r"waited (?:for )?(?:over |almost |nearly )?\d+\s*min\w*|"
    # the runaround: the same problem raised with several people or many times
    r"(?:\d+|two|three|four|five|several|multiple|numerous) (?:(?:different )(?:people|agents|reps|"
    r"representatives|answers|stories)|calls|phone calls|tweets|emails|messages|chats)"
)
# "Still not working" is the normal state of an ongoing troubleshooting thread: on its own it is
# mild impatience, a weak cue that counts only beside a strong word.
STILL = (
    r"still (?:waiting|no|not|nothing|haven't|hasn't|can't|cannot|don't|doesn't)"
)
# Swearing is anger only when it is aimed at us ("fix your fucking towers", "sort it out") or
# at a problem ("my DVR is fucking up and won't record"): "saved my fucking time", "Spring ain't
# shit" are casual, and a hashtag ("#fucklyft") is a slogan about someone else.
PROFANE = (
    r"(?<!#)(?:wtf|what the (?:hell|heck|fuck)|f+u+c+k+\w*|shit\w*|crap|damn|bs|bullshit|screw\w*)"
)
PROBLEM_RE = re.compile(
    r"(?<![\w'])(?:won'?t|can'?t|cannot|doesn'?t|don'?t|didn'?t|isn'?t|wasn'?t|weren'?t|haven'?t|"
    r"hasn'?t|not working|broken|fail\w*|down|error|nowhere|unable|impossible|locked out|"
    r"not allowed|"
    r"stop\w*|never|still|again|wrong|cancel\w*|charged|lost|missing|no (?:service|signal|wifi|"
    r"internet|response|answer|reply))(?![\w'])", re.IGNORECASE)
AT_US = re.compile(
    r"(?<![\w'])(?:you|your|you're|youre|yours|y'?all|ya'?ll|u|ur|sort|fix|stop)(?![\w'])",
    re.IGNORECASE)
WEAK = (
    rf"{STILL}|never|no response|no answer|no reply|still|again|already|waste|wasted|waiting|lost my|"
    r"scam\w*|fraud\w*|stolen|"
    r"cancel\w*|refund|charged|billed|annoy\w*|hate|unhappy|not happy|poor|bad|wrong|broken|urgent\w*|"
    r"asap|immediately|seriously|really\?"
)
DISTRESS_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{DISTRESS})(?![\w'])", re.IGNORECASE))
DISTRESSED_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{DISTRESSED})(?![\w'])", re.IGNORECASE))
SEVERE_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{SEVERE})(?![\w'])", re.IGNORECASE))
STRONG_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{STRONG})(?![\w'])", re.IGNORECASE))
PROFANE_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{PROFANE})(?![\w'])", re.IGNORECASE))
# "very frustrating", "SO disappointed": an intensified feeling is one step more upset; a hedged
# one ("rather frustrating", "kind of ridiculous", "a bit annoying") is mild.
INTENSIFIED = re.compile(
    r"(?:extremely|very|highly|incredibly|absolutely|utterly|completely|totally|beyond|so|really|"
    r"truly|seriously|super)\s+$", re.IGNORECASE)
HEDGED = re.compile(
    r"(?:kind of|kinda|sort of|sorta|a (?:little )?bit|a little|rather|somewhat|slightly|"
    r"mildly|a tad|bit|almost|nearly)\s+(?:\w+\s+)?$", re.IGNORECASE)
# Distress the customer is unsure of ("I think my account might have been hacked") is mild.
UNSURE = re.compile(
    r"(?:(?<![\w'])(?:I think|I guess|maybe|possibly|probably|perhaps)(?![\w'])[^.!?]{0,40}|"
    r"(?:might|may|could) (?:have )?(?:been |be )?(?:got |gotten )?)$", re.IGNORECASE)
# A calm report of a problem dated in the past ("hacked about 11 days ago", "got hacked this
# weekend", "changed it a few months ago") is not a live upset: with no anger word, no swearing
# and no shouting, it is answered with the fix. "Still" makes it live again.
PAST = re.compile(
    r"(?<![\w'])(?:ago|a while back|last (?:night|week|weekend|month|year)|"
    r"(?:this|over the) (?:past )?weekend|the other day)(?![\w'])", re.IGNORECASE)
LIVE = re.compile(r"(?<![\w'])(?:still|again)(?![\w'])", re.IGNORECASE)
# Feeling words that are anger or disappointment aimed at someone (not worry or a long wait).
FEELING = re.compile(
    r"(?<![\w'])(?:angry|pissed|frustrat\w*|tired of|disappoint\w*|let down|stupid|annoy\w*|"
    r"hate|unhappy|not happy)(?![\w'])", re.IGNORECASE)
# "I'm not frustrated, just sad": a negated cue is no cue.
NEGATED = re.compile(r"(?:(?<![\w'])not|n't|(?<![\w'])no longer)\s+"
                     r"(?:(?:so|very|really|that|too|even|just)\s+)?$", re.IGNORECASE)
# A feeling word whose subject is someone else ("the attendant was tired of…", "he got angry")
# is not the customer's feeling.
OTHER_FEELER = re.compile(
    r"(?<![\w'])(?:he|she|they|(?:the|an?|that|this|your|our) (?:\w+ )?(?:attendant|driver|agent|"
    r"rep|representative|cashier|staff|employee|worker|waiter|waitress|server|technician|tech|"
    r"guy|lady|man|woman|person|manager|clerk|associate|pilot|crew|host|courier|officer|"
    r"security|lady|people))\s+(?:was|is|were|are|seemed|seems|looked|looks|got|gets|sounded|"
    r"sounds|became|acted|acts)\s+(?:\w+\s+)?$", re.IGNORECASE)
WEAK_RE = Prefiltered(re.compile(rf"(?<![\w'])(?:{WEAK})(?![\w'])", re.IGNORECASE))
# Warmth towards us lowers the score: "I love you guys, but…" is not an angry customer.
WARM_RE = Prefiltered(re.compile(
    r"(?<![\w'])(?:love|thanks|thank you|great|awesome|amazing|appreciate\w*|"
    r"please don't take this wrong)(?![\w'])", re.IGNORECASE))
# A customer who is laughing, joking or delighted is not upset, whatever the "!!" or swearing.
PLAYFUL_RE = re.compile(
    r"(?<![\w'])(?:lol+|lmf?ao+|rofl|haha\w*|hehe\w*|jk|kidding|joking|ecstatic|delighted|"
    r"just kidding|excited|yay+|woo+hoo+|(?<!not )(?<!n't )(?:glad|happy)|so cool|petty|"
    r"bants|banter|hilarious|relieved|phew|thankful|grateful|(?:works|working|fixed|sorted) now|"
    r"(?:thank you|thanks) (?:so|very) much|all (?:good|sorted|set) now)(?![\w'])"
    r"|[😂🤣😊😁😄😆😅😉😜😛😝🙃😍🥰😘🤗🎉🥳❤♥💕💜💙]|(?<!\w)(?::\)|:-\)|:D|;\)|xD)(?!\w)",
    re.IGNORECASE)
# A one-line fix of the customer's own earlier post ("Shit wrong one", "*their", "typo, I meant")
SELF_CORRECTION = re.compile(
    r"(?<![\w'])(?:wrong (?:one|link|pic\w*|photo|image|screenshot|number|tweet|account|post)|"
    r"typo|i meant|meant to say|meant to (?:write|tag|send)|correction|my bad|oops|whoops|"
    r"ignore (?:that|the last|my last|previous))(?![\w'])|^\s*(?:@\w+\s+)*\*\w+",
    re.IGNORECASE)
SELF_CORRECTION_WORDS = 15
#: how much each laugh, joke or delight marker lowers the score: outweighs one severe word
PLAYFUL = 3
#: a score this much over the threshold is more than mild annoyance: a warm offer is not enough
MILD_MARGIN = 1
# Anger at someone else (a seller, a scalper, other people, another company) is not anger at us:
# a strong word in a sentence that names a third party and never addresses us does not count.
THIRD_PARTY = re.compile(
    r"(?<![\w'])(?:(?:re)?sellers?|scalpers?|scammers?|profiteers?|gougers?|gouging|"
    r"other (?:customers|passengers|users|people|companies|sites|stores)|"
    r"competitors?|hackers?|thie(?:f|ves)|bots?)(?![\w'])",
    re.IGNORECASE)
# Words in quotation marks are someone else's (a help page, a pop-up, an alert): not the mood.
QUOTED = re.compile(r'"[^"\n]{1,200}"|“[^”\n]{1,200}”')
# A later part of a reply split over several posts ("2/2", "...to shift."): the acknowledgement
# belongs to the first part, which this part cannot see.
LATER_PART = re.compile(r"(?:^|\s)[(\[]?[2-9]/[2-9][)\]]?(?=[.,;!]?(?:\s|$))"
                        r"|^\s*(?:@\w+\s+)*(?:\.\.\.|…)\s*\w")
# A reply that continues a conversation already under way ("we have received your DM", "a member of
# our team has reached out", "were you able to…", "as previously advised", "we're still here"):
# the acknowledgement belongs to an earlier message.
FOLLOW_UP_REPLY = re.compile(
    r"(?<![\w'])(?:(?:received|got|saw|seen|read|replied to|replying to|responded to|answered|"
    r"answering) your (?:DM|PM|message|email|reply|ticket)|"
    r"(?:has|have|had) (?:already |now )?(?:reached out|contacted you|called you|emailed you|"
    r"responded|replied|been in touch|followed up)|"
    r"(?:my|our) colleagues? (?:has|have|had|was|were|is|are|did|may|might|could|would)|"
    r"(?:as|we) (?:previously|already) (?:advised|mentioned|said|stated|explained|provided)|"
    r"(?:previously|already) (?:provided|advised|mentioned|sent|shared)|"
    r"(?:still|always) here (?:to|for)|following up|just checking in|checking back|"
    r"(?:wanted|want) to (?:check|follow up|see) (?:in |back )?(?:if|whether|how)|"
    r"(?:were|have) you (?:been )?(?:able|managed) to|did (?:that|this|it) (?:help|work)|any luck)"
    r"(?![\w'])", re.IGNORECASE)
# A customer message that answers the agent ("Ok. It's been…", "Already did…", "No. Did not
# receive…", "And here is my speed", "Still not working"): a thread in progress. Only a far
# stronger upset than usual asks for a fresh acknowledgement there.
FOLLOW_UP_CUSTOMER = re.compile(
    r"^\s*(?:[@.]\S+\s+)*(?:ok(?:ay)?|no|nope|yes|yeah|yep|already|and|also|so why|i did|"
    r"did that|done that|tried that|still|update)(?![\w'])", re.IGNORECASE)
#: in a thread in progress, an upset score must be this many times the threshold
FOLLOW_UP_FACTOR = 2
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
# Marks that shout: a run of "!" (with or without "?"), angry or crying faces, capitals. Each kind
# counts once: "!!!!! !!" is one loud mark, and a run of only "?" is puzzlement, not anger.
PUNCT_RE = re.compile(r"(?<![!?])(?=[!?]*!)[!?]{2,}+")
ANGRY_FACE_RE = re.compile(r"😡|😠|🤬|😤|👎")  # unambiguous: strong
FACE_RE = re.compile(r":\(|😢|😭|😞|😩|☹")  # sad, or crying with laughter: one loud mark
CAPS_RE = re.compile(
    r"(?<![\w'])(?:NEVER|AGAIN|NOT|STILL|NOTHING|NOBODY|WHY|NOW|ALWAYS|REALLY|DIDN'T|DON'T|"
    r"CAN'T|WON'T|WORST|ANGRY|UNACCEPTABLE|RIDICULOUS|SERIOUSLY)(?![\w'])"
    r"|(?:(?<![\w'])[A-Z]{2,}[ ,]+){2,}[A-Z]{2,}(?![\w'])"
)

ACKNOWLEDGE = Prefiltered(re.compile(
    r"(?<![\w'])(?:sorry|apolog\w*|regret\w*|understand\w*|understandabl[ey]|frustrat\w*|"
    r"that sounds|sounds (?:like|really|so|very)|I can (?:only )?imagine|I hear you|we hear you|"
    r"I get (?:it|that|why|how)|(?:hate|sad|sorry|unhappy|concerned|upset|saddened|troubled) "
    r"to (?:hear|see|learn|read)|where you(?:'re| are) coming from|difficult time|"
    r"not the (?:\w+ of )?experience|not (?:what|how) we|not okay|not ok|not good enough|"
    r"must (?:be|have been)|feel your pain|see why|know how|bummer|oh no|not ideal|"
    r"make (?:this|it|things) right|thank\w* for (?:your|bearing|being) (?:patience|patient|with)|"
    r"appreciate (?:your|you) (?:patience|being patient|bearing)|we're here|I'm here|"
    r"concern\w*|inconvenien\w*|trouble|hassle|disappoint\w*|empathi[sz]e|sympathi[sz]e|"
    # engaging with the complaint itself is acknowledgement: asking what went wrong, wanting to
    # win the customer back, not wanting them to feel this way, thanking them for raising it
    r"what(?:'s|’s| is) going on\?|what (?:went|is going|has gone) wrong|what happened\?|"
    r"(?:don't|do not|never) want (?:you|our \w+) to (?:feel|be|think|have|go)|"
    r"turn (?:this|that|things|it|those \w+) around|(?:chance|opportunity) to (?:make|fix|put|"
    r"set|turn|win|earn|improve|do better)|"
    r"appreciate (?:you|your) (?:letting|bringing|flagging|raising|pointing|looking out|"
    r"telling|sharing this)|"
    r"(?:thanks|thank you) for (?:bringing|flagging|raising|pointing) (?:this|that|it)|"
    r"(?:thanks|thank you) for (?:the heads[- ]up|letting us know))"
    r"(?![\w'])",
    re.IGNORECASE,
))
# Informal sympathy counts too: an exclamation ("oh no", "yikes", "uhhh"), a verdict on the
# situation ("that's awful", "what a nightmare", "that's definitely a crazy situation", "very
# odd"), hearing or sharing the feeling ("I can hear how worrying this is", "I'd be fed up
# too", "we don't like to hear this", "heart breaking to hear").
BAD_THING = (
    r"awful|terrible|horrible|dreadful|insane|crazy|nuts|wild|mad|nightmare\w*|distressing|"
    r"heart ?breaking|heartbreaking|upsetting|worrying|worrisome|scary|stressful|annoying|"
    r"infuriating|maddening|unfortunate|a shame|a pity|rough|tough|no fun|not fun|not good|"
    r"not great|not right|not cool|not acceptable|unacceptable|odd|strange|weird|bizarre|"
    r"concerning|alarming|troubling|a pain|painful|a mess|messy|a headache|an ordeal|a bummer|a drag|lame|"
    r"rubbish|the worst|sad|a letdown|a let down|disappointing|frustrating|not what you|not how"
)
INFORMAL_ACK = Prefiltered(re.compile(
    rf"(?<![\w'])(?:"
    rf"(?:that|this|it|which)(?:'s|’s| is| was| seems| looks| has been)?\s+"
    rf"(?:\w+\s+){{0,2}}?(?:{BAD_THING})|"
    rf"(?:what|such) an? (?:\w+\s+)?(?:nightmare|pain|mess|hassle|shame|pity|bummer|headache|"
    rf"ordeal|drag|letdown|experience|situation|day)|"
    rf"how (?:\w+\s+)?(?:{BAD_THING})|(?:very|so|really|super|pretty) (?:{BAD_THING})|"
    rf"(?:oh|uh|ah) (?:no+|dear|man|my|boy|wow|snap)|uh[- ]?oh|yikes|ugh+|oof|eek|ouch|whoa+|"
    rf"u+h+h+|wow|jeez|geez|"
    rf"(?:can|could) (?:hear|see|tell|feel) how|(?:can|could) (?:hear|feel) (?:that|you)|"
    rf"feel (?:for|with) you|"
    rf"(?:I|we)(?:'d| would) (?:be|feel) (?:\w+ )?(?:fed up|frustrated|upset|annoyed|angry|mad|"
    rf"worried|furious|gutted|disappointed|stressed|confused|the same)|"
    rf"(?:don't|do not|never|doesn't) (?:like|want|love) (?:to )?(?:hear|see|read)|"
    rf"not (?:happy|pleased|glad|nice) to (?:hear|see|read)|"
    rf"(?:{BAD_THING}|painful|sad|gutting) to (?:hear|see|read|learn)|"
    rf"take (?:this|it|that|these|your \w+) (?:very |really |extremely )?seriously"
    rf")(?![\w'])",
    re.IGNORECASE,
))
# A warm offer to help ("happy to help", "let us take a look", "we'll make sure to get this
# straightened out") answers mild annoyance well enough; a severe complaint still wants the words.
# A bare "DM us so we can look into this" is not warm.
WARM_HANDOFF = Prefiltered(re.compile(
    r"(?<![\w'])(?:(?:happy|glad|love|here|more than happy|eager) to (?:help|assist|look|take|"
    r"check|get|sort|fix|dig)|we'd love to|I'd love to|"
    r"(?:we|I)(?:'ll| will| (?:definitely |really )?want to) make sure|"
    r"let's (?:get|sort|fix|figure)|(?:we|I) (?:really )?want to help|we've got you|"
    r"got your back|turn (?:this|that|things|those \w+) around)(?![\w'])",
    re.IGNORECASE,
))
APOLOGY = Prefiltered(re.compile(
    r"(?<![\w'])(?:sorry|apolog(?:y|ies|ise|ize|ised|ized|ising|izing)|(?:we|I) regret)(?![\w'])",
    re.IGNORECASE,
))
WORD = re.compile(r"\b\w[\w'\u2019-]*")
# Function words and words every support exchange shares: they do not show that a question
# restates this customer's problem.
COMMON = frozenset("""
a about after again all also am an and any are as at be been being but by can could did do does
for from get got had has have having here how i if in into is it its just let me more my no not
now of on or our out please so some than that the their them then there these they this those to
too up us was we were what when where which while who why will with would you your yours
account app device help issue issues problem problems service support team thing things phone
""".split())

# "Have you tried the recovery steps?" proposes a fix; it does not ask about the problem.
PROPOSES_STEP = re.compile(r"(?<![\w'])(?:try|tried|tries|trying|attempted)(?![\w'])",
                           re.IGNORECASE)


def _stems(text: str) -> set[str]:
    """Content words of ``text``, crudely stemmed ("cutting", "cuts" and "cut" are one)."""
    out = set()
    for w in WORD.findall(text.lower().replace("\u2019", "'")):
        w = w.split("'")[0]
        if len(w) < 3 or w in COMMON or w.isdigit():
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        if len(w) > 3 and w[-1] == w[-2]:
            w = w[:-1]  # "cutt" -> "cut"
        out.add(w)
    return out
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+(?=\s|$)|(?=\n)")  # from a run's start: linear


@lru_cache(maxsize=GROUP_TEXTS)  # the empathy rule and several tone rules ask of one message
def upset_cues(text: str) -> tuple[int, tuple[str, ...]]:
    """How upset a customer message sounds (a score) and the wording that says so.

    Weak cues ("still", "again", "refund") only count beside a strong word: "I already
    cancelled, can I buy it again?" is a question, not a complaint. Loud marks ("!!", 😡,
    capitals) count once per kind. Swearing counts as strong only when the message addresses
    us; strong words in a sentence about a third party (a seller, a scalper, other people) do
    not count. A playful or delighted customer (lol, 😂, "ecstatic") and a short correction of
    the customer's own post ("Shit wrong one") are not upset.
    """
    text = QUOTED.sub(lambda m: " " * len(m.group()), text)  # someone else's words
    text = text.replace("\u2019", "'")  # "don’t" is "don't"
    words = len(WORD.findall(text))
    if words <= SELF_CORRECTION_WORDS and SELF_CORRECTION.search(text):
        return 0, ()
    third = [m.span() for m in SENTENCE.finditer(text)
             if THIRD_PARTY.search(m.group()) and not AT_US.search(m.group())]

    def about_others(m: re.Match[str]) -> bool:
        return any(a <= m.start() < b for a, b in third)

    score, cues, sure, severe = 0, [], False, False

    def add(m: re.Match[str], weight: int) -> None:
        nonlocal score
        score += weight
        if len(cues) < 3 and m.group() not in cues:
            cues.append(m.group())

    taken: list[tuple[int, int]] = []
    for regex, weight, anyone in ((DISTRESS_RE, 3, True), (SEVERE_RE, 3, False),
                                  (DISTRESSED_RE, 2, True), (STRONG_RE, 2, False),
                                  (ANGRY_FACE_RE, 2, True)):
        for m in regex.finditer(text):
            if not anyone and about_others(m):
                continue
            before = text[max(0, m.start() - 60):m.start()]
            if regex is DISTRESS_RE and (HEDGED.search(before) or UNSURE.search(before)):
                taken.append(m.span())
                add(m, 1)  # "almost crying", "might have been hacked": mild
                continue
            if regex is not ANGRY_FACE_RE and regex is not DISTRESS_RE:
                if OTHER_FEELER.search(before) or NEGATED.search(before):
                    continue  # someone else's feeling
                if HEDGED.search(before):
                    taken.append(m.span())
                    add(m, 1)  # mild: counts, but does not make the upset sure
                    continue
                if INTENSIFIED.search(before):
                    score += 1
            sure = True
            severe = severe or regex is SEVERE_RE or regex is DISTRESS_RE
            taken.append(m.span())
            add(m, weight)
            if regex is ANGRY_FACE_RE:
                break  # 😡😡😡 is one angry face
    aimed = AT_US.search(text) is not None or PROBLEM_RE.search(text) is not None
    at_us = [m.span() for m in SENTENCE.finditer(text) if AT_US.search(m.group())]
    for m in PROFANE_RE.finditer(text):
        if not about_others(m):
            sure = sure or aimed
            # sworn at us ("fix your fucking towers") is anger; at a glitch ("wtf can't log
            # on") it is impatience, which needs another cue
            sworn_at_us = any(a <= m.start() < b for a, b in at_us)
            severe = severe or sworn_at_us
            add(m, 3 if sworn_at_us else 2 if aimed else 1)
            if not aimed:
                break  # casual swearing: one mark, however many words
    loud = 0
    for regex in (PUNCT_RE, FACE_RE, CAPS_RE):
        m = regex.search(text)
        if m:
            loud += 1
            add(m, 1)
    sure = sure or loud >= 2  # shouting in capitals with "!!": the weak words count too
    if sure:  # a weak word inside a strong phrase ("still" of "still no") is not counted twice
        for m in WEAK_RE.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                add(m, 1)
    score -= sum(1 for _ in WARM_RE.finditer(text)) + PLAYFUL * len(PLAYFUL_RE.findall(text))
    if not severe and not aimed:
        # "Went to the store dressed as Napoleon Dynamite, the line was out the door. So
        # disappointed": a feeling about nothing we did and no live problem is not a complaint
        return 0, ()
    calm = not (SEVERE_RE.search(text) or PROFANE_RE.search(text) or FEELING.search(text)
                or PUNCT_RE.search(text) or CAPS_RE.search(text) or ANGRY_FACE_RE.search(text))
    if calm and PAST.search(text) and not LIVE.search(text):
        return 0, ()  # a calm report of something that happened days ago
    return score, tuple(cues)


def _opening(text: str) -> tuple[int, int]:
    """The span of the author's first sentence, where an acknowledgement belongs."""
    first = WORD.search(text)
    if first is None:
        return 0, 0
    end = SENTENCE_END.search(text, first.start())
    return first.start(), end.end() if end else len(text.rstrip())


@check("empathy.missing-acknowledgement", "EMP001", Severity.WARNING, default_enabled=False,
       options=[
    Option("threshold", int, 3, "how strongly upset (cue score) the customer must sound"),
    Option("cues", list, [], "more words that show an upset customer (each counts as strong)"),
    Option("acknowledgements", list, [], "more phrases that count as acknowledging it"),
])
def missing_acknowledgement(doc, options) -> Iterator[Hit]:
    """An upset customer gets a solution with no acknowledgement of how they feel.

    ## What it does
    When the customer's message (the quoted history, `--context FILE`, or the API's
    `context=`) shows clear frustration, anger or distress — "ridiculous", "third time", "no
    response", "hacked", "so sad and disappointed", 😡 with a charge, swearing at us, capitals
    with "!!!" — and the reply never acknowledges it, formally ("I'm sorry…", "I understand how
    frustrating…", "that sounds…"), informally ("oh no", "that's troubling to hear", "what a
    nightmare", "I'd be fed up too") or by engaging with the complaint ("What's going on?", "I
    don't want you to feel this way", "we'd love the chance to turn things around"), flags the
    reply's first sentence. One severe word is enough; a single milder cue ("frustrated",
    "disappointed", "still not working", "wtf" at a glitch) needs a second cue or an intensifier
    ("very frustrating"), and is counted only when it is about a live problem or addressed to
    us ("you", "doesn't work", "never arrived", "locked out").

    Not asked for empathy: replies to calm messages; a customer who is joking, delighted,
    relieved or thankful ("lol", 😂, "phew, works now", "thanks so much"); a one-line correction
    of the customer's own post ("wrong link"); anger at a third party (a seller, a scalper) and
    feelings that are someone else's ("the attendant was tired of…") or negated ("I'm not
    frustrated"); hedged annoyance or distress ("kind of ridiculous", "rather frustrating",
    "almost crying", "I think it might have been hacked"); a milder feeling about no problem of
    ours ("the line was out the door, so disappointed"); a calm report of something dated in the
    past ("hacked 11 days ago", with no anger, swearing or shouting, and no "still"); casual
    swearing or a "??" of puzzlement; a reply that opens by asking about the very problem ("Are
    all your services cutting out?" — not a step to try); mild annoyance answered with a warm
    offer to help ("happy to help"); a conversation already under way — the reply follows one
    up ("we received your DM", "a member of our team has reached out", "as previously
    advised") or the customer answers the agent ("Ok.", "Already did…", "Still not working")
    without a far stronger upset; a later part of a reply split over several posts ("2/2").

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
    if not customer.strip() or LATER_PART.search(doc.author_text):
        return
    prose = doc.prose.replace("\u2019", "'")  # "We’re here" is "We're here"
    if FOLLOW_UP_REPLY.search(prose):
        return  # the conversation is under way: the acknowledgement came earlier
    score, cues = upset_cues(customer)
    if options["cues"]:
        extra = phrase_pattern(options["cues"]).findall(customer)
        score += 2 * len(extra)
        cues = (*extra, *cues)[:3]
    acknowledged = ACKNOWLEDGE.search(prose) or INFORMAL_ACK.search(prose) or (
        options["acknowledgements"]
        and phrase_pattern(options["acknowledgements"]).search(prose)
    )
    if score < options["threshold"] or acknowledged:
        return
    if (FOLLOW_UP_CUSTOMER.search(customer)
            and score < FOLLOW_UP_FACTOR * options["threshold"]):
        return  # a thread in progress: the acknowledgement belongs to an earlier message
    severe = SEVERE_RE.search(customer) or DISTRESS_RE.search(customer)
    if (score < options["threshold"] + MILD_MARGIN and not severe
            and WARM_HANDOFF.search(doc.prose)):
        return  # mild annoyance answered with a warm offer to help
    start, end = _opening(prose)
    opening = prose[start:end]
    if (opening.rstrip().endswith("?") and not PROPOSES_STEP.search(opening)
            and _stems(opening) & _stems(customer)
            and score < FOLLOW_UP_FACTOR * options["threshold"]):
        return  # opens by asking about the very problem ("Are all your services cutting out?")
    if end > start:
        said = ", ".join(repr(c) for c in cues)
        yield Hit(start, end, f"The customer sounds upset ({said}) and the reply never "
                  "acknowledges it: name their experience before the solution",
                  ("I'm sorry for the trouble this has caused.",
                   "I understand how frustrating this must be."))


@check("empathy.over-apology", "EMP002", Severity.SUGGESTION, default_enabled=False, options=[
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
