import { api, ApiError, requireRole, renderHeader, h, main, errorSummary, fieldErrors, notice, roleNames, fmtDateTime, fmtPence, words, pence } from "./app.js";

renderHeader("admin.html");
const me = requireRole("admin");

const ROLES = Object.keys(roleNames);
const STAFF_FIELDS = { staffId: "staff-id", name: "name", roles: "role-anp", phone: "phone", team: "team", hospital: "hospital", limitPence: "limit", identities: "identities" };
const STAFF_LABELS = { staffId: "Staff id", name: "Name", roles: "Roles", phone: "Work phone", team: "Team", hospital: "Hospital", limitPence: "Officer's own limit", identities: "Sign-in ids" };

/** A UK number as people write it ("07700 900123", "+44 (0)7700 900123") in E.164, as the API takes it; the API says if it is no mobile. */
export function ukPhone(s) {
  const d = s.replace(/[\s()-]/g, "");
  if (/^0[1-9]\d{8,9}$/.test(d)) return `+44${d.slice(1)}`;
  if (/^\+440[1-9]\d{8,9}$/.test(d)) return `+44${d.slice(4)}`;
  return d;
}

/** Per-line labels for list fields, so "identities[2]" reads "Sign-in ids, line 3". */
function lineLabels(error, base, labels) {
  const out = { ...labels };
  for (const key of Object.keys(error.problem?.errors || {})) {
    const m = key.match(/^(\w+)\[(\d+)\]$/);
    if (m && m[1] === base) out[key] = `${labels[base]}, line ${Number(m[2]) + 1}`;
  }
  return out;
}

const status = h("div", { id: "status" });
const staffSection = h("section", { "aria-labelledby": "staff-heading" });
const editor = h("section", { id: "editor", "aria-labelledby": "editor-heading", hidden: true });
const poolSection = h("section", { "aria-labelledby": "pool-heading" });
const patternSection = h("section", { "aria-labelledby": "pattern-heading" });
let staff = [];

function say(text) {
  status.replaceChildren(notice(text));
  status.firstChild.focus();
}

async function load() {
  let pool, pattern;
  try {
    [{ staff }, pool, pattern] = await Promise.all([api("/api/admin/staff"), api("/api/admin/ecss/pool"), api("/api/admin/ecss/rota-pattern")]);
  } catch (e) {
    main().replaceChildren(h("h1", {}, "Staff and the ECSS pool"), errorSummary(e));
    return false;
  }
  renderStaff();
  renderPool(pool);
  renderPattern(pattern);
  return true;
}

function renderStaff() {
  staffSection.replaceChildren(
    h("h2", { id: "staff-heading" }, "Staff"),
    h("p", { class: "hint" }, "A person can use the service once a sign-in id is linked to their record and both their record and their Entra ID account hold the role."),
    h("button", { class: "button", type: "button", onclick: () => openEditor(null) }, "Add a person"),
    h("div", { class: "table-scroll" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "Staff records"),
      h("thead", {}, h("tr", {}, ["Name", "Roles", "Work phone", "Team or hospital", "Sign-ins", ""].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, staff.map(m => h("tr", { "data-staff-id": m.staffId },
        h("td", {}, h("strong", {}, m.name), h("br"), h("span", { class: "meta" }, m.staffId)),
        h("td", {}, m.roles.length ? m.roles.map(r => roleNames[r] || r).join(", ") : h("span", { class: "tag tag--grey" }, "No access")),
        h("td", {}, m.phone || "—"),
        h("td", {}, [m.team, m.hospital && words(m.hospital), m.limitPence != null ? `own limit ${fmtPence(m.limitPence)}` : null].filter(Boolean).join("; ") || "—"),
        h("td", { class: "num" }, String(m.identities.length)),
        h("td", {}, h("button", { class: "button button--secondary button--small", type: "button", onclick: () => openEditor(m) },
          "Edit", h("span", { class: "visually-hidden" }, ` ${m.name}`)))))))));
}

async function openEditor(m) {
  const errorBox = h("div");
  const field = (id, label, hint, control) => h("div", { class: "form-group" }, h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, control);
  const text = (id, value, attrs = {}) => h("input", { type: "text", id, name: id, value: value ?? "", autocomplete: "off", "aria-describedby": `${id}-hint`, ...attrs });
  const form = h("form", { class: "panel", novalidate: true },
    errorBox,
    field("staff-id", "Staff id", m ? "Cases, rosters and approvals name the person by it: it cannot change." : "How cases, rosters and approvals name the person: letters, digits and '-', e.g. hca-10.",
      text("staff-id", m?.staffId, m ? { readonly: true } : {})),
    field("name", "Name", null, text("name", m?.name, { "aria-describedby": null })),
    h("fieldset", { "aria-describedby": "roles-hint" }, h("legend", {}, "Roles"),
      h("p", { class: "hint", id: "roles-hint" }, "What they may do. Their Entra ID account must be assigned the same app role; taking a role away here takes effect at once. No role: no access, the record is kept."),
      h("div", { class: "choices" }, ROLES.map(r => h("div", { class: "choice" },
        h("input", { type: "checkbox", id: `role-${r}`, name: "roles", value: r, checked: m?.roles.includes(r) }),
        h("label", { for: `role-${r}` }, roleNames[r]))))),
    field("phone", "Work phone", "A UK mobile, e.g. 07700 900123: texts about their work go to it.", text("phone", m?.phone, { inputmode: "tel" })),
    field("team", "Team (optional)", "e.g. SPOC or ECSS Derbyshire.", text("team", m?.team)),
    field("hospital", "Hospital", "District Direct officers and managers: the hospital's id, e.g. royal-derby. Leave empty for anyone else.", text("hospital", m?.hospital)),
    field("limit", "Officer's own limit in pounds (optional)", "The most this officer may approve on one referral; the scheme's limit applies when it is lower.",
      text("limit", m?.limitPence != null ? (m.limitPence / 100).toFixed(2) : "", { inputmode: "decimal" })),
    field("identities", "Sign-in ids", "One per line, at most 10. In Azure, the person's Entra object id: the app shows it to them when their account is not linked. Locally, the id typed on the sign-in page.",
      h("textarea", { id: "identities", name: "identities", rows: 3, autocomplete: "off", spellcheck: "false", "aria-describedby": "identities-hint" }, (m?.identities || []).join("\n"))),
    h("button", { class: "button", type: "submit" }, "Save"),
    h("button", { class: "button button--secondary", type: "button", onclick: closeEditor }, "Cancel"));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const staffId = form.elements["staff-id"].value.trim();
    const limit = pence(form.elements.limit.value);
    const body = {
      name: form.elements.name.value.trim(),
      roles: [...form.querySelectorAll("input[name=roles]:checked")].map(i => i.value),
      phone: ukPhone(form.elements.phone.value),
      team: form.elements.team.value.trim() || null,
      hospital: form.elements.hospital.value.trim() || null,
      limitPence: Number.isNaN(limit) ? undefined : limit,
      identities: form.elements.identities.value.split("\n").map(s => s.trim()).filter(Boolean),
    };
    const local = {};
    if (!staffId) local.staffId = ["Enter a staff id."];
    if (Number.isNaN(limit)) local.limitPence = ["Enter an amount in pounds, like 1500 or 1500.50."];
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (Object.keys(local).length) throw new ApiError(400, { title: "There is a problem", detail: "Some fields need changing.", errors: local });
      await api(`/api/admin/staff/${encodeURIComponent(staffId)}`, { method: "PUT", body });
      closeEditor();
      await load();
      say(`Saved ${body.name}.`);
    } catch (err) {
      showErrors(form, errorBox, err, STAFF_FIELDS, lineLabels(err, "identities", STAFF_LABELS));
      button.disabled = false;
    }
  });

  const history = m ? h("section", { "aria-labelledby": "history-heading" }, h("h3", { id: "history-heading" }, "Changes to this record"), await historyOf(m.staffId)) : null;
  editor.replaceChildren(h("h2", { id: "editor-heading", tabindex: "-1" }, m ? `Edit ${m.name}` : "Add a person"), form, history);
  editor.hidden = false;
  editor.querySelector("#editor-heading").focus();
}

function closeEditor() {
  editor.hidden = true;
  editor.replaceChildren();
}

async function historyOf(staffId) {
  try {
    const { changes } = await api(`/api/admin/audit?entity=${encodeURIComponent(`staff:${staffId}`)}`);
    if (!changes.length) return h("p", {}, "No changes recorded.");
    return h("ol", { class: "timeline" }, changes.slice().reverse().map(c => h("li", {},
      h("span", { class: "when" }, fmtDateTime(c.at)),
      h("span", { class: "what" }, `${c.action[0].toUpperCase()}${c.action.slice(1)} by ${c.by.name}`),
      h("p", { class: "meta" }, describe(c.before, c.after)))));
  } catch (e) {
    return errorSummary(e);
  }
}

/** What a change did, in words: the fields that differ. */
function describe(before, after) {
  if (!before) return `Roles: ${(after.roles || []).map(r => roleNames[r] || r).join(", ") || "none"}.`;
  const keys = ["name", "roles", "phone", "team", "hospital", "limitPence", "identities"];
  const show = (v) => Array.isArray(v) ? (v.join(", ") || "none") : (v ?? "none");
  const changed = keys.filter(k => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
  return changed.map(k => `${STAFF_LABELS[k] || k}: ${show(before[k])} → ${show(after[k])}`).join("; ") + ".";
}

function showErrors(form, box, err, ids, labels) {
  box.replaceChildren(errorSummary(err, ids, labels));
  fieldErrors(form, err, ids, labels);
  box.firstChild.focus();
}

function renderPool(pool) {
  const errorBox = h("div");
  const hcas = staff.filter(m => m.roles.includes("hca"));
  const form = h("form", { class: "panel", novalidate: true, "aria-labelledby": "pool-form-heading" },
    h("h3", { id: "pool-form-heading" }, "Put an HCA in the pool, or move their base"),
    errorBox,
    h("div", { class: "inline-fields" },
      h("div", { class: "form-group" }, h("label", { for: "pool-staff" }, "HCA"),
        h("select", { id: "pool-staff", name: "staffId" }, h("option", { value: "" }, "Choose an HCA"),
          hcas.map(m => h("option", { value: m.staffId }, `${m.name} (${m.staffId})`)))),
      h("div", { class: "form-group" }, h("label", { for: "pool-district" }, "Home postcode district"),
        h("p", { class: "hint", id: "pool-district-hint" }, "Where they set out from, e.g. DE22."),
        h("input", { type: "text", id: "pool-district", name: "homeDistrict", autocomplete: "off", "aria-describedby": "pool-district-hint", style: "max-width: 8rem" }))),
    h("button", { class: "button", type: "submit" }, "Put in the pool"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const staffId = form.elements.staffId.value;
    const ids = { staffId: "pool-staff", homeDistrict: "pool-district" };
    try {
      if (!staffId) throw new ApiError(400, { title: "There is a problem", detail: "Choose who to put in the pool.", errors: { staffId: ["Choose an HCA."] } });
      await api(`/api/admin/ecss/pool/${encodeURIComponent(staffId)}`, { method: "PUT", body: { homeDistrict: form.elements.homeDistrict.value.trim() } });
      await load();
      say(`${nameOf(staffId)} is in the pool.`);
    } catch (err) {
      showErrors(form, errorBox, err, ids, { staffId: "HCA", homeDistrict: "Home postcode district" });
    }
  });

  poolSection.replaceChildren(
    h("h2", { id: "pool-heading" }, `ECSS on-call pool (${pool.team})`),
    h("p", { class: "hint" }, "The HCAs the app offers cases to, nearest first from their home district. Someone taken out is offered no new case and keeps the cases they attend until the next shift handover."),
    pool.hcas.length === 0 ? h("p", {}, "Nobody is in the pool.") : h("div", { class: "table-scroll" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "HCAs in the pool"),
      h("thead", {}, h("tr", {}, ["Name", "Home district", "Offered cases", ""].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, pool.hcas.map(p => h("tr", { "data-pool-staff-id": p.staffId },
        h("td", {}, h("strong", {}, p.name || p.staffId), h("br"), h("span", { class: "meta" }, p.staffId)),
        h("td", {}, p.homeDistrict),
        h("td", {}, p.canBeOffered ? h("span", { class: "tag tag--ok" }, "Yes") : h("span", { class: "tag tag--red" }, "No: their record has no hca role or phone")),
        h("td", {}, h("button", { class: "button button--secondary button--small", type: "button", onclick: () => removeFromPool(p) },
          "Remove", h("span", { class: "visually-hidden" }, ` ${p.name || p.staffId} from the pool`)))))))),
    form);
}

async function removeFromPool(p) {
  try {
    await api(`/api/admin/ecss/pool/${encodeURIComponent(p.staffId)}`, { method: "DELETE" });
    await load();
    say(`${p.name || p.staffId} is out of the pool: offered no new case, and keeps the cases they attend until the next handover.`);
  } catch (e) {
    status.replaceChildren(errorSummary(e));
    status.firstChild.focus();
  }
}

function renderPattern(pattern) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", novalidate: true },
    errorBox,
    h("div", { class: "form-group" }, h("label", { for: "pattern" }, "Groups, one per line"),
      h("p", { class: "hint", id: "pattern-hint" }, "Three staff ids from the pool per line, separated by commas, e.g. hca-01, hca-04, hca-07. Each HCA in one group only."),
      h("textarea", { id: "pattern", name: "pattern", rows: Math.max(3, pattern.groups.length), spellcheck: "false", "aria-describedby": "pattern-hint" },
        pattern.groups.map(g => g.join(", ")).join("\n"))),
    h("button", { class: "button", type: "submit" }, "Save the pattern"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const groups = form.elements.pattern.value.split("\n").map(l => l.split(",").map(s => s.trim()).filter(Boolean)).filter(g => g.length);
    try {
      await api("/api/admin/ecss/rota-pattern", { method: "PUT", body: { groups } });
      await load();
      say("The rota pattern is saved.");
    } catch (err) {
      showErrors(form, errorBox, err, { groups: "pattern" }, lineLabels(err, "groups", { groups: "Groups" }));
    }
  });
  patternSection.replaceChildren(
    h("h2", { id: "pattern-heading" }, "Rota pattern"),
    h("p", { class: "hint" }, `Each group works a 12-hour shift in turn (08:00 to 20:00, 20:00 to 08:00), starting with the first group on the day shift of ${pattern.anchor}. A coordinator's change to one shift overrides the pattern for that shift.`),
    form);
}

const nameOf = (id) => staff.find(m => m.staffId === id)?.name || id;

if (me) {
  main().replaceChildren(h("h1", {}, "Staff and the ECSS pool"),
    h("p", { class: "lede" }, "Who uses the service, what they may do and how they sign in. Every change is recorded with who made it and when."),
    status, staffSection, editor, poolSection, patternSection);
  load();
}
