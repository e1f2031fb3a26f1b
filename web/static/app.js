// Causette's chat page: one WebSocket to /ws (see docs/protocol.md).
// Corpus and visitor text is always inserted with textContent, never as HTML.
// The same page in embed mode (<html data-embed>, served at /embed) is the
// widget's panel: it then also talks to the host page with postMessage,
// checking origins both ways, and keeps the conversation in this origin's
// sessionStorage so that it survives navigation on the host site.
'use strict';

(function () {
  // Reconnection backoff: first retry soon, then doubling up to a ceiling.
  var RETRY_FIRST_MS = 500;
  var RETRY_MAX_MS = 10000;
  // The offline countdown is checked four times a second: it shows whole
  // seconds, within a quarter of a second.
  var COUNTDOWN_MS = 250;
  // A thumb's choice goes to the server this long after the last click on
  // the answer's thumbs: time enough to change one's mind.
  var FEEDBACK_WAIT_MS = 600;
  // Typing effect: a word every WORD_MS, the whole answer within TYPE_MAX_MS.
  var WORD_MS = 35;
  var TYPE_MAX_MS = 700;
  // KEPT_MAX bounds the messages the panel keeps across the host's pages:
  // a long visit's worth, a few hundred KB at most of sessionStorage.
  var KEPT_MAX = 60;

  var $ = function (id) { return document.getElementById(id); };
  var root = document.documentElement;
  // T holds the page's own words in its language (web/labels.go).
  var T = JSON.parse($('labels').textContent);
  var contact = null; // how to reach the team (the hello message's), when configured
  var embed = root.dataset.embed === 'true';
  var framed = window.parent !== window;
  // The host page's origin, checked by the server against --allow-origin;
  // the page's frame-ancestors make sure the real parent is an allowed one.
  var hostOrigin = root.dataset.origin || '';
  var params = new URLSearchParams(location.search);

  // say fills a label's {name} slots.
  function say(key, slots) {
    return T[key].replace(/\{(\w+)\}/g, function (all, name) {
      return slots && name in slots ? String(slots[name]) : all;
    });
  }

  // post sends a message to the host page, only to its origin (to any on the
  // refusal page: it tells nothing but the refusal).
  function post(m) {
    if (!embed || !framed) return;
    m.causette = 1;
    try {
      window.parent.postMessage(m, root.dataset.denied === 'true' ? '*' : hostOrigin);
    } catch (e) { /* parent gone or origin malformed */ }
  }

  var closeButton = $('close');
  if (closeButton) {
    closeButton.hidden = !framed;
    closeButton.addEventListener('click', function () { post({ type: 'close' }); });
  }

  if (root.dataset.denied === 'true') {
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') post({ type: 'close' });
    });
    post({ type: 'denied', message: document.querySelector('.denied-main').textContent });
    return;
  }

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
  // On a phone, and in the widget's narrow panel, the source opens as a
  // sheet over the chat (see app.css).
  var phone = window.matchMedia('(max-width: 720px)');

  var socket = null;
  var retries = 0;
  var retryTimer = 0;
  var countdown = 0;
  var greeted = false;
  var lastContext = '';
  var seq = 0;
  var pending = {};        // message id -> {text, el, from: the host's ask id}
  var typing = [];         // running typing effects
  var panelOpener = null;  // the chip that opened the panel
  var focusWanted = false; // the host asked for focus while offline
  var kept = embed ? load() : null; // the panel's conversation, see keep
  var greeting = embed ? params.get('greeting') : '';
  var starters = embed ? params.getAll('starter').filter(Boolean) : [];

  // ---- connection -------------------------------------------------------

  function socketURL() {
    var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return scheme + '//' + location.host + '/ws';
  }

  function setState(state, text) {
    statusEl.dataset.state = state;
    statusText.textContent = text;
    var online = state === 'online';
    // Disabling the box drops its focus: the visitor typing when the
    // connection went gets it back with the connection.
    if (!online && document.activeElement === input) focusWanted = true;
    input.disabled = !online;
    send.disabled = !online;
    input.placeholder = online ? T.placeholder : T.offlineInput;
    if (online && focusWanted) {
      focusWanted = false;
      input.focus();
    }
  }

  // focusInput focuses the question box, or does once it is enabled.
  function focusInput() {
    if (input.disabled) focusWanted = true;
    else input.focus();
  }

  function connect() {
    clearTimeout(retryTimer);
    clearInterval(countdown);
    setState('connecting', T.connecting);
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
      setState('online', T.online);
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
    var at = Date.now() + delay;
    clearInterval(countdown);
    // The seconds left count down, so "dans 8 s" does not stand still.
    var left = function () { return Math.max(1, Math.ceil((at - Date.now()) / 1000)); };
    setState('offline', say('retryIn', { s: left() }));
    countdown = setInterval(function () {
      var text = say('retryIn', { s: left() });
      if (statusText.textContent !== text) statusText.textContent = text;
    }, COUNTDOWN_MS);
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
    contact = m.contact || null;
    if (greeted) return;
    greeted = true;
    if (m.greeting && !greeting) $('greeting').textContent = m.greeting;
    if (!starters.length) fillChips($('starters'), m.suggestions || []);
  }

  // settle forgets a question once answered or refused, removes its
  // waiting dots and returns what was pending (undefined when nothing was).
  function settle(id) {
    var p = pending[id];
    delete pending[id];
    if (p) p.el.remove();
    return p;
  }

  // dropped holds the ids of questions asked before « Nouvelle
  // conversation »: their answers, when they come, are not shown.
  var dropped = {};

  // startOver clears the conversation: its messages, its context, what the
  // panel kept, the questions still waiting; the welcome stays.
  function startOver() {
    finishTyping();
    Object.keys(pending).forEach(function (id) {
      dropped[id] = true;
      settle(id);
    });
    Array.prototype.slice.call(log.children).forEach(function (el) {
      if (el.id !== 'welcome') el.remove();
    });
    lastContext = '';
    if (kept) {
      kept = { items: [], context: '' };
      try { sessionStorage.removeItem(storeKey()); } catch (e) { /* storage off */ }
    }
    announce(T.newChatDone);
    scrollDown();
    focusInput();
  }

  var newChat = $('new-chat');
  if (newChat) newChat.addEventListener('click', startOver);

  function onAnswer(m) {
    if (dropped[m.id]) {
      delete dropped[m.id];
      return;
    }
    var p = settle(m.id);
    if (m.context) lastContext = m.context;
    m.question = p ? p.text : ''; // for « Contacter l’équipe »
    var el = renderAnswer(m, false);
    log.appendChild(el);
    keep({ a: m });
    announce(say('said', { text: m.answer }));
    scrollDown();
    post({ type: 'answer', id: p ? p.from : null, answer: shared(m) });
  }

  function onError(m) {
    if (dropped[m.id]) {
      delete dropped[m.id];
      return;
    }
    var p = settle(m.id);
    // A refused question of the visitor's goes back in the empty box.
    if (p && !input.value && !p.from) {
      input.value = p.text;
      grow();
    }
    var el = div('msg bot error');
    el.setAttribute('role', 'alert');
    el.appendChild(para('text', m.message || T.error));
    log.appendChild(el);
    scrollDown();
    post({ type: 'error', id: p ? p.from : null, code: m.code, message: m.message || T.error });
  }

  // shared is an answer message in the shared answer shape (kind, answer,
  // confidence, citations, suggestions, context), for the host page.
  function shared(m) {
    var a = {};
    Object.keys(m).forEach(function (k) {
      if (k !== 'type' && k !== 'id' && k !== 'turn') a[k] = m[k];
    });
    return a;
  }

  // ask shows a question and sends it; from is the host page's id for it
  // when the host asked (Causette.ask), answered back with the answer.
  function ask(text, from) {
    text = String(text).trim();
    if (!text) return;
    finishTyping();
    showQuestion(text);
    keep({ q: text });
    expect(text, from || null);
  }

  function showQuestion(text) {
    // Only the latest answer keeps its suggestions ("not found" answers
    // keep theirs: their text points at them).
    Array.prototype.forEach.call(log.querySelectorAll('.msg:not(.no-answer) .suggest'), function (el) { el.hidden = true; });
    var me = div('msg me');
    var h = document.createElement('h2');
    h.className = 'visually-hidden';
    h.textContent = T.you;
    me.appendChild(h);
    me.appendChild(para('text', text));
    log.appendChild(me);
  }

  // expect sends a question shown on the page, now or once reconnected.
  function expect(text, from) {
    var id = 'c' + (++seq);
    var wait = div('msg bot thinking');
    wait.setAttribute('aria-hidden', 'true');
    for (var i = 0; i < 3; i++) wait.appendChild(span('dot'));
    log.appendChild(wait);
    pending[id] = { text: text, el: wait, from: from };
    transmit({ type: 'ask', id: id, text: text, context: lastContext });
    scrollDown();
  }

  // ---- rendering --------------------------------------------------------

  function renderAnswer(m, instant) {
    var noAnswer = m.kind === 'no_answer';
    var el = document.createElement('article');
    el.className = 'msg bot' + (noAnswer ? ' no-answer' : '');
    el.dataset.kind = m.kind;
    if (m.turn) el.dataset.turn = m.turn; // the turns a contact form attaches
    var h = document.createElement('h2');
    h.className = 'visually-hidden';
    h.textContent = T.bot;
    el.appendChild(h);
    if (noAnswer) el.appendChild(para('badge', T.notFound));
    var text = para('text', '');
    el.appendChild(text);
    typeInto(text, m.answer || '', m.short || '', instant);

    var cites = m.citations || [];
    if (cites.length && !noAnswer) {
      var row = div('cites');
      row.appendChild(span('cites-label', cites.length > 1 ? T.sourcesLabel : T.sourceLabel));
      cites.forEach(function (c, i) {
        var b = button('cite', '[' + (i + 1) + ']');
        b.setAttribute('aria-label', say('sourceName', { n: i + 1, title: c.title + (c.section ? ', ' + c.section : '') }));
        b.setAttribute('aria-haspopup', 'dialog');
        b.title = c.section || c.title;
        b.addEventListener('click', function () { openPanel(c, i + 1, b); });
        row.appendChild(b);
      });
      el.appendChild(row);
    }

    // Two documents scored close: the visitor says which was meant.
    var choices = m.choices || [];
    if (choices.length && !noAnswer) el.appendChild(chipBox('suggest choices', T.choose, choices));

    var sugg = m.suggestions || [];
    if (sugg.length) {
      el.appendChild(chipBox('suggest', noAnswer ? T.tryInstead :
        m.kind === 'smalltalk' ? T.ideas : T.further, sugg));
    }

    if (noAnswer && m.contact) el.appendChild(contactBox(m.contact, m.question, ''));
    if (m.kind !== 'smalltalk') el.appendChild(actions(m, el));
    return el;
  }

  // contactBox offers the team's contact: its page, opened with the
  // question, its address, with a message holding the question and the
  // passage the answer cited, and the built-in form (see contactForm).
  // Only http(s) pages ever become links.
  function contactBox(c, question, passage) {
    var box = div('contact');
    var line = para('contact-line', T.contactLead + ' ');
    box.appendChild(line);
    var page = webURL(c.url);
    if (page) {
      var u = new URL(page);
      if (question) u.searchParams.set('question', question);
      var a = document.createElement('a');
      a.href = u.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = T.contactTeam;
      a.appendChild(span('visually-hidden', ' (' + T.newTab + ')'));
      line.appendChild(a);
    }
    var mail = c.mail && /^[^\s@?&#]+@[^\s@?&#]+$/.test(c.mail);
    if (mail) {
      if (page) line.appendChild(document.createTextNode(' · '));
      var body = say('mailQuestion', { q: question || '' });
      if (passage) body += '\n\n' + say('mailPassage', { p: passage });
      var m = document.createElement('a');
      m.href = 'mailto:' + c.mail + '?subject=' + encodeURIComponent(T.mailSubject) + '&body=' + encodeURIComponent(body);
      m.textContent = page ? T.contactMail : T.contactTeam;
      line.appendChild(m);
    }
    if (c.form) {
      if (page || mail) line.appendChild(document.createTextNode(' · '));
      line.appendChild(contactOpener(box, c, page || mail ? T.formOpen : T.contactTeam));
    }
    return box;
  }

  function actions(m, msg) {
    var bar = div('actions');
    var offered = false; // the contact, once, under an answer rated down
    var copy = button('action', T.copy);
    copy.setAttribute('aria-label', T.copyAnswer);
    copy.addEventListener('click', function () {
      copyText(answerForCopy(m)).then(function () {
        copy.textContent = T.copied;
        setTimeout(function () { copy.textContent = T.copy; }, 1500);
      });
    });
    bar.appendChild(copy);
    var up = button('action thumb', '');
    up.appendChild(icon(THUMB, false));
    up.setAttribute('aria-label', T.useful);
    var down = button('action thumb', '');
    down.appendChild(icon(THUMB, true));
    down.setAttribute('aria-label', T.notUseful);
    // The visitor's last choice is sent once they stop changing their mind:
    // one message, not one a click (clicks past the socket's rate limit
    // would show « Vous allez un peu vite » in the conversation).
    var sent = '';
    var timer = 0;
    var key = 'r' + (++seq); // answers kept from another page may share m.id
    [up, down].forEach(function (b) {
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', function () {
        if (!socket || socket.readyState !== WebSocket.OPEN) return;
        var value = b === up ? 'up' : 'down';
        up.setAttribute('aria-pressed', String(b === up));
        down.setAttribute('aria-pressed', String(b === down));
        announce(T.thanks);
        if (value === 'down' && contact && !offered && msg && m.kind === 'answer') {
          offered = true;
          var cited = (m.citations && m.citations[0]) ? m.citations[0].text : '';
          msg.appendChild(contactBox(contact, m.question, cited));
          if (msg === log.lastElementChild) scrollDown();
        }
        clearTimeout(timer);
        unsent[key] = function () {
          clearTimeout(timer);
          delete unsent[key];
          if (value !== sent && transmit({ type: 'feedback', id: m.id, turn: m.turn, value: value })) sent = value;
        };
        timer = setTimeout(unsent[key], FEEDBACK_WAIT_MS);
      });
      bar.appendChild(b);
    });
    return bar;
  }

  // unsent holds the ratings still waiting for FEEDBACK_WAIT_MS, by answer:
  // a visitor leaving the page sends them at once.
  var unsent = {};
  window.addEventListener('pagehide', function () {
    Object.keys(unsent).forEach(function (id) { unsent[id](); });
  });

  function answerForCopy(m) {
    var out = m.answer || '';
    (m.citations || []).forEach(function (c, i) {
      out += '\n[' + (i + 1) + '] ' + c.title + (c.section ? ' — ' + c.section : '') + ', ' + say('copyParagraph', { n: c.paragraph }) + (webURL(c.url) ? ' ' + webURL(c.url) : '');
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

  // fillChips fills a list with buttons that ask questions: each item a
  // question, or a {label, q} choice that shows its label and asks its q.
  function fillChips(ul, items) {
    while (ul.firstChild) ul.firstChild.remove();
    items.forEach(function (it) {
      var q = typeof it === 'string' ? it : it.q;
      var li = document.createElement('li');
      var b = button('chip', typeof it === 'string' ? it : it.label);
      b.addEventListener('click', function () { ask(q, null); focusInput(); });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  // chipBox is a labelled list of chips (see fillChips) under an answer.
  function chipBox(cls, labelText, items) {
    var box = div(cls);
    var label = para('chips-label', labelText);
    label.id = 'sl' + (++seq);
    box.appendChild(label);
    var ul = document.createElement('ul');
    ul.className = 'chips';
    ul.setAttribute('aria-labelledby', label.id);
    fillChips(ul, items);
    box.appendChild(ul);
    return box;
  }

  // ---- contact form -----------------------------------------------------

  // CONTACT_MAX bounds a message, as POST /api/contact does
  // (maxContactMessageRunes in web/contact_form.go).
  var CONTACT_MAX = 2000;

  // contactOpener is the button that shows (and hides) the contact form
  // in box, made at the first click.
  function contactOpener(box, c, text) {
    var open = button('contact-open', text);
    open.setAttribute('aria-expanded', 'false');
    var form = null;
    open.addEventListener('click', function () {
      if (!form) {
        form = contactForm(c, open);
        box.appendChild(form);
        open.setAttribute('aria-controls', form.id);
      } else if (!form.hidden) {
        form.hidden = true;
        open.setAttribute('aria-expanded', 'false');
        return;
      }
      form.hidden = false;
      open.setAttribute('aria-expanded', 'true');
      form.querySelector('textarea').focus();
      if (box.closest('.msg') === log.lastElementChild) scrollDown();
    });
    return open;
  }

  // field is a labelled form control: a label, then the control.
  function field(wrap, tag, id, labelText) {
    var label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = labelText;
    var control = document.createElement(tag);
    control.id = id;
    wrap.appendChild(label);
    wrap.appendChild(control);
    return control;
  }

  // contactError is what to say of POST /api/contact's error answer res:
  // the server's own words on the French page, the page's label for its
  // code otherwise (the server speaks French only), formFailed when the
  // code is unknown.
  function contactError(res) {
    var text = root.lang === 'fr' ? res.message : T['formError.' + res.code];
    return text || T.formFailed;
  }

  // contactForm is the built-in form: a message, an address only for a
  // reply, what is kept and how long, a honeypot people never meet, and
  // the outcome in its place. open is the button that showed it.
  function contactForm(c, open) {
    var n = ++seq;
    var form = document.createElement('form');
    form.className = 'contact-form';
    form.id = 'contact-form-' + n;
    form.noValidate = true; // our own words, read out with the field
    form.setAttribute('aria-label', T.formTitle);
    var msg = field(form, 'textarea', 'cf-message-' + n, T.formMessage);
    msg.name = 'message';
    msg.rows = 4;
    msg.maxLength = CONTACT_MAX;
    msg.required = true;
    var email = field(form, 'input', 'cf-email-' + n, T.formEmail);
    email.type = 'email';
    email.name = 'email';
    email.autocomplete = 'email';
    var hint = para('contact-hint', T.formEmailHint);
    hint.id = 'cf-email-hint-' + n;
    form.appendChild(hint);
    // The honeypot: off screen, out of the tab order and of the
    // accessibility tree; bots that fill every field fill it.
    var trap = div('contact-trap');
    trap.setAttribute('aria-hidden', 'true');
    var website = field(trap, 'input', 'cf-website-' + n, T.formTrap);
    website.name = 'website';
    website.type = 'text';
    website.tabIndex = -1;
    website.autocomplete = 'off';
    form.appendChild(trap);
    var days = c.days || 30;
    var notice = para('contact-notice', days === 1 ? T.formNoticeOne : say('formNotice', { days: days }));
    notice.id = 'cf-notice-' + n;
    form.appendChild(notice);
    var sendButton = document.createElement('button');
    sendButton.type = 'submit';
    sendButton.className = 'contact-send';
    sendButton.textContent = T.formSend;
    form.appendChild(sendButton);
    var status = para('contact-status', '');
    status.id = 'cf-status-' + n;
    status.setAttribute('role', 'status');
    form.appendChild(status);
    msg.setAttribute('aria-describedby', notice.id + ' ' + status.id);
    email.setAttribute('aria-describedby', hint.id + ' ' + status.id);

    // problem shows what went wrong and takes the visitor to the field.
    function problem(text, at) {
      status.textContent = text;
      status.classList.add('failed');
      msg.removeAttribute('aria-invalid');
      email.removeAttribute('aria-invalid');
      if (at) {
        at.setAttribute('aria-invalid', 'true');
        at.focus();
      }
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (sendButton.disabled) return;
      if (!msg.value.trim()) {
        problem(T.formEmpty, msg);
        return;
      }
      sendButton.disabled = true;
      status.classList.remove('failed');
      status.textContent = T.formSending;
      var body = { message: msg.value, email: email.value.trim(), website: website.value, turns: conversationTurns() };
      fetch('/api/contact', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (res) { return { ok: r.ok, res: res }; });
      }).then(function (out) {
        sendButton.disabled = false;
        if (!out.ok) {
          problem(contactError(out.res), out.res.code === 'bad_email' ? email : msg);
          return;
        }
        // The form gives way to the confirmation, which takes the focus:
        // the one saying the team will reply when an address was given.
        var done = para('contact-done', body.email ? T.formSentReply : T.formSent);
        done.tabIndex = -1; // focused: read out at once
        form.replaceWith(done);
        open.hidden = true;
        done.focus();
      }, function () {
        sendButton.disabled = false;
        problem(T.formFailed, null);
      });
    });
    return form;
  }

  // conversationTurns are the server's ids of the answers on the page, the
  // conversation the team reads with the message (the server looks them up
  // in its log, never taking the page's word for what was said).
  function conversationTurns() {
    return Array.prototype.map.call(log.querySelectorAll('article.msg.bot[data-turn]'), function (el) {
      return el.dataset.turn;
    });
  }

  // ---- typing effect ----------------------------------------------------

  // fillAnswer writes the answer as text, its short answer (the words that
  // answer, when the answer holds them) in bold.
  function fillAnswer(el, text, short) {
    var at = short ? text.indexOf(short) : -1;
    el.textContent = '';
    if (at < 0) {
      el.textContent = text;
      return;
    }
    el.appendChild(document.createTextNode(text.slice(0, at)));
    var b = document.createElement('strong');
    b.className = 'short';
    b.textContent = short;
    el.appendChild(b);
    el.appendChild(document.createTextNode(text.slice(at + short.length)));
  }

  function typeInto(el, text, short, instant) {
    var words = text.split(/(\s+)/);
    if (instant || reduceMotion.matches || words.length < 4) {
      fillAnswer(el, text, short);
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
      fillAnswer(el, text, short);
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

  function openPanel(c, n, opener) {
    panelOpener = opener;
    $('panel-kicker').textContent = say('sourceKicker', { n: n, kind: T['kind.' + c.kind] || T['kind.other'] });
    var title = $('panel-title');
    while (title.firstChild) title.firstChild.remove();
    var url = webURL(c.url);
    if (url) {
      // The source opens where it lives; only http(s) ever becomes a link.
      var a = document.createElement('a');
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = c.title || c.doc;
      a.appendChild(span('visually-hidden', ' (' + T.openSource + ')'));
      title.appendChild(a);
    } else {
      title.textContent = c.title || c.doc;
    }
    var meta = [];
    if (c.section) meta.push(say('section', { s: c.section }));
    meta.push(say('paragraph', { n: c.paragraph }));
    meta.push(say('document', { s: c.doc }));
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

  // webURL is u when it is an absolute http(s) address, '' otherwise.
  function webURL(u) {
    if (typeof u !== 'string' || !u) return '';
    try {
      var parsed = new URL(u);
      return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : '';
    } catch (e) {
      return '';
    }
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
  // Escape closes the source; in the widget's panel with no source open,
  // it closes the panel (the host page gives the focus back to its launcher).
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    if (!panel.hidden) closePanel();
    else post({ type: 'close' });
  });

  // ---- input ------------------------------------------------------------

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (input.disabled) return;
    var text = input.value;
    if (!text.trim()) return;
    input.value = '';
    grow();
    ask(text, null);
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
    input.style.overflowY = input.scrollHeight > 200 ? 'auto' : 'hidden';
    checkLength();
  }
  input.addEventListener('input', grow);

  // checkLength tells the visitor when the question box is full: the
  // browser silently cuts what goes past maxlength (a long paste, say).
  var limitEl = $('limit');
  var full = false;
  function checkLength() {
    var now = input.maxLength > 0 && input.value.length >= input.maxLength;
    if (now === full) return;
    full = now;
    limitEl.textContent = full ? say('tooLong', { n: input.maxLength.toLocaleString(root.lang) }) : '';
    if (full) announce(limitEl.textContent);
  }

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

  // ---- embed mode: the widget's panel -----------------------------------

  // load returns the conversation kept in this tab for this host site:
  // items are {q: question} and {a: answer message}, in order.
  function load() {
    try {
      var k = JSON.parse(sessionStorage.getItem(storeKey()));
      if (k && Array.isArray(k.items)) return k;
    } catch (e) { /* nothing kept, or storage off */ }
    return { items: [], context: '' };
  }

  function storeKey() { return 'causette-embed:' + hostOrigin; }

  // keep adds an item to the kept conversation (embed mode only).
  function keep(item) {
    if (!kept) return;
    kept.items.push(item);
    kept.items = kept.items.slice(-KEPT_MAX);
    if (item.a && item.a.context) kept.context = item.a.context;
    try { sessionStorage.setItem(storeKey(), JSON.stringify(kept)); } catch (e) { /* full or off */ }
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

  // siteColour applies the host site's colour (?color=) to the accents.
  function siteColour(c) {
    if (!c || !window.CSS || !CSS.supports('color', c)) return;
    var probe = document.createElement('span');
    probe.style.color = c;
    document.body.appendChild(probe);
    var rgb = getComputedStyle(probe).color;
    probe.remove();
    root.style.setProperty('--accent', c);
    root.style.setProperty('--accent-text', ink(rgb));
    root.style.setProperty('--accent-soft', 'color-mix(in srgb, ' + c + ' 18%, var(--surface))');
    root.dataset.color = 'site';
  }

  if (embed) {
    siteColour(params.get('color'));
    if (greeting) $('greeting').textContent = greeting;
    if (starters.length) fillChips($('starters'), starters);
    lastContext = kept.context || '';
    kept.items.forEach(function (it) {
      if (it.q) showQuestion(it.q);
      if (it.a) log.appendChild(renderAnswer(it.a, true));
    });
    // A question a navigation left unanswered goes again.
    var last = kept.items[kept.items.length - 1];
    if (last && last.q) expect(last.q, null);
    scrollDown();
    window.addEventListener('message', function (e) {
      if (e.source !== window.parent || e.origin !== hostOrigin) return;
      var m = e.data;
      if (!m || m.causette !== 1) return;
      if (m.type === 'ask') ask(m.text, m.id || null);
      else if (m.type === 'focus') focusInput();
    });
  }

  connect();
  post({ type: 'ready' });
})();
