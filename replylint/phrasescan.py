"""Fast scanning of phrase tables: one regular expression per table, run only where it can match.

A table of ~70 alternatives scanned with ``finditer`` tries every alternative at every word
start of every reply; that was a quarter of replylint's time per reply. Here each entry's
possible first two letters are read off its parsed pattern, and the table's pattern is
matched only at word starts whose first two letters some entry can begin with, against a
pattern of just those entries (in table order, so the same alternative wins). The result is
the same list of matches as ``pattern.finditer(text)`` of the whole table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from . import needlescan, regexcache
from .model import GROUP_TEXTS

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


@lru_cache(maxsize=GROUP_TEXTS)
def word_index(text: str) -> tuple[dict[str, list[int]], list[int]]:
    """Where words start, by their first ``KEY`` characters lower-cased, and the starts that
    are not ASCII; shared by every table run on the same text."""
    by_key: dict[str, list[int]] = {}
    odd: list[int] = []
    # lower-cased and blank-mapped once: a key is then a plain slice (unless lower-casing
    # changes the length, as "\u0130" does: then key by key)
    low = text.lower()
    base = low.translate(BLANKS) if len(low) == len(text) else None
    for m in WORDS.finditer(text):
        at = m.start()
        key = base[at : at + KEY] if base is not None else _key(text, at)
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
        self._short_lengths: tuple[int, ...] = ()  # of the ``_short`` prefixes
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
            self._short_lengths = tuple(sorted({len(s) for s in self._short}))
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
        short = self._short
        for n in self._short_lengths:  # one pass per length: a slice and a lookup per word
            keys.update(k for k in by_key if k[:n] in short)
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
MIN_NEEDLE = 2
#: a class of at most this many characters multiplies the needles instead of ending them
SMALL_CLASS = 6
MAX_NEEDLES = 64
#: a pattern whose matches may run longer than this is always scanned whole
MAX_REACH = 4096
#: a start class letting through more than this many lower-case letters' worth of prose
#: rules out too few positions to pay for itself
MAX_START_CHARS = 20


@lru_cache(maxsize=2 * GROUP_TEXTS)  # sentences too, which rules search alone
def _lowered(text: str) -> str | None:
    """``text`` lower-cased for needle tests, or None when case folding could hide a match."""
    return None if not text.isascii() and _FOLDS.search(text) else text.lower()


def _lead(seq: list) -> str:
    """The literal characters ``seq`` starts with, lower-cased."""
    out = ""
    for op, av in seq:
        if op is not sre.LITERAL:
            break
        out += chr(av).lower()
    return out


def _few_chars(op: Any, av: Any) -> str | None:
    """The characters a small class (``[- ]``, ``[pousr]``) matches, lower-cased; else None."""
    if op is not sre.IN:
        return None
    found: set[str] = set()
    for item, value in av:  # only literal characters: ``\s`` is more than a space here
        if item is sre.LITERAL:
            found.add(chr(value).lower())
        elif item is sre.RANGE and value[1] - value[0] < SMALL_CLASS:
            found.update(chr(x).lower() for x in range(value[0], value[1] + 1))
        else:
            return None
    return "".join(sorted(found)) if len(found) <= SMALL_CLASS else None


def _factors(seq: list) -> frozenset[str] | None:
    """Strings one of which occurs in every match of ``seq`` (None: none known)."""
    best: frozenset[str] | None = None
    runs: frozenset[str] = frozenset({""})  # the literal run just read, in each variant

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and "" not in found and (best is None or
                                          min(map(len, found)) > min(map(len, best))):
            best = found

    for op, av in seq:
        if op is sre.LITERAL:
            runs = frozenset(r + chr(av).lower() for r in runs)
            continue
        few = _few_chars(op, av)
        if few is not None and len(runs) * len(few) <= MAX_NEEDLES:
            runs = frozenset(r + c for r in runs for c in few)
            continue
        consider(runs)
        before, runs = runs, frozenset({""})
        if op is sre.SUBPATTERN:
            consider(_factors(list(av[3])))
        elif op is sre.BRANCH:
            alts = [_factors(list(a)) for a in av[1]]
            if all(alts):
                consider(frozenset().union(*alts))  # type: ignore[arg-type]
            if "" not in before:  # the parser moves a prefix the alternatives share out
                consider(frozenset(b + _lead(list(a)) for b in before for a in av[1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_factors(list(av[2])))
    consider(runs)
    if best is not None and min(map(len, best)) < MIN_NEEDLE:
        return None
    return best


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased strings one of which is in every match of ``pattern``; None if unknown."""
    return regexcache.derived(f"needles{MIN_NEEDLE}", pattern.pattern, pattern.flags,
                              lambda: _needles(pattern))


def _needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    try:
        return _factors(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except (re.error, RecursionError):
        return None


_CLASS_CATEGORIES = {sre.CATEGORY_DIGIT: (r"\d", 2.0), sre.CATEGORY_SPACE: (r"\s", math.inf)}


def _escape(c: int) -> str:
    return f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}"


def _weight(c: int, ignore_case: bool) -> float:
    """How common a character is in prose: lower-case letters and spaces are most of it."""
    ch = chr(c).lower() if ignore_case else chr(c)
    return 1.0 if ch == " " or "a" <= ch <= "z" else 0.25


def _first(seq: Any, ignore_case: bool) -> tuple[dict[str, float], bool] | None:
    """Class items (``a``, ``0-9``, ``\\d``), with their weights, covering the first character
    a match of ``seq`` consumes, and whether ``seq`` can match without consuming any; None
    when that character can be almost anything."""
    items: dict[str, float] = {}
    for op, av in seq:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: the character after them comes first
        if op is sre.LITERAL:
            items[_escape(av)] = _weight(av, ignore_case)
            return items, False
        if op is sre.IN:
            for item, value in av:
                if item is sre.LITERAL:
                    items[_escape(value)] = _weight(value, ignore_case)
                elif item is sre.RANGE and value[1] - value[0] < 256:
                    items[f"{_escape(value[0])}-{_escape(value[1])}"] = sum(
                        _weight(c, ignore_case) for c in range(value[0], value[1] + 1))
                elif item is sre.CATEGORY and value in _CLASS_CATEGORIES:
                    text, weight = _CLASS_CATEGORIES[value]
                    items[text] = weight
                else:  # a negated class, \w, \S…
                    return None
            return items, False
        if op is sre.SUBPATTERN:
            if av[1] & sre.SRE_FLAG_IGNORECASE and not ignore_case:
                return None  # (?i:…): a class without the flag would miss the other case
            inner = _first(av[3], ignore_case)
        elif op is sre.BRANCH:
            alts = [_first(a, ignore_case) for a in av[1]]
            if any(a is None for a in alts):
                return None
            inner = ({k: v for a in alts for k, v in a[0].items()},  # type: ignore[index]
                     any(a[1] for a in alts))  # type: ignore[index]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            inner = _first(av[2], ignore_case)
            if inner is not None and av[0] == 0:
                inner = inner[0], True
        else:
            return None
        if inner is None:
            return None
        items.update(inner[0])
        if not inner[1]:
            return items, False
    return items, True


def _skips_alone(parsed: Any, ignore_case: bool) -> bool:
    """Whether ``re`` itself jumps to where a match can start: a pattern starting with a
    character, a class or (case-sensitive) alternatives that each start with a character,
    or anchored at the start. Only the others gain from a start class."""
    op, av = parsed.data[0]
    while op is sre.SUBPATTERN and av[3].data:
        op, av = av[3].data[0]
    if op is sre.AT:
        return av not in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY)
    if op is sre.BRANCH:
        return not ignore_case and all(a.data and a.data[0][0] is sre.LITERAL for a in av[1])
    return op not in (sre.ASSERT, sre.ASSERT_NOT)


def _start_class(pattern: re.Pattern[str]) -> str | None:
    """A class of the characters every match of ``pattern`` starts with, when ``re`` does not
    skip to them itself and they are few enough in prose to rule out most positions."""
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    if not parsed.data or _skips_alone(parsed, ignore_case):
        return None
    first = _first(parsed, ignore_case)
    if first is None or first[1] or sum(first[0].values()) > MAX_START_CHARS:
        return None
    return f"[{''.join(sorted(first[0]))}]"


def starting(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with a lookahead in front naming the characters its matches start with
    (``(?=[tnw])\\b(?:today|now|within…)``), so that ``re`` skips other positions at once
    instead of trying every alternative there; ``pattern`` itself when there is no narrow
    class. The matches are the same."""
    chars = regexcache.derived("start", pattern.pattern, pattern.flags,
                               lambda: _start_class(pattern))
    if chars is None:
        return pattern
    try:
        return re.compile(f"(?={chars})(?:{pattern.pattern})", pattern.flags)
    except re.error:  # e.g. a global flag such as (?i) that must come first
        return pattern


def leftmost(patterns: Sequence[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """The matches ``finditer`` of the alternation of ``patterns`` (in this order) finds in
    ``text``: the leftmost match of any, the first pattern's on a tie, then on from its end.

    For an alternation whose branches start with different characters, where ``re`` would try
    each branch at every candidate position; apart, each pattern skips ahead on its own. No
    pattern may match the empty string.
    """
    if len(patterns) == 1:
        yield from patterns[0].finditer(text)
        return
    pos = 0
    found = [p.search(text) for p in patterns]
    while True:
        best = None
        for i, m in enumerate(found):
            if m is not None and m.start() < pos:  # overlaps the last match: look on from it
                m = found[i] = patterns[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best
        pos = best.end()


def _reach(parsed: Any) -> int | None:
    """The most characters past its start that a match can use or look at: its width plus
    what lookaheads and ``\\b`` or ``$`` peek at; None when unbounded."""
    lo, hi = parsed.getwidth()
    total = hi + 1  # an assertion at the end peeks at one more character
    stack = [parsed]
    while stack:
        for op, av in stack.pop():
            if op is sre.ASSERT or op is sre.ASSERT_NOT:
                direction, sub = av
                if direction > 0:
                    total += sub.getwidth()[1]
                stack.append(sub)
            elif op is sre.SUBPATTERN:
                stack.append(av[3])
            elif op is sre.BRANCH:
                stack.extend(av[1])
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                stack.append(av[2])
            elif op is sre.GROUPREF_EXISTS:
                stack.extend(a for a in av[1:] if a is not None)
            elif op is sre.ATOMIC_GROUP:
                stack.append(av)
    return total if total < MAX_REACH else None


def reach(pattern: re.Pattern[str]) -> int | None:
    """``_reach`` of a compiled pattern (remembered across runs, as its needles are)."""
    def compute() -> int | None:
        try:
            return _reach(sre_parse.parse(pattern.pattern, pattern.flags))
        except (re.error, RecursionError, TypeError, ValueError):
            return None

    return regexcache.derived("reach", pattern.pattern, pattern.flags, compute)  # type: ignore[no-any-return]


class Prefiltered:
    """A compiled pattern that skips texts lacking all of its needles (``needles``), and in
    other texts searches only near them.

    Most of replylint's patterns look for wording most replies do not contain ("guarantee",
    "sk_live_"): a substring test on the lower-cased text rules them out in microseconds,
    where the regular expression would try its alternatives at every character. When a text
    has some needles and the pattern's matches are short (``reach``), only the stretches
    around each needle are searched: a match must contain a needle and start at most
    ``reach`` characters before it. The matches are exactly ``regex.finditer``'s.
    """

    __slots__ = ("regex", "_needles", "_reach", "_scan", "_last", "slot", "__weakref__")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.regex = pattern
        self._needles: frozenset[str] | None | bool = False
        self._reach: int | None | bool = False
        self._scan: re.Pattern[str] | None = None
        #: the last text looked at and where its needles are (several rules search the same
        #: document's prose with one pattern); one tuple, so threads never see half of it
        self._last: tuple[str, list[int] | None] = ("", None)
        self.slot: needlescan.Slot = (0, 0)  # its bit in the needles of all patterns
        needlescan.register(self)

    @property
    def scan(self) -> re.Pattern[str]:
        """``regex`` for scanning, with its start class in front (``starting``)."""
        if self._scan is None:
            self._scan = starting(self.regex)
        return self._scan

    @property
    def needles(self) -> frozenset[str] | None:
        if self._needles is False:  # worked out on first use: start-up stays short
            self._needles = needles(self.regex)
        return self._needles  # type: ignore[return-value]

    def _positions(self, text: str) -> list[int] | None:
        """Where needles occur ([]: nowhere), when searching near them beats scanning the
        whole text; None: scan it whole."""
        last = self._last
        if last[0] is text:
            return last[1]
        found = self._needles
        if found is False:
            found = self.needles
        low = None if found is None else _lowered(text)
        if low is None:
            positions = None
        elif not needlescan.may_match(self.slot, low, found):  # most patterns, most texts
            positions = []
        else:
            positions = self._find(text, low, found)  # type: ignore[arg-type]
        self._last = (text, positions)
        return positions

    def _find(self, text: str, low: str, found: frozenset[str]) -> list[int] | None:
        """Where the needles ``found`` occur in ``text`` (``low``: lower-cased), or None
        when one scan of the whole text is cheaper."""
        if self._reach is False:
            self._reach = reach(self.regex)
        width = self._reach
        if width is None:
            return None
        budget = len(text) // (2 * width + 1)  # beyond this many windows, one scan is cheaper
        if budget < 2:
            return None
        out: list[int] = []
        for n in found:
            i = low.find(n)
            while i >= 0:
                out.append(i)
                if len(out) > budget:
                    return None
                i = low.find(n, i + 1)
        out.sort()
        return out

    def _near(self, text: str, positions: list[int]) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)``, searching only the windows around ``positions``."""
        width = self._reach
        assert isinstance(width, int)
        n = len(text)
        pos = 0
        search = self.scan.search
        for k in positions:
            if k < pos:
                continue
            m = search(text, max(pos, k - width), min(n, k + 2 * width))
            # a match starting after k has its own needle further on: found from there
            if m is not None and m.start() <= k:
                yield m
                pos = m.end() if m.end() > m.start() else m.end() + 1

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        if args:
            return self.scan.finditer(text, *args)
        positions = self._positions(text)
        if positions is None:
            return self.scan.finditer(text)
        return self._near(text, positions) if positions else iter(())

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return next(self.finditer(text, *args), None)

    def findall(self, text: str, *args: int) -> list[Any]:
        if args:
            return self.scan.findall(text, *args)
        positions = self._positions(text)
        if positions is None:
            return self.scan.findall(text)
        if not positions:
            return []
        groups = self.regex.groups
        return [m.group() if groups == 0 else m.group(1) or "" if groups == 1
                else tuple(g or "" for g in m.groups()) for m in self._near(text, positions)]

    def __getattr__(self, name: str) -> Any:  # match, fullmatch, sub…: no prefilter
        return getattr(self.regex, name)
