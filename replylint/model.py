"""The data model shared by readers, checks, the engine and formatters.

Offsets are always character offsets into ``Document.text`` (the text a person reads);
``SourceMap`` turns them into positions in the file the text came from, so every finding
points at the right line and column whatever the format (HTML, JSON export, MIME part).
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

from .channel import CHANNELS

Kind = Literal["draft", "macro"]

#: URLs, email addresses, @handles and `code`: text that is not prose (see Document.prose)
_LINK = r"\b(?:https?://|ftp://|www\.)[^\s<>\"']{1,2000}"
# possessive: giving back a character of the name can never make room for the "@"
_ADDRESS = r"[\w.+-]{1,64}+@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"
_HANDLE_OR_CODE = r"(?<![\w@])[@#]\w{1,50}|`[^`\n]{1,500}`"
NON_PROSE = re.compile(f"{_LINK}|{_ADDRESS}|{_HANDLE_OR_CODE}")
#: the same for a text without "@", which holds no address: the address branch is tried at
#: every character of every word
_NON_PROSE_NO_AT = re.compile(f"{_LINK}|{_HANDLE_OR_CODE}")

#: one of these is in every match of NON_PROSE
_NON_PROSE_MARKS = ("://", "www.", "@", "#", "`")

#: documents linted together, one check at a time over all of them (``Linter.lint_documents``)
GROUP_DOCS = 32
#: texts each per-text cache keeps (sentences, word index, clause reading…): a group's prose,
#: author text and the parts of them that rules split off
GROUP_TEXTS = 4 * GROUP_DOCS


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span turned to spaces, newlines kept: the same length, so offsets
    into the result are offsets into ``text``. Spans may overlap and come in any order."""
    out = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if start >= end:
            continue
        part = text[start:end]
        out += text[pos:start], "\n".join(" " * len(line) for line in part.split("\n"))
        pos = end
    out.append(text[pos:])
    return "".join(out)


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``>=`` compares with ``fail-on``."""

    SUGGESTION = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r} (expected error, warning or suggestion)"
            ) from None


class ZoneKind(enum.StrEnum):
    """The parts of an email (after Lampert et al., 2009)."""

    GREETING = "greeting"
    BODY = "body"
    CLOSING = "closing"
    SIGNATURE = "signature"
    QUOTED = "quoted"
    DISCLAIMER = "disclaimer"


#: The zones written by the reply's author; checks look only at these by default.
AUTHOR_ZONES = frozenset({ZoneKind.GREETING, ZoneKind.BODY, ZoneKind.CLOSING})


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Zone:
    kind: ZoneKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A merge field or human fill-in: ``syntax`` names the family (liquid, helpscout, …)."""

    start: int
    end: int
    syntax: str


@dataclass(frozen=True, slots=True)
class Suppression:
    """Rules switched off for ``[start, end)`` of the text; empty ``rules`` means all."""

    start: int
    end: int
    rules: frozenset[str] = frozenset()


@lru_cache(maxsize=8)
def line_starts(text: str) -> list[int]:
    """Offsets where each line of ``text`` starts; shared by every document of one file (a
    10,000-macro export must not hold 10,000 copies)."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


class SourceMap:
    """Maps offsets in a document's text to offsets and line/columns in its source file.

    ``offsets[i]`` is the source offset of text character ``i`` (one extra entry for the end);
    without ``offsets`` the text is the source shifted by ``base`` (plain text, front matter).
    """

    __slots__ = ("source_text", "base", "offsets", "_line_starts")

    def __init__(
        self, source_text: str, base: int = 0, offsets: Sequence[int] | None = None
    ) -> None:
        self.source_text = source_text
        self.base = base
        self.offsets = offsets
        self._line_starts: list[int] | None = None

    def to_source(self, i: int) -> int:
        if self.offsets is None:
            return self.base + i
        if not self.offsets:
            return self.base
        i = min(max(i, 0), len(self.offsets) - 1)
        return self.offsets[i]

    def source_end(self, start: int, end: int) -> int:
        """Source offset just past the last character of the text span ``[start, end)``."""
        if end <= start:
            return self.to_source(start)
        return self.to_source(end - 1) + 1

    def line_col(self, source_offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a source offset."""
        if self._line_starts is None:
            self._line_starts = line_starts(self.source_text)
        line = bisect.bisect_right(self._line_starts, source_offset) - 1
        return line + 1, source_offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        self.line_col(0)
        assert self._line_starts is not None
        start = self._line_starts[line - 1]
        end = self.source_text.find("\n", start)
        return self.source_text[start : None if end == -1 else end].rstrip("\r")

    def compose(self, inner: Sequence[int]) -> SourceMap:
        """A map for text derived from this one: ``inner[i]`` is an offset into our text."""
        return SourceMap(self.source_text, 0, [self.to_source(j) for j in inner])


@dataclass(eq=False)
class Document:
    """One reply: a draft about to be sent or a macro (canned reply) template."""

    text: str
    source: str
    kind: Kind = "draft"
    name: str | None = None
    macro_id: str | None = None
    source_map: SourceMap | None = None
    language: str | None = None
    #: rule ids, codes or prefixes ignored for the whole document (front matter, config)
    ignores: frozenset[str] = frozenset()
    suppressions: Sequence[Suppression] = ()
    #: spans a reader knows are quoted history (an HTML blockquote, a Gmail quote div)
    quoted_hints: Sequence[Span] = ()
    #: the customer's message when given outside the text (``--context``, the API)
    context: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    #: the channel given by config, ``--channel``, the API or a reader that knows (an .eml is
    #: an email); None: detected from the text (``channel``)
    declared_channel: str | None = None

    def __post_init__(self) -> None:
        if self.source_map is None:
            self.source_map = SourceMap(self.text)

    @property
    def label(self) -> str:
        """How output names this document: the file, and the macro within it if any."""
        if self.name or self.macro_id:
            return f"{self.source} [{self.name or self.macro_id}]"
        return self.source

    @cached_property
    def zones(self) -> list[Zone]:
        from .zoning import zone

        return zone(self.text, self.quoted_hints)

    @cached_property
    def channel(self) -> str:
        """``email``, ``chat``, ``social`` or ``macro``: declared, else detected
        (replylint.channel)."""
        if self.declared_channel is not None:
            return self.declared_channel
        from .channel import detect

        return detect(self)

    @cached_property
    def placeholders(self) -> list[Placeholder]:
        from .placeholders import find_placeholders

        return find_placeholders(self.text)

    @cached_property
    def author_text(self) -> str:
        """The text with everything but the author's own words blanked to spaces.

        Same length as ``text``, newlines kept, so a regular expression run on it gives spans
        that are valid in ``text``. Quoted history, signature, disclaimer and placeholders are
        blanked; checks that need them read ``text``, ``zones`` or ``customer_text``.
        """
        blank = [(z.start, z.end) for z in self.zones if z.kind not in AUTHOR_ZONES]
        return blanked(self.text, blank + [(p.start, p.end) for p in self.placeholders])

    @cached_property
    def prose(self) -> str:
        """``author_text`` with URLs, email addresses, @handles and `code` also blanked.

        What checks of wording read: "UPDATE" inside a link is not shouting, and a handle is
        not a word. Same length as ``text``.
        """
        text = self.author_text
        if not any(mark in text for mark in _NON_PROSE_MARKS):
            return text  # no link, address, handle or code: nothing to blank
        pattern = NON_PROSE if "@" in text else _NON_PROSE_NO_AT
        return pattern.sub(lambda m: " " * len(m.group()), text)

    @cached_property
    def customer_text(self) -> str:
        """The customer's message: given context, else the quoted history without ``>``."""
        if self.context is not None:
            return self.context
        parts = [self.text[z.start : z.end] for z in self.zones if z.kind is ZoneKind.QUOTED]
        lines = []
        for line in "\n".join(parts).splitlines():
            stripped = line.lstrip()
            while stripped.startswith(">"):
                stripped = stripped[1:].lstrip(" ")
            lines.append(stripped)
        return "\n".join(lines)

    def zone_at(self, offset: int) -> ZoneKind | None:
        for z in self.zones:
            if z.start <= offset < z.end:
                return z.kind
        return None


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check yields: a span into ``Document.text`` and what to say about it."""

    start: int
    end: int
    message: str | None = None
    replacements: Sequence[str] = ()
    #: the replacement can be applied without a person reading it (``--fix``)
    fix_safe: bool = False
    #: the matched text is a secret (a card number, a password): output shows only its end
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Metric:
    """A per-document figure a check publishes (``politeness``, ``reading_grade`` …)."""

    name: str
    value: float | int | str | None


@dataclass(frozen=True, slots=True)
class Option:
    """A typed, documented option of a check, settable per rule in config."""

    name: str
    type: type | tuple[type, ...]
    default: Any
    help: str

    def validate(self, rule_id: str, value: Any) -> Any:
        types = self.type if isinstance(self.type, tuple) else (self.type,)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if float in types and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if dict in types and isinstance(value, dict):
            ok = all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        if list in types and isinstance(value, list):
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            names = " or ".join(t.__name__ for t in types)
            raise ValueError(
                f"rule {rule_id}: option {self.name!r} must be {names}, got {value!r}"
            )
        return value


CheckFunc = Callable[[Document, Mapping[str, Any]], Iterable[Hit | Metric]]


@dataclass(frozen=True)
class Check:
    """A rule: a stable id and code, a default severity and a function that yields hits.

    The function's docstring is the rule's documentation page (What it does / Why is this
    bad? / Example / Use instead / Options), as in ruff.
    """

    id: str
    code: str
    severity: Severity
    func: CheckFunc
    kinds: frozenset[str] = frozenset({"draft", "macro"})
    #: the channels whose replies this rule judges (replylint.channel.CHANNELS)
    channels: frozenset[str] = frozenset(CHANNELS)
    options: Sequence[Option] = ()
    doc: str = ""
    #: off unless selected by its exact id or code (opinionated rules such as passive voice)
    default_enabled: bool = True
    #: the metrics the check publishes: it runs for them when it is off (its hits dropped),
    #: unless ``ignore`` names it
    publishes: frozenset[str] = frozenset()

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}


def check(
    id: str,
    code: str,
    severity: Severity | str = Severity.WARNING,
    *,
    kinds: Iterable[str] = ("draft", "macro"),
    channels: Iterable[str] = CHANNELS,
    options: Sequence[Option] = (),
    default_enabled: bool = True,
    publishes: Iterable[str] = (),
) -> Callable[[CheckFunc], Check]:
    """Decorator that turns ``func(doc, options)`` into a ``Check``."""

    def wrap(func: CheckFunc) -> Check:
        import inspect

        return Check(
            id=id,
            code=code,
            severity=Severity.parse(severity),
            func=func,
            kinds=frozenset(kinds),
            channels=frozenset(channels),
            options=tuple(options),
            doc=inspect.cleandoc(func.__doc__ or ""),
            default_enabled=default_enabled,
            publishes=frozenset(publishes),
        )

    return wrap


@dataclass(frozen=True, slots=True)
class Finding:
    """A hit made uniform by the engine: what every formatter and integration consumes."""

    rule: str
    code: str
    severity: Severity
    message: str
    source: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    match: str
    replacements: tuple[str, ...] = ()
    url: str = ""
    name: str | None = None
    plugin: str = ""
    fix_safe: bool = False
    sensitive: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "replacements": list(self.replacements),
            "url": self.url,
        }


def mask(secret: str, keep: int = 4) -> str:
    """All but the last ``keep`` letters and digits of ``secret`` as "•"; separators stay.

    Short secrets show less: at most a quarter of their letters and digits, so a PIN or a
    one-time code is never printed whole.
    """
    keep = min(keep, sum(c.isalnum() for c in secret) // 4)
    shown = 0
    out = []
    for ch in reversed(secret):
        if ch.isalnum():
            out.append(ch if shown < keep else "•")
            shown += 1
        else:
            out.append(ch)
    return "".join(reversed(out))


class InputError(Exception):
    """A file replylint cannot read: reported with its name, and the run goes on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class Report:
    """What linting one document produced."""

    document: Document
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.document.source

    def to_json(self) -> dict[str, Any]:
        d = self.document
        out: dict[str, Any] = {"source": d.source, "kind": d.kind, "channel": d.channel}
        if d.name is not None or d.macro_id is not None:
            out["macro"] = {"title": d.name, "id": d.macro_id}
        out["metrics"] = dict(self.metrics)
        out["findings"] = [f.to_json() for f in self.findings]
        return out


@dataclass
class RunResult:
    """What one run produced: a report per document, and the inputs that could not be read."""

    reports: list[Report] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: plugins that could not be loaded or registered (the run went on without them)
    plugin_errors: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    #: every rule known to the run, by code, for formats that describe rules (SARIF)
    rules: dict[str, Check] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.reports for f in r.findings]

    @property
    def plugin_failed(self) -> bool:
        return bool(self.plugin_errors) or any(
            f.rule == INTERNAL_ERROR_RULE for f in self.findings
        )

    @property
    def exit_code(self) -> int:
        """0 clean; 1 findings at or above fail-on; 2 unreadable input; 3 a plugin failed."""
        if self.plugin_failed:
            return 3
        if self.errors:
            return 2
        return 1 if any(f.severity >= self.fail_on for f in self.findings) else 0

    def summary(self) -> dict[str, Any]:
        counts = {str(s): 0 for s in sorted(Severity, reverse=True)}
        rules: dict[str, int] = {}
        for f in self.findings:
            counts[str(f.severity)] += 1
            rules[f.rule] = rules.get(f.rule, 0) + 1
        return {
            "documents": len(self.reports),
            "findings": sum(counts.values()),
            "by_severity": counts,
            "by_rule": dict(sorted(rules.items())),
            "errors": len(self.errors),
            "exit_code": self.exit_code,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "documents": [r.to_json() for r in self.reports],
            "errors": [{"source": e.source, "message": e.reason} for e in self.errors]
            + [{"source": "plugin", "message": m} for m in self.plugin_errors],
            "summary": self.summary(),
        }


#: the rule id of the finding the engine reports when a check raises
INTERNAL_ERROR_RULE = "replylint.internal-error"
INTERNAL_ERROR_CODE = "RPL001"
