"""Fast scanning of phrase tables: one regular expression per table, run only where it can match.

A table of ~70 alternatives scanned with ``finditer`` tries every alternative at every word
start of every reply; that was a quarter of replylint's time per reply. Here each entry's
possible first two letters are read off its parsed pattern, and the table's pattern is
matched only at word starts whose first two letters some entry can begin with, against a
pattern of just those entries (in table order, so the same alternative wins). The result is
the same list of matches as ``pattern.finditer(text)`` of the whole table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from . import regexcache

#: where a table's match can start: a word character not preceded by a word or apostrophe
BOUNDARY = r"(?<![\w'\u2019])"
END = r"(?![\w'\u2019])"
WORDS = re.compile(r"\w+")
KEY = 4  # letters of a word start that select the entries to try
MAX_PREFIXES = 400  # beyond this an entry is tried everywhere (still correct, just slower)
SMALL_SET = 40
DIGITS = "0123456789"
#: ASCII ``\s`` counts as one character in keys ("in\norder" and "in order" share a key);
#: a key with other characters tries the whole table
BLANKS = str.maketrans(dict.fromkeys("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", " "))


@lru_cache(maxsize=16)
def word_index(text: str) -> tuple[dict[str, list[int]], list[int]]:
    """Where words start, by their first ``KEY`` characters lower-cased, and the starts that
    are not ASCII; shared by every table run on the same text."""
    by_key: dict[str, list[int]] = {}
    odd: list[int] = []
    for m in WORDS.finditer(text):
        at = m.start()
        key = _key(text, at)
        if key.isascii():
            by_key.setdefault(key, []).append(at)
        else:
            odd.append(at)
    return by_key, odd


class _Unknown(Exception):
    """The pattern can start with a character we do not enumerate."""


def _chars(items: list) -> str:
    out: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < SMALL_SET:
            out.extend(chr(x) for x in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            out.extend(DIGITS)
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            out.append(" ")
        else:
            raise _Unknown
    return "".join(out)


def _extend(seq: list, states: set[str]) -> set[str]:
    for op, av in seq:
        if all(len(s) >= KEY for s in states):
            break
        states = _step(op, av, states)
        if len(states) > MAX_PREFIXES:
            raise _Unknown
    return states


def _grow(states: set[str], chars: str) -> set[str]:
    return {s if len(s) >= KEY else s + ch.lower().translate(BLANKS)
            for s in states for ch in chars}


def _key(text: str, at: int) -> str:
    return text[at : at + KEY].lower().translate(BLANKS)


def _step(op, av, states: set[str]) -> set[str]:
    if op is sre.LITERAL:
        return _grow(states, chr(av))
    if op is sre.IN:
        return _grow(states, _chars(av))
    if op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
        return _grow(states, DIGITS)
    if op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
        return _grow(states, " ")
    if op is sre.BRANCH:
        return set().union(*(_extend(list(alt), set(states)) for alt in av[1]))
    if op is sre.SUBPATTERN:
        return _extend(list(av[3]), states)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av
        out = set(states) if low == 0 else set()
        current = states
        for i in range(min(high, KEY)):
            current = _extend(list(body), current)
            if i + 1 >= low:
                out |= current
        if low > KEY:
            out |= current
        return out
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return states  # zero-width: never moves the start
    raise _Unknown


def prefixes(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-cased strings (up to ``KEY`` letters) every match of ``pattern`` starts with;
    None when that cannot be told (a class like ``\\w`` or ``.`` comes first)."""
    return regexcache.derived("prefixes", pattern, flags, lambda: _prefixes(pattern, flags))


def _prefixes(pattern: str, flags: int) -> frozenset[str] | None:
    try:
        found = _extend(list(sre_parse.parse(pattern, flags)), {""})
    except _Unknown:
        return None
    if "" in found or any(not (s[0].isalnum() or s[0] == "_") for s in found):
        return None
    return frozenset(found)


class PhraseTable:
    """A table of alternatives ``(?P<e0>…)|(?P<e1>…)|…`` matched between word boundaries
    (``start`` and ``end``: by default a word or apostrophe may not touch the match).

    ``finditer(text)`` yields the matches ``self.pattern.finditer(text)`` would, with the
    same ``lastgroup`` names, in a fraction of the time. A table with an entry whose start
    cannot be read off (``\\w+ing``, ``.``) is scanned whole, as before.
    """

    def __init__(
        self, alternatives: Sequence[str], flags: int = re.IGNORECASE,
        start: str = BOUNDARY, end: str = END,
    ) -> None:
        self.alternatives = tuple(alternatives)
        self.flags = flags
        self.bounds = (start, end)
        self._pattern: re.Pattern[str] | None = None
        #: entries by the prefix they start with; ``_short`` holds prefixes under KEY letters
        self._by_key: dict[str, list[int]] | None = None
        self._short: dict[str, list[int]] = {}
        self._compiled: dict[str, re.Pattern[str] | None] = {}
        self.fast = bool(self.alternatives)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole table as one regular expression (compiled on first use)."""
        if self._pattern is None:
            self._pattern = self._compile(range(len(self.alternatives)))
        return self._pattern

    def _index(self) -> dict[str, list[int]]:
        """Entries by prefix, read off the patterns on first use (start-up stays short)."""
        if self._by_key is None:
            self._by_key = {}
            for i, alt in enumerate(self.alternatives):
                starts = prefixes(alt, self.flags)
                if starts is None:
                    self.fast = False
                    break
                for s in starts:
                    (self._by_key if len(s) == KEY else self._short).setdefault(s, []).append(i)
        return self._by_key

    def _compile(self, indices: Sequence[int] | range) -> re.Pattern[str]:
        body = "|".join(f"(?P<e{i}>{self.alternatives[i]})" for i in indices)
        return re.compile(f"{self.bounds[0]}(?:{body}){self.bounds[1]}", self.flags)

    def _entries(self, key: str) -> list[int]:
        found = list(self._index().get(key, ()))
        for n in range(1, KEY):
            found += self._short.get(key[:n], ())
        return found

    def _for_key(self, key: str) -> re.Pattern[str] | None:
        if not key.isascii():  # case folding beyond ASCII ("K" is Kelvin's K): the whole table
            return self.pattern
        found = self._compiled.get(key, False)
        if found is False:
            wanted = sorted(set(self._entries(key)))
            found = self._compiled[key] = self._compile(wanted) if wanted else None
        return found

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        index = self._index()
        if not self.fast:
            yield from self.pattern.finditer(text)
            return
        by_key, odd = word_index(text)
        keys = index.keys() & by_key.keys()
        if self._short:
            keys.update(k for k in by_key if any(k[:n] in self._short for n in range(1, KEY)))
        starts = sorted(set(odd).union(*(by_key[k] for k in keys)))
        after = 0
        for at in starts:
            if at < after:
                continue
            pattern = self._for_key(_key(text, at))
            if pattern is not None:
                m = pattern.match(text, at)
                if m:
                    after = m.end()
                    yield m

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)

    def findall(self, text: str) -> list[str]:
        return [m.group() for m in self.finditer(text)]


# -- prefilters ---------------------------------------------------------------------------------

#: characters that match an ASCII letter under IGNORECASE but do not lower-case to one ("İ",
#: "ı", "ſ"; tests/test_phrasescan.py derives the list again): a text with one is always
#: given to the regular expression
_FOLDS = re.compile("[\u0130\u0131\u017f]")
MIN_NEEDLE = 3


@lru_cache(maxsize=16)
def _lowered(text: str) -> str | None:
    """``text`` lower-cased for needle tests, or None when case folding could hide a match."""
    return None if _FOLDS.search(text) else text.lower()


def _factors(seq: list) -> frozenset[str] | None:
    """Strings one of which occurs in every match of ``seq`` (None: none known)."""
    best: frozenset[str] | None = None
    run = ""

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, av in seq:
        if op is sre.LITERAL:
            run += chr(av).lower()
            continue
        consider(frozenset({run}) if run else None)
        run = ""
        if op is sre.SUBPATTERN:
            consider(_factors(list(av[3])))
        elif op is sre.BRANCH:
            alts = [_factors(list(a)) for a in av[1]]
            if all(alts):
                consider(frozenset().union(*alts))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_factors(list(av[2])))
    consider(frozenset({run}) if run else None)
    if best is not None and min(map(len, best)) < MIN_NEEDLE:
        return None
    return best


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased strings one of which is in every match of ``pattern``; None if unknown."""
    return regexcache.derived("needles", pattern.pattern, pattern.flags,
                              lambda: _needles(pattern))


def _needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    try:
        return _factors(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except (re.error, RecursionError):
        return None


class Prefiltered:
    """A compiled pattern that skips texts lacking all of its needles (``needles``).

    Most of replylint's patterns look for wording most replies do not contain ("guarantee",
    "sk_live_"): a substring test on the lower-cased text rules them out in microseconds,
    where the regular expression would try its alternatives at every character.
    """

    __slots__ = ("regex", "_needles")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.regex = pattern
        self._needles: frozenset[str] | None | bool = False

    @property
    def needles(self) -> frozenset[str] | None:
        if self._needles is False:  # worked out on first use: start-up stays short
            self._needles = needles(self.regex)
        return self._needles  # type: ignore[return-value]

    def _absent(self, text: str) -> bool:
        found = self.needles
        if found is None:
            return False
        low = _lowered(text)
        return low is not None and not any(n in low for n in found)

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        return iter(()) if self._absent(text) else self.regex.finditer(text, *args)

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return None if self._absent(text) else self.regex.search(text, *args)

    def findall(self, text: str, *args: int) -> list[Any]:
        return [] if self._absent(text) else self.regex.findall(text, *args)

    def __getattr__(self, name: str) -> Any:  # match, fullmatch, sub…: no prefilter
        return getattr(self.regex, name)
