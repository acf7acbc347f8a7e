import { api, requireRole, renderHeader, h, main, fmtDateTime, sentence, errorSummary, notice } from "./app.js";
import { fundBar } from "./charts.js";
import { decisionForm, referralLink } from "./spend.js";

renderHeader("district-direct.html");
const me = requireRole("dd-officer", "dd-manager");
const fundBox = h("div", { id: "fund-box" });
const flashBox = h("div", { id: "flash" });
const approvals = h("div", { id: "awaiting-approval" });
const assessments = h("div", { id: "awaiting-assessment" });
const discharges = h("div", { id: "awaiting-discharge" });
const attention = h("div", { id: "needs-attention" });
const days = (iso) => Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 86400000));

async function loadFund() {
  try { fundBox.replaceChildren(fundBar(await api("/api/district-direct/fund"))); } catch (e) {
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
    flashBox,
    h("h2", {}, "Needs attention"), attention,
    h("h2", {}, "The fund"), fundBox,
    h("h2", {}, "Spend waiting for a decision"), approvals,
    h("h2", {}, "Waiting for a home assessment"), assessments,
    h("h2", {}, "Waiting for discharge"), h("p", { class: "hint" }, "Every spend decided: the home is being made ready. Record the discharge, and the invoices as works are paid."), discharges);
  refresh();
}
