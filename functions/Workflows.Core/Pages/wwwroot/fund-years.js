// The District Direct fund year: the warning when it is ending with the next not open (or none is open), and the form a
// District Direct manager or an admin opens a year or changes its total with. Used by district-direct.js and
// admin-district-direct.js.
import { api, ApiError, h, fmtPence, warningCallout } from "./app.js";
import { pence, showErrors, field, text } from "./admin-forms.js";

/** This financial year's fund ({ fund }), or what the API said when none is open ({ missing }). */
export async function currentFund() {
  try {
    return { fund: await api("/api/district-direct/fund") };
  } catch (e) {
    if (e.status === 404) return { missing: e.message };
    throw e;
  }
}

/** "2027-28" after "2026-27". */
export function nextYear(year) {
  const start = Number(year.slice(0, 4)) + 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** The NHS.UK warning callout for the fund, in words, or null when the year is open and not ending. */
export function fundWarning(state) {
  if (state.missing) return warningCallout("No fund is open for this financial year", state.missing);
  if (state.fund?.yearEndWarning) return warningCallout("The fund year is ending", state.fund.yearEndWarning);
  return null;
}

/** The year to offer in the form: the next one when this one is open, else the one that is missing. */
export function yearToOpen(state) {
  return state.fund ? nextYear(state.fund.year) : (state.missing?.match(/\d{4}-\d{2}/)?.[0] ?? "");
}

/** The form to open a fund year or change its total; <onSaved>(message) after a save. */
export function fundYearForm(year, onSaved) {
  const errorBox = h("div");
  const ids = { year: "fund-year", totalPence: "fund-total" };
  const labels = { year: "Financial year", totalPence: "Total" };
  const form = h("form", { class: "panel", novalidate: true, "aria-labelledby": "fund-form-heading" },
    h("h3", { id: "fund-form-heading" }, "Open a fund year or change its total"),
    errorBox,
    h("div", { class: "inline-fields" },
      field("fund-year", "Financial year", "April to March, e.g. 2027-28.", text("fund-year", year, { class: "input--short" })),
      field("fund-total", "Total in pounds", "The year's whole fund. It cannot be less than what is committed and spent.",
        text("fund-total", "", { inputmode: "decimal", class: "input--medium" }))),
    h("button", { class: "button", type: "submit" }, "Save the fund year"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const chosen = form.elements["fund-year"].value.trim();
    const total = pence(form.elements["fund-total"].value);
    const local = {};
    if (!/^\d{4}-\d{2}$/.test(chosen)) local.year = ["Enter a financial year such as 2027-28."];
    if (total === null || Number.isNaN(total)) local.totalPence = ["Enter an amount in pounds, like 120000 or 120000.50."];
    try {
      if (Object.keys(local).length) throw new ApiError(400, { title: "There is a problem", detail: "Some fields need changing.", errors: local });
      const fund = await api(`/api/district-direct/fund/${encodeURIComponent(chosen)}`, { method: "PUT", body: { totalPence: total } });
      errorBox.replaceChildren();
      await onSaved(`The ${fund.year} fund is ${fmtPence(fund.totalPence)}: ${fmtPence(fund.availablePence)} available.`);
    } catch (err) {
      showErrors(form, errorBox, err, ids, labels);
    }
  });
  return form;
}
