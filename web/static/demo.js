/* The demo page's buttons: the widget's JavaScript API at work. */
(function () {
  'use strict';
  function log(text) {
    var li = document.createElement('li');
    li.textContent = text;
    document.getElementById('events').appendChild(li);
  }
  function start() {
    var C = window.Causette;
    if (!C || !C.on) return setTimeout(start, 50);
    C.on('open', function () { log('open'); });
    C.on('close', function () { log('close'); });
    C.on('answer', function (a) {
      var n = (a.citations || []).length;
      log('answer : ' + a.kind + ' (' + n + (n > 1 ? ' citations)' : ' citation)'));
    });
    document.getElementById('demo-open').addEventListener('click', function () { C.open(); });
    document.getElementById('demo-close').addEventListener('click', function () { C.close(); });
    var askButton = document.getElementById('demo-ask');
    askButton.addEventListener('click', function () {
      C.ask(askButton.dataset.q).then(function (a) {
        log('ask → ' + a.answer);
      }, function (e) { log('ask → erreur : ' + e.message); });
    });
  }
  document.addEventListener('DOMContentLoaded', start);
})();
