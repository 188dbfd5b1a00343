"""The service's page in a real headless Chromium (Debian's chromium + chromedriver, Selenium).

An agent pastes a draft, presses Check, and sees the findings highlighted in place; the test
then takes a screenshot and finds the highlight colour's pixels where the highlighted words are.
The screenshot is kept (its path is printed) so a person can look at it:
``pytest -s tests/test_service_browser.py`` shows where.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import zlib
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import require_program

from replylint.config import Config
from replylint.service.server import Settings, running

DRAFT = "Hi [Customer Name],\n\nThanks for writing in. We can't refund the order 😀.\n\nBest,\nAlex"
REFUSAL = "We can't refund the order 😀."
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1100,1300", "--force-device-scale-factor=1",
    "--hide-scrollbars",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    require_program("chromium", "--version")
    require_program("chromedriver", "--version")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path="/usr/bin/chromedriver"))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser, tmp_path):
    """The page of a service whose config adds two rules that are off by default (as
    `extend-select` would), so drafts get warnings and replacements beside the errors."""
    config = Config(root=tmp_path, select=("ALL", "TON001", "NXT001"))
    with running(Settings(port=0), config) as server:
        browser.get(server.url)
        yield browser, server


def wait_for(driver, condition, timeout=20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def check_draft(driver, text, context=None):
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "draft")
    box.clear()
    box.send_keys(text)  # typed, as an agent would (newlines as Enter)
    if context:
        driver.find_element(By.ID, "context").send_keys(context)
    driver.find_element(By.ID, "check").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "status").text.startswith("Checked"))
    return driver.find_elements(By.CSS_SELECTOR, "#highlighted mark")


def test_findings_are_highlighted_in_place(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver, server = page
    assert driver.title.startswith("replylint")
    marks = check_draft(driver, DRAFT, context="Can I get a refund for order 1234?")
    by_text = {m.text: m for m in marks}

    placeholder = by_text["[Customer Name]"]
    assert placeholder.get_attribute("class").split()[0] == "sev-error"
    assert placeholder.get_attribute("data-codes") == "PLH001"
    assert by_text[REFUSAL].get_attribute("data-codes") == "NXT001"
    # the view shows exactly the text that was checked, emoji and all
    view = driver.find_element(By.ID, "highlighted").text
    assert view == DRAFT

    # the summary lists every finding, in order, with a link to the rule's docs
    items = driver.find_elements(By.CSS_SELECTOR, "#findings li")
    codes = [li.get_attribute("data-code") for li in items]
    assert codes == ["PLH001", "NXT001"]
    assert "error" in driver.find_element(By.ID, "verdict").text

    # hovering shows the message, the rule code linking to its docs, and the replacements
    ActionChains(driver).move_to_element(by_text[REFUSAL]).perform()
    detail = driver.find_element(By.ID, "detail")
    wait_for(driver, lambda d: detail.is_displayed())
    assert "No next step" in detail.text
    link = detail.find_element(By.LINK_TEXT, "NXT001")
    assert link.get_attribute("href").endswith("docs/rules/next-step/missing.md")
    assert "I'll update you by" in detail.text

    # keyboard: focus a highlight, Enter moves into the note, Escape returns
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()
    placeholder_mark = driver.find_element(By.CSS_SELECTOR, "mark[data-codes='PLH001']")
    driver.execute_script("arguments[0].focus()", placeholder_mark)
    wait_for(driver, lambda d: "Unfilled fill-in" in detail.text)
    from selenium.webdriver.common.keys import Keys

    placeholder_mark.send_keys(Keys.ENTER)
    assert driver.switch_to.active_element.text == "PLH001"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(driver, lambda d: not detail.is_displayed())


def test_a_replacement_can_be_applied(page):
    from selenium.webdriver.common.by import By

    driver, _ = page
    check_draft(driver, "Hi Sam,\n\nWe can't refund the parcel. It was opened.\n\nBest,\nAlex")
    driver.find_element(By.CSS_SELECTOR, "mark[data-codes~='TON001']").click()
    driver.find_element(By.CSS_SELECTOR, "#detail button.apply").click()
    wait_for(driver, lambda d: "We can't" not in d.find_element(By.ID, "draft")
             .get_property("value"))
    wait_for(driver, lambda d: d.find_element(By.ID, "status").text.startswith("Checked"))
    assert driver.find_element(By.ID, "draft").get_property("value").startswith(
        "Hi Sam,\n\nWhat we can do is")


def test_screenshot_shows_the_highlights(page, tmp_path_factory):
    from selenium.webdriver.common.by import By

    driver, _ = page
    check_draft(driver, DRAFT)
    mark = driver.find_element(By.CSS_SELECTOR, "mark[data-codes='PLH001']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    driver.execute_script("document.activeElement.blur()")
    rect, ratio, colour = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return [[r.left, r.top, r.width, r.height], window.devicePixelRatio,"
        " getComputedStyle(arguments[0]).backgroundColor];", mark)
    png = driver.get_screenshot_as_png()
    folder = tmp_path_factory.mktemp("screenshots")
    path = folder / "service-page.png"
    path.write_bytes(png)
    print(f"\nscreenshot of the page with findings highlighted: {path}")

    width, height, pixels = decode_png(png)
    want = tuple(int(v) for v in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3])
    assert want == (0xFF, 0xC9, 0xC9)  # --error-bg in app.css
    left, top, w, h = (round(v * ratio) for v in rect)
    inside = [pixels[y][x] for y in range(top, top + h) for x in range(left, left + w)
              if 0 <= x < width and 0 <= y < height]
    assert inside, (rect, width, height)
    share = sum(close(p, want) for p in inside) / len(inside)
    assert share > 0.4, f"only {share:.0%} of the highlighted area has the highlight colour"
    # and the colour is not simply everywhere: the page background around it is not red
    outside = [pixels[y][x] for y in range(0, min(height, 80)) for x in range(0, width, 7)]
    assert sum(close(p, want) for p in outside) / len(outside) < 0.01

    # a second picture for people: the note a hover opens
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).move_to_element(
        driver.find_element(By.CSS_SELECTOR, "mark[data-codes~='NXT001']")).perform()
    wait_for(driver, lambda d: d.find_element(By.ID, "detail").is_displayed())
    note = folder / "service-page-note.png"
    note.write_bytes(driver.get_screenshot_as_png())
    print(f"screenshot with a finding's note open: {note}")


def close(pixel, want, tolerance=3):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, want))


def decode_png(data: bytes):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB/RGBA non-interlaced PNG (stdlib)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def test_decode_png_round_trip():
    """The little decoder agrees with a PNG written by hand with every filter type."""
    width, height = 5, 5
    pixels = [[((x * 50) % 256, (y * 60) % 256, (x * y * 9) % 256) for x in range(width)]
              for y in range(height)]
    raw = b""
    prev = bytes(width * 3)
    for y, row in enumerate(pixels):
        line = bytes(v for p in row for v in p)
        kind = y % 5
        out = bytearray()
        for i, v in enumerate(line):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            p = a + b - c
            paeth = a if abs(p - a) <= min(abs(p - b), abs(p - c)) else (
                b if abs(p - b) <= abs(p - c) else c)
            pred = (0, a, b, (a + b) >> 1, paeth)[kind]
            out.append((v - pred) & 0xFF)
        raw += bytes([kind]) + bytes(out)
        prev = line

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    assert decode_png(png) == (width, height, pixels)


# -- the Zendesk example app (integrations/zendesk-app), with a stand-in for the ZAF client ----

APP = Path(__file__).resolve().parents[1] / "integrations" / "zendesk-app"
SDK_URL = "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js"
CLEAN = ("Hi Sam,\n\nThanks for your patience. Your refund was issued today and will reach "
         "your card in 3-5 business days. I'll email you the reference number by Friday.\n\n"
         "If anything else comes up, just reply to this email.\n\nBest regards,\nDana")
STAND_IN = """\
// A stand-in for the ZAF SDK's client: what integrations/zendesk-app/assets/main.js uses of it.
window.__zaf = {
  handlers: {}, data: {}, settings: %s,
  on(name, fn) { this.handlers[name] = fn; },
  get(keys) { return Promise.resolve(Object.fromEntries(keys.map((k) => [k, this.data[k]]))); },
  metadata() { return Promise.resolve({ settings: this.settings }); },
  invoke() { return Promise.resolve({}); },
};
window.ZAFClient = { init: () => window.__zaf };
"""


@contextmanager
def app_origin(settings):
    """The app's assets on a loopback origin of their own (as Zendesk serves an app's iframe
    from its own origin), the SDK's script swapped for the stand-in above."""
    pages = {
        "/iframe.html": ((APP / "assets" / "iframe.html").read_text()
                         .replace(SDK_URL, "/zaf-stand-in.js"), "text/html"),
        "/main.js": ((APP / "assets" / "main.js").read_text(), "text/javascript"),
    }
    assert SDK_URL not in pages["/iframe.html"][0]

    class Assets(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/zaf-stand-in.js":
                found = (STAND_IN % json.dumps(settings), "text/javascript")
            else:
                found = pages.get(self.path)
            body = found[0].encode() if found else b"not found"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", found[1] if found else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Assets)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


SAVE = """
const done = arguments[arguments.length - 1];
window.__zaf.data = arguments[0];
Promise.resolve(window.__zaf.handlers["ticket.save"]()).then(
  (value) => done({saved: value}), (reason) => done({cancelled: String(reason)}));
"""


def save(driver, text, kind="publicReply"):
    return driver.execute_async_script(SAVE, {"comment.text": text, "comment.type": kind,
                                              "ticket.description": "Where is my refund?"})


def test_zendesk_example_save_hook_against_the_real_service(browser, tmp_path):
    from selenium.webdriver.common.by import By

    settings = {"service_url": "", "token": "", "send_when_unavailable": True}
    with app_origin(settings) as origin:
        service = Settings(port=0, allow_origins=(origin,))
        with running(service, Config(root=tmp_path)) as server:
            settings["service_url"] = server.url.rstrip("/")
            browser.get(origin + "/iframe.html")
            wait_for(browser, lambda d: d.execute_script(
                "return !!(window.__zaf && window.__zaf.handlers['ticket.save'])"))

            outcome = save(browser, DRAFT)
            assert "PLH001" in outcome["cancelled"] and "fix this reply" in outcome["cancelled"]
            items = browser.find_elements(By.CSS_SELECTOR, "#findings li")
            assert items and items[0].text.startswith("PLH001")

            html = "<p>Hi [Customer Name],</p><p>Your refund is on its way.</p><p>Best,<br>Dana</p>"
            assert "PLH001" in save(browser, html)["cancelled"]
            assert save(browser, DRAFT, kind="internalNote") == {"saved": True}
            assert save(browser, CLEAN) == {"saved": True}
            assert "no findings" in browser.find_element(By.ID, "status").text or \
                "Suggestions" in browser.find_element(By.ID, "status").text


def test_zendesk_example_when_the_service_refuses_the_origin(browser, tmp_path):
    """The browser enforces CORS: a service that does not list the app's origin is not
    reachable from it, and the app's fail-open setting decides."""
    from selenium.webdriver.common.by import By

    settings = {"service_url": "", "token": "", "send_when_unavailable": True}
    with app_origin(settings) as origin:
        with running(Settings(port=0), Config(root=tmp_path)) as server:  # no --allow-origin
            settings["service_url"] = server.url.rstrip("/")
            browser.get(origin + "/iframe.html")
            wait_for(browser, lambda d: d.execute_script(
                "return !!(window.__zaf && window.__zaf.handlers['ticket.save'])"))
            assert save(browser, DRAFT) == {"saved": True}
            assert "did not answer" in browser.find_element(By.ID, "status").text
            settings["send_when_unavailable"] = False
            browser.get(origin + "/iframe.html")
            wait_for(browser, lambda d: d.execute_script(
                "return !!(window.__zaf && window.__zaf.handlers['ticket.save'])"))
            assert "not sent" in save(browser, DRAFT)["cancelled"]
