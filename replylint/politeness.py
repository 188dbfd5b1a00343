"""Politeness of a reply: the strategies it uses and a calibrated score.

The features are the politeness strategies of Danescu-Niculescu-Mizil et al. (ACL 2013, "A
computational approach to politeness with application to social factors"): gratitude,
apologies, "please", hedges, "could you" versus "can you", sentence-initial "so"/"but",
direct questions and so on. They are found by looking words and short phrases up in tables,
sentence by sentence, which keeps them cheap, linear in the text and independent of the
Wikipedia requests the weights were learnt on (``eval/politeness.py`` trains and measures
them on the Stanford Politeness Corpus). Nothing here parses: a strategy is a word list plus
a position (the first word of a sentence, or any other word).

``score()`` is a logistic-regression logit over the presence of each strategy, shifted so that
0.0 is the median score of the training requests: above it a reply is more polite than the
typical request, below it less.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

#: Every strategy ``strategies()`` can report, in a stable order (the model's features).
STRATEGIES: tuple[str, ...] = (
    "gratitude", "deference", "greeting", "positive_lexicon", "negative_lexicon", "apology",
    "please", "please_start", "by_the_way", "direct_question", "direct_start",
    "counterfactual_modal", "indicative_modal", "subjunctive", "first_person_start",
    "first_person_plural", "first_person", "second_person", "second_person_start", "hedge",
    "factuality",
)

MODEL_PATH = Path(__file__).with_name("data") / "politeness_model.json"

#: Words (with in-word apostrophes) and the marks that end a sentence; one pass, no backtracking.
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[.!?\n]")
#: Placeholders the corpus and templates use instead of links, and links themselves.
_LINK = re.compile(r"<url>|https?://\S+|www\.\S+")

_Table = dict[tuple[str, ...], str]


def _table(entries: dict[str, str]) -> _Table:
    """Phrase table from ``{"phrase | other phrase": strategy}`` (lower case, space separated)."""
    table: _Table = {}
    for phrases, strategy in entries.items():
        for phrase in phrases.split("|"):
            table[tuple(phrase.split())] = strategy
    return table


# Hand-written opinion words: the paper used Liu and Hu's lexicon; this short list favours the
# words support replies and their readers use. Apology and gratitude words are left out so
# that each strategy keeps its own feature.
_POSITIVE = (
    "good better best great glad happy happily pleased pleasure delighted excellent wonderful "
    "fantastic awesome amazing brilliant perfect nice lovely kind kindly helpful useful "
    "valuable welcome enjoy enjoyed love loved like liked fine fair correct right "
    "easy easier clear clearer quick quickly fast smooth improve improved improvement "
    "success successful successfully resolved fixed works working benefit reliable "
    "impressive interesting cool super terrific superb outstanding pleasant friendly patience "
    "patient support supportive encourage recommend exciting excited fortunately hope "
    "hopefully congratulations congrats well worth safe secure thoughtful generous"
)
_NEGATIVE = (
    "bad worse worst wrong poor poorly terrible horrible awful stupid dumb silly ridiculous "
    "nonsense useless pointless worthless annoying annoyed angry upset hate hated disappointed "
    "disappointing fail failed failure fails problem problems issue issues error errors mistake "
    "mistakes broken break breaks damage damaged fault blame blamed complain complaint "
    "confusing confused unfortunately unfortunate difficult hard impossible unable refuse "
    "refused reject rejected deny denied ignore ignored ignoring careless lazy rude abuse "
    "vandalism vandal spam attack attacks harm harmful misleading incorrect inaccurate "
    "unacceptable inappropriate irrelevant obviously clearly waste wasted trouble concern "
    "concerns worry worried lose lost delay delayed slow never nothing nobody crap damn hell "
    "idiot idiotic pathetic incompetent shame shameful disruptive disruption biased bias "
    "false lie lies lying threat threaten warning warned ban banned block blocked revert "
    "reverted remove removed delete deleted unhelpful insult insulting offensive"
)
_HEDGES = (
    "think thought thinking almost apparent apparently appear appeared appears approximately "
    "around assume assumed claim claimed doubt doubtful essentially estimate estimated feel "
    "felt frequently generally guess largely likely mainly may maybe might mostly often ought "
    "perhaps plausible plausibly possible possibly presumably probable probably relatively "
    "roughly seem seems seemed should sometimes somewhat suggest suggested suggests suppose "
    "supposed suspect tend tends typical typically uncertain unclear unlikely usually "
    "broadly fairly quite rather argue argued believe believed wonder"
)

# First word of a sentence; the longest phrase there wins ("good morning" is a greeting,
# not deference).
_START = _table({
    "hi|hello|hey|dear|greetings|howdy|hiya|good morning|good afternoon|good evening"
    "|good day": "greeting",
    "great|good|nice|interesting|cool|excellent|awesome|wonderful|brilliant": "deference",
    "so|then|and|but|or": "direct_start",
    "i|my|mine|myself|i'm|i've|i'll|i'd|im|ive": "first_person_start",
    "you|your|yours|yourself|you're|you've|you'll|you'd|u|ur|youre": "second_person_start",
    "please|pls|plz": "please_start",
})
# Any later word of a sentence.
_REST = _table({
    "i|my|mine|myself|i'm|i've|i'll|i'd|im|ive": "first_person",
    "you|your|yours|yourself|yourselves|you're|you've|you'll|you'd|u|ur|youre": "second_person",
    "please|pls|plz": "please",
})
# Any word, first or not.
_ANYWHERE = _table({
    "thank|thanks|thankful|thx|ty|appreciate|appreciated|appreciates|appreciating"
    "|appreciation|grateful|gratitude": "gratitude",
    "sorry|apologize|apologise|apologized|apologised|apologizing|apologising|apologies"
    "|apology|oops|woops|whoops|excuse me|forgive me|pardon me|my bad|regret|regrets"
    "|regrettably": "apology",
    "by the way|btw|incidentally": "by_the_way",
    "could you|would you|could u|would u|couldn't you|wouldn't you": "counterfactual_modal",
    "can you|will you|can u|will u": "indicative_modal",
    "would you mind|would it be possible|if you could|if you would|if you don't mind"
    "|if you wouldn't mind|i was wondering|i wonder if|would be grateful|would appreciate"
    "|would be great|would be nice": "subjunctive",
    "we|us|our|ours|ourselves|we're|we've|we'll|we'd|let's": "first_person_plural",
    "in fact|actually|the point is|the fact is|the reality is|the truth is"
    "|as a matter of fact|honestly|surely|in reality": "factuality",
    **{word: "positive_lexicon" for word in _POSITIVE.split()},
    **{word: "negative_lexicon" for word in _NEGATIVE.split()},
    **{word: "hedge" for word in _HEDGES.split()},
    "in my opinion|in my view|to my knowledge|from my perspective|sort of|kind of"
    "|i guess|not sure": "hedge",
})
_LONGEST = max(len(phrase) for table in (_START, _REST, _ANYWHERE) for phrase in table)
_DIRECT_QUESTION = frozenset({"what", "why", "who", "how"})


def _sentences(text: str) -> list[tuple[list[str], bool]]:
    """The words of each sentence, and whether the sentence is a question.

    A sentence ends at ".", "!", "?" or a line break, so a salutation line ("Hi Sam,") is a
    sentence of its own, as it reads.
    """
    text = _LINK.sub(" ", text.replace("\u2019", "'").lower())
    sentences: list[tuple[list[str], bool]] = []
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if token[0].isalnum():
            words.append(token)
        elif words:
            sentences.append((words, token == "?"))
            words = []
    if words:
        sentences.append((words, False))
    return sentences


def _lookup(table: _Table, words: list[str], i: int) -> tuple[str, int] | None:
    """The strategy of the longest phrase of ``table`` starting at word ``i``, and its length."""
    for n in range(min(_LONGEST, len(words) - i), 0, -1):
        strategy = table.get(tuple(words[i:i + n]))
        if strategy is not None:
            return strategy, n
    return None


def strategies(text: str) -> dict[str, int]:
    """How often each politeness strategy occurs in ``text``; strategies not found are absent.

    Phrases of one strategy do not overlap; different strategies may share words ("would
    appreciate" is both subjunctive and gratitude).
    """
    counts: dict[str, int] = {}
    for words, question in _sentences(text):
        if question and words[0] in _DIRECT_QUESTION:
            counts["direct_question"] = counts.get("direct_question", 0) + 1
        covered: dict[str, int] = {}  # strategy -> first word index its last phrase left free
        for i in range(len(words)):
            for table in (_START if i == 0 else _REST, _ANYWHERE):
                found = _lookup(table, words, i)
                if found is None:
                    continue
                strategy, n = found
                if i < covered.get(strategy, 0):
                    continue
                covered[strategy] = i + n
                counts[strategy] = counts.get(strategy, 0) + 1
    return {name: counts[name] for name in STRATEGIES if name in counts}


@functools.cache
def _model() -> dict[str, float]:
    """Weights by feature name, with the calibrated intercept under ``""``; read once."""
    import json  # only when a score is first asked for: keeps importing this module cheap

    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return {"": float(model["intercept"]), **model["weights"]}


def score(text: str) -> float:
    """Politeness of ``text``: above 0.0 more polite than the median request, below less.

    A logistic-regression logit (so ``1 / (1 + exp(-score))`` would be the chance of "polite"
    once the median shift is undone); in practice within about [-3, 3].
    """
    weights = _model()
    found = strategies(text)
    return weights[""] + sum(weights.get(name, 0.0) for name in found)
