// Staff console of Causette: search as you type over the corpus, with the
// answer Causette would give on top, and the question log's views. Corpus
// and visitor text are always inserted as text (textContent), never as HTML.
"use strict";
(function () {
  const DEBOUNCE_MS = 80; // one keystroke's pause: fast typists are not searched letter by letter
  const KINDS = { paragraph: "paragraphe", table_row: "ligne de tableau", faq: "FAQ" };
  const VIEWS = {
    search: { hash: "#recherche" },
    unanswered: {
      hash: "#sans-reponse", title: "Sans réponse",
      intro: "Les questions auxquelles Causette n’a pas su répondre, regroupées quand elles se ressemblent, avec les passages les plus proches : ce qui manque au corpus.",
    },
    disliked: {
      hash: "#pouces-baisses", title: "Pouces baissés",
      intro: "Les réponses qu’un visiteur a jugées mauvaises, les plus récentes d’abord.",
    },
    top: {
      hash: "#plus-posees", title: "Les plus posées",
      intro: "Les questions les plus fréquentes (hors politesses), regroupées quand elles se ressemblent.",
    },
    team: { hash: "#reponses", title: "Réponses de l’équipe" },
    requests: { hash: "#demandes", title: "Demandes" },
    suggestions: { hash: "#suggestions", title: "Suggestions" },
  };

  const { el, api } = window.causetteStaff;
  const $ = (id) => document.getElementById(id);
  const q = $("q"), statusEl = $("status"), answerEl = $("answer"), results = $("results");
  const copied = $("copied");
  const dateFmt = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short" });
  const pct = (x) => Math.round(x * 100) + " %";
  // Scores read the French way: « 0,30 ».
  const scoreFmt = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });


  // sourceLink links to a passage's page at its source, when it has an
  // http(s) address; null otherwise.
  function sourceLink(u) {
    let parsed;
    try { parsed = new URL(u); } catch (e) { return null; }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    return el("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer", text: "page source",
      "aria-label": "page source (nouvel onglet)" });
  }

  // highlighted renders text with its [start, end) spans (in code points) in <mark>.
  function highlighted(text, spans) {
    const cps = Array.from(text);
    const frag = document.createDocumentFragment();
    let next = 0;
    for (const [s, e] of spans || []) {
      if (s < next || e > cps.length || s >= e) continue;
      if (s > next) frag.append(cps.slice(next, s).join(""));
      frag.append(el("mark", { text: cps.slice(s, e).join("") }));
      next = e;
    }
    if (next < cps.length) frag.append(cps.slice(next).join(""));
    return frag;
  }

  // source is the citation Causette appends when copying.
  function source(p) {
    let s = p.title;
    if (p.section) s += ", section " + p.section;
    return "(source : " + s + ", §" + p.paragraph + ")";
  }
  function where(p) {
    return (p.section ? p.section + " · " : "") + "§" + p.paragraph;
  }

  // ---- copying ----
  async function copyText(text) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (e) {
      const area = el("textarea", { readonly: true, class: "offscreen" });
      area.value = text;
      document.body.append(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
      area.remove();
    }
    toast(ok ? "Copié avec la source." : "La copie a échoué : sélectionnez le texte à la main.");
  }
  let toastTimer = 0;
  function toast(msg) {
    copied.textContent = msg;
    copied.classList.add("shown");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => copied.classList.remove("shown"), 2500);
  }

  // ---- search ----
  let seq = 0, timer = 0, ctrl = null;
  let shown = null; // the query whose results are on screen
  q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });

  async function search() {
    const text = q.value;
    const mine = ++seq;
    if (ctrl) ctrl.abort();
    if (!text.trim()) {
      shown = text;
      answerEl.replaceChildren();
      results.replaceChildren();
      statusEl.textContent = "";
      return;
    }
    ctrl = new AbortController();
    let res;
    try {
      const r = await fetch("/staff/api/search?q=" + encodeURIComponent(text), { signal: ctrl.signal, credentials: "same-origin" });
      if (r.status === 401) { location.assign("/staff/signin?next=/staff"); return; }
      res = await r.json();
      if (!r.ok) throw new Error(res.message || "La recherche a échoué.");
    } catch (e) {
      if (e.name === "AbortError") return;
      if (mine === seq) statusEl.textContent = e.message || "La recherche a échoué.";
      return;
    }
    if (mine !== seq) return;
    shown = text;
    render(res);
  }

  function render(res) {
    answerEl.replaceChildren();
    results.replaceChildren();
    const a = res.answer;
    if (a && a.kind === "answer" && a.citations && a.citations.length) {
      const c = a.citations[0];
      answerEl.append(el("article", {
        class: "item answer", tabindex: "-1", "data-href": "/p/" + encodeURIComponent(c.id),
        "data-copy": a.answer + " " + source(c), "aria-labelledby": "answer-label",
      },
        el("p", { class: "label", id: "answer-label" }, "Réponse de Causette ",
          el("span", { class: "confidence", text: "confiance " + pct(a.confidence) })),
        el("p", { class: "answer-text", text: a.answer }),
        el("p", { class: "meta" }, "Source : ",
          el("a", { href: "/p/" + encodeURIComponent(c.id), text: c.title + ", " + where(c) }),
          c.url && sourceLink(c.url) ? " · " : null, c.url ? sourceLink(c.url) : null),
        copyButton("Copier la réponse")));
    } else if (a && a.kind === "no_answer") {
      answerEl.append(el("p", { class: "no-answer", text: res.passages.length
        ? "Causette n’aurait pas de réponse sûre à cette question (confiance " + pct(a.confidence) + ") : voyez les passages ci-dessous."
        : "Causette n’aurait pas de réponse à cette question : aucun passage ne s’en approche." }));
    }
    res.passages.forEach((p, i) => {
      const id = "r" + i;
      results.append(el("li", {},
        el("article", { class: "item", tabindex: "-1", "data-href": "/p/" + encodeURIComponent(p.id), "data-copy": p.text + " " + source(p), "aria-labelledby": id },
          el("h3", { class: "title", id: id },
            el("a", { href: "/p/" + encodeURIComponent(p.id), text: "§" + p.paragraph + (p.section ? " · " + p.section : "") })),
          el("p", { class: "meta" },
            el("span", { class: "doc", text: p.title }), " · ",
            el("span", { class: "kind", text: KINDS[p.kind] || p.kind }), " · ",
            el("span", { class: "score", text: "score " + scoreFmt.format(p.score) }),
            p.url && sourceLink(p.url) ? " · " : null, p.url ? sourceLink(p.url) : null),
          p.question ? el("p", { class: "faq-q", text: p.question }) : null,
          el("p", { class: "text" }, highlighted(p.text, p.highlights)),
          copyButton("Copier"))));
    });
    const n = res.passages.length;
    let s = n === 0 ? "Aucun passage trouvé." : n + (n > 1 ? " passages" : " passage") + " en " + Math.max(1, Math.round(res.took_ms)) + " ms.";
    if (res.searched && res.searched !== res.query) s += " Cherché : « " + res.searched + " ».";
    statusEl.textContent = s;
  }

  function copyButton(label) {
    const b = el("button", { type: "button", class: "copy" }, label + " ", el("kbd", { text: "c" }));
    b.addEventListener("click", (e) => {
      const item = e.currentTarget.closest(".item");
      if (item) copyText(item.dataset.copy);
    });
    return b;
  }

  // ---- keyboard ----
  function items() { return Array.from(document.querySelectorAll("#view-search .item")); }
  function currentItem() { return document.activeElement && document.activeElement.closest && document.activeElement.closest(".item"); }
  function select(item) {
    if (!item) return;
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }
  function typing(t) {
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  document.addEventListener("keydown", (e) => {
    const inSearch = view === "search";
    if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      go("search");
      q.focus();
      q.select();
      return;
    }
    if (e.key === "/" && !typing(e.target)) {
      e.preventDefault();
      go("search");
      q.focus();
      q.select();
      return;
    }
    if (!inSearch) return;
    const list = items();
    const cur = currentItem();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (e.target !== q && !cur) return;
      e.preventDefault();
      const i = cur ? list.indexOf(cur) : -1;
      if (e.key === "ArrowDown") select(list[Math.min(i + 1, list.length - 1)]);
      else if (i <= 0) q.focus();
      else select(list[i - 1]);
      return;
    }
    if (e.key === "Enter") {
      if (e.target === q) {
        e.preventDefault();
        clearTimeout(timer);
        // Results of what is typed now, not of a few letters ago.
        const open = () => { const first = items()[0]; if (first) location.assign(first.dataset.href); };
        if (shown === q.value) open();
        else search().then(open);
        return;
      }
      if (cur && e.target === cur) {
        e.preventDefault();
        location.assign(cur.dataset.href);
      }
      return;
    }
    if (e.key === "c" && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
      const item = cur || list[0];
      if (item) {
        e.preventDefault();
        copyText(item.dataset.copy);
      }
    }
    if (e.key === "Escape" && e.target === q) {
      q.value = "";
      search();
    }
  });

  // ---- views ----
  let view = "search";
  const since = $("since"), csv = $("csv"), logBody = $("log-body"), logStatus = $("log-status");

  function go(name) {
    if (view === name) return;
    location.hash = VIEWS[name].hash;
  }

  function route() {
    const name = Object.keys(VIEWS).find((k) => VIEWS[k].hash === location.hash) || "search";
    view = name;
    for (const a of document.querySelectorAll(".tabs a")) {
      if (a.dataset.view === name) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    $("view-search").hidden = name !== "search";
    $("view-log").hidden = ["search", "team", "requests", "suggestions"].includes(name);
    $("view-team").hidden = name !== "team";
    $("view-requests").hidden = name !== "requests";
    $("view-suggestions").hidden = name !== "suggestions";
    if (name === "requests") {
      document.title = VIEWS.requests.title + " — console de Causette";
      loadRequests();
      return;
    }
    if (name === "suggestions") {
      document.title = VIEWS.suggestions.title + " — console de Causette";
      loadSuggestions();
      return;
    }
    if (name === "search") {
      document.title = "Console de l’équipe — Causette";
      return;
    }
    if (name === "team") {
      document.title = VIEWS.team.title + " — console de Causette";
      loadEntries();
      return;
    }
    document.title = VIEWS[name].title + " — console de Causette";
    $("log-title").textContent = VIEWS[name].title;
    $("log-intro").textContent = VIEWS[name].intro;
    loadLog();
  }
  window.addEventListener("hashchange", route);
  since.addEventListener("change", loadLog);

  async function loadLog() {
    const name = view;
    const base = "/staff/api/log/" + name;
    const qs = "?since=" + encodeURIComponent(since.value);
    csv.href = base + ".csv" + qs;
    logStatus.textContent = "Chargement…";
    let res;
    try {
      const r = await fetch(base + qs, { credentials: "same-origin" });
      if (r.status === 401) { location.assign("/staff/signin?next=/staff"); return; }
      res = await r.json();
      if (!r.ok) throw new Error(res.message || "Le journal n’a pas pu être lu.");
    } catch (e) {
      if (name === view) {
        logStatus.textContent = e.message;
        logBody.replaceChildren();
      }
      return;
    }
    if (name !== view) return;
    if (res.groups) renderGroups(name, res.groups, res.answered || 0);
    else renderTurns(res.turns);
    loadOrphans(name);
  }

  function passageLink(id, label) {
    if (!id) return "—";
    return el("a", { href: "/p/" + encodeURIComponent(id), text: label || id });
  }
  function table(caption, headers, rows) {
    return el("table", {},
      el("caption", { class: "visually-hidden", text: caption }),
      el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col", class: h[1] || null, text: h[0] })))),
      el("tbody", {}, ...rows));
  }

  function renderGroups(name, groups, answered) {
    const n = groups.reduce((s, g) => s + g.count, 0);
    logStatus.textContent = (groups.length === 0
      ? "Aucune question sur la période."
      : groups.length + (groups.length > 1 ? " groupes, " : " groupe, ") + n + (n > 1 ? " questions." : " question.")) +
      (answered ? " " + answered + (answered > 1 ? " groupes ont reçu" : " groupe a reçu") + " une réponse de l’équipe ou un passage rattaché." : "");
    if (groups.length === 0) { logBody.replaceChildren(); return; }
    const rows = groups.map((g) => {
      const others = g.wordings.filter((w) => w.text !== g.question);
      const q = el("td", {}, el("span", { class: "question", text: g.question }),
        others.length ? el("ul", { class: "wordings", "aria-label": "Autres formulations" },
          ...others.map((w) => el("li", { text: w.text + (w.count > 1 ? " (" + w.count + ")" : "") }))) : null);
      const last = el("td", {}, el("time", { datetime: g.last, text: dateFmt.format(new Date(g.last)) }));
      if (name === "unanswered") {
        const near = el("td", {}, (g.nearest || []).length
          ? el("ul", { class: "near" }, ...g.nearest.map((p) => el("li", {},
            passageLink(p.id, p.title.slice(0, 40) + (p.title.length > 40 ? "…" : "") + ", §" + p.paragraph),
            p.text ? el("span", { class: "near-text" }, highlighted(p.text, p.highlights)) : null)))
          : "—");
        const reply = el("button", { type: "button", class: "reply", text: "Répondre", "data-edit": true,
          "aria-label": "Répondre à « " + g.question + " »" });
        reply.addEventListener("click", () => {
          prefill = { question: g.question, alternates: others.map((w) => w.text) };
          location.hash = VIEWS.team.hash;
        });
        return el("tr", {}, q, el("td", { class: "num", text: String(g.count) }), last, near,
          el("td", {}, el("div", { class: "row-actions", "data-edit": true }, reply, attachButton(g))));
      }
      return el("tr", {}, q, el("td", { class: "given", text: g.answer || "—" }), el("td", { class: "num", text: String(g.count) }),
        el("td", { class: "num", text: String(g.no_answer) }),
        el("td", { class: "num", text: g.up + " / " + g.down }),
        el("td", {}, passageLink(g.passage)), last);
    });
    const headers = name === "unanswered"
      ? [["Question"], ["Fois", "num"], ["Dernière fois"], ["Passages les plus proches"], ["Action"]]
      : [["Question"], ["Réponse donnée"], ["Fois", "num"], ["Sans réponse", "num"], ["Pouces ↑ / ↓", "num"], ["Passage cité"], ["Dernière fois"]];
    logBody.replaceChildren(table(VIEWS[name].title, headers, rows));
  }

  function renderTurns(turns) {
    logStatus.textContent = turns.length === 0 ? "Aucune réponse jugée mauvaise sur la période." : turns.length + (turns.length > 1 ? " réponses." : " réponse.");
    if (turns.length === 0) { logBody.replaceChildren(); return; }
    const kinds = { answer: "réponse", no_answer: "sans réponse", smalltalk: "politesse" };
    const rows = turns.map((t) => el("tr", {},
      el("td", {}, el("time", { datetime: t.time, text: dateFmt.format(new Date(t.time)) })),
      el("td", {},
        t.previous ? el("p", { class: "previous", text: "après « " + t.previous + " »" }) : null,
        el("span", { class: "question", text: t.question })),
      el("td", { class: "given", text: t.answer || "—" }),
      el("td", { text: kinds[t.kind] || t.kind }),
      el("td", { class: "num", text: pct(t.confidence) }),
      el("td", {}, passageLink(t.passage))));
    logBody.replaceChildren(table("Pouces baissés",
      [["Date"], ["Question"], ["Réponse donnée"], ["Type"], ["Confiance", "num"], ["Passage cité"]], rows));
  }

  // ---- the team's answers ----------------------------------------------

  const form = $("entry-form"), teamBody = $("team-body"), teamStatus = $("team-status"), entryStatus = $("entry-status");
  const field = {
    question: $("entry-question"), alternates: $("entry-alternates"), answer: $("entry-answer"),
    link: $("entry-link"), enabled: $("entry-enabled"),
  };
  let editing = 0; // the entry the form edits, 0 for a new one
  let editingVersion = 0; // its version when the form was filled
  let prefill = null; // questions the unanswered view hands to the form

  function fillForm(e) {
    editing = e.id || 0;
    editingVersion = e.version || 0;
    field.question.value = e.question || "";
    field.alternates.value = (e.alternates || []).join("\n");
    field.answer.value = e.answer || "";
    field.link.value = e.link || "";
    field.enabled.checked = e.enabled !== false;
    $("entry-form-title").textContent = editing ? "Modifier la réponse" : "Nouvelle réponse";
  }


  async function loadEntries() {
    if (prefill) {
      fillForm(prefill);
      prefill = null;
      field.answer.focus();
    }
    teamStatus.textContent = "Chargement…";
    let res;
    try {
      res = await api("GET", "/staff/api/entries");
    } catch (e) {
      teamStatus.textContent = e.message;
      return;
    }
    renderEntries(res.entries);
  }

  function renderEntries(entries) {
    teamStatus.textContent = entries.length === 0 ? "Aucune réponse de l’équipe pour l’instant."
      : entries.length + (entries.length > 1 ? " réponses." : " réponse.");
    if (entries.length === 0) { teamBody.replaceChildren(); return; }
    const rows = entries.map((e) => {
      const edit = el("button", { type: "button", text: "Modifier", "aria-label": "Modifier « " + e.question + " »" });
      edit.addEventListener("click", () => { fillForm(e); field.question.focus(); });
      const toggle = el("button", { type: "button", text: e.enabled ? "Désactiver" : "Activer",
        "aria-label": (e.enabled ? "Désactiver" : "Activer") + " « " + e.question + " »" });
      toggle.addEventListener("click", () => save(Object.assign({}, e, { enabled: !e.enabled }), e.id));
      const del = el("button", { type: "button", text: "Supprimer", "aria-label": "Supprimer « " + e.question + " »" });
      del.addEventListener("click", async () => {
        if (!window.confirm("Supprimer la réponse « " + e.question + " » ?")) return;
        try {
          await api("DELETE", "/staff/api/entries/" + e.id);
          teamStatus.textContent = "Réponse supprimée.";
          loadEntries();
        } catch (err) { teamStatus.textContent = err.message; }
      });
      return el("tr", {},
        el("td", {}, el("span", { class: "question", text: e.question }),
          (e.alternates || []).length ? el("ul", { class: "wordings", "aria-label": "Autres formulations" },
            ...e.alternates.map((a) => el("li", { text: a }))) : null),
        el("td", { text: e.answer }),
        el("td", {}, e.enabled ? "oui" : el("span", { class: "off", text: "non" })),
        el("td", {}, el("time", { datetime: e.updated, text: dateFmt.format(new Date(e.updated)) }), " · " + e.updated_by),
        el("td", {}, el("div", { class: "row-actions", "data-edit": true }, edit, toggle, del)));
    });
    teamBody.replaceChildren(table("Réponses de l’équipe",
      [["Question"], ["Réponse"], ["Active"], ["Modifiée"], ["Actions"]], rows));
  }

  async function save(entry, id) {
    try {
      await api(id ? "PUT" : "POST", "/staff/api/entries" + (id ? "/" + id : ""), entry);
    } catch (e) {
      entryStatus.textContent = e.message;
      return false;
    }
    entryStatus.textContent = "Enregistrée : Causette la cite d’ici quelques secondes.";
    loadEntries();
    return true;
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const entry = {
      question: field.question.value.trim(),
      alternates: field.alternates.value.split("\n").map((a) => a.trim()).filter(Boolean),
      answer: field.answer.value.trim(),
      link: field.link.value.trim(),
      enabled: field.enabled.checked,
      version: editing ? editingVersion : 0,
    };
    if (!entry.question) { entryStatus.textContent = "La question manque."; field.question.focus(); return; }
    if (!entry.answer) { entryStatus.textContent = "La réponse manque."; field.answer.focus(); return; }
    if (await save(entry, editing)) fillForm({});
  });
  $("entry-cancel").addEventListener("click", () => { fillForm({}); entryStatus.textContent = ""; });

  // ---- the visitors' requests (« Demandes ») ----------------------------
  // The contact form's inbox: newest first, each with its conversation;
  // staff move a request along or delete it (its address with it).

  const REQUEST_STATUSES = { new: "Nouvelle", in_progress: "En cours", done: "Traitée" };
  const requestsBody = $("requests-body"), requestsStatus = $("requests-status");

  // loadRequests reads the inbox; shown says whether to render it (the tab's
  // count is refreshed either way).
  async function loadRequests(shown = true) {
    if (shown) requestsStatus.textContent = "Chargement…";
    let res;
    try {
      res = await api("GET", "/staff/api/requests");
    } catch (e) {
      if (shown) requestsStatus.textContent = e.message;
      return;
    }
    requestsCount(res.new);
    if (shown) renderRequests(res.requests, res.new);
  }

  // requestsCount shows on the tab how many requests are new.
  function requestsCount(n) {
    const c = $("requests-count");
    c.hidden = !n;
    c.replaceChildren(el("span", { "aria-hidden": "true", text: String(n) }),
      el("span", { class: "visually-hidden", text: " (" + n + (n > 1 ? " nouvelles)" : " nouvelle)") }));
  }

  function renderRequests(list, fresh) {
    requestsStatus.textContent = list.length === 0 ? "Aucune demande pour l’instant."
      : list.length + (list.length > 1 ? " demandes" : " demande") + (fresh ? ", dont " + fresh + (fresh > 1 ? " nouvelles." : " nouvelle.") : ".");
    requestsBody.replaceChildren(...list.map(requestItem));
  }

  // requestItem is one request: when, its status (to change), the message
  // as text, the address to reply to, the conversation, the webhook's state.
  function requestItem(r) {
    const id = "request-" + r.id;
    const when = dateFmt.format(new Date(r.time));
    const status = el("select", { id: id + "-status" },
      ...Object.entries(REQUEST_STATUSES).map(([v, label]) => el("option", { value: v, text: label, selected: v === r.status })));
    status.addEventListener("change", () => setRequestStatus(r, status.value));
    const del = el("button", { type: "button", text: "Supprimer", "aria-label": "Supprimer la demande du " + when });
    del.addEventListener("click", () => deleteRequest(r, when));
    const reply = r.email
      ? el("p", { class: "reply-to" }, "Répondre à ", el("a", { href: "mailto:" + r.email, text: r.email }))
      : el("p", { class: "reply-to muted", text: "Pas d’adresse : le visiteur n’attend pas de réponse." });
    const turns = r.turns.length ? el("ol", { class: "request-turns", "aria-label": "Conversation" },
      ...r.turns.map((t) => el("li", {},
        el("span", { class: "question", text: t.question }), " → ", el("span", { text: t.answer || "—" }),
        t.passage ? el("span", {}, " (", passageLink(t.passage, "passage cité"), ")") : null))) : null;
    return el("li", { class: "request status-" + r.status },
      el("h2", { id: id + "-title", class: "request-title" }, el("time", { datetime: r.time, text: when }),
        " · " + REQUEST_STATUSES[r.status] + (r.updated_by ? " (" + r.updated_by + ")" : "")),
      el("p", { class: "request-message", text: r.message }),
      reply, turns, deliveryNote(r.webhook),
      el("div", { class: "row-actions", "data-edit": true }, el("label", { for: id + "-status", text: "Statut" }), status, del));
  }

  // deliveryNote says where the webhook's delivery stands; null without one.
  function deliveryNote(d) {
    if (!d || !d.state) return null;
    const tries = d.attempts + (d.attempts > 1 ? " essais" : " essai");
    const text = d.state === "delivered" ? "Transmise au webhook."
      : d.state === "failed" ? "Webhook : échec après " + tries + (d.error ? " (" + d.error + ")" : "") + "."
      : "Webhook : en attente" + (d.attempts ? " après " + tries + (d.error ? " (" + d.error + ")" : "") : "") + ".";
    return el("p", { class: "delivery delivery-" + d.state, text });
  }

  async function setRequestStatus(r, value) {
    try {
      await api("PATCH", "/staff/api/requests/" + r.id, { status: value });
    } catch (e) {
      requestsStatus.textContent = e.message;
      return;
    }
    requestsStatus.textContent = "Demande passée à « " + REQUEST_STATUSES[value] + " ».";
    await loadRequests(false);
  }

  async function deleteRequest(r, when) {
    if (!window.confirm("Supprimer la demande du " + when + " ? Le message, l’adresse du visiteur et la conversation seront effacés.")) return;
    try {
      await api("DELETE", "/staff/api/requests/" + r.id);
    } catch (e) {
      requestsStatus.textContent = e.message;
      return;
    }
    await loadRequests();
    requestsStatus.textContent = "Demande supprimée, avec l’adresse du visiteur.";
    $("requests-title").focus();
  }

  // ---- phrasings attached to passages ----------------------------------
  // « Rattacher à un passage » on a group of the unanswered view: its
  // questions become phrasings of the passage staff pick (one of the
  // group's nearest, or one searched). Orphans (their passage edited or
  // gone) are listed under the view, to attach again or delete.

  const attachDialog = $("attach-dialog"), attachForm = $("attach-form"), attachStatus = $("attach-status");
  const attachChoices = $("attach-choices"), attachPhrasings = $("attach-phrasings"), attachQ = $("attach-q");
  const orphansEl = $("orphans"), orphansBody = $("orphans-body"), orphansStatus = $("orphans-status");
  const ATTACH_SEARCH_TOP = 5; // passages a search in the dialog proposes
  let attaching = null; // { replaces: id of the orphan a new attachment replaces, 0 for none }

  function attachButton(g) {
    const b = el("button", { type: "button", class: "attach", text: "Rattacher à un passage",
      "aria-label": "Rattacher à un passage « " + g.question + " »" });
    b.addEventListener("click", () => openAttach(g.wordings.map((w) => w.text), g.nearest || [], "", 0));
    return b;
  }

  // openAttach shows the dialog with phrasings (all checked) and passages
  // to choose from; query, when set, is searched at once for more.
  function openAttach(phrasings, passages, query, replaces) {
    attaching = { replaces };
    attachStatus.textContent = "";
    attachPhrasings.replaceChildren(el("legend", { text: "Formulations à rattacher" }),
      ...phrasings.map((text, i) => el("label", { class: "choice" },
        el("input", { type: "checkbox", name: "phrasing", value: text, checked: true, id: "attach-ph-" + i }), text)));
    attachChoices.replaceChildren();
    addChoices(passages);
    attachQ.value = query;
    attachDialog.showModal();
    if (query) searchPassages();
    const first = attachChoices.querySelector("input");
    (first || attachQ).focus();
  }

  // addChoices adds passages as radio buttons, the first one checked when
  // none is; team answers are left out (their phrasings are in their form).
  function addChoices(passages) {
    const have = new Set(Array.from(attachChoices.querySelectorAll("input"), (i) => i.value));
    for (const p of passages) {
      if (have.has(p.id) || p.id.startsWith("_equipe#")) continue;
      have.add(p.id);
      const input = el("input", { type: "radio", name: "passage", value: p.id });
      attachChoices.append(el("label", { class: "choice" }, input,
        el("span", {}, el("span", { text: p.title + ", §" + p.paragraph }),
          el("span", { class: "near-text", text: p.text.length > 220 ? p.text.slice(0, 220) + "…" : p.text }))));
    }
    if (!attachChoices.querySelector("input:checked")) {
      const first = attachChoices.querySelector("input");
      if (first) first.checked = true;
    }
  }

  async function searchPassages() {
    const text = attachQ.value.trim();
    if (!text) return;
    attachStatus.textContent = "Recherche…";
    try {
      const res = await api("GET", "/staff/api/search?q=" + encodeURIComponent(text));
      const found = res.passages.slice(0, ATTACH_SEARCH_TOP);
      addChoices(found);
      attachStatus.textContent = found.length ? found.length + (found.length > 1 ? " passages ajoutés aux choix." : " passage ajouté aux choix.")
        : "Aucun passage trouvé.";
    } catch (e) { attachStatus.textContent = e.message; }
  }

  $("attach-search").addEventListener("click", searchPassages);
  attachQ.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); searchPassages(); }
  });
  $("attach-cancel").addEventListener("click", () => attachDialog.close());
  attachForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const phrasings = Array.from(attachPhrasings.querySelectorAll("input:checked"), (i) => i.value);
    const passage = attachChoices.querySelector("input:checked");
    if (!phrasings.length) { attachStatus.textContent = "Cochez au moins une formulation."; return; }
    if (!passage) { attachStatus.textContent = "Choisissez un passage, ou cherchez-en un."; attachQ.focus(); return; }
    try {
      await api("POST", "/staff/api/attachments", { passage: passage.value, phrasings });
      if (attaching && attaching.replaces) await api("DELETE", "/staff/api/attachments/" + attaching.replaces);
    } catch (e) { attachStatus.textContent = e.message; return; }
    attachDialog.close();
    toast("Rattaché : Causette trouve ce passage pour ces formulations d’ici quelques secondes.");
    loadLog();
  });

  // loadOrphans lists, under the unanswered view, the attachments whose
  // passage the corpus served no longer has.
  async function loadOrphans(name) {
    if (name !== "unanswered") { orphansEl.hidden = true; return; }
    let res;
    try {
      res = await api("GET", "/staff/api/attachments");
    } catch (e) {
      orphansEl.hidden = false;
      orphansStatus.textContent = e.message;
      return;
    }
    if (name !== view) return;
    renderOrphans(res.attachments.filter((a) => a.state === "orphan"));
  }

  function renderOrphans(orphans) {
    orphansEl.hidden = orphans.length === 0;
    orphansStatus.textContent = orphans.length + (orphans.length > 1 ? " formulations sans passage." : " formulation sans passage.");
    const rows = orphans.map((a) => {
      const again = el("button", { type: "button", class: "reattach", text: "Rattacher de nouveau",
        "aria-label": "Rattacher de nouveau « " + a.phrasing + " »" });
      again.addEventListener("click", () => openAttach([a.phrasing], [], a.excerpt, a.id));
      const del = el("button", { type: "button", class: "detach", text: "Supprimer", "aria-label": "Supprimer le rattachement « " + a.phrasing + " »" });
      del.addEventListener("click", async () => {
        try {
          await api("DELETE", "/staff/api/attachments/" + a.id);
          toast("Rattachement supprimé.");
          loadOrphans(view);
        } catch (e) { orphansStatus.textContent = e.message; }
      });
      return el("tr", {},
        el("td", {}, el("span", { class: "question", text: a.phrasing })),
        el("td", {}, el("span", { text: a.passage }), el("span", { class: "near-text", text: a.excerpt })),
        el("td", {}, el("time", { datetime: a.created, text: dateFmt.format(new Date(a.created)) }), " · " + a.created_by),
        el("td", {}, el("div", { class: "row-actions", "data-edit": true }, again, del)));
    });
    orphansBody.replaceChildren(rows.length ? table("Rattachements sans passage",
      [["Formulation"], ["Passage d’origine"], ["Rattachée"], ["Actions"]], rows) : "");
  }

  // ---- suggestions ------------------------------------------------------
  // Wordings answered unsurely or rated down, around the passage they cited,
  // one passage at a time: a to accept (they are attached to it), r to
  // reject (never proposed for it again), → to pass.

  const suggestionEl = $("suggestion"), suggestionsStatus = $("suggestions-status");
  let suggestions = [], suggestionAt = 0;

  async function loadSuggestions() {
    suggestionsStatus.textContent = "Chargement…";
    try {
      suggestions = (await api("GET", "/staff/api/suggestions")).suggestions;
    } catch (e) {
      suggestionsStatus.textContent = e.message;
      suggestionEl.replaceChildren();
      return;
    }
    suggestionAt = 0;
    renderSuggestion("");
  }

  // renderSuggestion shows the current suggestion, after done (what the
  // last key did), and the count of those left.
  function renderSuggestion(done) {
    const left = suggestions.length;
    suggestionsStatus.textContent = (done ? done + " " : "") + (left === 0 ? "Aucune suggestion pour l’instant."
      : left + (left > 1 ? " suggestions." : " suggestion."));
    if (left === 0) { suggestionEl.replaceChildren(); return; }
    suggestionAt = suggestionAt % left;
    const s = suggestions[suggestionAt];
    const accept = el("button", { type: "button", class: "primary", text: "Accepter", "aria-keyshortcuts": "a", "data-edit": true });
    const reject = el("button", { type: "button", text: "Rejeter", "aria-keyshortcuts": "r", "data-edit": true });
    const skip = el("button", { type: "button", text: "Passer", "aria-keyshortcuts": "ArrowRight" });
    accept.addEventListener("click", () => decide(true));
    reject.addEventListener("click", () => decide(false));
    skip.addEventListener("click", skipSuggestion);
    suggestionEl.replaceChildren(el("article", { class: "suggestion", "aria-labelledby": "suggestion-title" },
      el("h2", { id: "suggestion-title", text: "Suggestion " + (suggestionAt + 1) + " sur " + left }),
      el("p", { class: "meta" }, passageLink(s.passage, s.title + ", §" + s.paragraph),
        " · posées " + s.count + " fois" + (s.down ? ", " + s.down + " pouce" + (s.down > 1 ? "s" : "") + " baissé" + (s.down > 1 ? "s" : "") : "")),
      el("p", { class: "near-text", text: s.text }),
      el("fieldset", {}, el("legend", { text: "Formulations proposées pour ce passage" }),
        ...s.wordings.map((w, i) => el("label", { class: "choice" },
          el("input", { type: "checkbox", name: "wording", value: w.text, checked: true, id: "suggestion-w-" + i }),
          w.text + (w.count > 1 ? " (" + w.count + ")" : "")))),
      el("div", { class: "form-actions" }, accept, reject, skip)));
  }

  function skipSuggestion() {
    if (!suggestions.length) return;
    suggestionAt++;
    renderSuggestion("");
  }

  // decide accepts or rejects the checked wordings of the current
  // suggestion; it then leaves the list.
  async function decide(accepted) {
    const s = suggestions[suggestionAt];
    if (!s) return;
    const phrasings = Array.from(suggestionEl.querySelectorAll("input[name=wording]:checked"), (i) => i.value);
    if (!phrasings.length) { suggestionsStatus.textContent = "Cochez au moins une formulation."; return; }
    try {
      await api("POST", accepted ? "/staff/api/attachments" : "/staff/api/suggestions/reject", { passage: s.passage, phrasings });
    } catch (e) { suggestionsStatus.textContent = e.message; return; }
    suggestions.splice(suggestionAt, 1);
    renderSuggestion(accepted ? "Acceptée : le passage sera trouvé pour ces formulations." : "Rejetée : elle ne sera plus proposée.");
    const next = suggestionEl.querySelector("button.primary");
    if (next) next.focus();
  }

  document.addEventListener("keydown", (e) => {
    if (view !== "suggestions" || e.ctrlKey || e.metaKey || e.altKey || attachDialog.open) return;
    const t = e.target;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" || (t.tagName === "INPUT" && t.type !== "checkbox"))) return;
    if (document.body.dataset.role === "lecture") return; // accepting and rejecting are edits
    if (e.key === "a") { e.preventDefault(); decide(true); }
    else if (e.key === "r") { e.preventDefault(); decide(false); }
    else if (e.key === "ArrowRight") { e.preventDefault(); skipSuggestion(); }
  });


  // ---- roles ------------------------------------------------------------
  // The page carries the account's role (<body data-role>). For a lecture
  // account the style hides every control marked data-edit; this also
  // disables them, so that none is reached by the keyboard or submitted.
  // Mark any new editing control with data-edit.

  function disableEditing() {
    for (const c of document.querySelectorAll("[data-edit] button, [data-edit] input, [data-edit] textarea, [data-edit] select, button[data-edit]")) {
      c.disabled = true;
    }
  }
  if (document.body.dataset.role === "lecture") {
    new MutationObserver(disableEditing).observe(document.body, { childList: true, subtree: true });
    disableEditing();
  }

  route();
  if (view === "search") q.focus();
  if (view !== "requests") loadRequests(false); // the tab's count
})();
