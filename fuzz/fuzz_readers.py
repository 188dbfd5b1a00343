"""Coverage-guided fuzzing (atheris, libFuzzer) of replylint's readers and zoning.

    python fuzz/fuzz_readers.py TARGET [libFuzzer options] [CORPUS_DIR ...]

Targets:

- ``text``, ``markdown``, ``html``, ``eml``, ``export``: the reader of that name, on the raw
  bytes, through ``Linter.read`` as the engine calls it;
- ``zendesk``, ``helpscout``, ``gorgias``, ``intercom``: the export reader on a JSON export of
  that vendor's shape built from the bytes (bodies, titles, field names, wrong types), so
  the fuzzer spends its time inside the export and HTML code rather than in ``json``;
- ``zoning``: ``zoning.zone`` (and placeholders, author text) on text and quoted hints;
- ``lint``: a reader picked by the first byte, then every check, twice.

Each input must satisfy ``invariants.py``: only ``InputError`` escapes a reader, every offset
maps into the source, zones partition the text. Anything else is a crash: libFuzzer writes the
input to ``crash-<sha1>`` (see ``-artifact_prefix``) and exits non-zero. Replay one with
``python fuzz/fuzz_readers.py TARGET crash-<sha1>``. See docs/fuzzing.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["replylint", "email", "yaml"]):
    import replylint.placeholders
    import replylint.readers.directives
    import replylint.readers.eml
    import replylint.readers.exports
    import replylint.readers.frontmatter
    import replylint.readers.html
    import replylint.readers.text
    import replylint.zoning
    from replylint.model import Document, Span

    import invariants  # fuzz/ is on sys.path when this file runs

    LINTER = invariants.make_linter()  # imports the checks: instrumented too (lint target)

READER_NAMES = tuple(invariants.READERS)


def reader_target(name: str):
    def test(data: bytes) -> None:
        invariants.check_reader(LINTER, name, data)

    return test


# -- vendor-shaped exports ----------------------------------------------------------------------

_FIELDS = ["comment_value", "comment_value_html", "subject", "status", ""]
_ACTIONS = ["setResponseText", "addTags", "setStatus", ""]


def _string(fdp: atheris.FuzzedDataProvider, limit: int = 200) -> str:
    """A string; one time in four it may hold lone surrogates (``\\ud800`` in the JSON)."""
    size = fdp.ConsumeIntInRange(0, limit)
    if fdp.ConsumeIntInRange(0, 3) == 0:
        return fdp.ConsumeUnicode(size)
    return fdp.ConsumeUnicodeNoSurrogates(size)


def _value(fdp: atheris.FuzzedDataProvider, depth: int = 0):
    """A body: usually a string (text or HTML), sometimes any JSON value (a wrong shape)."""
    kind = fdp.ConsumeIntInRange(0, 9)
    if kind <= 5 or depth > 2:
        return _string(fdp, 2000)
    if kind == 6:
        return None
    if kind == 7:
        return fdp.ConsumeIntInRange(-5, 5)
    if kind == 8:
        return [_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    return {_string(fdp, 12): _value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))}


def _maybe(fdp: atheris.FuzzedDataProvider, value):
    """``value``, or one time in eight something of the wrong shape instead."""
    if fdp.ConsumeIntInRange(0, 7) == 0:
        return _value(fdp, 3 - fdp.ConsumeIntInRange(0, 3))
    return value


def _id(fdp: atheris.FuzzedDataProvider):
    return fdp.ConsumeIntInRange(0, 10**6) if fdp.ConsumeBool() else _string(fdp, 12)


def zendesk(fdp: atheris.FuzzedDataProvider):
    macros = []
    for _ in range(fdp.ConsumeIntInRange(0, 3)):
        value = _value(fdp)
        if fdp.ConsumeBool():
            value = ["channel:all", value]
        action = _maybe(fdp, {"field": fdp.PickValueInList(_FIELDS), "value": value})
        macro = {"id": _id(fdp), "title": _string(fdp, 40), "actions": _maybe(fdp, [action])}
        macros.append(_maybe(fdp, macro))
    if macros and fdp.ConsumeBool():
        return {"macro": macros[0]}
    return {"macros": _maybe(fdp, macros)}


def helpscout(fdp: atheris.FuzzedDataProvider):
    replies = [
        _maybe(fdp, {"id": _id(fdp), "name": _string(fdp, 40), "text": _value(fdp),
                     "chatText": _value(fdp)})
        for _ in range(fdp.ConsumeIntInRange(1, 3))
    ]
    return {"_embedded": {"replies": _maybe(fdp, replies)}} if fdp.ConsumeBool() else replies


def gorgias(fdp: atheris.FuzzedDataProvider):
    macros = []
    for _ in range(fdp.ConsumeIntInRange(1, 3)):
        arguments = _maybe(fdp, {"body_text": _value(fdp), "body_html": _value(fdp)})
        action = {"name": fdp.PickValueInList(_ACTIONS), "arguments": arguments}
        macro = {"id": _id(fdp), "name": _string(fdp, 40), "actions": _maybe(fdp, [action])}
        macros.append(_maybe(fdp, macro))
    return {"data": macros} if fdp.ConsumeBool() else macros


def intercom(fdp: atheris.FuzzedDataProvider):
    macros = [
        _maybe(fdp, {"type": "macro", "id": _id(fdp), "name": _string(fdp, 40),
                     "body": _value(fdp), "body_text": _value(fdp)})
        for _ in range(fdp.ConsumeIntInRange(1, 3))
    ]
    return {"type": "list", "data": macros} if fdp.ConsumeBool() else macros


VENDORS = {"zendesk": zendesk, "helpscout": helpscout, "gorgias": gorgias, "intercom": intercom}


def vendor_target(name: str):
    build = VENDORS[name]

    def test(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        ensure_ascii = fdp.ConsumeBool()
        indent = fdp.PickValueInList([None, 1, "\t"])
        tree = build(fdp)
        text = json.dumps(tree, ensure_ascii=ensure_ascii, indent=indent)
        raw = text.encode("utf-8", "surrogatepass")  # a raw surrogate: invalid UTF-8
        if fdp.ConsumeIntInRange(0, 7) == 0:  # broken JSON: cut, or a byte spliced in
            at = fdp.ConsumeIntInRange(0, len(raw))
            raw = raw[:at] + fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 2)) + (
                raw[at:] if fdp.ConsumeBool() else b"")
        docs = invariants.check_reader(LINTER, "export", raw)
        assert all(d.kind == "macro" for d in docs)

    return test


# -- zoning and linting -------------------------------------------------------------------------


def zoning_target(data: bytes) -> None:
    """Text as UTF-8; a leading 0x01 byte is followed by two quoted hints (4 × uint16)."""
    hints: tuple[Span, ...] = ()
    if data[:1] == b"\x01" and len(data) >= 9:
        v = [int.from_bytes(data[k : k + 2], "little") - 2 for k in range(1, 9, 2)]
        hints, data = (Span(v[0], v[1]), Span(v[2], v[3])), data[9:]
    text = data.decode("utf-8", "replace")
    zones = replylint.zoning.zone(text, hints)
    assert zones == replylint.zoning.zone(text, hints)
    invariants.check_documents([Document(text, source="t", quoted_hints=hints)])


def lint_target(data: bytes) -> None:
    if not data:
        return
    reader = READER_NAMES[data[0] % len(READER_NAMES)]
    invariants.check_lint(LINTER, reader, data[1:])


TARGETS = {
    **{name: reader_target(name) for name in READER_NAMES},
    **{name: vendor_target(name) for name in VENDORS},
    "zoning": zoning_target,
    "lint": lint_target,
}


#: the libFuzzer dictionary (fuzz/dicts/) each target uses unless given ``-dict=``
DICTS = {"text": "text", "markdown": "text", "zoning": "text", "lint": "text", "html": "html",
         "eml": "eml", "export": "json"}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] [corpus …]")
    name, args = sys.argv[1], sys.argv[2:]
    if name in DICTS and not any(a.startswith("-dict=") for a in args):
        args.append(f"-dict={Path(__file__).parent / 'dicts' / DICTS[name]}.dict")
    atheris.Setup([sys.argv[0], *args], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
