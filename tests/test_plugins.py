"""The plugin registry: every hook, the three plugin sources, and faults in plugins."""

import json
import sys
import textwrap

import pytest

from support import plugin_dir

from replylint import Document, lint
from replylint.config import Config
from replylint.engine import Linter
from replylint.plugins import build_registry

CHECK_PLUGIN = '''
from replylint import Hit, check, hookimpl

@check("demo.shout", "DEM001", "warning")
def shout(doc, options):
    """Shouting.

    ## What it does
    x
    """
    i = doc.author_text.find("HELLO")
    if i >= 0:
        yield Hit(i, i + 5, "no shouting")

@hookimpl
def register_checks(register, config):
    register(shout)
'''


def test_register_checks_from_drop_in_file(tmp_path):
    reg = build_registry([plugin_dir(tmp_path, demo__py=CHECK_PLUGIN)], entry_points_group=None)
    assert reg.checks["demo.shout"][1].endswith("demo.py")
    report = Linter(Config(), reg).lint_document(Document("well HELLO there", "x.txt"))
    assert [(f.code, f.start, f.end, f.match) for f in report.findings] == [
        ("DEM001", 5, 10, "HELLO")
    ]


def test_register_readers_plugin_takes_precedence(tmp_path):
    reader = '''
    from replylint import Document, hookimpl
    from replylint.readers import Reader

    def load(source, data):
        if not data.startswith(b"TICKET:"):
            return None   # not mine: the built-in reader gets it
        return [Document(data.decode()[7:], source, kind="macro", name="from plugin")]

    @hookimpl
    def register_readers(register):
        register(Reader("ticket", ["*.txt"], load))
    '''
    reg = build_registry([plugin_dir(tmp_path, ticket__py=reader)], entry_points_group=None)
    linter = Linter(Config(), reg)
    [doc] = linter.read("a.txt", b"TICKET:Hi [NAME]")
    assert (doc.text, doc.kind, doc.name) == ("Hi [NAME]", "macro", "from plugin")
    [doc] = linter.read("b.txt", b"plain text")
    assert (doc.text, doc.kind) == ("plain text", "draft")


def test_register_formatters(tmp_path, run_cli):
    fmt = '''
    from replylint import hookimpl
    from replylint.formats import Formatter

    def write(result, out, color):
        out.write(f"{len(result.findings)} findings\\n")

    @hookimpl
    def register_formatters(register):
        register(Formatter("count", write))
    '''
    plugin_dir(tmp_path, count__py=fmt)
    (tmp_path / "replylint.toml").write_text("")
    (tmp_path / "d.txt").write_text("Hi [NAME]")
    p = run_cli("check", "--format", "count", "d.txt")
    assert p.stdout == "1 findings\n"
    assert p.returncode == 1


def test_entry_point_plugin(tmp_path, monkeypatch):
    pkg = tmp_path / "site"
    (pkg / "demo_ep").mkdir(parents=True)
    (pkg / "demo_ep" / "__init__.py").write_text(textwrap.dedent(CHECK_PLUGIN))
    dist = pkg / "demo_ep-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-ep\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[replylint]\ndemo = demo_ep\n")
    monkeypatch.syspath_prepend(str(pkg))
    reg = build_registry()
    assert reg.checks["demo.shout"][1] == "demo"
    assert reg.origins["demo"] == "package demo-ep (demo_ep)"
    sys.modules.pop("demo_ep", None)


def test_duplicate_rule_id_and_code_refused_naming_both(tmp_path):
    dup_code = CHECK_PLUGIN.replace("demo.shout", "demo.other")
    d = plugin_dir(tmp_path, a__py=CHECK_PLUGIN, b__py=dup_code)
    reg = build_registry([d], entry_points_group=None)
    [err] = reg.errors
    assert "DEM001 is registered twice" in str(err)
    assert "a.py" in str(err) and "b.py" in str(err)
    dup_id = CHECK_PLUGIN.replace("DEM001", "DEM002")
    reg = build_registry([plugin_dir(tmp_path, b__py=dup_id)], entry_points_group=None)
    assert "demo.shout is registered twice" in str(reg.errors[0])


def test_misspelt_hook_fails_loudly(tmp_path):
    bad = CHECK_PLUGIN.replace("def register_checks", "def register_check")
    reg = build_registry([plugin_dir(tmp_path, bad__py=bad)], entry_points_group=None)
    assert "register_check" in str(reg.errors[0])
    assert "demo.shout" not in reg.checks


def test_broken_plugin_is_reported_and_others_still_load(tmp_path):
    d = plugin_dir(tmp_path, broken__py="import nonexistent_module_xyz\n", ok__py=CHECK_PLUGIN)
    reg = build_registry([d], entry_points_group=None)
    assert "demo.shout" in reg.checks
    assert any("broken.py" in str(e) and "ModuleNotFoundError" in str(e) for e in reg.errors)


def test_broken_declarative_rule_file(tmp_path):
    d = plugin_dir(tmp_path, bad__yaml="id: x.y\ncode: ABC001\ntype: existence\nmessage: m\n")
    reg = build_registry([d], entry_points_group=None)
    assert "existence needs a phrases list" in str(reg.errors[0])


RAISING = '''
from replylint import Hit, check, hookimpl

@check("demo.boom", "DEM009")
def boom(doc, options):
    """Boom."""
    raise RuntimeError("kaput")

@check("demo.garbage", "DEM010")
def garbage(doc, options):
    """Garbage."""
    yield Hit(0, 10**6)

@hookimpl
def register_checks(register, config):
    register(boom)
    register(garbage)
'''


def test_raising_check_becomes_internal_error_and_others_run(tmp_path):
    reg = build_registry([plugin_dir(tmp_path, boom__py=RAISING)], entry_points_group=None)
    report = Linter(Config(), reg).lint_document(Document("Hi [NAME]", "x.txt"))
    by_rule = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert [f.code for f in by_rule["placeholders.unfilled"]] == ["PLH001"]
    messages = [f.message for f in by_rule["replylint.internal-error"]]
    assert any("demo.boom" in m and "boom.py" in m and "kaput" in m for m in messages)
    assert any("demo.garbage" in m and "invalid hit" in m for m in messages)


def test_plugin_failure_exit_code(tmp_path, run_cli):
    plugin_dir(tmp_path, boom__py=RAISING)
    (tmp_path / "replylint.toml").write_text("")
    (tmp_path / "d.txt").write_text("All good here.")
    p = run_cli("check", "--format", "json", "d.txt")
    assert p.returncode == 3
    findings = json.loads(p.stdout)["documents"][0]["findings"]
    assert {f["code"] for f in findings} == {"RPL001"}


def test_plugins_command_lists_origins(tmp_path, run_cli):
    plugin_dir(tmp_path, demo__py=CHECK_PLUGIN)
    (tmp_path / "replylint.toml").write_text("")
    p = run_cli("plugins")
    assert p.returncode == 0
    assert "replylint.checks.placeholders\n    from: built-in\n    provides: PLH001" in p.stdout
    demo = str(tmp_path / "plugins" / "demo.py")
    assert f"{demo}\n    from: file {demo}\n    provides: DEM001" in p.stdout


def test_example_plugins_in_repo_load():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    reg = build_registry([root / "plugins"], entry_points_group=None)
    assert reg.errors == []
    assert {"house.internal-link", "house.brand-names", "house.internal-names"} <= set(reg.checks)
    report = lint("Pay with Paypal at https://x.internal/pay", config={"plugins-dir": [str(root / "plugins")]})
    assert {f.code for f in report.findings} == {"HOU001", "HOU100"}


@pytest.mark.parametrize("hook", ["register_checks", "register_readers", "register_formatters"])
def test_every_hook_is_documented(hook):
    from pathlib import Path

    from replylint import hookspecs

    docs = (Path(__file__).resolve().parents[1] / "docs" / "plugins.md").read_text()
    assert f"### `{hook}" in docs
    first_line = getattr(hookspecs, hook).__doc__.strip().splitlines()[0]
    assert first_line.split(":")[0] in docs


def test_declarative_rule_file_in_toml(tmp_path):
    d = plugin_dir(tmp_path, rules__toml='''
        id = "house.no-asap"
        code = "HOU200"
        type = "existence"
        message = "'{match}' sets no time"
        phrases = ["ASAP", "as soon as possible"]
        [examples]
        bad = ["We will reply «asap»."]
        good = ["We will reply by Friday."]
    ''')
    from replylint.testing import check_rule_file_examples

    reg = build_registry([d], entry_points_group=None)
    assert reg.errors == []
    assert check_rule_file_examples(d / "rules.toml", reg) == []
    report = Linter(Config(), reg).lint_document(Document("Reply As  Soon as possible", "x.txt"))
    assert [(f.code, f.match) for f in report.findings] == [("HOU200", "As  Soon as possible")]


def test_register_checks_receives_the_config(tmp_path):
    seen = '''
    from replylint import hookimpl
    SEEN = []

    @hookimpl
    def register_checks(register, config):
        SEEN.append(config)
    '''
    d = plugin_dir(tmp_path, seen__py=seen)
    (tmp_path / "replylint.toml").write_text("language = 'en-GB'\n")
    from replylint.config import find_config

    cfg = find_config(tmp_path)
    reg = build_registry([d], cfg.raw, entry_points_group=None)
    module = next(m for name, m in sys.modules.items() if name.endswith("_seen"))
    assert module.SEEN == [{"language": "en-GB"}]
    assert reg.errors == []


def test_drop_in_plugin_edited_twice_within_a_second_same_size(tmp_path, monkeypatch):
    """A drop-in plugin is keyed by its content: an edit that keeps the size and the mtime
    (two saves within one second) is still seen, whether or not Python writes bytecode."""
    import os

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    first = CHECK_PLUGIN.replace("HELLO", "HOWDY")
    second = CHECK_PLUGIN.replace("HELLO", "HIYA!")
    assert len(first) == len(second)
    d = plugin_dir(tmp_path, quick__py=first)
    path = d / "quick.py"
    stamp = os.stat(path).st_mtime_ns
    seen = []
    for version in (first, second, first):
        path.write_text(textwrap.dedent(version))
        os.utime(path, ns=(stamp, stamp))  # same second, same size: an mtime cache is fooled
        reg = build_registry([d], entry_points_group=None)
        assert reg.errors == []
        report = Linter(Config(), reg).lint_document(Document("HOWDY and HIYA!", "x.txt"))
        seen.append([f.match for f in report.findings if f.code == "DEM001"])
    assert seen == [["HOWDY"], ["HIYA!"], ["HOWDY"]]


MEASURING_PLUGIN = '''
from replylint import Hit, Metric, check, hookimpl

@check("demo.measure", "DEM002", "warning", default_enabled=False, publishes=["shouts"])
def measure(doc, options):
    """Counts shouting; off by default.

    ## What it does
    x
    """
    yield Metric("shouts", doc.text.count("HELLO"))
    i = doc.text.find("HELLO")
    if i >= 0:
        yield Hit(i, i + 5, "no shouting")

@hookimpl
def register_checks(register, config):
    register(measure)
'''


@pytest.mark.parametrize("select, ignore, metrics, codes", [
    (("ALL",), (), {"shouts": 1}, []),            # off by default: its metric, not its hits
    (("DEM002",), (), {"shouts": 1}, ["DEM002"]),  # selected: both
    (("ALL",), ("DEM002",), {}, []),               # ignored: not run at all
    (("PLH001",), (), {}, []),                     # not selected: not run
])
def test_a_rule_off_by_default_still_publishes_its_metrics(tmp_path, select, ignore, metrics,
                                                          codes):
    reg = build_registry([plugin_dir(tmp_path, m__py=MEASURING_PLUGIN)], entry_points_group=None)
    linter = Linter(Config(select=select, ignore=ignore), reg)
    report = linter.lint_document(Document("well HELLO there", "x.txt"))
    assert {k: v for k, v in report.metrics.items() if k == "shouts"} == metrics
    assert [f.code for f in report.findings if f.code.startswith("DEM")] == codes
