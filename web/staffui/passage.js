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

// Phrasings attached to the passage: each can be deleted (editors only: the
// API refuses the others, and says so).
(function () {
  const status = document.getElementById("detached");
  document.querySelectorAll("button.detach").forEach((button) => {
    button.addEventListener("click", async () => {
      button.disabled = true;
      let message = "";
      try {
        const resp = await fetch("/staff/api/attachments/" + encodeURIComponent(button.dataset.id), { method: "DELETE" });
        if (resp.ok) {
          button.closest("li").remove();
          message = "Rattachement supprimé : le passage n’est plus trouvé pour cette formulation.";
        } else {
          const body = await resp.json().catch(() => ({}));
          message = body.message || "La suppression a échoué.";
          button.disabled = false;
        }
      } catch (e) {
        message = "La suppression a échoué : le serveur ne répond pas.";
        button.disabled = false;
      }
      status.textContent = message;
    });
  });
})();
