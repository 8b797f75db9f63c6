// The operator console: plain browser JavaScript against the operator API (docs/OPERATIONS.md).
// The token stays in this tab's sessionStorage; every call sends it as a bearer token.
"use strict";

const TOKEN_KEY = "cloudconnect.operator.token";
const $ = (id) => document.getElementById(id);

function token() { return sessionStorage.getItem(TOKEN_KEY); }

async function api(path, options = {}) {
  const headers = { "Authorization": "Bearer " + token(), "Accept": "application/json" };
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { ...options, headers });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = body && (body.detail || body.title) ? (body.detail || body.title) : text;
    const error = new Error(response.status + " " + (detail || response.statusText));
    error.status = response.status;
    throw error;
  }
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  }
  return node;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  if (seconds < 120) return seconds + " s";
  if (seconds < 7200) return Math.round(seconds / 60) + " min";
  return Math.round(seconds / 3600) + " h";
}

function emnifyStatus(s) {
  return s.emnify_status ? s.emnify_status.id + " " + (s.emnify_status.description || "") : "";
}

const OPEN = ["RECEIVED", "CREATING", "CREATE_UNKNOWN", "PROVISIONING"];

function actionsFor(view) {
  const s = view.status;
  const cell = el("td");
  const add = (action, label) =>
    cell.append(el("button", { "data-action": action, "data-request-id": s.request_id }, label), " ");
  if (OPEN.includes(s.state)) add("cancel", "Cancel");
  if (s.state !== "READY" && s.state !== "FAILED" && s.state !== "DELETED") add("recheck", "Re-check");
  if (s.state === "READY" || s.state === "FAILED" || s.state === "DELETED") add("republish", "Re-publish");
  if (view.psk_retrievable) add("psk", "Read PSK once");
  return cell;
}

function requestTable(table, views, columns) {
  table.replaceChildren();
  table.append(el("tr", {}, ...columns.map(([title]) => el("th", {}, title)), el("th", {}, "actions")));
  for (const view of views) {
    const row = el("tr", { "data-request-id": view.status.request_id });
    for (const [, cell] of columns) row.append(cell(view));
    row.append(actionsFor(view));
    table.append(row);
  }
  if (views.length === 0) table.append(el("tr", {}, el("td", { colspan: columns.length + 1 }, "none")));
}

const COLUMNS = [
  ["request", (v) => el("td", { class: "request-id" }, v.status.request_id)],
  ["action", (v) => el("td", {}, v.status.action)],
  ["state", (v) => el("td", { class: "state " + v.status.state }, v.status.state)],
  ["emnify status", (v) => el("td", {}, emnifyStatus(v.status))],
  ["in that status", (v) => el("td", {}, duration(v.in_emnify_status_seconds))],
  ["age", (v) => el("td", {}, duration(v.age_seconds))],
  ["attachment", (v) => el("td", {}, v.status.attachment_id ?? "")],
  ["reason", (v) => el("td", {}, v.status.reason ?? "")],
  ["compensation", (v) => el("td", { class: "compensation" },
      v.status.compensation ? v.status.compensation.status : "")],
  ["waiting for", (v) => el("td", {}, v.status.waiting_for ?? v.status.message ?? "")],
];

async function refreshOverview() {
  const o = await api("/operator/overview");
  $("counts").replaceChildren(...Object.entries(o.counts).map(([state, n]) =>
      el("div", { class: "card" + (n > 0 && state === "FAILED" ? " hot" : ""), "data-state": state },
          el("b", {}, String(n)), state)));
  const b = o.budget;
  $("budget").replaceChildren(
      el("tr", {}, el("th", {}, "tokens left now"), el("td", { id: "tokens-left" }, b.tokens_left + " of " + b.burst)),
      el("tr", {}, el("th", {}, "refill"), el("td", {}, b.per_window + " per " + duration(b.window_seconds))),
      el("tr", {}, el("th", {}, "reads announced"), el("td", {}, String(b.reads_wanted))),
      el("tr", {}, el("th", {}, "paused (429)"), el("td", {}, b.paused_until ?? "no")));
  $("breakers").replaceChildren(...Object.entries(o.breakers).map(([name, state]) =>
      el("tr", {}, el("th", {}, name), el("td", { class: "breaker " + state }, state))));
  const sweep = o.last_sweep;
  $("sweep").textContent = sweep
      ? sweep.at + ": " + sweep.listed + " listed, " + sweep.orphans.length + " orphan(s)" +
        (sweep.problem ? " (" + sweep.problem + ")" : "")
      : "no sweep on this replica yet";
  $("stuck-after").textContent = "(open longer than " + duration(o.stuck_after_seconds) + ")";
  requestTable($("stuck"), o.stuck, COLUMNS);
  requestTable($("failures"), o.recent_failures, COLUMNS);
}

async function refreshSearch() {
  const params = new URLSearchParams();
  if ($("search-state").value) params.set("state", $("search-state").value);
  if ($("search-q").value.trim()) params.set("q", $("search-q").value.trim());
  if ($("search-attachment").value.trim()) params.set("attachment_id", $("search-attachment").value.trim());
  params.set("size", "50");
  const page = await api("/operator/requests?" + params);
  $("search-total").textContent = page.total + " match(es)";
  requestTable($("requests"), page.items, COLUMNS);
}

async function refreshDeadLetters() {
  let entries;
  try {
    entries = await api("/operator/dead-letters?limit=10");
  } catch (e) {
    $("dead-letters").replaceChildren(el("tr", {}, el("td", {}, "not available: " + e.message)));
    return;
  }
  $("dead-letters").replaceChildren(
      el("tr", {}, ...["partition", "offset", "time", "key", "bytes", "error code", "replayed from", ""]
          .map((t) => el("th", {}, t))),
      ...entries.map((e) => el("tr", {},
          el("td", {}, String(e.partition)), el("td", {}, String(e.offset)), el("td", {}, e.timestamp),
          el("td", {}, e.key ?? ""), el("td", {}, String(e.bytes)), el("td", {}, e.error_code ?? ""),
          el("td", {}, e.replayed_from ?? ""),
          el("td", {}, el("button", { "data-replay": e.partition + "@" + e.offset }, "Replay")))));
}

async function refresh() {
  try {
    await Promise.all([refreshOverview(), refreshSearch()]);
    $("problem").textContent = "";
  } catch (e) {
    if (e.status === 401) { signOut("Signed out: " + e.message); return; }
    $("problem").textContent = e.message;
  }
}

function reason() {
  const text = $("reason").value.trim();
  if (!text) { $("action-result").textContent = "give a reason first"; return null; }
  return text;
}

async function act(action, requestId) {
  const why = reason();
  if (!why) return;
  const body = JSON.stringify({ reason: why });
  try {
    if (action === "psk") {
      const answer = await api("/operator/requests/" + encodeURIComponent(requestId) + "/psk", { method: "POST", body });
      // shown once, in a dialog, never written into the page
      window.alert("Pre-shared key of attachment " + answer.attachment_id + ": " + answer.psk +
          "\n\nIt cannot be read again through the service.");
      $("action-result").textContent = "psk read for " + requestId;
    } else {
      await api("/operator/requests/" + encodeURIComponent(requestId) + "/" + action, { method: "POST", body });
      $("action-result").textContent = action + " " + requestId + ": done";
    }
  } catch (e) {
    $("action-result").textContent = action + " " + requestId + ": " + e.message;
  }
  refresh();
}

async function replay(position) {
  const why = reason();
  if (!why) return;
  const [partition, offset] = position.split("@").map(Number);
  try {
    await api("/operator/dead-letters/replay", { method: "POST", body: JSON.stringify({ partition, offset, reason: why }) });
    $("action-result").textContent = "replayed " + position;
  } catch (e) {
    $("action-result").textContent = "replay " + position + ": " + e.message;
  }
  refreshDeadLetters();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $("console").hidden = true;
  $("sign-in-panel").hidden = false;
  $("sign-in-error").textContent = message || "";
}

async function signIn() {
  const value = $("token").value.trim();
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  try {
    await api("/operator/requests/counts");
  } catch (e) {
    signOut(e.status === 403 ? "this token has no viewer or operator role" : e.message);
    return;
  }
  $("token").value = "";
  start();
}

// The next refresh is planned when the previous one has ended, never on a fixed beat: a slow
// answer must not pile requests up (each holds a database connection while it is served).
let timer = null;
let refreshing = false;
function start() {
  $("sign-in-panel").hidden = true;
  $("console").hidden = false;
  refreshDeadLetters();
  clearTimeout(timer);
  refreshThenWait();
}

async function refreshThenWait() {
  if (refreshing) return;
  refreshing = true;
  try {
    await refresh();
  } finally {
    refreshing = false;
    if (!$("console").hidden) timer = setTimeout(refreshThenWait, 2000);
  }
}

document.addEventListener("click", (event) => {
  const target = event.target;
  if (target.dataset.action) act(target.dataset.action, target.dataset.requestId);
  if (target.dataset.replay) replay(target.dataset.replay);
  if (target.dataset.global === "sweep") {
    const why = reason();
    if (why) api("/operator/sweep", { method: "POST", body: JSON.stringify({ reason: why }) })
        .then((r) => { $("action-result").textContent = "sweep: " + r.orphans.length + " orphan(s)"; refresh(); })
        .catch((e) => { $("action-result").textContent = "sweep: " + e.message; });
  }
});
$("sign-in").addEventListener("click", signIn);
$("search").addEventListener("submit", (event) => { event.preventDefault(); refreshSearch(); });
if (token()) start();
