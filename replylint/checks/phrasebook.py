"""Phrase-table rules: a table of wordings, each with its reason and better wordings.

Most tone and jargon rules are data: an ``Entry`` per wording (a word-bounded regular
expression, case-insensitive, where ``'`` also matches a typographic apostrophe). Every such
rule gets two options so a support lead can tune it from config without Python: ``extra``
(more phrases to flag) and ``allow`` (phrases never to flag).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from ..declarative import phrase_pattern
from ..model import Check, Document, Hit, Option, Severity, check
from ..phrasescan import PhraseTable


class Entry(NamedTuple):
    pattern: str
    message: str
    replacements: tuple[str, ...] = ()


def _source(pattern: str) -> str:
    return pattern.replace("'", "['\u2019]")


def compile_entries(entries: Sequence[Entry]) -> PhraseTable:
    """The whole table as one matcher; a match's ``lastgroup`` (``e3``) names the entry."""
    return PhraseTable([_source(e.pattern) for e in entries])


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


@cache
def _extra_pattern(phrases: tuple[str, ...]) -> PhraseTable:
    return phrase_pattern(list(phrases))


def phrase_hits(
    doc: Document,
    pattern: PhraseTable,
    entries: Sequence[Entry],
    options: Mapping[str, Any],
    extra_message: str,
    skip: Callable[[re.Match[str]], bool] | None = None,
    fit: Callable[[str, int], str] | None = None,
) -> Iterator[Hit]:
    """Hits of a phrase table and of the rule's ``extra`` phrases, minus ``allow``.

    ``skip(match)`` drops further matches (a family's own reasons: the customer used the
    word, the acronym is spelled out); ``fit(replacement, start)`` adapts a replacement to
    where it goes (a capital at a sentence start). For an ``extra`` phrase ``lastgroup`` is
    None.
    """
    allow = {_norm(a) for a in options.get("allow", ())}
    text = doc.prose

    def wanted(m: re.Match[str]) -> bool:
        return _norm(m.group()) not in allow and not (skip and skip(m))

    for m in pattern.finditer(text):
        if wanted(m):
            entry = entries[int(m.lastgroup[1:])]  # type: ignore[index]
            replacements = tuple(fit(r, m.start()) if fit else r for r in entry.replacements)
            yield Hit(m.start(), m.end(), entry.message.format(match=m.group()), replacements)
    extra = tuple(p for p in options.get("extra", ()) if p.strip())
    if extra:
        for m in _extra_pattern(extra).finditer(text):
            if wanted(m):
                yield Hit(m.start(), m.end(), extra_message.format(match=m.group()))


PHRASE_OPTIONS = (
    Option("extra", list, [], "more phrases to flag (whole words, any case)"),
    Option("allow", list, [], "phrases never to flag, as written in the reply"),
)


def phrase_check(
    id: str,
    code: str,
    severity: Severity | str,
    entries: Sequence[Entry],
    *,
    extra_message: str,
    kinds: Sequence[str] = ("draft", "macro"),
    options: Sequence[Option] = (),
    default_enabled: bool = True,
) -> Callable[[Callable[..., Any]], Check]:
    """Decorator: the decorated function documents a rule driven by ``entries``.

    The function itself is called too, as ``func(doc, options)``, for hits a table cannot
    express; a purely tabular rule's function just returns None.
    """
    pattern = compile_entries(entries)

    def wrap(func: Callable[..., Any]) -> Check:
        def run(doc: Document, opts: Mapping[str, Any]) -> Iterator[Hit]:
            yield from phrase_hits(doc, pattern, entries, opts, extra_message)
            yield from func(doc, opts) or ()

        run.__doc__ = func.__doc__
        return check(id, code, severity, kinds=kinds, options=(*PHRASE_OPTIONS, *options),
                     default_enabled=default_enabled)(run)

    return wrap
