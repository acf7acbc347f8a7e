import { api, ApiError, requireRole, renderHeader, h, main, errorSummary, fmtPence } from "./app.js";
import { showErrors, say as sayIn, field, text, history, changedFields } from "./admin-forms.js";
import { currentFund, fundWarning, fundYearForm, nextYear, yearToOpen } from "./fund-years.js";

renderHeader("admin-district-direct.html");
const me = requireRole("admin");

const METHODS = { "duty-to-refer portal": "Duty to refer portal", email: "Email", phone: "Phone" };
const HOSPITAL_LABELS = { hospitalId: "Hospital id", name: "Name", postcode: "Postcode", housingAuthority: "Housing authority" };
const AUTHORITY_LABELS = { authorityId: "Authority id", name: "Name", postcodeDistricts: "Postcode districts", referralMethod: "How a duty to refer reaches it", referralContact: "Referral contact" };

const status = h("div", { id: "status" });
const fundSection = h("section", { "aria-labelledby": "fund-heading" });
const hospitalsSection = h("section", { "aria-labelledby": "hospitals-heading" });
const authoritiesSection = h("section", { "aria-labelledby": "authorities-heading" });
const editor = h("section", { id: "editor", "aria-labelledby": "editor-heading", hidden: true });
const say = (message) => sayIn(status, message);
let authorities = [];

async function load() {
  let hospitals, state;
  try {
    [{ hospitals }, { housingAuthorities: authorities }, state] = await Promise.all([
      api("/api/admin/district-direct/hospitals"), api("/api/admin/district-direct/housing-authorities"), currentFund()]);
  } catch (e) {
    main().replaceChildren(h("h1", {}, "District Direct fund, hospitals and housing"), errorSummary(e));
    return;
  }
  await renderFund(state);
  renderHospitals(hospitals);
  renderAuthorities();
}

async function renderFund(state) {
  const years = state.fund ? [state.fund.year, nextYear(state.fund.year)] : [];
  const rows = await Promise.all(years.map(async (y) => {
    try { return await api(`/api/district-direct/fund?year=${encodeURIComponent(y)}`); } catch (e) { return e.status === 404 ? { year: y } : Promise.reject(e); }
  }));
  fundSection.replaceChildren(
    h("h2", { id: "fund-heading" }, "Fund years"),
    ...[fundWarning(state)].filter(Boolean),
    rows.length ? h("div", { class: "table-scroll" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "This financial year and the next"),
      h("thead", {}, h("tr", {}, ["Year", "Total", "Committed", "Spent", "Available"].map((t, i) => h("th", { scope: "col", class: i ? "num" : null }, t)))),
      h("tbody", {}, rows.map(f => h("tr", { "data-fund-year": f.year },
        h("th", { scope: "row" }, f.year),
        f.totalPence === undefined ? h("td", { colspan: 4 }, "Not open") : [fmtPence(f.totalPence), fmtPence(f.committedPence), fmtPence(f.spentPence), fmtPence(f.availablePence)]
          .map(v => h("td", { class: "num" }, v))))))) : null,
    fundYearForm(yearToOpen(state), async (message) => { await load(); say(message); }));
}

function renderHospitals(hospitals) {
  const authorityName = (id) => authorities.find(a => a.authorityId === id)?.name || id;
  hospitalsSection.replaceChildren(
    h("h2", { id: "hospitals-heading" }, "Hospitals"),
    h("p", { class: "hint" }, "The acute hospitals whose wards refer to District Direct. Officers and managers are staff records naming their hospital."),
    h("button", { class: "button", type: "button", onclick: () => openHospital(null) }, "Add a hospital"),
    h("div", { class: "table-scroll" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "Hospitals"),
      h("thead", {}, h("tr", {}, ["Hospital", "Postcode", "Housing authority of its district", ""].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, hospitals.map(x => h("tr", { "data-hospital-id": x.hospitalId },
        h("td", {}, h("strong", {}, x.name), h("br"), h("span", { class: "meta" }, x.hospitalId)),
        h("td", {}, x.postcode), h("td", {}, authorityName(x.housingAuthority)),
        h("td", {}, h("button", { class: "button button--secondary button--small", type: "button", onclick: () => openHospital(x) },
          "Edit", h("span", { class: "visually-hidden" }, ` ${x.name}`)))))))));
}

function renderAuthorities() {
  authoritiesSection.replaceChildren(
    h("h2", { id: "authorities-heading" }, "Housing authorities"),
    h("p", { class: "hint" }, "Where the duty to refer goes for a patient homeless at discharge: the authority covering their postcode district. A district belongs to one authority."),
    h("button", { class: "button", type: "button", onclick: () => openAuthority(null) }, "Add a housing authority"),
    h("div", { class: "table-scroll" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "Housing authorities"),
      h("thead", {}, h("tr", {}, ["Housing authority", "Postcode districts", "Duty to refer", ""].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, authorities.map(a => h("tr", { "data-authority-id": a.authorityId },
        h("td", {}, h("strong", {}, a.name), h("br"), h("span", { class: "meta" }, a.authorityId)),
        h("td", {}, a.postcodeDistricts.join(", ")), h("td", {}, `${METHODS[a.referralMethod] || a.referralMethod}: ${a.referralContact}`),
        h("td", {}, h("button", { class: "button button--secondary button--small", type: "button", onclick: () => openAuthority(a) },
          "Edit", h("span", { class: "visually-hidden" }, ` ${a.name}`)))))))));
}

/** The editor for one record: its form, saved with PUT to <path>(id), and its changes. */
async function openEditor({ heading, id, idLabel, idHint, fields, read, path, labels, ids, entity, keys, saved }) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", novalidate: true }, errorBox,
    field("record-id", idLabel, id ? "Other records name it by its id: it cannot change." : idHint, text("record-id", id, id ? { readonly: true } : {})),
    fields,
    h("button", { class: "button", type: "submit" }, "Save"),
    h("button", { class: "button button--secondary", type: "button", onclick: closeEditor }, "Cancel"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const recordId = form.elements["record-id"].value.trim();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (!recordId) throw new ApiError(400, { title: "There is a problem", detail: "Some fields need changing.", errors: { [Object.keys(ids)[0]]: ["Enter an id."] } });
      const body = read(form);
      await api(path(recordId), { method: "PUT", body });
      closeEditor();
      await load();
      say(saved(body));
    } catch (err) {
      showErrors(form, errorBox, err, ids, labels);
      button.disabled = false;
    }
  });
  const changes = id ? h("section", { "aria-labelledby": "history-heading" }, h("h3", { id: "history-heading" }, "Changes"),
    await history(`${entity}:${id}`, (before, after) => changedFields(before, after, keys, labels))) : null;
  editor.replaceChildren(h("h2", { id: "editor-heading", tabindex: "-1" }, heading), form, changes);
  editor.hidden = false;
  editor.querySelector("#editor-heading").focus();
}

function openHospital(x) {
  return openEditor({
    heading: x ? `Edit ${x.name}` : "Add a hospital", id: x?.hospitalId, idLabel: "Hospital id", idHint: "Letters, digits and '-', e.g. royal-derby: the ward systems send it.",
    fields: [
      field("hospital-name", "Name", null, text("hospital-name", x?.name, { "aria-describedby": null })),
      field("hospital-postcode", "Postcode", null, text("hospital-postcode", x?.postcode, { "aria-describedby": null, class: "input--short" })),
      field("hospital-authority", "Housing authority of its district", "Where a duty to refer goes when the patient's own district has no authority here.",
        h("select", { id: "hospital-authority", name: "housingAuthority", "aria-describedby": "hospital-authority-hint" },
          h("option", { value: "" }, "Choose an authority"),
          authorities.map(a => h("option", { value: a.authorityId, selected: x?.housingAuthority === a.authorityId }, a.name)))),
    ],
    read: (form) => ({ name: form.elements["hospital-name"].value.trim(), postcode: form.elements["hospital-postcode"].value.trim(), housingAuthority: form.elements.housingAuthority.value }),
    path: (id) => `/api/admin/district-direct/hospitals/${encodeURIComponent(id)}`,
    ids: { hospitalId: "record-id", name: "hospital-name", postcode: "hospital-postcode", housingAuthority: "hospital-authority" },
    labels: HOSPITAL_LABELS, entity: "hospital", keys: ["name", "postcode", "housingAuthority"], saved: (b) => `Saved ${b.name}.`,
  });
}

function openAuthority(a) {
  return openEditor({
    heading: a ? `Edit ${a.name}` : "Add a housing authority", id: a?.authorityId, idLabel: "Authority id", idHint: "Letters, digits and '-', e.g. derby-city.",
    fields: [
      field("authority-name", "Name", null, text("authority-name", a?.name, { "aria-describedby": null })),
      field("authority-districts", "Postcode districts", "The districts it covers, separated by commas, e.g. DE1, DE3, DE21.", text("authority-districts", a?.postcodeDistricts.join(", "))),
      field("authority-method", "How a duty to refer reaches it", null, h("select", { id: "authority-method", name: "referralMethod" },
        Object.entries(METHODS).map(([v, t]) => h("option", { value: v, selected: a?.referralMethod === v }, t)))),
      field("authority-contact", "Referral contact", "The portal's name, the email address, or the phone number (e.g. +441164960310).", text("authority-contact", a?.referralContact)),
    ],
    read: (form) => ({
      name: form.elements["authority-name"].value.trim(),
      postcodeDistricts: form.elements["authority-districts"].value.split(",").map(d => d.trim()).filter(Boolean),
      referralMethod: form.elements.referralMethod.value, referralContact: form.elements["authority-contact"].value.trim(),
    }),
    path: (id) => `/api/admin/district-direct/housing-authorities/${encodeURIComponent(id)}`,
    ids: { authorityId: "record-id", name: "authority-name", postcodeDistricts: "authority-districts", referralMethod: "authority-method", referralContact: "authority-contact" },
    labels: AUTHORITY_LABELS, entity: "housing-authority", keys: ["name", "postcodeDistricts", "referralMethod", "referralContact"], saved: (b) => `Saved ${b.name}.`,
  });
}

function closeEditor() {
  editor.hidden = true;
  editor.replaceChildren();
}

if (me) {
  main().replaceChildren(h("h1", {}, "District Direct fund, hospitals and housing"),
    h("p", { class: "lede" }, "The fund years approvals are made from, the hospitals that refer, and the housing authorities a duty to refer goes to. Every change is recorded with who made it and when."),
    status, fundSection, hospitalsSection, authoritiesSection, editor);
  load();
}
