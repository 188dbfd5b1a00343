"""Suppression comments that never show in a customer's email: ``<!-- replylint-… -->``.

``<!-- replylint-disable TON001 tone.blame -->`` switches rules off until the matching
``<!-- replylint-enable … -->`` (or the end); ``<!-- replylint-disable-next-line X -->``
covers the next line. No rule named means every rule.
"""

from __future__ import annotations

import re

from ..model import Suppression

def parse_directive(comment: str) -> tuple[str, frozenset[str]] | None:
    """``(action, rules)`` for the body of an HTML comment, or None if it is not ours."""
    m = re.fullmatch(r"\s*replylint-(disable-next-line|disable|enable)\b(.*)", comment, re.S | re.I)
    if not m:
        return None
    rules = frozenset(r for r in re.split(r"[\s,]+", m.group(2).strip()) if r)
    return m.group(1).lower(), rules


def build_suppressions(
    directives: list[tuple[int, str, frozenset[str]]], text: str
) -> list[Suppression]:
    """Turn ``(text_offset, action, rules)`` directives, in order, into suppressed ranges."""
    out: list[Suppression] = []
    open_: dict[frozenset[str], int] = {}
    for offset, action, rules in directives:
        if action == "disable-next-line":
            line_end = text.find("\n", offset)
            start = len(text) if line_end == -1 else line_end + 1
            end = text.find("\n", start)
            out.append(Suppression(start, len(text) if end == -1 else end, rules))
        elif action == "disable":
            open_.setdefault(rules, offset)
        else:
            for key in [k for k in open_ if not rules or k == rules or not k]:
                out.append(Suppression(open_.pop(key), offset, key))
    for rules, start in open_.items():
        out.append(Suppression(start, len(text), rules))
    return out
