/* Page images beside the text (xslt/html/facsimile.xsl): OpenSeadragon in the aside, showing
   the page whose page break (a.facs-pb) the reader has scrolled past; zones linked both ways
   with the text that points to them (.facs-link). Without OpenSeadragon (not installed) the
   aside keeps its links per page and marks the current one. */
(function () {
  'use strict';
  var aside = document.getElementById('facsimile');
  if (!aside) return;
  var items = Array.prototype.slice.call(aside.querySelectorAll('.facs-pages > li[data-surface]'));
  var byId = {};
  items.forEach(function (li) { byId[li.dataset.surface] = li; });
  var markers = Array.prototype.slice.call(document.querySelectorAll('a.facs-pb[data-surface]'));
  var stage = aside.querySelector('.facs-stage');
  var OSD = window.OpenSeadragon;
  /* the interface's words, as the page carries them (edition.js reads the same) */
  var MSG = {};
  try { MSG = JSON.parse(document.getElementById('edition-messages').getAttribute('data-messages')) || {}; } catch (e) { MSG = {}; }
  function msg(key) { return MSG[key] === undefined ? key : String(MSG[key]); }
  var viewer = null;
  var current = null;
  var pending = null; // a zone to highlight once its page is open

  function tileSource(li) {
    var d = li.dataset;
    if (d.kind === 'tiles') {
      return { '@context': 'http://iiif.io/api/image/3/context.json', id: new URL(d.src, location.href).href,
        type: 'ImageService3', protocol: 'http://iiif.io/api/image', profile: 'level0',
        width: +d.imageWidth, height: +d.imageHeight,
        tiles: [{ width: +d.tile, scaleFactors: d.scales.split(' ').map(Number) }] };
    }
    if (d.kind === 'iiif') return d.src + '/info.json';
    return { type: 'image', url: d.src };
  }

  function zoneRect(li, z) {
    var w = +li.dataset.width || 1, x0 = +li.dataset.x || 0, y0 = +li.dataset.y || 0;
    return new OSD.Rect((+z.dataset.x - x0) / w, (+z.dataset.y - y0) / w, +z.dataset.w / w, +z.dataset.h / w);
  }

  function addZones(li) {
    Array.prototype.forEach.call(li.querySelectorAll('.facs-zone-data'), function (z) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'facs-zone';
      b.dataset.zone = z.dataset.zone;
      b.setAttribute('aria-label', msg('facs-zone'));
      b.addEventListener('click', function () { toText(z.dataset.zone); });
      viewer.addOverlay({ element: b, location: zoneRect(li, z) });
    });
    if (pending) { highlight(pending, true); pending = null; }
  }

  function show(id) {
    var li = byId[id];
    if (!li || id === current) return;
    current = id;
    aside.dataset.current = id;
    items.forEach(function (x) {
      x.classList.toggle('current', x === li);
      if (x === li) x.setAttribute('aria-current', 'page'); else x.removeAttribute('aria-current');
    });
    if (viewer) {
      viewer.clearOverlays();
      viewer.open(tileSource(li));
    }
  }

  function highlight(zone, on) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-zone="' + CSS.escape(zone) + '"]'), function (el) {
      if (el.classList.contains('facs-zone') || el.classList.contains('facs-link')) el.classList.toggle('active', on);
    });
  }

  function toText(zone) {
    var t = document.querySelector('.facs-link[data-zone="' + CSS.escape(zone) + '"]');
    if (!t) return;
    t.scrollIntoView({ block: 'center' });
    t.focus({ preventScroll: true });
  }

  // the page of the last page break above the upper third of the window
  function follow() {
    var line = window.innerHeight * 0.35, id = null;
    for (var i = 0; i < markers.length; i++) {
      if (markers[i].getBoundingClientRect().top <= line) id = markers[i].dataset.surface; else break;
    }
    show(id || (markers[0] && markers[0].dataset.surface) || items[0].dataset.surface);
  }

  if (OSD && stage && aside.dataset.viewer) {
    stage.hidden = false;
    aside.classList.add('has-viewer');
    markers.forEach(function (m) { m.tabIndex = -1; m.setAttribute('aria-hidden', 'true'); });
    /* OpenSeadragon's own button titles, in the edition's language */
    if (OSD.setString) {
      [['Tooltips.ZoomIn', 'osd-zoom-in'], ['Tooltips.ZoomOut', 'osd-zoom-out'], ['Tooltips.Home', 'osd-home'],
       ['Tooltips.FullPage', 'osd-full-page']].forEach(function (s) { OSD.setString(s[0], msg(s[1])); });
    }
    viewer = OSD({ element: stage, prefixUrl: aside.dataset.viewer + 'images/', showNavigator: false,
      crossOriginPolicy: false, gestureSettingsMouse: { clickToZoom: false }, visibilityRatio: 0.5 });
    aside.osd = viewer; // (the tests read it)
    viewer.addHandler('open', function () {
      var li = byId[current];
      aside.dataset.shown = current;
      if (li) addZones(li);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('.facs-link[data-zone]'), function (el) {
    var on = function () {
      if (el.dataset.surface !== current) { pending = el.dataset.zone; show(el.dataset.surface); }
      highlight(el.dataset.zone, true);
    };
    var off = function () { highlight(el.dataset.zone, false); };
    el.addEventListener('mouseenter', on);
    el.addEventListener('focus', on);
    el.addEventListener('mouseleave', off);
    el.addEventListener('blur', off);
  });
  var ticking = false;
  window.addEventListener('scroll', function () {
    if (ticking) return;
    ticking = true;
    window.requestAnimationFrame(function () { ticking = false; follow(); });
  }, { passive: true });
  follow();
})();
