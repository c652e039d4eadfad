/* global document, window, EventSource */
// Live counters on the home page: the numbers are in the page already; this only keeps them current.
(function () {
  'use strict';
  var root = document.getElementById('counters');
  if (!root || !window.EventSource) return;
  var format = window.Intl ? new Intl.NumberFormat(root.getAttribute('data-locale') || undefined) : null;
  var live = root.querySelector('[data-live]');
  var source = new EventSource(root.getAttribute('data-stream'));
  source.addEventListener('counters', function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch { return; }
    var fields = root.querySelectorAll('[data-field]');
    for (var i = 0; i < fields.length; i++) {
      var path = fields[i].getAttribute('data-field').split('.');
      var value = data[path[0]] && data[path[0]][path[1]];
      if (typeof value === 'number') fields[i].textContent = format ? format.format(value) : String(value);
    }
    if (live) live.hidden = false;
  });
  source.onerror = function () { if (live) live.hidden = true; };
})();
