"""Reports in a portable form: what worker processes send back and what the cache stores.

A packed report keeps everything formatters read — the findings, the metrics, the macro's
name and the source lines the findings point at — but not the document text, so ten thousand
cached macros cost kilobytes, and a report from the cache prints exactly as a fresh one.
"""

from __future__ import annotations

import marshal
from typing import Any

from .model import Document, Finding, Report, Severity, SourceMap


class StoredLines(SourceMap):
    """The source lines a packed report's findings point at (all a formatter prints)."""

    __slots__ = ("lines",)

    def __init__(self, lines: dict[int, str]) -> None:
        super().__init__("")
        self.lines = lines

    def line_text(self, line: int) -> str:
        return self.lines.get(line, "")


def pack(report: Report) -> dict[str, Any]:
    doc = report.document
    smap = doc.source_map
    assert smap is not None
    lines = {f.line for f in report.findings}
    return {
        "source": doc.source,
        "kind": doc.kind,
        "channel": doc.channel,
        "name": doc.name,
        "macro_id": doc.macro_id,
        "metrics": report.metrics,
        "findings": [_pack_finding(f) for f in report.findings],
        "lines": {str(n): smap.line_text(n) for n in sorted(lines)},
    }


def unpack(packed: dict[str, Any]) -> Report:
    doc = Document(
        text="",
        source=packed["source"],
        kind=packed["kind"],
        declared_channel=packed["channel"],
        name=packed["name"],
        macro_id=packed["macro_id"],
        source_map=StoredLines({int(n): t for n, t in packed["lines"].items()}),
    )
    findings = [_unpack_finding(f) for f in packed["findings"]]
    return Report(doc, findings, dict(packed["metrics"]))


def dumps(reports: list[Report]) -> bytes:
    """A file's reports packed into bytes: what a worker sends back and the cache keeps, as
    they are (``marshal``: the same interpreter reads them, and faster than ``pickle``)."""
    return marshal.dumps([pack(r) for r in reports])


def loads(data: bytes) -> list[Report]:
    return [unpack(p) for p in marshal.loads(data)]


FIELDS = tuple(Finding.__dataclass_fields__)
SEVERITY, REPLACEMENTS = FIELDS.index("severity"), FIELDS.index("replacements")


def _pack_finding(f: Finding) -> list[Any]:
    values = [getattr(f, name) for name in FIELDS]
    values[SEVERITY] = str(f.severity)
    values[REPLACEMENTS] = list(f.replacements)
    return values


def _unpack_finding(packed: list[Any]) -> Finding:
    """The finding of a packed list (left as it is: the cache may still store it)."""
    if len(packed) != len(FIELDS):
        raise ValueError(f"a packed finding has {len(packed)} fields, not {len(FIELDS)}")
    values = list(packed)
    values[SEVERITY] = Severity.parse(values[SEVERITY])
    values[REPLACEMENTS] = tuple(values[REPLACEMENTS])
    return Finding(*values)
