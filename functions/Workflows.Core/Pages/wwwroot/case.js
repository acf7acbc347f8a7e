import { api, requireRole, renderHeader, h, main, fmtDateTime, fmtDate, fmtTime, shortId, words, sentence, notice, onSubmit, localDateTime, summaryList, story, places, placeName, planQuestions, whatMattersRows } from "./app.js";

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
  "hca-offered": "Offered to an HCA", "hca-accepted": "HCA accepted", "hca-assigned": "HCA on the way", visit: "Visit",
  "visit-corrected": "Visit corrected", "check-in": "HCA checked in", "package-arranged": "Care package arranged",
  "bridging-ended": "ECSS bridging ended", "family-updated": "Family texted",
  "needs-attention": "Parked for a person to take over", "holds-released": "HCA and open offers released", resumed: "Resumed by staff",
};
const outcomes = [
  ["advice", "Advice given", "Symptom management or other advice resolves the call; the case closes."],
  ["prescription", "Prescription issued", "For example an electronic prescription; the case closes."],
  ["refer", "Refer to another service", "Choose a service open now, or the needs and the app finds one."],
  ["ecss", "Send to ECSS", "An on-call HCA is found and texted; the case is bridged until substantive care is in place."],
];
const closeReasons = [["died", "Patient died"], ["admitted", "Admitted to hospital or hospice"], ["package", "Substantive care package in place"],
  ["resolved", "Resolved"], ["cancelled", "Cancelled"], ["other", "Other"]];

/** The triage form's optional part: what the ANP knows of the patient's wishes and plan. */
function whatMattersPart() {
  const question = ([k, label]) => h("fieldset", { id: `plan-${k}` }, h("legend", {}, label),
    h("div", { class: "choices" }, [["yes", "Yes"], ["no", "No"], ["", "Not known"]].map(([v, t]) => h("div", { class: "choice" },
      h("input", { type: "radio", name: `plan-${k}`, id: `plan-${k}-${v || "unknown"}`, value: v, checked: v === "" }),
      h("label", { for: `plan-${k}-${v || "unknown"}` }, t)))));
  return h("fieldset", { id: "what-matters" }, h("legend", {}, "What matters to the patient (optional)"),
    h("p", { class: "hint" }, "Record what you know; leave the rest. The HCA sees it when they attend."),
    h("div", { class: "form-group" }, h("label", { for: "preferred-place" }, "Preferred place of death"),
      h("select", { id: "preferred-place" }, h("option", { value: "" }, "Not discussed"), places.map(([v, t]) => h("option", { value: v }, t)))),
    planQuestions.map(question),
    h("div", { class: "form-group" }, h("label", { for: "main-carer" }, "Main carer (optional)"),
      h("p", { class: "hint", id: "main-carer-hint" }, "Who cares for the patient day to day, for example: Daughter (Sarah)."),
      h("input", { type: "text", id: "main-carer", maxlength: 100, "aria-describedby": "main-carer-hint" })));
}

/** The triage body's what-matters fields from the form: each left out when not known. */
function whatMattersBody(form) {
  const body = {};
  const place = form.querySelector("#preferred-place").value;
  if (place) body.preferredPlaceOfDeath = place;
  const plan = {};
  for (const [k] of planQuestions) {
    const v = form.querySelector(`input[name=plan-${k}]:checked`)?.value;
    if (v) plan[k] = v === "yes";
  }
  const carer = form.querySelector("#main-carer").value.trim();
  if (carer) plan.mainCarer = carer;
  if (Object.keys(plan).length) body.carePlan = plan;
  return body;
}

function age(dob) {
  const b = new Date(dob), n = new Date();
  return n.getFullYear() - b.getFullYear() - (n < new Date(n.getFullYear(), b.getMonth(), b.getDate()) ? 1 : 0);
}

function statusTag(s) {
  const [text, level] = statusTags[s] || [sentence(s), "grey"];
  return h("strong", { class: `tag tag--${level}`, id: "case-status" }, text);
}

async function triageForm(c, onDone) {
  let services = [];
  try { services = (await api("/api/directory/open-now")).services || []; } catch { /* the ANP can still choose an outcome; refer says no service is listed */ }
  services = services.filter(s => s.id !== "spoc-ecss");
  const needs = [...new Set(services.flatMap(s => s.needs))].sort();
  const errorBox = h("div");
  const referPart = h("div", { id: "refer-details", hidden: true },
    h("div", { class: "form-group" }, h("label", { for: "service-id" }, "Service (open now)"),
      h("p", { class: "hint", id: "service-id-hint" }, "Or leave this and tick what the patient needs: the app refers to a service open now that meets them, in the order ticked."),
      h("select", { id: "service-id", name: "serviceId", "aria-describedby": "service-id-hint" }, h("option", { value: "" }, "Let the app choose by need"),
        services.map(s => h("option", { value: s.id }, s.openUntil ? `${s.name} (open until ${fmtTime(s.openUntil)})` : `${s.name} (open all day)`)))),
    needs.length ? h("fieldset", { id: "needs" }, h("legend", {}, "What the patient needs"),
      h("div", { class: "choices" }, needs.map(n => h("div", { class: "choice" },
        h("input", { type: "checkbox", id: `need-${n}`, name: "needs", value: n }), h("label", { for: `need-${n}` }, sentence(n))))))
      : h("p", {}, "No service in the directory is open now: choose another outcome, or refer by phone and record it in the notes."));
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
    whatMattersPart(),
    h("button", { class: "button", type: "submit", id: "record-triage" }, "Record outcome"));
  form.addEventListener("change", () => {
    referPart.hidden = form.querySelector("input[name=outcome]:checked")?.value !== "refer";
  });
  const outcome = () => form.querySelector("input[name=outcome]:checked")?.value;
  const chosenNeeds = () => [...form.querySelectorAll("input[name=needs]:checked")].map(i => i.value);
  onSubmit(form, errorBox, {
    fields: { outcome: "outcome-advice", notes: "notes", serviceId: "service-id", needs: needs.length ? `need-${needs[0]}` : "service-id",
      preferredPlaceOfDeath: "preferred-place", "carePlan.mainCarer": "main-carer" },
    labels: { outcome: "Outcome", notes: "Notes", serviceId: "Service", needs: "Needs", preferredPlaceOfDeath: "Preferred place of death", "carePlan.mainCarer": "Main carer" },
    check: () => {
      const e = {};
      if (!outcome()) e.outcome = ["Select the outcome of your triage."];
      if (outcome() === "refer" && !form.querySelector("#service-id").value && chosenNeeds().length === 0)
        e.needs = ["Select what the patient needs, or choose a service."];
      if (!form.querySelector("#notes").value.trim()) e.notes = ["Enter your notes: what you found and what you did."];
      return e;
    },
    send: async () => {
      const body = { outcome: outcome(), notes: form.querySelector("#notes").value, ...whatMattersBody(form) };
      if (body.outcome === "refer") {
        const serviceId = form.querySelector("#service-id").value;
        if (serviceId) body.serviceId = serviceId;
        body.needs = chosenNeeds();
      }
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/triage`, { method: "POST", body });
      onDone(body.outcome);
    },
  });
  return form;
}

function packageForm(c, onDone) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", id: "package-form", novalidate: true, "aria-labelledby": "package-heading" },
    h("h2", { id: "package-heading" }, "Record the care package"),
    h("p", { class: "hint" }, "Substantive care arranged for the patient. ECSS visits carry on until it starts; then bridging ends, the HCA is freed and the case closes."),
    errorBox,
    h("div", { class: "form-group" }, h("label", { for: "package-provider" }, "Provider"),
      h("p", { class: "hint", id: "package-provider-hint" }, "Who provides the care, e.g. Peak Home Care."),
      h("input", { type: "text", id: "package-provider", autocomplete: "off", "aria-describedby": "package-provider-hint" })),
    h("div", { class: "form-group" }, h("label", { for: "package-starts" }, "Starts"),
      h("p", { class: "hint", id: "package-starts-hint" }, "Date and time the care starts (now if it is in place)."),
      h("input", { type: "datetime-local", id: "package-starts", value: localDateTime(new Date()), "aria-describedby": "package-starts-hint" })),
    h("button", { class: "button", type: "submit" }, "Record care package"));
  onSubmit(form, errorBox, {
    fields: { provider: "package-provider", startsAt: "package-starts" },
    labels: { provider: "Provider", startsAt: "Starts" },
    check: () => {
      const e = {};
      if (!form.querySelector("#package-provider").value.trim()) e.provider = ["Enter who provides the care."];
      if (!form.querySelector("#package-starts").value) e.startsAt = ["Enter when the care starts."];
      return e;
    },
    send: async () => {
      const provider = form.querySelector("#package-provider").value.trim();
      const startsAt = new Date(form.querySelector("#package-starts").value);
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/package`, { method: "POST", body: { provider, startsAt: startsAt.toISOString() } });
      onDone(provider, startsAt);
    },
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
  onSubmit(form, errorBox, {
    fields: { notes: "resume-notes" },
    labels: { notes: "What you did" },
    send: async () => {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/resume`, { method: "POST", body: { notes: form.querySelector("#resume-notes").value } });
      onDone();
    },
  });
  return form;
}

function closeForm(c, onDone) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", id: "close-form", novalidate: true, "aria-labelledby": "close-heading" },
    h("h2", { id: "close-heading" }, "Close the case"), errorBox,
    h("div", { class: "form-group" }, h("label", { for: "close-reason" }, "Reason"),
      h("select", { id: "close-reason" }, h("option", { value: "" }, "Choose a reason"), closeReasons.map(([v, t]) => h("option", { value: v }, t)))),
    h("div", { class: "form-group", id: "place-of-death-group", hidden: true }, h("label", { for: "place-of-death" }, "Place of death"),
      h("select", { id: "place-of-death" }, h("option", { value: "" }, "Not recorded"), places.map(([v, t]) => h("option", { value: v }, t)))),
    h("div", { class: "form-group" }, h("label", { for: "close-notes" }, "Notes (optional)"), h("textarea", { id: "close-notes", rows: 3 })),
    h("button", { class: "button button--warning", type: "submit" }, "Close case"));
  const died = () => form.querySelector("#close-reason").value === "died";
  form.querySelector("#close-reason").addEventListener("change", () => { form.querySelector("#place-of-death-group").hidden = !died(); });
  onSubmit(form, errorBox, {
    fields: { reason: "close-reason", notes: "close-notes", placeOfDeath: "place-of-death" },
    labels: { reason: "Reason", notes: "Notes", placeOfDeath: "Place of death" },
    check: () => form.querySelector("#close-reason").value ? {} : { reason: ["Choose why the case is closing."] },
    send: async () => {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/close`, { method: "POST",
        body: { reason: form.querySelector("#close-reason").value, notes: form.querySelector("#close-notes").value,
          ...(died() && form.querySelector("#place-of-death").value ? { placeOfDeath: form.querySelector("#place-of-death").value } : {}) } });
      onDone();
    },
  });
  return form;
}

const deliveryTags = {
  delivered: ["Delivered", "ok"], sent: ["Sent, no receipt yet", "blue"], sending: ["Sending", "amber"], retrying: ["Retrying", "amber"],
  undelivered: ["Not delivered", "red"], failed: ["Failed", "red"], rejected: ["Not sent: not a UK mobile", "red"], suppressed: ["Not sent: opted out", "grey"],
  waiting: ["Waiting: SMS not set up", "amber"], withdrawn: ["Not sent: too late", "grey"],
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

function visitsTable(visits) {
  if (visits.length === 0) return h("p", { id: "visits" }, "No visits recorded yet.");
  return h("div", { class: "table-scroll" }, h("table", { id: "visits" }, h("caption", { class: "visually-hidden" }, "Visits"),
    h("thead", {}, h("tr", {}, ["Visit", "HCA", "Care given", "Notes"].map(t => h("th", { scope: "col" }, t)))),
    h("tbody", {}, visits.slice().sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt)).map(v => h("tr", {},
      h("td", {}, `${fmtDateTime(v.arrivedAt)} to ${fmtTime(v.leftAt)}`), h("td", {}, v.hcaName),
      h("td", {}, v.care.map(sentence).join(", ")), h("td", {}, v.notes || "—"))))));
}

/** The ECSS part in words: who is with the patient, or where finding one stands. */
function ecssRows(c) {
  const e = c.ecss;
  if (!e) return [["Assigned HCA", "None: this case is not with ECSS"]];
  const offered = e.dispatch.offers.filter(o => o.outcome === "offered").map(o => `${o.hcaName}, answer by ${fmtTime(o.expiresAt)}`);
  return [
    ["Assigned HCA", e.hca ? e.hca.name : "None assigned yet"],
    ["Finding an HCA", e.hca ? null : offered.length ? `Offered to ${offered.join("; ")}` : e.dispatch.state === "unfilled"
      ? `Nobody has accepted yet; offering again${e.dispatch.nextRoundAt ? ` at ${fmtTime(e.dispatch.nextRoundAt)}` : ""}` : sentence(e.dispatch.state)],
    ["With ECSS since", e.bridgingSince && fmtDateTime(e.bridgingSince)],
    ["Last visit or check-in", e.lastContactAt && fmtDateTime(e.lastContactAt)],
    ["Care package", e.package && `${e.package.provider}, from ${fmtDateTime(e.package.startsAt)}`],
  ];
}

async function render(flash) {
  let c;
  try { c = await api(`/api/cases/${encodeURIComponent(caseId)}`); } catch (e) {
    const offered = e.status === 403 && me.role === "hca";
    main().replaceChildren(h("h1", {}, offered ? "You cannot open this case" : e.status === 404 ? "Case not found" : "The case could not be loaded"),
      h("p", {}, e.message), h("p", {}, h("a", { href: me.role === "hca" ? "hca.html" : "triage.html" }, me.role === "hca" ? "Back to HCA today" : "Back to the triage queue")));
    return;
  }
  document.title = `Case ${shortId(c.caseId)} – Crisis care and discharge`;
  const p = c.patient || {};
  const staff = ["anp", "coordinator"].includes(me.role);
  const parts = [
    h("p", {}, me.role === "anp" ? h("a", { href: "triage.html" }, "Back to the triage queue")
      : h("a", { href: staff ? "cases.html" : "hca.html" }, staff ? "Back to open cases" : "Back to HCA today")),
    flash || null,
    h("h1", {}, p.name || "Patient", h("span", { class: "visually-hidden" }, ","), " ", h("span", { class: "meta" }, `Case ${shortId(c.caseId)}`)),
    h("p", {}, "Status: ", statusTag(c.status), c.closed ? ` (${words(c.closed.reason)}${c.closed.placeOfDeath ? `, ${placeName(c.closed.placeOfDeath).toLowerCase()}` : ""}, ${fmtDateTime(c.closed.at)})` : ""),
  ];
  const actions = h("div", { id: "actions" });
  parts.push(actions,
    h("h2", {}, "The call"),
    summaryList([
      ["Reason for the call", c.reason], ["Received", fmtDateTime(c.receivedAt)], ["Caller", sentence(c.callerRole)],
      ["Callback number", c.callbackNumber && h("a", { href: `tel:${c.callbackNumber}` }, c.callbackNumber)],
      ["NHS number", p.nhsNumber], ["Date of birth", p.dateOfBirth && `${fmtDate(p.dateOfBirth)} (aged ${age(p.dateOfBirth)})`], ["Address", [p.address, p.postcode].filter(Boolean).join(", ")],
      ["Patient phone", p.phone && h("a", { href: `tel:${p.phone}` }, p.phone)],
    ]));
  if (c.needsAttention) parts.push(h("div", { class: "notice notice--warning" }, h("strong", {}, "Needs attention: "), `${c.needsAttention.reason} (since ${fmtDateTime(c.needsAttention.at)}).`));
  if (c.triage) parts.push(h("h2", {}, "Triage"), summaryList([["Outcome", sentence(c.triage.outcome)], ["Notes", c.triage.notes], ["By", c.triage.by], ["At", c.triage.at && fmtDateTime(c.triage.at)]]));
  if (c.whatMatters) parts.push(h("h2", {}, "What matters to the patient"), summaryList(whatMattersRows(c.whatMatters), "what-matters"));
  if (c.referral) parts.push(summaryList([["Referred to", c.referral.serviceName || "No service found: arrange care directly"],
    ["How", c.referral.route ? `${c.referral.route.method}: ${c.referral.route.contact}` : null],
    ["Opens", c.referral.openAtReferral === false && c.referral.opensAt ? fmtDateTime(c.referral.opensAt) : null]], "referral"));
  parts.push(h("h2", {}, "ECSS"), summaryList(ecssRows(c), "ecss"));
  if (c.ecss) parts.push(h("h3", {}, "Visits"), visitsTable(c.ecss.visits));
  const contacts = c.familyContacts || [];
  parts.push(h("h2", {}, "Family contacts"), contacts.length === 0 ? h("p", {}, "No family contacts were given.") :
    h("div", { class: "table-scroll" }, h("table", { id: "family-contacts" }, h("caption", { class: "visually-hidden" }, "Family contacts"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Relationship"), h("th", { scope: "col" }, "Phone"), h("th", { scope: "col" }, "SMS consent"))),
      h("tbody", {}, contacts.map(f => h("tr", {}, h("td", {}, f.name), h("td", {}, f.relationship), h("td", {}, h("a", { href: `tel:${f.phone}` }, f.phone)),
        h("td", {}, f.smsConsent ? h("span", { class: "tag tag--ok" }, "Yes, may be texted") : h("span", { class: "tag tag--grey" }, "No texts"))))))));
  if (staff) {
    let messages = null;
    try { messages = (await api(`/api/cases/${encodeURIComponent(c.caseId)}/messages`)).messages; } catch { /* shown as unavailable below */ }
    parts.push(h("h2", {}, "Texts sent"), messages ? messagesTable(messages) : h("p", {}, "The texts for this case could not be loaded."));
  }
  parts.push(h("h2", {}, "What has happened"), story(c.timeline || [], storySteps));
  main().replaceChildren(...parts.filter(Boolean));

  if (me.role === "anp" && c.status === "awaiting-triage") {
    const form = await triageForm(c, (outcome) => render(notice(`Triage recorded: ${words(outcome)}. The case moves on from the queue.`)));
    actions.append(form);
    if (params.get("triage") === "1" && !flash) form.querySelector("input[name=outcome]").focus();
  }
  if (staff && ["awaiting-hca", "bridging"].includes(c.status) && !c.ecss?.package)
    actions.append(packageForm(c, (provider, startsAt) => render(notice(startsAt <= new Date()
      ? `Care package recorded: ${provider}, in place now. ECSS bridging ends and the case closes in a moment.`
      : `Care package recorded: ${provider}, from ${fmtDateTime(startsAt.toISOString())}. ECSS visits carry on until then.`))));
  if (staff && c.status === "needs-attention")
    actions.replaceChildren(resumeForm(c, () => render(notice("Resumed. The case carries on where it stopped."))));
  if (staff && c.status !== "closed")
    main().appendChild(closeForm(c, () => render(notice("Close requested. The case will show as closed in a moment."))));
  if (flash) flash.focus();
}

if (me && caseId) render();
else if (me) main().replaceChildren(h("h1", {}, "No case chosen"), h("p", {}, h("a", { href: "cases.html" }, "Go to the open cases")));
