"""Readability: offline formulas, no slow start for short replies, --fix, opt-in rules."""

import json
import subprocess
import sys
import textwrap

from replylint import lint
from replylint.readability import sentences

LONG = " ".join(["We changed your plan so the next bill will be right."] * 12)
GUARD = textwrap.dedent("""
    import socket, sys
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")
    socket.socket.connect = refuse
    socket.create_connection = refuse
""")


def run_python(code, tmp_path):
    env = {"REPLYLINT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-c", GUARD + textwrap.dedent(code)], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_formulas_run_offline_on_a_fresh_machine(tmp_path):
    out = run_python("""
        import nltk
        def no_download(*a, **k):
            raise AssertionError("nltk.download called")
        nltk.download = no_download
        from replylint import lint
        report = lint(%r)
        print(report.metrics["reading_grade"], report.metrics["reading_ease"])
        from textstat.backend.counts._count_syllables import count_syllables
        print(count_syllables("beautiful refund", "en_US"))
    """ % LONG, tmp_path)
    grade, ease = map(float, out.split()[:2])
    assert 0 < grade < 8 and ease > 60
    assert out.split()[2] == "5"          # 3 + 2 syllables, from the CMU dictionary table


def test_short_reply_does_not_load_textstat_or_wordfreq(tmp_path):
    """Once the lexicon table exists (the first run on a machine builds it)."""
    run_python("from replylint.lexicon import zipf; zipf(['warm'])", tmp_path)
    out = run_python("""
        import sys
        from replylint import lint
        report = lint("Hi Dana, your refund was issued today. Thanks!")
        print(report.metrics["reading_grade"], "textstat" in sys.modules, "wordfreq" in sys.modules,
              "nltk" in sys.modules)
    """, tmp_path)
    assert out.split() == ["None", "False", "False", "False"]


def test_grade_metric_and_finding():
    report = lint(LONG)
    assert report.metrics["words"] == 132 and report.metrics["reading_grade"] < 8
    hard = " ".join(["Notwithstanding considerable operational complexities, consignments "
                     "dispatched internationally arrive expeditiously."] * 12)
    report = lint(hard)   # RDB001 is off by default: the metric is published, the hit dropped
    assert report.metrics["reading_grade"] > 15
    assert [f.code for f in report.findings if f.code == "RDB001"] == []
    report = lint(hard, config={"extend-select": ["RDB001"]})
    assert report.metrics["reading_grade"] > 15
    assert [f.code for f in report.findings if f.code == "RDB001"] == ["RDB001"]


def test_sentences_split_at_line_ends_and_links():
    text = "Hi Dana,\n\n- Open the app\n- Tap Save. Then wait!" + " " * 30 + "Thanks"
    assert [text[s.start:s.end] for s in sentences(text)] == [
        "Hi Dana,", "- Open the app", "- Tap Save.", "Then wait!", "Thanks"]


def test_passive_voice_is_opt_in():
    text = "Your request will be reviewed."
    assert [f.code for f in lint(text).findings if f.code == "RDB006"] == []
    assert [f.code for f in lint(text, config={"select": ["ALL"]}).findings] == []
    assert [f.code for f in lint(text, config={"select": ["RDB006"]}).findings] == ["RDB006"]
    # naming the family turns on its rules that are off by default, as a code prefix would
    assert "RDB006" in [f.code for f in lint(text, config={"select": ["readability"]}).findings]


def test_fix_applies_only_safe_fixes(run_cli, write, tmp_path):
    write("replylint.toml", "select = ['RDB005']\n[rules.RDB005]\nmild = true\n")
    write("a.txt", "Hi Dana,\n\nIn order to utilize the app, we commence now.\n\n"
                   "> In order to utilize it I tried {{in order to}}\n")
    write("b.html", "<p>In order to help &amp; in order&nbsp;to utilize</p>\n")
    write("c.json", json.dumps({"macros": [{"id": 1, "title": "T", "actions": [
        {"field": "comment_value", "value": "Hi,\nin order to \u00e9dit, utilize it."}]}]}))
    p = run_cli("check", "--fix", "a.txt", "b.html", "c.json")
    assert "fixed 6 finding(s) in 3 file(s)" in p.stderr
    assert (tmp_path / "a.txt").read_text() == (
        "Hi Dana,\n\nTo use the app, we commence now.\n\n"
        "> In order to utilize it I tried {{in order to}}\n")
    assert (tmp_path / "b.html").read_text() == "<p>To help &amp; in order&nbsp;to use</p>\n"
    value = json.loads((tmp_path / "c.json").read_text())["macros"][0]["actions"][0]["value"]
    assert value == "Hi,\nto \u00e9dit, use it."
    assert p.returncode == 0                    # what is left is suggestions only
    assert "commence" in p.stdout and "in order" in p.stdout


def test_fix_leaves_stdin_alone(run_cli, write):
    write("replylint.toml", "select = ['RDB005']\n[rules.RDB005]\nmild = true\n")
    p = run_cli("check", "--fix", "-", input="In order to go.\n")
    assert "fixed" not in p.stderr and "In order to" in p.stdout


def test_unknown_words_get_textstats_own_syllable_count():
    """A word the syllable table lacks is counted as textstat counts it (Pyphen's points
    plus one), once per word, without being added to the table."""
    from replylint import readability

    readability.grade_and_ease("Blorptastic zyzzogeton replylint. " * 40)  # loads textstat
    from textstat.backend.utils._get_pyphen import get_pyphen

    for word in ("blorptastic", "zyzzogeton", "replylint"):
        assert word not in readability._syllables
        want = len(get_pyphen("en_US").positions(word)) + 1
        assert readability._syllables[word] == [["1"] * want]
        assert readability._hyphenated[word] == want


def test_hyphenation_dictionary_is_parsed_once_per_machine(tmp_path, monkeypatch):
    """Pyphen's dictionary (for words the syllable table lacks) is read from a copy in the
    cache directory after the first run: the same hyphenation points as Pyphen's own parse,
    and a damaged copy is parsed again."""
    import pyphen

    from replylint import readability

    readability._textstat()
    lang = "en_US"
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path))
    words = ["zyzzogeton", "replylint", "blorptastic", "hyphenation", "supercalifragilistic",
             "unbelievably", "a", "naïve", "x-ray", "rock'n'roll"]
    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    monkeypatch.setattr(pyphen, "hdcache", {path: pyphen.HyphDict(path)})  # Pyphen's parse
    want = [pyphen.Pyphen(lang=lang).positions(w) for w in words]
    for damage in (None, b"not marshal data"):
        monkeypatch.setattr(pyphen, "hdcache", {})
        readability._hyphenation.cache_clear()
        if damage:
            next(tmp_path.glob("hyphenation-*.marshal")).write_bytes(damage)
        readability._hyphenation(lang)  # parses and writes the copy
        assert [pyphen.Pyphen(lang=lang).positions(w) for w in words] == want
        monkeypatch.setattr(pyphen, "hdcache", {})
        readability._hyphenation.cache_clear()
        with monkeypatch.context() as m:
            m.setattr(pyphen.HyphDict, "__init__", _refuse)  # not parsed again
            readability._hyphenation(lang)  # reads the copy
        assert list(pyphen.hdcache) == [path]
        assert [pyphen.Pyphen(lang=lang).positions(w) for w in words] == want
    assert len(list(tmp_path.glob("hyphenation-*.marshal"))) == 1
    readability._hyphenation.cache_clear()


def _refuse(*args, **kwargs):
    raise AssertionError("the dictionary was parsed again")


def test_reading_words_count_what_a_reader_reads():
    from replylint.readability import reading_text, reading_words

    assert reading_words("Go to Settings > Account and Privacy > \"Email\" and save") == 5
    assert reading_words("see help.example.com/billing/refunds and/or e.g. this (1/2)") == 5
    assert reading_words("if x > 5 then") == 4
    text = "Tap Save.<br /> Then wait &gt; &amp; relax"
    plain = reading_text(text)
    assert len(plain) == len(text) and "\n" in plain and "gt" not in plain
    assert [plain[s.start:s.end] for s in sentences(plain)] == [
        "Tap Save.", "Then wait >    &amp; relax"]
    assert reading_words(plain) == 6  # "&amp;" is read as "and"


def test_long_sentence_skips_links_handles_and_the_agent_tag():
    long = ("@dana_k If you already have money in your wallet that covers the full price of the "
            "plan you can buy it, but please note that in some cases you will need a card on "
            "file as well, even though it will not be charged. ^JB")
    [f] = [f for f in lint(long, config={"extend-select": ["RDB002"]}).findings
           if f.code == "RDB002"]
    assert f.match.startswith("If you") and f.match.endswith("charged.")
    assert "(more than 40)" in f.message
