// Causette's chat page: one WebSocket to /ws (see docs/protocol.md).
// Corpus and visitor text is always inserted with textContent, never as HTML.
'use strict';

(function () {
  // Reconnection backoff: first retry soon, then doubling up to a ceiling.
  var RETRY_FIRST_MS = 500;
  var RETRY_MAX_MS = 10000;
  // Typing effect: a word every WORD_MS, the whole answer within TYPE_MAX_MS.
  var WORD_MS = 35;
  var TYPE_MAX_MS = 700;

  var $ = function (id) { return document.getElementById(id); };
  var log = $('log');
  var form = $('composer');
  var input = $('question');
  var send = $('send');
  var statusEl = $('status');
  var statusText = $('status-text');
  var announcer = $('announcer');
  var panel = $('panel');
  var scrim = $('scrim');
  var reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  // On a phone the source opens as a sheet over the chat (see app.css).
  var phone = window.matchMedia('(max-width: 720px)');

  var socket = null;
  var retries = 0;
  var retryTimer = 0;
  var greeted = false;
  var lastContext = '';
  var seq = 0;
  var pending = {};        // message id -> {text, el}
  var typing = [];         // running typing effects
  var panelOpener = null;  // the chip that opened the panel

  // ---- connection -------------------------------------------------------

  function socketURL() {
    var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return scheme + '//' + location.host + '/ws';
  }

  function setState(state, text) {
    statusEl.dataset.state = state;
    statusText.textContent = text;
    var online = state === 'online';
    input.disabled = !online;
    send.disabled = !online;
    input.placeholder = online ? 'Posez votre question…' : 'Hors ligne : reconnexion en cours…';
  }

  function connect() {
    clearTimeout(retryTimer);
    setState('connecting', 'Connexion…');
    var ws;
    try {
      ws = new WebSocket(socketURL());
    } catch (e) {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = function () {
      retries = 0;
      setState('online', 'En ligne');
      // Questions asked while the connection dropped are asked again.
      Object.keys(pending).forEach(function (id) {
        transmit({ type: 'ask', id: id, text: pending[id].text, context: lastContext });
      });
    };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === 'hello') onHello(m);
      else if (m.type === 'answer') onAnswer(m);
      else if (m.type === 'error') onError(m);
    };
    ws.onclose = function () {
      if (socket !== ws) return;
      socket = null;
      scheduleRetry();
    };
  }

  function scheduleRetry() {
    var delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, retries));
    delay = Math.round(delay * (0.75 + Math.random() * 0.5));
    retries++;
    setState('offline', 'Hors ligne — nouvel essai dans ' + Math.max(1, Math.round(delay / 1000)) + ' s');
    retryTimer = setTimeout(connect, delay);
  }

  function transmit(msg) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(msg));
    return true;
  }

  // Retry at once when the network or the tab comes back.
  window.addEventListener('online', function () { if (!socket) connect(); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && !socket) connect();
  });

  // ---- messages ---------------------------------------------------------

  function onHello(m) {
    if (greeted) return;
    greeted = true;
    if (m.greeting) $('greeting').textContent = m.greeting;
    fillChips($('starters'), m.suggestions || []);
  }

  function onAnswer(m) {
    var p = pending[m.id];
    delete pending[m.id];
    if (p) p.el.remove();
    if (m.context) lastContext = m.context;
    var el = renderAnswer(m);
    log.appendChild(el);
    announce('Causette : ' + m.answer);
    scrollDown();
  }

  function onError(m) {
    var p = pending[m.id];
    delete pending[m.id];
    if (p) {
      p.el.remove();
      if (!input.value) {
        input.value = p.text;
        grow();
      }
    }
    var el = div('msg bot error');
    el.setAttribute('role', 'alert');
    el.appendChild(para('text', m.message || 'Une erreur est survenue.'));
    log.appendChild(el);
    scrollDown();
  }

  function ask(text) {
    text = text.trim();
    if (!text) return;
    finishTyping();
    // Only the latest answer keeps its suggestions ("not found" answers
    // keep theirs: their text points at them).
    Array.prototype.forEach.call(log.querySelectorAll('.msg:not(.no-answer) .suggest'), function (el) { el.hidden = true; });
    var id = 'c' + (++seq);
    var me = div('msg me');
    var h = document.createElement('h2');
    h.className = 'visually-hidden';
    h.textContent = 'Vous';
    me.appendChild(h);
    me.appendChild(para('text', text));
    log.appendChild(me);
    var wait = div('msg bot thinking');
    wait.setAttribute('aria-hidden', 'true');
    for (var i = 0; i < 3; i++) wait.appendChild(span('dot'));
    log.appendChild(wait);
    pending[id] = { text: text, el: wait };
    transmit({ type: 'ask', id: id, text: text, context: lastContext });
    scrollDown();
  }

  // ---- rendering --------------------------------------------------------

  function renderAnswer(m) {
    var noAnswer = m.kind === 'no_answer';
    var el = document.createElement('article');
    el.className = 'msg bot' + (noAnswer ? ' no-answer' : '');
    el.dataset.kind = m.kind;
    var h = document.createElement('h2');
    h.className = 'visually-hidden';
    h.textContent = 'Causette';
    el.appendChild(h);
    if (noAnswer) el.appendChild(para('badge', 'Pas trouvé dans les documents'));
    var text = para('text', '');
    el.appendChild(text);
    typeInto(text, m.answer || '');

    var cites = m.citations || [];
    if (cites.length && !noAnswer) {
      var row = div('cites');
      row.appendChild(span('cites-label', cites.length > 1 ? 'Sources :' : 'Source :'));
      cites.forEach(function (c, i) {
        var b = button('cite', '[' + (i + 1) + ']');
        b.setAttribute('aria-label', 'Source ' + (i + 1) + ' : ' + c.title + (c.section ? ', ' + c.section : ''));
        b.setAttribute('aria-haspopup', 'dialog');
        b.title = c.section || c.title;
        b.addEventListener('click', function () { openPanel(c, i + 1, b); });
        row.appendChild(b);
      });
      el.appendChild(row);
    }

    var sugg = m.suggestions || [];
    if (sugg.length) {
      var box = div('suggest');
      var label = para('chips-label', noAnswer ? 'Essayez plutôt :' :
        m.kind === 'smalltalk' ? 'Quelques idées :' : 'Pour aller plus loin :');
      var labelId = 'sl' + (++seq);
      label.id = labelId;
      box.appendChild(label);
      var ul = document.createElement('ul');
      ul.className = 'chips';
      ul.setAttribute('aria-labelledby', labelId);
      fillChips(ul, sugg);
      box.appendChild(ul);
      el.appendChild(box);
    }

    if (m.kind !== 'smalltalk') el.appendChild(actions(m));
    return el;
  }

  function actions(m) {
    var bar = div('actions');
    var copy = button('action', 'Copier');
    copy.setAttribute('aria-label', 'Copier la réponse');
    copy.addEventListener('click', function () {
      copyText(answerForCopy(m)).then(function () {
        copy.textContent = 'Copié';
        setTimeout(function () { copy.textContent = 'Copier'; }, 1500);
      });
    });
    bar.appendChild(copy);
    var up = button('action thumb', '');
    up.appendChild(icon(THUMB, false));
    up.setAttribute('aria-label', 'Réponse utile');
    var down = button('action thumb', '');
    down.appendChild(icon(THUMB, true));
    down.setAttribute('aria-label', 'Réponse pas utile');
    [up, down].forEach(function (b) {
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', function () {
        var value = b === up ? 'up' : 'down';
        if (!transmit({ type: 'feedback', id: m.id, turn: m.turn, value: value })) return;
        up.setAttribute('aria-pressed', String(b === up));
        down.setAttribute('aria-pressed', String(b === down));
        announce('Merci pour votre avis.');
      });
      bar.appendChild(b);
    });
    return bar;
  }

  function answerForCopy(m) {
    var out = m.answer || '';
    (m.citations || []).forEach(function (c, i) {
      out += '\n[' + (i + 1) + '] ' + c.title + (c.section ? ' — ' + c.section : '') + ', paragraphe ' + c.paragraph;
    });
    return out;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function fallbackCopy(text) {
    var t = document.createElement('textarea');
    t.value = text;
    t.className = 'offscreen';
    t.setAttribute('aria-hidden', 'true');
    document.body.appendChild(t);
    t.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
    t.remove();
  }

  function fillChips(ul, questions) {
    while (ul.firstChild) ul.firstChild.remove();
    questions.forEach(function (q) {
      var li = document.createElement('li');
      var b = button('chip', q);
      b.addEventListener('click', function () { ask(q); input.focus(); });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  // ---- typing effect ----------------------------------------------------

  function typeInto(el, text) {
    var words = text.split(/(\s+)/);
    if (reduceMotion.matches || words.length < 4) {
      el.textContent = text;
      return;
    }
    el.textContent = '';
    var shown = document.createTextNode('');
    el.appendChild(shown);
    el.classList.add('typing');
    var step = Math.max(1, Math.ceil(words.length / (TYPE_MAX_MS / WORD_MS)));
    var i = 0;
    var t = { el: el, text: text, timer: 0 };
    t.finish = function () {
      clearInterval(t.timer);
      shown.nodeValue = text;
      el.classList.remove('typing');
      typing.splice(typing.indexOf(t), 1);
    };
    t.timer = setInterval(function () {
      i = Math.min(words.length, i + step);
      shown.nodeValue = words.slice(0, i).join('');
      if (i >= words.length) t.finish();
      scrollDown();
    }, WORD_MS);
    typing.push(t);
  }

  function finishTyping() {
    typing.slice().forEach(function (t) { t.finish(); });
  }

  // A click or a key skips the typing.
  document.addEventListener('pointerdown', finishTyping, true);
  document.addEventListener('keydown', finishTyping, true);

  // ---- source panel -----------------------------------------------------

  var kinds = { paragraph: 'Paragraphe', table_row: 'Ligne de tableau', faq: 'Question fréquente' };

  function openPanel(c, n, opener) {
    panelOpener = opener;
    $('panel-kicker').textContent = 'Source ' + n + ' · ' + (kinds[c.kind] || 'Passage');
    $('panel-title').textContent = c.title || c.doc;
    var meta = [];
    if (c.section) meta.push('Section : ' + c.section);
    meta.push('Paragraphe ' + c.paragraph);
    meta.push('Document : ' + c.doc);
    $('panel-meta').textContent = meta.join(' · ');
    var q = $('panel-text');
    while (q.firstChild) q.firstChild.remove();
    highlight(q, c.text || '', c.highlights || []);
    panel.hidden = false;
    scrim.hidden = false;
    // The sheet covers the chat: keep focus and screen readers in it.
    $('main').inert = phone.matches;
    document.body.classList.add('panel-open');
    panel.focus();
  }

  function closePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    scrim.hidden = true;
    $('main').inert = false;
    document.body.classList.remove('panel-open');
    if (panelOpener && document.body.contains(panelOpener)) panelOpener.focus();
  }

  // highlight appends text to el with <mark> around the spans, which are
  // offsets in Unicode code points.
  function highlight(el, text, spans) {
    var cps = Array.from(text);
    var at = 0;
    spans.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (s) {
      var start = s[0], end = s[1];
      if (start < at || end > cps.length || start >= end) return;
      el.appendChild(document.createTextNode(cps.slice(at, start).join('')));
      var mark = document.createElement('mark');
      mark.textContent = cps.slice(start, end).join('');
      el.appendChild(mark);
      at = end;
    });
    el.appendChild(document.createTextNode(cps.slice(at).join('')));
  }

  $('panel-close').addEventListener('click', closePanel);
  scrim.addEventListener('click', closePanel);
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') closePanel();
  });

  // ---- input ------------------------------------------------------------

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (input.disabled) return;
    var text = input.value;
    if (!text.trim()) return;
    input.value = '';
    grow();
    ask(text);
  });

  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // Some input methods send the Enter character apart from its keydown.
  input.addEventListener('keypress', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) e.preventDefault();
  });

  function grow() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 200) + 'px';
  }
  input.addEventListener('input', grow);

  // ---- small helpers ----------------------------------------------------

  function announce(text) {
    announcer.textContent = '';
    // A fresh text node makes screen readers speak it even when repeated.
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function div(cls) {
    var d = document.createElement('div');
    d.className = cls;
    return d;
  }

  function para(cls, text) {
    var p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function span(cls, text) {
    var s = document.createElement('span');
    s.className = cls;
    if (text) s.textContent = text;
    return s;
  }

  // THUMB is a thumbs-up icon (24×24); turned over it is a thumbs-down.
  var THUMB = 'M2 21h4V9H2v12zm20-11c0-1.1-.9-2-2-2h-6.3l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L13.17 2 6.59 8.59C6.22 8.95 6 9.45 6 10v9c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z';

  function icon(path, flip) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '18');
    svg.setAttribute('height', '18');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', path);
    p.setAttribute('fill', 'currentColor');
    if (flip) p.setAttribute('transform', 'rotate(180 12 12)');
    svg.appendChild(p);
    return svg;
  }

  function button(cls, text) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    return b;
  }

  connect();
})();
