"""``replylint check --fix``: apply the replacements rules mark safe, to the files themselves.

Only findings with ``fix_safe`` and a replacement are applied, and only where the file's text
at the finding's source span is exactly the matched text (so HTML entities or JSON escapes
under a match leave it alone) and the replacement needs no escaping in that format. Quoted
history and placeholders are never touched: checks do not report inside them. A file that
changed since it was read is skipped.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path

from .model import Finding, RunResult

#: characters a replacement may not contain in these formats, because they would need escaping
UNSAFE = {".json": set('"\\\n\r\t'), ".html": set("<>&"), ".htm": set("<>&")}


def _applicable(source_text: str, f: Finding, suffix: str) -> bool:
    replacement = f.replacements[0]
    return (
        source_text[f.start : f.end] == f.match
        and not (set(replacement) & UNSAFE.get(suffix, set()))
    )


def apply_fixes(result: RunResult) -> dict[str, int]:
    """Rewrite each file with its safe fixes; returns how many were applied per file."""
    by_file: dict[str, list[tuple[str, Finding]]] = defaultdict(list)
    for report in result.reports:
        path = Path(report.document.source)
        smap = report.document.source_map
        if smap is None or not path.is_file():
            continue
        for f in report.findings:
            if f.fix_safe and f.replacements:
                by_file[report.document.source].append((smap.source_text, f))
    applied: dict[str, int] = {}
    for source, items in by_file.items():
        path = Path(source)
        text = items[0][0]
        raw = path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        try:
            if raw.decode("utf-8-sig") != text:
                continue  # changed since it was read, or not stored as UTF-8
        except UnicodeDecodeError:
            continue
        edits, last = [], len(text) + 1
        for _, f in sorted(items, key=lambda item: item[1].start, reverse=True):
            if f.end <= last and _applicable(text, f, path.suffix.lower()):
                edits.append(f)
                last = f.start
        for f in edits:
            text = text[: f.start] + f.replacements[0] + text[f.end :]
        if edits:
            _write(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
            applied[source] = len(edits)
    return applied


def _write(path: Path, data: bytes) -> None:
    """Replace the file atomically, keeping its permissions."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
