"""Load test of `replylint serve` on loopback: requests per second and latency percentiles.

Starts the service itself (a child process on a free 127.0.0.1 port, defaults config, in a
temporary folder), sends drafts from a few client threads at each concurrency level, checks
that every answer is 200 with a valid version-1 JSON report, prints a table, and stops the
service. Bounded in count and time: at most --requests per level and --seconds per level.

Usage: python bench/load_service.py [--levels 1,4,16] [--requests 400] [--seconds 20]
                                    [--new-connection]
Exit code 1 if any request failed (an error, a non-200, or JSON that is not the contract).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DRAFTS = [
    {"text": "Hi [Customer Name],\n\nUnfortunately we can't refund the order.\n\nThanks,\nAlex"},
    {"text": "Hi Dana,\n\nThanks for your patience. Your refund was issued today and will "
             "reach your card in 3-5 business days. I'll email you the reference number by "
             "Friday.\n\nBest regards,\nSam\n"},
    {"text": "Hello,\n\nPer our policy we are unable to process your request. Please be "
             "advised that the SLA for tier 2 escalations is 48h. ASAP!!!\n\nRegards,\nSupport"},
    {"html": "<div><p>Hi Priya,</p><p>Sorry for the trouble with your login. I have reset "
             "your password: you will get an email with a link in a few minutes.</p>"
             "<p>If anything else comes up, just reply to this email.</p>"
             "<p>Best,<br>Sam</p></div>",
     "context": "I can't log in to my account since yesterday. Can you help?"},
    {"text": ("Hi Jo,\n\n" + "Thanks for getting in touch about the delivery. I checked with "
              "the courier and the parcel is on its way; it should arrive by Thursday. " * 12
              + "\n\nBest,\nSam"), "kind": "draft"},
]


def start_service(folder: str) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REPLYLINT_SERVICE_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "replylint", "serve", "--host", "127.0.0.1", "--port", "0"],
        cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "serving on http://127.0.0.1:" in line:
            # keep draining stderr so the child never blocks on a full pipe
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, int(line.split("serving on http://127.0.0.1:")[1].split("/")[0])
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the service did not start")


def stop_service(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def valid(body: bytes) -> bool:
    try:
        report = json.loads(body)
    except ValueError:
        return False
    return (report.get("version") == 1 and isinstance(report.get("documents"), list)
            and len(report["documents"]) == 1 and report.get("errors") == []
            and isinstance(report.get("summary"), dict))


def run_level(port: int, concurrency: int, max_requests: int, max_seconds: float,
              new_connection: bool) -> dict[str, float]:
    bodies = [json.dumps(d).encode("utf-8") for d in DRAFTS]
    headers = {"Content-Type": "application/json"}
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + max_seconds

    def take() -> int | None:
        nonlocal issued
        with lock:
            if issued >= max_requests or time.monotonic() >= deadline:
                return None
            issued += 1
            return issued

    def worker() -> None:
        conn = None
        while (n := take()) is not None:
            body = bodies[n % len(bodies)]
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", "/v1/lint", body, headers)
                resp = conn.getresponse()
                data = resp.read()
                ms = (time.perf_counter() - t0) * 1000
                ok = resp.status == 200 and valid(data)
                with lock:
                    latencies.append(ms)
                    if not ok:
                        errors.append(f"{resp.status} {data[:80]!r}")
                if new_connection or resp.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(f"{type(e).__name__}: {e}")
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, max(0, round(p / 100 * len(latencies)) - 1))]

    return {"concurrency": concurrency, "requests": issued, "errors": len(errors),
            "seconds": elapsed, "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50": pct(50), "p90": pct(90), "p99": pct(99),
            "max": latencies[-1] if latencies else float("nan"), "first_error": (errors or [""])[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,4,16", help="comma-separated concurrency levels")
    parser.add_argument("--requests", type=int, default=400, help="at most this many per level")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most this long per level")
    parser.add_argument("--new-connection", action="store_true",
                        help="a new TCP connection per request instead of keep-alive")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    if any(c < 1 or c > 64 for c in levels):
        raise SystemExit("concurrency levels must be between 1 and 64")

    with tempfile.TemporaryDirectory() as folder:  # no config here: the defaults
        proc, port = start_service(folder)
        try:
            run_level(port, 2, 20, 10, args.new_connection)  # warm up
            rows = [run_level(port, c, args.requests, args.seconds, args.new_connection)
                    for c in levels]
        finally:
            stop_service(proc)

    mode = "new connection per request" if args.new_connection else "keep-alive"
    print(f"replylint serve on 127.0.0.1, POST /v1/lint, {len(DRAFTS)} drafts in turn, {mode}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"{'conc':>4} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7}")
    for r in rows:
        print(f"{r['concurrency']:>4} {r['requests']:>8} {r['errors']:>6} {r['rps']:>7.1f} "
              f"{r['p50']:>7.1f} {r['p90']:>7.1f} {r['p99']:>7.1f} {r['max']:>7.1f}")
    failed = [r for r in rows if r["errors"]]
    for r in failed:
        print(f"concurrency {r['concurrency']}: first error: {r['first_error']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
