import { api, requireRole, renderHeader, h, main, fmtPence, fmtDateTime, fmtDate, sentence, notice, onSubmit, localDateTime, pence, summaryList, story } from "./app.js";
import { decisionForm, invoiceForm, cancelForm } from "./spend.js";

renderHeader("district-direct.html");
const me = requireRole("dd-officer", "dd-manager");
const referralId = new URLSearchParams(location.search).get("id");

const statusTags = {
  "awaiting-assessment": ["Waiting for a home assessment", "amber"], "awaiting-approval": ["Spend waiting for a decision", "amber"],
  "awaiting-discharge": ["Waiting for discharge", "blue"], discharged: ["Discharged home", "ok"],
};
const spendTags = {
  pending: ["Waiting for a decision", "amber"], approved: ["Approved: committed", "blue"], rejected: ["Rejected", "grey"],
  invoiced: ["Invoiced: spent", "ok"], cancelled: ["Cancelled", "grey"],
};
const tag = (tags, s) => { const [text, level] = tags[s] || [sentence(s), "grey"]; return h("strong", { class: `tag tag--${level}` }, text); };

/** The officer's home assessment: findings, and a line per item of works to pay for (none when the home needs nothing). */
function assessmentForm(r, onDone) {
  const errorBox = h("div");
  const lines = h("div", { id: "spend-lines" });
  let count = 0;
  const line = () => {
    const n = count++;
    const row = h("fieldset", { class: "spend-line", "data-line": n, id: `spend-${n}` },
      h("legend", {}, `Item of works ${lines.children.length + 1}`),
      h("div", { class: "inline-fields" },
        h("div", { class: "form-group" }, h("label", { for: `spend-${n}-item` }, "Works"), h("input", { type: "text", id: `spend-${n}-item`, autocomplete: "off" })),
        h("div", { class: "form-group" }, h("label", { for: `spend-${n}-amount` }, "Cost in pounds"),
          h("input", { type: "text", id: `spend-${n}-amount`, inputmode: "decimal", autocomplete: "off", class: "input--width-10" })),
        h("div", { class: "form-group" }, h("label", { for: `spend-${n}-supplier` }, "Supplier"), h("input", { type: "text", id: `spend-${n}-supplier`, autocomplete: "off" }))),
      h("button", { class: "button button--secondary button--small", type: "button", onclick: () => { row.remove(); renumber(); } }, "Remove this item",
        h("span", { class: "visually-hidden" }, ` (item ${lines.children.length})`)));
    lines.append(row);
    renumber();
    return row;
  };
  const renumber = () => [...lines.children].forEach((l, i) => { l.querySelector("legend").textContent = `Item of works ${i + 1}`; });
  const form = h("form", { class: "panel", id: "assessment-form", novalidate: true, "aria-labelledby": "assessment-heading" },
    h("h2", { id: "assessment-heading" }, "Record the home assessment"), errorBox,
    h("div", { class: "form-group" }, h("label", { for: "findings" }, "What you found"),
      h("p", { class: "hint", id: "findings-hint" }, "What keeps the patient from going home, as you found it."),
      h("textarea", { id: "findings", rows: 4, "aria-describedby": "findings-hint" })),
    h("h3", {}, "Works to pay for from the fund"),
    h("p", { class: "hint" }, "One item a line: each becomes a spend request to approve. Leave none if the home needs nothing paid for."),
    lines,
    h("button", { class: "button button--secondary", type: "button", id: "add-spend", onclick: () => line().querySelector("input").focus() }, "Add an item of works"),
    h("div", {}, h("button", { class: "button", type: "submit" }, "Record the assessment")));
  line();
  const read = () => [...lines.children].map(l => {
    const n = l.dataset.line, v = (f) => l.querySelector(`#spend-${n}-${f}`).value.trim();
    return { n, item: v("item"), amount: pence(v("amount")), supplier: v("supplier"), empty: !v("item") && !v("amount") && !v("supplier") };
  }).filter(x => !x.empty);
  // The API numbers the lines it was sent (spend[0]...): map each back to its own fields.
  const fields = () => {
    const f = { findings: "findings" };
    read().forEach((x, i) => Object.assign(f, { [`spend[${i}].item`]: `spend-${x.n}-item`, [`spend[${i}].amountPence`]: `spend-${x.n}-amount`, [`spend[${i}].supplier`]: `spend-${x.n}-supplier` }));
    return f;
  };
  const labels = () => {
    const l = { findings: "What you found" };
    read().forEach((x, i) => Object.assign(l, { [`spend[${i}].item`]: `Item ${i + 1}: works`, [`spend[${i}].amountPence`]: `Item ${i + 1}: cost`, [`spend[${i}].supplier`]: `Item ${i + 1}: supplier` }));
    return l;
  };
  onSubmit(form, errorBox, {
    fields, labels,
    check: () => {
      const e = {};
      if (!form.querySelector("#findings").value.trim()) e.findings = ["Enter what you found at the home."];
      read().forEach((x, i) => {
        if (!x.item) e[`spend[${i}].item`] = [`Enter the works for item ${i + 1}.`];
        if (x.amount === null) e[`spend[${i}].amountPence`] = [`Enter the cost of item ${i + 1}.`];
        else if (Number.isNaN(x.amount) || x.amount < 1) e[`spend[${i}].amountPence`] = [`Enter the cost of item ${i + 1} in pounds, like 450 or 450.50.`];
        if (!x.supplier) e[`spend[${i}].supplier`] = [`Enter the supplier for item ${i + 1}.`];
      });
      return e;
    },
    send: async () => {
      const spend = read().map(x => ({ item: x.item, amountPence: x.amount, supplier: x.supplier }));
      await api(`/api/district-direct/referrals/${encodeURIComponent(r.referralId)}/assessment`, { method: "POST",
        body: { findings: form.querySelector("#findings").value.trim(), spend } });
      await onDone(spend.length ? `Assessment recorded with ${spend.length} spend request${spend.length === 1 ? "" : "s"} to decide.` : "Assessment recorded: no spend needed.");
    },
  });
  return form;
}

function dischargeForm(r, onDone) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", id: "discharge-form", novalidate: true, "aria-labelledby": "discharge-heading" },
    h("h2", { id: "discharge-heading" }, "Record the discharge"), errorBox,
    h("div", { class: "form-group" }, h("label", { for: "discharged-at" }, "Discharged home at"),
      h("p", { class: "hint", id: "discharged-at-hint" }, `Date and time the patient left hospital for home. Fit for discharge from ${fmtDateTime(r.fitForDischargeAt)}.`),
      h("input", { type: "datetime-local", id: "discharged-at", value: localDateTime(new Date()), "aria-describedby": "discharged-at-hint" })),
    h("button", { class: "button", type: "submit" }, "Record the discharge"));
  onSubmit(form, errorBox, {
    fields: { dischargedAt: "discharged-at" }, labels: { dischargedAt: "Discharged home at" },
    check: () => form.querySelector("#discharged-at").value ? {} : { dischargedAt: ["Enter when the patient went home."] },
    send: async () => {
      const d = await api(`/api/district-direct/referrals/${encodeURIComponent(r.referralId)}/discharged`, { method: "POST",
        body: { dischargedAt: new Date(form.querySelector("#discharged-at").value).toISOString() } });
      await onDone(`Discharge recorded: ${d.bedDaysSaved} bed day${d.bedDaysSaved === 1 ? "" : "s"} saved.`);
    },
  });
  return form;
}

function spendTable(requests) {
  if (requests.length === 0) return h("p", { id: "spend-requests" }, "No spend requested.");
  return h("div", { class: "table-scroll" }, h("table", { id: "spend-requests" }, h("caption", { class: "visually-hidden" }, "Spend requests"),
    h("thead", {}, h("tr", {}, ["Works", "Supplier", "Amount", "Status", "Decided"].map((t, i) => h("th", { scope: "col", class: i === 2 ? "num" : null }, t)))),
    h("tbody", {}, requests.map(s => h("tr", { "data-spend-id": s.spendRequestId },
      h("th", { scope: "row" }, s.item), h("td", {}, s.supplier), h("td", { class: "num" }, fmtPence(s.amountPence),
        s.spentPence ? h("span", { class: "meta" }, h("br"), `spent ${fmtPence(s.spentPence)}`) : null,
        s.releasedPence ? h("span", { class: "meta" }, h("br"), `released ${fmtPence(s.releasedPence)}`) : null),
      h("td", {}, tag(spendTags, s.status)),
      h("td", {}, s.decidedBy ? `${s.decidedBy}, ${fmtDateTime(s.decidedAt)}` : "—", s.reason ? h("span", { class: "meta" }, h("br"), s.reason) : null))))));
}

function housing(hs) {
  return [h("h2", {}, "Homelessness duty to refer"),
    summaryList([
      ["Duty to refer from", fmtDateTime(hs.dutyToReferAt)],
      ["Housing authority", hs.authority ? hs.authority.name || hs.authority.id : "None seeded for this district: refer to the patient's chosen authority directly"],
    ], "housing"),
    (hs.support || []).length ? h("ul", { id: "housing-support" }, hs.support.map(s => h("li", {}, h("strong", {}, s.name), ` · ${s.referral.method}: ${s.referral.contact}`)))
      : h("p", {}, "No housing support service in the directory covers this district.")];
}

async function render(flash) {
  let r;
  try { r = await api(`/api/district-direct/referrals/${encodeURIComponent(referralId)}`); } catch (e) {
    main().replaceChildren(h("h1", {}, e.status === 404 ? "Referral not found" : "The referral could not be loaded"), h("p", {}, e.message),
      h("p", {}, h("a", { href: "district-direct.html" }, "Back to District Direct")));
    return;
  }
  document.title = `${r.patient.name}, ${r.referralId} – District Direct`;
  const done = async (message) => render(notice(message));
  const p = r.patient;
  const officer = me.role === "dd-officer";
  const actions = h("div", { id: "actions" });
  main().replaceChildren(...[
    h("p", {}, h("a", { href: "district-direct.html" }, "Back to District Direct")),
    flash || null,
    h("h1", {}, p.name, h("span", { class: "visually-hidden" }, ","), " ", h("span", { class: "meta" }, r.referralId)),
    h("p", {}, "Status: ", h("span", { id: "referral-status" }, tag(statusTags, r.status))),
    r.needsAttention ? h("div", { class: "notice notice--warning" }, h("strong", {}, "Needs attention: "), `${r.needsAttention.reason} (since ${fmtDateTime(r.needsAttention.at)}). Carry it on here or by phone.`) : null,
    actions,
    h("h2", {}, "The referral"),
    summaryList([
      ["From", `${r.source === "ed" ? "Emergency department" : sentence(r.source)}, ${r.hospital.name || r.hospital.id}`],
      ["Blockers", r.blockers.map(sentence).join(", ")], ["Other blocker", r.otherBlocker],
      ["Fit for discharge", fmtDateTime(r.fitForDischargeAt)], ["Referred", fmtDateTime(r.createdAt)],
      ["NHS number", p.nhsNumber], ["Date of birth", p.dateOfBirth && fmtDate(p.dateOfBirth)], ["Address", [p.address, p.postcode].filter(Boolean).join(", ")],
      ["Phone", p.phone && h("a", { href: `tel:${p.phone}` }, p.phone)],
    ], "referral"),
    r.housing ? housing(r.housing) : null,
    r.assessment ? [h("h2", {}, "Home assessment"), summaryList([["Findings", r.assessment.findings], ["By", r.assessment.by], ["At", fmtDateTime(r.assessment.at)]], "assessment")] : null,
    h("h2", {}, "Spend"),
    r.fundYear ? h("p", { class: "meta" }, `From the ${r.fundYear} fund: ${fmtPence(r.spendPence)} committed or spent on this referral, ${fmtPence(r.spentPence)} of it spent.`) : null,
    spendTable(r.spendRequests),
    r.discharge ? [h("h2", {}, "Discharge"), summaryList([["Discharged home", fmtDateTime(r.discharge.dischargedAt)],
      ["Bed days saved", `${r.discharge.bedDaysSaved} (against a ${r.discharge.averageDelayDays}-day delay without the service)`],
      ["Days after fit for discharge", String(r.discharge.dtocDays)]], "discharge")] : null,
    h("h2", {}, "What has happened"), story(r.timeline),
  ].flat().filter(Boolean));

  if (officer && r.status === "awaiting-assessment") actions.append(assessmentForm(r, done));
  const pending = r.spendRequests.filter(s => s.status === "pending");
  const approved = r.spendRequests.filter(s => s.status === "approved");
  if (pending.length) actions.append(h("h2", {}, "Spend to decide"), h("div", { class: "cards cards--two", id: "decide" }, pending.map(s => decisionForm(r, s, done))));
  if (approved.length) actions.append(h("h2", {}, "Approved works"), h("p", { class: "hint" }, "Record each invoice when the works are paid, or cancel works that will not happen."),
    h("div", { class: "cards cards--two", id: "approved" }, approved.flatMap(s => [invoiceForm(s, done), cancelForm(s, done)])));
  if (pending.length) actions.append(h("details", { class: "panel" }, h("summary", {}, "Cancel works still waiting for a decision"),
    h("div", { class: "cards cards--two" }, pending.map(s => cancelForm(s, done)))));
  if (officer && r.status !== "discharged" && r.status !== "awaiting-assessment") actions.append(dischargeForm(r, done));
  if (flash) flash.focus();
}

if (me && referralId) render();
else if (me) main().replaceChildren(h("h1", {}, "No referral chosen"), h("p", {}, h("a", { href: "district-direct.html" }, "Go to District Direct")));
