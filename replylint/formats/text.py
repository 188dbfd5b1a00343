"""``--format text`` (the default): ``path:line:col: CODE [rule-id] message``, the source line
and a caret underline, in colour on a terminal."""

from __future__ import annotations

import click

from ..hookspecs import hookimpl
from ..model import Severity, mask
from . import Formatter

COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.SUGGESTION: "cyan"}


def write_text(result, out, color):
    def style(text, **kw):
        return click.style(text, **kw) if color else text

    parts: list[str] = []  # written at once: one write per line was a third of a cached run
    for report in result.reports:
        smap = report.document.source_map
        secrets = [f for f in report.findings if f.sensitive]
        for f in report.findings:
            where = f"{f.source}:{f.line}:{f.column}:"
            code = f.code
            if color:
                where = style(where, bold=True)
                code = style(code, fg=COLORS[f.severity], bold=True)
            macro = f" (macro {f.name!r})" if f.name else ""
            parts.append(f"{where} {code} [{f.rule}] {f.message}{macro}\n")
            if f.rule.startswith("replylint."):
                continue
            line = smap.line_text(f.line).replace("\t", " ")
            # never print a secret: mask every sensitive span on the line, not only this one's
            for s in secrets:
                if s.line <= f.line <= s.end_line:
                    begin = s.column - 1 if s.line == f.line else 0
                    stop = s.end_column - 1 if s.end_line == f.line else len(line)
                    keep = 4 if s.end_line == f.line else 0  # the secret's own last four
                    line = line[:begin] + mask(line[begin:stop], keep) + line[stop:]
            width = (f.end_column if f.end_line == f.line else len(line) + 1) - f.column
            gutter = f"{f.line:>5} | "
            pad = " " * (len(gutter) - 2)
            carets = f"{pad}| {' ' * (f.column - 1)}{'^' * max(width, 1)}"
            parts.append(f"{gutter}{line}\n{style(carets, fg=COLORS[f.severity])}\n")
            if f.replacements:
                shown = ", ".join(repr(r) for r in f.replacements[:3])
                parts.append(f"{pad}= suggestion: {shown}\n")
    for e in result.errors:
        parts.append(style(f"{e.source}: error: {e.reason}", fg="red") + "\n")
    for msg in result.plugin_errors:
        parts.append(style(f"plugin error: {msg}", fg="red") + "\n")
    s = result.summary()
    counts = ", ".join(f"{n} {sev}" for sev, n in s["by_severity"].items() if n)
    docs = s["documents"]
    if s["findings"]:
        parts.append(f"Found {s['findings']} finding(s) ({counts}) in {docs} document(s).\n")
    else:
        parts.append(f"All clean: {docs} document(s) checked.\n")
    out.write("".join(parts))


@hookimpl
def register_formatters(register):
    register(Formatter("text", write_text, "human-readable, with the source line"))
