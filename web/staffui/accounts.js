// The « Comptes » page of the staff console (édition accounts only): list,
// add, change the role of and remove the staff accounts. Names are always
// inserted as text (textContent), never as HTML.
"use strict";
(function () {
  const { el, api } = window.causetteStaff;
  const $ = (id) => document.getElementById(id);
  const form = $("account-form");
  if (!form) return; // a lecture account: the page says why
  const body = $("accounts-body"), status = $("accounts-status"), formStatus = $("account-status");
  const dateFmt = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short" });
  const ROLES = ["lecture", "édition"];



  async function load() {
    status.textContent = "Chargement…";
    let res;
    try {
      res = await api("GET", "/staff/api/accounts");
    } catch (e) {
      status.textContent = e.message;
      return;
    }
    render(res.accounts);
  }

  function render(accounts) {
    status.textContent = accounts.length + (accounts.length > 1 ? " comptes." : " compte.");
    const rows = accounts.map((a) => {
      const role = el("select", { "aria-label": "Rôle de " + a.name });
      for (const r of ROLES) role.append(el("option", { value: r, text: r, selected: r === a.role }));
      role.addEventListener("change", async () => {
        try {
          await api("PUT", "/staff/api/accounts/" + encodeURIComponent(a.name), { role: role.value });
          status.textContent = "Rôle de « " + a.name + " » : " + role.value + ".";
        } catch (e) { status.textContent = e.message; role.value = a.role; return; }
        load();
      });
      const del = el("button", { type: "button", text: "Supprimer", "aria-label": "Supprimer le compte « " + a.name + " »" });
      del.addEventListener("click", async () => {
        if (!window.confirm("Supprimer le compte « " + a.name + " » ? Ses sessions seront fermées.")) return;
        try {
          await api("DELETE", "/staff/api/accounts/" + encodeURIComponent(a.name));
          status.textContent = "Compte « " + a.name + " » supprimé.";
        } catch (e) { status.textContent = e.message; return; }
        load();
      });
      return el("tr", {},
        el("td", { text: a.name }),
        el("td", {}, role),
        el("td", {}, el("time", { datetime: a.updated, text: dateFmt.format(new Date(a.updated)) }), " · " + a.updated_by),
        el("td", {}, del));
    });
    body.replaceChildren(el("table", {},
      el("caption", { class: "visually-hidden", text: "Comptes de l’équipe" }),
      el("thead", {}, el("tr", {}, ...["Nom", "Rôle", "Modifié", "Actions"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...rows)));
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const account = { name: $("account-name").value.trim(), role: $("account-role").value, password: $("account-password").value };
    if (!account.name) { formStatus.textContent = "Le nom du compte manque."; $("account-name").focus(); return; }
    try {
      const a = await api("POST", "/staff/api/accounts", account);
      formStatus.textContent = "Compte « " + a.name + " » créé, rôle " + a.role + ".";
      form.reset();
    } catch (e) {
      formStatus.textContent = e.message;
      return;
    }
    load();
  });

  load();
})();
