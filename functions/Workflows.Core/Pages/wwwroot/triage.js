import { api, requireRole, renderHeader, h, main, fmtTime, shortId, words } from "./app.js";

const REFRESH_SECONDS = 20;
renderHeader("triage.html");
const me = requireRole("anp", "coordinator");

/** Within the last third of the response target a case turns amber; past it, red. Always said in words too. */
export function urgency(minutesWaited, overdue, target) {
  if (overdue) return { level: "red", text: "Overdue" };
  if (minutesWaited >= (target * 2) / 3) return { level: "amber", text: "Due soon" };
  return { level: "ok", text: "Within target" };
}

const status = h("p", { class: "meta", id: "queue-updated" });
const stale = h("div", { id: "queue-stale" });
const live = h("p", { class: "visually-hidden", "aria-live": "polite", id: "queue-count-live" });
const list = h("ul", { class: "queue", id: "queue", "aria-labelledby": "queue-heading" });
const refreshButton = h("button", { class: "button button--secondary button--small", type: "button", id: "refresh-now" }, "Refresh now");
let lastCount = null;
/** The last queue the server gave, and when (the server's clock and this browser's), so minutes keep counting between refreshes. */
let last = null;
let failedSince = null;
let lastError = null;

/** Minutes a case has waited now: the server's count at its answer, plus the time this browser has counted since. */
function waitedNow(c) {
  const serverNow = new Date(last.at).getTime() + (Date.now() - last.fetchedAt);
  return Math.max(0, Math.floor((serverNow - new Date(c.receivedAt).getTime()) / 60000));
}

function row(c, target) {
  const waited = waitedNow(c);
  // A parked case is not triaged from here: a person takes it over on its page (resume or close).
  const parked = c.status === "needs-attention";
  const u = parked ? { level: "red", text: "Needs a person" } : urgency(waited, c.overdue || waited > target, target);
  const caseUrl = `case.html?id=${encodeURIComponent(c.caseId)}`;
  return h("li", { class: u.level, "data-case-id": c.caseId },
    h("div", { class: "waited" }, `${waited} min`, h("small", {}, "waited"),
      h("span", { class: `tag tag--${u.level}` }, u.text)),
    h("div", {},
      h("h3", { class: "case-title" }, h("a", { href: caseUrl, "data-focus": `open-${c.caseId}` }, `${c.patientName}`,
        h("span", { class: "visually-hidden" }, `, case ${shortId(c.caseId)}`))),
      h("p", {}, c.reason),
      h("p", { class: "meta" }, `Case ${shortId(c.caseId)} · call from the ${words(c.callerRole)} at ${fmtTime(c.receivedAt)} · ${c.postcode}`,
        c.escalations ? ` · escalated ${c.escalations} time${c.escalations === 1 ? "" : "s"}` : "",
        c.needsAttention ? ` · needs a person: ${c.needsAttention.reason}` : "")),
    parked ? h("div", { class: "actions" },
      h("a", { class: "button", href: caseUrl, "data-focus": `take-over-${c.caseId}`, "aria-label": `Take over ${c.patientName}: the case needs a person` }, "Take over"))
    : me.role === "anp" ? h("div", { class: "actions" },
      h("a", { class: "button", href: `${caseUrl}&triage=1`, "data-focus": `triage-${c.caseId}`, "aria-label": `Triage ${c.patientName}, waited ${waited} minutes` }, "Triage")) : null);
}

/** Draws the last queue again with minutes counted to now; keeps keyboard focus where it was. */
function draw() {
  if (!last) return;
  const focused = document.activeElement?.getAttribute?.("data-focus");
  const items = last.cases.map(c => row(c, last.responseTargetMinutes));
  list.replaceChildren(...(items.length ? items : [h("li", {}, "No calls are waiting for triage.")]));
  // A refresh must not throw a keyboard user back to the top of the page.
  if (focused) list.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
}

/**
 * A queue that could not be refreshed must not pass for a current one (hazard H53): a warning above the list says so
 * in words and since when, that calls may be missing, the tab's title says it, and minutes waited keep counting.
 * Announced once when it goes stale; later failures only update when it was last refreshed.
 */
function showStale(error) {
  const since = last ? fmtTime(new Date(last.fetchedAt).toISOString()) : "the page opened";
  document.title = "OUT OF DATE – Triage queue – Crisis care and discharge";
  list.classList.add("queue--stale");
  if (!stale.firstChild)
    stale.replaceChildren(h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
      h("h2", {}, "This queue is out of date"),
      h("p", {}, `It has not refreshed since ${since}. New calls may be waiting that are not shown, and calls shown may have been triaged. Minutes waited below still count.`),
      h("p", { class: "meta", id: "queue-stale-why" }),
      h("p", {}, "If this does not clear, call the SPOC coordinator and check the queue another way."),
      h("button", { class: "button button--small", type: "button", onclick: refresh }, "Try again now")));
  const minutes = Math.floor((Date.now() - failedSince) / 60000);
  stale.querySelector("#queue-stale-why").textContent =
    `Failing for ${minutes < 1 ? "under a minute" : `${minutes} minute${minutes === 1 ? "" : "s"}`} (${error.message}); trying again every ${REFRESH_SECONDS} seconds.`;
}

function clearStale() {
  failedSince = null;
  lastError = null;
  document.title = "Triage queue – Crisis care and discharge";
  list.classList.remove("queue--stale");
  stale.replaceChildren();
}

async function refresh() {
  try {
    const q = await api("/api/triage/queue");
    last = { ...q, fetchedAt: Date.now() };
    clearStale();
    draw();
    status.textContent = `${q.cases.length} waiting · response target ${q.responseTargetMinutes} minutes · updated ${fmtTime(new Date().toISOString())}, refreshes every ${REFRESH_SECONDS} seconds`;
    if (lastCount !== q.cases.length) live.textContent = `${q.cases.length} call${q.cases.length === 1 ? "" : "s"} waiting for triage`;
    lastCount = q.cases.length;
  } catch (e) {
    failedSince ??= Date.now();
    lastError = e;
    draw();
    showStale(e);
    status.textContent = `Not refreshed: last updated ${last ? fmtTime(new Date(last.fetchedAt).toISOString()) : "never"}.`;
  }
}

if (me) {
  refreshButton.addEventListener("click", refresh);
  main().replaceChildren(
    h("h1", { id: "queue-heading" }, "Triage queue"),
    h("p", { class: "lede" }, "Palliative calls from NHS 111 waiting for an ANP, longest wait first."),
    stale, h("div", { class: "inline-fields" }, status, refreshButton), live, list);
  refresh();
  setInterval(refresh, REFRESH_SECONDS * 1000);
  // Minutes waited move on between refreshes, and go on counting if a refresh fails.
  setInterval(() => { draw(); if (lastError) showStale(lastError); }, 15 * 1000);
}
