"""Limits: max-input-size, max-findings and check-timeout (replylint.limits, config, Linter)."""

import json
import os
import signal
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from support import plugin_dir

from replylint import Document, InputError, lint
from replylint.cli import main
from replylint.config import Config, ConfigError, parse_config
from replylint.engine import Linter
from replylint.limits import (
    DEFAULT_CHECK_TIMEOUT,
    DEFAULT_MAX_FINDINGS,
    DEFAULT_MAX_INPUT_SIZE,
    Stopwatch,
    check_size,
    over_limit,
    parse_size,
    read_input,
    read_stream,
    unbudgeted,
)
from replylint.plugins import build_registry


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch):
    monkeypatch.setenv("REPLYLINT_NO_CACHE", "1")


def cli(*args):
    """``replylint check --format json ARGS`` in this process: exit code, JSON, stderr lines."""
    result = CliRunner().invoke(main, ["check", "--format", "json", *map(str, args)],
                                catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout), result.stderr.splitlines()


# -- sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0), (1234, 1234), ("1234", 1234), ("10MB", 10_000_000), ("10 mb", 10_000_000),
    ("1.5MB", 1_500_000), ("512KB", 512_000), ("512KiB", 524_288), ("10MiB", 10 * 2**20),
    ("2GB", 2_000_000_000), ("100 bytes", 100), ("7b", 7),
])
def test_parse_size(value, expected):
    assert parse_size(value) == expected


@pytest.mark.parametrize("value", ["", "MB", "10 parsecs", "-1MB", -1, 1.5, True, None, [10]])
def test_parse_size_refuses(value):
    with pytest.raises(ValueError):
        parse_size(value)


def test_over_limit_messages():
    assert over_limit("file", 50_000_000, 10_000_000) == (
        "file is 50.0 MB, over the 10 MB limit (max-input-size)"
    )
    assert over_limit("file", 50 * 2**20, 10 * 2**20) == (
        "file is 50.0 MiB, over the 10 MiB limit (max-input-size)"
    )
    # a size that would round to the limit is given in bytes
    assert over_limit("input", 10_000_001, 10_000_000) == (
        "input is 10,000,001 bytes, over the 10 MB = 10,000,000 bytes limit (max-input-size)"
    )
    assert over_limit("input", 600, 500) == (
        "input is 600 bytes, over the 500 bytes limit (max-input-size)"
    )
    assert over_limit("file", None, 1_500_000) == "file is over the 1.5 MB limit (max-input-size)"


def test_read_input_checks_size_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50_000_000)  # sparse: 50 MB on paper, nothing to read
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda *a: reads.append(a) or real_read(*a))
    with pytest.raises(InputError) as e:
        read_input(big, 10_000_000)
    assert str(e.value) == f"{big}: file is 50.0 MB, over the 10 MB limit (max-input-size)"
    small = tmp_path / "small.txt"
    small.write_bytes(b"hello")
    assert read_input(small, 10) == b"hello"
    assert read_input(str(small), 0) == b"hello"  # 0: no limit
    assert read_input(small, None) == b"hello"
    assert read_input(small, 5) == b"hello"  # exactly at the limit is fine


def test_read_input_reads_a_file_in_one_call_of_its_size(tmp_path, monkeypatch):
    """A regular file is read with one ``os.read`` of its size plus one (a short read is its
    end); one that grew after ``fstat``, or a ``/proc`` file that says it has 0 bytes, is
    read on to its end."""
    path = tmp_path / "macro.md"
    path.write_bytes(b"x" * 70_000)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    assert read_input(path, 10_000_000) == b"x" * 70_000
    assert reads == [70_001]
    reads.clear()
    real_fstat = os.fstat

    def stale(fd):  # the size before a writer appended 100,000 bytes
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 1000, *info[7:]))

    monkeypatch.setattr(os, "fstat", stale)
    path.write_bytes(b"y" * 101_000)
    assert read_input(path, 10_000_000) == b"y" * 101_000
    assert reads[0] == 1001 and len(reads) > 2
    with pytest.raises(InputError, match="over the 100 KB limit"):
        read_input(path, 100_000)  # the limit holds for bytes past the size fstat gave too
    monkeypatch.setattr(os, "fstat", real_fstat)
    if os.path.exists("/proc/self/status"):
        with open("/proc/self/status", "rb") as f:
            assert read_input("/proc/self/status", None)[:40] == f.read()[:40]


def test_read_input_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match=r"missing\.txt: no such file or directory"):
        read_input(tmp_path / "missing.txt", 100)
    with pytest.raises(InputError, match="is a directory"):
        read_input(tmp_path, 100)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(InputError, match="too many levels of symbolic links"):
        read_input(loop, 100)


def test_read_input_bounds_devices_and_pipes(tmp_path):
    # /dev/zero never ends and stat says 0 bytes: at most max + 1 bytes are read
    with pytest.raises(InputError, match=r"/dev/zero: file is over the 1 KB limit"):
        read_input("/dev/zero", 1000)
    # a named pipe without a writer does not block: it reads as empty
    fifo = tmp_path / "pipe.eml"
    os.mkfifo(fifo)
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("data", read_input(fifo, 1000)),
                         daemon=True)
    t.start()
    t.join(5)
    assert box == {"data": b""}


def test_read_input_pipe_with_a_writer(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "wb") as f:
            f.write(b"x" * 5000)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    time.sleep(0.1)  # the writer is waiting in open() for a reader
    with pytest.raises(InputError, match="file is over the 1 KB limit"):
        read_input(fifo, 1000)
    t.join(5)


def test_read_stream_and_check_size():
    import io

    assert read_stream(io.BytesIO(b"abc"), 3) == b"abc"
    with pytest.raises(InputError, match=r"<stdin>: input is over the 2 bytes limit"):
        read_stream(io.BytesIO(b"abc"), 2)
    check_size("x.txt", b"abc", 3)
    check_size("x.txt", b"abc", 0)
    with pytest.raises(InputError, match=r"x\.txt: input is 3 bytes, over the 2 bytes limit"):
        check_size("x.txt", b"abc", 2)


# -- config ------------------------------------------------------------------------------------


def test_config_defaults_and_keys(tmp_path):
    cfg = parse_config({}, None, tmp_path)
    assert (cfg.max_input_size, cfg.max_findings, cfg.check_timeout) == (
        DEFAULT_MAX_INPUT_SIZE, DEFAULT_MAX_FINDINGS, DEFAULT_CHECK_TIMEOUT
    ) == (32_000_000, 100, 2.0)
    cfg = parse_config(
        {"max-input-size": "50MB", "max-findings": 5, "check-timeout": 0.5}, None, tmp_path
    )
    assert (cfg.max_input_size, cfg.max_findings, cfg.check_timeout) == (50_000_000, 5, 0.5)
    assert Config().max_input_size == DEFAULT_MAX_INPUT_SIZE


@pytest.mark.parametrize(("table", "message"), [
    ({"max-input-size": "lots"}, "max-input-size: expected a number of bytes"),
    ({"max-input-size": -5}, "max-input-size: must not be negative"),
    ({"max-findings": -1}, "max-findings must be a whole number"),
    ({"max-findings": "100"}, "max-findings must be a whole number"),
    ({"check-timeout": "2s"}, "check-timeout must be a number of seconds"),
    ({"check-timeout": -1}, "check-timeout must be a number of seconds"),
    ({"rules": {"PLH001": {"check-timeout": "x"}}}, "rule PLH001: check-timeout must be"),
])
def test_config_refuses_bad_limits(tmp_path, table, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(table, tmp_path / "replylint.toml", tmp_path)


def test_limits_in_a_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.replylint]\nmax-input-size = "1KB"\nmax-findings = 2\ncheck-timeout = 1\n'
    )
    from replylint.config import find_config

    cfg = find_config(tmp_path)
    assert (cfg.max_input_size, cfg.max_findings, cfg.check_timeout) == (1000, 2, 1.0)


# -- max-input-size through the Linter, the API and the command line ---------------------------


def test_linter_refuses_large_bytes():
    linter = Linter(Config(max_input_size=100))
    with pytest.raises(InputError) as e:
        linter.lint_bytes("big.txt", b"x" * 101)
    assert e.value.reason == "input is 101 bytes, over the 100 bytes limit (max-input-size)"
    with pytest.raises(InputError):
        linter.read("big.txt", b"x" * 101)
    assert linter.lint_bytes("ok.txt", b"x" * 100)
    assert Linter(Config(max_input_size=0)).lint_bytes("any.txt", b"x" * 20_000)


def test_api_lint_respects_max_input_size():
    with pytest.raises(InputError, match="over the 1 KB limit"):
        lint("Hi there. " * 200, config={"max-input-size": "1KB"})
    assert lint("Hi there.", config={"max-input-size": "1KB"}).findings is not None


def test_cli_file_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "replylint.toml").write_text('max-input-size = "1KB"\n')
    (tmp_path / "good.txt").write_text("Hi [NAME],\n\nThanks.\n")
    (tmp_path / "big.txt").write_text("word " * 1000)
    code, out, err = cli("good.txt", "big.txt")
    assert code == 2
    [error] = out["errors"]
    assert error["source"] == "big.txt"
    # "file is" once Session reads with read_input; "input is" from Linter.read until then
    assert error["message"] in ("file is 5.0 KB, over the 1 KB limit (max-input-size)",
                                "input is 5.0 KB, over the 1 KB limit (max-input-size)")
    assert "PLH001" in {f["code"] for d in out["documents"] for f in d["findings"]}
    assert [line for line in err if "big.txt" in line] == [
        f"replylint: big.txt: {out['errors'][0]['message']}"
    ]
    # raised in config, the same file is linted
    (tmp_path / "replylint.toml").write_text('max-input-size = "10KB"\n')
    code, out, _ = cli("good.txt", "big.txt")
    assert out["errors"] == [] and len(out["documents"]) == 2


def test_stdin_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "replylint.toml").write_text('max-input-size = 100\n')
    result = CliRunner().invoke(main, ["check", "--format", "json", "-"], input="x " * 100)
    assert result.exit_code == 2
    [error] = json.loads(result.stdout)["errors"]
    assert error["source"] == "<stdin>" and "over the 100 bytes limit" in error["message"]


# -- max-findings ------------------------------------------------------------------------------


def many_placeholders(n):
    return "Hi Sam,\n\n" + "\n".join(f"Line {i}: [NAME] here." for i in range(n)) + "\n"


def test_max_findings_keeps_the_first_by_position_and_adds_a_note():
    text = many_placeholders(30)
    strict = ("strict",)  # the rules off by default too: more findings than placeholders
    full = Linter(Config(max_findings=0, select=strict)).lint_document(Document(text, "x.txt"))
    capped = Linter(Config(max_findings=10, select=strict)).lint_document(Document(text, "x.txt"))
    assert len(full.findings) > 30
    *kept, note = capped.findings
    assert kept == full.findings[:10]
    assert note.rule == "replylint.too-many-findings" and note.code == "RPL002"
    dropped = len(full.findings) - 10
    assert note.message == (
        f"{dropped} more findings not shown, from line {full.findings[10].line} on: "
        "at most 10 per document (max-findings)"
    )
    assert (note.line, note.column) == (full.findings[10].line, full.findings[10].column)
    # the note is as severe as the worst finding it stands for, so the exit code is unchanged
    assert note.severity == max(f.severity for f in full.findings[10:])


def test_max_findings_default_is_100():
    report = Linter(Config()).lint_document(Document(many_placeholders(150), "x.txt"))
    assert len(report.findings) == 101
    assert report.findings[-1].code == "RPL002"


def test_max_findings_never_drops_internal_errors(tmp_path):
    plugins = plugin_dir(tmp_path, boom__py='''
        from replylint import check, hookimpl

        @check("demo.boom", "DEM009")
        def boom(doc, options):
            """Boom."""
            raise RuntimeError("kaput")

        @hookimpl
        def register_checks(register, config):
            register(boom)
    ''')
    reg = build_registry([plugins], entry_points_group=None)
    report = Linter(Config(max_findings=3), reg).lint_document(
        Document(many_placeholders(10), "x.txt")
    )
    codes = [f.code for f in report.findings]
    assert codes.count("RPL001") == 1 and codes[-1] == "RPL002"
    assert len(codes) == 3 + 1 + 1


def test_max_findings_through_the_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "replylint.toml").write_text("max-findings = 5\n")
    (tmp_path / "many.txt").write_text(many_placeholders(20))
    code, out, _ = cli("many.txt")
    assert code == 1
    findings = out["documents"][0]["findings"]
    assert len(findings) == 6 and findings[-1]["code"] == "RPL002"


# -- check-timeout -----------------------------------------------------------------------------

SLOW = '''
import time
from replylint import Hit, check, hookimpl

@check("demo.slow", "DEM020")
def slow(doc, options):
    """Sleeps."""
    yield Hit(0, 1, "before")
    time.sleep(30)
    yield Hit(0, 1, "after")

@check("demo.spin", "DEM021")
def spin(doc, options):
    """Spins in pure Python."""
    while True:
        pass

@check("demo.stubborn", "DEM022")
def stubborn(doc, options):
    """Swallows the first stop with a bare except, then any Exception, and keeps going."""
    deadline = time.monotonic() + 30
    try:
        time.sleep(30)
    except:  # noqa: E722
        pass
    while time.monotonic() < deadline:
        try:
            time.sleep(0.01)
        except Exception:
            pass

@check("demo.regex", "DEM023")
def regex(doc, options):
    """Catastrophic backtracking in C."""
    import re
    re.match(r"(a+)+$", "a" * 40 + "b")
    return []

@hookimpl
def register_checks(register, config):
    register(slow)
    register(spin)
    register(stubborn)
    register(regex)
'''


@pytest.fixture(scope="module")
def slow_registry(tmp_path_factory):
    d = tmp_path_factory.mktemp("slow") / "plugins"
    d.mkdir()
    (d / "slow.py").write_text(SLOW)
    return build_registry([d], entry_points_group=None), str(d / "slow.py")


def test_check_timeout_stops_each_slow_check_and_the_others_run(slow_registry):
    reg, path = slow_registry
    linter = Linter(Config(check_timeout=0.3), reg)
    start = time.monotonic()
    report = linter.lint_document(Document("Hi [NAME]", "x.txt"))
    took = time.monotonic() - start
    assert took < 6, took  # four slow checks, each stopped after about 0.3 s
    errors = {f.message.split()[1]: f.message for f in report.findings if f.code == "RPL001"}
    assert set(errors) == {"demo.slow", "demo.spin", "demo.stubborn", "demo.regex"}
    for rule, message in errors.items():
        assert message.startswith(f"check {rule} (plugin {path}) stopped after ")
        assert message.endswith("over its 0.3 s time budget (check-timeout)")
    assert "PLH001" in {f.code for f in report.findings}  # the built-in checks still ran
    assert "before" in {f.message for f in report.findings}  # what came before the stop stays
    # the SIGALRM handler and timer are put back as they were
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_check_timeout_per_rule_and_off(slow_registry):
    reg, _ = slow_registry
    cfg = Config(check_timeout=5, select=("demo.regex", "demo.spin"),
                 rules={"demo.spin": {"check-timeout": 0.2}, "DEM023": {"check-timeout": 0.2}})
    start = time.monotonic()
    report = Linter(cfg, reg).lint_document(Document("Hi", "x.txt"))
    assert time.monotonic() - start < 3
    assert sorted(f.message.split(" stopped")[0].split()[1] for f in report.findings) == [
        "demo.regex", "demo.spin"
    ]
    assert all("over its 0.2 s time budget" in f.message for f in report.findings)


def test_grammar_family_has_no_default_budget():
    linter = Linter(Config(check_timeout=2))
    assert all(ac.timeout == 2.0 for ac in linter.active_checks("x.txt"))
    from replylint.limits import SELF_TIMED_FAMILIES

    assert SELF_TIMED_FAMILIES == {"grammar"}


def test_check_timeout_zero_means_no_budget(slow_registry):
    reg, _ = slow_registry
    linter = Linter(Config(check_timeout=0), reg)
    assert all(ac.timeout is None for ac in linter.active_checks("x.txt"))


def test_overrun_in_a_thread_is_measured_not_stopped(tmp_path):
    d = plugin_dir(tmp_path, nap__py='''
        import time
        from replylint import Hit, check, hookimpl

        @check("demo.nap", "DEM030")
        def nap(doc, options):
            """Naps."""
            time.sleep(0.5)
            yield Hit(0, 2, "woke up")

        @hookimpl
        def register_checks(register, config):
            register(nap)
    ''')
    reg = build_registry([d], entry_points_group=None)
    linter = Linter(Config(check_timeout=0.2, select=("demo.nap",)), reg)
    box = {}
    t = threading.Thread(target=lambda: box.setdefault(
        "r", linter.lint_document(Document("Hi there", "x.txt"))))
    t.start()
    t.join(10)
    findings = box["r"].findings
    assert [f.code for f in findings] == ["RPL001", "DEM030"]  # it ran to the end: its hit stays
    assert findings[0].message.startswith(f"check demo.nap (plugin {d / 'nap.py'}) took 0.")
    assert findings[0].message.endswith(
        "over its 0.2 s time budget (check-timeout); not stopped: only the main thread can stop "
        "a check (with SIGALRM)"
    )


def test_unbudgeted_setup_is_neither_stopped_nor_counted(tmp_path):
    d = plugin_dir(tmp_path, model__py='''
        import time
        from replylint import Hit, check, hookimpl
        from replylint.limits import unbudgeted

        MODEL = []

        @check("demo.model", "DEM031")
        def model(doc, options):
            """Loads a model once."""
            if not MODEL:
                with unbudgeted():
                    time.sleep(0.6)
                    MODEL.append("loaded")
            time.sleep(0.1)
            yield Hit(0, 2, MODEL[0])

        @hookimpl
        def register_checks(register, config):
            register(model)
    ''')
    reg = build_registry([d], entry_points_group=None)
    linter = Linter(Config(check_timeout=0.3, select=("demo.model",)), reg)
    report = linter.lint_document(Document("Hi there", "x.txt"))
    assert [(f.code, f.message) for f in report.findings] == [("DEM031", "loaded")]
    box = {}
    # a fresh load in a thread: measured afterwards, and the set-up is not counted
    mod = next(m for n, m in sys.modules.items()
               if n.startswith("replylint_plugin_") and n.endswith("_model"))
    mod.MODEL.clear()
    t = threading.Thread(target=lambda: box.setdefault(
        "r", linter.lint_document(Document("Hi there", "x.txt"))))
    t.start()
    t.join(10)
    assert [f.code for f in box["r"].findings] == ["DEM031"]


def test_an_import_inside_a_check_is_not_interrupted(tmp_path, monkeypatch):
    pkg = tmp_path / "site"
    pkg.mkdir()
    (pkg / "slow_import_mod.py").write_text("import time\ntime.sleep(0.6)\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(pkg))
    d = plugin_dir(tmp_path, imp__py='''
        from replylint import Hit, check, hookimpl

        @check("demo.imp", "DEM032")
        def imp(doc, options):
            """Imports something slow the first time."""
            import slow_import_mod
            yield Hit(0, 2, str(slow_import_mod.VALUE))

        @hookimpl
        def register_checks(register, config):
            register(imp)
    ''')
    reg = build_registry([d], entry_points_group=None)
    linter = Linter(Config(check_timeout=0.3, select=("demo.imp",)), reg)
    try:
        report = linter.lint_document(Document("Hi there", "x.txt"))
    finally:
        sys.modules.pop("slow_import_mod", None)
    assert [(f.code, f.message) for f in report.findings] == [("DEM032", "42")]


def test_stopwatch_leaves_someone_elses_timer_alone():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with Stopwatch() as clock:
            assert not clock.signals  # a timer is running: measure only
            timing = clock.run(0.05, lambda: time.sleep(0.1))
        assert timing.overran and not timing.stopped
        time.sleep(0.4)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_stopwatch_restores_a_previous_handler():
    def mine(*a):
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with Stopwatch() as clock:
            assert clock.signals
            assert clock.run(0.1, lambda: time.sleep(5)).stopped
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_unbudgeted_nests():
    with unbudgeted():
        with unbudgeted():
            pass
    from replylint.limits import _local

    assert _local.depth == 0


def test_cli_check_timeout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow.py").write_text(SLOW)
    (tmp_path / "replylint.toml").write_text(
        'check-timeout = 0.2\nselect = ["PLH", "demo.spin"]\n'
    )
    (tmp_path / "a.txt").write_text("Hi [NAME]")
    (tmp_path / "b.txt").write_text("Hello [NAME]")
    start = time.monotonic()
    code, out, err = cli("a.txt", "b.txt")
    assert time.monotonic() - start < 10
    assert code == 3
    for doc in out["documents"]:
        codes = [f["code"] for f in doc["findings"]]
        assert codes == ["RPL001", "PLH001"], codes
        assert "demo.spin" in doc["findings"][0]["message"]


def test_first_run_word_table_build_is_not_stopped(tmp_path, monkeypatch, run_cli):
    """The first run on a machine builds the lexicon inside jargon.rare-word (seconds): a short
    budget must neither stop it (leaving no table, so every run would fail) nor report it."""
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "replylint.toml").write_text('check-timeout = 0.3\nextend-select = ["JAR004"]\n')
    (tmp_path / "a.txt").write_text("Hi Ann,\n\nWe looked into the perspicacious refund.\n")
    p = run_cli("check", "--format", "json", "a.txt")
    codes = [f["code"] for f in json.loads(p.stdout)["documents"][0]["findings"]]
    assert "RPL001" not in codes, p.stdout
    assert "JAR004" in codes
    assert [f.name for f in (tmp_path / "cache").iterdir() if f.name.startswith("lexicon")]
