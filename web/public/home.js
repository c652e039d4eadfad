/* global document, window, EventSource, XMLHttpRequest, setTimeout */
// Live counters on the home page: the numbers are in the page already; this only keeps them current.
(function () {
  'use strict';
  var root = document.getElementById('counters');
  if (!root || !window.EventSource) return;
  var format = window.Intl ? new Intl.NumberFormat(root.getAttribute('data-locale') || undefined) : null;
  var live = root.querySelector('[data-live]');
  function show(text) {
    var data;
    try { data = JSON.parse(text); } catch { return; }
    var fields = root.querySelectorAll('[data-field]');
    for (var i = 0; i < fields.length; i++) {
      var path = fields[i].getAttribute('data-field').split('.');
      var value = data[path[0]] && data[path[0]][path[1]];
      if (typeof value === 'number') fields[i].textContent = format ? format.format(value) : String(value);
    }
    if (live) live.hidden = false;
  }
  // When the server (or this address) holds all the streams it may (503) the browser gives up on
  // the stream: the numbers then come from the plain JSON counters, at once and once a minute.
  function poll() {
    var request = new XMLHttpRequest();
    request.open('GET', '/api/public/counters');
    request.onload = function () { if (request.status === 200) show(request.responseText); };
    request.send();
    setTimeout(poll, 60000);
  }
  var source = new EventSource(root.getAttribute('data-stream'));
  source.addEventListener('counters', function (event) { show(event.data); });
  source.onerror = function () {
    if (live) live.hidden = true;
    if (source.readyState === 2) poll();
  };
})();
