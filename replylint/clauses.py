"""A light reading of who does what in a reply's sentences, for the next-step rules.

No parser: English support replies are regular enough that the subject, the verb group and
the time can be read off with word patterns. Each sentence is classified as

- a **commitment** by us: a first-person or team subject with a future or progressive verb
  ("I'll send…", "our team will call you…", "we're shipping…"), or a done action ("I have
  refunded…");
- a **request** to the customer: an imperative ("Reply with…", "Please send…"), a polite
  question ("Could you send…?"), or an instruction ("You can track it at…", "You'll need
  to…");
- a **resolution**: something done or changed, with what to expect ("Your refund was issued
  today and will reach your card in 3–5 days", "The fix is now live");
- or **generic**: an open offer such as "Let me know if you have any questions", which is no
  next step on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator
from functools import lru_cache

from .model import GROUP_TEXTS
from .phrasescan import Prefiltered
from .readability import sentences

WE = (
    r"(?:I|we|our (?:\w+ ){0,2}(?:team|department|specialists?|engineers?|technicians?|"
    r"agents?|staff|experts?|courier|carrier)|the (?:\w+ )?(?:team|technicians?|engineers?|"
    r"couriers?|specialists?|developers?)|someone (?:from|on) our (?:\w+ )?team|a (?:specialist|technician|member of "
    r"our team))"
)
WILL = (r"(?:will|'ll|shall|am going to|are going to|is going to|'m going to|'re going to|"
        r"plan to|intend to|aim to|expect to|can|would like to|'d like to)")
BE = r"(?:am|are|is|'m|'re)"
DONE = r"(?:have|'ve|has|had)(?: (?:just|now|already|also))?"
ADVERB = r"(?: (?:also|then|now|personally|happily|gladly|immediately|already|just))?"
WE_WILL = Prefiltered(re.compile(rf"\b{WE}\s?{WILL}{ADVERB} (?:be )?([a-z]+)\b", re.IGNORECASE))
WE_PROGRESSIVE = Prefiltered(re.compile(rf"\b{WE}\s?{BE}{ADVERB} ([a-z]+ing)\b", re.IGNORECASE))
WE_DONE = Prefiltered(re.compile(rf"\b{WE}\s?{DONE} ([a-z]+(?:ed|t|en|d))\b", re.IGNORECASE))
# Actions that say something will happen without saying what the customer gets: a next step
# only with a time ("we'll be in touch by Friday"), not without ("we're looking into it").
VAGUE_ACTIONS = frozenset(
    "get getting be look looking looked investigate investigating investigated check checking "
    "review reviewing reviewed follow following followed update updating let letting reach "
    "reaching chase chasing consider considering considered take taking note noting noted "
    "forward forwarding forwarded pass passing passed escalate escalating escalated ask asking "
    "asked share sharing shared flag flagging flagged log logging logged raise raising raised "
    "report reporting reported keep keeping monitor monitoring monitored work working worked "
    "touch do doing try trying tried assist assisting".split()
)
NOT_ACTIONS = frozenset({
    "be", "been", "being", "sorry", "happy", "glad", "here", "able", "unable", "sure",
    "afraid", "aware", "working", "looking", "hoping", "trying", "want", "like", "love",
    "hope", "understand", "know", "see", "think", "believe", "appreciate", "apologize",
    "apologise", "feel", "need", "recommend", "suggest", "would", "could", "should", "not",
    "unfortunately", "always", "thrilled", "excited", "pleased", "delighted",
    "committed", "experiencing", "seeing", "getting", "received", "noticed",
    "in", "on", "at", "with", "there", "back", "available", "touch", "closed", "open",
})
# "Your refund will be processed…", "A replacement card will be sent…": a promise in passive.
PASSIVE_PROMISE = Prefiltered(re.compile(
    r"\b(?:will|'ll|is going to|are going to) be (?:\w+ )?(?:[a-z]+ed|sent|paid|built|"
    r"shipped|given|done|taken|made|brought|rebuilt|written)\b",
    re.IGNORECASE,
))
# "…our engineers, who will contact you…": an action towards the customer, whoever does it.
TO_YOU = Prefiltered(re.compile(
    r"\b(?:will|'ll) (?:\w+ )?(?:contact|call|email|e-mail|text|send|visit|"
    r"ring|phone|message|write to) (?:you|your)\b", re.IGNORECASE))
IMPERATIVE = frozenset(
    "reply respond send share email call text message dm tap click open go visit try restart "
    "reinstall update install uninstall log sign enter select choose pick follow check confirm "
    "verify provide attach upload download fill complete use take keep make add remove delete "
    "clear reset change switch turn enable disable contact head navigate look review read "
    "forward print return bring drop submit book schedule pay allow accept reach give have "
    "let's lets mind head find tell show describe explain expect watch".split()
)
CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014]\s|\s-\s")
# A question put to the customer asks them for something: that is their next step.
ASK = Prefiltered(re.compile(
    r"^\W*+(?:(?:did|do|does|have|has|are|is|was|were|can|could|would|will|what|which|where|"
    r"when|how|who|mind if)\b[^?]*|(?=[^?]*\byou\b)[^?]*+)\?\s*$",
    re.IGNORECASE,
))
ADVICE = Prefiltered(re.compile(
    r"\b(?:I|we)(?:'d| would)? (?:\w+ )?(?:recommend|suggest|advise|encourage)\b|"
    r"\bthe best (?:next )?(?:step|option|way)\b",
    re.IGNORECASE,
))
REQUEST = Prefiltered(re.compile(
    r"(?:^|\b)(?:please|kindly) (?:\w+ )?\w+|\b(?:could|can|would|will) you(?: please)? "
    r"(?:\w+)|\byou(?:'ll| will)? (?:need|have|want) to \w+|\byou can (?:now |also |then )?"
    r"(?:\w+)|\byou(?:'ll| will) (?:get|receive|see|find|be able)|\bif you (?:could|can) "
    r"(?:\w+)|\bwe(?:'ll| will) need (?:you|your)|\b(?:I|we)(?:'d| would) (?:need|like) "
    r"(?:you|your)|\bwhen(?:ever)? you(?:'re| are) ready\b|\bonce you(?:'ve| have)\b",
    re.IGNORECASE,
))
RESOLVED = Prefiltered(re.compile(
    r"\b(?:was|were|has been|have been|is now|are now|is|are) (?:now |already |just |been |"
    r"\d+ ?% |fully |completely )?"
    r"(?:issued|processed|refunded|sent|shipped|dispatched|fixed|resolved|restored|"
    r"reactivated|activated|unlocked|reset|cancell?ed|credited|applied|approved|updated|"
    r"corrected|removed|deleted|live|back|working|complete|completed|done|on (?:its|their) way|"
    r"reversed|waived|replaced|rebooked|renewed|extended|upgraded|verified|booked|scheduled|"
    r"arranged|confirmed|released|enabled|unblocked|paid)\b",
    re.IGNORECASE,
))
APOLOGY = Prefiltered(re.compile(r"\b(?:sorry|apolog\w*|unfortunately|regret)\b", re.IGNORECASE))
EXPECT = Prefiltered(re.compile(
    r"\b(?:will|'ll|should|can expect|expect|within|in \d|by (?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|tomorrow|tonight|the end)|today|tomorrow|now|arrive|"
    r"reach|appear|show up)\b",
    re.IGNORECASE,
))
GENERIC = Prefiltered(re.compile(
    r"\b(?:let (?:me|us) know if (?:you (?:have|need|require)|there(?:'s| is)|anything)|"
    r"(?:feel free|don't hesitate|do not hesitate) to (?:reach out|contact|get in touch|ask|"
    r"reply|let us know)|hope (?:this|that) helps|reach out if|if you (?:have|need) "
    r"(?:any(?:thing)?|more|further|other)|happy to help|here to help|any (?:other|further|more) "
    r"questions)\b",
    re.IGNORECASE,
))
TIME = Prefiltered(re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|weekend)|next "
    r"(?:week|month|monday|tuesday|wednesday|thursday|friday|business day)|(?:on|by|before|"
    r"until|after) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the \d+|\d)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|within \S+ (?:minutes?|hours?|"
    r"days?|business days?|working days?|weeks?)|in (?:\d+|a few|one|two|three|four|five|"
    r"24|48|72)[-\u2013 ]?\S* (?:minutes?|hours?|days?|business days?|working days?|weeks?)|"
    r"(?:at|by|between|from) \d{1,2}(?::\d\d)?(?: ?[ap]\.?m\.?)?|\d{1,2}(?::\d\d)? ?[ap]\.?m\.?|"
    r"\d{1,2}(?:st|nd|rd|th)\b|end of (?:the )?(?:day|week|month)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d)",
    re.IGNORECASE,
))


def _imperative(sentence: str) -> bool:
    """Whether the sentence, or a clause of it after a comma or dash, opens with a command
    ("If you haven't already, try reinstalling…")."""
    return any(_opens_with_command(part) for part in CLAUSE_BREAK.split(sentence))


_LEAD_WORDS = frozenset({"please", "kindly", "just", "simply", "also", "then", "and", "so",
                         "now", "first", "next", "finally", "to", "start"})
_WORD = re.compile(r"[a-z']+")


def _opens_with_command(clause: str) -> bool:
    for m in _WORD.finditer(clause.lower()):  # the first word after "please", "then"…
        if m.group() not in _LEAD_WORDS:
            return m.group() in IMPERATIVE
    return False


class _Joined:
    """A text's whitespace-normalised sentences joined by blank lines, so that each pattern
    is searched once per text instead of once per sentence. No pattern above matches across
    a blank line or depends on where its text starts or ends (``ASK`` alone is anchored, and
    is asked of single sentences), so a sentence has a match in the joined text exactly when
    it has one on its own."""

    SEPARATOR = "\n\n"

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences
        self.text = self.SEPARATOR.join(sentences)
        self.starts: list[int] = []
        pos = 0
        for s in sentences:
            self.starts.append(pos)
            pos += len(s) + len(self.SEPARATOR)
        self._having: dict[Prefiltered, set[int]] = {}
        self._actions: tuple[set[int], set[int]] | None = None
        self._committed: set[int] | None = None

    def matches(self, regex: Prefiltered) -> Iterator[tuple[int, re.Match[str]]]:
        """Each match of ``regex`` with the index of its sentence."""
        starts = self.starts
        for m in regex.finditer(self.text):
            yield bisect_right(starts, m.start()) - 1, m

    def having(self, regex: Prefiltered) -> set[int]:
        """The indexes of the sentences ``regex`` finds something in (worked out once)."""
        found = self._having.get(regex)
        if found is None:
            found = self._having[regex] = {i for i, _ in self.matches(regex)}
        return found

    def actions(self) -> tuple[set[int], set[int]]:
        """Sentences with a first-person or team subject doing something concrete, and those
        whose only such action is vague. Worked out once."""
        if self._actions is None:
            concrete: set[int] = set()
            vague: set[int] = set()
            for regex in (WE_WILL, WE_PROGRESSIVE, WE_DONE):
                for i, m in self.matches(regex):
                    verb = m.group(1).lower()
                    if verb not in NOT_ACTIONS:
                        (vague if verb in VAGUE_ACTIONS else concrete).add(i)
            concrete |= self.having(PASSIVE_PROMISE) | self.having(TO_YOU)
            self._actions = concrete, vague
        return self._actions

    def committed(self) -> set[int]:
        """Sentences that commit us: a concrete action, or a vague one with a time ("we'll be
        in touch by Friday"). The time is looked for only when a vague action needs it."""
        if self._committed is None:
            concrete, vague = self.actions()
            vague = vague - concrete
            self._committed = concrete | (vague & self.having(TIME)) if vague else concrete
        return self._committed

    def kind(self, i: int) -> str:
        """commitment | generic | request | resolution | other, for sentence ``i``."""
        if i in self.committed():
            return "commitment"
        if i in self.having(GENERIC):
            return "generic"
        sentence = self.sentences[i]
        if (_imperative(sentence) or REQUEST.search(sentence)
                or ("?" in sentence and ASK.search(sentence)) or i in self.having(ADVICE)):
            return "request"
        if i in self.having(RESOLVED) and i not in self.having(APOLOGY):
            return "resolution"
        return "other"


class _Reading:
    """The sentences of one text, joined a block at a time when first needed: a rule that
    only needs to know whether there is a next step stops at the first."""

    BLOCK = 64  # sentences searched together (each alone reads the same: see _Joined)

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = sentences(text)
        self._blocks: dict[int, _Joined] = {}

    def blocks(self) -> Iterator[_Joined]:
        text = self.text
        for b in range(0, len(self.spans), self.BLOCK):
            joined = self._blocks.get(b)
            if joined is None:
                # line breaks count as spaces: a wrapped "by\nFriday" names a time too
                part = self.spans[b : b + self.BLOCK]
                joined = self._blocks[b] = _Joined([" ".join(text[s.start : s.end].split())
                                                    for s in part])
            yield joined


@lru_cache(maxsize=GROUP_TEXTS)
def _reading(text: str) -> _Reading:
    """The sentences of ``text``, ready to be read as commitments, requests, resolutions or
    generic offers (shared by the rules that ask about the same prose)."""
    return _Reading(text)


def any_clause(text: str, kinds: Collection[str]) -> bool:
    """Whether some sentence of ``text`` is of one of ``kinds`` (reading no further)."""
    for joined in _reading(text).blocks():
        if "commitment" in kinds and joined.committed():
            return True  # found without reading what the other sentences are
        if any(joined.kind(i) in kinds for i in range(len(joined.sentences))):
            return True
    return False


# --- A looser reading, for next-step.missing: does the reply say what happens next at all? ---
#
# ``any_clause`` asks for a *clear* step (a concrete action, or a vague one with a time). A
# support lead reading a reply to a stranded customer accepts more than that as a next step:
# any statement of what will happen ("ordering will be back tomorrow", "it should arrive
# within three working days", "the Fleet team will get back to you"), feedback passed on or
# logged, "one moment while I take a look", a handoff to DM, an action or a question for
# the customer, a closed or settled state ("you're all set", "nothing else is needed from
# you", "the topic is closed, which means…"). ``any_step`` recognises these as a class.

#: a statement of what will happen, whoever does it; not negated ("this won't happen
#: again"), and not an offer ("we'll be happy to help")
FUTURE = Prefiltered(re.compile(
    r"\b(?:(?:will|'ll|shall|(?:is|are|'s|'re|am|'m) going to|(?:is|are|'s|'re) "
    r"(?:expected|scheduled|due|set|about) to|aims? to|plans? to)\b"
    r"(?! (?:not|never|ever|be (?:happy|glad|pleased|delighted|more than happy))\b)|"
    r"should\b(?! (?:not|never|have)\b))",
    re.IGNORECASE,
))
#: a hedge or a wish: "we hope to have you on your way soon", "fingers crossed we'll…"
HEDGE = Prefiltered(re.compile(
    r"\b(?:hope|hoping|hopefully|wish|fingers crossed|keep (?:everything|it) crossed|"
    r"if all goes|with any luck|can't make any promises|cannot make any promises)\b",
    re.IGNORECASE,
))
#: feedback or a case passed on, shared, logged, escalated (done or promised)
PASSED_ON = Prefiltered(re.compile(
    r"\b(?<!for )(?:pass(?:ed|ing)?|shar(?:e|ed|ing)|forward(?:ed|ing)?|escalat(?:e|ed|ing)|"
    r"log(?:ged)?|flag(?:ged)?|rais(?:e|ed)|report(?:ed)?|feed(?:ing)? back|submit(?:ted)?|"
    r"relay(?:ed)?)\b[^.!?\n]{0,60}?\b(?:feedback|comments?|concerns?|suggestions?|interest|"
    r"ideas?|request|report|words|details|info(?:rmation)?|complaint|case|experience|this|"
    r"it|that|them)\b|"
    r"\blet (?:our|the|my|their) (?:[\w-]+ ){0,3}(?:team|manager|management|leadership|folks|"
    r"department|store|crew|staff|colleagues|partners?) (?:\w+ )?know\b|"
    r"\b(?:has|have|'s|'ve) been (?:shared|passed|forwarded|escalated|logged|flagged|raised|"
    r"reported|submitted|relayed)\b",
    re.IGNORECASE,
))
#: "one moment as I take a look", "let me check", a handoff to direct messages
IMMEDIATE = Prefiltered(re.compile(
    r"\b(?:one|a|just a|give (?:me|us) a) (?:moment|minute|sec(?:ond)?)\b|\bbear with (?:me|us)\b|"
    r"\bhang (?:tight|on)\b|\bstand by\b|\blet (?:me|us)\b(?! know)|"
    r"\b(?:look(?:ing)? into|tak(?:e|ing) a (?:closer )?look|investigat(?:e|ing)|"
    r"checking (?:on|into|with)|pinging|reaching out to)\b|"
    r"\b(?:DMs?|direct messages?|private messages?|PMs?|privately|inbox)\b",
    re.IGNORECASE,
))
#: something we did for the customer just now ("we just sent you a DM", "I've replied")
DONE_FOR_YOU = Prefiltered(re.compile(
    rf"\b{WE}\s?(?:(?:have|'ve|has) )?(?:just |already |now )?(?:sent|replied|responded|"
    r"emailed|messaged|called|refunded|issued|credited|added|cancell?ed|rebooked|booked|"
    r"fixed|reset|updated|removed|applied|reached out|followed up|contacted|arranged|"
    r"ordered|reinstated|restored|reactivated|waived|corrected|opened|submitted|changed)\b",
    re.IGNORECASE,
))
#: a settled state: nothing more to do, or what the state now means
SETTLED = Prefiltered(re.compile(
    r"\byou(?:'re| are) (?:all )?(?:set|good to go|sorted|ready)\b|\ball set\b|"
    r"\bnothing (?:else|more|further) (?:is )?(?:needed|required)\b|"
    r"\bno (?:further )?action (?:is )?(?:needed|required)\b|"
    r"\b(?:is|are|has been|have been|was|were) (?:now )?(?:closed|merged|locked|resolved)\b|"
    r"\b(?:takes?|took) effect\b|\bwhich means\b",
    re.IGNORECASE,
))
#: something the customer can do: an instruction addressed to them
FOR_YOU = Prefiltered(re.compile(
    r"\byou(?:'d| would| will|'ll| may| might)? (?:need|have|want) to\b|"
    r"\byou (?:must|should|may want|might want|could|can|may)\b|"
    r"\b(?:may|can|could) (?:I|we) (?:have|know|get|ask|see|confirm|grab|take)\b|"
    r"\b(?:pls|plz|please)\b(?! (?:accept|don't hesitate|do not hesitate|feel free))|"
    r"\byou(?:'re| are) (?:\w+ )?welcome to\b",
    re.IGNORECASE,
))
#: work under way on the customer's problem, whoever does it: "the IT team is working on
#: it", "crews are working to restore power", "while they work on it", "it is being fixed":
#: a statement of what is happening, a next step even beside a hope ("we're working hard to
#: resolve this", a mass notice's formula, is not one)
WORKING_ON = Prefiltered(re.compile(
    r"\b(?:working|work) (?:on (?:it|this|that|them|a fix|the (?:\w+ )?(?:issue|problem|"
    r"outage|fix|repairs?|fault|matter|case|line|network|service|app|site))|"
    r"(?:quickly |urgently )?to (?:restore|fix|resolve|repair|get (?:it|this|things|"
    r"you|everyone|service|power)|reconnect|rebook|reaccommodate))\b|"
    r"\b(?:is|are) (?:currently |now )?being (?:worked on|fixed|repaired|investigated|"
    r"restored|looked at|looked into|addressed|resolved)\b|"
    r"\b(?:crews?|techs?|technicians?|engineers?) (?:are |is )?(?:on (?:site|the way|scene)|"
    r"en route|dispatched)\b",
    re.IGNORECASE,
))
#: where the customer can go or call: a phone number, opening hours, a desk, an agent in
#: person ("call 0800 123 4567", "we're open 9am-5pm", "assessed in person by airport
#: personnel", "see a gate agent"): a next step although worded as information
REACH = Prefiltered(re.compile(
    r"(?<![\w/.])\+?\(?\d{1,4}\)?(?:[-. ]\(?\d{2,4}\)?){2,4}(?![\w/]|\.\d)|"
    r"\b1[-. ]?8(?:00|33|44|55|66|77|88)[-. ]?[A-Z0-9]{3}[-. ]?[A-Z0-9]{4}\b|"
    r"\b(?:opening|business|office|store|branch|phone|call centre|call center) hours\b|"
    r"\b(?:we(?:'re| are)|it's|it is|they're|they are|lines are|desk is|store is) open\b|"
    r"\bopen (?:from|until|till|daily|24)\b|\b24/7\b|"
    r"\b\d{1,2}(?:[:.]\d\d)? ?(?:am|pm)? ?(?:-|\u2013|to|until|till) ?\d{1,2}(?:[:.]\d\d)? ?"
    r"(?:am|pm)\b|"
    r"\bin person\b|\b(?:gate|airport|ticket|station|store|branch|desk|check-?in|counter) "
    r"(?:agents?|staff|personnel|team|desk|counter|office|manager)\b|"
    r"\b(?:local|nearest|closest|any) (?:store|branch|office|airport|station|dealer|"
    r"service (?:cent(?:er|re)|desk)|financial cent(?:er|re)|shop|location)\b",
    re.IGNORECASE,
))
#: "feel free to ask for a bit more": an action, unlike "feel free to reach out"
FEEL_FREE_ACTION = Prefiltered(re.compile(
    r"\bfeel free to (?!reach|contact|get in touch|let us|ask us|ask any|ask if|ask\b(?! for)|"
    r"tweet us|message us|come back|drop us|give us|shout|reply|write|hit us)",
    re.IGNORECASE,
))
#: first words of an instruction, beyond ``IMPERATIVE``
MORE_IMPERATIVE = frozenset(
    "ask set reboot report press hold unplug plug wait power toggle tweet shoot hop swing "
    "stop come pop ring refer ensure double-check search scroll save note grab apply file "
    "claim request speak talk sign register subscribe join".split()
)
_STEP_LEAD = _LEAD_WORDS | {"pls", "plz", "hi", "hey", "hello", "there", "ok", "okay", "sure",
                            "thanks", "of", "course", "yes", "no"}


def _instruction(sentence: str) -> bool:
    """Whether the sentence, or a clause of it, opens with a command (a wider list than
    ``_imperative``, and after a greeting word: "Hi there, press and hold…")."""
    for part in CLAUSE_BREAK.split(sentence):
        for m in _WORD.finditer(part.lower()):
            word = m.group()
            if word in _STEP_LEAD:
                continue
            if word in IMPERATIVE or word in MORE_IMPERATIVE:
                return True
            break
    return False


def _question(sentence: str) -> bool:
    """A question put to the reader: ends with "?" and has a few words (not "Huh?", "??!")."""
    s = sentence.rstrip()
    return s.endswith("?") and not s.endswith(("!?", "?!")) and len(_WORD.findall(s)) >= 3


def step_sentences(text: str) -> list[int]:
    """Indexes (in ``readability.sentences(text)``) of the sentences that give the customer
    a next step in the loose sense above."""
    found = []
    reading = _reading(text.replace("\u2019", "'"))
    base = 0
    for joined in reading.blocks():
        concrete, vague = joined.actions()
        loose = concrete | vague
        for i, sentence in enumerate(joined.sentences):
            if _step(joined, i, sentence, loose):
                found.append(base + i)
        base += len(joined.sentences)
    return found


_DEAD_END_VERBS = re.compile(r"\b(?:consider\w*|take[ns]? (?:it|this|that|them) (?:into|under)|"
                             r"taking (?:it|this|that|them) (?:into|under)|not(?:e|ed|ing))\b",
                             re.IGNORECASE)


#: a refusal: "there's nothing more we can do", "we won't be able to": what follows it is
#: not an action
REFUSAL = Prefiltered(re.compile(
    r"\bnothing (?:more |else |further )?(?:that )?(?:we|I) (?:can|could|are able to)\b|"
    r"\b(?:not|n't|never|no longer|unable) (?:\w+ ){0,2}(?:able|possible)\b",
    re.IGNORECASE,
))


def _reachable(sentence: str) -> bool:
    """Whether a ``REACH`` match in the sentence is a real number (seven digits or more), an
    opening time or a place, not a date or a flight number."""
    for m in REACH.finditer(sentence):
        found = m.group()
        if not found[:1].isdigit() and not found.startswith(("+", "(")):
            return True
        if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", found):
            continue  # a date
        digits = sum(c.isdigit() for c in found)
        if digits >= 7 or re.search(r"(?:am|pm)\b", found, re.IGNORECASE):
            return True
    return False


def _step(joined: _Joined, i: int, sentence: str, loose: set[int]) -> bool:
    if _DEAD_END_VERBS.search(sentence):
        # "We have noted your complaint", "we'll take this into consideration": a step only
        # with a concrete action or something for the customer to do in the same sentence
        concrete, _ = joined.actions()
        return (i in concrete or joined.kind(i) == "request" or _question(sentence)
                or i in joined.having(FOR_YOU) or i in joined.having(IMMEDIATE))
    kind = joined.kind(i)
    if kind == "request" or (kind in ("commitment", "resolution")
                             and i not in joined.having(REFUSAL)):
        return True
    if i in joined.having(GENERIC):
        # "Let me know if you have any questions", "feel free to reach out": no step, unless
        # the same sentence also names one ("DM us your order number and…")
        return (bool(DONE_FOR_YOU.search(sentence) or FEEL_FREE_ACTION.search(sentence))
                or _question(sentence))
    hedged = i in joined.having(HEDGE) or i in joined.having(REFUSAL)
    if i in loose and not hedged:
        return True
    if (i in joined.having(FUTURE) and not hedged) or i in joined.having(PASSED_ON):
        return True
    if i in joined.having(IMMEDIATE) or i in joined.having(DONE_FOR_YOU):
        return True
    if i in joined.having(WORKING_ON) or (i in joined.having(REACH) and _reachable(sentence)):
        return True
    if (i in joined.having(SETTLED) or i in joined.having(FOR_YOU)
            or i in joined.having(FEEL_FREE_ACTION)):
        return True
    return _question(sentence) or _instruction(sentence)


def any_step(text: str) -> bool:
    """Whether some sentence of ``text`` gives a next step in the loose sense (see above)."""
    reading = _reading(text.replace("\u2019", "'"))  # "we’re" is "we're"
    for joined in reading.blocks():
        concrete, vague = joined.actions()
        loose = concrete | vague
        if any(_step(joined, i, s, loose) for i, s in enumerate(joined.sentences)):
            return True
    return False
