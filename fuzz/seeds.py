"""Seed corpora for the fuzz targets, from the test fixtures.

    python fuzz/seeds.py TARGET DIR     # copy TARGET's seeds into DIR (created if need be)

Zoning fixtures (``*.zones``) are seeded as the reply they label, without the labels.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DATA = ROOT / "tests" / "data"

_TEXT = ["zoning/*.zones", "mail/*.eml"]
_HTML = ["readers/*.html", "zoning/*.html"]
_EML = ["readers/*.eml", "mail/*.eml"]
_JSON = ["readers/*.json"]

#: fixture globs (under tests/fixtures; ``data:`` for tests/data) per fuzz target
SEEDS: dict[str, list[str]] = {
    "text": _TEXT,
    "markdown": _TEXT,
    "zoning": _TEXT,
    "html": _HTML,
    "eml": _EML,
    "export": [*_JSON, "data:*.json"],
    "zendesk": ["readers/zendesk_macros.json"],
    "helpscout": ["readers/helpscout_saved_replies.json"],
    "gorgias": ["readers/gorgias_macros.json"],
    "intercom": ["readers/intercom_macros.json"],
    "lint": [*_TEXT, *_HTML, *_EML, *_JSON],
}


def unlabel(text: str) -> str:
    """The reply a ``.zones`` fixture labels: its lines without the four-character prefix."""
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(line[4:] + "\n" for line in lines)


def seeds(target: str) -> list[bytes]:
    out = []
    for pattern in SEEDS[target]:
        base, pattern = (DATA, pattern[5:]) if pattern.startswith("data:") else (FIXTURES, pattern)
        for path in sorted(base.glob(pattern)):
            data = path.read_bytes()
            if path.suffix == ".zones":
                data = unlabel(data.decode("utf-8")).encode("utf-8")
            out.append(data)
    return out


def write_seeds(target: str, directory: Path) -> int:
    """Write ``target``'s seeds into ``directory``, named by content; returns how many."""
    directory.mkdir(parents=True, exist_ok=True)
    found = seeds(target)
    for data in found:
        (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)
    return len(found)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in SEEDS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(SEEDS)}}} DIR")
    print(write_seeds(sys.argv[1], Path(sys.argv[2])), "seeds in", sys.argv[2])
