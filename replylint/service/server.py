"""The local HTTP service: ``POST /v1/lint`` answers the JSON contract (version 1).

For hosts that cannot run a command before a reply goes out: a Zendesk app's ``ticket.save``
handler, an Outlook Smart Alerts add-in, a Thunderbird ``onBeforeSend`` extension. It is the
standard library's ``ThreadingHTTPServer`` with a bounded number of connections, because the
work is CPU-bound Python (the GIL serialises it anyway) and a pre-send check sees one agent's
traffic, not the internet's.

Safety, in the order a request meets it:

* it binds to loopback unless told otherwise, and then refuses to start without a token;
* the ``Host`` header must name loopback when bound there (a DNS-rebinding page cannot use it);
* an ``Origin`` must be the page's own or one given with ``--allow-origin`` (never ``*``);
* ``Authorization: Bearer TOKEN`` is compared in constant time when a token is set;
* bodies over ``max_body`` bytes are refused before they are read (413);
* a request's ``config`` may select, ignore and tune rules and add glossary terms, but never
  load plugins (``plugins-dir`` runs code) or talk to a network (``languagetool``);
* nothing a customer or an agent wrote is logged unless ``--log-bodies`` asks for it.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import socket
import socketserver
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..channel import validate as validate_channel
from ..config import Config, ConfigError, parse_config
from ..engine import Linter
from ..model import InputError, Report, RunResult
from ..plugins import build_registry

log = logging.getLogger("replylint.service")

DEFAULT_PORT = 7337
DEFAULT_MAX_BODY = 256 * 1024
DEFAULT_MAX_CONFIG = 16 * 1024
MIN_TOKEN_LENGTH = 16
SOURCE = "<request>"

#: what a request may put in its ``config``
REQUEST_CONFIG_KEYS = ("select", "ignore", "rules", "fail-on", "glossary")
#: keys a request may not set, and why (the server's own config file can set them)
REFUSED_CONFIG_KEYS = {
    "plugins-dir": "loads and runs Python code from a folder; set it in the server's config",
    "languagetool": "sends the text to a LanguageTool server over the network; set it in "
                    "the server's config",
    "language": "is the LanguageTool language; set it in the server's config",
    "include": "chooses files by path, and a request has no path",
    "exclude": "chooses files by path, and a request has no path",
    "overrides": "chooses settings by path, and a request has no path",
    "kind": "is the request's own `kind` field",
    "channel": "is the request's own `channel` field",
}
REQUEST_FIELDS = ("text", "html", "kind", "channel", "context", "config")

STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/index.html": ("index.html", "text/html; charset=utf-8"),
          "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/static/app.css": ("app.css", "text/css; charset=utf-8")}
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class SettingsError(Exception):
    """The service cannot start with these settings (exit code 2)."""


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: str | None = None
    allow_origins: tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY
    max_config: int = DEFAULT_MAX_CONFIG
    #: Linters kept for distinct request configs (least recently used dropped first)
    cache_size: int = 16
    #: connections served at once; more wait in the listen queue
    max_connections: int = 32
    #: seconds a connection may sit idle (or dribble a request) between reads
    timeout: float = 15.0
    log_requests: bool = False
    log_bodies: bool = False


def is_loopback(host: str) -> bool:
    """``localhost`` or a literal loopback address (127.0.0.0/8, ::1); names are not resolved."""
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_origin(origin: str) -> str:
    """``scheme://host[:port]`` lower-cased, the default port dropped, as browsers send it."""
    value = origin.strip().rstrip("/")
    if value in ("*", "null"):
        raise SettingsError(
            f"--allow-origin {value!r} is refused: name each origin that may call the "
            "service, such as https://example.zendesk.com"
        )
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc or parts.path or parts.query or parts.fragment:
        raise SettingsError(
            f"--allow-origin {origin!r} is not an origin (scheme://host[:port], no path)"
        )
    if "*" in value or "@" in parts.netloc:
        raise SettingsError(f"--allow-origin {origin!r}: wildcards and user names are refused")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        raise SettingsError(f"--allow-origin {origin!r} has an invalid port") from None
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def check_settings(settings: Settings) -> Settings:
    """Refuse unsafe or meaningless settings before anything is bound; origins normalised."""
    token = settings.token
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise SettingsError(
            f"the token must be at least {MIN_TOKEN_LENGTH} characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(32))' makes one)"
        )
    if token is not None and not all(c.isascii() and c.isprintable() and not c.isspace()
                                     for c in token):
        raise SettingsError("the token must be printable ASCII without spaces")
    if not is_loopback(settings.host) and not settings.token:
        raise SettingsError(
            f"refusing to listen on {settings.host}, which is not a loopback address, without "
            "a token: give --token (or REPLYLINT_SERVICE_TOKEN), or keep --host 127.0.0.1"
        )
    if not 0 <= settings.port <= 65535:
        raise SettingsError(f"--port {settings.port} is not a TCP port")
    for name in ("max_body", "max_config", "cache_size", "max_connections"):
        if getattr(settings, name) < 1:
            raise SettingsError(f"{name.replace('_', '-')} must be at least 1")
    if settings.timeout <= 0:
        raise SettingsError("timeout must be positive")
    origins = tuple(dict.fromkeys(normalise_origin(o) for o in settings.allow_origins))
    return replace(settings, allow_origins=origins, log_requests=settings.log_requests
                   or settings.log_bodies)


# ----------------------------------------------------------------------------------------
# the work: requests in, JSON contract out


class RequestError(Exception):
    """A request the service refuses: the HTTP status, a code, a message and the field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out


def _short(name: str) -> str:
    """A name from the request, cut short for an error message."""
    return name if len(name) <= 60 else name[:57] + "..."


def _strings(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _type_name(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


class LintService:
    """Lints requests with the server's config, plus what each request may add to it.

    Linters are built once per distinct request config and kept in a bounded LRU cache; a
    Linter is safe to share between threads (its per-document state lives on the Document;
    the lexicon and textstat are behind locks).
    """

    def __init__(self, config: Config | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.base = Linter(config or Config(root=Path.cwd().resolve()))
        self._cache: OrderedDict[str, Linter] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def plugin_errors(self) -> list[str]:
        return [str(e) for e in self.base.registry.errors]

    def warm_up(self) -> None:
        """Load what the first lint would (word tables, models) before the first request."""
        self.lint({"text": "Hi Sam,\n\nThanks for writing in. I have refunded the order.\n\n"
                           "Best,\nAlex"})

    # -- the request's config --------------------------------------------------------------

    def linter_for(self, config: Mapping[str, Any] | None) -> Linter:
        if not config:
            return self.base
        key = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        linter = self._build(config)  # outside the lock: two threads may build one twice
        with self._lock:
            self._cache[key] = linter
            self._cache.move_to_end(key)
            while len(self._cache) > self.settings.cache_size:
                self._cache.popitem(last=False)
        return linter

    def cached_configs(self) -> int:
        with self._lock:
            return len(self._cache)

    def _build(self, table: Mapping[str, Any]) -> Linter:
        for key in table:
            if key in REFUSED_CONFIG_KEYS:
                raise RequestError(
                    422, "config_key_refused",
                    f"config: {key} cannot be set by a request: it {REFUSED_CONFIG_KEYS[key]}",
                    f"config.{key}",
                )
            if key not in REQUEST_CONFIG_KEYS:
                raise RequestError(
                    422, "invalid_config",
                    f"config: unknown key {_short(key)!r} (a request may set "
                    f"{', '.join(REQUEST_CONFIG_KEYS)})",
                    f"config.{_short(key)}",
                )
        base = self.base.config
        try:
            # validates types and values; plugins-dir is not read from it
            request = parse_config({**table, "plugins-dir": []}, None, base.root)
        except ConfigError as e:
            raise RequestError(422, "invalid_config", str(e), "config") from None
        rules = {k: dict(v) for k, v in base.rules.items()}
        for rule, settings in request.rules.items():
            rules[rule] = {**rules.get(rule, {}), **settings}
        raw = {**base.raw, "rules": rules}
        registry = self.base.registry
        if "glossary" in table:
            mine = base.raw.get("glossary", {})
            theirs = table["glossary"]
            raw["glossary"] = {
                "allow": [*_strings(mine.get("allow")), *_strings(theirs.get("allow"))],
                "replace": {**mine.get("replace", {}), **theirs.get("replace", {})},
            }
            # checks read the glossary when they register: a registry of their own, from the
            # server's plugin folders only (never the request's)
            try:
                registry = build_registry(base.plugins_dir, raw)
            except ConfigError as e:
                raise RequestError(422, "invalid_config", str(e), "config") from None
        merged = replace(
            base,
            select=request.select if "select" in table else base.select,
            ignore=base.ignore + request.ignore,
            fail_on=request.fail_on if "fail-on" in table else base.fail_on,
            rules=rules,
            raw=raw,
        )
        try:
            return Linter(merged, registry)
        except ConfigError as e:
            raise RequestError(422, "invalid_config", str(e), "config") from None

    # -- one request -----------------------------------------------------------------------

    def parse(self, body: bytes) -> dict[str, Any]:
        """The request's JSON object, or RequestError (400 not JSON, 422 wrong shape)."""
        try:
            value = json.loads(body)
        except (ValueError, RecursionError) as e:
            if isinstance(e, json.JSONDecodeError):
                reason = e.msg
            elif isinstance(e, RecursionError):
                reason = "nested too deeply"
            elif isinstance(e, UnicodeDecodeError):
                reason = "not UTF-8"
            else:
                reason = str(e)[:120]  # e.g. an integer with too many digits
            raise RequestError(400, "bad_json", f"the body is not valid JSON: {reason}") from None
        if not isinstance(value, dict):
            raise RequestError(422, "invalid_request",
                               f"the body must be a JSON object, not {_type_name(value)}", "")
        return value

    def validate(
        self, request: Mapping[str, Any]
    ) -> tuple[str, str, str, str | None, str | None, Any]:
        """(data, syntax, kind, channel, context, config) of a request, or RequestError 422."""
        for key in request:
            if key not in REQUEST_FIELDS:
                raise RequestError(422, "invalid_request",
                                   f"unknown field {_short(key)!r} "
                                   f"(fields: {', '.join(REQUEST_FIELDS)})", _short(key))
        for key in ("text", "html", "context"):
            value = request.get(key)
            if value is not None and not isinstance(value, str):
                raise RequestError(422, "invalid_request",
                                   f"{key} must be a string, not {_type_name(value)}", key)
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise RequestError(422, "invalid_request",
                                       f"{key} contains a lone surrogate (\\ud800-\\udfff)",
                                       key) from None
        if request.get("html") is not None:
            data, syntax = request["html"], "html"
        elif request.get("text") is not None:
            data, syntax = request["text"], "text"
        else:
            raise RequestError(422, "invalid_request", "text (or html) is required", "text")
        kind = request.get("kind", "draft")
        if kind not in ("draft", "macro"):
            shown = kind if isinstance(kind, str) else _type_name(kind)
            raise RequestError(422, "invalid_request",
                               f"unknown kind {shown!r}: expected draft or macro", "kind")
        channel = request.get("channel")
        try:
            validate_channel(channel, "channel")
        except ValueError as e:
            raise RequestError(422, "invalid_request", str(e), "channel") from None
        config = request.get("config")
        if config is not None:
            if not isinstance(config, dict):
                raise RequestError(422, "invalid_request",
                                   f"config must be an object, not {_type_name(config)}",
                                   "config")
            size = len(json.dumps(config, ensure_ascii=False).encode("utf-8"))
            if size > self.settings.max_config:
                raise RequestError(
                    422, "invalid_config",
                    f"config is too large ({size} bytes; at most {self.settings.max_config})",
                    "config",
                )
        return data, syntax, kind, channel, request.get("context"), config

    def lint(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON contract (version 1) for one request: one document, or an input error."""
        data, syntax, kind, channel, context, config = self.validate(request)
        linter = self.linter_for(config)
        result = RunResult(fail_on=linter.config.fail_on)
        try:
            docs = linter.read(SOURCE, data.encode("utf-8"), syntax)
        except InputError as e:
            result.errors.append(e)
        else:
            bom = 1 if data.startswith("\ufeff") else 0  # the reader drops it; offsets keep it
            for doc in docs:
                report = linter.lint_document(replace(
                    doc, kind=kind, context=context,
                    declared_channel=channel or doc.declared_channel))
                result.reports.append(_shift(report, bom) if bom else report)
        result.plugin_errors = [str(e) for e in linter.registry.errors]
        return result.to_json()


def _shift(report: Report, by: int) -> Report:
    """Offsets (and first-line columns) moved right by ``by`` characters."""
    report.findings = [
        replace(f, start=f.start + by, end=f.end + by,
                column=f.column + by if f.line == 1 else f.column,
                end_column=f.end_column + by if f.end_line == 1 else f.end_column)
        for f in report.findings
    ]
    return report


# ----------------------------------------------------------------------------------------
# HTTP


def _static(name: str) -> bytes:
    return resources.files("replylint.service").joinpath("static", name).read_bytes()


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    # headers and body are two writes: with Nagle on, the body waits ~40 ms for the
    # client's delayed ACK of the headers on every keep-alive request
    disable_nagle_algorithm = True
    server_version = f"replylint/{__version__}"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version  # not Python's version

    # -- plumbing --------------------------------------------------------------------------

    def setup(self) -> None:
        self.timeout = self.server.settings.timeout
        self._unread_body = False
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
            if self._unread_body:
                self._linger()
        finally:
            self.server.untrack(self.connection)

    def _linger(self) -> None:
        """After refusing a body we did not read, let the client finish sending it (briefly)
        before the socket closes: closing on unread data sends a reset, and the client could
        lose our answer (the 413) before it reads it."""
        conn = self.connection
        try:
            conn.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + 2.0
            budget = 4 * self.server.settings.max_body + (1 << 20)
            while budget > 0 and (left := deadline - time.monotonic()) > 0:
                conn.settimeout(left)
                chunk = conn.recv(65536)
                if not chunk:
                    break
                budget -= len(chunk)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the request line can carry a query string; we log our own line instead

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.settings.log_requests:
            log.debug("connection from %s: %s", self.client_address[0], format % args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """Errors the base class raises (bad request line, unknown method) as JSON too."""
        self._started = getattr(self, "_started", time.perf_counter())
        self.close_connection = True
        status = HTTPStatus(code)
        self._reply(code, {"error": status.phrase.lower().replace(" ", "_"),
                           "message": message or status.description}, cors=False)

    def _origin_ok(self) -> bool | None:
        """None without an Origin header; else whether that origin may call us."""
        origin = self.headers.get("Origin")
        if origin is None:
            return None
        try:
            origin = normalise_origin(origin)
        except SettingsError:
            return False
        if origin in self.server.settings.allow_origins:
            return True
        host = self.headers.get("Host")
        return host is not None and origin == f"http://{host.lower()}"  # our own page

    def _host_ok(self) -> bool:
        """When bound to loopback, the Host header must name loopback (DNS rebinding)."""
        if not self.server.loopback:
            return True
        host = self.headers.get("Host")
        if host is None:
            return True
        name = urlsplit(f"//{host}").hostname
        return name is not None and is_loopback(name)

    def _cors_headers(self) -> dict[str, str]:
        if self._origin_ok():
            return {"Access-Control-Allow-Origin": self.headers["Origin"], "Vary": "Origin"}
        return {"Vary": "Origin"} if self.server.settings.allow_origins else {}

    def _reply(self, status: int, payload: Any, *, headers: Mapping[str, str] | None = None,
               cors: bool = True, body: bytes | None = None,
               content_type: str = "application/json; charset=utf-8") -> None:
        if body is None:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if self.server.saturated:
            self.close_connection = True  # hand the slot to a connection that is waiting
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in {**(self._cors_headers() if cors else {}), **(headers or {})}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self._status = status
        self._log()

    def _log(self) -> None:
        if not self.server.settings.log_requests:
            return
        ms = (time.perf_counter() - getattr(self, "_started", time.perf_counter())) * 1000
        raw = getattr(self, "path", "") or ""
        path = urlsplit(raw).path[:200] if raw else "-"  # never the query string
        log.info("%s %s %d %.1fms", getattr(self, "command", None) or "-", path,
                 self._status, ms)

    def _error(self, err: RequestError, *, close: bool = False,
               headers: Mapping[str, str] | None = None) -> None:
        if close:
            self.close_connection = True
        self._reply(err.status, err.to_json(), headers=headers)

    # -- the gate every request passes -----------------------------------------------------

    def _gate(self) -> bool:
        """Host and Origin checks; False when a refusal was sent."""
        self._started = time.perf_counter()
        if not self._host_ok():
            self._error(RequestError(403, "forbidden_host",
                                     "the Host header must name this loopback service"),
                        close=True)
            return False
        if self._origin_ok() is False:
            self.server.refused_origin(self.headers["Origin"])
            self._error(RequestError(
                403, "origin_not_allowed",
                "this origin may not call the service (start it with --allow-origin ORIGIN)"),
                close=True)
            return False
        return True

    def _authorised(self, *, close: bool = False) -> bool:
        token = self.server.settings.token
        if not token:
            return True
        scheme, _, given = (self.headers.get("Authorization") or "").partition(" ")
        ok = scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8"))
        if not ok:
            self._error(RequestError(401, "unauthorized",
                                     "this service needs Authorization: Bearer TOKEN"),
                        close=close, headers={"WWW-Authenticate": 'Bearer realm="replylint"'})
        return ok

    def _path(self) -> str:
        return urlsplit(self.path).path

    # -- methods ---------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:  # noqa: N802
        if not self._gate():
            return
        path = self._path()
        if path not in ("/v1/lint", "/v1/health"):
            return self._error(RequestError(404, "not_found", f"no such endpoint: {path}"))
        headers = {"Allow": "POST, OPTIONS" if path == "/v1/lint" else "GET, OPTIONS"}
        if self._origin_ok():
            headers.update({
                "Access-Control-Allow-Methods": headers["Allow"],
                "Access-Control-Allow-Headers": "Authorization, Content-Type",
                "Access-Control-Max-Age": "600",
            })
            # Chrome's Private Network Access: a public page calling a loopback service
            if self.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
                headers["Access-Control-Allow-Private-Network"] = "true"
        self._reply(204, None, headers=headers, body=b"")

    def do_GET(self) -> None:  # noqa: N802
        if not self._gate():
            return
        path = self._path()
        if path == "/v1/health":
            return self._reply(200, {"status": "ok", "version": __version__,
                                     "token_required": bool(self.server.settings.token)})
        if path in STATIC:
            name, content_type = STATIC[path]
            return self._reply(200, None, body=self.server.static[name],
                               content_type=content_type,
                               headers={"Content-Security-Policy": PAGE_CSP,
                                        "Cache-Control": "no-cache",
                                        "X-Frame-Options": "DENY"})
        if path == "/v1/lint":
            return self._error(RequestError(405, "method_not_allowed", "use POST /v1/lint"),
                               headers={"Allow": "POST, OPTIONS"})
        self._error(RequestError(404, "not_found", f"no such page: {path}"))

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_POST(self) -> None:  # noqa: N802
        self._unread_body = True
        if not self._gate():
            return
        path = self._path()
        if path != "/v1/lint":
            self.close_connection = True  # the body is not read
            if path in STATIC or path == "/v1/health":
                return self._error(RequestError(405, "method_not_allowed", f"use GET {path}"),
                                   headers={"Allow": "GET"})
            return self._error(RequestError(404, "not_found", f"no such endpoint: {path}"))
        if not self._authorised(close=True):
            return
        body = self._read_body()
        if body is None:
            return
        self._lint(body)

    def _read_body(self) -> bytes | None:
        settings = self.server.settings
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            self._error(RequestError(415, "unsupported_media_type",
                                     "send the request as Content-Type: application/json"),
                        close=True)
            return None
        if self.headers.get("Transfer-Encoding"):
            self._error(RequestError(411, "length_required",
                                     "send a Content-Length (chunked bodies are not accepted)"),
                        close=True)
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            self._error(RequestError(411, "length_required", "send a Content-Length"),
                        close=True)
            return None
        if not length.isdigit():
            self._error(RequestError(400, "bad_request", "Content-Length is not a number"),
                        close=True)
            return None
        if int(length) > settings.max_body:
            self._error(RequestError(
                413, "body_too_large",
                f"the body is {int(length)} bytes; this service takes at most "
                f"{settings.max_body} (--max-body)"), close=True)
            return None
        body = self.rfile.read(int(length))
        self._unread_body = False
        if len(body) < int(length):
            self.close_connection = True
            return None  # the client went away mid-body: nobody to answer
        return body

    def _lint(self, body: bytes) -> None:
        service = self.server.service
        settings = self.server.settings
        try:
            request = service.parse(body)
            if settings.log_bodies:
                log.info("request body: %s", json.dumps(request, ensure_ascii=False))
            result = service.lint(request)
        except RequestError as e:
            return self._error(e)
        except Exception as e:  # a bug: say so without echoing what may be customer text
            frame = traceback.extract_tb(e.__traceback__)[-1]
            log.error("internal error on POST /v1/lint: %s at %s:%s", type(e).__name__,
                      frame.filename, frame.lineno)
            if settings.log_bodies:
                log.error("%s", "".join(traceback.format_exception(e)))
            return self._error(RequestError(500, "internal_error",
                                            "replylint failed on this request; the server log "
                                            "names the error"))
        if settings.log_bodies:
            log.info("response: %s", json.dumps(result, ensure_ascii=False))
        self._reply(200, result)


class Server(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` with a bound on connections and a clean, joined shutdown."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 64

    def __init__(self, settings: Settings, service: LintService) -> None:
        self.settings = settings
        self.service = service
        self.loopback = is_loopback(settings.host)
        self.static = {name: _static(name) for name, _ in STATIC.values()}
        self._slots = threading.BoundedSemaphore(settings.max_connections)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._refused: set[str] = set()
        self._closing = False
        self.active = 0
        infos = socket.getaddrinfo(settings.host.strip("[]"), settings.port,
                                   type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        self.address_family = infos[0][0]
        super().__init__(infos[0][4][:2], Handler)

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # no getfqdn(): no DNS lookup at start
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def url(self) -> str:
        host = self.server_name
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.server_port}/"

    # connections: at most max_connections served at once; the rest wait to be accepted

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()
        with self._open_lock:
            self.active += 1
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._release()

    def _release(self) -> None:
        with self._open_lock:
            self.active -= 1
        self._slots.release()

    @property
    def saturated(self) -> bool:
        """Every connection slot is taken: keep-alive would starve those still waiting."""
        return self.active >= self.settings.max_connections

    def track(self, conn: socket.socket) -> None:
        with self._open_lock:
            self._open.add(conn)
            if self._closing:
                _stop_reading(conn)

    def untrack(self, conn: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(conn)

    def shutdown(self) -> None:
        """Stop accepting, end idle keep-alive connections at once, let requests finish."""
        with self._open_lock:
            self._closing = True
            for conn in self._open:
                _stop_reading(conn)
        super().shutdown()

    def server_close(self) -> None:
        with self._open_lock:
            self._closing = True
            for conn in self._open:
                _stop_reading(conn)
        super().server_close()  # joins the connection threads

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            log.error("connection error: %s", type(exc).__name__)

    def refused_origin(self, origin: str) -> None:
        """Say once per origin that it was refused: how an admin finds the origin to allow."""
        origin = origin[:200].encode("ascii", "backslashreplace").decode("ascii")
        origin = "".join(c if c.isprintable() else "?" for c in origin)
        with self._open_lock:
            if origin in self._refused or len(self._refused) >= 100:
                return
            self._refused.add(origin)
        log.warning("refused a request from origin %s (allow it with --allow-origin %s)",
                    origin, origin)


def _stop_reading(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RD)  # a blocked read returns end-of-file; writes still work
    except OSError:
        pass


def make_server(settings: Settings, config: Config | None = None, *,
                warm: bool = True) -> Server:
    """A bound (not yet serving) server; SettingsError or OSError when it cannot be."""
    settings = check_settings(settings)
    service = LintService(config, settings)
    if warm:
        service.warm_up()
    return Server(settings, service)


@contextmanager
def running(settings: Settings | None = None, config: Config | None = None, *,
            warm: bool = True) -> Iterator[Server]:
    """A server answering on a thread for the ``with`` block, shut down and joined after."""
    server = make_server(settings or Settings(port=0), config, warm=warm)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="replylint-service", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
