"""Every fast path gives exactly what the slow path it replaces gives.

``PhraseTable`` (word-start dispatch), ``Prefiltered`` (needle tests), the candidate-jumping
sentence splitter and the plain-output Liquid reader replace slower code for speed; each is
checked here against the slow path on real replies, the fixtures and generated text built
from the tables' own words.
"""

from __future__ import annotations

import gc
import random
import re
from pathlib import Path

import pytest

from replylint import readability
from replylint.config import Config
from replylint.engine import Linter
from replylint.phrasescan import PhraseTable, Prefiltered, needles, prefixes

ROOT = Path(__file__).resolve().parent.parent
REPLIES = ROOT.parent / "shared" / "data" / "support_replies" / "ibm_twitter_care_dev.jsonl"


def _texts() -> list[str]:
    import json

    texts = [p.read_text(errors="replace") for p in sorted((ROOT / "tests" / "fixtures").rglob("*"))
             if p.is_file()]
    texts += [p.read_text(errors="replace") for p in sorted((ROOT / "examples").rglob("*"))
              if p.is_file()]
    if REPLIES.exists():
        for line in REPLIES.read_text().splitlines()[:300]:
            row = json.loads(line)
            texts += [str(v) for v in row.values() if isinstance(v, str)]
    return texts


_LINTER: list[Linter] = []


def _instances(kind: type) -> list:
    """Every live matcher of ``kind``, after a lint that builds the lazily made ones too."""
    if not _LINTER:
        _LINTER.append(Linter(Config(root=ROOT, select=("strict",))))
        _LINTER[0].lint_bytes("draft.txt", b"Hi Dana, in order to fix it I will call you.")
    return [o for o in gc.get_objects() if isinstance(o, kind)]


def _generated(words: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    odd = ["İs", "ſure", "K", "’s", "I’ll", "in\norder\tto", "A  LARGE number", "x'utilize",
           "don't", "—", "\u00a0", "12", "_", "#", "@x"]
    pool = words + odd
    seps = [" ", " ", " ", "\n", ", ", ". ", "'", "  ", "\t"]
    return ["".join(rng.choice(pool) + rng.choice(seps) for _ in range(rng.randint(1, 40)))
            for _ in range(n)]


def _literal_words(pattern: str) -> list[str]:
    return re.sub(r"\(\?[^)]*\)|\\[sbwdS]|[()?|\[\]\\*+{}]", " ", pattern).split()


def test_phrase_tables_match_like_their_whole_pattern():
    tables = _instances(PhraseTable)
    assert len(tables) >= 8
    texts = _texts()
    words = [w for t in texts[:200] for w in t.split()][:5000]
    checked = 0
    for table in tables:
        own = [w for alt in table.alternatives for w in _literal_words(alt)]
        for text in texts + _generated(own + words[:500], 300, len(table.alternatives)):
            want = [(m.span(), m.lastgroup) for m in table.pattern.finditer(text)]
            assert [(m.span(), m.lastgroup) for m in table.finditer(text)] == want, (
                table.alternatives[:3], text[:200])
            checked += len(want)
    assert checked > 100  # the comparison saw real matches, not only empty lists


def test_built_in_phrase_tables_take_the_fast_path():
    tables = _instances(PhraseTable)
    for t in tables:
        list(t.finditer("x"))  # reads the prefixes off the patterns
    slow = [t.alternatives[:2] for t in tables if t.alternatives and not t.fast]
    assert slow == []


def test_prefixes_cover_what_the_pattern_can_start_with():
    assert prefixes("(?-i:SLAs?)", re.I) == {"sla", "slas"}
    assert prefixes(r"in\s+order", re.I) == {"in o", "in  "}  # any run of blanks
    assert prefixes(r"I (?:just )?work", re.I) == {"i ju", "i wo"}
    assert prefixes(r"\w+ing", re.I) is None  # unknown start: the whole table is scanned
    assert prefixes(r"#tag", re.I) is None  # cannot start a word


def test_prefiltered_patterns_find_what_their_regex_finds():
    found = _instances(Prefiltered)
    assert len(found) >= 20
    texts = _texts()
    for pre in found:
        if pre.needles is None:
            continue
        own = [w for n in pre.needles for w in n.split()]
        for text in texts + _generated(own, 200, 7):
            want = [m.span() for m in pre.regex.finditer(text)]
            assert [m.span() for m in pre.finditer(text)] == want, (pre.regex.pattern[:80], text)
            assert bool(pre.search(text)) == bool(want)


def test_one_read_tells_which_patterns_a_text_can_match():
    """The automaton of every pattern's needles answers as each pattern's own ``in`` tests
    would, on real and generated texts, and it is what answers (each pattern has its bit)."""
    from replylint import needlescan
    from replylint.phrasescan import _lowered

    found = [p for p in _instances(Prefiltered) if p.needles]
    assert len(found) >= 20
    pool = [w for p in found for n in p.needles for w in n.split()]
    texts = [_lowered(t) for t in _texts() + _generated(pool, 500, 11)]
    for _ in range(needlescan.BUILD_AFTER):  # the questions after which it is built
        Prefiltered(re.compile("zz-unseen")).search("text")
    build = needlescan.present("x")[0]
    assert all(p.slot[0] == build and p.slot[1] for p in found)
    hits = 0
    for low in filter(None, texts):
        _, mask = needlescan.present(low)
        for p in found:
            want = any(n in low for n in p.needles)
            assert bool(mask & p.slot[1]) == want == needlescan.may_match(p.slot, low, p.needles)
            hits += want
    assert hits > 1000


def test_a_pattern_made_later_is_answered_at_once_and_taken_into_the_next_build(
        monkeypatch):
    """A plugin's pattern made after the automaton was built is answered by its own ``in``
    tests, then gets its bit in the next build; a pattern no longer used leaves it. A run
    that asks few questions (one draft) never builds it."""
    from replylint import needlescan

    _instances(Prefiltered)
    monkeypatch.setattr(needlescan, "BUILD_AFTER", 3)
    text = "we will refund the zorbleflax charge today"
    for _ in range(3):  # settles the build
        assert Prefiltered(re.compile(r"\bwe will\b", re.IGNORECASE)).search(text)
    build = needlescan.present(text)[0]
    late = Prefiltered(re.compile(r"\bzorbleflax\b", re.IGNORECASE))
    assert late.slot == (0, 0)
    for other in ("the zorbleflax", "no", text):  # answered, and counted
        late._last = ("", None)
        assert bool(late.search(other)) == ("zorbleflax" in other)
        assert late.slot == (0, 0) or other == text
    assert late.slot[0] == build + 1 and late.slot[1]  # the third question rebuilt it
    late._last = ("", None)
    assert late.search(text.replace("zorbleflax", "usual")) is None
    assert late.search(text).group() == "zorbleflax"
    assert needlescan._registry.now[1].exists("zorbleflax")
    del late
    gc.collect()
    for _ in range(3):
        Prefiltered(re.compile(r"\bquuxly\b", re.IGNORECASE)).search(text)
    assert needlescan._registry.now[0] == build + 2
    assert not needlescan._registry.now[1].exists("zorbleflax")


def test_one_draft_is_answered_without_building_the_automaton():
    """Building it costs more than the ``in`` tests of one draft: a pre-send check does not."""
    import subprocess
    import sys

    code = ("import replylint; from replylint import needlescan as n; "
            "replylint.lint('Hi Dana, we will refund the charge by Friday. Thanks, Sam'); "
            "print(n._registry.now[0], n._registry.waiting)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "0" and 20 < int(out[1]) < 250


def test_case_folding_characters_are_all_known():
    from replylint.phrasescan import _FOLDS

    folds = {chr(c) for c in range(0x80, 0x110000)
             if re.fullmatch("[a-z]", chr(c), re.IGNORECASE) and not re.fullmatch(
                 "[a-z]", chr(c).lower())}
    assert {c for c in folds if not _FOLDS.match(c)} == set()


def test_needles_are_required_substrings():
    assert needles(re.compile(r"\bguarantee(?:d)?\b|never again", re.I)) == {"guarantee",
                                                                           "never again"}
    assert needles(re.compile(r"\b(?:I|we) promise")) == {" promise"}
    assert needles(re.compile(r"\w+")) is None
    # a case-folding character that lower() does not map is never filtered out
    pre = Prefiltered(re.compile(r"sure", re.I))
    assert pre.search("I'm \u017fure") is not None


LAZY_SENTENCE = re.compile(rf"[^\n]*?(?:{readability._END}|$)", re.S)


@pytest.mark.parametrize("seed", range(3))
def test_sentence_ends_match_the_lazy_pattern(seed):
    rng = random.Random(seed)
    alphabet = list("ab .!?\n\"')]\u201d\u2019 MrDsNoJ e.gi.eSvA    ")
    texts = _texts() + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
                        for _ in range(4000)]
    for text in texts:
        want, pos = [], 0
        while pos < len(text):
            end = LAZY_SENTENCE.match(text, pos).end()  # type: ignore[union-attr]
            pos = end if end > pos else pos + 1
            want.append(pos)
        assert list(readability._ends(text)) == want, text[:200]


def test_plain_liquid_outputs_read_like_python_liquid(monkeypatch):
    from replylint.checks import placeholders

    rng = random.Random(5)
    pieces = ["Hi ", "{{ a.b }}", "{{a}}", "{{ true }}", "{{- x.y -}}", "{{ x | upcase }}", "}}",
              "{{", "{% if a %}", "{% endif %}", " text ", "{{ a-b.c_d }}", "{{ x[0] }}", "\n",
              "{{ ticket.requester.first_name }}", "%}", '{{a.b | fallback: "there"}}',
              "{{ x | f: 'a', 2 | g }}", "{{ x | f: there }}", '{{ x | f: "a}}" }}',
              "{{ x | f: -1.5 | g: \"b\",3 }}", "{{ x|f:'a' }}", '{{ x | f: "%}" }}',
              "{{ x | f: 1. }}", "{{ x | f: key: 1 }}", '{{ x | "a" }}', "{{ x | }}"]
    sources = [t for t in _texts() if "{{" in t]
    sources += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    compared = 0
    for source in sources:
        fast = placeholders._simple(source)
        if fast is None:
            continue
        with monkeypatch.context() as m:
            m.setattr(placeholders, "_simple", lambda source: None)
            slow = placeholders._analyse(source)
        assert (fast.errors, fast.variables) == (slow.errors, slow.variables), source
        compared += 1
    assert compared > 300


def test_needles_follow_small_classes_and_shared_prefixes():
    # "[pousr]" multiplies the needle; the parser's shared prefix "p" is put back in front
    assert needles(re.compile(r"gh[pousr]_\w+")) == {f"gh{c}_" for c in "oprsu"}
    assert needles(re.compile(r"\b(?:pass ?words?|passphrase|pwd|pw)\b", re.I)) == {
        "pass", "passphrase", "pwd", "pw"}
    assert needles(re.compile(r"one[- ]time code", re.I)) == {"one time code", "one-time code"}
    # \s is not a space: a needle through it would miss "one\ntime"
    assert needles(re.compile(r"one\stime", re.I)) == {"time"}


def test_prefiltered_findall_and_search_match_the_regex():
    filler = "Thanks for waiting while we looked into your order. " * 20
    text = filler + ("Your temporary password is Tulip-4827! and your PIN is 6012. " + filler) * 3
    for pattern in (r"\b(?:password|pin) is (\S{1,20})", r"\b(password|pin) (is) (\S{1,20})",
                    r"\b(?:password|pin) is \S{1,20}", r"\b(?:password|pin) is \S+"):
        pre = Prefiltered(re.compile(pattern, re.I))
        assert pre.findall(text) == pre.regex.findall(text)
        assert pre.search(text).span() == pre.regex.search(text).span()
        assert [m.span() for m in pre.finditer(text)] == [
            m.span() for m in pre.regex.finditer(text)]
        # bounded matches are searched for near the needles only (the point of it)
        assert (pre._positions(text) is not None) == ("+" not in pattern)


def test_markdown_masking_skips_only_plain_prose():
    """``mask_markdown`` returns plain prose untouched without scanning: the text it skips
    must be text the full scan leaves alone."""
    from replylint.readers import text as markdown

    def full(text: str) -> str:
        chars = list(text)
        for m in markdown.MARKUP.finditer(markdown._disarm_unclosed_comments(text)):
            for i in range(m.start(), m.end()):
                if chars[i] != "\n":
                    chars[i] = " "
        markdown._mask_emphasis(text, chars)
        return "".join(chars)

    pieces = ["a", "#", "# h", " #x", "\n#", "\n   # t", "~", "~~~", "`", "x`y`", "[a](b)",
              "<b>", "*a*", "__a__", "_a_", "***", "\n", "  ", "<!--", "-->"]
    rnd = random.Random(3)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 8))) for _ in range(5000)]
    for text in texts + _texts():
        assert markdown.mask_markdown(text)[0] == full(text), repr(text)


def test_start_classes_keep_every_match():
    """``Prefiltered.scan`` (the regex behind a start-class lookahead) finds exactly what the
    regex finds: spans and groups."""
    found = _instances(Prefiltered)
    with_class = [pre for pre in found if pre.scan is not pre.regex]
    assert len(with_class) >= 20
    texts = _texts()
    for pre in with_class:
        own = _literal_words(pre.regex.pattern)
        for text in texts + _generated(own, 200, 11):
            want = [(m.span(), m.groups()) for m in pre.regex.finditer(text)]
            assert [(m.span(), m.groups()) for m in pre.scan.finditer(text)] == want, (
                pre.scan.pattern[:80], text)


def test_start_class_keeps_matches_of_a_case_insensitive_group():
    """A ``(?i:…)`` group matches either case; a start class read off it without the flag
    would let ``re`` skip the capitalised matches, so there is none."""
    from replylint.phrasescan import starting

    for pattern in (r"\b(?:TODO|(?i:lorem ipsum))\b", r"(?<!\w)(?i:please|kindly) \w+"):
        regex = re.compile(pattern)
        for text in ("Lorem Ipsum dolor", "TODO: lorem ipsum", "PLEASE reply", "Kindly see"):
            assert [m.span() for m in starting(regex).finditer(text)] == [
                m.span() for m in regex.finditer(text)], (pattern, text)


def test_start_class_only_where_re_does_not_skip_alone():
    from replylint.phrasescan import starting

    time = re.compile(r"\b(?:today|tomorrow|by (?:friday|\d+))\b", re.I)
    assert starting(time).pattern.startswith(r"(?=[\u0062\u0074])")  # b, t
    days = re.compile(r"\b(?:today|\d+ days)\b", re.I)
    assert starting(days).pattern.startswith(r"(?=[\d\u0074])")
    assert starting(re.compile(r"(?<![\w'])[A-Z][A-Z']*[A-Z]")).pattern.startswith("(?=[")
    for kept in (r"^Dear", r"[a-z]+ing", r"\bfoo|\w+", r"\b(?:a)?b?", r"(?i)\bsoon",
                 r"\b(?:one|two)\b|\s", r"\b[a-z]+ly\b"):
        pattern = re.compile(kept)
        assert starting(pattern) is pattern, kept


def test_word_count_counts_what_word_finds():
    rng = random.Random(3)
    alphabet = "ab3_'\u2019-,.:/ \n9Zé"
    texts = _texts() + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
                        for _ in range(20000)]
    for text in texts:
        assert len(readability.WORD_COUNT.findall(text)) == len(readability.WORD.findall(text))


def test_prose_of_a_text_without_at_sign_skips_the_address_branch():
    from replylint import model

    for text in _texts():
        if "@" not in text:
            assert model._NON_PROSE_NO_AT.sub("", text) == model.NON_PROSE.sub("", text)
    doc = model.Document(source="d.txt", text="Write to help.desk@example.com or @acme.",
                         kind="draft")
    assert "@" not in doc.prose and "Write to" in doc.prose


def test_clauses_read_each_sentence_as_it_reads_alone():
    """The clause reading searches all of a text's sentences at once, joined by blank lines,
    a block at a time: each sentence must get the kind it gets when it is the only one, and
    ``any_clause`` (which stops early) the answer of reading them all."""
    from replylint import clauses as c

    compared = 0
    long_text = "\n".join(_texts()[:400])  # many blocks of sentences
    assert len(list(c._reading(long_text).blocks())) > 3
    for text in [*_texts(), long_text]:
        kinds = []
        for joined in c._reading(text).blocks():
            for i, sentence in enumerate(joined.sentences):
                alone = c._Joined([sentence])
                timed = 0 in alone.having(c.TIME)
                concrete, vague = alone.actions()
                action = 0 in concrete or (0 in vague and timed)
                kind = "commitment" if action else alone.kind(0)
                assert joined.kind(i) == kind, sentence
                kinds.append(kind)
                compared += 1
        for wanted in [("request",), ("commitment", "request", "resolution"), ("resolution",),
                       ("commitment",)]:
            assert c.any_clause(text, wanted) == any(k in wanted for k in kinds)
    assert compared > 1000


def test_sentences_of_a_part_read_off_the_whole_text():
    """``sentences_in`` reuses the text's split for a part between line starts or ends (a
    zone): it must give what splitting the part alone gives."""
    rng = random.Random(5)
    pieces = ["a", "b ", ".", "!", "?", "\n", "\n\n", "    A", "Mr.", "x" * 45, "- ", "1. ",
              " ", "Thanks,", "\t", "e.g."]
    texts = _texts() + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
                        for _ in range(20000)]
    for text in texts:
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        ends = [i for i, c in enumerate(text) if c == "\n"] + [len(text)] + starts
        start = rng.choice(starts)
        end = rng.choice([e for e in ends if e >= start])
        assert readability.sentences_in(text, start, end) == readability.sentences(
            text[start:end]), (text, start, end)


def test_vague_timeline_looks_at_every_sentence_with_a_promise():
    """``_touched`` keeps each sentence in which a promise pattern matches on its own."""
    from replylint.checks import nextstep

    promises = (nextstep.OUR_PROMISE, nextstep.PASSIVE_PROMISE, nextstep.TO_YOU)
    words = [w for p in promises for w in _literal_words(p.regex.pattern)]
    words += ["we", "I", "will", "be", "you", "your", "team", ".", "!", "?", "\n"]
    kept = 0
    for prose in _texts() + _generated(words, 3000, 13):
        text, spans = readability.unwrap(prose), readability.sentences(prose)  # as the rule
        touched = set(nextstep._touched(spans, promises, text))
        for s in spans:
            if any(p.search(text[s.start : s.end]) for p in promises):
                assert s in touched, text[s.start : s.end]
                kept += 1
    assert kept > 150


def test_syllables_are_counted_as_textstat_counts_them():
    """The formulas count each distinct word's syllables once: the same totals as textstat's
    own count of every use, on real replies and on text that repeats and mixes words."""
    from replylint import readability

    readability.grade_and_ease("Blorptastic zyzzogeton replylint. " * 40)  # loads textstat
    from textstat.backend.counts._count_syllables import count_syllables
    from textstat.backend.metrics import _syllables_per_word

    assert _syllables_per_word.count_syllables is readability._count_each_word_once
    rng = random.Random(3)
    words = ["the", "refund", "isn't", "rock'n'roll", "e-mail", "Zyzzogeton", "re-download",
             "don't", "’", "'quoted'", "naïve", "café", "2024", "x-ray", "...", "Hello!", "I"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
             for _ in range(300)]
    texts += _texts()
    for text in texts:
        readability._syllables.prefetch(readability.WORD.findall(text))
        assert readability._count_each_word_once(text, "en_US") == count_syllables.__wrapped__(
            text, "en_US"), text


def test_sentences_are_counted_as_textstat_counts_them():
    """The formulas' sentence count cleans all sentences in one go: the same count as
    textstat's sentence-by-sentence one, on the formula text of real replies, on text with
    stray and contraction apostrophes and punctuation, and on text with line breaks."""
    from replylint import readability

    readability.grade_and_ease("Blorptastic zyzzogeton replylint. " * 40)  # loads textstat
    from textstat.backend.counts._count_sentences import count_sentences
    from textstat.backend.metrics import _words_per_sentence

    assert _words_per_sentence.count_sentences is readability._count_sentences_at_once
    rng = random.Random(5)
    words = ["the", "refund", "isn't", "rock'n'roll", "e-mail", "'quoted'", "naïve", "2024",
             "...", "Hello!", "I", "?", ".", "'", "'s", "ok'", "a.b", "’", "x--y", "!!", "\t",
             "we'll", "'ve", "\n", "Mr.", "3.5"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 50)))
             for _ in range(2000)]
    texts += [readability.formula_text(t) for t in _texts() if readability.WORD.search(t)]
    texts += _texts()
    assert sum("\n" not in t for t in texts) > 1500
    for text in texts:
        assert readability._count_sentences_at_once(text) == count_sentences.__wrapped__(
            text), text


def test_wall_of_text_finds_the_last_word_without_reading_every_word():
    """The rule's span ends at the last word, found from a space or line break near the end
    (no word holds one): the same span as listing every word, also when the text ends in a
    long stretch without words, or without spaces."""
    from replylint.checks.readability import wall_of_text
    from replylint.model import Document

    rng = random.Random(8)
    tails = ["", " " * 1500, "." * 1500, "-" * 3000, "\n" * 1200 + "x", "a" * 2000,
             "word " * 300, "... !!! " * 400, "e-mail's 1.2.3 " * 150]
    compared = 0
    for prose in _texts()[:200] + _generated(["refund", "we'll", "1,000", "x-ray"], 200, 9):
        for tail in rng.sample(tails, 3):
            text = prose + tail
            doc = Document(text=text, source="t.txt", kind="draft")
            words = list(readability.WORD.finditer(doc.prose))
            for budget in {0, 3, max(len(words) - 1, 0)}:
                hits = list(wall_of_text.func(doc, {"budget": budget}))
                if 0 <= budget < len(words):
                    assert [(h.start, h.end) for h in hits] == [
                        (words[budget].start(), words[-1].end())], (budget, text[-80:])
                    compared += 1
                else:
                    assert hits == []
    assert compared > 1000


def test_a_token_inside_a_link_is_found_by_bisection():
    """The API-key rule asks whether a token starts inside a link or address: by bisection
    over the ``finditer`` spans, the same answer as looking at each span."""
    from replylint.checks.privacy import _OPAQUE, _inside

    for text in _texts():
        spans = [m.span() for m in _OPAQUE.finditer(text)]
        starts, ends = [s for s, _ in spans], [e for _, e in spans]
        for at in range(0, len(text), 7):
            assert _inside((starts, ends), at) == any(s <= at < e for s, e in spans)


def _placeholder_texts() -> list[str]:
    """Real text, and generated text dense in braces, brackets, markers and dotted names."""
    rng = random.Random(7)
    parts = ["{{", "}}", "{", "}", "{%", "%}", "{{{", "}}}", "ticket.id", "a.b.c", "name", " ",
             "\n", "*|FNAME|*", "%NAME%", "[Customer Name]", "[1]", "<<Name>>", "<name>",
             "<div>", "XXX", "TODO", "Lorem Ipsum", "FILL IN", ".", "x", "_y", "\t", "%", "*",
             "[", "<", "if x", "{% if %}", "{{ first_name }}"]
    generated = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 30)))
                 for _ in range(3000)]
    return _texts() + generated


def test_placeholder_scans_match_the_whole_pattern():
    """``find_placeholders`` runs PATTERN's branches as separate scans (and skips the
    word-start one where every "}}" closes a brace form): the matches are those of
    ``PATTERN.finditer``, group for group."""
    from replylint.placeholders import PATTERN, _matches

    for text in _placeholder_texts():
        want = [(m.span(), m.lastgroup) for m in PATTERN.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in _matches(text)] == want, text


def test_leftmost_finds_what_the_alternation_finds():
    from replylint.phrasescan import leftmost

    patterns = [re.compile(r"\{\{[^}]*\}\}|\{x"), re.compile(r"[a-z]+\.[a-z]+\}\}"),
                re.compile(r"\b[A-Z]{3,}\b|b\.c")]
    whole = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    for text in _placeholder_texts():
        assert [m.span() for m in leftmost(patterns, text)] == [
            m.span() for m in whole.finditer(text)], text


def test_blanked_turns_each_span_to_spaces_and_keeps_newlines():
    """``blanked`` builds the text from slices; the same as blanking character by character,
    for overlapping, unordered and out-of-range spans."""
    from replylint.model import blanked

    rng = random.Random(3)
    for text in _texts()[:400]:
        spans = []
        for _ in range(rng.randint(0, 6)):
            a = rng.randint(0, len(text) + 3)
            spans.append((a, a + rng.randint(0, 80)))
        chars = list(text)
        for start, end in spans:
            for i in range(start, min(end, len(text))):
                if chars[i] != "\n":
                    chars[i] = " "
        assert blanked(text, spans) == "".join(chars)


def test_documents_linted_together_get_what_each_gets_alone(tmp_path):
    """``lint_documents`` runs each check over a group of documents before the next check:
    every document's report is still the one it gets alone — with per-path settings that
    differ inside a group (another severity, an option, a rule switched off), a check that
    fails on one document only, and groups cut by the document count and by size."""
    from replylint.config import find_config
    from replylint.engine import GROUP_DOCS, Linter, _groups

    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "fragile.py").write_text(
        "from replylint import Hit, check, hookimpl\n\n"
        "@check('fragile.boom', 'FRG001')\n"
        "def boom(doc, options):\n"
        "    '''Fails on one document.'''\n"
        "    if 'kaboom' in doc.text:\n"
        "        raise RuntimeError('kaboom')\n"
        "    yield Hit(0, 1, 'seen')\n\n"
        "@hookimpl\n"
        "def register_checks(register, config):\n"
        "    register(boom)\n")
    (tmp_path / "replylint.toml").write_text(
        'plugins-dir = ["plugins"]\nselect = ["strict"]\n'
        '[[overrides]]\npaths = ["b*"]\nignore = ["PLH001"]\n'
        '[[overrides]]\npaths = ["c*"]\n'
        'rules = { RDB002 = { max_words = 8 }, TON005 = { severity = "error" } }\n')
    linter = Linter(find_config(tmp_path))
    texts = [t for t in _texts() if t.strip()]
    # short texts first, so that one group is cut by the document count, then long ones, so
    # that the next is cut by size
    texts = [t for t in texts if len(t) < 1000][:40] + [t for t in texts if len(t) >= 1000][:20]
    texts[7] += " kaboom"
    docs = [doc for n, text in enumerate(texts)
            for doc in linter.read(f"{'abc'[n % 3]}{n}.txt", text.encode())]
    alone = [linter.lint_document(doc).to_json() for doc in docs]
    fresh = [doc for n, text in enumerate(texts)
             for doc in linter.read(f"{'abc'[n % 3]}{n}.txt", text.encode())]
    together = [r.to_json() for r in linter.lint_documents(fresh)]
    assert together == alone
    codes = {f["code"] for r in together for f in r["findings"]}
    assert {"RDB002", "TON005", "FRG001"} <= codes  # strict: the rules off by default run too
    assert any(f["code"] == "RPL001" for f in together[7]["findings"])  # the fault stays there
    sizes = [len(g) for g in _groups(fresh)]
    assert sum(sizes) == len(fresh) and max(sizes) == GROUP_DOCS
    big = linter.read("big.txt", b"word " * 40_000)
    assert [len(g) for g in _groups(fresh[:3] + big + fresh[:3])] == [3, 1, 3]


def test_rare_word_pattern_reads_words_as_its_plain_form_does():
    """``jargon.WORD`` tries its look-behind only after a letter, for speed; it finds what the
    plain pattern (look-behind first, one letter or joined letter at a time) finds."""
    from replylint.checks.jargon import WORD

    plain = re.compile(r"(?<![\w./\u2019'-])[A-Za-z](?:[A-Za-z]|['\u2019-](?=[A-Za-z]))*"
                       r"(?![\w/]|[.'\u2019-]\w)")
    rng = random.Random(7)
    texts = _texts() + ["".join(rng.choice("ab'-\u2019./1 _A\n") for _ in range(rng.randint(1, 14)))
                        for _ in range(20_000)]
    for text in texts:
        assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in plain.finditer(text)]
