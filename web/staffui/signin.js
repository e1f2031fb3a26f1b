// Sign-in page of the staff console: the link printed at start carries the
// token in the fragment (#jeton=...), which never reaches the server; fill
// the field with it and remove it from the address bar and history.
"use strict";
(function () {
  const m = /^#jeton=([^&]+)/.exec(location.hash);
  if (!m) return;
  const field = document.getElementById("token");
  if (field) field.value = decodeURIComponent(m[1]);
  history.replaceState(null, "", location.pathname + location.search);
})();
