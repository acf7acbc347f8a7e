import { api, requireRole, renderHeader, h, main, fmtDate, fmtDateTime, fmtTime, errorSummary, notice, onSubmit } from "./app.js";

renderHeader("roster.html");
const me = requireRole("coordinator");

const params = new URLSearchParams(location.search);
/** A UK date as yyyy-MM-dd (the roster's days are UK days). */
const ukDate = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(d);
const shiftDay = (date, days) => { const d = new Date(`${date}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + days); return d.toISOString().slice(0, 10); };
const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") || "") ? params.get("date") : ukDate(new Date());
const flash = h("div", { id: "flash" });

function shiftSection(s) {
  const id = `shift-${s.kind}`;
  const started = new Date(s.startsAt) <= new Date();
  const name = `${s.kind === "day" ? "Day" : "Night"} shift, ${fmtTime(s.startsAt)} to ${fmtTime(s.endsAt)}`;
  const section = h("section", { class: "card", id, "aria-labelledby": `${id}-heading` },
    h("h2", { id: `${id}-heading` }, name),
    h("ul", { class: "roster-hcas" }, s.hcas.map(x => h("li", { "data-hca-id": x.id }, h("strong", {}, x.name), ` · based in ${x.homeDistrict || "unknown"}`))),
    h("p", { class: "meta" }, s.source === "rota" ? `Set by ${s.setBy} on ${fmtDateTime(s.setAt)}.` : "From the rota pattern."));
  if (started) {
    section.append(h("p", {}, h("span", { class: "tag tag--grey" }, new Date(s.endsAt) <= new Date() ? "Finished" : "On now"),
      " A shift that has started cannot be changed here: cover for a case goes through the dispatch, which texts you when nobody accepts."));
    return section;
  }
  const errorBox = h("div");
  const select = (n) => h("div", { class: "form-group" }, h("label", { for: `${id}-hca-${n}` }, `HCA ${n + 1}`),
    h("select", { id: `${id}-hca-${n}`, name: `hca-${n}` }, h("option", { value: "" }, "Choose an HCA"),
      s.pool.map(p => h("option", { value: p.id, selected: s.hcas[n]?.id === p.id }, `${p.name} (${p.homeDistrict})`))));
  const form = h("form", { novalidate: true, "aria-labelledby": `${id}-change` },
    h("h3", { id: `${id}-change` }, "Change who is on call"),
    errorBox,
    h("div", { class: "inline-fields" }, [0, 1, 2].map(select)),
    h("button", { class: "button", type: "submit" }, `Save the ${s.kind} shift`));
  const chosen = () => [0, 1, 2].map(n => form.querySelector(`#${id}-hca-${n}`).value);
  onSubmit(form, errorBox, {
    fields: { hcaIds: `${id}-hca-0`, "hcaIds[0]": `${id}-hca-0`, "hcaIds[1]": `${id}-hca-1`, "hcaIds[2]": `${id}-hca-2` },
    labels: { hcaIds: "HCAs", "hcaIds[0]": "HCA 1", "hcaIds[1]": "HCA 2", "hcaIds[2]": "HCA 3" },
    check: () => {
      const ids = chosen(), e = {};
      ids.forEach((v, n) => { if (!v) e[`hcaIds[${n}]`] = [`Choose HCA ${n + 1}.`]; });
      ids.forEach((v, n) => { if (v && ids.indexOf(v) !== n) e[`hcaIds[${n}]`] = [`HCA ${n + 1} is already on this shift: choose three different HCAs.`]; });
      return e;
    },
    send: async () => {
      const saved = await api(`/api/ecss/roster/${s.date}/${s.kind}`, { method: "PUT", body: { hcaIds: chosen() } });
      await render(notice(`Saved the ${saved.kind} shift of ${fmtDate(saved.startsAt)}: ${saved.hcas.map(x => x.name).join(", ")}.`));
    },
  });
  section.append(form);
  return section;
}

async function render(message) {
  let shifts;
  try { shifts = await Promise.all(["day", "night"].map(k => api(`/api/ecss/roster/${date}/${k}`))); } catch (e) {
    main().replaceChildren(h("h1", {}, "ECSS roster"), errorSummary(e));
    return;
  }
  const picker = h("form", { class: "panel no-print", method: "get", action: "roster.html" },
    h("div", { class: "inline-fields" },
      h("div", { class: "form-group" }, h("label", { for: "date" }, "Date"), h("input", { type: "date", id: "date", name: "date", value: date })),
      h("div", { class: "form-group" }, h("button", { class: "button button--secondary", type: "submit" }, "Show"))),
    h("p", {}, h("a", { href: `roster.html?date=${shiftDay(date, -1)}` }, "Previous day"), " · ",
      h("a", { href: `roster.html?date=${shiftDay(date, 1)}` }, "Next day")));
  flash.replaceChildren(message || "");
  main().replaceChildren(h("h1", {}, "ECSS roster"),
    h("p", { class: "lede" }, `Who is on call on ${fmtDate(`${date}T12:00:00Z`)}: three HCAs a shift. Change a shift that has not started.`),
    flash, picker, h("div", { class: "cards cards--two" }, shifts.map(shiftSection)));
  if (message) message.focus();
}

if (me) render();
