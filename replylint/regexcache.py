"""Compiled regular expressions kept between runs, so start-up does not compile ~250 again.

replylint's rules are mostly regular expressions, and compiling them was over a third of the
start-up of a pre-send check. Python keeps compiled patterns only for the process (in
``re._cache``). At the end of a command-line run, ``save()`` writes the compiled form of the
patterns in that cache (the code ``re._compiler`` produces) to the cache directory; the next
process's ``load()`` puts them back into ``re._cache``, where every later ``re.compile`` of the
same pattern and flags finds them.

This uses CPython internals (``_sre.compile``, ``re._cache``), so it is keyed by the
interpreter's cache tag and the regular-expression engine's ``MAGIC`` number, limited to the
CPython versions it was checked on, and falls back to plain compilation on any surprise: a
missing, stale or corrupt file only costs the compilations it would have saved. ``_sre``
validates the code it is given, so a tampered file cannot make the engine misbehave.
``REPLYLINT_NO_REGEX_CACHE=1`` switches it off.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

SUPPORTED = (sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)
             and isinstance(getattr(re, "_cache", None), dict))
MAX_ENTRIES = 2000
FORMAT = 3  # of the file: part of its name
#: the array type of the engine's code words, which the file stores as bytes
_CODE_TYPE = "I" if array("I").itemsize == _sre.CODESIZE else "L"
#: fewer new patterns than this do not rewrite the file (see ``save``)
MIN_NEW = 5
_loaded: set[tuple[str, int]] = set()
_entries: list[tuple[Any, ...]] = []
#: what replylint reads off parsed patterns (a phrase table's prefixes, a prefilter's needles),
#: kept with the compiled code: parsing is the costly half of compiling. Each value is kept
#: with the stamp of the file whose code computed it, so a changed derivation is not served
#: from an older run's file.
_derived: dict[tuple[str, str, int], tuple[str, Any]] = {}
_derived_new = False


@cache
def _stamp(filename: str) -> str:
    try:
        st = os.stat(filename)
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def derived(kind: str, pattern: str, flags: int, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered across runs under ``(kind, pattern, flags)`` for as long as
    the file that defines ``compute`` is unchanged."""
    global _derived_new
    key = (kind, pattern, int(flags))
    stamp = _stamp(compute.__code__.co_filename)
    found = _derived.get(key)
    if found is None or found[0] != stamp:
        found = _derived[key] = (stamp, compute())
        _derived_new = True
    return found[1]


def enabled() -> bool:
    return SUPPORTED and not os.environ.get("REPLYLINT_NO_REGEX_CACHE")


def path() -> Path:
    from .cachedir import cache_dir

    return cache_dir() / f"regex{FORMAT}-{sys.implementation.cache_tag}-{_sre.MAGIC}.marshal"


def compile_entry(entry: tuple[Any, ...]) -> re.Pattern[str]:
    """The pattern a saved entry holds (exceptions if the entry is damaged)."""
    pattern, _, final_flags, code, groups, groupindex, indexgroup = entry
    words = array(_CODE_TYPE)
    words.frombytes(code)
    return _sre.compile(  # type: ignore[no-any-return]
        pattern, final_flags, words.tolist(), groups, groupindex, indexgroup)


class _Deferred(dict):  # type: ignore[type-arg]
    """``re``'s own cache, which builds a saved pattern the first time it is asked for it:
    a run compiles only the patterns it uses, not all of the file's."""

    def __missing__(self, key: tuple[Any, str, int]) -> Any:
        entry = _pending.pop(key[1:], None) if key[0] in (str, bytes) else None
        if entry is None:
            raise KeyError(key)
        try:
            compiled = compile_entry(entry)
        except Exception:  # a damaged entry: ``re`` compiles the pattern as usual
            raise KeyError(key) from None
        self[key] = compiled
        return compiled


#: saved entries not compiled yet, by (pattern, flags)
_pending: dict[tuple[str, int], tuple[Any, ...]] = {}


def load() -> int:
    """Make the saved patterns available to ``re``; how many there are."""
    if not enabled():
        return 0
    try:
        entries, derived_values = marshal.loads(path().read_bytes())
        for entry in entries:
            _pending.setdefault((entry[0], entry[1]), entry)
            _loaded.add((entry[0], entry[1]))
            _entries.append(entry)
        _derived.update(derived_values)
    except Exception:  # no file yet, another Python, a damaged file: compile as usual
        return 0
    # 3.12+ looks patterns up in ``_cache2`` first; 3.11 has only ``_cache``
    name = "_cache2" if hasattr(re, "_cache2") else "_cache"
    if type(getattr(re, name)) is dict:
        setattr(re, name, _Deferred(getattr(re, name)))
    return len(_loaded)


def save() -> None:
    """Add the patterns this process compiled to the file, when there are enough new ones;
    a full file drops the patterns this run did not use first.

    Some patterns of the standard library change from run to run (``email`` builds four
    from sets, whose order varies), so a handful of new patterns is normal and not worth a
    rewrite; only the new patterns are compiled again here, the loaded ones are kept as read.
    """
    if not enabled():
        return
    from re import _compiler, _parser  # type: ignore[attr-defined]

    new = [(p, f) for t, p, f in list(re._cache)  # type: ignore[attr-defined]
           if t in (str, bytes) and (p, f) not in _loaded]
    if len(new) < MIN_NEW and not _derived_new:
        return
    # kept first when the file is full: what this run used, then what it added
    entries = ([e for e in _entries if (e[0], e[1]) in _pending]
               + [e for e in _entries if (e[0], e[1]) not in _pending])
    for pattern, flags in new:
        try:
            parsed = _parser.parse(pattern, flags)
            code = _compiler._code(parsed, flags)
        except Exception:
            continue
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entries.append((pattern, int(flags), int(flags | parsed.state.flags),
                        array(_CODE_TYPE, code).tobytes(), parsed.state.groups - 1,
                        groupindex, tuple(indexgroup)))
    from .cachedir import write_atomic

    derived_values = dict(list(_derived.items())[-MAX_ENTRIES * 4:])
    try:
        data = marshal.dumps((entries[-MAX_ENTRIES:], derived_values))
    except ValueError:
        return
    write_atomic(path(), data)
