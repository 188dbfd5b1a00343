// replylint pre-send check for Zendesk Support: a `ticket.save` hook that asks the local
// replylint service about a public reply and cancels the save when it must be fixed.
//
// AN EXAMPLE. It follows the Zendesk Apps framework (ZAF v2) documentation, but it could not
// be run against a real Zendesk account where it was written. What was run: this file, in
// headless Chromium, with a stand-in for the ZAF client and a real `replylint serve` on
// another origin (tests/test_service_browser.py), which checks the hook's verdicts and CORS.
//
// The request goes from this iframe straight to the service with fetch(): `client.request`
// without `cors: true` goes through Zendesk's proxy, which cannot reach the agent's own
// machine, and with `cors: true` it is sent from the Zendesk page rather than this iframe
// (a different Origin to allow).
"use strict";

(function () {
  const TIMEOUT_MS = 8000; // well inside the time Zendesk waits for a save hook
  const DEFAULTS = { service_url: "http://127.0.0.1:7337", token: "", send_when_unavailable: true };
  let settings = { ...DEFAULTS };

  const looksLikeHtml = (text) => /<\/?[a-z][^>]*>/i.test(text);
  const truthy = (value) => value === true || String(value).toLowerCase() === "true";

  /** POST the reply to the service; the JSON report (contract version 1) or an Error. */
  async function lint(text, context) {
    const body = looksLikeHtml(text) ? { html: text } : { text };
    body.kind = "draft";
    if (context) body.context = context;
    const headers = { "Content-Type": "application/json" };
    if (settings.token) headers.Authorization = "Bearer " + settings.token;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const url = String(settings.service_url).replace(/\/+$/, "") + "/v1/lint";
      const response = await fetch(url, {
        method: "POST", headers, body: JSON.stringify(body), signal: controller.signal,
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.message || `HTTP ${response.status}`);
      return data;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What to do with a report: {block, failed, findings, message}. */
  function verdict(report) {
    const findings = report.documents.flatMap((d) => d.findings);
    const code = report.summary.exit_code; // 0 clean, 1 findings at fail-on, 2/3 replylint failed
    if (code === 0) return { block: false, failed: false, findings, message: "" };
    if (code !== 1) {
      const why = report.errors.map((e) => e.message).join("; ") || "replylint failed";
      return { block: false, failed: true, findings, message: why };
    }
    const rank = { error: 0, warning: 1, suggestion: 2 };
    const worst = [...findings].sort((a, b) => rank[a.severity] - rank[b.severity]);
    const shown = worst.slice(0, 3).map((f) => `${f.code} ${f.message}`);
    const more = findings.length > 3 ? ` (and ${findings.length - 3} more in the replylint panel)` : "";
    return {
      block: true, failed: false, findings,
      message: `replylint: fix this reply before sending: ${shown.join("; ")}${more}`,
    };
  }

  // -- the sidebar ---------------------------------------------------------------------

  function show(message, findings) {
    document.getElementById("status").textContent = message;
    const list = document.getElementById("findings");
    list.replaceChildren(...(findings || []).map((f) => {
      const li = document.createElement("li");
      li.className = `sev-${f.severity}`;
      const code = document.createElement("a");
      code.href = f.url;
      code.target = "_blank";
      code.rel = "noopener noreferrer";
      code.textContent = f.code;
      li.append(code, ` ${f.message}`);
      if (f.replacements.length) li.append(` Try: “${f.replacements[0]}”.`);
      return li;
    }));
  }

  // -- the hook ------------------------------------------------------------------------

  async function onSave(client) {
    const data = await client.get(["comment.text", "comment.type", "ticket.description"]);
    const text = data["comment.text"] || "";
    if (data["comment.type"] !== "publicReply" || !text.trim()) return true; // notes pass
    let report;
    try {
      report = await lint(text, data["ticket.description"]);
    } catch (e) {
      return unavailable(`replylint did not answer (${e.name === "AbortError" ? "timeout" : e.message})`);
    }
    const v = verdict(report);
    if (v.failed) return unavailable(`replylint could not check the reply: ${v.message}`);
    show(v.block ? "Fix these before sending:" : (v.findings.length ? "Sent. Suggestions:" : "Checked: no findings."),
         v.findings);
    // a rejected promise cancels the save and Zendesk shows its reason to the agent
    return v.block ? Promise.reject(v.message) : true;
  }

  function unavailable(message) {
    if (truthy(settings.send_when_unavailable)) {
      show(`${message}. The reply was saved unchecked.`);
      return true;
    }
    show(`${message}.`);
    return Promise.reject(`${message}, so the reply was not sent. Start \`replylint serve\` on this computer.`);
  }

  function start(client) {
    client.metadata().then((meta) => {
      settings = { ...DEFAULTS, ...((meta && meta.settings) || {}) };
    });
    client.invoke("resize", { width: "100%", height: "220px" });
    client.on("ticket.save", () => onSave(client));
  }

  window.ReplylintZendesk = { start, onSave, verdict, lint };
  if (window.ZAFClient) start(window.ZAFClient.init());
})();
