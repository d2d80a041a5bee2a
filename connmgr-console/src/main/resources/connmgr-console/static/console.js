// connmgr console: live refresh of the #live fragment (with pause and resume), lease countdowns,
// in-page confirmations, and a banner when the session has ended.
(function () {
  'use strict';

  var renderedAt = performance.now();
  var pausedByUser = false;
  var confirming = false;
  var signedOut = false;
  var leaving = false; // a form was sent: no more fetches, they could take its flash message
  var inFlight = null;
  var ACTIONS = 'button, a.button, td.actions, form.inline';

  function startCountdowns(root) {
    renderedAt = performance.now();
    root.querySelectorAll('.countdown[data-left-ms]').forEach(function (el) {
      el.dataset.leftAtRender = el.dataset.leftMs;
    });
  }

  function format(ms) {
    if (ms <= 0) { return 'elapsed'; }
    if (ms < 1000) { return Math.round(ms) + ' ms'; }
    if (ms < 60000) { return (ms / 1000).toFixed(1) + ' s'; }
    var s = Math.floor(ms / 1000);
    return Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
  }

  function tick() {
    var elapsed = performance.now() - renderedAt;
    document.querySelectorAll('.countdown[data-left-at-render]').forEach(function (el) {
      var left = Number(el.dataset.leftAtRender) - elapsed;
      el.textContent = format(left);
      el.classList.toggle('elapsed', left <= 0);
    });
  }

  function liveUrl() {
    var url = new URL(window.location.href);
    url.searchParams.set('live', '1');
    return url.toString();
  }

  // Why the list holds still now: empty when it refreshes.
  function pauseReason() {
    if (signedOut) { return 'signed out'; }
    if (leaving) { return 'sending'; }
    if (pausedByUser) { return 'paused'; }
    if (confirming) { return 'paused while you confirm'; }
    var live = document.getElementById('live');
    if (!live) { return ''; }
    if (live.querySelector(ACTIONS.split(', ').map(function (s) { return s + ':hover'; }).join(', '))) {
      return 'paused while the pointer is on an action';
    }
    var active = document.activeElement;
    if (active && active !== document.body && live.contains(active)) {
      return 'paused while an action has the focus';
    }
    return '';
  }

  function showState() {
    var reason = pauseReason();
    document.body.dataset.live = reason ? 'paused' : 'on';
    document.body.dataset.pauseReason = reason;
    var state = document.getElementById('live-state');
    var toggle = document.getElementById('live-toggle');
    if (state) { state.textContent = reason || 'live'; }
    if (toggle) {
      toggle.textContent = pausedByUser ? 'Resume' : 'Pause';
      toggle.disabled = signedOut;
    }
  }

  function sessionLost() {
    signedOut = true;
    var banner = document.getElementById('session-lost');
    if (banner) { banner.hidden = false; }
    document.body.classList.add('signed-out');
    showState();
  }

  function refresh(live) {
    if (document.hidden || pauseReason()) { showState(); return; }
    // X-Requested-With keeps Spring Security from saving a fragment URL as the page to return to;
    // a redirect (to a login page) or a 401 means the session has ended
    inFlight = typeof AbortController === 'function' ? new AbortController() : null;
    fetch(liveUrl(), {
      headers: { 'Accept': 'text/html', 'X-Requested-With': 'XMLHttpRequest' },
      credentials: 'same-origin',
      redirect: 'manual',
      signal: inFlight ? inFlight.signal : undefined
    })
      .then(function (r) {
        if (r.type === 'opaqueredirect' || r.status === 401) {
          sessionLost();
          return null;
        }
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      })
      .then(function (html) {
        if (html === null || pauseReason()) { return; } // paused while the fetch ran: keep still
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('live');
        if (fresh) {
          live.replaceWith(fresh);
          startCountdowns(fresh);
          document.body.dataset.refreshedAt = String(Date.now());
          document.body.classList.remove('stale');
        } else {
          document.body.classList.add('stale');
        }
      })
      .catch(function () { document.body.classList.add('stale'); });
  }

  function confirmThen(form) {
    var dialog = document.getElementById('confirm-dialog');
    if (!dialog || typeof dialog.showModal !== 'function') {
      if (window.confirm(form.dataset.confirm)) { form.submit(); }
      return;
    }
    document.getElementById('confirm-message').textContent = form.dataset.confirm;
    confirming = true;
    showState();
    dialog.returnValue = '';
    dialog.addEventListener('close', function onClose() {
      dialog.removeEventListener('close', onClose);
      confirming = false;
      if (dialog.returnValue === 'yes') {
        leave();
        form.submit();
      } else if (document.activeElement) {
        document.activeElement.blur(); // cancelled: the list may move again
      }
      showState();
    });
    dialog.showModal();
  }

  function leave() {
    leaving = true;
    if (inFlight) { inFlight.abort(); }
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.method === 'dialog') { return; }
    if (form.dataset && form.dataset.confirm) {
      e.preventDefault();
      confirmThen(form);
    } else {
      leave();
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    startCountdowns(document);
    setInterval(tick, 250);
    var period = Number(document.body.dataset.refreshMs || 0);
    if (period > 0 && document.getElementById('live')) {
      var control = document.getElementById('live-control');
      if (control) { control.hidden = false; }
      var toggle = document.getElementById('live-toggle');
      if (toggle) {
        toggle.addEventListener('click', function () {
          pausedByUser = !pausedByUser;
          showState();
        });
      }
      ['mouseover', 'mouseout', 'focusin', 'focusout'].forEach(function (type) {
        document.addEventListener(type, function () { setTimeout(showState, 0); });
      });
      showState();
      setInterval(function () {
        var live = document.getElementById('live');
        if (live) { refresh(live); }
      }, period);
    }
  });
})();
