// Permalink page of the staff console: copy the passage with its source, by
// the button or the "c" key.
"use strict";
(function () {
  const button = document.getElementById("copy");
  const status = document.getElementById("copied");
  if (!button) return;

  async function copy() {
    const text = button.dataset.copy;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (e) {
      ok = copyFallback(text);
    }
    status.textContent = ok ? "Copié dans le presse-papiers." : "La copie a échoué : sélectionnez le texte à la main.";
  }

  // copyFallback copies through a hidden text area, for pages served over
  // plain HTTP where the Clipboard API is not available.
  function copyFallback(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  button.addEventListener("click", copy);
  document.addEventListener("keydown", (e) => {
    if (e.key === "c" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
      e.preventDefault();
      copy();
    }
  });
  function isTyping(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable);
  }
  const current = document.getElementById("passage");
  if (current) current.scrollIntoView({ block: "nearest" });
})();
