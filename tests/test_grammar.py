"""The grammar family, driven through the real language_tool_python client against a loopback
stand-in for a LanguageTool server (tests/languagetool_standin.py)."""

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import replylint.languagetool as lt_client
from languagetool_standin import LanguageToolStandIn
from replylint.checks import grammar
from replylint.config import Config, ConfigError
from replylint.docgen import SECTIONS, missing_sections
from replylint.engine import Linter, Session
from replylint.languagetool import DISABLED_RULES, Client, Settings, bounded, Deadline
from replylint.plugins import build_registry

ROOT = Path(__file__).resolve().parents[1]
REPLY = "Hi Dana,\n\nThanks for writing. I reset teh password on your account.\n\nBest,\nSam\n"


@pytest.fixture(autouse=True)
def lt_cache(tmp_path, monkeypatch):
    """Each test gets its own LanguageTool cache (and keeps the shared lexicon cache)."""
    root = tmp_path / "lt-cache"
    monkeypatch.setattr(lt_client, "cache_root", lambda: root)
    for name in [k for k in os.environ if k.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)  # the stand-in is reached directly, as a local server is
    return root


@pytest.fixture
def standin():
    with LanguageToolStandIn() as server:
        yield server


def make_linter(server=None, select=("grammar",), **settings):
    table = {"server": server, **settings} if server is not None else dict(settings)
    glossary = table.pop("glossary", None)
    raw = {"languagetool": table}
    if glossary:
        raw["glossary"] = glossary
    return Linter(Config(raw=raw, select=select))


def findings(linter, text, name="reply.txt", rule="grammar"):
    reports = linter.lint_bytes(name, text.encode("utf-8") if isinstance(text, str) else text)
    return [f for r in reports for f in r.findings if f.rule.startswith(rule)]


def spans(found, text):
    return [(f.rule, text[f.start:f.end]) for f in found]


# -- opt-in, cold start ----------------------------------------------------------------------


def test_without_a_languagetool_table_the_family_does_not_exist():
    registry = build_registry(entry_points_group=None)
    assert not [c for c in registry.checks if c.startswith("grammar.")]


def test_without_config_nothing_is_imported():
    code = textwrap.dedent("""
        import sys
        from replylint.engine import Linter
        Linter().lint_bytes("a.txt", b"Hi Dana, teh order shipped. Best, Sam")
        print(json.dumps([name in sys.modules
                          for name in ("language_tool_python", "replylint.languagetool")]))
    """)
    out = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                         text=True, cwd=ROOT, timeout=60, check=True)
    assert json.loads(out.stdout) == [False, False]


def test_a_table_without_server_says_once_why_grammar_did_not_run():
    linter = make_linter(language="en-US")
    notes = [f for text in (REPLY, REPLY + " ") for f in findings(linter, text)]
    assert [f.rule for f in notes] == ["grammar.unavailable"]
    assert "no LanguageTool server is configured" in notes[0].message
    assert (notes[0].line, notes[0].column) == (1, 1)


def test_server_off_is_silent():
    assert findings(make_linter("off"), REPLY) == []


def test_every_rule_is_documented():
    checks = grammar.make_checks(None)
    assert [c.code for c in checks] == [f"GRM00{i}" for i in range(10)]
    for c in checks:
        assert c.summary and missing_sections(c) == [], c.id
    assert SECTIONS[0] == "What it does"
    page = (ROOT / "docs" / "grammar.md").read_text(encoding="utf-8")
    assert grammar.update_reference(page) == page, (
        "run `python -m replylint.checks.grammar docs/grammar.md` to refresh the reference")
    assert [r for r in DISABLED_RULES if f"`{r}`" not in page] == []


# -- findings through the real client --------------------------------------------------------


def test_a_typo_becomes_a_finding_with_replacements_and_the_rule_id(standin):
    found = findings(make_linter(standin.url), REPLY)
    assert spans(found, REPLY) == [("grammar.typos", "teh")]
    f = found[0]
    assert f.code == "GRM001" and f.replacements == ("the",)
    assert "MORFOLOGIK_RULE_EN_US" in f.message
    assert (f.line, f.column) == (3, REPLY.splitlines()[2].index("teh") + 1)
    [languages] = standin.requests("/v2/languages")
    [form] = standin.checks
    assert form["language"] == "en-US"
    assert set(form["disabledRules"].split(",")) == set(DISABLED_RULES)


def test_one_request_per_document_shared_by_the_rules(standin):
    text = "Hi Dana,\n\nIt is a apple , teh end. Your welcome. the the frobnicate.\n"
    found = findings(make_linter(standin.url), text)
    assert sorted(spans(found, text)) == sorted([
        ("grammar.grammar", "a"),              # GRAMMAR category
        ("grammar.punctuation", " ,"),         # TYPOGRAPHY
        ("grammar.typos", "teh"),              # TYPOS
        ("grammar.confused-words", "Your"),    # CONFUSED_WORDS
        ("grammar.casing", "the"),             # CASING
        ("grammar.grammar", "the the"),        # MISC + issue type duplication
        ("grammar.other", "frobnicate"),       # a category replylint does not know
    ])
    assert len(standin.checks) == 1


def test_rule_mapping_falls_back_on_issue_type():
    assert grammar.rule_for("TYPOS", "misspelling") == "typos"
    assert grammar.rule_for("MISC", "duplication") == "grammar"
    assert grammar.rule_for("MISC", "whitespace") == "punctuation"
    assert grammar.rule_for("REDUNDANCY", "style") == "style"
    assert grammar.rule_for("SOMETHING_NEW", "uncategorized") == "other"


def test_spans_map_to_the_source_through_html_entities_and_placeholders(standin):
    source = (
        "<div>\n"
        "  <p>Hi {{ticket.requester.first_name}},</p>\n"
        "  <p>Thanks &amp; sorry &mdash; order {{ticket.id}} is teh one we\n"
        "  shipped. Your {%customer.plan,fallback=plan%} renews on <b>Monday</b>, adress "
        "unchanged.</p>\n"
        "  <blockquote>On Mon, Dana wrote:<br>my pasword is wrong</blockquote>\n"
        "  <p>Best,<br>Sam</p>\n"
        "</div>\n"
    )
    found = findings(make_linter(standin.url), source, name="macro.html")
    expected = []
    for word in ("teh", "adress"):
        offset = source.index(word)
        line = source.count("\n", 0, offset) + 1
        column = offset - source.rfind("\n", 0, offset)
        expected.append(("grammar.typos", line, column, word))
    assert [(f.rule, f.line, f.column, f.match) for f in found] == expected
    [form] = standin.checks
    sent = form["text"]
    assert "{{" not in sent and "{%" not in sent and "Hi Alex," in sent
    assert "order 12345 is teh" in sent
    assert "pasword" not in sent and "Dana wrote" not in sent  # quoted history is never sent


def test_quoted_history_signature_and_non_prose_are_never_sent(standin):
    text = ("Hi Dana,\n\nSee https://help.example.com/teh-guide or write to teh@example.com, "
            "and run `teh --fix`.\n\nBest,\nSam\n\n-- \nSam Lee\nAcme SyncBox teh support\n\n"
            "On Mon, 3 Mar 2025, Dana <dana@example.org> wrote:\n> my adress  is wrong , "
            "teh end\n")
    found = findings(make_linter(standin.url), text)
    assert found == []
    [form] = standin.checks
    assert "teh" not in form["text"] and "adress" not in form["text"]
    assert "See example.com or write to alex@example.com, and run this." in form["text"]
    assert "  " not in form["text"]  # no runs of spaces where text was removed


def test_matches_that_touch_a_stand_in_are_dropped_but_typos_next_to_one_are_kept(standin):
    text = "Hi Dana,\n\nI have a {{product.name}} for you, and a apple. {{first_name}} teh.\n"
    found = findings(make_linter(standin.url, select=("grammar",)), text, name="m.md")
    assert spans(found, text) == [("grammar.grammar", "a"), ("grammar.typos", "teh")]
    assert found[0].start == text.index("a apple")


def test_offsets_after_astral_characters(standin):
    text = "Hi Dana 😀,\n\nThanks 🎉🎉 for writing, teh order shipped.\n"
    found = findings(make_linter(standin.url), text)
    assert spans(found, text) == [("grammar.typos", "teh")]


# -- vocabulary, languages -------------------------------------------------------------------


def test_team_vocabulary_and_the_customers_words_are_not_typos(standin):
    text = ("Hi Dana,\n\nSyncBox and ZenFlow sync with BrightDesk and MegaCorp, via the "
            "Acme CloudPro plan.\n\nBest,\nSam\n\n"
            "On Mon, Dana wrote:\n> Does it work with BrightDesk?\n")
    linter = make_linter(standin.url, words=["ZenFlow"],
                         glossary={"allow": ["SyncBox", "Acme CloudPro"]})
    found = findings(linter, text)
    assert spans(found, text) == [("grammar.typos", "MegaCorp")]


def test_the_greeting_name_is_not_a_typo(standin):
    text = "Hi SiobhanMcKay,\n\nThanks for writing.\n"  # CamelCase: the stand-in flags it
    assert findings(make_linter(standin.url), text) == []
    text = "HiThere SiobhanMcKay,\n\nThanks for writing.\n"  # the salutation is no name
    assert spans(findings(make_linter(standin.url), text), text) == [
        ("grammar.typos", "HiThere")]


def test_language_comes_from_config_and_from_a_macro(standin):
    linter = make_linter(standin.url, language="en-GB")
    body = "Hi Dana,\n\nThanks, teh order shipped.\n"
    found = findings(linter, body)
    found += findings(linter, f"---\ntitle: Shipped\nlanguage: de-DE\n---\n{body}", name="m.md")
    assert [f.message.rsplit(" ", 1)[-1] for f in found] == [
        "MORFOLOGIK_RULE_EN_GB)", "MORFOLOGIK_RULE_DE_DE)"]
    assert [c["language"] for c in standin.checks] == ["en-GB", "de-DE"]
    assert len(standin.requests("/v2/languages")) == 1  # one client for every language


def test_top_level_language_is_the_default(standin):
    linter = Linter(Config(raw={"language": "en-GB", "languagetool": {"server": standin.url}},
                           select=("grammar",)))
    findings(linter, REPLY)
    assert standin.checks[0]["language"] == "en-GB"


def test_an_unsupported_language_skips_that_document_only(standin):
    linter = make_linter(standin.url)
    klingon = "---\ntitle: Q\nlanguage: tlh\n---\nHi Dana,\n\nteh\n"
    first = findings(linter, klingon, name="k.md")
    again = findings(linter, klingon.replace("teh", "teh teh"), name="k2.md")
    english = findings(linter, REPLY)
    assert [f.rule for f in first] == ["grammar.unavailable"]
    assert "not checked in this document" in first[0].message and "language" in first[0].message
    assert again == []
    assert [f.rule for f in english] == ["grammar.typos"]


def test_duplicates_of_our_rules_are_disabled_and_user_rules_added(standin):
    long = "Hi Dana,\n\nWe " + " ".join(["checked it and"] * 15) + " fixed it.\n"
    linter = make_linter(standin.url, disabled_rules=["EN_A_VS_AN"])
    assert findings(linter, long + "It is a apple.\n") == []
    disabled = set(standin.checks[0]["disabledRules"].split(","))
    assert {"TOO_LONG_SENTENCE", "PASSIVE_VOICE", "EN_A_VS_AN"} <= disabled


# -- the cache -------------------------------------------------------------------------------


def test_a_rerun_over_an_unchanged_macro_library_sends_nothing(standin, tmp_path, lt_cache):
    macros = tmp_path / "macros"
    macros.mkdir()
    for i in range(4):
        (macros / f"m{i}.md").write_text(
            f"---\ntitle: M{i}\n---\nHi {{{{first_name}}}},\n\nMacro {i}: teh fix.\n")
    config = Config(raw={"languagetool": {"server": standin.url}}, select=("grammar",))

    def run():
        result = Session(config).run([macros])
        return sorted((f.source, f.rule, f.line, f.column) for f in result.findings)

    first = run()
    assert len(first) == 4 and len(standin.checks) == 4
    standin.log.clear()
    assert run() == first  # a new session, as a new pre-commit run would be
    assert standin.log == []  # nothing sent, not even the start-up /v2/languages
    (macros / "m2.md").write_text("---\ntitle: M2\n---\nHi,\n\nChanged: teh fix.\n")
    run()
    assert len(standin.checks) == 1
    assert not list(lt_cache.rglob("*.tmp"))


def test_the_cache_key_covers_language_and_rules(standin):
    findings(make_linter(standin.url), REPLY)
    findings(make_linter(standin.url, language="en-GB"), REPLY)
    findings(make_linter(standin.url, disabled_rules=["EN_A_VS_AN"]), REPLY)
    findings(make_linter(standin.url), REPLY)
    assert len(standin.checks) == 3


def test_cache_off_asks_every_time(standin, lt_cache):
    for _ in range(2):
        findings(make_linter(standin.url, cache=False), REPLY)
    assert len(standin.checks) == 2
    assert not lt_cache.exists()


def test_a_damaged_cache_entry_is_a_miss(standin, lt_cache):
    findings(make_linter(standin.url), REPLY)
    for path in lt_cache.rglob("*.json"):
        path.write_text("{not json")
    found = findings(make_linter(standin.url), REPLY)
    assert [f.rule for f in found] == ["grammar.typos"] and len(standin.checks) == 2


# -- failures: one note, never a hang, never an internal error -------------------------------

DOCS = [REPLY, REPLY.replace("teh", "teh teh"), REPLY.replace("Dana", "Kim")]


def run_documents(linter):
    """Lint three documents (grammar and tone); the grammar findings and every report."""
    reports = [r for i, text in enumerate(DOCS)
               for r in linter.lint_bytes(f"r{i}.txt", text.encode())]
    return reports, [f for r in reports for f in r.findings if f.rule.startswith("grammar")]


@pytest.mark.parametrize("mode, reason", [
    ("error", "answered with an error"),
    ("garbage", "not LanguageTool's JSON"),
    ("json-shape", "JSON that is not a LanguageTool result"),
    ("rate-limit", "limiting the rate"),
    ("limit-403", "limiting the rate"),
])
def test_server_errors_give_one_note_and_stop_asking(standin, mode, reason):
    standin.check_mode = mode
    linter = make_linter(standin.url, select=("grammar", "tone"))
    reports, found = run_documents(linter)
    assert [(f.source, f.rule) for f in found] == [("r0.txt", "grammar.unavailable")]
    assert reason in found[0].message
    assert len(standin.checks) == 1  # the later documents did not ask again
    assert not any(f.rule == "replylint.internal-error" for r in reports for f in r.findings)


def test_an_error_when_starting_up_is_a_note_too(standin):
    standin.languages_mode = "error"
    reports, found = run_documents(make_linter(standin.url))
    assert [f.rule for f in found] == ["grammar.unavailable"]
    assert standin.checks == [] and len(standin.requests("/v2/languages")) == 1


def test_connection_refused_is_quick_and_imports_nothing():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    code = textwrap.dedent(f"""
        import json, sys, time
        from replylint.config import Config
        from replylint.engine import Linter
        linter = Linter(Config(raw={{"languagetool": {{"server": "http://127.0.0.1:{port}"}}}}))
        t = time.perf_counter()
        found = [f.rule for i in range(3) for r in linter.lint_bytes(f"r{{i}}.txt",
                 b"Hi Dana, teh order shipped. Best, Sam") for f in r.findings]
        print(json.dumps([found.count("grammar.unavailable"), time.perf_counter() - t,
                          "language_tool_python" in sys.modules]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, check=True)
    notes, elapsed, imported = json.loads(out.stdout)
    assert notes == 1 and not imported
    assert elapsed < 5  # generous: a refused connection takes milliseconds


def test_a_host_that_never_accepts_is_abandoned_after_the_connect_timeout():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filler = []
    for _ in range(4):  # fill the accept queue: Linux then drops new connection attempts
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        filler.append(c)
    try:
        linter = make_linter(f"http://127.0.0.1:{port}", connect_timeout=0.3)
        started = time.monotonic()
        found = findings(linter, REPLY) + findings(linter, REPLY + " ")
        elapsed = time.monotonic() - started
    finally:
        for c in filler:
            c.close()
        server.close()
    assert [f.rule for f in found] == ["grammar.unavailable"]
    if "refused" in found[0].message:
        pytest.skip(f"this system does not drop the connection: {found[0].message}")
    assert "could not connect to the LanguageTool server" in found[0].message
    assert elapsed < 5


def test_a_slow_server_is_abandoned_after_the_read_timeout(standin):
    standin.check_mode, standin.delay = "slow", 30
    linter = make_linter(standin.url, read_timeout=0.3, select=("grammar", "tone"))
    started = time.monotonic()
    reports, found = run_documents(linter)
    assert time.monotonic() - started < 10  # the server would have taken 30 s
    assert [f.rule for f in found] == ["grammar.unavailable"]
    assert "did not answer within 0.3 s" in found[0].message
    assert len(standin.checks) == 1


def test_the_deadline_backstop():
    started = time.monotonic()
    with pytest.raises(Deadline):
        bounded(lambda: time.sleep(5), 0.2)
    assert time.monotonic() - started < 2
    assert bounded(lambda: 42, 1) == 42
    with pytest.raises(KeyError):
        bounded(lambda: {}["x"], 1)


def test_rate_limited_mid_run_keeps_what_was_checked(standin):
    standin.rate_limit_after = 1
    reports, found = run_documents(make_linter(standin.url))
    assert [(f.source, f.rule) for f in found] == [
        ("r0.txt", "grammar.typos"), ("r1.txt", "grammar.unavailable")]
    assert "Too many requests" in found[1].message
    assert len(standin.checks) == 2


def test_a_long_lived_process_tries_again_after_a_while(standin, monkeypatch):
    standin.check_mode = "error"
    linter = make_linter(standin.url)
    assert [f.rule for f in findings(linter, REPLY)] == ["grammar.unavailable"]
    monkeypatch.setattr(lt_client, "RETRY_AFTER", 0.0)
    standin.check_mode = "ok"
    assert [f.rule for f in findings(linter, REPLY + "\n")] == ["grammar.typos"]
    standin.check_mode = "error"  # a new outage gets a new note
    assert [f.rule for f in findings(linter, REPLY + "\n\n")] == ["grammar.unavailable"]


def test_cli_flag_with_a_dead_server_still_lints(run_cli, write):
    path = write("reply.txt", "Hi Dana,\n\nWe can't refund teh order.\n\nBest,\nSam\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_cli("check", "--format", "json", "--select", "strict", "--languagetool",
                     f"http://127.0.0.1:{port}", path)
    assert result.returncode in (0, 1), result.stderr  # not 3: an unreachable server is no fault
    rules = [f["rule"] for d in json.loads(result.stdout)["documents"] for f in d["findings"]]
    assert "grammar.unavailable" in rules and "tone.negative-language" in rules


# -- no request to a public host unless configured -------------------------------------------


@pytest.fixture
def network_guard(monkeypatch):
    """Record every connection and name lookup; refuse anything that is not loopback."""
    attempts = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo
    loopback = {"127.0.0.1", "::1", "localhost"}

    def connect(self, address):
        attempts.append(address[0])
        if address[0] not in loopback:
            raise ConnectionRefusedError(f"test guard: no connection to {address[0]}")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        attempts.append(host)
        if host not in loopback:
            raise socket.gaierror(f"test guard: no lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_no_request_leaves_the_machine_unless_configured(network_guard, standin):
    findings(Linter(Config(select=("ALL",))), REPLY)
    findings(make_linter(language="en-US"), REPLY)
    assert network_guard == []
    findings(make_linter(standin.url), REPLY)
    assert network_guard and set(network_guard) <= {"127.0.0.1", "localhost"}


def test_public_is_only_reached_when_named(network_guard):
    found = findings(make_linter("public"), REPLY)
    assert "languagetool.org" in network_guard  # the guard refused it: proof it was asked for
    assert [f.rule for f in found] == ["grammar.unavailable"]
    assert "public API" in found[0].message


def test_public_api_use_is_said_once(standin, monkeypatch):
    port = standin.url.rsplit(":", 1)[1]
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):  # api.languagetool.org, but answered by the stand-in
        return real("127.0.0.1" if host == "api.languagetool.org" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    linter = make_linter(f"http://api.languagetool.org:{port}", select=("grammar",))
    reports, found = run_documents(linter)
    public = [f for f in found if f.rule == "grammar.public-api"]
    assert len(public) == 1 and public[0].source == "r0.txt"
    assert "left this machine" in public[0].message
    assert [f.rule for f in found if f.source == "r0.txt"] == [
        "grammar.public-api", "grammar.typos"]


# -- local mode (the jar cannot be downloaded here) -------------------------------------------


def test_local_mode_without_java_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "lt"))
    found = findings(make_linter("local"), REPLY)
    assert [f.rule for f in found] == ["grammar.unavailable"]
    assert "Java 17" in found[0].message


def test_local_mode_offline_says_it_needs_a_download(network_guard, monkeypatch, tmp_path):
    import shutil

    if shutil.which("java") is None:
        pytest.skip("needs java on PATH to get as far as the download")
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "lt"))
    found = findings(make_linter("local"), REPLY)
    assert [f.rule for f in found] == ["grammar.unavailable"]
    assert "download" in found[0].message


# -- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize("table, key", [
    ({"server": "ftp://example.com"}, "server"),
    ({"server": 8081}, "server"),
    ({"server": "http://127.0.0.1:99999"}, "port"),
    ({"server": "local", "connect_timeout": -1}, "connect_timeout"),
    ({"server": "local", "read-timeout": "5"}, "read_timeout"),
    ({"server": "local", "disabled_rules": "EN_A_VS_AN"}, "disabled_rules"),
    ({"server": "local", "disabled_rules": ["not an id"]}, "disabled_rules"),
    ({"server": "local", "language": "English"}, "language"),
    ({"server": "local", "cache": "yes"}, "cache"),
    ({"server": "local", "sever": "x"}, "sever"),
])
def test_bad_settings_are_config_errors_naming_the_key(table, key):
    with pytest.raises(ConfigError, match=key):
        build_registry(config={"languagetool": table}, entry_points_group=None)


def test_settings_normalise_the_server_url():
    settings = lt_client.settings_from_config(
        {"language": "en-GB", "languagetool": {"server": "http://lt.internal:8081/v2/",
                                               "connect-timeout": 2}})
    assert settings.server == "http://lt.internal:8081/"
    assert settings.kind == "remote" and settings.language == "en-GB"
    assert settings.connect_timeout == 2.0 and settings.read_timeout == 5.0
    assert Settings(server="https://api.languagetool.org/").kind == "public"
    assert Settings(server="off").kind is None


def test_client_check_returns_python_offsets(standin):
    client = Client(lt_client.settings_from_config({"languagetool": {"server": standin.url,
                                                                     "cache": False}}))
    text = "𝒜 teh"
    [match] = client.check(text, "en-US")
    assert text[match["offset"]:match["offset"] + match["length"]] == "teh"
    assert match["rule"] == "MORFOLOGIK_RULE_EN_US" and "context" not in match
