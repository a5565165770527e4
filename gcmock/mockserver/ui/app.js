// The conversations page of gcmock: the list comes paged and filtered from the server, the
// timeline comes drawn (SVG) from the server, so nothing here knows how a conversation looks.
// While the shown conversation is live, the page polls the clock and redraws when it moves.
(function () {
  "use strict";

  var API = "/__admin/ui";
  var POLL_MS = 1000;
  var state = { page: 1, pageSize: 20, pageCount: 1, now: null, selected: null, live: false,
                listed: false, busy: false };

  function $(selector) { return document.querySelector(selector); }

  function getJSON(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + url); }
      return r.json();
    });
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function duration(ms) {
    var s = Math.floor(ms / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m));
    return (h ? h + ":" : "") + mm + ":" + String(sec).padStart(2, "0");
  }

  function listQuery() {
    var params = new URLSearchParams();
    var form = $("#filters");
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.value.trim()) { params.set(el.name, el.value.trim()); }
    });
    params.set("pageNumber", String(state.page));
    params.set("pageSize", String(state.pageSize));
    return params.toString();
  }

  function showClock(data) {
    var clock = $("#clock");
    clock.textContent = data.now.replace("T", " ").replace(/\.\d+Z$/, " UTC");
    clock.classList.toggle("frozen", !!data.frozen);
    state.now = data.epochMs;
  }

  function renderRow(row) {
    var tr = document.createElement("tr");
    tr.dataset.id = row.id;
    if (row.id === state.selected) { tr.className = "selected"; }
    var started = text("td", row.startTime.replace("T", " ").replace(/\.\d+Z$/, ""));
    var length = text("td", duration(row.durationMs || 0));
    if (row.live) { length.appendChild(text("span", "live", "badge")); }
    [started, length, text("td", row.media), text("td", row.scenario || ""),
     text("td", row.queues.join(", ")), text("td", row.users.join(", ")),
     text("td", row.id, "id")].forEach(function (td) { tr.appendChild(td); });
    tr.addEventListener("click", function () { location.hash = "c=" + row.id; });
    return tr;
  }

  function loadList() {
    return getJSON(API + "/conversations?" + listQuery()).then(function (data) {
      var body = $("#conversations tbody");
      var rows = document.createDocumentFragment();
      data.entities.forEach(function (row) { rows.appendChild(renderRow(row)); });
      body.replaceChildren(rows);
      state.pageCount = Math.max(1, data.pageCount);
      $("#page-info").textContent = "page " + data.pageNumber + " of " + state.pageCount +
        " · " + data.total + " of " + data.conversations + " conversations · " +
        data.live + " live";
      $("#prev").disabled = state.page <= 1;
      $("#next").disabled = state.page >= state.pageCount;
      showClock(data);
      if (!state.listed) {
        state.listed = true;
        performance.mark("gcmock:list");
      }
    });
  }

  function loadFilters() {
    return getJSON(API + "/filters").then(function (data) {
      function fill(id, items, value, label) {
        var select = $(id);
        items.forEach(function (item) {
          var option = text("option", label(item));
          option.value = value(item);
          select.appendChild(option);
        });
      }
      function same(x) { return x; }
      fill("#f-scenario", data.scenarios, same, same);
      fill("#f-media", data.media, same, same);
      fill("#f-queue", data.queues, function (q) { return q.id; }, function (q) { return q.name; });
      fill("#f-user", data.users, function (u) { return u.id; },
           function (u) { return u.name + (u.supervisor ? " (supervisor)" : ""); });
    });
  }

  // The SVG's <title>s become data-tip: the page shows its own tooltip, at once.
  function adoptTitles(root) {
    Array.prototype.forEach.call(root.querySelectorAll("title"), function (title) {
      var owner = title.parentNode;
      if (owner !== root) { owner.setAttribute("data-tip", title.textContent); }
      title.remove();
    });
  }

  function loadTimeline(id) {
    var box = $("#timeline");
    var width = Math.max(400, Math.min(4000, Math.floor(box.clientWidth || 1000)));
    var url = API + "/conversations/" + encodeURIComponent(id) + "/timeline.svg?width=" + width;
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status === 404 ? "no conversation " + id : r.status); }
      return r.text();
    }).then(function (svg) {
      if (state.selected !== id) { return; }
      box.innerHTML = svg;
      var root = box.querySelector("svg");
      adoptTitles(root);
      state.live = root.getAttribute("data-live") === "true";
      $("#detail-title").textContent = root.getAttribute("data-media") + " " + id +
        (state.live ? " · live" : "");
      if ($("#raw").open) { return loadRaw(id); }
    });
  }

  function loadRaw(id) {
    return getJSON(API + "/conversations/" + encodeURIComponent(id)).then(function (data) {
      $("#raw-json").textContent = JSON.stringify(data, null, 2);
    });
  }

  function select(id) {
    state.selected = id;
    var detail = $("#detail");
    Array.prototype.forEach.call(document.querySelectorAll("#conversations tr"), function (tr) {
      tr.classList.toggle("selected", tr.dataset.id === id);
    });
    if (!id) { detail.hidden = true; return Promise.resolve(); }
    detail.hidden = false;
    $("#raw-link").href = API + "/conversations/" + encodeURIComponent(id);
    $("#raw-json").textContent = "";
    $("#detail-title").textContent = id;
    return loadTimeline(id).catch(function (err) {
      $("#timeline").textContent = String(err.message || err);
    });
  }

  function route() {
    var match = /^#c=([\w-]+)$/.exec(location.hash);
    return select(match ? match[1] : null);
  }

  function poll() {
    if (state.busy) { return; }
    state.busy = true;
    getJSON("/__admin/clock").then(function (clock) {
      if (clock.epochMs === state.now) { return null; }
      showClock(clock);
      var work = [loadList()];
      if (state.selected && state.live) { work.push(loadTimeline(state.selected)); }
      return Promise.all(work);
    }).catch(function () { return null; }).then(function () { state.busy = false; });
  }

  function tooltip(event) {
    var tip = $("#tip");
    var owner = event.target.closest && event.target.closest("[data-tip]");
    if (!owner || !$("#timeline").contains(owner)) { tip.hidden = true; return; }
    tip.textContent = owner.getAttribute("data-tip");
    tip.hidden = false;
    tip.style.left = Math.min(event.clientX + 12, window.innerWidth - tip.offsetWidth - 4) + "px";
    tip.style.top = (event.clientY + 14) + "px";
  }

  function start() {
    var form = $("#filters");
    var typing = null;
    form.addEventListener("change", function () { state.page = 1; loadList(); });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "search") { return; }
      clearTimeout(typing);
      typing = setTimeout(function () { state.page = 1; loadList(); }, 250);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    $("#prev").addEventListener("click", function () { state.page -= 1; loadList(); });
    $("#next").addEventListener("click", function () { state.page += 1; loadList(); });
    $("#close").addEventListener("click", function () { location.hash = ""; });
    $("#raw").addEventListener("toggle", function () {
      if ($("#raw").open && state.selected) { loadRaw(state.selected); }
    });
    $("#timeline").addEventListener("mousemove", tooltip);
    $("#timeline").addEventListener("mouseleave", function () { $("#tip").hidden = true; });
    window.addEventListener("hashchange", route);
    loadList();
    loadFilters();
    route();
    setInterval(poll, POLL_MS);
  }

  start();
}());
