// District Direct spend: the forms an officer or manager decides, invoices and cancels spend with, on the District
// Direct page and a referral's page. No side effects on import.
import { api, h, fmtPence, onSubmit, pence } from "./app.js";

export const referralLink = (id) => `referral.html?id=${encodeURIComponent(id)}`;

/** Approve or reject one spend request; a rejection needs its reason. Shared with the referral page. */
export function decisionForm(referral, s, onDecided) {
  const id = s.spendRequestId;
  const errorBox = h("div");
  const form = h("form", { class: "card", "data-spend-id": id, novalidate: true, "aria-labelledby": `spend-${id}` },
    h("h4", { id: `spend-${id}` }, `${s.item}: ${fmtPence(s.amountPence)}`), h("p", { class: "meta" }, `Supplier: ${s.supplier}`), errorBox,
    h("div", { class: "form-group" }, h("label", { for: `reason-${id}` }, `Reason (needed to reject) for ${s.item}`),
      h("textarea", { id: `reason-${id}`, rows: 2 })),
    h("button", { class: "button", type: "submit", value: "approve" }, `Approve ${fmtPence(s.amountPence)}`),
    h("button", { class: "button button--warning", type: "submit", value: "reject" }, "Reject", h("span", { class: "visually-hidden" }, ` ${s.item}`)));
  onSubmit(form, errorBox, {
    fields: { reason: `reason-${id}` }, labels: { reason: "Reason" },
    check: (submitter) => submitter?.value === "reject" && !form.querySelector("textarea").value.trim()
      ? { reason: [`Enter why you are rejecting ${s.item}.`] } : {},
    send: async (submitter) => {
      const decision = submitter?.value || "approve";
      const reason = form.querySelector("textarea").value.trim();
      await api(`/api/district-direct/spend-requests/${encodeURIComponent(id)}/decision`, { method: "POST", body: { decision, reason: reason || undefined } });
      await onDecided(`${decision === "approve" ? "Approved" : "Rejected"}: ${s.item} (${fmtPence(s.amountPence)}) for ${referral.patient.name}.`);
    },
  });
  return form;
}

/** The works are paid: the invoice's amount becomes spend and anything approved beyond it goes back to the fund. */
export function invoiceForm(s, onDone) {
  const id = s.spendRequestId;
  const errorBox = h("div");
  const form = h("form", { class: "card", "data-invoice-id": id, novalidate: true, "aria-labelledby": `invoice-${id}-heading` },
    h("h4", { id: `invoice-${id}-heading` }, `Invoice for ${s.item}`), errorBox,
    h("div", { class: "form-group" }, h("label", { for: `invoice-${id}` }, `Amount invoiced for ${s.item}, in pounds`),
      h("p", { class: "hint", id: `invoice-${id}-hint` }, `${fmtPence(s.committedPence)} was approved. Less is fine: the rest goes back to the fund.`),
      h("input", { type: "text", id: `invoice-${id}`, inputmode: "decimal", autocomplete: "off", value: (s.committedPence / 100).toFixed(2), "aria-describedby": `invoice-${id}-hint`, class: "input--width-10" })),
    h("button", { class: "button", type: "submit" }, "Record the invoice", h("span", { class: "visually-hidden" }, ` for ${s.item}`)));
  const amount = () => pence(form.querySelector("input").value);
  onSubmit(form, errorBox, {
    fields: { amountPence: `invoice-${id}` }, labels: { amountPence: "Amount invoiced" },
    check: () => {
      const a = amount();
      if (a === null) return { amountPence: ["Enter the amount invoiced."] };
      if (Number.isNaN(a)) return { amountPence: ["Enter an amount in pounds, like 450 or 450.50."] };
      return a > s.committedPence ? { amountPence: [`The invoice is more than the ${fmtPence(s.committedPence)} approved: record ${fmtPence(s.committedPence)} and raise a new spend request for the difference.`] } : {};
    },
    send: async () => {
      const r = await api(`/api/district-direct/spend-requests/${encodeURIComponent(id)}/invoice`, { method: "POST", body: { amountPence: amount() } });
      await onDone(`Invoiced: ${s.item}, ${fmtPence(r.spendRequest.spentPence)}` +
        (r.spendRequest.releasedPence ? `; ${fmtPence(r.spendRequest.releasedPence)} went back to the fund.` : "."));
    },
  });
  return form;
}

/** The works will not happen: a pending request closes, an approved one gives its money back to the fund. */
export function cancelForm(s, onDone) {
  const id = s.spendRequestId;
  const errorBox = h("div");
  const form = h("form", { class: "card", "data-cancel-id": id, novalidate: true, "aria-labelledby": `cancel-${id}-heading` },
    h("h4", { id: `cancel-${id}-heading` }, `Cancel ${s.item}`), errorBox,
    h("div", { class: "form-group" }, h("label", { for: `cancel-${id}` }, `Why ${s.item} will not happen (optional)`),
      h("textarea", { id: `cancel-${id}`, rows: 2 })),
    h("button", { class: "button button--warning", type: "submit" }, "Cancel these works", h("span", { class: "visually-hidden" }, ` for ${s.item}`)));
  onSubmit(form, errorBox, {
    fields: { reason: `cancel-${id}` }, labels: { reason: "Reason" },
    send: async () => {
      const reason = form.querySelector("textarea").value.trim();
      const r = await api(`/api/district-direct/spend-requests/${encodeURIComponent(id)}/cancel`, { method: "POST", body: reason ? { reason } : {} });
      await onDone(`Cancelled: ${s.item}` + (r.spendRequest.releasedPence ? `; ${fmtPence(r.spendRequest.releasedPence)} went back to the fund.` : "."));
    },
  });
  return form;
}
