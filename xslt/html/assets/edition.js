/* The edition's only script: view switch, entity popovers, listing filters, search page,
   citation URL. No markup from data is ever parsed: text goes in through textContent. */
(function () {
  "use strict";
  var body = document.body;

  /* the interface's words: the page carries them (xslt/lib/messages.xsl, f:script-messages) */
  var MSG = {};
  try { MSG = JSON.parse(document.getElementById("edition-messages").getAttribute("data-messages")) || {}; } catch (e) { MSG = {}; }
  function msg(key, params) {
    var t = MSG[key] === undefined ? key : String(MSG[key]);
    return params ? t.replace(/\{([a-z][a-z0-9_-]*)\}/g, function (m, k) { return k in params ? String(params[k]) : m; }) : t;
  }
  var plurals = null;
  try { plurals = new Intl.PluralRules(document.documentElement.lang || "en"); } catch (e) { plurals = null; }
  function msgN(key, n, params) {
    var cat = plurals ? plurals.select(n) : (n === 1 ? "one" : "other");
    var p = params || {}; p.n = n;
    var found = [cat, "other", "many", "one"].filter(function (c) { return MSG[key + "." + c] !== undefined; })[0];
    return msg(found ? key + "." + found : key, p);
  }

  /* where a popover starts beside its link: at the link's start edge (its right one in a
     right-to-left page) */
  var RTL = document.documentElement.getAttribute("dir") === "rtl";
  function startX(r, pop) { return RTL ? r.right - pop.offsetWidth : r.left; }

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

  /* popovers: one tooltip per entity, shown beside the focused or hovered link. It stays open
     while the pointer is over the link or over the popover itself (WCAG 1.4.13: hoverable), with a
     short grace period for the way between them; Escape closes it; focus opens it too. */
  var current = null, currentLink = null, hideTimer = null, GRACE = 300;
  function cancelHide() { if (hideTimer) { clearTimeout(hideTimer); hideTimer = null; } }
  /* a tap opens the popover (its "More about" link leads on); a second tap on the name follows it */
  var lastPointer = "mouse", tapOpened = null;
  document.addEventListener("pointerdown", function (ev) { lastPointer = ev.pointerType || "mouse"; }, true);
  function hide() {
    cancelHide();
    tapOpened = null;
    if (current) { current.hidden = true; current.classList.remove("open"); current = null; currentLink = null; }
  }
  function hideLater() { cancelHide(); hideTimer = setTimeout(hide, GRACE); }
  function show(link) {
    var id = link.getAttribute("aria-describedby");
    var pop = id && document.getElementById(id);
    if (!pop) return;
    cancelHide();
    if (current === pop && currentLink === link) return;
    hide();
    pop.hidden = false;
    pop.classList.add("open");
    var r = link.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 4;
    if (r.bottom + 4 + pop.offsetHeight > window.innerHeight && r.top - 4 - pop.offsetHeight >= 0) {
      top = window.scrollY + r.top - 4 - pop.offsetHeight;  /* no room below: above the link */
    }
    var left = Math.max(8, Math.min(window.scrollX + startX(r, pop), window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
    pop.style.top = top + "px";
    pop.style.left = left + "px";
    current = pop; currentLink = link;
  }
  function entityLink(t) { return t && t.closest ? t.closest("a.entity[aria-describedby]") : null; }
  function inPopover(t) { return !!(current && t && t.nodeType === 1 && current.contains(t)); }
  document.addEventListener("focusin", function (ev) {
    var a = entityLink(ev.target);
    if (a) show(a); else if (!inPopover(ev.target)) hide();
  });
  document.addEventListener("focusout", function (ev) {
    if (current && ev.relatedTarget && current.contains(ev.relatedTarget)) return;  /* into the popover */
    if (tapOpened) return;
    if (entityLink(ev.target) && !(currentLink && currentLink.matches(":hover")) && !(current && current.matches(":hover"))) hide();
  });
  document.addEventListener("mouseover", function (ev) {
    if (lastPointer !== "mouse") return;  /* a tap's emulated hover: the click decides */
    var a = entityLink(ev.target);
    if (a) show(a); else if (inPopover(ev.target)) cancelHide();
  });
  document.addEventListener("click", function (ev) {
    var a = entityLink(ev.target);
    if (a && lastPointer !== "mouse" && tapOpened !== a) {
      ev.preventDefault();
      hide();
      show(a);
      tapOpened = a;
    } else if (!a && current && !current.contains(ev.target)) {
      hide();
    }
  });
  document.addEventListener("mouseout", function (ev) {
    if (!current) return;
    var from = ev.target, to = ev.relatedTarget;
    var fromOurs = (currentLink && currentLink.contains(from)) || current.contains(from);
    var toOurs = to && ((currentLink && currentLink.contains(to)) || current.contains(to));
    if (fromOurs && !toOurs && document.activeElement !== currentLink) hideLater();
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" || ev.key === "Esc") hide(); });

  /* names: their highlighting can be switched off (remembered across pages); off, they look
     like the text and leave the tab order (their pages stay a click away) */
  var NAMES = "edition-names";
  var namesToggle = document.querySelector(".names-toggle");
  function setNames(on, remember) {
    body.classList.toggle("names-off", !on);
    if (namesToggle) namesToggle.setAttribute("aria-pressed", String(on));
    document.querySelectorAll("main a.entity").forEach(function (a) {
      if (on) a.removeAttribute("tabindex"); else a.setAttribute("tabindex", "-1");
    });
    if (remember) { try { localStorage.setItem(NAMES, on ? "on" : "off"); } catch (e) { /* not kept */ } }
  }
  var namesSaved = null;
  try { namesSaved = localStorage.getItem(NAMES); } catch (e) { namesSaved = null; }
  if (namesSaved === "off") setNames(false, false);
  if (namesToggle) {
    namesToggle.hidden = false;
    namesToggle.addEventListener("click", function () {
      setNames(namesToggle.getAttribute("aria-pressed") !== "true", true);
    });
  }

  /* interventions: their explanation (the legend's list item) beside them on click or focus */
  var ivPop = null, ivFor = null;
  function hideIv() { if (ivPop) { ivPop.hidden = true; ivFor = null; } }
  function showIv(el) {
    var note = document.getElementById("ivn-" + el.id.slice(3));
    if (!note) return;
    if (!ivPop) {
      ivPop = document.createElement("div");
      ivPop.className = "popover iv-popover";
      ivPop.setAttribute("role", "tooltip");
      ivPop.id = "iv-popover";
      document.body.appendChild(ivPop);
    }
    var link = note.querySelector("a");
    ivPop.textContent = note.textContent.slice(link ? link.textContent.length + 2 : 0);
    ivPop.hidden = false;
    var r = el.getBoundingClientRect();
    ivPop.style.top = (window.scrollY + r.bottom + 4) + "px";
    ivPop.style.left = Math.max(8, Math.min(window.scrollX + startX(r, ivPop), window.scrollX + document.documentElement.clientWidth - ivPop.offsetWidth - 8)) + "px";
    ivFor = el;
  }
  function ivTarget(t) { return t && t.closest ? t.closest(".intervention[id^='iv-']") : null; }
  document.addEventListener("click", function (ev) {
    var el = ivTarget(ev.target);
    /* inside a name's link too: a click on the intervention explains it (the name's page is a
       click beside it, or the popover's link) */
    if (el) { ev.preventDefault(); ev.stopPropagation(); if (ivFor === el) hideIv(); else showIv(el); }
    else if (ivPop && !ivPop.contains(ev.target)) hideIv();
  }, true);
  document.addEventListener("focusin", function (ev) { var el = ivTarget(ev.target); if (el) showIv(el); else hideIv(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" || ev.key === "Esc") hideIv();
    var el = ivTarget(ev.target);
    if (el && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); if (ivFor === el) hideIv(); else showIv(el); }
  });

  /* paragraph anchors: a ¶ link at the end of each paragraph of the text that has an id (made
     here rather than in every page: thousands of paragraphs would weigh on the build and the
     page); without the script the ids are there, as "Suggested citation" explains */
  document.querySelectorAll(".text p.tei-p[id], .text p.tei-ab[id]").forEach(function (p) {
    if (p.closest(".note-list, .marginal, .back-matter")) return;
    var a = document.createElement("a");
    a.className = "para-anchor";
    a.href = "#" + encodeURIComponent(p.id);
    a.setAttribute("aria-label", msg("paragraph-link", { id: "#" + p.id }));
    a.setAttribute("data-pagefind-ignore", "");
    p.appendChild(a);
  });

  /* a paragraph's ¶: its address (the permalink when configured) copied as well as opened */
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.para-anchor");
    if (!a || !navigator.clipboard || !navigator.clipboard.writeText) return;
    var cite = document.querySelector(".cite-url[data-permalink]");
    var base = (cite && cite.getAttribute("data-permalink")) || location.href.split("#")[0];
    navigator.clipboard.writeText(base + a.getAttribute("href")).then(function () {
      a.classList.add("copied");
      setTimeout(function () { a.classList.remove("copied"); }, 1500);
    }, function () { /* not allowed: the address bar has it */ });
  });

  /* suggested citation: the page's own address */
  /* (the configured permalink when there is one: [html] base_url; else the address opened) */
  document.querySelectorAll(".cite-url").forEach(function (el) {
    el.textContent = el.getAttribute("data-permalink") || window.location.href.split("#")[0];
  });
  /* the access date, in the edition's date style ("7 December 2026"), and the copy button */
  var MONTHS = MSG["date-months"] || [];
  var today = new Date();
  document.querySelectorAll(".cite-accessed").forEach(function (el) {
    el.textContent = String(MSG["date-day"] || "{d} {m} {y}").replace(/\{([dmy])\}/g, function (m, k) {
      return String(k === "d" ? today.getDate() : k === "y" ? today.getFullYear() : (MONTHS[today.getMonth()] || today.getMonth() + 1));
    });
  });
  document.querySelectorAll(".cite-copy").forEach(function (button) {
    var text = document.getElementById("cite-text");
    var status = button.parentNode.querySelector(".cite-copied");
    if (!text) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var plain = text.textContent.replace(/\s+/g, " ").trim();
      function done(ok) { if (status) status.textContent = ok ? msg("copied") : msg("copy-failed"); }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(plain).then(function () { done(true); }, function () { done(false); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(text);
        var sel = window.getSelection();
        sel.removeAllRanges(); sel.addRange(range);
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok);
      }
    });
  });

  /* listing filters (data from assets/data.js, data-2.js …: #18, in chunks; a small edition's one
     file comes with the listing, more are loaded, in order, when a filter is first chosen). The
     filter and the page of filtered results are
     kept in the address (documents.html?person=stalin&page=2), so a filtered listing can be
     bookmarked, shared, reloaded and reached again with Back; as many documents a page as
     without filters. */
  var form = document.querySelector("form.facets");
  if (form) {
    var start = function () {
      var docs = window.EDITION_DOCUMENTS || null, loading = null, shown = 0;
      form.hidden = false;
      var CHUNKS = parseInt(form.getAttribute("data-chunks"), 10) || 1;
      /* the filter data: one script per chunk (scripts, not fetch, so that the site works from
         file: too), inserted at once and run in order (async = false); each adds its documents */
      var loadDocs = function () {
        if (!loading) loading = new Promise(function (resolve, reject) {
          var left = CHUNKS;
          for (var k = 1; k <= CHUNKS; k++) {
            var s = document.createElement("script");
            s.src = root + "assets/" + (k === 1 ? "data.js" : "data-" + k + ".js");
            s.async = false;
            s.onload = function () { if (--left === 0) { docs = window.EDITION_DOCUMENTS || []; resolve(docs); } };
            s.onerror = function () { loading = null; reject(new Error("filter data not loaded")); };
            document.head.appendChild(s);
          }
        });
        return loading;
      };
      /* [html] page_size, and the pages as the static listing has them (toolkit/outputs/html/
         site.py, page_bounds): about that many a page, spread evenly, no remainder alone */
      var PER_PAGE = parseInt(form.getAttribute("data-page-size"), 10) || 10;
      var bounds = function (n) {
        var pages = Math.max(1, Math.round(n / PER_PAGE)), base = Math.floor(n / pages), extra = n % pages;
        var out = [], start = 0;
        for (var i = 0; i < pages; i++) { var end = start + base + (i < extra ? 1 : 0); out.push([start, end]); start = end; }
        return out;
      };
      var staticPart = document.querySelector(".listing-static");
      var filtered = document.querySelector(".listing-filtered");
      var list = filtered.querySelector(".filtered-list");
      var count = filtered.querySelector(".filtered-count");
      var selects = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
      var sortLinks = Array.prototype.slice.call(document.querySelectorAll(".sort-links a"));
      sortLinks.forEach(function (a) { a.setAttribute("data-base-href", a.getAttribute("href")); });
      var order = (document.querySelector(".sort-links") || body).getAttribute("data-order") || "date";
      var pager = document.createElement("nav");
      pager.className = "pager filtered-pager";
      pager.setAttribute("aria-label", msg("filtered-pages"));
      filtered.appendChild(pager);
      count.tabIndex = -1;
      function p(cls, text) { var e = document.createElement("p"); e.className = cls; e.textContent = text; return e; }
      /* the state in the address: one parameter per facet, and page */
      function readState() {
        var params = new URL(location.href).searchParams;
        var state = { page: parseInt(params.get("page"), 10) || 1 };
        selects.forEach(function (s) {
          var v = params.get(s.name) || "";
          var ok = v && Array.prototype.some.call(s.options, function (o) { return o.value === v; });
          state[s.name] = ok ? v : "";
        });
        return state;
      }
      function formState(page) {
        var state = { page: page || 1 };
        selects.forEach(function (s) { state[s.name] = s.value; });
        return state;
      }
      function address(state) {
        var u = new URL(location.href);
        u.hash = "";
        selects.forEach(function (s) { if (state[s.name]) u.searchParams.set(s.name, state[s.name]); else u.searchParams.delete(s.name); });
        var any = selects.some(function (s) { return state[s.name]; });
        if (any && state.page > 1) u.searchParams.set("page", String(state.page)); else u.searchParams.delete("page");
        return u;
      }
      function pageLink(state, n, label, rel) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        var u = address({ page: n }); /* facets below */
        selects.forEach(function (s) { if (state[s.name]) u.searchParams.set(s.name, state[s.name]); });
        if (n > 1) u.searchParams.set("page", String(n)); else u.searchParams.delete("page");
        a.href = u.pathname.split("/").pop() + u.search;
        a.textContent = label;
        a.setAttribute("data-page", String(n));
        if (rel) a.rel = rel;
        if (!rel && n === state.page) a.setAttribute("aria-current", "page");
        li.appendChild(a);
        return li;
      }
      function render(state) {
        var ticket = ++shown;
        if (docs || !selects.some(function (s) { return state[s.name]; })) { show(state); return; }
        loadDocs().then(function () { if (ticket === shown) show(state); },
                        function () {
                          if (ticket !== shown) return;
                          list.textContent = ""; pager.hidden = true;
                          count.textContent = msg("filters-failed");
                          staticPart.hidden = true; filtered.hidden = false;
                        });
      }
      function show(state) {
        selects.forEach(function (s) { s.value = state[s.name] || ""; });
        /* #14: entity facets, transcription (text) and a date range (from, to: years) */
        var ENTITY = { person: 1, place: 1, org: 1 };
        var want = selects.filter(function (s) { return ENTITY[s.name] && state[s.name]; })
          .map(function (s) { return state[s.name]; });
        var any = selects.some(function (s) { return state[s.name]; });
        var search = address(state).search;
        sortLinks.forEach(function (a) { a.setAttribute("href", a.getAttribute("data-base-href") + search); });
        if (!any) { staticPart.hidden = false; filtered.hidden = true; return; }
        var year = function (d) { return /^\d{4}/.test(d.when) ? d.when.slice(0, 4) : ""; };
        var hits = docs.filter(function (d) {
          if (!want.every(function (w) { return d.entities.indexOf(w) >= 0; })) return false;
          if (state.text && (state.text === "full") !== d.transcribed) return false;
          if (state.doctype && d.type !== state.doctype) return false;
          if ((state.from || state.to) && !year(d)) return false;
          if (state.from && year(d) < state.from) return false;
          if (state.to && year(d) > state.to) return false;
          return true;
        });
        if (order === "title") hits = hits.slice().sort(function (a, b) { return a.title.localeCompare(b.title); });
        if (order === "date-desc") hits = hits.slice().reverse();
        var pageBounds = bounds(hits.length);
        var pages = pageBounds.length;
        var page = Math.min(Math.max(1, state.page), pages);
        state.page = page;
        var first = pageBounds[page - 1][0];
        var shown = hits.slice(first, pageBounds[page - 1][1]);
        list.textContent = "";
        list.start = first + 1;
        shown.forEach(function (d) {
          var li = document.createElement("li"); li.className = "doc-item";
          li.appendChild(p("doc-item-date", d.date || msg("undated")));
          var t = p("doc-item-title", ""); var a = document.createElement("a");
          a.href = root + d.page; a.textContent = d.title; t.appendChild(a); li.appendChild(t);
          if (d.summary) li.appendChild(p("doc-item-summary", d.summary));
          if (d.type) li.appendChild(p("doc-item-type", d.type));
          var status = staticPart.querySelector(".doc-item-status");
          if (status) {
            var st = p("doc-item-status", ""), b = document.createElement("span");
            b.className = d.transcribed ? "badge badge-full" : "badge";
            b.textContent = d.transcribed ? msg("full-text") : msg("summary-only");
            st.appendChild(b); li.appendChild(st);
          }
          list.appendChild(li);
        });
        count.textContent = hits.length ? msg("range", { first: first + 1, last: first + shown.length, total: hits.length })
          : msg("no-match");
        pager.textContent = "";
        pager.hidden = pages < 2;
        if (pages > 1) {
          var ul = document.createElement("ul");
          if (page > 1) ul.appendChild(pageLink(state, page - 1, msg("previous"), "prev"));
          /* #18: the first, the last and five either side (as the static pager: paging.window) */
          for (var n = 1; n <= pages; n++) {
            if (n === 1 || n === pages || Math.abs(n - page) <= 5) ul.appendChild(pageLink(state, n, String(n)));
            else if (n === 2 || n === pages - 1) { var gap = document.createElement("li"); gap.className = "pager-gap"; gap.setAttribute("aria-hidden", "true"); gap.textContent = "\u2026"; ul.appendChild(gap); }
          }
          if (page < pages) ul.appendChild(pageLink(state, page + 1, msg("next"), "next"));
          pager.appendChild(ul);
        }
        staticPart.hidden = true; filtered.hidden = false;
      }
      function go(state, push) {
        render(state);
        var u = address(state);
        if (u.href !== location.href) {
          if (push) history.pushState(null, "", u); else history.replaceState(null, "", u);
        }
      }
      form.addEventListener("change", function () { go(formState(1), true); });
      form.addEventListener("reset", function () { setTimeout(function () { go(formState(1), true); }, 0); });
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
      pager.addEventListener("click", function (ev) {
        var a = ev.target.closest && ev.target.closest("a[data-page]");
        if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey || ev.button) return;
        ev.preventDefault();
        go(formState(parseInt(a.getAttribute("data-page"), 10)), true);
        count.focus();
      });
      window.addEventListener("popstate", function () { render(readState()); });
      go(readState(), false);
    };
    var root = body.getAttribute("data-root") || "";
    /* a small edition's data comes with the page (listing.xsl): start once it has run */
    if (document.querySelector("script[data-filter-data]") && !window.EDITION_DOCUMENTS) window.addEventListener("load", start);
    else start();
  }

  /* a table wider than its box scrolls inside it (edition.css): such a box is made reachable
     with Tab (a named region), so that keyboard users can scroll it too; checked again after a
     resize */
  var scrollBoxes = function () {
    document.querySelectorAll("main .table-wrap, main table").forEach(function (el) {
      if (el.tagName === "TABLE" && el.parentNode.classList && el.parentNode.classList.contains("table-wrap")) return;
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      var ours = el.hasAttribute("data-scroll-box");
      if (scrolls && !ours && el.getAttribute("tabindex") !== "0") {
        el.setAttribute("data-scroll-box", el.getAttribute("tabindex") || "");
        el.setAttribute("tabindex", "0");
        if (el.tagName !== "TABLE" && !el.hasAttribute("role")) {
          var cap = el.querySelector("caption");
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", (cap && cap.textContent.trim()) || msg("table"));
          el.setAttribute("data-scroll-role", "");
        }
      } else if (!scrolls && ours) {
        var was = el.getAttribute("data-scroll-box");
        if (was) el.setAttribute("tabindex", was); else el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-box");
        if (el.hasAttribute("data-scroll-role")) {
          el.removeAttribute("role"); el.removeAttribute("aria-label"); el.removeAttribute("data-scroll-role");
        }
      }
    });
  };
  scrollBoxes();
  var boxTimer = null;
  window.addEventListener("resize", function () {
    if (boxTimer) clearTimeout(boxTimer);
    boxTimer = setTimeout(function () { boxTimer = null; scrollBoxes(); }, 200);
  });

  /* map: labels of one size on screen (13 px) whatever the map's scale, placed where they fit
     inside the plot without covering another label or dot (right of, left of, above or below the
     dot; the places come most-mentioned first); the others show, on top of everything, while their
     dot is hovered or focused. The table below the map lists every place. Placed labels and dots
     are kept in a coarse grid (cells of a few label heights), so each candidate position is
     compared with the boxes of its neighbouring cells only; the labels' boxes are measured once
     (they scale with the font size). A map of many places (class map-hover-labels, from map.xsl)
     has no static labels: each shows on hover and focus only, measured and placed when shown. While the
     window is resized only the scale (--u) follows; the labels are placed again once it stops. */
  var mapSvg = document.querySelector("svg.map-svg:not(.map-clustered)");  /* #18: map.js draws the other */
  if (mapSvg && mapSvg.viewBox && mapSvg.viewBox.baseVal) {
    var NS = "http://www.w3.org/2000/svg", LABEL_PX = 13, DOT_PX = 6, GAP_PX = 4, SETTLE_MS = 200;
    var vb = mapSvg.viewBox.baseVal;
    var hoverOnly = mapSvg.classList.contains("map-hover-labels");
    var mapPlaces = Array.prototype.slice.call(mapSvg.querySelectorAll("a.map-place"));
    var hoverLabel = document.createElementNS(NS, "text");
    hoverLabel.setAttribute("class", "map-label map-label-hover");
    hoverLabel.setAttribute("aria-hidden", "true");
    hoverLabel.setAttribute("hidden", "");
    mapSvg.appendChild(hoverLabel);
    var itemOf = new Map();
    var items = mapPlaces.map(function (a) {
      var c = a.querySelector("circle"), t = a.querySelector("text.map-label");
      var it = { a: a, t: t, x: c.cx.baseVal.value, y: c.cy.baseVal.value, wr: null, pos: null };
      itemOf.set(a, it);
      return it;
    });
    var overlap = function (a, b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; };
    /* the text's box above and below its baseline, per unit of font size: measured with the
       widths (the estimate until then is map.xsl's) */
    var ASC = 0.85, DESC = 0.2;
    var candidates = function (x, y, w, fs, g) {
      var a = ASC * fs, d = DESC * fs, mid = y + (a - d) / 2;
      return [
        { tx: x + g, ty: mid, anchor: "start", x0: x + g, x1: x + g + w, y0: mid - a, y1: mid + d },
        { tx: x - g, ty: mid, anchor: "end", x0: x - g - w, x1: x - g, y0: mid - a, y1: mid + d },
        { tx: x, ty: y - g - d, anchor: "middle", x0: x - w / 2, x1: x + w / 2, y0: y - g - a - d, y1: y - g },
        { tx: x, ty: y + g + a, anchor: "middle", x0: x - w / 2, x1: x + w / 2, y0: y + g, y1: y + g + a + d }
      ];
    };
    /* measure texts (one layout for all): their widths per unit of font size, and the largest
       extent above and below the baseline */
    var measure = function (list, texts, fs) {
      var boxes = texts.map(function (t) { return { b: t.getBBox(), ty: parseFloat(t.getAttribute("y")) || 0 }; });
      var asc = 0, desc = 0;
      boxes.forEach(function (x, i) {
        if (list) list[i].wr = x.b.width / fs;
        if (x.b.height > 0) { asc = Math.max(asc, (x.ty - x.b.y) / fs); desc = Math.max(desc, (x.b.y + x.b.height - x.ty) / fs); }
      });
      if (asc > 0) { ASC = asc; DESC = desc; }
      return boxes.length ? boxes[boxes.length - 1].b.width : 0;
    };
    /* the grid: cell key → boxes touching that cell; a box's "it" is the place it belongs to */
    var Grid = function (size) { this.size = size; this.cells = new Map(); };
    Grid.prototype.each = function (b, fn) {
      var s = this.size;
      for (var cx = Math.floor(b.x0 / s), cx1 = Math.floor(b.x1 / s); cx <= cx1; cx++) {
        for (var cy = Math.floor(b.y0 / s), cy1 = Math.floor(b.y1 / s); cy <= cy1; cy++) {
          if (fn(cx + "," + cy)) return true;
        }
      }
      return false;
    };
    Grid.prototype.add = function (b) {
      var cells = this.cells;
      this.each(b, function (k) { var l = cells.get(k); if (l) l.push(b); else cells.set(k, [b]); return false; });
    };
    Grid.prototype.hits = function (b, self) {
      var cells = this.cells;
      return this.each(b, function (k) {
        var l = cells.get(k);
        if (!l) return false;
        for (var i = 0; i < l.length; i++) if (l[i].it !== self && overlap(b, l[i])) return true;
        return false;
      });
    };
    var mapState = null;  /* the scale the labels were last placed for */
    var scale = function () {
      var box = mapSvg.getBoundingClientRect();
      if (!box.width || !box.height) return null;
      var u = 1 / Math.min(box.width / vb.width, box.height / vb.height);
      mapSvg.style.setProperty("--u", u.toFixed(4));
      mapSvg.classList.add("map-js");
      return u;
    };
    var geometry = function (u) {
      return { u: u, fs: LABEL_PX * u, g: (DOT_PX + GAP_PX) * u, pad: 2 * u, dr: (DOT_PX + 1) * u };
    };
    var dotGrid = function (m) {
      var grid = new Grid(5 * m.fs);
      items.forEach(function (it) { grid.add({ it: it, x0: it.x - m.dr, x1: it.x + m.dr, y0: it.y - m.dr, y1: it.y + m.dr }); });
      return grid;
    };
    var insidePlot = function (m) {
      return function (c) { return c.x0 >= m.pad && c.x1 <= vb.width - m.pad && c.y0 >= m.pad && c.y1 <= vb.height - m.pad; };
    };
    var layoutMap = function () {
      var u = scale();
      if (u === null) return;
      if (mapState && Math.abs(mapState.u - u) < 1e-4) return;  /* same scale: same placement */
      var m = geometry(u);
      var grid = dotGrid(m);
      m.grid = grid;
      if (!hoverOnly) {
        /* measured once (the font size is --u times 13 px; the boxes scale with it) */
        if (items.length && items[0].wr === null) measure(items, items.map(function (it) { return it.t; }), m.fs);
        var inside = insidePlot(m);
        items.forEach(function (it) {
          var cands = candidates(it.x, it.y, it.wr * m.fs + 2 * u, m.fs, m.g);
          var ok = cands.filter(inside);
          var free = null;
          for (var i = 0; i < ok.length && !free; i++) if (!grid.hits(ok[i], it)) free = ok[i];
          it.pos = free || ok[0] || cands[0];
          it.on = !!free;
          if (free) { free.it = it; grid.add(free); }
        });
        items.forEach(function (it) {
          it.t.setAttribute("x", it.pos.tx.toFixed(1));
          it.t.setAttribute("y", it.pos.ty.toFixed(1));
          it.t.setAttribute("text-anchor", it.pos.anchor);
          it.t.classList.toggle("map-label-on", it.on);
        });
      }
      mapState = m;
      /* graticule labels that would run over the plot's edge at this size are left out */
      var grat = Array.prototype.slice.call(mapSvg.querySelectorAll(".graticule-label"));
      grat.forEach(function (t) { t.style.visibility = ""; });
      /* … and so are those under a place's label or dot (#14: "Kashgar" over "40°N" at 390 px) */
      var taken = Array.prototype.slice.call(mapSvg.querySelectorAll(".map-label-on, .map-dot")).map(function (e) {
        var b = e.getBBox(); return { x0: b.x, x1: b.x + b.width, y0: b.y, y1: b.y + b.height };
      });
      grat.map(function (t) { return t.getBBox(); }).forEach(function (b, i) {
        var box = { x0: b.x, x1: b.x + b.width, y0: b.y, y1: b.y + b.height };
        if (b.x < 0 || b.y < 0 || b.x + b.width > vb.width || b.y + b.height > vb.height ||
            taken.some(function (t) { return overlap(box, t); })) grat[i].style.visibility = "hidden";
      });
    };
    /* a label shown on hover or focus: where it was placed, or (map-hover-labels) at the first
       position inside the plot that covers no other dot, else the first inside the plot */
    var hoverPosition = function (it) {
      var m = mapState;
      hoverLabel.removeAttribute("hidden");
      var w = measure(null, [hoverLabel], m.fs) + 2 * m.u;
      var cands = candidates(it.x, it.y, w, m.fs, m.g);
      var ok = cands.filter(insidePlot(m));
      return ok.filter(function (c) { return !m.grid.hits(c, it); })[0] || ok[0] || cands[0];
    };
    var activePlace = null;
    var showPlaceLabel = function (a) {
      if (activePlace && activePlace !== a) activePlace.classList.remove("active");
      activePlace = a;
      a.classList.add("active");
      var it = itemOf.get(a);
      if (!it || !mapState || (!hoverOnly && it.on)) { hoverLabel.setAttribute("hidden", ""); return; }
      hoverLabel.textContent = it.t.textContent;
      var pos = hoverOnly ? hoverPosition(it) : it.pos;
      hoverLabel.setAttribute("x", pos.tx.toFixed(1));
      hoverLabel.setAttribute("y", pos.ty.toFixed(1));
      hoverLabel.setAttribute("text-anchor", pos.anchor);
      hoverLabel.removeAttribute("hidden");
    };
    var hidePlaceLabel = function (a) {
      if (activePlace !== a) return;
      a.classList.remove("active");
      activePlace = null;
      hoverLabel.setAttribute("hidden", "");
    };
    mapPlaces.forEach(function (a) {
      a.addEventListener("mouseenter", function () { showPlaceLabel(a); });
      a.addEventListener("focus", function () { showPlaceLabel(a); });
      a.addEventListener("mouseleave", function () { if (document.activeElement !== a) hidePlaceLabel(a); });
      a.addEventListener("blur", function () { hidePlaceLabel(a); });
    });
    layoutMap();
    var frame = null, settle = null;
    window.addEventListener("resize", function () {
      if (!frame) frame = requestAnimationFrame(function () { frame = null; scale(); });
      if (settle) clearTimeout(settle);
      settle = setTimeout(function () {
        settle = null;
        layoutMap();
        if (activePlace) showPlaceLabel(activePlace);
      }, SETTLE_MS);
    });
  }

  /* search page (Pagefind; needs http(s): browsers refuse modules from file://) */
  var input = document.getElementById("search-input");
  if (input) {
    var status = document.getElementById("search-status");
    var results = document.getElementById("search-results");
    var searchForm = input.form;
    var options = document.getElementById("search-options");
    var sortSelect = document.getElementById("search-sort");
    var filterBox = document.getElementById("search-filters");
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
          return Promise.resolve(m.options({ baseUrl: rootUrl.pathname, excerptLength: 24 })).then(function () {
            return Promise.all(bundles.slice(1).map(function (b) {
              return m.mergeIndex(new URL(b + "/", rootUrl).href, { baseUrl: rootUrl.pathname });
            }));
          }).then(function () { return m; });
        });
      }
      return pf;
    };
    /* #14: the filters Pagefind recorded (data-pagefind-filter), one select each, in this order */
    var FILTERS = ["type", "year", "text", "doctype", "person", "place", "org", "language"].map(function (k) {
      return [k, msg("filter-" + k)];
    });
    var filterSelects = {};
    /* #18: the filters' values come from every shard (a request per filter and shard): built
       after the first results are shown, unless the address asks for a filter */
    var filtersBuilt = null;
    var askedFilter = function () {
      var params = new URL(location.href).searchParams;
      return FILTERS.some(function (f) { return params.get(f[0]); });
    };
    var buildFilters = function (pagefind) {
      if (!filterBox) return Promise.resolve();
      if (!filtersBuilt) filtersBuilt = buildFilterSelects(pagefind);
      return filtersBuilt;
    };
    var buildFilterSelects = function (pagefind) {
      return pagefind.filters().then(function (all) {
        filterBox.setAttribute("data-built", "true");
        var params = new URL(location.href).searchParams;
        FILTERS.forEach(function (f) {
          var values = Object.keys(all[f[0]] || {}).sort(function (a, b) { return a.localeCompare(b); });
          if (values.length < 2) return;
          var p = document.createElement("p"); p.className = "facet";
          var label = document.createElement("label"); label.htmlFor = "search-filter-" + f[0]; label.textContent = f[1];
          var sel = document.createElement("select"); sel.id = "search-filter-" + f[0]; sel.name = f[0];
          var any = document.createElement("option"); any.value = ""; any.textContent = msg("any");
          sel.appendChild(any);
          values.forEach(function (v) {
            var o = document.createElement("option"); o.value = v; o.textContent = v + " (" + all[f[0]][v] + ")";
            sel.appendChild(o);
          });
          if (params.get(f[0]) && values.indexOf(params.get(f[0])) >= 0) sel.value = params.get(f[0]);
          sel.addEventListener("change", function () { remember(); run(); });
          p.appendChild(label); p.appendChild(sel); filterBox.appendChild(p);
          filterSelects[f[0]] = sel;
        });
        if (options) options.hidden = false;
      });
    };
    var remember = function () {
      var u = new URL(location.href);
      u.searchParams.set("q", input.value);
      Object.keys(filterSelects).forEach(function (k) {
        if (filterSelects[k].value) u.searchParams.set(k, filterSelects[k].value); else u.searchParams.delete(k);
      });
      if (sortSelect && sortSelect.value) u.searchParams.set("sort", sortSelect.value); else u.searchParams.delete("sort");
      history.replaceState(null, "", u);
    };
    var searchOptions = function () {
      var o = { filters: {} };
      Object.keys(filterSelects).forEach(function (k) { if (filterSelects[k].value) o.filters[k] = filterSelects[k].value; });
      if (sortSelect && sortSelect.value) o.sort = { date: sortSelect.value };
      return o;
    };
    /* an excerpt with Pagefind's <mark>s as elements, everything else as text */
    var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'" };
    var decode = function (t) { return t.replace(/&(amp|lt|gt|quot|#39|#x27);/g, function (e) { return ENTITIES[e]; }); };
    var excerptInto = function (el, html) {
      (html || "").split(/(<mark>[\s\S]*?<\/mark>)/).forEach(function (part) {
        var m = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
        var text = decode((m ? m[1] : part).replace(/<[^>]*>/g, ""));
        if (!text) return;
        if (m) { var mk = document.createElement("mark"); mk.textContent = text; el.appendChild(mk); }
        else el.appendChild(document.createTextNode(text));
      });
    };
    /* the paragraph (or heading) where the first match stands: the last anchor before it */
    var passageUrl = function (d) {
      var at = (d.locations || [])[0];
      if (at === undefined) return d.url;
      var best = null;
      (d.anchors || []).forEach(function (a) {
        if (a.location <= at && (a.text === "" || /^h[1-6]$/.test(a.element)) && a.id !== "title") best = a;
      });
      return best ? d.url.split("#")[0] + "#" + encodeURIComponent(best.id) : d.url;
    };
    /* Pagefind also returns near matches of each word, and ranks a page that has the words
       apart (or only similar words) above the one that has the phrase: for a query of several
       words, the pages with the exact phrase come first, in Pagefind's order, then the others */
    var dataOf = function (r) { if (!r.cached) r.cached = r.data(); return r.cached; };
    var norm = function (t) { return (t || "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim(); };
    var rankedSearch = function (pagefind, q) {
      var opts = searchOptions();
      var words = q.split(/\s+/).filter(Boolean);
      var phrase = words.length > 1 && !/"/.test(q);
      return Promise.all([phrase ? pagefind.search("\"" + q + "\"", opts) : null, pagefind.search(q, opts)]).then(function (rs) {
        var seen = {}, exact = rs[0] ? rs[0].results : [];
        exact.forEach(function (r) { seen[r.id] = true; });
        var all = exact.concat(rs[1].results.filter(function (r) { return !seen[r.id]; }));
        if (opts.sort) {
          /* the shards' results are each in date order: one order for all of them */
          var some = all.slice(0, SORT_LIMIT);
          return Promise.all(some.map(dataOf)).then(function (ds) {
            var keyed = some.map(function (r, i) { return { r: r, k: (ds[i].meta && ds[i].meta.when) || "" }; });
            keyed.sort(function (a, b) {
              if (!a.k !== !b.k) return a.k ? -1 : 1;  /* undated last */
              return opts.sort.date === "desc" ? b.k.localeCompare(a.k) : a.k.localeCompare(b.k);
            });
            return keyed.map(function (x) { return x.r; }).concat(all.slice(SORT_LIMIT));
          });
        }
        /* a page whose title is the query (an entity's name, a document's title), then pages
           whose title holds it, come before the others (among the first TITLE_LOOK results) */
        var head = all.slice(0, TITLE_LOOK), nq = norm(q);
        return Promise.all(head.map(dataOf)).then(function (ds) {
          var rank = function (i) {
            var t = norm(ds[i].meta && ds[i].meta.title);
            return t === nq ? 0 : (" " + t + " ").indexOf(" " + nq + " ") >= 0 ? 1 : 2;
          };
          var order = head.map(function (r, i) { return { r: r, g: rank(i), i: i }; });
          order.sort(function (a, b) { return a.g - b.g || a.i - b.i; });
          return order.map(function (x) { return x.r; }).concat(all.slice(TITLE_LOOK));
        });
      });
    };
    var SORT_LIMIT = 1000, TITLE_LOOK = 30;
    /* results come PAGE at a time: a count of all of them, then "Show more results" */
    var PAGE = 20, more = null, runId = 0;
    var removeMore = function () { if (more) { more.remove(); more = null; } };
    var run = function () {
      var q = input.value.trim();
      var id = ++runId;
      results.textContent = "";
      removeMore();
      if (!q) { status.textContent = ""; return; }
      status.textContent = msg("searching");
      load().then(function (pagefind) {
        var before = askedFilter() ? buildFilters(pagefind) : Promise.resolve();
        return before.then(function () { return rankedSearch(pagefind, q); }).then(function (all) {
          if (id !== runId) return;
          var shown = 0;
          var n = all.length;
          var summary = function () {
            return msgN("results", n, { q: q }) + (shown < n ? " " + msg("showing", { shown: shown }) : "");
          };
          var showNext = function (focusFirst) {
            var batch = all.slice(shown, shown + PAGE);
            return Promise.all(batch.map(dataOf)).then(function (data) {
              if (id !== runId) return;
              var first = null;
              data.forEach(function (d, i) {
                var li = document.createElement("li");
                var a = document.createElement("a");
                a.href = passageUrl(d); a.textContent = (d.meta && d.meta.title) || d.url;
                var h = document.createElement("p"); h.className = "result-title"; h.appendChild(a);
                li.appendChild(h);
                var kind = (d.filters && d.filters.type && d.filters.type[0]) || "";
                var date = (d.meta && d.meta.date) || "";
                if (kind || date) {
                  var meta = document.createElement("p"); meta.className = "result-meta";
                  meta.textContent = [kind, date].filter(Boolean).join(" · ");
                  li.appendChild(meta);
                }
                var ex = document.createElement("p"); ex.className = "result-excerpt";
                excerptInto(ex, d.excerpt);
                li.appendChild(ex);
                results.appendChild(li);
                if (i === 0) first = a;
              });
              shown += batch.length;
              status.textContent = summary();
              if (shown < n) {
                if (!more) {
                  more = document.createElement("button");
                  more.type = "button"; more.className = "search-more";
                  more.addEventListener("click", function () {
                    more.disabled = true;
                    showNext(true).then(function () { if (more) more.disabled = false; });
                  });
                  results.parentNode.insertBefore(more, results.nextSibling);
                }
                more.textContent = msg("show-more", { next: Math.min(PAGE, n - shown), rest: n - shown });
              } else {
                removeMore();
              }
              if (focusFirst && first) first.focus();
            });
          };
          return showNext(false).then(function () {
            buildFilters(pagefind).catch(function () { filtersBuilt = null; });
          });
        });
      }).catch(function (e) {
        if (id !== runId) return;
        status.textContent = noIndex ? msg("no-index") : msg("from-disk");
      });
    };
    searchForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      remember();
      run();
    });
    if (sortSelect) sortSelect.addEventListener("change", function () { remember(); run(); });
    var params0 = new URL(location.href).searchParams;
    if (sortSelect && params0.get("sort")) sortSelect.value = params0.get("sort");
    var q0 = params0.get("q");
    if (q0) { input.value = q0; run(); }
  }
})();
