"""The client side of the ``grammar`` family: settings, requests to LanguageTool, the cache.

LanguageTool is reached through ``language-tool-python`` in one of three ways, chosen by
``[tool.replylint.languagetool] server`` (or ``--languagetool``):

- a URL: a LanguageTool HTTP server the team runs (a container, a shared host, a laptop
  service). The recommended set-up, and the only sensible one for a pre-send hook;
- ``"local"``: ``language-tool-python`` downloads LanguageTool (internet, first use only) and
  starts it with Java 17+ for the run: seconds per run, fine for CI, slow for a pre-send hook;
- ``"public"``: LanguageTool's public API. The text leaves the machine for a third party, so
  it is used only when named explicitly, and a finding says so.

Nothing here is imported by replylint unless a server is configured, and
``language_tool_python`` (~0.17 s to import) only when a text is not in the cache.

Every network step is bounded: a TCP probe before the first request (so a dead server costs
a refused connection, not an import), ``connect_timeout``/``read_timeout`` handed to
``requests`` through the client, one try instead of the client's two, and a wall-clock
deadline around each call as a backstop (DNS lookups and trickling answers are not covered by
socket timeouts). A failure is remembered: the rest of the run does not wait on the server
again (a long-lived process retries after ``RETRY_AFTER`` seconds).

Results are cached on disk (``<cache dir>/languagetool``) by the sent text, the language, the
rule settings, the server and the client version, so a re-run over unchanged texts sends
nothing and imports nothing. Only what findings need is stored: offsets, messages,
replacements and rule ids, never the text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .config import ConfigError

#: bump when the cached value's shape changes
SCHEMA = 1
#: seconds a long-lived process waits before trying a failed server again
RETRY_AFTER = 30.0
#: the most replacements a finding carries (LanguageTool can offer twenty)
MAX_REPLACEMENTS = 5
#: read timeout of the first check of a local server, which loads the language's rules then
LOCAL_WARM_UP = 30.0

WHERE = "[tool.replylint.languagetool]"
PUBLIC_HOSTS = ("languagetool.org",)

#: LanguageTool rules always disabled, with the reason. The first group duplicates rules of
#: replylint's own (so a problem is reported once, by the rule that knows email); the second
#: are artefacts of how email text reaches LanguageTool.
DISABLED_RULES: dict[str, str] = {
    "TOO_LONG_SENTENCE": "readability.long-sentence (RDB002) judges sentence length",
    "TOO_LONG_PARAGRAPH": "readability.long-paragraph (RDB003) judges paragraph length",
    "PASSIVE_VOICE": "readability.passive-voice (RDB006), off by default on purpose",
    "EN_PLAIN_ENGLISH_REPLACE": "readability.wordy-phrase (RDB005) has the plain wordings",
    "EN_REDUNDANCY_REPLACE": "readability.wordy-phrase (RDB005) covers redundant phrases",
    "READABILITY_RULE_SIMPLE": "readability.grade (RDB001) scores reading level",
    "READABILITY_RULE_DIFFICULT": "readability.grade (RDB001) scores reading level",
    "WHITESPACE_RULE": "runs of spaces come from HTML layout, hard wraps and removed quotes",
    "EN_QUOTES": "straight quotes are normal in plain-text email",
    "PUNCTUATION_PARAGRAPH_END": "greeting and sign-off lines end without a full stop",
}

KEYS = {
    "server", "language", "connect_timeout", "read_timeout", "disabled_rules",
    "enabled_rules", "disabled_categories", "words", "cache",
}
LANGUAGE = re.compile(r"(?:auto|[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3})")
RULE_ID = re.compile(r"[A-Za-z0-9_]{1,100}")

T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# settings


@dataclass(frozen=True)
class Settings:
    """The validated ``[tool.replylint.languagetool]`` table."""

    #: a normalised base URL, "local", "public", "off", or None (not configured)
    server: str | None = None
    language: str = "en-US"
    connect_timeout: float = 1.0
    read_timeout: float = 5.0
    disabled_rules: tuple[str, ...] = ()
    enabled_rules: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()
    #: team vocabulary beyond the glossary: never a typo
    words: tuple[str, ...] = ()
    cache: bool = True

    @property
    def kind(self) -> str | None:
        """``remote``, ``local``, ``public``, or None when grammar is not checked."""
        if self.server in (None, "off"):
            return None
        if self.server in ("local", "public"):
            return self.server
        host = urllib.parse.urlsplit(self.server).hostname or ""
        if any(host == h or host.endswith("." + h) for h in PUBLIC_HOSTS):
            return "public"
        return "remote"

    @property
    def where(self) -> str:
        """How messages name the server."""
        if self.server == "local":
            return "the local LanguageTool server"
        if self.server == "public":
            return "LanguageTool's public API"
        return f"the LanguageTool server at {self.server}"

    def all_disabled_rules(self) -> tuple[str, ...]:
        return tuple(sorted(set(DISABLED_RULES) | set(self.disabled_rules)))


def _number(key: str, value: Any, default: float, most: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= most:
        raise ConfigError(
            f"{WHERE} {key} must be a number of seconds above 0 and at most {most:g}, "
            f"got {value!r}"
        )
    return float(value)


def _names(key: str, value: Any, pattern: re.Pattern[str] | None = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{WHERE} {key} must be a list of strings, got {value!r}")
    if pattern is not None:
        bad = [v for v in value if not pattern.fullmatch(v.strip())]
        if bad:
            raise ConfigError(f"{WHERE} {key}: not a LanguageTool id: {bad[0]!r}")
    return tuple(v.strip() for v in value)


def normalise_server(value: Any) -> str | None:
    """``"local"``, ``"public"``, ``"off"``, or a base URL ending in ``/`` without ``v2/``."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{WHERE} server must be a URL, \"local\", \"public\" or \"off\", "
                          f"got {value!r}")
    value = value.strip()
    if value.lower() in ("local", "public", "off"):
        return value.lower()
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{WHERE} server must be an http(s) URL such as http://127.0.0.1:8081, or "
            f"\"local\", \"public\" or \"off\", got {value!r}"
        )
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise ConfigError(f"{WHERE} server has an invalid port: {value!r}") from None
    path = parts.path.rstrip("/")
    if path.endswith("/v2"):
        path = path[: -len("/v2")]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def settings_from_config(config: Mapping[str, Any]) -> Settings:
    """Settings from the raw ``[tool.replylint]`` table; ConfigError names a bad key."""
    raw = config.get("languagetool", {})
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{WHERE} must be a table (server = URL, \"local\" or \"public\")")
    table: dict[str, Any] = {}
    for key, value in raw.items():
        name = str(key).replace("-", "_")
        if name in table:
            raise ConfigError(f"{WHERE} {key} is given twice (with - and with _)")
        table[name] = value
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(f"{WHERE} unknown key(s) {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(KEYS))})")
    language = table.get("language", config.get("language", "en-US"))
    if not isinstance(language, str) or not LANGUAGE.fullmatch(language):
        raise ConfigError(f"{WHERE} language must be a code such as en-US, got {language!r}")
    cache = table.get("cache", True)
    if not isinstance(cache, bool):
        raise ConfigError(f"{WHERE} cache must be true or false, got {cache!r}")
    return Settings(
        server=normalise_server(table.get("server")),
        language=language.replace("_", "-"),
        connect_timeout=_number("connect_timeout", table.get("connect_timeout"), 1.0, 60),
        read_timeout=_number("read_timeout", table.get("read_timeout"), 5.0, 600),
        disabled_rules=_names("disabled_rules", table.get("disabled_rules"), RULE_ID),
        enabled_rules=_names("enabled_rules", table.get("enabled_rules"), RULE_ID),
        disabled_categories=_names(
            "disabled_categories", table.get("disabled_categories"), RULE_ID
        ),
        words=_names("words", table.get("words")),
        cache=cache,
    )


def document_language(value: Any, default: str) -> str:
    """A document's own language (front matter ``language:``) if it is a usable code."""
    if isinstance(value, str) and LANGUAGE.fullmatch(value.strip()):
        return value.strip().replace("_", "-")
    return default


# --------------------------------------------------------------------------------------------
# the disk cache


def cache_root() -> Path:
    from .cachedir import cache_dir

    return cache_dir() / "languagetool"


class DiskCache:
    """One small JSON file per key; written to a temporary file and renamed into place, so
    concurrent runs (pre-commit splits files across processes) never see half a file."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or cache_root()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[dict[str, Any]] | None:
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            return None
        matches = data.get("matches")
        return matches if isinstance(matches, list) else None

    def put(self, key: str, matches: list[dict[str, Any]]) -> None:
        from .cachedir import write_atomic

        data = json.dumps({"schema": SCHEMA, "matches": matches}, ensure_ascii=False)
        write_atomic(self.path(key), data.encode("utf-8"))


def client_version() -> str:
    from .distributions import version

    try:
        return version("language-tool-python")
    except LookupError:
        return "missing"


def cache_key(text: str, language: str, settings: Settings, version: str) -> str:
    server = settings.server if settings.kind == "remote" else settings.kind
    payload = json.dumps(
        [SCHEMA, version, server, language, settings.all_disabled_rules(),
         sorted(settings.enabled_rules), sorted(settings.disabled_categories), text],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# failures


class Unavailable(Exception):
    """LanguageTool could not check a text; ``reason`` says why in a user's words.

    ``scope`` is ``run`` when the server is the problem (later texts are not sent) or
    ``document`` when only this text is (an unsupported language, a text too long).
    """

    def __init__(self, reason: str, scope: str = "run") -> None:
        super().__init__(reason)
        self.reason = reason
        self.scope = scope


class Deadline(Exception):
    """A call did not finish within its wall-clock budget."""


def bounded(fn: Callable[[], T], seconds: float) -> T:
    """``fn()`` in a daemon thread; raise Deadline if it has not returned after ``seconds``.

    The thread is abandoned, not killed: it ends when its socket times out, and being a
    daemon it never holds up the process's exit.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the caller
            box["error"] = e
        finally:
            done.set()

    threading.Thread(target=run, name="replylint-languagetool", daemon=True).start()
    if not done.wait(seconds):
        raise Deadline(f"no answer within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


_RATE = re.compile(r"too many requests|request limit|rate limit|requests per", re.IGNORECASE)
_TOO_LONG = re.compile(r"exceeds the limit|text too long|too long", re.IGNORECASE)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return seen


def _snippet(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain(exc: BaseException, settings: Settings, stage: str = "check") -> Unavailable:
    """Turn whatever the client raised into a reason a person can act on."""
    where = settings.where
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain)
    if isinstance(exc, Unavailable):
        return exc
    if isinstance(exc, Deadline):
        total = settings.connect_timeout + settings.read_timeout
        return Unavailable(f"{where} did not answer within {total:g} s")
    if settings.kind == "local" and stage == "connect":
        if "ModuleNotFoundError" in names or "JavaError" in names:
            return Unavailable("local mode needs Java 17 or later, and no `java` was found on "
                               "PATH; install Java or point `server` at a LanguageTool server")
        if "SystemError" in names or "SystemExit" in names:
            return Unavailable(f"local mode needs Java 17 or later: {_snippet(text)}")
        if "ServerError" in names:
            return Unavailable(f"the local LanguageTool server did not start: {_snippet(text)}")
        if {"ConnectionError", "Timeout", "TimeoutError", "PathError"} & names:
            return Unavailable(
                "local mode could not download LanguageTool (it needs internet on first use; "
                f"or run a server and set `server` to its URL): {_snippet(text)}"
            )
    if "ConnectTimeout" in names:
        return Unavailable(f"could not connect to {where} within {settings.connect_timeout:g} s")
    if "ReadTimeout" in names or "timeout" in names:
        return Unavailable(f"{where} did not answer within {settings.read_timeout:g} s")
    if "ConnectionRefusedError" in names or "Connection refused" in text:
        return Unavailable(f"{where} refused the connection (is it running?)")
    if "gaierror" in names or "NameResolutionError" in names or "Failed to resolve" in text:
        return Unavailable(f"cannot resolve the host of {where} (offline, or a typo in `server`?)")
    if "RateLimitError" in names or _RATE.search(text):
        return Unavailable(f"{where} is limiting the rate of requests ({_snippet(str(exc), 90)}); "
                           "try again later, or run your own server")
    if "ValueError" in names and "language" in text:
        return Unavailable(f"{where} does not support this language ({_snippet(str(exc))})",
                           "document")
    if "LanguageToolError" in names and _TOO_LONG.search(str(exc)):
        return Unavailable(f"{where} refused this text as too long ({_snippet(str(exc))})",
                           "document")
    if {"ConnectionError", "ConnectionResetError", "OSError", "RemoteDisconnected"} & names:
        return Unavailable(f"cannot reach {where}: {_snippet(text)}")
    if "LanguageToolError" in names:
        return Unavailable(f"{where} answered with an error or with something that is not "
                           f"LanguageTool's JSON: {_snippet(str(exc))!r}")
    if {"KeyError", "TypeError", "AttributeError", "IndexError"} & names:
        return Unavailable(f"{where} answered with JSON that is not a LanguageTool result "
                           f"({type(exc).__name__}: {_snippet(str(exc), 60)})")
    return Unavailable(f"{where} failed: {type(exc).__name__}: {_snippet(str(exc))}")


# --------------------------------------------------------------------------------------------
# the client


def _utf16_end(text: str, start: int, units: int) -> int:
    """The Python index ``units`` UTF-16 code units after ``start`` (Java counts in those)."""
    i = start
    while units > 0 and i < len(text):
        units -= 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def _normalise(match: Any, text: str) -> dict[str, Any]:
    """What findings need from a ``language_tool_python.Match``; never the context text."""
    start = int(match.offset)  # the client already turned Java's offset into Python's
    end = _utf16_end(text, start, int(match.error_length))
    return {
        "offset": start,
        "length": end - start,
        "message": str(match.message),
        "shortMessage": str(getattr(match, "shortMessage", "") or ""),
        "replacements": [str(r) for r in list(match.replacements)[:MAX_REPLACEMENTS]],
        "rule": str(match.rule_id),
        "category": str(match.category),
        "issueType": str(match.rule_issue_type),
    }


_CLASSES: dict[str, Any] = {}


def _client_class(public: bool) -> Any:
    """``language_tool_python``'s client with our timeouts and a single try per request."""
    key = "public" if public else "server"
    if key not in _CLASSES:
        import language_tool_python as ltp

        base = ltp.LanguageToolPublicAPI if public else ltp.LanguageTool

        class Bounded(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, timeout: Any = 300, **kwargs: Any) -> None:
                self._TIMEOUT = timeout  # (connect, read), handed to requests as is
                super().__init__(*args, **kwargs)

            def _query_server(self, url: str, params: Any = None, num_tries: int = 1,
                              method: Any = "get") -> Any:
                return super()._query_server(url, params, num_tries=1, method=method)

        _CLASSES[key] = Bounded
    return _CLASSES[key]


class Client:
    """Checks texts with the configured LanguageTool; remembers results and failures.

    ``check`` returns normalised matches (Python offsets into the text given) or raises
    Unavailable. After a run-scoped failure it raises at once, without touching the network,
    until ``RETRY_AFTER`` seconds have passed.
    """

    def __init__(self, settings: Settings, disk: DiskCache | None = None) -> None:
        self.settings = settings
        self.disk = disk if disk is not None else (DiskCache() if settings.cache else None)
        self.memory: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self.failure: Unavailable | None = None
        self.failed_at = 0.0
        self.requests = 0  # /v2/check requests sent by this client
        self.successes = 0  # and answered
        self.sent_to_public = False
        self._lt: Any = None
        self._language: str | None = None
        self._version: str | None = None

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = client_version()
        return self._version

    def key(self, text: str, language: str) -> str:
        return cache_key(text, language, self.settings, self.version)

    def cached(self, key: str) -> list[dict[str, Any]] | None:
        if key in self.memory:
            self.memory.move_to_end(key)
            return self.memory[key]
        found = self.disk.get(key) if self.disk else None
        if found is not None:
            self._remember(key, found)
        return found

    def _remember(self, key: str, matches: list[dict[str, Any]]) -> None:
        self.memory[key] = matches
        if len(self.memory) > 512:
            self.memory.popitem(last=False)

    def check(self, text: str, language: str) -> list[dict[str, Any]]:
        key = self.key(text, language)
        found = self.cached(key)
        if found is not None:
            return found
        if self.failure is not None:
            if time.monotonic() - self.failed_at < RETRY_AFTER:
                raise self.failure
        try:
            matches = self._request(text, language)
        except Unavailable as e:
            if e.scope == "run":
                self.failure, self.failed_at = e, time.monotonic()
            raise
        self.failure = None
        self.successes += 1
        self._remember(key, matches)
        if self.disk:
            self.disk.put(key, matches)
        return matches

    # -- the network -----------------------------------------------------------------------

    def _deadline(self) -> float:
        # a backstop behind requests' own timeouts, which fire first with a precise reason
        return self.settings.connect_timeout + self.settings.read_timeout + 0.5

    def _probe(self) -> None:
        """A TCP connection to the server before importing anything: a dead server costs a
        refused connection. Skipped when a proxy would carry the requests."""
        parts = urllib.parse.urlsplit(
            self.settings.server if self.settings.server != "public"
            else "https://languagetool.org/"
        )
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if any(k.lower().endswith("_proxy") for k in os.environ):
            from urllib.request import (  # ~20 ms: only with proxies
                getproxies,
                proxy_bypass,
            )

            if getproxies().get(parts.scheme) and not proxy_bypass(host):
                return

        def connect() -> None:
            socket.create_connection((host, port), timeout=self.settings.connect_timeout).close()

        where, seconds = self.settings.where, self.settings.connect_timeout
        try:
            bounded(connect, seconds + 0.5)
        except ConnectionRefusedError:
            raise Unavailable(f"{where} refused the connection (is it running?)") from None
        except (TimeoutError, Deadline):
            raise Unavailable(f"could not connect to {where} within {seconds:g} s") from None
        except socket.gaierror:
            raise Unavailable(
                f"cannot resolve the host of {where} (offline, or a typo in `server`?)"
            ) from None
        except OSError as e:
            raise Unavailable(f"cannot reach {where}: {_snippet(str(e))}") from None

    def _connect(self) -> Any:
        s = self.settings
        timeout = (s.connect_timeout, s.read_timeout)
        try:
            if s.kind in ("remote", "public"):
                self._probe()
            if s.kind == "local":
                # downloads (first use) and starts a JVM: bounded by the client's own timeouts
                # (60 s per download read, 15 s for the server to come up), not by ours
                lt = _client_class(False)(s.language, timeout=timeout)
            else:
                cls = _client_class(s.kind == "public")
                kwargs = {} if s.server == "public" else {"remote_server": s.server}
                lt = bounded(lambda: cls(s.language, timeout=timeout, **kwargs),
                             self._deadline())
        except (Exception, SystemExit) as e:  # the client raises SystemExit on odd Java
            reason = explain(e, s, "connect")
            raise Unavailable(reason.reason) from e  # whatever it is, it stops every text
        self._language = s.language
        lt.disabled_rules = set(s.all_disabled_rules())
        lt.enabled_rules = set(s.enabled_rules)
        lt.disabled_categories = set(s.disabled_categories)
        return lt

    def _request(self, text: str, language: str) -> list[dict[str, Any]]:
        if self._lt is None:
            self._lt = self._connect()
        lt = self._lt
        try:
            from language_tool_python import LanguageTag

            if language != self._language:
                # the client's own setter asks the server for its languages again and forgets
                # the disabled rules; the list it fetched at start-up is enough
                lt._language = LanguageTag(language, lt.language.languages)
                self._language = language
            self.requests += 1
            if self.settings.kind == "public":
                self.sent_to_public = True
            deadline = self._deadline()
            if self.settings.kind == "local":
                # a server started for this run loads a language's rules on its first check
                read = self.settings.read_timeout if self.successes else LOCAL_WARM_UP
                lt._TIMEOUT = (self.settings.connect_timeout, max(read, self.settings.read_timeout))
                deadline = self.settings.connect_timeout + lt._TIMEOUT[1] + 0.5
            raw = bounded(lambda: lt.check(text), deadline)
        except (Exception, SystemExit) as e:
            raise explain(e, self.settings) from e
        return [_normalise(m, text) for m in raw]
