// connmgr console: live refresh of the #live fragment, lease countdowns, confirmations.
(function () {
  'use strict';

  var renderedAt = performance.now();

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

  function busy(live) {
    // keep the fragment still while the user is about to press one of its buttons
    var active = document.activeElement;
    return live.contains(active) && active !== document.body || live.querySelector('button:hover, a.button:hover') !== null;
  }

  function refresh(live) {
    if (document.hidden || busy(live)) { return; }
    // X-Requested-With keeps Spring Security from saving a fragment URL as the page to return to
    fetch(liveUrl(), {
      headers: { 'Accept': 'text/html', 'X-Requested-With': 'XMLHttpRequest' },
      credentials: 'same-origin',
      redirect: 'error'
    })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      })
      .then(function (html) {
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

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    startCountdowns(document);
    setInterval(tick, 250);
    var period = Number(document.body.dataset.refreshMs || 0);
    if (period > 0 && document.getElementById('live')) {
      setInterval(function () {
        var live = document.getElementById('live');
        if (live) { refresh(live); }
      }, period);
    }
  });
})();
