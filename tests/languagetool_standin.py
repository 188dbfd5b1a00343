"""A STAND-IN for a LanguageTool server, for tests: a real HTTP server on 127.0.0.1.

It is not LanguageTool. It speaks the part of LanguageTool's HTTP API that replylint uses —
``GET /v2/languages`` and ``POST /v2/check`` (form fields ``language``, ``text``,
``disabledRules``, ``enabledRules``, ``disabledCategories``, …) answering with LanguageTool's
response shape (``matches[].offset/length/message/shortMessage/replacements[].value/context/
rule{id,issueType,category{id,name}}``, offsets in UTF-16 code units as Java counts them) —
so tests drive the real ``language_tool_python`` client against it. Its "grammar" is a handful
of deterministic rules named like LanguageTool's:

- ``MORFOLOGIK_RULE_<LANG>`` (TYPOS): a few misspellings ("teh" → "the") and any CamelCase
  word, the way LanguageTool flags product names it does not know;
- ``EN_A_VS_AN`` (GRAMMAR): "a" before a vowel;
- ``ENGLISH_WORD_REPEAT_RULE`` (MISC, issue type duplication): "the the";
- ``COMMA_PARENTHESIS_WHITESPACE`` and ``WHITESPACE_RULE`` (TYPOGRAPHY, whitespace);
- ``UPPERCASE_SENTENCE_START`` (CASING); ``YOUR_YOU_RE`` (CONFUSED_WORDS): "your welcome";
- ``TOO_LONG_SENTENCE`` (STYLE): over 40 words; ``STANDIN_NEW_CATEGORY``: "frobnicate", in
  a category replylint does not know.

Switches: ``check_mode``/``languages_mode`` (``ok``, ``error`` = HTTP 500, ``garbage`` = not
JSON, ``json-shape`` = JSON without ``matches``, ``rate-limit`` = HTTP 429, ``limit-403`` =
the 403 a self-hosted LanguageTool sends when its request limit is hit, ``slow`` = answer
after ``delay`` seconds), ``rate_limit_after`` (answer N checks, then 429), and a request log.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LANGUAGES = [
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
    {"name": "French", "code": "fr", "longCode": "fr"},
]
MISSPELLINGS = {
    "teh": ["the"], "recieve": ["receive"], "adress": ["address"], "thier": ["their"],
    "acount": ["account"], "pasword": ["password"], "definately": ["definitely"],
}
CATEGORY_NAMES = {
    "TYPOS": "Possible Typo", "GRAMMAR": "Grammar", "MISC": "Miscellaneous",
    "TYPOGRAPHY": "Typography", "CASING": "Capitalization", "STYLE": "Style",
    "CONFUSED_WORDS": "Commonly Confused Words", "NEW_CATEGORY": "A category from the future",
}


def utf16(text: str, i: int) -> int:
    """Java's offset (UTF-16 code units) of Python index ``i``."""
    return i + sum(1 for c in text[:i] if ord(c) > 0xFFFF)


def _match(text: str, start: int, end: int, rule: str, category: str, issue: str,
           message: str, short: str, replacements: list[str]) -> dict[str, Any]:
    c0 = max(0, start - 40)
    return {
        "message": message,
        "shortMessage": short,
        "replacements": [{"value": r} for r in replacements],
        "offset": utf16(text, start),
        "length": utf16(text, end) - utf16(text, start),
        "context": {"text": text[c0 : end + 40].replace("\n", " "),
                    "offset": start - c0, "length": end - start},
        "sentence": text[start:end],
        "type": {"typeName": "Other"},
        "rule": {"id": rule, "description": short, "issueType": issue,
                 "category": {"id": category, "name": CATEGORY_NAMES.get(category, category)}},
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def check_text(text: str, language: str) -> list[dict[str, Any]]:
    """The stand-in's matches for ``text``, before rule and category filters."""
    found = []
    speller = "MORFOLOGIK_RULE_" + language.upper().replace("-", "_")
    for m in re.finditer(r"[^\W\d_]+", text):
        word = m.group()
        if word.lower() in MISSPELLINGS or re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*", word):
            found.append(_match(text, m.start(), m.end(), speller, "TYPOS", "misspelling",
                                "Possible spelling mistake found.", "Spelling mistake",
                                MISSPELLINGS.get(word.lower(), [])))
    for m in re.finditer(r"\b[Aa](?= [aeiouAEIOU]\w)", text):
        found.append(_match(text, m.start(), m.end(), "EN_A_VS_AN", "GRAMMAR", "misspelling",
                            "Use “an” instead of ‘a’ if the following word starts with a "
                            "vowel sound.", "Wrong article", ["an" if m.group() == "a" else "An"]))
    for m in re.finditer(r"\b(\w+) (\1)\b", text, re.IGNORECASE):
        found.append(_match(text, m.start(), m.end(), "ENGLISH_WORD_REPEAT_RULE", "MISC",
                            "duplication", "Possible typo: you repeated a word.",
                            "Word repetition", [m.group(1)]))
    for m in re.finditer(r" +([,.;:!?])", text):
        found.append(_match(text, m.start(), m.end(), "COMMA_PARENTHESIS_WHITESPACE",
                            "TYPOGRAPHY", "whitespace",
                            "Don’t put a space before the full stop or comma.",
                            "Space before punctuation", [m.group(1)]))
    for m in re.finditer(r"(?<=\S) {2,}(?=\S)", text):
        found.append(_match(text, m.start(), m.end(), "WHITESPACE_RULE", "TYPOGRAPHY",
                            "whitespace", "Possible typo: you repeated a whitespace",
                            "Repeated whitespace", [" "]))
    for m in re.finditer(r"(?:\A|[.!?] +|\n\n)([a-z]\w*)", text):
        found.append(_match(text, m.start(1), m.end(1), "UPPERCASE_SENTENCE_START", "CASING",
                            "typographical", "This sentence does not start with an uppercase "
                            "letter.", "Capitalization", [m.group(1).capitalize()]))
    for m in re.finditer(r"\b[Yy]our welcome\b", text):
        found.append(_match(text, m.start(), m.start() + 4, "YOUR_YOU_RE", "CONFUSED_WORDS",
                            "grammar", "Did you mean “you're”?", "Confused word", ["You're"]))
    for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
        if len(m.group().split()) > 40:
            found.append(_match(text, m.start(), m.end(), "TOO_LONG_SENTENCE", "STYLE", "style",
                                "This sentence is over 40 words long.", "Long sentence", []))
    for m in re.finditer(r"\bfrobnicate\b", text):
        found.append(_match(text, m.start(), m.end(), "STANDIN_NEW_CATEGORY", "NEW_CATEGORY",
                            "uncategorized", "A rule from a newer LanguageTool.", "New", []))
    return sorted(found, key=lambda f: (f["offset"], f["rule"]["id"]))


class LanguageToolStandIn:
    """``with LanguageToolStandIn() as lt: ... lt.url ...``: a stand-in server on a free port."""

    def __init__(self) -> None:
        self.check_mode = "ok"
        self.languages_mode = "ok"
        self.delay = 10.0
        self.rate_limit_after: int | None = None
        self.log: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._answered_checks = 0
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: str, ctype: str = "application/json") -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _params(self) -> dict[str, str]:
                query = urllib.parse.urlsplit(self.path).query
                if self.command == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    query = self.rfile.read(length).decode("utf-8")
                return {k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}

            def _handle(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                params = self._params()
                with standin._lock:
                    standin.log.append({"method": self.command, "path": path,
                                        "params": params})
                if path == "/v2/languages":
                    mode = standin.languages_mode
                    if not standin._fail(self, mode):
                        self._send(200, json.dumps(LANGUAGES))
                elif path == "/v2/check":
                    mode = standin.check_mode
                    with standin._lock:
                        limit = standin.rate_limit_after
                        if limit is not None and standin._answered_checks >= limit:
                            mode = "rate-limit"
                    if not standin._fail(self, mode):
                        self._send(200, json.dumps(standin.answer(params)))
                        with standin._lock:
                            standin._answered_checks += 1
                elif path == "/v2/healthcheck":
                    self._send(200, "OK", "text/plain")
                else:
                    self._send(404, "Error: not found", "text/plain")

            do_GET = do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    # -- switches ---------------------------------------------------------------------------

    def _fail(self, handler: Any, mode: str) -> bool:
        """Answer as ``mode`` says when it is a failure; False for a normal answer."""
        if mode == "ok":
            return False
        if mode == "slow":
            self._release.wait(self.delay)
            return False
        if mode == "error":
            handler._send(500, "Error: Internal Error: java.lang.NullPointerException",
                          "text/plain")
        elif mode == "garbage":
            handler._send(200, "<html><body>Welcome to nginx!</body></html>", "text/html")
        elif mode == "json-shape":
            handler._send(200, json.dumps({"status": "ok", "results": []}))
        elif mode == "rate-limit":
            handler._send(429, "Error: Too many requests. Please try again later.",
                          "text/plain")
        elif mode == "limit-403":
            handler._send(403, "Error: Access from 127.0.0.1 denied: Client request limit "
                          "of 2 requests per 60 seconds exceeded", "text/plain")
        else:
            raise ValueError(f"unknown stand-in mode {mode!r}")
        return True

    def answer(self, params: dict[str, str]) -> dict[str, Any]:
        text, language = params.get("text", ""), params.get("language", "en-US")
        disabled = set(filter(None, params.get("disabledRules", "").split(",")))
        categories = set(filter(None, params.get("disabledCategories", "").split(",")))
        matches = [m for m in check_text(text, language)
                   if m["rule"]["id"] not in disabled
                   and m["rule"]["category"]["id"] not in categories]
        return {
            "software": {"name": "LanguageTool stand-in", "version": "0.0-standin",
                         "apiVersion": 1, "premium": False, "status": ""},
            "warnings": {"incompleteResults": False},
            "language": {"name": language, "code": language,
                         "detectedLanguage": {"name": language, "code": language}},
            "matches": matches,
        }

    # -- the log ----------------------------------------------------------------------------

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.log if path is None or r["path"] == path]

    @property
    def checks(self) -> list[dict[str, str]]:
        """The form of each ``/v2/check`` request, in order."""
        return [r["params"] for r in self.requests("/v2/check")]

    # -- life -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LanguageToolStandIn:
        self._thread.start()
        return self

    def close(self) -> None:
        self._release.set()  # let slow answers go
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LanguageToolStandIn:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()
