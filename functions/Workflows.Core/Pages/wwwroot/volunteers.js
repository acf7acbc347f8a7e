import { api, requireRole, renderHeader, h, main, fmtDate, errorSummary, notice, onSubmit, sentence } from "./app.js";
import { ukPhone, field, text } from "./admin-forms.js";

renderHeader("volunteers.html");
const me = requireRole("community");

const OFFERS = [["befriending", "Befriending"], ["comfort-calls", "Comfort calls"], ["sitting", "Sitting"], ["practical-help", "Practical help"], ["bereavement-support", "Bereavement support"]];
const DAYS = [["mon", "Monday"], ["tue", "Tuesday"], ["wed", "Wednesday"], ["thu", "Thursday"], ["fri", "Friday"], ["sat", "Saturday"], ["sun", "Sunday"]];
const offerName = (o) => (OFFERS.find(([k]) => k === o) || [o, sentence(o)])[1];
const flash = h("div", { id: "flash" });

/** A group of checkboxes as the NHS.UK pattern has it: a fieldset, its legend, a hint, a choice per value. */
function checkboxes(id, legend, hint, options, chosen = []) {
  return h("fieldset", { id, "aria-describedby": `${id}-hint` }, h("legend", {}, legend), h("p", { class: "hint", id: `${id}-hint` }, hint),
    h("div", { class: "choices" }, options.map(([value, label]) => h("div", { class: "choice" },
      h("input", { type: "checkbox", id: `${id}-${value}`, name: id, value, checked: chosen.includes(value) }),
      h("label", { for: `${id}-${value}` }, label)))));
}
const checked = (form, name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map(i => i.value);

function organisationsSection(organisations) {
  const errorBox = h("div");
  const form = h("form", { class: "panel", novalidate: true, "aria-labelledby": "org-form-heading" },
    h("h3", { id: "org-form-heading" }, "Add an organisation, or change one"),
    errorBox,
    field("org-id", "Organisation id", "Letters, digits and '-', e.g. peak-befriending. Use an existing id to change that organisation.", text("org-id", "")),
    field("org-name", "Name", null, text("org-name", "", { "aria-describedby": null })),
    field("org-phone", "Phone (optional)", "Where families and staff reach the organisation, e.g. 01629 000111.", text("org-phone", "", { inputmode: "tel" })),
    h("div", { class: "choice form-group" }, h("input", { type: "checkbox", id: "org-active", name: "active", checked: true }),
      h("label", { for: "org-active" }, "Active: its volunteers may be offered families")),
    h("button", { class: "button", type: "submit" }, "Save the organisation"));
  onSubmit(form, errorBox, {
    fields: { organisationId: "org-id", name: "org-name", phone: "org-phone", active: "org-active" },
    labels: { organisationId: "Organisation id", name: "Name", phone: "Phone", active: "Active" },
    check: () => {
      const e = {};
      if (!form.elements["org-id"].value.trim()) e.organisationId = ["Enter an organisation id."];
      if (!form.elements["org-name"].value.trim()) e.name = ["Enter the organisation's name."];
      return e;
    },
    send: async () => {
      const id = form.elements["org-id"].value.trim();
      const phone = form.elements["org-phone"].value.trim();
      const saved = await api(`/api/community/organisations/${encodeURIComponent(id)}`, { method: "PUT",
        body: { name: form.elements["org-name"].value.trim(), phone: phone ? ukPhone(phone) : undefined, active: form.elements["org-active"].checked } });
      await render(notice(`Saved ${saved.name}.`));
    },
  });
  return h("section", { "aria-labelledby": "orgs-heading" },
    h("h2", { id: "orgs-heading" }, "Voluntary organisations"),
    organisations.length === 0 ? h("p", {}, "No organisation yet: add the first below.") :
      h("div", { class: "table-scroll" }, h("table", { id: "organisations" },
        h("caption", { class: "visually-hidden" }, "Voluntary organisations"),
        h("thead", {}, h("tr", {}, ["Organisation", "Phone", "Status"].map(t => h("th", { scope: "col" }, t)))),
        h("tbody", {}, organisations.map(o => h("tr", { "data-organisation-id": o.organisationId },
          h("td", {}, h("strong", {}, o.name), h("br"), h("span", { class: "meta" }, o.organisationId)),
          h("td", {}, o.phone || "—"),
          h("td", {}, h("span", { class: `tag ${o.active ? "tag--ok" : "tag--grey"}` }, o.active ? "Active" : "Not active"))))))),
    form);
}

function volunteersSection(list, organisations) {
  return h("section", { "aria-labelledby": "volunteers-heading" },
    h("h2", { id: "volunteers-heading" }, "Volunteers"),
    h("p", { class: "hint" }, `A volunteer is offered families once trained, with a DBS check in the last ${list.dbsValidMonths} months, in an active organisation and taking new families.`),
    list.volunteers.length === 0 ? h("p", {}, "No volunteer recorded yet.") :
      h("div", { class: "table-scroll" }, h("table", { id: "volunteers" },
        h("caption", { class: "visually-hidden" }, "Volunteers"),
        h("thead", {}, h("tr", {}, ["Volunteer", "Offers", "Area and days", "DBS check counts until", "Can be offered a family"].map(t => h("th", { scope: "col" }, t)))),
        h("tbody", {}, list.volunteers.map(x => h("tr", { "data-staff-id": x.volunteer.staffId },
          h("td", {}, h("strong", {}, x.name || x.volunteer.staffId), h("br"),
            h("span", { class: "meta" }, (organisations.find(o => o.organisationId === x.volunteer.organisationId) || {}).name || x.volunteer.organisationId)),
          h("td", {}, x.volunteer.offers.map(offerName).join(", ")),
          h("td", {}, `${x.volunteer.homeDistrict}; ${x.volunteer.days.map(d => DAYS.find(([k]) => k === d)[1]).join(", ")}`),
          h("td", {}, x.volunteer.dbsValidUntil ? fmtDate(`${x.volunteer.dbsValidUntil}T12:00:00Z`) : "Not checked"),
          h("td", {}, x.canBeOffered ? h("span", { class: "tag tag--ok" }, "Yes")
            : [h("span", { class: "tag tag--amber" }, "No"), ` ${sentence(x.notOfferedBecause)}`])))))),
    volunteerForm(list, organisations));
}

function volunteerForm(list, organisations) {
  const errorBox = h("div");
  const people = [...list.volunteers.map(x => ({ staffId: x.volunteer.staffId, name: x.name || x.volunteer.staffId })), ...list.notYetRecorded];
  const form = h("form", { class: "panel", novalidate: true, "aria-labelledby": "volunteer-form-heading" },
    h("h3", { id: "volunteer-form-heading" }, "Record a volunteer, or change one"),
    h("p", { class: "hint" }, "An admin first gives the person a staff record with the volunteer role, their mobile and their sign-in."),
    errorBox,
    h("div", { class: "form-group" }, h("label", { for: "vol-person" }, "Volunteer"),
      h("select", { id: "vol-person", name: "staffId" }, h("option", { value: "" }, "Choose a person"),
        people.map(p => h("option", { value: p.staffId }, `${p.name} (${p.staffId})`)))),
    h("div", { class: "form-group" }, h("label", { for: "vol-org" }, "Organisation"),
      h("select", { id: "vol-org", name: "organisationId" }, h("option", { value: "" }, "Choose an organisation"),
        organisations.map(o => h("option", { value: o.organisationId }, o.name)))),
    checkboxes("vol-offers", "What they offer", "Select all that apply.", OFFERS),
    field("vol-district", "Home postcode district", "The first part of their postcode, e.g. DE4: families near it are offered to them first.", text("vol-district", "")),
    checkboxes("vol-days", "Days they can give", "Select all that apply.", DAYS),
    h("div", { class: "choice form-group" }, h("input", { type: "checkbox", id: "vol-taking", name: "takingNewFamilies", checked: true }),
      h("label", { for: "vol-taking" }, "Taking on new families")),
    field("vol-trained", "Training completed (optional)", "The day they finished the service's volunteer training. Leave empty until they have.", h("input", { type: "date", id: "vol-trained", name: "trainingCompletedOn", "aria-describedby": "vol-trained-hint" })),
    field("vol-dbs", "DBS check date (optional)", "The date on their latest enhanced DBS certificate. Leave empty until checked.", h("input", { type: "date", id: "vol-dbs", name: "dbsCheckedOn", "aria-describedby": "vol-dbs-hint" })),
    h("button", { class: "button", type: "submit" }, "Save the volunteer"));
  const fill = () => {
    const x = list.volunteers.find(v => v.volunteer.staffId === form.elements.staffId.value)?.volunteer;
    form.elements.organisationId.value = x?.organisationId || "";
    form.querySelectorAll("input[name=vol-offers]").forEach(i => { i.checked = !!x?.offers.includes(i.value); });
    form.querySelectorAll("input[name=vol-days]").forEach(i => { i.checked = !!x?.days.includes(i.value); });
    form.elements["vol-district"].value = x?.homeDistrict || "";
    form.elements.takingNewFamilies.checked = x ? x.takingNewFamilies : true;
    form.elements.trainingCompletedOn.value = x?.trainingCompletedOn || "";
    form.elements.dbsCheckedOn.value = x?.dbsCheckedOn || "";
  };
  form.elements.staffId.addEventListener("change", fill);
  onSubmit(form, errorBox, {
    fields: { staffId: "vol-person", organisationId: "vol-org", offers: "vol-offers", homeDistrict: "vol-district", days: "vol-days",
      takingNewFamilies: "vol-taking", trainingCompletedOn: "vol-trained", dbsCheckedOn: "vol-dbs" },
    labels: { staffId: "Volunteer", organisationId: "Organisation", offers: "What they offer", homeDistrict: "Home postcode district", days: "Days they can give",
      trainingCompletedOn: "Training completed", dbsCheckedOn: "DBS check date" },
    check: () => {
      const e = {};
      if (!form.elements.staffId.value) e.staffId = ["Choose the volunteer."];
      if (!form.elements.organisationId.value) e.organisationId = ["Choose their organisation."];
      if (checked(form, "vol-offers").length === 0) e.offers = ["Select at least one thing they offer."];
      if (!form.elements["vol-district"].value.trim()) e.homeDistrict = ["Enter their home postcode district, like DE4."];
      if (checked(form, "vol-days").length === 0) e.days = ["Select at least one day."];
      return e;
    },
    send: async () => {
      const staffId = form.elements.staffId.value;
      const body = {
        organisationId: form.elements.organisationId.value, offers: checked(form, "vol-offers"), homeDistrict: form.elements["vol-district"].value.trim(),
        days: checked(form, "vol-days"), takingNewFamilies: form.elements.takingNewFamilies.checked,
        trainingCompletedOn: form.elements.trainingCompletedOn.value || undefined, dbsCheckedOn: form.elements.dbsCheckedOn.value || undefined,
      };
      await api(`/api/community/volunteers/${encodeURIComponent(staffId)}`, { method: "PUT", body });
      await render(notice(`Saved ${people.find(p => p.staffId === staffId).name}.`));
    },
  });
  return form;
}

async function render(message) {
  let organisations, list;
  try {
    [{ organisations }, list] = await Promise.all([api("/api/community/organisations"), api("/api/community/volunteers")]);
  } catch (e) {
    main().replaceChildren(h("h1", {}, "Volunteers"), errorSummary(e));
    return;
  }
  flash.replaceChildren(message || "");
  main().replaceChildren(h("h1", {}, "Volunteers"),
    h("p", { class: "lede" }, "The voluntary organisations and trained volunteers who befriend, sit with, call and support families beside the service. Volunteers never see clinical detail."),
    flash, volunteersSection(list, organisations), organisationsSection(organisations));
  if (message) message.focus();
}

if (me) render();
