"""Politeness of a reply: the strategies it uses and a calibrated score.

The features are the politeness strategies of Danescu-Niculescu-Mizil et al. (ACL 2013, "A
computational approach to politeness with application to social factors"): gratitude,
apologies, "please", hedges, "could you" versus "can you", sentence-initial "so"/"but",
direct questions and so on, plus a few that carry over to support replies (a bare imperative
or a negated question at the start of a sentence, "??" and "!"). Nothing here parses: a
strategy is a list of words and short phrases plus a position (a sentence's first word, or
any other), looked up in tables sentence by sentence, so the cost is linear in the text.

``score()`` adds a logistic-regression weight for each strategy present and for about a
hundred general words ("why", "exactly", "help", "thoughts"), learnt on the Stanford
Politeness Corpus by ``eval/politeness.py``, which also measures it. The intercept is shifted
so that 0.0 is the median training request: above it a reply is more polite than the typical
request, below it less.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

#: Every strategy ``strategies()`` can report, in a stable order (the model's features).
STRATEGIES: tuple[str, ...] = (
    "gratitude", "deference", "greeting", "positive_lexicon", "negative_lexicon", "apology",
    "please", "please_start", "by_the_way", "direct_question", "direct_start",
    "counterfactual_modal", "indicative_modal", "subjunctive", "first_person_start",
    "first_person_plural", "first_person", "second_person", "second_person_start", "hedge",
    "factuality", "negated_start", "imperative_start", "exclamation", "emphatic_punctuation",
)

MODEL_PATH = Path(__file__).with_name("data") / "politeness_model.json"

#: Words (with in-word apostrophes) and the marks that end a sentence; one pass, no backtracking.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[!?]+|[.\n]")
#: Links, the corpus's ``<url>`` placeholder, @handles and the domain of e-mail addresses: none
#: is a word of the reply. Each alternative starts with a literal, so the scan stays linear.
_LINK = re.compile(r"<url>|https?://\S+|www\.\S+|@[\w-]+(?:\.[\w-]+)*")
#: ``score()`` stays within (-_RANGE, _RANGE).
_RANGE = 3.0


class _Table(NamedTuple):
    """Phrases (as word tuples) and the strategies each counts for."""

    phrases: dict[tuple[str, ...], tuple[str, ...]]
    #: by first word, the length of the longest phrase it starts: most words start none
    longest: dict[str, int]

    def match(self, words: list[str], i: int) -> tuple[tuple[str, ...], int]:
        """The strategies of the longest phrase at word ``i``, and how many words it spans."""
        for n in range(min(self.longest.get(words[i], 0), len(words) - i), 0, -1):
            found = self.phrases.get(tuple(words[i:i + n]))
            if found is not None:
                return found, n
        return (), 1


def _table(entries: Sequence[tuple[str, str]]) -> _Table:
    """Phrase table from ``(strategy, "phrase|other phrase")`` pairs; a phrase listed under
    several strategies counts for each."""
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    longest: dict[str, int] = {}
    for strategy, alternatives in entries:
        for phrase in alternatives.split("|"):
            key = tuple(phrase.split())
            phrases[key] = (*phrases.get(key, ()), strategy)
            longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return _Table(phrases, longest)


_FIRST_PERSON = "i|me|my|mine|myself|i'm|i've|i'll|i'd|im|ive"
_SECOND_PERSON = "you|your|yours|yourself|yourselves|you're|you've|you'll|you'd|u|ur|youre"
_PLEASE = "please|pls|plz"

# Hand-written opinion words. The paper used Liu and Hu's lexicon; this short list keeps the
# evaluative words and leaves out the topical ones a support reply uses neutrally ("issue",
# "error", "failed", "spam folder", "clear the cache", "what kind of phone"), and the apology
# and gratitude words, which have their own strategies.
_POSITIVE = (
    "good|better|best|great|glad|happy|happily|pleased|pleasure|delighted|excellent"
    "|wonderful|fantastic|awesome|amazing|brilliant|perfect|nice|lovely|kindly|helpful"
    "|useful|valuable|welcome|enjoy|enjoyed|love|loved|fair|correct|easy|easier|quick"
    "|quickly|smooth|improve|improved|improvement|success|successful|successfully"
    "|benefit|reliable|impressive|interesting|cool|super|terrific|superb|outstanding"
    "|pleasant|friendly|patience|patient|supportive|encourage|recommend|exciting|excited"
    "|fortunately|hope|hopefully|congratulations|congrats|worth|thoughtful|generous"
    "|no problem|no worries|not to worry|no trouble"
)
_NEGATIVE = (
    "bad|worse|worst|wrong|poor|poorly|terrible|horrible|awful|stupid|dumb|silly|ridiculous"
    "|nonsense|useless|pointless|worthless|annoying|annoyed|angry|upset|hate|hated"
    "|disappointed|disappointing|fault|blame|blamed|complain"
    "|confusing|confused|unfortunately|unfortunate|impossible|refuse|refused|ignore|ignored"
    "|ignoring|careless|lazy|rude|abuse|abusive|vandalism|vandal|attack|attacks|harm"
    "|harmful|misleading|incorrect|inaccurate|unacceptable|inappropriate|irrelevant"
    "|obviously|clearly|waste|wasted|nothing|nobody|crap|damn|hell|idiot|idiotic|pathetic"
    "|incompetent|shame|shameful|disruptive|biased|false|lie|lies|lying|threat|threaten"
    "|unhelpful|insult|insulting|offensive|nonsensical|absurd|bizarre|nasty|hostile"
)
_HEDGES = (
    "think|thought|thinking|almost|apparent|apparently|appear|appeared|appears"
    "|approximately|around|assume|assumed|claim|claimed|doubt|doubtful|essentially|estimate"
    "|estimated|feel|felt|frequently|generally|guess|largely|likely|mainly|may|maybe|might"
    "|mostly|often|ought|perhaps|plausible|plausibly|possible|possibly|presumably|probable"
    "|probably|relatively|roughly|seem|seems|seemed|should|sometimes|somewhat|suggest"
    "|suggested|suggests|suppose|supposed|suspect|tend|tends|typical|typically|uncertain"
    "|unclear|unlikely|usually|broadly|fairly|quite|rather|argue|argued|believe|believed"
    "|wonder|in my opinion|in my view|to my knowledge|from my perspective|sort of|kind of"
    "|not sure"
)

#: The first word of a sentence.
_START = _table([
    ("greeting", "hi|hello|hey|dear|greetings|howdy|hiya|good morning|good afternoon"
                 "|good evening|good day"),
    ("deference", "great|good|nice|interesting|cool|excellent|awesome|wonderful|brilliant"),
    ("direct_start", "so|then|and|but|or"),
    ("first_person_start", _FIRST_PERSON),
    ("second_person_start", _SECOND_PERSON),
    ("please_start", _PLEASE),
    ("negated_start", "don't|didn't|doesn't|isn't|aren't|wasn't|weren't|shouldn't|haven't"
                      "|hasn't|can't|won't|dont|didnt|doesnt|isnt|shouldnt|cant|wont"),
    ("imperative_start", "see|look|stop|read|note|check|go|try|leave|keep|take|make|give"
                         "|tell|get|put|add|remove|use|fix|send|just|do not|never|quit"
                         "|consider|refrain|learn|avoid"),
])
#: Any later word of a sentence.
_REST = _table([
    ("first_person", _FIRST_PERSON),
    ("second_person", _SECOND_PERSON),
    ("please", _PLEASE),
])
#: Any word, first or not.
_ANYWHERE = _table([
    ("gratitude", "thank|thanks|thankful|thx|ty|appreciate|appreciated|appreciates"
                  "|appreciating|appreciation|grateful|gratitude"),
    ("apology", "sorry|apologize|apologise|apologized|apologised|apologizing|apologising"
                "|apologies|apology|oops|woops|whoops|excuse me|forgive me|pardon me|my bad"
                "|regret|regrets|regrettably"),
    ("by_the_way", "by the way|btw|incidentally"),
    ("counterfactual_modal", "could you|would you|could u|would u|couldn't you|wouldn't you"
                             "|would you mind"),
    ("indicative_modal", "can you|will you|can u|will u"),
    ("subjunctive", "would you mind|would it be possible|if you could|if you would"
                    "|if you don't mind|if you wouldn't mind|i was wondering|i wonder if"
                    "|would be grateful|would appreciate|would be great|would be nice"),
    ("first_person_plural", "we|us|our|ours|ourselves|we're|we've|we'll|we'd|let's"),
    ("factuality", "in fact|actually|the point is|the fact is|the reality is|the truth is"
                   "|as a matter of fact|honestly|surely|in reality"),
    ("positive_lexicon", _POSITIVE),
    ("negative_lexicon", _NEGATIVE),
    ("hedge", _HEDGES),
])
_DIRECT_QUESTION = frozenset(
    {"what", "why", "who", "how", "what's", "why's", "who's", "how's", "whats", "hows"}
)


def _sentences(text: str) -> list[tuple[list[str], str]]:
    """The words of each sentence and the marks that end it ("" at the end of the text).

    A sentence ends at ".", "!", "?" or a line break, so a salutation line ("Hi Sam,") is a
    sentence of its own, as it reads.
    """
    text = _LINK.sub(" ", text.replace("\u2019", "'").lower())
    sentences: list[tuple[list[str], str]] = []
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if token[0].isalnum():
            words.append(token)
        elif words:
            sentences.append((words, token))
            words = []
    if words:
        sentences.append((words, ""))
    return sentences


def _analyse(text: str) -> tuple[dict[str, int], set[str]]:
    """Strategy counts (see ``strategies``) and the set of words of ``text``, in one pass."""
    counts: dict[str, int] = {}
    vocabulary: set[str] = set()

    def add(strategy: str) -> None:
        counts[strategy] = counts.get(strategy, 0) + 1

    for words, end in _sentences(text):
        vocabulary.update(words)
        if "?" in end and words[0] in _DIRECT_QUESTION:
            add("direct_question")
        if len(end) > 1:
            add("emphatic_punctuation")
        elif end == "!":
            add("exclamation")
        for strategy in _START.match(words, 0)[0]:
            add(strategy)
        for table, i in ((_REST, 1), (_ANYWHERE, 0)):
            longest, size = table.longest, len(words)
            while i < size:
                if words[i] not in longest:  # most words start no phrase
                    i += 1
                    continue
                found, n = table.match(words, i)
                for strategy in found:
                    add(strategy)
                i += n
    return counts, vocabulary


def strategies(text: str) -> dict[str, int]:
    """How often each politeness strategy occurs in ``text``; strategies not found are absent.

    At each word the longest phrase of a table counts, and the words it spans are not looked
    up again in that table: "no problem" is positive, without a negative "problem".
    """
    counts, _ = _analyse(text)
    return {name: counts[name] for name in STRATEGIES if name in counts}


class _Model(NamedTuple):
    intercept: float
    weights: dict[str, float]  # by strategy
    unigrams: dict[str, float]  # by word


@functools.cache
def _model() -> _Model:
    """The shipped weights, read on the first score rather than at import."""
    import json  # only here: keeps importing this module cheap

    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return _Model(float(data["intercept"]), data["weights"], data["unigrams"])


def assess(text: str) -> tuple[float, list[str]]:
    """The politeness score of ``text`` and what pulls it down, the heaviest first.

    The score is the model's logit, squashed smoothly into (-3, 3) by ``3 tanh(logit / 3)``:
    near the threshold nothing changes, but a long reply that piles up strategies (the model
    learnt on one- or two-sentence requests) cannot reach +14 and swamp an average over
    documents. What pulls it down names strategies ("direct_start") and words ("why").
    """
    model = _model()
    counts, vocabulary = _analyse(text)
    terms = [(model.weights.get(name, 0.0), name) for name in counts]
    terms += [(model.unigrams[word], repr(word)) for word in vocabulary & model.unigrams.keys()]
    # fsum is exact, so the set's order (which varies with the hash seed) cannot change a bit
    logit = math.fsum([model.intercept, *(weight for weight, _ in terms)])
    lowering = [name for weight, name in sorted(terms) if weight < 0]
    return _RANGE * math.tanh(logit / _RANGE), lowering


def score(text: str) -> float:
    """Politeness of ``text``: above 0.0 more polite than the median request, below less."""
    return assess(text)[0]
