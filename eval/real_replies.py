"""Print what chosen rules say about the 586 real customer-care replies, for reading.

Usage: python eval/real_replies.py [SELECT ...]   e.g.  python eval/real_replies.py tone empathy

Each reply is linted as a draft with the customer's previous message as context. Prints every
finding (rule, the matched text, the reply, and for document-level rules the customer's
message), then counts per rule and the replies per second of the whole lint.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from replylint import lint

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "support_replies"


def main() -> None:
    select = sys.argv[1:] or ["strict"]
    rows = [json.loads(line) for line in (DATA / "ibm_twitter_care_dev.jsonl").open()]
    config = {"select": select}
    counts: Counter[str] = Counter()
    t0 = time.perf_counter()
    reports = [lint(r["agent_reply"], context=r["previous_customer_message"], config=config)
               for r in rows]
    elapsed = time.perf_counter() - t0
    for i, (row, report) in enumerate(zip(rows, reports)):
        for f in report.findings:
            counts[f.rule] += 1
            print(f"[{i}] {f.code} {f.rule}: {f.match!r}\n    reply: {row['agent_reply']!r}")
            if f.rule.startswith("empathy"):
                print(f"    customer: {row['previous_customer_message']!r}")
            print(f"    says: {f.message}")
    print(f"\n{sum(counts.values())} findings on {len(rows)} replies")
    for rule, n in counts.most_common():
        print(f"  {n:5d}  {rule}")
    print(f"{len(rows) / elapsed:.0f} replies/s (select {' '.join(select)}, one process)")


if __name__ == "__main__":
    main()
