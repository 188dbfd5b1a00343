"""The ``grammar`` family: spelling and grammar from LanguageTool (see docs/grammar.md).

The family exists only when the configuration has a ``[tool.replylint.languagetool]`` table
(or ``--languagetool`` is given); without one nothing is registered and nothing is imported,
so replylint behaves exactly as before. With one, each document is sent once — the several
rules below share the answer — as the author's own words: quoted history, signature and
disclaimer are left out (a paragraph break takes their place), and placeholders, URLs, e-mail
addresses, handles and code are replaced by neutral stand-ins ("Alex", "example.com", "this").
An offset map takes every match back to the document, and from there the engine takes it to
the line and column in the source file. Matches that touch a stand-in are dropped (a typo
next to one is kept: spelling is a property of the word).

LanguageTool's categories become rules: ``grammar.typos`` (GRM001) … ``grammar.other``
(GRM008); ``grammar.unavailable`` (GRM000) says once why grammar was not checked, and
``grammar.public-api`` (GRM009) says once that text went to LanguageTool's public API.
Team vocabulary — the glossary's ``allow`` and ``replace`` terms and
``languagetool.words`` — is never flagged, nor is a word the customer wrote themselves (their
name, their product) or the name slot of the greeting.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..config import glossary
from ..hookspecs import hookimpl
from ..model import AUTHOR_ZONES, NON_PROSE, Check, Document, Hit, Severity, ZoneKind, check

if TYPE_CHECKING:  # replylint.languagetool is imported only when the family is configured
    from ..languagetool import Client, Settings, Unavailable

# --------------------------------------------------------------------------------------------
# LanguageTool's categories and issue types → our rules

#: LanguageTool category id → rule name (``grammar.<name>``)
CATEGORY_RULES = {
    "TYPOS": "typos",
    "GRAMMAR": "grammar",
    "COLLOCATIONS": "grammar",
    "NONSTANDARD_PHRASES": "grammar",
    "COMPOUNDING": "grammar",
    "PUNCTUATION": "punctuation",
    "TYPOGRAPHY": "punctuation",
    "CASING": "casing",
    "CONFUSED_WORDS": "confused-words",
    "FALSE_FRIENDS": "confused-words",
    "SEMANTICS": "semantics",
    "STYLE": "style",
    "REDUNDANCY": "style",
    "PLAIN_ENGLISH": "style",
    "REPETITIONS_STYLE": "style",
    "GENDER_NEUTRALITY": "style",
    "WIKIPEDIA": "style",
    "TEXT_ANALYSIS": "style",
    "AMERICAN_ENGLISH_STYLE": "style",
    "BRITISH_ENGLISH": "style",
}
#: for categories not listed (``MISC``, new ones): the match's issue type decides
ISSUE_TYPE_RULES = {
    "misspelling": "typos",
    "grammar": "grammar",
    "duplication": "grammar",
    "typographical": "punctuation",
    "whitespace": "punctuation",
    "style": "style",
    "register": "style",
    "locale-violation": "style",
    "inconsistency": "style",
}


def rule_for(category: str, issue_type: str) -> str:
    """The rule name a LanguageTool match belongs to."""
    return CATEGORY_RULES.get(category) or ISSUE_TYPE_RULES.get(issue_type) or "other"


# --------------------------------------------------------------------------------------------
# what is sent: the author's words, with stand-ins, and a map back to the document

_NAME_HINT = re.compile(r"name|first|last|customer|requester|agent|user|contact", re.I)
_DATE_HINT = re.compile(r"date|day|time|deadline|until|when", re.I)
_NUMBER_HINT = re.compile(r"number|\bid\b|_id|\.id|count|amount|total|price|phone|code|"
                          r"\bno\b|#|zip|postcode", re.I)
_LINK_HINT = re.compile(r"url|link|href|website", re.I)
_EMAIL_HINT = re.compile(r"e-?mail", re.I)
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def stand_in(text: str, syntax: str) -> str:
    """A neutral word for a placeholder, by what its name suggests; "" for Liquid logic."""
    if syntax == "liquid" and text.startswith("{%"):
        return ""  # {% if %} … {% endif %}: control flow, not words
    for hint, word in ((_EMAIL_HINT, "alex@example.com"), (_LINK_HINT, "example.com"),
                       (_NAME_HINT, "Alex"), (_DATE_HINT, "Monday"), (_NUMBER_HINT, "12345")):
        if hint.search(text):
            return word
    return "Alex"


def non_prose_stand_in(text: str) -> str:
    if text.startswith("`"):
        return "this"
    if text.startswith(("@", "#")):
        return "Alex"
    if "@" in text and "://" not in text:
        return "alex@example.com"
    return "example.com"


@dataclass
class Prepared:
    """The text sent to LanguageTool and where each of its characters came from."""

    text: str
    #: document offset of each sent character; -1 for stand-ins and paragraph breaks
    origin: list[int]
    #: sent offsets covered by stand-ins
    stand_ins: set[int] = field(default_factory=set)

    def touches_stand_in(self, start: int, end: int) -> bool:
        """Whether only whitespace separates ``[start, end)`` from a stand-in."""
        i = start - 1
        while i >= 0 and self.text[i] in " \t":
            i -= 1
        j = end
        while j < len(self.text) and self.text[j] in " \t":
            j += 1
        return i in self.stand_ins or j in self.stand_ins

    def to_document(self, start: int, end: int) -> tuple[int, int] | None:
        """The document span of sent ``[start, end)``; None if it is not the author's text."""
        if not 0 <= start < end <= len(self.text):
            return None
        if any(self.origin[k] < 0 for k in range(start, end)):
            return None
        return self.origin[start], self.origin[end - 1] + 1


def prepare(doc: Document) -> Prepared:
    """The author's words of ``doc``: other zones dropped, non-words replaced by stand-ins."""
    text = doc.text
    dropped = bytearray(len(text))
    for z in doc.zones:
        if z.kind not in AUTHOR_ZONES:
            dropped[z.start : z.end] = b"\x01" * (z.end - z.start)
    swaps: dict[int, tuple[int, str]] = {}
    for p in doc.placeholders:
        if not dropped[p.start]:
            swaps[p.start] = (p.end, stand_in(text[p.start : p.end], p.syntax))
    for m in NON_PROSE.finditer(doc.author_text):
        if not dropped[m.start()] and m.start() not in swaps:
            swaps[m.start()] = (m.end(), non_prose_stand_in(m.group()))
    out: list[str] = []
    origin: list[int] = []
    stand_ins: set[int] = set()
    pending_break = False
    last_end, last_word = -1, ""
    i = 0
    while i < len(text):
        if dropped[i]:
            pending_break = True
            i += 1
            continue
        if pending_break:
            pending_break = False
            if out:
                # a paragraph break stands for the removed zone and the whitespace around it
                tail = "".join(out[-2:])
                trailing = len(tail) - len(tail.rstrip("\n"))
                out.extend("\n" * (2 - trailing))
                origin.extend([-1] * (2 - trailing))
                while i < len(text) and not dropped[i] and text[i].isspace() and i not in swaps:
                    i += 1
                continue
        if i in swaps:
            end, word = swaps[i]
            if i == last_end and last_word:  # touching stand-ins: one word is enough
                word = ""
            stand_ins.update(range(len(out), len(out) + len(word)))
            out.extend(word)
            origin.extend([-1] * len(word))
            last_end, last_word = end, word or last_word
            i = end
            continue
        out.append(text[i])
        origin.append(i)
        i += 1
    return Prepared("".join(out), origin, stand_ins)


# --------------------------------------------------------------------------------------------
# the service shared by the family's rules


@dataclass
class Outcome:
    """What one document got from LanguageTool, shared by the grammar rules."""

    hits: dict[str, list[Hit]] = field(default_factory=dict)
    #: why grammar was not checked, said on the first document it concerns
    notice: str | None = None
    #: the first document whose text went to the public API
    public: bool = False


NOT_CONFIGURED = (
    "Grammar and spelling were not checked: no LanguageTool server is configured. Set "
    "`server` in [tool.replylint.languagetool] to a server's URL, \"local\" or \"public\" "
    "(or pass --languagetool), or set server = \"off\" to silence this (see docs/grammar.md)"
)
PUBLIC_NOTE = (
    "This reply's text was sent to LanguageTool's public API (languagetool.org), a third "
    "party: customer details in it have left this machine. Run your own LanguageTool server "
    "for customer text (see docs/grammar.md); ignore GRM009 once your team has accepted this"
)


class Service:
    """One per registry (so one per run): the client, per-document results, the notes said."""

    def __init__(self, settings: Settings, vocabulary: frozenset[str] = frozenset()) -> None:
        self.settings = settings
        self.vocabulary = vocabulary
        words = sorted(vocabulary, key=lambda w: (-len(w), w))
        self.vocabulary_re = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)",
                       re.IGNORECASE) if words else None
        )
        self.client: Client | None = None
        self.results: weakref.WeakKeyDictionary[Document, Outcome] = weakref.WeakKeyDictionary()
        self.said_unconfigured = False
        self.said_public = False
        self.said_documents: set[str] = set()
        self.in_outage = False
        self._ok_seen = 0

    def outcome(self, doc: Document) -> Outcome:
        found = self.results.get(doc)
        if found is None:
            found = self.results[doc] = self._outcome(doc)
        return found

    def _outcome(self, doc: Document) -> Outcome:
        from ..languagetool import Client, Unavailable, document_language

        s = self.settings
        if s.kind is None:
            if s.server is None and not self.said_unconfigured:
                self.said_unconfigured = True
                return Outcome(notice=NOT_CONFIGURED)
            return Outcome()
        prepared = prepare(doc)
        if not any(c.isalpha() for c in prepared.text):
            return Outcome()
        if self.client is None:
            self.client = Client(s)
        client = self.client
        language = document_language(doc.language, s.language)
        try:
            matches = client.check(prepared.text, language)
        except Unavailable as e:
            return self._unavailable(e)
        if client.successes > self._ok_seen:  # the server answered: any outage is over
            self._ok_seen, self.in_outage = client.successes, False
        public = client.sent_to_public and not self.said_public
        self.said_public = self.said_public or public
        return Outcome(hits=self._hits(doc, prepared, matches), public=public)

    def _unavailable(self, e: Unavailable) -> Outcome:
        if e.scope == "document":
            if e.reason in self.said_documents:
                return Outcome()
            self.said_documents.add(e.reason)
            return Outcome(notice=f"Grammar and spelling were not checked in this document: "
                                  f"{e.reason}")
        if self.in_outage:
            return Outcome()
        self.in_outage = True
        return Outcome(notice=(
            f"Grammar and spelling were not checked: {e.reason}. The other rules ran; "
            "documents after this one get no grammar findings either, and this is not "
            "repeated (see docs/grammar.md)"
        ))

    def _spared_words(self, doc: Document) -> set[str]:
        """Words that are never typos here: the customer's own and the signature's."""
        words = {w.lower() for w in _WORD.findall(doc.customer_text or "")}
        for z in doc.zones:
            if z.kind is ZoneKind.SIGNATURE:
                words.update(w.lower() for w in _WORD.findall(doc.text[z.start : z.end]))
        return words

    @staticmethod
    def _in_name_slot(doc: Document, offset: int) -> bool:
        """In the greeting, after its first word ("Hi", "Dear"), which can be a typo itself."""
        for z in doc.zones:
            if z.kind is ZoneKind.GREETING and z.start <= offset < z.end:
                first = _WORD.search(doc.text, z.start, z.end)
                return first is not None and offset >= first.end()
        return False

    def _hits(self, doc: Document, prepared: Prepared,
              matches: list[dict[str, Any]]) -> dict[str, list[Hit]]:
        hits: dict[str, list[Hit]] = {}
        vocab = ([(m.start(), m.end()) for m in self.vocabulary_re.finditer(doc.text)]
                 if self.vocabulary_re else [])
        spared: set[str] | None = None
        for m in matches:
            try:
                offset, length = int(m["offset"]), int(m["length"])
                name = rule_for(str(m["category"]), str(m["issueType"]))
                message, rule = str(m["message"]), str(m["rule"])
                replacements = tuple(str(r) for r in m["replacements"])
            except (KeyError, TypeError, ValueError):
                continue  # a damaged cache entry: skip the match, not the document
            span = prepared.to_document(offset, offset + length)
            if span is None:
                continue
            if name != "typos" and prepared.touches_stand_in(offset, offset + length):
                continue  # "a {{product}}" → "a Alex": the stand-in's fault, not the author's
            start, end = span
            if any(s <= start and end <= e for s, e in vocab):
                continue
            if name == "typos":
                word = doc.text[start:end]
                if spared is None:
                    spared = self._spared_words(doc)
                if word.lower() in spared:
                    continue
                if word[:1].isupper() and self._in_name_slot(doc, start):
                    continue  # "Hi Siobhan,": the name in the greeting
            hits.setdefault(name, []).append(
                Hit(start, end, f"{message} (LanguageTool: {rule})", replacements)
            )
        return hits


# --------------------------------------------------------------------------------------------
# the rules

DOCS: dict[str, str] = {}

DOCS["unavailable"] = """Grammar was not checked: LanguageTool is not set up or did not answer.

    ## What it does
    Says, once, why the grammar family checked nothing: no `server` in a
    `[tool.replylint.languagetool]` table; the server refused the connection, did not answer
    within `connect_timeout`/`read_timeout`, answered with an error or with something that is
    not LanguageTool's JSON, or is limiting the rate of requests; local mode found no Java 17+
    or could not download LanguageTool; or the document's language is not supported. The note
    sits at the top of the first document concerned; the other documents of the run get no
    grammar findings and no repeated note. Every other rule runs as usual, and the run does
    not wait on the server again.

    ## Why is this bad?
    A grammar check that silently did not happen looks like a clean reply. The note is a
    suggestion, so it does not block a send with the default `fail-on = "warning"`.

    ## Example
    ```toml
    [tool.replylint.languagetool]
    server = "http://127.0.0.1:8081"   # but no server is running
    ```

    ## Use instead
    ```toml
    [tool.replylint.languagetool]
    server = "http://127.0.0.1:8081"   # docker run -d -p 127.0.0.1:8081:8010 erikvl87/languagetool
    ```
    Or `server = "off"` to keep grammar off without a note.
    """

DOCS["typos"] = """Spelling mistake: a word LanguageTool's dictionary does not know.

    ## What it does
    Reports LanguageTool's `TYPOS` category (its spell checker, `MORFOLOGIK_RULE_EN_US` and
    friends) in the author's words, with LanguageTool's suggestions as replacements. Never
    flags team vocabulary (the glossary's `allow` and `replace` terms and
    `languagetool.words`), a word the customer wrote in their own message (their name, their
    product), a word of the signature, or the capitalised name in the greeting.

    ## Why is this bad?
    A misspelling in a support reply reads as carelessness, and in a product or setting name
    it sends the customer looking for something that does not exist.

    ## Example
    ```text
    Hi Dana, I've reset teh password on your acount.
    ```

    ## Use instead
    ```text
    Hi Dana, I've reset the password on your account.
    ```
    Add product names to `[tool.replylint.glossary] allow` or `languagetool.words`.
    """

DOCS["grammar"] = """Grammar error: agreement, articles, doubled words, wrong word forms.

    ## What it does
    Reports LanguageTool's `GRAMMAR`, `COLLOCATIONS`, `NONSTANDARD_PHRASES` and `COMPOUNDING`
    categories, and matches of other categories whose issue type is grammar or duplication
    ("the the"). Matches next to a placeholder are dropped: the placeholder's stand-in, not
    the author, would be at fault ("a {{product}}").

    ## Why is this bad?
    Grammar slips make a reply harder to read and make the company look careless, most of all
    in macros that go out thousands of times.

    ## Example
    ```text
    We has sent a replacement. It should arrive in in two days.
    ```

    ## Use instead
    ```text
    We have sent a replacement. It should arrive in two days.
    ```
    """

DOCS["punctuation"] = """Punctuation or typography: a space before a comma, stray marks.

    ## What it does
    Reports LanguageTool's `PUNCTUATION` and `TYPOGRAPHY` categories. Rules about runs of
    spaces, straight quotes and paragraphs without a full stop are switched off, because
    email layout, plain-text quotes and greeting lines trigger them (see docs/grammar.md).

    ## Why is this bad?
    Stray punctuation is small, but it is the kind of small thing a customer notices.

    ## Example
    ```text
    Thanks for waiting , your refund is on its way.
    ```

    ## Use instead
    ```text
    Thanks for waiting, your refund is on its way.
    ```
    """

DOCS["casing"] = """Capitalisation: a sentence starting in lower case, a lower-case "i".

    ## What it does
    Reports LanguageTool's `CASING` category in the author's words.

    ## Why is this bad?
    Lower-case sentences and a lower-case "i" read as hasty, in a reply that should read as
    considered.

    ## Example
    ```text
    Your order has shipped. it should arrive on Friday, and i will keep an eye on it.
    ```

    ## Use instead
    ```text
    Your order has shipped. It should arrive on Friday, and I will keep an eye on it.
    ```
    """

DOCS["confused-words"] = """Commonly confused words: their/there, your/you're, then/than.

    ## What it does
    Reports LanguageTool's `CONFUSED_WORDS` and `FALSE_FRIENDS` categories.

    ## Why is this bad?
    A confused word changes the meaning, or makes the reader stop and work it out.

    ## Example
    ```text
    Your welcome! Their is nothing else you need to do.
    ```

    ## Use instead
    ```text
    You're welcome! There is nothing else you need to do.
    ```
    """

DOCS["semantics"] = """A statement that is probably wrong, such as a date on the wrong weekday.

    ## What it does
    Reports LanguageTool's `SEMANTICS` category: dates whose weekday does not match, impossible
    dates, and similar slips LanguageTool can work out from the text alone.

    ## Why is this bad?
    A wrong date in a promise ("we'll call you on Monday, 4 March") is worse than no date:
    the customer will hold the team to one of them.

    ## Example
    ```text
    Your technician will visit on Friday, 3 March 2025.
    ```

    ## Use instead
    ```text
    Your technician will visit on Monday, 3 March 2025.
    ```
    """

DOCS["style"] = """Style advice from LanguageTool: redundancy, repetition, register.

    ## What it does
    Reports LanguageTool's `STYLE`, `REDUNDANCY`, `PLAIN_ENGLISH`, `REPETITIONS_STYLE` and
    related categories. LanguageTool rules that duplicate replylint's own — long sentences,
    long paragraphs, passive voice, wordy phrases, reading level — are switched off, so each
    problem is reported once, by the rule that knows support email.

    ## Why is this bad?
    Padding and repetition make a reply longer without making it clearer.

    ## Example
    ```text
    We will refund the money back to your card.
    ```

    ## Use instead
    ```text
    We will refund the money to your card.
    ```
    """

DOCS["other"] = """A LanguageTool finding of a category replylint does not map to another rule.

    ## What it does
    Reports matches whose category (for example `MISC`, or one added in a newer LanguageTool)
    and issue type fit none of the other grammar rules, so nothing LanguageTool finds is lost.
    The message names LanguageTool's rule; disable it with `languagetool.disabled_rules`.

    ## Why is this bad?
    It is still something LanguageTool thinks a reader would trip over.

    ## Example
    ```text
    (any text LanguageTool flags under a category not listed in docs/grammar.md)
    ```

    ## Use instead
    ```text
    (the wording LanguageTool suggests, or add its rule id to disabled_rules)
    ```
    """

DOCS["public-api"] = """This reply's text was sent to LanguageTool's public API, a third party.

    ## What it does
    Says once per run, on the first document sent, that `server = "public"` (or a
    languagetool.org URL) sent the author's text to LanguageTool's public service. Quoted
    history and signatures are never sent, but the reply itself may name the customer, their
    order or their problem.

    ## Why is this bad?
    Customer data leaving the machine for a service the customer never agreed to may breach
    your privacy policy or a data-processing agreement. The public API is also rate-limited.

    ## Example
    ```toml
    [tool.replylint.languagetool]
    server = "public"
    ```

    ## Use instead
    ```toml
    [tool.replylint.languagetool]
    server = "http://127.0.0.1:8081"   # your own LanguageTool server
    ```
    """

#: (name, code, default severity); the order of the docs' reference
RULES = (
    ("unavailable", "GRM000", Severity.SUGGESTION),
    ("typos", "GRM001", Severity.WARNING),
    ("grammar", "GRM002", Severity.WARNING),
    ("punctuation", "GRM003", Severity.SUGGESTION),
    ("casing", "GRM004", Severity.WARNING),
    ("confused-words", "GRM005", Severity.WARNING),
    ("semantics", "GRM006", Severity.WARNING),
    ("style", "GRM007", Severity.SUGGESTION),
    ("other", "GRM008", Severity.SUGGESTION),
    ("public-api", "GRM009", Severity.SUGGESTION),
)


def _func(service: Service | None, name: str) -> Any:
    if name == "unavailable":
        def func(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
            if service is not None:
                notice = service.outcome(doc).notice
                if notice:
                    yield Hit(0, 0, notice)
    elif name == "public-api":
        def func(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
            if service is not None and service.outcome(doc).public:
                yield Hit(0, 0, PUBLIC_NOTE)
    else:
        def func(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
            if service is not None:
                yield from service.outcome(doc).hits.get(name, ())
    func.__doc__ = DOCS[name]
    func.__name__ = func.__qualname__ = name.replace("-", "_")
    return func


def make_checks(service: Service | None) -> list[Check]:
    """The family's rules, sharing ``service`` (None: rules that report nothing, for docs)."""
    return [check(f"grammar.{name}", code, severity)(_func(service, name))
            for name, code, severity in RULES]


@hookimpl
def register_checks(register, config):
    config = config or {}
    if "languagetool" not in config:
        return  # grammar is opt-in: without the table the family does not exist
    from ..languagetool import settings_from_config

    settings = settings_from_config(config)
    terms = glossary(config, "[tool.replylint.glossary]")
    vocabulary = (frozenset(terms.allow) | {k.lower() for k in terms.replace}
                  | {w.lower() for w in settings.words})
    for c in make_checks(Service(settings, vocabulary)):
        register(c)


# --------------------------------------------------------------------------------------------
# the rules' reference in docs/grammar.md (the family is not registered by default, so the
# generated docs/rules pages do not include it)

BEGIN = "<!-- begin: rule reference (python -m replylint.checks.grammar docs/grammar.md) -->"
END = "<!-- end: rule reference -->"


def reference() -> str:
    """Every grammar rule's page, headings moved two levels down, as docs/grammar.md has it."""
    from ..docgen import rule_page

    parts = []
    for c in make_checks(None):
        lines, fenced = [], False
        for line in rule_page(c, "replylint.checks.grammar").splitlines():
            if line.startswith("```"):
                fenced = not fenced
            lines.append("##" + line if line.startswith("#") and not fenced else line)
        parts.append("\n".join(lines).rstrip() + "\n")
    return "\n".join(parts)


def update_reference(text: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n\n{reference()}\n{END}{tail}"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/grammar.md")
    target.write_text(update_reference(target.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {target}")
