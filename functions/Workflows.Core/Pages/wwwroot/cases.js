import { api, requireRole, renderHeader, h, main, fmtDateTime, fmtTime, shortId, sentence, errorSummary } from "./app.js";

renderHeader("cases.html");
const me = requireRole("anp", "coordinator");

/** The open cases by where they stand, each part with what the coordinator does next. */
const parts = [
  { status: "awaiting-hca", heading: "Finding an HCA", hint: "ECSS is offering the visit to the HCAs on shift. If nobody accepts you are texted: arrange cover and record it on the case.",
    columns: ["Patient", "Triaged", "Finding an HCA"], cells: (c) => [fmtDateTime(c.triagedAt || c.receivedAt), dispatch(c)] },
  { status: "bridging", heading: "Bridged by ECSS", hint: "An HCA visits until substantive care starts. Record the care package when it is arranged, or close the case.",
    columns: ["Patient", "HCA", "With ECSS since", "Last visit or check-in", "Care package"],
    cells: (c) => [c.hca?.name || "—", c.bridgingSince ? fmtDateTime(c.bridgingSince) : "—", c.lastContactAt ? fmtDateTime(c.lastContactAt) : "—",
      c.package ? `${c.package.provider}, from ${fmtDateTime(c.package.startsAt)}` : h("span", { class: "tag tag--amber" }, "None yet")] },
  { status: "referred", heading: "Referred to another service", hint: "Close the case once the service has taken the patient on.",
    columns: ["Patient", "Triaged", "Referred to"], cells: (c) => [fmtDateTime(c.triagedAt || c.receivedAt), c.referredTo || "No service found: arrange care directly"] },
  { status: "triaged", heading: "Triaged a moment ago", hint: "The app is acting on the ANP's decision.",
    columns: ["Patient", "Triaged", "Outcome"], cells: (c) => [fmtDateTime(c.triagedAt || c.receivedAt), sentence(c.triageOutcome || "")] },
];

function dispatch(c) {
  if (c.dispatchState === "unfilled") return h("span", { class: "tag tag--red" }, "Nobody has accepted yet");
  if (c.dispatchState === "handover") return h("span", { class: "tag tag--amber" }, "Offering to the next shift");
  return h("span", { class: "tag tag--amber" }, "Offering");
}

function table(part, cases) {
  const id = `cases-${part.status}`;
  return h("section", { "aria-labelledby": `${id}-heading` },
    h("h2", { id: `${id}-heading` }, `${part.heading} (${cases.length})`),
    h("p", { class: "hint" }, part.hint),
    cases.length === 0 ? h("p", { id }, "None.") : h("div", { class: "table-scroll" }, h("table", { id },
      h("caption", { class: "visually-hidden" }, part.heading),
      h("thead", {}, h("tr", {}, part.columns.map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, cases.map(c => h("tr", { "data-case-id": c.caseId },
        h("th", { scope: "row" }, h("a", { href: `case.html?id=${encodeURIComponent(c.caseId)}` }, c.patientName,
          h("span", { class: "visually-hidden" }, `, case ${shortId(c.caseId)}`)), h("br"), h("span", { class: "meta" }, `Case ${shortId(c.caseId)} · ${c.postcode}`)),
        part.cells(c).map(x => h("td", {}, x))))))));
}

async function render() {
  const updated = h("p", { class: "meta", id: "cases-updated" });
  let open;
  try { open = (await api("/api/cases")).cases; } catch (e) {
    main().replaceChildren(h("h1", {}, "Open cases"), errorSummary(e));
    return;
  }
  updated.textContent = `Updated ${fmtTime(new Date().toISOString())}.`;
  main().replaceChildren(h("h1", {}, "Open cases"),
    h("p", { class: "lede" }, "Cases the ANP has triaged that are not yet closed. Calls still waiting are in the triage queue."),
    h("div", { class: "inline-fields" }, updated, h("button", { class: "button button--secondary button--small", type: "button", onclick: render }, "Refresh")),
    ...parts.filter(p => p.status !== "triaged" || open.some(c => c.status === "triaged")).map(p => table(p, open.filter(c => c.status === p.status))));
}

if (me) render();
