"""replylint's own macro format: one macro per file, YAML front matter then the reply.

    ---
    title: Refund approved
    id: refund-approved
    tags: [billing]
    ignore: [TON004]        # rules off for this macro only
    ---
    Hi {{ticket.requester.first_name}}, …

A file with front matter is a macro unless it says ``kind: draft``.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import InputError, SourceMap
from . import normalize_newlines, one_line

FENCE = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def split_front_matter(source: str, text: str) -> tuple[dict[str, Any] | None, int]:
    """The front matter as a mapping (None if there is none) and where the body starts."""
    m = FENCE.match(text)
    if not m:
        return None, 0
    import yaml  # only files with front matter pay for it

    try:
        # libyaml's safe loader when PyYAML has it: ten times faster on a macro library
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        meta = yaml.load(m.group(1), Loader=loader) or {}  # noqa: S506 (a safe loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = one_line(str(getattr(e, "problem", None) or type(e).__name__), 120)
        raise InputError(source, f"invalid YAML front matter{where}: {reason}") from None
    if not isinstance(meta, dict):
        raise InputError(source, "front matter must be a mapping of keys to values")
    return meta, m.end()


def document_fields(source: str, meta: dict[str, Any] | None) -> dict[str, Any]:
    """Document keyword arguments from front matter (defaults when there is none)."""
    if meta is None:
        return {"kind": "draft"}
    kind = meta.get("kind", "macro")
    if kind not in ("draft", "macro"):
        shown = one_line(repr(kind), 60)
        raise InputError(source, f"front matter kind must be draft or macro, not {shown}")
    ignores = meta.get("ignore", [])
    if isinstance(ignores, str):
        ignores = [ignores]
    if not isinstance(ignores, list) or not all(isinstance(i, str) for i in ignores):
        raise InputError(source, "front matter ignore must be a list of rule ids or codes")
    title = meta.get("title")
    macro_id = meta.get("id")
    return {
        "kind": kind,
        "name": None if title is None else str(title),
        "macro_id": None if macro_id is None else str(macro_id),
        "language": meta.get("language"),
        "ignores": frozenset(ignores),
        "meta": {k: v for k, v in meta.items() if k not in ("ignore", "kind")},
    }


def read_front_matter_file(source: str, raw: str) -> tuple[str, SourceMap, dict[str, Any]]:
    """Body text (newlines normalised to LF), its map into ``raw``, and Document fields."""
    text, offsets = normalize_newlines(raw)
    meta, start = split_front_matter(source, text)
    if offsets is None:
        smap = SourceMap(raw, base=start)
    else:
        smap = SourceMap(raw, offsets=offsets[start:])
    return text[start:], smap, document_fields(source, meta)
