// What the console's pages share (staff.js, accounts.js): building
// elements with their text as text, never as HTML, and calling the
// console's JSON API with its errors in French. Loaded before them.
"use strict";
window.causetteStaff = (function () {
  // el builds an element with text content and attributes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  // api calls the console's API with body as JSON; it returns the JSON
  // answer (null for 204) or throws an Error whose message is French. An
  // expired session goes to the sign-in page, back to this page after.
  async function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: {} };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    if (r.status === 401) {
      location.assign("/staff/signin?next=" + encodeURIComponent(location.pathname + location.hash));
      throw new Error("Session expirée.");
    }
    if (r.status === 204) return null;
    let res;
    try {
      res = await r.json();
    } catch (e) {
      // Not ours (a proxy's error page): say it in French.
      throw new Error("Le serveur n’a pas répondu comme prévu (" + r.status + ") : réessayez.");
    }
    if (!r.ok) throw new Error(res.message || "L’enregistrement a échoué.");
    return res;
  }

  return { el, api };
})();
