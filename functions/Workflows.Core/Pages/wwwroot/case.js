import { api, requireRole, renderHeader, h, main, fmtDateTime, fmtDate, shortId, words, sentence, errorSummary, notice } from "./app.js";

renderHeader("");
const params = new URLSearchParams(location.search);
const caseId = params.get("id");
const me = requireRole("anp", "coordinator", "hca");

const statusTags = {
  "awaiting-triage": ["Waiting for triage", "amber"], triaged: ["Triaged", "blue"], referred: ["Referred", "blue"],
  "awaiting-hca": ["Finding an HCA", "amber"], bridging: ["ECSS bridging", "blue"], closed: ["Closed", "grey"],
  "needs-attention": ["Needs a person", "red"],
};
/** How each step of a case reads in its story; an unknown step falls back to its own name. */
const storySteps = {
  "case-opened": "Call received from NHS 111", "triage-overdue": "Triage overdue", triaged: "Triaged by the ANP",
  referred: "Referred to a service", "ecss-referred": "Sent to the Emergency Carer Support Service", closed: "Case closed",
  "needs-attention": "Parked for a person to take over", "holds-released": "HCA and open offers released", resumed: "Resumed by staff",
};
const outcomes = [
  ["advice", "Advice given", "Symptom management or other advice resolves the call; the case closes."],
  ["prescription", "Prescription issued", "For example an electronic prescription; the case closes."],
  ["refer", "Refer to another service", "Choose a service open now, or the needs and the app finds one."],
  ["ecss", "Send to ECSS", "An on-call HCA is found and texted; the case is bridged until substantive care is in place."],
];

function age(dob) {
  const b = new Date(dob), n = new Date();
  return n.getFullYear() - b.getFullYear() - (n < new Date(n.getFullYear(), b.getMonth(), b.getDate()) ? 1 : 0);
}

function statusTag(s) {
  const [text, level] = statusTags[s] || [sentence(s), "grey"];
  return h("strong", { class: `tag tag--${level}`, id: "case-status" }, text);
}

function summaryList(rows) {
  return h("dl", { class: "summary-list" }, rows.filter(r => r[1] !== null && r[1] !== undefined && r[1] !== "")
    .map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))));
}

async function triageForm(c, onDone) {
  let services = [];
  try { services = (await api("/api/directory/open-now")).services || []; } catch { /* the ANP can still refer by need */ }
  const needs = [...new Set(services.flatMap(s => s.needs || []))].sort();
  const errorBox = h("div");
  const referPart = h("div", { id: "refer-details", hidden: true },
    h("div", { class: "form-group" }, h("label", { for: "service-id" }, "Service (open now)"),
      h("select", { id: "service-id", name: "serviceId" }, h("option", { value: "" }, "Let the app choose by need"),
        services.filter(s => s.id !== "spoc-ecss").map(s => h("option", { value: s.id }, s.name)))),
    needs.length ? h("fieldset", {}, h("legend", {}, "Needs (when no service is chosen)"),
      h("div", { class: "choices", id: "needs" }, needs.map(n => h("div", { class: "choice" },
        h("input", { type: "checkbox", id: `need-${n}`, name: "needs", value: n }), h("label", { for: `need-${n}` }, sentence(n)))))) : null);
  const form = h("form", { id: "triage-form", class: "panel", novalidate: true, "aria-labelledby": "triage-heading" },
    h("h2", { id: "triage-heading" }, "Record the triage outcome"),
    errorBox,
    h("fieldset", { id: "outcome" }, h("legend", {}, "Outcome"),
      h("div", { class: "choices" }, outcomes.map(([value, label, hint]) => h("div", { class: "choice" },
        h("input", { type: "radio", name: "outcome", id: `outcome-${value}`, value, "aria-describedby": `outcome-${value}-hint` }),
        h("label", { for: `outcome-${value}` }, label, h("span", { class: "hint", id: `outcome-${value}-hint` }, h("br"), hint)))))),
    referPart,
    h("div", { class: "form-group" }, h("label", { for: "notes" }, "Notes"),
      h("p", { class: "hint", id: "notes-hint" }, "What you found and what you did. Staff see these; they are never texted."),
      h("textarea", { id: "notes", name: "notes", rows: 4, "aria-describedby": "notes-hint" })),
    h("button", { class: "button", type: "submit", id: "record-triage" }, "Record outcome"));
  form.addEventListener("change", () => {
    referPart.hidden = form.querySelector("input[name=outcome]:checked")?.value !== "refer";
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const outcome = form.querySelector("input[name=outcome]:checked")?.value;
    const body = { outcome, notes: form.querySelector("#notes").value };
    if (outcome === "refer") {
      const serviceId = form.querySelector("#service-id").value;
      if (serviceId) body.serviceId = serviceId;
      body.needs = [...form.querySelectorAll("input[name=needs]:checked")].map(i => i.value);
    }
    const button = form.querySelector("#record-triage");
    button.disabled = true;
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/triage`, { method: "POST", body });
      onDone(outcome);
    } catch (err) {
      errorBox.replaceChildren(errorSummary(err, { outcome: "outcome-advice", notes: "notes", needs: "refer-details", serviceId: "service-id" }));
      errorBox.firstChild.focus();
      button.disabled = false;
    }
  });
  return form;
}

/** A parked case: why, and sending it on where it was once the cause is dealt with (closing it is the form below). */
function resumeForm(c, onDone) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", id: "resume-form", novalidate: true },
    h("h2", {}, "This case needs a person"), errorBox,
    h("p", {}, c.needsAttention ? `${c.needsAttention.reason} (since ${fmtDateTime(c.needsAttention.at)}).` : "A step of this case kept failing."),
    h("p", {}, "Deal with what it was doing by phone if it cannot wait, then resume it: it carries on where it stopped. Or close it below."),
    h("div", { class: "form-group" }, h("label", { for: "resume-notes" }, "What you did (optional)"), h("textarea", { id: "resume-notes", rows: 3 })),
    h("button", { class: "button", type: "submit" }, "Resume the case"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/resume`, { method: "POST", body: { notes: form.querySelector("#resume-notes").value } });
      onDone();
    } catch (err) {
      errorBox.replaceChildren(errorSummary(err, { notes: "resume-notes" }));
      errorBox.firstChild.focus();
    }
  });
  return form;
}

function closeForm(c, onDone) {
  const reasons = [["died", "Patient died"], ["admitted", "Admitted to hospital or hospice"], ["package", "Substantive care package in place"],
    ["resolved", "Resolved"], ["cancelled", "Cancelled"], ["other", "Other"]];
  const errorBox = h("div");
  const form = h("form", { class: "panel", id: "close-form", novalidate: true },
    h("h2", {}, "Close the case"), errorBox,
    h("div", { class: "form-group" }, h("label", { for: "close-reason" }, "Reason"),
      h("select", { id: "close-reason" }, h("option", { value: "" }, "Choose a reason"), reasons.map(([v, t]) => h("option", { value: v }, t)))),
    h("div", { class: "form-group" }, h("label", { for: "close-notes" }, "Notes (optional)"), h("textarea", { id: "close-notes", rows: 3 })),
    h("button", { class: "button button--warning", type: "submit" }, "Close case"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/close`, { method: "POST",
        body: { reason: form.querySelector("#close-reason").value, notes: form.querySelector("#close-notes").value } });
      onDone();
    } catch (err) {
      errorBox.replaceChildren(errorSummary(err, { reason: "close-reason", notes: "close-notes" }));
      errorBox.firstChild.focus();
    }
  });
  return form;
}

const deliveryTags = {
  delivered: ["Delivered", "ok"], sent: ["Sent, no receipt yet", "blue"], sending: ["Sending", "amber"], retrying: ["Retrying", "amber"],
  undelivered: ["Not delivered", "red"], failed: ["Failed", "red"], rejected: ["Not sent: not a UK mobile", "red"], suppressed: ["Not sent: opted out", "grey"],
};

function messagesTable(messages) {
  if (messages.length === 0) return h("p", { id: "messages" }, "No texts have been sent about this case.");
  return h("div", { class: "table-scroll" }, h("table", { id: "messages" }, h("caption", { class: "visually-hidden" }, "Texts sent about this case"),
    h("thead", {}, h("tr", {}, ["Sent", "To", "Message", "Delivery"].map(t => h("th", { scope: "col" }, t)))),
    h("tbody", {}, messages.map(m => {
      const [text, level] = deliveryTags[m.status] || [sentence(m.status), "grey"];
      return h("tr", {}, h("td", {}, fmtDateTime(m.sentAt)), h("td", {}, m.recipient, h("br"), h("span", { class: "meta" }, m.to)),
        h("td", {}, m.body), h("td", {}, h("span", { class: `tag tag--${level}` }, text),
          m.deliveryReportAt ? h("span", { class: "meta" }, h("br"), fmtDateTime(m.deliveryReportAt)) : null));
    }))));
}

function story(timeline) {
  return h("ol", { class: "timeline", id: "timeline" }, timeline.map(e => h("li", {},
    h("span", { class: "when" }, h("time", { datetime: e.at }, fmtDateTime(e.at)), ` · ${e.actor}`),
    h("span", { class: "what" }, storySteps[e.kind] || sentence(e.kind)), h("br"), e.summary)));
}

async function render(flash) {
  let c;
  try { c = await api(`/api/cases/${encodeURIComponent(caseId)}`); } catch (e) {
    main().replaceChildren(h("h1", {}, "Case not found"), h("p", {}, e.message), h("p", {}, h("a", { href: "triage.html" }, "Back to the triage queue")));
    return;
  }
  document.title = `Case ${shortId(c.caseId)} – Crisis care and discharge`;
  const p = c.patient || {};
  const parts = [
    h("p", {}, h("a", { href: me.role === "hca" ? "hca.html" : "triage.html" }, me.role === "hca" ? "Back to my cases" : "Back to the triage queue")),
    flash || null,
    h("h1", {}, p.name || "Patient", h("span", { class: "visually-hidden" }, ",")," ", h("span", { class: "meta" }, `Case ${shortId(c.caseId)}`)),
    h("p", {}, "Status: ", statusTag(c.status)),
    h("h2", {}, "The call"),
    summaryList([
      ["Reason for the call", c.reason], ["Received", fmtDateTime(c.receivedAt)], ["Caller", sentence(c.callerRole)],
      ["Callback number", c.callbackNumber && h("a", { href: `tel:${c.callbackNumber}` }, c.callbackNumber)],
      ["NHS number", p.nhsNumber], ["Date of birth", p.dateOfBirth && `${fmtDate(p.dateOfBirth)} (aged ${age(p.dateOfBirth)})`], ["Address", [p.address, p.postcode].filter(Boolean).join(", ")],
      ["Patient phone", p.phone && h("a", { href: `tel:${p.phone}` }, p.phone)],
    ]),
  ];
  if (c.triage) parts.push(h("h2", {}, "Triage"), summaryList([["Outcome", sentence(c.triage.outcome)], ["Notes", c.triage.notes], ["By", c.triage.by], ["At", c.triage.at && fmtDateTime(c.triage.at)]]));
  if (c.referral) parts.push(summaryList([["Referred to", c.referral.serviceName || "No service found: arrange care directly"],
    ["How", c.referral.route ? `${c.referral.route.method}: ${c.referral.route.contact}` : null]]));
  parts.push(h("h2", {}, "ECSS"), summaryList([["Assigned HCA", c.assignedHcaName || c.assignedHca || "None assigned"]]));
  const contacts = c.familyContacts || [];
  parts.push(h("h2", {}, "Family contacts"), contacts.length === 0 ? h("p", {}, "No family contacts were given.") :
    h("div", { class: "table-scroll" }, h("table", { id: "family-contacts" }, h("caption", { class: "visually-hidden" }, "Family contacts"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Relationship"), h("th", { scope: "col" }, "Phone"), h("th", { scope: "col" }, "SMS consent"))),
      h("tbody", {}, contacts.map(f => h("tr", {}, h("td", {}, f.name), h("td", {}, f.relationship), h("td", {}, h("a", { href: `tel:${f.phone}` }, f.phone)),
        h("td", {}, f.smsConsent ? h("span", { class: "tag tag--ok" }, "Yes, may be texted") : h("span", { class: "tag tag--grey" }, "No texts"))))))));
  if (["anp", "coordinator"].includes(me.role)) {
    let messages = null;
    try { messages = (await api(`/api/cases/${encodeURIComponent(c.caseId)}/messages`)).messages; } catch { /* shown as unavailable below */ }
    parts.push(h("h2", {}, "Texts sent"), messages ? messagesTable(messages) : h("p", {}, "The texts for this case could not be loaded."));
  }
  parts.push(h("h2", {}, "What has happened"), story(c.timeline || []));

  const actions = h("div", { id: "actions" });
  parts.splice(4, 0, actions);
  main().replaceChildren(...parts.filter(Boolean));

  if (me.role === "anp" && c.status === "awaiting-triage") {
    const form = await triageForm(c, (outcome) => render(notice(`Triage recorded: ${words(outcome)}. The case moves on from the queue.`)));
    actions.replaceChildren(form);
    if (params.get("triage") === "1" && !flash) form.querySelector("input[name=outcome]").focus();
  }
  if (["anp", "coordinator"].includes(me.role) && c.status === "needs-attention")
    actions.replaceChildren(resumeForm(c, () => render(notice("Resumed. The case carries on where it stopped."))));
  if (["anp", "coordinator"].includes(me.role) && c.status !== "closed")
    main().appendChild(closeForm(c, () => render(notice("Close requested. The case will show as closed in a moment."))));
  if (flash) { flash.focus(); }
}

if (me && caseId) render();
else if (me) main().replaceChildren(h("h1", {}, "No case chosen"), h("p", {}, h("a", { href: "triage.html" }, "Go to the triage queue")));
