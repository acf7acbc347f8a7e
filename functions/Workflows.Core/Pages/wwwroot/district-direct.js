import { api, requireRole, renderHeader, h, main, fmtPence, fmtDateTime, fmtTime, sentence, errorSummary, notice } from "./app.js";
import { fundBar } from "./charts.js";
import { currentFund, fundWarning, fundYearForm, yearToOpen } from "./fund-years.js";
import { decisionForm, referralLink } from "./spend.js";

renderHeader("district-direct.html");
const me = requireRole("dd-officer", "dd-manager");
const fundBox = h("div", { id: "fund-box" });
const flashBox = h("div", { id: "flash" });
const approvals = h("div", { id: "awaiting-approval" });
const assessments = h("div", { id: "awaiting-assessment" });
const discharges = h("div", { id: "awaiting-discharge" });
const attention = h("div", { id: "needs-attention" });
const asked = h("div", { id: "approval-asked" });
const days = (iso) => Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 86400000));

/** The fund, with the NHS.UK warning callout when its year is ending with the next not open; a manager can open a year here. */
async function loadFund() {
  try {
    const state = await currentFund();
    fundBox.replaceChildren(...[fundWarning(state), state.fund ? fundBar(state.fund) : null,
      me.role === "dd-manager" ? fundYearForm(yearToOpen(state), async (message) => {
        await loadFund();
        flashBox.replaceChildren(notice(message));
        flashBox.firstChild.focus();
      }) : null].filter(Boolean));
  } catch (e) {
    fundBox.replaceChildren(h("p", {}, `The fund could not be loaded: ${e.message}`));
  }
}

const nextStep = {
  "awaiting-assessment": "Record the home assessment", "awaiting-approval": "Open the referral",
  "awaiting-discharge": "Record the discharge or invoice works",
};

function referralCard(r, withSpend) {
  return h("li", { class: "card", "data-referral-id": r.referralId },
    h("h3", {}, h("a", { href: referralLink(r.referralId) }, r.patient.name), h("span", { class: "meta" }, ` · ${r.referralId}`)),
    h("p", { class: "meta" }, `${r.source === "ed" ? "Emergency department" : sentence(r.source)} · ${r.hospital} · ${r.patient.postcode} · fit for discharge ${fmtDateTime(r.fitForDischargeAt)} (${days(r.fitForDischargeAt)} days)`),
    h("p", {}, "Blockers: ", r.blockers.map(sentence).join(", ")),
    r.findings ? h("p", {}, `Findings: ${r.findings}`) : null,
    r.needsAttention ? h("p", { class: "attention" }, h("strong", {}, "Needs attention: "),
      `${r.needsAttention.reason} (since ${fmtDateTime(r.needsAttention.at)}). Carry it on here or by phone.`) : null,
    withSpend ? h("div", { class: "cards" }, r.pendingSpend.map(s => decisionForm(r, s, decided))) : null,
    h("p", {}, h("a", { class: "button button--secondary button--small", href: referralLink(r.referralId) }, nextStep[r.status] || "Open the referral",
      h("span", { class: "visually-hidden" }, ` for ${r.patient.name}`))));
}

async function decided(message) {
  flashBox.replaceChildren(notice(message));
  await refresh();
  flashBox.firstChild?.focus();
}

const cards = (list, empty, withSpend = false) => list.length ? h("ul", { class: "cards" }, list.map(r => referralCard(r, withSpend))) : h("p", {}, empty);

// The link in an approval text opens this page at that spend request (?approval=): Approve and Reject answer it as an
// APPROVE or REJECT reply would, so the page waits for the referral to decide it before saying what happened.
const approvalLink = new URLSearchParams(location.search).get("approval");
const sleep = (ms) => new Promise(r => setTimeout(r, ms));

/** Where the linked approval stands, in words; null while it can be answered. */
function approvalNews(a) {
  const s = a.spendRequest;
  if (s.status !== "pending")
    return ["success", `${sentence(s.status)}: ${s.item} (${fmtPence(s.amountPence)})` + (s.decidedBy ? ` by ${s.decidedBy}${s.decidedAt ? ` at ${fmtDateTime(s.decidedAt)}` : ""}.` : ".")];
  if (a.state === "answered") return ["warning", "This approval was answered but the spend is still waiting: see your texts, or decide it below."];
  if (a.state === "expired") return ["warning", `The link in your text was open until ${fmtTime(a.expiresAt)}: decide the spend below.`];
  if (a.state === "closed") return ["warning", "This approval is no longer open: see the referral below."];
  return null;
}

async function answerApproval(a, answer, panel) {
  const errorBox = panel.querySelector(".answer-error");
  panel.querySelectorAll("button").forEach(b => { b.disabled = true; });
  try {
    await api(`/api/district-direct/approvals/${encodeURIComponent(a.approvalId)}/answer`, { method: "POST", body: { answer } });
  } catch (e) {
    errorBox.replaceChildren(errorSummary(e));
    errorBox.firstChild.focus();
    if (e.status !== 409) panel.querySelectorAll("button").forEach(b => { b.disabled = false; });
    return;
  }
  errorBox.replaceChildren(notice(answer === "approve" ? "Approving…" : "Rejecting…", "info"));
  let now = null;
  for (let i = 0; i < 30; i++) {
    try { now = await api(`/api/district-direct/approvals/${encodeURIComponent(a.approvalId)}`); } catch { now = null; }
    if (now && now.spendRequest.status !== "pending") break;
    await sleep(1000);
  }
  const [kind, text] = (now && approvalNews(now)) || ["warning", "Your answer is in, but the spend still shows as waiting: refresh in a moment."];
  asked.replaceChildren(notice(`${text}${now?.patient ? ` For ${now.patient.name}.` : ""}`, kind));
  asked.firstChild.focus();
  await refresh();
}

/** The spend request the text's link opened: Approve and Reject while it can be answered, else where it stands. */
async function showApprovalAsked() {
  let a;
  try { a = await api(`/api/district-direct/approvals/${encodeURIComponent(approvalLink)}`); } catch (e) {
    asked.replaceChildren(h("section", { class: "card", "aria-labelledby": "asked-heading", tabindex: "-1" },
      h("h2", { id: "asked-heading" }, "The spend from your text"), errorSummary(e)));
    asked.firstChild.focus();
    return;
  }
  const news = approvalNews(a);
  const s = a.spendRequest;
  const panel = h("section", { class: "card", "data-approval-id": a.approvalId, "aria-labelledby": "asked-heading", tabindex: "-1" },
    h("h2", { id: "asked-heading" }, `Your decision: ${s.item}, ${fmtPence(s.amountPence)}`),
    h("p", {}, `Supplier: ${s.supplier}. For ${a.patient?.name ?? "the patient"}, referral ${a.referralId}${a.hospital?.name ? ` at ${a.hospital.name}` : ""}.`),
    h("div", { class: "answer-error" }, news ? notice(news[1], news[0]) : null));
  if (!news)
    panel.append(
      h("button", { class: "button", type: "button", onclick: () => answerApproval(a, "approve", panel) }, `Approve ${fmtPence(s.amountPence)}`),
      h("button", { class: "button button--warning", type: "button", onclick: () => answerApproval(a, "reject", panel) }, "Reject"));
  asked.replaceChildren(panel);
  panel.focus();
}

async function refresh() {
  await loadFund();
  try {
    const { referrals } = await api("/api/district-direct/referrals?status=awaiting-assessment,awaiting-approval,awaiting-discharge,needs-attention");
    const at = (status) => referrals.filter(r => r.status === status);
    attention.replaceChildren(cards(referrals.filter(r => r.needsAttention), "No referral is stuck."));
    approvals.replaceChildren(cards(at("awaiting-approval"), "No spend is waiting for a decision.", true));
    assessments.replaceChildren(cards(at("awaiting-assessment"), "No referrals are waiting for assessment."));
    discharges.replaceChildren(cards(at("awaiting-discharge"), "No referrals are waiting for discharge."));
  } catch (e) {
    approvals.replaceChildren(errorSummary(e));
  }
}

if (me) {
  main().replaceChildren(h("h1", {}, "District Direct"),
    h("p", { class: "lede" }, "Patients fit for discharge whose home is the blocker: spend to decide, homes to assess, discharges to record, and the fund."),
    flashBox, asked,
    h("h2", {}, "Needs attention"), attention,
    h("h2", {}, "The fund"), fundBox,
    h("h2", {}, "Spend waiting for a decision"), approvals,
    h("h2", {}, "Waiting for a home assessment"), assessments,
    h("h2", {}, "Waiting for discharge"), h("p", { class: "hint" }, "Every spend decided: the home is being made ready. Record the discharge, and the invoices as works are paid."), discharges);
  refresh();
  if (approvalLink) showApprovalAsked();
}
