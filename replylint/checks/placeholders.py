"""The ``placeholders`` family: merge fields and fill-ins left in drafts, broken ones in macros.

Drafts: every placeholder is a bug (``unfilled``). Macros: placeholders are expected, but one
that is malformed, names a field the vendor does not have, or greets the customer by a name
that may be empty, is flagged. Which vendor a macro is for comes from the export it was read
from (``meta["vendor"]``), its front matter (``vendor: zendesk``) or the rule option ``vendor``.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ..hookspecs import hookimpl
from ..model import AUTHOR_ZONES, Document, Hit, Option, Severity, ZoneKind, blanked, check
from ..placeholders import HELPSCOUT_TAG, MALFORMED, PATTERN

DATA = Path(__file__).parent.parent / "data"
SYNTAX_NAMES = {
    "liquid": "merge field",
    "helpscout": "Help Scout merge field",
    "merge-tag": "merge tag",
    "fill-in": "fill-in",
    "malformed": "broken merge field",
}


@check("placeholders.unfilled", "PLH001", Severity.ERROR, kinds=("draft",))
def unfilled(doc, options):
    """A draft about to be sent still contains a placeholder.

    ## What it does
    Flags merge fields (`{{ticket.requester.first_name}}`, `{%customer.firstName%}`,
    `{{first_name | fallback: "there"}}`, `*|FNAME|*`), broken ones (`{{ticket.id}`), and
    human fill-ins (`[Customer Name]`, `[NAME]`, `<name>`, `XXX`, `FILLIN`, `TODO`,
    "lorem ipsum") in a draft, outside the customer's quoted message and the signature.

    ## Why is this bad?
    A reply that greets "Hi {{first_name}}" or promises a refund "by [DATE]" tells the customer
    they got a form letter nobody read. In a macro these are expected (the helpdesk fills them
    in), so this rule only looks at drafts.

    ## Example
    ```text
    Hi [Customer Name],

    Your refund of XXX was issued today.
    ```

    ## Use instead
    ```text
    Hi Dana,

    Your refund of $42.50 was issued today.
    ```
    """
    for p in doc.placeholders:
        if doc.zone_at(p.start) in AUTHOR_ZONES:
            text = doc.text[p.start : p.end]
            kind = SYNTAX_NAMES.get(p.syntax, "placeholder")
            yield Hit(p.start, p.end, f"Unfilled {kind} {text!r}: fill it in before sending")


# -- vendors and their catalogs ---------------------------------------------------------------

VENDOR_OPTION = Option(
    "vendor", str, "",
    "the helpdesk your macros are for (zendesk, helpscout, gorgias, intercom) when neither the "
    "export nor the macro's front matter (`vendor:`) says",
)

_INDEX = re.compile(r"\[[^\]\n]{0,40}\]")
#: a variable path as written: ``ticket.requester.name``, ``orders[0].name``, ``a["b"]``
_PATH = re.compile(r"[A-Za-z_][\w-]{0,60}(?:\.[A-Za-z_][\w-]{0,60}|\[[^\]\n]{0,40}\]){0,12}")
#: Liquid's own properties of any list or string
_GENERIC = (".size", ".first", ".last")


def _norm(path: str) -> str:
    """A path as the catalog keys it: indexes dropped (``messages[0].x`` → ``messages.x``)."""
    return _INDEX.sub("", path).replace(" ", "")


def _key(vendor: str) -> str:
    return re.sub(r"[^a-z0-9]", "", vendor.lower())


class Catalog(NamedTuple):
    key: str
    label: str
    syntax: str
    #: False: report only near misses of a known name (a catalog we are less sure is complete)
    strict: bool
    #: normalised paths and every prefix of them (objects: ``ticket.requester``)
    known: frozenset[str]
    #: the documented paths as written, for "did you mean"
    display: tuple[str, ...]
    open: re.Pattern[str] | None
    names: frozenset[str]
    fallback: str | None

    def has(self, path: str, extra: Catalog | None = None) -> bool:
        p = _norm(path)
        while p.endswith(_GENERIC) and "." in p:
            if self._has(p, extra):
                return True
            p = p.rsplit(".", 1)[0]
        return self._has(p, extra)

    def _has(self, p: str, extra: Catalog | None) -> bool:
        for c in (self, extra) if extra else (self,):
            if p in c.known or (c.open is not None and c.open.match(p + ".")):
                return True
        return False

    def suggest(self, path: str) -> str | None:
        import difflib  # only for a placeholder the catalog does not know

        got = difflib.get_close_matches(path, self.display, n=1, cutoff=0.75)
        if not got and "." in path:  # a wrong last segment: compare siblings only
            parent, _, leaf = path.rpartition(".")
            leaves = [d.rpartition(".")[2] for d in self.display if d.rpartition(".")[0] == parent]
            near = difflib.get_close_matches(leaf, leaves, n=1, cutoff=0.6)
            got = [f"{parent}.{near[0]}"] if near else []
        return got[0] if got else None


def _prefixes(paths: list[str]) -> frozenset[str]:
    out = set()
    for path in paths:
        parts = _norm(path).split(".")
        out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return frozenset(out)


def _build(key: str, spec: Mapping[str, Any]) -> Catalog:
    paths = list(spec["variables"])
    for token, values in spec.get("expand", {}).items():
        paths = [p.replace(token, v) for p in paths for v in (values if token in p else [p])]
        paths = list(dict.fromkeys(paths))
    opened = spec.get("open") or []
    fallback = spec.get("fallback")
    return Catalog(
        key=key,
        label=spec["label"],
        syntax=spec["syntax"],
        strict=spec.get("strict", True),
        known=_prefixes(paths),
        display=tuple(paths),
        open=re.compile("|".join(f"(?:{o})" for o in opened)) if opened else None,
        names=frozenset(_norm(n) for n in spec.get("names", [])),
        fallback=fallback["style"] if fallback else None,
    )


@lru_cache(maxsize=1)
def catalogs() -> dict[str, Catalog]:
    """The vendors replylint knows, by normalised name and alias (``helpscout``, ``zendesk``)."""
    raw = json.loads((DATA / "vendor_catalogs.json").read_text("utf-8"))
    out: dict[str, Catalog] = {}
    for key, spec in raw.items():
        if key.startswith("_"):
            continue
        cat = _build(key, spec)
        for name in (key, spec["label"], *spec.get("aliases", [])):
            out[_key(name)] = cat
    return out


def extra_catalog(names: list[str]) -> Catalog | None:
    """The team's own fields (option ``extra_variables``); ``custom.*`` opens a namespace."""
    if not names:
        return None
    exact = [n for n in names if not n.endswith(".*")]
    opened = [re.escape(n[:-1]) for n in names if n.endswith(".*")]
    return Catalog(
        key="extra", label="extra", syntax="", strict=True, known=_prefixes(exact),
        display=tuple(exact), open=re.compile("|".join(opened)) if opened else None,
        names=frozenset(), fallback=None,
    )


def declared_vendor(doc: Document, options: Mapping[str, Any]) -> str:
    """The normalised vendor a macro says it is for, else the option's, else ``""``."""
    vendor = doc.meta.get("vendor") if isinstance(doc.meta, Mapping) else None
    if not isinstance(vendor, str) or not vendor.strip():
        vendor = options.get("vendor") or ""
    return _key(vendor)


def _quoted(doc: Document, offset: int) -> bool:
    return doc.zone_at(offset) is ZoneKind.QUOTED


# -- whose syntax a merge field is --------------------------------------------------------------

#: a sigil right before ``{{``: another language's expression (GitHub Actions ``${{ … }}``,
#: ``#{{ … }}``), not a helpdesk merge field
_SIGILS = "$#%@&"
#: how outputs of other brace languages start: Handlebars and Mustache blocks, partials and
#: comments (``{{#if}}``, ``{{/if}}``, ``{{^x}}``, ``{{> p}}``, ``{{! c}}``, ``{{&x}}``), Go
#: and Prometheus templates (``{{ .Title }}``, ``{{ $labels.instance }}``, ``{{ if .Draft }}``)
_FOREIGN_OUTPUT = re.compile(r"\{\{\{?~?-?[ \t]*(?:[#/^>!&.$@~]|\w{1,20}[ \t]+[.$])")
#: operators and calls of expression languages (Angular, Vue, GitHub Actions) that Liquid's
#: outputs do not have
_EXPRESSION = re.compile(r"\|\||&&|[!=<>]=|\?\.|=>|(?<!\w)[A-Za-z_]\w{0,60}[ \t]{0,10}\(")
_STRING = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")
#: Markdown code: fenced blocks and inline spans (a template quoted as an example)
_CODE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]{0,200}\n[\s\S]*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)"
                   r"|(?<!`)(`{1,3})(?!`)[^\n]{1,500}?(?<!`)\2(?!`)", re.MULTILINE)


def foreign(doc: Document) -> list[tuple[int, int]]:
    """Spans of a macro *without a declared vendor* that are not Liquid merge fields: outputs
    in another template language's syntax, and anything inside Markdown code.

    A macro whose vendor is unknown (an issue tracker's saved reply, a forum template) may be
    written for any brace language; only what is broken in every one of them, or is Liquid
    by its own marks, is the rules' to report. Outputs with expression operators (``||``,
    ``==``, calls) count as foreign only where no ``{% … %}`` Liquid tag says the macro is
    Liquid.
    """
    text = doc.text
    liquid_tags = any(p.syntax == "liquid" and text.startswith("{%", p.start)
                      for p in doc.placeholders)
    code = [m.span() for m in _CODE.finditer(text)] if "`" in text or "~~~" in text else []
    spans = list(code)
    for p in doc.placeholders:
        if p.syntax not in ("liquid", "malformed") or any(s <= p.start < e for s, e in code):
            continue
        piece = text[p.start:p.end]
        if (p.start > 0 and text[p.start - 1] in _SIGILS) or _FOREIGN_OUTPUT.match(piece):
            spans.append((p.start, p.end))
        elif (not liquid_tags and piece.startswith("{{")
              and _EXPRESSION.search(_STRING.sub("''", piece))):
            spans.append((p.start, p.end))
    return spans


def _in(spans: list[tuple[int, int]], at: int) -> bool:
    return any(s <= at < e for s, e in spans)


# -- Liquid: parse errors and variables, through python-liquid ----------------------------------

#: a unit of Liquid markup: an output or a tag (bounded, so an odd text cannot go quadratic)
_MARKUP = re.compile(r"\{\{[\s\S]{0,2000}?\}\}|\{%[\s\S]{0,2000}?%\}")
_TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
_BLOCKS = {"if", "unless", "case", "for", "tablerow", "capture", "comment", "raw"}
_INNER = {"else", "elsif", "when", "break", "continue"}
#: the standard Liquid tags, for "did you mean" on an unknown one
_TAGS = sorted(
    _BLOCKS | _INNER | {"end" + b for b in _BLOCKS}
    | {"assign", "increment", "decrement", "cycle", "echo", "liquid", "include", "render"}
)
#: Gorgias writes filters as calls (``|datetime_format("L")``): Jinja, not Liquid
_CALL_FILTER = re.compile(r"\|\s*\w+\s*\(")
_MAX_ERRORS = 10


@dataclass
class LiquidResult:
    #: (start, end, message) of each part python-liquid cannot parse
    errors: list[tuple[int, int, str]]
    #: (start, end, path) of each variable the template reads from outside, or None if the
    #: text does not parse (callers fall back to reading outputs with a regex)
    variables: list[tuple[int, int, str]] | None


_RESULTS: weakref.WeakKeyDictionary[Document, dict[str, LiquidResult]] = (
    weakref.WeakKeyDictionary()
)


@lru_cache(maxsize=1)
def _environment():
    import liquid  # ~0.1 s: only macros with Liquid in them pay for it

    return liquid.Environment()


def liquid_source(doc: Document, vendor: str) -> str:
    """``doc.text`` with everything that is not Liquid blanked to spaces (same length).

    Blanked: quoted history, broken merge fields (``malformed``, reported on their own), Help
    Scout's ``{%customer.firstName,fallback=there%}`` and, unless the vendor is known to use
    Liquid, Gorgias-style outputs with call filters (``{{ x|datetime_format("L") }}``).
    """
    blank = [(z.start, z.end) for z in doc.zones if z.kind is ZoneKind.QUOTED]
    cat = catalogs().get(vendor)
    if cat is None:
        blank += foreign(doc)
    for p in doc.placeholders:
        text = doc.text[p.start : p.end]
        if p.syntax in ("malformed", "helpscout") or (
            cat is None and p.syntax == "liquid" and _CALL_FILTER.search(text)
        ):
            blank.append((p.start, p.end))
    return blanked(doc.text, blank)


_DELIMITER = re.compile(r"\{\{|\}\}|\{%|%\}")
_CLOSER = {"{{": "}}", "{%": "%}"}
_AFTER_OPENER = re.compile(r"-?(?<![ \t])[ \t]*[A-Za-z_][\w.\[\]-]{0,100}")  # not mid-run


def unclosed_openers(source: str) -> list[tuple[int, int]]:
    """``{{`` and ``{%`` with no closer before the next opener: one linear pass.

    python-liquid's lexer slows down quadratically on these, so they are taken out first.
    """
    found = []
    open_at, want = -1, ""
    for m in _DELIMITER.finditer(source):
        d = m.group()
        if d in _CLOSER:
            if open_at >= 0:
                found.append(open_at)
            open_at, want = m.start(), _CLOSER[d]
        elif open_at >= 0:
            if d != want:
                found.append(open_at)
            open_at = -1
    if open_at >= 0:
        found.append(open_at)
    spans = []
    for start in found:
        after = _AFTER_OPENER.match(source, start + 2)
        spans.append((start, after.end() if after else start + 2))
    return spans


def liquid_result(doc: Document, vendor: str) -> LiquidResult:
    """Parse errors and variables of a macro's Liquid (cached per document and vendor)."""
    per_doc = _RESULTS.setdefault(doc, {})
    if vendor not in per_doc:
        per_doc[vendor] = _analyse(liquid_source(doc, vendor))
    return per_doc[vendor]


#: a filter argument that names no variable: a quoted string or a number
_LITERAL_ARG = r"""(?:"[^"{}%\n]{0,100}"|'[^'{}%\n]{0,100}'|-?\d{1,10}(?:\.\d{1,10})?)"""
#: ``| fallback: "there"``, ``| upcase``: a filter whose arguments are all literals
_LITERAL_FILTER = (rf"\|[ \t]*[A-Za-z_][\w-]{{0,40}}[ \t]*"
                   rf"(?::[ \t]*{_LITERAL_ARG}[ \t]*(?:,[ \t]*{_LITERAL_ARG}[ \t]*){{0,4}})?")
#: ``{{ ticket.requester.first_name }}``, ``{{ ticket.requester.first_name | fallback: "there"
#: }}``: an output of one plain variable, through filters with literal arguments only
_SIMPLE_OUTPUT = re.compile(
    r"\{\{-?[ \t]*([A-Za-z_][\w-]{0,60}(?:\.[A-Za-z_][\w-]{0,60}){0,12})[ \t]*"
    rf"(?:{_LITERAL_FILTER}){{0,4}}-?\}}\}}")
_LIQUID_LITERALS = frozenset({"true", "false", "nil", "null", "empty", "blank"})


def _simple(source: str) -> LiquidResult | None:
    """The result for a template made only of outputs of plain variables (most macros),
    read without python-liquid; None for anything else."""
    if "{%" in source:
        return None
    found = list(_SIMPLE_OUTPUT.finditer(source))
    rest = _SIMPLE_OUTPUT.sub("", source)
    if "{{" in rest or "}}" in rest or "%}" in rest or any(
            m.group(1) in _LIQUID_LITERALS for m in found):
        return None
    return LiquidResult([], sorted({(m.start(1), m.end(1), m.group(1)) for m in found}))


def _analyse(source: str) -> LiquidResult:
    if "{{" not in source and "{%" not in source:
        return LiquidResult([], [])
    simple = _simple(source)
    if simple is not None:
        return simple
    from liquid.exceptions import LiquidError

    env = _environment()
    errors: list[tuple[int, int, str]] = []
    for start, end in unclosed_openers(source):
        opener = source[start : start + 2]
        errors.append((start, end, f"{source[start:end]!r}: {opener!r} is never closed with "
                                   f"{_CLOSER[opener]!r}"))
    text = blanked(source, [(start, end) for start, end, _ in errors])
    for _ in range(_MAX_ERRORS):
        try:
            template = env.from_string(text)
        except LiquidError as e:
            start, end, message, structural = _locate(env, text, e)
            errors.append((start, end, message))
            if structural or end <= start:
                break  # blanking a block tag would only make the next error up
            text = blanked(text, [(start, end)])
            continue
        if errors:
            return LiquidResult(errors, None)
        try:
            analysis = template.analyze(include_partials=False)
        except LiquidError:
            return LiquidResult([], None)
        variables = []
        for refs in analysis.globals.values():
            for var in refs:
                m = _PATH.match(text, var.span.index)
                if m:
                    variables.append((m.start(), m.end(), m.group()))
        return LiquidResult([], sorted(set(variables)))
    return LiquidResult(errors, None)


def _units(text: str) -> list[tuple[int, int, str | None]]:
    """Each output and tag: ``(start, end, tag name or None for an output)``."""
    out = []
    for m in _MARKUP.finditer(text):
        name = _TAG_NAME.match(m.group())
        out.append((m.start(), m.end(), name.group(1) if name else None))
    return out


def _locate(env: Any, text: str, error: Any) -> tuple[int, int, str, bool]:
    """Where a python-liquid error is in ``text``: ``(start, end, message, structural)``."""
    from liquid.exceptions import LiquidError

    message = str(error.message)
    units = _units(text)
    token = error.token
    index = token.start_index if token is not None and token.source == text else -1
    if index >= 0:
        for start, end, name in units:
            if start <= index < end:
                if name and message.startswith("unexpected tag") and name not in _TAGS:
                    import difflib

                    near = difflib.get_close_matches(name, _TAGS, n=1, cutoff=0.6)
                    message = f"unknown tag {name!r}" + (f" (did you mean {near[0]!r}?)"
                                                         if near else "")
                elif name and name.startswith("end") and message.startswith("unexpected tag"):
                    opened = _open_blocks(text, units, start)
                    if opened:
                        o_start, o_end, _ = opened[-1]
                        message += f": {text[o_start:o_end]!r} is still open"
                # a tag can open or close a block: what follows it is not worth reporting
                return start, end, _message(text[start:end], message), name is not None
        end = min(len(text), index + max(1, len(token.value or "")))
        return index, end, _message(text[index:end], message), False
    # No position (the parser ran off the end): parse each output and tag on its own.
    for start, end, name in units:
        piece = text[start:end]
        if name in _INNER or (name and name.startswith("end")):
            continue
        if name in _BLOCKS:
            piece += "{% end" + name + " %}"
        try:
            env.parse(piece)
        except LiquidError as e:
            return start, end, _message(text[start:end], str(e.message)), name in _BLOCKS
    # Each part parses alone: a block is left open.
    stack = _open_blocks(text, units, len(text))
    if stack:
        start, end, name = stack[-1]
        return start, end, (
            f"{text[start:end]!r} is never closed: add {{% end{name} %}} where it should end"
        ), True
    start, end = (units[0][0], units[0][1]) if units else (0, 0)
    return start, end, _message(text[start:end], message), True


def _open_blocks(
    text: str, units: list[tuple[int, int, str | None]], before: int
) -> list[tuple[int, int, str]]:
    """The block tags still open at offset ``before``, innermost last."""
    stack: list[tuple[int, int, str]] = []
    for start, end, name in units:
        if start >= before:
            break
        if stack and stack[-1][2] in ("raw", "comment"):
            if name == "end" + stack[-1][2]:
                stack.pop()
            continue
        if name in _BLOCKS:
            stack.append((start, end, name))
        elif name and name.startswith("end") and stack and stack[-1][2] == name[3:]:
            stack.pop()
    return stack


def _message(piece: str, reason: str) -> str:
    reason = reason.replace("end of expression", "the end of the tag").replace("dpipe", "'||'")
    return f"Liquid cannot parse {piece!r}: {reason}"


# -- variables read with a regex (Gorgias, Help Scout, Liquid that does not parse) -------------

_LOCAL_DECL = re.compile(
    r"\{%-?\s*(?:for|tablerow)\s+(\w+)\s+in\b|\{%-?\s*(?:assign|set|capture|increment|"
    r"decrement)\s+(\w+)"
)
_OUTPUT_START = re.compile(r"\{\{\{?-?\s*")
_LITERALS = {"true", "false", "nil", "null", "none", "empty", "blank", "forloop",
             "tablerowloop", "loop"}


def regex_variables(doc: Document) -> list[tuple[int, int, str]]:
    """The variable each ``{{ … }}`` output starts with, less loop variables and assigns."""
    local = {a or b for a, b in _LOCAL_DECL.findall(doc.text)}
    found = []
    for p in doc.placeholders:
        if p.syntax != "liquid" or not doc.text.startswith("{{", p.start):
            continue
        start = _OUTPUT_START.match(doc.text, p.start).end()  # type: ignore[union-attr]
        m = _PATH.match(doc.text, start, p.end)
        if m and m.group().split(".")[0].split("[")[0] not in local | _LITERALS:
            found.append((m.start(), m.end(), m.group()))
    return found


def helpscout_variables(doc: Document) -> list[tuple[int, int, str]]:
    found = []
    for p in doc.placeholders:
        if p.syntax == "helpscout":
            m = HELPSCOUT_TAG.fullmatch(doc.text, p.start, p.end)
            if m:
                found.append((m.start("name"), m.end("name"), m.group("name")))
    return found


# -- the macro rules ----------------------------------------------------------------------------


def _repair(kind: str, text: str, helpscout: bool) -> str:
    """The broken merge field written whole."""
    if kind == "one_close":
        return text + "}"
    if kind == "one_open":
        return "{" + text
    if kind == "no_open":
        return "{{" + text
    if kind == "unclosed":
        body = text.rstrip()
        return body + ("%}" if body.startswith("{%") else "}}")
    inner = text[2:-2]  # mixed
    return "{%" + inner + "%}" if helpscout and text.startswith("{%") else "{{" + inner + "}}"


@check("placeholders.malformed", "PLH002", Severity.ERROR, kinds=("macro",),
       options=[VENDOR_OPTION])
def malformed(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
    """A macro's merge field is broken: unbalanced braces, or Liquid that does not parse.

    ## What it does
    Flags merge fields with unbalanced delimiters (`{{ticket.id}`, `{ticket.id}}`,
    `{{ticket.id`, `{{ticket.id %}`), Liquid that the
    [python-liquid](https://github.com/jg-rp/liquid) parser rejects (an unknown tag, an
    `{% if %}` that is never closed, a filter without a name), and merge fields in another
    vendor's syntax (`{{…}}` in a Help Scout saved reply, `{%customer.firstName%}` in a Zendesk
    macro). Help Scout's `{%customer.firstName,fallback=there%}` is not Liquid and is not
    parsed as such. Drafts are left to `placeholders.unfilled`, which reports every
    placeholder in them, broken or not.

    A macro whose vendor is not declared may be written for any brace language (an issue
    tracker's saved reply, a forum template), so only what is its helpdesk's is reported:
    not other languages' syntax — GitHub Actions `${{ … }}`, Handlebars and Mustache
    (`{{#if}}`, `{{/if}}`, `{{> partial}}`), Go and Prometheus templates (`{{ .Title }}`,
    `{{ $labels.x }}`), and expression operators and calls (`{{ a || b }}`, `{{ f(x) }}`)
    unless a `{% … %}` tag says the macro is Liquid — and not a template quoted in Markdown
    code. With a declared vendor, every `{{ … }}` is the vendor's.

    ## Why is this bad?
    The helpdesk leaves a merge field it cannot read as it is, or refuses the whole macro: the
    customer gets "Hi {{ticket.requester.first_name}," or the agent gets an error in the middle
    of a reply.

    ## Example
    ```text
    Hi {{ticket.requester.first_name},

    {% if ticket.priority == "urgent" %}We are on it.
    ```

    ## Use instead
    ```text
    Hi {{ticket.requester.first_name}},

    {% if ticket.priority == "urgent" %}We are on it.{% endif %}
    ```
    """
    vendor = declared_vendor(doc, options)
    cat = catalogs().get(vendor)
    syntax = cat.syntax if cat else "liquid"
    others = foreign(doc) if cat is None else []
    for p in doc.placeholders:
        if _quoted(doc, p.start) or _in(others, p.start):
            continue
        text = doc.text[p.start : p.end]
        if p.syntax == "malformed":
            m = PATTERN.match(doc.text, p.start)
            kind = m.lastgroup if m and m.lastgroup in MALFORMED else "unclosed"
            fixed = _repair(kind, text, syntax == "helpscout")
            yield Hit(p.start, p.end, f"Merge field {text!r} {MALFORMED[kind]}: write {fixed!r}",
                      replacements=(fixed,))
        elif syntax == "helpscout" and p.syntax == "liquid":
            hint = "{%customer.firstName,fallback=there%}"
            if text.startswith("{%") and "." in text:
                message = f"{text!r} is not a Help Scout variable: write it like {hint}"
            else:
                message = (f"Help Scout does not fill in {text!r}: the customer sees it as "
                           f"written (Help Scout variables look like {hint})")
            yield Hit(p.start, p.end, message)
        elif cat is not None and syntax != "helpscout" and p.syntax == "helpscout":
            yield Hit(p.start, p.end, f"{text!r} is Help Scout syntax: {cat.label} leaves it "
                      f"as it is")
    if syntax == "liquid":
        for start, end, message in liquid_result(doc, vendor).errors:
            yield Hit(start, end, message)


@check("placeholders.unknown-variable", "PLH003", Severity.ERROR, kinds=("macro",),
       options=[
           VENDOR_OPTION,
           Option("extra_variables", list, [],
                  "fields your team added (`ticket.ticket_field_123` is known already): "
                  "full paths, or `prefix.*` for a whole namespace"),
       ])
def unknown_variable(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
    """A macro's merge field names a variable the vendor does not have.

    ## What it does
    Checks each variable a macro reads against the documented placeholders of its helpdesk
    (Zendesk, Help Scout, Gorgias, Intercom) and suggests the nearest known one:
    `{{ticket.requestor.name}}` in a Zendesk macro → `ticket.requester.name`. Loop variables
    and assigns (`{% for o in orders %}{{o.name}}`, `{% assign x = … %}`) are the macro's own,
    and custom-field namespaces (`ticket.ticket_field_<id>`, `custom_fields.*`, Gorgias
    `integrations.*`, Intercom `custom_attributes.*`) are open. The vendor comes from the
    export, the macro's front matter (`vendor: zendesk`) or the `vendor` option; with no
    vendor this rule does nothing rather than guess. The Intercom catalog is reported only for
    near misses of a known name, as its attribute names vary by workspace.

    ## Why is this bad?
    A helpdesk renders a variable it does not know as nothing: "Hi ," to every customer, with
    no error anywhere.

    ## Example
    ```text
    ---
    vendor: zendesk
    ---
    Hi {{ticket.requestor.first_name}},
    ```

    ## Use instead
    ```text
    ---
    vendor: zendesk
    ---
    Hi {{ticket.requester.first_name}},
    ```
    """
    vendor = declared_vendor(doc, options)
    cat = catalogs().get(vendor)
    if cat is None:
        return
    extra = extra_catalog(list(options.get("extra_variables") or []))
    if cat.syntax == "helpscout":
        refs = helpscout_variables(doc)
    else:
        refs = None
        if cat.syntax == "liquid":
            refs = liquid_result(doc, vendor).variables
        if refs is None:
            refs = regex_variables(doc)
    for start, end, path in refs:
        if _quoted(doc, start) or cat.has(path, extra):
            continue
        suggestion = cat.suggest(_norm(path))
        if not cat.strict and suggestion is None:
            continue
        message = f"{path!r} is not a placeholder {cat.label} knows"
        if suggestion:
            message += f": did you mean {suggestion!r}?"
        else:
            message += " (add it to extra_variables if your team created it)"
        yield Hit(start, end, message, replacements=(suggestion,) if suggestion else ())


_FILTER_FALLBACK = re.compile(
    r"\|\s*(?:fallback|default)\s*:\s*(?:(?P<q>[\"'])(?P<text>[^\"'\n]{0,100})(?P=q)|\w)"
)
_CONDITION = re.compile(r"\{%-?\s*(?:if|unless|elsif|case|when)\b[^%]{0,300}%\}")
_OUTPUT = re.compile(r"(\{\{-?)(\s*)([\s\S]*?)(\s*)(-?\}\})")


@check("placeholders.missing-fallback", "PLH004", Severity.WARNING, default_enabled=False,
       kinds=("macro",),
       options=[
           VENDOR_OPTION,
           Option("fallback", str, "there", "the word the suggested fallback uses"),
           Option("liquid_default", bool, False,
                  "also ask for `| default:` on Zendesk's requester name fields (off: "
                  "Zendesk never has a user without a name)"),
       ])
def missing_fallback(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
    """A macro greets the customer by a name field with no fallback for when it is empty.

    ## What it does
    Flags a customer's first or full name without a fallback where the helpdesk supports one:
    Help Scout `{%customer.firstName%}` without `,fallback=…`, Intercom `{{first_name}}`
    without `| fallback: "…"`, and (with `liquid_default = true`) Zendesk
    `{{ticket.requester.first_name}}` without `| default: "…"`. A name output inside
    `{% if %}` that tests it is fine. Gorgias is not checked: it documents no fallback syntax.

    ## Why is this bad?
    Customers who never gave a name get "Hi ," — the first line of the reply reads broken.

    ## Example
    ```text
    ---
    vendor: intercom
    ---
    Hi {{first_name}},
    ```

    ## Use instead
    ```text
    ---
    vendor: intercom
    ---
    Hi {{first_name | fallback: "there"}},
    ```
    """
    vendor = declared_vendor(doc, options)
    if not vendor and any(p.syntax == "helpscout" for p in doc.placeholders):
        vendor = "helpscout"  # the syntax is Help Scout's alone
    cat = catalogs().get(vendor)
    if cat is None or cat.fallback is None or not cat.names:
        return
    if cat.fallback == "liquid-default" and not options.get("liquid_default"):
        return
    word = str(options.get("fallback") or "there").replace('"', "")
    guarded = {_norm(m.group()) for c in _CONDITION.finditer(doc.text)
               for m in _PATH.finditer(c.group())}
    for p in doc.placeholders:
        if _quoted(doc, p.start):
            continue
        text = doc.text[p.start : p.end]
        if cat.fallback == "helpscout" and p.syntax == "helpscout":
            m = HELPSCOUT_TAG.fullmatch(text)
            if m is None or _norm(m.group("name")) not in cat.names:
                continue
            if not (m.group("fallback") or "").strip():
                fixed = f"{{%{m.group('name')},fallback={word}%}}"
                empty = m.group("fallback") is not None
                yield Hit(p.start, p.end, _no_fallback(text, empty, fixed), replacements=(fixed,))
        elif cat.fallback != "helpscout" and p.syntax == "liquid" and text.startswith("{{"):
            m = _OUTPUT.fullmatch(text)
            path = _PATH.match(m.group(3)) if m else None
            if m is None or path is None or _norm(path.group()) not in cat.names:
                continue
            if _norm(path.group()) in guarded:
                continue
            given = _FILTER_FALLBACK.search(m.group(3))
            if given and (given.group("q") is None or given.group("text").strip()):
                continue
            name = "fallback" if cat.fallback == "intercom" else "default"
            inner = m.group(3) if not given else m.group(3)[: given.start()].rstrip()
            fixed = f'{m.group(1)}{m.group(2)}{inner} | {name}: "{word}"{m.group(4)}{m.group(5)}'
            yield Hit(p.start, p.end, _no_fallback(text, given is not None, fixed),
                      replacements=(fixed,))


def _no_fallback(text: str, empty: bool, fixed: str) -> str:
    what = "an empty fallback" if empty else "no fallback"
    return f"{text!r} has {what} for customers without a name: write {fixed!r}"


@hookimpl
def register_checks(register, config):
    for c in (unfilled, malformed, unknown_variable, missing_fallback):
        register(c)
