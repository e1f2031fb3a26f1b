/* Causette /embed: the chat in the widget's panel. It talks to the server
   over /ws and to the host page (widget.js) with postMessage, checking the
   origin both ways. The transcript and the context token live in this
   origin's sessionStorage, so the conversation survives navigation on the
   host site. Visitor and corpus text is always inserted as text. */
(function () {
  'use strict';
  var html = document.documentElement;
  var params = new URLSearchParams(location.search);
  var framed = window.parent !== window;
  // The host origin, checked by the server against --allow-origin; the
  // page's frame-ancestors make sure the real parent is an allowed one.
  var host = html.dataset.origin;
  var denied = html.dataset.denied === 'true';
  var KEY = 'causette-embed:' + host;
  var MAX_KEPT = 60;            // messages kept across navigation
  var RETRY_MIN = 500;          // first reconnect delay, ms
  var RETRY_MAX = 15000;        // longest reconnect delay, ms

  var T = {
    fr: {
      close: 'Fermer le chat', ask: 'Votre question', send: 'Envoyer',
      connecting: 'Connexion…', offline: 'Hors ligne : reconnexion…',
      sources: 'Sources :', source: 'Source', para: 'paragraphe',
      showSource: 'Afficher la source', suggestions: 'Suggestions :',
      copy: 'Copier la réponse', copied: 'Copié', up: 'Réponse utile',
      down: 'Réponse inutile', you: 'Vous', bot: 'Causette',
      placeholder: 'Posez votre question…'
    },
    en: {
      close: 'Close the chat', ask: 'Your question', send: 'Send',
      connecting: 'Connecting…', offline: 'Offline: reconnecting…',
      sources: 'Sources:', source: 'Source', para: 'paragraph',
      showSource: 'Show the source', suggestions: 'Suggestions:',
      copy: 'Copy the answer', copied: 'Copied', up: 'Helpful answer',
      down: 'Unhelpful answer', you: 'You', bot: 'Causette',
      placeholder: 'Ask your question…'
    }
  }[html.lang === 'en' ? 'en' : 'fr'];

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // post sends a message to the host page, only to its origin.
  function post(m) {
    if (!framed) return;
    m.causette = 1;
    try { window.parent.postMessage(m, denied ? '*' : host); } catch (e) { /* bad origin */ }
  }

  var color = params.get('color');
  if (color && window.CSS && CSS.supports('color', color)) {
    html.style.setProperty('--accent', color);
    var probe = el('span');
    probe.style.color = color;
    document.body.appendChild(probe);
    html.style.setProperty('--on-accent', ink(getComputedStyle(probe).color));
    probe.remove();
  }

  // ink picks black or white, whichever reads better on the rgb() colour.
  function ink(rgb) {
    var m = String(rgb).match(/\d+(\.\d+)?/g) || [0, 0, 0];
    var lum = [0, 1, 2].map(function (i) {
      var v = m[i] / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var y = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return (y + 0.05) / 0.05 > 1.05 / (y + 0.05) ? '#111' : '#fff';
  }

  var closeBtn = $('close');
  closeBtn.textContent = '×';
  closeBtn.setAttribute('aria-label', T.close);
  closeBtn.hidden = !framed;
  closeBtn.addEventListener('click', function () { post({ type: 'close' }); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') post({ type: 'close' });
  });

  if (denied) {
    post({ type: 'denied', message: $('denied').firstElementChild.textContent });
    return;
  }

  var log = $('log');
  var form = $('form');
  var input = $('q');
  var status = $('status');
  $('q-label').textContent = T.ask;
  input.placeholder = T.placeholder;
  $('send').textContent = T.send;

  var saved = load();
  var ws = null;
  var tries = 0;
  var seq = 0;
  var inflight = {};   // our id -> {text, from: the host's ask id or null}
  var outbox = [];     // asks waiting for the socket
  var starters = params.getAll('starter');
  var greeting = params.get('greeting');
  var intro = null;

  function load() {
    try {
      var s = JSON.parse(sessionStorage.getItem(KEY));
      if (s && Array.isArray(s.items)) return s;
    } catch (e) { /* nothing kept */ }
    return { items: [], context: '' };
  }
  function save() {
    saved.items = saved.items.slice(-MAX_KEPT);
    try { sessionStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* full or off */ }
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function chips(list, cls, label) {
    var box = el('div', cls);
    if (label) box.appendChild(el('span', 'chips-label', label));
    list.forEach(function (s) {
      var b = el('button', 'chip', s);
      b.type = 'button';
      b.addEventListener('click', function () { ask(s, null); });
      box.appendChild(b);
    });
    return box;
  }

  function showIntro(text, list) {
    if (intro) intro.remove();
    intro = el('div', 'intro');
    intro.appendChild(el('p', 'msg bot', text));
    if (list.length && !saved.items.length) intro.appendChild(chips(list, 'chips'));
    log.insertBefore(intro, log.firstChild);
  }

  // marked returns text with its highlights ([start, end) in code points)
  // as text nodes and <mark> elements.
  function marked(text, highlights) {
    var chars = Array.from(text);
    var frag = document.createDocumentFragment();
    var at = 0;
    (highlights || []).forEach(function (h) {
      if (h[0] < at || h[1] <= h[0]) return;
      frag.appendChild(document.createTextNode(chars.slice(at, h[0]).join('')));
      frag.appendChild(el('mark', null, chars.slice(h[0], h[1]).join('')));
      at = h[1];
    });
    frag.appendChild(document.createTextNode(chars.slice(at).join('')));
    return frag;
  }

  function showQuestion(text) {
    var m = el('div', 'msg me');
    m.appendChild(el('span', 'visually-hidden', T.you + ' : '));
    m.appendChild(document.createTextNode(text));
    log.appendChild(m);
    scroll();
  }

  function showAnswer(a, turn) {
    var m = el('article', 'msg bot' + (a.kind === 'no_answer' ? ' none' : ''));
    m.appendChild(el('span', 'visually-hidden', T.bot + ' : '));
    m.appendChild(el('p', 'text', a.answer));
    var cites = a.citations || [];
    if (a.kind !== 'smalltalk' && cites.length) {
      var row = el('div', 'cites');
      row.appendChild(el('span', 'chips-label', T.sources));
      cites.forEach(function (c, i) {
        var id = 'src-' + (++seq);
        var b = el('button', 'cite', '[' + (i + 1) + ']');
        b.type = 'button';
        b.setAttribute('aria-expanded', 'false');
        b.setAttribute('aria-controls', id);
        b.setAttribute('aria-label', T.showSource + ' ' + (i + 1) + ' : ' + (c.title || c.doc));
        var src = el('div', 'source');
        src.id = id;
        src.hidden = true;
        var where = [c.title || c.doc, c.section].filter(Boolean).join(' › ');
        src.appendChild(el('p', 'where', where + ', ' + T.para + ' ' + c.paragraph));
        var q = el('blockquote');
        q.appendChild(marked(c.text, c.highlights));
        src.appendChild(q);
        b.addEventListener('click', function () {
          var show = src.hidden;
          src.hidden = !show;
          b.setAttribute('aria-expanded', String(show));
          if (show) src.scrollIntoView({ block: 'nearest' });
        });
        row.appendChild(b);
        m.appendChild(src);
      });
      m.insertBefore(row, m.querySelector('.source'));
    }
    if ((a.suggestions || []).length) m.appendChild(chips(a.suggestions, 'chips', T.suggestions));
    if (a.kind !== 'smalltalk') m.appendChild(actions(a, turn));
    log.appendChild(m);
    scroll();
  }

  var SVG = 'http://www.w3.org/2000/svg';
  var ICONS = {
    copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
    up: ['M7 10v11H3V10z', 'M7 10l4-8a3 3 0 0 1 3 3v4h5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 17.6 21H7']
  };

  // icon draws one of ICONS as an inline SVG (no font needed).
  function icon(name, flip) {
    var s = document.createElementNS(SVG, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    if (flip) s.setAttribute('transform', 'rotate(180)');
    ICONS[name].forEach(function (d) {
      var p = document.createElementNS(SVG, 'path');
      p.setAttribute('d', d);
      s.appendChild(p);
    });
    return s;
  }

  function actions(a, turn) {
    var box = el('div', 'acts');
    var copy = button(icon('copy'), T.copy);
    copy.addEventListener('click', function () {
      if (navigator.clipboard) {
        navigator.clipboard.writeText(a.answer).then(function () {
          copy.setAttribute('aria-label', T.copied);
          copy.title = T.copied;
        }, function () {});
      }
    });
    box.appendChild(copy);
    [['up', false, T.up], ['down', true, T.down]].forEach(function (f) {
      var b = button(icon('up', f[1]), f[2]);
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', function () {
        box.querySelectorAll('[aria-pressed]').forEach(function (o) {
          o.setAttribute('aria-pressed', String(o === b));
        });
        if (ws && ws.readyState === 1 && turn) {
          ws.send(JSON.stringify({ type: 'feedback', id: 'f' + (++seq), turn: turn, value: f[0] }));
        }
      });
      box.appendChild(b);
    });
    return box;
  }

  function button(content, label) {
    var b = el('button', 'act');
    b.appendChild(content);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.title = label;
    return b;
  }

  function showError(message) {
    log.appendChild(el('p', 'msg error', message));
    scroll();
  }

  // ask shows the question and sends it, now or when the socket is back.
  function ask(text, from) {
    text = String(text).trim();
    if (!text) return;
    if (intro) { var c = intro.querySelector('.chips'); if (c) c.remove(); }
    showQuestion(text);
    saved.items.push({ q: text });
    save();
    var id = 'e' + (++seq);
    inflight[id] = { text: text, from: from };
    outbox.push(id);
    flush();
  }

  function flush() {
    while (ws && ws.readyState === 1 && outbox.length) {
      var id = outbox.shift();
      if (!inflight[id]) continue;
      ws.send(JSON.stringify({ type: 'ask', id: id, text: inflight[id].text, context: saved.context || '' }));
    }
  }

  function receive(m) {
    var f = m.id && inflight[m.id];
    switch (m.type) {
      case 'hello':
        showIntro(greeting || m.greeting, starters.length ? starters : (m.suggestions || []));
        break;
      case 'answer':
        if (!f) return;
        delete inflight[m.id];
        var turn = m.turn;
        var a = {};
        Object.keys(m).forEach(function (k) {
          if (k !== 'type' && k !== 'id' && k !== 'turn') a[k] = m[k];
        });
        saved.context = a.context || '';
        saved.items.push({ a: a, turn: turn });
        save();
        showAnswer(a, turn);
        post({ type: 'answer', id: f.from, answer: a });
        break;
      case 'error':
        if (f) delete inflight[m.id];
        showError(m.message);
        if (f) post({ type: 'error', id: f.from, code: m.code, message: m.message });
        break;
    }
  }

  function setStatus(text) {
    status.textContent = text;
    form.classList.toggle('offline', !!text);
  }

  function connect() {
    setStatus(T.connecting);
    var s = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    s.onopen = function () {
      ws = s;
      tries = 0;
      setStatus('');
      // Questions sent before a drop and never answered go again.
      Object.keys(inflight).forEach(function (id) {
        if (outbox.indexOf(id) < 0) outbox.push(id);
      });
      flush();
    };
    s.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (x) { return; }
      if (m && typeof m === 'object') receive(m);
    };
    s.onclose = function () {
      if (ws === s) ws = null;
      setStatus(T.offline);
      var wait = Math.min(RETRY_MAX, RETRY_MIN * Math.pow(2, tries++));
      setTimeout(connect, wait * (0.5 + Math.random() / 2));
    };
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    ask(input.value, null);
    input.value = '';
    input.focus();
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || e.origin !== host) return;
    var m = e.data;
    if (!m || m.causette !== 1) return;
    if (m.type === 'ask') ask(m.text, m.id);
    if (m.type === 'focus') input.focus();
  });

  if (greeting) showIntro(greeting, starters);
  saved.items.forEach(function (it) {
    if (it.q) showQuestion(it.q);
    if (it.a) showAnswer(it.a, it.turn);
  });
  // A question left unanswered by a navigation goes again.
  var last = saved.items[saved.items.length - 1];
  if (last && last.q) {
    inflight['e' + (++seq)] = { text: last.q, from: null };
    outbox.push('e' + seq);
  }
  connect();
  post({ type: 'ready' });
})();
