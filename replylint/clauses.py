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
