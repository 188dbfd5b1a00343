"""Which prefilters can match a text, for all of them in one read of it.

A reply is searched by some fifty ``Prefiltered`` patterns, and each first asks whether the
reply holds one of its needles. Asked one ``in`` test at a time, that was 330 reads of the
reply, a tenth of its linting. Here every live pattern's needles go into one Aho-Corasick
automaton (``pyahocorasick``), which reads a lower-cased text once and answers for every
pattern: each pattern is a bit, and the text's mask has the bits of the patterns one of whose
needles it contains.

Patterns register when they are made. The automaton is built once they have been asked
``BUILD_AFTER`` questions (a run of one draft never builds it), and again after new
patterns (a plugin's) have been. A pattern not in the build in use is answered by its own
``in`` tests, so the answer is always the one those tests would give.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .model import GROUP_TEXTS

#: a pattern's place in the automaton: (the build it is in, its bit); bit 0: not in it
Slot = tuple[int, int]


#: questions answered by ``in`` tests before the automaton is built: a pre-send check of one
#: draft asks about 50, fewer than building it (0.8 ms) saves
BUILD_AFTER = 250


class _Registry:
    __slots__ = ("lock", "now", "patterns", "stale", "waiting")

    def __init__(self) -> None:
        self.patterns: weakref.WeakSet[Any] = weakref.WeakSet()
        #: the build in use and its automaton (None: no needles), swapped in one assignment
        self.now: tuple[int, Any] = (0, None)
        self.stale = True
        self.waiting = 0  # questions asked by patterns not in the build in use
        self.lock = threading.Lock()


_registry = _Registry()


def register(pattern: Any) -> None:
    """Take ``pattern`` (with ``needles`` and a ``slot`` to set) into the next build."""
    _registry.patterns.add(pattern)
    _registry.stale = True


def _rebuild() -> None:
    import ahocorasick  # on the first search, not at import: start-up stays short

    with _registry.lock:
        if not _registry.stale:
            return
        _registry.stale = False
        _registry.waiting = 0
        build = _registry.now[0] + 1
        patterns = list(_registry.patterns)
        masks: dict[str, int] = {}
        for i, p in enumerate(patterns):
            for needle in p.needles or ():  # None: no needles, always searched
                masks[needle] = masks.get(needle, 0) | 1 << i
        automaton = None
        if masks:
            automaton = ahocorasick.Automaton()
            for needle, mask in masks.items():
                automaton.add_word(needle, mask)
            automaton.make_automaton()
        _registry.now = (build, automaton)
        present.cache_clear()
        for i, p in enumerate(patterns):  # after the swap: a slot never names a later build
            p.slot = (build, 1 << i if p.needles else 0)


@lru_cache(maxsize=2 * GROUP_TEXTS)
def present(low: str) -> tuple[int, int]:
    """The build in use and the mask of its patterns with a needle in ``low``."""
    build, automaton = _registry.now
    mask = 0
    if automaton is not None:
        for _, bits in automaton.iter(low):
            mask |= bits
    return build, mask


def may_match(slot: Slot, low: str, needles: Iterable[str]) -> bool:
    """Whether ``low`` holds one of ``needles``: by the automaton when the pattern is in the
    build in use, else by ``in`` tests (which also count towards the next build)."""
    build, bit = slot
    if bit:
        seen, mask = present(low)
        if seen == build:
            return bool(mask & bit)
    elif _registry.stale:
        _registry.waiting += 1
        if _registry.waiting >= BUILD_AFTER:
            _rebuild()
    return any(map(low.__contains__, needles))
