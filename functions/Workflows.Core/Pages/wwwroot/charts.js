// Hand-written SVG charts. Every chart prints its numbers as text and has a title and description for screen
// readers; the page also shows the same numbers in a table, so nothing depends on colour or on seeing the chart.
import { h, fmtPence } from "./app.js";

let chartIds = 0;

/** How wide a label is drawn at the charts' 13px text, measured, with room for a wider font than the one measured. */
let measure = null;
function textWidth(text) {
  measure ??= document.createElement("canvas").getContext("2d");
  measure.font = "13px Arial, sans-serif";
  return Math.ceil(measure.measureText(text).width * 1.15);
}

/** Horizontal bars, one per entry, each labelled and with its value written at the end of the bar. */
export function barChart(title, entries, unit = "") {
  const id = `chart-${++chartIds}`;
  // The label column is as wide as the longest label, so none is cut off at the chart's left edge.
  // The bars take what is left of a fixed width, so every chart's text is drawn at the same size.
  const labelW = Math.max(60, ...entries.map(([l]) => textWidth(l))) + 10;
  const rowH = 30, valueW = 48, barW = Math.max(120, 400 - labelW - valueW), width = labelW + barW + valueW;
  const max = Math.max(1, ...entries.map(([, v]) => v || 0));
  const desc = entries.map(([l, v]) => `${l}: ${v}${unit ? " " + unit : ""}`).join("; ");
  return h("svg", { class: "chart", viewBox: `0 0 ${width} ${entries.length * rowH + 8}`, role: "img", "aria-labelledby": `${id}-t ${id}-d` },
    h("title", { id: `${id}-t` }, title), h("desc", { id: `${id}-d` }, desc),
    entries.map(([label, value], i) => {
      const y = i * rowH + 4, w = Math.round(((value || 0) / max) * barW);
      return h("g", {},
        h("text", { x: labelW - 8, y: y + 18, "text-anchor": "end" }, label),
        h("rect", { x: labelW, y: y + 4, width: Math.max(w, 1), height: rowH - 12, fill: "#005eb8" }),
        h("text", { x: labelW + Math.max(w, 1) + 6, y: y + 18, "font-weight": "700" }, String(value ?? 0)));
    }));
}

/** Columns over days: a bar per day, the count above each non-empty day, a date under every few days. */
export function dayChart(title, days) {
  const id = `chart-${++chartIds}`;
  const width = 420, height = 170, top = 20, bottom = 28, left = 4;
  const max = Math.max(1, ...days.map(d => d.count));
  const colW = (width - left) / Math.max(days.length, 1);
  const every = Math.ceil(days.length / 8);
  const total = days.reduce((s, d) => s + d.count, 0);
  return h("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-t ${id}-d` },
    h("title", { id: `${id}-t` }, title),
    h("desc", { id: `${id}-d` }, `${total} in ${days.length} days; busiest day ${max}. Daily counts are in the table below.`),
    h("line", { x1: left, x2: width, y1: height - bottom, y2: height - bottom, stroke: "#4c6272" }),
    days.map((d, i) => {
      const hgt = Math.round((d.count / max) * (height - top - bottom));
      const x = left + i * colW;
      return h("g", {},
        d.count ? h("rect", { x: x + 1, y: height - bottom - hgt, width: Math.max(colW - 2, 1), height: hgt, fill: "#005eb8" }) : null,
        d.count && colW >= 14 ? h("text", { x: x + colW / 2, y: height - bottom - hgt - 4, "text-anchor": "middle" }, String(d.count)) : null,
        i % every === 0 ? h("text", { x: x + colW / 2, y: height - 10, "text-anchor": "middle" }, d.date.slice(5)) : null);
    }));
}

/**
 * The fund as one bar: spent (solid), committed (striped), available (white, outlined), each amount written
 * beside the bar so the bar cannot be misread and colour is never the only cue.
 */
export function fundBar(fund) {
  const id = `chart-${++chartIds}`;
  const width = 600, barY = 8, barH = 40;
  const total = Math.max(fund.totalPence, 1);
  const spentW = (fund.spentPence / total) * width, committedW = (fund.committedPence / total) * width;
  // One decimal below 10%, so £450 of £100,000 reads 0.5%, not a misleading 0%.
  const pct = (p) => { const v = (p / total) * 100; return `${v > 0 && v < 10 ? v.toFixed(1) : Math.round(v)}%`; };
  const text = `Fund ${fund.year}: total ${fmtPence(fund.totalPence)}; spent ${fmtPence(fund.spentPence)}; committed ${fmtPence(fund.committedPence)}; available ${fmtPence(fund.availablePence)}.`;
  return h("figure", { class: "fund", id: "fund" },
    h("svg", { class: "fund-bar", viewBox: `0 0 ${width} ${barH + 16}`, role: "img", "aria-labelledby": `${id}-t` },
      h("title", { id: `${id}-t` }, text),
      h("pattern", { id: `${id}-hatch`, width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        h("rect", { width: 8, height: 8, fill: "#005eb8" }), h("rect", { width: 4, height: 8, fill: "#41b6e6" })),
      h("rect", { x: 0, y: barY, width, height: barH, fill: "#fff", stroke: "#212b32", "stroke-width": 2 }),
      h("rect", { x: 0, y: barY, width: spentW, height: barH, fill: "#003087", "data-part": "spent" }),
      h("rect", { x: spentW, y: barY, width: committedW, height: barH, fill: `url(#${id}-hatch)`, "data-part": "committed" }),
      h("rect", { x: 0, y: barY, width, height: barH, fill: "none", stroke: "#212b32", "stroke-width": 2 })),
    h("figcaption", {}, h("ul", { class: "legend" },
      h("li", {}, h("span", { class: "swatch swatch--spent", "aria-hidden": "true" }), h("span", {}, "Spent: ", h("strong", { "data-fund": "spent" }, fmtPence(fund.spentPence)), ` (${pct(fund.spentPence)})`)),
      h("li", {}, h("span", { class: "swatch swatch--committed", "aria-hidden": "true" }), h("span", {}, "Committed, not yet paid: ", h("strong", { "data-fund": "committed" }, fmtPence(fund.committedPence)), ` (${pct(fund.committedPence)})`)),
      h("li", {}, h("span", { class: "swatch swatch--available", "aria-hidden": "true" }), h("span", {}, "Available: ", h("strong", { "data-fund": "available" }, fmtPence(fund.availablePence)), ` (${pct(fund.availablePence)})`)),
      h("li", {}, h("span", {}, `Total fund ${fund.year}: `, h("strong", { "data-fund": "total" }, fmtPence(fund.totalPence)))))));
}
