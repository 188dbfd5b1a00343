"""Helpers shared by several test modules."""

import textwrap


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


def plugin_dir(tmp_path, **files):
    """A drop-in plugin folder with ``files`` (``name__py`` is ``name.py``), dedented."""
    d = tmp_path / "plugins"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name.replace("__", ".")).write_text(textwrap.dedent(text))
    return d
