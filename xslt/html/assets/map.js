/* The map of a large edition (#18: map.xsl draws it above mapdata.INLINE_PLACES places; the map
   page alone loads this script). The page shows an overview, the places grouped by cells of the
   plot; choosing a group zooms in (four times, around it), "Zoom out" goes back a step, "Whole
   map" to the start. The places of the part shown come from the data files (assets/places.js,
   places-2.js …, each a square of the plot: the page names their bounding boxes), loaded when
   first needed, and are grouped again, no two groups nearer than CELL_PX screen pixels, so that
   whatever the number of places at most a few hundred shapes are drawn. A group whose places
   all lie at one point lists them instead. No markup from data is parsed: names go in through
   textContent. */
(function () {
  "use strict";
  var fig = document.querySelector("figure.map-large");
  if (!fig) return;
  var NS = "http://www.w3.org/2000/svg";
  var CELL_PX = 44, ZOOM = 4, LIST_MAX = 200, SETTLE_MS = 200;

  /* the words: the figure carries them (map.xsl: the map.* keys of toolkit/messages, with the
     plural forms of the page's language), not every page */
  var MSG = {};
  try { MSG = JSON.parse(fig.getAttribute("data-messages")) || {}; } catch (e) { MSG = {}; }
  var text = function (key, params) {
    var t = MSG[key] === undefined ? key : String(MSG[key]);
    return params ? t.replace(/\{([a-z][a-z0-9_-]*)\}/g, function (m, k) { return k in params ? String(params[k]) : m; }) : t;
  };
  var plurals = null;
  try { plurals = new Intl.PluralRules(document.documentElement.lang || "en"); } catch (e) { plurals = null; }
  var textN = function (key, n) {
    var cat = plurals ? plurals.select(n) : (n === 1 ? "one" : "other");
    var found = [cat, "other", "many", "one"].filter(function (c) { return MSG[key + "." + c] !== undefined; })[0];
    return text(found ? key + "." + found : key, { n: n });
  };

  var conf;
  try { conf = JSON.parse(fig.getAttribute("data-map")); } catch (e) { return; }
  var root = fig.getAttribute("data-root") || "";
  var lat0 = conf.frame[0], lat1 = conf.frame[1], lon0 = conf.frame[2], lon1 = conf.frame[3];
  var W = conf.frame[4], H = conf.frame[5];
  var svg = fig.querySelector("svg");
  var overview = svg.querySelector(".map-overview");
  var layer = document.createElementNS(NS, "g");
  layer.setAttribute("class", "map-zoomed");
  svg.appendChild(layer);
  var hoverLabel = document.createElementNS(NS, "text");
  hoverLabel.setAttribute("class", "map-label map-label-hover");
  hoverLabel.setAttribute("aria-hidden", "true");
  hoverLabel.setAttribute("hidden", "");
  svg.appendChild(hoverLabel);

  /* the controls: back to the whole map, a status line, the list of the places at one point */
  var bar = document.createElement("div");
  bar.className = "map-controls";
  var whole = document.createElement("button");
  whole.type = "button";
  whole.textContent = text("whole");
  whole.hidden = true;
  var out = document.createElement("button");
  out.type = "button";
  out.textContent = text("zoom-out");
  out.hidden = true;
  var status = document.createElement("span");
  status.className = "map-status";
  status.setAttribute("role", "status");
  bar.appendChild(out);
  bar.appendChild(whole);
  bar.appendChild(status);
  fig.insertBefore(bar, svg);
  var here = document.createElement("div");
  here.className = "map-here";
  here.hidden = true;
  fig.appendChild(here);

  /* the data files: each script adds its rows to window.EDITION_PLACES[k] (scripts, not fetch,
     so that the site works from file: too) */
  var rows = {}, loading = {};
  var project = function (r) {
    return { name: r[0], page: r[1], anchor: r[2], lat: r[3], long: r[4],
             x: (r[4] - lon0) / (lon1 - lon0) * W, y: (lat1 - r[3]) / (lat1 - lat0) * H };
  };
  var load = function (k) {
    if (rows[k]) return Promise.resolve(rows[k]);
    if (!loading[k]) loading[k] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root + conf.chunks[k][0];
      s.onload = function () {
        var store = window.EDITION_PLACES || {};
        rows[k] = (store[k + 1] || []).map(project);
        delete store[k + 1];
        resolve(rows[k]);
      };
      s.onerror = function () { delete loading[k]; reject(new Error("map data not loaded")); };
      document.head.appendChild(s);
    });
    return loading[k];
  };
  var chunksIn = function (v) {
    var out = [];
    conf.chunks.forEach(function (c, k) {
      if (c[1] <= v.x + v.w && v.x <= c[3] && c[2] <= v.y + v.h && v.y <= c[4]) out.push(k);
    });
    return out;
  };

  /* the view: null for the whole map, else {x, y, w, h} in the plot's units (its proportions) */
  var view = null, u = 1;
  var scale = function () {
    var box = svg.getBoundingClientRect();
    if (!box.width || !box.height) return;
    var vw = view ? view.w : W, vh = view ? view.h : H;
    u = 1 / Math.min(box.width / vw, box.height / vh);
    svg.style.setProperty("--u", u.toFixed(5));
    svg.classList.add("map-js");
  };
  var clamp = function (v) {
    v.x = Math.max(0, Math.min(W - v.w, v.x));
    v.y = Math.max(0, Math.min(H - v.h, v.y));
    return v;
  };
  var steps = [];  /* the views zoomed in from, for "Zoom out" */
  var zoomAt = function (x, y) {
    var w = (view ? view.w : W) / ZOOM, h = (view ? view.h : H) / ZOOM;
    steps.push(view);
    zoomed = show(clamp({ x: x - w / 2, y: y - h / 2, w: w, h: h }));
  };
  var zoomed = Promise.resolve();

  var el = function (name, attrs) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  };
  var shortCount = function (n) {
    return n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (Math.round(n / 100) / 10) + "k" : String(n);
  };
  var dot = function (p) {
    var a = el("a", { href: root + p.page, id: "place-" + p.anchor, "class": "map-place" });
    var t = el("title", {});
    t.textContent = p.name + " (" + p.lat + ", " + p.long + ")";
    a.appendChild(t);
    a.appendChild(el("circle", { cx: p.x.toFixed(3), cy: p.y.toFixed(3), r: 6, "class": "map-dot" }));
    a.setAttribute("data-name", p.name);
    return a;
  };
  var group = function (x, y, n, places) {
    var r = 8 + 2 * Math.round(Math.log10(n) * 10) / 10;
    var g = el("g", { "class": "map-cluster", "data-x": x.toFixed(3), "data-y": y.toFixed(3), "data-count": n });
    var t = el("title", {});
    t.textContent = textN("cluster", n);
    g.appendChild(t);
    var c = el("circle", { cx: x.toFixed(3), cy: y.toFixed(3), r: r, "class": "map-cluster-dot" });
    c.style.setProperty("--r", r);
    g.appendChild(c);
    var label = el("text", { x: x.toFixed(3), y: y.toFixed(3), "class": "map-cluster-count" });
    label.textContent = shortCount(n);
    g.appendChild(label);
    if (places) g.mapPlaces = places;
    return g;
  };
  /* groups are buttons: focusable, named, chosen by click, Enter or Space */
  var activate = function (g) {
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", textN("zoom", +g.getAttribute("data-count")));
  };
  Array.prototype.forEach.call(overview.querySelectorAll(".map-cluster"), activate);

  /* the places of the view, grouped: each place joins the first group begun within CELL_PX
     pixels of it (looked for in the grid cells around it), else begins one at its own point; so
     no two groups are drawn nearer than CELL_PX, and none covers another */
  var draw = function (v, lists) {
    var cell = CELL_PX * u, grid = new Map(), groups = [];
    lists.forEach(function (list) {
      list.forEach(function (p) {
        if (p.x < v.x || p.x > v.x + v.w || p.y < v.y || p.y > v.y + v.h) return;
        var cx = Math.floor((p.x - v.x) / cell), cy = Math.floor((p.y - v.y) / cell), found = null;
        for (var i = cx - 1; i <= cx + 1 && !found; i++) {
          for (var j = cy - 1; j <= cy + 1 && !found; j++) {
            var near = grid.get(i + "," + j) || [];
            for (var k = 0; k < near.length; k++) {
              var dx = near[k].x - p.x, dy = near[k].y - p.y;
              if (dx * dx + dy * dy < cell * cell) { found = near[k]; break; }
            }
          }
        }
        if (found) { found.ps.push(p); return; }
        var g = { x: p.x, y: p.y, ps: [p] }, key = cx + "," + cy;
        groups.push(g);
        if (grid.has(key)) grid.get(key).push(g); else grid.set(key, [g]);
      });
    });
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var frag = document.createDocumentFragment();
    groups.forEach(function (g) {
      if (g.ps.length === 1) { frag.appendChild(dot(g.ps[0])); return; }
      var shape = group(g.x, g.y, g.ps.length, g.ps);
      activate(shape);
      frag.appendChild(shape);
    });
    layer.appendChild(frag);
  };

  var token = 0;
  var show = function (v) {
    var mine = ++token;
    view = v;
    hideLabel();
    here.hidden = true;
    svg.setAttribute("viewBox", v ? [v.x, v.y, v.w, v.h].map(function (n) { return +n.toFixed(4); }).join(" ") : "0 0 " + W + " " + H);
    scale();
    whole.hidden = !v;
    out.hidden = !v;
    /* out of the document while zoomed: its dots' ids are then the zoomed layer's */
    if (v && overview.parentNode) svg.removeChild(overview);
    else if (!v && !overview.parentNode) svg.insertBefore(overview, layer);
    if (!v) {
      while (layer.firstChild) layer.removeChild(layer.firstChild);
      status.textContent = "";
      return Promise.resolve();
    }
    var ks = chunksIn(v);
    status.textContent = text("loading");
    return Promise.all(ks.map(load)).then(function (lists) {
      if (mine !== token) return;
      draw(v, lists);
      status.textContent = "";
    }, function () {
      if (mine === token) status.textContent = text("failed");
    });
  };

  /* a group of places at one point (no zoom separates them): their list under the map */
  var list = function (ps) {
    while (here.firstChild) here.removeChild(here.firstChild);
    var h = document.createElement("p");
    h.textContent = textN("cluster", ps.length);
    here.appendChild(h);
    var ul = document.createElement("ul");
    ps.slice().sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; }).slice(0, LIST_MAX).forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = root + p.page;
      a.textContent = p.name;
      a.setAttribute("data-anchor", p.anchor);
      li.appendChild(a);
      ul.appendChild(li);
    });
    here.appendChild(ul);
    if (ps.length > LIST_MAX) {
      var more = document.createElement("p");
      more.textContent = text("more", { n: ps.length - LIST_MAX });
      here.appendChild(more);
    }
    here.hidden = false;
    var first = ul.querySelector("a");
    if (first) first.focus();
  };
  var choose = function (g) {
    var ps = g.mapPlaces;
    if (ps) {
      var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      ps.forEach(function (p) { x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); });
      if (x1 - x0 < 1e-6 && y1 - y0 < 1e-6) { list(ps); return true; }
    }
    zoomAt(+g.getAttribute("data-x"), +g.getAttribute("data-y"));
    return false;
  };
  var clusterOf = function (t) {
    while (t && t !== svg) {
      if (t.classList && t.classList.contains("map-cluster")) return t;
      t = t.parentNode;
    }
    return null;
  };
  svg.addEventListener("click", function (e) {
    var g = clusterOf(e.target);
    if (g) { e.preventDefault(); choose(g); }
  });
  svg.addEventListener("keydown", function (e) {
    var g = clusterOf(e.target);
    if (g && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); choose(g); }
  });
  /* back on the whole map, the focus (on a button now hidden) goes to its first group or dot */
  var home = function () {
    steps = [];
    show(null);
    var first = overview.querySelector(".map-cluster, a.map-place");
    if (first) first.focus();
  };
  whole.addEventListener("click", home);
  /* one step out: the view zoomed in from; else (a view reached by an address) one ZOOM times
     larger around its centre; the whole map at the last */
  out.addEventListener("click", function () {
    if (!view) return;
    if (steps.length) {
      var back = steps.pop();
      if (back) zoomed = show(back); else home();
      return;
    }
    var w = view.w * ZOOM, h = view.h * ZOOM;
    if (w >= W - 1e-9 || h >= H - 1e-9) { home(); return; }
    zoomed = show(clamp({ x: view.x + view.w / 2 - w / 2, y: view.y + view.h / 2 - h / 2, w: w, h: h }));
  });

  /* a dot's name beside it while it is hovered or focused */
  var placeOf = function (t) {
    while (t && t !== svg) {
      if (t.classList && t.classList.contains("map-place")) return t;
      t = t.parentNode;
    }
    return null;
  };
  var hideLabel = function () { hoverLabel.setAttribute("hidden", ""); };
  var showLabel = function (a) {
    var c = a.querySelector("circle"), t = a.querySelector("text");
    var x = +c.getAttribute("cx"), y = +c.getAttribute("cy"), g = 10 * u;
    hoverLabel.textContent = a.getAttribute("data-name") || (t ? t.textContent : "");
    hoverLabel.removeAttribute("hidden");
    var right = (view ? view.x + view.w : W) - x > hoverLabel.getBBox().width + 2 * g;
    hoverLabel.setAttribute("x", (right ? x + g : x - g).toFixed(3));
    hoverLabel.setAttribute("y", (y + 4.5 * u).toFixed(3));
    hoverLabel.setAttribute("text-anchor", right ? "start" : "end");
  };
  ["mouseover", "focusin"].forEach(function (type) {
    svg.addEventListener(type, function (e) { var a = placeOf(e.target); if (a) showLabel(a); });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    svg.addEventListener(type, function (e) { if (placeOf(e.target)) hideLabel(); });
  });

  /* the place's dot focused; while it is in a group, that group chosen (zoomed into, or listed
     when its places are at one point) */
  var reveal = function (p, depth) {
    var a = document.getElementById("place-" + p.anchor);
    if (a) { a.scrollIntoView({ block: "center" }); a.focus(); return; }
    var g = Array.prototype.filter.call(layer.querySelectorAll(".map-cluster"), function (c) {
      return c.mapPlaces && c.mapPlaces.indexOf(p) >= 0;
    })[0];
    if (!g || depth > 12) return;
    var listed = choose(g);
    if (listed) {
      var link = here.querySelector('a[data-anchor="' + CSS.escape(p.anchor) + '"]');
      if (link) link.focus();
    } else {
      zoomed.then(function () { reveal(p, depth + 1); });
    }
  };

  /* map.html#place-… (an entity page's link to its dot): a dot of the overview is in the page;
     any other is looked for in the data files, and the map zoomed to it */
  var seek = function (anchor) {
    if (document.getElementById("place-" + anchor)) return;
    var k = 0;
    var next = function () {
      if (k >= conf.chunks.length) return;
      var mine = k++;
      load(mine).then(function (ps) {
        var p = ps.filter(function (q) { return q.anchor === anchor; })[0];
        if (!p) { next(); return; }
        var w = W / 64, h = H / 64;
        show(clamp({ x: p.x - w / 2, y: p.y - h / 2, w: w, h: h })).then(function () { reveal(p, 0); });
      });
    };
    next();
  };

  scale();
  var settle = null;
  window.addEventListener("resize", function () {
    scale();
    if (settle) clearTimeout(settle);
    settle = setTimeout(function () { settle = null; if (view) show(view); }, SETTLE_MS);
  });
  var m = /^#place-(.+)$/.exec(location.hash);
  if (m) seek(decodeURIComponent(m[1]));
}());
