import { api, requireRole, renderHeader, h, main, fmtPence, sentence, errorSummary, fmtDateTime } from "./app.js";
import { barChart, dayChart, fundBar } from "./charts.js";

renderHeader("report.html");
const me = requireRole("reporting");

const isoDay = (d) => d.toISOString().slice(0, 10);
const params = new URLSearchParams(location.search);
const today = new Date();
const from = params.get("from") || isoDay(new Date(today.getTime() - 27 * 86400000));
const to = params.get("to") || isoDay(today);

/** The first and last day of a month given as yyyy-MM. */
export function monthDays(month) {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${month}-01`, `${month}-${String(last).padStart(2, "0")}`];
}

const output = h("div", { id: "report-output", "aria-live": "polite" });
const form = h("form", { class: "panel no-print", id: "report-form" },
  h("div", { class: "inline-fields" },
    h("div", { class: "form-group" }, h("label", { for: "month" }, "A whole month"),
      h("p", { class: "hint", id: "month-hint" }, "Fills in the dates below."),
      h("input", { type: "month", id: "month", name: "month", "aria-describedby": "month-hint", value: from.slice(0, 7) === to.slice(0, 7) && monthDays(from.slice(0, 7))[0] === from && monthDays(from.slice(0, 7))[1] === to ? from.slice(0, 7) : "" })),
    h("div", { class: "form-group" }, h("label", { for: "from" }, "From"), h("input", { type: "date", id: "from", name: "from", value: from })),
    h("div", { class: "form-group" }, h("label", { for: "to" }, "To (included)"), h("input", { type: "date", id: "to", name: "to", value: to })),
    h("div", { class: "form-group" }, h("button", { class: "button", type: "submit", id: "show-report" }, "Show report"),
      h("button", { class: "button button--secondary", type: "button", id: "download-csv" }, "Download CSV"))));

const unitText = (row) => row.value === "" ? "no data" : row.unit === "pence" ? fmtPence(Number(row.value)) : `${row.value} ${row.unit}`;
const val = (rows, key) => rows.find(r => r.key === key)?.value ?? "";

function render(report) {
  const c = report.crisisCare, d = report.districtDirect, m = report.measuresOfSuccess;
  const rows = report.rows;
  const stat = (label, key, unit) => h("li", {}, h("p", { class: "big-number", "data-stat": key }, val(rows, key) === "" ? "–" : val(rows, key)), h("p", { class: "meta" }, label, unit ? ` (${unit})` : ""));
  output.replaceChildren(
    h("h2", { id: "period" }, `${report.from} to ${report.to}`),
    h("p", { class: "meta" }, `Generated ${fmtDateTime(report.generatedAt)}. Days are UK days; both dates are included.`),
    h("ul", { class: "stat-list" },
      stat("Calls from NHS 111", "crisisCare.calls"), stat("Referrals to ECSS", "crisisCare.ecssReferrals"),
      stat("Median time to triage", "crisisCare.callToTriageMinutes.median", "minutes"),
      stat("Median time to HCA accepted", "crisisCare.referralToHcaAcceptedMinutes.median", "minutes"),
      stat("Bridging days", "crisisCare.bridging.totalDays"), stat("Cases still open (referred included)", "crisisCare.stillOpen"),
      stat("District Direct referrals", "districtDirect.referrals"),
      stat("Bed days saved", "districtDirect.bedDaysSaved")),
    h("h2", {}, "Charts"),
    h("div", { class: "report-grid" },
      h("section", { class: "card" }, h("h3", {}, "Calls per day"), dayChart("Calls per day", c.callsByDay.map(x => ({ date: x.date, count: x.count })))),
      h("section", { class: "card" }, h("h3", {}, "Triage outcomes"), barChart("Triage outcomes", Object.entries(c.triageOutcomes).map(([k, v]) => [sentence(k), v]), "cases")),
      h("section", { class: "card" }, h("h3", {}, "Cases closed by reason"), barChart("Cases closed by reason", Object.entries(c.closedByReason).map(([k, v]) => [sentence(k), v]), "cases")),
      h("section", { class: "card" }, h("h3", {}, "Measures of success"), barChart("Measures of success", [
        ["Carers supported", m.carersSupported], ["Bereavement signposting", m.bereavementSignpostingSent], ["VCFSE / community referrals", m.communityReferrals]])),
      h("section", { class: "card" }, h("h3", {}, "District Direct referrals by source"), barChart("District Direct referrals by source", Object.entries(d.referralsBySource).map(([k, v]) => [k === "ed" ? "Emergency department" : sentence(k), v]), "referrals")),
      h("section", { class: "card" }, h("h3", {}, "Spend against the fund"), d.fund
        ? [h("p", { class: "meta", id: "fund-as-at" }, new Date(d.fund.asAt) < new Date(report.generatedAt)
            ? `The ${d.fund.year} fund as it stood at the end of ${report.to}.` : `The ${d.fund.year} fund as it stands now.`), fundBar(d.fund)]
        : h("p", {}, "No fund is open for this period."))),
    h("h2", {}, "All measures"),
    h("div", { class: "table-scroll" }, h("table", { id: "report-table" },
      h("caption", {}, `Pilot measures, ${report.from} to ${report.to}`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Section"), h("th", { scope: "col" }, "Measure"), h("th", { scope: "col", class: "num" }, "Value"))),
      h("tbody", {}, rows.map(r => h("tr", { "data-key": r.key }, h("td", {}, r.section), h("th", { scope: "row" }, r.measure),
        h("td", { class: "num", "data-value": r.value }, unitText(r))))))),
    h("h2", {}, "How these are counted"),
    h("ul", { id: "rules" }, report.rules.map(r => h("li", {}, r))));
}

let loads = 0;
async function load(push) {
  const f = form.querySelector("#from").value, t = form.querySelector("#to").value;
  if (push) history.replaceState(null, "", `?from=${f}&to=${t}`);
  // Only the latest request's answer is shown: an earlier one answering late must not replace the dates asked for since.
  const mine = ++loads;
  output.replaceChildren(h("p", { class: "hint" }, "Loading the report…"));
  try {
    const report = await api(`/api/reports/pilot?from=${encodeURIComponent(f)}&to=${encodeURIComponent(t)}`);
    if (mine === loads) render(report);
  } catch (e) {
    if (mine !== loads) return;
    output.replaceChildren(errorSummary(e, { from: "from", to: "to" }, { from: "From", to: "To" }));
    output.firstChild.focus();
  }
}

async function downloadCsv() {
  const f = form.querySelector("#from").value, t = form.querySelector("#to").value;
  try {
    const r = await api(`/api/reports/pilot?from=${encodeURIComponent(f)}&to=${encodeURIComponent(t)}`, { accept: "text/csv" });
    const url = URL.createObjectURL(await r.blob());
    const a = h("a", { href: url, download: `pilot-report-${f}-to-${t}.csv` });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    output.prepend(errorSummary(e, { from: "from", to: "to" }, { from: "From", to: "To" }));
  }
}

if (me) {
  form.addEventListener("submit", (e) => { e.preventDefault(); load(true); });
  const month = form.querySelector("#month");
  for (const type of ["input", "change"]) month.addEventListener(type, () => {
    if (/^\d{4}-\d{2}$/.test(month.value)) [form.querySelector("#from").value, form.querySelector("#to").value] = monthDays(month.value);
  });
  form.querySelector("#download-csv").addEventListener("click", downloadCsv);
  main().replaceChildren(h("h1", {}, "Pilot report"),
    h("p", { class: "lede" }, "SPOC, ECSS and District Direct measures for the end-of-life board, for any dates."), form, output);
  load(false);
}
