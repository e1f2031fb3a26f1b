// Sign-in page of the staff console: the link printed at start carries the
// token in the fragment (#jeton=...), which never reaches the server; fill
// the field with it and remove it from the address bar and history. Any
// other fragment is the console view the redirect came from
// (/staff#demandes): it goes back there after signing in.
"use strict";
(function () {
  const m = /^#jeton=([^&]+)/.exec(location.hash);
  if (!m) {
    if (/^#[a-z-]+$/.test(location.hash)) {
      for (const next of document.querySelectorAll('input[name="next"]')) {
        if (!next.value.includes("#")) next.value += location.hash;
      }
    }
    return;
  }
  const field = document.getElementById("token");
  if (field) field.value = decodeURIComponent(m[1]);
  history.replaceState(null, "", location.pathname + location.search);
})();
