// venuekiosk gallery viewer: full screen, swipe to move, pinch or double-tap to zoom.
// The page works without it (every thumbnail links to its screen copy); this only improves it.
(function () {
  'use strict';
  var main = document.getElementById('gallery');
  if (!main) return;
  var links = Array.prototype.slice.call(main.querySelectorAll('.grid a'));
  if (!links.length) return;
  var download = main.getAttribute('data-download') === '1';
  var labelDownload = main.getAttribute('data-label-download') || 'Download';
  var viewer = null, img = null, count = null, save = null, index = 0;
  var scale = 1, dx = 0, dy = 0, start = null, pinch = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function apply() { img.style.transform = 'translate(' + dx + 'px,' + dy + 'px) scale(' + scale + ')'; }
  // from: 1 when moving forward (the next photo slides in from the right), -1 backward, 0 none.
  function show(i, from) {
    index = (i + links.length) % links.length;
    var a = links[index];
    scale = 1; dy = 0;
    if (from) {
      img.style.transition = 'none';
      dx = from * window.innerWidth / 4; apply();
      void img.offsetWidth;  // commit the start position, so the slide below animates from it
      img.style.transition = '';
    }
    dx = 0; apply();
    img.src = a.getAttribute('href');
    count.textContent = (index + 1) + ' / ' + links.length;
    if (save) save.setAttribute('href', a.getAttribute('data-o'));
    var next = links[(index + 1) % links.length];
    (new Image()).src = next.getAttribute('href');
  }
  function close() {
    if (!viewer) return;
    document.body.removeChild(viewer);
    viewer = null;
    if (history.state && history.state.viewer) history.back();
  }
  function open(i) {
    viewer = el('div', 'viewer');
    viewer.setAttribute('role', 'dialog');
    var bar = el('div', 'bar');
    var shut = el('button', 'close', '\u00d7');
    shut.setAttribute('aria-label', 'Close');
    shut.addEventListener('click', close);
    count = el('span', 'count');
    bar.appendChild(shut);
    bar.appendChild(count);
    if (download) {
      save = el('a', 'download', labelDownload);
      save.setAttribute('download', '');
      bar.appendChild(save);
    } else {
      save = null;
    }
    img = el('img');
    img.alt = '';
    viewer.appendChild(img);
    viewer.appendChild(bar);
    viewer.addEventListener('touchstart', onStart, {passive: false});
    viewer.addEventListener('touchmove', onMove, {passive: false});
    viewer.addEventListener('touchend', onEnd);
    viewer.addEventListener('dblclick', function () { scale = scale > 1 ? 1 : 2.5; dx = 0; dy = 0; apply(); });
    img.addEventListener('click', function (e) {
      if (scale > 1) return;
      var x = e.clientX / window.innerWidth;
      if (x < 0.3) show(index - 1, -1); else if (x > 0.7) show(index + 1, 1);
    });
    document.body.appendChild(viewer);
    history.pushState({viewer: true}, '');
    show(i, 0);
  }
  function distance(t) { return Math.hypot(t[0].clientX - t[1].clientX, t[0].clientY - t[1].clientY); }
  function onStart(e) {
    if (e.touches.length === 2) {
      pinch = {d: distance(e.touches), s: scale};
    } else if (e.touches.length === 1) {
      start = {x: e.touches[0].clientX, y: e.touches[0].clientY, dx: dx, dy: dy};
    }
  }
  function onMove(e) {
    e.preventDefault();
    if (pinch && e.touches.length === 2) {
      scale = Math.min(5, Math.max(1, pinch.s * distance(e.touches) / pinch.d));
      apply();
    } else if (start && e.touches.length === 1) {
      dx = start.dx + e.touches[0].clientX - start.x;
      dy = scale > 1 ? start.dy + e.touches[0].clientY - start.y : 0;
      apply();
    }
  }
  function onEnd(e) {
    if (pinch && e.touches.length < 2) { pinch = null; if (scale <= 1.05) { scale = 1; dx = 0; dy = 0; apply(); } return; }
    if (!start || scale > 1) { start = null; return; }
    var moved = dx - start.dx;
    start = null;
    if (moved < -50) show(index + 1, 1); else if (moved > 50) show(index - 1, -1); else { dx = 0; apply(); }
  }
  document.addEventListener('keydown', function (e) {
    if (!viewer) return;
    if (e.key === 'ArrowRight') show(index + 1, 1);
    else if (e.key === 'ArrowLeft') show(index - 1, -1);
    else if (e.key === 'Escape') close();
  });
  window.addEventListener('popstate', function () { if (viewer) { document.body.removeChild(viewer); viewer = null; } });
  links.forEach(function (a, i) {
    a.addEventListener('click', function (e) { e.preventDefault(); open(i); });
  });
})();
