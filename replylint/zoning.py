"""Email zoning: greeting, body, closing, signature, quoted history, disclaimer."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Span, Zone, ZoneKind


def zone(text: str, quoted_hints: Sequence[Span] = ()) -> list[Zone]:
    return [Zone(ZoneKind.BODY, 0, len(text))]
