import { devConfig, signIn, signOut, staff, principalHeader, renderHeader, h, main, roleNames, errorSummary, notice } from "./app.js";

const start = { anp: "triage.html", coordinator: "triage.html", hca: "hca.html", "dd-officer": "district-direct.html", "dd-manager": "district-direct.html", reporting: "report.html", admin: "admin.html" };
/** One person per role from seeds/staff.json, as the local host's banner names them: their staff id is their local sign-in id. */
const defaults = {
  anp: ["anp-1", "Sam Okafor"], hca: ["hca-01", "Amira Khan"], coordinator: ["coord-1", "Alex Reid"],
  "dd-officer": ["dd-rdh-officer-1", "Amira Hussain"], "dd-manager": ["dd-rdh-manager", "Sarah Whitfield"], reporting: ["rep-1", "Priya Shah"],
  admin: ["admin-1", "Morgan Hale"],
};
const params = new URLSearchParams(location.search);
const back = params.get("return");
const safeBack = back && /^[a-z-]+\.html(\?[\w=&%.-]*)?$/.test(back) ? back : null;

async function render() {
  renderHeader("sign-in.html");
  const config = await devConfig();
  if (config?.devSignIn) devForm(config);
  else await azureSignIn();
  // Sent here because the API stopped accepting the sign-in (expired, signed out elsewhere, or never valid): say so.
  if (params.get("reason") === "signed-out")
    main().querySelector("h1").after(notice("You were signed out, or your sign-in was not accepted: sign in again to carry on where you were.", "warning"));
}

/**
 * Local host only: act as any person in the staff directory. The id must be linked to a staff record that holds the
 * role (seeds/staff.json: each person's own id). The principal and the local app key live in this browser's localStorage.
 */
function devForm(config) {
  const current = staff();
  const role = current?.role || "anp";
  const form = h("form", { novalidate: true, class: "panel" },
    h("fieldset", {}, h("legend", {}, "Which role are you acting as?"),
      h("div", { class: "choices" }, Object.entries(roleNames).map(([value, text]) => h("div", { class: "choice" },
        h("input", { type: "radio", name: "role", id: `role-${value}`, value, checked: value === role, onchange: () => fill(value) }),
        h("label", { for: `role-${value}` }, text))))),
    h("div", { class: "form-group" }, h("label", { for: "user-id" }, "Staff id"),
      h("p", { class: "hint", id: "user-id-hint" }, "Your sign-in id: it must be linked to a staff record holding the role (the sample people in seeds/staff.json sign in with their own id)."),
      h("input", { type: "text", id: "user-id", name: "userId", autocomplete: "off", "aria-describedby": "user-id-hint", value: current?.userId || defaults[role][0] })),
    h("div", { class: "form-group" }, h("label", { for: "name" }, "Name"),
      h("input", { type: "text", id: "name", name: "name", autocomplete: "off", value: current?.name || defaults[role][1] })),
    h("button", { class: "button", type: "submit" }, "Sign in"),
    current ? h("button", { class: "button button--secondary", type: "button", onclick: () => { signOut(); render(); } }, "Sign out") : null);
  function fill(value) {
    form.querySelector("#user-id").value = defaults[value][0];
    form.querySelector("#name").value = defaults[value][1];
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const chosen = form.querySelector("input[name=role]:checked").value;
    const userId = form.querySelector("#user-id").value.trim() || defaults[chosen][0];
    const name = form.querySelector("#name").value.trim() || defaults[chosen][1];
    signIn({ role: chosen, userId, name, principal: principalHeader(userId, name, chosen), key: config.functionsKey });
    location.href = safeBack || start[chosen];
  });
  main().replaceChildren(h("h1", {}, "Sign in"),
    h("div", { class: "notice notice--warning" }, "Local development sign-in. This page only exists on the local host: in Azure you sign in with your NHS account."),
    form);
}

/** In Azure: App Service Authentication holds the session; /.auth/me says who the person is and which roles they hold. */
async function azureSignIn() {
  let me = null;
  try { const r = await fetch("/.auth/me", { credentials: "same-origin" }); if (r.ok) me = (await r.json())[0]; } catch { /* not signed in */ }
  if (!me) {
    const loginUrl = `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(location.pathname + location.search)}`;
    main().replaceChildren(h("h1", {}, "Sign in"), h("p", {}, h("a", { class: "button", href: loginUrl }, "Sign in with your NHS account")));
    return;
  }
  const claims = me.user_claims || [];
  const roles = claims.filter(c => c.typ === "roles" || c.typ === "http://schemas.microsoft.com/ws/2008/06/identity/claims/role").map(c => c.val).filter(r => roleNames[r]);
  const name = claims.find(c => c.typ === "name")?.val || me.user_id;
  // The id an admin links to a staff record (the API's 403 for an unlinked account names the same id).
  const signInId = claims.find(c => c.typ === "http://schemas.microsoft.com/identity/claims/objectidentifier")?.val;
  if (roles.length === 0) {
    main().replaceChildren(h("h1", {}, "No role yet"), errorSummary({ message: "Your account has no role in this service. Ask an admin of this service to give you one and to link your account to your staff record.", problem: {} }),
      signInId ? h("p", {}, "Your sign-in id (give it to them): ", h("strong", {}, signInId)) : null);
    return;
  }
  const choose = (role) => { signIn({ role, userId: me.user_id, name }); location.href = safeBack || start[role]; };
  if (roles.length === 1) return choose(roles[0]);
  main().replaceChildren(h("h1", {}, "Choose a role"), h("ul", {}, roles.map(r => h("li", {}, h("button", { class: "button", type: "button", onclick: () => choose(r) }, roleNames[r])))));
}

render();
