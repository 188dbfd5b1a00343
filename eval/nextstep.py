"""Precision and recall of the next-step rules on the blind labelled replies.

Usage: python eval/nextstep.py [--verbose]

The labels in tests/fixtures/nextstep/labelled.yaml were written by a reader who never saw
the rules' output. A reply counts as flagged by a rule when the rule reports anything on it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from replylint import lint

LABELS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nextstep" / "labelled.yaml"
RULES = {
    "next-step.missing": lambda r: not r["next_step"],
    "next-step.vague-timeline": lambda r: r["timeline"] == "vague",
    "next-step.over-promise": lambda r: bool(r["over_promise"]),
}


def main() -> None:
    verbose = "--verbose" in sys.argv
    replies = yaml.safe_load(LABELS.read_text())["replies"]
    print(f"{len(replies)} labelled replies")
    for rule, truth in RULES.items():
        tp = fp = fn = 0
        wrong = []
        for r in replies:
            fired = bool(lint(r["text"], config={"select": [rule]}).findings)
            expected = truth(r)
            tp += fired and expected
            fp += fired and not expected
            fn += expected and not fired
            if fired != expected:
                wrong.append(f"    {r['id']} {'false alarm' if fired else 'missed'}: "
                             f"{' '.join(r['text'].split())[:110]}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{rule:28} precision {precision:.0%} ({tp}/{tp + fp})  recall {recall:.0%} "
              f"({tp}/{tp + fn})")
        if verbose:
            print("\n".join(wrong))


if __name__ == "__main__":
    main()
