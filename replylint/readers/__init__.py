"""Readers turn a file's bytes into documents; each format is a plugin (``register_readers``)."""

from __future__ import annotations

import codecs
import fnmatch
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..model import Document, InputError

#: ``load(source, data)`` returns the file's documents, or None when the file is not its kind.
LoadFunc = Callable[[str, bytes], "list[Document] | None"]


@dataclass(frozen=True)
class Reader:
    name: str
    patterns: Sequence[str]
    load: LoadFunc
    help: str = ""

    def matches(self, filename: str) -> bool:
        return self._patterns.matches(filename)

    @cached_property
    def _patterns(self) -> Patterns:
        return Patterns(self.patterns)


class Patterns:
    """File-name patterns; ``*.md``-style ones are tested as plain endings (a walk of 10,000
    files tests each name)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        endings: list[str] = []
        globs: list[str] = []
        for p in patterns:
            if p.startswith("*") and not any(c in p[1:] for c in "*?[]"):
                endings.append(p[1:].lower())
            else:
                globs.append(p)
        self.endings, self.globs = tuple(endings), tuple(globs)

    def matches(self, filename: str) -> bool:
        base = filename.rsplit("/", 1)[-1].lower()
        return base.endswith(self.endings) or any(fnmatch.fnmatchcase(base, p)
                                                   for p in self.globs)


def decode_text(source: str, data: bytes) -> str:
    """Decode a text file as UTF-8 (BOM allowed), refusing binary data with a clear reason."""
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(source, f"invalid UTF-8 at byte {e.start}") from None
    if "\x00" in text:
        raise InputError(source, "binary file (NUL bytes), not text")
    return text


#: Python codecs that are not charsets a mail or a web page can mean: a declared
#: ``charset=unicode_escape`` would turn ``\\x00`` into NUL and ``\\ud800`` into a lone surrogate
NOT_CHARSETS = frozenset({"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined"})
_SURROGATES = re.compile("[\ud800-\udfff]")


def text_codec(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or None if unknown or not a charset at all."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return None if info.name.replace("-", "_") in NOT_CHARSETS else info.name


def no_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (a JSON ``\\ud800``, UTF-7 ``+2AA-``) as U+FFFD.

    Nothing can print or encode a lone surrogate, so one in a reply would crash the output;
    the replacement keeps every offset.
    """
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def one_line(value: str, limit: int = 80) -> str:
    """``value`` for an error message: line breaks and control characters escaped, shortened."""
    if not value.isprintable():
        value = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def normalize_newlines(text: str) -> tuple[str, list[int] | None]:
    """Turn CRLF and CR into LF; returns the new text and its offsets into the old one."""
    if "\r" not in text:
        return text, None
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        offsets.append(i)
        if ch == "\r":
            out.append("\n")
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
        else:
            out.append(ch)
        i += 1
    offsets.append(n)
    return "".join(out), offsets
