// Shared by every page: who is signed in, calling the API, the header, and small DOM and formatting helpers.
const STAFF_KEY = "crisis-care.staff";

export const roleNames = {
  anp: "SPOC ANP", hca: "ECSS HCA", coordinator: "ECSS coordinator",
  "dd-officer": "District Direct officer", "dd-manager": "District Direct manager", reporting: "Reporting", community: "Volunteer coordinator", volunteer: "Volunteer", admin: "Admin",
};

const pages = [
  { href: "triage.html", text: "Triage queue", roles: ["anp", "coordinator"] },
  { href: "cases.html", text: "Open cases", roles: ["anp", "coordinator"] },
  { href: "roster.html", text: "ECSS roster", roles: ["coordinator"] },
  { href: "hca.html", text: "HCA today", roles: ["hca"] },
  { href: "district-direct.html", text: "District Direct", roles: ["dd-officer", "dd-manager"] },
  { href: "report.html", text: "Pilot report", roles: ["reporting"] },
  { href: "volunteers.html", text: "Volunteers", roles: ["community"] },
  { href: "admin.html", text: "Staff and pool", roles: ["admin"] },
  { href: "admin-directory.html", text: "Service directory", roles: ["admin"] },
  { href: "admin-district-direct.html", text: "Fund, hospitals and housing", roles: ["admin"] },
];

/**
 * The member of staff acting in this browser: from the local dev sign-in, or (in Azure) App Service Authentication.
 * Kept in localStorage, so every tab (a link opened from a text, say) is signed in until "Sign out".
 */
export function staff() {
  try { return JSON.parse(localStorage.getItem(STAFF_KEY)); } catch { return null; }
}

export function signIn(s) { localStorage.setItem(STAFF_KEY, JSON.stringify(s)); }
export function signOut() { localStorage.removeItem(STAFF_KEY); }

/** Base64 of UTF-8 JSON, as App Service Authentication sends X-MS-CLIENT-PRINCIPAL. */
export function principalHeader(userId, name, role) {
  const json = JSON.stringify({ userId, userDetails: name, userRoles: [role] });
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)));
}

/** Local host only: whether the dev sign-in is offered, and the app key it sends. 404 in Azure. */
export async function devConfig() {
  try {
    const r = await fetch("/dev/pages-config", { headers: { accept: "application/json" } });
    return r.ok ? await r.json() : null;
  } catch { return null; }
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status; this.problem = problem || {};
  }
}

/** Calls the API as the signed-in member of staff. Problems (RFC 9457) become ApiError. */
export async function api(path, { method = "GET", body, accept = "application/json" } = {}) {
  // X-Requested-With: App Service Authentication answers an API call without a session 401, not a sign-in redirect.
  const headers = { accept, "X-Requested-With": "XMLHttpRequest" };
  const s = staff();
  // Locally the page carries the dev principal and app key; in Azure the front door adds both (README: "Staff pages").
  if (s?.principal) headers["X-MS-CLIENT-PRINCIPAL"] = s.principal;
  if (s?.key) headers["x-functions-key"] = s.key;
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin", redirect: "manual" });
  // A redirect here can only be to the sign-in page: an expired session, as a 401 is.
  if (r.status === 401 || r.type === "opaqueredirect") { goToSignIn("signed-out"); throw new ApiError(401, { title: "Not signed in", detail: "Sign in to continue." }); }
  if (!r.ok) {
    let problem = null;
    try { problem = await r.json(); } catch { /* not JSON */ }
    throw new ApiError(r.status, problem);
  }
  if (accept === "application/json") return r.status === 204 ? null : r.json();
  return r;
}

/** The sign-in page, coming back to this page (a link from a text keeps its offer or approval). */
const signInHere = () => `sign-in.html?return=${encodeURIComponent(location.pathname.split("/").pop() + location.search)}`;

/** To the sign-in page, coming back here after; <reason> "signed-out" when the API no longer accepted the sign-in. */
function goToSignIn(reason) {
  const why = reason ? `&reason=${reason}` : "";
  if (!location.pathname.endsWith("sign-in.html")) location.href = `${signInHere()}${why}`;
}

/** Sends the user to sign in unless they hold one of the roles; returns the staff member. */
export function requireRole(...roles) {
  const s = staff();
  if (!s) { goToSignIn(); return null; }
  if (!roles.includes(s.role)) {
    main().replaceChildren(h("h1", {}, "You cannot use this page"),
      h("p", {}, `This page is for: ${roles.map(r => roleNames[r]).join(", ")}. You are signed in as ${roleNames[s.role] || s.role}.`),
      h("p", {}, h("a", { href: signInHere() }, "Sign in with another role")));
    return null;
  }
  return s;
}

/** Creates an element; children may be strings (always text, never HTML), nodes, arrays or null. */
export function h(tag, attrs = {}, ...children) {
  const svg = ["svg", "rect", "text", "line", "g", "title", "desc", "path", "pattern"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const main = () => document.getElementById("main");

const uk = (opts) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", ...opts });
export const fmtTime = (iso) => uk({ hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
export const fmtDateTime = (iso) => uk({ weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
export const fmtDate = (iso) => uk({ day: "numeric", month: "long", year: "numeric" }).format(new Date(iso));
/** A date and time as a datetime-local input holds it, in this browser's time zone. */
export const localDateTime = (d) => {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
/** Pounds as typed ("1500", "£1,500.50") in pence; null when empty, NaN when it is not an amount. */
export function pence(s) {
  const t = s.replace(/[£,\s]/g, "");
  if (t === "") return null;
  return /^\d+(\.\d{1,2})?$/.test(t) ? Math.round(Number(t) * 100) : NaN;
}
export const fmtPence = (p) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" }).format((p || 0) / 100);
export const shortId = (id) => (id || "").replace(/^case-/, "").slice(0, 6).toUpperCase();
export const words = (s) => (s || "").replace(/-/g, " ");
export const sentence = (s) => { const w = words(s); return w.charAt(0).toUpperCase() + w.slice(1); };

/**
 * The control for a problem's field: "roles[1]" is the "roles" control unless it has its own, and "hours[2].opens" or
 * "staff.json[3].phone" the control of what it starts with ("hours", "staff").
 */
const controlFor = (fieldIds, field) => fieldIds[field] || fieldIds[field.replace(/\[\d+\]$/, "")] || fieldIds[field.split(/[.[]/)[0]];

/** The label a form gives a field ("Work phone" for "phone"), never the API's name for it. */
const labelFor = (labels, field) => labels[field] || labels[field.replace(/\[\d+\]$/, "")] || sentence(field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());

/** An API's message about a field, in the words of the form: "Must be ..." becomes "Work phone must be ...". */
export function fieldMessage(label, message) {
  if (/^(This field is required|Must not be empty|Must have at least one item)\.?$/.test(message)) return `${label}: this is needed.`;
  if (/^Must /.test(message)) return `${label} ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  return message;
}

/** Each field's messages, worded for the person (a form's own checks are worded already and marked <own>). */
function messages(error, labels) {
  return Object.entries(error.problem?.errors || {}).map(([field, msgs]) =>
    [field, error.own ? msgs : msgs.map(m => fieldMessage(labelFor(labels, field), m))]);
}

/** Moves to a field from the error summary: focus the control itself (a group's first choice), with its label in view. */
function goToField(event, id) {
  const control = document.getElementById(id);
  if (!control) return;
  event.preventDefault();
  const target = control.matches("fieldset, .choices, div") ? control.querySelector("input, select, textarea") || control : control;
  (target.closest("fieldset")?.querySelector("legend") || document.querySelector(`label[for="${CSS.escape(target.id)}"]`) || target).scrollIntoView();
  target.focus({ preventScroll: true });
}

/**
 * The NHS.UK error summary: "There is a problem", then what to fix, each field's message linking to its control; the
 * API's own words (its detail) only when no field is at fault. Focused so screen readers announce it. <labels> names
 * fields as the form does ("Work phone" for "phone").
 */
let summaries = 0;
export function errorSummary(error, fieldIds = {}, labels = {}) {
  const errors = messages(error, labels);
  const title = `error-summary-${++summaries}`;
  return h("div", { class: "error-summary", role: "alert", tabindex: "-1", "aria-labelledby": title },
    h("h2", { id: title }, "There is a problem"),
    errors.length ? null : h("p", {}, error.message),
    errors.length ? h("ul", {}, errors.map(([field, msgs]) => h("li", {}, controlFor(fieldIds, field)
      ? h("a", { href: `#${controlFor(fieldIds, field)}`, onclick: (e) => goToField(e, controlFor(fieldIds, field)) }, msgs.join(" "))
      : msgs.join(" ")))) : null);
}

/**
 * The NHS.UK pattern's other half: each field's message beside it (above the control, tied to it by aria-describedby),
 * the group marked in error. Clears the last answer's messages first; call with no error to clear only.
 */
export function fieldErrors(form, error, fieldIds = {}, labels = {}) {
  form.querySelectorAll(".error-message[data-for]").forEach(m => {
    form.querySelectorAll("[aria-describedby]").forEach(d => {
      const rest = d.getAttribute("aria-describedby").split(" ").filter(x => x && x !== m.id).join(" ");
      if (rest) d.setAttribute("aria-describedby", rest); else d.removeAttribute("aria-describedby");
    });
    m.closest(".form-group--error")?.classList.remove("form-group--error");
    m.remove();
  });
  form.querySelectorAll(".input--error").forEach(c => c.classList.remove("input--error"));
  if (!error) return;
  const byControl = new Map();
  for (const [field, msgs] of messages(error, labels)) {
    const id = controlFor(fieldIds, field);
    if (id) byControl.set(id, [...(byControl.get(id) || []), ...msgs]);
  }
  for (const [id, msgs] of byControl) {
    const control = form.querySelector(`#${CSS.escape(id)}`);
    if (!control) continue;
    const group = control.closest("fieldset, .form-group");
    const message = h("p", { class: "error-message", id: `${id}-error`, "data-for": id }, h("span", { class: "visually-hidden" }, "Error: "), msgs.join(" "));
    group?.classList.add("form-group--error");
    const before = group?.tagName === "FIELDSET" ? group.querySelector(".choices") || control : control;
    before.before(message);
    if (control.matches("input:not([type=checkbox]):not([type=radio]), textarea, select")) control.classList.add("input--error");
    // A group of choices is described as a whole, on its fieldset.
    const describer = control.matches("fieldset, .choices, input[type=checkbox], input[type=radio]") && group ? group : control;
    describer.setAttribute("aria-describedby", `${describer.getAttribute("aria-describedby") || ""} ${message.id}`.trim());
  }
}

/** The NHS.UK warning callout: a heading that says "Important" to a screen reader, and the warning in words. */
export function warningCallout(title, ...body) {
  return h("div", { class: "warning-callout" },
    h("h3", { class: "warning-callout__label" }, h("span", { role: "text" }, h("span", { class: "visually-hidden" }, "Important: "), title)),
    body.map(b => typeof b === "string" ? h("p", {}, b) : b));
}

/** A problem a form's own checks found, worded for the person already: { field: ["Enter ..."] }. */
export function formProblem(errors) {
  const e = new ApiError(400, { title: "There is a problem", errors });
  e.own = true;
  return e;
}

/**
 * Sends a form once at a time: while its request runs a second submit (a double click, Enter pressed twice) is
 * ignored, so one click is one request; the buttons stay focusable and say they are busy. <check> returns the
 * person's own mistakes ({ field: ["..."] }) before anything is sent; <send> makes the request. A problem is shown
 * as the NHS.UK pattern: the summary in <errorBox> and each message beside its field.
 */
export function onSubmit(form, errorBox, { fields = {}, labels = {}, check, send }) {
  let busy = false;
  // A form whose fields come and go (lines added and removed) gives them as functions.
  const ids = () => typeof fields === "function" ? fields() : fields;
  const names = () => typeof labels === "function" ? labels() : labels;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    const submitter = e.submitter;
    const buttons = [...form.querySelectorAll("button[type=submit]")];
    buttons.forEach(b => b.setAttribute("aria-disabled", "true"));
    try {
      const own = check ? check(submitter) : null;
      if (own && Object.keys(own).length) throw formProblem(own);
      await send(submitter);
      if (form.isConnected) { errorBox.replaceChildren(); fieldErrors(form, null); }
    } catch (err) {
      if (err.status === 401) return;
      errorBox.replaceChildren(errorSummary(err, ids(), names()));
      fieldErrors(form, err, ids(), names());
      errorBox.firstChild.focus();
    } finally {
      busy = false;
      buttons.forEach(b => b.removeAttribute("aria-disabled"));
    }
  });
}

/** An NHS.UK summary list: rows of [key, value]; a row with no value is left out. */
/** Where a patient would prefer to die, or did (the API's place-of-death values), in words. */
export const places = [["home", "Home"], ["care-home", "Care home"], ["hospice", "Hospice"], ["hospital", "Hospital"], ["other", "Somewhere else"], ["unknown", "Not known"]];
export const placeName = v => (places.find(([k]) => k === v) || [v, sentence(v)])[1];
/** The parts of a care plan the ANP may know, each answered yes, no or not known. */
export const planQuestions = [["dnacpr", "DNACPR decision in place"], ["respect", "ReSPECT form in place"], ["anticipatoryMedicines", "Anticipatory (\"just in case\") medicines in the home"]];

/** What matters to the patient, as the case page and the HCA's phone show it; nothing when the ANP recorded nothing. */
export function whatMattersRows(m) {
  if (!m) return [];
  const yesNo = b => b === true ? "Yes" : b === false ? "No" : null;
  const plan = m.carePlan || {};
  return [["Preferred place of death", m.preferredPlaceOfDeath && placeName(m.preferredPlaceOfDeath)],
    ...planQuestions.map(([k, label]) => [label, yesNo(plan[k])]), ["Main carer", plan.mainCarer]];
}

export function summaryList(rows, id) {
  return h("dl", { class: "summary-list", id }, rows.filter(r => r[1] !== null && r[1] !== undefined && r[1] !== "")
    .map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))));
}

/** A timeline as a story, oldest first: when, who, what happened (<names> says each kind in words) and its summary. */
export function story(timeline, names = {}) {
  return h("ol", { class: "timeline", id: "timeline" }, timeline.map(e => h("li", {},
    h("span", { class: "when" }, h("time", { datetime: e.at }, fmtDateTime(e.at)), ` · ${e.actor}`),
    h("span", { class: "what" }, names[e.kind] || sentence(e.kind)), h("br"), e.summary)));
}

export function notice(text, kind = "success") {
  return h("div", { class: `notice notice--${kind}`, role: "status", tabindex: "-1" }, text);
}

/** Header with the signed-in person and the pages their role uses. */
export function renderHeader(current) {
  const s = staff();
  const header = document.getElementById("header");
  const links = pages.filter(p => !s || p.roles.includes(s.role));
  header.replaceChildren(
    h("div", { class: "header" }, h("div", { class: "header__inner" },
      h("a", { class: "header__logo", href: "index.html" }, h("span", { class: "nhs-mark", "aria-hidden": "true" }, "NHS"),
        h("span", {}, "Crisis care and discharge", h("span", { class: "visually-hidden" }, " (home)"))),
      h("p", { class: "header__who" }, s ? [`${s.name} (${roleNames[s.role] || s.role}) `, h("a", { href: "sign-in.html" }, "Switch or sign out")]
        : h("a", { href: "sign-in.html" }, "Sign in")))),
    links.length ? h("nav", { class: "header__nav", "aria-label": "Pages" }, h("ul", {},
      links.map(p => h("li", {}, h("a", { href: p.href, "aria-current": p.href === current ? "page" : null }, p.text))))) : null);
}
