"""The local HTTP service (`replylint serve`): contract, limits, auth, CORS, logging, threads.

Every server here listens on a random free loopback port, is shut down and joined at the end
of its test (the `no_leftover_threads` fixture checks), and is never bound elsewhere: the
refusal to start off loopback without a token is tested on the settings, before any bind.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import replylint
from replylint.config import Config
from replylint.service.server import (
    REFUSED_CONFIG_KEYS,
    LintService,
    Settings,
    SettingsError,
    check_settings,
    is_loopback,
    normalise_origin,
    running,
)

ROOT = Path(__file__).resolve().parents[1]
DRAFT = "Hi [Customer Name],\n\nUnfortunately we can't refund the order.\n\nThanks,\nAlex"
TOKEN = "s3cret-token-for-tests-0123456789"
ORIGIN = "https://acme.zendesk.example"
REPLYLINT_ENV = "REPLYLINT_SERVICE_TOKEN"


@pytest.fixture(autouse=True)
def no_leftover_threads():
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
        if not left:
            return
        time.sleep(0.05)
    pytest.fail(f"threads left running: {left}")


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    """Defaults, no plugin folders: what a bare `replylint serve` lints with."""
    return Config(root=tmp_path_factory.mktemp("service-root"))


@pytest.fixture
def server(config):
    with running(Settings(port=0), config) as srv:
        yield srv


def call(srv, method, path, body=None, headers=None, raw=False):
    """One request on a new connection: (status, lower-cased headers, JSON or bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_port, timeout=30)
    try:
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
        hdrs = {"Content-Type": "application/json"} if body is not None else {}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        heads = {k.lower(): v for k, v in resp.getheaders()}
        if not raw and heads.get("content-type", "").startswith("application/json") and data:
            return resp.status, heads, json.loads(data)
        return resp.status, heads, data
    finally:
        conn.close()


def lint(srv, payload, headers=None):
    return call(srv, "POST", "/v1/lint", payload, headers)


def finding(report, code):
    found = [f for d in report["documents"] for f in d["findings"] if f["code"] == code]
    assert found, f"no {code} in {report}"
    return found[0]


# -- the contract -------------------------------------------------------------------------


def test_text_answers_the_json_contract_with_offsets_into_the_text(server):
    status, headers, report = lint(server, {"text": DRAFT})
    assert status == 200
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert report["version"] == 1
    assert set(report) == {"version", "documents", "errors", "summary"}
    (doc,) = report["documents"]
    assert doc["kind"] == "draft" and doc["source"] == "<request>"
    keys = {"rule", "code", "severity", "message", "line", "column", "end_line", "end_column",
            "start", "end", "match", "replacements", "url"}
    for f in doc["findings"]:
        assert set(f) == keys
        assert DRAFT[f["start"]:f["end"]] == f["match"]
    plh = finding(report, "PLH001")
    assert (plh["line"], plh["column"], plh["match"]) == (1, 4, "[Customer Name]")
    assert plh["severity"] == "error"
    assert plh["url"].endswith("docs/rules/placeholders/unfilled.md")
    assert report["summary"]["exit_code"] == 1
    assert report["summary"]["by_severity"]["error"] >= 1
    # the same answer as the Python API
    api = replylint.lint(DRAFT, config=Config(root=Path.cwd()))
    assert [f["code"] for f in doc["findings"]] == [f.code for f in api.findings]
    assert [f["start"] for f in doc["findings"]] == [f.start for f in api.findings]


def test_offsets_are_into_the_text_as_sent(server):
    """CRLF newlines, an emoji (one code point, two UTF-16 units) and a BOM all count."""
    for text in (DRAFT.replace("\n", "\r\n"), "😀 " + DRAFT, "\ufeff" + DRAFT):
        status, _, report = lint(server, {"text": text, "config": {"select": ["strict"]}})
        assert status == 200
        plh = finding(report, "PLH001")
        assert text[plh["start"]:plh["end"]] == "[Customer Name]", text[:5]
        assert plh["line"] == 1
        later = [f for d in report["documents"] for f in d["findings"] if f["line"] == 3]
        assert later, report
        for f in later:
            assert text[f["start"]:f["end"]] == f["match"]


def test_html_spans_point_into_the_html(server):
    html = ("<div dir='ltr'><p>Hi <b>[Customer Name]</b>,</p>\n"
            "<p>Unfortunately we can&#39;t refund the order.</p>\n<p>Thanks,<br>Alex</p></div>")
    status, _, report = lint(server, {"html": html, "text": "ignored when html is given",
                                      "config": {"select": ["strict"]}})  # TON001 is off by default
    assert status == 200
    plh = finding(report, "PLH001")
    assert html[plh["start"]:plh["end"]] == "[Customer Name]"
    refusal = [f for d in report["documents"] for f in d["findings"] if f["match"] == "we can't"]
    assert refusal, report
    assert html[refusal[0]["start"]:refusal[0]["end"]] == "we can&#39;t"  # entity in source
    assert refusal[0]["line"] == 2


def test_kind_context_and_macro(server):
    macro = "Hi {{ticket.requester.first_name}},\n\nYour refund is on its way.\n\nBest,\nAlex"
    _, _, as_draft = lint(server, {"text": macro})
    _, _, as_macro = lint(server, {"text": macro, "kind": "macro"})
    assert as_macro["documents"][0]["kind"] == "macro"
    assert any(f["code"] == "PLH001" for f in as_draft["documents"][0]["findings"])
    assert not any(f["code"] == "PLH001" for f in as_macro["documents"][0]["findings"])
    status, _, _ = lint(server, {"text": DRAFT, "context": "Where is my refund?"})
    assert status == 200


def test_unreadable_text_is_an_input_error_in_the_contract(server):
    status, _, report = lint(server, {"text": "nul \x00 byte"})
    assert status == 200
    assert report["documents"] == []
    assert report["errors"][0]["source"] == "<request>"
    assert report["summary"]["exit_code"] == 2


def test_secrets_are_masked_in_the_answer(server):
    text = "Hi Sam,\n\nYour card 4111 1111 1111 1111 is on file.\n\nBest,\nAlex"
    _, _, report = lint(server, {"text": text})
    body = json.dumps(report)
    assert "4111 1111 1111 1111" not in body
    assert "1111" in body  # the last four digits are shown


# -- bad requests -------------------------------------------------------------------------


def test_body_over_the_limit_is_refused_before_it_is_read(config):
    with running(Settings(port=0, max_body=2000), config) as srv:
        status, headers, err = lint(srv, {"text": "x" * 5000})
        assert status == 413
        assert err["error"] == "body_too_large" and "2000" in err["message"]
        assert headers["connection"] == "close"
        # the server is fine afterwards, and a body just under the limit goes through
        assert lint(srv, {"text": DRAFT})[0] == 200


def test_a_large_body_sent_slowly_still_gets_its_413(config):
    """The 413 arrives even though the client is still sending (no reset loses it)."""
    with running(Settings(port=0, max_body=1000), config) as srv:
        sock = socket.create_connection(("127.0.0.1", srv.server_port), timeout=10)
        body = b'{"text": "' + b"y" * 300_000 + b'"}'
        sock.sendall(b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        try:
            sock.sendall(body)
        except OSError:
            pass
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        sock.close()
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:100]


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "Expecting property name"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"", "Expecting value"),
    (b"1" * 5000, "digits"),
])
def test_malformed_json_is_400(config, body, reason):
    with running(Settings(port=0, max_body=1_000_000), config) as srv:
        status, _, err = lint(srv, body)
        assert status == 400
        assert err["error"] == "bad_json" and reason in err["message"]


@pytest.mark.parametrize("payload, field, words", [
    ([1, 2], "", "must be a JSON object"),
    ({}, "text", "text (or html) is required"),
    ({"text": 42}, "text", "text must be a string, not number"),
    ({"html": ["<p>"]}, "html", "html must be a string, not array"),
    ({"text": "hi", "context": {"a": 1}}, "context", "context must be a string"),
    ({"text": "hi", "kind": "reply"}, "kind", "unknown kind 'reply'"),
    ({"text": "hi", "kind": 3}, "kind", "unknown kind"),
    ({"text": "hi", "config": "ALL"}, "config", "config must be an object"),
    ({"text": "hi", "txt": "typo"}, "txt", "unknown field 'txt'"),
    ({"text": "\ud800 lone"}, "text", "lone surrogate"),
    ({"text": "hi", "config": {"select": 5}}, "config", "select must be a list of strings"),
    ({"text": "hi", "config": {"rules": {"NOPE999": {}}}}, "config", "no such rule"),
    ({"text": "hi", "config": {"rules": {"PLH001": {"severity": "fatal"}}}}, "config",
     "unknown severity"),
    ({"text": "hi", "config": {"rules": {"TON001": {"bogus": 1}}}}, "config",
     "unknown option 'bogus'"),
    ({"text": "hi", "config": {"fail-on": "often"}}, "config", "fail-on"),
    ({"text": "hi", "config": {"colour": "red"}}, "config.colour", "unknown key 'colour'"),
])
def test_wrong_types_are_422_naming_the_field(server, payload, field, words):
    status, _, err = lint(server, payload)
    assert status == 422, err
    assert err["field"] == field
    assert words in err["message"]


def test_a_huge_config_is_refused(server):
    config = {"ignore": [f"RULE{i:05}" for i in range(5000)]}
    status, _, err = lint(server, {"text": "hi", "config": config})
    assert status == 422 and err["field"] == "config" and "too large" in err["message"]


def test_http_errors(server):
    assert call(server, "GET", "/nope")[0] == 404
    status, headers, err = call(server, "GET", "/v1/lint")
    assert status == 405 and headers["allow"] == "POST, OPTIONS" and err["error"]
    status, _, err = call(server, "POST", "/v1/lint", b'{"text": "hi"}',
                          {"Content-Type": "text/plain"})
    assert status == 415 and "application/json" in err["message"]
    status, _, err = call(server, "DELETE", "/v1/lint")
    assert status == 501 and err["error"] == "not_implemented"
    # no Content-Length
    sock = socket.create_connection(("127.0.0.1", server.server_port), timeout=10)
    sock.sendall(b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nConnection: close\r\n\r\n")
    answer = b"".join(iter(lambda: sock.recv(65536), b""))
    sock.close()
    assert answer.startswith(b"HTTP/1.1 411 ")
    # a broken request line is answered in JSON too
    sock = socket.create_connection(("127.0.0.1", server.server_port), timeout=10)
    sock.sendall(b"GET / EXTRA HTTP/1.1\r\n\r\n")
    answer = b"".join(iter(lambda: sock.recv(65536), b""))
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400 ") and b'"error"' in answer


def test_keep_alive_connection_serves_several_requests(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
    for text in (DRAFT, "Hi Sam,\n\nDone.\n\nBest,\nAlex", DRAFT):
        conn.request("POST", "/v1/lint", json.dumps({"text": text}),
                     {"Content-Type": "application/json"})
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["version"] == 1
    conn.close()


# -- what a request's config may do -------------------------------------------------------


def test_request_config_selects_ignores_and_sets_options(server):
    _, _, ignored = lint(server, {"text": DRAFT, "config": {"ignore": ["TON001"]}})
    codes = {f["code"] for f in ignored["documents"][0]["findings"]}
    assert "TON001" not in codes and "PLH001" in codes
    _, _, selected = lint(server, {"text": DRAFT, "config": {"select": ["PLH"]}})
    assert {f["code"] for f in selected["documents"][0]["findings"]} == {"PLH001"}
    _, _, softer = lint(server, {"text": DRAFT,
                                 "config": {"select": ["PLH"], "fail-on": "error",
                                            "rules": {"PLH001": {"severity": "warning"}}}})
    assert finding(softer, "PLH001")["severity"] == "warning"
    assert softer["summary"]["exit_code"] == 0  # a warning under fail-on = error


def test_request_config_glossary(server):
    text = "Hi Sam,\n\nYour widget is fixed.\n\nBest,\nAlex"
    _, _, plain = lint(server, {"text": text})
    assert not any(f["match"] == "widget" for f in plain["documents"][0]["findings"])
    _, _, report = lint(server, {"text": text,
                                 "config": {"glossary": {"replace": {"widget": "gadget"}}}})
    (hit,) = [f for f in report["documents"][0]["findings"] if f["match"] == "widget"]
    assert hit["replacements"] == ["gadget"]


@pytest.mark.parametrize("key", sorted(REFUSED_CONFIG_KEYS))
def test_request_config_cannot_load_plugins_or_reach_a_network(server, tmp_path, key):
    marker = tmp_path / "plugin-ran"
    plugins = tmp_path / "evil"
    plugins.mkdir()
    (plugins / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    value = {
        "plugins-dir": [str(plugins)],
        "languagetool": {"server": "http://127.0.0.1:9/"},
        "language": "de-DE",
        "include": ["*.txt"], "exclude": ["*.txt"],
        "overrides": [{"paths": ["*"], "select": ["ALL"]}],
        "kind": "macro", "channel": "chat",
    }[key]
    status, _, err = lint(server, {"text": DRAFT, "config": {key: value}})
    assert status == 422
    assert err["field"] == f"config.{key}" and err["error"] == "config_key_refused"
    assert "cannot be set by a request" in err["message"]
    assert not marker.exists()


def test_linters_are_cached_per_config_in_a_bounded_lru(config):
    service = LintService(config, Settings(cache_size=2))
    configs = [{"ignore": ["TON001"]}, {"ignore": ["TON002"]}, {"select": ["PLH"]}]
    first = service.linter_for(configs[0])
    assert service.linter_for(dict(configs[0])) is first
    assert service.linter_for(None) is service.base
    for c in configs:
        service.linter_for(c)
    assert service.cached_configs() == 2
    assert service.linter_for(configs[0]) is not first  # dropped, rebuilt
    # equal configs with keys in another order share one Linter
    a = service.linter_for({"select": ["PLH"], "ignore": ["X"]})
    assert service.linter_for({"ignore": ["X"], "select": ["PLH"]}) is a


# -- who may call ---------------------------------------------------------------------------


def test_off_loopback_needs_a_token():
    for host in ("0.0.0.0", "::", "192.0.2.10", "example.com"):
        with pytest.raises(SettingsError, match="not a loopback address"):
            check_settings(Settings(host=host))
        assert check_settings(Settings(host=host, token=TOKEN)).token == TOKEN
    for host in ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"):
        assert is_loopback(host)
        check_settings(Settings(host=host))
    with pytest.raises(SettingsError, match="at least 16"):
        check_settings(Settings(token="short"))
    with pytest.raises(SettingsError, match="printable"):
        check_settings(Settings(token="a token with spaces in it"))


def test_serve_refuses_to_start_off_loopback_without_a_token(run_cli):
    """The command exits before binding anything (no server is started here)."""
    proc = run_cli("serve", "--host", "0.0.0.0", "--port", "0")
    assert proc.returncode == 2
    assert "not a loopback address" in proc.stderr and "--token" in proc.stderr
    proc = run_cli("serve", "--allow-origin", "*")
    assert proc.returncode == 2 and "'*' is refused" in proc.stderr


def test_token_is_required_when_set(config):
    with running(Settings(port=0, token=TOKEN), config) as srv:
        status, headers, err = lint(srv, {"text": DRAFT})
        assert status == 401 and err["error"] == "unauthorized"
        assert headers["www-authenticate"].startswith("Bearer")
        for bad in (f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer ", f"Bearer {TOKEN[:-1]}"):
            assert lint(srv, {"text": DRAFT}, {"Authorization": bad})[0] == 401, bad
        assert lint(srv, {"text": DRAFT}, {"Authorization": f"Bearer {TOKEN}"})[0] == 200
        assert lint(srv, {"text": DRAFT}, {"Authorization": f"bearer {TOKEN}"})[0] == 200
        # the page and the health check need no token; health says one is needed
        assert call(srv, "GET", "/")[0] == 200
        status, _, health = call(srv, "GET", "/v1/health")
        assert status == 200 and health["token_required"] is True


def test_the_token_is_compared_in_constant_time():
    import inspect

    from replylint.service import server

    assert "hmac.compare_digest" in inspect.getsource(server.Handler._authorised)


def test_cors_allows_only_configured_origins(config):
    with running(Settings(port=0, allow_origins=(ORIGIN + "/",)), config) as srv:
        preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type,authorization",
                     "Access-Control-Request-Private-Network": "true"}
        status, headers, _ = call(srv, "OPTIONS", "/v1/lint", headers=preflight)
        assert status == 204
        assert headers["access-control-allow-origin"] == ORIGIN
        assert "POST" in headers["access-control-allow-methods"]
        assert {"authorization", "content-type"} <= {
            h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
        assert headers["access-control-allow-private-network"] == "true"
        assert headers["vary"] == "Origin"

        status, headers, report = lint(srv, {"text": DRAFT}, {"Origin": ORIGIN})
        assert status == 200 and headers["access-control-allow-origin"] == ORIGIN

        for evil in ("https://evil.example", "null", "https://acme.zendesk.example.evil.example",
                     "http://acme.zendesk.example"):
            status, headers, err = call(srv, "OPTIONS", "/v1/lint",
                                        headers={**preflight, "Origin": evil})
            assert status == 403 and "access-control-allow-origin" not in headers
            status, headers, err = lint(srv, {"text": DRAFT}, {"Origin": evil})
            assert status == 403 and err["error"] == "origin_not_allowed"
            assert "access-control-allow-origin" not in headers

        # the page's own origin (same origin) may call it; no '*' anywhere
        own = f"http://127.0.0.1:{srv.server_port}"
        status, headers, _ = lint(srv, {"text": DRAFT}, {"Origin": own})
        assert status == 200 and headers["access-control-allow-origin"] == own
        assert "*" not in json.dumps(headers)


def test_origins_are_normalised_and_wildcards_refused():
    assert normalise_origin("HTTPS://Acme.Zendesk.com:443/") == "https://acme.zendesk.com"
    assert normalise_origin("http://localhost:8080") == "http://localhost:8080"
    assert normalise_origin("moz-extension://4b1c-77aa") == "moz-extension://4b1c-77aa"
    for bad in ("*", "null", "https://*.zendesk.com", "https://x.com/path", "x.com"):
        with pytest.raises(SettingsError):
            normalise_origin(bad)


def test_a_foreign_host_header_is_refused_on_loopback(server):
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: refuse that Host."""
    status, _, err = call(server, "GET", "/", headers={"Host": f"evil.example:{server.server_port}"})
    assert status == 403 and err["error"] == "forbidden_host"
    status, _, _ = lint(server, {"text": DRAFT}, {"Host": f"localhost:{server.server_port}"})
    assert status == 200


# -- logging ------------------------------------------------------------------------------

SECRET = "Zebra-Quokka-7731 refund for Mrs Featherstonehaugh"


def test_no_customer_text_in_the_log_by_default(config, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    with running(Settings(port=0), config) as srv:
        lint(srv, {"text": f"Hi [NAME],\n\n{SECRET}\n", "context": SECRET})
        lint(srv, {"text": f"{SECRET}", "kind": "nonsense"})
        call(srv, "POST", f"/v1/lint?q={SECRET.replace(' ', '+')}", {"text": SECRET})
    out, err = capfd.readouterr()
    for where in (caplog.text, out, err):
        assert "Zebra" not in where and "Featherstonehaugh" not in where


def test_log_requests_logs_method_path_status_latency_only(config, caplog, capfd):
    caplog.set_level(logging.DEBUG, logger="replylint.service")
    with running(Settings(port=0, log_requests=True), config) as srv:
        lint(srv, {"text": SECRET})
        call(srv, "POST", f"/v1/lint?q={SECRET.replace(' ', '+')}", {"text": SECRET})
        lint(srv, {"text": SECRET, "kind": "x"})
    lines = [r.getMessage() for r in caplog.records if r.name == "replylint.service"]
    assert any(line.startswith("POST /v1/lint 200 ") and line.endswith("ms") for line in lines)
    assert any(line.startswith("POST /v1/lint 422 ") for line in lines)
    assert "Zebra" not in caplog.text and "Zebra" not in "".join(capfd.readouterr())


def test_log_bodies_is_an_explicit_opt_in(config, caplog):
    caplog.set_level(logging.INFO, logger="replylint.service")
    with running(Settings(port=0, log_bodies=True), config) as srv:
        lint(srv, {"text": SECRET})
    assert "Zebra" in caplog.text


def test_refused_origins_are_logged_once_without_text(config, caplog):
    caplog.set_level(logging.INFO, logger="replylint.service")
    with running(Settings(port=0), config) as srv:
        for _ in range(3):
            lint(srv, {"text": SECRET}, {"Origin": "https://unknown.example"})
    warnings = [r for r in caplog.records if "refused a request from origin" in r.getMessage()]
    assert len(warnings) == 1 and "https://unknown.example" in warnings[0].getMessage()
    assert "Zebra" not in caplog.text


# -- concurrency and the command ----------------------------------------------------------


def test_concurrent_requests_all_succeed_with_the_same_answers(config):
    texts = [DRAFT, "Hi Sam,\n\nPer our policy, we are unable to help.\n\nRegards,\nAlex",
             "Hello,\n\nYour card 4111 1111 1111 1111 was charged. ASAP!!!\n\nBest,\nAlex",
             "<p>Hi [NAME],</p><p>Sorry for the inconvenience.</p>"]
    payloads = [{"text": t} if not t.startswith("<") else {"html": t} for t in texts]
    payloads += [{"text": DRAFT, "config": {"ignore": ["TON"]}},
                 {"text": DRAFT, "config": {"glossary": {"allow": ["refund"]}}}]
    with running(Settings(port=0, cache_size=4), config) as srv:
        expected = [lint(srv, p)[2] for p in payloads]
        jobs = [i % len(payloads) for i in range(48)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda i: (i, lint(srv, payloads[i])), jobs))
    for i, (status, _, report) in answers:
        assert status == 200
        assert report == expected[i]


def test_serve_command_runs_answers_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), REPLYLINT_ENV: TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-m", "replylint", "serve", "--port", "0", "--log-requests"],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    try:
        line = ""
        deadline = time.monotonic() + 60
        while "serving on" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, "serve exited early"
        port = int(line.split("serving on http://127.0.0.1:")[1].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", "/v1/lint", json.dumps({"text": SECRET}),
                     {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["version"] == 1
        conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "POST /v1/lint 200" in err and "stopped" in err
    assert "Zebra" not in err


def test_check_does_not_import_the_service():
    code = ("import sys, replylint.cli; "
            "print('http.server' in sys.modules, 'replylint.service' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60).stdout
    assert out.split() == ["False", "False"]


def test_the_page_and_its_assets_are_served_with_a_strict_policy(server):
    status, headers, page = call(server, "GET", "/", raw=True)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"/static/app.js" in page and b"/static/app.css" in page
    assert b"http://" not in page and b"https://" not in page  # nothing from elsewhere
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    for path, kind in (("/static/app.js", "text/javascript"), ("/static/app.css", "text/css")):
        status, headers, body = call(server, "GET", path, raw=True)
        assert status == 200 and headers["content-type"].startswith(kind) and body
    assert call(server, "GET", "/static/../server.py")[0] == 404


def test_static_files_ship_in_the_wheel():
    """pyproject's package-data must include the page, or an installed `serve` has no page."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["replylint"]
    for name in ("index.html", "app.js", "app.css"):
        rel = f"service/static/{name}"
        assert any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p.split("/")[-1])
                   and p.startswith("**") for p in patterns), (rel, patterns)


def test_request_channel(server):
    bare = ("Your refund was issued today.\nIt reaches your card within five days.\n"
            "The reference is on the invoice.\nI checked it myself.")
    strict = {"select": ["strict"]}  # the ceremony rules are off by default
    _, _, as_email = lint(server, {"text": bare, "config": strict})
    _, _, as_chat = lint(server, {"text": bare, "channel": "chat", "config": strict})
    assert as_email["documents"][0]["channel"] == "email"
    assert as_chat["documents"][0]["channel"] == "chat"
    assert any(f["code"] == "STR003" for f in as_email["documents"][0]["findings"])
    assert not any(f["code"] == "STR003" for f in as_chat["documents"][0]["findings"])
    status, _, err = lint(server, {"text": bare, "channel": "fax"})
    assert status == 422 and err["field"] == "channel"
