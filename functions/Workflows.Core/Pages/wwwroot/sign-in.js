import { devConfig, signIn, signOut, staff, principalHeader, renderHeader, h, main, roleNames, errorSummary, notice, onSubmit, ApiError, formProblem } from "./app.js";

const start = { anp: "triage.html", coordinator: "triage.html", hca: "hca.html", "dd-officer": "district-direct.html", "dd-manager": "district-direct.html", reporting: "report.html", community: "volunteers.html", volunteer: "index.html", admin: "admin.html" };
/** One person per role from seeds/staff.json, as the local host's banner names them: their staff id is their local sign-in id. */
const defaults = {
  anp: "anp-1", hca: "hca-01", coordinator: "coord-1", "dd-officer": "dd-rdh-officer-1", "dd-manager": "dd-rdh-manager", reporting: "rep-1", community: "comm-1", volunteer: "vol-01", admin: "admin-1",
};
const params = new URLSearchParams(location.search);
const back = params.get("return");
const safeBack = back && /^[a-z-]+\.html(\?[\w=&%.-]*)?$/.test(back) ? back : null;

/**
 * Who the app takes this sign-in to be (GET /api/staff/me): the staff record and the roles it may use. In Azure the
 * platform's session cookie carries the sign-in; locally the principal and app key are sent as the pages send them.
 */
async function whoAmI(headers = {}) {
  const r = await fetch("/api/staff/me", { headers: { accept: "application/json", "X-Requested-With": "XMLHttpRequest", ...headers }, credentials: "same-origin", redirect: "manual" });
  if (r.type === "opaqueredirect") return { status: 401, problem: {} };
  let body = {};
  try { body = await r.json(); } catch { /* not JSON */ }
  return r.ok ? { status: r.status, me: body } : { status: r.status, problem: body };
}

async function render() {
  renderHeader("sign-in.html");
  const config = await devConfig();
  if (config?.devSignIn) devForm(config);
  else await azureSignIn();
  // Sent here because the API stopped accepting the sign-in (expired, signed out elsewhere, or never valid): say so.
  if (params.get("reason") === "signed-out")
    main().querySelector("h1").after(notice("Your sign-in has ended or was not accepted, so you were signed out. Sign in again to carry on where you were.", "warning"));
}

/**
 * Local host only: act as any person in the staff directory. The id must be linked to a staff record that holds the
 * role (seeds/staff.json: each person's own id); the app is asked before the sign-in is kept, so a wrong id or role is
 * explained here, beside the field, not by an empty page. The principal and app key live in this browser's localStorage.
 */
function devForm(config) {
  const current = staff();
  const role = current?.role || "anp";
  const errorBox = h("div");
  const form = h("form", { novalidate: true, class: "panel" },
    errorBox,
    h("fieldset", { id: "role" }, h("legend", {}, "Which role are you acting as?"),
      h("div", { class: "choices" }, Object.entries(roleNames).map(([value, text]) => h("div", { class: "choice" },
        h("input", { type: "radio", name: "role", id: `role-${value}`, value, checked: value === role, onchange: () => fill(value) }),
        h("label", { for: `role-${value}` }, text))))),
    h("div", { class: "form-group" }, h("label", { for: "user-id" }, "Staff id"),
      h("p", { class: "hint", id: "user-id-hint" }, "Your sign-in id: it must be linked to a staff record holding the role (the sample people in seeds/staff.json sign in with their own id)."),
      h("input", { type: "text", id: "user-id", name: "userId", autocomplete: "off", "aria-describedby": "user-id-hint", value: current?.userId || defaults[role] })),
    h("button", { class: "button", type: "submit" }, "Sign in"),
    current ? h("button", { class: "button button--secondary", type: "button", onclick: () => { signOut(); render(); } }, "Sign out") : null);
  function fill(value) { form.querySelector("#user-id").value = defaults[value]; }
  const chosen = () => form.querySelector("input[name=role]:checked")?.value;
  onSubmit(form, errorBox, {
    fields: { role: `role-${role}`, userId: "user-id" }, labels: { role: "Role", userId: "Staff id" },
    check: () => {
      const e = {};
      if (!chosen()) e.role = ["Choose the role you are acting as."];
      if (!form.querySelector("#user-id").value.trim()) e.userId = ["Enter your staff id, for example anp-1."];
      return e;
    },
    send: async () => {
      const role = chosen(), userId = form.querySelector("#user-id").value.trim();
      const principal = principalHeader(userId, userId, role);
      const answer = await whoAmI({ "X-MS-CLIENT-PRINCIPAL": principal, "x-functions-key": config.functionsKey });
      if (answer.status === 403 && answer.problem.signInId !== undefined)
        throw formProblem({ userId: [`No staff record is linked to the sign-in id "${userId}". Use a staff id from seeds/staff.json, or ask an admin to link it on the Staff page.`] });
      if (answer.status !== 200) throw new ApiError(answer.status, answer.problem);
      if (!answer.me.roles.includes(role))
        throw formProblem({ role: [`${answer.me.name}'s staff record does not hold the role ${roleNames[role]}. It holds: ${answer.me.recordRoles.map(r => roleNames[r] || r).join(", ") || "no role"}.`] });
      signIn({ role, userId, name: answer.me.name, principal, key: config.functionsKey });
      location.href = safeBack || start[role];
    },
  });
  main().replaceChildren(h("h1", {}, "Sign in"),
    h("div", { class: "notice notice--warning" }, "Local development sign-in. This page only exists on the local host: in Azure you sign in with your NHS account."),
    form);
}

/**
 * In Azure: App Service Authentication holds the session (its token store is off, so there is no /.auth/me); the app
 * says who the person is and which roles they may use (GET /api/staff/me).
 */
async function azureSignIn() {
  const here = location.pathname + location.search;
  const answer = await whoAmI().catch(() => ({ status: 0, problem: { detail: "The service could not be reached. Check your connection and try again." } }));
  if (answer.status === 401) {
    signOut();
    main().replaceChildren(h("h1", {}, "Sign in"),
      h("p", {}, "Sign in with your NHS account to use the crisis care and District Direct pages."),
      h("p", {}, h("a", { class: "button", href: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(here)}` }, "Sign in with your NHS account")));
    return;
  }
  if (answer.status === 403 && answer.problem.signInId) {
    signOut();
    main().replaceChildren(h("h1", {}, "Your account is not linked yet"),
      h("p", {}, "You are signed in, but no staff record in this service is linked to your account. Ask an admin of this service to link it, and give them your sign-in id:"),
      h("p", { class: "big-number", id: "sign-in-id" }, answer.problem.signInId),
      signOutLink());
    return;
  }
  if (answer.status !== 200) {
    main().replaceChildren(h("h1", {}, "Sign in"), errorSummary(new ApiError(answer.status, answer.problem)),
      h("p", {}, h("button", { class: "button", type: "button", onclick: render }, "Try again")));
    return;
  }
  const me = answer.me;
  if (me.roles.length === 0) {
    signOut();
    const why = me.signInRoles.length
      ? `Your account is assigned ${me.signInRoles.map(r => roleNames[r]).join(", ")}, but your staff record does not hold it: ask an admin of this service to add it.`
      : me.recordRoles.length
        ? `Your staff record holds ${me.recordRoles.map(r => roleNames[r]).join(", ")}, but your account is not assigned it in Entra ID: ask whoever assigns the app's roles.`
        : "Neither your account nor your staff record holds a role in this service: ask an admin of this service.";
    main().replaceChildren(h("h1", {}, "No role yet"), h("p", {}, `Signed in as ${me.name}. ${why}`), signOutLink());
    return;
  }
  const choose = (role) => { signIn({ role, userId: me.staffId, name: me.name }); location.href = safeBack || start[role]; };
  // Sent here by a page (or arriving signed out): carry on at once. Coming to switch or sign out: offer both.
  const current = staff();
  if (me.roles.length === 1 && (safeBack || !current)) return choose(me.roles[0]);
  main().replaceChildren(h("h1", {}, me.roles.length === 1 ? "Signed in" : "Choose a role"),
    h("p", {}, `Signed in as ${me.name}.`),
    h("ul", { class: "choices-list" }, me.roles.map(r => h("li", {}, h("button", { class: "button", type: "button", onclick: () => choose(r) }, `Continue as ${roleNames[r]}`)))),
    signOutLink());
}

function signOutLink() {
  return h("p", {}, h("a", { href: `/.auth/logout?post_logout_redirect_uri=${encodeURIComponent(location.pathname)}`, onclick: () => signOut() }, "Sign out"));
}

render();
