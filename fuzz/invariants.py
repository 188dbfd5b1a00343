"""What must hold for any input, whatever its bytes: shared by the fuzz targets and the
property tests (``tests/test_properties.py``).

- reading never raises anything but ``InputError`` (``NotRecognised`` is one), whose reason
  is one short printable line;
- every string a document shows encodes as UTF-8 (no lone surrogates);
- every document's source map sends every text offset into its source text, at a valid
  1-based line and column;
- zones cover the text in order without gaps or overlap, quoted hints end up quoted;
  placeholders and suppressions lie inside the text;
- linting the same bytes twice gives identical findings, each inside its source, and no check
  fails on what a reader produced.
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise
from pathlib import Path

from replylint.model import (
    INTERNAL_ERROR_RULE,
    Document,
    InputError,
    ZoneKind,
    line_starts,
)

#: the reader each name stands for, and a file name it claims
READERS = {
    "text": "reply.txt",
    "markdown": "reply.md",
    "html": "reply.html",
    "eml": "draft.eml",
    "export": "macros.json",
}


def make_linter():
    """A ``Linter`` with the default configuration but no per-check time budget: a check that
    overruns on a loaded machine would make "linting twice gives the same findings" flaky."""
    from replylint.config import Config
    from replylint.engine import Linter

    config = Config(root=Path.cwd())
    if any(f.name == "check_timeout" for f in dataclasses.fields(config)):
        config = dataclasses.replace(config, check_timeout=0)
    return Linter(config)


#: an InputError's reason is one line a person reads: quoted names and values are shortened
MAX_REASON = 300


def read(linter, reader: str, data: bytes, source: str | None = None) -> list[Document]:
    """The reader's documents through the engine; [] when it refuses the input (allowed)."""
    try:
        return linter.read(source or READERS[reader], data, syntax=reader)
    except InputError as e:
        reason = e.reason
        # one short line, with nothing in it a terminal would act on
        assert isinstance(reason, str) and reason, repr(reason)
        assert reason.isprintable() and len(reason) <= MAX_REASON, repr(reason)
        assert "Traceback" not in reason, repr(reason)
        reason.encode("utf-8")
        return []


def assert_position(source_text: str, offset: int, line: int, column: int) -> None:
    """``(line, column)`` is a real place in ``source_text``, and the one ``offset`` is at."""
    starts = line_starts(source_text)
    assert 1 <= line <= len(starts), (offset, line, len(starts))
    end = starts[line] - 1 if line < len(starts) else len(source_text)
    assert 1 <= column <= end - starts[line - 1] + 1, (offset, line, column)
    assert starts[line - 1] + column - 1 == offset, (offset, line, column)


def assert_source_map(doc: Document) -> None:
    """Every text offset (and the end) maps to a place in the source text."""
    smap = doc.source_map
    assert smap is not None
    source = smap.source_text
    n = len(source)
    if smap.offsets is not None:  # one offset per character, and one for the end
        assert len(smap.offsets) == len(doc.text) + 1, (len(smap.offsets), len(doc.text))
    for i in range(len(doc.text) + 1):
        off = smap.to_source(i)
        # a character comes from a character of the source; the end may be the source's end
        assert 0 <= off < n or (off == n and (i == len(doc.text) or n == 0)), (i, off, n)
        assert_position(source, off, *smap.line_col(off))


def assert_zones(doc: Document) -> None:
    """Zones partition the text; placeholders, suppressions and blanked views fit it."""
    text = doc.text
    zones = doc.zones
    if not text:
        assert zones == []
    else:
        assert zones[0].start == 0 and zones[-1].end == len(text), zones
        for z in zones:
            assert 0 <= z.start < z.end <= len(text), z
        for a, b in pairwise(zones):
            assert a.end == b.start and a.kind is not b.kind, (a, b)
        for h in doc.quoted_hints:  # what a reader knows is quoted history ends up quoted
            lo, hi = max(h.start, 0), min(h.end, len(text))
            for z in zones:
                if lo < hi and z.start < hi and lo < z.end:
                    assert z.kind is ZoneKind.QUOTED, (h, z)
    previous = 0
    for p in doc.placeholders:
        assert previous <= p.start < p.end <= len(text), p
        previous = p.end
    assert len(doc.author_text) == len(text) == len(doc.prose)
    assert all((a == "\n") == (b == "\n") for a, b in zip(doc.author_text, text, strict=True))
    for s in doc.suppressions:
        assert 0 <= s.start <= s.end <= len(text), s
    assert isinstance(doc.customer_text, str)


def assert_printable_strings(doc: Document) -> None:
    """Every string output may show encodes as UTF-8 (a lone surrogate would crash it)."""
    smap = doc.source_map
    assert smap is not None
    shown = [doc.text, smap.source_text, doc.name, doc.macro_id, doc.language,
             *(v for v in doc.meta.values() if isinstance(v, str))]
    for value in shown:
        if isinstance(value, str):
            value.encode("utf-8")


def check_documents(docs: list[Document]) -> None:
    assert isinstance(docs, list)
    for doc in docs:
        assert isinstance(doc, Document)
        assert isinstance(doc.text, str)
        assert_printable_strings(doc)
        assert_source_map(doc)
        assert_zones(doc)


def assert_characters_from_source(reader: str, doc: Document) -> None:
    """Each shown character is the source character it maps to, or what that one stands for.

    Text: the same (a newline for CR). Markdown: the same, or a space for blanked syntax.
    HTML: the same, or from a character reference (``&``) or a tag (``<``: a line break, a
    list marker), or a space or newline for collapsed white space.
    """
    smap = doc.source_map
    assert smap is not None
    source = smap.source_text
    for i, ch in enumerate(doc.text):
        src = source[smap.to_source(i)]
        if ch == src or (ch == "\n" and src == "\r"):
            continue
        if reader == "markdown":
            assert ch == " ", (i, ch, src)
        elif reader == "html":
            assert src in "&<" or (ch in " \n" and (src.isspace() or src == "\xa0")), (i, ch, src)
        else:
            raise AssertionError((reader, i, ch, src))


def check_reader(linter, reader: str, data: bytes) -> list[Document]:
    docs = read(linter, reader, data)
    check_documents(docs)
    if reader in ("text", "markdown", "html"):
        for doc in docs:
            assert_characters_from_source(reader, doc)
    return docs


def check_lint(linter, reader: str, data: bytes) -> None:
    """Linting twice gives the same findings, each inside its source, no check failing."""
    source = READERS[reader]

    def lint() -> list | None:
        try:
            return linter.lint_bytes(source, data, syntax=reader)
        except InputError:
            return None

    first, second = lint(), lint()
    if first is None:
        assert second is None
        return
    assert second is not None
    assert [r.findings for r in first] == [r.findings for r in second]
    assert [r.metrics for r in first] == [r.metrics for r in second]
    for report in first:
        smap = report.document.source_map
        assert smap is not None
        n = len(smap.source_text)
        for f in report.findings:
            assert f.rule != INTERNAL_ERROR_RULE, f.message
            assert 0 <= f.start <= f.end <= n, (f, n)
            assert_position(smap.source_text, f.start, f.line, f.column)
            assert_position(smap.source_text, f.end, f.end_line, f.end_column)

