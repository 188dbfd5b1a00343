"""Line accuracy of replylint's email zoning on the hand-labelled fixtures.

    python bench/zoning_accuracy.py [--verbose] [FIXTURE_DIR]

Scores every non-blank line of every fixture in ``tests/fixtures/zoning`` (format in its
README): a line's predicted zone is the zone of its first non-blank character. Prints
precision, recall and F1 per zone, the overall line accuracy and, with ``--verbose``, every
mislabelled line. HTML fixtures are read with the project's HTML reader; while there is none
they are skipped and the skip is reported. ``tests/test_zoning.py`` imports this module.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from replylint.model import Document, InputError, ZoneKind

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "zoning"
LETTERS = {
    "g": ZoneKind.GREETING,
    "b": ZoneKind.BODY,
    "c": ZoneKind.CLOSING,
    "s": ZoneKind.SIGNATURE,
    "q": ZoneKind.QUOTED,
    "d": ZoneKind.DISCLAIMER,
}


@dataclass(frozen=True)
class Label:
    lineno: int  # line number in the .zones file
    kind: ZoneKind
    text: str


@dataclass(frozen=True)
class Fixture:
    name: str
    #: the reply itself (plain text fixtures) or the expected reader output (HTML fixtures)
    text: str
    labels: tuple[Label, ...]
    html: bytes | None = None


@dataclass(frozen=True)
class Scored:
    fixture: str
    label: Label
    #: None when an HTML fixture's line is missing from the reader's text
    got: ZoneKind | None


@dataclass
class Result:
    scored: list[Scored] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def mistakes(self) -> list[Scored]:
        return [s for s in self.scored if s.got is not s.label.kind]

    @property
    def accuracy(self) -> float:
        return 1 - len(self.mistakes) / len(self.scored) if self.scored else 0.0

    def per_zone(self) -> dict[ZoneKind, tuple[float, float, float, int]]:
        """Precision, recall, F1 and support of each zone."""
        out = {}
        for kind in ZoneKind:
            tp = sum(s.got is kind and s.label.kind is kind for s in self.scored)
            fp = sum(s.got is kind and s.label.kind is not kind for s in self.scored)
            support = sum(s.label.kind is kind for s in self.scored)
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / support if support else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[kind] = (p, r, f, support)
        return out


def parse_zones(content: str, name: str) -> tuple[str, tuple[Label, ...]]:
    """The text and labels of a ``.zones`` file; a malformed line raises ValueError."""
    rows = content.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    texts: list[str] = []
    labels: list[Label] = []
    for n, row in enumerate(rows, 1):
        if not texts and row.startswith("#"):
            continue
        if row[1:3] != " |" or (row[0] not in LETTERS and row[0] != " "):
            raise ValueError(f"{name}:{n}: expected 'X | text', got {row!r}")
        line = row[4:]
        if bool(line.strip()) != (row[0] != " "):
            raise ValueError(f"{name}:{n}: blank lines have no zone, other lines need one")
        texts.append(line)
        if line.strip():
            labels.append(Label(n, LETTERS[row[0]], line))
    return "\n".join(texts) + "\n", tuple(labels)


def load_fixtures(folder: Path = FIXTURES) -> list[Fixture]:
    fixtures = []
    for path in sorted(folder.glob("*.zones")):
        text, labels = parse_zones(path.read_text(encoding="utf-8"), path.name)
        html_path = path.with_suffix(".html")
        html = html_path.read_bytes() if html_path.exists() else None
        fixtures.append(Fixture(path.stem, text, labels, html))
    return fixtures


def read_html(name: str, data: bytes) -> Document | None:
    """The first document the project's HTML reader makes of ``data``; None without a reader."""
    from replylint.engine import Linter

    try:
        docs = Linter().read(f"{name}.html", data, syntax="html")
    except InputError:
        return None
    return docs[0] if docs else None


def _normal(line: str) -> str:
    """A line as compared with the reader's output: no quote or list markers, spaces collapsed."""
    line = line.strip().lstrip("> ").strip()
    for marker in ("- ", "* ", "• "):
        line = line.removeprefix(marker)
    return " ".join(line.split())


def _line_zones(doc: Document) -> list[tuple[str, ZoneKind | None]]:
    """Each non-blank line of the document with the zone of its first non-blank character."""
    out = []
    offset = 0
    for line in doc.text.split("\n"):
        if line.strip():
            first = offset + len(line) - len(line.lstrip())
            out.append((line, doc.zone_at(first)))
        offset += len(line) + 1
    return out


def score_fixture(fixture: Fixture, doc: Document) -> list[Scored]:
    """Score the labels against ``doc``'s zones, aligning lines when the texts differ (HTML)."""
    got = _line_zones(doc)
    labels = fixture.labels
    if [line for line, _ in got] == [label.text for label in labels]:
        pairs = zip(labels, got, strict=True)
        return [Scored(fixture.name, label, kind) for label, (_, kind) in pairs]
    matcher = difflib.SequenceMatcher(
        None, [_normal(label.text) for label in labels], [_normal(line) for line, _ in got],
        autojunk=False,
    )
    found: dict[int, ZoneKind | None] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[block.a + k] = got[block.b + k][1]
    return [Scored(fixture.name, label, found.get(i)) for i, label in enumerate(labels)]


def evaluate(fixtures: Iterable[Fixture]) -> Result:
    result = Result()
    for fixture in fixtures:
        if fixture.html is None:
            doc: Document | None = Document(fixture.text, source=fixture.name)
        else:
            doc = read_html(fixture.name, fixture.html)
        if doc is None:
            result.skipped.append(fixture.name)
        else:
            result.scored += score_fixture(fixture, doc)
    return result


def report(result: Result, verbose: bool = False) -> str:
    files = len({s.fixture for s in result.scored})
    out = [f"zoning: {files} fixtures, {len(result.scored)} labelled lines", ""]
    out.append(f"{'zone':<12}{'precision':>10}{'recall':>8}{'f1':>8}{'lines':>7}")
    for kind, (p, r, f, support) in result.per_zone().items():
        out.append(f"{kind.value:<12}{p:>10.3f}{r:>8.3f}{f:>8.3f}{support:>7}")
    wrong = len(result.mistakes)
    out += ["", f"line accuracy: {result.accuracy:.3f} ({len(result.scored) - wrong}/"
            f"{len(result.scored)}), {wrong} mislabelled"]
    if result.skipped:
        out.append(f"skipped (no HTML reader yet): {', '.join(result.skipped)}")
    if verbose and result.mistakes:
        out += ["", "mislabelled lines (fixture:line expected -> got):"]
        for s in result.mistakes:
            got = s.got.value if s.got else "MISSING"
            out.append(f"  {s.fixture}:{s.label.lineno} {s.label.kind.value} -> {got}: "
                       f"{s.label.text.strip()[:70]}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=FIXTURES)
    parser.add_argument("--verbose", "-v", action="store_true", help="list mislabelled lines")
    args = parser.parse_args(argv)
    print(report(evaluate(load_fixtures(args.folder)), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
