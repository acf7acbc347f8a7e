import { api, requireRole, renderHeader, h, main, fmtTime, fmtDateTime, shortId, sentence, words, errorSummary, notice, onSubmit, summaryList, whatMattersRows } from "./app.js";

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

/** What the app did with a visit, in words: a retry is not a new visit, and a correction says so. */
function visitOutcome(answer, arrivedAt, leftAt) {
  const when = `${fmtTime(arrivedAt)} to ${fmtTime(leftAt)}`;
  if (!answer.recorded) return `This visit (${when}) was already recorded with these details: nothing changed.`;
  return answer.corrected ? `Visit corrected: ${when}. The case shows what you sent now.` : `Visit recorded: ${when}.`;
}

function visitForm(c, result) {
  const id = (name) => `${name}-${c.caseId}`;
  const now = clock(new Date());
  const errorBox = h("div");
  const form = h("form", { class: "panel visit-form", novalidate: true, "aria-labelledby": id("visit-heading") },
    h("h3", { id: id("visit-heading") }, c.closed ? "Record your last visit" : "Record a visit"),
    h("p", { class: "hint" }, "To correct a visit, send it again with the same arrival time."),
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
  const times = () => [atClock(form.elements.arrived.value), atClock(form.elements.left.value)];
  onSubmit(form, errorBox, {
    fields: { arrivedAt: id("arrived"), leftAt: id("left"), care: id("care-personal-care"), notes: id("notes") },
    labels: { arrivedAt: "Arrived", leftAt: "Left", care: "Care given", notes: "Notes" },
    check: () => {
      const e = {};
      if (!form.elements.arrived.value) e.arrivedAt = ["Enter the time you arrived."];
      if (!form.elements.left.value) e.leftAt = ["Enter the time you left."];
      else if (form.elements.arrived.value && times()[1] < times()[0]) e.leftAt = ["The time you left must be after the time you arrived."];
      if (!form.querySelector("input[name=care]:checked")) e.care = ["Select the care you gave."];
      return e;
    },
    send: async () => {
      result.replaceChildren();
      const [arrived, left] = times();
      const body = {
        arrivedAt: arrived.toISOString(), leftAt: left.toISOString(),
        care: [...form.querySelectorAll("input[name=care]:checked")].map(i => i.value),
        notes: form.elements.notes.value.trim(),
      };
      const answer = await api(`/api/cases/${encodeURIComponent(c.caseId)}/visits`, { method: "POST", body });
      result.replaceChildren(notice(visitOutcome(answer, body.arrivedAt, body.leftAt), answer.recorded ? "success" : "warning"));
      result.firstChild.focus();
      form.reset();
    },
  });
  return form;
}

function checkInForm(c, result) {
  const id = (name) => `${name}-${c.caseId}`;
  const errorBox = h("div");
  const form = h("form", { class: "panel", novalidate: true, "aria-labelledby": id("check-in-heading") },
    h("h3", { id: id("check-in-heading") }, "Check in"),
    h("p", { class: "hint" }, "Between visits: you phoned or heard from the family and the patient is supported. It tells the coordinator all is well."),
    errorBox,
    h("div", { class: "form-group" }, h("label", { for: id("check-in-notes") }, "Notes (optional)"),
      h("textarea", { id: id("check-in-notes"), rows: 2 })),
    h("button", { class: "button button--secondary button--block", type: "submit" }, "Record check-in"));
  onSubmit(form, errorBox, {
    fields: { notes: id("check-in-notes") }, labels: { notes: "Notes" },
    send: async () => {
      result.replaceChildren();
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/check-ins`, { method: "POST", body: { notes: form.querySelector("textarea").value.trim() } });
      result.replaceChildren(notice(`Check-in recorded at ${fmtTime(new Date().toISOString())}.`));
      result.firstChild.focus();
      form.reset();
    },
  });
  return form;
}

function caseCard(c) {
  const result = h("div");
  // h() leaves out the parts not shown (a closed case has no check-in); append() would write them as "null".
  return h("section", { class: "card hca-case", "data-case-id": c.caseId, "aria-labelledby": `case-${c.caseId}` },
    h("h2", { id: `case-${c.caseId}` }, c.patientName, " ", c.closed
      ? h("span", { class: "tag tag--grey" }, `Closed: ${words(c.closed.reason)}`) : h("span", { class: "tag tag--blue" }, sentence(c.status))),
    c.closed ? h("p", {}, `The case closed at ${fmtDateTime(c.closed.at)}. If you were there, record your last visit: you can for 24 hours after the close.`) : null,
    h("dl", { class: "summary-list" },
      h("div", {}, h("dt", {}, "Address"), h("dd", { class: "address" }, `${c.address}, ${c.postcode}`)),
      c.patientPhone ? h("div", {}, h("dt", {}, "Patient's phone"), h("dd", {}, h("a", { href: `tel:${c.patientPhone}` }, c.patientPhone))) : null,
      c.familyContacts.map(f => h("div", {}, h("dt", {}, `Family: ${f.firstName} (${f.relationship})`),
        h("dd", {}, h("a", { href: `tel:${f.phone}` }, f.phone)))),
      h("div", {}, h("dt", {}, "With ECSS since"), h("dd", {}, c.bridgingSince ? fmtDateTime(c.bridgingSince) : "—")),
      c.lastContactAt ? h("div", {}, h("dt", {}, "Last visit or check-in"), h("dd", {}, fmtDateTime(c.lastContactAt))) : null),
    // At the door: whether to resuscitate, where the just-in-case medicines are, whom to ask for.
    c.whatMatters ? [h("h3", {}, "What matters to the patient"), summaryList(whatMattersRows(c.whatMatters), `what-matters-${c.caseId}`)] : null,
    h("p", {}, h("a", { href: `case.html?id=${encodeURIComponent(c.caseId)}` }, "Case timeline",
      h("span", { class: "visually-hidden" }, ` for ${c.patientName}, case ${shortId(c.caseId)}`))),
    result, visitForm(c, result), c.closed ? null : checkInForm(c, result));
}

// Offers: the link in an offer text opens this page at that offer (?offer=), and each open offer can be answered here.
// An answer goes the way a YES or NO by text goes, so the page waits for the dispatch to act on it before saying what happened.
const linkedOffer = new URLSearchParams(location.search).get("offer");
/** What the last answer came to, shown at the top after the page is drawn again. */
let flash = null;
const sleep = (ms) => new Promise(r => setTimeout(r, ms));

/** Where an offer stands, in words; null while it is open for an answer. */
function offerNews(o) {
  if (o.outcome === "accepted") return ["success", "The visit is yours: the address and the family's numbers are below."];
  if (o.outcome === "already-attending") return ["warning", "You already have a case to attend, so this visit is going to a colleague. Nothing more to do."];
  if (o.outcome === "declined") return ["success", "You declined this visit: it is being offered to a colleague."];
  if (o.outcome !== "offered") return ["warning", "This offer has closed: the visit is covered or no longer needed. Nothing more to do."];
  if (o.state === "answered") return ["success", "Your answer is in; the visit is being confirmed. Refresh in a moment."];
  if (o.state !== "open") return ["warning", `This offer closed at ${fmtTime(o.expiresAt)} and has moved on to a colleague. Nothing more to do.`];
  return null;
}

/** Accepts or declines, then waits (up to 30 s) for the dispatch to settle the offer and draws the page again. */
async function answerOffer(offerId, answer, box) {
  box.querySelectorAll("button").forEach(b => { b.disabled = true; });
  try {
    await api(`/api/ecss/offers/${encodeURIComponent(offerId)}/answer`, { method: "POST", body: { answer } });
  } catch (e) {
    // 409: the offer moved on or was answered already; nothing to retry.
    if (e.status === 409) { flash = notice(e.message, "warning"); await render(); return; }
    box.querySelector(".answer-error").replaceChildren(errorSummary(e));
    box.querySelector(".error-summary").focus();
    box.querySelectorAll("button").forEach(b => { b.disabled = false; });
    return;
  }
  box.querySelector(".answer-error").replaceChildren(notice(answer === "accept" ? "Accepting…" : "Declining…", "info"));
  let offer = null;
  for (let i = 0; i < 30; i++) {
    try { offer = await api(`/api/ecss/offers/${encodeURIComponent(offerId)}`); } catch { offer = null; }
    if (offer && offer.outcome !== "offered") break;
    await sleep(1000);
  }
  // Accepted, the case becomes theirs a moment later (the dispatch's next step): wait for it, so its address shows.
  for (let i = 0; offer?.outcome === "accepted" && i < 15; i++) {
    try { if ((await api("/api/ecss/my-cases")).cases.some(c => c.caseId === offer.caseId)) break; } catch { /* try again */ }
    await sleep(1000);
  }
  const [kind, text] = (offer && offerNews(offer)) || ["success", "Your answer is in; refresh in a moment to see the visit."];
  flash = notice(text, kind);
  await render();
}

function answerButtons(o, box, label = "") {
  const hidden = label ? h("span", { class: "visually-hidden" }, ` ${label}`) : null;
  return h("div", { class: "answer-buttons" },
    h("button", { class: "button button--block", type: "button", onclick: () => answerOffer(o.offerId, "accept", box) }, "Accept", hidden),
    h("button", { class: "button button--secondary button--block", type: "button", onclick: () => answerOffer(o.offerId, "decline", box) },
      "Decline", hidden?.cloneNode(true)));
}

function offerItem(o) {
  const label = `case ${shortId(o.caseId)} near ${o.postcode}`;
  const item = h("li", { "data-case-id": o.caseId, "data-offer-id": o.offerId || null },
    h("p", {}, h("strong", {}, `Case ${shortId(o.caseId)} near ${o.postcode}`)),
    h("p", { class: "meta" }, o.offerId ? `Offered at ${fmtTime(o.offeredAt)}; answer by ${fmtTime(o.expiresAt)}. The address and details open here once you accept.`
      : `Offered at ${fmtTime(o.offeredAt)}; answer by ${fmtTime(o.expiresAt)} by replying YES or NO with the code in the text. The address and details open here once you accept.`),
    h("div", { class: "answer-error" }));
  if (o.offerId) item.append(answerButtons(o, item, label));
  return item;
}

/** The offer the text's link opened: Accept and Decline while it is open, else where it stands. */
async function linkedOfferPanel() {
  let o;
  try { o = await api(`/api/ecss/offers/${encodeURIComponent(linkedOffer)}`); } catch (e) {
    return h("section", { class: "card offer-link", "aria-labelledby": "offer-heading", tabindex: "-1" },
      h("h2", { id: "offer-heading" }, "The offer from your text"), errorSummary(e));
  }
  const news = offerNews(o);
  if (news) return notice(news[1], news[0]);
  const panel = h("section", { class: "card offer-link", "data-offer-id": o.offerId, "aria-labelledby": "offer-heading", tabindex: "-1" },
    h("h2", { id: "offer-heading" }, `Can you go? A crisis visit near ${o.postcode}`),
    h("p", {}, `Case ${shortId(o.caseId)}. Answer by ${fmtTime(o.expiresAt)}: the address shows here once you accept.`),
    h("div", { class: "answer-error" }));
  panel.append(answerButtons(o, panel));
  return panel;
}

async function render() {
  let mine;
  try { mine = await api("/api/ecss/my-cases"); } catch (e) {
    main().replaceChildren(h("h1", {}, "HCA today"), errorSummary(e));
    return;
  }
  const open = mine.cases.filter(c => !c.closed), closed = mine.cases.filter(c => c.closed);
  const shown = flash;
  flash = null;
  const linked = linkedOffer && !shown ? await linkedOfferPanel() : null;
  const others = mine.offers.filter(o => !(linked?.dataset?.offerId && o.offerId === linked.dataset.offerId));
  // replaceChildren takes nodes only: flatten the lists and drop the parts not shown.
  main().replaceChildren(...[
    h("h1", {}, "HCA today"),
    shown, linked,
    h("p", { class: "lede" }, "Your cases this shift. Record each visit as you leave."),
    others.length ? [h("h2", {}, "Offers waiting for your answer"), h("ul", { class: "offers", id: "offers" }, others.map(offerItem))] : null,
    open.length ? open.map(caseCard) : h("p", { id: "no-cases" }, "You have no cases right now."),
    closed.length ? [h("h2", {}, "Closed in the last 24 hours"), closed.map(caseCard)] : null,
    h("p", {}, h("button", { class: "button button--secondary", type: "button", onclick: render }, "Refresh")),
  ].flat(Infinity).filter(Boolean));
  (shown || linked)?.focus?.();
}

if (me) render();
