/* global document, window, XMLHttpRequest, TextEncoder, crypto, fetch */
// The statement form, improved when JavaScript runs: pseudonym suggestions, a cascading region
// picker, and the proof-of-work solved before sending. Without this file the form still works.
(function () {
  'use strict';
  var form = document.querySelector('form.statement-form');
  if (!form) return;
  document.documentElement.className += ' js';
  var nameInput = form.elements.namedItem('name');

  // Pseudonyms: the offered names become clickable; "suggest another" picks one of them at random.
  var chips = form.querySelectorAll('.chip[data-name]');
  function useName(name) { nameInput.value = name; var p = form.querySelector('input[name=nameKind][value=pseudonym]'); if (p) p.checked = true; }
  for (var i = 0; i < chips.length; i++) {
    chips[i].setAttribute('role', 'button');
    chips[i].tabIndex = 0;
    chips[i].addEventListener('click', function () { useName(this.getAttribute('data-name')); });
    chips[i].addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); useName(this.getAttribute('data-name')); } });
  }
  var suggest = form.querySelector('[data-suggest]');
  if (suggest && chips.length) {
    suggest.hidden = false;
    suggest.addEventListener('click', function () {
      var current = nameInput.value, pick;
      do { pick = chips[Math.floor(Math.random() * chips.length)].getAttribute('data-name'); } while (chips.length > 1 && pick === current);
      useName(pick);
    });
  }

  // Region picker: province -> prefecture -> county, from a cached JSON tree of [code, name, children].
  var province = form.elements.namedItem('province');
  var prefecture = form.elements.namedItem('prefecture');
  var county = form.elements.namedItem('county');
  var countyBox = form.querySelector('[data-county]');
  var tree = null;
  // The "show counties" button serves browsers without script; once the tree is here the lists follow each choice.
  var step = form.querySelector('[data-step]');
  function fill(select, nodes, keep) {
    var first = select.options[0];
    select.textContent = '';
    select.appendChild(first);
    for (var i = 0; i < nodes.length; i++) {
      var o = document.createElement('option');
      o.value = nodes[i][0];
      o.textContent = nodes[i][1];
      if (nodes[i][0] === keep) o.selected = true;
      select.appendChild(o);
    }
  }
  function find(nodes, code) { for (var i = 0; i < (nodes || []).length; i++) if (nodes[i][0] === code) return nodes[i]; return null; }
  function update() {
    if (!tree) return;
    var p = find(tree, province.value);
    fill(prefecture, p && p[2] ? p[2] : [], prefecture.value);
    prefecture.disabled = !p;
    var c = p ? find(p[2], prefecture.value) : null;
    fill(county, c && c[2] ? c[2] : [], county.value);
    countyBox.hidden = !(c && c[2] && c[2].length);
  }
  var request = new XMLHttpRequest();
  request.open('GET', form.getAttribute('data-regions'));
  request.onload = function () {
    if (request.status !== 200) return;
    try { tree = JSON.parse(request.responseText); } catch { return; }
    if (step) step.hidden = true;
    update();
  };
  request.send();
  province.addEventListener('change', function () { prefecture.value = ''; county.value = ''; update(); });
  prefecture.addEventListener('change', function () { county.value = ''; update(); });

  // Proof of work: find a nonce so that sha256(challenge + ":" + nonce) starts with `difficulty` zero bits.
  function leadingZeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      for (var b = 7; b >= 0 && !(bytes[i] >> b & 1); b--) bits++;
      break;
    }
    return bits;
  }
  function solve(challenge, difficulty) {
    var encoder = new TextEncoder();
    var nonce = 0;
    function step() {
      var batch = [];
      for (var k = 0; k < 64; k++, nonce++) batch.push(crypto.subtle.digest('SHA-256', encoder.encode(challenge + ':' + nonce)));
      var base = nonce - 64;
      return Promise.all(batch).then(function (hashes) {
        for (var j = 0; j < hashes.length; j++) if (leadingZeroBits(new Uint8Array(hashes[j])) >= difficulty) return String(base + j);
        return step();
      });
    }
    return step();
  }
  var sending = false;
  var button = form.querySelector('button[type=submit]:not([name])');
  var label = button.textContent;
  // Back from the receipt page, the browser may show this page as it was left: ready to send again.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    sending = false;
    button.disabled = false;
    button.textContent = label;
  });
  form.addEventListener('submit', function (event) {
    if (sending) { event.preventDefault(); return; } // a second click while the first is on its way
    if (event.submitter && event.submitter.name === 'step') return; // the region step stores nothing
    if (!window.crypto || !crypto.subtle || !window.fetch || !window.TextEncoder) return; // the form token path still works
    event.preventDefault();
    sending = true;
    button.disabled = true;
    button.textContent = form.getAttribute('data-working');
    fetch('/api/public/pow', { headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('pow'); return r.json(); })
      .then(function (pow) {
        return solve(pow.challenge, pow.difficulty).then(function (nonce) {
          form.elements.namedItem('powChallenge').value = pow.challenge;
          form.elements.namedItem('powNonce').value = nonce;
        });
      })
      .catch(function () { /* send without it; the server then relies on the form token */ })
      .then(function () { form.submit(); });
  });
})();
