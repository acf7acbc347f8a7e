// What the admin pages share: typed values as the API takes them, error display, the audit trail of a record.
import { api, h, errorSummary, fieldErrors, notice, fmtDateTime } from "./app.js";

/** A UK number as people write it ("07700 900123", "+44 (0)7700 900123") in E.164, as the API takes it; the API says if it is no mobile. */
export function ukPhone(s) {
  const d = s.replace(/[\s()-]/g, "");
  if (/^0[1-9]\d{8,9}$/.test(d)) return `+44${d.slice(1)}`;
  if (/^\+440[1-9]\d{8,9}$/.test(d)) return `+44${d.slice(4)}`;
  return d;
}

export { pence } from "./app.js";

/** Per-line labels for list fields, so "identities[2]" or "hours[2].opens" reads "Sign-in ids, line 3". */
export function lineLabels(error, base, labels) {
  const out = { ...labels };
  for (const key of Object.keys(error.problem?.errors || {})) {
    const m = key.match(/^(\w+)\[(\d+)\](\.\w+)?$/);
    if (m && m[1] === base) out[key] = `${labels[base]}, line ${Number(m[2]) + 1}`;
  }
  return out;
}

/** The NHS.UK error pattern: the summary (focused, linking to each field) and each field's own message. */
export function showErrors(form, box, err, ids, labels) {
  box.replaceChildren(errorSummary(err, ids, labels));
  fieldErrors(form, err, ids, labels);
  box.firstChild.focus();
}

/** Says what was done in the page's status box, focused so a screen reader announces it. */
export function say(status, text) {
  status.replaceChildren(notice(text));
  status.firstChild.focus();
}

/** A labelled form field: label, optional hint (the control's description) and the control. */
export function field(id, label, hint, control) {
  return h("div", { class: "form-group" }, h("label", { for: id }, label), hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, control);
}

export function text(id, value, attrs = {}) {
  return h("input", { type: "text", id, name: id, value: value ?? "", autocomplete: "off", "aria-describedby": `${id}-hint`, ...attrs });
}

/** The changes to one record (audit entity "kind:id"), newest first, each described by <describe>(before, after). */
export async function history(entity, describe) {
  try {
    const { changes } = await api(`/api/admin/audit?entity=${encodeURIComponent(entity)}`);
    if (!changes.length) return h("p", {}, "No changes recorded.");
    return h("ol", { class: "timeline" }, changes.slice().reverse().map(c => h("li", {},
      h("span", { class: "when" }, fmtDateTime(c.at)),
      h("span", { class: "what" }, `${c.action[0].toUpperCase()}${c.action.slice(1)} by ${c.by.name}`),
      h("p", { class: "meta" }, describe(c.before, c.after)))));
  } catch (e) {
    return errorSummary(e);
  }
}

/** What a change did, in words: the fields (of <keys>, labelled by <labels>) that differ. */
export function changedFields(before, after, keys, labels, show = (v) => Array.isArray(v) ? (v.join(", ") || "none") : (v ?? "none")) {
  if (!before) return "Created.";
  if (!after) return "Removed.";
  const changed = keys.filter(k => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
  return changed.length ? changed.map(k => `${labels[k] || k}: ${show(before[k], k)} → ${show(after[k], k)}`).join("; ") + "." : "No field changed.";
}
