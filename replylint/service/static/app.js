// replylint's page: send the draft to POST /v1/lint and highlight the findings in place.
// Plain JavaScript, no build step, nothing loaded from elsewhere.
//
// Offsets in the JSON contract count Unicode code points; JavaScript strings count UTF-16
// units. The checked text is therefore split into code points (Array.from) and every span is
// cut from that array, so an emoji before a finding does not shift its highlight.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("lint-form");
  const draft = $("draft");
  const context = $("context");
  const kind = $("kind");
  const syntax = $("syntax");
  const tokenField = $("token-field");
  const token = $("token");
  const button = $("check");
  const status = $("status");
  const result = $("result");
  const verdict = $("verdict");
  const view = $("highlighted");
  const detail = $("detail");
  const list = $("findings");
  const inputErrors = $("input-errors");
  const metrics = $("metrics");

  const SEVERITY_RANK = { suggestion: 1, warning: 2, error: 3 };
  let checked = null; // {text, syntax, findings}
  let activeMark = null;
  let quietFocus = false; // focus returned to a highlight by Escape does not reopen its note

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setStatus(message, kindOfMessage) {
    status.textContent = message;
    status.className = kindOfMessage || "";
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  // -- talking to the service ------------------------------------------------------------

  async function health() {
    try {
      const response = await fetch("/v1/health", { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (data.token_required) tokenField.hidden = false;
    } catch (e) {
      setStatus("The replylint service does not answer: is `replylint serve` running?", "error");
    }
  }

  async function check() {
    const text = draft.value;
    if (!text.trim()) {
      setStatus("Paste or type a draft first.", "error");
      draft.focus();
      return;
    }
    const body = { kind: kind.value };
    body[syntax.value === "html" ? "html" : "text"] = text;
    if (context.value.trim()) body.context = context.value;
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token.value) headers.Authorization = "Bearer " + token.value;

    button.disabled = true;
    setStatus("Checking…");
    let response, data;
    try {
      response = await fetch("/v1/lint", { method: "POST", headers, body: JSON.stringify(body) });
      data = await response.json();
    } catch (e) {
      setStatus("The replylint service did not answer: " + e.message, "error");
      return;
    } finally {
      button.disabled = false;
    }
    if (response.status === 401) {
      tokenField.hidden = false;
      token.focus();
      setStatus("This service needs its token: enter it and check again.", "error");
      return;
    }
    if (!response.ok) {
      const where = data.field ? ` (${data.field})` : "";
      setStatus(`The service refused the draft${where}: ${data.message || response.status}`, "error");
      return;
    }
    render(text, syntax.value, data);
  }

  // -- drawing the result ----------------------------------------------------------------

  function render(text, format, data) {
    const findings = [];
    for (const doc of data.documents || []) findings.push(...doc.findings);
    findings.forEach((f, i) => { f.index = i; });
    checked = { text, format, findings };
    hideDetail();

    const counts = data.summary.by_severity;
    const total = data.summary.findings;
    const exitCode = data.summary.exit_code;
    verdict.textContent = total === 0
      ? "No findings: this draft looks good to send."
      : `${plural(total, "finding")}: ${plural(counts.error, "error")}, ` +
        `${plural(counts.warning, "warning")}, ${plural(counts.suggestion, "suggestion")}. ` +
        (exitCode === 0 ? "Nothing blocks sending." : "Fix the findings marked error or warning before sending.");
    verdict.className = exitCode === 0 ? "ok" : "blocked";

    drawText(text, findings);
    drawList(findings);
    drawErrors(data.errors || []);
    drawMetrics((data.documents[0] || {}).metrics || {});
    view.classList.remove("stale");
    result.hidden = false;
    setStatus(total === 0 ? "Checked: no findings." : `Checked: ${plural(total, "finding")}.`);
  }

  function drawText(text, findings) {
    const chars = Array.from(text);
    const n = chars.length;
    const clamp = (i) => Math.max(0, Math.min(n, i));
    const cuts = new Set([0, n]);
    for (const f of findings) { cuts.add(clamp(f.start)); cuts.add(clamp(f.end)); }
    const bounds = [...cuts].sort((a, b) => a - b);
    // zero-width findings (something missing at a point) become a caret before that point
    const points = new Map();
    for (const f of findings) {
      if (clamp(f.end) <= clamp(f.start)) {
        const at = clamp(f.start);
        if (!points.has(at)) points.set(at, []);
        points.get(at).push(f);
      }
    }
    const frag = document.createDocumentFragment();
    for (let k = 0; k < bounds.length; k++) {
      const a = bounds[k];
      if (points.has(a)) frag.append(mark(points.get(a), "", true));
      if (k === bounds.length - 1) break;
      const b = bounds[k + 1];
      const piece = chars.slice(a, b).join("");
      const covering = findings.filter((f) => clamp(f.start) <= a && clamp(f.end) >= b && f.end > f.start);
      frag.append(covering.length ? mark(covering, piece, false) : document.createTextNode(piece));
    }
    view.replaceChildren(frag);
  }

  function mark(covering, piece, point) {
    const worst = covering.reduce((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), "suggestion");
    const label = covering.map((f) => `${f.severity} ${f.code}: ${f.message}`).join("; ");
    return el("mark", {
      class: `sev-${worst}${point ? " point" : ""}`,
      tabindex: 0,
      "data-findings": covering.map((f) => f.index).join(" "),
      "data-codes": covering.map((f) => f.code).join(" "),
      "aria-label": point ? label : null,
      "aria-description": point ? null : label,
    }, piece);
  }

  function describe(f, withActions) {
    const link = f.url
      ? el("a", { class: "code", href: f.url, target: "_blank", rel: "noopener noreferrer", text: f.code })
      : el("span", { class: "code", text: f.code });
    const parts = [
      el("p", {}, el("span", { class: `sev sev-${f.severity}`, text: f.severity }), link, " ",
        el("span", { class: "rule", text: f.rule })),
      el("p", { class: "message", text: f.message }),
    ];
    if (f.replacements && f.replacements.length) {
      const items = f.replacements.map((r) => el("li", {},
        el("q", { text: r }),
        withActions && checked && checked.format === "text"
          ? el("button", { type: "button", class: "apply", "data-finding": f.index, "data-replacement": r,
                           "aria-label": `Use “${r}” instead of “${f.match}”`, text: "Use" })
          : null));
      parts.push(el("p", { text: "Instead:" }), el("ul", { class: "replacements" }, ...items));
    }
    return el("div", { class: `finding sev-${f.severity}` }, ...parts);
  }

  function drawList(findings) {
    list.replaceChildren(...findings.map((f) => el("li", { class: `sev-${f.severity}`, "data-code": f.code },
      el("span", { class: "sev", text: f.severity }),
      el("a", { class: "code", href: f.url || null, target: "_blank", rel: "noopener noreferrer", text: f.code }),
      " ", f.message, " ",
      el("span", { class: "where", text: `line ${f.line}, column ${f.column}` + (f.match ? `: “${f.match}”` : "") }),
      f.replacements.length ? el("span", { class: "where", text: ` → ${f.replacements.map((r) => `“${r}”`).join(" or ")}` }) : null,
      el("button", { type: "button", class: "show", "data-finding": f.index, text: "Show" }))));
  }

  function drawErrors(errors) {
    inputErrors.replaceChildren(...errors.map((e) => el("li", { text: `${e.source}: ${e.message}` })));
  }

  const METRIC_NAMES = {
    words: "Words", politeness: "Politeness", reading_grade: "Reading grade",
    reading_ease: "Reading ease", jargon_ratio: "Jargon ratio",
  };

  function drawMetrics(values) {
    const rows = [];
    for (const [name, value] of Object.entries(values)) {
      if (value === null || value === undefined) continue;
      rows.push(el("dt", { text: METRIC_NAMES[name] || name }), el("dd", { text: String(value) }));
    }
    metrics.replaceChildren(...rows);
  }

  // -- the note beside a highlight -------------------------------------------------------

  function showDetail(markEl) {
    if (!checked) return;
    if (activeMark && activeMark !== markEl) activeMark.classList.remove("active");
    activeMark = markEl;
    markEl.classList.add("active");
    const ids = markEl.dataset.findings.split(" ").map(Number);
    detail.replaceChildren(...ids.map((i) => describe(checked.findings[i], true)));
    detail.hidden = false;
    const wrap = view.parentElement.getBoundingClientRect();
    const r = markEl.getBoundingClientRect();
    const left = Math.max(0, Math.min(r.left - wrap.left, wrap.width - detail.offsetWidth));
    detail.style.left = `${left}px`;
    detail.style.top = `${r.bottom - wrap.top + 6}px`;
  }

  function hideDetail() {
    detail.hidden = true;
    if (activeMark) activeMark.classList.remove("active");
    activeMark = null;
  }

  view.addEventListener("mouseover", (ev) => {
    const m = ev.target.closest("mark");
    if (m && m !== activeMark) showDetail(m);
  });
  view.addEventListener("focusin", (ev) => {
    const m = ev.target.closest("mark");
    if (m && !quietFocus) showDetail(m);
  });
  view.addEventListener("click", (ev) => {
    const m = ev.target.closest("mark");
    if (m) showDetail(m);
  });
  view.addEventListener("keydown", (ev) => {
    const m = ev.target.closest("mark");
    if (m && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      showDetail(m);
      const first = detail.querySelector("a, button");
      if (first) first.focus();
    }
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !detail.hidden) {
      const back = activeMark;
      hideDetail();
      if (back) {
        quietFocus = true;
        back.focus();
        quietFocus = false;
      }
    }
  });
  document.addEventListener("click", (ev) => {
    if (!detail.hidden && !detail.contains(ev.target) && !ev.target.closest("mark")) hideDetail();
  });

  detail.addEventListener("click", (ev) => {
    const b = ev.target.closest("button.apply");
    if (!b || !checked) return;
    if (draft.value !== checked.text) {
      setStatus("The draft changed since it was checked: check it again, then use a suggestion.", "error");
      return;
    }
    const f = checked.findings[Number(b.dataset.finding)];
    const chars = Array.from(checked.text);
    draft.value = chars.slice(0, f.start).join("") + b.dataset.replacement + chars.slice(f.end).join("");
    hideDetail();
    check();
  });

  list.addEventListener("click", (ev) => {
    const b = ev.target.closest("button.show");
    if (!b) return;
    const i = b.dataset.finding;
    const m = [...view.querySelectorAll("mark")].find((x) => x.dataset.findings.split(" ").includes(i));
    if (m) { m.scrollIntoView({ block: "center" }); m.focus(); }
  });

  draft.addEventListener("input", () => {
    if (checked && draft.value !== checked.text) view.classList.add("stale");
  });

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    check();
  });

  health();
})();
