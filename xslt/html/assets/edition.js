/* The edition's only script: view switch, entity popovers, listing filters, search page,
   citation URL. No markup from data is ever parsed: text goes in through textContent. */
(function () {
  "use strict";
  var body = document.body;

  /* reading / diplomatic view */
  var KEY = "edition-view";
  function setView(view) {
    body.setAttribute("data-view", view);
    document.querySelectorAll("[data-set-view]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-set-view") === view));
    });
    try { localStorage.setItem(KEY, view); } catch (e) { /* file:// or private mode */ }
  }
  var sw = document.querySelector(".view-switch");
  if (sw) {
    sw.hidden = false;
    sw.addEventListener("click", function (ev) {
      var b = ev.target.closest("[data-set-view]");
      if (b) setView(b.getAttribute("data-set-view"));
    });
    var saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
    if (saved === "diplomatic" || saved === "reading") setView(saved);
  }

  /* popovers: one tooltip per entity, shown beside the focused or hovered link */
  var current = null;
  function hide() {
    if (current) { current.hidden = true; current.classList.remove("open"); current = null; }
  }
  function show(link) {
    var id = link.getAttribute("aria-describedby");
    var pop = id && document.getElementById(id);
    if (!pop) return;
    hide();
    pop.hidden = false;
    pop.classList.add("open");
    var r = link.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
    pop.style.top = top + "px";
    pop.style.left = left + "px";
    current = pop;
  }
  document.addEventListener("focusin", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.entity[aria-describedby]");
    if (a) show(a); else hide();
  });
  document.addEventListener("focusout", function (ev) {
    if (ev.target.closest && ev.target.closest("a.entity[aria-describedby]")) hide();
  });
  document.addEventListener("mouseover", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.entity[aria-describedby]");
    if (a) show(a);
  });
  document.addEventListener("mouseout", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.entity[aria-describedby]");
    if (a && !a.contains(ev.relatedTarget) && document.activeElement !== a) hide();
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });

  /* suggested citation: the page's own address */
  document.querySelectorAll(".cite-url").forEach(function (el) {
    el.textContent = window.location.href.split("#")[0];
  });

  /* listing filters (data from assets/data.js) */
  var form = document.querySelector("form.facets");
  if (form) {
    var start = function () {
      var docs = window.EDITION_DOCUMENTS;
      if (!docs) return;
      form.hidden = false;
      var root = body.getAttribute("data-root") || "";
      var staticPart = document.querySelector(".listing-static");
      var filtered = document.querySelector(".listing-filtered");
      var list = filtered.querySelector(".filtered-list");
      var count = filtered.querySelector(".filtered-count");
      var sortTitle = !!document.querySelector(".sort-links strong") &&
        document.querySelector(".sort-links strong").textContent === "title";
      function p(cls, text) { var e = document.createElement("p"); e.className = cls; e.textContent = text; return e; }
      function update() {
        var want = Array.prototype.map.call(form.querySelectorAll("select"), function (s) { return s.value; })
          .filter(function (v) { return v; });
        if (!want.length) { staticPart.hidden = false; filtered.hidden = true; return; }
        var hits = docs.filter(function (d) { return want.every(function (w) { return d.entities.indexOf(w) >= 0; }); });
        if (sortTitle) hits = hits.slice().sort(function (a, b) { return a.title.localeCompare(b.title); });
        list.textContent = "";
        hits.forEach(function (d) {
          var li = document.createElement("li"); li.className = "doc-item";
          li.appendChild(p("doc-item-date", d.date || "Undated"));
          var t = p("doc-item-title", ""); var a = document.createElement("a");
          a.href = root + d.page; a.textContent = d.title; t.appendChild(a); li.appendChild(t);
          if (d.summary) li.appendChild(p("doc-item-summary", d.summary));
          list.appendChild(li);
        });
        count.textContent = hits.length + " of " + docs.length + " documents match the filters";
        staticPart.hidden = true; filtered.hidden = false;
      }
      form.addEventListener("change", update);
      form.addEventListener("reset", function () { setTimeout(update, 0); });
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
      update();
    };
    if (window.EDITION_DOCUMENTS) start(); else window.addEventListener("load", start);
  }

  /* search page (Pagefind; needs http(s): browsers refuse modules from file://) */
  var input = document.getElementById("search-input");
  if (input) {
    var status = document.getElementById("search-status");
    var results = document.getElementById("search-results");
    var searchForm = input.form;
    var pf = null;
    var noIndex = searchForm.hasAttribute("data-bundles") && !searchForm.getAttribute("data-bundles").trim();
    var load = function () {
      if (pf) return pf;
      if (noIndex) {
        pf = Promise.reject(new Error("no index"));
      } else if (location.protocol === "file:") {
        pf = Promise.reject(new Error("file"));
      } else {
        var rootUrl = new URL(body.getAttribute("data-root") || "./", location.href);
        var bundles = (searchForm.getAttribute("data-bundles") || "pagefind").split(/\s+/).filter(Boolean);
        pf = import(new URL(bundles[0] + "/pagefind.js", rootUrl).href).then(function (m) {
          return Promise.resolve(m.options({ baseUrl: rootUrl.pathname })).then(function () {
            return Promise.all(bundles.slice(1).map(function (b) {
              return m.mergeIndex(new URL(b + "/", rootUrl).href, { baseUrl: rootUrl.pathname });
            }));
          }).then(function () { return m; });
        });
      }
      return pf;
    };
    var run = function () {
      var q = input.value.trim();
      results.textContent = "";
      if (!q) { status.textContent = ""; return; }
      status.textContent = "Searching…";
      load().then(function (pagefind) {
        return pagefind.search(q).then(function (res) {
          return Promise.all(res.results.slice(0, 30).map(function (r) { return r.data(); })).then(function (data) {
            status.textContent = res.results.length + " result" + (res.results.length === 1 ? "" : "s") + " for “" + q + "”";
            data.forEach(function (d) {
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = d.url; a.textContent = (d.meta && d.meta.title) || d.url;
              var h = document.createElement("p"); h.className = "result-title"; h.appendChild(a);
              li.appendChild(h);
              var ex = document.createElement("p"); ex.className = "result-excerpt";
              ex.textContent = (d.excerpt || "").replace(/<[^>]*>/g, "");
              li.appendChild(ex);
              results.appendChild(li);
            });
          });
        });
      }).catch(function (e) {
        status.textContent = noIndex ? "This build of the edition has no search index (it was made with “edition build html --no-search”)."
          : "Search is not available when the edition is opened from disk: serve the folder (for example with “edition serve”) and open it over http.";
      });
    };
    searchForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var u = new URL(location.href); u.searchParams.set("q", input.value); history.replaceState(null, "", u);
      run();
    });
    var q0 = new URL(location.href).searchParams.get("q");
    if (q0) { input.value = q0; run(); }
  }
})();
