"""Faulty plugins are reported by name and the run goes on (exit code 3): checks that raise,
hang or yield garbage, plugins that fail to import or register, readers that crash."""

import json
import sys
import textwrap

import pytest
from click.testing import CliRunner

from support import plugin_dir

from replylint import Document
from replylint.cli import main
from replylint.config import Config
from replylint.engine import Linter, ReaderFault
from replylint.plugins import build_registry


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch):
    monkeypatch.setenv("REPLYLINT_NO_CACHE", "1")


def registry(tmp_path, **files):
    return build_registry([plugin_dir(tmp_path, **files)], entry_points_group=None)


def one_check(body, name="bad"):
    """A plugin module with one check ``demo.bad`` (DEM050) whose body is ``body``."""
    return f'''
from replylint import Hit, Metric, check, hookimpl

@check("demo.{name}", "DEM050")
def {name}(doc, options):
    """A faulty check."""
{textwrap.indent(textwrap.dedent(body).strip(), "    ")}

@hookimpl
def register_checks(register, config):
    register({name})
'''


def run_one(tmp_path, body, text="Hi [NAME], thanks."):
    reg = registry(tmp_path, bad__py=one_check(body))
    assert reg.errors == []
    report = Linter(Config(), reg).lint_document(Document(text, "x.txt"))
    errors = [f for f in report.findings if f.code == "RPL001"]
    return report, errors


def assert_reported(tmp_path, body, *expected, text="Hi [NAME], thanks."):
    report, errors = run_one(tmp_path, body, text)
    path = str(tmp_path / "plugins" / "bad.py")
    [error] = errors
    assert error.message.startswith(f"check demo.bad (plugin {path}) failed: ")
    for part in expected:
        assert part in error.message, error.message
    assert (error.rule, error.severity.name, error.line, error.column) == (
        "replylint.internal-error", "ERROR", 1, 1
    )
    assert "PLH001" in {f.code for f in report.findings}  # the built-in checks still ran
    return report


# -- checks that raise or return garbage -------------------------------------------------------


def test_check_that_raises(tmp_path):
    assert_reported(tmp_path, 'raise RuntimeError("kaput")', "RuntimeError: kaput")


def test_check_that_exits(tmp_path):
    assert_reported(tmp_path, 'import sys\nsys.exit("bye")', "SystemExit: bye")


def test_keyboard_interrupt_is_not_swallowed(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        run_one(tmp_path, "raise KeyboardInterrupt")


@pytest.mark.parametrize(("body", "expected"), [
    ("return None", "TypeError: returned NoneType, not an iterable of Hit and Metric"),
    ("return 42", "TypeError: returned int, not an iterable of Hit and Metric"),
    ('return "oops"', "ValueError: yielded an invalid hit 'o': a str, not a Hit or Metric"),
    ("yield (0, 2)", "yielded an invalid hit (0, 2): a tuple, not a Hit or Metric"),
    ("yield None", "a NoneType, not a Hit or Metric"),
    ('yield {"start": 0}', "a dict, not a Hit or Metric"),
    ("yield Hit(0, 10**6)", "span 0..1000000 is outside the text (0..18)"),
    ("yield Hit(-1, 2)", "span -1..2 is outside the text"),
    ("yield Hit(5, 2)", "span 5..2 is outside the text"),
    ('yield Hit("0", 2)', "start and end must be integers"),
    ("yield Hit(0.0, 2)", "start and end must be integers"),
    ("yield Hit(True, 2)", "start and end must be integers"),
    ("yield Hit(0, 2, 42)", "message must be a string or None"),
    ('yield Hit(0, 2, "m", "swap")', "replacements must be a list or tuple of strings"),
    ('yield Hit(0, 2, "m", [1, 2])', "replacements must be a list or tuple of strings"),
    ('yield Hit(0, 2, "m", None)', "replacements must be a list or tuple of strings"),
    ('yield Hit(0, 2, "m", fix_safe="yes")', "fix_safe and sensitive must be booleans"),
    ('yield Metric("x", object())', "ValueError: yielded an invalid metric Metric(name='x'"),
    ('yield Metric(None, 1)', "yielded an invalid metric"),
])
def test_check_that_returns_garbage(tmp_path, body, expected):
    assert_reported(tmp_path, body, expected)


def test_generator_that_raises_midway_keeps_what_came_before(tmp_path):
    report = assert_reported(
        tmp_path,
        'yield Hit(0, 2, "first")\nyield Metric("seen", 1)\nraise ValueError("midway")',
        "ValueError: midway",
    )
    assert "first" in {f.message for f in report.findings}
    assert report.metrics["seen"] == 1


def test_a_bad_item_after_good_ones(tmp_path):
    report = assert_reported(tmp_path, 'yield Hit(0, 2, "ok")\nyield Hit(0, 999)',
                             "outside the text")
    assert "ok" in {f.message for f in report.findings}


def test_check_that_hangs_is_stopped(tmp_path):
    reg = registry(tmp_path, bad__py=one_check("while True:\n    pass"))
    report = Linter(Config(check_timeout=0.2), reg).lint_document(Document("Hi [NAME]", "x.txt"))
    [error] = [f for f in report.findings if f.code == "RPL001"]
    assert error.message.startswith(
        f"check demo.bad (plugin {tmp_path / 'plugins' / 'bad.py'}) stopped after 0."
    )
    assert "PLH001" in {f.code for f in report.findings}


def test_valid_plugin_checks_still_pass(tmp_path):
    report, errors = run_one(
        tmp_path, 'yield Hit(0, 2, "ok", ["Hello"], fix_safe=True)\nyield Metric("n", 1.5)'
    )
    assert errors == []
    assert ("DEM050", "ok", ("Hello",)) in {(f.code, f.message, f.replacements)
                                            for f in report.findings}
    assert report.metrics["n"] == 1.5


# -- plugins that fail to load or register ----------------------------------------------------

GOOD = one_check('i = doc.text.find("HELLO")\nif i >= 0:\n    yield Hit(i, i + 5, "no shouting")',
                 name="shout").replace("DEM050", "DEM001")


@pytest.mark.parametrize(("source", "expected"), [
    ("def broken(:\n", "broken.py: failed to import: SyntaxError"),
    ("import nonexistent_module_xyz\n", "broken.py: failed to import: ModuleNotFoundError"),
    ("from os import nonexistent_name\n", "broken.py: failed to import: ImportError"),
    ("raise RuntimeError('at import')\n", "broken.py: failed to import: RuntimeError: at import"),
    ("import sys\nsys.exit(1)\n", "broken.py: failed to import: SystemExit: 1"),
    ("1/0\n", "broken.py: failed to import: ZeroDivisionError"),
])
def test_drop_in_that_fails_to_import(tmp_path, source, expected):
    reg = registry(tmp_path, broken__py=source, ok__py=GOOD)
    assert "demo.shout" in reg.checks
    [error] = reg.errors
    assert expected in str(error)


HOOK_FAULTS = {
    "raises": ("@hookimpl\ndef register_checks(register, config):\n    raise OSError('no model')\n",
               "register_checks raised OSError: no model"),
    "exits": ("@hookimpl\ndef register_checks(register, config):\n    raise SystemExit(2)\n",
              "register_checks raised SystemExit: 2"),
    "not-a-check": ("@hookimpl\ndef register_checks(register, config):\n    register('x')\n",
                    "register_checks got 'x', not a Check"),
    "bad-severity": (
        "from replylint.model import Check\n@hookimpl\ndef register_checks(register, config):\n"
        "    register(Check('demo.sev', 'DEM060', 'loud', lambda d, o: []))\n",
        "rule 'demo.sev': severity must be a Severity, not 'loud'"),
    "not-callable": (
        "from replylint.model import Check, Severity\n@hookimpl\n"
        "def register_checks(register, config):\n"
        "    register(Check('demo.nc', 'DEM061', Severity.WARNING, 42))\n",
        "rule 'demo.nc': its function is not callable"),
    "bad-kinds": (
        "from replylint.model import Check, Severity\n@hookimpl\n"
        "def register_checks(register, config):\n"
        "    register(Check('demo.k', 'DEM062', Severity.WARNING, lambda d, o: [], "
        "kinds=frozenset({'tweet'})))\n",
        "rule 'demo.k': kinds must name draft, macro or both"),
    "bad-id": (
        "from replylint.model import Check, Severity\n@hookimpl\n"
        "def register_checks(register, config):\n"
        "    register(Check(7, 'DEM063', Severity.WARNING, lambda d, o: []))\n",
        "rule 7: id must be a string such as family.rule-name"),
    "bad-signature": ("@hookimpl\ndef register_checks(register, colour):\n    pass\n",
                      "colour"),
    "not-a-reader": ("@hookimpl\ndef register_readers(register):\n    register(len)\n",
                     "register_readers got <built-in function len>, not a Reader"),
    "reader-patterns": (
        "from replylint.readers import Reader\n@hookimpl\ndef register_readers(register):\n"
        "    register(Reader('r', '*.txt', lambda s, d: None))\n",
        "not a Reader with a name, a list of file patterns and a load function"),
    "not-a-formatter": (
        "@hookimpl\ndef register_formatters(register):\n    register('tsv')\n",
        "register_formatters got 'tsv', not a Formatter"),
}


@pytest.mark.parametrize("case", sorted(HOOK_FAULTS))
def test_hook_that_fails(tmp_path, case):
    source, expected = HOOK_FAULTS[case]
    reg = registry(tmp_path, broken__py="from replylint import hookimpl\n" + source, ok__py=GOOD)
    assert "demo.shout" in reg.checks
    assert "placeholders.unfilled" in reg.checks
    [error] = reg.errors
    assert "broken.py" in str(error) and expected in str(error), str(error)
    # a Linter over the registry still works
    report = Linter(Config(), reg).lint_document(Document("HELLO [NAME]", "x.txt"))
    assert {"DEM001", "PLH001"} <= {f.code for f in report.findings}


def make_dist(tmp_path, monkeypatch, entry_points, modules):
    site = tmp_path / "site"
    site.mkdir()
    for name, text in modules.items():
        (site / f"{name}.py").write_text(textwrap.dedent(text))
    dist = site / "demo_faults-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-faults\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[replylint]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    )
    monkeypatch.syspath_prepend(str(site))
    return modules


def test_entry_points_that_fail(tmp_path, monkeypatch):
    modules = make_dist(tmp_path, monkeypatch, {
        "missing": "demo_fault_nonexistent",
        "noattr": "demo_fault_ok:nonexistent_attr",
        "raising": "demo_fault_raising",
        "exiting": "demo_fault_exiting",
        "syntax": "demo_fault_syntax",
        "good": "demo_fault_ok",
    }, {
        "demo_fault_ok": GOOD,
        "demo_fault_raising": "raise ImportError('needs libfoo')\n",
        "demo_fault_exiting": "import sys\nsys.exit(3)\n",
        "demo_fault_syntax": "def (\n",
    })
    try:
        reg = build_registry()
    finally:
        for name in modules:
            sys.modules.pop(name, None)
    assert reg.checks["demo.shout"][1] == "good"
    errors = sorted(str(e) for e in reg.errors)
    assert errors == sorted([
        "plugin missing (entry point demo_fault_nonexistent): failed to import: "
        "ModuleNotFoundError: No module named 'demo_fault_nonexistent'",
        "plugin noattr (entry point demo_fault_ok:nonexistent_attr): failed to import: "
        "AttributeError: module 'demo_fault_ok' has no attribute 'nonexistent_attr'",
        "plugin raising (entry point demo_fault_raising): failed to import: "
        "ImportError: needs libfoo",
        "plugin exiting (entry point demo_fault_exiting): failed to import: SystemExit: 3",
        next(e for e in errors if e.startswith("plugin syntax (entry point demo_fault_syntax): "
                                               "failed to import: SyntaxError")),
    ])


# -- readers -----------------------------------------------------------------------------------

READERS = '''
from replylint import Document, hookimpl
from replylint.readers import Reader

def crash(source, data):
    raise AssertionError("lost my place")

def garbage(source, data):
    return "not documents"

def exits(source, data):
    raise SystemExit(4)

@hookimpl
def register_readers(register):
    register(Reader("crashy", ["*.crash"], crash))
    register(Reader("garbagey", ["*.garbage"], garbage))
    register(Reader("exity", ["*.exit"], exits))
'''


@pytest.mark.parametrize(("name", "expected"), [
    ("a.crash", "reader crashy (plugin {p}) failed on a.crash: AssertionError: lost my place"),
    ("a.garbage", "reader garbagey (plugin {p}) returned 'not documents' for a.garbage, "
                  "not a list of Documents"),
    ("a.exit", "reader exity (plugin {p}) failed on a.exit: SystemExit: 4"),
])
def test_reader_faults_name_the_reader_and_plugin(tmp_path, name, expected):
    reg = registry(tmp_path, readers__py=READERS)
    with pytest.raises(ReaderFault) as e:
        Linter(Config(), reg).read(name, b"hello")
    assert str(e.value) == expected.format(p=tmp_path / "plugins" / "readers.py")


# -- through the command line ------------------------------------------------------------------


def cli(*args):
    result = CliRunner().invoke(main, ["check", "--format", "json", *map(str, args)],
                                catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout), result.stderr.splitlines()


def test_cli_broken_plugins_exit_3_and_the_rest_is_linted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plugin_dir(
        tmp_path,
        syntax__py="def (\n",
        hook__py="from replylint import hookimpl\n@hookimpl\n"
                 "def register_checks(register, config):\n    raise RuntimeError('hook down')\n",
        bad__py=one_check('yield Hit(0, 2)\nraise ValueError("midway")'),
        hang__py=one_check("while True:\n    pass", name="hang").replace("DEM050", "DEM051"),
        readers__py=READERS,
    )
    (tmp_path / "replylint.toml").write_text("check-timeout = 0.2\n")
    (tmp_path / "good.txt").write_text("Hi [NAME], thanks.")
    (tmp_path / "bad.crash").write_text("whatever")
    code, out, err = cli("good.txt", "bad.crash")
    assert code == 3
    [doc] = out["documents"]
    messages = [f["message"] for f in doc["findings"] if f["code"] == "RPL001"]
    assert any(m.startswith("check demo.bad (plugin ") and "ValueError: midway" in m
               for m in messages)
    assert any(m.startswith("check demo.hang (plugin ") and "stopped after" in m
               for m in messages)
    assert "PLH001" in {f["code"] for f in doc["findings"]}
    plugin_errors = [line for line in err if line.startswith("replylint: plugin error: ")]
    assert any("syntax.py: failed to import: SyntaxError" in line for line in plugin_errors)
    assert any("hook.py: register_checks raised RuntimeError: hook down" in line
               for line in plugin_errors)
    assert any("reader crashy (plugin " in line and "failed on bad.crash: AssertionError" in line
               for line in plugin_errors)
    assert all("Traceback" not in line for line in err)


def test_cli_plugins_command_exits_3_on_a_broken_plugin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plugin_dir(tmp_path, syntax__py="def (\n", ok__py=GOOD)
    (tmp_path / "replylint.toml").write_text("")
    result = CliRunner().invoke(main, ["plugins"])
    assert result.exit_code == 3
    assert "ok.py\n    from: file" in result.stdout
    assert "syntax.py: failed to import: SyntaxError" in result.stderr


def test_cli_entry_point_that_fails_exits_3(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    modules = make_dist(tmp_path, monkeypatch, {"broken": "demo_fault_cli_broken",
                                                "good": "demo_fault_cli_ok"},
                        {"demo_fault_cli_broken": "raise ImportError('needs libfoo')\n",
                         "demo_fault_cli_ok": GOOD})
    (tmp_path / "replylint.toml").write_text("")
    (tmp_path / "good.txt").write_text("HELLO [NAME]")
    try:
        code, out, err = cli("good.txt")
    finally:
        for name in modules:
            sys.modules.pop(name, None)
    assert code == 3
    assert {"DEM001", "PLH001"} <= {f["code"] for f in out["documents"][0]["findings"]}
    assert ("replylint: plugin error: plugin broken (entry point demo_fault_cli_broken): "
            "failed to import: ImportError: needs libfoo") in err
