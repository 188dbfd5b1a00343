"""Worker processes: the same findings as one process, no file lost when a worker dies, and
a progress bar only where a person watches."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import threading
import time

import pytest

from replylint.engine import Session


@pytest.fixture(autouse=True)
def _no_stray_threads():
    """A document is shared with a fork only while this process has one thread: wait (a few
    seconds at most) for threads an earlier test left behind, such as an abandoned
    LanguageTool call that ends when its timeout does."""
    deadline = time.monotonic() + 10
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
from replylint.results import loads, pack

ROOT = Path(__file__).resolve().parent.parent

KILLER = '''
import os
from replylint import check, hookimpl

@check("kill.worker", "KIL001")
def kill(doc, options):
    """Kills the worker process linting a file that asks for it."""
    if "kill-me" in doc.text and os.getpid() != int(os.environ["PARENT_PID"]):
        os._exit(9)
    return iter(())

@hookimpl
def register_checks(register, config):
    register(kill)
'''


@pytest.fixture
def tree(tmp_path) -> Path:
    """Drafts, macros, an export holding several macros, a file no reader knows, a bad file."""
    root = tmp_path / "tree"
    shutil.copytree(ROOT / "examples", root / "examples",
                    ignore=shutil.ignore_patterns("zendesk-app"))
    shutil.copytree(ROOT / "tests" / "fixtures" / "mail", root / "mail")
    for i in range(40):
        (root / f"d{i:02}.txt").write_text(
            f"hello,\nwe are sorry but its your fault the order {i} failed. we'll look at it soon"
            "\n" if i % 2 else f"Hi Dana,\n\nI've refunded order {i} today; it reaches your card"
            " in 3 to 5 days.\n\nBest,\nSam\n")
    (root / "bad.html").write_bytes(b"\xff\xfe\x00<p>\x00\x00 broken")
    (root / "replylint.toml").write_text("")
    return root


def _findings(result) -> list:
    return [(r.source, pack(r)["findings"], r.metrics) for r in result.reports]


def test_workers_find_what_one_process_finds(tree):
    one = Session(jobs=1).run([tree])
    two = Session(jobs=2).run([tree])
    assert len(one.reports) >= 45 and one.errors
    assert _findings(two) == _findings(one)
    assert [(e.source, e.reason) for e in two.errors] == [(e.source, e.reason) for e in one.errors]
    assert two.exit_code == one.exit_code


def test_a_worker_that_dies_loses_no_file(tree, monkeypatch):
    (tree / "plugins").mkdir()
    (tree / "plugins" / "killer.py").write_text(KILLER)
    (tree / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
    (tree / "d05.txt").write_text("Hi, kill-me please.\n")
    monkeypatch.setenv("PARENT_PID", str(os.getpid()))
    one = Session(jobs=1).run([tree])
    two = Session(jobs=2).run([tree])
    assert _findings(two) == _findings(one)


@pytest.mark.parametrize("kill", [False, True])
def test_batches_read_while_workers_lint_keep_order_and_lose_nothing(tree, tmp_path,
                                                                      monkeypatch, kill):
    """A batch is read while the workers lint the one before: with small batches (two in
    flight at once), workers that die in both, and the result cache cold then warm, the
    reports are the one-process run's, in its order."""
    from replylint import engine
    from replylint.cache import ResultCache

    if kill:
        (tree / "plugins").mkdir()
        (tree / "plugins" / "killer.py").write_text(KILLER)
        (tree / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
        for name in ("d20.txt", "d35.txt"):  # in the first batch and in the second
            (tree / name).write_text("Hi, kill-me please.\n")
        monkeypatch.setenv("PARENT_PID", str(os.getpid()))
    one = Session(jobs=1).run([tree])
    monkeypatch.setattr(engine, "BATCH_FILES", 24)  # each batch starts or uses the workers
    for _ in range(2):  # cold, then from the cache
        many = Session(jobs=2, cache=ResultCache(tmp_path / "results.sqlite3")).run([tree])
        assert _findings(many) == _findings(one)
        assert [(e.source, e.reason) for e in many.errors] == [
            (e.source, e.reason) for e in one.errors]


def test_a_batch_handed_to_workers_that_died_is_linted_here(tree, monkeypatch):
    """The next batch can be handed over after a worker died in the one before (the pool is
    broken then, and refuses it): both batches are linted in the main process instead."""
    import time

    from replylint.config import find_config
    from replylint.engine import Linter
    from replylint.parallel import WARM_FILES, Workers, lint_one

    (tree / "plugins").mkdir()
    (tree / "plugins" / "killer.py").write_text(KILLER)
    (tree / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
    monkeypatch.setenv("PARENT_PID", str(os.getpid()))
    linter = Linter(find_config(tree))
    first = [(0, f"a{i}.txt", b"Hi Dana, thanks.\n") for i in range(30)]
    first[WARM_FILES + 1] = (0, "kill.txt", b"Hi, kill-me please.\n")  # after the warm-up
    second = [(0, f"b{i}.txt", b"Hi Dana, your refund is on its way.\n") for i in range(30)]
    workers = Workers([linter], {}, 2)
    try:
        before = workers.submit(first)
        while not workers._pool._broken:  # the worker dies on kill.txt
            time.sleep(0.01)
        after = workers.submit(second)  # refused by the broken pool
        want = [lint_one(linter, s, d, {}) for _, s, d in first + second]
        got = list(before) + list(after)
        assert [_packed(o) for o in got] == [_packed(o) for o in want]
    finally:
        workers.close()


def _packed(outcome):
    if outcome[0] != "reports":
        return outcome
    reports = loads(outcome[1]) if isinstance(outcome[1], bytes) else outcome[1]
    return [pack(r)["findings"] for r in reports]


def _run_on_pty(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run with standard error on a terminal; what it wrote there, and to the pipe."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "replylint", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read()  # type: ignore[union-attr]
    proc.wait(timeout=120)
    os.close(leader)
    return proc.returncode, out.decode(), seen.decode(errors="replace")


def test_progress_bar_on_a_terminal_only(tree):
    code, out, terminal = _run_on_pty(["check", "--no-cache", "."], tree)
    assert "Linting" in terminal and "50/50" in terminal
    assert "Linting" not in out  # the report itself stays clean
    piped = subprocess.run([sys.executable, "-m", "replylint", "check", "--no-cache", "."],
                           cwd=tree, capture_output=True, text=True, timeout=120)
    assert "Linting" not in piped.stderr and piped.stdout == out
    small = tree / "examples"
    _, _, terminal = _run_on_pty(["check", "--no-cache", "."], small)
    assert "Linting" not in terminal  # a few files: no bar


def test_batches_start_small_so_workers_start_early():
    """The first batch is small, so the workers start while the next, larger one is read;
    batches then grow to ``BATCH_FILES``."""
    from replylint import engine

    targets = [engine._Target(f"t{i}", None, None, False) for i in range(10_000)]
    assert [len(b) for b in engine._batches(targets)] == [250, 1000, 2000, 2000, 2000, 2000, 750]


WATCHER = '''
import os
from replylint import Hit, Metric, check, hookimpl

@check("watch.process", "WAT001")
def watch(doc, options):
    """Says which process ran it (a plugin's check runs in the process that lints)."""
    yield Metric("watch_pid", os.getpid())
    yield Hit(0, 2, "watched")

@hookimpl
def register_checks(register, config):
    register(watch)
'''


def _long_document(tmp_path, monkeypatch):
    """A linter with a plugin check, and a document of real replies over ``SHARE_CHARS``
    with a card number and a placeholder in it (findings that mask each other's secrets)."""
    import json

    from replylint.config import find_config
    from replylint.engine import Linter
    from replylint.parallel import SHARE_CHARS

    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "watcher.py").write_text(WATCHER)
    # strict: every rule runs, so the two processes share many checks and findings
    (tmp_path / "replylint.toml").write_text('plugins-dir = ["plugins"]\nselect = ["strict"]\n')
    replies = ROOT.parent / "shared" / "data" / "support_replies" / "ibm_twitter_care_dev.jsonl"
    rows = [json.loads(line) for line in replies.read_text().splitlines()]
    texts = [v for row in rows for v in row.values() if isinstance(v, str) and len(v) > 40]
    parts, size = ["Hi {{first_name}},\n\nYour card 4111 1111 1111 1111 was charged twice."], 0
    while size < SHARE_CHARS + 10_000:
        parts.append(texts[len(parts) % len(texts)])
        size += len(parts[-1]) + 2
    linter = Linter(find_config(tmp_path))
    return linter, linter.read("long.txt", "\n\n".join(parts).encode())[0]


def _same(report) -> tuple:
    return ([(f.code, f.start, f.end, f.message, f.replacements) for f in report.findings],
            list(report.metrics.items()))


def test_a_long_document_checked_in_two_processes_gets_its_one_process_report(
        tmp_path, monkeypatch):
    """The fork takes checks from the queue while this process does: the report is the one
    ``lint_document`` makes (findings, masking, metrics in order), the plugin's check ran
    here, and the fork did run some of the checks."""
    from replylint import parallel
    from replylint.engine import Linter

    linter, doc = _long_document(tmp_path, monkeypatch)
    parent, ran_here = os.getpid(), []
    real = Linter.outcomes

    def counted(self, doc, checks):
        for outcome in real(self, doc, checks):
            if os.getpid() == parent:
                ran_here.append(outcome)
            yield outcome

    alone = linter.lint_document(doc)
    monkeypatch.setattr(Linter, "outcomes", counted)
    shared = parallel.lint_shared(linter, doc)
    assert _same(shared) == _same(alone)
    assert shared.metrics["watch_pid"] == parent
    assert any("4111" not in f.message and f.rule.startswith("privacy") for f in shared.findings)
    checks = linter.checks_for(doc)
    assert len(checks) >= 20
    assert 1 < len(ran_here) < len(checks) - 1  # this process ran some, the fork the others


def test_checks_a_dying_fork_took_are_run_here(tmp_path, monkeypatch):
    from replylint import parallel

    linter, doc = _long_document(tmp_path, monkeypatch)
    parent = os.getpid()
    real = parallel._run_queue

    def dies(linter, doc, checks, queue):
        if os.getpid() != parent:
            os.read(queue, 6)  # takes three checks, then dies
            os._exit(9)
        return real(linter, doc, checks, queue)

    forks = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        forks.append(pid)
        return pid

    monkeypatch.setattr(parallel, "_run_queue", dies)
    monkeypatch.setattr(os, "fork", fork)
    assert _same(parallel.lint_shared(linter, doc)) == _same(linter.lint_document(doc))
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # the fork was reaped


def test_only_long_documents_with_a_free_core_are_shared(tmp_path, monkeypatch):
    """Short documents, a process with other threads, and ``-j 1`` never fork."""
    import threading

    from replylint import parallel

    linter, doc = _long_document(tmp_path, monkeypatch)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    small = b"Hi Dana,\n\nI've refunded the order today.\n\nBest,\nSam\n"
    files = [(linter, "a.txt", small), (linter, "b.txt", small)]
    assert [o[0] for o in parallel.lint_many(files, {}, share=True)] == ["reports"] * 2
    assert forks == []
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _same(parallel.lint_shared(linter, doc)) == _same(linter.lint_document(doc))
    finally:
        stop.set()
        thread.join()
    assert forks == []
    parallel.lint_many([(linter, "long.txt", doc.text.encode())], {}, share=True)
    assert len(forks) == 1
    parallel.lint_many([(linter, "long.txt", doc.text.encode())], {}, share=False)
    assert len(forks) == 1


def test_the_command_line_shares_a_long_document_and_prints_what_one_core_prints(
        tmp_path, monkeypatch):
    _, doc = _long_document(tmp_path, monkeypatch)
    (tmp_path / "long.txt").write_text(doc.text)
    runs = [subprocess.run([sys.executable, "-m", "replylint", "check", "--no-cache", *jobs,
                            "long.txt"], cwd=tmp_path, capture_output=True, text=True, check=False)
            for jobs in ([], ["-j", "1"])]
    assert runs[0].returncode == runs[1].returncode == 1
    assert runs[0].stdout.count("WAT001") == 1 and "privacy" in runs[0].stdout
    assert runs[0].stdout == runs[1].stdout
