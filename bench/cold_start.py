"""Cold start of `replylint check` on one short draft: median wall time of repeated runs.

Usage: python bench/cold_start.py [RUNS]   (prints the median, min and max in milliseconds)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DRAFT = """Hi Dana,

Thanks for your patience. Your refund was issued today and will reach your card in 3-5
business days. I'll email you the reference number by Friday.

Best regards,
Sam
"""


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp, "draft.txt")
        draft.write_text(DRAFT)
        cmd = [str(Path(sys.executable).parent / "replylint"), "check", str(draft)]
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=tmp, stdout=subprocess.DEVNULL, check=False)
            times.append((time.perf_counter() - t0) * 1000)
    print(f"replylint check, one short draft, {runs} runs: median {statistics.median(times):.0f} ms"
          f" (min {min(times):.0f}, max {max(times):.0f})")


if __name__ == "__main__":
    main()
