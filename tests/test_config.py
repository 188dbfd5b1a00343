"""Configuration: discovery, selection, per-rule settings, overrides and their errors."""

import json

import pytest

from replylint import lint
from replylint.config import ConfigError, find_config

DRAFT = "Hi [NAME],\n\nPay with Paypal at https://x.internal/pay today.\n"
PLUGINS = {"plugins-dir": [str(__import__("pathlib").Path(__file__).resolve().parents[1] / "plugins")]}


def codes(report):
    return sorted(f.code for f in report.findings)


def test_discovery_walks_up_and_prefers_replylint_toml(tmp_path, write):
    write("pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.replylint]: not a config
    write("replylint.toml", "ignore = ['PLH']\n")
    deep = write("a/b/c/draft.txt", DRAFT)
    cfg = find_config(deep)
    assert cfg.path == (tmp_path / "replylint.toml").resolve()
    assert cfg.ignore == ("PLH",)


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", "[tool.replylint]\nfail-on = 'error'\n"),
    (".replylint.toml", "fail-on = 'error'\n"),
    ("replylint.toml", "fail-on = 'error'\n"),
])
def test_each_config_file_kind(tmp_path, write, name, text):
    write(name, text)
    assert str(find_config(tmp_path).fail_on) == "error"


def test_no_config_gives_defaults(tmp_path):
    cfg = find_config(tmp_path)
    assert cfg.path is None and cfg.select == ("ALL",) and cfg.plugins_dir == ()


@pytest.mark.parametrize("select, ignore, expected", [
    (["ALL"], [], ["HOU001", "HOU100", "PLH001"]),
    (["HOU"], [], ["HOU001", "HOU100"]),
    (["house"], ["HOU1"], ["HOU001"]),
    (["ALL"], ["house"], ["PLH001"]),
    (["HOU100"], ["HOU"], ["HOU100"]),          # exact code beats a prefix ignore
    (["house.brand-names"], [], ["HOU100"]),    # by id
    (["HOU"], ["HOU"], []),                     # a tie goes to ignore
])
def test_select_and_ignore(select, ignore, expected):
    report = lint(DRAFT, config={**PLUGINS, "select": select, "ignore": ignore})
    assert codes(report) == expected


def test_per_rule_severity_and_options():
    config = {**PLUGINS, "select": ["HOU001", "PLH001"], "rules": {
        "PLH001": {"severity": "suggestion"},
        "house.internal-link": {"hosts": ["nothing.example"]},
    }}
    report = lint(DRAFT, config=config)
    assert [(f.code, str(f.severity)) for f in report.findings] == [("PLH001", "suggestion")]


@pytest.mark.parametrize("rules, message", [
    ({"HOU001": {"hostz": []}}, "rule house.internal-link: unknown option 'hostz' (options: hosts, paths)"),
    ({"HOU001": {"hosts": "x"}}, "rule house.internal-link: option 'hosts' must be list"),
    ({"NOPE001": {}}, "rules.NOPE001: no such rule"),
    ({"PLH001": {"severity": "fatal"}}, "rule PLH001: unknown severity 'fatal'"),
])
def test_rule_settings_errors_name_rule_and_key(rules, message):
    with pytest.raises(ConfigError, match=".*" + __import__("re").escape(message)):
        lint(DRAFT, config={**PLUGINS, "rules": rules})


@pytest.mark.parametrize("table, message", [
    ({"selekt": ["ALL"]}, "unknown key(s) selekt"),
    ({"fail-on": "fatal"}, "fail-on: unknown severity"),
    ({"select": "ALL", "ignore": [1]}, "ignore must be a list of strings"),
    ({"overrides": [{"ignore": ["X"]}]}, "each override needs paths"),
    ({"kind": "template"}, "kind must be draft or macro"),
])
def test_config_errors(table, message):
    with pytest.raises(ConfigError, match=__import__("re").escape(message)):
        lint(DRAFT, config=table)


def test_per_path_overrides(tmp_path, write, run_cli):
    write("replylint.toml", """
        [[overrides]]
        paths = ["legacy/**"]
        ignore = ["PLH001"]

        [[overrides]]
        paths = ["macros/*"]
        kind = "macro"
    """)
    write("legacy/old/a.txt", "Hi [NAME]")
    write("macros/b.txt", "Hi [NAME]")
    write("drafts/c.txt", "Hi [NAME]")
    p = run_cli("check", "--format", "json", ".")
    docs = {d["source"]: d for d in json.loads(p.stdout)["documents"]}
    assert docs["legacy/old/a.txt"]["findings"] == []
    assert docs["macros/b.txt"]["kind"] == "macro" and docs["macros/b.txt"]["findings"] == []
    assert [f["code"] for f in docs["drafts/c.txt"]["findings"]] == ["PLH001"]


def test_fail_on(write, run_cli):
    write("d.txt", "Pay with Paypal.")           # only a suggestion (HOU100)
    write("replylint.toml", f"plugins-dir = {json.dumps(PLUGINS['plugins-dir'])}\n")
    assert run_cli("check", "d.txt").returncode == 0   # default fail-on = warning
    assert run_cli("check", "--fail-on", "suggestion", "d.txt").returncode == 1
    write("replylint.toml", f"plugins-dir = {json.dumps(PLUGINS['plugins-dir'])}\nfail-on = 'suggestion'\n")
    assert run_cli("check", "d.txt").returncode == 1


def test_config_flag_and_invalid_toml(write, run_cli):
    write("d.txt", "Hi [NAME]")
    write("other.toml", "ignore = ['PLH001']\n")
    assert run_cli("check", "--config", "other.toml", "d.txt").returncode == 0
    write("replylint.toml", "ignore = [\n")
    p = run_cli("check", "d.txt")
    assert p.returncode == 2
    assert "replylint.toml: invalid TOML" in p.stderr


def test_cli_select_replaces_and_ignore_adds(write, run_cli):
    write("replylint.toml", f"plugins-dir = {json.dumps(PLUGINS['plugins-dir'])}\nignore = ['HOU001']\n")
    write("d.txt", DRAFT)
    p = run_cli("check", "--format", "json", "--select", "HOU,PLH", "--ignore", "HOU100", "d.txt")
    assert [f["code"] for f in json.loads(p.stdout)["documents"][0]["findings"]] == ["PLH001"]
