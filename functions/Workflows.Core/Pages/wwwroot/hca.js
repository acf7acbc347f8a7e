import { api, requireRole, renderHeader, h, main, fmtTime, fmtDateTime, shortId, sentence, errorSummary, notice } from "./app.js";

renderHeader("hca.html");
const me = requireRole("hca");

const CARE = [
  ["personal-care", "Personal care"], ["continence-care", "Continence care"], ["emotional-support", "Emotional support"],
  ["comfort-call", "Comfort call"], ["double-handed-support", "Double-handed support"],
];

/** "HH:MM" for a time input, in the phone's own time zone (the HCA's clock). */
const clock = (d) => `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;

/** Today's date at the time typed; a time later than now is taken as yesterday (a visit that ran over midnight). */
export function atClock(value, now = new Date()) {
  const [hh, mm] = value.split(":").map(Number);
  const d = new Date(now); d.setHours(hh, mm, 0, 0);
  if (d - now > 5 * 60 * 1000) d.setDate(d.getDate() - 1);
  return d;
}

function visitForm(c, onRecorded) {
  const id = (name) => `${name}-${c.caseId}`;
  const now = clock(new Date());
  const errorBox = h("div");
  const form = h("form", { class: "panel visit-form", novalidate: true, "aria-labelledby": id("visit-heading") },
    h("h3", { id: id("visit-heading") }, "Record a visit"),
    errorBox,
    h("div", { class: "inline-fields" },
      h("div", { class: "form-group" }, h("label", { for: id("arrived") }, "Arrived"),
        h("input", { type: "time", id: id("arrived"), name: "arrived", value: now, required: true })),
      h("div", { class: "form-group" }, h("label", { for: id("left") }, "Left"),
        h("input", { type: "time", id: id("left"), name: "left", value: now, required: true }))),
    h("fieldset", { id: id("care") }, h("legend", {}, "Care given"),
      h("div", { class: "choices" }, CARE.map(([value, label]) => h("div", { class: "choice" },
        h("input", { type: "checkbox", id: id(`care-${value}`), name: "care", value }),
        h("label", { for: id(`care-${value}`) }, label))))),
    h("div", { class: "form-group" }, h("label", { for: id("notes") }, "Notes"),
      h("p", { class: "hint", id: id("notes-hint") }, "Optional. Staff see these; they are never texted."),
      h("textarea", { id: id("notes"), name: "notes", rows: 3, "aria-describedby": id("notes-hint") })),
    h("button", { class: "button button--block", type: "submit" }, "Save visit"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = {
      arrivedAt: atClock(form.elements.arrived.value).toISOString(),
      leftAt: atClock(form.elements.left.value).toISOString(),
      care: [...form.querySelectorAll("input[name=care]:checked")].map(i => i.value),
      notes: form.elements.notes.value.trim(),
    };
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/visits`, { method: "POST", body });
      onRecorded(body);
    } catch (err) {
      errorBox.replaceChildren(errorSummary(err, { arrivedAt: id("arrived"), leftAt: id("left"), care: id("care-personal-care"), notes: id("notes") }));
      errorBox.firstChild.focus();
      button.disabled = false;
    }
  });
  return form;
}

function caseCard(c) {
  const card = h("section", { class: "card hca-case", "data-case-id": c.caseId, "aria-labelledby": `case-${c.caseId}` });
  const result = h("div");
  const form = visitForm(c, (visit) => {
    result.replaceChildren(notice(`Visit recorded: ${fmtTime(visit.arrivedAt)} to ${fmtTime(visit.leftAt)}.`));
    result.firstChild.focus();
    form.reset();
  });
  card.append(
    h("h2", { id: `case-${c.caseId}` }, c.patientName, " ", h("span", { class: "tag tag--blue" }, sentence(c.status))),
    h("dl", { class: "summary-list" },
      h("div", {}, h("dt", {}, "Address"), h("dd", { class: "address" }, `${c.address}, ${c.postcode}`)),
      c.patientPhone ? h("div", {}, h("dt", {}, "Patient's phone"), h("dd", {}, h("a", { href: `tel:${c.patientPhone}` }, c.patientPhone))) : null,
      c.familyContacts.map(f => h("div", {}, h("dt", {}, `Family: ${f.firstName} (${f.relationship})`),
        h("dd", {}, h("a", { href: `tel:${f.phone}` }, f.phone)))),
      h("div", {}, h("dt", {}, "With ECSS since"), h("dd", {}, c.bridgingSince ? fmtDateTime(c.bridgingSince) : "—"))),
    h("p", {}, h("a", { href: `case.html?id=${encodeURIComponent(c.caseId)}` }, "Case timeline",
      h("span", { class: "visually-hidden" }, ` for ${c.patientName}, case ${shortId(c.caseId)}`))),
    result, form);
  return card;
}

function offerItem(o) {
  return h("li", { "data-case-id": o.caseId },
    h("p", {}, h("strong", {}, `Case ${shortId(o.caseId)} near ${o.postcode}`)),
    h("p", { class: "meta" }, `Offered at ${fmtTime(o.offeredAt)}; answer by ${fmtTime(o.expiresAt)} by replying YES or NO with the code in the text.`));
}

async function render() {
  let mine;
  try { mine = await api("/api/ecss/my-cases"); } catch (e) {
    main().replaceChildren(h("h1", {}, "HCA today"), errorSummary(e));
    return;
  }
  // replaceChildren takes nodes only: flatten the lists and drop the parts not shown.
  main().replaceChildren(...[
    h("h1", {}, "HCA today"),
    h("p", { class: "lede" }, "Your cases this shift. Record each visit as you leave."),
    mine.cases.length ? mine.cases.map(caseCard) : h("p", { id: "no-cases" }, "You have no cases right now."),
    mine.offers.length ? [h("h2", {}, "Offers waiting for your reply"), h("ul", { class: "offers" }, mine.offers.map(offerItem))] : null,
    h("p", {}, h("button", { class: "button button--secondary", type: "button", onclick: render }, "Refresh")),
  ].flat().filter(Boolean));
}

if (me) render();
