import { staff, renderHeader, h, main, roleNames } from "./app.js";

renderHeader("index.html");
const s = staff();
const start = { anp: "triage.html", coordinator: "triage.html", hca: "hca.html", "dd-officer": "district-direct.html", "dd-manager": "district-direct.html", reporting: "report.html", community: "volunteers.html", admin: "admin.html" };
main().replaceChildren(
  h("h1", {}, "Crisis care and discharge"),
  h("p", { class: "lede" }, "End-of-life crisis care (NHS 111 to the SPOC ANP and the Emergency Carer Support Service) and District Direct hospital discharge."),
  s ? h("p", {}, `Signed in as ${s.name}, ${roleNames[s.role] || s.role}. `, h("a", { class: "button", href: start[s.role] || "sign-in.html" }, "Go to your page"))
    : h("p", {}, h("a", { class: "button", href: "sign-in.html" }, "Sign in")));
