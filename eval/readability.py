"""How often metrics.reading_grade ranks the elementary version of an article below its
advanced version (OneStopEnglish: 189 articles, each at three levels).

Usage: python eval/readability.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from replylint import lint

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "readability"


def main() -> None:
    rows = [json.loads(line) for line in (DATA / "onestopenglish.jsonl").open()]
    t0 = time.perf_counter()
    grades: dict[str, dict[str, float]] = {}
    for r in rows:
        report = lint(r["text"], config={"select": ["RDB001"]})
        grades.setdefault(r["title"], {})[r["level"]] = report.metrics["reading_grade"]
    elapsed = time.perf_counter() - t0
    n = len(grades)
    below = sum(g["elementary"] < g["advanced"] for g in grades.values())
    ordered = sum(g["elementary"] < g["intermediate"] < g["advanced"] for g in grades.values())
    print(f"{n} articles, {len(rows)} texts, {elapsed:.1f} s")
    print(f"elementary graded below advanced: {below}/{n} = {below / n:.1%}")
    print(f"elementary < intermediate < advanced: {ordered}/{n} = {ordered / n:.1%}")
    for level in ("elementary", "intermediate", "advanced"):
        print(f"  median grade, {level}: {statistics.median(g[level] for g in grades.values()):.1f}")


if __name__ == "__main__":
    main()
