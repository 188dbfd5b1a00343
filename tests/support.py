"""Helpers shared by the reader tests."""


def placeholders(linter, name, data):
    """``(match, line, column)`` of each unfilled-placeholder finding."""
    return [
        (f.match, f.line, f.column)
        for report in linter.lint_bytes(name, data)
        for f in report.findings
        if f.code == "PLH001"
    ]


def position(doc, needle):
    """Line and column in the source file of the first ``needle`` in the document's text."""
    smap = doc.source_map
    return smap.line_col(smap.to_source(doc.text.index(needle)))
