"""Macro libraries exported from helpdesks as JSON: one macro document per canned reply.

Recognised shapes (anything else is not ours, so the next reader or an error says so):

- Zendesk ``{"macros": [{"id", "title", "actions": [{"field": "comment_value" or
  "comment_value_html", "value": text or [channel, text]}]}]}``, or one ``{"macro": {…}}``;
- Help Scout saved replies, a list or ``{"_embedded": {"replies": […]}}`` of
  ``{"id", "name", "text" (HTML), "chatText"}`` (``chatText`` when ``text`` is empty);
- Gorgias ``{"data": [{"id", "name", "actions": [{"name": "setResponseText",
  "arguments": {"body_text", "body_html"}}]}]}`` or the bare list;
- Intercom ``{"type": "list", "data": [{"type": "macro", "id", "name", "body" (HTML),
  "body_text"}]}`` or the bare list.

A plain-text body is preferred to its HTML twin. Findings point at the character inside the
JSON string, through escapes (``\\n``, ``\\u00e9``, surrogate pairs) and HTML alike: strings are
decoded by a ``JSONDecoder`` whose string parser records where each value starts and ends.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from ..hookspecs import hookimpl
from ..model import Document, InputError, SourceMap
from . import Reader, decode_text, no_surrogates, one_line
from .html import reply_text

#: words that only a helpdesk export has, to tell a broken export from any broken JSON
_EXPORT_WORDS = re.compile(
    r'"(?:macros?|comment_value(?:_html)?|_embedded|chatText|setResponseText|body_text|'
    r'body_html)"'
)
_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\.", re.S
)


class Located(str):
    """A JSON string value that knows where its quotes are in the file."""

    start: int
    end: int


def _parse_string(s: str, end: int, strict: bool = True) -> tuple[Located, int]:
    value, after = json.decoder.py_scanstring(s, end, strict)
    out = Located(no_surrogates(value))  # a lone "\\ud800" escape: U+FFFD, as one character
    out.start, out.end = end - 1, after - 1
    return out, after


class LocatingDecoder(json.JSONDecoder):
    """Decodes string values (not keys) as ``Located``; pure Python, so use it only on exports."""

    def __init__(self) -> None:
        super().__init__()
        self.parse_string = _parse_string
        self.scan_once = json.scanner.py_make_scanner(self)


def string_offsets(source_text: str, value: Located) -> list[int]:
    """The file offset of each character of ``value``, then of its closing quote.

    An escape (``\\n``, ``\\u00e9``, a ``\\ud83d\\ude00`` pair) is one character, mapped to its
    backslash, exactly as ``json`` decodes it.
    """
    offsets: list[int] = []
    pos = value.start + 1
    for m in _ESCAPE.finditer(source_text, pos, value.end):
        offsets.extend(range(pos, m.start()))
        offsets.append(m.start())
        pos = m.end()
    offsets.extend(range(pos, value.end + 1))
    return offsets


class ShapeError(Exception):
    """Something in the wrong place inside a recognised export; becomes an InputError."""


class Body(NamedTuple):
    text: Located
    html: bool


class Vendor(NamedTuple):
    name: str
    title_key: str
    body: Callable[[dict[str, Any], str], Body | None]


def _kind(value: Any) -> str:
    """A JSON value's type, as a message to a person names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "a list", int: "a number", float: "a number"}.get(
        type(value), "a string"
    )


def _string(obj: dict[str, Any], key: str, where: str) -> Located | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ShapeError(f'{where}: "{key}" must be a string, not {_kind(value)}')
    return value


def _objects(value: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ShapeError(f"{what} must be a list, not {_kind(value)}")
    for i, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise ShapeError(f"{what}: item {i} must be an object, not {_kind(item)}")
    return value


def _pick(obj: dict[str, Any], where: str, *keys: tuple[str, bool]) -> Body | None:
    """The first of ``(key, is_html)`` with text in it, else the first present at all."""
    present = [Body(v, html) for key, html in keys if (v := _string(obj, key, where)) is not None]
    return next((b for b in present if b.text.strip()), present[0] if present else None)


def zendesk_body(macro: dict[str, Any], where: str) -> Body | None:
    for action in _objects(macro.get("actions", []), f'{where}: "actions"'):
        field = action.get("field")
        if field not in ("comment_value", "comment_value_html"):
            continue
        value = action.get("value")
        if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
            value = value[1]  # [channel, text]
        if not isinstance(value, str):
            raise ShapeError(
                f"{where}: {field} must be text or [channel, text], not {_kind(value)}"
            )
        return Body(value, field == "comment_value_html")
    return None


def helpscout_body(reply: dict[str, Any], where: str) -> Body | None:
    return _pick(reply, where, ("text", True), ("chatText", False))


def gorgias_body(macro: dict[str, Any], where: str) -> Body | None:
    for action in _objects(macro.get("actions", []), f'{where}: "actions"'):
        if action.get("name") == "setResponseText":
            arguments = action.get("arguments")
            if not isinstance(arguments, dict):
                kind = _kind(arguments)
                raise ShapeError(
                    f'{where}: setResponseText "arguments" must be an object, not {kind}'
                )
            return _pick(arguments, where, ("body_text", False), ("body_html", True))
    return None


def intercom_body(macro: dict[str, Any], where: str) -> Body | None:
    return _pick(macro, where, ("body_text", False), ("body", True))


ZENDESK = Vendor("Zendesk", "title", zendesk_body)
HELPSCOUT = Vendor("Help Scout", "name", helpscout_body)
GORGIAS = Vendor("Gorgias", "name", gorgias_body)
INTERCOM = Vendor("Intercom", "name", intercom_body)


def recognise(tree: Any) -> tuple[Vendor, Any] | None:
    """The vendor and its (unchecked) list of macros, or None when this is not an export."""
    items = tree
    if isinstance(tree, dict):
        if "macros" in tree:
            return ZENDESK, tree["macros"]
        if "macro" in tree:
            return ZENDESK, [tree["macro"]]
        embedded = tree.get("_embedded")
        if isinstance(embedded, dict) and "replies" in embedded:
            return HELPSCOUT, embedded["replies"]
        items = tree.get("data")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return None
    first = items[0]
    if "actions" in first:
        return (ZENDESK if "title" in first else GORGIAS), items
    if first.get("type") == "macro" or "body_text" in first or "body" in first:
        return INTERCOM, items
    if "name" in first and "text" in first:
        return HELPSCOUT, items
    return None


def _describe(title: Any, macro_id: Any, index: int) -> str:
    """How an error names a macro: its title quoted, and its id, on one short line."""
    name = one_line(repr(str(title)), 60) if title is not None else f"#{index}"
    return name if macro_id is None else f"{name} (id {one_line(str(macro_id), 60)})"


def documents(source: str, source_text: str, vendor: Vendor, items: Any) -> list[Document]:
    docs: list[Document] = []
    for i, macro in enumerate(_objects(items, f"{vendor.name} export: the macros"), 1):
        title, macro_id = macro.get(vendor.title_key), macro.get("id")
        body = vendor.body(macro, f"{vendor.name} macro {_describe(title, macro_id, i)}")
        if body is None:
            continue  # a macro that only sets fields has no reply to lint
        smap = SourceMap(source_text, offsets=string_offsets(source_text, body.text))
        text, inner, quoted, suppressions = reply_text(str(body.text), body.html)
        docs.append(
            Document(
                text=text,
                source=source,
                kind="macro",
                name=None if title is None else str(title),
                macro_id=None if macro_id is None else str(macro_id),
                source_map=smap if inner is None else smap.compose(inner),
                quoted_hints=quoted,
                suppressions=suppressions,
                meta={"vendor": vendor.name},
            )
        )
    return docs


def load_export(source: str, data: bytes) -> list[Document] | None:
    text = decode_text(source, data)
    try:
        found = recognise(json.loads(text))  # C speed first: most JSON files are not exports
    except (json.JSONDecodeError, RecursionError) as e:
        if not _EXPORT_WORDS.search(text):
            return None
        raise InputError(source, _json_error(e)) from None
    if found is None:
        return None
    try:
        located = recognise(LocatingDecoder().decode(text))
        assert located is not None  # the same tree as json.loads gave, so the same vendor
        return documents(source, text, *located)
    except RecursionError as e:
        raise InputError(source, _json_error(e)) from None
    except ShapeError as e:
        raise InputError(source, str(e)) from None


def _json_error(e: json.JSONDecodeError | RecursionError) -> str:
    if isinstance(e, json.JSONDecodeError):
        return f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
    return "JSON nested too deeply to read"


@hookimpl
def register_readers(register):
    register(
        Reader(
            "export",
            ("*.json",),
            load_export,
            "macro exports from Zendesk, Help Scout, Gorgias and Intercom (JSON)",
        )
    )
