/* Causette widget: one script tag adds a launcher button and a chat panel to
   any site. The launcher lives in a shadow root (the host's CSS cannot restyle
   it); the panel is an iframe of Causette's own /embed page (the host's CSS
   cannot reach it). No inline script, no eval, no cookies: the host's CSP
   needs only script-src and frame-src for Causette's origin.
   Guide: docs/widget.md. */
(function () {
  'use strict';
  if (window.Causette && window.Causette.version) return; // loaded twice

  // Captured now: document.currentScript is null once this run returns.
  var script = document.currentScript ||
    document.querySelector('script[src*="widget.js"]');
  if (!script || !script.src) return;
  var ORIGIN = new URL(script.src, location.href).origin;
  var KEY = 'causette-widget:open'; // host sessionStorage: open state
  var PHONE = '(max-width: 600px)';
  var SVG = 'http://www.w3.org/2000/svg';

  var LABELS = {
    fr: {
      open: 'Ouvrir le chat', close: 'Fermer le chat',
      title: 'Questions fréquentes', launcher: ' : ouvrir le chat'
    },
    en: {
      open: 'Open the chat', close: 'Close the chat',
      title: 'Frequently asked questions', launcher: ': open the chat'
    }
  };

  var d = script.dataset;
  var opts = {
    title: d.title, color: d.color, position: d.position,
    greeting: d.greeting, zIndex: d.zIndex, lang: d.lang,
    starters: d.starters ? d.starters.split('|') : [],
    open: d.open === '' || d.open === 'true'
  };

  var listeners = {};   // event name -> [fn]
  var asks = {};        // ask id -> {resolve, reject}
  var queue = [];       // messages for the panel before it is ready
  var seq = 0;
  var ready = false;
  var isOpen = false;
  var refusal = null;   // the panel's message when this site is not allowed
  var early = 0;        // open() called before mount: 1, with focus: 2
  var host, root, sheet, wrap, launcher, panel, frame;

  function L() { return LABELS[opts.lang] || LABELS.fr; }

  function emit(name, value) {
    (listeners[name] || []).slice().forEach(function (fn) {
      try { fn(value); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  function store(value) {
    try { sessionStorage.setItem(KEY, value); } catch (e) { /* storage off */ }
  }
  function stored() {
    try { return sessionStorage.getItem(KEY); } catch (e) { return null; }
  }

  // color returns a valid CSS colour from the options, or Causette's own.
  function color() {
    var c = String(opts.color || '');
    return window.CSS && CSS.supports('color', c) ? c : '#b4410f';
  }
  function zIndex() {
    var z = parseInt(opts.zIndex, 10);
    return isNaN(z) ? 1000 : z;
  }

  // ink picks black or white, whichever reads better on the computed rgb().
  function ink(rgb) {
    var m = String(rgb).match(/\d+(\.\d+)?/g) || [0, 0, 0];
    var lum = [0, 1, 2].map(function (i) {
      var v = m[i] / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var y = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return (y + 0.05) / 0.05 > 1.05 / (y + 0.05) ? '#111' : '#fff';
  }

  function css() {
    var side = opts.position === 'left' ? 'left' : 'right';
    return ':host{all:initial!important}' +
      '*{box-sizing:border-box}' +
      '.launcher{all:initial;position:fixed;bottom:20px;' + side + ':20px;' +
      'z-index:' + zIndex() + ';width:56px;height:56px;border-radius:50%;' +
      'background:' + color() + ';color:var(--ink,#fff);cursor:pointer;' +
      'display:flex;align-items:center;justify-content:center;' +
      'box-shadow:0 4px 14px rgba(0,0,0,.3);transition:transform .15s}' +
      '.launcher:hover{transform:scale(1.06)}' +
      // Focus ring: dark with a white halo, seen on any site and whatever
      // its colour (a ring of the site's colour vanishes when it is pale).
      '.launcher:focus-visible{outline:3px solid #111;outline-offset:3px;' +
      'box-shadow:0 0 0 3px #fff,0 4px 14px rgba(0,0,0,.3)}' +
      '.launcher svg{width:28px;height:28px;fill:none;stroke:currentColor;' +
      'stroke-width:2;stroke-linecap:round;stroke-linejoin:round}' +
      '.panel{position:fixed;bottom:88px;' + side + ':20px;z-index:' + zIndex() + ';' +
      'width:min(400px,calc(100vw - 40px));height:min(640px,calc(100vh - 108px));' +
      'border-radius:16px;overflow:hidden;background:#fff;' +
      'box-shadow:0 8px 32px rgba(0,0,0,.28)}' +
      '.panel[hidden]{display:none}' +
      'iframe{all:initial;display:block;width:100%;height:100%;border:0}' +
      '@media ' + PHONE + '{.panel{top:0;left:0;right:0;bottom:auto;' +
      'width:100%;height:var(--vvh,100%);border-radius:0}' +
      '.open .launcher{display:none}}' +
      '@media (prefers-reduced-motion:reduce){.launcher{transition:none}}';
  }

  function icon(paths) {
    var s = document.createElementNS(SVG, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    paths.forEach(function (p) {
      var e = document.createElementNS(SVG, 'path');
      e.setAttribute('d', p);
      s.appendChild(e);
    });
    return s;
  }
  var CHAT = ['M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z'];
  var CROSS = ['M6 6l12 12', 'M18 6L6 18'];

  // style applies the options to the shadow root (constructed style sheets
  // are not inline styles: a strict style-src does not block them).
  function style() {
    if (!root) return;
    if (sheet) sheet.replaceSync(css());
    else root.querySelector('style').textContent = css();
    launcher.style.setProperty('--ink', ink(getComputedStyle(launcher).backgroundColor));
    label();
  }

  function label() {
    var title = opts.title || L().title;
    launcher.setAttribute('aria-label', isOpen ? L().close : title + L().launcher);
    launcher.setAttribute('aria-expanded', String(isOpen));
    launcher.replaceChildren(icon(isOpen ? CROSS : CHAT));
    if (frame) frame.title = title;
    panel.setAttribute('aria-label', title);
  }

  function mount() {
    host = document.createElement('causette-widget');
    root = host.attachShadow({ mode: 'open' });
    try {
      sheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      sheet = null;
      root.appendChild(document.createElement('style'));
    }
    wrap = document.createElement('div');
    launcher = document.createElement('button');
    launcher.type = 'button';
    launcher.className = 'launcher';
    launcher.setAttribute('aria-controls', 'causette-panel');
    launcher.addEventListener('click', function () {
      if (isOpen) close(); else open(true);
    });
    panel = document.createElement('div');
    panel.id = 'causette-panel';
    panel.className = 'panel';
    panel.setAttribute('role', 'dialog');
    panel.hidden = true;
    wrap.append(panel, launcher);
    root.appendChild(wrap);
    root.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && isOpen) { e.stopPropagation(); close(); }
    });
    document.body.appendChild(host);
    style();
    if (window.visualViewport) {
      visualViewport.addEventListener('resize', fit);
      visualViewport.addEventListener('scroll', fit);
    }
    var was = stored();
    if (early || was === '1' || (was === null && opts.open)) open(early === 2);
  }

  // fit keeps the phone panel inside the visual viewport, above the keyboard.
  function fit() {
    var vv = window.visualViewport;
    if (!panel || !vv) return;
    if (isOpen && matchMedia(PHONE).matches) {
      panel.style.setProperty('--vvh', vv.height + 'px');
      panel.style.top = vv.offsetTop + 'px';
    } else {
      panel.style.removeProperty('--vvh');
      panel.style.top = '';
    }
  }

  function embedURL() {
    var u = new URL('/embed', ORIGIN);
    var q = u.searchParams;
    q.set('origin', location.origin);
    if (opts.title) q.set('title', opts.title);
    if (opts.greeting) q.set('greeting', opts.greeting);
    if (opts.color) q.set('color', color());
    if (opts.lang) q.set('lang', opts.lang);
    opts.starters.forEach(function (s) {
      s = String(s).trim();
      if (s) q.append('starter', s);
    });
    return u.href;
  }

  function send(msg) {
    msg.causette = 1;
    if (ready) frame.contentWindow.postMessage(msg, ORIGIN);
    else queue.push(msg);
  }

  function open(focus) {
    if (!host) { early = focus ? 2 : 1; return; }
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = embedURL();
      frame.setAttribute('allow', 'clipboard-write');
      // The panel may run its scripts, keep its storage and submit its
      // form; it may not navigate or open windows on the host page.
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
      panel.appendChild(frame);
    }
    var was = isOpen;
    isOpen = true;
    panel.hidden = false;
    wrap.className = 'open';
    label();
    fit();
    store('1');
    if (focus) {
      frame.focus();
      send({ type: 'focus' });
    }
    if (!was) emit('open');
  }

  function close() {
    if (!host) { early = 0; return; }
    if (!isOpen) return;
    // Focus goes back to the launcher only if it was in the widget.
    var inside = document.activeElement === host;
    isOpen = false;
    panel.hidden = true;
    wrap.className = '';
    label();
    fit();
    store('0');
    if (inside) launcher.focus();
    emit('close');
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== ORIGIN || !frame || e.source !== frame.contentWindow) return;
    var m = e.data;
    if (!m || m.causette !== 1) return;
    var a = asks[m.id];
    switch (m.type) {
      case 'ready':
        ready = true;
        queue.splice(0).forEach(send);
        break;
      case 'answer':
        if (a) { delete asks[m.id]; a.resolve(m.answer); }
        emit('answer', m.answer);
        break;
      case 'error':
        if (a) { delete asks[m.id]; a.reject(new Error(m.message)); }
        break;
      case 'denied':
        refusal = String(m.message);
        Object.keys(asks).forEach(function (id) {
          asks[id].reject(new Error(refusal));
          delete asks[id];
        });
        if (window.console) console.warn('Causette: ' + refusal);
        break;
      case 'close':
        close();
        break;
    }
  });

  var api = {
    version: 1,
    open: function () { open(true); },
    close: close,
    // ask opens the panel, asks text there and resolves with the answer in
    // the shared shape (kind, answer, confidence, citations, suggestions).
    ask: function (text) {
      return new Promise(function (resolve, reject) {
        var id = 'w' + (++seq);
        open(false);
        if (refusal) return reject(new Error(refusal));
        asks[id] = { resolve: resolve, reject: reject };
        send({ type: 'ask', id: id, text: String(text) });
      });
    },
    on: function (name, fn) {
      (listeners[name] = listeners[name] || []).push(fn);
      return function () { api.off(name, fn); };
    },
    off: function (name, fn) {
      listeners[name] = (listeners[name] || []).filter(function (f) { return f !== fn; });
    },
    // configure changes options; the panel picks up new ones when created.
    configure: function (o) {
      for (var k in o) if (Object.prototype.hasOwnProperty.call(opts, k)) opts[k] = o[k];
      if (!Array.isArray(opts.starters)) opts.starters = [];
      style();
    }
  };

  // Calls queued before the script loaded: window.Causette = [['open'], ...].
  var calls = Array.isArray(window.Causette) ? window.Causette : [];
  window.Causette = api;

  function start() {
    mount();
    calls.forEach(function (c) {
      if (c && typeof api[c[0]] === 'function') api[c[0]].apply(api, c.slice(1));
    });
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
