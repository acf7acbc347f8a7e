import { api, ApiError, requireRole, renderHeader, h, main, errorSummary, sentence } from "./app.js";
import { lineLabels, showErrors, say as sayIn, field, text, history, changedFields } from "./admin-forms.js";

renderHeader("admin-directory.html");
const me = requireRole("admin");

const NEEDS = ["symptom-control", "medication", "nursing", "personal-care", "night-sitting", "specialist-advice", "carer-support",
  "emotional-support", "bereavement", "befriending", "equipment", "out-of-hours-gp", "housing-options", "homelessness-support"];
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const METHODS = { phone: "Phone", "e-referral": "E-referral (secure email or form)", portal: "Online portal", "self-referral": "Self-referral (families call themselves)", spoc: "Through the SPOC ANP only" };
const FIELDS = { serviceId: "service-id", name: "name", needs: "need-symptom-control", alwaysOpen: "always-open", hours: "hours", openOnBankHolidays: "bank-holidays",
  "referral.method": "referral-method", "referral.contact": "referral-contact", "referral.notes": "referral-notes", referral: "referral-method", area: "area", description: "description" };
const LABELS = { serviceId: "Service id", name: "Name", needs: "Needs it meets", alwaysOpen: "Always open", hours: "Opening hours", openOnBankHolidays: "Open on bank holidays",
  "referral.method": "How to refer", "referral.contact": "Referral contact", "referral.notes": "Referral notes", referral: "How to refer", area: "Area", description: "Description" };

const status = h("div", { id: "status" });
const servicesSection = h("section", { "aria-labelledby": "services-heading" });
const editor = h("section", { id: "editor", "aria-labelledby": "editor-heading", hidden: true });
const holidaysSection = h("section", { "aria-labelledby": "holidays-heading" });
const say = (message) => sayIn(status, message);

/** "Monday 08:00-22:00" for an opening window, as the form writes one per line. */
const windowLine = (w) => `${sentence(w.day)} ${w.opens}-${w.closes}`;

/** The form's opening hours as windows; a line that is no window is reported at its line, as the API does. */
function parseHours(value, errors) {
  const windows = [];
  value.split("\n").map(l => l.trim()).filter(Boolean).forEach((line, i) => {
    const m = line.match(/^([a-z]+)\s+(\d{1,2}[:.]\d{2})\s*(?:-|–|to)\s*(\d{1,2}[:.]\d{2})$/i);
    const day = m && DAYS.find(d => d.startsWith(m[1].toLowerCase()) && m[1].length >= 3);
    if (!day) { errors[`hours[${i}]`] = [`Opening hours, line ${i + 1}: write a day and the times it opens and closes, e.g. Monday 08:00-22:00.`]; return; }
    const time = (t) => t.replace(".", ":").padStart(5, "0");
    windows.push({ day, opens: time(m[2]), closes: time(m[3]) });
  });
  return windows;
}

async function load() {
  let services;
  try {
    ({ services } = await api("/api/admin/services"));
  } catch (e) {
    main().replaceChildren(h("h1", {}, "The service directory"), errorSummary(e));
    return;
  }
  servicesSection.replaceChildren(
    h("h2", { id: "services-heading" }, "Services"),
    h("p", { class: "hint" }, "What an ANP is offered when a patient needs a service, open now in UK time, and the housing support District Direct links a homeless patient to."),
    h("button", { class: "button", type: "button", onclick: () => openEditor(null) }, "Add a service"),
    h("div", { class: "table-scroll" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "Services in the directory"),
      h("thead", {}, h("tr", {}, ["Service", "Needs", "Open", "How to refer", ""].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, services.map(s => h("tr", { "data-service-id": s.serviceId },
        h("td", {}, h("strong", {}, s.name), h("br"), h("span", { class: "meta" }, s.serviceId), s.area ? [h("br"), h("span", { class: "meta" }, s.area)] : null),
        h("td", {}, s.needs.map(sentence).join(", ")),
        h("td", {}, s.alwaysOpen ? "Always" : s.hours.map(windowLine).join("; "), s.openOnBankHolidays ? "" : h("span", { class: "meta" }, " (closed on bank holidays)")),
        h("td", {}, `${METHODS[s.referral.method] || s.referral.method}: ${s.referral.contact}`),
        h("td", {}, h("button", { class: "button button--secondary button--small", type: "button", onclick: () => openEditor(s) },
          "Edit", h("span", { class: "visually-hidden" }, ` ${s.name}`)))))))));
}

async function openEditor(s) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", novalidate: true },
    errorBox,
    field("service-id", "Service id", s ? "Cases and District Direct referrals name the service by it: it cannot change." : "Letters, digits and '-', e.g. hospice-at-home-south.",
      text("service-id", s?.serviceId, s ? { readonly: true } : {})),
    field("name", "Name", null, text("name", s?.name, { "aria-describedby": null })),
    h("fieldset", { "aria-describedby": "needs-hint" }, h("legend", {}, "Needs it meets"),
      h("p", { class: "hint", id: "needs-hint" }, "An ANP asking for a need is offered the services open now that meet it."),
      h("div", { class: "choices" }, NEEDS.map(n => h("div", { class: "choice" },
        h("input", { type: "checkbox", id: `need-${n}`, name: "needs", value: n, checked: s?.needs.includes(n) }),
        h("label", { for: `need-${n}` }, sentence(n)))))),
    h("div", { class: "form-group" }, h("div", { class: "choice" },
      h("input", { type: "checkbox", id: "always-open", name: "alwaysOpen", checked: s?.alwaysOpen }),
      h("label", { for: "always-open" }, "Always open: 24 hours a day, every day (leave the hours empty)"))),
    field("hours", "Opening hours", "One window per line, UK local time: a day and the times, e.g. Monday 08:00-22:00. A window that closes at or before it opens runs past midnight; 00:00-00:00 is the whole day.",
      h("textarea", { id: "hours", name: "hours", rows: 7, spellcheck: "false", "aria-describedby": "hours-hint" }, (s?.hours || []).map(windowLine).join("\n"))),
    h("div", { class: "form-group" }, h("div", { class: "choice" },
      h("input", { type: "checkbox", id: "bank-holidays", name: "openOnBankHolidays", checked: s ? s.openOnBankHolidays : false }),
      h("label", { for: "bank-holidays" }, "Open on bank holidays (its usual hours for that day)"))),
    field("referral-method", "How to refer", null, h("select", { id: "referral-method", name: "method" },
      Object.entries(METHODS).map(([v, t]) => h("option", { value: v, selected: s?.referral.method === v }, t)))),
    field("referral-contact", "Referral contact", "For a phone route, the number to dial (e.g. 01164 960101 or 111*5); otherwise the address or form.", text("referral-contact", s?.referral.contact)),
    field("referral-notes", "Referral notes (optional)", null, h("textarea", { id: "referral-notes", name: "notes", rows: 2 }, s?.referral.notes || "")),
    field("area", "Area (optional)", "Postcode districts or ranges separated by commas, e.g. SK17, S40-S45, or County-wide. District Direct links homeless patients in these districts to housing services.", text("area", s?.area)),
    field("description", "Description (optional)", null, h("textarea", { id: "description", name: "description", rows: 2 }, s?.description || "")),
    h("button", { class: "button", type: "submit" }, "Save"),
    h("button", { class: "button button--secondary", type: "button", onclick: closeEditor }, "Cancel"),
    s ? h("button", { class: "button button--warning", type: "button", onclick: () => confirmRemove(s) }, "Remove this service") : null);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const serviceId = form.elements["service-id"].value.trim();
    const local = {};
    const contact = form.elements["referral-contact"].value.trim();
    const method = form.elements.method.value;
    const body = {
      name: form.elements.name.value.trim(),
      needs: [...form.querySelectorAll("input[name=needs]:checked")].map(i => i.value),
      alwaysOpen: form.elements.alwaysOpen.checked,
      hours: parseHours(form.elements.hours.value, local),
      openOnBankHolidays: form.elements.openOnBankHolidays.checked,
      // A UK number as people write it ("01164 960101") is dialled as +44...; short numbers (111*5) stay as they are.
      referral: { method, contact: method === "phone" && /^0\d[\d\s]{8,12}$/.test(contact) ? `+44${contact.replace(/\s/g, "").slice(1)}` : contact,
        notes: form.elements.notes.value.trim() || undefined },
      area: form.elements.area.value.trim() || undefined,
      description: form.elements.description.value.trim() || undefined,
    };
    if (!serviceId) local.serviceId = ["Enter a service id."];
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (Object.keys(local).length) throw new ApiError(400, { title: "There is a problem", detail: "Some fields need changing.", errors: local });
      await api(`/api/admin/services/${encodeURIComponent(serviceId)}`, { method: "PUT", body });
      closeEditor();
      await load();
      say(`Saved ${body.name}.`);
    } catch (err) {
      showErrors(form, errorBox, err, FIELDS, lineLabels(err, "hours", LABELS));
      button.disabled = false;
    }
  });

  const changes = s ? h("section", { "aria-labelledby": "history-heading" }, h("h3", { id: "history-heading" }, "Changes to this service"),
    await history(`care-service:${s.serviceId}`, (before, after) => changedFields(before, after,
      ["name", "needs", "alwaysOpen", "hours", "openOnBankHolidays", "referral", "area", "description"], LABELS,
      (v, k) => k === "hours" ? (v || []).map(windowLine).join("; ") || "none" : k === "referral" ? `${v.method}: ${v.contact}` : Array.isArray(v) ? v.join(", ") : (v ?? "none")))) : null;
  editor.replaceChildren(h("h2", { id: "editor-heading", tabindex: "-1" }, s ? `Edit ${s.name}` : "Add a service"), form, changes);
  editor.hidden = false;
  editor.querySelector("#editor-heading").focus();
}

function confirmRemove(s) {
  const box = h("div", { class: "panel", role: "alertdialog", "aria-labelledby": "remove-heading", "aria-describedby": "remove-text" },
    h("h3", { id: "remove-heading", tabindex: "-1" }, `Remove ${s.name}?`),
    h("p", { id: "remove-text" }, "It will be offered for no new referral. Cases already referred to it keep the route they were given, and the change is recorded."),
    h("button", { class: "button button--warning", type: "button", onclick: async () => {
      try {
        await api(`/api/admin/services/${encodeURIComponent(s.serviceId)}`, { method: "DELETE" });
        closeEditor();
        await load();
        say(`Removed ${s.name} from the directory.`);
      } catch (err) {
        box.replaceChildren(errorSummary(err));
        box.firstChild.focus();
      }
    } }, `Yes, remove ${s.name}`),
    h("button", { class: "button button--secondary", type: "button", onclick: () => { box.remove(); editor.querySelector("#editor-heading").focus(); } }, "Keep it"));
  editor.querySelector("form").after(box);
  box.querySelector("#remove-heading").focus();
}

function closeEditor() {
  editor.hidden = true;
  editor.replaceChildren();
}

/** A year's bank holidays, one per line: "2027-12-27 Christmas Day (substitute day)". */
async function renderHolidays(year) {
  const errorBox = h("div");
  let holidays = [];
  try {
    ({ holidays } = await api(`/api/admin/bank-holidays/${encodeURIComponent(year)}`));
  } catch (e) {
    errorBox.replaceChildren(errorSummary(e, { year: "holidays-year" }, { year: "Year" }));
  }
  const yearForm = h("form", { class: "inline-fields", novalidate: true },
    field("holidays-year", "Year", null, h("input", { type: "text", id: "holidays-year", name: "year", inputmode: "numeric", value: year, class: "input--short" })),
    h("button", { class: "button button--secondary", type: "submit" }, "Show the year"));
  yearForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    await renderHolidays(yearForm.elements.year.value.trim());
    holidaysSection.querySelector("#holidays-year").focus();
  });
  const form = h("form", { class: "panel", novalidate: true },
    errorBox,
    field("holidays", `Bank holidays in ${year}`, "One per line: the date as yyyy-mm-dd and its name, e.g. 2027-12-27 Christmas Day (substitute day). Services marked closed on bank holidays are closed all day.",
      h("textarea", { id: "holidays", name: "holidays", rows: Math.max(4, holidays.length + 1), spellcheck: "false", "aria-describedby": "holidays-hint" },
        holidays.map(d => `${d.date} ${d.name}`).join("\n"))),
    h("button", { class: "button", type: "submit" }, `Save the ${year} bank holidays`));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const local = {};
    const list = form.elements.holidays.value.split("\n").map(l => l.trim()).filter(Boolean).map((line, i) => {
      const m = line.match(/^(\d{4}-\d{2}-\d{2})\s+(.+)$/);
      if (!m) local[`holidays[${i}]`] = ["Write the date as yyyy-mm-dd, then its name."];
      return m ? { date: m[1], name: m[2] } : null;
    });
    try {
      if (Object.keys(local).length) throw new ApiError(400, { title: "There is a problem", detail: "Some lines need changing.", errors: local });
      await api(`/api/admin/bank-holidays/${encodeURIComponent(year)}`, { method: "PUT", body: { holidays: list } });
      await renderHolidays(year);
      say(`The ${year} bank holidays are saved.`);
    } catch (err) {
      showErrors(form, errorBox, err, { holidays: "holidays", year: "holidays" }, lineLabels(err, "holidays", { holidays: "Bank holidays", year: "Year" }));
    }
  });
  holidaysSection.replaceChildren(
    h("h2", { id: "holidays-heading" }, "Bank holidays (England and Wales)"),
    yearForm, form);
}

if (me) {
  main().replaceChildren(h("h1", {}, "The service directory"),
    h("p", { class: "lede" }, "The services an ANP refers to, when they are open and how to refer, and the bank holidays they keep. Every change is recorded with who made it and when."),
    status, servicesSection, editor, holidaysSection);
  load();
  renderHolidays(String(new Date().getFullYear()));
}
