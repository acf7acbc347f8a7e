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
const live = h("p", { class: "visually-hidden", "aria-live": "polite", id: "queue-count-live" });
const list = h("ul", { class: "queue", id: "queue", "aria-labelledby": "queue-heading" });
let lastCount = null;

function row(c, target) {
  // A parked case is not triaged from here: a person takes it over on its page (resume or close).
  const parked = c.status === "needs-attention";
  const u = parked ? { level: "red", text: "Needs a person" } : urgency(c.minutesWaited, c.overdue, target);
  const caseUrl = `case.html?id=${encodeURIComponent(c.caseId)}`;
  return h("li", { class: u.level, "data-case-id": c.caseId },
    h("div", { class: "waited" }, `${c.minutesWaited} min`, h("small", {}, "waited"),
      h("span", { class: `tag tag--${u.level}` }, u.text)),
    h("div", {},
      h("h3", { class: "case-title" }, h("a", { href: caseUrl, "data-focus": `open-${c.caseId}` }, `${c.patientName}`,
        h("span", { class: "visually-hidden" }, `, case ${shortId(c.caseId)}`))),
      h("p", {}, c.reason),
      h("p", { class: "meta" }, `Case ${shortId(c.caseId)} · call from the ${words(c.callerRole)} at ${fmtTime(c.receivedAt)} · ${c.postcode}`,
        c.escalations ? ` · escalated ${c.escalations} time${c.escalations === 1 ? "" : "s"}` : "")),
    parked ? h("div", { class: "actions" },
      h("a", { class: "button", href: caseUrl, "data-focus": `take-over-${c.caseId}`, "aria-label": `Take over ${c.patientName}: the case needs a person` }, "Take over"))
    : me.role === "anp" ? h("div", { class: "actions" },
      h("a", { class: "button", href: `${caseUrl}&triage=1`, "data-focus": `triage-${c.caseId}`, "aria-label": `Triage ${c.patientName}, waited ${c.minutesWaited} minutes` }, "Triage")) : null);
}

async function refresh() {
  try {
    const q = await api("/api/triage/queue");
    const focused = document.activeElement?.getAttribute?.("data-focus");
    const items = q.cases.map(c => row(c, q.responseTargetMinutes));
    list.replaceChildren(...items);
    if (q.cases.length === 0) list.replaceChildren(h("li", {}, "No calls are waiting for triage."));
    // A refresh must not throw a keyboard user back to the top of the page.
    if (focused) list.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
    status.textContent = `${q.cases.length} waiting · response target ${q.responseTargetMinutes} minutes · updated ${fmtTime(new Date().toISOString())}, refreshes every ${REFRESH_SECONDS} seconds`;
    if (lastCount !== q.cases.length) live.textContent = `${q.cases.length} call${q.cases.length === 1 ? "" : "s"} waiting for triage`;
    lastCount = q.cases.length;
  } catch (e) {
    status.textContent = `Could not refresh the queue (${e.message}). Trying again in ${REFRESH_SECONDS} seconds.`;
  }
}

if (me) {
  main().replaceChildren(
    h("h1", { id: "queue-heading" }, "Triage queue"),
    h("p", { class: "lede" }, "Palliative calls from NHS 111 waiting for an ANP, longest wait first."),
    status, live, list);
  refresh();
  setInterval(refresh, REFRESH_SECONDS * 1000);
}
