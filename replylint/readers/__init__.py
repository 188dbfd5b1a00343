"""Readers turn a file's bytes into documents; each format is a plugin (``register_readers``)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
        base = filename.rsplit("/", 1)[-1].lower()
        return any(fnmatch.fnmatchcase(base, p) for p in self.patterns)


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
